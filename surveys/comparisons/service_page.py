"""The surveys' section of the page of one service (issue #12,
`ModuleHooks.service_sections`): the comune's latest survey of the service
with its satisfaction index, overall satisfaction and best-rated items with
their confidence intervals.

The core calls it inside the page's scope with no comune active. Citizens
read published surveys only; the club's members read closed ones too, as the
comparisons across comuni do (the database shows no more: `Survey`'s and
`ItemResult`'s read policies). Two queries."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qclub.models import Municipality, Service
from qclub.modules import Readers, ServiceSection
from surveys.models import ItemResult, Question, Survey
from surveys.models.questionnaires import localized

# Best-rated items shown on the page; the full results are one link away.
TOP_ITEMS = 5


def readable_statuses(audience: Readers) -> tuple[str, ...]:
    if audience == Readers.PUBLIC:
        return (Survey.Status.PUBLISHED,)
    return (Survey.Status.CLOSED, Survey.Status.PUBLISHED)


@dataclass
class ServiceSurvey:
    survey: Survey
    index: ItemResult | None = None
    overall: ItemResult | None = None
    items: list[tuple[str, ItemResult]] = field(default_factory=list)
    results_url: str = ""
    comparison_url: str = ""


def _satisfaction(result: ItemResult) -> Decimal:
    """Items on different scales compared on one: the share satisfied
    (0–1), else the mean's place on the item's scale (0–1)."""
    if result.top_two_share is not None:
        return result.top_two_share
    low, high = result.question.scale_min, result.question.scale_max
    if low is None or high is None or high == low:
        return Decimal(0)
    return (result.mean - low) / (high - low)


def latest_survey(municipality: Municipality, service: Service, audience: Readers) -> ServiceSurvey | None:
    survey = (
        Survey.objects.filter(
            municipality_id=municipality.pk, service=service, status__in=readable_statuses(audience)
        )
        .select_related("version__questionnaire")
        .order_by("-year", "-ends_on", "-pk")
        .first()
    )
    if survey is None:
        return None
    found = ServiceSurvey(survey=survey)
    language = get_language()
    items = []
    for result in ItemResult.objects.filter(
        survey=survey, breakdown="", weighted=False,
        measure__in=[ItemResult.Measure.INDEX, ItemResult.Measure.ITEM],
    ).select_related("question"):
        if result.measure == ItemResult.Measure.INDEX:
            found.index = result
        elif result.question is not None and result.question.role == Question.Role.OVERALL:
            found.overall = result
        elif result.question is not None and result.mean is not None:
            items.append(result)
    items.sort(key=_satisfaction, reverse=True)
    found.items = [(localized(r.question.text, language), r) for r in items[:TOP_ITEMS]]
    if survey.status == Survey.Status.PUBLISHED:
        found.results_url = reverse("surveys:public_results", args=[municipality.slug, survey.public_id])
    if audience == Readers.MEMBERS:
        found.comparison_url = reverse("surveys:comparison", args=[survey.version_id, survey.year])
    return found


def service_sections(
    municipality: Municipality, service: Service, audience: Readers
) -> Sequence[ServiceSection]:
    found = latest_survey(municipality, service, audience)
    if found is None:
        return ()
    return (
        ServiceSection(
            title=_("Che cosa dicono i cittadini"),
            template="surveys/comparisons/service_section.html",
            context={"found": found},
            position=20,
        ),
    )


def service_codes(municipality: Municipality, audience: Readers) -> Collection[str]:
    return set(
        Survey.objects.filter(municipality_id=municipality.pk, status__in=readable_statuses(audience))
        .values_list("service__code", flat=True)
        .distinct()
    )
