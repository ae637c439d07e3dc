"""Notifications of a comune's form: the officer has marked it ready, and the
comune's managers (who submit it) are told by e-mail.

The e-mail is sent by a comune job, deferred by `services.transition` in the
transaction that marks the form ready: it is queued only if the change commits,
runs acting for the comune, and reads the form again, so a form submitted (or
edited back) before the job runs sends nothing. The manager's dashboard lists
ready forms too (`hooks.comune_work`), whether or not the e-mail arrived.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from benchmarking.models import Submission
from qclub.jobs import municipality_job
from qclub.models import Membership, Municipality, Role


def manager_addresses(municipality: Municipality) -> list[str]:
    """The e-mail addresses of the comune's active managers (club-wide table)."""
    return list(
        Membership.objects.filter(municipality=municipality, role=Role.MANAGER, user__is_active=True)
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .distinct()
    )


@municipality_job(name="benchmarking.notify_ready")
def notify_ready(municipality: Municipality, *, submission_id: int, user_id: int | None) -> None:
    """E-mail the comune's managers that a form is ready for them, if it still is."""
    submission = (
        Submission.objects.select_related("campaign", "campaign__area").filter(pk=submission_id).first()
    )
    if submission is None or submission.status != Submission.Status.READY:
        return
    recipients = manager_addresses(municipality)
    if not recipients:
        return
    officer = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    context = {
        "campaign": submission.campaign,
        "municipality": municipality,
        "submission": submission,
        "officer": (officer.get_full_name() or officer.get_username()) if officer else "",
        "link": reverse("benchmarking:submission", args=[submission.campaign.public_id]),
    }
    subject = " ".join(render_to_string("benchmarking/email/ready_subject.txt", context).split())
    body = render_to_string("benchmarking/email/ready.txt", context)
    send_mail(subject, body, None, recipients)
