"""Writing a comune's complaint figures and publishing its yearly report.

`refresh_figures` recomputes, in one SQL statement per call (GROUPING SETS
over the comune's complaints: total, per category, per service, per
channel, per year), the `ComplaintFigure` rows of the given years and
replaces the old ones. It runs as the comune (`acting_for`), so row-level
security confines it to the comune's own complaints; the club reads only the
resulting counts. The working days to answer are those stored on each
complaint when it was answered (`Complaint.answer_working_days`, written by
the handling service with the province's calendar and suspensions), so SQL
needs no calendar: percentiles are `percentile_cont` over that column.

Called by the nightly job (`complaints.kpis.jobs`), by the KPI page's
«Aggiorna» button and by the API.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import policy
from complaints.kpis.figures import kpis_of
from complaints.kpis.selectors import labels_for
from complaints.models import Complaint, ComplaintFigure, ComplaintReport
from qclub.permissions import Action, check

# Years a refresh may span (bounded work), and the first year there can be figures for.
MAX_YEARS = 10
FIRST_YEAR = 2000

_REFRESH_SQL = """
INSERT INTO complaints_complaintfigure (
    municipality_id, public_id, year, dimension, key, received, complaints, suggestions, compliments,
    ack_measured, ack_on_time, answer_measured, answer_on_time, median_days, p90_days,
    classified, founded, reopened, rated, rating_sum, population, computed_at
)
SELECT %(m)s, gen_random_uuid(), year,
    CASE WHEN GROUPING(category_code) = 0 THEN 'category'
         WHEN GROUPING(service_code) = 0 THEN 'service'
         WHEN GROUPING(channel) = 0 THEN 'channel' ELSE 'total' END,
    CASE WHEN GROUPING(category_code) = 0 THEN coalesce(category_code, '')
         WHEN GROUPING(service_code) = 0 THEN coalesce(service_code, '')
         WHEN GROUPING(channel) = 0 THEN channel ELSE '' END,
    count(*),
    count(*) FILTER (WHERE is_complaint),
    count(*) FILTER (WHERE kind = 'suggestion'),
    count(*) FILTER (WHERE kind = 'compliment'),
    count(*) FILTER (WHERE is_complaint AND (acknowledged_late IS NOT NULL
                     OR (acknowledged_on IS NULL AND acknowledge_due < %(today)s))),
    count(*) FILTER (WHERE is_complaint AND acknowledged_late = false),
    count(*) FILTER (WHERE is_complaint AND (answered_late IS NOT NULL
                     OR (answered_on IS NULL AND status = ANY(%(open)s) AND answer_due < %(today)s))),
    count(*) FILTER (WHERE is_complaint AND answered_late = false),
    round((percentile_cont(0.5) WITHIN GROUP (ORDER BY answer_working_days)
           FILTER (WHERE is_complaint))::numeric, 1),
    round((percentile_cont(0.9) WITHIN GROUP (ORDER BY answer_working_days)
           FILTER (WHERE is_complaint))::numeric, 1),
    count(*) FILTER (WHERE is_complaint AND founded IS NOT NULL),
    count(*) FILTER (WHERE is_complaint AND founded),
    count(*) FILTER (WHERE is_complaint AND reopen_count > 0),
    count(rating),
    coalesce(sum(rating), 0),
    %(population)s, %(now)s
FROM (
    SELECT EXTRACT(YEAR FROM c.received_on)::int AS year, c.kind, c.kind = 'complaint' AS is_complaint,
           c.channel, cat.code AS category_code, s.code AS service_code, c.status,
           c.acknowledged_on, c.acknowledged_late, c.acknowledge_due,
           c.answered_on, c.answered_late, c.answer_due, c.answer_working_days,
           c.founded, c.reopen_count, c.rating
    FROM complaints_complaint c
    LEFT JOIN complaints_category cat ON cat.id = c.category_id
    LEFT JOIN qclub_service s ON s.id = c.service_id
    WHERE c.municipality_id = %(m)s AND c.duplicate_of_id IS NULL
      AND c.received_on >= %(start)s AND c.received_on < %(end)s
) AS c
GROUP BY GROUPING SETS ((year), (year, category_code), (year, service_code), (year, channel))
"""


def _years(years) -> list[int]:
    today = policy.today()
    chosen = sorted({int(y) for y in years}) if years else [today.year]
    if not chosen or chosen[0] < FIRST_YEAR or chosen[-1] > today.year or chosen[-1] - chosen[0] >= MAX_YEARS:
        raise ValidationError(
            _("Gli anni da ricalcolare devono essere al massimo %(n)s, dal %(first)s a quest'anno.")
            % {"n": MAX_YEARS, "first": FIRST_YEAR}
        )
    return chosen


def _refresh(municipality, years: list[int]) -> int:
    ComplaintFigure.objects.filter(municipality=municipality, year__in=years).delete()
    with connection.cursor() as cursor:
        cursor.execute(_REFRESH_SQL, {
            "m": municipality.pk, "today": policy.today(), "now": timezone.now(),
            "open": [str(s) for s in Complaint.OPEN_STATUSES],
            "population": municipality.population,
            "start": datetime.date(years[0], 1, 1), "end": datetime.date(years[-1] + 1, 1, 1),
        })
        return cursor.rowcount


@transaction.atomic
def refresh_figures(*, municipality, years=None, user=None) -> int:
    """Recompute the comune's figures for `years` (default: this year) from
    its complaints; returns the rows written. `user` None: a job acting for
    the comune (the caller has set `acting_for`)."""
    if user is not None:
        check(user, Action.HANDLE_COMPLAINTS, municipality=municipality)
    return _refresh(municipality, _years(years))


@transaction.atomic
def publish_report(*, municipality, year: int, user) -> ComplaintReport:
    """Publish (or publish again, with today's figures) the comune's complaint
    report for a past or current year: a snapshot of its figures only."""
    check(user, Action.HANDLE_COMPLAINTS, municipality=municipality)
    (year,) = _years([year])
    return publish_report_figures(municipality, year, user=user)


def publish_report_figures(municipality, year: int, *, user=None) -> ComplaintReport:
    """The report's snapshot, written (the caller checked who and which year)."""
    _refresh(municipality, [year])
    rows = ComplaintFigure.objects.filter(municipality=municipality, year=year)
    total = next((r for r in rows if r.dimension == ComplaintFigure.Dimension.TOTAL), None)
    if total is None:
        raise ValidationError(_("Nel %(year)s non risulta alcuna segnalazione: non c'è nulla da pubblicare.")
                              % {"year": year})
    labels = labels_for(rows)
    figures = {
        "total": kpis_of(total).as_dict(),
        "by": {
            dimension: [kpis_of(r, label=labels[(r.dimension, r.key)]).as_dict()
                        for r in rows if r.dimension == dimension]
            for dimension in (ComplaintFigure.Dimension.CATEGORY, ComplaintFigure.Dimension.CHANNEL)
        },
    }
    report, _created = ComplaintReport.objects.update_or_create(
        municipality=municipality, year=year,
        defaults={"figures": figures, "published_on": policy.today(), "published_by": user},
    )
    return report


@transaction.atomic
def withdraw_report(*, municipality, year: int, user) -> None:
    check(user, Action.HANDLE_COMPLAINTS, municipality=municipality)
    updated = ComplaintReport.objects.filter(municipality=municipality, year=year, published_on__isnull=False)
    if not updated.update(published_on=None):
        raise ValidationError(_("La relazione del %(year)s non è pubblicata.") % {"year": year})
