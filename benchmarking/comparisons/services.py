"""Writes of the comparisons: an approved submission's results enter the members area
(`publish`), leave it on reopening (`withdraw`), and every comune is re-ranked in
SQL with window functions (`rerank`), the club summary refreshed with them."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from benchmarking.comparisons.selectors import score_of, summarize
from benchmarking.formula import evaluate, ratio_parts
from benchmarking.models import (
    ApprovedResult,
    Campaign,
    DataValue,
    IndicatorResult,
    IndicatorVersion,
    ResultSummary,
    Submission,
    Visibility,
)
from benchmarking.periods import Period


def publish(submission: Submission, *, and_rerank: bool = True) -> None:
    """Copy an approved submission's results, then re-rank what they touch."""
    campaign = submission.campaign
    values = {
        row.element.code: row for row in DataValue.objects.filter(submission=submission).select_related("element")
    }
    inputs = {
        code: (row.value if row.state == DataValue.State.VALUE else None) for code, row in values.items()
    }
    now = timezone.now()
    rows = []
    for result in IndicatorResult.objects.filter(submission=submission).select_related("indicator_version"):
        version = result.indicator_version
        numerator = denominator = None
        parts = ratio_parts(version.parsed)
        if parts is not None and result.value is not None:
            numerator = evaluate(parts.numerator, inputs).value
            denominator = evaluate(parts.denominator, inputs).value
        rows.append(ApprovedResult(
            municipality_id=submission.municipality_id, submission=submission, campaign=campaign,
            area_id=campaign.area_id, indicator_id=result.indicator_id, indicator_version=version,
            period_year=campaign.period_year, period_kind=campaign.period_kind,
            period_index=campaign.period_index, value=result.value, reason=result.reason,
            numerator=numerator, denominator=denominator, score=score_of(result.value, version),
            visibility=(
                Visibility.OWN if result.visibility == Visibility.OWN
                else Visibility.PUBLIC if campaign.published_at else Visibility.CLUB
            ),
            embargo_until=campaign.embargo_until, approved_at=now,
        ))
    ApprovedResult.objects.filter(submission=submission).delete()
    ApprovedResult.objects.bulk_create(rows)
    if and_rerank:
        rerank(campaign, [row.indicator_id for row in rows])


def withdraw(submission: Submission) -> None:
    """A reopened submission leaves the comparisons until it is approved again."""
    indicator_ids = list(
        ApprovedResult.objects.filter(submission=submission).values_list("indicator_id", flat=True)
    )
    ApprovedResult.objects.filter(submission=submission).delete()
    rerank(submission.campaign, indicator_ids)


_RANK_SQL = """
WITH ranked AS (
    SELECT municipality_id, id,
           RANK() OVER w AS rank,
           COUNT(*) OVER () AS reported,
           CASE WHEN COUNT(*) OVER () > 1
                THEN ROUND((100 * (1 - PERCENT_RANK() OVER w))::numeric, 2) ELSE 100 END AS percentile
    FROM benchmarking_approvedresult
    WHERE indicator_id = %(indicator)s AND period_year = %(year)s AND period_kind = %(kind)s
      AND period_index = %(index)s AND score IS NOT NULL AND visibility <> 'own'
    WINDOW w AS (ORDER BY score DESC)
)
UPDATE benchmarking_approvedresult r
SET rank = ranked.rank, reported = ranked.reported, percentile = ranked.percentile
FROM ranked
WHERE r.municipality_id = ranked.municipality_id AND r.id = ranked.id
  AND (r.rank, r.reported, r.percentile) IS DISTINCT FROM (ranked.rank, ranked.reported, ranked.percentile)
"""


_UNRANK_SQL = """
UPDATE benchmarking_approvedresult SET rank = NULL, reported = NULL, percentile = NULL
WHERE indicator_id = %(indicator)s AND period_year = %(year)s AND period_kind = %(kind)s
  AND period_index = %(index)s AND (score IS NULL OR visibility = 'own') AND rank IS NOT NULL
"""


def rerank(campaign: Campaign, indicator_ids) -> None:
    """Ranks and the club summary of each indicator for the campaign's period."""
    for indicator_id in sorted(set(indicator_ids)):
        params = {
            "indicator": indicator_id, "year": campaign.period_year,
            "kind": campaign.period_kind, "index": campaign.period_index,
        }
        with connection.cursor() as cursor:
            cursor.execute(_RANK_SQL, params)
            cursor.execute(_UNRANK_SQL, params)
        _refresh_summary(indicator_id, campaign.period)


def _refresh_summary(indicator_id: int, period: Period) -> None:
    rows = list(
        ApprovedResult.objects.filter(
            indicator_id=indicator_id, period_year=period.year, period_kind=period.kind,
            period_index=period.index, score__isnull=False,
        ).exclude(visibility=Visibility.OWN)
        .values_list("municipality_id", "value", "score", "numerator", "denominator")
    )
    version = IndicatorVersion.objects.filter(indicator_id=indicator_id).order_by("-number").first()
    stats = summarize([(m, v, s) for m, v, s, _n, _d in rows])
    club_ratio = None
    parts = ratio_parts(version.parsed) if version else None
    if parts is not None and rows and all(n is not None and d is not None for *_x, n, d in rows):
        total = sum(d for *_x, d in rows)
        if total:
            club_ratio = sum(n for *_x, n, _d in rows) / total * parts.factor
    ResultSummary.objects.update_or_create(
        indicator_id=indicator_id, period_year=period.year, period_kind=period.kind,
        period_index=period.index,
        defaults={
            "reported": stats.reported, "minimum": stats.minimum, "q1": stats.q1,
            "median": stats.median, "q3": stats.q3, "maximum": stats.maximum, "mean": stats.mean,
            "best": stats.best, "best_municipality_id": stats.best_municipalities[0] if stats.best_municipalities else None,
            "club_ratio": club_ratio,
        },
    )
