"""Background jobs (qclub/jobs.py) against the real queue in PostgreSQL.

Workers here use procrastinate's own connections, as the runtime role, like the
worker process; the queue's tables are not flushed between tests (Django does
not manage them), so each test empties them.
"""

import datetime
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from qclub.jobs import DEFAULT_RETRY, JobState, job_state
from qclub.models import JobProgress
from qclub.tenancy import acting_for
from qclub.tests import example_jobs
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def comune_a():
    return MunicipalityFactory(name="Trento", slug="trento", istat_code="022205")


@pytest.fixture
def comune_b():
    return MunicipalityFactory(name="Bergamo", slug="bergamo", istat_code="016024")


@pytest.fixture(autouse=True)
def empty_queue():
    def empty():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM procrastinate_periodic_defers")
            cursor.execute("DELETE FROM procrastinate_jobs")
        example_jobs.observed.clear()

    empty()
    yield
    empty()


def run_worker() -> None:
    """Run every queued job, as the `procrastinate worker` command does, then return."""
    with app.replace_connector(app.connector.get_worker_connector()):
        app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)


def jobs_named(name: str):
    return ProcrastinateJob.objects.filter(task_name=name)


def progress_row(municipality, job_id=0):
    with acting_for(municipality):
        JobProgress.objects.create(job_id=job_id, updated_at=timezone.now())


def test_a_job_deferred_in_a_transaction_that_rolls_back_is_not_queued(comune_a):
    with pytest.raises(RuntimeError), transaction.atomic():  # as a request that fails
        example_jobs.look_at_job_progress.defer(municipality=comune_a)
        raise RuntimeError("the view failed")
    assert not jobs_named("tests.look_at_job_progress").exists()

    with transaction.atomic():
        example_jobs.look_at_job_progress.defer(municipality=comune_a)
    assert jobs_named("tests.look_at_job_progress").count() == 1


def test_a_job_acts_only_for_its_comune(comune_a, comune_b):
    progress_row(comune_a)
    progress_row(comune_b)
    with acting_for(comune_b), translation.override("en"):  # the deferring request's context
        example_jobs.look_at_job_progress.defer(municipality=comune_a)

    run_worker()

    assert jobs_named("tests.look_at_job_progress").get().status == "succeeded"
    assert example_jobs.observed == [{
        "municipality": comune_a.pk, "active": comune_a.pk,
        "visible": [comune_a.pk], "through_manager": [comune_a.pk],
        "language": "en", "note": "",
    }]


def test_a_club_job_acts_for_no_comune_and_its_deferrals_roll_back_with_it(comune_a, comune_b):
    example_jobs.fans_out_then_fails.defer(municipality_ids=[comune_a.pk, comune_b.pk])
    with acting_for(comune_a):  # the worker's own context is a comune's: the job must not inherit it
        run_worker()

    assert jobs_named("tests.fans_out_then_fails").get().status == "failed"
    assert example_jobs.observed == [{"club_job_active": None}]
    # Deferred inside the failed job's transaction: never queued, never run.
    assert not jobs_named("tests.look_at_job_progress").exists()


def test_a_failing_job_is_retried_then_failed_and_shown_to_an_administrator(client, comune_a):
    job_id = example_jobs.always_fails.defer(municipality=comune_a)

    run_worker()

    job = ProcrastinateJob.objects.get(pk=job_id)
    assert job.status == "failed"
    # max_attempts counts the retries: the first run and two more.
    assert example_jobs.observed == [{"failing_attempt_for": comune_a.pk}] * 3
    assert job.attempts == 3
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    changelist = reverse("admin:procrastinate_procrastinatejob_changelist")
    page = client.get(changelist, {"status": "failed"})
    assert page.status_code == 200
    assert "tests.always_fails" in page.content.decode()
    detail = client.get(reverse("admin:procrastinate_procrastinatejob_change", args=[job_id]))
    assert detail.status_code == 200


def test_the_job_admin_is_closed_to_staff_who_are_not_administrators(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=False))
    page = client.get(reverse("admin:procrastinate_procrastinatejob_changelist"))
    assert page.status_code == 403


def test_jobs_retry_a_few_times_with_growing_waits_by_default():
    assert DEFAULT_RETRY.max_attempts == 4  # retries: five runs in all
    assert DEFAULT_RETRY.exponential_wait > 1
    assert example_jobs.record_a_row.task.retry_strategy is None  # declared retry=False


def test_progress_shows_outside_the_jobs_transaction_to_its_comune_only(comune_a, comune_b):
    job_id = example_jobs.reports_then_fails.defer(municipality=comune_a)

    run_worker()

    # The job failed, so its transaction rolled back; its progress stayed.
    assert job_state(municipality=comune_a, job_id=job_id) == JobState(
        status="failed", attempts=1, done=1, total=3
    )
    assert job_state(municipality=comune_b, job_id=job_id) is None
    with acting_for(comune_b):
        assert not JobProgress.objects.filter(job_id=job_id).exists()


def test_a_periodic_job_is_scheduled_and_acts_for_no_comune(comune_a):
    periodic = {
        task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()
    }
    assert periodic["tests.nightly"] == "17 3 29 2 *"

    at = datetime.datetime(2028, 2, 29, 3, 17, tzinfo=datetime.UTC)
    with acting_for(comune_a):  # whatever the caller's context, the job's own is none
        example_jobs.nightly.task(timestamp=int(at.timestamp()))
    assert example_jobs.observed == [{"periodic_active": None, "scheduled_at": at}]


def test_a_queued_job_survives_and_runs_in_another_process(comune_a):
    job_id = example_jobs.record_a_row.defer(municipality=comune_a, marker=4242)
    connection.close()  # nothing of this process's session is needed by the worker

    db = connection.settings_dict
    credentials = f"{quote(db['USER'], safe='')}:{quote(db['PASSWORD'] or '', safe='')}"
    host = db["HOST"] or ""
    database_url = (  # a Unix socket (the embedded server) travels as ?host=
        f"postgres://{credentials}@/{db['NAME']}?host={host}" if host.startswith("/")
        else f"postgres://{credentials}@{host}:{db['PORT'] or ''}/{db['NAME']}"
    )
    worker = subprocess.run(  # noqa: S603 - our own interpreter and code
        [
            sys.executable, "-c",
            "import django; django.setup(); import qclub.tests.example_jobs; "
            "from django.core.management import execute_from_command_line; "
            "execute_from_command_line(['manage.py', 'procrastinate', 'worker', "
            "'--one-shot', '--no-listen-notify'])",
        ],
        cwd=Path(settings.BASE_DIR),
        env={**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "qclub.settings"},
        capture_output=True, text=True, timeout=120,
    )

    assert worker.returncode == 0, worker.stderr
    assert ProcrastinateJob.objects.get(pk=job_id).status == "succeeded"
    with acting_for(comune_a):
        assert JobProgress.objects.filter(job_id=4242).count() == 1
