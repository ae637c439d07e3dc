"""The national bulk load: all or nothing, every change kept, each comune's rows in its own context."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from benchmarking.collection import bulk, services
from benchmarking.collection.selectors import value_changes
from benchmarking.models import DataValue, DataValueChange, LoadedValues, Submission
from benchmarking.periods import Period
from qclub.tenancy import acting_for

HEADER = "istat_code,element,state,value,note\n"


def load(text):
    return bulk.load_values(source=io.BytesIO((HEADER + text).encode()), period=Period(2025))


def test_a_good_file_writes_every_comune_and_keeps_the_history(comune_a, comune_b, officer_a, campaign):
    with acting_for(comune_a):
        services.save_values(services.start_submission(campaign), {
            "certificati": services.Entry(state="value", value=Decimal(500))}, officer_a)
    outcome = load(
        "022205,certificati,,1200,fonte: gestionale\n"
        "022205,sportello_fte,value,\"4,5\",\n"
        "016024,certificati,,800,\n"
        "016024,certificati_online,not_applicable,,\n"
    )
    assert (outcome.rows, outcome.comuni) == (4, 2)
    with acting_for(comune_a):
        values = dict(DataValue.objects.filter(state="value").values_list("element__code", "value"))
        change = value_changes(DataValue.objects.get(element__code="certificati"))[0]
    assert values == {"certificati": 1200, "sportello_fte": 4.5}
    assert (change.old_value, change.new_value) == (500, 1200)
    with acting_for(comune_b):
        submission = Submission.objects.get(campaign=campaign)
        assert submission.status == "draft"
        assert dict(DataValue.objects.values_list("element__code", "state")) == {
            "certificati": "value", "certificati_online": "not_applicable"}


@pytest.mark.parametrize(("line", "column", "words"), [
    ("999999,certificati,,1,", "istat_code", "ISTAT"),
    ("022205,sconosciuto,,1,", "element", "sconosciuto"),
    ("022205,certificati,,-3,", "value", "negativo"),
    ("022205,certificati,,1.5,", "value", "intero"),
    ("016024,sportello_fte,,1.23456,", "value", "decimali"),
    ("022205,certificati,,=1+1,", "value", "numero"),
])
def test_a_bad_line_refuses_the_whole_file(comune_a, comune_b, campaign, line, column, words):
    with pytest.raises(bulk.BulkLoadRefused) as refused:
        load("022205,sportello_fte,,2,\n" + line + "\n")
    problem = refused.value.problems[0]
    assert (problem.line, problem.column) == (3, column)
    assert words.lower() in problem.message.lower() or words == "sconosciuto"
    with acting_for(comune_a):
        assert not DataValue.objects.filter(state="value").exists()


def test_part_larger_than_its_whole_is_refused(comune_a, campaign):
    with pytest.raises(bulk.BulkLoadRefused, match="Non può superare"):
        load("022205,certificati,,10,\n022205,certificati_online,,11,\n")


def test_an_approved_submission_is_not_touched(comune_a, officer_a, manager_a, coordinator, campaign):
    from qclub.tenancy import SCOPE_REVIEW, cross_tenant
    with acting_for(comune_a):
        submission = services.start_submission(campaign)
        services.save_values(submission, {
            "certificati": services.Entry(state="value", value=Decimal(10)),
            "certificati_online": services.Entry(state="value", value=Decimal(1)),
            "sportello_fte": services.Entry(state="value", value=Decimal(1)),
        }, officer_a)
        services.transition(submission, services.SUBMIT, manager_a)
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=coordinator):
        services.transition(submission, services.APPROVE, coordinator)
    with pytest.raises(bulk.BulkLoadRefused, match="Approvata"):
        load("022205,certificati,,99,\n")
    with acting_for(comune_a):
        assert DataValue.objects.get(element__code="certificati").value == 10


def test_the_command_reports_the_lines_at_fault(comune_a, campaign, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "figures.csv"
    path.write_text(HEADER + "022205,certificati,,-1,\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nessun valore scritto"):
        call_command("bulk_load_values", str(path), "--period", "2025", stderr=err)
    assert "riga 2" in err.getvalue()


def test_the_command_says_what_it_loaded_in_plain_italian(comune_a, campaign, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "figures.csv"
    path.write_text(HEADER + "022205,certificati,,12,\n", encoding="utf-8")
    out = io.StringIO()
    call_command("bulk_load_values", str(path), "--period", "2025", stdout=out)
    assert out.getvalue().strip() == "1 riga caricata per 1 comune."
    path.write_text(HEADER + "022205,certificati,,12,\n022205,sportello_fte,,2,\n", encoding="utf-8")
    call_command("bulk_load_values", str(path), "--period", "2025", stdout=(out := io.StringIO()))
    assert out.getvalue().strip() == "2 righe caricate per 1 comune."
    with pytest.raises(CommandError, match="Non riesco a leggere il file"):
        call_command("bulk_load_values", str(tmp_path / "manca.csv"), "--period", "2025")


def test_the_load_scope_cannot_write_into_an_approved_submission(comune_a, officer_a, manager_a, coordinator, campaign):
    from django.db import ProgrammingError, connection, transaction

    from qclub.tenancy import SCOPE_LOAD, SCOPE_REVIEW, cross_tenant
    with acting_for(comune_a):
        submission = services.start_submission(campaign)
        services.save_values(submission, {code: services.Entry(state="value", value=Decimal(5))
                                          for code in ("certificati", "certificati_online", "sportello_fte")}, officer_a)
        services.transition(submission, services.SUBMIT, manager_a)
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=coordinator):
        services.transition(submission, services.APPROVE, coordinator)
    with cross_tenant(scope=SCOPE_LOAD, reason="test"), connection.cursor() as cursor:
        cursor.execute("UPDATE benchmarking_datavalue SET value = 99 WHERE municipality_id = %s", [comune_a.pk])
        assert cursor.rowcount == 0
        cursor.execute("UPDATE benchmarking_submission SET status = 'draft' WHERE municipality_id = %s", [comune_a.pk])
        assert cursor.rowcount == 0
        # Nor record a load's history there.
        with pytest.raises(ProgrammingError, match="row-level security"), transaction.atomic():
            cursor.execute(
                "INSERT INTO benchmarking_loadedvalues (public_id, municipality_id, submission_id, at, reason, "
                "elements, old_states, old_values, new_states, new_values) VALUES (gen_random_uuid(), %s, %s, now(), "
                "'', '{1}', '{\"\"}', '{NULL}', '{missing}', '{NULL}')", [comune_a.pk, submission.pk])


# --- Integrity, history and tenancy of the set-based write (issue #8, national scale) ---


def test_every_written_figure_has_one_change_record_and_an_unchanged_one_none(
        comune_a, comune_b, officer_a, coordinator, campaign):
    with acting_for(comune_a):
        services.save_values(services.start_submission(campaign), {
            "certificati": services.Entry(state="value", value=Decimal(500))}, officer_a)
        before = DataValue.objects.get(element__code="certificati")
        records_before = len(value_changes(before))
    bulk.load_values(source=io.BytesIO((
        HEADER + "022205,certificati,,500,\n022205,sportello_fte,,3,\n016024,certificati,missing,,\n").encode()),
        period=Period(2025), acting_user=coordinator)
    with acting_for(comune_a):
        certificati = DataValue.objects.get(element__code="certificati")
        fte = DataValue.objects.get(element__code="sportello_fte")
        # The unchanged figure keeps its version and gets no record from the load.
        assert certificati.version == before.version
        assert len(value_changes(certificati)) == records_before
        (change,) = value_changes(fte)
        assert (change.old_state, change.old_value, change.new_state, change.new_value) == ("missing", None, "value", 3)
        assert (change.user_id, change.reason) == (coordinator.pk, "caricamento da file nazionale")
        assert fte.updated_by_id == coordinator.pk
    with acting_for(comune_b):
        (change,) = value_changes(DataValue.objects.get())
        assert (change.old_state, change.new_state, change.new_value, change.municipality_id) == ("", "missing", None, comune_b.pk)
        # Written set-based: one record for the load and the submission, none per value.
        assert not DataValueChange.objects.exists()
        (record,) = LoadedValues.objects.all()
        assert (record.submission_id, record.user_id) == (Submission.objects.get().pk, coordinator.pk)
    # A second load changing a figure keeps old -> new.
    load("022205,sportello_fte,,4,\n")
    with acting_for(comune_a):
        latest, first = value_changes(fte)
        assert (latest.old_value, latest.new_value, first.new_value) == (3, 4, 3)
        assert DataValue.objects.get(pk=fte.pk).version == fte.version + 1


def test_the_value_history_page_shows_the_load_beside_the_form_edits(client, comune_a, officer_a, coordinator, campaign):
    """The load's history is kept per submission; the page reads it as one
    history with the changes made one by one, newest first."""
    bulk.load_values(source=io.BytesIO((HEADER + "022205,certificati,,1200,\n").encode()), period=Period(2025),
                     acting_user=coordinator)
    with acting_for(comune_a):
        submission = Submission.objects.get(campaign=campaign)
        services.save_values(submission, {"certificati": services.Entry(
            state="value", value=Decimal(1250), seen_version=1)}, officer_a)
    client.force_login(officer_a)
    page = client.get(reverse("benchmarking:value_history", args=[campaign.public_id, "certificati"])).content.decode()
    rows = re.findall(r"<tr><td>.*?</tr>", page, re.S)
    assert len(rows) == 2
    assert "1.200" in rows[0] and "1.250" in rows[0] and str(officer_a) in rows[0]
    assert "caricamento da file nazionale" in rows[1] and str(coordinator) in rows[1] and "1.200" in rows[1]
    # Another element of the same load has its own line, and only its own.
    assert client.get(reverse("benchmarking:value_history", args=[campaign.public_id, "sportello_fte"])).status_code == 200


def test_each_comune_sees_only_its_own_loaded_rows(comune_a, comune_b, campaign):
    load("022205,certificati,,10,\n016024,certificati,,20,\n")
    for comune, value in ((comune_a, 10), (comune_b, 20)):
        with acting_for(comune):
            assert list(DataValue.objects.values_list("municipality_id", "value")) == [(comune.pk, value)]
            assert list(LoadedValues.objects.values_list("municipality_id", flat=True)) == [comune.pk]
            assert list(Submission.objects.values_list("municipality_id", flat=True)) == [comune.pk]


def _raises_integrity(comune_id: int, statement: str, params: list) -> None:
    """`statement` as comune `comune_id` (row-level security lets it write its
    own rows): the keys alone must refuse it."""
    from django.db import IntegrityError, connection, transaction

    from qclub.tenancy import MUNICIPALITY_SETTING
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [MUNICIPALITY_SETTING, str(comune_id)])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(statement, params)


def test_the_database_binds_each_value_and_change_to_its_parents_comune(comune_a, comune_b, campaign):
    """The comune of a value (and of a change) has no foreign key of its own:
    the composite key to its submission (and to its value) binds it."""
    load("022205,certificati,,10,\n016024,certificati,,20,\n")
    from qclub.tenancy import SCOPE_LOAD, cross_tenant
    with cross_tenant(scope=SCOPE_LOAD, reason="test"):
        value_a = DataValue.objects.get(municipality=comune_a)
        submission_a = value_a.submission_id
    # A value of comune B in comune A's submission.
    element = value_a.element_id
    _raises_integrity(
        comune_b.pk,
        "INSERT INTO benchmarking_datavalue (municipality_id, submission_id, element_id, state, value, "
        "note, estimated, justification, warnings, version, updated_at) "
        "VALUES (%s, %s, %s, 'missing', NULL, '', false, '', '[]', 1, now())",
        [comune_b.pk, submission_a, element])
    # A change of comune B recorded on comune A's value.
    _raises_integrity(
        comune_b.pk,
        "INSERT INTO benchmarking_datavaluechange (public_id, municipality_id, data_value_id, at, old_state, "
        "new_state, reason) VALUES (gen_random_uuid(), %s, %s, now(), '', 'missing', '')", [comune_b.pk, value_a.pk])
    # A load's history of comune B recorded on comune A's submission.
    _raises_integrity(
        comune_b.pk,
        "INSERT INTO benchmarking_loadedvalues (public_id, municipality_id, submission_id, at, reason, elements, "
        "old_states, old_values, new_states, new_values) VALUES (gen_random_uuid(), %s, %s, now(), '', %s, "
        "'{\"\"}', '{NULL}', '{missing}', '{NULL}')", [comune_b.pk, submission_a, [element]])
    # A value of a comune that does not exist.
    _raises_integrity(
        987654,
        "INSERT INTO benchmarking_datavalue (municipality_id, submission_id, element_id, state, value, "
        "note, estimated, justification, warnings, version, updated_at) "
        "VALUES (987654, %s, %s, 'missing', NULL, '', false, '', '[]', 1, now())",
        [submission_a, element])


def test_the_filled_count_is_every_value_not_missing_whether_or_not_the_form_held_values(
    comune_a, comune_b, officer_a, campaign,
):
    """Comune A's form already holds a value the file does not name; comune B's
    has none: both counts are the submission's values not missing, as the form's
    own save counts them (`services.save_values`)."""
    with acting_for(comune_a):
        services.save_values(services.start_submission(campaign), {
            "sportello_fte": services.Entry(state="value", value=Decimal(3))}, officer_a)
    load("022205,certificati,,1200,\n022205,certificati_online,missing,,\n"
         "016024,certificati,,800,\n016024,certificati_online,not_applicable,,\n")
    for comune, expected in ((comune_a, 2), (comune_b, 2)):
        with acting_for(comune):
            submission = Submission.objects.get(campaign=campaign)
            assert submission.filled_count == expected == submission.values.exclude(state="missing").count()


# --- Lines repeating a comune and element: refused, whichever way they are found ---


def _refused_lines(text):
    with pytest.raises(bulk.BulkLoadRefused) as refused:
        load(text)
    return [(problem.line, problem.column, problem.message) for problem in refused.value.problems]


def test_two_lines_for_one_new_figure_refuse_the_file(comune_a, comune_b, campaign):
    """Found by the values' unique key as the figures are written (no grouping
    of a good file beforehand): the file is refused, naming both lines."""
    problems = _refused_lines("022205,certificati,,10,\n016024,certificati,,20,\n022205,certificati,,11,\n")
    assert [(line, column) for line, column, _m in problems] == [(2, "element"), (4, "element")]
    assert "compare su più righe" in problems[0][2]
    for comune in (comune_a, comune_b):
        with acting_for(comune):
            assert not DataValue.objects.exists() and not LoadedValues.objects.exists()


def test_two_lines_for_one_stored_figure_refuse_the_file(comune_a, officer_a, campaign):
    """An update would take one of the two lines silently: checked before writing."""
    load("022205,certificati,,10,\n")
    problems = _refused_lines("022205,certificati,,12,\n022205,certificati,,13,\n")
    assert [(line, column) for line, column, _m in problems] == [(2, "element"), (3, "element")]
    with acting_for(comune_a):
        assert DataValue.objects.get(element__code="certificati").value == 10


def test_a_repeated_line_is_reported_with_the_other_faults(comune_a, campaign):
    problems = _refused_lines("022205,certificati,,-1,\n022205,certificati,,3,\n")
    assert {(line, column) for line, column, _m in problems} >= {(2, "value"), (2, "element"), (3, "element")}

