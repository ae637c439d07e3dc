"""The service charters module's side of the module contract (qclub/modules.py).
It has only its index page so far: a navigation entry for those who will work in it."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from qclub.modules import ModuleHooks, NavEntry
from qclub.permissions import Action


class ServiceChartersHooks(ModuleHooks):
    def nav_entries(self) -> Sequence[NavEntry]:
        return (
            NavEntry(
                _("Carte dei servizi"),
                "servicecharters:index",
                section="servicecharters",
                visible_to=Action.DRAFT_CHARTERS,
                position=40,
            ),
        )

    # --- chmon: the monitoring's card (chstaff adds its own: the merge returns both) ---
    def dashboard_cards(self, viewer):
        from servicecharters.monitoring.cards import dashboard_cards

        return dashboard_cards(viewer)
    # --- end chmon ---
