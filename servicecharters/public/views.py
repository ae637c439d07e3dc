"""The citizens' pages of a comune's service charters: the list, a charter's
version in force, a previous version, and the PDF. Anonymous; every read in
`selectors.public_read` (no comune active, the public scope), so a draft,
one in approval or approved but not yet published answers 404 to everyone,
the comune's own officers included, and unpublished monitoring never shows."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from qclub.models import Municipality
from qclub.selectors import public_municipality_get
from servicecharters.public import documents, presentation, selectors


def _complaint_form_url(municipality: Municipality) -> str:
    """The comune's public complaint form, when the complaints module offers
    one (a member comune only)."""
    if municipality.status != Municipality.Status.MEMBER:
        return ""
    try:
        return reverse("complaints:public_form", args=[municipality.slug])
    except NoReverseMatch:
        return ""


def _satisfaction_url(municipality: Municipality, service_code: str) -> str:
    """Where citizens read what others said of the service: the service's
    public page when the core has it, else the comune's public page (where
    the surveys module lists the published surveys)."""
    try:
        return reverse("service_public", args=[municipality.slug, service_code])
    except NoReverseMatch:
        return reverse("municipality_public", args=[municipality.slug])


def charter_context(charter, version, *, in_force: bool, absolute=str) -> dict:
    """What the page and the PDF show of one version (inside `public_read`);
    `absolute` writes a link out in full (printed and PDF copies show it)."""
    monitoring = selectors.published_monitoring(charter)
    if in_force:
        # The line of each standard across versions: earlier years were judged
        # against the promise of the version then in force.
        def results_of(standard):
            return monitoring.by_lineage.get(standard.lineage, [])
    else:
        # A previous version: the years it was the version in force.
        def results_of(standard):
            return monitoring.by_standard.get(standard.pk, [])
    municipality = charter.municipality
    complaint_form = _complaint_form_url(municipality)
    return {
        "municipality": municipality,
        "charter": charter,
        "service": charter.service,
        "version": version,
        "in_force": in_force,
        "sections": presentation.sections(version),
        "standards": presentation.standard_lines(version.standards.all(), results_of),
        "monitoring": monitoring,
        "latest_summary": monitoring.summary(monitoring.latest) if monitoring.latest else None,
        "previous": selectors.previous_versions(charter),
        "complaint_form_url": absolute(complaint_form) if complaint_form else "",
        "satisfaction_url": absolute(_satisfaction_url(municipality, charter.service.code)),
    }


@require_GET
def charter_list(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = public_municipality_get(slug)
    with selectors.public_read(f"carte dei servizi pubblicate {slug}"):
        lines = selectors.published_charters(municipality)
    return render(request, "servicecharters/public/list.html", {
        "municipality": municipality, "lines": lines,
    })


@require_GET
def charter(request: HttpRequest, slug: str, service: str) -> HttpResponse:
    municipality = public_municipality_get(slug)
    with selectors.public_read(f"carta dei servizi pubblicata {slug}/{service}"):
        found = selectors.charter_get(municipality, service)
        context = charter_context(
            found, selectors.in_force(found), in_force=True, absolute=request.build_absolute_uri
        )
    return render(request, "servicecharters/public/charter.html", context)


@require_GET
def version(request: HttpRequest, slug: str, service: str, number: int) -> HttpResponse:
    municipality = public_municipality_get(slug)
    with selectors.public_read(f"carta dei servizi, versione precedente {slug}/{service}/{number}"):
        found = selectors.charter_get(municipality, service)
        if selectors.is_in_force(found, number):
            return redirect("charters_public:charter", slug=slug, service=service)
        context = charter_context(
            found, selectors.superseded_get(found, number), in_force=False, absolute=request.build_absolute_uri
        )
        context["current"] = selectors.in_force(found)
    return render(request, "servicecharters/public/charter.html", context)


@require_GET
def pdf(request: HttpRequest, slug: str, service: str) -> HttpResponse:
    municipality = public_municipality_get(slug)
    with selectors.public_read(f"carta dei servizi pubblicata, PDF {slug}/{service}"):
        found = selectors.charter_get(municipality, service)
        version = selectors.in_force(found)
        context = charter_context(found, version, in_force=True, absolute=request.build_absolute_uri)
        context["page_url"] = request.build_absolute_uri(
            reverse("charters_public:charter", args=[municipality.slug, found.service.code])
        )
    response = HttpResponse(documents.charter_pdf(context), content_type="application/pdf")
    name = f"carta-dei-servizi-{municipality.slug}-{found.service.code}-v{version.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
