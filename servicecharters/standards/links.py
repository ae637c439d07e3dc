"""Links from the standards and monitoring pages to pages that other parts
of the module (or other modules) own: resolved by URL name, so nothing is
imported across, and left out when the page is not there."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def url_or_empty(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def charter_url(charter) -> str:
    return url_or_empty("servicecharters:charter", charter.public_id) or reverse("servicecharters:index")


def version_url(version) -> str:
    """The version's page (where its standards are listed), else the charter's."""
    return url_or_empty("servicecharters:version", version.charter.public_id, version.number) or charter_url(
        version.charter
    )
