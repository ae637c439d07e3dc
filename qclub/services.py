"""State changes of the core: a comune's membership of the club, people's roles.

Each function validates, writes and records in one transaction (see STYLE.md).
Invalid requests raise `ValidationError` with a message users can read.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qclub.models import (
    AreaCoordinator,
    Membership,
    MembershipEvent,
    Municipality,
    Role,
    ThematicArea,
)

Status = Municipality.Status


def _change_status(
    *,
    municipality: Municipality,
    allowed_from: set[str],
    to_status: str,
    acting_user,
    note: str,
    message: str,
    on: datetime.date | None,
    reason_required: str = "",
) -> Municipality:
    # Lock the row so two administrators acting at once cannot both pass the check.
    current = Municipality.objects.select_for_update().get(pk=municipality.pk)
    if current.status not in allowed_from:
        raise ValidationError(
            message % {"name": current.name, "status": current.get_status_display()},
            code="invalid_transition",
        )
    if reason_required and not (note or "").strip():
        raise ValidationError(reason_required, code="reason_required")
    from_status = current.status
    day = on or timezone.localdate()
    current.status = to_status
    changed = ["status"]
    if to_status == Status.MEMBER:
        if from_status != Status.SUSPENDED:
            current.member_since = day
            current.left_on = None
            changed += ["member_since", "left_on"]
        current.suspended_since = None
        changed.append("suspended_since")
    elif to_status == Status.SUSPENDED:
        current.suspended_since = day
        changed.append("suspended_since")
    elif to_status == Status.FORMER:
        current.left_on = day
        current.suspended_since = None
        changed += ["left_on", "suspended_since"]
    elif to_status == Status.CANDIDATE:
        current.candidate_since = day
        changed.append("candidate_since")
    current.save(update_fields=changed)
    MembershipEvent.objects.create(
        municipality=current,
        from_status=from_status,
        to_status=to_status,
        acting_user=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        note=note[:300],
        on=day,
    )
    # Keep the caller's instance in step with the database.
    for field in changed:
        setattr(municipality, field, getattr(current, field))
    return municipality


@transaction.atomic
def propose_candidacy(
    *, municipality: Municipality, note: str = "", acting_user=None, on: datetime.date | None = None
) -> Municipality:
    """A non-member (or former member) comune becomes a candidate."""
    return _change_status(
        municipality=municipality,
        allowed_from={Status.NON_MEMBER, Status.FORMER},
        to_status=Status.CANDIDATE,
        acting_user=acting_user,
        note=note,
        on=on,
        message=_("Il Comune di %(name)s non può candidarsi: è nello stato «%(status)s»."),
    )


@transaction.atomic
def admit(
    *, municipality: Municipality, note: str = "", acting_user=None, on: datetime.date | None = None
) -> Municipality:
    """A candidate or non-member comune becomes a member from `on` (today)."""
    return _change_status(
        municipality=municipality,
        allowed_from={Status.CANDIDATE, Status.NON_MEMBER},
        to_status=Status.MEMBER,
        acting_user=acting_user,
        note=note,
        on=on,
        message=_("Il Comune di %(name)s non può essere ammesso: è nello stato «%(status)s»."),
    )


@transaction.atomic
def suspend(
    *, municipality: Municipality, note: str = "", acting_user=None, on: datetime.date | None = None
) -> Municipality:
    """Only a member can be suspended, and only with a reason (kept in the event);
    it keeps its `member_since`."""
    return _change_status(
        municipality=municipality,
        allowed_from={Status.MEMBER},
        to_status=Status.SUSPENDED,
        acting_user=acting_user,
        note=note,
        on=on,
        message=_("Il Comune di %(name)s non può essere sospeso: è nello stato «%(status)s»."),
        reason_required=_("Scrivi il motivo della sospensione."),
    )


@transaction.atomic
def reinstate(
    *, municipality: Municipality, note: str = "", acting_user=None, on: datetime.date | None = None
) -> Municipality:
    """Only a suspended comune can be reinstated; its membership continues."""
    return _change_status(
        municipality=municipality,
        allowed_from={Status.SUSPENDED},
        to_status=Status.MEMBER,
        acting_user=acting_user,
        note=note,
        on=on,
        message=_("Il Comune di %(name)s non può essere riammesso: è nello stato «%(status)s»."),
    )


@transaction.atomic
def exit_club(
    *, municipality: Municipality, note: str = "", acting_user=None, on: datetime.date | None = None
) -> Municipality:
    """A member or suspended comune leaves the club (`left_on`); its history stays."""
    return _change_status(
        municipality=municipality,
        allowed_from={Status.MEMBER, Status.SUSPENDED},
        to_status=Status.FORMER,
        acting_user=acting_user,
        note=note,
        on=on,
        message=_("Il Comune di %(name)s non può uscire dal club: è nello stato «%(status)s»."),
    )


# `exit` is the name the issue uses; `exit_club` avoids shadowing the builtin.
exit = exit_club  # noqa: A001


@transaction.atomic
def grant_role(*, user, municipality: Municipality, role: str, acting_user=None) -> Membership:
    """Give `user` `role` in `municipality`; one role per person per comune, so an
    existing role there is replaced."""
    if role not in Role.values:
        raise ValidationError(_("Ruolo sconosciuto: %(role)s.") % {"role": role}, code="invalid_role")
    if not user.is_active:
        raise ValidationError(
            _("L'utente %(user)s è disattivato.") % {"user": user.get_username()}, code="inactive_user"
        )
    membership, _created = Membership.objects.update_or_create(
        user=user, municipality=municipality, defaults={"role": role}
    )
    return membership


@transaction.atomic
def revoke_role(*, user, municipality: Municipality, acting_user=None) -> None:
    """Remove `user` from `municipality`."""
    deleted, _detail = Membership.objects.filter(user=user, municipality=municipality).delete()
    if not deleted:
        raise ValidationError(
            _("%(user)s non ha alcun ruolo nel Comune di %(name)s.")
            % {"user": user.get_username(), "name": municipality.name},
            code="no_role",
        )


@transaction.atomic
def appoint_coordinator(*, user, area: ThematicArea, acting_user=None) -> AreaCoordinator:
    """Make `user` a coordinator of `area` (idempotent)."""
    if not user.is_active:
        raise ValidationError(
            _("L'utente %(user)s è disattivato.") % {"user": user.get_username()}, code="inactive_user"
        )
    coordinator, _created = AreaCoordinator.objects.get_or_create(user=user, area=area)
    return coordinator


@transaction.atomic
def remove_coordinator(*, user, area: ThematicArea, acting_user=None) -> None:
    """`user` no longer coordinates `area`."""
    deleted, _detail = AreaCoordinator.objects.filter(user=user, area=area).delete()
    if not deleted:
        raise ValidationError(
            _("%(user)s non coordina l'area «%(area)s».")
            % {"user": user.get_username(), "area": area.name},
            code="not_coordinator",
        )
