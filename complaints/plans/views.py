"""The improvement plan's pages: the plan per service, a new action, an action (edit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from complaints.errors import apply_errors
from complaints.models import ImprovementAction
from complaints.plans import selectors, services
from complaints.plans.forms import ActionForm, PlanFilterForm
from qclub.permissions import Action, requires


@login_required
@requires(Action.HANDLE_COMPLAINTS)
@require_GET
def plan(request: HttpRequest) -> HttpResponse:
    form = PlanFilterForm(request.GET)
    service_id, status = None, ""
    if form.is_valid():
        service_id = form.cleaned_data["servizio"].pk if form.cleaned_data["servizio"] else None
        status = form.cleaned_data["stato"] or ""
    plans, cut = selectors.plan_by_service(request.municipality, service_id=service_id, status=status)
    return render(request, "complaints/plans/plan.html", {
        "nav_section": "complaints", "form": form, "plans": plans, "cut": cut, "max": selectors.MAX_ACTIONS,
    })


def _data(form: ActionForm) -> tuple[dict, list[str]]:
    data = {name: form.cleaned_data[name] for name in services.EDITABLE}
    return data, services.parse_references(form.cleaned_data["complaints"])


@login_required
@requires(Action.HANDLE_COMPLAINTS)
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    initial = {"status": ImprovementAction.Status.PLANNED, "complaints": request.GET.get("segnalazione", "")[:40]}
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, references = _data(form)
        try:
            action = services.create_action(
                municipality=request.municipality, user=request.user, complaint_references=references, **data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Azione aggiunta al piano di miglioramento."))
            return redirect("complaints:plan_action", public_id=action.public_id)
    return render(request, "complaints/plans/action.html", {"nav_section": "complaints", "form": form, "action": None},
                  status=400 if request.method == "POST" else 200)


@login_required
@requires(Action.HANDLE_COMPLAINTS)
@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, public_id) -> HttpResponse:
    found = ImprovementAction.objects.filter(municipality=request.municipality, public_id=public_id).first()
    if found is None:
        raise Http404(_("Azione non trovata."))
    references = selectors.linked_references(found)
    initial = {name: getattr(found, name) for name in services.EDITABLE}
    initial.update(complaints=", ".join(references), version=found.version)
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, typed = _data(form)
        try:
            found = services.update_action(
                action=found, user=request.user, version=form.cleaned_data["version"],
                complaint_references=typed, **data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Azione salvata."))
            return redirect("complaints:plan_action", public_id=found.public_id)
    return render(request, "complaints/plans/action.html", {
        "nav_section": "complaints", "form": form, "action": found, "references": references,
    }, status=400 if request.method == "POST" else 200)
