"""What reads a comune's charters. Every lookup of one charter or version
goes through a `*_get` that 404s for anything not of the active comune (row
-level security already hides it; the 404 is the page's answer)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from servicecharters.models import CharterVersion, ServiceCharter

Status = CharterVersion.Status


def charter_list() -> QuerySet[ServiceCharter]:
    return ServiceCharter.objects.select_related("service").order_by("service__name")


def charter_get(public_id) -> ServiceCharter:
    found = ServiceCharter.objects.select_related("service").filter(public_id=public_id).first()
    if found is None:
        raise Http404("charter")
    return found


def version_get(charter: ServiceCharter, number: int) -> CharterVersion:
    found = CharterVersion.objects.filter(charter=charter, number=number).first()
    if found is None:
        raise Http404("version")
    return found


def in_force(charter: ServiceCharter) -> CharterVersion | None:
    return CharterVersion.objects.filter(charter=charter, status=Status.PUBLISHED).first()


def open_version(charter: ServiceCharter) -> CharterVersion | None:
    return CharterVersion.objects.filter(charter=charter, status__in=CharterVersion.OPEN_STATUSES).first()
