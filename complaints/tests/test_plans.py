"""The improvement plan: actions linked to complaints or a root cause, owner,
due date, status, measured result; per-service view; pages, API, isolation."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from complaints.models import ImprovementAction, ImprovementLink
from complaints.plans import selectors, services
from qclub.tenancy import SCOPES, acting_for, cross_tenant

pytestmark = pytest.mark.django_db
S = ImprovementAction.Status
DUE = dt.date.today() + dt.timedelta(days=60)


def _create(municipality, user, **overrides):
    fields = {"title": "Secondo sportello il lunedì", "owner": "Ufficio anagrafe", "due_on": DUE,
              "status": S.PLANNED, "root_cause": "", "description": "", "result": "", "service": None}
    fields.update(overrides)
    with acting_for(municipality):
        return services.create_action(municipality=municipality, user=user, **fields)


def test_linked_to_complaints(comune_a, officer_a, register):
    first, second = register().complaint, register().complaint
    action = _create(comune_a, officer_a, complaint_references=[first.reference, second.reference.lower()])
    with acting_for(comune_a):
        assert selectors.linked_references(action) == sorted([first.reference, second.reference])
        assert list(first.improvement_actions.all()) == [action]


def test_linked_to_a_root_cause_only(comune_a, officer_a):
    action = _create(comune_a, officer_a, root_cause="procedure")
    assert action.root_cause == "procedure"


def test_needs_a_complaint_or_a_root_cause(comune_a, officer_a):
    with pytest.raises(ValidationError) as error:
        _create(comune_a, officer_a)
    assert "complaints" in error.value.error_dict


def test_unknown_or_other_comunes_complaints_are_refused(comune_a, comune_b, officer_a, officer_b, register):
    theirs = register(municipality=comune_b, user=officer_b).complaint
    with pytest.raises(ValidationError) as error:
        _create(comune_a, officer_a, complaint_references=[theirs.reference, "R-1999-00001"])
    assert "R-1999-00001" in str(error.value)


def test_done_needs_the_measured_result(comune_a, officer_a):
    action = _create(comune_a, officer_a, root_cause="staff")
    with acting_for(comune_a):
        with pytest.raises(ValidationError) as error:
            services.update_action(action=action, user=officer_a, version=1, status=S.DONE)
        assert "result" in error.value.error_dict
        done = services.update_action(action=action, user=officer_a, version=1, status=S.DONE,
                                      result="Attesa media da 45 a 15 minuti (rilevazione di marzo)")
        assert done.completed_on == dt.date.today() and done.version == 2
        reopened = services.update_action(action=done, user=officer_a, version=2, status=S.IN_PROGRESS)
        assert reopened.completed_on is None


def test_edit_conflict_is_refused(comune_a, officer_a):
    action = _create(comune_a, officer_a, root_cause="staff")
    with acting_for(comune_a):
        services.update_action(action=action, user=officer_a, version=1, owner="Dirigente")
        with pytest.raises(services.ConcurrentEdit):
            services.update_action(action=action, user=officer_a, version=1, owner="Altri")
        assert ImprovementAction.objects.get(pk=action.pk).owner == "Dirigente"


def test_someone_of_another_comune_cannot_write(comune_a, officer_b):
    with pytest.raises(PermissionDenied):
        _create(comune_a, officer_b, root_cause="staff")


def test_plan_per_service(comune_a, officer_a, service):
    _create(comune_a, officer_a, root_cause="staff", service=service, title="Formazione")
    _create(comune_a, officer_a, root_cause="staff", title="Cartelli", due_on=dt.date.today() - dt.timedelta(days=1))
    with acting_for(comune_a):
        plans, cut = selectors.plan_by_service(comune_a)
    assert [(p.name, [a.title for a in p.actions]) for p in plans] == [
        (service.name, ["Formazione"]), ("Nessun servizio indicato", ["Cartelli"]),
    ]
    assert plans[1].actions[0].is_late and not cut


def test_pages_create_list_and_edit(client, comune_a, officer_a, register, service):
    complaint = register().complaint
    client.force_login(officer_a)
    assert client.get(reverse("complaints:plan_new")).status_code == 200
    response = client.post(reverse("complaints:plan_new"), {
        "title": "Prenotazione online", "owner": "Servizi demografici", "due_on": DUE.isoformat(),
        "status": "planned", "complaints": complaint.reference, "service": service.pk,
    })
    assert response.status_code == 302
    with acting_for(comune_a):
        action = ImprovementAction.objects.get()
    body = client.get(reverse("complaints:plan")).content.decode()
    assert "Prenotazione online" in body and service.name in body
    page = reverse("complaints:plan_action", args=[action.public_id])
    assert complaint.reference in client.get(page).content.decode()
    response = client.post(page, {"title": "Prenotazione online", "owner": "Servizi demografici",
                                  "due_on": DUE.isoformat(), "status": "done", "complaints": complaint.reference,
                                  "version": 1})
    assert response.status_code == 400 and "risultato misurato" in response.content.decode()
    response = client.post(page, {"title": "Prenotazione online", "owner": "Servizi demografici",
                                  "due_on": DUE.isoformat(), "status": "done", "complaints": complaint.reference,
                                  "result": "Code dimezzate", "version": 1})
    assert response.status_code == 302
    stale = client.post(page, {"title": "X", "owner": "Y", "due_on": DUE.isoformat(), "status": "planned",
                               "complaints": complaint.reference, "version": 1})
    assert stale.status_code == 400 and "qualcun altro" in stale.content.decode()


def test_another_comunes_action_is_unreachable(client, comune_b, officer_a, officer_b):
    theirs = _create(comune_b, officer_b, root_cause="staff")
    client.force_login(officer_a)
    assert client.get(reverse("complaints:plan_action", args=[theirs.public_id])).status_code == 404
    assert client.get(f"/api/v1/reclami/piano/{theirs.public_id}/").status_code == 404
    assert client.patch(f"/api/v1/reclami/piano/{theirs.public_id}/", {"owner": "x"},
                        content_type="application/json").status_code == 404
    assert theirs.title not in client.get(reverse("complaints:plan")).content.decode()
    assert client.get("/api/v1/reclami/piano/").json()["count"] == 0


@pytest.mark.parametrize("scope", SCOPES)
def test_no_scope_reads_another_comunes_plan(comune_a, comune_b, officer_a, officer_b, register, scope):
    complaint = register(municipality=comune_b, user=officer_b).complaint
    _create(comune_b, officer_b, complaint_references=[complaint.reference])
    with acting_for(comune_a), cross_tenant(scope=scope, reason="test", acting_user=officer_a, areas=()), \
            connection.cursor() as cursor:
        for model in (ImprovementAction, ImprovementLink):
            cursor.execute(f"SELECT count(*) FROM {model._meta.db_table}")
            assert cursor.fetchall() == [(0,)], (scope, model)


def test_api_create_list_patch(client, officer_a, register, service):
    complaint = register().complaint
    client.force_login(officer_a)
    bad = client.post("/api/v1/reclami/piano/", {"title": "X", "owner": "Y", "due_on": DUE.isoformat()},
                      content_type="application/json")
    assert bad.status_code == 400 and "complaints" in bad.json()
    created = client.post("/api/v1/reclami/piano/", {
        "title": "Orari estesi", "owner": "Anagrafe", "due_on": DUE.isoformat(), "service": service.code,
        "complaints": [complaint.reference],
    }, content_type="application/json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["complaints"] == [complaint.reference] and data["service"] == service.code
    assert client.get("/api/v1/reclami/piano/").json()["count"] == 1
    assert client.get(f"/api/v1/reclami/piano/?service={service.code}").json()["count"] == 1
    assert client.get("/api/v1/reclami/piano/?status=nope").status_code == 400
    url = f"/api/v1/reclami/piano/{data['id']}/"
    patched = client.patch(url, {"status": "in_progress", "version": 1}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["version"] == 2
    assert client.patch(url, {"owner": "Z", "version": 1}, content_type="application/json").status_code == 409
    assert client.patch(url, {"status": "done", "version": 2}, content_type="application/json").status_code == 400


def test_a_complaint_leads_to_a_new_action_with_it_linked(client, officer_a, register):
    complaint = register().complaint
    client.force_login(officer_a)
    detail = client.get(reverse("complaints:detail", args=[complaint.public_id])).content.decode()
    link = f"{reverse('complaints:plan_new')}?segnalazione={complaint.reference}"
    assert link in detail
    assert f'{complaint.reference}</textarea>' in client.get(link).content.decode()
