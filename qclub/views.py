"""Core pages: home, dashboard, members area, a comune's public page, comune
switcher, health check. What the modules add to them comes through their hooks
(qclub/modules.py)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qclub import modules, selectors
from qclub.context_processors import role_labels
from qclub.permissions import ADMINISTRATOR, COORDINATOR, Action, requires
from qclub.tenancy import TenancyMiddleware, acting_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "qclub/home.html", {
        "areas": selectors.area_list(),
        "members": selectors.member_municipalities(),
    })


def _operator() -> dict:
    return {
        "operator_name": settings.OPERATOR_NAME,
        "contact_email": settings.CONTACT_EMAIL,
        "dpo_email": settings.DPO_EMAIL or settings.CONTACT_EMAIL,
    }


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (dichiarazione di accessibilità, on AgID's
    model): conformity, what is not accessible, how to report a problem."""
    return render(request, "qclub/accessibility.html", {
        **_operator(),
        "statement_url": settings.ACCESSIBILITY_STATEMENT_URL,
        "reviewed_on": settings.ACCESSIBILITY_REVIEWED_ON,
    })


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice of the platform (art. 13 GDPR)."""
    return render(request, "qclub/privacy.html", _operator())


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """What the user has to do, by role: each module's cards, their areas, the admin."""
    viewer = modules.viewer_for(request)
    context = {
        "roles": viewer.roles,
        "role_labels": role_labels(viewer.roles),
        "cards": modules.dashboard_cards(viewer),
        "is_coordinator": COORDINATOR in viewer.roles,
        "is_administrator": ADMINISTRATOR in viewer.roles,
        "coordinated_areas": selectors.coordinated_areas_of(request.user),
        "can_members_area": viewer.can(Action.VIEW_MEMBERS_AREA),
    }
    return render(request, "qclub/dashboard.html", context)


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_GET
def members_area(request: HttpRequest) -> HttpResponse:
    """The reserved area of the club's members: each module's entries."""
    groups = modules.members_entries(modules.viewer_for(request))
    return render(request, "qclub/members_area.html", {"groups": groups, "nav_section": modules.MEMBERS_SECTION})


@require_GET
def municipality_public(request: HttpRequest, slug: str) -> HttpResponse:
    """A comune's public page for citizens: who it is, then what each module
    has published (anonymous; only published material, read by the modules in
    the public scope with no comune active)."""
    municipality = selectors.public_municipality_get(slug)
    sections = [
        (section, render_to_string(
            section.template, {**section.context, "municipality": municipality}, request=request
        ))
        for section in modules.public_sections(municipality)
    ]
    services = selectors.service_list(codes=modules.service_codes(municipality, modules.Readers.PUBLIC))
    return render(request, "qclub/municipality_public.html", {
        "municipality": municipality, "sections": sections, "services": services,
    })


# --- The page of one service (issue #12) ---------------------------------------------
# Every module's section for one comune and one service of the shared taxonomy
# (`ModuleHooks.service_sections`): citizens read the published parts on the
# comune's public pages, members of the club what the club shares.


def _rendered(request: HttpRequest, sections, **context) -> list[tuple[modules.ServiceSection, str]]:
    return [
        (section, render_to_string(section.template, {**section.context, **context}, request=request))
        for section in sections
    ]


@require_GET
def service_public(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """One service of one comune for citizens: what each module has published
    about it (anonymous; read in the public scope with no comune active)."""
    municipality = selectors.public_municipality_get(slug)
    service = selectors.service_get(code)
    readers = modules.Readers.PUBLIC
    sections = modules.service_sections(municipality, service, readers)
    return render(request, "qclub/service_page.html", {
        "municipality": municipality, "service": service, "readers": readers,
        "sections": _rendered(
            request, sections, municipality=municipality, service=service, audience=readers
        ),
    })


def _members_municipality(request: HttpRequest):
    """The comune a member looks at: `?comune=<slug>` (`selectors.looked_at_municipality`)."""
    return selectors.looked_at_municipality(request.municipality, request.GET.get("comune", ""))


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_GET
def service_members_index(request: HttpRequest) -> HttpResponse:
    """The services of the shared taxonomy, by area, each linked to its page
    for the chosen comune; those with something on them marked."""
    municipality = _members_municipality(request)
    with_sections = modules.service_codes(municipality, modules.Readers.MEMBERS)
    return render(request, "qclub/service_members_index.html", {
        "municipality": municipality,
        "comuni": selectors.member_municipalities(),
        "services": selectors.service_list(),
        "with_sections": with_sections,
        "nav_section": modules.MEMBERS_SECTION,
    })


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_GET
def service_members(request: HttpRequest, code: str) -> HttpResponse:
    """One service of one member comune for the club's members: what each
    module shares in the club (read in the club scope, the viewer's own
    comune included, so everyone reads the same page)."""
    service = selectors.service_get(code)
    municipality = _members_municipality(request)
    readers = modules.Readers.MEMBERS
    sections = modules.service_sections(municipality, service, readers)
    return render(request, "qclub/service_page.html", {
        "municipality": municipality, "service": service, "readers": readers,
        "comuni": selectors.member_municipalities(),
        "sections": _rendered(
            request, sections, municipality=municipality, service=service, audience=readers
        ),
        "nav_section": modules.MEMBERS_SECTION,
    })


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
def sitemap(request: HttpRequest) -> HttpResponse:
    """Every module's public, published pages (`ModuleHooks.sitemaps`), for
    search engines; read with no comune active, so nothing unpublished."""
    with acting_for(None):
        response = sitemap_view(request, sitemaps=modules.sitemaps())
        response.render()
    return response


@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    """Search engines may read the public pages, never the reserved ones."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /api/",
        "Disallow: /area-riservata/",
        "Disallow: /dashboard/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
