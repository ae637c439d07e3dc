"""The standards of a draft version: add, change, remove (after a
confirmation), and the target proposed from the peers (an htmx fragment, or a
page of its own without JavaScript). Every write goes through
`charters.services.save_standard` / `delete_standard`."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qclub.numbers import NumberError, format_number, input_text, parse_number
from qclub.permissions import Action, requires
from servicecharters.charters import selectors as charters
from servicecharters.charters import services
from servicecharters.models import CharterStandard, CharterVersion, StandardTerms
from servicecharters.standards import links, proposal, selectors
from servicecharters.standards.forms import StandardForm, apply_errors, initial_for

Comparator = StandardTerms.Comparator
NAV = "servicecharters"
# What the proposal's htmx requests send: the terms it reads (a GET: never
# the whole form, whose CSRF token would end up in a URL).
PROPOSAL_FIELDS = "#id_figure_ref, #id_comparator, [name=kind], #id_target_value, #id_compliance_pct, #id_gruppo"


def _version(public_id, number: int) -> CharterVersion:
    charter = charters.charter_get(public_id)
    version = charters.version_get(charter, number)
    version.charter = charter
    return version


def _base_context(version: CharterVersion) -> dict:
    return {
        "nav_section": NAV, "version": version, "charter": version.charter,
        "charter_url": links.charter_url(version.charter), "version_url": links.version_url(version),
    }


def _not_editable(request: HttpRequest, version: CharterVersion) -> HttpResponse:
    # 409: the request is fine, the version's state does not allow it.
    return render(request, "servicecharters/standards/not_editable.html", _base_context(version), status=409)


# --- The proposal ------------------------------------------------------------------


def _number(raw: str | None) -> tuple[Decimal | None, str]:
    if not (raw or "").strip():
        return None, ""
    try:
        return parse_number(raw), ""
    except NumberError as error:
        return None, str(error)


def _proposal_context(request: HttpRequest, version: CharterVersion, data) -> tuple[dict, int]:
    """What the proposal region shows for the terms typed (`data`: the
    form's fields, from the query or the posted form), and the status."""
    service = version.charter.service
    ref = (data.get("figure_ref") or "").strip()
    kind = data.get("kind") or StandardTerms.Kind.GENERAL
    comparator = data.get("comparator") or Comparator.AT_MOST
    field = proposal.compared_field(kind, comparator)
    context = {
        "version": version, "charter": version.charter, "figure_ref": ref, "comparator": comparator,
        "field": field, "field_id": f"id_{field}", "groups": selectors.peer_groups(),
    }
    if not ref:
        return {**context, "state": "manual"}, 200
    figure = selectors.linkable_figure(ref, service)
    if figure is None:
        return {**context, "state": "unknown"}, 400
    if comparator == Comparator.YES_NO or comparator not in Comparator.values:
        return {**context, "state": "yes_no", "figure": figure}, 200
    group = selectors.peer_group_get(data.get("gruppo"))
    threshold, number_error = _number(data.get(field))
    found = proposal.proposal_for(
        figure=figure, kind=kind, comparator=comparator, threshold=threshold,
        municipality=request.municipality, group=group,
    )
    shown = {
        name: format_number(getattr(found, name))
        for name in ("median", "top_quartile", "own_value", "threshold")
    }
    return {
        **context, "state": "figure", "figure": figure, "proposal": found, "group": group,
        "shown": shown, "number_error": number_error,
        "fill": {"median": input_text(found.median), "top_quartile": input_text(found.top_quartile)},
    }, 200


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_GET
def propose(request: HttpRequest, public_id, number: int) -> HttpResponse:
    """The peers' distribution of the figure chosen (`?figure_ref=`), with
    the value typed (`target_value` or `compliance_pct`) and an optional
    peer group (`gruppo`)."""
    version = _version(public_id, number)
    context, status = _proposal_context(request, version, request.GET)
    if request.headers.get("HX-Request"):
        return render(request, "servicecharters/standards/_proposal.html", {
            "proposal_context": context, "in_form": True,
        }, status=status)
    return render(request, "servicecharters/standards/proposal.html", {
        **_base_context(version), "proposal_context": context,
    }, status=status)


# --- Add, change, remove -----------------------------------------------------------


def _standard_page(request: HttpRequest, version: CharterVersion, standard: CharterStandard | None) -> HttpResponse:
    if not version.is_editable:
        return _not_editable(request, version)
    posted = request.method == "POST"
    form = StandardForm(
        request.POST if posted else None, initial=initial_for(standard) if standard else {},
        service=version.charter.service,
    )
    if posted and form.is_valid():
        try:
            services.save_standard(version=version, standard=standard, acting_user=request.user, **form.terms())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Standard salvato.") if standard else _("Standard aggiunto alla bozza."))
            return redirect(links.version_url(version))
    data = request.POST if posted else {
        name: (input_text(value) if isinstance(value, Decimal) else value)
        for name, value in (initial_for(standard) if standard else {}).items()
    }
    proposal_context, _status = _proposal_context(request, version, data)
    return render(request, "servicecharters/standards/standard_form.html", {
        **_base_context(version), "form": form, "standard": standard, "proposal_context": proposal_context,
        "propose_url": reverse("servicecharters:propose", args=[version.charter.public_id, version.number]),
        "proposal_fields": PROPOSAL_FIELDS,
    }, status=400 if posted else 200)


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_http_methods(["GET", "POST"])
def standard_add(request: HttpRequest, public_id, number: int) -> HttpResponse:
    return _standard_page(request, _version(public_id, number), None)


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_http_methods(["GET", "POST"])
def standard_edit(request: HttpRequest, public_id, number: int, standard_id) -> HttpResponse:
    version = _version(public_id, number)
    return _standard_page(request, version, selectors.standard_get(version, standard_id))


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_http_methods(["GET", "POST"])
def standard_delete(request: HttpRequest, public_id, number: int, standard_id) -> HttpResponse:
    version = _version(public_id, number)
    standard = selectors.standard_get(version, standard_id)
    if not version.is_editable:
        return _not_editable(request, version)
    error = ""
    if request.method == "POST":
        try:
            services.delete_standard(standard=standard, acting_user=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Standard «%(title)s» tolto dalla bozza.") % {"title": standard.title})
            return redirect(links.version_url(version))
    return render(request, "servicecharters/standards/standard_delete.html", {
        **_base_context(version), "standard": standard, "error": error,
    }, status=400 if error else 200)
