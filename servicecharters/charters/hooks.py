"""The charters' dashboard card: drafts sent back, versions waiting for the
manager's approval (the manager's), approved ones not yet published."""

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from qclub.modules import DashboardCard, Viewer, WorkItem
from qclub.permissions import Action
from servicecharters.charters.selectors import work_counts


def dashboard_cards(viewer: Viewer) -> Sequence[DashboardCard]:
    if viewer.municipality is None or not viewer.can(Action.DRAFT_CHARTERS):
        return ()
    counts = work_counts()
    index = reverse("servicecharters:index")
    items = [WorkItem(_("Bozze restituite per modifiche"), counts["returned"], f"{index}?stato=returned")]
    if viewer.can(Action.APPROVE_CHARTERS):
        items.append(WorkItem(_("Da approvare"), counts["in_approval"], f"{index}?stato=in_approval"))
        items.append(WorkItem(_("Approvate da pubblicare"), counts["approved"], f"{index}?stato=approved"))
    else:
        items.append(WorkItem(_("Approvate, in attesa di pubblicazione"), counts["approved"], f"{index}?stato=approved"))
    return (
        DashboardCard(
            title=_("Carte dei servizi"), items=tuple(items),
            link_url=index, link_label=_("Vai alle carte dei servizi"),
            empty_text=_("Nessuna carta dei servizi in attesa."),
            position=40,
        ),
    )
