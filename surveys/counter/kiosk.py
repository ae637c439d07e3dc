"""The kiosk at the counter ("Mettiamoci la faccia"): three faces and, on the
negative one, the reason.

An officer starts a kiosk for a survey that collects answers in mode `kiosk`
(`start_kiosk`): a `KioskDevice` with a secret token, of which only the
SHA-256 is stored, valid until it expires or is revoked (`revoke_kiosk`). The
tablet keeps the token in a cookie and posts answers with no one signed in
(`record_kiosk_answer`), for that survey only, at most
`KIOSK_ANSWERS_PER_MINUTE` a minute. Answers go through
`record_response(mode="kiosk")`: the one rule for every way in.

The kiosk reads the survey's questions by role and kind, never by code: the
face is the overall-satisfaction item (role `overall`) on a three-point scale
(negative = lowest point, neutral = middle, positive = highest), the reason
the first single-choice item of the questionnaire.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qclub.permissions import Action, check
from surveys.fieldwork.services import questions_of, record_response
from surveys.models import KioskDevice, Question, Response, Survey
from surveys.models.fieldwork import Mode
from surveys.models.questionnaires import QuestionKind, localized

KIOSK_ANSWERS_PER_MINUTE = 12
KIOSK_DAYS = (1, 7, 30, 90)  # how long a kiosk may stay valid, to choose from
MAX_NAME = 80

POSITIVE, NEUTRAL, NEGATIVE = "positive", "neutral", "negative"
FACES = (POSITIVE, NEUTRAL, NEGATIVE)


class KioskBusy(ValidationError):
    """The device posted too often in the last minute (HTTP 429)."""


@dataclass(frozen=True)
class FacesItems:
    """The questions a kiosk asks: the face (a 1–3 overall item) and the reason."""

    overall: Question
    reason: Question | None

    def point(self, face: str) -> int:
        low, high = self.overall.scale_min, self.overall.scale_max
        return {NEGATIVE: low, NEUTRAL: (low + high) // 2, POSITIVE: high}[face]

    def reasons(self, language: str = "it") -> list[tuple[str, str]]:
        if self.reason is None:
            return []
        return [
            (option["code"], localized(option.get("label"), language))
            for option in self.reason.options or ()
        ]


def faces_items(survey: Survey) -> FacesItems | None:
    """The survey's face and reason questions, or None when its questionnaire
    has no overall item on a three-point scale."""
    core, _local = questions_of(survey)
    overall = next(
        (
            question
            for question in core
            if question.role == Question.Role.OVERALL
            and question.scale_min is not None
            and question.scale_max is not None
            and question.scale_max - question.scale_min == 2
        ),
        None,
    )
    if overall is None:
        return None
    reason = next((q for q in core if q.kind == QuestionKind.SINGLE and q.options), None)
    return FacesItems(overall=overall, reason=reason)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def start_kiosk(*, survey: Survey, name: str, days: int, acting_user) -> tuple[KioskDevice, str]:
    """A new kiosk for the survey; returns the device and its secret (shown to
    nobody: the page puts it in the tablet's cookie). The survey must be open,
    collect answers at the kiosk and ask an overall item on three points."""
    check(acting_user, Action.RUN_SURVEYS, municipality=survey.municipality)
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Dare un nome alla postazione (per esempio «Sportello anagrafe»).")
    elif len(name) > MAX_NAME:
        errors["name"] = _("Il nome supera i %(max)s caratteri ammessi.") % {"max": MAX_NAME}
    if days not in KIOSK_DAYS:
        errors["days"] = _("Scegliere per quanti giorni la postazione resta valida.")
    if Mode.KIOSK not in survey.modes:
        errors["__all__"] = _("Questa indagine non raccoglie risposte con le emoticon.")
    elif not survey.accepts_answers:
        errors["__all__"] = _("L'indagine non sta raccogliendo risposte: avviarla prima.")
    elif faces_items(survey) is None:
        errors["__all__"] = _(
            "Il questionario di questa indagine non ha una domanda di soddisfazione complessiva "
            "su tre livelli: non si può usare con le emoticon."
        )
    if errors:
        raise ValidationError(errors)
    secret = secrets.token_urlsafe(32)
    device = KioskDevice.objects.create(
        municipality_id=survey.municipality_id,
        survey=survey,
        name=name,
        token_hash=token_hash(secret),
        started_by=acting_user,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return device, secret


@transaction.atomic
def revoke_kiosk(*, device: KioskDevice, acting_user) -> KioskDevice:
    """The kiosk stops accepting answers at once."""
    check(acting_user, Action.RUN_SURVEYS, municipality=device.municipality)
    locked = KioskDevice.objects.select_for_update().get(pk=device.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = acting_user
        locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


def find_device(secret: str) -> KioskDevice | None:
    """The active comune's kiosk holding this secret (active or not), or None."""
    if not secret or len(secret) > 100:
        return None
    return (
        KioskDevice.objects.select_related("survey", "survey__version")
        .filter(token_hash=token_hash(secret))
        .first()
    )


def record_kiosk_answer(*, device: KioskDevice, face: str, reason: str = "") -> Response:
    """One face (and, on the negative one, the reason) from a kiosk, recorded
    by `record_response(mode="kiosk")` for the device's own survey. Refused if
    the device is revoked or expired, or has posted KIOSK_ANSWERS_PER_MINUTE
    times in the last minute. The attempt is counted in a transaction of its
    own, so refused posts count too."""
    _take_turn(device)
    if face not in FACES:
        raise ValidationError(_("Scegliere una delle tre facce."))
    items = faces_items(device.survey)
    if items is None:
        raise ValidationError(_("Il questionario non si può usare con le emoticon."))
    answers: dict[str, object] = {items.overall.code: items.point(face)}
    if face == NEGATIVE and reason and items.reason is not None:
        answers[items.reason.code] = reason
    return record_response(survey=device.survey, mode=Mode.KIOSK, answers=answers)


@transaction.atomic
def _take_turn(device: KioskDevice) -> None:
    locked = KioskDevice.objects.select_for_update().get(pk=device.pk)
    if not locked.is_active:
        raise ValidationError(_("Questa postazione non è più attiva: chiedere allo sportello."))
    now = timezone.now()
    if locked.window_started_at is None or now - locked.window_started_at >= datetime.timedelta(
        minutes=1
    ):
        locked.window_started_at, locked.window_count = now, 0
    if locked.window_count >= KIOSK_ANSWERS_PER_MINUTE:
        raise KioskBusy(_("Troppe risposte in poco tempo: attendere un minuto e riprovare."))
    locked.window_count += 1
    locked.save(update_fields=["window_started_at", "window_count"])
