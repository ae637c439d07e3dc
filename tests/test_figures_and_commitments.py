"""Figures and commitments across modules, through the core's contract
(qclub/modules.py): a figure of each module named by its ref and valued
through `qclub.modules.figure_values` (approved / published / stored figures
only), and a service charter's deadline standard binding the complaints of
its service once published — whichever way a complaint comes in."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarking.collection import services as collection
from benchmarking.collection.services import Entry
from benchmarking.tests.factories import (
    approve,
    campaign_for,
    registry_office_area,
    registry_office_elements,
    registry_office_indicators,
)
from complaints.deadlines import add_working_days
from complaints.intake.services import register_complaint
from complaints.models import Complaint, ComplaintFigure, ComplaintSettings
from qclub import modules
from qclub.models import Role
from qclub.modules import Commitment
from qclub.tenancy import SCOPE_PUBLIC, acting_for, cross_tenant
from servicecharters.charters import services as charters
from servicecharters.models import CharterVersion
from surveys.tests.factories import questionnaire_with_every_kind
from surveys.tests.results_factories import survey_with_results
from tests.factories import AreaCoordinatorFactory, officer_of, solved_proof_of_work

pytestmark = pytest.mark.django_db


def _values(ref, viewer, years):
    with acting_for(viewer):
        found = modules.figure_values(ref, years=years, reason="test")
    return {(v.municipality_id, v.year): v.value for v in found}


# --- Figures, end to end through the core --------------------------------------


def test_benchmarking_figure_valued_from_approved_results_only(comune_a, comune_b, service):
    area = registry_office_area()
    registry_office_elements(area)
    indicators = registry_office_indicators(area)
    indicators[0].service = service
    indicators[0].save()
    campaign = campaign_for(area, indicators, year=2025)
    coordinator = AreaCoordinatorFactory(area=area).user
    approve(campaign, comune_a, coordinator, certificati=120, certificati_online=0, sportello_fte=1)
    # B's figures are saved and submitted, never approved: no comune reads them as a figure.
    with acting_for(comune_b):
        submission = collection.start_submission(campaign)
        entries = {"certificati": Entry(state="value", value=Decimal(999)),
                   "certificati_online": Entry(state="value", value=Decimal(0)),
                   "sportello_fte": Entry(state="value", value=Decimal(1))}
        collection.save_values(submission, entries, officer_of(comune_b))
        collection.transition(submission, collection.SUBMIT, officer_of(comune_b, role=Role.MANAGER))

    ref = "benchmarking/indicator:certificati_per_fte"
    assert ref in {f.ref for f in modules.figures_for(service)}
    assert modules.figure_get(ref).unit == "n."
    assert _values(ref, comune_b, [2025]) == {(comune_a.pk, 2025): Decimal(120)}
    assert _values(ref, comune_a, [2025]) == {(comune_a.pk, 2025): Decimal(120)}


def test_survey_figure_valued_from_published_surveys_only(comune_a, comune_b):
    version = questionnaire_with_every_kind(questionnaire__locked=True, questionnaire__code="anagrafe-club")
    survey_with_results(comune_a, version, status="published", year=2025, overall=4.1)
    survey_with_results(comune_b, version, status="closed", year=2025, overall=2.0)

    ref = "surveys/item:anagrafe-club:complessiva:mean"
    assert ref in {f.ref for f in modules.figures_for(version.questionnaire.service)}
    assert _values(ref, comune_a, [2025]) == {(comune_a.pk, 2025): Decimal("4.1")}
    assert _values(ref, comune_b, [2025]) == {(comune_a.pk, 2025): Decimal("4.1")}


def test_complaint_figure_valued_from_the_stored_figures(comune_a, comune_b, service):
    with acting_for(comune_b):
        ComplaintFigure.objects.create(year=2025, dimension="service", key=service.code, answer_measured=4,
                                       answer_on_time=3, computed_at=timezone.now())
    ref = f"complaints/kpi:answer_on_time:{service.code}"
    assert modules.figure_get(ref).label == "Reclami con risposta entro il termine"
    assert _values(ref, comune_a, [2025, 2026]) == {(comune_b.pk, 2025): Decimal("75.0")}
    assert modules.figure_values("nessuno/kpi:x", years=[2025], reason="test") == []


# --- Commitments: a charter's deadline binds the service's complaints -------------


@pytest.fixture
def manager_a(comune_a):
    return officer_of(comune_a, role=Role.MANAGER)


def _charter(comune, service, officer, *, answer_days=10, acknowledge_days=2):
    """A draft charter for the service whose standards promise those deadlines."""
    with acting_for(comune):
        version = charters.create_charter(municipality=comune, service=service, acting_user=officer)
        version = charters.update_draft(version=version, lock_version=version.lock_version, acting_user=officer,
                                        presentation="Il servizio.", complaints="Con il modulo online.")
        for name, days in (("answer_on_time", answer_days), ("acknowledge_on_time", acknowledge_days)):
            if days is None:
                continue
            charters.save_standard(
                version=version, acting_user=officer, dimension="timeliness", kind="specific",
                title=f"Reclami: {name}", comparator="at_most", target_value=Decimal(days),
                unit="giorni lavorativi", figure_ref=f"complaints/kpi:{name}:{service.code}",
            )
        version.refresh_from_db()
        return version


def _publish(version, comune, officer, manager):
    with acting_for(comune):
        charters.submit(version=version, acting_user=officer)
        charters.approve(version=version, acting_user=manager)
        return charters.publish(version=version, acting_user=manager)


def _deadline(days, on=None):
    return add_working_days(on or timezone.localdate(), days, province_code="TN")


def _register(comune, service, officer):
    with acting_for(comune):
        return register_complaint(municipality=comune, user=officer, kind=Complaint.Kind.COMPLAINT,
                                  channel=Complaint.Channel.COUNTER, service=service,
                                  what_happened="Attesa lunga").complaint


def test_the_deadline_follows_the_charter_once_published_not_while_draft(comune_a, service, officer_a, manager_a):
    version = _charter(comune_a, service, officer_a, answer_days=10, acknowledge_days=2)
    with acting_for(comune_a):
        assert modules.commitment(comune_a, service, module="complaints",
                                  key=f"kpi:answer_on_time:{service.code}") is None
    drafted = _register(comune_a, service, officer_a)
    assert (drafted.acknowledge_due, drafted.answer_due) == (_deadline(5), _deadline(30))

    _publish(version, comune_a, officer_a, manager_a)

    with acting_for(comune_a):
        assert modules.commitment(comune_a, service, module="complaints",
                                  key=f"kpi:answer_on_time:{service.code}") == Commitment(
            module="complaints", key=f"kpi:answer_on_time:{service.code}", value=Decimal(10),
            unit="giorni lavorativi")
    bound = _register(comune_a, service, officer_a)
    assert (bound.acknowledge_due, bound.answer_due) == (_deadline(2), _deadline(10))
    # A complaint about no service, or another one, keeps the comune's deadlines.
    other = _register(comune_a, None, officer_a)
    assert other.answer_due == _deadline(30)


def test_a_deadline_the_charter_does_not_give_stays_the_comunes(comune_a, service, officer_a, manager_a):
    with acting_for(comune_a):
        ComplaintSettings.objects.create(acknowledge_days=3, answer_days=20)
    _publish(_charter(comune_a, service, officer_a, answer_days=15, acknowledge_days=None),
             comune_a, officer_a, manager_a)
    complaint = _register(comune_a, service, officer_a)
    assert (complaint.acknowledge_due, complaint.answer_due) == (_deadline(3), _deadline(15))


def test_a_new_version_binds_only_once_published(comune_a, service, officer_a, manager_a):
    _publish(_charter(comune_a, service, officer_a, answer_days=10), comune_a, officer_a, manager_a)
    with acting_for(comune_a):
        charter = CharterVersion.objects.get().charter
        draft = charters.start_new_version(charter=charter, acting_user=officer_a)
        standard = draft.standards.get(figure_ref=f"complaints/kpi:answer_on_time:{service.code}")
        charters.save_standard(version=draft, standard=standard, acting_user=officer_a, title=standard.title,
                               dimension="timeliness", kind="specific", comparator="at_most",
                               target_value=Decimal(7), unit="giorni lavorativi", figure_ref=standard.figure_ref)
    assert _register(comune_a, service, officer_a).answer_due == _deadline(10)
    with acting_for(comune_a):
        draft.refresh_from_db()
    _publish(draft, comune_a, officer_a, manager_a)
    assert _register(comune_a, service, officer_a).answer_due == _deadline(7)


def test_another_comunes_charter_binds_nothing_here(comune_a, comune_b, service, officer_a, officer_b, manager_a):
    _publish(_charter(comune_a, service, officer_a, answer_days=10), comune_a, officer_a, manager_a)
    complaint = _register(comune_b, service, officer_b)
    assert complaint.answer_due == _deadline(30)
    key = f"kpi:answer_on_time:{service.code}"
    with acting_for(comune_b):
        assert modules.commitment(comune_b, service, module="complaints", key=key) is None
    # Read in the public scope (a citizens' page), where every comune's published
    # charters are visible: still only the comune's own promise.
    with acting_for(None), cross_tenant(scope=SCOPE_PUBLIC, reason="test"):
        assert modules.commitment(comune_b, service, module="complaints", key=key) is None
        assert modules.commitment(comune_a, service, module="complaints", key=key).value == 10


def test_every_way_in_follows_the_charter(client, comune_a, service, officer_a, manager_a):
    """The public form, the staff's page, the staff's API and the public API
    all register through the one service, which reads the charter as the comune."""
    _publish(_charter(comune_a, service, officer_a, answer_days=10, acknowledge_days=2), comune_a, officer_a,
             manager_a)
    today = timezone.localdate()

    public = client.post(reverse("complaints:public_form", args=[comune_a.slug]), {
        "kind": "complaint", "service": service.pk, "what_happened": "Buche in via Roma", "privacy": "on",
        "altcha": solved_proof_of_work(),
    })
    assert public.status_code == 302
    public_api = client.post(f"/api/v1/reclami/pubblico/{comune_a.slug}/", {
        "kind": "complaint", "service": service.code, "what_happened": "Attesa lunga allo sportello",
    }, content_type="application/json")
    assert public_api.status_code == 201, public_api.content

    client.force_login(officer_a)
    staff = client.post(reverse("complaints:register"), {
        "kind": "complaint", "channel": "pec", "received_on": today.isoformat(), "service": service.pk,
        "what_happened": "Lettera arrivata via PEC", "wants_answer": "",
    })
    assert staff.status_code == 302
    staff_api = client.post("/api/v1/reclami/", {
        "kind": "complaint", "channel": "phone", "received_on": today.isoformat(), "service": service.code,
        "what_happened": "Telefonata", "wants_answer": False,
    }, content_type="application/json")
    assert staff_api.status_code == 201, staff_api.content

    with acting_for(comune_a):
        complaints = list(Complaint.objects.values_list("channel", "acknowledge_due", "answer_due"))
    assert sorted(c for c, _a, _b in complaints) == ["pec", "phone", "web", "web"]
    assert {(ack, answer) for _c, ack, answer in complaints} == {(_deadline(2, today), _deadline(10, today))}


def test_reopening_recomputes_with_the_charter_in_force(comune_a, service, officer_a, manager_a):
    from complaints.handling import services as handling

    complaint = _register(comune_a, service, officer_a)
    assert complaint.answer_due == _deadline(30)
    _publish(_charter(comune_a, service, officer_a, answer_days=10), comune_a, officer_a, manager_a)
    with acting_for(comune_a):
        for step in ("acknowledge", "start"):
            complaint = getattr(handling, step)(complaint=complaint, user=officer_a)
        complaint = handling.answer(complaint=complaint, user=officer_a, text="Risolto.")
        complaint = handling.reopen(complaint=complaint, user=officer_a, reason="Non è risolto.")
    assert complaint.answer_due == _deadline(10)


def test_a_promise_no_deadline_could_hold_is_refused_when_the_standard_is_saved(comune_a, service, officer_a):
    """200 working days is beyond what the comune's own setting may be (at most
    180), and a deadline is whole days: the standard is refused, with the
    limits the complaints module gives (`Figure.binds`)."""
    from django.core.exceptions import ValidationError

    for days in (200, Decimal("2.5"), 0):
        with pytest.raises(ValidationError) as refused:
            _charter(comune_a, service, officer_a, answer_days=days, acknowledge_days=None)
        assert "tra 1 e 180" in str(refused.value.message_dict["target_value"])


def test_a_promise_no_deadline_could_hold_leaves_the_comunes(comune_a, service, officer_a, manager_a):
    """Should one get past the save (written another way), the complaints
    module still holds to its own limits: the comune's deadline applies."""
    from servicecharters.models import CharterStandard

    version = _charter(comune_a, service, officer_a, answer_days=20, acknowledge_days=2)
    with acting_for(comune_a):
        CharterStandard.objects.filter(version=version, figure_ref__contains="answer_on_time").update(target_value=200)
    _publish(version, comune_a, officer_a, manager_a)
    complaint = _register(comune_a, service, officer_a)
    assert (complaint.acknowledge_due, complaint.answer_due) == (_deadline(2), _deadline(30))
