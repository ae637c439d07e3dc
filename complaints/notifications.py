"""E-mails to the person who wrote: the receipt (with the private tracking
link) and the answer. Both are comune jobs queued in the transaction that
registers or answers, so nothing is sent for a change rolled back."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string

from complaints.models import Complaint, PendingReceipt
from qclub.jobs import municipality_job
from qclub.models import Municipality


def _send(template: str, context: dict, to: str) -> None:
    subject = " ".join(render_to_string(f"complaints/email/{template}_subject.txt", context).split())
    body = render_to_string(f"complaints/email/{template}.txt", context)
    send_mail(subject, body, None, [to])


@municipality_job(name="complaints.send_receipt")
def send_receipt(municipality: Municipality, *, complaint_id: int) -> None:
    """The receipt: reference code and tracking link. The link waits in
    PendingReceipt, deleted here once sent (job arguments carry only the id)."""
    pending = PendingReceipt.objects.select_related("complaint").filter(complaint_id=complaint_id).first()
    if pending is None:
        return
    complaint = pending.complaint
    if complaint.contact_email:
        _send("receipt", {"complaint": complaint, "municipality": municipality, "link": pending.link},
              complaint.contact_email)
    PendingReceipt.objects.filter(complaint_id=complaint_id).delete()


@municipality_job(name="complaints.send_answer")
def send_answer(municipality: Municipality, *, complaint_id: int) -> None:
    """The answer, to the person's e-mail, if the complaint is still answered."""
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None or complaint.status != Complaint.Status.ANSWERED or not complaint.contact_email:
        return
    _send("answer", {"complaint": complaint, "municipality": municipality}, complaint.contact_email)
