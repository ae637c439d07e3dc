"""The anonymous raw answers for the comune's statisticians: one row per
response, one column per question code (a multiple-choice question gives one
0/1 column per option, `<code>_<option>`), nothing that identifies a person —
a sequence number, the collection mode and the answers; free text as the
automatic moderation pass masks it (personal data removed). "Don't know" is
written `NS` (non sa). Read in one ordered pass over the answers (server-side
cursor), so the CSV streams whatever the survey's size."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from surveys.models import Answer, Response, Survey
from surveys.models.answers import questions_of
from surveys.models.questionnaires import QuestionKind
from surveys.results.moderation import screen

DONT_KNOW_CELL = "NS"


def _columns(survey: Survey):
    core, local = questions_of(survey)
    columns = []  # (header, question key, option or None)
    for is_local, questions in ((False, core), (True, local)):
        for question in questions:
            key = ("l" if is_local else "c", question.pk)
            if question.kind == QuestionKind.MULTIPLE:
                columns.extend((f"{question.code}_{code}", key, code) for code in question.option_codes)
            else:
                columns.append((question.code, key, None))
    return columns


def headers(survey: Survey) -> list[str]:
    return [_("progressivo"), _("modalita")] + [c[0] for c in _columns(survey)]


def _cell(answer: Answer, option: str | None):
    if answer.dont_know:
        return DONT_KNOW_CELL
    if option is not None:
        return 1 if option in answer.choices else 0
    if answer.number is not None:
        number = answer.number
        return number.quantize(Decimal(1)) if number == number.to_integral_value() else number
    if answer.choice:
        return answer.choice
    if answer.text:
        return screen(answer.text).text
    return None


def rows(survey: Survey) -> Iterator[list]:
    """The table's rows, in the order the responses arrived."""
    columns = _columns(survey)
    positions: dict[tuple, list[tuple[int, str | None]]] = {}
    for position, (_header, key, option) in enumerate(columns):
        positions.setdefault(key, []).append((position, option))
    modes = dict(
        Response.objects.filter(survey=survey).values_list("id", "mode").iterator(chunk_size=5000)
    )
    answers = (
        Answer.objects.filter(survey=survey)
        .order_by("response_id")
        .only("response_id", "question_id", "local_question_id", "number", "choice", "choices",
              "text", "dont_know")
        .iterator(chunk_size=5000)
    )
    sequence, current, row = 0, None, None
    for answer in answers:
        if answer.response_id != current:
            if row is not None:
                yield row
            sequence += 1
            current = answer.response_id
            row = [sequence, modes.get(current, "")] + [None] * len(columns)
        key = ("c", answer.question_id) if answer.question_id else ("l", answer.local_question_id)
        for position, option in positions.get(key, ()):
            row[2 + position] = _cell(answer, option)
    if row is not None:
        yield row
