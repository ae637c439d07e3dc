"""What the online form reads: the survey a public link names (in the public
scope, which shows surveys collecting answers, closed or published — never a
draft), its questions in the language chosen, and the invitation counts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qclub.tenancy import SCOPE_PUBLIC, cross_tenant
from surveys.fieldwork.services import AFTER_PERIOD, BEFORE_PERIOD, outside_period, questions_of
from surveys.models import Invitation, Survey, SurveyLanguage
from surveys.models.fieldwork import Mode
from surveys.models.questionnaires import DEFAULT_LANGUAGE, QuestionKind, localized

# What the page says instead of the form.
OPEN, NOT_YET, CLOSED, NOT_ONLINE = "open", "not_yet", "closed", "not_online"


def public_survey(public_id: uuid.UUID | str) -> Survey | None:
    """The survey of a public link, with its comune, or None (draft, unknown)."""
    with cross_tenant(scope=SCOPE_PUBLIC, reason="modulo pubblico di un'indagine"):
        return (
            Survey.objects.select_related("municipality", "version__questionnaire")
            .filter(public_id=public_id)
            .first()
        )


def collecting_state(survey: Survey) -> str:
    """Whether the online form takes answers: open, not yet, closed (closed or
    past its last day), not online."""
    if survey.status in (Survey.Status.CLOSED, Survey.Status.PUBLISHED):
        return CLOSED
    if survey.status != Survey.Status.OPEN:
        return NOT_YET
    if Mode.ONLINE not in survey.modes:
        return NOT_ONLINE
    where = outside_period(survey, timezone.localdate())  # the one rule (record_response)
    if where == BEFORE_PERIOD:
        return NOT_YET
    if where == AFTER_PERIOD:
        return CLOSED
    return OPEN


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    right_to_left: bool = False


def languages_of(survey: Survey) -> list[Language]:
    """The languages the form is offered in: Italian first, then the survey's."""
    codes = [DEFAULT_LANGUAGE, *[code for code in survey.languages if code != DEFAULT_LANGUAGE]]
    known = {language.code: language for language in SurveyLanguage.objects.filter(code__in=codes)}
    out = []
    for code in codes:
        row = known.get(code)
        if row is None and code != DEFAULT_LANGUAGE:
            continue
        out.append(
            Language(code, row.name if row else "Italiano", bool(row and row.right_to_left))
        )
    return out


@dataclass
class ShownQuestion:
    """A question as the form draws it, in one language."""

    code: str
    kind: str
    text: str
    help_text: str
    required: bool
    allows_dont_know: bool
    points: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    options: list[tuple[str, str]] = field(default_factory=list)  # (code, label)
    is_scale: bool = False
    scale_hint: str = ""

    @property
    def field_name(self) -> str:
        return f"q-{self.code}"


@dataclass
class ShownSection:
    title: str
    questions: list[ShownQuestion]


def _shown(question, language: str) -> ShownQuestion:
    scale = question.is_scale or bool(question.role)
    points = []
    if scale:
        for point in range(question.scale_min, question.scale_max + 1):
            label = localized((question.point_labels or {}).get(str(point)), language)
            points.append((str(point), label))
    options = [
        (option["code"], localized(option.get("label"), language) or option["code"])
        for option in question.options or ()
    ]
    kind = question.kind
    allows_dont_know = question.allows_dont_know and kind not in (
        QuestionKind.TEXT,
        QuestionKind.MULTIPLE,
    )
    hint = ""
    if scale and not (points[0][1] and points[-1][1]):
        ends = {"min": question.scale_min, "max": question.scale_max}
        if question.role == question.Role.RECOMMEND:
            hint = _("%(min)s = per niente probabile, %(max)s = molto probabile") % ends
        elif kind == QuestionKind.IMPORTANCE:
            hint = _("%(min)s = per niente importante, %(max)s = molto importante") % ends
        else:
            hint = _("%(min)s = per niente soddisfatto, %(max)s = del tutto soddisfatto") % ends
    return ShownQuestion(
        scale_hint=hint,
        code=question.code,
        kind=kind,
        text=localized(question.text, language),
        help_text=localized(question.help_text, language),
        required=question.required,
        allows_dont_know=allows_dont_know,
        points=points,
        options=options,
        is_scale=scale,
    )


def form_sections(survey: Survey, language: str, *, local_title: str) -> list[ShownSection]:
    """The core questions by section, then the comune's own (read in the public
    scope: the local questions of a survey citizens may answer)."""
    with cross_tenant(scope=SCOPE_PUBLIC, reason="domande del modulo pubblico"):
        core, local = questions_of(survey)
    sections: list[ShownSection] = []
    titles = {section.pk: section for section in survey.version.sections.all()}
    for question in core:
        section = titles.get(question.section_id)
        title = localized(section.title, language) if section else ""
        if not sections or sections[-1].title != title:
            sections.append(ShownSection(title, []))
        sections[-1].questions.append(_shown(question, language))
    if local:
        sections.append(ShownSection(local_title, [_shown(question, language) for question in local]))
    return sections


def invitation_counts(survey: Survey) -> dict[str, int]:
    """Invitations of a survey: created, sent, used (the comune's own rows)."""
    return Invitation.objects.filter(survey=survey).aggregate(
        total=Count("id"),
        sent=Count("id", filter=Q(sent=True)),
        used=Count("id", filter=Q(used=True)),
    )


# --- The short link printed on the poster -------------------------------------------
# Ten characters of Crockford's base32 (no I, L, O, U: nothing to misread) taken
# from the first 50 bits of the survey's public id; the page it names redirects
# to the full link. Two surveys sharing the prefix (odds about one in 10^15 per
# pair) would make the short link 404 rather than guess.

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_READ_AS = {"i": "1", "l": "1", "o": "0", "u": "v"}
SHORT_LENGTH = 10
_SHORT_BITS = SHORT_LENGTH * 5  # 50


def short_code(public_id: uuid.UUID) -> str:
    number = int.from_bytes(public_id.bytes, "big") >> (128 - _SHORT_BITS)
    return "".join(
        _ALPHABET[(number >> (5 * (SHORT_LENGTH - 1 - i))) & 31] for i in range(SHORT_LENGTH)
    )


def survey_by_short_code(code: str) -> Survey | None:
    """The public survey a short code names, or None (unknown, ambiguous, draft)."""
    code = "".join(_READ_AS.get(char, char) for char in code.strip().lower().replace("-", ""))
    if len(code) != SHORT_LENGTH or any(char not in _ALPHABET for char in code):
        return None
    number = 0
    for char in code:
        number = number * 32 + _ALPHABET.index(char)
    rest = 128 - _SHORT_BITS
    low = uuid.UUID(int=number << rest)
    high = uuid.UUID(int=(number << rest) | ((1 << rest) - 1))
    with cross_tenant(scope=SCOPE_PUBLIC, reason="collegamento breve di un'indagine"):
        found = list(
            Survey.objects.filter(public_id__gte=low, public_id__lte=high).only("public_id")[:2]
        )
    return found[0] if len(found) == 1 else None
