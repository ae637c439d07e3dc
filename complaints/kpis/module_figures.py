"""The complaint KPIs other modules may link to (qclub/modules.py, "Figures,
service pages and commitments"), per service of the shared taxonomy:
`kpi:<name>:<service code>` with name

- `answer_on_time` — complaints answered within the deadline (%),
- `acknowledge_on_time` — complaints acknowledged within the deadline (%),
- `median_days` — median working days to answer (less is better),
- `founded_share` — complaints found founded (%, neither better nor worse).

Their values are the stored yearly figures of the service
(`ComplaintFigure`, dimension «service», written by `services.refresh_figures`),
which the club may read; never a complaint. What each share means is
`figures.py`'s (the one definition, shared with the KPI pages): a share with
nothing measured is no value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.kpis.figures import share
from complaints.models import ComplaintFigure, ComplaintSettings
from qclub.models import Service
from qclub.modules import Binding, Figure, FigureValue

MODULE = "complaints"
PREFIX = "kpi:"


@dataclass(frozen=True)
class Kpi:
    name: str
    label: Promise  # gettext_lazy: translated when listed
    unit: Promise | str
    higher_is_better: bool | None
    columns: tuple[str, ...]  # of ComplaintFigure, read for the value
    value: Callable[..., Decimal | None]


def _days(days: Decimal | None) -> Decimal | None:
    return days


KPIS = {
    kpi.name: kpi for kpi in (
        Kpi("answer_on_time", gettext_lazy("Reclami con risposta entro il termine"), "%", True,
            ("answer_on_time", "answer_measured"), share),
        Kpi("acknowledge_on_time", gettext_lazy("Reclami presi in carico entro il termine"), "%", True,
            ("ack_on_time", "ack_measured"), share),
        Kpi("median_days", gettext_lazy("Giorni lavorativi per rispondere ai reclami (mediana)"),
            gettext_lazy("giorni lavorativi"), False, ("median_days",), _days),
        Kpi("founded_share", gettext_lazy("Reclami fondati"), "%", None, ("founded", "classified"), share),
    )
}


def _binding(name: str) -> Binding | None:
    """A charter's promise on a deadline KPI sets that deadline
    (`policy.charter_standard`): it accepts what the comune's own setting
    accepts (the same field's validators, one source)."""
    field, label = {
        "answer_on_time": ("answer_days", gettext_lazy("i giorni lavorativi per rispondere ai reclami del servizio")),
        "acknowledge_on_time": (
            "acknowledge_days", gettext_lazy("i giorni lavorativi per prendere in carico i reclami del servizio"),
        ),
    }.get(name, ("", ""))
    if not field:
        return None
    limits = {type(v).__name__: v.limit_value for v in ComplaintSettings._meta.get_field(field).validators}
    return Binding(
        label=str(label), minimum=Decimal(limits["MinValueValidator"]), maximum=Decimal(limits["MaxValueValidator"]),
    )


def kpi_figures(service: Service | None) -> list[Figure]:
    """The four KPIs of `service` (None: of every service of the taxonomy).
    One query when `service` is None, none otherwise."""
    services = [service] if service is not None else list(Service.objects.order_by("area__position", "name"))
    return [
        Figure(
            module=MODULE, key=f"{PREFIX}{kpi.name}:{each.code}", label=str(kpi.label), unit=str(kpi.unit),
            higher_is_better=kpi.higher_is_better, kind=_("Indicatore dei reclami"), service_code=each.code,
            binds=_binding(kpi.name),
        )
        for each in services
        for kpi in KPIS.values()
    ]


def kpi_values(
    key: str, *, years: Sequence[int], municipality_ids: Sequence[int] | None = None
) -> list[FigureValue]:
    """The KPI named by `key` from the comuni's yearly figures of its service:
    one row per comune and year (the figures' unique key), at most comuni ×
    years. One query."""
    name, _sep, service_code = key.removeprefix(PREFIX).partition(":")
    kpi = KPIS.get(name)
    if not key.startswith(PREFIX) or kpi is None or not service_code or not years:
        return []
    rows = ComplaintFigure.objects.filter(
        dimension=ComplaintFigure.Dimension.SERVICE, key=service_code, year__in=list(years)
    )
    if municipality_ids is not None:
        rows = rows.filter(municipality_id__in=list(municipality_ids))
    values = []
    for municipality_id, year, *counts in rows.order_by("municipality_id", "year").values_list(
        "municipality_id", "year", *kpi.columns
    ):
        value = kpi.value(*counts)
        if value is None:
            continue
        values.append(FigureValue(
            municipality_id=municipality_id, year=year, value=value,
            note=_("Indicatori dei reclami (%(year)s)") % {"year": year},
        ))
    return values
