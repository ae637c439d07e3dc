"""The surveys' figures for other modules (qclub/modules.py, "Figures,
service pages and commitments"): what a service charter's standard may link
to, with its value per comune and year.

For each version in use of a club core questionnaire (`locked`) of the
service:

- `item:<questionnaire code>:<question code>:mean` — the mean on the item's
  scale, and `…:top2` — the share of satisfied (the two highest points, as a
  percentage 0–100), for every satisfaction item: the rating questions,
  the overall judgement included, the recommendation (0–10, whose figure
  is the net promoter score) excluded;
- `index:<questionnaire code>` — the satisfaction index (0–100), when the
  version has items it is computed from.

A value is the stored result (`ItemResult`: all respondents, unweighted) of
a PUBLISHED survey, for the survey's year; a comune with several published
surveys on the questionnaire in one year counts its latest (the one whose
fieldwork ended last). The club scope also shows closed surveys, which the
comune has not published: the status filter below keeps them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import F
from django.utils.translation import gettext as _

from qclub.models import Service
from qclub.modules import Figure, FigureValue
from surveys.models import ItemResult, Question, QuestionKind, QuestionnaireVersion, Survey
from surveys.models.questionnaires import DEFAULT_LANGUAGE, localized

MODULE = "surveys"
MEAN, TOP2 = "mean", "top2"
RECOMMEND = Question.Role.RECOMMEND


def _kind() -> str:
    return _("Indagine di soddisfazione")


def survey_figures(service: Service | None) -> list[Figure]:
    """The figures of the core questionnaires in use for `service` (None:
    every service). Two queries."""
    versions = QuestionnaireVersion.objects.filter(
        status=QuestionnaireVersion.Status.ACTIVE, questionnaire__locked=True
    ).select_related("questionnaire__service")
    if service is not None:
        versions = versions.filter(questionnaire__service=service)
    versions = {v.pk: v for v in versions.order_by("questionnaire__code", "-number")}
    questions = (
        Question.objects.filter(version__in=list(versions), kind=QuestionKind.RATING, scale_max__isnull=False)
        .exclude(role=RECOMMEND)
        .order_by("version", "section__position", "position")
    )
    items: dict[int, list[Question]] = {}
    for question in questions:
        items.setdefault(question.version_id, []).append(question)
    figures, seen = [], set()
    for version in versions.values():
        questionnaire = version.questionnaire
        # One version of a questionnaire is in use; should two be, the newest names the figures.
        if questionnaire.code in seen:
            continue
        seen.add(questionnaire.code)
        service_code = questionnaire.service.code if questionnaire.service else ""
        title = localized(questionnaire.title, DEFAULT_LANGUAGE)
        version_items = items.get(version.pk, [])
        if any(not q.role for q in version_items):
            figures.append(Figure(
                module=MODULE, key=f"index:{questionnaire.code}",
                label=_("Indice di soddisfazione: %(questionnaire)s") % {"questionnaire": title},
                unit=_("punti su 100"), kind=_kind(), service_code=service_code,
            ))
        for question in version_items:
            text = localized(question.text, DEFAULT_LANGUAGE)
            base = f"item:{questionnaire.code}:{question.code}"
            figures.append(Figure(
                module=MODULE, key=f"{base}:{MEAN}", label=_("%(question)s: voto medio") % {"question": text},
                unit=_("punti su %(max)s") % {"max": question.scale_max}, kind=_kind(), service_code=service_code,
            ))
            figures.append(Figure(
                module=MODULE, key=f"{base}:{TOP2}",
                label=_("%(question)s: quota di soddisfatti") % {"question": text},
                unit="%", kind=_kind(), service_code=service_code,
            ))
    return figures


def _parse(key: str) -> tuple[str, str, str] | None:
    """(questionnaire code, question code, measure) of an item key, or
    (questionnaire code, "", "index"); None when the key names nothing."""
    parts = key.split(":")
    if len(parts) == 2 and parts[0] == "index" and parts[1]:
        return parts[1], "", "index"
    if len(parts) == 4 and parts[0] == "item" and parts[1] and parts[2] and parts[3] in (MEAN, TOP2):
        return parts[1], parts[2], parts[3]
    return None


def survey_values(
    key: str, *, years: Sequence[int], municipality_ids: Sequence[int] | None = None
) -> list[FigureValue]:
    """The figure named by `key` in the comuni's published surveys of those
    years: one value per comune and year (its latest survey). One query, at
    most comuni × years rows."""
    parsed = _parse(key)
    if parsed is None or not years:
        return []
    questionnaire, question, measure = parsed
    results = ItemResult.objects.filter(
        survey__status=Survey.Status.PUBLISHED,
        survey__version__questionnaire__code=questionnaire,
        survey__year__in=list(years),
        breakdown="", weighted=False,
    )
    if measure == "index":
        results = results.filter(measure=ItemResult.Measure.INDEX, question__isnull=True)
    else:
        results = results.filter(measure=ItemResult.Measure.ITEM, question__code=question)
    if municipality_ids is not None:
        results = results.filter(municipality_id__in=list(municipality_ids))
    column = "top_two_share" if measure == TOP2 else "mean"
    rows = (
        results.order_by(
            "municipality_id", "survey__year", F("survey__ends_on").desc(nulls_last=True), "-survey_id"
        )
        .distinct("municipality_id", "survey__year")
        .values_list("municipality_id", "survey__year", column, "survey__title")
    )
    values = []
    for municipality_id, year, value, title in rows:
        # The latest survey without the figure (no answers to the item) leaves the year without one.
        if value is None:
            continue
        if measure == TOP2:
            value = value * Decimal(100)
        values.append(FigureValue(
            municipality_id=municipality_id, year=year, value=value,
            note=_("Indagine pubblicata: %(title)s") % {"title": title},
        ))
    return values
