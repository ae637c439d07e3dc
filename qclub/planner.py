"""Planner settings for statements over whole sets under row-level security.

The policies' `current_setting(...)` terms get default selectivities, so the
planner estimates a handful of rows for any filtered scan of a tenant table and
joins what it reads by nested loops, one index probe per row: right for a few
rows, slow for thousands (a national ranking joins 7,896 comuni to their
previous figures; a survey's aggregates join 100,000 responses). Where every
join is between whole sets, `whole_sets()` turns nested loops off for the
statements run inside it, and JIT with them (the costs nested loops no longer
hide cross JIT's threshold, and compiling a query costs more than running it).
The settings are local to the (sub)transaction and restored on the way out.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

_SETTINGS = ("enable_nestloop", "jit")


@contextmanager
def whole_sets() -> Iterator[None]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"current_setting('{name}'), set_config('{name}', 'off', true)" for name in _SETTINGS)
        )
        previous = cursor.fetchone()[::2]
        yield
        # (On an error the savepoint's rollback puts them back.)
        cursor.execute("SELECT " + ", ".join(f"set_config('{name}', %s, true)" for name in _SETTINGS), list(previous))
