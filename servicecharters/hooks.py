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

    # The promises in force that bind other modules: a complaint deadline
    # (servicecharters/charters/commitments.py).
    def commitments(self, municipality, service) -> Sequence:
        from servicecharters.charters.commitments import commitments_of

        return commitments_of(municipality, service)
    # --- The page of one service (helper svcpage): servicecharters/service_page.py ---
    def service_sections(self, municipality, service, audience):
        from servicecharters.service_page import service_sections
        return service_sections(municipality, service, audience)

    def service_codes(self, municipality, audience):
        from servicecharters.service_page import service_codes
        return service_codes(municipality, audience)
    # chpub: the citizens' side (servicecharters/public/hooks.py).
    def public_sections(self, municipality):
        from servicecharters.public.hooks import public_sections

        return public_sections(municipality)

    def sitemaps(self):
        from servicecharters.public.hooks import sitemaps

        return sitemaps()
    # chcmp: the members' comparison and the demo data.
    def members_entries(self, viewer):
        from servicecharters.comparisons.hooks import members_entries

        return members_entries(viewer)

    def seed_demo(self, stdout) -> None:
        from servicecharters.demo import seed

        seed(stdout=stdout)
    # --- chmon: the monitoring's card (chstaff adds its own: the merge returns both) ---
    def dashboard_cards(self, viewer):
        from servicecharters.monitoring.cards import dashboard_cards

        return dashboard_cards(viewer)
    # --- end chmon ---
