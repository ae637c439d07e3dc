"""The service charters module's side of the module contract (qclub/modules.py).
Each hook is a one-line delegation to the sub-package that answers it."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from qclub.modules import DashboardCard, ModuleHooks, NavEntry, Viewer
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
            # chstaff: coordinators (who draft no charter) reach the club's model charters.
            NavEntry(
                _("Modelli di carta"),
                "servicecharters:models",
                section="servicecharters-models",
                visible_to=Action.MANAGE_CATALOGUE,
                position=41,
            ),
        )

    # chstaff: the staff's card (charters waiting for someone) and the club's model charters.
    def dashboard_cards(self, viewer: Viewer) -> Sequence[DashboardCard]:
        from servicecharters.charters.hooks import dashboard_cards

        return dashboard_cards(viewer)

    def seed_demo(self, stdout) -> None:
        from servicecharters.catalogue.hooks import seed_demo

        seed_demo(stdout)
