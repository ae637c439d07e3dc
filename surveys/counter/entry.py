"""Keying in paper questionnaires and counter interviews, keyboard only.

The entry page has one short text field per question, typed fast: a scale
point as its digit, a choice as its number in the list ("1" = first option;
several numbers separated by spaces for a multiple choice), "n" for "non so".
`raw_answers` only translates what was typed into the raw answers
`record_response` takes (an option's number into its code); whether an answer
is acceptable is decided there, by the one rule (`fieldwork.answering`), so a
wrong number is refused with the same words as everywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Max

from surveys.fieldwork.answering import DONT_KNOW
from surveys.models import Response, Survey
from surveys.models.questionnaires import CHOICE_KINDS, QuestionContent, QuestionKind, localized

DONT_KNOW_KEYS = frozenset({"n", "ns", "n.s.", "nonso", "non so", "dk"})
LAST_SHOWN = 5
FIELD_PREFIX = "q-"


@dataclass(frozen=True)
class EntryField:
    """One question as the entry page shows it."""

    question: QuestionContent
    name: str  # the form field's name
    hint: str  # what to type, e.g. "1–5, n = non so"
    options: list[tuple[int, str]]  # (number to type, label) for choices

    @property
    def is_text(self) -> bool:
        return self.question.kind == QuestionKind.TEXT

    @property
    def code(self) -> str:
        return self.question.code


def entry_fields(questions: Sequence[QuestionContent], *, dont_know_word: str, several_word: str) -> list[EntryField]:
    fields = []
    for question in questions:
        options = [
            (number, localized(option.get("label"), "it"))
            for number, option in enumerate(question.options or (), start=1)
        ] if question.kind in CHOICE_KINDS else []
        parts = []
        if question.is_scale or question.role:
            parts.append(f"{question.scale_min}–{question.scale_max}")
        elif options:
            parts.append(f"1–{len(options)}")
            if question.kind == QuestionKind.MULTIPLE:
                parts.append(several_word)
        if question.allows_dont_know and question.kind not in (QuestionKind.TEXT, QuestionKind.MULTIPLE):
            parts.append(dont_know_word)
        fields.append(
            EntryField(question=question, name=f"{FIELD_PREFIX}{question.code}", hint=", ".join(parts), options=options)
        )
    return fields


def _option_code(question: QuestionContent, typed: str) -> str:
    """The option a typed number stands for; what was typed if it is not one of
    them (then the rule refuses it in its own words)."""
    codes = question.option_codes
    if typed.isdigit() and 1 <= int(typed) <= len(codes):
        return codes[int(typed) - 1]
    return typed


def raw_answers(fields: Sequence[EntryField], data: Mapping[str, str]) -> dict[str, object]:
    """What was typed, as the raw answers `record_response` takes."""
    answers: dict[str, object] = {}
    for field in fields:
        typed = data.get(field.name, "")
        typed = typed if isinstance(typed, str) else ""
        question = field.question
        if field.is_text:
            answers[question.code] = typed
            continue
        typed = typed.strip()
        if not typed:
            continue
        if typed.lower() in DONT_KNOW_KEYS:
            answers[question.code] = DONT_KNOW
        elif question.kind == QuestionKind.MULTIPLE:
            answers[question.code] = [_option_code(question, part) for part in re.split(r"[\s,;]+", typed) if part]
        elif question.kind in CHOICE_KINDS:
            answers[question.code] = _option_code(question, typed)
        else:
            answers[question.code] = typed
    return answers


def last_numbers(survey: Survey) -> list[Response]:
    """The questionnaires keyed last (numbered ones), newest first."""
    return list(
        Response.objects.filter(survey=survey, number__isnull=False).order_by("-id")[:LAST_SHOWN]
    )


def next_number(survey: Survey) -> int:
    """The number to suggest: the highest keyed so far plus one."""
    highest = Response.objects.filter(survey=survey).aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1
