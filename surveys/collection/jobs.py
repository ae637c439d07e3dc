"""Sending an invitation: one comune job per address, so a failure retries
only that one. The job makes the link's token, keeps only its hash, sends the
e-mail and erases the address, in one transaction: once sent, the server knows
no more who was invited."""

from __future__ import annotations

import secrets

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from qclub.jobs import municipality_job
from qclub.models import Municipality
from surveys.collection.services import hash_token
from surveys.models import Invitation


def invitation_link(base_url: str, survey, token: str) -> str:
    path = reverse("surveys:answer", args=[survey.public_id])
    return f"{base_url.rstrip('/')}{path}?{urlencode({'invito': token})}"


@municipality_job(name="surveys.send_invitation")
def send_invitation(municipality: Municipality, *, invitation_id: int, base_url: str) -> None:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("survey")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.sent or not invitation.email:
        return
    survey = invitation.survey
    if survey.status != survey.Status.OPEN:
        # Closed before the e-mail left: nothing to invite to; forget the address.
        Invitation.objects.filter(pk=invitation.pk).update(email="")
        return
    token = secrets.token_urlsafe(24)
    address = invitation.email
    context = {
        "survey": survey,
        "municipality": municipality,
        "link": invitation_link(base_url, survey, token),
    }
    subject = " ".join(render_to_string("surveys/email/invitation_subject.txt", context).split())
    body = render_to_string("surveys/email/invitation.txt", context)
    Invitation.objects.filter(pk=invitation.pk).update(
        token_hash=hash_token(token), sent=True, email=""
    )
    # Last: if sending fails, the transaction rolls back and the job retries.
    send_mail(subject, body, None, [address])
