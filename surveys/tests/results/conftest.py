"""A survey with answers for the results suites."""

import pytest

from qclub.tenancy import acting_for
from surveys.fieldwork import services as fieldwork
from surveys.models import Question, QuestionKind, Survey
from surveys.tests.factories import SurveyFactory

GENDERS = [
    {"code": "f", "label": {"it": "Donna"}},
    {"code": "m", "label": {"it": "Uomo"}},
]


def add_gender(version) -> Question:
    section = version.sections.order_by("-position").first()
    return Question.objects.create(
        version=version, section=section, position=2, code="genere", kind=QuestionKind.PROFILE,
        text={"it": "Genere"}, options=GENDERS, profile=Question.Profile.GENDER,
    )


@pytest.fixture
def survey(comune_a):
    with acting_for(comune_a):
        survey = SurveyFactory(status=Survey.Status.OPEN)
    add_gender(survey.version)
    return survey


def answer(survey, *many, mode="online"):
    """Record questionnaires (dicts of raw answers) in the survey's comune."""
    with acting_for(survey.municipality_id):
        fieldwork.record_responses(
            survey=survey, mode=mode, questionnaires=[fieldwork.FilledIn(a) for a in many]
        )
