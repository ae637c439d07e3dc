"""Issue #9, items 6 and 7 (sec-db).

* ApprovedResult's public policy also requires the campaign to be published
  and past its embargo (and the row's own embargo), by Italian date.
* Submission.kept_elements: the data elements behind the results a comune
  keeps to itself; DataValue's club policy hides their values (NULL: all).
  Backfilled here for the submissions already approved; the numerator and
  denominator of shared ratio results are cleared by
  `manage.py rebuild_comparisons` (docs/operations.md).
"""

import django.contrib.postgres.fields
from django.db import migrations, models

import qclub.migration_ops


def backfill_kept_elements(apps, schema_editor):
    """For every approved submission, as its comune (row-level security is
    forced on the owner too): the elements of its own-only results' formulas."""
    from benchmarking.formula import parse

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id FROM qclub_municipality ORDER BY id")
        for (municipality_id,) in cursor.fetchall():
            cursor.execute("SELECT set_config('qclub.municipality_id', %s, true)", [str(municipality_id)])
            cursor.execute(
                "SELECT s.id, array_remove(array_agg(v.formula), NULL) FROM benchmarking_submission s "
                "LEFT JOIN benchmarking_indicatorresult r ON r.municipality_id = s.municipality_id "
                "AND r.submission_id = s.id AND r.visibility = 'own' "
                "LEFT JOIN benchmarking_indicatorversion v ON v.id = r.indicator_version_id "
                "WHERE s.status = 'approved' GROUP BY s.id"
            )
            for submission_id, formulas in cursor.fetchall():
                codes = sorted(set().union(*(parse(f).codes for f in formulas)))
                cursor.execute(
                    "UPDATE benchmarking_submission s SET kept_elements = COALESCE(("
                    "SELECT array_agg(dv.element_id ORDER BY dv.element_id) FROM benchmarking_datavalue dv "
                    "JOIN benchmarking_dataelement e ON e.id = dv.element_id "
                    "WHERE dv.municipality_id = s.municipality_id AND dv.submission_id = s.id "
                    "AND e.code = ANY(%s)), '{}') WHERE s.id = %s",
                    [codes, submission_id],
                )
        cursor.execute("SELECT set_config('qclub.municipality_id', '', true)")


class Migration(migrations.Migration):

    dependencies = [
        ("benchmarking", "0007_sec_input_justification_limit"),
    ]

    operations = [
        migrations.AddField(
            model_name='submission',
            name='kept_elements',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), blank=True, editable=False, null=True, size=None),
        ),
        qclub.migration_ops.EnforceTenancy(
            model_name='DataValue',
            read_policies={'club': "EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = benchmarking_datavalue.municipality_id AND s.id = benchmarking_datavalue.submission_id AND s.status = 'approved' AND s.kept_elements IS NOT NULL AND NOT (benchmarking_datavalue.element_id = ANY(s.kept_elements))) AND state <> 'confidential'", 'review': "EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = benchmarking_datavalue.municipality_id AND s.id = benchmarking_datavalue.submission_id AND s.status IN ('submitted', 'returned', 'approved', 'reopened'))", 'load': 'true'},
            write_policies={'load': {'INSERT': "EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = benchmarking_datavalue.municipality_id AND s.id = benchmarking_datavalue.submission_id AND s.status IN ('not_started', 'draft', 'returned', 'reopened'))", 'UPDATE': "EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = benchmarking_datavalue.municipality_id AND s.id = benchmarking_datavalue.submission_id AND s.status IN ('not_started', 'draft', 'returned', 'reopened'))"}},
        ),
        qclub.migration_ops.EnforceTenancy(
            model_name='ApprovedResult',
            read_policies={'club': "visibility <> 'own'", 'public': "visibility = 'public' AND (embargo_until IS NULL OR embargo_until <= (now() AT TIME ZONE 'Europe/Rome')::date) AND EXISTS (SELECT 1 FROM benchmarking_campaign c WHERE c.id = benchmarking_approvedresult.campaign_id AND c.published_at IS NOT NULL AND (c.embargo_until IS NULL OR c.embargo_until <= (now() AT TIME ZONE 'Europe/Rome')::date))", 'review': "area_id = ANY(string_to_array(NULLIF(current_setting('qclub.areas', true), ''), ',')::bigint[])"},
            write_policies={'review': {'INSERT': "area_id = ANY(string_to_array(NULLIF(current_setting('qclub.areas', true), ''), ',')::bigint[])", 'UPDATE': "area_id = ANY(string_to_array(NULLIF(current_setting('qclub.areas', true), ''), ',')::bigint[])", 'DELETE': "area_id = ANY(string_to_array(NULLIF(current_setting('qclub.areas', true), ''), ',')::bigint[])"}},
        ),
        migrations.RunPython(backfill_kept_elements, migrations.RunPython.noop),
    ]
