"""The PDF reports' jobs: rendering one report, and deleting old files daily."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from procrastinate import RetryStrategy

from benchmarking.periods import Period
from benchmarking.reports import services as reports
from qclub.jobs import Progress, municipality_job, periodic_job
from qclub.models import Municipality, ThematicArea

# One retry, at once: the user is waiting on the page, and a report that fails
# twice is a bug to look at (the job stays `failed` in the admin), not a
# hiccup to wait out.
REPORT_RETRY = RetryStrategy(max_attempts=1)


@municipality_job(name="benchmarking.report_pdf", retry=REPORT_RETRY, reports_progress=True)
def report_pdf(
    municipality: Municipality, *, kind: str, area_id: int, period: str, target_id: int | None,
    user_id: int, filename: str, public_id: str, progress: Progress,
) -> None:
    """Render a report as the requesting user's comune (its own figures are
    highlighted; other comuni's through the club scope, audited in the user's
    name) and write MEDIA_ROOT/reports/<job id>.pdf. `filename` is the name the
    download offers; `public_id` (a UUID) names the report in URLs, never the
    job's sequential id."""
    user = get_user_model().objects.get(pk=user_id)
    area = ThematicArea.objects.get(pk=area_id)
    target = Municipality.objects.get(pk=target_id) if target_id else None
    pdf = reports.build_pdf(
        kind, area=area, period=Period.parse(period), user=user, viewer=municipality,
        municipality=target, progress=progress,
    )
    # Last, so a failure above leaves no file; a retry overwrites it.
    reports.write_report_file(progress.job_id, pdf)


@periodic_job(name="benchmarking.expire_reports", cron="30 3 * * *")
def expire_reports(*, scheduled_at: datetime.datetime) -> None:
    """Every night: delete the report files older than REPORTS_KEEP_DAYS."""
    reports.expire_report_files(older_than=scheduled_at - datetime.timedelta(days=settings.REPORTS_KEEP_DAYS))
