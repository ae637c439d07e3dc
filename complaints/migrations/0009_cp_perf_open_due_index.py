"""One index for the overdue list, declared on the model.

Two indexes served the same list: `complaint_due (municipality, due)`, which the
list's query used (it filters and orders on the generated column `due`), and the
raw-SQL partial index `complaint_open_due` of 0008 on the columns `due` is made
of, which that query no longer used. Both go; in their place one partial index
on the open complaints only, `(municipality, due, id) INCLUDE (status) WHERE
status IN (open)`, in `Complaint.Meta.indexes` under the same name: the overdue
list is an ordered range of it (`policy.overdue_q` names the open statuses so
that PostgreSQL may use it), its count and the dashboard's counts
(`handling.selectors.work_counts`) are index-only scans of it, and it holds only
the open complaints (a few % of a comune's history), not every complaint.
"""

from django.conf import settings
from django.db import migrations, models

import qclub.migration_ops

OPEN = "'received', 'acknowledged', 'in_progress', 'reopened'"


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0008_cp2_open_due_index"),
        ("qclub", "0006_sv_public_peer_group"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # 0008's raw-SQL index (not in the model state): dropped here, and made again
        # if this migration is reversed.
        migrations.RunSQL(
            "DROP INDEX IF EXISTS complaint_open_due",
            "CREATE INDEX IF NOT EXISTS complaint_open_due ON complaints_complaint "
            "(municipality_id, answer_due, acknowledge_due, id) INCLUDE (status) "
            f"WHERE status IN ({OPEN}) AND NOT suspended",
        ),
        migrations.RemoveIndex(
            model_name="complaint",
            name="complaint_due",
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("status__in", ["received", "acknowledged", "in_progress", "reopened"])),
                fields=["municipality", "due", "id"], include=("status",), name="complaint_open_due",
            ),
        ),
        qclub.migration_ops.EnforceTenancy(
            model_name="Complaint",
        ),
    ]
