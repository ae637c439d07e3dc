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
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_tables2 import RequestConfig

from benchmarking.catalogue.selectors import indicator_get
from benchmarking.comparisons import charts, exports, services
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
    export_table,
    hidden_columns,
    not_applicable_rows,
    ranking_rows,
)
from qclub.forms import show_service_errors
from qclub.modules import MEMBERS_SECTION
from qclub.permissions import Action, can, requires
from qclub.tenancy import SCOPE_CLUB, cross_tenant


@contextmanager
def _club(request: HttpRequest, reason: str):
    with cross_tenant(scope=SCOPE_CLUB, reason=reason, acting_user=request.user):
        yield


# --- Home ----------------------------------------------------------------------------


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_GET
def members(request: HttpRequest) -> HttpResponse:
    with _club(request, "members area home"):
        latest = comparisons.latest_periods()
    return render(request, "benchmarking/members/home.html", {
        "areas": comparisons.home_lines(latest), "nav_section": MEMBERS_SECTION,
        "is_coordinator": can(request.user, Action.MANAGE_CATALOGUE),
        "can_enter": can(request.user, Action.ENTER_DATA, municipality=request.municipality),
    })


# --- Indicator view: ranking, summary, charts, context, best practices ---------------

RANKING_PAGE_SIZE = 50


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_GET
def ranking(request: HttpRequest, code: str) -> HttpResponse:
    indicator = indicator_get(code)
    choice = view_choice(request.GET)
    with _club(request, f"ranking {indicator.code}"):
        result, periods = comparisons.read_ranking(
            indicator, viewer=request.municipality, period=choice.period, shown=choice.shown, basis=choice.basis,
        )
        ids = [row.municipality.pk for row in result.rows + result.not_reported]
        context = comparisons.context_of(ids, result.period.year)
        practices = comparisons.practices_of(indicator, result.period.year)
        choices = group_choices()
    decimals = result.version.decimals if result.version else 1
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        headers, rows = export_table(result)
        name = f"classifica-{indicator.code}-{result.period.code}"
        if export == "csv":
            response = HttpResponse(exports.italian_csv(headers, rows), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                exports.to_xlsx(headers, rows, indicator.code),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{export}"'
        return response
    table = RankingTable(
        ranking_rows(result), decimals=decimals, context=context, order_by=request.GET.get("ordina"),
        exclude=hidden_columns(result),
    )
    # A national ranking has thousands of comuni: 50 a page, the chart draws the page shown.
    RequestConfig(request, paginate={"per_page": RANKING_PAGE_SIZE}).configure(table)
    on_page = {row.record["municipality_id"] for row in table.page.object_list} if table.page else None
    bar, bar_text = charts.ranking_bar(result, decimals, only=on_page)
    box, box_text = charts.distribution(result, decimals)
    best_ids = {row.municipality.pk for row in result.best_rows}
    choice = ViewChoice(result.period, choice.shown, choice.basis, choice.context_keys, choice.comuni)
    return render(request, "benchmarking/members/ranking.html", {
        "nav_section": MEMBERS_SECTION, "indicator": indicator, "result": result, "table": table,
        "periods": periods, "choice": choice, "group_choices": choices, "decimals": decimals,
        "not_applicable": not_applicable_rows(result), "context": context,
        "best_rows": result.best_rows, "min_reporters": comparisons.min_reporters(),
        "practices": practices, "best_ids": best_ids,
        "bar": bar, "bar_text": bar_text, "box": box, "box_text": box_text,
        "share_query": choice.query(), "context_keys": ",".join(choice.context_keys),
        "can_add_practice": can(request.user, Action.ENTER_DATA, municipality=request.municipality),
    })


# --- Trend ---------------------------------------------------------------------------


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_GET
def trend(request: HttpRequest, code: str) -> HttpResponse:
    indicator = indicator_get(code)
    choice = view_choice(request.GET)
    with _club(request, f"trend {indicator.code}"):
        comuni, points = comparisons.read_trend(
            indicator, viewer=request.municipality, slugs=choice.comuni,
            kind=choice.period.kind if choice.period else "Y",
        )
        version = indicator.versions.order_by("-number").first()
    decimals = version.decimals if version else 1
    figure, summary = charts.trend_lines(points, comuni, decimals, version)
    lines = [(p, [p.values.get(c.pk) for c in comuni]) for p in points]
    return render(request, "benchmarking/members/trend.html", {
        "nav_section": MEMBERS_SECTION, "indicator": indicator, "version": version, "comuni": comuni,
        "lines": lines, "figure": figure, "summary": summary, "decimals": decimals,
        "all_comuni": comparisons.member_comuni(),
        "chosen": {c.slug for c in comuni},
    })


# --- Scorecard -----------------------------------------------------------------------


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_GET
def scorecard(request: HttpRequest) -> HttpResponse:
    choice = view_choice(request.GET)
    with _club(request, "scorecard"):
        comune, area, areas, period, lines = comparisons.read_scorecard(
            viewer=request.municipality, area_code=request.GET.get("area"),
            slug=request.GET.get("comune"), period=choice.period,
        )
        context = comparisons.context_of([comune.pk], period.year).get(comune.pk, [])
    strengths, gaps = comparisons.strengths_and_gaps(lines)
    return render(request, "benchmarking/members/scorecard.html", {
        "nav_section": MEMBERS_SECTION, "comune": comune, "area": area, "areas": areas, "period": period,
        "lines": lines, "strengths": strengths, "gaps": gaps, "context": context,
        "all_comuni": comparisons.member_comuni(),
        "min_reporters": comparisons.min_reporters(),
    })


# --- Peer groups (coordinators) --------------------------------------------------------


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_GET
def peer_groups(request: HttpRequest) -> HttpResponse:
    return render(request, "benchmarking/members/peer_groups.html", {
        "nav_section": MEMBERS_SECTION, "groups": comparisons.peer_group_list(),
        "is_coordinator": can(request.user, Action.MANAGE_CATALOGUE),
    })


@login_required
@requires(Action.VIEW_MEMBERS_AREA, Action.MANAGE_CATALOGUE)
@require_http_methods(["GET", "POST"])
def peer_group_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    group = comparisons.peer_group_get(pk) if pk else None
    form = PeerGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.peer_group_save(
                group=group, name=data["name"], description=data["description"], members=data["members"],
                acting_user=request.user,
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Gruppo «%(name)s» salvato.") % {"name": saved.name})
            return redirect("benchmarking:peer_groups")
    return render(request, "benchmarking/members/peer_group_edit.html", {
        "nav_section": MEMBERS_SECTION, "form": form, "group": group,
    })


# --- Context descriptors (the comune's own) -------------------------------------------


@login_required
@requires(Action.VIEW_MEMBERS_AREA, Action.ENTER_DATA)
@require_http_methods(["GET", "POST"])
def context(request: HttpRequest) -> HttpResponse:
    try:
        # On a save, the year typed in the form wins over the one in the URL: the
        # descriptor updated is the one of that year and key.
        year = int(request.POST.get("year") or request.GET.get("anno") or timezone.now().year - 1)
    except ValueError:
        year = timezone.now().year - 1
    key = request.POST.get("key") or request.GET.get("chiave")
    existing = comparisons.context_value_find(year=year, key=key) if key else None
    form = ContextValueForm(request.POST or None, instance=existing, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One descriptor per comune, year and key: saving a known key updates it.
            saved = services.context_value_save(
                municipality=request.municipality, year=data["year"], key=data["key"], value=data["value"],
                note=data["note"], shared=data["shared"], acting_user=request.user,
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Descrittore «%(key)s» salvato per il %(year)d.") % {"key": saved.key, "year": saved.year})
            return redirect(f"{reverse('benchmarking:context')}?anno={saved.year}")
    return render(request, "benchmarking/members/context.html", {
        "nav_section": MEMBERS_SECTION, "form": form, "values": comparisons.context_values(year), "year": year,
        "editing": existing,
    })


# --- Best practices ----------------------------------------------------------------------


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_GET
def best_practice_file(request: HttpRequest, public_id) -> FileResponse:
    """A best practice's attachment, for members only (uploads are never served
    as public media)."""
    with _club(request, f"best practice file {public_id}"):
        practice = comparisons.best_practice_get(public_id)
    if not practice.attachment:
        raise Http404
    return FileResponse(
        practice.attachment.open("rb"), as_attachment=True,
        filename=practice.attachment.name.rsplit("/", 1)[-1],
    )


@login_required
@requires(Action.VIEW_MEMBERS_AREA, Action.ENTER_DATA)
@require_http_methods(["GET", "POST"])
def best_practice_add(request: HttpRequest, code: str) -> HttpResponse:
    indicator = indicator_get(code)
    choice = view_choice(request.GET)
    year = choice.period.year if choice.period else timezone.now().year - 1
    form = BestPracticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.best_practice_add(
                municipality=request.municipality, indicator=indicator, period_year=year,
                title=data["title"], description=data["description"], contact=data["contact"],
                link=data["link"], attachment=data["attachment"], acting_user=request.user,
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Buona pratica pubblicata per i comuni del club."))
            return redirect(f"{reverse('benchmarking:ranking', args=[indicator.code])}?periodo={year}")
    return render(request, "benchmarking/members/best_practice_add.html", {
        "nav_section": MEMBERS_SECTION, "form": form, "indicator": indicator, "year": year,
    })
