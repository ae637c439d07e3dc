"""The service charters module's side of the module contract (qclub/modules.py).
Each hook delegates to the sub-package that answers it."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from qclub.modules import (
    Commitment,
    DashboardCard,
    MembersEntry,
    ModuleHooks,
    NavEntry,
    PublicSection,
    ServiceSection,
    Viewer,
)
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
            # Coordinators (who draft no charter) reach the club's model charters.
            NavEntry(
                _("Modelli di carta"),
                "servicecharters:models",
                section="servicecharters-models",
                visible_to=Action.MANAGE_CATALOGUE,
                position=41,
            ),
        )

    def dashboard_cards(self, viewer: Viewer) -> Sequence[DashboardCard]:
        # Charters waiting for someone (charters/), and the yearly monitoring (monitoring/).
        from servicecharters.charters.hooks import dashboard_cards as charter_cards
        from servicecharters.monitoring.cards import dashboard_cards as monitoring_cards

        return (*charter_cards(viewer), *monitoring_cards(viewer))

    def public_sections(self, municipality) -> Sequence[PublicSection]:
        from servicecharters.public.hooks import public_sections

        return public_sections(municipality)

    def members_entries(self, viewer: Viewer) -> Sequence[MembersEntry]:
        from servicecharters.comparisons.hooks import members_entries

        return members_entries(viewer)

    def sitemaps(self):
        from servicecharters.public.hooks import sitemaps

        return sitemaps()

    def service_sections(self, municipality, service, audience) -> Sequence[ServiceSection]:
        from servicecharters.service_page import service_sections

        return service_sections(municipality, service, audience)

    def service_codes(self, municipality, audience):
        from servicecharters.service_page import service_codes

        return service_codes(municipality, audience)

    def commitments(self, municipality, service) -> Sequence[Commitment]:
        # The promises in force that bind other modules: a complaint deadline.
        from servicecharters.charters.commitments import commitments_of

        return commitments_of(municipality, service)

    def seed_demo(self, stdout) -> None:
        # The club's model charters first, then the comuni's charters and their monitoring.
        from servicecharters.catalogue.hooks import seed_demo as seed_models
        from servicecharters.demo import seed

        seed_models(stdout)
        seed(stdout=stdout)
