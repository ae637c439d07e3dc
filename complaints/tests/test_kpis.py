"""The comune's KPIs, computed in SQL, checked against a hand-made year."""

import datetime as dt

import pytest
from django.urls import reverse

from complaints.kpis.selectors import breakdown, kpis
from complaints.models import Complaint
from qclub.tenancy import acting_for

pytestmark = pytest.mark.django_db


def _row(comune, n, **fields):
    base = {"reference": f"S-2025-{n:05d}", "channel": "web", "received_on": dt.date(2025, 3, n),
            "what_happened": "x", "kind": "complaint"}
    base.update(fields)
    return Complaint(municipality=comune, **base)


def test_kpis_of_a_year(client, comune_a, comune_b, officer_a):
    comune_a.population = 20000
    comune_a.save()
    with acting_for(comune_a):
        Complaint.objects.bulk_create([
            _row(comune_a, 1, acknowledged_on=dt.date(2025, 3, 2), acknowledged_late=False, answered_on=dt.date(2025, 3, 20),
                 answer_working_days=10, answered_late=False, founded=True, rating=4, channel="phone"),
            _row(comune_a, 2, acknowledged_on=dt.date(2025, 3, 12), acknowledged_late=True, answered_on=dt.date(2025, 5, 20),
                 answer_working_days=40, answered_late=True, founded=False, reopen_count=1, rating=2),
            _row(comune_a, 3, answered_on=dt.date(2025, 4, 1), answer_working_days=20, answered_late=False),
            _row(comune_a, 4),  # still open
            _row(comune_a, 5, kind="compliment", rating=5),
            _row(comune_a, 6, kind="suggestion"),
            _row(comune_a, 7, received_on=dt.date(2024, 12, 31)),  # another year
        ])
    with acting_for(comune_b):  # another comune's complaints never count
        Complaint.objects.bulk_create([_row(comune_b, 1, answered_on=dt.date(2025, 3, 3), answer_working_days=1)])
    with acting_for(comune_a):
        figures = kpis(municipality=comune_a, year=2025)
        channels = breakdown(year=2025, by="channel")
    assert (figures.complaints, figures.suggestions, figures.compliments) == (4, 1, 1)
    assert figures.per_10000 == 2
    assert figures.acknowledged == 2 and figures.acknowledged_on_time_share == 50.0
    assert figures.answered == 3 and figures.answered_on_time_share == 66.7
    assert figures.median_days == 20 and figures.p90_days == pytest.approx(36.0)
    assert figures.founded_share == 50.0 and figures.reopened_share == 33.3
    assert figures.rated == 3 and figures.mean_rating == pytest.approx(3.67)
    assert channels == [("Modulo sul sito", 3), ("Telefono", 1)]
    client.force_login(officer_a)
    page = client.get(reverse("complaints:kpis"), {"anno": "2025"})
    assert page.status_code == 200 and "66,7%" in page.content.decode()
    assert client.get(reverse("complaints:kpis"), {"anno": "abc"}).status_code == 200
