"""The policies of submissions and their values as the models declare them,
after two changes made side by side: the status «pronto per il responsabile»
(a form the comune may still change, 0007_bm_workflow_closing_ready) and the
values an own-only result keeps out of the club (0007_sec_db_embargo_own_only)."""

from django.db import migrations

import qclub.migration_ops


class Migration(migrations.Migration):

    dependencies = [
        ("benchmarking", "0008_bm_entry_pending_import"),
    ]

    operations = [
        qclub.migration_ops.EnforceTenancy(
            model_name='Submission',
            read_policies={'club': "status = 'approved'", 'review': "EXISTS (SELECT 1 FROM benchmarking_campaign c WHERE c.id = benchmarking_submission.campaign_id AND c.area_id = ANY(string_to_array(NULLIF(current_setting('qclub.areas', true), ''), ',')::bigint[]))", 'load': 'true'},
            write_policies={'review': {'UPDATE': "EXISTS (SELECT 1 FROM benchmarking_campaign c WHERE c.id = benchmarking_submission.campaign_id AND c.area_id = ANY(string_to_array(NULLIF(current_setting('qclub.areas', true), ''), ',')::bigint[]))"}, 'load': {'INSERT': "status = 'not_started'", 'UPDATE': "status IN ('not_started', 'draft', 'ready', 'returned', 'reopened')"}},
        ),
        qclub.migration_ops.EnforceTenancy(
            model_name='DataValue',
            read_policies={'club': "EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = benchmarking_datavalue.municipality_id AND s.id = benchmarking_datavalue.submission_id AND s.status = 'approved' AND s.kept_elements IS NOT NULL AND NOT (benchmarking_datavalue.element_id = ANY(s.kept_elements))) AND state <> 'confidential'", 'review': "EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = benchmarking_datavalue.municipality_id AND s.id = benchmarking_datavalue.submission_id AND s.status IN ('submitted', 'returned', 'approved', 'reopened'))", 'load': 'true'},
            write_policies={'load': {'INSERT': "EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = benchmarking_datavalue.municipality_id AND s.id = benchmarking_datavalue.submission_id AND s.status IN ('not_started', 'draft', 'ready', 'returned', 'reopened'))", 'UPDATE': "EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = benchmarking_datavalue.municipality_id AND s.id = benchmarking_datavalue.submission_id AND s.status IN ('not_started', 'draft', 'ready', 'returned', 'reopened'))"}},
        ),
    ]
