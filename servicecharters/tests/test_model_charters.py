"""The club's model charters: loaded once from the YAML shipped with QClub,
read by every role, changed only by the coordinators of the service's area
(with edit conflicts), and used by a comune to start its charter."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from qclub.models import Service
from servicecharters.catalogue import services
from servicecharters.models import CharterTemplate, TemplateStandard
from tests.factories import AreaCoordinatorFactory, ServiceFactory, ThematicAreaFactory

pytestmark = pytest.mark.django_db
SHIPPED = ("nido-infanzia", "scuola-infanzia", "formazione", "biblioteche", "anagrafe")


@pytest.fixture
def taxonomy(db):
    area = ThematicAreaFactory(code="servizi-demografici")
    for code in SHIPPED:
        ServiceFactory(code=code, area=area)
    return area


@pytest.fixture
def coordinator(taxonomy):
    return AreaCoordinatorFactory(area=taxonomy).user


@pytest.fixture
def anagrafe(taxonomy):
    services.load_models()
    return CharterTemplate.objects.get(service__code="anagrafe")


def test_loading_the_models_is_idempotent_and_keeps_coordinators_edits(taxonomy):
    created = services.load_models()
    assert sorted(t.service.code for t in created) == sorted(SHIPPED)
    counts = (CharterTemplate.objects.count(), TemplateStandard.objects.count())
    CharterTemplate.objects.filter(service__code="anagrafe").update(presentation="Testo del coordinatore")
    assert services.load_models() == []
    assert (CharterTemplate.objects.count(), TemplateStandard.objects.count()) == counts
    assert CharterTemplate.objects.get(service__code="anagrafe").presentation == "Testo del coordinatore"


def test_every_shipped_model_covers_the_four_dimensions_with_a_remedy_somewhere(taxonomy):
    services.load_models()
    for template in CharterTemplate.objects.all():
        dimensions = set(template.standards.values_list("dimension", flat=True))
        assert dimensions == {"accessibility", "timeliness", "transparency", "effectiveness"}, template
        assert all(text.strip() for _name, _heading, text in template.sections()), template
    assert TemplateStandard.objects.filter(kind="specific").exists()
    assert TemplateStandard.objects.exclude(remedy="").filter(remedy__icontains="rimborso").exists()


def test_a_model_of_a_service_not_in_the_taxonomy_is_skipped(db):
    ServiceFactory(code="anagrafe")
    assert [t.service.code for t in services.load_models()] == ["anagrafe"]
    assert not Service.objects.filter(code="biblioteche").exists()


def test_every_role_reads_the_models(client, officer_a, anagrafe):
    client.force_login(officer_a)
    assert escape(anagrafe.title) in client.get(reverse("servicecharters:models")).content.decode()
    page = client.get(reverse("servicecharters:model", args=[anagrafe.pk]))
    assert page.status_code == 200 and "Registrazione del cambio di residenza" in page.content.decode()
    assert reverse("servicecharters:model_edit", args=[anagrafe.pk]) not in page.content.decode()


def test_only_the_areas_coordinator_edits_a_model(client, officer_a, coordinator, anagrafe):
    data = {"version": anagrafe.version, "title": "Anagrafe", "presentation": "Nuovo", "complaints": "Modulo"}
    client.force_login(officer_a)
    assert client.get(reverse("servicecharters:model_edit", args=[anagrafe.pk])).status_code == 403
    assert client.post(reverse("servicecharters:model_edit", args=[anagrafe.pk]), data).status_code == 403
    client.force_login(AreaCoordinatorFactory().user)  # another area's coordinator
    assert client.post(reverse("servicecharters:model_edit", args=[anagrafe.pk]), data).status_code == 403
    client.force_login(coordinator)
    listing = client.get(reverse("servicecharters:models")).content.decode()
    assert 'aria-current="page"><span>Modelli di carta</span>' in listing  # the coordinators' entry
    assert client.post(reverse("servicecharters:model_edit", args=[anagrafe.pk]), data).status_code == 302
    anagrafe.refresh_from_db()
    assert anagrafe.presentation == "Nuovo" and anagrafe.version == 2 and anagrafe.updated_by == coordinator


def test_a_stale_model_edit_answers_409_and_keeps_what_was_typed(client, coordinator, anagrafe):
    services.update_model(template=anagrafe, version=anagrafe.version, acting_user=coordinator, costs="Del collega")
    client.force_login(coordinator)
    response = client.post(reverse("servicecharters:model_edit", args=[anagrafe.pk]),
                           {"version": 1, "title": "Anagrafe", "costs": "Il mio testo"})
    assert response.status_code == 409
    assert "Il mio testo" in response.content.decode() and "Del collega" in response.content.decode()


def test_a_coordinator_adds_changes_and_removes_a_model_standard(client, coordinator, anagrafe):
    client.force_login(coordinator)
    before = anagrafe.standards.count()
    add = reverse("servicecharters:model_standard_add", args=[anagrafe.pk])
    missing = client.post(add, {"version": anagrafe.version, "dimension": "timeliness", "kind": "general",
                                "title": "Attesa", "comparator": "at_most", "target_value": ""})
    assert missing.status_code == 400 and "valore garantito" in missing.content.decode()
    assert client.post(add, {"version": anagrafe.version, "dimension": "timeliness", "kind": "general",
                             "title": "Attesa", "comparator": "at_most", "target_value": "12,5",
                             "unit": "minuti"}).status_code == 302
    standard = anagrafe.standards.get(title="Attesa")
    assert str(standard.target_value.normalize()) == "12.5"
    anagrafe.refresh_from_db()
    edit = reverse("servicecharters:model_standard_edit", args=[anagrafe.pk, standard.pk])
    assert client.post(edit, {"version": anagrafe.version, "delete": "1"}).status_code == 302
    assert anagrafe.standards.count() == before


def test_the_services_refuse_anyone_but_the_coordinator(officer_a, anagrafe):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.update_model(template=anagrafe, version=anagrafe.version, acting_user=officer_a, title="x")


def test_the_demo_loads_the_models_through_the_modules_hook(taxonomy):
    import io

    from servicecharters.hooks import ServiceChartersHooks

    out = io.StringIO()
    ServiceChartersHooks().seed_demo(out)
    assert CharterTemplate.objects.count() == len(SHIPPED) and "Modelli di carta" in out.getvalue()
