"""What the standards pages read: one standard of a version (404 for any
other), the peer groups a proposal may be restricted to, and the figure a
standard may link to."""

from __future__ import annotations

import uuid

from django.http import Http404
from django.utils.translation import gettext as _

from qclub import modules
from qclub.selectors import peer_group_get, peer_groups  # noqa: F401 - the comparisons' names
from servicecharters.models import CharterStandard, CharterVersion


def standard_get(version: CharterVersion, public_id) -> CharterStandard:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404(_("Standard non trovato.")) from None
    found = CharterStandard.objects.filter(version=version, public_id=key).first()
    if found is None:
        raise Http404(_("Standard non trovato."))
    return found



def linkable_figure(ref: str, service) -> modules.Figure | None:
    """The figure `ref` if a standard of `service` may link to it (a module
    offers it, for this service or for none in particular)."""
    figure = modules.figure_get(ref) if ref and len(ref) <= 120 else None
    if figure is None or (figure.service_code and figure.service_code != service.code):
        return None
    return figure
