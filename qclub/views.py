"""Core pages: home, dashboard, comune switcher, health check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qclub import selectors
from qclub.context_processors import role_labels
from qclub.permissions import ADMINISTRATOR, COORDINATOR, MANAGER, OFFICER, Action, can, roles_for
from qclub.tenancy import TenancyMiddleware


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "qclub/home.html", {"areas": selectors.area_list()})


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """What the user can do here, by role: their comune's work, their areas, the admin."""
    municipality = request.municipality
    roles = roles_for(request.user, municipality)
    works_for_comune = bool(roles & {OFFICER, MANAGER})
    context = {
        "roles": roles,
        "role_labels": role_labels(roles),
        "is_coordinator": COORDINATOR in roles,
        "is_administrator": ADMINISTRATOR in roles,
        "coordinated_areas": selectors.coordinated_areas_of(request.user),
        "can_members_area": can(request.user, Action.VIEW_MEMBERS_AREA, municipality=municipality),
        "can_submit_data": can(request.user, Action.SUBMIT_DATA, municipality=municipality),
        "summary": selectors.dashboard_summary(municipality) if works_for_comune else None,
    }
    return render(request, "qclub/dashboard.html", context)


@login_required
@require_POST
def switch_municipality(request: HttpRequest) -> HttpResponse:
    slug = request.POST.get("municipality", "")
    chosen = next(
        (m.municipality for m in request.memberships if m.municipality.slug == slug), None
    )
    if chosen is None:
        messages.error(request, _("Non appartieni a questo comune."))
    else:
        request.session[TenancyMiddleware.SESSION_KEY] = chosen.slug
        messages.success(
            request, _("Ora stai lavorando per il Comune di %(name)s.") % {"name": chosen.name}
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/dashboard/"
    return HttpResponseRedirect(target)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
