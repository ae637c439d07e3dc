"""Answers imported from a file (another survey tool's CSV or XLSX export).

Three steps, nothing written until the last:

1. `stage_import`: the file is read by the core's safe reader
   (`qclub.tabular.read_upload`: size, rows, the .xlsx checks before parsing)
   and kept in a `PendingAnswerImport` of the comune, for the person who
   uploaded it, for PENDING_MINUTES; each column is matched to a question
   (`guess_mapping`: by code, then by the question's words) and each value of
   a choice or scale column to what it means (`guess_values`: by option code
   or label, by the scale's point labels, "non so" words).
2. `save_mapping`: the person corrects the matches (column → question or
   ignored; value → option). `preview` turns every line into a filled-in
   questionnaire and asks the one rule what it thinks of the whole file
   (`record_responses(check_only=True)`), naming the line and the question
   of every problem.
3. `confirm_import`: `record_responses(mode="import")`, all or nothing — the
   rule checks everything again — and the pending file is deleted.

An import only adds questionnaires; it never changes or removes answers, so
it cannot overwrite anyone's work (a questionnaire number already keyed is
refused by the rule).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from qclub import tabular
from qclub.permissions import Action, check
from surveys.fieldwork.answering import DONT_KNOW
from surveys.fieldwork.services import FilledIn, questions_of, record_responses
from surveys.models import PendingAnswerImport, Response, Survey
from surveys.models.fieldwork import Mode
from surveys.models.questionnaires import CHOICE_KINDS, QuestionContent, QuestionKind

PENDING_MINUTES = 60
NUMBER, DATE, IGNORED = "__number__", "__date__", ""
MAX_DISTINCT = 40  # values of one column offered for mapping; more: it is not a choice column
MAX_SHOWN_PROBLEMS = 200
# A survey tool's export has a column per question and a few of its own
# (id, dates, language...): wider than benchmarking's template.
MAX_COLUMNS = 200
# Answers one confirmation writes (lines × answered questions), so that the
# request stays short: recording runs at about 1,500–6,000 answers a second
# (measured: 50,000 answers in 34 s on a loaded 2-core machine). A larger file
# is split, or the write is made set-based and the limit raised.
MAX_ANSWERS = 20_000
DONT_KNOW_WORDS = {"non so", "ns", "n.s.", "non sa", "non applicabile", "n.a.", "na", "nsnr", "dk"}
_SPLIT = re.compile(r"\s*[;|,]\s*")


@dataclass(frozen=True)
class Problem:
    line: int | None
    where: str  # the question's words, or the column's name
    message: str


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems[:5]))


@dataclass
class Preview:
    questionnaires: int = 0
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0  # beyond MAX_SHOWN_PROBLEMS

    @property
    def ok(self) -> bool:
        return not self.problems and self.questionnaires > 0


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _labels(texts) -> list[str]:
    if isinstance(texts, dict):
        return [_normal(text) for text in texts.values() if isinstance(text, str) and text.strip()]
    return []


def all_questions(survey: Survey) -> list[QuestionContent]:
    core, local = questions_of(survey)
    return [*core, *local]


# --- Matching ----------------------------------------------------------------------


def guess_mapping(header: Sequence[str], questions: Sequence[QuestionContent]) -> dict[str, str]:
    """Each column's question: same code, else same words (any language), else
    a column named like a questionnaire number or date; else ignored. A
    question is matched once, but a multiple choice may take several columns
    (one per option, as some tools export it)."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    by_code = {_normal(q.code): q for q in questions}
    for index, name in enumerate(header):
        key = _normal(name)
        target = IGNORED
        question = by_code.get(key)
        if question is None and key:
            question = next((q for q in questions if key in _labels(q.text)), None)
        if question is None and key:
            # "Tempo di attesa [Molto soddisfatto]" or "canali - web": the
            # question's words followed by an option.
            question = next(
                (
                    q for q in questions
                    if q.kind == QuestionKind.MULTIPLE
                    and any(label and key.startswith(label) for label in _labels(q.text))
                ),
                None,
            )
        if question is not None and (question.code not in used or question.kind == QuestionKind.MULTIPLE):
            target = question.code
            used.add(question.code)
        elif key in {"numero", "numero questionario", "n questionario", "id", "numero del questionario"} and NUMBER not in mapping.values():
            target = NUMBER
        elif key in {"data", "data di compilazione", "data compilazione", "submitdate", "date"} and DATE not in mapping.values():
            target = DATE
        mapping[str(index)] = target
    return mapping


def _meanings(question: QuestionContent) -> dict[str, str]:
    """Normalised words a file may use for each answer of the question."""
    meanings: dict[str, str] = {}
    if question.kind in CHOICE_KINDS:
        for option in question.options or ():
            meanings[_normal(option["code"])] = option["code"]
            for label in _labels(option.get("label")):
                meanings[label] = option["code"]
    if question.is_scale or question.role:
        for point, texts in (question.point_labels or {}).items():
            for label in _labels(texts):
                meanings[label] = str(point)
    if question.allows_dont_know:
        for word in DONT_KNOW_WORDS:
            meanings[_normal(word)] = DONT_KNOW
    return meanings


def distinct_values(pending: PendingAnswerImport, column: int) -> list[str] | None:
    """The column's different values (first MAX_DISTINCT), None when there are more."""
    seen: dict[str, None] = {}
    for _line, cells in pending.rows:
        value = cells[column].strip() if column < len(cells) else ""
        parts = _SPLIT.split(value) if value else []
        for part in parts:
            if part and part not in seen:
                seen[part] = None
                if len(seen) > MAX_DISTINCT:
                    return None
    return list(seen)


def needs_values(question: QuestionContent) -> bool:
    return question.kind in CHOICE_KINDS or question.is_scale or bool(question.role)


def guess_values(question: QuestionContent, values: Sequence[str]) -> dict[str, str]:
    """What each file value means for the question, where it can be told: an
    option's code or label, a scale point's label, a number on the scale, a
    "non so" word. Values it cannot tell are left out (passed as they are)."""
    meanings = _meanings(question)
    guessed: dict[str, str] = {}
    for value in values:
        meaning = meanings.get(_normal(value))
        if meaning is not None and meaning != value:
            guessed[value] = meaning
    return guessed


# --- Steps -------------------------------------------------------------------------


def stage_import(*, survey: Survey, uploaded_file, acting_user) -> PendingAnswerImport:
    """Read the file and keep it for mapping (ImportRefused says why not).
    The person's earlier pending file for the survey and every expired one of
    the comune are dropped."""
    check(acting_user, Action.RUN_SURVEYS, municipality=survey.municipality)
    if not survey.accepts_answers:
        raise ImportRefused([Problem(None, "", _(
            "L'indagine non sta raccogliendo risposte: è chiusa o non ancora avviata."
        ))])
    try:
        table = tabular.read_upload(
            uploaded_file, header_hint=_("i nomi delle domande"), max_columns=MAX_COLUMNS
        )
    except tabular.FileRefused as refused:
        raise ImportRefused([Problem(p.line, p.column, p.message) for p in refused.problems]) from None
    if not table.rows:
        raise ImportRefused([Problem(None, "", _("Il file non contiene questionari da importare."))])
    questions = all_questions(survey)
    header = [cell.replace("\ufeff", "").strip()[:200] for cell in table.header]
    pending = PendingAnswerImport(
        municipality_id=survey.municipality_id,
        survey=survey,
        user=acting_user,
        file_name=(getattr(uploaded_file, "name", "") or "")[:200],
        header=header,
        rows=[[line, cells] for line, cells in table.rows],
        cell_errors=[[p.line, p.column, p.message] for p in table.errors],
        mapping=guess_mapping(header, questions),
    )
    pending.value_maps = _guessed_value_maps(pending, questions, {})
    with transaction.atomic():
        PendingAnswerImport.objects.filter(
            created_at__lt=timezone.now() - datetime.timedelta(minutes=PENDING_MINUTES)
        ).delete()
        PendingAnswerImport.objects.filter(survey=survey, user=acting_user).delete()
        pending.save()
    return pending


def _guessed_value_maps(pending, questions, kept: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """For each column mapped to a choice or scale question, the value map: what
    the person chose (`kept`) over what can be guessed."""
    by_code = {q.code: q for q in questions}
    maps: dict[str, dict[str, str]] = {}
    for column, code in pending.mapping.items():
        question = by_code.get(code)
        if question is None or not needs_values(question):
            continue
        values = distinct_values(pending, int(column)) or []
        guessed = guess_values(question, values)
        guessed.update({value: meaning for value, meaning in (kept.get(column) or {}).items() if value in values})
        maps[column] = guessed
    return maps


def pending_get(*, public_id, survey: Survey, user) -> PendingAnswerImport:
    """The person's own pending file for the survey, if not expired; else 404
    (another person's, another comune's or an old one alike)."""
    pending = PendingAnswerImport.objects.filter(public_id=public_id, survey=survey, user=user).first()
    if pending is None or pending.created_at < timezone.now() - datetime.timedelta(minutes=PENDING_MINUTES):
        raise Http404(_("Il file caricato non c'è più: caricalo di nuovo."))
    return pending


@transaction.atomic
def save_mapping(
    *, pending: PendingAnswerImport, mapping: dict[str, str], value_maps: dict[str, dict[str, str]], acting_user
) -> PendingAnswerImport:
    """Keep the person's matches: each column to a question (or the number,
    the date, or ignored), and the values they chose; a question may take one
    column only (several for a multiple choice)."""
    if pending.user_id != acting_user.pk:
        raise PermissionDenied
    questions = all_questions(pending.survey)
    by_code = {q.code: q for q in questions}
    columns = {str(index) for index in range(len(pending.header))}
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    taken: dict[str, str] = {}
    for column in sorted(columns, key=int):
        target = mapping.get(column, IGNORED) or IGNORED
        if target not in by_code and target not in (NUMBER, DATE, IGNORED):
            errors[column] = _("Domanda sconosciuta.")
            continue
        question = by_code.get(target)
        if target != IGNORED and target in taken and not (question and question.kind == QuestionKind.MULTIPLE):
            errors[column] = _("Anche la colonna «%(other)s» è abbinata a questa domanda: una sola colonna per domanda.") % {
                "other": pending.header[int(taken[target])]
            }
            continue
        taken.setdefault(target, column)
        clean[column] = target
    if errors:
        raise ValidationError(errors)
    pending.mapping = clean
    kept = {
        column: {str(value)[:200]: str(meaning)[:60] for value, meaning in (values or {}).items() if meaning}
        for column, values in value_maps.items()
        if column in columns
    }
    pending.value_maps = _guessed_value_maps(pending, questions, kept)
    pending.save(update_fields=["mapping", "value_maps"])
    return pending


def _date(text: str) -> datetime.date:
    text = text.strip()[:10]
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


def _filled_in(pending: PendingAnswerImport, questions) -> tuple[list[FilledIn], list[int], list[Problem]]:
    """Each line as a filled-in questionnaire (the raw answers as the file says,
    values translated by the value maps), with its line number; problems of
    the number and date columns, which are not answers."""
    by_code = {q.code: q for q in questions}
    filled: list[FilledIn] = []
    lines: list[int] = []
    problems: list[Problem] = []
    gone = {column for column, target in pending.mapping.items() if target not in by_code and target not in (IGNORED, NUMBER, DATE)}
    for column in sorted(gone, key=int):
        # A local question removed since the mapping was saved.
        problems.append(Problem(None, pending.header[int(column)], _(
            "La domanda abbinata a questa colonna non c'è più: abbina di nuovo le colonne."
        )))
    for line, cells in pending.rows:
        answers: dict[str, object] = {}
        number = received_on = None
        for column, target in pending.mapping.items():
            index = int(column)
            value = cells[index].strip() if index < len(cells) else ""
            if not target or not value or column in gone:
                continue
            name = pending.header[index]
            if target == NUMBER:
                if value.isdigit() and len(value) < 10:
                    number = int(value)
                else:
                    problems.append(Problem(line, name, _("Il numero del questionario deve essere un numero intero.")))
                continue
            if target == DATE:
                try:
                    received_on = _date(value)
                except ValueError:
                    problems.append(Problem(line, name, _("Data non valida: scriverla come 31/03/2026.")))
                continue
            question = by_code[target]
            values = pending.value_maps.get(column, {})
            if question.kind == QuestionKind.MULTIPLE:
                picked = [values.get(part, part) for part in _SPLIT.split(value) if part]
                # Several columns may feed one multiple choice: the union.
                before = answers.get(question.code) or []
                answers[question.code] = [*before, *[code for code in picked if code not in before]]
            else:
                answers[question.code] = values.get(value, value)
        filled.append(FilledIn(answers=answers, number=number, received_on=received_on))
        lines.append(line)
    return filled, lines, problems


def preview(pending: PendingAnswerImport) -> Preview:
    """What confirming would do: how many questionnaires, or every problem by
    line and question. The one rule decides (`record_responses` with
    `check_only`: every check, nothing written)."""
    questions = all_questions(pending.survey)
    filled, lines, problems = _filled_in(pending, questions)
    problems = [Problem(line, column, message) for line, column, message in pending.cell_errors] + problems
    if not any(target not in (IGNORED, NUMBER, DATE) for target in pending.mapping.values()):
        problems.append(Problem(None, "", _("Nessuna colonna è abbinata a una domanda.")))
    too_many = _too_many_answers(filled)
    if too_many is not None:
        problems.append(too_many)
    if not problems:
        try:
            record_responses(
                survey=pending.survey, mode=Mode.IMPORT, questionnaires=filled, check_only=True
            )
        except ValidationError as error:
            problems = _by_line(error, lines)
    shown = problems[:MAX_SHOWN_PROBLEMS]
    return Preview(
        questionnaires=len(filled), problems=shown, more_problems=len(problems) - len(shown)
    )


def _too_many_answers(filled: Sequence[FilledIn]) -> Problem | None:
    count = sum(len(questionnaire.answers) for questionnaire in filled)
    if count <= MAX_ANSWERS:
        return None
    per_line = max(1, count // max(1, len(filled)))
    return Problem(None, "", _(
        "Il file contiene %(count)s risposte: se ne importano al massimo %(max)s alla volta. "
        "Dividilo in file da circa %(lines)s righe."
    ) % {"count": _thousands(count), "max": _thousands(MAX_ANSWERS), "lines": _thousands(MAX_ANSWERS // per_line)})


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _by_line(error: ValidationError, lines: Sequence[int]) -> list[Problem]:
    if not hasattr(error, "error_dict"):
        return [Problem(None, "", message) for message in error.messages]
    problems = []
    for position, messages in error.message_dict.items():
        line = lines[int(position) - 1] if position.isdigit() and 0 < int(position) <= len(lines) else None
        for message in messages:
            where, _sep, text = message.partition("»: ")
            if text and where.startswith("«"):
                problems.append(Problem(line, where[1:], text))
            else:
                problems.append(Problem(line, "", message))
    problems.sort(key=lambda problem: problem.line or 0)
    return problems


@transaction.atomic
def confirm_import(*, pending: PendingAnswerImport, acting_user) -> list[Response]:
    """Record every line of the file, all or nothing (ImportRefused, by line),
    and drop the pending file."""
    check(acting_user, Action.RUN_SURVEYS, municipality=pending.municipality)
    if pending.user_id != acting_user.pk:
        raise PermissionDenied
    questions = all_questions(pending.survey)
    filled, lines, problems = _filled_in(pending, questions)
    problems = [Problem(line, column, message) for line, column, message in pending.cell_errors] + problems
    too_many = _too_many_answers(filled)
    if too_many is not None:
        problems.append(too_many)
    if problems:
        raise ImportRefused(problems)
    try:
        responses = record_responses(
            survey=pending.survey, mode=Mode.IMPORT, questionnaires=filled, acting_user=acting_user
        )
    except ValidationError as error:
        raise ImportRefused(_by_line(error, lines)) from None
    pending.delete()
    return responses
