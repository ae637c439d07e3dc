"""The complaints' section of the page of one service (issue #12,
`ModuleHooks.service_sections`): what citizens complain about for the
service, from the comune's stored figures (`ComplaintFigure`, dimension
service): received, the share answered within the deadline, the median
working days, year by year.

The core calls it inside the page's scope with no comune active. The club's
members read the figures (counts only, the club's read policy); citizens
read only what the comune published, its yearly reports — whose snapshot
has no per-service figures, so they get the link to the latest report.
Two queries at most."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.kpis.figures import kpis_of
from complaints.kpis.svg import trend_chart
from complaints.models import ComplaintFigure, ComplaintReport
from qclub.models import Municipality, Service
from qclub.modules import Readers, ServiceSection

D = ComplaintFigure.Dimension
# The trend shows at most this many years, the newest last.
YEARS_SHOWN = 6


def _members_context(municipality: Municipality, service: Service) -> dict | None:
    rows = list(
        ComplaintFigure.objects.filter(municipality_id=municipality.pk, dimension=D.SERVICE, key=service.code)
        .order_by("-year")[:YEARS_SHOWN]
    )
    if not rows:
        return None
    years = [kpis_of(row) for row in reversed(rows)]
    chart = trend_chart(
        [(k.year, k.answered_on_time) for k in years],
        title=_("Reclami sul servizio con risposta nei tempi, per anno (%)"), unit=" %",
    )
    return {
        "years": years, "latest": years[-1], "chart": mark_safe(chart),  # noqa: S308 (escaped inside)
        "compare_url": reverse("complaints:compare"),
    }


def _public_context(municipality: Municipality) -> dict | None:
    year = (
        ComplaintReport.objects.filter(municipality_id=municipality.pk, published_on__isnull=False)
        .order_by("-year").values_list("year", flat=True).first()
    )
    if year is None:
        return None
    return {"report_year": year, "report_url": reverse("municipality_public", args=[municipality.slug])}


def service_sections(
    municipality: Municipality, service: Service, audience: Readers
) -> Sequence[ServiceSection]:
    context = (
        _members_context(municipality, service) if audience == Readers.MEMBERS else _public_context(municipality)
    )
    if context is None:
        return ()
    return (
        ServiceSection(
            title=gettext_lazy("Reclami sul servizio"),
            template="complaints/kpis/service_section.html",
            context=context,
            position=30,
        ),
    )


def service_codes(municipality: Municipality, audience: Readers) -> Collection[str]:
    # Citizens' reports have no per-service figures: no service page is worth
    # listing for them alone.
    if audience != Readers.MEMBERS:
        return ()
    return set(
        ComplaintFigure.objects.filter(municipality_id=municipality.pk, dimension=D.SERVICE)
        .exclude(key="").values_list("key", flat=True).distinct()
    )
