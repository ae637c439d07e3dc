"""Values and their history keep their foreign keys, checked once per
statement (`qclub.statement_keys`) rather than once per row: every key of a
new row must exist, and no parent may go while a row points at it — whoever
deletes it, whichever comune the row belongs to."""

import io
import threading

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, connections, transaction

from benchmarking.collection import bulk
from benchmarking.models import DataElement, DataValue, DataValueChange, Submission
from benchmarking.periods import Period
from qclub.tenancy import MUNICIPALITY_SETTING, SCOPE_LOAD, acting_for, cross_tenant

HEADER = "istat_code,element,state,value,note\n"


def load(text, user=None):
    return bulk.load_values(source=io.BytesIO((HEADER + text).encode()), period=Period(2025), acting_user=user)


def _as(comune_id, statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [MUNICIPALITY_SETTING, str(comune_id)])
        cursor.execute(statement, params)


INSERT_VALUE = (
    "INSERT INTO benchmarking_datavalue (municipality_id, submission_id, element_id, state, value, note, "
    "estimated, justification, warnings, version, updated_at, updated_by_id) "
    "VALUES (%s, %s, %s, 'missing', NULL, '', false, '', '[]', 1, now(), %s)"
)


@pytest.fixture
def loaded(comune_a, comune_b, officer_a, campaign):
    load("022205,certificati,,10,\n016024,certificati,,20,\n", user=officer_a)
    with cross_tenant(scope=SCOPE_LOAD, reason="test"):
        return DataValue.objects.get(municipality=comune_a)


def test_a_value_needs_an_element_and_a_user_that_exist(comune_a, loaded):
    with pytest.raises(IntegrityError, match="element_id_key"):
        _as(comune_a.pk, INSERT_VALUE, [comune_a.pk, loaded.submission_id, 987654, None])
    with pytest.raises(IntegrityError, match="updated_by_id_key"):
        _as(comune_a.pk, "UPDATE benchmarking_datavalue SET updated_by_id = 987654 WHERE id = %s", [loaded.pk])
    with pytest.raises(IntegrityError, match="user_id_key"):
        _as(comune_a.pk, "INSERT INTO benchmarking_datavaluechange (public_id, municipality_id, data_value_id, at, "
            "user_id, old_state, new_state, reason) VALUES (gen_random_uuid(), %s, %s, now(), 987654, '', 'missing', '')",
            [comune_a.pk, loaded.pk])


def test_a_temporary_table_cannot_stand_in_for_a_parent(comune_a, loaded):
    """The checks read the parents in the tables' schema, not a temporary table
    of the writer's session with the same name (searched first by default)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE benchmarking_dataelement (id bigint) ON COMMIT DROP")
        cursor.execute("INSERT INTO benchmarking_dataelement VALUES (987654)")
        cursor.execute("DISCARD PLANS")  # as a new session: nothing planned yet
    with pytest.raises(IntegrityError, match="element_id_key"):
        _as(comune_a.pk, INSERT_VALUE, [comune_a.pk, loaded.submission_id, 987654, None])


def test_a_value_moved_to_a_submission_that_does_not_exist_is_refused(comune_a, loaded):
    with pytest.raises(IntegrityError, match="submission_id_key"):
        _as(comune_a.pk, "UPDATE benchmarking_datavalue SET submission_id = 987654 WHERE id = %s", [loaded.pk])
    with acting_for(comune_a):
        assert DataValue.objects.get(pk=loaded.pk).submission_id == loaded.submission_id


def test_an_element_in_use_by_any_comune_cannot_be_deleted_from_outside_the_comuni(loaded):
    """The administrator sees no comune's values (row-level security): the
    guard does, and refuses."""
    with pytest.raises(IntegrityError, match="element_id_key"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM benchmarking_dataelement WHERE id = %s", [loaded.element_id])
    assert DataElement.objects.filter(pk=loaded.element_id).exists()


def test_a_user_who_wrote_values_cannot_be_deleted_under_them(loaded, officer_a):
    with pytest.raises(IntegrityError, match="_key"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM auth_user WHERE id = %s", [officer_a.pk])
    assert get_user_model().objects.filter(pk=officer_a.pk).exists()


def test_a_submission_with_values_cannot_go_before_them_but_goes_with_them(comune_a, loaded):
    with pytest.raises(IntegrityError, match="submission_id_key"):
        _as(comune_a.pk, "DELETE FROM benchmarking_submission WHERE id = %s", [loaded.submission_id])
    with acting_for(comune_a), transaction.atomic():
        Submission.objects.filter(pk=loaded.submission_id).delete()  # values and history first (CASCADE)
        assert not DataValue.objects.exists() and not DataValueChange.objects.exists()


def test_changing_a_parent_but_not_its_key_is_no_concern_of_the_keys(comune_a, loaded):
    with acting_for(comune_a):
        Submission.objects.filter(pk=loaded.submission_id).update(status="ready")
        DataElement.objects.filter(pk=loaded.element_id).update(name="Certificati emessi")


@pytest.mark.django_db(transaction=True)
def test_truncating_a_parent_alone_is_refused(comune_a, loaded):
    """Only the owner may TRUNCATE (it skips row-level security); a parent
    emptied without the rows pointing at it is refused all the same."""
    # A change saved one by one (a national load records its history per submission).
    _as(comune_a.pk, "INSERT INTO benchmarking_datavaluechange (public_id, municipality_id, data_value_id, at, "
        "old_state, new_state, reason) VALUES (gen_random_uuid(), %s, %s, now(), '', 'missing', '')",
        [comune_a.pk, loaded.pk])
    owner = connections.create_connection("default")
    owner.settings_dict = {**owner.settings_dict, **settings.DATABASE_OWNER}
    try:
        with pytest.raises(IntegrityError, match="data_value_id_key"), owner.cursor() as cursor:
            cursor.execute("TRUNCATE benchmarking_datavalue CASCADE")
    finally:
        owner.close()
    with cross_tenant(scope=SCOPE_LOAD, reason="test"):
        assert DataValue.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_parent_deleted_while_a_writer_is_in_flight_waits_and_then_fails(comune_a, loaded):
    """The guard takes the table in SHARE mode: it waits for the writer still
    in its transaction, then sees its row and refuses."""
    writer_ready, writer_go = threading.Event(), threading.Event()
    errors = []
    other = connections.create_connection("default")
    try:
        other.connect()
        other.set_autocommit(False)
        other.inc_thread_sharing()

        def write():
            try:
                with other.cursor() as cursor:
                    cursor.execute("SELECT set_config(%s, %s, true)", [MUNICIPALITY_SETTING, str(comune_a.pk)])
                    cursor.execute(
                        "INSERT INTO benchmarking_datavaluechange (public_id, municipality_id, data_value_id, at, "
                        "old_state, new_state, reason) VALUES (gen_random_uuid(), %s, %s, now(), '', 'missing', '')",
                        [comune_a.pk, loaded.pk])
                writer_ready.set()
                writer_go.wait(10)
                other.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
                writer_ready.set()

        thread = threading.Thread(target=write)
        thread.start()
        assert writer_ready.wait(10)
        assert not errors, errors

        def release():
            writer_go.set()

        timer = threading.Timer(0.5, release)
        timer.start()
        with pytest.raises(IntegrityError, match="data_value_id_key"), transaction.atomic(), connection.cursor() as cur:
            cur.execute("SELECT set_config(%s, %s, true)", [MUNICIPALITY_SETTING, str(comune_a.pk)])
            cur.execute("DELETE FROM benchmarking_datavaluechange WHERE data_value_id = %s", [loaded.pk])
            cur.execute("DELETE FROM benchmarking_datavalue WHERE id = %s", [loaded.pk])
        thread.join(10)
        timer.join()
        assert not errors
        assert writer_go.is_set()  # the delete waited for the writer
    finally:
        other.dec_thread_sharing()
        other.close()
