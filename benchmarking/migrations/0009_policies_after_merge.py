"""The policies of submissions and their values as the models declare them,
after two changes made side by side: the status «pronto per il responsabile»
(a form the comune may still change, 0007_bm_workflow_closing_ready) and the
values an own-only result keeps out of the club (0007_sec_db_embargo_own_only),
the public scope's embargo on approved results (the same), and the national
load's keys (0007_bm_bench_bulk_keys) and ranking index (0008_bm_bench_ranking_keyset),
which re-applied the policies as they were before the other two."""

from django.db import migrations

import qclub.migration_ops


class Migration(migrations.Migration):

    dependencies = [
        ("benchmarking", "0008_bm_bench_ranking_keyset"),
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
        qclub.migration_ops.EnforceTenancy(
            model_name='DataValueChange',
            read_policies={'review': 'EXISTS (SELECT 1 FROM benchmarking_datavalue v WHERE v.municipality_id = benchmarking_datavaluechange.municipality_id AND v.id = benchmarking_datavaluechange.data_value_id)'},
            write_policies={'load': {'INSERT': 'true'}},
        ),
        qclub.migration_ops.EnforceTenancy(
            model_name='ApprovedResult',
            read_policies={'club': "visibility <> 'own'", 'public': "visibility = 'public' AND (embargo_until IS NULL OR embargo_until <= (now() AT TIME ZONE 'Europe/Rome')::date) AND EXISTS (SELECT 1 FROM benchmarking_campaign c WHERE c.id = benchmarking_approvedresult.campaign_id AND c.published_at IS NOT NULL AND (c.embargo_until IS NULL OR c.embargo_until <= (now() AT TIME ZONE 'Europe/Rome')::date))", 'review': "area_id = ANY(string_to_array(NULLIF(current_setting('qclub.areas', true), ''), ',')::bigint[])"},
            write_policies={'review': {'INSERT': "area_id = ANY(string_to_array(NULLIF(current_setting('qclub.areas', true), ''), ',')::bigint[])", 'UPDATE': "area_id = ANY(string_to_array(NULLIF(current_setting('qclub.areas', true), ''), ',')::bigint[])", 'DELETE': "area_id = ANY(string_to_array(NULLIF(current_setting('qclub.areas', true), ''), ',')::bigint[])"}},
        ),
    ]
