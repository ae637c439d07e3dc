"""File import in two steps: what a file would change, then, once the person
has seen it, the change.

`stage_import` reads the upload with `imports.parse_upload` (the low-level
CSV/XLSX readers stay there) and keeps what it read in a short-lived
`PendingImport` row of the comune, for the person who uploaded it; nothing of
the submission is written. `import_differences` compares it with the values
as they are now: each change (the data element in words, old and new value),
how many rows leave their value as it is, and the values changed by someone
else since the file's template was made (the edit-conflict rule of the form
and the API, `services.is_stale`), which are not imported. `confirm_import`
saves the rest through `imports.save_parsed` (`services.save_values`: every
rule is checked again, nothing read from the browser is trusted) and deletes
the pending row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from benchmarking.collection import imports, selectors, services
from benchmarking.collection.services import Entry
from benchmarking.models import DataElement, DataValue, PendingImport, Submission
from qclub.numbers import format_number
from qclub.permissions import Action, check

PENDING_MINUTES = 30
State = DataValue.State


@dataclass(frozen=True)
class Difference:
    code: str
    element: DataElement
    old: str
    new: str
    stale: bool = False  # changed by someone else since the template was made: not imported
    changed_by: str = ""
    changed_at: datetime.datetime | None = None


@dataclass
class Differences:
    changes: list[Difference] = field(default_factory=list)
    unchanged: int = 0

    @property
    def to_import(self) -> list[Difference]:
        return [d for d in self.changes if not d.stale]

    @property
    def stale(self) -> list[Difference]:
        return [d for d in self.changes if d.stale]


def _as_json(entry: Entry) -> dict:
    return {
        "state": entry.state, "value": None if entry.value is None else str(entry.value), "note": entry.note,
        "estimated": entry.estimated, "justification": entry.justification, "seen_version": entry.seen_version,
    }


def _from_json(data: dict) -> Entry:
    return Entry(
        state=data["state"], value=None if data["value"] is None else Decimal(data["value"]),
        note=data["note"], estimated=data["estimated"], justification=data["justification"],
        seen_version=data["seen_version"],
    )


def stage_import(submission: Submission, uploaded_file, user) -> PendingImport:
    """Read the file and keep it for confirmation (raises imports.ImportRefused
    with every problem, by line and column). Earlier pending files of the same
    person and campaign, and every expired one of the comune, are dropped."""
    check(user, Action.ENTER_DATA, municipality=submission.municipality,
          message=_("Non puoi inserire dati per questo comune."))
    services.check_editable(submission)
    parsed = imports.parse_upload(uploaded_file, submission)
    if parsed.errors:
        raise imports.ImportRefused(parsed.errors)
    if not parsed.entries:
        raise imports.ImportRefused([imports.ImportProblem(None, "", _("Il file non contiene dati da importare."))])
    with transaction.atomic():
        PendingImport.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(minutes=PENDING_MINUTES)).delete()
        PendingImport.objects.filter(campaign=submission.campaign, user=user).delete()
        return PendingImport.objects.create(
            campaign=submission.campaign, user=user,
            file_name=(getattr(uploaded_file, "name", "") or "")[:200],
            entries=[[code, _as_json(entry)] for code, entry in parsed.entries],
            lines=parsed.lines,
            has_versions=any(entry.seen_version is not None for _code, entry in parsed.entries),
        )


def pending_get(public_id, campaign, user) -> PendingImport:
    """The person's own pending file for the campaign, if not expired, else 404
    (another person's, another comune's or an old one alike)."""
    pending = PendingImport.objects.filter(public_id=public_id, campaign=campaign, user=user).first()
    if pending is None or pending.created_at < timezone.now() - datetime.timedelta(minutes=PENDING_MINUTES):
        raise Http404(_("Il file caricato non c'è più: caricalo di nuovo."))
    return pending


def _shown(state: str, value: Decimal | None) -> str:
    if state == State.VALUE and value is not None:
        return format_number(value)
    return str(State(state).label).lower()


def import_differences(pending: PendingImport, submission: Submission) -> Differences:
    """What confirming would change in the submission, value by value."""
    rows = {row.element.code: row for row in selectors.submission_values(submission)}
    differences = Differences()
    for code, data in pending.entries:
        entry, row = _from_json(data), rows.get(code)
        if row is None:
            continue  # no longer in the campaign: save_values would refuse it, shown then
        if not entry.differs_from(row):
            differences.unchanged += 1
            continue
        old, new = _shown(row.state, row.value), _shown(entry.state, entry.value)
        if (row.state, row.value) == (entry.state, entry.value):
            old, new = _("nota, stima o giustificazione"), _("modificate")
        stale = services.is_stale(entry, row)
        differences.changes.append(Difference(
            code=code, element=row.element, old=old, new=new, stale=stale,
            changed_by=str(row.updated_by or "") if stale else "",
            changed_at=row.updated_at if stale else None,
        ))
    return differences


def confirm_import(pending: PendingImport, submission: Submission, user) -> imports.ImportOutcome:
    """Save the pending file's changes but those someone else changed since the
    template was made; all or nothing (imports.ImportRefused says why)."""
    if pending.user_id != user.pk:
        raise PermissionDenied
    stale = {d.code for d in import_differences(pending, submission).stale}
    parsed = imports.ParsedFile(
        entries=[(code, _from_json(data)) for code, data in pending.entries if code not in stale],
        lines=pending.lines,
    )
    with transaction.atomic():
        outcome = imports.save_parsed(submission, parsed, user)
        pending.delete()
    return outcome
