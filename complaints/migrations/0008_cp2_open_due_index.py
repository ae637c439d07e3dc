"""The overdue list of a large comune (50,000 open): a partial index on the open
complaints not waiting for the citizen, in the list's order (answer due,
acknowledgement due, id), with the status included, so the page is an ordered
index scan with LIMIT and the count an index-only scan (bench/complaints.py:
page 1 from 453 ms to 0.4 ms of SQL on 150,000 complaints of one comune).

Raw SQL so that the handling's model (complaints/models.py, another branch's
file) stays untouched: at merge it may move into `Complaint.Meta.indexes` as
`models.Index(fields=["municipality", "answer_due", "acknowledge_due", "id"],
include=["status"], condition=Q(status__in=OPEN_STATUSES, suspended=False),
name="complaint_open_due")` with a no-op state migration."""

from django.db import migrations

OPEN = "'received', 'acknowledged', 'in_progress', 'reopened'"


class Migration(migrations.Migration):
    dependencies = [("complaints", "0007_cp2_plans_figures_report")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS complaint_open_due ON complaints_complaint "
            "(municipality_id, answer_due, acknowledge_due, id) INCLUDE (status) "
            f"WHERE status IN ({OPEN}) AND NOT suspended",
            "DROP INDEX IF EXISTS complaint_open_due",
        ),
    ]
