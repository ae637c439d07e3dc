"""Isolation between comuni, proven in PostgreSQL itself.

These tests read and write with raw SQL or Django's plain base manager, so they
pass only because row-level security and the composite keys hold, not because
a view or manager remembered to filter.
"""

import datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.state import ProjectState

from complaints.models import Complaint, ComplaintEvent
from qclub.dbroles import runtime_role_problems
from qclub.management.commands.makemigrations import TenancyAutodetector
from qclub.migration_ops import EnforceTenancy, policy_statements
from qclub.models import AccessAudit
from qclub.tenancy import (
    SCOPE_CLUB,
    SCOPE_PUBLIC,
    NoActiveMunicipality,
    TenantModel,
    acting_for,
    cross_tenant,
)
from surveys.models import Survey
from surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def _complaint(municipality, reference="R-1"):
    with acting_for(municipality):
        return Complaint.objects.create(
            reference=reference,
            received_on=datetime.date(2026, 3, 1),
            channel=Complaint.Channel.COUNTER,
            what_happened="Attesa allo sportello",
            request="Due ore di coda",
            contact_name="Mario Rossi",
            contact_email="mario@example.org",
        )


def _rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_tests_run_as_a_role_that_cannot_bypass_row_level_security():
    assert runtime_role_problems(connection) == []


def test_raw_select_returns_only_the_active_comunes_rows(comune_a, comune_b):
    _complaint(comune_a)
    _complaint(comune_b)
    with acting_for(comune_a):
        assert _rows("SELECT municipality_id FROM complaints_complaint") == [(comune_a.pk,)]


def test_base_manager_all_returns_no_row_of_another_comune(comune_a, comune_b):
    _complaint(comune_a)
    _complaint(comune_b)
    with acting_for(comune_a):
        # _base_manager is what Django uses for related lookups: no app filter.
        seen = {c.municipality_id for c in Complaint._base_manager.all()}
    assert seen == {comune_a.pk}


def test_database_returns_no_rows_without_an_active_comune(comune_a):
    _complaint(comune_a)
    assert _rows("SELECT id FROM complaints_complaint") == []


def test_manager_refuses_to_query_without_an_active_comune(comune_a):
    with pytest.raises(NoActiveMunicipality):
        list(Complaint.objects.all())


def test_manager_filters_to_the_active_comune(comune_a, comune_b):
    _complaint(comune_a, "A-1")
    _complaint(comune_b, "B-1")
    with acting_for(comune_b):
        assert list(Complaint.objects.values_list("reference", flat=True)) == ["B-1"]


def test_inserting_a_row_of_another_comune_fails_in_the_database(comune_a, comune_b):
    with acting_for(comune_a), pytest.raises(DatabaseError, match="row-level security"):
        with transaction.atomic():
            Complaint.objects.create(
                municipality=comune_b, reference="X", received_on=datetime.date(2026, 1, 1),
                channel="web", what_happened="d",
            )
    with acting_for(comune_b):
        assert Complaint.objects.count() == 0


def test_updating_another_comunes_row_changes_nothing(comune_a, comune_b):
    theirs = _complaint(comune_b)
    with acting_for(comune_a), connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_complaint SET what_happened = 'hacked' WHERE id = %s", [theirs.pk])
        assert cursor.rowcount == 0
        cursor.execute("DELETE FROM complaints_complaint WHERE id = %s", [theirs.pk])
        assert cursor.rowcount == 0
    with acting_for(comune_b):
        assert Complaint.objects.get().what_happened == "Attesa allo sportello"


def test_moving_a_row_to_another_comune_fails_in_the_database(comune_a, comune_b):
    mine = _complaint(comune_a)
    with acting_for(comune_a), pytest.raises(DatabaseError, match="row-level security"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE complaints_complaint SET municipality_id = %s WHERE id = %s",
                [comune_b.pk, mine.pk],
            )


def test_a_row_cannot_point_at_another_comunes_row(comune_a, comune_b):
    theirs = _complaint(comune_b)
    with acting_for(comune_a), pytest.raises(IntegrityError), transaction.atomic():
        ComplaintEvent.objects.create(complaint_id=theirs.pk, kind="note", text="risposta")
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_nested_acting_for_restores_the_outer_comune(comune_a, comune_b):
    with acting_for(comune_a):
        with acting_for(comune_b):
            pass
        assert _rows("SELECT current_setting('qclub.municipality_id', true)") == [(str(comune_a.pk),)]
    assert _rows("SELECT current_setting('qclub.municipality_id', true)") == [("",)]


def test_club_scope_reads_only_what_each_table_lets_it(comune_a, comune_b, service, officer_a):
    for municipality in (comune_a, comune_b):
        with acting_for(municipality):
            SurveyFactory(title="bozza", year=2026)
            SurveyFactory(title="chiusa", year=2025, status="closed")
    _complaint(comune_b)
    with acting_for(comune_a), cross_tenant(scope=SCOPE_CLUB, reason="test", acting_user=officer_a):
        seen = sorted((s.municipality_id, s.title) for s in Survey.objects.all())
        complaints = list(Complaint.objects.all())
    assert seen == sorted(
        [(comune_a.pk, "bozza"), (comune_a.pk, "chiusa"), (comune_b.pk, "chiusa")]
    )
    assert complaints == []  # citizens' complaints: no scope may cross into them
    audit = AccessAudit.objects.get()
    assert (audit.scope, audit.user, audit.municipality_id) == (SCOPE_CLUB, officer_a, comune_a.pk)


def test_public_scope_reads_only_what_citizens_may_see(comune_b, service):
    with acting_for(comune_b):
        SurveyFactory(title="bozza", year=2025)
        SurveyFactory(title="in corso", year=2025, status="open")
        SurveyFactory(title="pubblicata", year=2025, status="published")
    with cross_tenant(scope=SCOPE_PUBLIC, reason="test"):
        # A survey being prepared is never public; one collecting answers is,
        # so that citizens can answer it (its answers never are).
        assert sorted(s.title for s in Survey.objects.all()) == ["in corso", "pubblicata"]


def test_cross_tenant_scope_cannot_write_another_comunes_rows(comune_a, comune_b, service):
    with acting_for(comune_b):
        theirs = SurveyFactory(title="chiusa", year=2025, status="closed")
    with acting_for(comune_a), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        updated = Survey.objects.filter(pk=theirs.pk).update(title="hacked")
    assert updated == 0


# --- The schema itself -------------------------------------------------------

def _tenant_models():
    return [m for m in apps.get_models() if issubclass(m, TenantModel)]


def test_every_app_has_a_tenant_model():
    assert {m._meta.app_label for m in _tenant_models()} >= {
        "benchmarking", "surveys", "complaints", "servicecharters"
    }


@pytest.mark.parametrize("model", _tenant_models(), ids=lambda m: m._meta.label)
def test_tenant_table_has_forced_rls_policy_and_municipality_in_every_key(model):
    table = model._meta.db_table
    (enabled, forced), = _rows(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = %s::regclass", [table]
    )
    assert enabled and forced, f"{table}: row-level security not enabled and forced"
    policies = dict(_rows(
        "SELECT policyname, cmd FROM pg_policies WHERE tablename = %s", [table]
    ))
    assert policies.get("tenant_isolation") == "ALL"
    expected = {f"scope_{s}" for s in model.tenancy_read_policies} | {
        f"scope_{scope}_{command.lower()}"
        for scope, commands in model.tenancy_write_policies.items()
        for command in commands
    } | ({"scope_keys"} if model.tenancy_statement_keys else set())
    assert set(policies) - {"tenant_isolation"} == expected
    if model.tenancy_statement_keys:
        # Keys checked once per statement (qclub.statement_keys), no per-row constraint.
        triggers = {name for (name,) in _rows(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [table])}
        assert {f"{table}_keys_insert", f"{table}_keys_update"} <= triggers
    (using, check), = _rows(
        "SELECT qual, with_check FROM pg_policies WHERE tablename = %s AND policyname = 'tenant_isolation'",
        [table],
    )
    assert "qclub.municipality_id" in using and "qclub.municipality_id" in check

    constraints = _rows(
        """
        SELECT con.contype, array(SELECT attname FROM pg_attribute a
                                  WHERE a.attrelid = con.conrelid AND a.attnum = ANY(con.conkey)),
               con.confrelid::regclass::text
        FROM pg_constraint con WHERE con.conrelid = %s::regclass AND con.contype IN ('p', 'u', 'f')
        """,
        [table],
    )
    primary = [sorted(cols) for kind, cols, _t in constraints if kind == "p"]
    assert primary == [["id", "municipality_id"]]
    for kind, cols, target in constraints:
        if kind == "u":
            assert "municipality_id" in cols, f"{table}: unique {cols} lacks the municipality"
        if kind == "f" and target != "qclub_municipality":
            target_is_tenant = _rows(
                "SELECT 1 FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'municipality_id'",
                [target],
            )
            if target_is_tenant:
                assert "municipality_id" in cols, f"{table} -> {target} is not composite"
    unique_indexes = _rows(
        """
        SELECT indexrelid::regclass::text FROM pg_index i WHERE indrelid = %s::regclass AND indisunique
        AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indrelid
                        AND a.attname = 'municipality_id' AND a.attnum = ANY(i.indkey))
        """,
        [table],
    )
    assert unique_indexes == []


POLICY_COLUMNS = "policyname, cmd, permissive, roles::text[], qual, with_check"


@pytest.mark.parametrize("model", _tenant_models(), ids=lambda m: m._meta.label)
def test_tenant_table_policies_are_the_ones_the_model_declares(model):
    """Every policy of the migrated table (name, command, USING and WITH CHECK)
    is what the model declares today, so a changed `tenancy_read_policies` or
    `tenancy_write_policies` without a migration fails here. PostgreSQL
    normalises both sides: the declared policies are created, as
    migration_ops does, on a temporary copy of the table (same name, so the
    conditions naming it resolve to it), read back from pg_policies, and
    rolled back."""
    table = model._meta.db_table
    migrated = _rows(
        f"SELECT {POLICY_COLUMNS} FROM pg_policies WHERE schemaname = 'public' AND tablename = %s "
        "ORDER BY policyname", [table],
    )
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE TEMPORARY TABLE "{table}" (LIKE public."{table}")')
            for statement in policy_statements(
                table, model.tenancy_read_policies, model.tenancy_write_policies,
                model.tenancy_statement_keys, keys_role=f'"{settings.DATABASE_OWNER["USER"]}"',
            ):
                cursor.execute(statement.replace(f'ON "{table}"', f'ON pg_temp."{table}"'))
        declared = _rows(
            f"SELECT {POLICY_COLUMNS} FROM pg_policies WHERE schemaname LIKE 'pg_temp%%' "
            "AND tablename = %s ORDER BY policyname", [table],
        )
        transaction.set_rollback(True)
    assert declared, f"{table}: no policy declared, not even tenant_isolation"
    assert migrated == declared


def test_tables_with_a_municipality_column_are_tenant_tables_or_declared_club_wide():
    club_wide = {
        "qclub_membership", "qclub_accessaudit", "qclub_membershipevent",
        "benchmarking_peergroup_members",  # which comuni a coordinator groups together
    }
    tables = {t for (t,) in _rows(
        "SELECT DISTINCT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attname = 'municipality_id'"
    )}
    tenant = {m._meta.db_table for m in _tenant_models()}
    assert tables - club_wide == tenant


def test_makemigrations_adds_enforce_tenancy_for_new_tenant_models():
    detector = TenancyAutodetector(ProjectState(), ProjectState.from_apps(apps))
    changes = detector._detect_changes()
    added = {
        op.model_name for op in changes["complaints"][-1].operations if isinstance(op, EnforceTenancy)
    }
    assert added == {
        "Complaint", "ComplaintEvent", "Suspension", "Attachment", "SubCategory", "Office",
        "ComplaintSettings", "ReferenceCounter", "PendingReceipt", "PersonalDataRead", "ReminderSent",
        "ImprovementAction", "ImprovementLink", "ComplaintFigure", "ComplaintReport",
    }
    plain = MigrationAutodetector(ProjectState(), ProjectState.from_apps(apps))._detect_changes()
    assert not any(
        isinstance(op, EnforceTenancy) for m in plain["complaints"] for op in m.operations
    )
