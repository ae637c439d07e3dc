"""`qclub.planner.whole_sets`: hash joins and no JIT for the statements inside,
the session's settings back as they were afterwards (a request's later
queries must keep nested loops, which most of them need)."""

import pytest
from django.db import connection, transaction

from qclub.planner import whole_sets

pytestmark = pytest.mark.django_db


def _settings():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_nestloop'), current_setting('jit')")
        return cursor.fetchone()


def test_whole_sets_turns_nested_loops_and_jit_off_inside_only():
    with transaction.atomic():
        before = _settings()
        with whole_sets():
            assert _settings() == ("off", "off")
        assert _settings() == before


def test_the_settings_come_back_when_the_statement_fails():
    with transaction.atomic():
        before = _settings()
        with pytest.raises(ZeroDivisionError), whole_sets():
            raise ZeroDivisionError
        assert _settings() == before


def test_a_failing_statement_inside_leaves_the_transaction_usable():
    with transaction.atomic():
        before = _settings()
        with pytest.raises(Exception, match="division by zero"), whole_sets(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")
        assert _settings() == before
