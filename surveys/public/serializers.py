"""How a survey's results are written in the API (public and members alike):
figures as JSON numbers, the method, every core item over all respondents."""

from __future__ import annotations

from rest_framework import serializers


class ItemOutput(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    scale_min = serializers.IntegerField(allow_null=True)
    scale_max = serializers.IntegerField(allow_null=True)
    answers = serializers.IntegerField()
    dont_know = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    std_dev = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    top_two_share = serializers.FloatField(allow_null=True, help_text="percent, 0–100")
    net_promoter = serializers.FloatField(allow_null=True)
    distribution = serializers.DictField(child=serializers.IntegerField())


class FigureOutput(serializers.Serializer):
    mean = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)


class SurveyResultsOutput(serializers.Serializer):
    comune = serializers.SlugField()
    comune_name = serializers.CharField()
    id = serializers.UUIDField()
    title = serializers.CharField()
    year = serializers.IntegerField()
    status = serializers.CharField()
    questionnaire = serializers.CharField()
    questionnaire_version = serializers.IntegerField()
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    modes = serializers.ListField(child=serializers.CharField())
    population_served = serializers.IntegerField(allow_null=True)
    sample = serializers.IntegerField(allow_null=True)
    margin_of_error = serializers.FloatField(allow_null=True, help_text="percentage points, 95 %")
    index = FigureOutput(allow_null=True)
    overall_satisfaction = FigureOutput(allow_null=True)
    share_satisfied = serializers.FloatField(allow_null=True, help_text="percent, 0–100")
    net_promoter_score = serializers.FloatField(allow_null=True)
    items = ItemOutput(many=True)


def _f(value) -> float | None:
    return None if value is None else float(value)


def _percent(share) -> float | None:
    """A stored share (0–1) as the API documents it: percent, 0–100."""
    return None if share is None else round(float(share) * 100, 2)


def _figure(result) -> dict | None:
    if result is None:
        return None
    return {"mean": _f(result.mean), "ci_low": _f(result.ci_low), "ci_high": _f(result.ci_high)}


def results_payload(data) -> dict:
    """`surveys.public.selectors.PublicResults` as the API writes it."""
    survey, key = data.survey, data.key
    margin = key.margin
    return {
        "comune": survey.municipality.slug, "comune_name": survey.municipality.name,
        "id": survey.public_id, "title": survey.title, "year": survey.year, "status": survey.status,
        "questionnaire": str(survey.version.questionnaire), "questionnaire_version": survey.version.number,
        "starts_on": survey.starts_on, "ends_on": survey.ends_on, "modes": list(survey.modes),
        "population_served": survey.population_served, "sample": key.sample,
        "margin_of_error": None if margin is None else round(margin, 2),
        "index": _figure(key.index), "overall_satisfaction": _figure(key.overall),
        "share_satisfied": _percent(key.overall.top_two_share) if key.overall else None,
        "net_promoter_score": _f(key.recommend.net_promoter) if key.recommend else None,
        "items": [
            {
                "code": line.question.code, "text": line.text,
                "scale_min": line.question.scale_min, "scale_max": line.question.scale_max,
                "answers": line.result.answers, "dont_know": line.result.dont_know,
                "mean": _f(line.result.mean), "median": _f(line.result.median), "std_dev": _f(line.result.std_dev),
                "ci_low": _f(line.result.ci_low), "ci_high": _f(line.result.ci_high),
                "top_two_share": _percent(line.result.top_two_share), "net_promoter": _f(line.result.net_promoter),
                "distribution": {str(k): int(v) for k, v in (line.result.distribution or {}).items()},
            }
            for line in data.items
        ],
    }
