"""The demo data: a few dozen complaints per member comune, realistic, idempotent."""

import pytest

from complaints.demo import PER_COMUNE, seed
from complaints.models import Complaint
from qclub.tenancy import acting_for

pytestmark = pytest.mark.django_db


def test_demo_seeds_each_member_comune_once(comune_a, comune_b, officer_a, service):
    seed()
    seed()
    for comune in (comune_a, comune_b):
        with acting_for(comune):
            rows = Complaint.objects.all()
            assert rows.count() == PER_COMUNE
            assert rows.filter(answered_late=True).exists() and rows.filter(answered_late=False).exists()
            assert rows.values("channel").distinct().count() >= 4
            assert rows.filter(status__in=Complaint.OPEN_STATUSES).exists()
            assert rows.filter(reopen_count__gt=0).exists() or comune == comune_b
            years = {d.year for d in rows.values_list("received_on", flat=True)}
            assert len(years) >= 3
            assert all(r.events.exists() for r in rows[:5])
