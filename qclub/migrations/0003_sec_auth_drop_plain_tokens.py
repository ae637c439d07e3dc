"""API tokens are django-rest-knox's now (hashed, expiring): the plain-text
tokens of DRF's `authtoken` app are dropped with its table. Existing tokens
stop working; their owners ask for a new one (docs/operations.md)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("qclub", "0003_bm_workflow_membership_decisions")]

    operations = [
        migrations.RunSQL(
            "DROP TABLE IF EXISTS authtoken_token CASCADE",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
