"""Foreign keys checked once per statement, for the tables national loads
write a million rows of (`TenantModel.tenancy_statement_keys`).

PostgreSQL checks a foreign key row by row: a trigger per key and per row, a
million of each for a million values, most of a national load's time
(docs/benchmarks.md). Here the same rules are kept by triggers that run once
per statement, on the statement's rows at once (transition tables):

* on the table itself, after INSERT and UPDATE: every key of the new rows
  exists in its parent table (`<table>_check_keys`), else the statement fails
  with SQLSTATE 23503 (`foreign_key_violation`, Django's IntegrityError), as
  a foreign key would;
* on each parent table, after DELETE, UPDATE and TRUNCATE: no row of the table
  still points at a parent row that is gone (`<table>_<column>_key_guard`), else
  the parent's statement fails the same way.

Concurrency, as PostgreSQL's own keys: a parent's guard first takes the table
in SHARE mode, so it waits for every transaction still writing rows to it and
holds new writers off until it commits; they then find the parent gone and
fail. Writers take no row locks (which is what makes a million rows cheap):
parents go away rarely (an administrator deletes a user or a form), rows are
written all day.

Row-level security: the check runs as the writer, so a parent the writer may
not read counts as missing (it refuses, never lets through). A guard runs as
the table's owner in the scope `keys` (set for the function's duration only),
whose read policy on the table, for the owner role alone, shows every comune's
rows: a parent shared by all comuni (a data element, a user) may not go while
another comune's row points at it, whoever deletes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from qclub.tenancy import SCOPE_SETTING

KEYS_SCOPE = "keys"


@dataclass(frozen=True)
class Key:
    name: str
    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]


def keys_of(model, is_tenant_table) -> list[Key]:
    """The model's foreign keys as (columns -> parent columns): composite
    (municipality_id, x_id) -> (municipality_id, id) to a tenant table, plain to a
    club-wide one. The comune's own key is left out when a parent binds it."""
    table = model._meta.db_table
    keys = []
    for field in model._meta.concrete_fields:
        if not (field.is_relation and field.many_to_one):
            continue
        parent = field.related_model._meta.db_table
        if is_tenant_table(parent):
            keys.append(Key(f"{table}_{field.column}_key", ("municipality_id", field.column), parent,
                            ("municipality_id", field.target_field.column)))
        else:
            keys.append(Key(f"{table}_{field.column}_key", (field.column,), parent, (field.target_field.column,)))
    if any(len(k.columns) == 2 for k in keys):
        keys = [k for k in keys if k.columns != ("municipality_id",)]
    return keys


def _match(left: str, right: str, left_columns, right_columns) -> str:
    return " AND ".join(f'{left}."{a}" = {right}."{b}"' for a, b in zip(left_columns, right_columns, strict=True))


def _present(alias: str, columns) -> str:
    return " AND ".join(f'{alias}."{c}" IS NOT NULL' for c in columns)


def _raise(table: str, key: Key, what: str) -> str:
    return (
        f"RAISE EXCEPTION '{what} violates foreign key constraint \"{key.name}\"' "
        f"USING ERRCODE = 'foreign_key_violation', TABLE = '{table}', CONSTRAINT = '{key.name}';"
    )


def _search_path(schema: str) -> str:
    # The tables' schema, then pg_temp: never a temporary table of the writer's
    # session standing in for a parent (by default pg_temp is searched first).
    return f'"{schema}", pg_temp'


def check_function(table: str, keys: list[Key], schema: str = "public") -> str:
    # Distinct keys, probed in key order: the parent's index and pages are read in
    # order (a million probes in hash order cost ~5x as much), and a statement's
    # rows share few parents (a submission holds hundreds of values).
    def cols(key: Key) -> str:
        return ", ".join(f'"{c}"' for c in key.columns)

    checks = "\n".join(
        f"""    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT {cols(k)} FROM new_rows ORDER BY {cols(k)}) n
               WHERE {_present("n", k.columns)}
                 AND NOT EXISTS (SELECT 1 FROM "{k.parent}" p WHERE {_match("p", "n", k.parent_columns, k.columns)})) THEN
        {_raise(table, k, f'insert or update on table {table}')}
    END IF;"""
        for k in keys
    )
    return f"""
CREATE OR REPLACE FUNCTION "{table}_check_keys"() RETURNS trigger LANGUAGE plpgsql
SET search_path = {_search_path(schema)} AS $$
BEGIN
{checks}
    RETURN NULL;
END $$"""


def guard_function(table: str, key: Key, schema: str = "public") -> str:
    name = f"{key.name}_guard"
    referenced = f"""SELECT 1 FROM old_rows o JOIN "{table}" c ON {_match("c", "o", key.columns, key.parent_columns)}"""
    unchanged = f"""SELECT 1 FROM new_rows n WHERE {_match("n", "o", key.parent_columns, key.parent_columns)}"""
    gone = f"SELECT 1 FROM old_rows o WHERE NOT EXISTS ({unchanged})"
    gone_row = f"SELECT 1 WHERE NOT EXISTS ({unchanged})"
    return f"""
CREATE OR REPLACE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = {_search_path(schema)} AS $$
DECLARE
    scope text := current_setting('{SCOPE_SETTING}', true);
    referenced boolean := false;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- Only parent rows whose key changed are gone (a status change is not).
        IF NOT EXISTS ({gone}) THEN
            RETURN NULL;
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN
            RETURN NULL;
        END IF;
    END IF;
    LOCK TABLE "{table}" IN SHARE MODE;
    PERFORM set_config('{SCOPE_SETTING}', '{KEYS_SCOPE}', true);
    IF TG_OP = 'TRUNCATE' THEN
        referenced := EXISTS (SELECT 1 FROM "{table}" c WHERE {_present("c", key.columns)});
    ELSIF TG_OP = 'UPDATE' THEN
        referenced := EXISTS ({referenced} AND EXISTS ({gone_row}));
    ELSE
        referenced := EXISTS ({referenced});
    END IF;
    PERFORM set_config('{SCOPE_SETTING}', coalesce(scope, ''), true);
    IF referenced THEN
        {_raise(key.parent, key, f"update or delete on table {key.parent}")}
    END IF;
    RETURN NULL;
END $$"""


def install_statements(table: str, keys: list[Key], schema: str = "public") -> list[str]:
    """Functions and triggers (idempotent: replaced if there), for tables in `schema`."""
    statements = [check_function(table, keys, schema)]
    for event in ("insert", "update"):
        trigger = f"{table}_keys_{event}"
        statements += [
            f'DROP TRIGGER IF EXISTS "{trigger}" ON "{table}"',
            f'CREATE TRIGGER "{trigger}" AFTER {event.upper()} ON "{table}" REFERENCING NEW TABLE AS new_rows '
            f'FOR EACH STATEMENT EXECUTE FUNCTION "{table}_check_keys"()',
        ]
    for key in keys:
        name = f"{key.name}_guard"
        statements.append(guard_function(table, key, schema))
        for event, referencing in (
            ("delete", "REFERENCING OLD TABLE AS old_rows "),
            ("update", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "),
            ("truncate", ""),
        ):
            trigger = f"{key.name}_{event[:3]}"
            statements += [
                f'DROP TRIGGER IF EXISTS "{trigger}" ON "{key.parent}"',
                f'CREATE TRIGGER "{trigger}" AFTER {event.upper()} ON "{key.parent}" {referencing}'
                f'FOR EACH STATEMENT EXECUTE FUNCTION "{name}"()',
            ]
    return statements


def keys_policy(table: str, role: str = "CURRENT_USER") -> str:
    """The owner's view of every row in the `keys` scope (the guards' only;
    `role` is the owner, who runs the migrations)."""
    return (
        f"CREATE POLICY scope_{KEYS_SCOPE} ON \"{table}\" FOR SELECT TO {role} "
        f"USING (current_setting('{SCOPE_SETTING}', true) = '{KEYS_SCOPE}')"
    )
