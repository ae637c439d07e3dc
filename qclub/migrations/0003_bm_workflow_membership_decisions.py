"""Membership decisions keep the day they take effect (`MembershipEvent.on`), and the
national register of comuni is never cut: the database refuses to DELETE a comune
(one that leaves the club becomes "ex aderente" and keeps its history). TRUNCATE,
used only by the schema owner's `flush` in tests and by the benchmark's builder,
is not a row delete and is not affected."""

from django.db import migrations, models

REFUSE_DELETE = """
CREATE FUNCTION qclub_refuse_municipality_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'I comuni del registro nazionale non si cancellano (comune %): registra invece l''uscita dal club.', OLD.istat_code
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER qclub_municipality_no_delete BEFORE DELETE ON qclub_municipality
    FOR EACH ROW EXECUTE FUNCTION qclub_refuse_municipality_delete();
"""

ALLOW_DELETE = """
DROP TRIGGER IF EXISTS qclub_municipality_no_delete ON qclub_municipality;
DROP FUNCTION IF EXISTS qclub_refuse_municipality_delete();
"""


class Migration(migrations.Migration):

    dependencies = [
        ("qclub", "0003_bm_public_italian_names"),
    ]

    operations = [
        migrations.AddField(
            model_name='membershipevent',
            name='on',
            field=models.DateField(blank=True, null=True, verbose_name='data della decisione'),
        ),
        migrations.RunSQL(REFUSE_DELETE, ALLOW_DELETE),
    ]
