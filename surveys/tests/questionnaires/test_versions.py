"""The versioning rule (a version in use, and so one with answers, is frozen;
editing it makes a draft; activating retires the previous one) through the
service and the coordinators' pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from qclub.tenancy import acting_for
from surveys.fieldwork import services as fieldwork
from surveys.models import Question, QuestionnaireVersion, Section, Survey
from surveys.questionnaires import services
from surveys.questionnaires.seed import load_questionnaires
from surveys.tests.factories import SurveyFactory
from tests.factories import AreaCoordinatorFactory, MunicipalityFactory, ServiceFactory, officer_of

pytestmark = pytest.mark.django_db
Status = QuestionnaireVersion.Status


@pytest.fixture
def registry():
    ServiceFactory(code="anagrafe")
    load_questionnaires()
    return QuestionnaireVersion.objects.get(questionnaire__code="anagrafe-club")


@pytest.fixture
def coordinator(registry):
    return AreaCoordinatorFactory(area=registry.questionnaire.service.area).user


def question(version, code):
    return Question.objects.get(version=version, code=code)


def test_editing_a_version_with_answers_makes_a_new_draft_and_leaves_it_alone(registry, coordinator):
    comune = MunicipalityFactory()
    with acting_for(comune):
        survey = SurveyFactory(version=registry, service=registry.questionnaire.service, status=Survey.Status.OPEN,
                               modes=["online"])
        fieldwork.record_response(survey=survey, mode="online", answers={"complessiva": 4})
    waiting = question(registry, "attesa")
    before = dict(waiting.text)
    edited = services.edit_question(
        question=waiting, acting_user=coordinator, text={**before, "it": "Tempo di attesa allo sportello"},
    )
    waiting.refresh_from_db()
    assert waiting.text == before  # the version with answers is untouched
    draft = edited.version
    assert (draft.number, draft.status) == (2, Status.DRAFT)
    assert edited.text["it"] == "Tempo di attesa allo sportello" and edited.text["ro"] == before["ro"]
    # The copy is whole: sections, questions, importance pairs inside the draft.
    assert Section.objects.filter(version=draft).count() == Section.objects.filter(version=registry).count()
    assert Question.objects.filter(version=draft).count() == Question.objects.filter(version=registry).count()
    pair = question(draft, "attesa-importanza")
    assert pair.importance_of.version_id == draft.pk and pair.importance_of.code == "attesa"
    # A second edit of the version in use goes to the same draft, not a third version.
    services.edit_question(question=question(registry, "cortesia"), acting_user=coordinator, required=True)
    assert registry.questionnaire.versions.count() == 2
    assert question(draft, "cortesia").required and not question(registry, "cortesia").required


def test_a_draft_is_edited_in_place_and_activating_it_retires_the_previous(registry, coordinator):
    draft = services.start_draft(questionnaire=registry.questionnaire, acting_user=coordinator, notes="Testi")
    with pytest.raises(ValidationError, match="già una versione in preparazione"):
        services.start_draft(questionnaire=registry.questionnaire, acting_user=coordinator)
    edited = services.edit_question(question=question(draft, "attesa"), acting_user=coordinator, dimension="timeliness")
    assert edited.version == draft
    services.activate(version=draft, acting_user=coordinator)
    registry.refresh_from_db()
    draft.refresh_from_db()
    assert (registry.status, draft.status) == (Status.RETIRED, Status.ACTIVE)
    with pytest.raises(ValidationError):
        services.activate(version=draft, acting_user=coordinator)


def test_only_the_areas_coordinators_change_the_core(registry):
    outsider = AreaCoordinatorFactory().user  # coordinates another area
    officer = officer_of(MunicipalityFactory())
    for user in (outsider, officer):
        with pytest.raises(PermissionDenied):
            services.start_draft(questionnaire=registry.questionnaire, acting_user=user)
        with pytest.raises(PermissionDenied):
            services.edit_question(question=question(registry, "attesa"), acting_user=user, required=True)
    assert registry.questionnaire.versions.count() == 1


def test_a_survey_runs_only_on_a_version_in_use(registry, coordinator):
    comune = MunicipalityFactory()
    officer = officer_of(comune)
    draft = services.start_draft(questionnaire=registry.questionnaire, acting_user=coordinator)
    with acting_for(comune), pytest.raises(ValidationError) as refused:
        fieldwork.create_survey(municipality=comune, version=draft, acting_user=officer, title="Prova", year=2026)
    assert "version" in refused.value.message_dict


def test_a_stale_edit_is_refused(registry, coordinator):
    draft = services.start_draft(questionnaire=registry.questionnaire, acting_user=coordinator)
    item = question(draft, "attesa")
    seen = services.question_fingerprint(item)
    services.edit_question(question=item, acting_user=coordinator, required=True, seen=seen)
    with pytest.raises(ValidationError, match="qualcun altro"):
        services.edit_question(question=item, acting_user=coordinator, required=False, seen=seen)


def test_the_pages_new_version_edit_activate(client, registry, coordinator):
    client.force_login(coordinator)
    code = registry.questionnaire.code
    page = client.get(reverse("surveys:questionnaire_version", args=[code, 1]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Tempo di attesa prima di essere servito" in body and "Timpul de așteptare" in body
    assert 'dir="rtl"' in body and "Prepara una nuova versione" in body
    # The version in use has no edit page: it leads to making a new version.
    edit_active = reverse("surveys:questionnaire_question", args=[code, 1, "attesa"])
    assert client.get(edit_active)["Location"] == reverse("surveys:questionnaire_version_new", args=[code])
    response = client.post(reverse("surveys:questionnaire_version_new", args=[code]), {"notes": "Più chiara"})
    assert response.status_code == 302
    url = reverse("surveys:questionnaire_question", args=[code, 2, "attesa"])
    form = client.get(url)
    assert form.status_code == 200
    data = {key: value for key, value in form.context["form"].initial.items()}
    data.update({"text__it": "Quanto ha atteso?", "required": "on", "dimension": "timeliness"})
    data = {key: ("on" if value is True else value) for key, value in data.items() if value not in (False, None)}
    assert client.post(url, data).status_code == 302
    assert question(QuestionnaireVersion.objects.get(number=2), "attesa").text["it"] == "Quanto ha atteso?"
    # Italian is required; the error stays on the page with what was typed.
    data["text__it"] = ""
    data["text__en"] = "How long did you wait?"
    refused = client.post(url, data)
    assert refused.status_code == 400 and "How long did you wait?" in refused.content.decode()
    confirm = client.get(reverse("surveys:questionnaire_activate", args=[code, 2]))
    assert confirm.status_code == 200 and "sarà sostituita" in confirm.content.decode()
    assert client.post(reverse("surveys:questionnaire_activate", args=[code, 2]), {"confirm": "yes"}).status_code == 302
    assert QuestionnaireVersion.objects.get(number=2).status == Status.ACTIVE


def test_officers_read_but_cannot_edit(client, registry):
    officer = officer_of(MunicipalityFactory())
    client.force_login(officer)
    code = registry.questionnaire.code
    page = client.get(reverse("surveys:questionnaire_version", args=[code, 1]))
    assert page.status_code == 200 and "Prepara una nuova versione" not in page.content.decode()
    assert client.post(reverse("surveys:questionnaire_version_new", args=[code])).status_code == 403
    assert client.get(reverse("surveys:questionnaire_version", args=[code, 99999])).status_code == 404


def test_the_header_marks_the_section_a_viewer_reached_the_questionnaires_from(client, registry, coordinator):
    """A coordinator's «Questionari» entry is the current section; an officer, who
    has no such entry and reaches them from a survey, sees «Indagini» marked."""
    page = reverse("surveys:questionnaire_version", args=["anagrafe-club", 1])
    client.force_login(coordinator)
    current = f'href="{reverse("surveys:questionnaires")}" aria-current="page"'
    assert current in client.get(reverse("surveys:questionnaires")).content.decode()
    assert current in client.get(page).content.decode()
    client.force_login(officer_of(MunicipalityFactory()))
    html = client.get(page).content.decode()
    assert f'href="{reverse("surveys:index")}" aria-current="page"' in html
