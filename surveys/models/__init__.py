"""Customer-satisfaction surveys: the club's questionnaires (club-wide, in
versions), each comune's surveys, and the answers they collect."""

from surveys.models.answers import Answer, Response
from surveys.models.comments import PublishedComment
from surveys.models.counter import KioskDevice, PendingAnswerImport
from surveys.models.fieldwork import LocalQuestion, Survey, SurveyEvent
from surveys.models.invitations import Invitation, InvitationBatch
from surveys.models.questionnaires import (
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Section,
    SurveyLanguage,
)
from surveys.models.results import ItemResult
from surveys.models.weighting import PopulationCell

__all__ = [
    "Answer",
    "Invitation",
    "InvitationBatch",
    "ItemResult",
    "KioskDevice",
    "LocalQuestion",
    "PendingAnswerImport",
    "PopulationCell",
    "PublishedComment",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "QuestionnaireVersion",
    "Response",
    "Section",
    "Survey",
    "SurveyEvent",
    "SurveyLanguage",
]
