"""What a filled-in questionnaire may contain, checked before anything is written.

Input is plain data, the same for every way in: a mapping from question code
(core or local) to the raw answer —

* scale questions (satisfaction, importance, recommendation): a point as int or
  text ("4"), or `DONT_KNOW`;
* single choice and profile questions: an option code (or `DONT_KNOW`);
* multiple choice: a list of option codes;
* number: an int, Decimal or Italian text ("1.234,5"), or `DONT_KNOW`;
* free text: a string.

A blank answer ("" / None / []) means the question was skipped. `check_answers`
returns the `CheckedAnswer`s to write, or raises `AnswerErrors` with one Italian
message per question code, and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from qclub.numbers import NumberError, number_from, parse_number
from surveys.models.answers import MAX_TEXT_LENGTH
from surveys.models.questionnaires import CHOICE_KINDS, QuestionContent, QuestionKind

DONT_KNOW = "dk"


class AnswerErrors(ValueError):
    """Answers that cannot be kept: {question code: Italian message}."""

    def __init__(self, errors: Mapping[str, str]):
        super().__init__("; ".join(f"{code}: {message}" for code, message in errors.items()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class CheckedAnswer:
    question: QuestionContent
    is_local: bool
    number: Decimal | None = None
    choice: str = ""
    choices: list[str] = field(default_factory=list)
    text: str = ""
    dont_know: bool = False


def _blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def _number(raw) -> Decimal:
    if isinstance(raw, bool):
        raise NumberError(_("Non è un numero."))
    if isinstance(raw, int | float | Decimal):
        return number_from(raw)
    if isinstance(raw, str):
        return parse_number(raw)
    raise NumberError(_("Non è un numero."))


def check_one(question: QuestionContent, raw, *, is_local: bool) -> CheckedAnswer:
    """One answer checked against its question; ValueError with the message."""
    kind = question.kind
    if raw == DONT_KNOW:
        if (
            kind == QuestionKind.TEXT
            or kind == QuestionKind.MULTIPLE
            or not question.allows_dont_know
        ):
            raise ValueError(_("Per questa domanda «non so» non è una risposta prevista."))
        return CheckedAnswer(question=question, is_local=is_local, dont_know=True)
    if question.is_scale or question.role:
        try:
            value = _number(raw)
        except NumberError as error:
            raise ValueError(_("Indicare un punto della scala.")) from error
        if value != value.to_integral_value() or not (
            question.scale_min <= value <= question.scale_max
        ):
            raise ValueError(
                _("Indicare un valore intero da %(min)s a %(max)s.")
                % {"min": question.scale_min, "max": question.scale_max}
            )
        return CheckedAnswer(question=question, is_local=is_local, number=value)
    if kind == QuestionKind.NUMBER:
        try:
            value = _number(raw)
        except NumberError as error:
            raise ValueError(str(error)) from error
        if question.number_min is not None and value < question.number_min:
            raise ValueError(_("Il valore è più basso del minimo ammesso."))
        if question.number_max is not None and value > question.number_max:
            raise ValueError(_("Il valore è più alto del massimo ammesso."))
        return CheckedAnswer(question=question, is_local=is_local, number=value)
    if kind == QuestionKind.MULTIPLE:
        picked = [raw] if isinstance(raw, str) else raw
        if not isinstance(picked, list | tuple) or not all(
            isinstance(code, str) for code in picked
        ):
            raise ValueError(_("Scelta non valida."))
        unknown = set(picked) - set(question.option_codes)
        if unknown:
            raise ValueError(_("Una delle scelte non è tra quelle previste."))
        ordered = [code for code in question.option_codes if code in set(picked)]
        return CheckedAnswer(question=question, is_local=is_local, choices=ordered)
    if kind in CHOICE_KINDS:
        if not isinstance(raw, str) or raw not in question.option_codes:
            raise ValueError(_("La scelta non è tra quelle previste."))
        return CheckedAnswer(question=question, is_local=is_local, choice=raw)
    if kind == QuestionKind.TEXT:
        if not isinstance(raw, str):
            raise ValueError(_("Testo non valido."))
        text = raw.strip()
        if len(text) > MAX_TEXT_LENGTH:
            raise ValueError(
                _("Il testo supera i %(max)s caratteri ammessi: accorciarlo.")
                % {"max": MAX_TEXT_LENGTH}
            )
        return CheckedAnswer(question=question, is_local=is_local, text=text)
    raise ValueError(_("Tipo di domanda sconosciuto."))


def check_answers(
    raw_answers: Mapping[str, object],
    *,
    core: Iterable[QuestionContent],
    local: Iterable[QuestionContent] = (),
) -> list[CheckedAnswer]:
    """Every answer checked against the survey's questions (core, then local);
    AnswerErrors lists every problem at once. An unknown question code is an
    error, a required question left blank is an error, and an empty
    questionnaire (nothing answered) is refused."""
    questions = [(question, False) for question in core] + [(question, True) for question in local]
    by_code = {question.code: (question, is_local) for question, is_local in questions}
    errors: dict[str, str] = {}
    for code in raw_answers:
        if code not in by_code:
            errors[str(code)] = _("Domanda sconosciuta.")
    checked: list[CheckedAnswer] = []
    for question, is_local in questions:
        raw = raw_answers.get(question.code)
        if _blank(raw):
            if question.required:
                errors[question.code] = _("Questa domanda richiede una risposta.")
            continue
        try:
            checked.append(check_one(question, raw, is_local=is_local))
        except ValueError as error:
            errors[question.code] = str(error)
    if errors:
        raise AnswerErrors(errors)
    if not checked:
        raise AnswerErrors({"": _("Il questionario è vuoto: nessuna domanda ha una risposta.")})
    return checked
