"""Registering a complaint: the one service behind the public form, the
staff's register page (counter, phone, e-mail, letter, PEC) and both APIs."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils.translation import gettext as _

from complaints import attachments, policy
from complaints.models import (
    Attachment,
    Category,
    Complaint,
    ComplaintEvent,
    PendingReceipt,
    ReferenceCounter,
    SubCategory,
)
from complaints.notifications import send_receipt
from qclub.models import Municipality
from qclub.permissions import Action, check
from qclub.tenancy import acting_for

# How far back a complaint received on paper may be registered.
MAX_DAYS_BACK = 365


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Registered:
    complaint: Complaint
    token: str  # the clear tracking token: shown once, never stored


def _next_reference(municipality_id: int, year: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ReferenceCounter._meta.db_table} (municipality_id, public_id, year, last) "
            "VALUES (%s, gen_random_uuid(), %s, 1) ON CONFLICT (municipality_id, year) "
            f"DO UPDATE SET last = {ReferenceCounter._meta.db_table}.last + 1 RETURNING last",
            [municipality_id, year],
        )
        (number,) = cursor.fetchone()
    return f"S-{year}-{number:05d}"


def _errors(*, municipality, user, kind, channel, received_on, category, subcategory, what_happened,
            request, wants_answer, contact_name, contact_email, contact_phone, contact_address) -> dict:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if municipality.status != Municipality.Status.MEMBER:
        add("__all__", _("Il Comune di %(name)s non riceve segnalazioni tramite QClub.") % {"name": municipality.name})
    if kind not in Complaint.Kind.values:
        add("kind", _("Scegli se è un reclamo, un suggerimento o un apprezzamento."))
    if channel not in Complaint.Channel.values:
        add("channel", _("Scegli il canale da cui è arrivata la segnalazione."))
    if user is None and channel != Complaint.Channel.WEB:
        add("channel", _("Dal modulo pubblico arrivano solo segnalazioni via web."))
    today = policy.today()
    if received_on > today:
        add("received_on", _("La data di ricevimento non può essere nel futuro."))
    elif (today - received_on).days > MAX_DAYS_BACK:
        add("received_on", _("La data di ricevimento non può essere di oltre un anno fa."))
    if not (what_happened or "").strip():
        add("what_happened", _("Descrivi che cosa è successo."))
    if len(what_happened or "") > Complaint._meta.get_field("what_happened").max_length:
        add("what_happened", _("Il testo è troppo lungo: al massimo 5000 caratteri."))
    if len(request or "") > Complaint._meta.get_field("request").max_length:
        add("request", _("Il testo è troppo lungo: al massimo 3000 caratteri."))
    if subcategory is not None and (category is None or subcategory.category_id != category.pk):
        add("subcategory", _("La sottocategoria non appartiene alla categoria scelta."))
    if wants_answer:
        if not (contact_name or "").strip():
            add("contact_name", _("Scrivi il nome a cui indirizzare la risposta."))
        if not any(x.strip() for x in (contact_email or "", contact_phone or "", contact_address or "")):
            add("contact_email", _("Per ricevere una risposta indica almeno un recapito: e-mail, telefono o indirizzo."))
        if contact_email:
            try:
                validate_email(contact_email)
            except ValidationError:
                add("contact_email", _("Scrivi un indirizzo e-mail valido."))
    for field, value in (("contact_name", contact_name), ("contact_email", contact_email),
                         ("contact_phone", contact_phone), ("contact_address", contact_address)):
        if len(value or "") > Complaint._meta.get_field(field).max_length:
            add(field, _("Il testo è troppo lungo."))
    return errors


@transaction.atomic
def register_complaint(
    *, municipality: Municipality, user=None, kind: str, channel: str,
    received_on: datetime.date | None = None, service=None, category: Category | None = None,
    subcategory: SubCategory | None = None, what_happened: str, request: str = "",
    wants_answer: bool = False, contact_name: str = "", contact_email: str = "",
    contact_phone: str = "", contact_address: str = "", files: Sequence = (),
    link_for: Callable[[str], str] | None = None,
) -> Registered:
    """Register a complaint for `municipality`: by a member of its staff
    (`user`, any channel, the day received) or from the public form (`user`
    None: web, today). Contact details are kept only if the person wants an
    answer. Returns the complaint and its tracking token (shown once). With an
    e-mail and `link_for(token)` (the absolute tracking link), the receipt is
    e-mailed by a job queued with this transaction."""
    if user is not None:
        check(user, Action.HANDLE_COMPLAINTS, municipality=municipality)
    received_on = received_on or policy.today()
    if user is None:
        received_on = policy.today()
    errors = _errors(
        municipality=municipality, user=user, kind=kind, channel=channel, received_on=received_on,
        category=category, subcategory=subcategory, what_happened=what_happened, request=request,
        wants_answer=wants_answer, contact_name=contact_name, contact_email=contact_email,
        contact_phone=contact_phone, contact_address=contact_address,
    )
    try:
        checked = attachments.check_files(files)
    except ValidationError as error:
        errors.setdefault("files", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    if not wants_answer:
        contact_name = contact_email = contact_phone = contact_address = ""
    token = secrets.token_urlsafe(24)
    with acting_for(municipality):
        if subcategory is not None and subcategory.municipality_id != municipality.pk:
            raise ValidationError({"subcategory": [_("Sottocategoria non trovata.")]})
        complaint = Complaint(
            municipality=municipality,
            reference=_next_reference(municipality.pk, received_on.year),
            tracking_token_hash=token_hash(token),
            kind=kind, channel=channel, received_on=received_on, clock_started_on=received_on,
            registered_by=user, service=service, category=category, subcategory=subcategory,
            what_happened=what_happened.strip(), request=(request or "").strip(),
            wants_answer=wants_answer, contact_name=contact_name.strip(),
            contact_email=contact_email.strip(), contact_phone=contact_phone.strip(),
            contact_address=contact_address.strip(),
        )
        complaint.municipality = municipality
        policy.refresh_due_dates(
            complaint, standards=policy.standards_for(municipality=municipality, service=service, kind=kind),
            suspensions=[],
        )
        complaint.save()
        ComplaintEvent.objects.create(
            complaint=complaint, kind=ComplaintEvent.Kind.REGISTERED, actor=user, by_citizen=user is None,
            to_status=complaint.status,
            text=complaint.get_channel_display(),
        )
        for item in checked:
            Attachment.objects.create(
                complaint=complaint, name=item.name, content_type=item.content_type, size=len(item.data),
                path=attachments.store(municipality_id=municipality.pk, checked=item),
            )
        if complaint.contact_email and link_for is not None:
            PendingReceipt.objects.create(complaint=complaint, link=link_for(token)[:400])
            send_receipt.defer(municipality=municipality, complaint_id=complaint.pk)
    return Registered(complaint=complaint, token=token)


def complaint_by_token(*, municipality: Municipality, token: str) -> Complaint | None:
    """The complaint a tracking link opens, read as its comune; None if none."""
    if not token or len(token) > 100:
        return None
    with acting_for(municipality):
        return (
            Complaint.objects.select_related("service", "municipality")
            .filter(tracking_token_hash=token_hash(token)).first()
        )
