# The club-wide complaint categories (plain table), so comuni compare like with like.

from django.db import migrations

CATEGORIES = [
    ("tempi", "Tempi di attesa e ritardi"),
    ("accesso", "Accesso e orari"),
    ("informazione", "Informazione e comunicazione"),
    ("cortesia", "Cortesia e competenza del personale"),
    ("qualita", "Qualità della prestazione"),
    ("costi", "Costi, tariffe e pagamenti"),
    ("strutture", "Strutture, pulizia e sicurezza"),
    ("digitale", "Servizi online"),
    ("altro", "Altro"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    for position, (code, name) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0004_cp_complaints'),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
