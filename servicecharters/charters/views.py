"""The comune's charters, under /carte-dei-servizi/: the list, a new charter
(empty or from a club model), a charter's page with its versions and history,
a version's page (sections, standards, what changed), the draft's texts with
a live preview, and each workflow step after a confirmation page. Officers
and managers of the comune (`DRAFT_CHARTERS`); approving, returning and
publishing are the manager's, refused by the services for anyone else.
Another comune's charter is not found. Writes go through `charters.services`."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qclub.forms import show_service_errors
from qclub.permissions import Action, can, requires
from servicecharters import text
from servicecharters.charters import selectors, services
from servicecharters.charters.forms import (
    CreateCharterForm,
    PreviewForm,
    PublishForm,
    ReturnForm,
    VersionTextForm,
    parse_id,
    templates_of,
)
from servicecharters.models import CharterVersion

PER_PAGE = 20
Status = CharterVersion.Status


def _url(name: str, *args) -> str | None:
    """A link to a page another helper's sub-package serves, when it exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@dataclass(frozen=True)
class Step:
    slug: str
    label: str
    explanation: str
    from_statuses: tuple[str, ...]
    managers_only: bool = False


STEPS = {
    step.slug: step
    for step in (
        Step("submit", gettext_lazy("Invia per l'approvazione"),
             gettext_lazy("La bozza passa al responsabile, che la approva o la restituisce con le modifiche da fare. "
                          "Finché è in approvazione i testi e gli standard non si possono modificare."),
             (Status.DRAFT,)),
        Step("return", gettext_lazy("Restituisci per modifiche"),
             gettext_lazy("La carta torna in bozza a chi l'ha preparata, con il motivo che scrivi qui. "
                          "Il motivo resta nella storia della carta, con il tuo nome e la data."),
             (Status.IN_APPROVAL,), managers_only=True),
        Step("approve", gettext_lazy("Approva"),
             gettext_lazy("La carta approvata non si modifica più: per cambiarla si avvia una nuova versione. "
                          "Gli altri comuni del club potranno leggerla; i cittadini la vedranno quando sarà pubblicata."),
             (Status.IN_APPROVAL,), managers_only=True),
        Step("publish", gettext_lazy("Pubblica"),
             gettext_lazy("La carta diventa pubblica sulla pagina del comune e i cittadini possono contare sui suoi impegni "
                          "dalla data indicata."),
             (Status.APPROVED,), managers_only=True),
        Step("new_version", gettext_lazy("Avvia una nuova versione"),
             gettext_lazy("Si crea una bozza che copia testi e standard di questa versione. La versione in vigore resta "
                          "pubblicata finché la nuova non sarà approvata e pubblicata."),
             (Status.PUBLISHED, Status.APPROVED)),
    )
}


def _steps_for(request: HttpRequest, version: CharterVersion, open_version: CharterVersion | None) -> list[Step]:
    """The steps offered on a version's page: those its status allows, and the
    manager's only to a manager (the services refuse them anyway)."""
    manager = can(request.user, Action.APPROVE_CHARTERS, municipality=request.municipality)
    steps = []
    for step in STEPS.values():
        if version.status not in step.from_statuses or (step.managers_only and not manager):
            continue
        if step.slug == "new_version" and open_version is not None:
            continue
        steps.append(step)
    return steps


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("stato", "")
    charters = selectors.charters_waiting(state) if state in selectors.WAITING else selectors.charter_list()
    page = Paginator(charters, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "servicecharters/charters/list.html", {
        "page": page, "rows": selectors.charter_rows(page.object_list),
        "state": state if state in selectors.WAITING else "",
        "is_manager": can(request.user, Action.APPROVE_CHARTERS, municipality=request.municipality),
        "models_url": reverse("servicecharters:models"),
    })


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_http_methods(["GET", "HEAD", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    form = CreateCharterForm(request.POST or None, initial={"service": parse_id(request.GET.get("servizio"))})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                version = services.create_charter(
                    municipality=request.municipality, service=form.cleaned_data["service"],
                    template=form.cleaned_data["template"], acting_user=request.user,
                )
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("Carta creata: la prima versione è una bozza da completare."))
                return redirect("servicecharters:version", public_id=version.charter.public_id, number=version.number)
        status = 400
    service_id = parse_id(form["service"].value())
    return render(request, "servicecharters/charters/create.html", {
        "form": form, "templates": templates_of(service_id) if service_id is not None else None,
    }, status=status)


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_GET
def template_options(request: HttpRequest) -> HttpResponse:
    """htmx fragment: the club's model charters of the service chosen."""
    service_id = parse_id(request.GET.get("service"))
    form = CreateCharterForm({"service": service_id} if service_id is not None else None)
    return render(request, "servicecharters/charters/_template_field.html", {
        "form": form, "templates": templates_of(service_id) if service_id is not None else None,
    })


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_GET
def charter(request: HttpRequest, public_id) -> HttpResponse:
    found = selectors.charter_get(public_id)
    in_force = selectors.in_force(found)
    open_version = selectors.open_version(found)
    return render(request, "servicecharters/charters/charter.html", {
        "charter": found,
        "versions": selectors.versions_of(found),
        "in_force": in_force,
        "open_version": open_version,
        "public_url": _url("charters_public:charter", request.municipality.slug, found.service.code) if in_force else None,
        "monitoring_url": _url("servicecharters:monitoring_list", found.public_id),
    })


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_GET
def history(request: HttpRequest, public_id) -> HttpResponse:
    found = selectors.charter_get(public_id)
    page = Paginator(selectors.events_of(found), 50).get_page(request.GET.get("page"))
    return render(request, "servicecharters/charters/history.html", {"charter": found, "page": page})


def _standard_links(version: CharterVersion, standards) -> dict:
    """Links to the standard pages (helper «chmon»), when they exist."""
    pid, number = version.charter.public_id, version.number
    return {
        "add": _url("servicecharters:standard_add", pid, number),
        "rows": [
            (s, _url("servicecharters:standard_edit", pid, number, s.public_id),
             _url("servicecharters:standard_delete", pid, number, s.public_id))
            for s in standards
        ],
    }


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_GET
def version(request: HttpRequest, public_id, number: int) -> HttpResponse:
    found = selectors.charter_get(public_id)
    shown = selectors.version_get(found, number)
    open_version = selectors.open_version(found)
    standards = selectors.standards_of(shown)
    return render(request, "servicecharters/charters/version.html", {
        "charter": found, "version": shown,
        "standards": _standard_links(shown, standards),
        "changes": selectors.version_changes(shown),
        "steps": _steps_for(request, shown, open_version),
        "returned": selectors.last_return(shown),
        "missing": services.submission_errors(shown) if shown.status == Status.DRAFT else [],
    })


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_http_methods(["GET", "HEAD", "POST"])
def version_edit(request: HttpRequest, public_id, number: int) -> HttpResponse:
    found = selectors.charter_get(public_id)
    shown = selectors.version_get(found, number)
    if not shown.is_editable:
        messages.info(request, _("Si modificano solo le bozze: per cambiare questa carta avvia una nuova versione."))
        return redirect("servicecharters:version", public_id=found.public_id, number=shown.number)
    initial = {name: getattr(shown, name) for name in services.TEXT_FIELDS}
    initial["lock_version"] = shown.lock_version
    form = VersionTextForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_draft(
                    version=shown, lock_version=form.cleaned_data["lock_version"], acting_user=request.user,
                    **form.text(),
                )
            except services.StaleCharter as error:
                # Keep what was typed; show the saved text beside it.
                form.add_error(None, error.messages)
                shown.refresh_from_db()
                form.data = form.data.copy()
                form.data["lock_version"] = shown.lock_version  # saving again overwrites, knowingly
                status = 409
            except ValidationError as error:
                show_service_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Bozza salvata."))
                return redirect("servicecharters:version", public_id=found.public_id, number=shown.number)
        else:
            status = 400
    return render(request, "servicecharters/charters/version_edit.html", {
        "charter": found, "version": shown, "form": form, "stale": status == 409,
        "previewed": CharterVersion.SECTIONS,
        "standards": _standard_links(shown, selectors.standards_of(shown)),
    }, status=status)


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """htmx fragment: a section's Markdown as citizens will read it (sanitised)."""
    # Inside the form, htmx posts every field: `preview_of` names the section to show.
    name = request.POST.get("preview_of", "")
    if name not in CharterVersion.SECTIONS:
        name = next((n for n in (*CharterVersion.SECTIONS, "text") if n in request.POST), "text")
    form = PreviewForm({"text": request.POST.get(name, "")})
    if not form.is_valid():
        return HttpResponse(_("Il testo è troppo lungo per l'anteprima."), status=400, content_type="text/plain; charset=utf-8")
    return render(request, "servicecharters/charters/_preview.html", {"html": text.render(form.cleaned_data["text"])})


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_http_methods(["GET", "HEAD", "POST"])
def version_step(request: HttpRequest, public_id, number: int, step: str) -> HttpResponse:
    """The confirmation page of a step, then the step (a reason to send back,
    the date it is in force from to publish)."""
    found = selectors.charter_get(public_id)
    shown = selectors.version_get(found, number)
    chosen = STEPS.get(step)
    if chosen is None:
        raise Http404
    form = None
    if chosen.slug == "return":
        form = ReturnForm(request.POST or None)
    elif chosen.slug == "publish":
        form = PublishForm(request.POST or None)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if form is not None and not form.is_valid():
            status = 400
        else:
            try:
                done = _do(chosen.slug, shown, form, request.user)
            except ValidationError as error:
                if form is not None and hasattr(error, "error_dict"):
                    show_service_errors(form, error)
                else:
                    errors = error.messages
                status = 403 if getattr(error, "code", None) == "permission" else 400
            else:
                messages.success(request, _("Fatto: la versione %(number)s ora è «%(status)s».")
                                 % {"number": done.number, "status": done.get_status_display()})
                return redirect("servicecharters:version", public_id=found.public_id, number=done.number)
    previous = selectors.in_force(found) if chosen.slug == "publish" else None
    return render(request, "servicecharters/charters/step.html", {
        "charter": found, "version": shown, "step": chosen, "form": form, "errors": errors,
        "possible": shown.status in chosen.from_statuses,
        "allowed": not chosen.managers_only or can(request.user, Action.APPROVE_CHARTERS, municipality=request.municipality),
        "missing": services.submission_errors(shown) if chosen.slug == "submit" and shown.status == Status.DRAFT else [],
        "previous": previous if previous is not None and previous.pk != shown.pk else None,
        "open_version": selectors.open_version(found) if chosen.slug == "new_version" else None,
    }, status=status)


def _do(slug: str, version: CharterVersion, form, user) -> CharterVersion:
    if slug == "submit":
        return services.submit(version=version, acting_user=user)
    if slug == "return":
        return services.return_for_changes(version=version, reason=form.cleaned_data["reason"], acting_user=user)
    if slug == "approve":
        return services.approve(version=version, acting_user=user)
    if slug == "publish":
        return services.publish(version=version, valid_from=form.cleaned_data["valid_from"], acting_user=user)
    return services.start_new_version(charter=version.charter, acting_user=user)
