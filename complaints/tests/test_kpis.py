"""KPI figures per comune and year: computed in SQL from the comune's own
complaints, the page with its trend, the yearly report on the public page,
the nightly job and the API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from complaints.kpis import selectors, services
from complaints.kpis.figures import kpis_of
from complaints.kpis.jobs import nightly
from complaints.models import Category, Complaint, ComplaintFigure, ComplaintReport
from qclub.tenancy import acting_for, cross_tenant

pytestmark = pytest.mark.django_db
K = Complaint.Kind
YEAR = dt.date.today().year
LAST = YEAR - 1


def _d(month, day, year=LAST):
    return dt.date(year, month, day)


@pytest.fixture
def waiting(db):
    return Category.objects.get(code="tempi")


@pytest.fixture
def figures(comune_a, make_complaint, waiting, service):
    """Comune A (50,000 inhabitants), last year: 6 complaints, 1 suggestion, 2 compliments, 1 duplicate."""
    base = {"received_on": _d(3, 2)}
    on_time = {**base, "acknowledged_on": _d(3, 3), "acknowledged_late": False, "answered_on": _d(3, 20),
               "answered_late": False, "status": Complaint.Status.CLOSED}
    make_complaint(category=waiting, service=service, **on_time, answer_working_days=5, founded=True, rating=4)
    make_complaint(category=waiting, service=service, **on_time, answer_working_days=10, founded=False, rating=2)
    make_complaint(category=waiting, **on_time, answer_working_days=15, reopen_count=1, rating=3)
    make_complaint(**{**on_time, "answered_late": True, "acknowledged_late": True}, answer_working_days=40,
                   founded=True)
    # Never acknowledged nor answered, past both due dates: counts against both shares.
    make_complaint(**base, acknowledge_due=_d(3, 9), answer_due=_d(4, 15), status=Complaint.Status.RECEIVED)
    # Open, not yet due: measured for neither.
    make_complaint(received_on=_d(12, 30), acknowledge_due=dt.date.today() + dt.timedelta(days=3),
                   answer_due=dt.date.today() + dt.timedelta(days=30), status=Complaint.Status.RECEIVED,
                   channel=Complaint.Channel.EMAIL)
    make_complaint(kind=K.SUGGESTION, **base)
    make_complaint(kind=K.COMPLIMENT, **base)
    original = make_complaint(kind=K.COMPLIMENT, **base)
    make_complaint(**base, duplicate_of=original)
    with acting_for(comune_a):
        services.refresh_figures(municipality=comune_a, years=[LAST])
        return {(f.dimension, f.key): f for f in ComplaintFigure.objects.filter(year=LAST)}


def test_totals_shares_and_working_day_percentiles(figures):
    total = kpis_of(figures[("total", "")])
    assert (total.received, total.complaints, total.suggestions, total.compliments) == (9, 6, 1, 2)
    assert total.per_10000 == Decimal("1.20")                      # 6 / 50,000 × 10,000
    assert total.acknowledged_on_time == Decimal("60.0")           # 3 of 5 measured (4 acknowledged + 1 overdue)
    assert total.answered_on_time == Decimal("60.0")               # 3 of 5 measured
    assert total.median_days == Decimal("12.5")                    # 5, 10, 15, 40
    assert total.p90_days == Decimal("32.5")                       # percentile_cont(0.9)
    assert total.founded == Decimal("66.7")                        # 2 of 3 classified
    assert total.reopened == Decimal("16.7")                       # a reopened complaint counts: 1 of 6
    assert total.satisfaction == Decimal("3.0") and total.rated == 3


def test_breakdowns_by_category_service_and_channel(figures, service):
    assert figures[("category", "tempi")].complaints == 3
    assert figures[("category", "")].complaints == 3               # without a category
    assert figures[("service", service.code)].complaints == 2
    assert figures[("channel", "counter")].complaints == 5
    assert figures[("channel", "email")].complaints == 1
    assert figures[("category", "tempi")].median_days == Decimal("10.0")


def test_refresh_reads_only_the_comunes_own_complaints(comune_a, comune_b, officer_b, make_complaint):
    make_complaint(received_on=_d(5, 5))
    for _ in range(3):
        make_complaint(municipality=comune_b, user=officer_b, received_on=_d(5, 5))
    with acting_for(comune_a):
        services.refresh_figures(municipality=comune_a, years=[LAST])
        assert ComplaintFigure.objects.get(dimension="total").complaints == 1
        # Asking for another comune while acting for A reads none of B's complaints (RLS).
        assert services.refresh_figures(municipality=comune_b, years=[LAST]) == 0
    with acting_for(comune_b):
        assert not ComplaintFigure.objects.exists()


def test_refresh_replaces_the_years_figures(comune_a, make_complaint):
    make_complaint(received_on=_d(5, 5))
    with acting_for(comune_a):
        services.refresh_figures(municipality=comune_a, years=[LAST])
        make_complaint(received_on=_d(6, 5))
        services.refresh_figures(municipality=comune_a, years=[LAST])
        assert ComplaintFigure.objects.get(dimension="total").complaints == 2


@pytest.mark.parametrize("years", [[1999], [YEAR + 1], list(range(YEAR - 10, YEAR + 1))])
def test_refresh_years_are_bounded(comune_a, years):
    with acting_for(comune_a), pytest.raises(ValidationError):
        services.refresh_figures(municipality=comune_a, years=years)


def test_refresh_by_someone_of_another_comune_is_refused(comune_a, officer_b):
    with acting_for(comune_a), pytest.raises(PermissionDenied):
        services.refresh_figures(municipality=comune_a, years=[YEAR], user=officer_b)


def test_kpi_page_shows_trend_and_breakdown(client, officer_a, figures):
    client.force_login(officer_a)
    response = client.get(reverse("complaints:kpis"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and "<table" in body and "Tempi di attesa e ritardi" in body
    assert "12,5" in body  # median, Italian decimal comma
    assert "Mario Rossi" not in body and "sportello anagrafe" not in body
    assert client.get(reverse("complaints:kpis") + "?anno=abc").status_code == 200


def test_kpi_page_refresh_button(client, officer_a, comune_a, make_complaint):
    make_complaint()
    client.force_login(officer_a)
    response = client.post(reverse("complaints:kpis_refresh"), {"anni": "anno"})
    assert response.status_code == 302
    with acting_for(comune_a):
        assert ComplaintFigure.objects.filter(dimension="total", year=YEAR).exists()
    assert client.get(reverse("complaints:kpis_refresh")).status_code == 405


def test_kpi_page_needs_the_complaints_permission(client, comune_a):
    from tests.factories import UserFactory

    client.force_login(UserFactory())  # signed in, no role in any comune
    assert client.get(reverse("complaints:kpis")).status_code == 403
    assert client.post(reverse("complaints:kpis_publish"), {"anno": LAST}).status_code == 403


def _public_reports(municipality):
    with acting_for(None):
        return selectors.published_reports(municipality)


def test_yearly_report_published_only_when_the_comune_publishes_it(client, comune_a, officer_a, figures):
    assert _public_reports(comune_a) == []
    assert "Relazione annuale sui reclami" not in client.get(f"/comuni/{comune_a.slug}/").content.decode()
    client.force_login(officer_a)
    assert client.post(reverse("complaints:kpis_publish"), {"anno": LAST, "cosa": "pubblica"}).status_code == 302
    (report,) = _public_reports(comune_a)
    assert report.year == LAST and report.figures["total"]["complaints"] == 6
    assert "what_happened" not in str(report.figures) and "Mario" not in str(report.figures)
    client.logout()
    body = client.get(f"/comuni/{comune_a.slug}/").content.decode()
    assert "Relazione annuale sui reclami" in body and "Tempi di attesa e ritardi" in body and "66,7" in body
    client.force_login(officer_a)
    client.post(reverse("complaints:kpis_publish"), {"anno": LAST, "cosa": "ritira"})
    assert _public_reports(comune_a) == []


def test_public_scope_sees_no_unpublished_report(comune_a, officer_a, figures):
    with acting_for(comune_a):
        services.publish_report(municipality=comune_a, year=LAST, user=officer_a)
        ComplaintReport.objects.create(year=LAST - 1, figures={"total": {}})  # never published
    with acting_for(None), cross_tenant(scope="public", reason="test"), connection.cursor() as cursor:
        cursor.execute("SELECT year FROM complaints_complaintreport")
        assert cursor.fetchall() == [(LAST,)]
        cursor.execute("SELECT count(*) FROM complaints_complaintfigure")
        assert cursor.fetchall() == [(0,)]
        cursor.execute("SELECT count(*) FROM complaints_complaint")
        assert cursor.fetchall() == [(0,)]


def test_publishing_a_year_without_complaints_is_refused(comune_a, officer_a):
    with acting_for(comune_a), pytest.raises(ValidationError):
        services.publish_report(municipality=comune_a, year=LAST, user=officer_a)


def test_publish_rejects_a_bad_year(client, officer_a):
    client.force_login(officer_a)
    assert client.post(reverse("complaints:kpis_publish"), {"anno": "x"}).status_code == 400


def test_api_reads_and_refreshes_kpis(client, officer_a, comune_a, figures):
    client.force_login(officer_a)
    data = client.get("/api/v1/reclami/indicatori/").json()
    assert [y["year"] for y in data["years"]] == [LAST]
    assert data["years"][0]["median_days"] == "12.5"
    assert {r["key"] for r in data["by_category"]} == {"tempi", ""}
    assert client.get("/api/v1/reclami/indicatori/?year=x").status_code == 400
    response = client.post("/api/v1/reclami/indicatori/", {"years": [1990]}, content_type="application/json")
    assert response.status_code == 400
    response = client.post("/api/v1/reclami/indicatori/", {"years": [YEAR]}, content_type="application/json")
    assert response.status_code == 200


def test_api_kpis_need_the_complaints_permission(client, comune_a):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/api/v1/reclami/indicatori/").status_code in (403, 404)


def test_nightly_job_refreshes_every_member_comune(run_jobs, comune_a, comune_b, officer_b, make_complaint):
    make_complaint(received_on=_d(5, 5))
    make_complaint(municipality=comune_b, user=officer_b, received_on=_d(5, 5))
    nightly.defer(timestamp=int(dt.datetime(YEAR, 6, 1, 2, 40, tzinfo=dt.UTC).timestamp()))
    run_jobs()
    run_jobs()
    for comune in (comune_a, comune_b):
        with acting_for(comune):
            assert ComplaintFigure.objects.get(dimension="total", year=LAST).complaints == 1
    connection.close()


def test_openapi_schema_lists_the_kpi_comparison_and_plan_endpoints(client, officer_a):
    client.force_login(officer_a)
    paths = client.get(reverse("api-schema"), {"format": "json"}).json()["paths"]
    for path in ("/api/v1/reclami/indicatori/", "/api/v1/reclami/confronto/", "/api/v1/reclami/piano/",
                 "/api/v1/reclami/piano/{public_id}/"):
        assert path in paths, path


def test_the_overdue_list_has_its_partial_index(comune_a):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'complaint_open_due'")
        (definition,) = cursor.fetchone()
    assert "(municipality_id, due, id) INCLUDE (status)" in definition
    assert "WHERE" in definition and "received" in definition and "closed" not in definition
