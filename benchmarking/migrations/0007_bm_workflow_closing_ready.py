"""Closing and reopening rounds (`Campaign.closed_at`, `CampaignEvent`: who, when, why)
and the officer's "ready for the manager" status; the national load may write into
a ready form like any other form still open for editing (DataValue's load policies)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import qclub.migration_ops


class Migration(migrations.Migration):

    dependencies = [
        ("benchmarking", "0007_bm_public_italian_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='campaign',
            name='closed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='chiusa il'),
        ),
        migrations.AlterField(
            model_name='submission',
            name='status',
            field=models.CharField(choices=[('not_started', 'Non iniziata'), ('draft', 'Bozza'), ('ready', 'Pronta per il responsabile'), ('submitted', 'Inviata'), ('returned', 'Restituita'), ('approved', 'Approvata'), ('reopened', 'Riaperta')], default='not_started', max_length=12, verbose_name='stato'),
        ),
        migrations.CreateModel(
            name='CampaignEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('opened', 'Aperta'), ('closed', 'Chiusa'), ('reopened', 'Riaperta')], max_length=10, verbose_name='evento')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='quando')),
                ('note', models.TextField(blank=True, verbose_name='motivo')),
                ('open_forms', models.PositiveIntegerField(blank=True, null=True, verbose_name='schede ancora aperte')),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='benchmarking.campaign')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='chi')),
            ],
            options={
                'verbose_name': 'evento della campagna',
                'verbose_name_plural': 'eventi della campagna',
                'ordering': ['-at', '-id'],
            },
        ),
        qclub.migration_ops.EnforceTenancy(
            model_name='Submission',
            read_policies={'club': "status = 'approved'", 'load': 'true', 'review': "EXISTS (SELECT 1 FROM benchmarking_campaign c WHERE c.id = benchmarking_submission.campaign_id AND c.area_id = ANY(string_to_array(NULLIF(current_setting('qclub.areas', true), ''), ',')::bigint[]))"},
            write_policies={'load': {'INSERT': "status = 'not_started'", 'UPDATE': "status IN ('not_started', 'draft', 'ready', 'returned', 'reopened')"}, 'review': {'UPDATE': "EXISTS (SELECT 1 FROM benchmarking_campaign c WHERE c.id = benchmarking_submission.campaign_id AND c.area_id = ANY(string_to_array(NULLIF(current_setting('qclub.areas', true), ''), ',')::bigint[]))"}},
        ),
        qclub.migration_ops.EnforceTenancy(
            model_name='DataValue',
            read_policies={'club': "EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = benchmarking_datavalue.municipality_id AND s.id = benchmarking_datavalue.submission_id AND s.status = 'approved') AND state <> 'confidential'", 'review': "EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = benchmarking_datavalue.municipality_id AND s.id = benchmarking_datavalue.submission_id AND s.status IN ('submitted', 'returned', 'approved', 'reopened'))", 'load': 'true'},
            write_policies={'load': {'INSERT': "EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = benchmarking_datavalue.municipality_id AND s.id = benchmarking_datavalue.submission_id AND s.status IN ('not_started', 'draft', 'ready', 'returned', 'reopened'))", 'UPDATE': "EXISTS (SELECT 1 FROM benchmarking_submission s WHERE s.municipality_id = benchmarking_datavalue.municipality_id AND s.id = benchmarking_datavalue.submission_id AND s.status IN ('not_started', 'draft', 'ready', 'returned', 'reopened'))"}},
        ),
    ]
