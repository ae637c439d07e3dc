"""Retention: after the comune's period, a finished complaint's personal data
is erased and the complaint kept anonymised, for the figures (kind, channel,
service, category, dates, deadlines, founded, rating stay)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from complaints import attachments, policy
from complaints.models import (
    Attachment,
    Complaint,
    ComplaintEvent,
    PendingReceipt,
)
from qclub.permissions import Action, check

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
    _anonymise(ids, on)
    return len(ids)


def _anonymise(ids: list[int], on: datetime.date) -> None:
    for path in Attachment.objects.filter(complaint_id__in=ids).values_list("path", flat=True):
        transaction.on_commit(lambda path=path: attachments.delete(path))
    Attachment.objects.filter(complaint_id__in=ids).delete()
    PendingReceipt.objects.filter(complaint_id__in=ids).delete()
    # The log of who read the data stays: it names staff, not the person.
    ComplaintEvent.objects.filter(complaint_id__in=ids).exclude(text="").update(text=ERASED)
    Complaint.objects.filter(id__in=ids).update(
        what_happened=ERASED, request="", answer="", contact_name="", contact_email="",
        contact_phone="", contact_address="", tracking_token_hash=None, anonymised_on=on,
    )


@transaction.atomic
def erase_on_request(*, complaint: Complaint, user, reason: str) -> Complaint:
    """The person asked to be forgotten (where the law allows it, the comune
    decides): erase this complaint's personal data now, keep it anonymised,
    and record who did it and why (the reason must not name the person)."""
    check(user, Action.HANDLE_COMPLAINTS, municipality=complaint.municipality)
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise ValidationError({"reason": [_("Scrivi il motivo della cancellazione (al massimo 300 caratteri).")]})
    if complaint.anonymised_on is not None:
        raise ValidationError(_("I dati personali di questa segnalazione sono già stati cancellati."))
    on = policy.today()
    _anonymise([complaint.pk], on)
    ComplaintEvent.objects.create(complaint=complaint, kind=ComplaintEvent.Kind.NOTE, actor=user,
                                  text=_("Dati personali cancellati su richiesta: %(reason)s") % {"reason": reason})
    complaint.refresh_from_db()
    return complaint


def personal_data_export(*, complaint: Complaint, user) -> dict:
    """What the comune holds about the person in this complaint (access
    request, art. 15 GDPR), as plain data for a JSON file. The caller has read
    it through `complaint_for_staff`, which logged the read."""
    check(user, Action.HANDLE_COMPLAINTS, municipality=complaint.municipality)
    return {
        "comune": complaint.municipality.name,
        "codice": complaint.reference,
        "tipo": str(complaint.get_kind_display()),
        "canale": str(complaint.get_channel_display()),
        "ricevuto_il": complaint.received_on.isoformat(),
        "stato": str(complaint.get_status_display()),
        "che_cosa_e_successo": complaint.what_happened,
        "che_cosa_chiede": complaint.request,
        "recapiti": {
            "nome": complaint.contact_name, "email": complaint.contact_email,
            "telefono": complaint.contact_phone, "indirizzo": complaint.contact_address,
        },
        "allegati": list(complaint.attachments.values_list("name", flat=True)),
        "risposta": complaint.answer,
        "risposto_il": complaint.answered_on.isoformat() if complaint.answered_on else None,
        "valutazione": complaint.rating,
        "storia": [
            {"quando": e.at.isoformat(), "stato": e.to_status}
            for e in complaint.events.filter(kind__in=["registered", "status"]).order_by("at", "id")
        ],
    }
