"""What reads the club's model charters (club-wide rows: every member reads them)."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from servicecharters.models import CharterTemplate, TemplateStandard


def model_list() -> QuerySet[CharterTemplate]:
    return (
        CharterTemplate.objects.select_related("service__area")
        .annotate(standard_count=Count("standards"))
        .order_by("service__area__position", "service__name", "title")
    )


def model_get(pk: int) -> CharterTemplate:
    return get_object_or_404(CharterTemplate.objects.select_related("service__area", "updated_by"), pk=pk)


def model_standard_get(template: CharterTemplate, pk: int) -> TemplateStandard:
    return get_object_or_404(TemplateStandard, template=template, pk=pk)
