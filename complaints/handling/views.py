"""The staff's pages: the list (filters, search, overdue), a complaint with
its timeline and actions, registering one received by another channel, the
attachments (served only here) and the comune's settings."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaints import attachments as files
from complaints import policy, privacy
from complaints.errors import apply_errors
from complaints.forms import (
    AnswerForm,
    AssignForm,
    ClassifyForm,
    EraseForm,
    FilterForm,
    NoteForm,
    ReopenForm,
    SettingsForm,
    SuspendForm,
    VersionForm,
)
from complaints.handling import selectors, services
from complaints.models import Attachment, Category, Complaint, Office, SubCategory
from qclub.permissions import Action, requires

PAGE_SIZE = 25


def _filters(form: FilterForm) -> selectors.Filters:
    if not form.is_valid():
        return selectors.Filters()
    data = form.cleaned_data
    return selectors.Filters(
        status=data["stato"] or "", kind=data["tipo"] or "",
        service_id=data["servizio"].pk if data["servizio"] else None,
        overdue=bool(data["ritardo"]), query=data["q"] or "",
    )


def _list(request: HttpRequest, *, overdue_only: bool) -> HttpResponse:
    params = request.GET.copy()
    if overdue_only:
        params["ritardo"] = "on"
    form = FilterForm(params)
    filters = _filters(form)
    on = policy.today()
    counts = selectors.work_counts(on=on)
    paginator = selectors.KeysFirstPaginator(selectors.complaint_list(filters, on=on), PAGE_SIZE)
    if filters == selectors.Filters(overdue=True):
        paginator.count = counts["overdue"]  # the list's own count, already read: not counted twice
    page = paginator.get_page(request.GET.get("pagina"))
    query = params.copy()
    query.pop("pagina", None)
    return render(request, "complaints/list.html", {
        "nav_section": "complaints", "form": form, "page": page, "overdue_only": overdue_only,
        "query": query.urlencode(), "counts": counts,
    })


@login_required
@requires(Action.HANDLE_COMPLAINTS)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _list(request, overdue_only=False)


@login_required
@requires(Action.HANDLE_COMPLAINTS)
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    return _list(request, overdue_only=True)


def _action_forms(complaint: Complaint, bound: dict | None = None) -> dict:
    initial = {"version": complaint.version}
    people = services.staff_choices(complaint.municipality)
    forms = {
        "assign": AssignForm(initial={**initial, "office": complaint.office, "assignee": complaint.assignee},
                             people=people, prefix="assign"),
        "note": NoteForm(prefix="note"),
        "suspend": SuspendForm(initial=initial, prefix="suspend"),
        "answer": AnswerForm(initial={**initial, "text": complaint.answer, "root_cause": complaint.root_cause},
                             prefix="answer"),
        "reopen": ReopenForm(initial=initial, prefix="reopen"),
        "classify": ClassifyForm(initial={
            **initial, "service": complaint.service, "category": complaint.category,
            "subcategory": complaint.subcategory,
            "duplicate_of": complaint.duplicate_of.reference if complaint.duplicate_of else "",
        }, prefix="classify"),
        "simple": VersionForm(initial=initial),
        "erase": EraseForm(prefix="erase"),
    }
    forms.update(bound or {})
    return forms


def _detail(request, complaint, *, bound=None, status=200):
    allowed = services.allowed_actions(complaint)
    return render(request, "complaints/detail.html", {
        "nav_section": "complaints", "complaint": complaint, "allowed": allowed,
        "forms": _action_forms(complaint, bound), "events": selectors.timeline(complaint),
        "suspensions": list(complaint.suspensions.all()), "attachments": list(complaint.attachments.all()),
        "is_overdue": Complaint.objects.filter(pk=complaint.pk).filter(policy.overdue_q(policy.today())).exists(),
    }, status=status)


@login_required
@requires(Action.HANDLE_COMPLAINTS)
@require_GET
def detail(request: HttpRequest, public_id) -> HttpResponse:
    complaint = selectors.complaint_for_staff(user=request.user, public_id=public_id)
    return _detail(request, complaint)


ACTIONS = ("acknowledge", "start", "assign", "note", "classify", "suspend", "resume", "answer", "close", "reopen",
           "erase")


@login_required
@requires(Action.HANDLE_COMPLAINTS)
@require_POST
def act(request: HttpRequest, public_id, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    complaint = selectors.complaint_for_staff(user=request.user, public_id=public_id)
    user = request.user
    form = None
    try:
        if action in ("acknowledge", "start", "resume", "close"):
            form = VersionForm(request.POST)
            if form.is_valid():
                getattr(services, action)(complaint=complaint, user=user, version=form.cleaned_data["version"])
        elif action == "assign":
            form = AssignForm(request.POST, people=services.staff_choices(complaint.municipality), prefix="assign")
            if form.is_valid():
                d = form.cleaned_data
                services.assign(complaint=complaint, user=user, office=d["office"], assignee=d["assignee"],
                                version=d["version"])
        elif action == "note":
            form = NoteForm(request.POST, prefix="note")
            if form.is_valid():
                services.add_note(complaint=complaint, user=user, text=form.cleaned_data["text"])
        elif action == "classify":
            form = ClassifyForm(request.POST, prefix="classify")
            if form.is_valid():
                d = form.cleaned_data
                duplicate = None
                if d["duplicate_of"]:
                    duplicate = Complaint.objects.filter(reference=d["duplicate_of"].strip()).first()
                    if duplicate is None:
                        raise ValidationError({"duplicate_of": [_("Nessuna segnalazione con questo codice.")]})
                services.classify(complaint=complaint, user=user, service=d["service"], category=d["category"],
                                  subcategory=d["subcategory"], duplicate_of=duplicate, version=d["version"])
        elif action == "suspend":
            form = SuspendForm(request.POST, prefix="suspend")
            if form.is_valid():
                services.suspend(complaint=complaint, user=user, reason=form.cleaned_data["reason"],
                                 version=form.cleaned_data["version"])
        elif action == "answer":
            form = AnswerForm(request.POST, prefix="answer")
            if form.is_valid():
                d = form.cleaned_data
                services.answer(complaint=complaint, user=user, text=d["text"], root_cause=d["root_cause"],
                                founded=d["founded"], version=d["version"])
        elif action == "erase":
            form = EraseForm(request.POST, prefix="erase")
            if form.is_valid():
                privacy.erase_on_request(complaint=complaint, user=user, reason=form.cleaned_data["reason"])
        elif action == "reopen":
            form = ReopenForm(request.POST, prefix="reopen")
            if form.is_valid():
                services.reopen(complaint=complaint, user=user, reason=form.cleaned_data["reason"],
                                version=form.cleaned_data["version"])
    except ValidationError as error:
        apply_errors(form, error)
    if form is not None and not form.errors:
        messages.success(request, _("Operazione registrata."))
        return redirect("complaints:detail", complaint.public_id)
    complaint.refresh_from_db()
    key = "simple" if action in ("acknowledge", "start", "resume", "close") else action
    if key == "simple":
        for message in form.non_field_errors() or [_("La pagina non era aggiornata: ricaricala e riprova.")]:
            messages.error(request, message)
    return _detail(request, complaint, bound={key: form}, status=400)


@login_required
@requires(Action.HANDLE_COMPLAINTS)
@require_GET
def attachment(request: HttpRequest, public_id, file_id) -> FileResponse:
    complaint = selectors.complaint_for_staff(user=request.user, public_id=public_id, way="file")
    item = Attachment.objects.filter(complaint=complaint, public_id=file_id).first()
    if item is None:
        raise Http404
    try:
        handle = files.path_of(item.path).open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=item.name, content_type=item.content_type)


@login_required
@requires(Action.HANDLE_COMPLAINTS)
@require_GET
def export(request: HttpRequest, public_id) -> HttpResponse:
    """The person's data in this complaint, as a JSON file to hand over on an access request."""
    complaint = selectors.complaint_for_staff(user=request.user, public_id=public_id, way="export")
    data = privacy.personal_data_export(complaint=complaint, user=request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{complaint.reference}.json"'
    return response


@login_required
@requires(Action.HANDLE_COMPLAINTS)
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    municipality = request.municipality
    current = policy.settings_for(municipality)
    form = SettingsForm(instance=current)
    errors_status = 200
    if request.method == "POST":
        what = request.POST.get("cosa")
        try:
            if what == "impostazioni":
                form = SettingsForm(request.POST, instance=current)
                if form.is_valid():
                    services.save_settings(municipality=municipality, user=request.user, **{
                        k: form.cleaned_data[k] for k in form.Meta.fields})
                    messages.success(request, _("Impostazioni salvate."))
                    return redirect("complaints:settings")
                errors_status = 400
            elif what == "ufficio":
                services.add_office(municipality=municipality, user=request.user, name=request.POST.get("nome", ""))
                messages.success(request, _("Ufficio aggiunto."))
                return redirect("complaints:settings")
            elif what == "sottocategoria":
                category = Category.objects.filter(pk=request.POST.get("categoria") or None).first() \
                    if (request.POST.get("categoria") or "").isdigit() else None
                services.add_subcategory(municipality=municipality, user=request.user, category=category,
                                         name=request.POST.get("nome", ""))
                messages.success(request, _("Sottocategoria aggiunta."))
                return redirect("complaints:settings")
            else:
                raise Http404
        except ValidationError as error:
            if what == "impostazioni":
                apply_errors(form, error)
            else:
                for message in error.messages:
                    messages.error(request, message)
            errors_status = 400
    return render(request, "complaints/settings.html", {
        "nav_section": "complaints", "form": form, "offices": Office.objects.all()[:200],
        "subcategories": SubCategory.objects.select_related("category")[:500],
        "categories": Category.objects.all(),
    }, status=errors_status)
