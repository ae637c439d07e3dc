"""What changes a comune's surveys: the status machine and recording answers.

Every way answers arrive (online form, kiosk, paper and counter entry, file
import, API, demo) calls `record_response` or `record_responses`; every status
change goes through `change_status`. Callers act for the survey's comune
(`acting_for`), so row-level security holds the comune's rows."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from surveys.fieldwork.answering import AnswerErrors, CheckedAnswer, check_answers
from surveys.models import Answer, LocalQuestion, Question, Response, Survey, SurveyEvent
from surveys.models.fieldwork import Mode
from surveys.models.questionnaires import QuestionKind

Status = Survey.Status

# (from, to) → whether a reason is required. Reopening a closed survey and
# withdrawing a publication are the steps back, and say why.
TRANSITIONS: dict[tuple[str, str], bool] = {
    (Status.DRAFT, Status.OPEN): False,
    (Status.OPEN, Status.CLOSED): False,
    (Status.CLOSED, Status.OPEN): True,
    (Status.CLOSED, Status.PUBLISHED): False,
    (Status.PUBLISHED, Status.CLOSED): True,
}

TRANSITION_LABELS = {
    Status.OPEN: gettext_lazy("Avvia la raccolta"),
    Status.CLOSED: gettext_lazy("Chiudi la raccolta"),
    Status.PUBLISHED: gettext_lazy("Pubblica i risultati"),
}


def allowed_statuses(survey: Survey) -> list[str]:
    """The statuses a survey may move to from where it is."""
    return [to for (frm, to) in TRANSITIONS if frm == survey.status]


@transaction.atomic
def change_status(*, survey: Survey, to_status: str, note: str = "", acting_user=None) -> Survey:
    """Move a survey along draft → open → closed → published (and back from
    closed to open, or from published to closed, with a reason), recording who,
    when and why. The survey row is locked, so two clicks cannot both pass."""
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    key = (locked.status, to_status)
    if key not in TRANSITIONS:
        raise ValidationError(
            _("Un'indagine «%(status)s» non può passare a «%(to)s».")
            % {"status": locked.get_status_display(), "to": Status(to_status).label}
        )
    note = (note or "").strip()
    if TRANSITIONS[key] and not note:
        raise ValidationError(_("Indicare il motivo."))
    if to_status == Status.OPEN and locked.status == Status.DRAFT and not locked.modes:
        raise ValidationError(_("Scegliere almeno una modalità di raccolta prima di avviarla."))
    SurveyEvent.objects.create(
        survey=locked, from_status=locked.status, to_status=to_status, note=note, by=acting_user
    )
    from_status = locked.status
    locked.status = to_status
    locked.revision += 1
    locked.save(update_fields=["status", "revision"])
    # Closing computes the stored results (sv-results); imported here because
    # the results build on this module.
    from surveys.results.services import after_status_change

    after_status_change(survey=locked, from_status=from_status, to_status=to_status)
    return locked


def _lock_accepting(survey: Survey) -> None:
    """Refuse unless the survey is collecting answers; hold it FOR SHARE until
    the transaction ends, so closing (FOR UPDATE) waits for answers being written
    and no answer lands in a closed survey."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT status FROM {Survey._meta.db_table} WHERE id = %s FOR SHARE",
            [survey.pk],
        )
        row = cursor.fetchone()
    if row is None or row[0] != Status.OPEN:
        raise ValidationError(
            _("L'indagine non sta raccogliendo risposte: è chiusa o non ancora avviata.")
        )


def questions_of(survey: Survey) -> tuple[list[Question], list[LocalQuestion]]:
    """The survey's questions in order: the club's core ones, then the comune's."""
    core = list(
        Question.objects.filter(version_id=survey.version_id).order_by(
            "section__position", "position"
        )
    )
    local = list(LocalQuestion.objects.filter(survey=survey).order_by("position"))
    return core, local


@dataclass(frozen=True)
class FilledIn:
    """One questionnaire to record: raw answers by question code, and how it came."""

    answers: Mapping[str, object]
    number: int | None = None
    received_on: datetime.date | None = None
    language: str = "it"


def _answer_row(survey: Survey, response: Response, checked: CheckedAnswer) -> Answer:
    is_text = checked.question.kind == QuestionKind.TEXT
    return Answer(
        municipality_id=survey.municipality_id,
        response=response,
        survey=survey,
        question=None if checked.is_local else checked.question,
        local_question=checked.question if checked.is_local else None,
        number=checked.number,
        choice=checked.choice,
        choices=checked.choices,
        text=checked.text,
        dont_know=checked.dont_know,
        moderation=Answer.Moderation.PENDING if is_text else "",
    )


def _check_filled(
    filled: FilledIn, *, core, local, taken: set[int], seen: set[int], today: datetime.date
) -> tuple[list[CheckedAnswer], dict[str, str]]:
    """One questionnaire's answers checked; problems keyed by question code, or
    by "number" / "received_on" for the questionnaire's own data."""
    problems: dict[str, str] = {}
    if filled.number is not None:
        if filled.number in taken or filled.number in seen:
            problems["number"] = _("Il questionario numero %(number)s è già stato registrato.") % {
                "number": filled.number
            }
        seen.add(filled.number)
    if filled.received_on and filled.received_on > today:
        problems["received_on"] = _("La data di compilazione è nel futuro.")
    checked: list[CheckedAnswer] = []
    try:
        checked = check_answers(filled.answers, core=core, local=local)
    except AnswerErrors as answer_errors:
        problems.update(answer_errors.errors)
    return checked, problems


def _prepare(survey: Survey, mode: str, questionnaires: Sequence[FilledIn]):
    if mode not in Mode.values:
        raise ValidationError(_("Modalità di raccolta sconosciuta."))
    _lock_accepting(survey)
    if mode != Mode.IMPORT and mode not in survey.modes:
        raise ValidationError(_("Questa indagine non raccoglie risposte in questa modalità."))
    core, local = questions_of(survey)
    numbers = [filled.number for filled in questionnaires if filled.number is not None]
    taken = set(
        Response.objects.filter(survey=survey, number__in=numbers).values_list("number", flat=True)
    )
    return core, local, taken


def _write(survey: Survey, mode: str, questionnaires, checked_all, today) -> list[Response]:
    responses = Response.objects.bulk_create(
        [
            Response(
                municipality_id=survey.municipality_id,
                survey=survey,
                mode=mode,
                number=filled.number,
                received_on=filled.received_on or today,
                language=filled.language or "it",
            )
            for filled in questionnaires
        ]
    )
    Answer.objects.bulk_create(
        [
            _answer_row(survey, response, checked)
            for response, checked_list in zip(responses, checked_all, strict=True)
            for checked in checked_list
        ]
    )
    return responses


def problem_text(code: str, message: str, *, core, local) -> str:
    """A problem as a clerk reads it: the question's words, not its code."""
    if code in ("", "number", "received_on"):
        return message
    for question in (*core, *local):
        if question.code == code:
            return f"«{question}»: {message}"
    return f"«{code}»: {message}"


@transaction.atomic
def record_responses(
    *, survey: Survey, mode: str, questionnaires: Sequence[FilledIn], acting_user=None
) -> list[Response]:
    """Record filled-in questionnaires, all or nothing: the survey must be
    collecting answers in `mode` (a file import is always allowed while it is
    open), every answer must fit its question, a questionnaire number is used
    once per survey, and nothing is written unless every questionnaire is good.
    Problems: ValidationError {position ("1", "2", …): [readable messages]}."""
    core, local, taken = _prepare(survey, mode, questionnaires)
    today = timezone.localdate()
    seen: set[int] = set()
    errors: dict[str, list[str]] = {}
    checked_all = []
    for position, filled in enumerate(questionnaires, start=1):
        checked, problems = _check_filled(
            filled, core=core, local=local, taken=taken, seen=seen, today=today
        )
        checked_all.append(checked)
        if problems:
            errors[str(position)] = [
                problem_text(code, message, core=core, local=local)
                for code, message in problems.items()
            ]
    if errors:
        raise ValidationError(errors)
    return _write(survey, mode, questionnaires, checked_all, today)


@transaction.atomic
def record_response(
    *,
    survey: Survey,
    mode: str,
    answers: Mapping[str, object],
    number: int | None = None,
    received_on: datetime.date | None = None,
    language: str = "it",
    acting_user=None,
) -> Response:
    """One filled-in questionnaire, under the rules of `record_responses`.
    Problems: ValidationError {question code (or "number", "received_on", ""
    for the whole questionnaire): message}, so a form shows each beside its field."""
    filled = FilledIn(answers, number, received_on, language)
    core, local, taken = _prepare(survey, mode, [filled])
    today = timezone.localdate()
    checked, problems = _check_filled(
        filled, core=core, local=local, taken=taken, seen=set(), today=today
    )
    if problems:
        raise ValidationError({code or "__all__": message for code, message in problems.items()})
    (response,) = _write(survey, mode, [filled], [checked], today)
    return response
