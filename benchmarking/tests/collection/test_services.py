"""Saving figures, hard and soft rules, concurrency and the status machine."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from benchmarking.collection import services, validation
from benchmarking.collection.services import ConcurrentEdit, Entry
from benchmarking.models import DataValue, DataValueChange, IndicatorResult, Submission
from benchmarking.tests.factories import campaign_for
from qclub.models import Role
from qclub.tenancy import SCOPE_REVIEW, acting_for, cross_tenant
from tests.factories import (
    AreaCoordinatorFactory,
    MunicipalityFactory,
    ThematicAreaFactory,
    officer_of,
)

V = DataValue.State.VALUE


def entries(**figures):
    return {code: Entry(state=V, value=Decimal(str(value))) for code, value in figures.items()}


def fill(submission, user, **figures):
    return services.save_values(submission, entries(**figures), user)


def results(submission):
    return {r.indicator.code: r.value for r in IndicatorResult.objects.filter(submission=submission).select_related("indicator")}


def test_a_submission_starts_with_every_element_missing(comune_a, submission_a):
    with acting_for(comune_a):
        states = set(submission_a.values.values_list("state", flat=True))
        assert submission_a.values.count() == 3
    assert states == {DataValue.State.MISSING}
    assert submission_a.expected_count == 3 and submission_a.filled_count == 0


def test_saving_computes_indicators_and_keeps_history(comune_a, officer_a, submission_a):
    with acting_for(comune_a):
        outcome = fill(submission_a, officer_a, certificati=12000, certificati_online=3000, sportello_fte="4.5")
        submission = Submission.objects.get(pk=submission_a.pk)
        computed = results(submission)
        change = DataValueChange.objects.get(data_value__element__code="certificati")
    assert outcome.changed == ["certificati", "certificati_online", "sportello_fte"]
    assert submission.status == Submission.Status.DRAFT
    assert submission.filled_count == 3
    assert round(computed["certificati_per_fte"], 2) == Decimal("2666.67")
    assert computed["quota_online"] == 25
    assert (change.old_state, change.new_state, change.new_value) == ("missing", "value", 12000)
    assert change.user == officer_a


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("certificati", "-1", "negativo"),
        ("certificati", "10.5", "intero"),
        ("certificati_online", "20000", "Non può superare"),
    ],
)
def test_hard_rules_block_the_whole_save(comune_a, officer_a, submission_a, code, value, message):
    figures = {"certificati": 10000, "sportello_fte": 2, code: value}
    with acting_for(comune_a):
        with pytest.raises(ValidationError) as raised:
            fill(submission_a, officer_a, **figures)
        assert not DataValue.objects.filter(state=V).exists()
    assert message in " ".join(raised.value.message_dict[code])


def test_percentage_over_100_is_refused(area):
    element = services.DataElement(code="p", kind=services.Kind.PERCENTAGE)
    assert validation.hard_errors(element, V, Decimal("100")) == []
    assert validation.hard_errors(element, V, Decimal("100.5"))


def test_a_stale_change_is_refused_but_untouched_fields_do_not_conflict(comune_a, officer_a, submission_a):
    with acting_for(comune_a):
        seen = {row.element.code: row.version for row in submission_a.values.select_related("element")}
        first = {code: Entry(state=V, value=Decimal(1), seen_version=seen[code]) for code in ("certificati", "sportello_fte")}
        services.save_values(submission_a, first, officer_a)
        # A second person, who loaded the form before the first save, changes
        # certificati too: refused, nothing written.
        second = {
            "certificati": Entry(state=V, value=Decimal(99), seen_version=seen["certificati"]),
            "certificati_online": Entry(state=V, value=Decimal(1), seen_version=seen["certificati_online"]),
        }
        with pytest.raises(ConcurrentEdit) as raised:
            services.save_values(submission_a, second, officer_a)
        assert raised.value.codes == ["certificati"]
        assert DataValue.objects.get(element__code="certificati").value == 1
        assert DataValue.objects.get(element__code="certificati_online").state == "missing"
        # Sending the unchanged figure with a stale version is not a conflict.
        third = {
            "certificati": Entry(state=V, value=Decimal(1), seen_version=seen["certificati"]),
            "certificati_online": Entry(state=V, value=Decimal(1), seen_version=seen["certificati_online"]),
        }
        assert services.save_values(submission_a, third, officer_a).changed == ["certificati_online"]


def test_warnings_need_justification_before_submitting(comune_a, officer_a, manager_a, submission_a):
    with acting_for(comune_a):
        fill(submission_a, officer_a, certificati=5000, sportello_fte=2)  # certificati_online missing
        with pytest.raises(ValidationError, match="giustifica"):
            services.transition(submission_a, services.SUBMIT, manager_a)
        row = DataValue.objects.get(element__code="certificati_online")
        assert row.warnings == [{"code": "missing", "params": {}}]
        services.save_values(
            submission_a,
            {"certificati_online": Entry(state="missing", justification="Il gestionale non lo registra", seen_version=row.version)},
            officer_a,
        )
        submitted = services.transition(submission_a, services.SUBMIT, manager_a)
    assert submitted.status == Submission.Status.SUBMITTED


def test_change_from_previous_period_and_plausible_bounds_warn(area, elements, indicators, comune_a, officer_a):
    previous = campaign_for(area, indicators, year=2024)
    current = campaign_for(area, indicators, year=2025)
    with acting_for(comune_a):
        fill(services.start_submission(previous), officer_a, certificati=1000)
        submission = services.start_submission(current)
        fill(submission, officer_a, certificati=2_000_000)
        warnings = DataValue.objects.get(submission=submission, element__code="certificati").warnings
    assert [w["code"] for w in warnings] == ["change", "bounds"]
    assert "199900" in validation.warning_message(warnings[0]).replace(".", "").replace(",", "")


def test_outlier_against_approved_figures_of_other_comuni(area, campaign, comune_a, officer_a):
    coordinator = AreaCoordinatorFactory(area=area).user
    for _index, figure in enumerate([1000, 1100, 950, 1050]):
        comune = MunicipalityFactory()
        officer, manager = officer_of(comune), officer_of(comune, role=Role.MANAGER)
        with acting_for(comune):
            submission = services.start_submission(campaign)
            services.save_values(submission, {
                **entries(certificati=figure, certificati_online=10, sportello_fte=2)
            }, officer)
            services.transition(submission, services.SUBMIT, manager)
        with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=coordinator):
            services.transition(submission, services.APPROVE, coordinator)
    with acting_for(comune_a):
        mine = services.start_submission(campaign)
        fill(mine, officer_a, certificati=50000, certificati_online=10, sportello_fte=2)
        codes = {row.element.code: [w["code"] for w in row.warnings] for row in mine.values.select_related("element")}
    assert codes["certificati"] == ["outlier"]
    assert codes["sportello_fte"] == []  # all peers equal: MAD 0, no verdict


def test_status_machine_by_role(area, comune_a, officer_a, manager_a, coordinator, submission_a):
    other_coordinator = AreaCoordinatorFactory(area=ThematicAreaFactory()).user
    with acting_for(comune_a):
        fill(submission_a, officer_a, certificati=100, certificati_online=10, sportello_fte=1)
        with pytest.raises(PermissionDenied):
            services.transition(submission_a, services.SUBMIT, officer_a)
        with pytest.raises(PermissionDenied):
            services.transition(submission_a, services.APPROVE, manager_a)
        services.transition(submission_a, services.SUBMIT, manager_a)
        with pytest.raises(ValidationError, match="non si possono modificare"):
            fill(submission_a, officer_a, certificati=101)
        with pytest.raises(ValidationError):
            services.transition(submission_a, services.SUBMIT, manager_a)
    with pytest.raises(PermissionDenied):
        services.transition(submission_a, services.APPROVE, other_coordinator)
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=coordinator):
        with pytest.raises(ValidationError, match="motivo"):
            services.transition(submission_a, services.RETURN, coordinator)
        services.transition(submission_a, services.RETURN, coordinator, note="Controllare gli FTE")
    with acting_for(comune_a):
        fill(submission_a, officer_a, sportello_fte=2)
        services.transition(submission_a, services.SUBMIT, manager_a)
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=coordinator):
        services.transition(submission_a, services.APPROVE, coordinator)
        with pytest.raises(ValidationError):
            services.transition(submission_a, services.APPROVE, coordinator)
    with acting_for(comune_a):
        with pytest.raises(ValidationError, match="non si possono modificare"):
            fill(submission_a, officer_a, certificati=1)
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=coordinator):
        services.transition(submission_a, services.REOPEN, coordinator, note="Errore segnalato dal comune")
    with acting_for(comune_a):
        events = list(submission_a.events.order_by("at", "id").values_list("from_status", "to_status"))
        assert fill(submission_a, officer_a, certificati=150).changed == ["certificati"]
    assert events == [
        ("draft", "submitted"), ("submitted", "returned"), ("returned", "submitted"),
        ("submitted", "approved"), ("approved", "reopened"),
    ]


def test_an_officer_of_b_cannot_write_into_a(comune_a, comune_b, officer_b, submission_a):
    with acting_for(comune_b), pytest.raises(PermissionDenied):
        fill(submission_a, officer_b, certificati=1)
    with acting_for(comune_b):
        assert not Submission.objects.filter(pk=submission_a.pk).exists()
        with connection.cursor() as cursor:
            cursor.execute("UPDATE benchmarking_datavalue SET note = 'x' WHERE municipality_id = %s", [comune_a.pk])
            assert cursor.rowcount == 0


def test_the_database_keeps_a_coordinator_to_their_own_areas(comune_a, officer_a, manager_a, submission_a):
    outsider = AreaCoordinatorFactory(area=ThematicAreaFactory()).user
    with acting_for(comune_a):
        fill(submission_a, officer_a, certificati=100, certificati_online=10, sportello_fte=1)
        services.transition(submission_a, services.SUBMIT, manager_a)
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=outsider):
        assert not Submission.objects.filter(pk=submission_a.pk).exists()
        with connection.cursor() as cursor:
            cursor.execute("UPDATE benchmarking_submission SET status = 'approved' WHERE id = %s", [submission_a.pk])
            assert cursor.rowcount == 0


def test_a_big_city_is_compared_per_resident(area, campaign, comune_a, officer_a):
    """Ten times the residents, ten times the certificates: not an outlier."""
    coordinator = AreaCoordinatorFactory(area=area).user
    for figure in [1000, 1100, 950, 1050]:
        comune = MunicipalityFactory(population=50_000)
        officer, manager = officer_of(comune), officer_of(comune, role=Role.MANAGER)
        with acting_for(comune):
            submission = services.start_submission(campaign)
            services.save_values(submission, entries(certificati=figure, certificati_online=10, sportello_fte=2), officer)
            services.transition(submission, services.SUBMIT, manager)
        with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=coordinator):
            services.transition(submission, services.APPROVE, coordinator)
    city = MunicipalityFactory(population=500_000)
    with acting_for(city):
        mine = services.start_submission(campaign)
        services.save_values(mine, entries(certificati=10_200, certificati_online=10, sportello_fte=2), officer_of(city))
        assert DataValue.objects.get(submission=mine, element__code="certificati").warnings == []


def test_an_unchanged_stored_amount_is_not_refused():
    element = services.DataElement(code="spesa", kind=services.Kind.AMOUNT)
    assert validation.hard_errors(element, V, Decimal("1234.5600")) == []
    assert validation.hard_errors(element, V, Decimal("1234.567"))
