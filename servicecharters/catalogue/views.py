"""The club's model charters, under /carte-dei-servizi/modelli/: every
officer, manager and coordinator reads them (a comune starts its charter from
one); the coordinators of the service's area change their texts and standards.
Writes go through `catalogue.services`."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qclub.forms import show_service_errors
from qclub.permissions import Action, can, requires
from servicecharters.catalogue import selectors, services
from servicecharters.catalogue.forms import STANDARD_FIELDS, ModelStandardForm, ModelTextForm
from servicecharters.models import CharterTemplate


def _nav_section(request: HttpRequest) -> str:
    """The header marks «Modelli di carta» for those who see that entry
    (coordinators) and «Carte dei servizi» for the staff of a comune."""
    return "servicecharters-models" if can(request.user, Action.MANAGE_CATALOGUE) else "servicecharters"


def _maintainer_only(request: HttpRequest, template: CharterTemplate) -> None:
    if not services.can_maintain(request.user, template):
        raise PermissionDenied(_("Solo chi coordina l'area del servizio modifica i suoi modelli di carta."))


@login_required
@requires(Action.VIEW_DASHBOARD)
@require_GET
def models(request: HttpRequest) -> HttpResponse:
    groups: dict = {}
    for template in selectors.model_list():
        groups.setdefault(template.service, []).append(template)
    return render(request, "servicecharters/catalogue/list.html", {
        "groups": groups.items(), "nav_section": _nav_section(request),
    })


@login_required
@requires(Action.VIEW_DASHBOARD)
@require_GET
def model(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.model_get(pk)
    return render(request, "servicecharters/catalogue/detail.html", {
        "template": template, "standards": template.standards.order_by("position", "id"),
        "can_edit": services.can_maintain(request.user, template), "nav_section": _nav_section(request),
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def model_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.model_get(pk)
    _maintainer_only(request, template)
    initial = {name: getattr(template, name) for name in services.TEXT_FIELDS}
    initial["version"] = template.version
    form = ModelTextForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_model(template=template, version=form.cleaned_data["version"],
                                      acting_user=request.user, **form.text())
            except services.StaleModel as error:
                form.add_error(None, error.messages)
                template.refresh_from_db()
                form.data = form.data.copy()
                form.data["version"] = template.version  # saving again overwrites, knowingly
                status = 409
            except ValidationError as error:
                show_service_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Modello salvato."))
                return redirect("servicecharters:model", pk=template.pk)
        else:
            status = 400
    return render(request, "servicecharters/catalogue/edit.html", {
        "template": template, "form": form, "stale": status == 409, "nav_section": _nav_section(request),
    }, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def model_standard(request: HttpRequest, pk: int, standard_pk: int | None = None) -> HttpResponse:
    """Add a standard to a model charter, or change one (`standard_pk`)."""
    template = selectors.model_get(pk)
    _maintainer_only(request, template)
    standard = selectors.model_standard_get(template, standard_pk) if standard_pk else None
    initial = {name: getattr(standard, name) for name in STANDARD_FIELDS} if standard else {}
    initial["version"] = template.version
    form = ModelStandardForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        version = request.POST.get("version", "")
        if request.POST.get("delete") and standard is not None and re.fullmatch(r"[0-9]{1,9}", version):
            try:
                services.delete_model_standard(standard=standard, version=int(version), acting_user=request.user)
            except ValidationError as error:
                show_service_errors(form, error)
                status = 409 if isinstance(error, services.StaleModel) else 400
            else:
                messages.success(request, _("Standard tolto dal modello."))
                return redirect("servicecharters:model", pk=template.pk)
        elif form.is_valid():
            try:
                services.save_model_standard(template=template, version=form.cleaned_data["version"],
                                             standard=standard, acting_user=request.user, **form.terms())
            except ValidationError as error:
                show_service_errors(form, error)
                status = 409 if isinstance(error, services.StaleModel) else 400
            else:
                messages.success(request, _("Standard del modello salvato."))
                return redirect("servicecharters:model", pk=template.pk)
        else:
            status = 400
    return render(request, "servicecharters/catalogue/standard.html", {
        "template": template, "standard": standard, "form": form, "nav_section": _nav_section(request),
    }, status=status)
