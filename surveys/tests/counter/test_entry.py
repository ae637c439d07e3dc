"""Paper and counter entry: typed keys become answers through the one rule, a
questionnaire number is refused twice (beside the number field), the number
suggested next, the last ones shown, and another comune's survey is 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from qclub.tenancy import acting_for
from surveys.models import Answer, Response, Survey
from tests.factories import officer_of

pytestmark = pytest.mark.django_db

TYPED = {
    "q-attesa": "4",
    "q-attesa-importanza": "5",
    "q-cortesia": "n",
    "q-complessiva": "4",
    "q-raccomandazione": "9",
    "q-canali": "3 1",
    "q-visite": "3",
    "q-commenti": "Più sportelli il sabato",
    "q-eta": "2",
}


def url(survey):
    return reverse("surveys:counter_entry", args=[survey.public_id])


@pytest.fixture
def officer(comune_a):
    return officer_of(comune_a)


def test_a_questionnaire_typed_as_keys_is_recorded(client, comune_a, officer, paper_survey):
    client.force_login(officer)
    response = client.post(url(paper_survey), {"numero": "17", "modalita": "paper", **TYPED})
    assert response.status_code == 302
    assert "dopo=17" in response["Location"] and "modalita=paper" in response["Location"]
    with acting_for(comune_a):
        saved = Response.objects.get(survey=paper_survey)
        answers = {a.question.code: a for a in Answer.objects.filter(response=saved)}
    assert (saved.number, saved.mode) == (17, "paper")
    assert answers["attesa"].number == Decimal(4)
    assert answers["cortesia"].dont_know
    assert answers["canali"].choices == ["web", "counter"]
    assert answers["eta"].choice == "35-64"
    assert answers["commenti"].text == "Più sportelli il sabato"
    page = client.get(response["Location"]).content.decode()
    assert 'value="18"' in page  # the next number suggested
    assert "Questionario numero 17 registrato" in page


def test_a_counter_interview_is_recorded_in_its_mode(client, comune_a, officer, paper_survey):
    client.force_login(officer)
    client.post(url(paper_survey), {"numero": "1", "modalita": "counter", "q-complessiva": "5"})
    with acting_for(comune_a):
        assert Response.objects.get(survey=paper_survey).mode == "counter"


def test_a_number_used_twice_is_refused_beside_the_number_field(client, comune_a, officer, paper_survey):
    client.force_login(officer)
    client.post(url(paper_survey), {"numero": "5", "modalita": "paper", "q-complessiva": "5"})
    response = client.post(url(paper_survey), {"numero": "5", "modalita": "paper", **TYPED})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="numero-error"' in page and "numero 5 è già stato registrato" in page
    assert 'aria-describedby="numero-help numero-error"' in page
    # What was typed is kept, not lost.
    assert 'value="Più sportelli il sabato"' not in page  # textarea holds it as text
    assert "Più sportelli il sabato</textarea>" in page
    with acting_for(comune_a):
        assert Response.objects.filter(survey=paper_survey).count() == 1


def test_a_wrong_key_is_refused_by_the_rule_beside_its_question(client, comune_a, officer, paper_survey):
    client.force_login(officer)
    response = client.post(url(paper_survey), {"numero": "8", "modalita": "paper", "q-complessiva": "7", "q-eta": "9"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="q-complessiva-error"' in page and "da 1 a 5" in page
    assert 'id="q-eta-error"' in page and "non è tra quelle previste" in page
    with acting_for(comune_a):
        assert not Response.objects.filter(survey=paper_survey).exists()


def test_the_number_is_required(client, officer, paper_survey):
    client.force_login(officer)
    response = client.post(url(paper_survey), {"numero": "", "modalita": "paper", "q-complessiva": "5"})
    assert response.status_code == 400 and "Scrivere il numero del questionario" in response.content.decode()


def test_the_page_is_keyboard_ready(client, officer, paper_survey):
    client.force_login(officer)
    page = client.get(url(paper_survey)).content.decode()
    # The number comes first and has the focus; keys advance by themselves.
    assert page.index('id="numero"') < page.index('id="q-attesa"')
    assert 'id="numero" name="numero" value="1" required autofocus' in page
    assert 'data-advance="5"' in page and 'data-advance="10"' in page
    assert "1–5, n = non so" in page
    assert "1 = 18–34 anni" in page
    assert "js/counter-entry.js" in page
    assert 'tabindex="' not in page.split('id="entry-form"')[1].split("</form>")[0]


def test_the_last_numbers_entered_are_shown(client, comune_a, officer, paper_survey):
    client.force_login(officer)
    for number in (3, 4, 9):
        client.post(url(paper_survey), {"numero": str(number), "modalita": "paper", "q-complessiva": "5"})
    page = client.get(url(paper_survey)).content.decode()
    aside = page.split('id="last-heading"')[1]
    assert aside.index("<td>9</td>") < aside.index("<td>4</td>") < aside.index("<td>3</td>")
    assert 'value="10"' in page


def test_a_survey_without_paper_modes_says_so(client, comune_a, officer, faces_survey):
    client.force_login(officer)
    page = client.get(url(faces_survey))
    assert page.status_code == 200 and "non raccoglie questionari cartacei" in page.content.decode()
    refused = client.post(url(faces_survey), {"numero": "1", "q-volto-oggi": "3"})
    assert refused.status_code == 400


def test_another_comunes_survey_is_404_on_every_page(client, comune_a, officer, paper_survey_b):
    client.force_login(officer)
    for name in ("surveys:counter_entry", "surveys:counter_kiosks", "surveys:counter_import"):
        assert client.get(reverse(name, args=[paper_survey_b.public_id])).status_code == 404
        assert client.post(reverse(name, args=[paper_survey_b.public_id]), {"numero": "1"}).status_code == 404


def test_a_person_without_the_role_is_refused(client, comune_a, paper_survey):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(url(paper_survey)).status_code in (403, 404)
    client.logout()
    assert client.get(url(paper_survey)).status_code == 302  # to the login page


def test_a_closed_survey_refuses_entry_with_a_message(client, comune_a, officer, paper_survey):
    with acting_for(comune_a):
        paper_survey.status = "closed"
        paper_survey.save()
    client.force_login(officer)
    response = client.post(url(paper_survey), {"numero": "1", "modalita": "paper", "q-complessiva": "5"})
    assert response.status_code == 400
    assert "non sta raccogliendo risposte" in response.content.decode()


def test_paper_questionnaires_arriving_after_the_last_day_are_still_entered(client, comune_a, officer, paper_survey):
    import datetime

    with acting_for(comune_a):
        Survey.objects.filter(pk=paper_survey.pk).update(
            starts_on=datetime.date.today() - datetime.timedelta(days=60),
            ends_on=datetime.date.today() - datetime.timedelta(days=10))
    client.force_login(officer)
    response = client.post(url(paper_survey), {"numero": "1", "modalita": "paper", "q-complessiva": "5"})
    assert response.status_code == 302
    with acting_for(comune_a):
        assert Response.objects.filter(survey=paper_survey).count() == 1
