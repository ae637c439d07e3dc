"""The demo's improvement plans and KPI figures: in every member comune, idempotent."""

import pytest

from complaints.demo import seed
from complaints.models import ComplaintFigure, ComplaintReport, ImprovementAction
from complaints.plans.demo import seed as seed_plans
from qclub.tenancy import acting_for

pytestmark = pytest.mark.django_db


def test_demo_plans_figures_and_one_published_report(comune_a, comune_b, officer_a, service):
    seed()
    seed_plans()
    seed_plans()
    for comune in (comune_a, comune_b):
        with acting_for(comune):
            actions = ImprovementAction.objects.all()
            assert actions.count() == 3
            assert actions.filter(status=ImprovementAction.Status.DONE).exclude(result="").exists()
            assert ComplaintFigure.objects.filter(dimension="total").count() >= 3
    with acting_for(comune_b):  # Bergamo sorts first: it publishes
        assert ComplaintReport.objects.filter(published_on__isnull=False).count() == 1
    with acting_for(comune_a):
        assert not ComplaintReport.objects.exists()
