# The stub models held no real data: dropped, and rebuilt in their real shape
# by 0003_charters_foundation (a rename would have dragged the stub columns along).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('servicecharters', '0001_initial'),
    ]

    operations = [
        migrations.DeleteModel(name='CharterStandard'),
        migrations.DeleteModel(name='ServiceCharter'),
    ]
