"""Fixtures at the counter: a "faces" questionnaire built with factories (an
overall rating 1–3 and a single-choice reason), surveys open in two comuni."""

import pytest

from qclub.tenancy import acting_for
from surveys.models import Question, QuestionKind, Questionnaire, Section, Survey
from surveys.tests.factories import SurveyFactory, VersionFactory, questionnaire_with_every_kind

REASONS = [
    {"code": "attesa", "label": {"it": "Tempo di attesa"}},
    {"code": "personale", "label": {"it": "Personale"}},
    {"code": "ritorno", "label": {"it": "Sono dovuto tornare"}},
    {"code": "esito", "label": {"it": "Esito della pratica"}},
]


def faces_version():
    """Like the club's shipped "faces" questionnaire, but with its own codes: the
    kiosk must find its items by role and kind, never by code."""
    version = VersionFactory(questionnaire__kind=Questionnaire.Kind.FACES)
    section = Section.objects.create(version=version, position=1, title={"it": "Allo sportello"})
    Question.objects.create(
        version=version, section=section, position=1, code="volto-oggi", kind=QuestionKind.RATING,
        text={"it": "Come è andata oggi?"}, scale_min=1, scale_max=3, role=Question.Role.OVERALL,
        allows_dont_know=False,
    )
    Question.objects.create(
        version=version, section=section, position=2, code="perche", kind=QuestionKind.SINGLE,
        text={"it": "Che cosa non è andato?"}, options=REASONS, allows_dont_know=False,
    )
    return version


@pytest.fixture
def faces_survey(comune_a):
    with acting_for(comune_a):
        return SurveyFactory(
            version=faces_version(), status=Survey.Status.OPEN, modes=["kiosk"], title="Mettiamoci la faccia"
        )


@pytest.fixture
def faces_survey_b(comune_b):
    with acting_for(comune_b):
        return SurveyFactory(version=faces_version(), status=Survey.Status.OPEN, modes=["kiosk"])


@pytest.fixture
def paper_survey(comune_a):
    with acting_for(comune_a):
        return SurveyFactory(
            version=questionnaire_with_every_kind(), status=Survey.Status.OPEN, modes=["paper", "counter"],
            title="Anagrafe 2026",
        )


@pytest.fixture
def paper_survey_b(comune_b):
    with acting_for(comune_b):
        return SurveyFactory(status=Survey.Status.OPEN, modes=["paper", "counter", "kiosk"])
