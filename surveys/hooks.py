"""The surveys module's side of the module contract (qclub/modules.py): the
header entries, the dashboard card of a comune's officers and managers, the
members area's comparisons across comuni, the section «Cosa dicono i
cittadini» of a comune's public page, the public pages' sitemaps, the demo
data, and the figures a service charter may link to (published surveys' items
and index: `comparisons/figures.py`). Bounded work: the card reads two
aggregate queries."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qclub.models import Municipality, Service
from qclub.modules import (
    Audience,
    DashboardCard,
    Figure,
    FigureValue,
    MembersEntry,
    ModuleHooks,
    NavEntry,
    PublicSection,
    Viewer,
    WorkItem,
    WorkLink,
)
from qclub.permissions import MANAGER, OFFICER, Action
from surveys import demo
from surveys.comparisons.figures import survey_figures, survey_values
from surveys.fieldwork import selectors as fieldwork
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
            # Coordinators (who run no survey) reach the club's questionnaires.
            NavEntry(
                gettext_lazy("Questionari"),
                "surveys:questionnaires",
                section="surveys-questionnaires",
                visible_to=Action.MANAGE_QUESTIONNAIRES,
                position=21,
            ),
            NavEntry(
                gettext_lazy("Indagini pubblicate"),
                "surveys:public_index",
                section="surveys-public",
                visible_to=Audience.EVERYONE,
                position=85,
            ),
        )

    def dashboard_cards(self, viewer: Viewer) -> Sequence[DashboardCard]:
        if viewer.municipality is None or not viewer.roles & {OFFICER, MANAGER}:
            return ()
        return (survey_work(viewer),)

    def seed_demo(self, stdout) -> None:
        demo.seed(stdout=stdout)

    def public_sections(self, municipality: Municipality) -> Sequence[PublicSection]:
        section = citizens_section(municipality)
        return [section] if section else []

    def members_entries(self, viewer: Viewer) -> Sequence[MembersEntry]:
        return (
            MembersEntry(
                _("Confronti delle indagini di soddisfazione"),
                _(
                    "Le indagini chiuse dei comuni sullo stesso questionario: ogni domanda e l'indice "
                    "con gli intervalli di confidenza, il grafico a imbuto, i gruppi di confronto."
                ),
                reverse("surveys:comparisons"),
                position=50,
            ),
        )

    # --- The page of one service (helper svcpage): surveys/comparisons/service_page.py ---
    def service_sections(self, municipality, service, audience):
        from surveys.comparisons.service_page import service_sections
        return service_sections(municipality, service, audience)

    def service_codes(self, municipality, audience):
        from surveys.comparisons.service_page import service_codes
        return service_codes(municipality, audience)

    def sitemaps(self) -> Mapping[str, Any]:
        return {
            "indice": sitemaps.IndexSitemap(),
            "comuni": sitemaps.ComuniSitemap(),
            "risultati": sitemaps.SurveysSitemap(),
        }

    def figures(self, service: Service | None) -> Sequence[Figure]:
        return survey_figures(service)

    def figure_values(
        self, key: str, *, years: Sequence[int], municipality_ids: Sequence[int] | None = None
    ) -> Sequence[FigureValue]:
        return survey_values(key, years=years, municipality_ids=municipality_ids)


def _item(label: str, surveys, describe, *, always_name: bool = False) -> WorkItem:
    """A line counting `surveys` (a few of them with `.total`): one is linked
    directly, a few are each named, the rest are on the list. `always_name`:
    name even a single one (its progress is the news)."""
    links = [
        WorkLink(
            describe(survey), reverse("surveys:survey", kwargs={"public_id": survey.public_id})
        )
        for survey in surveys
    ]
    url = links[0].url if surveys.total == 1 and links else reverse("surveys:index")
    return WorkItem(label, surveys.total, url, links if surveys.total > 1 or always_name else [])


def survey_work(viewer: Viewer) -> DashboardCard:
    """Surveys collecting answers (answers vs target), closed but not yet
    published (managers publish), in preparation."""
    work = fieldwork.work_counts(viewer.municipality)

    def with_progress(survey) -> str:
        if survey.target_sample:
            return _("%(title)s: %(n)d risposte su %(target)d") % {
                "title": survey.title,
                "n": survey.response_count,
                "target": survey.target_sample,
            }
        return _("%(title)s: %(n)d risposte") % {"title": survey.title, "n": survey.response_count}

    items = [
        _item(_("Indagini in corso"), work.open_surveys, with_progress, always_name=True),
        _item(
            _("Indagini chiuse da pubblicare")
            if MANAGER in viewer.roles
            else _("Indagini chiuse, in attesa che il responsabile le pubblichi"),
            work.to_publish,
            lambda survey: survey.title,
        ),
        _item(_("Indagini in preparazione"), work.drafts, lambda survey: survey.title),
    ]
    return DashboardCard(
        title=_("Indagini di soddisfazione"),
        items=items,
        link_url=reverse("surveys:index"),
        link_label=_("Vai alle indagini"),
        empty_text=_("Nessuna indagine in corso, da pubblicare o in preparazione."),
        position=20,
    )
