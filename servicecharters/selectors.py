"""What the API reads of charters beyond the comune's own (those are in
`charters.selectors`): other comuni's charters in the club scope (approved,
published and superseded versions, published monitoring) and published
charters in the public scope (no comune active, so a signed-in person's own
drafts cannot show). The scopes' read policies hide the rest; the filters on
status and publication below say it again, because the club scope also shows
the viewer's own rows.

Every lookup of one charter 404s for anything its scope does not show, and
every list is a queryset the caller paginates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from qclub.models import Municipality
from qclub.tenancy import SCOPE_CLUB, SCOPE_PUBLIC, acting_for, cross_tenant
from servicecharters.models import CharterVersion, MonitoringReport, ServiceCharter, StandardResult

Status = CharterVersion.Status
CLUB = (Status.APPROVED, Status.PUBLISHED, Status.SUPERSEDED)
PUBLIC = (Status.PUBLISHED, Status.SUPERSEDED)
MONITORING_YEARS = 10  # the latest published reports a charter's answer carries


@contextmanager
def public_read(reason: str) -> Iterator[None]:
    """No comune active, the public scope, audited."""
    with acting_for(None), cross_tenant(scope=SCOPE_PUBLIC, reason=reason[:200]):
        yield


@contextmanager
def club_read(reason: str, user) -> Iterator[None]:
    with cross_tenant(scope=SCOPE_CLUB, reason=reason[:200], acting_user=user):
        yield


def _versions(statuses) -> QuerySet[CharterVersion]:
    return CharterVersion.objects.filter(status__in=statuses).select_related("municipality", "charter__service")


def published_list(*, comune: str = "", service: str = "") -> QuerySet[CharterVersion]:
    """The versions in force of every comune (call inside `public_read`)."""
    versions = _versions([Status.PUBLISHED])
    if comune:
        versions = versions.filter(municipality__slug=comune[:100])
    if service:
        versions = versions.filter(charter__service__code=service[:50])
    return versions.order_by("municipality__name", "charter__service__name", "pk")


def club_list(*, comune: str = "", service: str = "") -> QuerySet[CharterVersion]:
    """Approved and published versions of member comuni (call inside `club_read`)."""
    versions = _versions([Status.APPROVED, Status.PUBLISHED]).filter(
        municipality__status=Municipality.Status.MEMBER
    )
    if comune:
        versions = versions.filter(municipality__slug=comune[:100])
    if service:
        versions = versions.filter(charter__service__code=service[:50])
    return versions.order_by("municipality__name", "charter__service__name", "-number")


def charter_of(slug: str, service_code: str, statuses) -> tuple[ServiceCharter, list[CharterVersion]]:
    """A comune's charter for a service and its versions in `statuses` (newest
    first, with their standards); 404 when the scope shows none."""
    charter = (
        ServiceCharter.objects.filter(municipality__slug=slug[:100], service__code=service_code[:50])
        .select_related("municipality", "service").first()
    )
    versions = [] if charter is None else list(
        CharterVersion.objects.filter(charter=charter, status__in=statuses)
        .prefetch_related("standards").order_by("-number")
    )
    if not versions:
        raise Http404(_("Carta dei servizi non trovata."))
    return charter, versions


def published_monitoring(charter: ServiceCharter) -> list[MonitoringReport]:
    """The charter's published yearly reports (the latest MONITORING_YEARS),
    each with its results and their standards."""
    reports = (
        MonitoringReport.objects.filter(charter=charter, published_at__isnull=False)
        .order_by("-year")[:MONITORING_YEARS]
    )
    return list(
        MonitoringReport.objects.filter(pk__in=[r.pk for r in reports]).order_by("-year").prefetch_related(
            Prefetch("results", StandardResult.objects.select_related("standard").order_by("standard__position", "pk"))
        )
    )
