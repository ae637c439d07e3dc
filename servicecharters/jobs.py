"""The service charters' jobs (found by the worker, qclub/jobs.py):

* `servicecharters.yearly_monitoring` (periodic, 15 January at 06:10): one
  `servicecharters.compute_monitoring` for last year per member comune;
* `servicecharters.compute_monitoring`: acting for the comune, computes the
  year for each of its charters in force then, never touching a published
  report (`monitoring.services.compute_due`).

The page's «Ricalcola» computes one charter at once instead (a charter has a
handful of standards).
"""

from __future__ import annotations

import datetime

from qclub.jobs import municipality_job, periodic_job
from qclub.models import Municipality
from servicecharters.monitoring.services import compute_due


@municipality_job(name="servicecharters.compute_monitoring")
def compute_monitoring(municipality: Municipality, *, year: int) -> None:
    compute_due(municipality=municipality, year=year)


@periodic_job(name="servicecharters.yearly_monitoring", cron="10 6 15 1 *")
def yearly_monitoring(*, scheduled_at: datetime.datetime) -> None:
    year = scheduled_at.date().year - 1
    for municipality_id in Municipality.objects.filter(status=Municipality.Status.MEMBER).values_list("pk", flat=True):
        compute_monitoring.defer(municipality=municipality_id, year=year)
