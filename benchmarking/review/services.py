"""The coordinators' review: comments on a comune's values. Returning, approving and
reopening are transitions of the one status machine in `collection.services`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from benchmarking.models import (
    DataValue,
    ValueComment,
)


def comment(data_value: DataValue, user, text: str) -> ValueComment:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Il commento è vuoto.")]})
    if len(text) > 2000:
        raise ValidationError({"text": [_("Il commento supera 2000 caratteri.")]})
    return ValueComment.objects.create(
        municipality_id=data_value.municipality_id, data_value=data_value, author=user, text=text
    )
