"""Migration operations that make a table a tenant table.

`EnforceTenancy(model_name)` brings one tenant model's table to the shape
docs/architecture.md describes, idempotently:

* primary key (municipality_id, id) instead of Django's (id);
* every foreign key to another tenant table composite:
  (municipality_id, x_id) -> (municipality_id, id), so a row can never point
  at another comune's row (and the schema distributes on Citus unchanged);
* every unique constraint or index includes municipality_id (checked);
* row-level security ENABLEd and FORCEd, with one policy `tenant_isolation`
  (USING and WITH CHECK on the active comune, failing closed) and, per
  cross-tenant scope the model declares, a SELECT-only policy `scope_<name>`;
* with `statement_keys`, the foreign keys are checked once per statement
  instead of once per row (`qclub.statement_keys`: the tables national loads
  write a million rows of), and no foreign-key constraint is left on the table.

`makemigrations` (qclub/management/commands/makemigrations.py) appends it to a
migration for every tenant model the migration creates or alters.
"""

from django.db import migrations

from qclub import statement_keys as statement_keys_module
from qclub.tenancy import AREAS_SETTING, MUNICIPALITY_SETTING, SCOPE_SETTING, SCOPES

ACTIVE_MUNICIPALITY_SQL = f"NULLIF(current_setting('{MUNICIPALITY_SETTING}', true), '')::bigint"
# The thematic areas a coordinator in the "review" scope coordinates; policies
# use it as `area_id = ANY(<this>)`.
ACTIVE_AREAS_SQL = (
    f"string_to_array(NULLIF(current_setting('{AREAS_SETTING}', true), ''), ',')::bigint[]"
)
WRITE_COMMANDS = ("UPDATE", "INSERT", "DELETE")
# Today's date where the comuni are (settings.TIME_ZONE), for embargo dates:
# the database session runs in UTC, whose `current_date` would lift an embargo
# one or two hours after Italian midnight, later than the pages
# (`timezone.localdate()`) say. tests/test_security.py checks the two agree.
LOCAL_TIME_ZONE = "Europe/Rome"
LOCAL_DATE_SQL = f"(now() AT TIME ZONE '{LOCAL_TIME_ZONE}')::date"


class TenancyError(Exception):
    pass


def _q(schema_editor, name: str) -> str:
    return schema_editor.quote_name(name)


def _fetch(schema_editor, query: str, params=()) -> list[tuple]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _primary_key(schema_editor, table: str) -> tuple[str | None, list[str]]:
    rows = _fetch(
        schema_editor,
        """
        SELECT con.conname, array_agg(att.attname ORDER BY k.ord)
        FROM pg_constraint con
        CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = k.attnum
        WHERE con.conrelid = %s::regclass AND con.contype = 'p'
        GROUP BY con.conname
        """,
        [table],
    )
    return (rows[0][0], list(rows[0][1])) if rows else (None, [])


def _has_column(schema_editor, table: str, column: str) -> bool:
    return bool(
        _fetch(
            schema_editor,
            "SELECT 1 FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s "
            "AND NOT attisdropped",
            [table, column],
        )
    )


def _foreign_keys_referencing(schema_editor, table: str) -> list[tuple[str, str, list[str]]]:
    """(constraint, referencing table, referencing columns) of FKs pointing at `table`."""
    return [
        (name, source, list(columns))
        for name, source, columns in _fetch(
            schema_editor,
            """
            SELECT con.conname, con.conrelid::regclass::text,
                   array(SELECT attname FROM pg_attribute
                         WHERE attrelid = con.conrelid AND attnum = ANY(con.conkey))
            FROM pg_constraint con
            WHERE con.confrelid = %s::regclass AND con.contype = 'f'
            """,
            [table],
        )
    ]


def _ensure_composite_pk(schema_editor, table: str) -> None:
    name, columns = _primary_key(schema_editor, table)
    if columns == ["municipality_id", "id"]:
        return
    if not _has_column(schema_editor, table, "municipality_id"):
        raise TenancyError(f"{table} has no municipality_id column")
    # The single-column foreign keys that point at (id) hang on the old key:
    # drop them first and put them back composite.
    referencing = [fk for fk in _foreign_keys_referencing(schema_editor, table) if len(fk[2]) == 1]
    for constraint, source, _columns in referencing:
        schema_editor.execute(f"ALTER TABLE {source} DROP CONSTRAINT {_q(schema_editor, constraint)}")
    if name:
        schema_editor.execute(f"ALTER TABLE {_q(schema_editor, table)} DROP CONSTRAINT {_q(schema_editor, name)}")
    schema_editor.execute(
        f"ALTER TABLE {_q(schema_editor, table)} ADD CONSTRAINT {_q(schema_editor, table + '_pkey')} "
        "PRIMARY KEY (municipality_id, id)"
    )
    for _constraint, source, columns in referencing:
        source_table = source.strip('"')
        if not _has_column(schema_editor, source_table, "municipality_id"):
            raise TenancyError(
                f"{source_table}.{columns[0]} points at tenant table {table} but "
                f"{source_table} is not a tenant table"
            )
        _add_composite_fk(schema_editor, source_table, columns[0], table)


def _add_composite_fk(schema_editor, table: str, column: str, target: str) -> None:
    name = schema_editor._create_index_name(table, ["municipality_id", column], suffix="_tfk")
    schema_editor.execute(
        f"ALTER TABLE {_q(schema_editor, table)} ADD CONSTRAINT {_q(schema_editor, name)} "
        f"FOREIGN KEY (municipality_id, {_q(schema_editor, column)}) "
        f"REFERENCES {_q(schema_editor, target)} (municipality_id, id) "
        "DEFERRABLE INITIALLY DEFERRED"
    )


def _ensure_composite_fks(schema_editor, model) -> None:
    table = model._meta.db_table
    existing = _fetch(
        schema_editor,
        """
        SELECT con.conname, con.confrelid::regclass::text,
               array(SELECT attname FROM pg_attribute
                     WHERE attrelid = con.conrelid AND attnum = ANY(con.conkey))
        FROM pg_constraint con
        WHERE con.conrelid = %s::regclass AND con.contype = 'f'
        """,
        [table],
    )
    for field in model._meta.concrete_fields:
        if not field.is_relation or field.name == "municipality":
            continue
        target = field.related_model._meta.db_table
        if not _has_column(schema_editor, target, "municipality_id"):
            continue  # club-wide target: a plain foreign key is right
        _ensure_composite_pk(schema_editor, target)
        constraints = [(n, list(c)) for n, t, c in existing if t.strip('"') == target]
        if any(sorted(c) == sorted(["municipality_id", field.column]) for _n, c in constraints):
            continue
        for constraint, columns in constraints:
            if columns == [field.column]:
                schema_editor.execute(
                    f"ALTER TABLE {_q(schema_editor, table)} DROP CONSTRAINT {_q(schema_editor, constraint)}"
                )
        _add_composite_fk(schema_editor, table, field.column, target)


def _install_statement_keys(schema_editor, model) -> None:
    """Foreign keys checked once per statement (`qclub.statement_keys`): the
    table's foreign-key constraints dropped, the triggers put in their place."""
    table = model._meta.db_table
    for (constraint,) in _fetch(
        schema_editor, "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'", [table],
    ):
        schema_editor.execute(f"ALTER TABLE {_q(schema_editor, table)} DROP CONSTRAINT {_q(schema_editor, constraint)}")
    keys = statement_keys_module.keys_of(
        model, lambda parent: _has_column(schema_editor, parent, "municipality_id")
    )
    for key in keys:
        if len(key.columns) == 2:
            _ensure_composite_pk(schema_editor, key.parent)
    (schema,), = _fetch(schema_editor, "SELECT current_schema()")
    for statement in statement_keys_module.install_statements(table, keys, schema):
        schema_editor.execute(statement)


def _check_unique_keys(schema_editor, table: str) -> None:
    offending = _fetch(
        schema_editor,
        """
        SELECT i.indexrelid::regclass::text
        FROM pg_index i
        WHERE i.indrelid = %s::regclass AND i.indisunique
          AND NOT EXISTS (
            SELECT 1 FROM pg_attribute a
            WHERE a.attrelid = i.indrelid AND a.attname = 'municipality_id'
              AND a.attnum = ANY(i.indkey))
        """,
        [table],
    )
    if offending:
        raise TenancyError(
            f"{table}: unique keys without municipality_id: {', '.join(r[0] for r in offending)}"
        )


def policy_statements(
    table: str, read_policies: dict[str, str], write_policies: dict[str, dict[str, str]],
    statement_keys: bool = False, keys_role: str = "CURRENT_USER",
) -> list[str]:
    """The CREATE POLICY statements that make `table` a tenant table with the
    declared cross-tenant policies (also what tests/test_tenancy.py compares
    the migrated schema against)."""
    t = f'"{table}"'
    statements = [
        f"CREATE POLICY tenant_isolation ON {t} "
        f"USING (municipality_id = {ACTIVE_MUNICIPALITY_SQL}) "
        f"WITH CHECK (municipality_id = {ACTIVE_MUNICIPALITY_SQL})"
    ]
    for scope, condition in sorted(read_policies.items()):
        if scope not in SCOPES:
            raise TenancyError(f"{table}: unknown scope {scope!r} in read policies")
        statements.append(
            f"CREATE POLICY scope_{scope} ON {t} FOR SELECT "
            f"USING (current_setting('{SCOPE_SETTING}', true) = '{scope}' AND ({condition}))"
        )
    for scope, commands in sorted(write_policies.items()):
        if scope not in SCOPES or set(commands) - set(WRITE_COMMANDS):
            raise TenancyError(f"{table}: bad write policy {scope!r}: {sorted(commands)}")
        for command, condition in sorted(commands.items()):
            guarded = f"current_setting('{SCOPE_SETTING}', true) = '{scope}' AND ({condition})"
            using = f"USING ({guarded}) " if command in ("UPDATE", "DELETE") else ""
            check = f"WITH CHECK ({guarded})" if command != "DELETE" else ""
            statements.append(
                f"CREATE POLICY scope_{scope}_{command.lower()} ON {t} FOR {command} {using}{check}"
            )
    if statement_keys:
        statements.append(statement_keys_module.keys_policy(table, keys_role))
    return statements


def _enable_row_level_security(
    schema_editor, table: str, read_policies: dict[str, str],
    write_policies: dict[str, dict[str, str]], statement_keys: bool = False,
) -> None:
    t = _q(schema_editor, table)
    statements = policy_statements(table, read_policies, write_policies, statement_keys)
    schema_editor.execute(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
    schema_editor.execute(f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY")
    schema_editor.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {t}")
    schema_editor.execute(f"DROP POLICY IF EXISTS scope_{statement_keys_module.KEYS_SCOPE} ON {t}")
    for scope in SCOPES:
        schema_editor.execute(f"DROP POLICY IF EXISTS scope_{scope} ON {t}")
        for command in WRITE_COMMANDS:
            schema_editor.execute(f"DROP POLICY IF EXISTS scope_{scope}_{command.lower()} ON {t}")
    for statement in statements:
        schema_editor.execute(statement)


def _drop_deferred_tenant_fks(schema_editor) -> None:
    """Forget the single-column foreign keys to tenant tables that Django has
    queued for the end of the migration: they would need a unique (id), which a
    tenant table no longer has; the composite ones replace them."""
    kept = []
    for statement in schema_editor.deferred_sql:
        parts = getattr(statement, "parts", {})
        if "to_table" in parts and _has_column(
            schema_editor, parts["to_table"].table, "municipality_id"
        ):
            source = parts["table"].table
            if not _has_column(schema_editor, source, "municipality_id"):
                raise TenancyError(
                    f"{source} points at tenant table {parts['to_table'].table} "
                    f"but {source} is not a tenant table"
                )
            continue
        kept.append(statement)
    schema_editor.deferred_sql = kept


class EnforceTenancy(migrations.operations.base.Operation):
    """Make one tenant model's table a tenant table (see the module docstring)."""

    reversible = True
    reduces_to_sql = False

    def __init__(
        self, model_name: str, read_policies: dict[str, str] | None = None,
        write_policies: dict[str, dict[str, str]] | None = None, statement_keys: bool = False,
    ):
        self.model_name = model_name
        self.read_policies = dict(read_policies or {})
        self.write_policies = dict(write_policies or {})
        self.statement_keys = statement_keys

    def deconstruct(self):
        kwargs = {"model_name": self.model_name}
        if self.read_policies:
            kwargs["read_policies"] = self.read_policies
        if self.write_policies:
            kwargs["write_policies"] = self.write_policies
        if self.statement_keys:
            kwargs["statement_keys"] = True
        return (self.__class__.__qualname__, [], kwargs)

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        _drop_deferred_tenant_fks(schema_editor)
        _ensure_composite_pk(schema_editor, table)
        if self.statement_keys:
            _install_statement_keys(schema_editor, model)
        else:
            _ensure_composite_fks(schema_editor, model)
        _check_unique_keys(schema_editor, table)
        _enable_row_level_security(
            schema_editor, table, self.read_policies, self.write_policies, self.statement_keys
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        # Reversing the CreateModel that precedes this drops the table; a
        # tenant table is never turned back into a plain one.
        pass

    def describe(self):
        return f"Enforce tenancy (composite keys, row-level security) on {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"tenancy_{self.model_name.lower()}"
