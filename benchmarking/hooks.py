"""Benchmarking's side of the module contract (qclub/modules.py): what it adds
to the core's dashboard, header, public comune page, members area, demo data
and scheduler. Named by `BenchmarkingConfig.hooks`.

Every hook does bounded work: a fixed number of aggregate queries, whatever
the number of comuni, campaigns or figures.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benchmarking import demo
from benchmarking.models import ApprovedResult, Campaign, ResultSummary, Submission
from benchmarking.periods import Period
from qclub.models import Municipality
from qclub.modules import (
    MEMBERS_SECTION,
    Audience,
    DashboardCard,
    MembersEntry,
    ModuleHooks,
    NavEntry,
    PublicSection,
    Viewer,
    WorkItem,
)
from qclub.permissions import COORDINATOR, MANAGER, MEMBER, OFFICER, Action
from qclub.tenancy import SCOPE_PUBLIC, SCOPE_REVIEW, cross_tenant

Status = Submission.Status
# "Recently" for what the club has published, on the members' card.
RECENT = datetime.timedelta(days=30)
# At most this many campaigns are listed one by one on a coordinator's card.
MAX_REVIEW_LINES = 5


# --- Dashboard ---------------------------------------------------------------------


def comune_work(viewer: Viewer, today: datetime.date | None = None) -> DashboardCard:
    """The active comune's forms that need someone: returned to correct, past
    their due date, half filled, and (for a manager) ready to submit. Two
    queries; runs in the request's comune (the tenant manager filters by it)."""
    today = today or timezone.localdate()
    municipality = viewer.municipality
    open_forms = Submission.objects.filter(
        municipality=municipality, campaign__status=Campaign.Status.OPEN
    )
    editing = Q(status__in=[Status.NOT_STARTED, Status.DRAFT, Status.REOPENED])
    counts = open_forms.aggregate(
        returned=Count("id", filter=Q(status=Status.RETURNED)),
        half_filled=Count(
            "id", filter=editing & Q(filled_count__gt=0, filled_count__lt=F("expected_count"))
        ),
        ready=Count(
            "id",
            filter=editing
            & Q(
                expected_count__gt=0,
                filled_count__gte=F("expected_count"),
                unjustified_count=0,
            ),
        ),
    )
    # Overdue also counts campaigns the comune has not opened yet (no form exists).
    overdue = (
        Campaign.objects.past_due(today)
        .exclude(
            pk__in=Submission.objects.filter(municipality=municipality, status__in=Submission.DONE).values(
                "campaign"
            )
        )
        .count()
    )
    index = reverse("benchmarking:index")
    items = [
        WorkItem(_("Da correggere"), counts["returned"], index),
        WorkItem(_("In ritardo"), overdue, index),
        WorkItem(_("Compilate a metà"), counts["half_filled"], index),
    ]
    if viewer.can(Action.SUBMIT_DATA):
        items.append(WorkItem(_("Pronte da inviare"), counts["ready"], index))
    return DashboardCard(
        title=_("Benchmarking: le schede del comune"),
        items=items,
        link_url=index,
        link_label=_("Vai al benchmarking"),
        empty_text=_("Nessuna scheda aspetta il tuo intervento."),
        position=10,
    )


def review_work(viewer: Viewer) -> DashboardCard:
    """Submissions waiting for this coordinator's review, per campaign of the
    areas they coordinate. Other comuni's rows: only through the audited
    review scope, where the database shows just the coordinated areas."""
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
            .annotate(count=Count("id", distinct=True))
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
        board = reverse("benchmarking:board", args=[line["campaign__public_id"]])
        items.append(
            WorkItem(
                _("Da approvare: %(area)s, %(period)s")
                % {"area": line["campaign__area__name"], "period": period.label},
                line["count"],
                f"{board}?{urlencode({'stato': Status.SUBMITTED})}",
            )
        )
    rest = sum(line["count"] for line in waiting[MAX_REVIEW_LINES:])
    if rest:
        items.append(
            WorkItem(_("Da approvare in altre campagne"), rest, reverse("benchmarking:index"))
        )
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
    return PublicSection(
        title=_("Gli indicatori pubblicati"),
        template="benchmarking/public_section.html",
        context={
            "datasets": [(campaign, counts[campaign.pk]) for campaign in datasets],
            "latest": latest,
            "figures": figures,
        },
        position=10,
    )


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
