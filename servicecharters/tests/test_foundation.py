"""The charter's life (draft → in approval → approved → published →
superseded), the one rule for met / not met, the monitoring of a year, the
sanitised text, and row-level security on every charter table."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from qclub.tenancy import acting_for, cross_tenant
from servicecharters.charters import services
from servicecharters.models import CharterEvent, CharterStandard, CharterVersion, StandardResult
from servicecharters.monitoring import rules
from servicecharters.monitoring import services as monitoring
from servicecharters.text import render

pytestmark = pytest.mark.django_db
S = CharterVersion.Status
LAST = dt.date.today().year - 1


def test_a_version_goes_from_draft_to_published_with_every_step_recorded(published, comune_a):
    assert published.status == S.PUBLISHED
    with acting_for(comune_a):
        kinds = list(CharterEvent.objects.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["created", "edited", "edited", "submitted", "approved", "published"]


def test_an_officer_cannot_approve(draft, comune_a, officer_a):
    with acting_for(comune_a):
        services.submit(version=draft, acting_user=officer_a)
        with pytest.raises(ValidationError, match="Solo il responsabile"):
            services.approve(version=draft, acting_user=officer_a)
        draft.refresh_from_db()
    assert draft.status == S.IN_APPROVAL


def test_an_incomplete_draft_is_not_sent_for_approval(comune_a, service, officer_a):
    with acting_for(comune_a):
        version = services.create_charter(municipality=comune_a, service=service, acting_user=officer_a)
        with pytest.raises(ValidationError, match="almeno uno standard"):
            services.submit(version=version, acting_user=officer_a)


def test_a_stale_edit_is_refused_and_changes_nothing(draft, comune_a, officer_a):
    with acting_for(comune_a):
        services.update_draft(version=draft, lock_version=draft.lock_version, acting_user=officer_a, costs="Gratuito.")
        with pytest.raises(services.StaleCharter):
            services.update_draft(version=draft, lock_version=draft.lock_version, acting_user=officer_a, costs="5 euro.")
        draft.refresh_from_db()
    assert draft.costs == "Gratuito."


def test_publishing_a_new_version_supersedes_the_old_one_which_stays_readable(published, comune_a, officer_a, manager_a):
    with acting_for(comune_a):
        second = services.start_new_version(charter=published.charter, acting_user=officer_a)
        assert second.number == 2
        old, new = (list(v.standards.values_list("lineage", flat=True)) for v in (published, second))
        assert old == new  # monitoring reads one line across versions
        services.submit(version=second, acting_user=officer_a)
        services.approve(version=second, acting_user=manager_a)
        services.publish(version=second, acting_user=manager_a)
        published.refresh_from_db()
    assert published.status == S.SUPERSEDED
    with acting_for(None), cross_tenant(scope="public", reason="test"):
        assert set(CharterVersion.objects.values_list("number", "status")) == {(1, S.SUPERSEDED), (2, S.PUBLISHED)}


def test_only_one_version_is_open_at_a_time(published, comune_a, officer_a):
    with acting_for(comune_a):
        services.start_new_version(charter=published.charter, acting_user=officer_a)
        with pytest.raises(ValidationError, match="già una versione in lavorazione"):
            services.start_new_version(charter=published.charter, acting_user=officer_a)


@pytest.mark.parametrize(
    ("comparator", "kind", "target", "compliance", "actual", "met"),
    [
        ("at_most", "general", "15", None, "15", True),
        ("at_most", "general", "15", None, "15.0001", False),
        ("at_least", "general", "80", None, "80", True),
        ("at_least", "general", "80", None, "79.99", False),
        ("at_most", "specific", "20", "95", "95", True),
        ("at_most", "specific", "20", "95", "94.99", False),
        ("at_most", "specific", "20", None, "99.9", False),  # no share stated: every case
        ("yes_no", "general", None, None, "1", True),
        ("yes_no", "general", None, None, "0", False),
        ("at_most", "general", "15", None, None, None),
    ],
)
def test_met_at_the_boundary(comparator, kind, target, compliance, actual, met):
    terms = CharterStandard(
        comparator=comparator, kind=kind, target_value=target and Decimal(target),
        compliance_pct=compliance and Decimal(compliance),
    )
    assert rules.is_met(terms, actual and Decimal(actual)) is met


def test_missed_two_years_running():
    assert rules.missed_two_years_running({2024: False, 2025: False}, 2025)
    assert not rules.missed_two_years_running({2024: True, 2025: False}, 2025)
    assert not rules.missed_two_years_running({2024: None, 2025: False}, 2025)


def test_an_entered_value_needs_its_evidence_and_is_judged(published, comune_a, officer_a):
    with acting_for(comune_a):
        report = monitoring.compute_year(charter=published.charter, year=LAST, acting_user=officer_a)
        result = StandardResult.objects.get(report=report)
        assert result.met is None and result.origin == "entered"
        with pytest.raises(ValidationError, match="da dove viene"):
            monitoring.enter_result(result=result, actual_value=Decimal("12"), evidence=" ",
                                    lock_version=result.lock_version, acting_user=officer_a)
        result = monitoring.enter_result(result=result, actual_value=Decimal("16"), evidence="Registro code",
                                         lock_version=result.lock_version, acting_user=officer_a)
    assert result.met is False


def test_a_year_before_the_charter_was_in_force_has_nothing_to_monitor(published, comune_a, officer_a):
    with acting_for(comune_a), pytest.raises(ValidationError, match="non era ancora pubblicata"):
        monitoring.compute_year(charter=published.charter, year=LAST - 5, acting_user=officer_a)


def test_a_published_report_is_final(published, comune_a, officer_a, manager_a):
    with acting_for(comune_a):
        report = monitoring.compute_year(charter=published.charter, year=LAST, acting_user=officer_a)
        monitoring.publish_report(report=report, acting_user=manager_a)
        with pytest.raises(ValidationError, match="già pubblicato"):
            monitoring.compute_year(charter=published.charter, year=LAST, acting_user=officer_a)


def test_markdown_is_rendered_and_cleaned():
    html = render("## Orari\n\n<script>alert(1)</script> [a](javascript:alert(1)) [b](https://x.it) <b onclick=x>")
    assert "<h4>Orari</h4>" in html
    assert "<script" not in html and "javascript:" not in html.replace("[a](javascript:alert(1))", "")
    assert 'href="https://x.it"' in html and "onclick" not in html.replace("&lt;b onclick=x&gt;", "")


def test_a_draft_is_hidden_from_other_comuni_and_citizens(draft, comune_a, comune_b):
    """Row-level security, read with raw SQL: a draft charter, its version and
    its standards are invisible to the club and public scopes."""
    for scope in ("club", "public"):
        with acting_for(comune_b), cross_tenant(scope=scope, reason="test"), connection.cursor() as cursor:
            for table in ("servicecharter", "charterversion", "charterstandard", "charterevent"):
                cursor.execute(f"SELECT count(*) FROM servicecharters_{table}")
                assert cursor.fetchone()[0] == 0, (scope, table)


def test_a_published_charter_is_public_but_its_history_and_unpublished_monitoring_are_not(
    published, comune_a, comune_b, officer_a
):
    with acting_for(comune_a):
        monitoring.compute_year(charter=published.charter, year=LAST, acting_user=officer_a)
    with acting_for(None), cross_tenant(scope="public", reason="test"), connection.cursor() as cursor:
        counts = {}
        for table in ("servicecharter", "charterversion", "charterstandard", "charterevent",
                      "monitoringreport", "standardresult"):
            cursor.execute(f"SELECT count(*) FROM servicecharters_{table}")
            counts[table] = cursor.fetchone()[0]
    assert counts == {"servicecharter": 1, "charterversion": 1, "charterstandard": 1, "charterevent": 0,
                      "monitoringreport": 0, "standardresult": 0}


def test_another_comune_cannot_write_a_charter(draft, comune_b):
    with acting_for(comune_b), connection.cursor() as cursor:
        cursor.execute("UPDATE servicecharters_charterversion SET title = 'x'")
        assert cursor.rowcount == 0


def test_a_charter_published_ahead_of_its_date_does_not_bind_complaint_deadlines_yet(comune_a, service, officer_a, manager_a):
    from qclub import modules

    with acting_for(comune_a):
        version = services.create_charter(municipality=comune_a, service=service, acting_user=officer_a)
        services.update_draft(version=version, lock_version=version.lock_version, acting_user=officer_a,
                              presentation="Servizio.", complaints="Modulo online.")
        services.save_standard(
            version=version, acting_user=officer_a, dimension="timeliness", kind="specific",
            title="Risposta ai reclami", comparator="at_most", target_value=Decimal("20"), unit="giorni lavorativi",
            compliance_pct=Decimal("95"), figure_ref="",
        )
        # Linked after the checks (no complaints figure module is needed for the binding itself).
        CharterStandard.objects.filter(version=version).update(figure_ref=f"complaints/kpi:answer_on_time:{service.code}")
        services.submit(version=version, acting_user=officer_a)
        services.approve(version=version, acting_user=manager_a)
        services.publish(version=version, valid_from=dt.date.today() + dt.timedelta(days=10), acting_user=manager_a)
        key = f"kpi:answer_on_time:{service.code}"
        assert modules.commitment(comune_a, service, module="complaints", key=key) is None
        CharterVersion.objects.filter(pk=version.pk).update(valid_from=dt.date.today())
        assert modules.commitment(comune_a, service, module="complaints", key=key).value == Decimal("20")
