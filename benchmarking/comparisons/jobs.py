"""The best practices' attachment files left without a practice.

A practice's file is written to storage as the practice is saved, inside the
request's transaction: a transaction that then fails (a later error in the same
request) leaves the file on disk with no row naming it. Once a night the files
under the practices' folder that no practice names and that are older than a
day (a save in flight is younger) are deleted.
"""

from __future__ import annotations

import datetime

from benchmarking.models import BestPractice
from qclub.jobs import periodic_job
from qclub.tenancy import SCOPE_CLUB, cross_tenant

ORPHAN_AFTER = datetime.timedelta(days=1)


def _folder() -> str:
    return BestPractice._meta.get_field("attachment").upload_to.rstrip("/")


def orphan_files(now: datetime.datetime) -> list[str]:
    """Storage names of the practices' files that no practice names, older than `ORPHAN_AFTER`."""
    storage = BestPractice._meta.get_field("attachment").storage
    folder = _folder()
    if not storage.exists(folder):
        return []
    _folders, files = storage.listdir(folder)
    # Every comune's practices: the club scope reads them all (`BestPractice` club policy).
    with cross_tenant(scope=SCOPE_CLUB, reason="best practice files: orphans"):
        named = set(BestPractice.objects.exclude(attachment="").values_list("attachment", flat=True))
    return sorted(
        name for name in (f"{folder}/{file}" for file in files)
        if name not in named and storage.get_modified_time(name) < now - ORPHAN_AFTER
    )


@periodic_job(name="benchmarking.sweep_practice_files", cron="40 3 * * *")
def sweep_practice_files(*, scheduled_at: datetime.datetime) -> None:
    """Every night: delete the practices' files no practice names (`orphan_files`)."""
    storage = BestPractice._meta.get_field("attachment").storage
    for name in orphan_files(scheduled_at):
        storage.delete(name)
