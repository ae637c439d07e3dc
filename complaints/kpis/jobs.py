"""The KPI figures' jobs (imported by complaints/jobs.py for the worker):

* `complaints.kpis_nightly` (periodic, 02:40): one `complaints.refresh_figures`
  per member comune — this year and the last (answers given in January still
  change last year's figures);
* `complaints.refresh_figures`: acting for the comune, recomputes its figures
  (`kpis.services.refresh_figures`, one SQL statement).
"""

from __future__ import annotations

import datetime

from complaints.kpis.services import refresh_figures
from qclub.jobs import municipality_job, periodic_job
from qclub.models import Municipality


@municipality_job(name="complaints.refresh_figures")
def refresh(municipality: Municipality, *, years: list[int]) -> None:
    refresh_figures(municipality=municipality, years=years)


@periodic_job(name="complaints.kpis_nightly", cron="40 2 * * *")
def nightly(*, scheduled_at: datetime.datetime) -> None:
    year = scheduled_at.date().year
    for municipality_id in Municipality.objects.filter(status=Municipality.Status.MEMBER).values_list("pk", flat=True):
        refresh.defer(municipality=municipality_id, years=[year - 1, year])
