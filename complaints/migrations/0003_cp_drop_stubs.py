# The stub models held no real data: dropped, and rebuilt in their real shape
# by 0004_cp_complaints (a rename would have dragged the stub columns along).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0002_bm_public_italian_names'),
    ]

    operations = [
        migrations.DeleteModel(name='ComplaintAction'),
        migrations.DeleteModel(name='Complaint'),
    ]
