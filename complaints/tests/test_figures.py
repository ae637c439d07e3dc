"""The complaint KPIs other modules may link to, per service: listed for a
service, and valued from the stored yearly figures of that service only."""

from decimal import Decimal

import pytest
from django.utils import timezone

from complaints.hooks import ComplaintsHooks
from complaints.kpis import services as kpis
from complaints.models import Complaint, ComplaintFigure
from qclub.tenancy import SCOPE_CLUB, acting_for, cross_tenant
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db
HOOKS = ComplaintsHooks()
YEAR = timezone.localdate().year
D = ComplaintFigure.Dimension


def _figure(municipality, *, dimension=D.SERVICE, key="anagrafe", year=YEAR, **counts):
    with acting_for(municipality):
        return ComplaintFigure.objects.create(
            year=year, dimension=dimension, key=key, computed_at=timezone.now(), **counts
        )


def _values(key, *, viewer, years=(YEAR - 1, YEAR), municipality_ids=None):
    with acting_for(viewer), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        found = HOOKS.figure_values(key, years=list(years), municipality_ids=municipality_ids)
    return {(v.municipality_id, v.year): v.value for v in found}


def test_figures_are_the_four_kpis_of_the_service(db):
    service = ServiceFactory(code="anagrafe")
    ServiceFactory(code="biblioteca")

    figures = {f.key: f for f in HOOKS.figures(service)}

    assert set(figures) == {f"kpi:{name}:anagrafe" for name in
                            ("answer_on_time", "acknowledge_on_time", "median_days", "founded_share")}
    answer = figures["kpi:answer_on_time:anagrafe"]
    assert (answer.label, answer.unit, answer.higher_is_better) == ("Reclami con risposta entro il termine", "%", True)
    assert answer.service_code == "anagrafe" and answer.ref == "complaints/kpi:answer_on_time:anagrafe"
    median = figures["kpi:median_days:anagrafe"]
    assert (median.unit, median.higher_is_better) == ("giorni lavorativi", False)
    assert figures["kpi:founded_share:anagrafe"].higher_is_better is None
    assert "kpi:answer_on_time:biblioteca" in {f.key for f in HOOKS.figures(None)}


def test_values_come_from_the_services_yearly_figures(comune_a, comune_b):
    _figure(comune_a, answer_measured=8, answer_on_time=6, ack_measured=10, ack_on_time=10,
            median_days=Decimal("12.5"), classified=4, founded=1)
    _figure(comune_a, year=YEAR - 1, answer_measured=3, answer_on_time=3)
    # The same code as a category, the comune's total and another service: not this figure.
    _figure(comune_a, dimension=D.CATEGORY, answer_measured=5, answer_on_time=0)
    _figure(comune_a, dimension=D.TOTAL, key="", answer_measured=50, answer_on_time=10)
    _figure(comune_a, key="biblioteca", answer_measured=2, answer_on_time=0)
    # Nothing measured yet: no share, no value.
    _figure(comune_b, answer_measured=0, answer_on_time=0)

    assert _values("kpi:answer_on_time:anagrafe", viewer=comune_b) == {
        (comune_a.pk, YEAR): Decimal("75.0"), (comune_a.pk, YEAR - 1): Decimal("100.0"),
    }
    assert _values("kpi:acknowledge_on_time:anagrafe", viewer=comune_b, years=[YEAR]) == {
        (comune_a.pk, YEAR): Decimal("100.0"),
    }
    assert _values("kpi:median_days:anagrafe", viewer=comune_b) == {(comune_a.pk, YEAR): Decimal("12.5")}
    assert _values("kpi:founded_share:anagrafe", viewer=comune_b) == {(comune_a.pk, YEAR): Decimal("25.0")}
    assert _values("kpi:answer_on_time:anagrafe", viewer=comune_a, municipality_ids=[comune_b.pk]) == {}
    for unknown in ("kpi:answer_on_time", "kpi:nessuno:anagrafe", "answer_on_time:anagrafe", "kpi:answer_on_time:"):
        assert _values(unknown, viewer=comune_a) == {}


def test_complaints_count_once_the_figures_are_refreshed(comune_a, make_complaint):
    """Never from the complaints themselves: from the figures the comune's
    refresh writes (nightly, or on demand)."""
    service = ServiceFactory(code="anagrafe")
    make_complaint(service=service, received_on=timezone.localdate(), answered_late=False, answered_on=timezone.localdate(),
                   status=Complaint.Status.ANSWERED, answer_working_days=4)
    assert _values("kpi:answer_on_time:anagrafe", viewer=comune_a) == {}
    with acting_for(comune_a):
        kpis.refresh_figures(municipality=comune_a, years=[YEAR])
    assert _values("kpi:answer_on_time:anagrafe", viewer=comune_a) == {(comune_a.pk, YEAR): Decimal("100.0")}
