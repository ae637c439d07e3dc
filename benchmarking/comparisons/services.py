"""Writes of the comparisons: an approved submission's results enter the members area
(`publish`), leave it on reopening (`withdraw`), and every comune is re-ranked in
SQL with window functions (`rerank`), the club summary refreshed with them.

The members area's own writes: a coordinator's peer groups (`peer_group_save`),
a comune's context descriptors (`context_value_save`) and best practices
(`best_practice_add`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from benchmarking.comparisons import standing
from benchmarking.comparisons.selectors import summarize
from benchmarking.comparisons.standing import score_of
from benchmarking.formula import evaluate, ratio_parts
from benchmarking.models import (
    ApprovedResult,
    BestPractice,
    Campaign,
    ContextValue,
    DataValue,
    Indicator,
    IndicatorResult,
    IndicatorVersion,
    ResultSummary,
    Submission,
    Visibility,
)
from benchmarking.periods import Period
from qclub.models import Municipality, PeerGroup
from qclub.permissions import Action, check


def publish(submission: Submission, *, and_rerank: bool = True) -> None:
    """Copy an approved submission's results, then re-rank what they touch.

    Own-only means the inputs too: the data elements behind a result the comune
    keeps to itself are recorded on the submission (`kept_elements`), which
    DataValue's club policy reads to keep their values out of every club read
    (the outlier medians among them); a shared ratio result whose numerator or
    denominator uses one of them is stored without its parts, so the club ratio
    cannot reveal it either. Run again whenever the comune changes what it
    shares (`collection.services.set_visibility`)."""
    campaign = submission.campaign
    values = {
        row.element.code: row for row in DataValue.objects.filter(submission=submission).select_related("element")
    }
    inputs = {
        code: (row.value if row.state == DataValue.State.VALUE else None) for code, row in values.items()
    }
    results = list(IndicatorResult.objects.filter(submission=submission).select_related("indicator_version"))
    kept_codes = set().union(*(
        result.indicator_version.parsed.codes for result in results if result.visibility == Visibility.OWN
    ))
    kept = sorted(row.element_id for code, row in values.items() if code in kept_codes)
    Submission.objects.filter(pk=submission.pk).update(kept_elements=kept)
    submission.kept_elements = kept
    approved_at = submission.approved_at or timezone.now()
    rows = []
    for result in results:
        version = result.indicator_version
        numerator = denominator = None
        parts = ratio_parts(version.parsed)
        if parts is not None and result.value is not None and not (parts.numerator.codes | parts.denominator.codes) & kept_codes:
            numerator = evaluate(parts.numerator, inputs).value
            denominator = evaluate(parts.denominator, inputs).value
        rows.append(ApprovedResult(
            municipality_id=submission.municipality_id, submission=submission, campaign=campaign,
            area_id=campaign.area_id, indicator_id=result.indicator_id, indicator_version=version,
            period_year=campaign.period_year, period_kind=campaign.period_kind,
            period_index=campaign.period_index, value=result.value, reason=result.reason,
            numerator=numerator, denominator=denominator, score=score_of(result.value, version),
            # A figure shared after the campaign was published is public with the
            # campaign's embargo, like the rest (the public policy checks both).
            visibility=(
                Visibility.OWN if result.visibility == Visibility.OWN
                else Visibility.PUBLIC if campaign.published_at else Visibility.CLUB
            ),
            embargo_until=campaign.embargo_until, approved_at=approved_at,
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
           CASE WHEN NOT %(has_percentile)s THEN NULL
                WHEN COUNT(*) OVER () > 1
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
    """Ranks and the club summary of each indicator for the campaign's period.

    What a rank means per direction is `standing`'s: by score (for a range
    indicator, by distance to the range, every comune in range tied first),
    and no percentile for a range indicator."""
    ids = sorted(set(indicator_ids))
    versions = _latest_versions(ids)
    for indicator_id in ids:
        params = {
            "indicator": indicator_id, "year": campaign.period_year,
            "kind": campaign.period_kind, "index": campaign.period_index,
            "has_percentile": standing.has_percentile(versions.get(indicator_id)),
        }
        with connection.cursor() as cursor:
            cursor.execute(_RANK_SQL, params)
            cursor.execute(_UNRANK_SQL, params)
        _refresh_summary(indicator_id, campaign.period, versions.get(indicator_id))


def _latest_versions(indicator_ids: list[int]) -> dict[int, IndicatorVersion]:
    latest: dict[int, IndicatorVersion] = {}
    for version in IndicatorVersion.objects.filter(indicator_id__in=indicator_ids).order_by("number"):
        latest[version.indicator_id] = version
    return latest


def _refresh_summary(indicator_id: int, period: Period, version: IndicatorVersion | None) -> None:
    rows = list(
        ApprovedResult.objects.filter(
            indicator_id=indicator_id, period_year=period.year, period_kind=period.kind,
            period_index=period.index, score__isnull=False,
        ).exclude(visibility=Visibility.OWN)
        .values_list("municipality_id", "value", "score", "numerator", "denominator")
    )
    stats = summarize([(m, v, s) for m, v, s, _n, _d in rows], in_range=standing.has_range(version))
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
            "best": stats.best, "best_municipality_id": (
                stats.best_municipalities[0] if stats.best is not None and stats.best_municipalities else None
            ),
            "club_ratio": club_ratio,
        },
    )


# --- The members area's own writes ----------------------------------------------------

ATTACHMENT_EXTENSIONS = (".pdf", ".docx", ".odt", ".xlsx", ".png", ".jpg", ".jpeg")
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024


def _required(errors: dict[str, list[str]], field: str, text: str, max_length: int) -> None:
    if not (text or "").strip():
        errors.setdefault(field, []).append(_("Questo campo è obbligatorio."))
    elif len(text) > max_length:
        errors.setdefault(field, []).append(
            _("Al massimo %(n)d caratteri (ne hai scritti %(m)d).") % {"n": max_length, "m": len(text)}
        )


@transaction.atomic
def peer_group_save(
    *, group: PeerGroup | None = None, name: str, description: str = "",
    members: Iterable[Municipality], acting_user,
) -> PeerGroup:
    """A coordinator defines (or changes) a group of member comuni to compare
    like with like. Only member comuni belong to a group, and at least one; the
    group keeps who created it."""
    check(acting_user, Action.MANAGE_CATALOGUE, message=_("Solo chi coordina un'area definisce i gruppi di confronto."))
    members = list(members)
    errors: dict[str, list[str]] = {}
    _required(errors, "name", name, 120)
    if not members:
        errors["members"] = [_("Scegli almeno un comune.")]
    elif any(m.status != Municipality.Status.MEMBER for m in members):
        errors["members"] = [_("Un gruppo comprende solo comuni aderenti al club.")]
    if errors:
        raise ValidationError(errors)
    group = group or PeerGroup(created_by=acting_user)
    group.name, group.description = name.strip(), (description or "").strip()
    group.save()
    group.members.set(members)
    return group


def context_year_errors(year: int | None) -> list[str]:
    """Context descriptors are kept for the years 2000 to 2100."""
    if year is None or 2000 <= year <= 2100:
        return []
    return [_("Indica un anno tra il 2000 e il 2100.")]


@transaction.atomic
def context_value_save(
    *, municipality: Municipality, year: int, key: str, value: str, note: str = "",
    shared: bool = True, acting_user,
) -> ContextValue:
    """The comune's descriptor of `key` for `year`: one per comune, year and key,
    so saving a known key updates it. Years from 2000 to 2100."""
    check(acting_user, Action.ENTER_DATA, municipality=municipality)
    errors: dict[str, list[str]] = {}
    if problems := context_year_errors(year):
        errors["year"] = problems
    _required(errors, "key", key, 60)
    _required(errors, "value", value, 200)
    if errors:
        raise ValidationError(errors)
    descriptor, _created = ContextValue.objects.update_or_create(
        municipality=municipality, year=year, key=key,
        defaults={"value": value, "note": note or "", "shared": shared},
    )
    return descriptor


def attachment_errors(attachment: UploadedFile | None) -> list[str]:
    """A best practice's attachment: PDF, DOCX, ODT, XLSX, PNG or JPG, at most 5 MB."""
    if not attachment:
        return []
    if Path(attachment.name).suffix.lower() not in ATTACHMENT_EXTENSIONS:
        return [_("Formato non ammesso: carica un file PDF, DOCX, ODT, XLSX, PNG o JPG.")]
    if attachment.size > ATTACHMENT_MAX_BYTES:
        return [_("Il file supera i 5 MB consentiti.")]
    return []


@transaction.atomic
def best_practice_add(
    *, municipality: Municipality, indicator: Indicator, period_year: int, title: str, description: str,
    contact: str = "", link: str = "", attachment: UploadedFile | None = None, acting_user,
) -> BestPractice:
    """A member comune tells the club how it reaches its result on an indicator
    for a year (published at once to the members area)."""
    check(acting_user, Action.VIEW_MEMBERS_AREA, municipality=municipality)
    check(acting_user, Action.ENTER_DATA, municipality=municipality)
    errors: dict[str, list[str]] = {}
    _required(errors, "title", title, 200)
    _required(errors, "description", description, 100_000)
    if problems := attachment_errors(attachment):
        errors["attachment"] = problems
    if errors:
        raise ValidationError(errors)
    return BestPractice.objects.create(
        municipality=municipality, indicator=indicator, period_year=period_year,
        title=title.strip(), description=description.strip(), contact=contact or "", link=link or "",
        attachment=attachment or "", created_by=acting_user,
    )
