"""Collecting answers online: one answer through the survey's one rule
(`surveys.fieldwork.services.record_response`, mode online), single-use
invitations, and creating invitations for a list of addresses.

Callers act for the survey's comune (`acting_for(survey.municipality)`)."""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from qclub.permissions import Action, check
from surveys.fieldwork.services import record_response
from surveys.models import Invitation, InvitationBatch, Response, Survey
from surveys.models.fieldwork import Mode

MAX_ADDRESS_LENGTH = 254


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def submit_online(
    *, survey: Survey, answers: dict, language: str = "it", invitation_token: str = ""
) -> Response:
    """Record one questionnaire filled in online. With an invitation's token,
    the invitation must be sent and unused; it is then marked used — and only
    that: nothing links it to the response. Problems: ValidationError keyed by
    question code ("__all__" for the questionnaire or the invitation)."""
    invitation = None
    if invitation_token:
        invitation = (
            Invitation.objects.select_for_update()
            .filter(survey=survey, sent=True, token_hash=hash_token(invitation_token[:200]))
            .first()
        )
        if invitation is None or invitation.used:
            raise ValidationError(
                {"__all__": _("Questo invito è già stato usato oppure non è valido.")}
            )
    response = record_response(survey=survey, mode=Mode.ONLINE, answers=answers, language=language)
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(used=True)
    return response


_SEPARATORS = re.compile(r"[\s,;]+")


def parse_addresses(text: str, *, from_file: bool = False) -> list[str]:
    """E-mail addresses from pasted text or a file (one a line, or separated by
    commas, semicolons or spaces), lower-cased, each once, in order. From a file
    (a spreadsheet's CSV) only the cells with an "@" count: headers and names
    are left aside; pasted text must be addresses only."""
    seen: dict[str, None] = {}
    for part in _SEPARATORS.split(text or ""):
        address = part.strip().strip("<>\"'").lower()
        if address and (not from_file or "@" in address):
            seen.setdefault(address, None)
    return list(seen)


@transaction.atomic
def create_invitations(
    *, survey: Survey, addresses: list[str], acting_user, base_url: str
) -> InvitationBatch:
    """Queue one single-use invitation per address (each sent by the job
    `surveys.send_invitation`, which erases the address once sent). All or
    nothing: an address that is not one refuses the whole list, naming it."""
    from surveys.collection.jobs import send_invitation

    check(acting_user, Action.RUN_SURVEYS, municipality=survey.municipality)
    if survey.status != Survey.Status.OPEN or Mode.ONLINE not in survey.modes:
        raise ValidationError(
            _("Gli inviti si mandano solo mentre l'indagine raccoglie risposte online.")
        )
    if not addresses:
        raise ValidationError(_("Indicare almeno un indirizzo e-mail."))
    limit = settings.SURVEYS_MAX_INVITATIONS
    if len(addresses) > limit:
        raise ValidationError(
            _("Al massimo %(limit)s indirizzi per volta: l'elenco ne ha %(count)s.")
            % {"limit": limit, "count": len(addresses)}
        )
    bad = []
    for address in addresses:
        try:
            if len(address) > MAX_ADDRESS_LENGTH:
                raise ValidationError("")
            validate_email(address)
        except ValidationError:
            bad.append(address[:80])
    if bad:
        shown = ", ".join(f"«{address}»" for address in bad[:10])
        more = len(bad) - 10
        message = _("Questi non sono indirizzi e-mail validi: %(list)s.") % {"list": shown}
        if more > 0:
            message += " " + _("E altri %(count)s.") % {"count": more}
        raise ValidationError(message)
    batch = InvitationBatch.objects.create(survey=survey, created_by=acting_user)
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(municipality_id=survey.municipality_id, survey=survey, batch=batch, email=a)
            for a in addresses
        ]
    )
    for invitation in invitations:
        send_invitation.defer(
            municipality=survey.municipality, invitation_id=invitation.pk, base_url=base_url
        )
    return batch
