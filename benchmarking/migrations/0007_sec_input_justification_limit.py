# The justification's length limit, now defined once on the model (the form, the
# API and the file import read it). TextField's max_length is not a database
# constraint: this changes Django's state only, so no EnforceTenancy is needed
# (and none is added, so that no policy is rewritten with an older text when
# migrations of other branches are chained with this one).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("benchmarking", "0007_bm_entry_shared_context"),
    ]

    operations = [
        migrations.AlterField(
            model_name='datavalue',
            name='justification',
            field=models.TextField(blank=True, max_length=5000, verbose_name='giustificazione'),
        ),
    ]
