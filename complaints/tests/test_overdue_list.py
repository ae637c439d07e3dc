"""The overdue list at scale (issue #11): one partial index on the open
complaints, the dashboard's counts read from open complaints only, and a page
read keys first. These tests prove the answers did not change."""

import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints import policy
from complaints.handling import selectors, views
from complaints.models import Complaint
from qclub.tenancy import acting_for

TODAY = dt.date.today()


@pytest.fixture
def mixed(comune_a, comune_b, officer_b, register):
    """Complaints of comune A in every state (and one of comune B, overdue)."""
    made = {}
    for days in (90, 80, 70, 60, 50, 40, 30):  # overdue: received, acknowledged by the update below
        made[f"old{days}"] = register(received_on=TODAY - dt.timedelta(days=days)).complaint
    made["fresh"] = register(received_on=TODAY).complaint
    made["closed"] = register(received_on=TODAY - dt.timedelta(days=100)).complaint
    made["answered"] = register(received_on=TODAY - dt.timedelta(days=100)).complaint
    made["suspended"] = register(received_on=TODAY - dt.timedelta(days=100)).complaint
    made["elsewhere"] = register(municipality=comune_b, user=officer_b,
                                 received_on=TODAY - dt.timedelta(days=100)).complaint
    with acting_for(comune_a):
        Complaint.objects.filter(pk__in=[made["old90"].pk, made["old60"].pk]).update(status="acknowledged")
        Complaint.objects.filter(pk=made["old50"].pk).update(status="reopened")
        Complaint.objects.filter(pk=made["closed"].pk).update(status="closed")
        Complaint.objects.filter(pk=made["answered"].pk).update(status="answered")
        Complaint.objects.filter(pk=made["suspended"].pk).update(status="in_progress", suspended=True)
    return made


def _expected_counts(on):
    """The dashboard's counts by the rules, in Python, over every complaint of the comune."""
    rows = list(Complaint.objects.all())
    open_rows = [c for c in rows if c.status in Complaint.OPEN_STATUSES]
    overdue = [c for c in open_rows if not c.suspended and (
        (c.status == "received" and min(c.acknowledge_due, c.answer_due) < on)
        or (c.status != "received" and c.answer_due < on))]
    return {"overdue": len(overdue), "to_acknowledge": sum(c.status == "received" for c in open_rows),
            "open": len(open_rows)}


def test_work_counts_are_the_rules_counts(comune_a, mixed):
    with acting_for(comune_a):
        expected = _expected_counts(TODAY)
        assert selectors.work_counts(on=TODAY) == expected
        # closed, answered and suspended ones are not overdue; comune B's is not counted
        assert expected == {"overdue": 7, "to_acknowledge": 5, "open": 9}


def test_overdue_list_is_every_overdue_open_complaint_in_due_order(comune_a, mixed):
    with acting_for(comune_a):
        listed = list(selectors.complaint_list(selectors.Filters(overdue=True), on=TODAY))
        due = dict(Complaint.objects.values_list("pk", "due"))
    assert [c.pk for c in listed] == sorted((c.pk for c in listed), key=lambda pk: (due[pk], pk))
    assert {c.pk for c in listed} == {mixed[f"old{d}"].pk for d in (90, 80, 70, 60, 50, 40, 30)}
    assert all(c.is_overdue for c in listed)


def test_a_deep_page_shows_the_rows_of_the_plain_paginator(client, comune_a, officer_a, mixed, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(officer_a)
    with acting_for(comune_a):
        plain = Paginator(selectors.complaint_list(selectors.Filters(overdue=True)), 2)
        expected = {n: [c.reference for c in plain.page(n)] for n in plain.page_range}
    assert len(expected) == 4 and len(expected[4]) == 1
    for number, references in expected.items():
        page = client.get(reverse("complaints:overdue"), {"pagina": number})
        assert page.status_code == 200
        shown = [c.reference for c in page.context["page"].object_list]
        assert shown == references, number
        html = page.content.decode()
        assert all(reference in html for reference in references)
        assert "in ritardo" in html  # the is_overdue annotation survives the second read


def test_keys_first_paginator_matches_django_s(comune_a, mixed):
    with acting_for(comune_a):
        rows = selectors.complaint_list(selectors.Filters())
        for per_page, orphans in ((3, 0), (4, 1), (20, 0)):
            plain, keys_first = Paginator(rows, per_page, orphans=orphans), \
                selectors.KeysFirstPaginator(rows, per_page, orphans=orphans)
            assert keys_first.num_pages == plain.num_pages
            for number in plain.page_range:
                assert [c.pk for c in keys_first.page(number)] == [c.pk for c in plain.page(number)]
                assert keys_first.page(number).start_index() == plain.page(number).start_index()
    assert list(selectors.KeysFirstPaginator([1, 2, 3, 4, 5], 2).page(3)) == [5]  # not a queryset: sliced


def test_the_overdue_list_reads_its_partial_index(comune_a, mixed):
    """`policy.overdue_q` names the open statuses so that PostgreSQL may use the
    partial index (it cannot know that `due` is NULL for a closed complaint)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'complaints_complaint' "
                       "AND indexdef LIKE '%%(municipality_id, due%%'")
        definitions = [row[0] for row in cursor.fetchall()]
    assert len(definitions) == 1 and "complaint_open_due" in definitions[0]
    assert "(municipality_id, due, id) INCLUDE (status) WHERE" in definitions[0]
    with transaction.atomic(), acting_for(comune_a):
        with connection.cursor() as cursor:
            # A handful of rows: left alone the planner may take any path. Without
            # sorts and table scans, the ordered range is only possible on the partial
            # index, and only if the query implies its condition.
            for setting in ("enable_seqscan", "enable_sort", "enable_bitmapscan"):
                cursor.execute(f"SET LOCAL {setting} = off")
        for rows in (selectors.complaint_list(selectors.Filters(overdue=True))[:25],
                     Complaint.objects.filter(policy.overdue_q(TODAY)).order_by("due", "id")):
            plan = rows.explain()
            assert "complaint_open_due" in plan, plan


def test_the_overdue_page_counts_its_rows_once(client, comune_a, officer_a, mixed):
    client.force_login(officer_a)
    with CaptureQueriesContext(connection) as seen:
        page = client.get(reverse("complaints:overdue"))
    assert page.context["page"].paginator.count == 7 == page.context["counts"]["overdue"]
    counts = [q["sql"] for q in seen.captured_queries if "COUNT" in q["sql"] and "complaints_complaint" in q["sql"]]
    assert len(counts) == 1, counts  # the dashboard's counts; the list's count is the same number
    filtered = client.get(reverse("complaints:overdue"), {"tipo": "suggestion"})
    assert filtered.context["page"].paginator.count == 0  # with another filter, the list counts its own
