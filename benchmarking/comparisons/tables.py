"""The members area's tables: a ranking as plain rows (one shape for the page
table, the CSV/XLSX export and the API) and the django-tables2 table of the
page, which shows the context beside each comune. Reads are in `selectors`."""

from __future__ import annotations

from decimal import Decimal

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benchmarking.comparisons import exports, standing
from benchmarking.comparisons.selectors import Ranking, RankingRow
from benchmarking.models import ContextValue
from qclub.numbers import format_number


def _row(row: RankingRow) -> dict:
    m = row.municipality
    return {
        "rank": row.rank, "comune": m.name, "slug": m.slug, "value": row.value, "quartile": row.quartile,
        "from_best": row.from_best, "from_median": row.from_median, "change": row.change,
        "position": row.position, "from_range": row.from_range,
        "in_basis": row.in_basis, "is_viewer": row.is_viewer, "municipality_id": m.pk,
    }


def ranking_rows(result: Ranking) -> list[dict]:
    return [_row(row) for row in result.rows]


def not_applicable_rows(result: Ranking) -> list[dict]:
    return [{**_row(row), "reason": row.reason} for row in result.not_reported]


def hidden_columns(result: Ranking) -> tuple[str, ...]:
    """A range indicator has no quartile and no best to be distant from (see
    `standing`): it shows where each comune stands against the range instead."""
    return ("quartile", "from_best") if result.has_range else ("versus_range",)


# --- The page table ----------------------------------------------------------------


class FigureColumn(tables.Column):
    """A figure the Italian way (1.234,5), signed when it is a difference."""

    def __init__(self, *args, signed=False, **kwargs):
        self.signed = signed
        super().__init__(*args, **kwargs)

    def render(self, value, table):
        text = format_number(value, table.decimals)
        return f"+{text}" if self.signed and value > 0 else text


class RankingTable(tables.Table):
    rank = tables.Column(verbose_name=gettext_lazy("Posizione"), default="—")
    comune = tables.Column(verbose_name=gettext_lazy("Comune"))
    value = FigureColumn(verbose_name=gettext_lazy("Valore"), default="—")
    quartile = tables.Column(verbose_name=gettext_lazy("Quartile"), default="—")
    from_best = FigureColumn(verbose_name=gettext_lazy("Distanza dal migliore"), default="—")
    versus_range = tables.Column(verbose_name=gettext_lazy("Rispetto all'intervallo"), empty_values=(),
                             order_by=("from_range",))
    from_median = FigureColumn(verbose_name=gettext_lazy("Distanza dalla mediana"), default="—", signed=True)
    change = FigureColumn(verbose_name=gettext_lazy("Variazione sul periodo precedente"), default="—", signed=True)

    class Meta:
        template_name = "django_tables2/bootstrap5.html"
        order_by_field = "ordina"
        attrs = {"class": "table table-sm table-hover qc-ranking-table qc-wide-table", "id": "ranking-table"}
        row_attrs = {
            "class": lambda record: "qc-viewer fw-bold" if record["is_viewer"] else None,
            "aria-current": lambda record: "true" if record["is_viewer"] else None,
        }

    def __init__(self, data, *, decimals: int, context: dict[int, list[ContextValue]], **kwargs):
        self.decimals = decimals
        self.descriptors = context
        super().__init__(data, **kwargs)

    def render_comune(self, value, record):
        name = format_html("{}", value)
        if record["is_viewer"]:
            name = format_html('{} <span class="visually-hidden">{}</span>', value, _("(il tuo comune)"))
        if not record["in_basis"]:
            name = format_html('{} <span class="small fw-normal">{}</span>', name, _("(fuori dal gruppo delle statistiche)"))
        descriptors = self.descriptors.get(record["municipality_id"])
        if not descriptors:
            return name
        items = format_html_join("", "<li><strong>{}</strong>: {}</li>", ((d.key, d.value) for d in descriptors))
        return format_html(
            '{}<details class="qc-context small fw-normal"><summary>{}</summary><ul class="mb-0">{}</ul></details>',
            name, _("Contesto"), items,
        )

    def render_quartile(self, value):
        return format_html("{}°", value)

    def render_versus_range(self, record):
        return standing.describe(record["position"], record["from_range"], self.decimals) or "—"


# --- Export -------------------------------------------------------------------------


def export_table(result: Ranking) -> tuple[list[str], list[list]]:
    """The ranking as the export writes it (`exports.italian_csv`, `exports.to_xlsx`):
    the indicator, unit, period and direction on every row, then the columns
    of the page table (those of a range indicator for a range indicator)."""
    version, decimals = result.version, result.version.decimals if result.version else None
    columns = [name for name in ("rank", "comune", "value", "quartile", "from_best") if name not in hidden_columns(result)]
    if result.has_range:
        columns += ["position", "from_range"]
    columns += ["from_median", "change"]
    labels = {
        "position": _("Rispetto all'intervallo"), "from_range": _("Distanza dall'intervallo"),
        **{name: str(column.verbose_name) for name, column in RankingTable.base_columns.items()},
    }
    headers = [_("Indicatore"), _("Unità di misura"), _("Periodo"), _("Direzione"), *(labels[c] for c in columns)]
    fixed = [result.indicator.name, version.unit if version else "", result.period.label, exports.direction_text(version)]
    positions = {standing.IN_RANGE: _("entro"), standing.BELOW: _("sotto"), standing.ABOVE: _("sopra")}

    def cell(row: dict, name: str):
        if name == "position":
            return positions.get(row[name], "")
        value = row[name]
        return exports.rounded(value, decimals) if isinstance(value, Decimal) else value

    rows = [[*fixed, *(cell(row, name) for name in columns)] for row in ranking_rows(result)]
    for row in not_applicable_rows(result):
        reason = _("non applicabile") if row["reason"] == "not_applicable" else (
            _("dato riservato al comune") if row["reason"] == "own" else row["reason"])
        rows.append([*fixed, *(row["comune"] if name == "comune" else reason if name == "value" else None
                               for name in columns)])
    return headers, rows
