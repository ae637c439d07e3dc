"""The comparison's entry in the members area (servicecharters/hooks.py delegates here)."""

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from qclub.modules import MembersEntry, Viewer


def members_entries(viewer: Viewer) -> Sequence[MembersEntry]:
    return (
        MembersEntry(
            _("Carte dei servizi a confronto"),
            _("Quali standard promette ogni comune per lo stesso servizio, quanto sono ambiziosi rispetto agli altri e quanto spesso sono rispettati."),
            reverse("servicecharters:compare"),
            position=60,
        ),
    )
