"""Benchmarking's side of the module contract (qclub/modules.py): what it adds
to the core's dashboard, header, public comune page, members area, demo data
and scheduler, and the figures other modules may link to (every active
indicator, its approved yearly results: `comparisons/figures.py`). Named by
`BenchmarkingConfig.hooks`.

Every hook does bounded work: a fixed number of aggregate queries, whatever
the number of comuni, campaigns or figures.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benchmarking import demo
from benchmarking.comparisons import svg
from benchmarking.comparisons.figures import indicator_figures, indicator_values
from benchmarking.models import ApprovedResult, Campaign, ResultSummary, Submission
from benchmarking.opendata import selectors as opendata
from benchmarking.periods import Period
from qclub.models import Municipality, Service
from qclub.modules import (
    MEMBERS_SECTION,
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
from qclub.numbers import format_number
from qclub.permissions import COORDINATOR, MANAGER, MEMBER, OFFICER, Action
from qclub.tenancy import SCOPE_PUBLIC, SCOPE_REVIEW, cross_tenant

Status = Submission.Status
# "Recently" for what the club has published, on the members' card.
RECENT = datetime.timedelta(days=30)
# At most this many campaigns are listed one by one on a coordinator's card.
MAX_REVIEW_LINES = 5
# At most this many forms are named one by one under a line of a card.
MAX_FORM_LINKS = 5
# A comune's forms read for its card (open rounds and recent approvals: a handful).
MAX_FORMS = 50


# --- Dashboard ---------------------------------------------------------------------


def _form_label(area: str, period: Period) -> str:
    return _("%(area)s, %(period)s") % {"area": area, "period": period.label}


def _work_item(label: str, forms: list[tuple[str, str]], fallback: str) -> WorkItem:
    """A line counting `forms` ((label, url) each): one form is linked directly,
    a few are each listed with their link, the rest are reached from `fallback`."""
    url = forms[0][1] if len(forms) == 1 else fallback
    targets = [WorkLink(name, link) for name, link in forms[:MAX_FORM_LINKS]] if len(forms) > 1 else []
    return WorkItem(label, len(forms), url, targets)


def comune_work(viewer: Viewer, today: datetime.date | None = None) -> DashboardCard:
    """The active comune's forms that need someone, each linked to its form:
    returned to correct, past their due date (for rounds due since the comune
    joined: `Campaign.objects.past_due`), half filled, ready for the manager
    (marked by an officer), complete and ready to submit (managers only, who
    submit), and approved in the last 30 days. Three queries, bounded by the
    open campaigns; runs in the request's comune (the tenant manager filters by it)."""
    today = today or timezone.localdate()
    municipality = viewer.municipality
    since = timezone.now() - RECENT
    forms = list(
        Submission.objects.filter(municipality=municipality)
        .filter(Q(campaign__status=Campaign.Status.OPEN) | Q(status=Status.APPROVED, approved_at__gte=since))
        .values(
            "status", "filled_count", "expected_count", "unjustified_count", "approved_at",
            "campaign__public_id", "campaign__status", "campaign__area__name", "campaign__area__position",
            "campaign__period_year", "campaign__period_kind", "campaign__period_index",
        )
        .order_by("campaign__due_on", "campaign__area__position")[:MAX_FORMS]
    )
    # Overdue also counts campaigns the comune has not opened yet (no form exists).
    overdue = list(
        Campaign.objects.past_due(today, municipality)
        .exclude(
            pk__in=Submission.objects.filter(municipality=municipality, status__in=Submission.DONE).values(
                "campaign"
            )
        )
        .values("public_id", "area__name", "period_year", "period_kind", "period_index")
        .order_by("due_on", "area__position")
    )

    def link(public_id) -> str:
        return reverse("benchmarking:submission", args=[public_id])

    def named(row, prefix="campaign__") -> tuple[str, str]:
        period = Period(row[f"{prefix}period_year"], row[f"{prefix}period_kind"], row[f"{prefix}period_index"])
        return _form_label(row[f"{prefix}area__name"], period), link(row[f"{prefix}public_id"])

    editing = {Status.NOT_STARTED, Status.DRAFT, Status.READY, Status.REOPENED}
    open_forms = [row for row in forms if row["campaign__status"] == Campaign.Status.OPEN]
    returned = [named(row) for row in open_forms if row["status"] == Status.RETURNED]
    half_filled = [
        named(row) for row in open_forms
        if row["status"] in editing and 0 < row["filled_count"] < row["expected_count"]
    ]
    ready_for_manager = [named(row) for row in open_forms if row["status"] == Status.READY]
    complete = [
        named(row) for row in open_forms
        if row["status"] in editing - {Status.READY}
        and row["expected_count"] and row["filled_count"] >= row["expected_count"] and not row["unjustified_count"]
    ]
    approved = [
        named(row) for row in sorted(forms, key=lambda row: row["approved_at"] or since, reverse=True)
        if row["status"] == Status.APPROVED and row["approved_at"] and row["approved_at"] >= since
    ]
    index = reverse("benchmarking:index")
    items = [
        _work_item(_("Da correggere (restituite dal coordinatore)"), returned, index),
        _work_item(_("In ritardo"), [named(row, prefix="") for row in overdue], index),
        _work_item(_("Compilate a metà"), half_filled, index),
    ]
    if viewer.can(Action.SUBMIT_DATA):
        items.append(_work_item(_("Pronte per te: segnate dall'operatore, da controllare e inviare"),
                                ready_for_manager, index))
        items.append(_work_item(_("Complete, da inviare al coordinatore"), complete, index))
    else:
        items.append(_work_item(_("Complete: segnale come pronte per il responsabile"), complete, index))
        items.append(_work_item(_("In attesa del responsabile"), ready_for_manager, index))
    items.append(_work_item(_("Approvate negli ultimi 30 giorni"), approved, index))
    return DashboardCard(
        title=_("Benchmarking: le schede del comune"),
        items=items,
        link_url=index,
        link_label=_("Vai al benchmarking"),
        empty_text=_("Nessuna scheda aspetta il tuo intervento."),
        position=10,
    )


def review_work(viewer: Viewer, today: datetime.date | None = None) -> DashboardCard:
    """Submissions waiting for this coordinator's review, per campaign of the
    areas they coordinate (one waiting: straight to its review page), and the
    rounds past their due date still open, to close. Other comuni's rows: only
    through the audited review scope, where the database shows just the
    coordinated areas. Two queries."""
    today = today or timezone.localdate()
    with cross_tenant(
        scope=SCOPE_REVIEW, reason="cruscotto: schede da approvare", acting_user=viewer.user
    ):
        waiting = list(
            Submission.objects.filter(
                status=Status.SUBMITTED, campaign__area__coordinators__user=viewer.user
            )
            .values(
                "campaign__public_id",
                "campaign__area__name",
                "campaign__area__position",
                "campaign__period_year",
                "campaign__period_kind",
                "campaign__period_index",
            )
            .annotate(count=Count("id", distinct=True), slug=Min("municipality__slug"))
            .order_by(
                "campaign__area__position", "-campaign__period_year", "-campaign__period_index"
            )
        )
    items = []
    for line in waiting[:MAX_REVIEW_LINES]:
        period = Period(
            line["campaign__period_year"],
            line["campaign__period_kind"],
            line["campaign__period_index"],
        )
        if line["count"] == 1:
            url = reverse("benchmarking:review", args=[line["campaign__public_id"], line["slug"]])
        else:
            board = reverse("benchmarking:board", args=[line["campaign__public_id"]])
            url = f"{board}?{urlencode({'stato': Status.SUBMITTED})}"
        items.append(
            WorkItem(
                _("Da approvare: %(area)s, %(period)s")
                % {"area": line["campaign__area__name"], "period": period.label},
                line["count"],
                url,
            )
        )
    rest = sum(line["count"] for line in waiting[MAX_REVIEW_LINES:])
    if rest:
        items.append(
            WorkItem(_("Da approvare in altre campagne"), rest, reverse("benchmarking:index"))
        )
    to_close = [
        (_form_label(campaign.area.name, campaign.period), reverse("benchmarking:campaign_close", args=[campaign.public_id]))
        for campaign in Campaign.objects.past_due(today)
        .filter(area__coordinators__user=viewer.user)
        .select_related("area")
        .order_by("due_on")[:MAX_FORMS]
    ]
    items.append(_work_item(_("Scadute e ancora aperte: da chiudere"), to_close, reverse("benchmarking:campaigns")))
    return DashboardCard(
        title=_("Benchmarking: le aree che coordini"),
        items=items,
        link_url=reverse("benchmarking:campaigns"),
        link_label=_("Campagne di rilevazione"),
        empty_text=_("Nessuna scheda in attesa di approvazione."),
        position=20,
    )


def club_news(viewer: Viewer) -> DashboardCard:
    """What the club has published lately (club-wide tables only: no scope needed)."""
    since = timezone.now() - RECENT
    updated_comparisons = (
        ResultSummary.objects.filter(updated_at__gte=since, reported__gt=0)
        .values("indicator")
        .distinct()
        .count()
    )
    published = (
        Campaign.objects.filter(published_at__gte=since)
        .filter(Q(embargo_until__isnull=True) | Q(embargo_until__lte=timezone.localdate()))
        .count()
    )
    return DashboardCard(
        title=_("Benchmarking: novità dal club"),
        items=[
            WorkItem(
                _("Indicatori con confronti aggiornati negli ultimi 30 giorni"),
                updated_comparisons,
                reverse("benchmarking:members"),
            ),
            WorkItem(
                _("Rilevazioni pubblicate come dati aperti negli ultimi 30 giorni"),
                published,
                reverse("opendata:index"),
            ),
        ],
        link_url=reverse("benchmarking:members"),
        link_label=_("Vai ai confronti"),
        empty_text=_("Nessun risultato nuovo negli ultimi 30 giorni."),
        position=30,
    )


# --- Public page -------------------------------------------------------------------


def open_data_section(municipality: Municipality) -> PublicSection | None:
    """The comune's figures published as open data: the datasets it appears
    in, and the figures of the latest one. Read in the public scope (the core
    calls with no comune active), so the database shows only published
    figures past their embargo. Three queries."""
    with cross_tenant(scope=SCOPE_PUBLIC, reason=f"pagina pubblica {municipality.slug}"):
        counts = dict(
            ApprovedResult.objects.filter(municipality=municipality, value__isnull=False)
            .values_list("campaign")
            .annotate(count=Count("id"))
            .order_by()
        )
        if not counts:
            return None
        datasets = list(
            Campaign.objects.filter(pk__in=counts, published_at__isnull=False)
            .select_related("area")
            .order_by("-period_year", "-period_index", "area__position")
        )
        if not datasets:
            return None
        latest = datasets[0]
        figures = list(
            ApprovedResult.objects.filter(
                municipality=municipality, campaign=latest, value__isnull=False
            )
            .select_related("indicator", "indicator_version")
            .order_by("indicator__position", "indicator__code")[:50]
        )
        # The same indicators in the area's other published periods: the
        # comune's figures over time and the median of all comuni.
        periods = [c for c in datasets if c.area_id == latest.area_id and c.period_kind == latest.period_kind]
        history: dict[int, dict[Period, object]] = {}
        for indicator_id, year, kind, index, value in ApprovedResult.objects.filter(
            municipality=municipality, campaign__in=periods, value__isnull=False,
            indicator__in=[f.indicator_id for f in figures],
        ).values_list("indicator", "period_year", "period_kind", "period_index", "value"):
            history.setdefault(indicator_id, {})[Period(year, kind, index)] = value
        medians = opendata.public_trend([f.indicator_id for f in figures], [latest])
    ordered = sorted({Period(c.period_year, c.period_kind, c.period_index) for c in periods})
    lines = []
    for result in figures:
        values = [history.get(result.indicator_id, {}).get(period) for period in ordered]
        decimals = result.indicator_version.decimals
        text = " · ".join(
            f"{period.label}: {format_number(value, decimals)}"
            for period, value in zip(ordered, values, strict=True) if value is not None
        )
        median = next(iter(medians.get(result.indicator_id, [])), None)
        lines.append(PublicLine(
            result=result, median=median.median if median else None, trend_text=text,
            sparkline=svg.sparkline(values, title=text) if sum(v is not None for v in values) > 1 else "",
        ))
    return PublicSection(
        title=_("Gli indicatori pubblicati"),
        template="benchmarking/public_section.html",
        context={
            "datasets": [(campaign, counts[campaign.pk]) for campaign in datasets],
            "latest": latest,
            "lines": lines,
        },
        position=10,
    )


@dataclasses.dataclass(frozen=True)
class PublicLine:
    """One indicator on a comune's public page: its latest published figure,
    the median of the comuni, and its figures over the published periods (a
    sparkline whose text alternative lists them)."""

    result: ApprovedResult
    median: object
    trend_text: str
    sparkline: str


# --- The hooks ----------------------------------------------------------------------


class BenchmarkingHooks(ModuleHooks):
    def nav_entries(self) -> Sequence[NavEntry]:
        return (
            NavEntry(
                gettext_lazy("Benchmarking"),
                "benchmarking:index",
                section="benchmarking",
                visible_to=Action.VIEW_DASHBOARD,
                position=10,
            ),
            NavEntry(
                gettext_lazy("Confronti"),
                "benchmarking:members",
                section=MEMBERS_SECTION,
                visible_to=Action.VIEW_MEMBERS_AREA,
                position=11,
            ),
            NavEntry(
                gettext_lazy("Dati aperti"),
                "opendata:index",
                section="opendata",
                visible_to=Audience.EVERYONE,
                position=90,
            ),
        )

    def dashboard_cards(self, viewer: Viewer) -> Sequence[DashboardCard]:
        cards = []
        if viewer.municipality is not None and viewer.roles & {OFFICER, MANAGER}:
            cards.append(comune_work(viewer))
        if COORDINATOR in viewer.roles:
            cards.append(review_work(viewer))
        if MEMBER in viewer.roles:
            cards.append(club_news(viewer))
        return cards

    def public_sections(self, municipality: Municipality) -> Sequence[PublicSection]:
        section = open_data_section(municipality)
        return [section] if section else []

    # --- The page of one service (helper svcpage): benchmarking/reports/service_page.py ---
    def service_sections(self, municipality, service, audience):
        from benchmarking.reports.service_page import service_sections
        return service_sections(municipality, service, audience)

    def service_codes(self, municipality, audience):
        from benchmarking.reports.service_page import service_codes
        return service_codes(municipality, audience)

    def members_entries(self, viewer: Viewer) -> Sequence[MembersEntry]:
        return (
            MembersEntry(
                _("Classifiche"),
                _("Ogni indicatore: posizione dei comuni, mediana, quartili e migliore."),
                reverse("benchmarking:members"),
                position=10,
            ),
            MembersEntry(
                _("Scheda di sintesi"),
                _("Tutti gli indicatori di un'area per il tuo comune, a confronto con il club."),
                reverse("benchmarking:scorecard"),
                position=20,
            ),
            MembersEntry(
                _("Andamento nel tempo"),
                _("Dalla tabella degli indicatori, «andamento» mostra gli anni a confronto."),
                reverse("benchmarking:members"),
                position=30,
            ),
            MembersEntry(
                _("Rapporti PDF"),
                _("Il rapporto di un'area o la scheda di un comune, da scaricare."),
                reverse("benchmarking:reports"),
                position=40,
            ),
        )

    def seed_demo(self, stdout) -> None:
        demo.seed(stdout=stdout)

    def figures(self, service: Service | None) -> Sequence[Figure]:
        return indicator_figures(service)

    def figure_values(
        self, key: str, *, years: Sequence[int], municipality_ids: Sequence[int] | None = None
    ) -> Sequence[FigureValue]:
        return indicator_values(key, years=years, municipality_ids=municipality_ids)
