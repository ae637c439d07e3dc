"""Retention: after the comune's period, a finished complaint's personal data
is erased and the complaint kept anonymised, for the figures (kind, channel,
service, category, dates, deadlines, founded, rating stay)."""

from __future__ import annotations

import datetime

from django.db import transaction

from complaints import policy
from complaints.intake import attachments
from complaints.models import (
    Attachment,
    Complaint,
    ComplaintEvent,
    PendingReceipt,
    PersonalDataRead,
)

ERASED = "—"


def retention_cutoff(municipality, on: datetime.date) -> datetime.date:
    months = policy.settings_for(municipality).retention_months
    year, month = divmod(on.year * 12 + on.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(on.day, 28))


@transaction.atomic
def erase_expired_personal_data(*, municipality, on: datetime.date | None = None) -> int:
    """Acting for `municipality`: anonymise its complaints answered or closed
    before the retention cutoff. Returns how many."""
    on = on or policy.today()
    cutoff = retention_cutoff(municipality, on)
    expired = Complaint.objects.filter(
        anonymised_on__isnull=True, status__in=[Complaint.Status.ANSWERED, Complaint.Status.CLOSED],
        received_on__lt=cutoff,
    ).filter(answered_on__lt=cutoff) | Complaint.objects.filter(
        anonymised_on__isnull=True, status=Complaint.Status.CLOSED, received_on__lt=cutoff,
        closed_on__lt=cutoff,
    )
    ids = list(expired.values_list("id", flat=True)[:5000])
    if not ids:
        return 0
    for path in Attachment.objects.filter(complaint_id__in=ids).values_list("path", flat=True):
        transaction.on_commit(lambda path=path: attachments.delete(path))
    Attachment.objects.filter(complaint_id__in=ids).delete()
    PendingReceipt.objects.filter(complaint_id__in=ids).delete()
    PersonalDataRead.objects.filter(complaint_id__in=ids).delete()
    ComplaintEvent.objects.filter(complaint_id__in=ids).exclude(text="").update(text=ERASED)
    Complaint.objects.filter(id__in=ids).update(
        what_happened=ERASED, request="", answer="", contact_name="", contact_email="",
        contact_phone="", contact_address="", tracking_token_hash=None, anonymised_on=on,
    )
    return len(ids)
