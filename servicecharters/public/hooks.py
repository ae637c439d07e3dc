"""The citizens' side of the service charters in the module contract: the
section «Carte dei servizi» of a comune's public page and the public pages'
sitemaps (`servicecharters/hooks.py` delegates here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from qclub.models import Municipality
from qclub.modules import PublicSection
from servicecharters.public import selectors
from servicecharters.public import sitemaps as charter_sitemaps


def public_sections(municipality: Municipality) -> Sequence[PublicSection]:
    """The comune's published charters with the service, the date in force
    and the latest published monitoring (N of M standards met), read in the
    public scope with no comune active. Two queries."""
    with selectors.public_read(f"pagina pubblica {municipality.slug}: carte dei servizi"):
        lines = selectors.published_charters(municipality)
    if not lines:
        return []
    return [PublicSection(
        title=_("Carte dei servizi"),
        template="servicecharters/public/section.html",
        context={"lines": lines},
        position=25,
    )]


def sitemaps() -> Mapping[str, Any]:
    return {"carte": charter_sitemaps.ListsSitemap(), "carta": charter_sitemaps.ChartersSitemap()}
