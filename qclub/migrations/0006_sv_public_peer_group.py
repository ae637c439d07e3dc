"""Peer groups move to the core, so that every module compares with the same
groups: the core takes `PeerGroup` into its state only. The tables stay
benchmarking's (`benchmarking_peergroup`, `benchmarking_peergroup_members`,
created by benchmarking 0003); benchmarking's 0010 removes the model from its
own state, again without touching the database."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("qclub", "0005_sv_online_antispam"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PeerGroup",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=120, verbose_name="nome")),
                        ("description", models.TextField(blank=True, verbose_name="descrizione")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("members", models.ManyToManyField(db_table="benchmarking_peergroup_members", related_name="+", to="qclub.municipality", verbose_name="comuni")),
                    ],
                    options={
                        "verbose_name": "gruppo di confronto",
                        "verbose_name_plural": "gruppi di confronto",
                        "db_table": "benchmarking_peergroup",
                        "ordering": ["name"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
