"""The two PostgreSQL roles QClub uses, and how to switch to the owner.

* the **owner** owns the schema and runs migrations (and test-database set-up);
* the **runtime** role serves requests: it owns nothing, is not a superuser and
  has no BYPASSRLS, so row-level security always applies to it.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from psycopg import sql

# Tables the runtime role may only append to and read: the access audit. What
# a request has recorded there, no later request (nor an attacker holding the
# application's credentials) can rewrite or erase; only the owner can.
APPEND_ONLY_TABLES = ("qclub_accessaudit",)


@contextmanager
def owner_connection(alias: str = "default") -> Iterator[None]:
    """Reconnect `alias` as the schema owner for the duration of the block."""
    owner = getattr(settings, "DATABASE_OWNER", None) or {}
    connection = connections[alias]
    if not owner.get("USER") or owner.get("USER") == connection.settings_dict.get("USER"):
        yield
        return
    saved = {key: connection.settings_dict.get(key) for key in ("USER", "PASSWORD")}
    connection.close()
    connection.settings_dict.update(owner)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def grant_runtime_privileges(connection) -> None:
    """Give the runtime role what it needs on every table, and nothing more.

    Runs after every migrate (post_migrate), as the owner. DML only: no
    TRUNCATE (it would skip row-level security) and no DDL.
    """
    runtime = getattr(settings, "DATABASE_RUNTIME_ROLE", "")
    if not runtime or runtime == connection.settings_dict.get("USER"):
        return
    role = connection.ops.quote_name(runtime)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
        # The job queue (procrastinate) defers, fetches and finishes jobs through
        # its SQL functions; PUBLIC may run them by default, but not where an
        # operator revoked that. They are SECURITY INVOKER: the table grants above
        # and row-level security still apply.
        cursor.execute(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {role}")
        cursor.execute(f"REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {role}")
        for table in APPEND_ONLY_TABLES:
            cursor.execute(
                f"REVOKE UPDATE, DELETE, TRUNCATE ON {connection.ops.quote_name(table)} FROM {role}"
            )


def runtime_role_problems(connection) -> list[str]:
    """Why the connected role could escape row-level security (empty: it cannot)."""
    problems = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        is_super, bypasses = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relowner = "
            "(SELECT oid FROM pg_roles WHERE rolname = current_user)"
        )
        (owned,) = cursor.fetchone()
    if is_super:
        problems.append("the runtime database role is a superuser")
    if bypasses:
        problems.append("the runtime database role has BYPASSRLS")
    if owned:
        problems.append(f"the runtime database role owns {owned} relations in schema public")
    return problems


def assert_runtime_role_confined(alias: str = "default") -> None:
    """Refuse to serve if the app's database role could bypass the tenancy policies."""
    problems = runtime_role_problems(connections[alias])
    if problems:
        raise ImproperlyConfigured(
            "QClub refuses to serve: " + "; ".join(problems) + ". See docs/operations.md."
        )


def refuse_to_serve_unless_confined(alias: str = "default") -> None:
    """The confinement check every entry point runs before it serves, whatever
    DEBUG says: qclub/wsgi.py and qclub/asgi.py (gunicorn, runserver, any ASGI
    server), the job worker and the serving commands
    (qclub/management/commands/procrastinate.py). The connection it used is
    closed, so that a forking server does not share it with its workers."""
    try:
        assert_runtime_role_confined(alias)
    finally:
        if not connections[alias].in_atomic_block:  # (a test's transaction stays open)
            connections[alias].close()


def provision(
    *, admin_conninfo: str, database: str, owner: str, runtime: str,
    owner_password: str | None = None, runtime_password: str | None = None,
) -> None:
    """Create (idempotently) the owner and runtime roles and the database.

    `admin_conninfo` must be a superuser (or CREATEROLE + CREATEDB) connection.
    The owner gets CREATEDB so that the test suite can create its database.
    """
    with psycopg.connect(admin_conninfo, autocommit=True) as conn:
        for role, password, extra in (
            (owner, owner_password, "CREATEDB"),
            (runtime, runtime_password, ""),
        ):
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
            verb = "ALTER" if exists else "CREATE"
            statement = sql.SQL(
                "{} ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE " + extra
            ).format(sql.SQL(verb), sql.Identifier(role))
            conn.execute(statement)
            if password:
                conn.execute(
                    sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                        sql.Identifier(role), sql.Literal(password)
                    )
                )
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(database), sql.Identifier(owner)
                )
            )
