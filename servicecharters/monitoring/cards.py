"""The monitoring's dashboard card (delegated from servicecharters/hooks.py):
last year's standards missed two years running, and last year's monitoring
not yet computed or not yet published. A few counts, bounded."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from qclub.modules import DashboardCard, Viewer, WorkItem, WorkLink
from qclub.permissions import Action
from servicecharters.monitoring import selectors


def _year_url(charter, year: int) -> str:
    return reverse("servicecharters:monitoring", args=[charter.public_id, year])


def dashboard_cards(viewer: Viewer) -> Sequence[DashboardCard]:
    if viewer.municipality is None or not viewer.can(Action.DRAFT_CHARTERS):
        return ()
    year = selectors.last_year()
    missed_count, missed = selectors.missed_twice(year)
    due = selectors.monitoring_due(year)
    items = [
        WorkItem(
            _("Standard mancati due anni di seguito (%(before)s e %(year)s)") % {"before": year - 1, "year": year},
            missed_count,
            _year_url(missed[0].report.charter, year) if missed else "",
            targets=tuple(
                WorkLink(f"{r.report.charter.service.name}: {r.standard.title}",
                         f"{_year_url(r.report.charter, year)}#standard-{r.standard.public_id}")
                for r in missed
            ),
        ),
    ]
    for key, label in (
        ("to_compute", _("Monitoraggio %(year)s da calcolare") % {"year": year}),
        ("to_publish", _("Monitoraggio %(year)s da pubblicare") % {"year": year}),
    ):
        count, charters = due[key]
        items.append(WorkItem(
            label, count, _year_url(charters[0], year) if charters else "",
            targets=tuple(WorkLink(c.service.name, _year_url(c, year)) for c in charters),
        ))
    return (
        DashboardCard(
            title=_("Carte dei servizi: monitoraggio"),
            items=tuple(items),
            link_url=reverse("servicecharters:index"), link_label=_("Vai alle carte dei servizi"),
            empty_text=_("Monitoraggio dell'anno scorso completo, nessuno standard mancato due anni di seguito."),
            position=45,
        ),
    )
