"""The one rule for a filled-in questionnaire (every way in calls it), and the
survey's status machine."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from qclub.tenancy import SCOPE_CLUB, SCOPE_PUBLIC, acting_for, cross_tenant
from surveys.fieldwork import services
from surveys.fieldwork.answering import DONT_KNOW
from surveys.models import Answer, Response, Survey, SurveyEvent
from surveys.tests.factories import SurveyFactory
from tests.factories import MunicipalityFactory, officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def comune():
    return MunicipalityFactory()


@pytest.fixture
def survey(comune):
    with acting_for(comune):
        survey = SurveyFactory(status=Survey.Status.OPEN)
    return survey


GOOD = {
    "attesa": "4",
    "attesa-importanza": 5,
    "cortesia": DONT_KNOW,
    "complessiva": 4,
    "raccomandazione": "9",
    "canali": ["counter", "web"],
    "visite": "3",
    "commenti": "  Più sportelli il sabato  ",
    "eta": "35-64",
}


def test_a_good_questionnaire_is_recorded_with_one_row_per_answered_question(comune, survey):
    with acting_for(comune):
        response = services.record_response(survey=survey, mode="online", answers=GOOD)
        answers = {a.question.code: a for a in Answer.objects.filter(response=response)}
    assert len(answers) == 9
    assert answers["attesa"].number == Decimal(4)
    assert answers["cortesia"].dont_know and answers["cortesia"].number is None
    assert answers["canali"].choices == ["web", "counter"]  # the questionnaire's order
    assert answers["commenti"].text == "Più sportelli il sabato"
    assert answers["commenti"].moderation == Answer.Moderation.PENDING
    assert answers["eta"].choice == "35-64"


@pytest.mark.parametrize(
    ("code", "raw", "fragment"),
    [
        ("attesa", "6", "da 1 a 5"),
        ("attesa", "3,5", "da 1 a 5"),
        ("raccomandazione", "11", "da 0 a 10"),
        ("canali", ["fax"], "non è tra quelle previste"),
        ("eta", "12-17", "non è tra quelle previste"),
        ("visite", "400", "massimo"),
        ("visite", "tre", ""),
        ("commenti", DONT_KNOW, "non so"),
        ("commenti", "x" * 4001, "4000"),
        ("sconosciuta", "1", "sconosciuta"),
    ],
)
def test_a_bad_answer_is_refused_with_its_question_named_and_nothing_written(
    comune, survey, code, raw, fragment
):
    with acting_for(comune), pytest.raises(ValidationError) as refused:
        services.record_response(survey=survey, mode="online", answers={**GOOD, code: raw})
    assert code in refused.value.message_dict
    assert fragment in refused.value.message_dict[code][0]
    with acting_for(comune):
        assert not Response.objects.exists() and not Answer.objects.exists()


def test_an_empty_questionnaire_is_refused(comune, survey):
    with acting_for(comune), pytest.raises(ValidationError, match="vuoto"):
        services.record_response(survey=survey, mode="online", answers={"attesa": ""})


@pytest.mark.parametrize("status", ["draft", "closed", "published"])
def test_a_survey_not_collecting_refuses_answers(comune, survey, status):
    with acting_for(comune):
        Survey.objects.filter(pk=survey.pk).update(status=status)
        with pytest.raises(ValidationError, match="non sta raccogliendo"):
            services.record_response(survey=survey, mode="online", answers=GOOD)
        assert not Response.objects.exists()


def test_a_mode_the_survey_does_not_use_is_refused_but_a_file_import_is_not(comune, survey):
    with acting_for(comune):
        with pytest.raises(ValidationError, match="modalità"):
            services.record_response(survey=survey, mode="kiosk", answers=GOOD)
        services.record_response(survey=survey, mode="import", answers=GOOD)
        assert Response.objects.count() == 1


def test_a_paper_number_is_used_once_per_survey(comune, survey):
    with acting_for(comune):
        services.record_response(survey=survey, mode="paper", answers=GOOD, number=17)
        with pytest.raises(ValidationError) as refused:
            services.record_response(survey=survey, mode="paper", answers=GOOD, number=17)
        assert "17" in refused.value.message_dict["number"][0]
        other = SurveyFactory(status=Survey.Status.OPEN)
        services.record_response(survey=other, mode="paper", answers=GOOD, number=17)


def test_a_batch_is_all_or_nothing_and_names_each_bad_questionnaire(comune, survey):
    filled = [
        services.FilledIn(GOOD, number=1),
        services.FilledIn({**GOOD, "attesa": "9"}, number=2),
        services.FilledIn(GOOD, number=1),
    ]
    with acting_for(comune), pytest.raises(ValidationError) as refused:
        services.record_responses(survey=survey, mode="paper", questionnaires=filled)
    errors = refused.value.message_dict
    assert set(errors) == {"2", "3"}
    assert "«Tempo di attesa»" in errors["2"][0]
    with acting_for(comune):
        assert not Response.objects.exists()


def test_status_machine_records_who_and_why(comune):
    officer = officer_of(comune)
    with acting_for(comune):
        survey = SurveyFactory()
        services.change_status(survey=survey, to_status="open", acting_user=officer)
        services.change_status(survey=survey, to_status="closed", acting_user=officer)
        with pytest.raises(ValidationError, match="motivo"):
            services.change_status(survey=survey, to_status="open", acting_user=officer)
        services.change_status(
            survey=survey, to_status="open", note="Poche risposte", acting_user=officer
        )
        with pytest.raises(ValidationError, match="non può passare"):
            services.change_status(survey=survey, to_status="published", acting_user=officer)
        events = list(SurveyEvent.objects.values_list("from_status", "to_status", "note", "by"))
    assert events == [
        ("draft", "open", "", officer.pk),
        ("open", "closed", "", officer.pk),
        ("closed", "open", "Poche risposte", officer.pk),
    ]


def test_raw_answers_are_never_readable_in_the_club_or_public_scope(comune, survey):
    other = MunicipalityFactory()
    with acting_for(comune):
        services.record_response(survey=survey, mode="online", answers=GOOD)
        Survey.objects.filter(pk=survey.pk).update(status="published")
    for scope in (SCOPE_CLUB, SCOPE_PUBLIC):
        with acting_for(other), cross_tenant(scope=scope, reason="test"):
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM surveys_answer")
                assert cursor.fetchone() == (0,)
                cursor.execute("SELECT count(*) FROM surveys_response")
                assert cursor.fetchone() == (0,)
                cursor.execute("SELECT count(*) FROM surveys_survey")
                assert cursor.fetchone() == (1,)  # the published survey itself is readable


def test_check_only_checks_everything_and_writes_nothing(comune, survey):
    filled = [services.FilledIn(GOOD, number=1), services.FilledIn(GOOD, number=1)]
    with acting_for(comune), pytest.raises(ValidationError) as refused:
        services.record_responses(survey=survey, mode="import", questionnaires=filled, check_only=True)
    assert "2" in refused.value.message_dict
    with acting_for(comune):
        assert services.record_responses(
            survey=survey, mode="import", questionnaires=filled[:1], check_only=True
        ) == []
        assert not Response.objects.filter(survey=survey).exists()


# --- The collection period (`starts_on`, `ends_on`) --------------------------------


def _period(survey, *, starts=None, ends=None):
    import datetime

    today = datetime.date.today()
    Survey.objects.filter(pk=survey.pk).update(
        starts_on=today + datetime.timedelta(days=starts) if starts is not None else None,
        ends_on=today + datetime.timedelta(days=ends) if ends is not None else None,
        modes=["online", "paper", "counter", "kiosk"],
    )
    survey.refresh_from_db()


@pytest.mark.parametrize("mode", ["online", "kiosk"])
def test_online_and_kiosk_answers_only_within_the_collection_period(comune, survey, mode):
    import datetime

    answers = GOOD
    with acting_for(comune):
        _period(survey, starts=3, ends=30)
        with pytest.raises(ValidationError, match="comincia il"):
            services.record_response(survey=survey, mode=mode, answers=answers)
        _period(survey, starts=-30, ends=-1)
        with pytest.raises(ValidationError, match="terminata il"):
            services.record_response(survey=survey, mode=mode, answers=answers)
        with pytest.raises(ValidationError, match="terminata il"):
            services.record_responses(survey=survey, mode=mode, questionnaires=[services.FilledIn(answers)])
        assert not Response.objects.exists()
        # The last day is included; blank dates do not limit.
        _period(survey, starts=-30, ends=0)
        services.record_response(survey=survey, mode=mode, answers=answers)
        _period(survey)
        services.record_response(survey=survey, mode=mode, answers=answers)
        # A day given with the answer (as the demo's history) is the day checked.
        _period(survey, starts=-30, ends=-1)
        services.record_responses(survey=survey, mode=mode, questionnaires=[
            services.FilledIn(answers, received_on=datetime.date.today() - datetime.timedelta(days=2))])
        assert Response.objects.count() == 3


@pytest.mark.parametrize("mode", ["paper", "counter", "import"])
def test_staff_entry_and_imports_are_taken_after_the_period_until_the_survey_is_closed(comune, survey, mode):
    with acting_for(comune):
        _period(survey, starts=-60, ends=-10)
        services.record_response(survey=survey, mode=mode, answers=GOOD, number=1 if mode == "paper" else None)
        services.record_responses(survey=survey, mode=mode, questionnaires=[services.FilledIn(GOOD)])
        assert Response.objects.count() == 2
        services.change_status(survey=survey, to_status=Survey.Status.CLOSED)
        with pytest.raises(ValidationError, match="non sta raccogliendo"):
            services.record_response(survey=survey, mode=mode, answers=GOOD)
