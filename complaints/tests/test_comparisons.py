"""Complaint handling compared across comuni: the club reads the aggregate
rows (ComplaintFigure) and never a complaint; no rank below the minimum."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from complaints.comparisons import selectors
from complaints.kpis import services
from complaints.models import (
    Category,
    ComplaintFigure,
    ComplaintReport,
    ImprovementAction,
    ImprovementLink,
)
from qclub.models import Municipality
from qclub.tenancy import acting_for, cross_tenant
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db
LAST = dt.date.today().year - 1


def _figure(municipality, *, complaints, on_time, key="", dimension="total", median="10.0"):
    with acting_for(municipality):
        return ComplaintFigure.objects.create(
            municipality=municipality, year=LAST, dimension=dimension, key=key, received=complaints,
            complaints=complaints, answer_measured=complaints, answer_on_time=on_time, median_days=median,
            population=municipality.population, computed_at=dt.datetime.now(dt.UTC),
        )


@pytest.fixture
def club(comune_a, comune_b, settings):
    settings.COMPLAINTS_MIN_FOR_RANK = 10
    small = MunicipalityFactory(name="Ala", slug="ala", istat_code="022001")
    gone = MunicipalityFactory(name="Uscito", slug="uscito", istat_code="022002", status=Municipality.Status.FORMER)
    _figure(comune_a, complaints=20, on_time=10)           # 50 %
    _figure(comune_b, complaints=40, on_time=36)           # 90 %
    _figure(small, complaints=3, on_time=3)                # 100 % but too few: no rank
    _figure(gone, complaints=50, on_time=50)               # not a member any more: not shown
    _figure(comune_b, complaints=12, on_time=6, dimension="category", key="tempi")
    return small


def test_members_side_by_side_ranked_only_above_the_minimum(club, comune_a, officer_a):
    with acting_for(comune_a):
        comparison = selectors.compare(year=LAST, category=None, user=officer_a, municipality=comune_a)
    assert [(r.name, r.rank, r.too_few) for r in comparison.rows] == [
        ("Bergamo", 1, False), ("Trento", 2, False), ("Ala", None, True),
    ]
    assert comparison.own.name == "Trento" and comparison.ranked == 2
    assert str(comparison.rows[0].kpis.answered_on_time) == "90.0"


def test_one_category(club, comune_a, officer_a):
    with acting_for(comune_a):
        comparison = selectors.compare(year=LAST, category=Category.objects.get(code="tempi"), user=officer_a,
                                       municipality=comune_a)
    assert [(r.name, r.kpis.complaints, r.rank) for r in comparison.rows] == [("Bergamo", 12, 1)]
    assert comparison.own is None


def test_club_scope_reads_the_aggregates_and_never_a_complaint(comune_a, comune_b, officer_a, officer_b,
                                                               register):
    register()
    register(municipality=comune_b, user=officer_b)
    for comune in (comune_a, comune_b):
        with acting_for(comune):
            services.refresh_figures(municipality=comune, years=[dt.date.today().year])
    with acting_for(comune_a), cross_tenant(scope="club", reason="test", acting_user=officer_a), \
            connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT municipality_id FROM complaints_complaintfigure")
        assert {r[0] for r in cursor.fetchall()} == {comune_a.pk, comune_b.pk}
        for table in ("complaints_complaint", "complaints_complaintevent", "complaints_improvementaction",
                      "complaints_improvementlink", "complaints_complaintreport"):
            cursor.execute(f"SELECT count(*) FROM {table} WHERE municipality_id = %s", [comune_b.pk])
            assert cursor.fetchall() == [(0,)], table
    # With no scope, a comune sees only its own figures.
    with acting_for(comune_a), connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT municipality_id FROM complaints_complaintfigure")
        assert cursor.fetchall() == [(comune_a.pk,)]


def test_declared_policies():
    def policies(model):
        with connection.cursor() as cursor:
            cursor.execute("SELECT policyname FROM pg_policies WHERE tablename = %s", [model._meta.db_table])
            return {r[0] for r in cursor.fetchall()}

    assert policies(ComplaintFigure) == {"tenant_isolation", "scope_club"}
    assert policies(ComplaintReport) == {"tenant_isolation", "scope_public"}
    assert policies(ImprovementAction) == policies(ImprovementLink) == {"tenant_isolation"}


def test_members_page_shows_counts_and_rates_only(client, club, officer_a, register):
    register()  # a complaint with text and a name: never on the page
    client.force_login(officer_a)
    body = client.get(reverse("complaints:compare") + f"?anno={LAST}").content.decode()
    assert "Bergamo" in body and "Ala" in body and "pochi reclami" in body and "Uscito" not in body
    assert "90,0 %" in body
    assert "Mario Rossi" not in body and "sportello anagrafe" not in body
    assert client.get(reverse("complaints:compare") + "?anno=1800").status_code == 404
    assert client.get(reverse("complaints:compare") + "?anno=abc").status_code == 404
    assert client.get(reverse("complaints:compare") + f"?anno={LAST}&categoria=nope").status_code == 404
    members = client.get("/area-riservata/").content.decode()
    assert reverse("complaints:compare") in members


def test_members_page_needs_the_members_area(client, club):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("complaints:compare")).status_code == 403


def test_api_comparison(client, club, officer_a):
    client.force_login(officer_a)
    data = client.get(f"/api/v1/reclami/confronto/?year={LAST}").json()
    assert data["count"] == 3 and data["min_for_rank"] == 10
    assert [(r["comune"], r["rank"]) for r in data["results"]] == [("Bergamo", 1), ("Trento", 2), ("Ala", None)]
    assert set(data["results"][0]) == {"comune", "rank", "too_few", "own", "kpis"}
    assert client.get("/api/v1/reclami/confronto/?year=1800").status_code == 400
    assert client.get(f"/api/v1/reclami/confronto/?year={LAST}&category=nope").status_code == 400
    assert client.get(f"/api/v1/reclami/confronto/?year={LAST}&limit=0").status_code == 400


def test_one_page_leaves_the_database_with_the_viewers_own_row(client, club, officer_a):
    client.force_login(officer_a)
    first = client.get(f"/api/v1/reclami/confronto/?year={LAST}&limit=1").json()
    assert [r["comune"] for r in first["results"]] == ["Bergamo"]
    assert first["count"] == 3 and first["ranked"] == 2
    assert first["own"]["comune"] == "Trento" and first["own"]["rank"] == 2
    last = client.get(f"/api/v1/reclami/confronto/?year={LAST}&limit=1&offset=2").json()
    assert [r["comune"] for r in last["results"]] == ["Ala"]
    page = client.get(reverse("complaints:compare") + f"?anno={LAST}&pagina=99")
    assert page.status_code == 200 and "Bergamo" in page.content.decode()
