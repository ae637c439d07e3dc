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
from django.core.validators import validate_slug
from django.db import connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qclub.permissions import Action, check
from surveys.fieldwork.answering import AnswerErrors, CheckedAnswer, check_answers
from surveys.models import (
    Answer,
    LocalQuestion,
    Question,
    QuestionnaireVersion,
    Response,
    Survey,
    SurveyEvent,
    SurveyLanguage,
)
from surveys.models.answers import questions_of  # noqa: F401 - callers read it here too
from surveys.models.fieldwork import Mode
from surveys.models.questionnaires import QuestionKind
from surveys.results.services import after_status_change

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
    when and why. The survey row is locked, so two clicks cannot both pass.
    A person (`acting_user`) needs RUN_SURVEYS in the survey's comune, and
    PUBLISH_SURVEYS (the manager) to publish or withdraw a publication; jobs
    and the demo act for no person."""
    if acting_user is not None:
        check(acting_user, Action.RUN_SURVEYS, municipality=survey.municipality)
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    key = (locked.status, to_status)
    if key not in TRANSITIONS:
        raise ValidationError(
            _("Un'indagine «%(status)s» non può passare a «%(to)s».")
            % {"status": locked.get_status_display(), "to": Status(to_status).label}
        )
    if acting_user is not None and Status.PUBLISHED in key:
        check(acting_user, Action.PUBLISH_SURVEYS, municipality=survey.municipality)
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
    # Closing computes the stored results (inline, or a job for a large survey).
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


# Answers a citizen gives by himself, at the moment (the online form, the kiosk):
# only within the survey's collection period. What the staff key in or import
# (paper questionnaires, counter interviews, answer files) arrives late and is
# taken until the survey is closed.
LIVE_MODES = (Mode.ONLINE, Mode.KIOSK)


BEFORE_PERIOD, AFTER_PERIOD = "before", "after"


def outside_period(survey: Survey, day: datetime.date) -> str | None:
    """Whether `day` comes before or after the survey's collection period
    (`starts_on`, `ends_on`, either may be blank; both days included), or None."""
    if survey.starts_on and day < survey.starts_on:
        return BEFORE_PERIOD
    if survey.ends_on and day > survey.ends_on:
        return AFTER_PERIOD
    return None


def period_refusal(survey: Survey, day: datetime.date) -> str | None:
    """Why an answer given on `day` is refused for falling outside the
    survey's collection period, or None."""
    where = outside_period(survey, day)
    if where == BEFORE_PERIOD:
        return _("La raccolta delle risposte comincia il %(day)s.") % {
            "day": formats.date_format(survey.starts_on, "DATE_FORMAT")
        }
    if where == AFTER_PERIOD:
        return _("La raccolta delle risposte è terminata il %(day)s.") % {
            "day": formats.date_format(survey.ends_on, "DATE_FORMAT")
        }
    return None


def _prepare(survey: Survey, mode: str, questionnaires: Sequence[FilledIn]):
    if mode not in Mode.values:
        raise ValidationError(_("Modalità di raccolta sconosciuta."))
    _lock_accepting(survey)
    if mode != Mode.IMPORT and mode not in survey.modes:
        raise ValidationError(_("Questa indagine non raccoglie risposte in questa modalità."))
    if mode in LIVE_MODES:
        today = timezone.localdate()
        for filled in questionnaires:
            refusal = period_refusal(survey, filled.received_on or today)
            if refusal:
                raise ValidationError(refusal)
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
    *,
    survey: Survey,
    mode: str,
    questionnaires: Sequence[FilledIn],
    acting_user=None,
    check_only: bool = False,
) -> list[Response]:
    """Record filled-in questionnaires, all or nothing: the survey must be
    collecting answers in `mode` (a file import is always allowed while it is
    open), an online or kiosk answer given within the survey's collection period
    (`period_refusal`; paper, counter and import until the survey is closed),
    every answer must fit its question, a questionnaire number is used
    once per survey, and nothing is written unless every questionnaire is good.
    Problems: ValidationError {position ("1", "2", …): [readable messages]}.
    `check_only`: the same checks, nothing written (a file import's preview)."""
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
    if check_only:
        return []
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


# --- A comune's survey: settings and local questions (sv-templates) -------------------
#
# Who: `Action.RUN_SURVEYS` (officer, manager) of the survey's comune; publishing
# and withdrawing a publication: `Action.PUBLISH_SURVEYS` (manager), checked in
# `change_status`. Settings and local questions change only while the survey is
# a draft: once it collects answers, the questions and the target are what the
# answers were given to.

SETTING_FIELDS = (
    "title", "service", "year", "modes", "languages", "starts_on", "ends_on",
    "population_served", "target_sample",
)
COLLECTING_MODES = tuple(mode for mode in Mode.values if mode != Mode.IMPORT)
LOCAL_FIELDS = (
    "code", "kind", "text", "help_text", "required", "scale_min", "scale_max", "point_labels",
    "allows_dont_know", "options", "number_min", "number_max",
)
MAX_LOCAL_QUESTIONS = 30


def check_runs_surveys(user, survey_or_municipality) -> None:
    municipality = getattr(survey_or_municipality, "municipality", survey_or_municipality)
    check(user, Action.RUN_SURVEYS, municipality=municipality)


def _setting_errors(data: Mapping[str, object]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "title" in data and not str(data["title"] or "").strip():
        errors["title"] = _("Indicare il titolo dell'indagine.")
    year = data.get("year")
    if year is not None and not 2000 <= int(year) <= 2100:
        errors["year"] = _("L'anno deve essere tra il 2000 e il 2100.")
    modes = data.get("modes")
    if modes is not None and (set(modes) - set(COLLECTING_MODES) or len(set(modes)) != len(modes)):
        errors["modes"] = _("Modalità di raccolta sconosciuta.")
    languages = data.get("languages")
    if languages is not None:
        known = set(SurveyLanguage.objects.values_list("code", flat=True)) | {"it"}
        if set(languages) - known:
            errors["languages"] = _("Lingua non prevista dai questionari del club.")
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if starts and ends and ends < starts:
        errors["ends_on"] = _("La fine della raccolta viene prima dell'inizio.")
    population, target = data.get("population_served"), data.get("target_sample")
    if population is not None and population < 1:
        errors["population_served"] = _("La popolazione servita è di almeno una persona.")
    if target is not None and target < 1:
        errors["target_sample"] = _("Il campione previsto è di almeno una risposta.")
    if population and target and target > population:
        errors["target_sample"] = _("Il campione previsto supera la popolazione servita.")
    return errors


def _normalised(data: dict) -> dict:
    data = dict(data)
    if "title" in data:
        data["title"] = str(data["title"] or "").strip()
    if "languages" in data:
        data["languages"] = ["it"] + [code for code in dict.fromkeys(data["languages"] or ()) if code != "it"]
    if "modes" in data:
        data["modes"] = [mode for mode in COLLECTING_MODES if mode in set(data["modes"] or ())]
    return data


@transaction.atomic
def create_survey(*, municipality, version, acting_user, **settings) -> Survey:
    """A new survey of `municipality`, in preparation, on a questionnaire
    version in use (never a draft, never a retired one: a survey starts on what
    the club uses now). Problems: ValidationError by field."""
    check_runs_surveys(acting_user, municipality)
    unknown = set(settings) - set(SETTING_FIELDS)
    if unknown:
        raise ValidationError(_("Dati dell'indagine sconosciuti."))
    settings = _normalised(settings)
    errors = _setting_errors(settings)
    locked_version = QuestionnaireVersion.objects.select_for_update().filter(pk=version.pk).first()
    if locked_version is None or locked_version.status != QuestionnaireVersion.Status.ACTIVE:
        errors["version"] = _("Si usa la versione in uso di un questionario del club.")
    if errors:
        raise ValidationError(errors)
    if not settings.get("service"):
        settings["service"] = locked_version.questionnaire.service
    if settings.get("service") is None:
        raise ValidationError({"service": _("Indicare il servizio su cui si fa l'indagine.")})
    settings.setdefault("languages", ["it"])
    return Survey.objects.create(municipality=municipality, version=locked_version, **settings)


def _lock_draft(survey: Survey, *, revision: int | None = None) -> Survey:
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if revision is not None and revision != locked.revision:
        raise StaleSurvey()
    if locked.status != Status.DRAFT:
        raise ValidationError(
            _("L'indagine è «%(status)s»: le impostazioni e le domande si cambiano solo in preparazione.")
            % {"status": locked.get_status_display()}
        )
    return locked


class StaleSurvey(ValidationError):
    """The survey changed since the form was loaded (its `revision` moved)."""

    def __init__(self):
        super().__init__(
            _("Nel frattempo qualcun altro ha modificato questa indagine: le tue modifiche non sono "
              "state salvate. Controlla i valori attuali qui sotto e salva di nuovo.")
        )


@transaction.atomic
def update_survey(*, survey: Survey, revision: int, acting_user, **settings) -> Survey:
    """Change a draft survey's settings. `revision`: the one the form was loaded
    with; a different stored one raises StaleSurvey (nothing written)."""
    check_runs_surveys(acting_user, survey)
    unknown = set(settings) - set(SETTING_FIELDS)
    if unknown:
        raise ValidationError(_("Dati dell'indagine sconosciuti."))
    locked = _lock_draft(survey, revision=revision)
    settings = _normalised(settings)
    if "service" in settings and settings["service"] is None:
        del settings["service"]  # not chosen: the survey keeps its service
    merged = {name: getattr(locked, name) for name in SETTING_FIELDS} | settings
    errors = _setting_errors(merged)
    if errors:
        raise ValidationError(errors)
    for name, value in settings.items():
        setattr(locked, name, value)
    locked.revision += 1
    locked.save()
    return locked


def _local_errors(survey: Survey, data: Mapping[str, object], *, exclude_pk=None) -> dict[str, str]:
    errors: dict[str, str] = {}
    code = str(data.get("code") or "")
    try:
        validate_slug(code)
    except ValidationError:
        errors["code"] = _("Il codice usa solo lettere minuscole, cifre e trattini.")
    if Question.objects.filter(version_id=survey.version_id, code=code).exists():
        errors["code"] = _("Il codice «%(code)s» è già di una domanda del questionario del club.") % {"code": code}
    clash = LocalQuestion.objects.filter(survey=survey, code=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        errors["code"] = _("Il codice «%(code)s» è già di un'altra domanda dell'indagine.") % {"code": code}
    if data.get("kind") == QuestionKind.IMPORTANCE:
        errors["kind"] = _("Le domande sull'importanza sono solo nel questionario del club.")
    return errors


def _apply_local(question: LocalQuestion, data: Mapping[str, object]) -> LocalQuestion:
    for name, value in data.items():
        setattr(question, name, value)
    try:
        question.full_clean(exclude=["survey", "municipality", "position", "service", "dimension"])
    except ValidationError as error:
        raise ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from None
    question.save()
    return question


@transaction.atomic
def add_local_question(*, survey: Survey, acting_user, **data) -> LocalQuestion:
    """A question of the comune's own, after the club's core (never changing it),
    while the survey is in preparation; its code must not clash with a core one."""
    check_runs_surveys(acting_user, survey)
    locked = _lock_draft(survey)
    if set(data) - set(LOCAL_FIELDS):
        raise ValidationError(_("Dati della domanda sconosciuti."))
    count = LocalQuestion.objects.filter(survey=locked).count()
    if count >= MAX_LOCAL_QUESTIONS:
        raise ValidationError(
            _("Un'indagine ha al massimo %(max)d domande proprie.") % {"max": MAX_LOCAL_QUESTIONS}
        )
    errors = _local_errors(locked, data)
    if errors:
        raise ValidationError(errors)
    question = LocalQuestion(municipality_id=locked.municipality_id, survey=locked, position=count + 1)
    question = _apply_local(question, data)
    locked.revision += 1
    locked.save(update_fields=["revision"])
    return question


@transaction.atomic
def update_local_question(*, question: LocalQuestion, acting_user, **data) -> LocalQuestion:
    check_runs_surveys(acting_user, question.survey)
    locked = _lock_draft(question.survey)
    if set(data) - set(LOCAL_FIELDS):
        raise ValidationError(_("Dati della domanda sconosciuti."))
    current = LocalQuestion.objects.select_for_update().get(pk=question.pk)
    errors = _local_errors(locked, {"code": current.code, **data}, exclude_pk=current.pk)
    if errors:
        raise ValidationError(errors)
    question = _apply_local(current, data)
    locked.revision += 1
    locked.save(update_fields=["revision"])
    return question


@transaction.atomic
def move_local_question(*, question: LocalQuestion, offset: int, acting_user) -> None:
    """Move a local question up (-1) or down (+1) among the comune's ones."""
    check_runs_surveys(acting_user, question.survey)
    locked = _lock_draft(question.survey)
    ordered = list(LocalQuestion.objects.select_for_update().filter(survey=locked).order_by("position", "pk"))
    index = next(i for i, item in enumerate(ordered) if item.pk == question.pk)
    other = index + (1 if offset > 0 else -1)
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    locked.revision += 1
    locked.save(update_fields=["revision"])


@transaction.atomic
def delete_local_question(*, question: LocalQuestion, acting_user) -> None:
    check_runs_surveys(acting_user, question.survey)
    locked = _lock_draft(question.survey)
    LocalQuestion.objects.filter(pk=question.pk).delete()
    for position, item in enumerate(
        LocalQuestion.objects.select_for_update().filter(survey=locked).order_by("position", "pk"), start=1
    ):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    locked.revision += 1
    locked.save(update_fields=["revision"])
