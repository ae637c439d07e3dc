"""The reserved members area: rankings, trends, scorecards, peer groups,
context descriptors and best practices.

Members only (any officer, manager or coordinator of a member comune).
Every read of other comuni's figures runs inside the club scope, where the
database shows approved figures only; the comune's own writes (context,
best practices) run in the request's comune context.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_tables2 import RequestConfig

from benchmarking.comparisons import charts
from benchmarking.comparisons import selectors as comparisons
from benchmarking.comparisons.forms import (
    BestPracticeForm,
    ContextValueForm,
    PeerGroupForm,
    ViewChoice,
    group_choices,
    view_choice,
)
from benchmarking.comparisons.tables import (
    RankingTable,
    context_of,
    export_table,
    latest_periods,
    not_applicable_rows,
    practices_of,
    ranking_rows,
    to_csv,
    to_xlsx,
)
from benchmarking.models import BestPractice, ContextValue, Indicator, PeerGroup
from benchmarking.periods import Period
from qclub.models import Municipality, ThematicArea
from qclub.permissions import Action, can
from qclub.tenancy import SCOPE_CLUB, cross_tenant


def _require_member(request: HttpRequest) -> None:
    if not can(request.user, Action.VIEW_MEMBERS_AREA, municipality=getattr(request, "municipality", None)):
        raise PermissionDenied


@contextmanager
def _club(request: HttpRequest, reason: str):
    with cross_tenant(scope=SCOPE_CLUB, reason=reason, acting_user=request.user):
        yield


def _indicator(code: str) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("area"), code=code)


def _member_comune(slug: str) -> Municipality:
    return get_object_or_404(Municipality, slug=slug, status=Municipality.Status.MEMBER)


def read_ranking(request: HttpRequest, indicator: Indicator, choice: ViewChoice) -> tuple[comparisons.Ranking, list[Period]]:
    """The ranking the URL asks for (the latest period with results by default); club scope."""
    periods = comparisons.periods_with_results(indicator)
    period = choice.period or (periods[0] if periods else Period(timezone.now().year - 1))
    result = comparisons.ranking(
        indicator, period, viewer=request.municipality, shown=choice.shown, basis=choice.basis,
    )
    return result, periods


# --- Home ----------------------------------------------------------------------------


@login_required
@require_GET
def members(request: HttpRequest) -> HttpResponse:
    _require_member(request)
    with _club(request, "members area home"):
        latest = latest_periods()
    areas = []
    for area in ThematicArea.objects.prefetch_related("indicators").order_by("position", "name"):
        lines = [
            (indicator, Period(*latest[indicator.pk][:3]), latest[indicator.pk][3])
            for indicator in area.indicators.all() if indicator.is_active and indicator.pk in latest
        ]
        if lines:
            areas.append((area, lines))
    return render(request, "benchmarking/members/home.html", {
        "areas": areas, "nav_section": "benchmarking",
        "is_coordinator": can(request.user, Action.MANAGE_CATALOGUE),
        "can_enter": can(request.user, Action.ENTER_DATA, municipality=request.municipality),
    })


# --- Indicator view: ranking, summary, charts, context, best practices ---------------

RANKING_PAGE_SIZE = 50


@login_required
@require_GET
def ranking(request: HttpRequest, code: str) -> HttpResponse:
    _require_member(request)
    indicator = _indicator(code)
    choice = view_choice(request.GET)
    with _club(request, f"ranking {indicator.code}"):
        result, periods = read_ranking(request, indicator, choice)
        ids = [row.municipality.pk for row in result.rows + result.not_reported]
        context = context_of(ids, result.period.year)
        practices = practices_of(indicator, result.period.year)
        choices = group_choices()
    decimals = result.version.decimals if result.version else 1
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        headers, rows = export_table(result)
        name = f"classifica-{indicator.code}-{result.period.code}"
        if export == "csv":
            response = HttpResponse(to_csv(headers, rows), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                to_xlsx(headers, rows, indicator.code),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{export}"'
        return response
    table = RankingTable(ranking_rows(result), decimals=decimals, context=context, order_by=request.GET.get("ordina"))
    # A national ranking has thousands of comuni: 50 a page, the chart draws the page shown.
    RequestConfig(request, paginate={"per_page": RANKING_PAGE_SIZE}).configure(table)
    on_page = {row.record["municipality_id"] for row in table.page.object_list} if table.page else None
    bar, bar_text = charts.ranking_bar(result, decimals, only=on_page)
    box, box_text = charts.distribution(result, decimals)
    best_ids = {row.municipality.pk for row in result.best_rows}
    choice = ViewChoice(result.period, choice.shown, choice.basis, choice.context_keys, choice.comuni)
    return render(request, "benchmarking/members/ranking.html", {
        "nav_section": "benchmarking", "indicator": indicator, "result": result, "table": table,
        "periods": periods, "choice": choice, "group_choices": choices, "decimals": decimals,
        "not_applicable": not_applicable_rows(result), "context": context,
        "best_rows": result.best_rows, "min_reporters": comparisons.min_reporters(),
        "practices": practices, "best_ids": best_ids,
        "bar": bar, "bar_text": bar_text, "box": box, "box_text": box_text,
        "share_query": choice.query(), "context_keys": ",".join(choice.context_keys),
        "can_add_practice": can(request.user, Action.ENTER_DATA, municipality=request.municipality),
    })


# --- Trend ---------------------------------------------------------------------------


def read_trend(request: HttpRequest, indicator: Indicator, choice: ViewChoice):
    comuni = [_member_comune(slug) for slug in choice.comuni] or [request.municipality]
    return comuni, comparisons.trend(indicator, comuni, kind=choice.period.kind if choice.period else "Y")


@login_required
@require_GET
def trend(request: HttpRequest, code: str) -> HttpResponse:
    _require_member(request)
    indicator = _indicator(code)
    choice = view_choice(request.GET)
    with _club(request, f"trend {indicator.code}"):
        comuni, points = read_trend(request, indicator, choice)
        version = indicator.versions.order_by("-number").first()
    decimals = version.decimals if version else 1
    figure, summary = charts.trend_lines(points, comuni, decimals)
    lines = [(p, [p.values.get(c.pk) for c in comuni]) for p in points]
    return render(request, "benchmarking/members/trend.html", {
        "nav_section": "benchmarking", "indicator": indicator, "version": version, "comuni": comuni,
        "lines": lines, "figure": figure, "summary": summary, "decimals": decimals,
        "all_comuni": Municipality.objects.filter(status=Municipality.Status.MEMBER).order_by("name"),
        "chosen": {c.slug for c in comuni},
    })


# --- Scorecard -----------------------------------------------------------------------


def read_scorecard(request: HttpRequest, area_code: str | None, slug: str | None, period: Period | None):
    comune = _member_comune(slug) if slug else request.municipality
    areas = list(ThematicArea.objects.order_by("position", "name"))
    area = next((a for a in areas if a.code == area_code), None) if area_code else (areas[0] if areas else None)
    if area is None:
        raise Http404
    if period is None:
        latest = [Period(*p[:3]) for pk, p in latest_periods().items() if pk in set(area.indicators.values_list("pk", flat=True))]
        period = max(latest) if latest else Period(timezone.now().year - 1)
    return comune, area, areas, period, comparisons.scorecard(comune, area, period)


def strengths_and_gaps(lines) -> tuple[list, list]:
    """The three best and three worst indicators by percentile (no composite score)."""
    placed = sorted((line for line in lines if line.percentile is not None), key=lambda line: line.percentile)
    strengths = list(reversed(placed[-3:]))
    gaps = [line for line in placed[:3] if line not in strengths]
    return strengths, gaps


@login_required
@require_GET
def scorecard(request: HttpRequest) -> HttpResponse:
    _require_member(request)
    choice = view_choice(request.GET)
    with _club(request, "scorecard"):
        comune, area, areas, period, lines = read_scorecard(
            request, request.GET.get("area"), request.GET.get("comune"), choice.period,
        )
        context = context_of([comune.pk], period.year).get(comune.pk, [])
    strengths, gaps = strengths_and_gaps(lines)
    return render(request, "benchmarking/members/scorecard.html", {
        "nav_section": "benchmarking", "comune": comune, "area": area, "areas": areas, "period": period,
        "lines": lines, "strengths": strengths, "gaps": gaps, "context": context,
        "all_comuni": Municipality.objects.filter(status=Municipality.Status.MEMBER).order_by("name"),
        "min_reporters": comparisons.min_reporters(),
    })


# --- Peer groups (coordinators) --------------------------------------------------------


def _require_coordinator(request: HttpRequest) -> None:
    _require_member(request)
    if not can(request.user, Action.MANAGE_CATALOGUE):
        raise PermissionDenied


@login_required
@require_GET
def peer_groups(request: HttpRequest) -> HttpResponse:
    _require_member(request)
    groups = PeerGroup.objects.prefetch_related("members").order_by("name")
    return render(request, "benchmarking/members/peer_groups.html", {
        "nav_section": "benchmarking", "groups": groups,
        "is_coordinator": can(request.user, Action.MANAGE_CATALOGUE),
    })


@login_required
@require_http_methods(["GET", "POST"])
def peer_group_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_coordinator(request)
    group = get_object_or_404(PeerGroup, pk=pk) if pk else None
    form = PeerGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            if saved.created_by_id is None:
                saved.created_by = request.user
            saved.save()
            form.save_m2m()
        messages.success(request, _("Gruppo «%(name)s» salvato.") % {"name": saved.name})
        return redirect("benchmarking:peer_groups")
    return render(request, "benchmarking/members/peer_group_edit.html", {
        "nav_section": "benchmarking", "form": form, "group": group,
    })


# --- Context descriptors (the comune's own) -------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def context(request: HttpRequest) -> HttpResponse:
    _require_member(request)
    if not can(request.user, Action.ENTER_DATA, municipality=request.municipality):
        raise PermissionDenied
    try:
        # On a save, the year typed in the form wins over the one in the URL: the
        # descriptor updated is the one of that year and key.
        year = int(request.POST.get("year") or request.GET.get("anno") or timezone.now().year - 1)
    except ValueError:
        year = timezone.now().year - 1
    existing = None
    key = request.POST.get("key") or request.GET.get("chiave")
    if key:
        existing = ContextValue.objects.filter(year=year, key=key).first()
    initial = {"year": year}
    form = ContextValueForm(request.POST or None, instance=existing, initial=initial)
    if request.method == "POST" and form.is_valid():
        # One descriptor per comune, year and key: saving a known key updates it.
        saved = form.save()
        messages.success(request, _("Descrittore «%(key)s» salvato per il %(year)d.") % {"key": saved.key, "year": saved.year})
        return redirect(f"{reverse('benchmarking:context')}?anno={saved.year}")
    values = ContextValue.objects.filter(year=year).order_by("key")
    return render(request, "benchmarking/members/context.html", {
        "nav_section": "benchmarking", "form": form, "values": values, "year": year, "editing": existing,
    })


# --- Best practices ----------------------------------------------------------------------


@login_required
@require_GET
def best_practice_file(request: HttpRequest, public_id) -> FileResponse:
    """A best practice's attachment, for members only (uploads are never served
    as public media)."""
    _require_member(request)
    with _club(request, f"best practice file {public_id}"):
        practice = get_object_or_404(BestPractice, public_id=public_id)
    if not practice.attachment:
        raise Http404
    return FileResponse(
        practice.attachment.open("rb"), as_attachment=True,
        filename=practice.attachment.name.rsplit("/", 1)[-1],
    )


@login_required
@require_http_methods(["GET", "POST"])
def best_practice_add(request: HttpRequest, code: str) -> HttpResponse:
    _require_member(request)
    if not can(request.user, Action.ENTER_DATA, municipality=request.municipality):
        raise PermissionDenied
    indicator = _indicator(code)
    choice = view_choice(request.GET)
    year = choice.period.year if choice.period else timezone.now().year - 1
    form = BestPracticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        practice = form.save(commit=False)
        practice.indicator = indicator
        practice.period_year = year
        practice.created_by = request.user
        practice.save()
        messages.success(request, _("Buona pratica pubblicata per i comuni del club."))
        return redirect(f"{reverse('benchmarking:ranking', args=[indicator.code])}?periodo={year}")
    return render(request, "benchmarking/members/best_practice_add.html", {
        "nav_section": "benchmarking", "form": form, "indicator": indicator, "year": year,
    })

