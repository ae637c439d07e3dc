"""What citizens read of the published figures: the datasets, their tables, the CSV
and JSON downloads and the DCAT-AP_IT catalogue, all in the public scope."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from benchmarking.comparisons import exports, standing, svg
from benchmarking.comparisons import selectors as comparisons
from benchmarking.models import Campaign, Indicator
from benchmarking.periods import Period
from qclub.numbers import format_number
from qclub.tenancy import SCOPE_PUBLIC, acting_for, cross_tenant

LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"


LICENSE_NAME = "CC BY 4.0"


PUBLISHER = "QClub"


def is_public(campaign: Campaign) -> bool:
    return campaign.published_at is not None and (
        campaign.embargo_until is None or campaign.embargo_until <= timezone.localdate()
    )


def published_campaigns() -> QuerySet[Campaign]:
    """Published and past the embargo."""
    return (
        Campaign.objects.filter(published_at__isnull=False)
        .filter(Q(embargo_until__isnull=True) | Q(embargo_until__lte=timezone.localdate()))
        .select_related("area").order_by("area__position", "area__name", "-period_year", "-period_index")
    )


def dataset_get(area_code: str, period_code: str) -> Campaign:
    """A published dataset, else 404 (unpublished and embargoed alike)."""
    try:
        period = Period.parse(period_code)
    except ValueError:
        raise Http404 from None
    campaign = published_campaigns().filter(
        area__code=area_code, period_year=period.year, period_kind=period.kind, period_index=period.index
    ).first()
    if campaign is None:
        raise Http404
    return campaign


@dataclass
class PublicRow:
    rank: int | None
    municipality: str
    istat_code: str
    value: Decimal
    position: str = ""  # target-range indicators: in_range / below / above (see comparisons.standing)
    position_text: str = ""


# Beyond this many comuni a bar chart is unreadable: the table alone is shown.
MAX_CHART_BARS = 60


@dataclass(frozen=True)
class PublicTrendPoint:
    """One published period of an indicator: how many comuni, their median."""

    period: Period
    reported: int
    median: Decimal | None


@dataclass
class PublicTable:
    indicator: Indicator
    unit: str
    decimals: int
    better: str
    better_label: str
    definition: str
    rows: list[PublicRow]
    reported: int
    median: Decimal | None
    best: Decimal | None
    trend: list[PublicTrendPoint] = field(default_factory=list)
    band_low: Decimal | None = None  # target-range indicators: no best, the range instead
    band_high: Decimal | None = None
    range_text: str = ""

    @property
    def chart(self) -> str:
        """The ranking as an inline SVG bar chart (no JavaScript), best first,
        with the median and best the server computed; its <title> and the
        table beside it are the text alternative. Not drawn for more comuni
        than a chart can show legibly (the table stays)."""
        if not self.rows or len(self.rows) > MAX_CHART_BARS:
            return ""
        bars = [svg.Bar(f"{row.rank}. {row.municipality}" if row.rank else row.municipality, row.value)
                for row in self.rows]
        return svg.bar_chart(
            bars, median=self.median, best=self.best, decimals=self.decimals,
            title=self.chart_text, median_label=_("mediana"), best_label=_("migliore"),
        )

    @property
    def chart_text(self) -> str:
        text = _("Grafico a barre dei valori di %(n)d comuni, dal migliore; mediana %(median)s.") % {
            "n": len(self.rows), "median": format_number(self.median, self.decimals),
        }
        if self.best is not None:
            text += " " + _("Valore migliore %(best)s.") % {"best": format_number(self.best, self.decimals)}
        return text


_TREND_SQL = """
SELECT r.indicator_id, r.period_year, r.period_kind, r.period_index, count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY r.value)
FROM benchmarking_approvedresult r
WHERE r.indicator_id = ANY(%(indicators)s) AND r.campaign_id = ANY(%(campaigns)s)
  AND r.value IS NOT NULL AND r.score IS NOT NULL
GROUP BY 1, 2, 3, 4
"""


def public_trend(indicator_ids: list[int], campaigns: list[Campaign]) -> dict[int, list[PublicTrendPoint]]:
    """Per indicator, the number of comuni and the median of their published
    figures in each published period, oldest first: one aggregate query, in
    the public scope the caller has opened (the database counts only figures
    citizens may see, as the ranking does)."""
    if not indicator_ids or not campaigns:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_TREND_SQL, {"indicators": indicator_ids, "campaigns": [c.pk for c in campaigns]})
        rows = cursor.fetchall()
    trend: dict[int, list[PublicTrendPoint]] = {}
    for indicator_id, year, kind, index, reported, median in sorted(rows, key=lambda r: (r[0], r[1], r[3])):
        trend.setdefault(indicator_id, []).append(
            PublicTrendPoint(Period(year, kind, index), reported, None if median is None else Decimal(str(median)))
        )
    return trend


def area_campaigns(campaign: Campaign) -> list[Campaign]:
    """The published periods of the campaign's area with its kind of period."""
    return list(published_campaigns().filter(area=campaign.area, period_kind=campaign.period_kind))


def dataset_tables(campaign: Campaign) -> list[PublicTable]:
    """Per indicator of the campaign, the public ranking, and its median over
    the area's published periods. No comune is active (a logged-in visitor's
    own unpublished figures must not show), so the database shows only public
    figures past their embargo."""
    indicators = list(campaign.indicators.order_by("position", "code"))
    tables = []
    with acting_for(None), cross_tenant(scope=SCOPE_PUBLIC, reason=f"dati aperti {campaign.area.code} {campaign.period.code}"):
        trend = public_trend([i.pk for i in indicators], area_campaigns(campaign))
        for indicator in indicators:
            result = comparisons.ranking(indicator, campaign.period, viewer=None)
            if result.version is None:
                continue
            tables.append(PublicTable(
                indicator=indicator, unit=result.version.unit, decimals=result.version.decimals,
                better=result.version.better, better_label=str(result.version.get_better_display()),
                definition=result.version.definition,
                rows=[PublicRow(row.rank, row.municipality.name, row.municipality.istat_code, row.value,
                                row.position, standing.describe(row.position, row.from_range, result.version.decimals))
                      for row in result.rows],
                reported=result.stats.reported, median=result.stats.median,
                best=None if result.suppressed else result.stats.best,
                trend=trend.get(indicator.pk, []),
                band_low=result.version.band_low if result.has_range else None,
                band_high=result.version.band_high if result.has_range else None,
                range_text=result.range_text,
            ))
    return tables


# Open data's CSV follows the members area's export conventions (one writer,
# `comparisons.exports.italian_csv`: UTF-8 with BOM, ';', decimal comma), with
# machine-friendly column names; JSON is the variant for programs.
CSV_HEADER = ["area", "periodo", "codice_indicatore", "indicatore", "unita_di_misura", "direzione",
              "intervallo_minimo", "intervallo_massimo", "codice_istat", "comune", "valore", "posizione",
              "rispetto_intervallo"]


def _plain(value: Decimal | None, decimals: int, comma: bool) -> str:
    if value is None:
        return ""
    text = f"{value.quantize(Decimal(1).scaleb(-decimals)):f}"
    return text.replace(".", ",") if comma else text


def dataset_csv(campaign: Campaign, tables: list[PublicTable]) -> bytes:
    """One row per indicator and comune, the indicator described on every row
    (name, unit, direction, target range); `rispetto_intervallo` is `in_range`,
    `below` or `above` for target-range indicators."""
    rows = [
        [
            campaign.area.code, campaign.period.code, table.indicator.code, table.indicator.name, table.unit,
            table.better, table.band_low, table.band_high, row.istat_code, row.municipality,
            exports.rounded(row.value, table.decimals), row.rank, row.position,
        ]
        for table in tables for row in table.rows
    ]
    return exports.italian_csv(CSV_HEADER, rows)


def dataset_dict(campaign: Campaign, tables: list[PublicTable]) -> dict:
    def number(value, decimals):
        return None if value is None else float(_plain(value, decimals, comma=False))

    return {
        "title": dataset_title(campaign),
        "area": {"code": campaign.area.code, "name": campaign.area.name},
        "period": campaign.period.code,
        "publisher": PUBLISHER,
        "license": {"name": LICENSE_NAME, "url": LICENSE_URL},
        "issued": campaign.published_at.date().isoformat() if campaign.published_at else None,
        "indicators": [
            {
                "code": t.indicator.code, "name": t.indicator.name, "unit": t.unit, "better": t.better,
                "band_low": None if t.band_low is None else float(t.band_low),
                "band_high": None if t.band_high is None else float(t.band_high),
                "definition": t.definition, "reported": t.reported,
                "median": number(t.median, t.decimals), "best": number(t.best, t.decimals),
                "values": [
                    {"istat_code": r.istat_code, "comune": r.municipality, "value": number(r.value, t.decimals),
                     "rank": r.rank, **({"position": r.position} if t.band_low is not None else {})}
                    for r in t.rows
                ],
            }
            for t in tables
        ],
    }


def dataset_json(campaign: Campaign, tables: list[PublicTable]) -> str:
    return json.dumps(dataset_dict(campaign, tables), ensure_ascii=False, indent=2)


def dataset_title(campaign: Campaign) -> str:
    return _("Benchmarking QClub: %(area)s, %(period)s") % {"area": campaign.area.name, "period": campaign.period.label}


def dataset_description(campaign: Campaign) -> str:
    return _(
        "Indicatori di qualità dei servizi comunali dell'area «%(area)s» per il periodo %(period)s: "
        "valori approvati dei comuni del club QClub e loro posizione."
    ) % {"area": campaign.area.name, "period": campaign.period.label}


_PERIODICITY = {
    "Y": "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
    "H": "http://publications.europa.eu/resource/authority/frequency/ANNUAL_2",
    "Q": "http://publications.europa.eu/resource/authority/frequency/QUARTERLY",
}


def catalogue(campaigns: list[Campaign], absolute) -> dict:
    """DCAT-AP_IT catalogue as JSON-LD; `absolute(campaign, kind)` gives the
    absolute URL of a dataset's page ("page"), CSV ("csv") or JSON ("json")."""
    publisher = {"@type": ["foaf:Organization", "dcatapit:Agent"], "foaf:name": PUBLISHER, "dct:identifier": "qclub"}
    datasets = []
    modified = None
    for campaign in campaigns:
        issued = campaign.published_at.date().isoformat()
        modified = max(modified or issued, issued)
        page = absolute(campaign, "page")
        datasets.append({
            "@id": page,
            "@type": ["dcat:Dataset", "dcatapit:Dataset"],
            "dct:identifier": f"qclub:{campaign.area.code}:{campaign.period.code}",
            "dct:title": {"@value": dataset_title(campaign), "@language": "it"},
            "dct:description": {"@value": dataset_description(campaign), "@language": "it"},
            "dct:publisher": publisher,
            "dct:rightsHolder": publisher,
            "dct:license": {"@id": LICENSE_URL},
            "dct:issued": {"@value": issued, "@type": "xsd:date"},
            "dct:modified": {"@value": issued, "@type": "xsd:date"},
            "dcat:theme": {"@id": "http://publications.europa.eu/resource/authority/data-theme/GOVE"},
            "dct:accrualPeriodicity": {"@id": _PERIODICITY.get(campaign.period_kind, _PERIODICITY["Y"])},
            "dct:temporal": {"@type": "dct:PeriodOfTime", "dcat:startDate": f"{campaign.period_year}-01-01",
                             "dcat:endDate": f"{campaign.period_year}-12-31"},
            "dcat:keyword": ["benchmarking", "qualità dei servizi", campaign.area.name],
            "dcat:landingPage": {"@id": page},
            "dcat:distribution": [
                {
                    "@type": ["dcat:Distribution", "dcatapit:Distribution"],
                    "dct:title": f"{dataset_title(campaign)} ({label})",
                    "dcat:accessURL": {"@id": page},
                    "dcat:downloadURL": {"@id": absolute(campaign, kind)},
                    "dct:format": {"@id": f"http://publications.europa.eu/resource/authority/file-type/{label}"},
                    "dcat:mediaType": media,
                    "dct:license": {"@id": LICENSE_URL},
                }
                for kind, label, media in (("csv", "CSV", "text/csv"), ("json", "JSON", "application/json"))
            ],
        })
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "dcatapit": "http://dati.gov.it/onto/dcatapit#",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": absolute(None, "catalogue"),
        "@type": ["dcat:Catalog", "dcatapit:Catalog"],
        "dct:title": {"@value": _("Dati aperti del benchmarking QClub"), "@language": "it"},
        "dct:description": {"@value": _("Gli indicatori di qualità dei servizi pubblicati dai coordinatori del club QClub."),
                            "@language": "it"},
        "dct:publisher": publisher,
        "dct:license": {"@id": LICENSE_URL},
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/ITA"},
        "dct:modified": {"@value": modified or timezone.localdate().isoformat(), "@type": "xsd:date"},
        "dcat:dataset": datasets,
    }
