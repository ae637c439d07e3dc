"""The comune's improvement plan: actions that make complaints lead to change.

An action is linked to one or more of the comune's complaints (by their
reference codes) and/or to a root cause; it has an owner, a due date and a
status; «completata» needs the measured result. Edits carry the version the
person saw (a conflict is refused, nothing is overwritten). Every way in (page,
API) calls these functions.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from complaints import policy
from complaints.models import Complaint, ImprovementAction, ImprovementLink
from qclub.permissions import Action, check

MAX_LINKS = 50
EDITABLE = ("title", "description", "service", "root_cause", "owner", "due_on", "status", "result")
S = ImprovementAction.Status


class ConcurrentEdit(ValidationError):
    pass


def parse_references(text: str) -> list[str]:
    """Reference codes typed in a box, separated by commas, spaces or new lines."""
    return list(dict.fromkeys(code.upper() for code in re.split(r"[\s,;]+", text or "") if code))


def _complaints(municipality, references: list[str]) -> list[Complaint]:
    references = list(dict.fromkeys(code.strip().upper() for code in references if code.strip()))
    if len(references) > MAX_LINKS:
        raise ValidationError({"complaints": _("Si possono collegare al massimo %(n)s segnalazioni.") % {"n": MAX_LINKS}})
    found = list(Complaint.objects.filter(municipality=municipality, reference__in=references).only("id", "reference"))
    missing = sorted(set(references) - {c.reference for c in found})
    if missing:
        raise ValidationError({"complaints": _("Segnalazioni non trovate: %(codes)s.") % {"codes": ", ".join(missing)}})
    return found


def _check(data: dict, linked: int) -> None:
    errors = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _("Scrivi l'azione.")
    if not (data.get("owner") or "").strip():
        errors["owner"] = _("Indica chi è responsabile dell'azione.")
    if not isinstance(data.get("due_on"), datetime.date):
        errors["due_on"] = _("Indica entro quando va completata.")
    if data.get("status") not in S.values:
        errors["status"] = _("Stato non valido.")
    if data.get("root_cause") and data["root_cause"] not in Complaint.RootCause.values:
        errors["root_cause"] = _("Causa non valida.")
    if not linked and not data.get("root_cause"):
        errors["complaints"] = _("Collega l'azione ad almeno una segnalazione o indica la causa che affronta.")
    if data.get("status") == S.DONE and not (data.get("result") or "").strip():
        errors["result"] = _("Per completare l'azione scrivi il risultato misurato.")
    for name, limit in (("title", 200), ("owner", 120), ("description", 5000), ("result", 3000)):
        if len(data.get(name) or "") > limit:
            errors[name] = _("Al massimo %(n)s caratteri.") % {"n": limit}
    if errors:
        raise ValidationError(errors)


def _link(action: ImprovementAction, complaints: list[Complaint]) -> None:
    wanted = {c.pk for c in complaints}
    ImprovementLink.objects.filter(action=action).exclude(complaint_id__in=wanted).delete()
    present = set(ImprovementLink.objects.filter(action=action).values_list("complaint_id", flat=True))
    ImprovementLink.objects.bulk_create([
        ImprovementLink(municipality=action.municipality, action=action, complaint_id=pk)
        for pk in sorted(wanted - present)
    ])


def _completed_on(action: ImprovementAction, previous_status: str | None) -> None:
    if action.status == S.DONE and previous_status != S.DONE:
        action.completed_on = policy.today()
    elif action.status != S.DONE:
        action.completed_on = None


@transaction.atomic
def create_action(*, municipality, user, complaint_references: list[str] = (), **data) -> ImprovementAction:
    check(user, Action.HANDLE_COMPLAINTS, municipality=municipality)
    data = {name: data.get(name) for name in EDITABLE}
    data["status"] = data["status"] or S.PLANNED
    data["root_cause"] = data["root_cause"] or ""
    data["description"], data["result"] = data["description"] or "", data["result"] or ""
    complaints = _complaints(municipality, list(complaint_references))
    _check(data, len(complaints))
    action = ImprovementAction(municipality=municipality, created_by=user, **data)
    _completed_on(action, None)
    action.save()
    _link(action, complaints)
    return action


@transaction.atomic
def update_action(
    *, action: ImprovementAction, user, version: int | None, complaint_references: list[str] | None = None, **changes,
) -> ImprovementAction:
    """Change the given fields (and, when given, the linked complaints)."""
    check(user, Action.HANDLE_COMPLAINTS, municipality=action.municipality)
    current = ImprovementAction.objects.select_for_update().select_related("municipality").get(pk=action.pk)
    if version is not None and current.version != version:
        raise ConcurrentEdit(_("Nel frattempo qualcun altro ha modificato questa azione: ricarica la pagina e riprova."))
    previous_status = current.status
    for name, value in changes.items():
        if name not in EDITABLE:
            raise ValidationError({name: _("Campo non modificabile.")})
        setattr(current, name, value if value is not None or name in ("service", "due_on") else "")
    if complaint_references is None:
        complaints = list(current.complaints.only("id"))
    else:
        complaints = _complaints(current.municipality, list(complaint_references))
    _check({name: getattr(current, name) for name in EDITABLE}, len(complaints))
    _completed_on(current, previous_status)
    current.version += 1
    current.save()
    if complaint_references is not None:
        _link(current, complaints)
    return current
