"""The surveys module's side of the module contract (qclub/modules.py): a
navigation entry for those who work in it, the members area's comparisons
across comuni, the section «Cosa dicono i cittadini» of a comune's public
page, and the public pages' sitemaps."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qclub.models import Municipality
from qclub.modules import Audience, MembersEntry, ModuleHooks, NavEntry, PublicSection, Viewer
from qclub.permissions import Action
from surveys.public import selectors, sitemaps


def citizens_section(municipality: Municipality) -> PublicSection | None:
    """The comune's published surveys with their key figures and method, in
    the public scope with no comune active (published only). Three queries."""
    with selectors.public_read(f"pagina pubblica {municipality.slug}: indagini"):
        surveys = selectors.published_of(municipality)
    if not surveys:
        return None
    return PublicSection(
        title=_("Cosa dicono i cittadini"),
        template="surveys/public/section.html",
        context={"surveys": surveys},
        position=20,
    )


class SurveysHooks(ModuleHooks):
    def nav_entries(self) -> Sequence[NavEntry]:
        return (
            NavEntry(
                gettext_lazy("Indagini di soddisfazione"),
                "surveys:index",
                section="surveys",
                visible_to=Action.RUN_SURVEYS,
                position=20,
            ),
            NavEntry(
                gettext_lazy("Indagini pubblicate"),
                "surveys:public_index",
                section="surveys-public",
                visible_to=Audience.EVERYONE,
                position=85,
            ),
        )

    def public_sections(self, municipality: Municipality) -> Sequence[PublicSection]:
        section = citizens_section(municipality)
        return [section] if section else []

    def members_entries(self, viewer: Viewer) -> Sequence[MembersEntry]:
        return (
            MembersEntry(
                _("Confronti delle indagini di soddisfazione"),
                _("Le indagini chiuse dei comuni sullo stesso questionario: ogni domanda e l'indice "
                  "con gli intervalli di confidenza, il grafico a imbuto, i gruppi di confronto."),
                reverse("surveys:comparisons"),
                position=50,
            ),
        )

    def sitemaps(self) -> Mapping[str, Any]:
        return {
            "indice": sitemaps.IndexSitemap(),
            "comuni": sitemaps.ComuniSitemap(),
            "risultati": sitemaps.SurveysSitemap(),
        }
