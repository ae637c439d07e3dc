"""Jobs declared for qclub/tests/test_jobs.py, and for the worker process it starts.

`observed` collects what in-process jobs saw, for the tests to read.
"""

from django.db import connection
from django.utils import timezone, translation
from procrastinate import RetryStrategy

from qclub.jobs import club_job, municipality_job, periodic_job
from qclub.models import JobProgress
from qclub.tenancy import active_municipality_id

observed: list[dict] = []


@municipality_job(name="tests.look_at_job_progress", retry=False)
def look_at_job_progress(municipality, *, note: str = "") -> None:
    # Raw SQL: what the database itself lets the job see, not a manager's filter.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT municipality_id FROM {JobProgress._meta.db_table}")
        visible = sorted(row[0] for row in cursor.fetchall())
    observed.append({
        "municipality": municipality.pk,
        "active": active_municipality_id(),
        "visible": visible,
        "through_manager": sorted({p.municipality_id for p in JobProgress.objects.all()}),
        "language": translation.get_language(),
        "note": note,
    })


@municipality_job(name="tests.record_a_row", retry=False)
def record_a_row(municipality, *, marker: int) -> None:
    JobProgress.objects.create(job_id=marker, done=1, total=1, updated_at=timezone.now())


@municipality_job(name="tests.always_fails", retry=RetryStrategy(max_attempts=2))
def always_fails(municipality) -> None:
    observed.append({"failing_attempt_for": municipality.pk})
    raise RuntimeError("the mail server is down")


@municipality_job(name="tests.reports_then_fails", retry=False, reports_progress=True)
def reports_then_fails(municipality, *, progress) -> None:
    progress(1, 3)
    raise RuntimeError("the PDF renderer crashed")


@club_job(name="tests.fans_out_then_fails", retry=False)
def fans_out_then_fails(*, municipality_ids: list[int]) -> None:
    observed.append({"club_job_active": active_municipality_id()})
    for municipality_id in municipality_ids:
        look_at_job_progress.defer(municipality=municipality_id, note="fanned out")
    raise RuntimeError("failed after deferring")


# Never due in practice (29 February, 03:17), so a test worker never runs it.
@periodic_job(name="tests.nightly", cron="17 3 29 2 *")
def nightly(*, scheduled_at) -> None:
    observed.append({"periodic_active": active_municipality_id(), "scheduled_at": scheduled_at})
