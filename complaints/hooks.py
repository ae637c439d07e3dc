"""The complaints module's side of the module contract (qclub/modules.py):
its navigation entry, the dashboard card of the comune's staff, the public
form's section on each comune's public page, the demo data, and the KPIs per
service a service charter may link to (`kpis/module_figures.py`)."""

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qclub.modules import (
    DashboardCard,
    Figure,
    FigureValue,
    MembersEntry,
    ModuleHooks,
    NavEntry,
    PublicSection,
    Viewer,
    WorkItem,
)
from qclub.permissions import Action


class ComplaintsHooks(ModuleHooks):
    def nav_entries(self) -> Sequence[NavEntry]:
        return (
            NavEntry(
                gettext_lazy("Reclami"),
                "complaints:index",
                section="complaints",
                visible_to=Action.HANDLE_COMPLAINTS,
                position=30,
            ),
        )

    def dashboard_cards(self, viewer: Viewer) -> Sequence[DashboardCard]:
        if viewer.municipality is None or not viewer.can(Action.HANDLE_COMPLAINTS):
            return ()
        from complaints.handling.selectors import work_counts

        counts = work_counts()
        index = reverse("complaints:index")
        return (
            DashboardCard(
                title=_("Reclami"),
                items=(
                    WorkItem(_("In ritardo"), counts["overdue"], reverse("complaints:overdue")),
                    WorkItem(_("Da prendere in carico"), counts["to_acknowledge"], f"{index}?stato=received"),
                ),
                link_url=index, link_label=_("Vai ai reclami"),
                empty_text=_("Nessun reclamo in ritardo o da prendere in carico."),
                position=30,
            ),
        )

    def public_sections(self, municipality) -> Sequence[PublicSection]:
        # A link to the form only: no tenant data (the section runs with no comune active).
        if not municipality.is_member:
            return ()
        return (
            PublicSection(
                title=_("Reclami, suggerimenti e apprezzamenti"),
                template="complaints/public_section.html",
                position=80,
            ),
            *_report_sections(municipality),
        )

    def members_entries(self, viewer: Viewer) -> Sequence[MembersEntry]:
        return (
            MembersEntry(
                _("Reclami a confronto"),
                _("Come i comuni gestiscono i reclami, categoria per categoria: numeri e percentuali."),
                reverse("complaints:compare"),
                position=50,
            ),
        )

    # --- The page of one service (helper svcpage): complaints/kpis/service_page.py ---
    def service_sections(self, municipality, service, audience):
        from complaints.kpis.service_page import service_sections
        return service_sections(municipality, service, audience)

    def service_codes(self, municipality, audience):
        from complaints.kpis.service_page import service_codes
        return service_codes(municipality, audience)

    def seed_demo(self, stdout) -> None:
        from complaints.demo import seed

        seed(stdout=stdout)
        from complaints.plans.demo import seed as seed_plans

        seed_plans(stdout=stdout)

    def figures(self, service) -> Sequence[Figure]:
        from complaints.kpis.module_figures import kpi_figures

        return kpi_figures(service)

    def figure_values(
        self, key: str, *, years: Sequence[int], municipality_ids: Sequence[int] | None = None
    ) -> Sequence[FigureValue]:
        from complaints.kpis.module_figures import kpi_values

        return kpi_values(key, years=years, municipality_ids=municipality_ids)


def _report_sections(municipality) -> Sequence[PublicSection]:
    """The comune's published yearly complaint reports (figures only), read in
    the public scope: an unpublished report never shows."""
    from complaints.kpis.selectors import published_reports

    reports = published_reports(municipality)
    if not reports:
        return ()
    return (
        PublicSection(
            title=_("Relazione annuale sui reclami"),
            template="complaints/kpis/public_section.html",
            context={"reports": reports},
            position=81,
        ),
    )
