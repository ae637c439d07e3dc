"""The public online form: answers through the survey's one rule, input kept on
error, closed and unknown surveys, one answer per browser, honeypot, proof of
work and rate limits; invitations used once and never linked to an answer."""


import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from qclub.tenancy import acting_for
from surveys.collection import services
from surveys.fieldwork.answering import DONT_KNOW
from surveys.models import Answer, Invitation, LocalQuestion, Response, Survey
from surveys.models.questionnaires import QuestionKind
from surveys.tests.factories import SurveyFactory
from tests.factories import MunicipalityFactory, officer_of
from tests.factories import solved_proof_of_work as solved

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_work():
    with override_settings(ANTISPAM_MAX_NUMBER=500):
        yield


@pytest.fixture
def comune():
    return MunicipalityFactory(name="Trento", slug="trento")


@pytest.fixture
def survey(comune):
    with acting_for(comune):
        survey = SurveyFactory(status=Survey.Status.OPEN, title="Anagrafe 2026",
                               languages=["it", "en"])
        LocalQuestion.objects.create(
            survey=survey, position=1, code="parcheggio", kind=QuestionKind.RATING,
            text={"it": "Facilità di parcheggio"}, scale_min=1, scale_max=5,
        )
    return survey


GOOD = {
    "q-attesa": "4",
    "q-attesa-importanza": "5",
    "q-cortesia": DONT_KNOW,
    "q-complessiva": "4",
    "q-raccomandazione": "9",
    "q-canali": ["counter", "web"],
    "q-visite": "3",
    "q-commenti": "Più sportelli il sabato",
    "q-eta": "35-64",
    "q-parcheggio": "2",
}


def url(survey):
    return reverse("surveys:answer", args=[survey.public_id])


def post(client, survey, data=None, **extra):
    return client.post(url(survey), {**GOOD, "altcha": solved(), **(data or {})}, **extra)


def responses(comune):
    with acting_for(comune):
        return list(Response.objects.all())


def test_the_form_shows_core_then_local_questions_with_fieldsets_and_privacy(client, survey):
    page = client.get(url(survey))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Tempo di attesa") < html.index("Facilità di parcheggio")
    assert html.count("<fieldset") >= 8 and "<legend" in html
    assert 'value="dk"' in html and "Non so / non applicabile" in html
    assert "Le risposte sono anonime" in html and "sito_web" in html
    assert "Comune di Trento" in html


def test_answers_are_recorded_through_the_service_then_a_thank_you_page(client, comune, survey):
    page = post(client, survey)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("surveys:answer_thanks", args=[survey.public_id]))
    (response,) = responses(comune)
    assert response.mode == "online" and response.language == "it"
    with acting_for(comune):
        answers = {a.question.code if a.question else a.local_question.code: a
                   for a in Answer.objects.filter(response=response)}
    assert answers["cortesia"].dont_know
    assert answers["canali"].choices == ["web", "counter"]
    assert answers["parcheggio"].number == 2
    thanks = client.get(page["Location"])
    assert "Grazie per le tue risposte" in thanks.content.decode()


def test_errors_keep_what_was_typed_and_are_summarised_and_linked(client, comune, survey):
    page = post(client, survey, {"q-attesa": "9", "q-commenti": "Da tenere"})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'class="alert alert-danger qc-error-summary"' in html
    assert 'href="#q-attesa-input"' in html
    assert 'id="q-attesa-error"' in html and 'aria-describedby="q-attesa-scale q-attesa-error"' in html
    assert "1 = per niente soddisfatto, 5 = del tutto soddisfatto" in html
    assert ">Da tenere</textarea>" in html
    assert 'value="35-64" id="q-eta-2" checked' in html
    assert responses(comune) == []


def test_the_page_speaks_the_chosen_language_and_right_to_left(client, survey):
    from surveys.models import SurveyLanguage

    SurveyLanguage.objects.get_or_create(code="en", defaults={"name": "English"})
    SurveyLanguage.objects.create(code="ar", name="العربية", right_to_left=True)
    with acting_for(survey.municipality):
        Survey.objects.filter(pk=survey.pk).update(languages=["it", "en", "ar"])
    english = client.get(url(survey) + "?lingua=en").content.decode()
    assert "EN Tempo di attesa" in english and 'lang="en"' in english
    assert "Send your answers" in english or "Invia le risposte" in english
    arabic = client.get(url(survey) + "?lingua=ar").content.decode()
    assert 'lang="ar" dir="rtl"' in arabic
    assert "Tempo di attesa" in arabic  # no Arabic text: Italian


@pytest.mark.parametrize(("status", "text"), [
    ("closed", "è chiusa"), ("published", "è chiusa"),
])
def test_a_closed_survey_shows_a_clear_page_and_refuses_answers(client, comune, survey, status, text):
    with acting_for(comune):
        Survey.objects.filter(pk=survey.pk).update(status=status)
    page = client.get(url(survey))
    assert page.status_code == 200 and text in page.content.decode()
    assert "<form method=\"post\" action=\"/indagini" not in page.content.decode()
    assert post(client, survey).status_code == 409
    assert responses(comune) == []


def test_a_draft_or_unknown_survey_is_not_found(client, comune, survey):
    with acting_for(comune):
        Survey.objects.filter(pk=survey.pk).update(status="draft")
    assert client.get(url(survey)).status_code == 404
    assert client.get(reverse("surveys:answer", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404


def test_a_survey_not_yet_started_says_when(client, comune, survey):
    import datetime

    with acting_for(comune):
        Survey.objects.filter(pk=survey.pk).update(starts_on=datetime.date(2099, 1, 1))
    page = client.get(url(survey)).content.decode()
    assert "non è ancora aperta" in page


def test_a_second_answer_from_the_same_browser_is_refused(client, comune, survey):
    assert post(client, survey).status_code == 302
    again = client.get(url(survey))
    assert "Hai già risposto" in again.content.decode()
    assert post(client, survey).status_code == 409
    assert len(responses(comune)) == 1


def test_the_honeypot_and_a_replayed_proof_of_work_are_refused(client, comune, survey):
    page = post(client, survey, {"sito_web": "http://spam.example"})
    assert page.status_code == 400 and responses(comune) == []
    payload = solved()
    client.cookies.clear()
    assert post(client, survey, {"altcha": payload}).status_code == 302
    client.cookies.clear()
    replay = post(client, survey, {"altcha": payload})
    assert replay.status_code == 400 and "già stato inviato" in replay.content.decode()
    assert len(responses(comune)) == 1


def test_answers_from_one_address_are_limited_per_survey_and_hour(client, comune, survey):
    with override_settings(SURVEYS_ANSWERS_PER_HOUR=2):
        codes = []
        for _ in range(3):
            client.cookies.clear()
            codes.append(post(client, survey).status_code)
    assert codes == [302, 302, 429]
    assert len(responses(comune)) == 2


def test_no_address_or_browser_is_stored_with_answers():
    forbidden = {"ip", "ip_address", "address", "user_agent", "agent", "session", "invitation",
                 "invitation_id", "token", "created_at", "submitted_at"}
    for model in (Response, Answer):
        columns = {field.column for field in model._meta.concrete_fields}
        assert not columns & forbidden, (model, columns & forbidden)
    columns = {field.column for field in Invitation._meta.concrete_fields}
    assert "response_id" not in columns and not any("_at" in c for c in columns)


# --- Invitations -------------------------------------------------------------------------


def invite(comune, survey, addresses, run_jobs):
    officer = officer_of(comune)
    with acting_for(comune):
        services.create_invitations(survey=survey, addresses=addresses, acting_user=officer,
                                    base_url="https://qclub.example/")
    run_jobs()


def token_of(message) -> str:
    link = next(line for line in message.body.splitlines() if "invito=" in line)
    return link.split("invito=", 1)[1].strip()


def test_an_invitation_is_sent_its_address_erased_and_its_link_works_once(
    client, comune, survey, run_jobs
):
    invite(comune, survey, ["uno@example.it", "due@example.it"], run_jobs)
    assert sorted(m.to[0] for m in mail.outbox) == ["due@example.it", "uno@example.it"]
    with acting_for(comune):
        rows = list(Invitation.objects.all())
    assert all(row.sent and row.email == "" and len(row.token_hash) == 64 for row in rows)
    token = token_of(mail.outbox[0])
    assert token not in {row.token_hash for row in rows}
    page = post(client, survey, {"invito": token})
    assert page.status_code == 302
    client.cookies.clear()
    again = post(client, survey, {"invito": token})
    assert again.status_code == 409 and "già stato usato" in again.content.decode()
    with acting_for(comune):
        assert Invitation.objects.filter(used=True).count() == 1
    assert len(responses(comune)) == 1


def test_a_used_invitation_cannot_be_linked_to_its_response(client, comune, survey, run_jobs):
    invite(comune, survey, ["uno@example.it"], run_jobs)
    assert post(client, survey, {"invito": token_of(mail.outbox[0])}).status_code == 302
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
            [Invitation._meta.db_table],
        )
        columns = {row[0] for row in cursor.fetchall()}
    assert columns == {"id", "municipality_id", "public_id", "survey_id", "batch_id", "email",
                       "token_hash", "sent", "used"}


def test_a_wrong_address_refuses_the_whole_list(comune, survey):
    from django.core.exceptions import ValidationError

    officer = officer_of(comune)
    with acting_for(comune), pytest.raises(ValidationError, match="non-valido"):
        services.create_invitations(survey=survey, addresses=["ok@example.it", "non-valido"],
                                    acting_user=officer, base_url="https://x/")
    with acting_for(comune):
        assert not Invitation.objects.exists()


def test_the_officer_page_creates_invitations_and_counts_them(client, comune, survey, run_jobs):
    officer = officer_of(comune)
    client.force_login(officer)
    page_url = reverse("surveys:invitations", args=[survey.public_id])
    created = client.post(page_url, {"addresses": "a@example.it; b@example.it\nA@example.it"})
    assert created.status_code == 302
    run_jobs()
    page = client.get(page_url).content.decode()
    assert len(mail.outbox) == 2
    assert "Inviati" in page and url(survey) in page


def test_another_comunes_officer_gets_404_on_invitations_qr_and_poster(client, survey):
    other = MunicipalityFactory(name="Bergamo", slug="bergamo")
    client.force_login(officer_of(other))
    for name in ("surveys:invitations", "surveys:qr_code", "surveys:poster"):
        assert client.get(reverse(name, args=[survey.public_id])).status_code == 404


def test_qr_code_and_a4_poster(client, comune, survey):
    import io

    from pypdf import PdfReader

    client.force_login(officer_of(comune))
    qr = client.get(reverse("surveys:qr_code", args=[survey.public_id]))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    poster = client.get(reverse("surveys:poster", args=[survey.public_id]))
    assert poster["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(poster.content))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert round(width) == 595 and round(height) == 842  # A4 in points
    text = reader.pages[0].extract_text()
    assert "trento" in text.lower() and "Anagrafe 2026" in text
    from surveys.collection.selectors import short_code

    assert f"/indagini/rispondi/{short_code(survey.public_id)}/" in text.replace("\n", "")
    assert "anonime" in text


def test_anonymous_visitors_cannot_reach_the_officer_pages(client, survey):
    page = client.get(reverse("surveys:poster", args=[survey.public_id]))
    assert page.status_code == 302 and "login" in page["Location"]


def test_invitations_are_a_comunes_own_rows_even_in_raw_sql(comune, survey, run_jobs):
    invite(comune, survey, ["uno@example.it"], run_jobs)
    other = MunicipalityFactory()
    from qclub.tenancy import SCOPE_CLUB, SCOPE_PUBLIC, cross_tenant

    def visible():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {Invitation._meta.db_table}")
            return cursor.fetchone()[0]

    with acting_for(comune):
        assert visible() == 1
    with acting_for(other):
        assert visible() == 0
    for scope in (SCOPE_PUBLIC, SCOPE_CLUB):
        with acting_for(None), cross_tenant(scope=scope, reason="test"):
            assert visible() == 0


def test_an_invitation_queued_for_a_survey_closed_meanwhile_is_not_sent_and_forgotten(
    comune, survey, run_jobs
):
    officer = officer_of(comune)
    with acting_for(comune):
        services.create_invitations(survey=survey, addresses=["uno@example.it"],
                                    acting_user=officer, base_url="https://x/")
        Survey.objects.filter(pk=survey.pk).update(status="closed")
    run_jobs()
    assert mail.outbox == []
    with acting_for(comune):
        (invitation,) = Invitation.objects.all()
    assert invitation.email == "" and not invitation.sent


def test_the_short_link_leads_to_the_survey_and_is_printed_on_the_poster(client, comune, survey):
    from surveys.collection.selectors import short_code

    code = short_code(survey.public_id)
    assert len(code) == 10 and not set(code) & set("ilou")
    for typed in (code, code.upper(), code.replace("1", "l").replace("0", "O")):
        page = client.get(reverse("surveys:answer_short", args=[typed]))
        assert page.status_code == 302 and page["Location"] == url(survey)
    assert client.get(reverse("surveys:answer_short", args=["zzzzzzzzzz"])).status_code == 404
    assert client.get(reverse("surveys:answer_short", args=["corto"])).status_code == 404
    with acting_for(comune):
        Survey.objects.filter(pk=survey.pk).update(status="draft")
    assert client.get(reverse("surveys:answer_short", args=[code])).status_code == 404


def test_a_survey_not_collected_online_says_so_and_refuses(client, comune, survey):
    with acting_for(comune):
        Survey.objects.filter(pk=survey.pk).update(modes=["paper"])
    assert "non si compila online" in client.get(url(survey)).content.decode()
    assert post(client, survey).status_code == 409
    assert responses(comune) == []


def test_after_its_last_day_the_form_says_closed_and_refuses_a_post(client, comune, survey):
    import datetime

    with acting_for(comune):
        Survey.objects.filter(pk=survey.pk).update(ends_on=datetime.date.today() - datetime.timedelta(days=1))
    page = client.get(url(survey))
    assert "non è ancora aperta" not in page.content.decode()
    refused = post(client, survey)
    assert refused.status_code != 302 and responses(comune) == []
