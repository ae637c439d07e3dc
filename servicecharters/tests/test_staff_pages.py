"""The staff's charter pages: the list, a new charter (from a club model),
the charter's and the version's pages with what changed, the draft's texts
with conflicts and a sanitised preview, each workflow step through its
confirmation page (the manager's refused to an officer, by page and service),
the dashboard card, and isolation between comuni."""

import datetime as dt

import pytest
from django.urls import reverse

from qclub.modules import Viewer
from qclub.permissions import roles_for
from qclub.tenancy import acting_for
from servicecharters.charters import services
from servicecharters.charters.hooks import dashboard_cards
from servicecharters.models import (
    CharterEvent,
    CharterTemplate,
    CharterVersion,
    ServiceCharter,
    TemplateStandard,
)
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db
S = CharterVersion.Status


def charter_of(version) -> ServiceCharter:
    with acting_for(version.municipality):
        return ServiceCharter.objects.select_related("service").get(pk=version.charter_id)


def url(name, version, *args):
    public_id = charter_of(version).public_id
    if name in ("charter", "history"):
        return reverse(f"servicecharters:{name}", args=[public_id])
    return reverse(f"servicecharters:{name}", args=[public_id, version.number, *args])


@pytest.fixture
def model(service):
    template = CharterTemplate.objects.create(
        service=service, title="Modello anagrafe", presentation="Il servizio.", complaints="Modulo online.",
    )
    TemplateStandard.objects.create(
        template=template, dimension="timeliness", kind="specific", title="Cambio di residenza",
        comparator="at_most", target_value=2, unit="giorni lavorativi", compliance_pct=98,
    )
    return template


def test_the_list_shows_each_charter_and_what_to_do_next(client, comune_a, officer_a, draft):
    client.force_login(officer_a)
    page = client.get(reverse("servicecharters:index"))
    body = page.content.decode()
    assert page.status_code == 200
    assert charter_of(draft).service.name in body
    assert "Completa la bozza e inviala" in body


def test_the_empty_list_leads_to_creating_a_charter(client, comune_a, officer_a):
    client.force_login(officer_a)
    body = client.get(reverse("servicecharters:index")).content.decode()
    assert "Crea la prima carta" in body and reverse("servicecharters:create") in body


def test_a_citizen_without_a_role_is_refused(client, comune_a):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("servicecharters:index")).status_code == 403


def test_creating_a_charter_from_a_club_model_copies_its_standards(client, comune_a, officer_a, service, model):
    client.force_login(officer_a)
    fragment = client.get(reverse("servicecharters:template_options"), {"service": service.pk})
    assert "Modello anagrafe" in fragment.content.decode()
    response = client.post(reverse("servicecharters:create"), {"service": service.pk, "template": model.pk})
    assert response.status_code == 302
    with acting_for(comune_a):
        version = CharterVersion.objects.get()
        assert version.template == model and version.standards.get().title == "Cambio di residenza"
    assert response["Location"] == url("version", version)


def test_a_second_charter_for_the_same_service_gets_a_clear_message(client, comune_a, officer_a, draft):
    client.force_login(officer_a)
    response = client.post(reverse("servicecharters:create"), {"service": charter_of(draft).service_id})
    assert response.status_code == 400
    assert "ha già una carta dei servizi per questo servizio" in response.content.decode()
    with acting_for(comune_a):
        assert ServiceCharter.objects.count() == 1


def test_the_service_list_offers_only_services_without_a_charter(client, comune_a, officer_a, draft):
    other = ServiceFactory(name="Biblioteche di quartiere")
    client.force_login(officer_a)
    body = client.get(reverse("servicecharters:create")).content.decode()
    assert other.name in body and f'value="{charter_of(draft).service_id}"' not in body


def test_the_charter_page_lists_versions_and_links_history(client, comune_a, officer_a, published):
    client.force_login(officer_a)
    body = client.get(url("charter", published)).content.decode()
    assert "Versione 1" in body and "Pubblicata" in body
    assert url("history", published) in body
    assert "Avvia una nuova versione" in body
    history = client.get(url("history", published)).content.decode()
    assert "Approvata" in history and "Inviata per l&#x27;approvazione" in history


def test_the_version_page_renders_sections_standards_and_what_changed(
    client, comune_a, officer_a, manager_a, published
):
    with acting_for(comune_a):
        draft = services.start_new_version(charter=charter_of(published), acting_user=officer_a)
        services.update_draft(version=draft, lock_version=draft.lock_version, acting_user=officer_a,
                              presentation="Il servizio **nuovo**.")
        standard = draft.standards.get()
        services.save_standard(version=draft, standard=standard, acting_user=officer_a, dimension="timeliness",
                               kind="general", title=standard.title, comparator="at_most", target_value=12.5,
                               unit="minuti")
        services.save_standard(version=draft, acting_user=officer_a, dimension="transparency", kind="general",
                               title="Tempi pubblicati", comparator="yes_no")
    client.force_login(officer_a)
    body = client.get(url("version", draft)).content.decode()
    assert "<strong>nuovo</strong>" in body
    assert "entro 12,5 minuti" in body and "inserito a mano" in body
    assert "Che cosa cambia rispetto alla versione 1" in body
    assert "Standard nuovo: Tempi pubblicati" in body
    assert "Standard modificato: Attesa media allo sportello (valore garantito)" in body
    assert "Il servizio" in body  # the changed section's heading


def test_editing_a_draft_saves_the_texts(client, comune_a, officer_a, draft):
    client.force_login(officer_a)
    assert client.get(url("version_edit", draft)).status_code == 200
    data = {"lock_version": draft.lock_version, "title": "Carta dell'anagrafe", "presentation": "Nuovo testo",
            "complaints": "Modulo", "change_summary": ""}
    response = client.post(url("version_edit", draft), data)
    assert response.status_code == 302
    with acting_for(comune_a):
        draft.refresh_from_db()
    assert draft.title == "Carta dell'anagrafe" and draft.presentation == "Nuovo testo"


def test_a_stale_edit_answers_409_and_keeps_what_was_typed(client, comune_a, officer_a, draft):
    old_lock = draft.lock_version
    with acting_for(comune_a):
        services.update_draft(version=draft, lock_version=old_lock, acting_user=officer_a, access="Testo del collega")
    client.force_login(officer_a)
    response = client.post(url("version_edit", draft), {
        "lock_version": old_lock, "title": "Il mio titolo", "presentation": "Il mio testo", "complaints": "x",
    })
    body = response.content.decode()
    assert response.status_code == 409
    assert "Il mio testo" in body and "Testo del collega" in body
    with acting_for(comune_a):
        draft.refresh_from_db()
    assert draft.presentation != "Il mio testo"


def test_a_missing_title_is_summarised_and_linked_to_its_field(client, comune_a, officer_a, draft):
    client.force_login(officer_a)
    response = client.post(url("version_edit", draft), {"lock_version": draft.lock_version, "title": ""})
    assert response.status_code == 400
    assert 'href="#id_title"' in response.content.decode()


def test_the_preview_renders_markdown_and_drops_scripts(client, comune_a, officer_a):
    client.force_login(officer_a)
    response = client.post(reverse("servicecharters:preview"),
                           {"access": "**Su appuntamento** <script>alert(1)</script>"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Su appuntamento</strong>" in body and "<script" not in body
    # From inside the form every field is posted: the one named is shown.
    both = client.post(reverse("servicecharters:preview"),
                       {"presentation": "Primo", "costs": "*Gratuito*", "preview_of": "costs"})
    assert "<em>Gratuito</em>" in both.content.decode() and "Primo" not in both.content.decode()


def test_the_whole_workflow_through_the_step_pages(client, comune_a, officer_a, manager_a, draft):
    client.force_login(officer_a)
    assert client.get(url("version_step", draft, "submit")).status_code == 200
    assert client.post(url("version_step", draft, "submit")).status_code == 302
    client.force_login(manager_a)
    assert client.post(url("version_step", draft, "approve")).status_code == 302
    page = client.get(url("version_step", draft, "publish"))
    assert dt.date.today().isoformat() in page.content.decode()
    assert client.post(url("version_step", draft, "publish"), {"valid_from": "2026-01-01"}).status_code == 302
    with acting_for(comune_a):
        draft.refresh_from_db()
    assert draft.status == S.PUBLISHED and draft.valid_from == dt.date(2026, 1, 1)
    assert client.post(url("version_step", draft, "new_version")).status_code == 302
    with acting_for(comune_a):
        assert CharterVersion.objects.filter(status=S.DRAFT, number=2).exists()


def test_publishing_explains_that_the_version_in_force_is_superseded(client, comune_a, officer_a, manager_a, published):
    with acting_for(comune_a):
        second = services.start_new_version(charter=charter_of(published), acting_user=officer_a)
        services.submit(version=second, acting_user=officer_a)
        services.approve(version=second, acting_user=manager_a)
    client.force_login(manager_a)
    body = client.get(url("version_step", second, "publish")).content.decode()
    assert "La versione 1, oggi in vigore, sarà sostituita" in body


def test_returning_needs_a_reason_and_shows_it_on_the_draft(client, comune_a, officer_a, manager_a, draft):
    with acting_for(comune_a):
        services.submit(version=draft, acting_user=officer_a)
    client.force_login(manager_a)
    response = client.post(url("version_step", draft, "return"), {"reason": ""})
    assert response.status_code == 400
    with acting_for(comune_a):
        draft.refresh_from_db()
    assert draft.status == S.IN_APPROVAL
    assert client.post(url("version_step", draft, "return"), {"reason": "Mancano gli orari"}).status_code == 302
    client.force_login(officer_a)
    assert "Mancano gli orari" in client.get(url("version", draft)).content.decode()
    assert "Correggi la bozza restituita" in client.get(reverse("servicecharters:index")).content.decode()


def test_an_officer_is_not_offered_and_cannot_approve_through_the_page(client, comune_a, officer_a, draft):
    with acting_for(comune_a):
        services.submit(version=draft, acting_user=officer_a)
    client.force_login(officer_a)
    body = client.get(url("version", draft)).content.decode()
    assert url("version_step", draft, "approve") not in body
    assert "Solo il responsabile" in client.get(url("version_step", draft, "approve")).content.decode()
    response = client.post(url("version_step", draft, "approve"))
    assert response.status_code == 403
    assert "Solo il responsabile" in response.content.decode()
    with acting_for(comune_a):
        draft.refresh_from_db()
        assert not CharterEvent.objects.filter(kind="approved").exists()
    assert draft.status == S.IN_APPROVAL


def test_submitting_an_incomplete_draft_lists_what_is_missing(client, comune_a, officer_a, service):
    with acting_for(comune_a):
        version = services.create_charter(municipality=comune_a, service=service, acting_user=officer_a)
    client.force_login(officer_a)
    page = client.get(url("version_step", version, "submit"))
    assert "almeno uno standard di qualità" in page.content.decode()
    response = client.post(url("version_step", version, "submit"))
    assert response.status_code == 400
    with acting_for(comune_a):
        version.refresh_from_db()
    assert version.status == S.DRAFT


def test_an_unknown_step_is_not_found(client, comune_a, officer_a, draft):
    client.force_login(officer_a)
    assert client.get(url("version_step", draft, "vola")).status_code == 404


def test_it_checks_ownership(client, comune_b, officer_b, draft):
    client.force_login(officer_b)
    for name in ("charter", "history", "version", "version_edit"):
        assert client.get(url(name, draft)).status_code == 404, name
    assert client.get(url("version_step", draft, "submit")).status_code == 404
    assert client.post(url("version_step", draft, "submit")).status_code == 404
    assert client.post(url("version_edit", draft), {"lock_version": 1, "title": "x"}).status_code == 404


def test_the_dashboard_card_counts_what_waits(comune_a, officer_a, manager_a, draft):
    with acting_for(comune_a):
        services.submit(version=draft, acting_user=officer_a)

        def card(user):
            viewer = Viewer(user=user, municipality=comune_a, roles=roles_for(user, comune_a))
            return {item.label: item.count for item in dashboard_cards(viewer)[0].items}

        assert card(manager_a)["Da approvare"] == 1
        assert "Da approvare" not in card(officer_a)
        services.return_for_changes(version=draft, reason="Orari", acting_user=manager_a)
        assert card(officer_a)["Bozze restituite per modifiche"] == 1


def test_bad_input_answers_400_and_changes_nothing(client, comune_a, officer_a, manager_a, draft, service, model):
    other_model = CharterTemplate.objects.create(service=ServiceFactory(), title="Modello di un altro servizio")
    client.force_login(officer_a)
    wrong = client.post(reverse("servicecharters:create"), {"service": ServiceFactory().pk, "template": other_model.pk})
    assert wrong.status_code == 400
    assert client.post(reverse("servicecharters:create"), {"service": "nessuno"}).status_code == 400
    for odd in ("²", "9" * 30):
        assert client.get(reverse("servicecharters:template_options"), {"service": odd}).status_code == 200
        assert client.get(reverse("servicecharters:create"), {"servizio": odd}).status_code == 200
        assert client.post(reverse("servicecharters:create"), {"service": odd}).status_code == 400
    too_long = client.post(reverse("servicecharters:preview"), {"access": "x" * 20_001})
    assert too_long.status_code == 400
    with acting_for(comune_a):
        services.submit(version=draft, acting_user=officer_a)
        services.approve(version=draft, acting_user=manager_a)
    client.force_login(manager_a)
    bad_date = client.post(url("version_step", draft, "publish"), {"valid_from": "31/02/2026"})
    assert bad_date.status_code == 400 and 'href="#id_valid_from"' in bad_date.content.decode()
    # A new version while the approved one waits: allowed once, then refused with a message.
    assert client.post(url("version_step", draft, "new_version")).status_code == 302
    again = client.post(url("version_step", draft, "new_version"))
    assert again.status_code == 400 and "già una versione in lavorazione" in again.content.decode()
    with acting_for(comune_a):
        assert ServiceCharter.objects.count() == 1
        assert CharterVersion.objects.count() == 2
        draft.refresh_from_db()
    assert draft.status == S.APPROVED
