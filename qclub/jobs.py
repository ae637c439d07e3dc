"""Background jobs: the one way a module declares work that runs outside a request.

Jobs wait in a queue kept in PostgreSQL (procrastinate) and run in the worker
process (`manage.py procrastinate worker`; `make run` and the compose `worker`
service start it). A module declares its jobs in `<app>/jobs.py`, which the
worker imports at start (PROCRASTINATE_AUTODISCOVER_MODULE_NAME):

    @municipality_job(name="benchmarking.scorecard_pdf", reports_progress=True)
    def scorecard_pdf(municipality, *, area_id, period, progress): ...

    scorecard_pdf.defer(municipality=request.municipality, area_id=..., period="2025")

The rules, each kept here rather than by every job:

1. **An explicit tenancy context.** A comune job runs inside
   `acting_for(municipality)`: tenant tables show that comune's rows only. A
   club job (and every periodic job) runs inside `acting_for(None)`: tenant
   tables show nothing; it reads across comuni only through `cross_tenant()`,
   or defers one comune job per comune. Arguments carry `municipality_id`.
2. **Queued with the caller's transaction.** `defer()` writes the job on the
   caller's Django connection: deferred in a request (or a job) that then fails,
   it is never queued; deferred in one that commits, it survives any restart.
3. **One transaction per attempt.** The body is all or nothing, so a retry
   starts afresh. Progress for a page to poll goes through `Progress`, on a
   connection of its own, so it shows while the job still runs.
4. **Retried, then visible.** A failing job is retried (`DEFAULT_RETRY`: five
   attempts, waits growing 4 s, 16 s, 64 s, 256 s); after the last it stays
   `failed` in the admin (Procrastinate › jobs), with its events, where an
   administrator can retry it.
5. **Plain arguments, a stable name.** Arguments are JSON (ids, strings,
   numbers), never model instances. The name (`<app>.<what>`) is how queued
   jobs find their code: moving the function must not change it.
6. **The deferring user's language.** The body runs with the language active
   when it was deferred (or `language=` given to `defer`).

The worker runs each sync job in a thread of its own and closes that thread's
Django connection after the job (procrastinate's `DjangoApp` middleware).
"""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import psycopg
from django.conf import settings
from django.utils import timezone, translation
from procrastinate import JobContext, RetryStrategy
from procrastinate.contrib.django import app, connector_params
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.manager import JobManager
from procrastinate.retry import RetryValue
from procrastinate.tasks import Task, configure_task
from psycopg import sql

from qclub.tenancy import MUNICIPALITY_SETTING, acting_for

if TYPE_CHECKING:
    from qclub.models import Municipality

# Five runs in all (procrastinate's max_attempts counts the retries), waiting
# 4 s, 16 s, 64 s, 256 s between them: about six minutes, enough to ride out a
# database restart or a mail server hiccup.
DEFAULT_RETRY = RetryStrategy(max_attempts=4, exponential_wait=4)

# Deferring goes through the calling thread's Django connection, in the web
# process and in the worker alike (where procrastinate's own app uses a pool
# of separate connections): a job is queued only if the caller's transaction
# commits.
_on_django_connection = JobManager(DjangoConnector(alias="default"))


class Progress:
    """`progress(done, total)`: how far a comune job has got, for its page to poll.

    Written at once on a connection of its own (the job's transaction commits
    only at its end) as the runtime role, for the job's comune only: row-level
    security on `JobProgress` applies as everywhere else.
    """

    def __init__(self, *, job_id: int, municipality_id: int) -> None:
        self.job_id = job_id
        self.municipality_id = municipality_id
        self._connection: psycopg.Connection | None = None

    def __call__(self, done: int, total: int) -> None:
        from qclub.models import JobProgress

        if self._connection is None:
            self._connection = psycopg.connect(**connector_params("default"), autocommit=True)
        statement = sql.SQL(
            "INSERT INTO {table} (municipality_id, public_id, job_id, done, total, updated_at) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (municipality_id, job_id) "
            "DO UPDATE SET done = EXCLUDED.done, total = EXCLUDED.total, "
            "updated_at = EXCLUDED.updated_at"
        ).format(table=sql.Identifier(JobProgress._meta.db_table))
        with self._connection.transaction():
            # The same transaction-local setting acting_for() makes (qclub.tenancy).
            self._connection.execute(
                "SELECT set_config(%s, %s, true)", [MUNICIPALITY_SETTING, str(self.municipality_id)]
            )
            self._connection.execute(
                statement,
                [self.municipality_id, uuid.uuid4(), self.job_id, done, total, timezone.now()],
            )

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


@dataclass(frozen=True)
class _Job:
    task: Task

    @property
    def name(self) -> str:
        return self.task.name

    def _defer(self, task_kwargs: dict[str, Any], schedule_in: dict[str, float] | None) -> int:
        deferrer = configure_task(
            name=self.task.name,
            job_manager=_on_django_connection,
            task_kwargs=task_kwargs,
            schedule_in=schedule_in,
            lock=self.task.lock,
            queueing_lock=self.task.queueing_lock,
            queue=self.task.queue,
            priority=self.task.priority,
        )
        return deferrer.defer()


class MunicipalityJob(_Job):
    """A job that acts for one comune; `defer()` returns procrastinate's job id."""

    def defer(
        self, *, municipality: Municipality | int, language: str | None = None,
        schedule_in: dict[str, float] | None = None, **kwargs: Any,
    ) -> int:
        municipality_id = getattr(municipality, "pk", municipality)
        if not isinstance(municipality_id, int):
            raise ValueError(f"{self.name}: a comune job needs its comune")
        return self._defer(
            {"municipality_id": municipality_id, "language": language or _current_language(), **kwargs},
            schedule_in,
        )


class ClubJob(_Job):
    """A job that acts for no comune (maintenance, fan-out to comune jobs)."""

    def defer(
        self, *, language: str | None = None, schedule_in: dict[str, float] | None = None,
        **kwargs: Any,
    ) -> int:
        return self._defer(
            {"municipality_id": None, "language": language or _current_language(), **kwargs},
            schedule_in,
        )


def _current_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def municipality_job(
    *, name: str, retry: RetryValue = DEFAULT_RETRY, queue: str = "default",
    reports_progress: bool = False,
) -> Callable[[Callable[..., Any]], MunicipalityJob]:
    """Declare a job that acts for one comune.

    The body is called as `body(municipality, **kwargs)` inside
    `acting_for(municipality)` and one transaction, with the deferring user's
    language; with `reports_progress=True` it also gets `progress`, a
    `Progress` to call as `progress(done, total)`.
    """

    def declare(body: Callable[..., Any]) -> MunicipalityJob:
        @functools.wraps(body)
        def run(context: JobContext, *, municipality_id: int, language: str, **kwargs: Any) -> Any:
            from qclub.models import Municipality

            progress = None
            if reports_progress:
                progress = kwargs["progress"] = Progress(
                    job_id=context.job.id, municipality_id=municipality_id
                )
            try:
                with translation.override(language), acting_for(municipality_id):
                    municipality = Municipality.objects.get(pk=municipality_id)
                    return body(municipality, **kwargs)
            finally:
                if progress is not None:
                    progress.close()

        return MunicipalityJob(app.task(name=name, retry=retry, queue=queue, pass_context=True)(run))

    return declare


def club_job(
    *, name: str, retry: RetryValue = DEFAULT_RETRY, queue: str = "default",
) -> Callable[[Callable[..., Any]], ClubJob]:
    """Declare a job that acts for no comune: `body(**kwargs)` runs inside
    `acting_for(None)` and one transaction, with the deferring user's language."""

    def declare(body: Callable[..., Any]) -> ClubJob:
        return ClubJob(app.task(name=name, retry=retry, queue=queue)(_as_club_job(body)))

    return declare


def periodic_job(
    *, name: str, cron: str, retry: RetryValue = DEFAULT_RETRY, queue: str = "default",
) -> Callable[[Callable[..., Any]], ClubJob]:
    """Declare a club job the worker defers on a schedule (`cron`, in the
    server's time zone, e.g. "0 8 * * *" every day at 8).

    The body is called as `body(scheduled_at=<aware datetime>)` inside
    `acting_for(None)`; the worker defers each scheduled run once even with
    several workers. To act for each comune, defer one comune job per comune.
    """

    def declare(body: Callable[..., Any]) -> ClubJob:
        @functools.wraps(body)
        def scheduled(*, timestamp: int, **kwargs: Any) -> Any:
            at = datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)
            return body(scheduled_at=timezone.localtime(at), **kwargs)

        task = app.task(name=name, retry=retry, queue=queue)(
            _as_club_job(scheduled, language=settings.LANGUAGE_CODE)
        )
        app.periodic(cron=cron)(task)
        return ClubJob(task)

    return declare


def _as_club_job(body: Callable[..., Any], *, language: str | None = None) -> Callable[..., Any]:
    @functools.wraps(body)
    def run(*, municipality_id: None = None, language: str | None = language, **kwargs: Any) -> Any:
        if municipality_id is not None:
            raise ValueError("a club job acts for no comune")
        with translation.override(language or settings.LANGUAGE_CODE), acting_for(None):
            return body(**kwargs)

    return run


@dataclass(frozen=True)
class JobState:
    """What a page shows of one of its comune's jobs."""

    status: str  # procrastinate's: todo, doing, succeeded, failed, cancelled, aborted
    attempts: int
    done: int
    total: int


def job_state(*, municipality: Municipality | int, job_id: int) -> JobState | None:
    """The state of a job of this comune, or None when there is no such job or
    it is another comune's (pages answer 404)."""
    from procrastinate.contrib.django.models import ProcrastinateJob

    from qclub.models import JobProgress

    municipality_id = getattr(municipality, "pk", municipality)
    job = ProcrastinateJob.objects.filter(pk=job_id, args__municipality_id=municipality_id).first()
    if job is None:
        return None
    with acting_for(municipality_id):
        progress = JobProgress.objects.filter(job_id=job_id).first()
    return JobState(
        status=job.status,
        attempts=job.attempts,
        done=progress.done if progress else 0,
        total=progress.total if progress else 0,
    )


# --- The core's own periodic jobs ---------------------------------------------


@periodic_job(name="qclub.purge_antispam", cron="*/15 * * * *")
def purge_antispam(*, scheduled_at: datetime.datetime) -> None:
    """Every 15 minutes: forget the anti-spam marks whose time is over (solved
    challenges, rate-limit counts; qclub/antispam.py)."""
    from qclub.antispam import purge_expired

    purge_expired(scheduled_at)
