"""The club's catalogue pages: every logged-in user reads the indicators, data
elements and campaigns; the coordinators of an area edit that area's
catalogue and open and close its campaigns.
Writes go through `catalogue.services` (`element_create`, `element_update`,
`indicator_create`, `indicator_update`, `open_campaign`, `campaign_close`).
"""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from benchmarking.catalogue import selectors, services
from benchmarking.catalogue.filters import CampaignFilter, DataElementFilter, IndicatorFilter
from benchmarking.catalogue.forms import (
    CampaignOpenForm,
    DataElementForm,
    FormulaPreviewForm,
    IndicatorCreateForm,
    IndicatorEditForm,
    coordinated_areas,
    element_fingerprint,
    formula_codes,
    indicator_fingerprint,
)
from benchmarking.formula import FormulaError
from benchmarking.models import Campaign, DataElement, Indicator, IndicatorVersion
from qclub.forms import show_service_errors
from qclub.permissions import Action, can, check

PER_PAGE = 25

STALE_MESSAGE = gettext_lazy(
    "Nel frattempo qualcun altro ha modificato questa voce: le tue modifiche non sono state "
    "salvate. Ricarica la pagina per vedere i valori attuali."
)


# The fields of a data element a coordinator sets on the page (area and code: on creation only).
ELEMENT_FIELDS = (
    "name", "unit", "kind", "service", "group", "position", "measurement",
    "plausible_min", "plausible_max", "change_threshold_pct", "part_of",
)


def _get_indicator(code: str, *, for_update: bool = False) -> Indicator:
    queryset = Indicator.objects.select_related("area", "service")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    return get_object_or_404(queryset, code=code)


def _get_element(code: str, *, for_update: bool = False) -> DataElement:
    queryset = DataElement.objects.select_related("area")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    return get_object_or_404(queryset, code=code)


def _current_version(indicator: Indicator) -> IndicatorVersion:
    version = indicator.versions.order_by("-number").first()
    if version is None:  # every indicator is created with version 1
        raise ValidationError(_("L'indicatore non ha una definizione."))
    return version


# --- Reading the catalogue ------------------------------------------------------------


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _by_area(rows, area_of):
    """[(area, [rows...]), ...] keeping the (area-first) order of `rows`."""
    return [(area, list(items)) for area, items in groupby(rows, key=area_of)]


@login_required
@require_http_methods(["GET", "HEAD"])
def catalogue(request: HttpRequest) -> HttpResponse:
    queryset = Indicator.objects.select_related("area", "service").order_by(
        "area__position", "area__name", "position", "code"
    )
    filters = IndicatorFilter(request.GET, queryset=queryset)
    page = _page(request, filters.qs)
    versions = selectors.current_versions(page.object_list)
    rows = [(indicator, versions.get(indicator.pk)) for indicator in page.object_list]
    return render(request, "benchmarking/catalogue/indicator_list.html", {
        "filter": filters,
        "page": page,
        "groups": _by_area(rows, lambda row: row[0].area),
        "managed_area_ids": set(coordinated_areas(request.user).values_list("pk", flat=True)),
    })


@login_required
@require_http_methods(["GET", "HEAD"])
def elements(request: HttpRequest) -> HttpResponse:
    queryset = DataElement.objects.select_related("area", "part_of", "service").order_by(
        "area__position", "area__name", "position", "code"
    )
    filters = DataElementFilter(request.GET, queryset=queryset)
    page = _page(request, filters.qs)
    return render(request, "benchmarking/catalogue/element_list.html", {
        "filter": filters,
        "page": page,
        "groups": _by_area(page.object_list, lambda element: element.area),
        "managed_area_ids": set(coordinated_areas(request.user).values_list("pk", flat=True)),
    })


@login_required
@require_http_methods(["GET", "HEAD"])
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    item = _get_indicator(code)
    versions = list(item.versions.select_related("created_by").order_by("-number"))
    return render(request, "benchmarking/catalogue/indicator_detail.html", {
        "indicator": item,
        "current": versions[0] if versions else None,
        "versions": versions,
        "codes": _codes_of(versions[0]) if versions else [],
        "can_manage": can(request.user, Action.MANAGE_CATALOGUE, area=item.area),
    })


def _codes_of(version: IndicatorVersion) -> list[str]:
    try:
        return sorted(version.parsed.codes)
    except FormulaError:  # a stored formula that no longer parses: show the page anyway
        return []


# --- Editing the catalogue ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def element_create(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.MANAGE_CATALOGUE)
    form = DataElementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            element = services.element_create(
                **{name: form.cleaned_data[name] for name in ELEMENT_FIELDS},
                area=form.cleaned_data["area"], code=form.cleaned_data["code"], acting_user=request.user,
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Dato elementare «%(code)s» creato.") % {"code": element.code})
            return redirect("benchmarking:elements")
    return render(request, "benchmarking/catalogue/element_form.html", {"form": form, "element": None})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def element_edit(request: HttpRequest, code: str) -> HttpResponse:
    element = _get_element(code, for_update=request.method == "POST")
    check(request.user, Action.MANAGE_CATALOGUE, area=element.area)
    # Taken before validation, which writes the typed values onto the instance.
    stored = element_fingerprint(element)
    form = DataElementForm(request.POST or None, instance=element, user=request.user)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["loaded"] != stored:
            form.add_error(None, STALE_MESSAGE)
        else:
            try:
                services.element_update(
                    element=element, **{name: form.cleaned_data[name] for name in ELEMENT_FIELDS},
                    acting_user=request.user,
                )
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("Dato elementare «%(code)s» aggiornato.") % {"code": element.code})
                return redirect("benchmarking:elements")
    return render(request, "benchmarking/catalogue/element_form.html", {"form": form, "element": element})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def indicator_new(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.MANAGE_CATALOGUE)
    form = IndicatorCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        item = services.indicator_create(
            indicator=form.save(commit=False), version_data=form.version_data(), user=request.user
        )
        messages.success(request, _("Indicatore «%(code)s» creato.") % {"code": item.code})
        return redirect("benchmarking:indicator", code=item.code)
    return render(request, "benchmarking/catalogue/indicator_form.html", {"form": form, "indicator": None})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def indicator_edit(request: HttpRequest, code: str) -> HttpResponse:
    item = _get_indicator(code, for_update=request.method == "POST")
    check(request.user, Action.MANAGE_CATALOGUE, area=item.area)
    version = _current_version(item)
    stored = indicator_fingerprint(item, version)
    form = IndicatorEditForm(request.POST or None, instance=item, version=version)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["loaded"] != stored:
            form.add_error(None, STALE_MESSAGE)
        else:
            saved = services.indicator_update(
                indicator=form.instance, version=version, version_data=form.version_data(),
                user=request.user,
            )
            if saved.number != version.number:
                messages.success(request, _("Definizione cambiata: creata la versione %(n)d.") % {"n": saved.number})
            else:
                messages.success(request, _("Indicatore aggiornato."))
            return redirect("benchmarking:indicator", code=item.code)
    return render(request, "benchmarking/catalogue/indicator_form.html", {
        "form": form, "indicator": item, "version": version,
    })


@login_required
@require_POST
def formula_preview(request: HttpRequest) -> HttpResponse:
    """htmx: the codes a formula uses, or why it is not valid."""
    check(request.user, Action.MANAGE_CATALOGUE)
    form = FormulaPreviewForm(request.POST)
    context: dict = {"codes": [], "error": ""}
    if form.is_valid():
        try:
            context["codes"] = formula_codes(form.cleaned_data["formula"], form.cleaned_data["area"])
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
    else:
        context["error"] = _("Formula o area non valide.")
    return render(request, "benchmarking/catalogue/_formula_preview.html", context)


# --- Campaigns -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def campaigns(request: HttpRequest) -> HttpResponse:
    queryset = (
        Campaign.objects.select_related("area")
        .annotate(indicator_count=Count("indicators"))
        .order_by("-period_year", "-period_kind", "-period_index", "area__position", "area__name")
    )
    filters = CampaignFilter(request.GET, queryset=queryset)
    page = _page(request, filters.qs)
    today = timezone.localdate()
    rows = [
        {
            "campaign": campaign,
            "collecting": campaign.status == Campaign.Status.OPEN and campaign.opens_on <= today <= campaign.due_on,
            "overdue": campaign.is_past_due(today),
        }
        for campaign in page.object_list
    ]
    return render(request, "benchmarking/catalogue/campaign_list.html", {
        "filter": filters,
        "page": page,
        "rows": rows,
        "managed_area_ids": set(coordinated_areas(request.user).values_list("pk", flat=True)),
        "can_open": can(request.user, Action.OPEN_CAMPAIGNS),
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_open(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.OPEN_CAMPAIGNS, message=_("Solo chi coordina un'area può aprire una campagna."))
    area = None
    raw_area = request.POST.get("area", "") if request.method == "POST" else request.GET.get("area", "")
    if raw_area.isdigit():
        area = coordinated_areas(request.user).filter(pk=int(raw_area)).first()
    if request.method == "POST" and "choose_area" in request.POST:
        # Without JavaScript: the area changed, show its indicators and default period,
        # keeping the dates already typed.
        typed = {name: request.POST[name] for name in ("opens_on", "due_on") if request.POST.get(name)}
        form = CampaignOpenForm(user=request.user, area=area, initial=typed)
    else:
        form = CampaignOpenForm(request.POST or None, user=request.user, area=area)
    if request.method == "POST" and form.is_bound and form.is_valid() and "period" in form.cleaned_data:
        data = form.cleaned_data
        try:
            with transaction.atomic():
                campaign = services.open_campaign(
                    area=data["area"], period=data["period"], indicators=data["indicators"],
                    opens_on=data["opens_on"], due_on=data["due_on"], user=request.user,
                )
        except ValidationError as error:
            period_field = "period_text" if data.get("period_text") else "period_year"
            for field, field_errors in error.message_dict.items():
                target = period_field if field == "period" else field
                form.add_error(target if target in form.fields else None, field_errors)
        else:
            messages.success(request, _("Campagna aperta: %(campaign)s.") % {"campaign": campaign})
            return redirect("benchmarking:campaigns")
    return render(request, "benchmarking/catalogue/campaign_form.html", {
        "form": form, "areas": coordinated_areas(request.user),
    })


def _coordinated_campaign(request: HttpRequest, public_id) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("area"), public_id=public_id)
    check(request.user, Action.OPEN_CAMPAIGNS, area=campaign.area,
          message=_("Solo chi coordina l'area può chiudere o riaprire la campagna."))
    return campaign


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_close_view(request: HttpRequest, public_id) -> HttpResponse:
    """Closing a round is confirmed first: the page says how many member comuni
    have not yet submitted; the POST with `confirm` closes it."""
    campaign = _coordinated_campaign(request, public_id)
    note = request.POST.get("note", "")
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.campaign_close(campaign=campaign, user=request.user, note=note)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Campagna chiusa: %(campaign)s. I dati ora si possono solo consultare.")
                             % {"campaign": campaign})
        return redirect("benchmarking:campaigns")
    return render(request, "benchmarking/catalogue/campaign_close.html", {
        "campaign": campaign, "forms": selectors.campaign_open_forms(campaign, request.user),
        "history": selectors.campaign_history(campaign), "note": note,
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_reopen_view(request: HttpRequest, public_id) -> HttpResponse:
    """A coordinator reopens a closed round, with a reason (required), kept in its history."""
    campaign = _coordinated_campaign(request, public_id)
    reason = request.POST.get("reason", "")
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            services.campaign_reopen(campaign=campaign, user=request.user, reason=reason)
        except ValidationError as error:
            errors = error.messages
            status = 400
        else:
            messages.success(request, _("Campagna riaperta: %(campaign)s. I comuni possono di nuovo inserire e inviare i dati.")
                             % {"campaign": campaign})
            return redirect("benchmarking:campaigns")
    return render(request, "benchmarking/catalogue/campaign_reopen.html", {
        "campaign": campaign, "history": selectors.campaign_history(campaign), "reason": reason,
        "errors": errors,
    }, status=status)


@login_required
@require_GET
def campaign_indicators(request: HttpRequest) -> HttpResponse:
    """The indicators and the default period of the area chosen on the opening
    form (htmx fragment: choosing the area swaps them in)."""
    check(request.user, Action.OPEN_CAMPAIGNS, message=_("Solo chi coordina un'area può aprire una campagna."))
    area = None
    if (raw := request.GET.get("area", "")).isdigit():
        area = coordinated_areas(request.user).filter(pk=int(raw)).first()
    form = CampaignOpenForm(user=request.user, area=area)
    return render(request, "benchmarking/catalogue/_campaign_area_fields.html", {"form": form})
