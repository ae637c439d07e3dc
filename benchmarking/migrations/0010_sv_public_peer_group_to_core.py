"""Peer groups are the core's now (`qclub.models.PeerGroup`, qclub 0005): the
model leaves benchmarking's state only; its tables, with their names and rows,
stay where they are and belong to the core's model."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("benchmarking", "0009_policies_after_merge"),
        ("qclub", "0006_sv_public_peer_group"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PeerGroup")],
            database_operations=[],
        ),
    ]
