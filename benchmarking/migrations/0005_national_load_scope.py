"""The "load" scope: national data loads write many comuni's figures in one
set-based statement, only into submissions still open for editing."""

from django.db import migrations

import qclub.migration_ops


class Migration(migrations.Migration):

    dependencies = [
        ("benchmarking", "0004_result_visibility"),
    ]

    operations = [
        qclub.migration_ops.EnforceTenancy(
            model_name='Submission',
            read_policies={'club': "status = 'approved'", 'review': "EXISTS (SELECT 1 FROM benchmarking_campaign c WHERE c.id = benchmarking_submission.campaign_id AND c.area_id = ANY(string_to_array(NULLIF(current_setting('qclub.areas', true), ''), ',')::bigint[]))", 'load': 'true'},
            write_policies={'review': {'UPDATE': "EXISTS (SELECT 1 FROM benchmarking_campaign c WHERE c.id = benchmarking_submission.campaign_id AND c.area_id = ANY(string_to_array(NULLIF(current_setting('qclub.areas', true), ''), ',')::bigint[]))"}, 'load': {'INSERT': "status = 'not_started'", 'UPDATE': "status IN ('not_started', 'draft', 'returned', 'reopened')"}},
        ),
        qclub.migration_ops.EnforceTenancy(
            model_name='DataValue',
            read_policies={'club': "EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = benchmarking_datavalue.municipality_id AND s.id = benchmarking_datavalue.submission_id AND s.status = 'approved') AND state <> 'confidential'", 'review': "EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = benchmarking_datavalue.municipality_id AND s.id = benchmarking_datavalue.submission_id AND s.status IN ('submitted', 'returned', 'approved', 'reopened'))", 'load': 'true'},
            write_policies={'load': {'INSERT': "EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = benchmarking_datavalue.municipality_id AND s.id = benchmarking_datavalue.submission_id AND s.status IN ('not_started', 'draft', 'returned', 'reopened'))", 'UPDATE': "EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = benchmarking_datavalue.municipality_id AND s.id = benchmarking_datavalue.submission_id AND s.status IN ('not_started', 'draft', 'returned', 'reopened'))"}},
        ),
        qclub.migration_ops.EnforceTenancy(
            model_name='DataValueChange',
            read_policies={'review': 'EXISTS (SELECT 1 FROM benchmarking_datavalue v WHERE v.municipality_id = benchmarking_datavaluechange.municipality_id AND v.id = benchmarking_datavaluechange.data_value_id)'},
            write_policies={'load': {'INSERT': 'true'}},
        ),
    ]
