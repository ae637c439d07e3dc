"""The surveys module's side of the module contract (qclub/modules.py). It has
only its index page so far: a navigation entry for those who will work in it."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from qclub.modules import ModuleHooks, NavEntry
from qclub.permissions import Action


class SurveysHooks(ModuleHooks):
    def nav_entries(self) -> Sequence[NavEntry]:
        return (
            NavEntry(
                _("Indagini di soddisfazione"),
                "surveys:index",
                section="surveys",
                visible_to=Action.RUN_SURVEYS,
                position=20,
            ),
        )
