"""A comune's survey pages: create with the proposed sample, settings with edit
conflicts, local questions after the core (never altering it), the status
machine through its confirmation pages, permissions and isolation (page and API)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from qclub.models import Role
from qclub.tenancy import acting_for
from surveys.fieldwork import services
from surveys.models import LocalQuestion, Question, QuestionnaireVersion, Survey, SurveyEvent
from surveys.questionnaires.seed import load_questionnaires
from surveys.tests.factories import SurveyFactory
from tests.factories import ServiceFactory, UserFactory, officer_of

pytestmark = pytest.mark.django_db
Status = Survey.Status


@pytest.fixture
def registry(db):
    ServiceFactory(code="anagrafe")
    load_questionnaires()
    return QuestionnaireVersion.objects.get(questionnaire__code="anagrafe-club")


@pytest.fixture
def manager_a(comune_a):
    return officer_of(comune_a, role=Role.MANAGER, user=UserFactory(first_name="Maria", last_name="Rossi"))


@pytest.fixture
def survey(comune_a, registry):
    with acting_for(comune_a):
        return SurveyFactory(version=registry, service=registry.questionnaire.service, title="Anagrafe 2026",
                             modes=["online", "paper"], population_served=70_000, target_sample=383)


def url(name, survey, *args):
    return reverse(f"surveys:{name}", args=[survey.public_id, *args])


def test_creating_a_survey_proposes_the_sample(client, comune_a, officer_a, registry):
    client.force_login(officer_a)
    page = client.get(reverse("surveys:survey_create"))
    assert page.status_code == 200 and "Soddisfazione degli utenti dell&#x27;anagrafe" in page.content.decode()
    fragment = client.get(reverse("surveys:sample_proposal"),
                          {"population_served": "70000", "confidence": "95", "margin": "3"})
    assert "Campione proposto: 1.051 risposte" in fragment.content.decode()
    assert client.get(reverse("surveys:sample_proposal"), {"population_served": "zero"}).status_code == 400
    response = client.post(reverse("surveys:survey_create"), {
        "version": registry.pk, "title": "Anagrafe 2026", "year": "2026", "modes": ["paper", "online"],
        "languages": ["ro"], "population_served": "70000", "confidence": "95", "margin": "5",
        "starts_on": "2026-03-01", "ends_on": "2026-04-30",
    })
    assert response.status_code == 302
    with acting_for(comune_a):
        created = Survey.objects.get()
    assert created.target_sample == 382  # left blank: the proposal (70,000, 95 %, ±5 %)
    assert created.modes == ["online", "paper"] and created.languages == ["it", "ro"]
    assert created.service.code == "anagrafe" and created.status == Status.DRAFT


def test_a_stale_settings_form_keeps_what_was_typed(client, comune_a, officer_a, survey):
    client.force_login(officer_a)
    form = client.get(url("survey_edit", survey)).context["form"]
    data = {"title": "Il mio titolo", "year": "2026", "modes": ["paper"], "revision": form.initial["revision"],
            "population_served": "70000", "confidence": "95", "margin": "5", "target_sample": "400"}
    with acting_for(comune_a):
        services.update_survey(survey=survey, revision=survey.revision, acting_user=officer_a, title="Altro titolo")
    response = client.post(url("survey_edit", survey), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "qualcun altro ha modificato" in body and 'value="Il mio titolo"' in body and "Altro titolo" in body
    with acting_for(comune_a):
        survey.refresh_from_db()
    assert survey.title == "Altro titolo"
    # Saving again, knowingly, overwrites.
    data["revision"] = response.context["form"].data["revision"]
    assert client.post(url("survey_edit", survey), data).status_code == 302
    with acting_for(comune_a):
        survey.refresh_from_db()
    assert (survey.title, survey.target_sample) == ("Il mio titolo", 400)


def test_local_questions_come_after_the_core_and_never_change_it(client, comune_a, officer_a, survey, registry):
    client.force_login(officer_a)
    core_before = list(Question.objects.filter(version=registry).values_list("code", "text", "position"))
    add = url("local_question_add", survey)
    clash = client.post(add, {"text": "Attesa?", "code": "attesa", "kind": "rating", "scale_max": "5"})
    assert clash.status_code == 400 and "già di una domanda del questionario del club" in clash.content.decode()
    assert client.post(add, {"text": "Ha usato la prenotazione online?", "kind": "single",
                             "options": "Sì\nNo", "required": "on"}).status_code == 302
    assert client.post(add, {"text": "Quanto è soddisfatto del parcheggio?", "code": "parcheggio",
                             "kind": "rating", "scale_max": "7"}).status_code == 302
    with acting_for(comune_a):
        codes = list(LocalQuestion.objects.filter(survey=survey).values_list("code", flat=True))
    assert codes == ["ha-usato-la-prenotazione-online", "parcheggio"]
    assert client.post(url("local_question_move", survey, "parcheggio"), {"direction": "up"}).status_code == 302
    with acting_for(comune_a):
        parking = LocalQuestion.objects.get(survey=survey, code="parcheggio")
        core, local = services.questions_of(survey)
    assert parking.position == 1 and (parking.scale_min, parking.scale_max) == (1, 7)
    assert [q.code for q in local] == ["parcheggio", "ha-usato-la-prenotazione-online"]
    assert len(core) == Question.objects.filter(version=registry).count()
    assert client.post(url("local_question_edit", survey, "parcheggio"),
                       {"text": "Parcheggio", "kind": "rating", "scale_max": "5"}).status_code == 302
    assert client.post(url("local_question_delete", survey, "ha-usato-la-prenotazione-online")).status_code == 302
    assert list(Question.objects.filter(version=registry).values_list("code", "text", "position")) == core_before
    # Once collecting, local questions no longer change.
    with acting_for(comune_a):
        services.change_status(survey=survey, to_status=Status.OPEN, acting_user=officer_a)
    refused = client.post(url("local_question_add", survey), {"text": "Altro?", "kind": "text"})
    assert refused.status_code == 400 and "solo in preparazione" in refused.content.decode()


def test_the_status_machine_through_its_confirmation_pages(client, comune_a, officer_a, manager_a, survey):
    client.force_login(officer_a)
    confirm = client.get(url("survey_status", survey, "avvia"))
    assert confirm.status_code == 200 and "Avvia la raccolta" in confirm.content.decode()
    with acting_for(comune_a):
        assert Survey.objects.get(pk=survey.pk).status == Status.DRAFT  # the page alone changes nothing
    assert client.post(url("survey_status", survey, "avvia")).status_code == 302
    assert client.post(url("survey_status", survey, "chiudi")).status_code == 302
    # Reopening needs a reason; the refusal keeps the page.
    refused = client.post(url("survey_status", survey, "riapri"), {"note": "  "})
    assert refused.status_code == 400 and "Indicare il motivo" in refused.content.decode()
    assert client.post(url("survey_status", survey, "riapri"), {"note": "Poche risposte"}).status_code == 302
    assert client.post(url("survey_status", survey, "chiudi")).status_code == 302
    # Publishing is the manager's.
    page = client.get(url("survey", survey)).content.decode()
    assert "Pubblica i risultati" not in page and "spetta al responsabile" in page
    assert client.post(url("survey_status", survey, "pubblica")).status_code == 403
    client.force_login(manager_a)
    assert client.post(url("survey_status", survey, "pubblica")).status_code == 302
    assert client.post(url("survey_status", survey, "ritira"), {"note": ""}).status_code == 400
    assert client.post(url("survey_status", survey, "ritira"), {"note": "Errore nei dati"}).status_code == 302
    # A step that does not fit the status says so.
    assert "non è possibile" in client.get(url("survey_status", survey, "avvia")).content.decode()
    assert client.get(url("survey_status", survey, "vola")).status_code == 404
    with acting_for(comune_a):
        events = list(SurveyEvent.objects.filter(survey=survey).values_list("to_status", "note"))
    assert events[-2:] == [("published", ""), ("closed", "Errore nei dati")]
    history = client.get(url("survey", survey)).content.decode()
    assert "Maria Rossi" in history and "Errore nei dati" in history and "Pubblicata" in history


def test_progress_counts_responses_by_mode(client, comune_a, officer_a, survey):
    with acting_for(comune_a):
        services.change_status(survey=survey, to_status=Status.OPEN, acting_user=officer_a)
        services.record_responses(survey=survey, mode="paper", questionnaires=[
            services.FilledIn({"complessiva": 4}, number=n) for n in (1, 2, 3)
        ])
        services.record_response(survey=survey, mode="online", answers={"complessiva": 5})
    client.force_login(officer_a)
    page = client.get(url("survey", survey))
    progress = page.context["progress"]
    assert progress.total == 4 and {row.mode: row.count for row in progress.by_mode} == {"online": 1, "paper": 3}
    assert "4 su 383 previste" in page.content.decode()


def test_another_comunes_survey_is_not_found_by_page_or_api(client, comune_b, officer_b, survey):
    client.force_login(officer_b)
    for name in ("survey", "survey_edit", "local_question_add"):
        assert client.get(url(name, survey)).status_code == 404
    assert client.get(url("survey_status", survey, "avvia")).status_code == 404
    assert client.post(url("survey_status", survey, "avvia")).status_code == 404
    assert survey.title not in client.get(reverse("surveys:index")).content.decode()
    api = APIClient()
    api.force_authenticate(officer_b)
    assert api.get(reverse("api-surveys-survey", args=[survey.public_id])).status_code == 404
    assert api.get(reverse("api-surveys")).json()["count"] == 0


def test_anonymous_visitors_log_in_and_people_without_a_role_are_refused(client, survey):
    response = client.get(reverse("surveys:index"))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(url("survey", survey)).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("surveys:index")).status_code == 403
    assert APIClient().get(reverse("api-surveys")).status_code in (401, 403)


def test_the_api_reads_questionnaires_and_the_comunes_surveys(comune_a, officer_a, survey, registry):
    api = APIClient()
    api.force_authenticate(officer_a)
    listed = api.get(reverse("api-surveys-questionnaires")).json()
    assert {item["code"] for item in listed["results"]} == {"anagrafe-club", "mettiamoci-la-faccia"}
    version = api.get(reverse("api-surveys-questionnaire-version", args=["anagrafe-club", 1])).json()
    questions = [q for section in version["sections"] for q in section["questions"]]
    waiting = next(q for q in questions if q["code"] == "attesa")
    assert waiting["text"]["ar"] and waiting["point_labels"]["5"]["en"] == "Completely satisfied"
    assert next(q for q in questions if q["code"] == "attesa-importanza")["importance_of"] == "attesa"
    assert {language["code"] for language in version["languages"]} >= {"it", "en", "ro", "ar"}
    surveys = api.get(reverse("api-surveys")).json()
    assert surveys["count"] == 1 and surveys["results"][0]["id"] == str(survey.public_id)
    detail = api.get(reverse("api-surveys-survey", args=[survey.public_id])).json()
    assert detail["progress"]["total"] == 0 and detail["target_sample"] == 383
    schema = api.get(reverse("api-schema")).content.decode()
    assert "/api/v1/indagini/" in schema and "/api/v1/indagini/questionari/" in schema


def test_the_dashboard_card(client, comune_a, officer_a, manager_a, survey):
    with acting_for(comune_a):
        services.change_status(survey=survey, to_status=Status.OPEN, acting_user=officer_a)
        services.record_response(survey=survey, mode="online", answers={"complessiva": 5})
        SurveyFactory(version=survey.version, service=survey.service, title="Bozza")
    client.force_login(manager_a)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Anagrafe 2026: 1 risposte su 383" in page and "Indagini in preparazione" in page


def test_the_surveys_page_leads_to_its_results_comments_and_exports(client, comune_a, officer_a, survey):
    client.force_login(officer_a)
    draft = client.get(url("survey", survey)).content.decode()
    assert url("results", survey) not in draft  # nothing to read before collecting
    with acting_for(comune_a):
        services.change_status(survey=survey, to_status=Status.OPEN, acting_user=officer_a)
        services.record_response(survey=survey, mode="paper", number=1,
                                 answers={"complessiva": 4, "suggerimenti": "Più sportelli"})
    page = client.get(url("survey", survey))
    html = page.content.decode()
    for link in (url("results", survey), url("results-moderation", survey),
                 url("results-export", survey, "csv"), url("results-export", survey, "xlsx")):
        assert f'href="{link}"' in html, link
        assert client.get(link).status_code == 200, link
    assert page.context["comments_to_moderate"] == 1 and "1 in attesa" in html
