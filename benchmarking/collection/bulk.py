"""National data loads: many comuni's figures from one file, all or nothing.

The file (CSV, UTF-8, with a header) has one figure a line:
`istat_code,element,state,value,note` — the comune's ISTAT code, the data
element's code, the state (`value`, `missing`, `not_applicable`,
`confidential`; empty means `value` when a figure is given) and the figure
(dot or comma as decimal separator, no thousands separator; `1`/`0` or
`sì`/`no` for yes/no elements).

The rows go by COPY into a temporary staging table; every rule is then
checked in SQL over the whole file (the hard rules of
`services.hard_errors`, whose messages are reused, plus part ≤ whole within
the file, known comuni and elements, a campaign for the period that still
accepts values — `Campaign.accepts_values` —, one line per comune and element,
editable submissions). Only if nothing is wrong
are the figures written, all comuni in one set of statements inside the audited
"load" scope, whose row-level security policies let it create submissions and
write values only where a submission is still open for editing; one error and
nothing is written.

Every written figure gets its change recorded (old -> new, who, why), as with
any other write, set-based: one `LoadedValues` row per submission holding the
lines it changed (`selectors.value_changes` reads it beside the per-value
records). A shared context figure (the population) goes to the comune's
`SharedValue` and to every area's copy of it for the period (`_SHARE`), and is
refused while a submission holding it is no longer open (`_SHARED_CLOSED`). Warnings and stored indicator results are recomputed when the
submission is submitted (`services.transition` refreshes them); the entry form
computes indicators live.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from benchmarking.collection.services import EDITABLE
from benchmarking.collection.validation import hard_errors
from benchmarking.models import Campaign, DataElement, Submission
from benchmarking.periods import Period
from qclub.tenancy import SCOPE_LOAD, cross_tenant

COLUMNS = ("istat_code", "element", "state", "value", "note")
MAX_PROBLEMS = 100
_EDITABLE_SQL = "(" + ", ".join(f"'{status}'" for status in sorted(EDITABLE)) + ")"
_NUMBER = r"^-?[0-9]+([.,][0-9]+)?$"


@dataclass(frozen=True)
class BulkProblem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("riga %(line)s, %(column)s: %(message)s") % {
            "line": self.line, "column": self.column, "message": self.message,
        }


class BulkLoadRefused(ValidationError):
    """The file breaks a rule: nothing was written."""

    def __init__(self, problems: list[BulkProblem]):
        self.problems = problems
        super().__init__([str(problem) for problem in problems])


@dataclass(frozen=True)
class BulkOutcome:
    rows: int
    comuni: int


_STAGING = f"""
CREATE TEMP TABLE bulk_staging (
    line bigint GENERATED ALWAYS AS IDENTITY (START WITH 2),
    {", ".join(f"{column} text" for column in COLUMNS)}
) ON COMMIT DROP
"""

# One row per line, resolved: comune, element, campaign, state and figure read.
_RESOLVE_ROWS = f"""
WITH read AS (
    -- OFFSET 0 keeps this a subquery computed once per line: inlined, every
    -- mention of state_text or value_text below would trim the text again
    -- (1.1 s of a national load).
    SELECT st.line, btrim(st.istat_code) AS istat_code, btrim(st.element) AS element_code,
           lower(btrim(coalesce(st.state, ''))) AS state_text, btrim(coalesce(st.value, '')) AS value_text,
           coalesce(st.note, '') AS note
    FROM bulk_staging st OFFSET 0
)
SELECT r.line, r.istat_code, r.element_code, m.id AS municipality_id, e.id AS element_id, e.kind,
       e.part_of_id, c.id AS campaign_id, r.value_text, r.note,
       CASE WHEN r.state_text IN ('', 'missing') AND r.value_text <> '' THEN 'value'
            WHEN r.state_text = 'value' AND r.value_text = '' THEN 'missing'
            WHEN r.state_text = '' THEN 'missing'
            ELSE r.state_text END AS state,
       CASE WHEN e.kind = 'boolean' AND lower(r.value_text) IN ('sì', 'si', 'yes', 'true', 'vero') THEN 1
            WHEN e.kind = 'boolean' AND lower(r.value_text) IN ('no', 'false', 'falso') THEN 0
            WHEN r.value_text ~ '{_NUMBER}' AND length(r.value_text) < 40
            THEN replace(r.value_text, ',', '.')::numeric END AS value,
       r.state_text
FROM read r
LEFT JOIN qclub_municipality m ON m.istat_code = r.istat_code
LEFT JOIN benchmarking_dataelement e ON e.code = r.element_code
LEFT JOIN benchmarking_campaign c ON c.area_id = e.area_id AND c.period_year = %(year)s
     AND c.period_kind = %(kind)s AND c.period_index = %(index)s
"""

# The rules of one line checked in SQL: (column, problem code, condition).
_LINE_RULES = [
    ("istat_code", "comune", "municipality_id IS NULL"),
    ("element", "element", "element_id IS NULL"),
    ("element", "campaign", "element_id IS NOT NULL AND campaign_id IS NULL"),
    ("state", "state", "state NOT IN ('value', 'missing', 'not_applicable', 'confidential')"),
    ("value", "number", "value_text <> '' AND value IS NULL"),
    ("value", "value_with_state", "value_text <> '' AND state IN ('not_applicable', 'confidential')"),
    ("value", "too_large", "abs(value) >= 1e16"),
    ("value", "decimals", "scale(value) > 4"),
    ("value", "hard", """state = 'value' AND value IS NOT NULL AND (
        value < 0
        OR (kind = 'count' AND value <> trunc(value))
        OR (kind = 'amount' AND value <> round(value, 2))
        OR (kind = 'percentage' AND value > 100)
        OR (kind = 'boolean' AND value NOT IN (0, 1)))"""),
    ("note", "note", "length(note) > 500"),
]
# Whether a line breaks any rule is worked out as the file is read (one pass);
# which rules, only for those lines.
_RESOLVE = f"""
CREATE TEMP TABLE bulk_rows ON COMMIT DROP AS
SELECT *, ({" OR ".join(f"coalesce({condition}, false)" for _c, _code, condition in _LINE_RULES)}) AS faulty
FROM ({_RESOLVE_ROWS}) resolved
"""

# (line, column, problem code) of every line breaking a rule checked in SQL.
_LINE_PROBLEMS = " UNION ALL ".join(
    f"SELECT line, '{column}' AS column_name, '{code}' AS code FROM faulty WHERE {condition}"
    for column, code, condition in _LINE_RULES
)
# Lines naming a comune and element another line names too. Grouping a million
# lines takes most of a second, so a file whose lines are all good is not
# grouped before writing: a duplicate among new figures fails the insert on
# the values' unique key (then this query says which lines), and this runs first
# only when the file replaces stored figures (`_write`).
_DUPLICATES = """
    SELECT r.line, 'element' AS column_name, 'duplicate' AS code FROM bulk_rows r JOIN (
        SELECT municipality_id, element_id FROM bulk_rows
        WHERE municipality_id IS NOT NULL AND element_id IS NOT NULL
        GROUP BY 1, 2 HAVING count(*) > 1
    ) d USING (municipality_id, element_id)"""
_PROBLEMS = """
WITH faulty AS MATERIALIZED (SELECT * FROM bulk_rows WHERE faulty)
SELECT line, column_name, code FROM ({problems}) problems ORDER BY line, column_name LIMIT {limit}
"""

_PART_OVER_WHOLE = f"""
SELECT p.line, w.element_code, w.value FROM bulk_rows p
JOIN bulk_rows w ON w.municipality_id = p.municipality_id AND w.element_id = p.part_of_id
WHERE p.value > w.value ORDER BY p.line LIMIT {MAX_PROBLEMS}
"""

# Lines whose submission is no longer open for editing (checked before writing).
_CLOSED = f"""
SELECT min(r.line), s.status FROM bulk_rows r
JOIN benchmarking_submission s ON s.municipality_id = r.municipality_id AND s.campaign_id = r.campaign_id
WHERE s.status NOT IN {_EDITABLE_SQL}
GROUP BY r.municipality_id, s.status ORDER BY 1 LIMIT {MAX_PROBLEMS}
"""

# A shared context figure (the population...) is one value per comune and
# period, held by every area's submission (`collection.services`): it cannot
# change while a submission holding it is no longer open for editing.
_SHARED_CLOSED = f"""
SELECT min(r.line), min(s.status) FROM bulk_rows r
JOIN benchmarking_dataelement e ON e.id = r.element_id AND e.shared
JOIN benchmarking_datavalue v ON v.municipality_id = r.municipality_id AND v.element_id = r.element_id
JOIN benchmarking_submission s ON s.municipality_id = v.municipality_id AND s.id = v.submission_id
JOIN benchmarking_campaign c ON c.id = s.campaign_id AND c.period_year = %(year)s AND c.period_kind = %(kind)s
    AND c.period_index = %(index)s
WHERE s.status NOT IN {_EDITABLE_SQL}
  AND (v.state, v.value) IS DISTINCT FROM (r.state, CASE WHEN r.state = 'value' THEN r.value END)
GROUP BY r.municipality_id, r.element_id ORDER BY 1 LIMIT {MAX_PROBLEMS}
"""

# A submission's filled count is its values not missing (`services.refresh` for a
# form), counted from the stored values of the submissions `which` names.
_FILLED_FROM_VALUES = """
    SELECT v.municipality_id, v.submission_id, count(*) FILTER (WHERE v.state <> 'missing') AS filled
    FROM benchmarking_datavalue v JOIN {which} b USING (municipality_id, submission_id)
    GROUP BY 1, 2"""

# The submissions of the period holding a copy of a shared figure the load wrote.
_SHARED_SUBMISSIONS = """(
    SELECT DISTINCT o.municipality_id, o.submission_id FROM bulk_shared b
    JOIN benchmarking_datavalue o ON o.municipality_id = b.municipality_id AND o.element_id = b.element_id
    JOIN benchmarking_submission os ON os.municipality_id = o.municipality_id AND os.id = o.submission_id
    JOIN benchmarking_campaign oc ON oc.id = os.campaign_id AND oc.period_year = %(year)s
        AND oc.period_kind = %(kind)s AND oc.period_index = %(index)s
)"""

# ...and, once written, goes to the comune's shared row and to every copy, each
# copy's change in its history, all at one new version.
_SHARE = f"""
CREATE TEMP TABLE bulk_shared ON COMMIT DROP AS
SELECT t.municipality_id, t.element_id, v.state, v.value, v.note,
       greatest(coalesce(sv.version, 0), (
           SELECT max(o.version) FROM benchmarking_datavalue o
           JOIN benchmarking_submission os ON os.municipality_id = o.municipality_id AND os.id = o.submission_id
           JOIN benchmarking_campaign oc ON oc.id = os.campaign_id AND oc.period_year = %(year)s
               AND oc.period_kind = %(kind)s AND oc.period_index = %(index)s
           WHERE o.municipality_id = t.municipality_id AND o.element_id = t.element_id)) + 1 AS version
FROM bulk_target t
JOIN benchmarking_dataelement e ON e.id = t.element_id AND e.shared
JOIN benchmarking_datavalue v ON v.municipality_id = t.municipality_id AND v.submission_id = t.submission_id
    AND v.element_id = t.element_id
LEFT JOIN benchmarking_sharedvalue sv ON sv.municipality_id = t.municipality_id AND sv.element_id = t.element_id
    AND sv.period_year = %(year)s AND sv.period_kind = %(kind)s AND sv.period_index = %(index)s
WHERE v.updated_at = now() AND (sv.id IS NULL OR (sv.state, sv.value, sv.note) IS DISTINCT FROM (v.state, v.value, v.note));

INSERT INTO benchmarking_sharedvalue (public_id, municipality_id, element_id, period_year, period_kind,
    period_index, state, value, note, estimated, version, updated_at, updated_by_id)
SELECT gen_random_uuid(), municipality_id, element_id, %(year)s, %(kind)s, %(index)s, state, value, note,
       false, version, now(), %(user)s
FROM bulk_shared
ON CONFLICT (municipality_id, element_id, period_year, period_kind, period_index) DO UPDATE
SET state = excluded.state, value = excluded.value, note = excluded.note, version = excluded.version,
    updated_at = now(), updated_by_id = excluded.updated_by_id;

INSERT INTO benchmarking_datavaluechange (public_id, municipality_id, data_value_id, at, user_id,
    old_state, old_value, new_state, new_value, reason)
SELECT gen_random_uuid(), o.municipality_id, o.id, now(), %(user)s, o.state, o.value, b.state, b.value,
       'dato condiviso, caricamento da file nazionale'
FROM bulk_shared b
JOIN benchmarking_datavalue o ON o.municipality_id = b.municipality_id AND o.element_id = b.element_id
JOIN benchmarking_submission os ON os.municipality_id = o.municipality_id AND os.id = o.submission_id
JOIN benchmarking_campaign oc ON oc.id = os.campaign_id AND oc.period_year = %(year)s
    AND oc.period_kind = %(kind)s AND oc.period_index = %(index)s
WHERE (o.state, o.value) IS DISTINCT FROM (b.state, b.value);

UPDATE benchmarking_datavalue o
SET state = b.state, value = b.value, note = b.note, version = b.version, updated_at = now(),
    updated_by_id = %(user)s
FROM bulk_shared b, benchmarking_submission os, benchmarking_campaign oc
WHERE o.municipality_id = b.municipality_id AND o.element_id = b.element_id
  AND os.municipality_id = o.municipality_id AND os.id = o.submission_id AND oc.id = os.campaign_id
  AND oc.period_year = %(year)s AND oc.period_kind = %(kind)s AND oc.period_index = %(index)s;

-- A copy filled (or emptied) changes its form's filled count.
UPDATE benchmarking_submission s
SET filled_count = c.filled, updated_at = now()
FROM ({_FILLED_FROM_VALUES.format(which=_SHARED_SUBMISSIONS)}) c
WHERE s.municipality_id = c.municipality_id AND s.id = c.submission_id AND s.filled_count <> c.filled;
"""

# Every comune at once, in the "load" scope: the database lets it create
# submissions and write values only where the submission is still open.
# Each statement is set-based: no statement runs once per row or per comune.
_CREATE_SUBMISSIONS = """
INSERT INTO benchmarking_submission (public_id, municipality_id, campaign_id, status, version, filled_count,
    expected_count, warning_count, unjustified_count, updated_at)
SELECT gen_random_uuid(), municipality_id, campaign_id, 'not_started', 1, 0, 0, 0, 0, now()
FROM (SELECT DISTINCT municipality_id, campaign_id FROM bulk_rows) c
ON CONFLICT (municipality_id, campaign_id) DO NOTHING
"""

# What the writes read (only that: a million rows are scanned more than once).
# A submission that held no value before (`bulk_submissions.fresh`: every form of a
# new round) is not searched for stored figures: a million probes into an index of
# years of values saved for nothing.
_TARGET = """
CREATE TEMP TABLE bulk_target ON COMMIT DROP AS
SELECT r.municipality_id, r.element_id, r.state, r.value, r.note, b.submission_id,
       NULL::bigint AS value_id, NULL::varchar AS old_state, NULL::numeric AS old_value, NULL::varchar AS old_note
FROM bulk_rows r JOIN bulk_submissions b USING (municipality_id, campaign_id)
WHERE b.fresh
UNION ALL
SELECT r.municipality_id, r.element_id, r.state, r.value, r.note, b.submission_id,
       v.id, v.state, v.value, v.note
FROM bulk_rows r JOIN bulk_submissions b USING (municipality_id, campaign_id)
LEFT JOIN benchmarking_datavalue v ON v.municipality_id = r.municipality_id AND v.submission_id = b.submission_id
    AND v.element_id = r.element_id
WHERE NOT b.fresh
"""

# The history of a load is written set-based: one `LoadedValues` row per
# submission holding each line's element, old and new figure (what a
# `DataValueChange` per value would hold), aggregated as the rows are written.
LOAD_REASON = "caricamento da file nazionale"
# The time written is the statement's (clock_timestamp), as a change saved one by
# one records its own: the history orders the two kinds by it.
_HISTORY_INTO = """
INSERT INTO benchmarking_loadedvalues (public_id, municipality_id, submission_id, at, user_id, reason,
    elements, old_states, old_values, new_states, new_values)
SELECT gen_random_uuid(), municipality_id, submission_id, clock_timestamp(), %(user)s, %(reason)s,"""
_HISTORY = _HISTORY_INTO + """
       -- One aggregation: every array reads the group's lines in the same order.
       array_agg(element_id), array_agg(old_state), array_agg(old_value), array_agg(new_state), array_agg(new_value)
FROM {lines} lines
GROUP BY municipality_id, submission_id
"""

# New figures, then their history from the same lines.
_INSERT_VALUES = """
INSERT INTO benchmarking_datavalue (municipality_id, submission_id, element_id, state, value,
    note, estimated, justification, warnings, version, updated_at, updated_by_id)
SELECT t.municipality_id, t.submission_id, t.element_id, t.state,
       CASE WHEN t.state = 'value' THEN t.value END, t.note, false, '', '[]', 1, now(), %(user)s
FROM bulk_target t WHERE t.value_id IS NULL
"""
# The new figures' lines, per submission, read once: their history and, for a
# submission that held no value before, its filled count.
_INSERTED = """
CREATE TEMP TABLE bulk_inserted ON COMMIT DROP AS
SELECT municipality_id, submission_id, array_agg(element_id) AS elements, array_agg(state) AS new_states,
       array_agg(CASE WHEN state = 'value' THEN value END) AS new_values,
       count(*) FILTER (WHERE state <> 'missing') AS filled
FROM bulk_target WHERE value_id IS NULL
GROUP BY municipality_id, submission_id
"""
_INSERTED_HISTORY = _HISTORY_INTO + """
       elements, array_fill(''::varchar, ARRAY[cardinality(elements)]),
       array_fill(NULL::numeric, ARRAY[cardinality(elements)]), new_states, new_values
FROM bulk_inserted
"""

# Changed figures (unchanged ones are left alone) and their history: what the
# update returns.
_UPDATE_VALUES = """
WITH written AS (
    UPDATE benchmarking_datavalue v
    SET state = t.state, value = CASE WHEN t.state = 'value' THEN t.value END, note = t.note,
        version = v.version + 1, updated_at = now(), updated_by_id = %(user)s
    FROM bulk_target t
    WHERE t.value_id IS NOT NULL AND v.municipality_id = t.municipality_id AND v.id = t.value_id
      AND (v.state, v.value, v.note) IS DISTINCT FROM
          (t.state, CASE WHEN t.state = 'value' THEN t.value END, t.note)
    RETURNING v.municipality_id, v.submission_id, v.element_id, t.old_state, t.old_value,
              v.state AS new_state, v.value AS new_value
)""" + _HISTORY.format(lines="written")

# The submissions written, and whether each held no value before the load.
_SUBMISSIONS = """
CREATE TEMP TABLE bulk_submissions ON COMMIT DROP AS
SELECT c.municipality_id, c.campaign_id, s.id AS submission_id,
       NOT EXISTS (SELECT 1 FROM benchmarking_datavalue v
                   WHERE v.municipality_id = s.municipality_id AND v.submission_id = s.id) AS fresh
FROM (SELECT DISTINCT municipality_id, campaign_id FROM bulk_rows) c
JOIN benchmarking_submission s ON s.municipality_id = c.municipality_id AND s.campaign_id = c.campaign_id
"""

# A submission's filled count: from the file's lines for a submission that held no
# value before (they are all its values), from the stored values for the others.
_COUNT = f"""
UPDATE benchmarking_submission s
SET status = CASE WHEN s.status = 'not_started' THEN 'draft' ELSE s.status END, version = s.version + 1,
    updated_at = now(), filled_count = c.filled
FROM (
    SELECT i.municipality_id, i.submission_id, i.filled
    FROM bulk_inserted i JOIN bulk_submissions b USING (municipality_id, submission_id)
    WHERE b.fresh
    UNION ALL
    {_FILLED_FROM_VALUES.format(which="(SELECT * FROM bulk_submissions WHERE NOT fresh)")}
) c
WHERE s.municipality_id = c.municipality_id AND s.id = c.submission_id
"""


def _message(code: str) -> str:
    return {
        "comune": _("Codice ISTAT sconosciuto."),
        "element": _("Dato elementare sconosciuto."),
        "campaign": _("Nessuna campagna di rilevazione per l'area di questo dato nel periodo."),
        "state": _("Stato non valido."),
        "number": _("Non è un numero (usa la virgola o il punto per i decimali, senza separatori delle migliaia)."),
        "value_with_state": _("Hai scritto un valore ma indicato uno stato senza valore: togli il valore o cambia lo stato."),
        "too_large": _("Il valore è troppo grande."),
        "decimals": _("Al massimo 4 decimali: il valore non viene arrotondato."),
        "note": _("La nota supera 500 caratteri."),
        "duplicate": _("Lo stesso dato dello stesso comune compare su più righe."),
    }[code]


def load_values(*, source: IO[bytes], period: Period, acting_user=None) -> BulkOutcome:
    """Load the file's figures into the comuni's submissions for `period`,
    all or nothing (BulkLoadRefused lists the lines at fault).

    Runs as the app's database role, in the audited "load" scope (see the
    module's docstring); `acting_user` is recorded in the audit and in every
    value's history.
    """
    user_id = getattr(acting_user, "pk", None)
    with transaction.atomic(), connection.cursor() as cursor:
        # The file's rows are hashed and sorted whole (duplicates, joins, the key checks):
        # in memory, for this transaction only, rather than in batches on disk.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        # Gone at commit; dropped here too for a second load inside one outer transaction.
        cursor.execute(
            "DROP TABLE IF EXISTS pg_temp.bulk_staging, pg_temp.bulk_rows, pg_temp.bulk_submissions, pg_temp.bulk_target, "
            "pg_temp.bulk_inserted, pg_temp.bulk_shared"
        )
        cursor.execute(_STAGING)
        with cursor.copy(
            f"COPY bulk_staging ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv, HEADER true)"
        ) as copy:
            while chunk := source.read(1 << 20):
                copy.write(chunk)
        cursor.execute(_RESOLVE, {"year": period.year, "kind": period.kind, "index": period.index})
        rows = cursor.rowcount
        problems = _problems(cursor, duplicates=False)
        if problems:  # one report of all that is wrong, repeated lines included
            problems = _problems(cursor, duplicates=True)
        problems += _closed_campaigns(cursor)
        if problems:
            raise BulkLoadRefused(problems)
        cursor.execute("ANALYZE bulk_rows")
        cursor.execute("SELECT count(DISTINCT municipality_id) FROM bulk_rows")
        comuni = cursor.fetchone()[0]
        with cross_tenant(scope=SCOPE_LOAD, reason=f"bulk load {period.code}", acting_user=acting_user):
            cursor.execute(_CLOSED)
            closed = [
                BulkProblem(line, "istat_code", _("La scheda è «%(status)s»: i valori non si possono modificare.")
                            % {"status": Submission.Status(status).label})
                for line, status in cursor.fetchall()
            ]
            period_params = {"year": period.year, "kind": period.kind, "index": period.index}
            shares = _shares(cursor)
            if shares:
                cursor.execute(_SHARED_CLOSED, period_params)
                closed += [
                    BulkProblem(line, "element", _(
                        "È un dato condiviso da più aree e una scheda che lo contiene è «%(status)s»: "
                        "non si può cambiare."
                    ) % {"status": Submission.Status(status).label})
                    for line, status in cursor.fetchall()
                ]
            if closed:
                raise BulkLoadRefused(closed)
            _write(cursor, {"user": user_id})
            if shares:
                cursor.execute(_SHARE, {"user": user_id, **period_params})
    return BulkOutcome(rows=rows, comuni=comuni)


def _write(cursor, params: dict) -> None:
    cursor.execute(_CREATE_SUBMISSIONS)
    cursor.execute(_SUBMISSIONS)
    cursor.execute("ANALYZE bulk_submissions")  # how many are fresh: the plan of the target
    cursor.execute(_TARGET)
    cursor.execute("SELECT EXISTS (SELECT 1 FROM bulk_target WHERE value_id IS NOT NULL)")
    replaces = cursor.fetchone()[0]
    if replaces:
        # Two lines for one stored figure would update it once, silently.
        _refuse_duplicates(cursor)
    history = {**params, "reason": LOAD_REASON}
    try:
        with transaction.atomic():  # a savepoint, for the unique key's verdict below
            cursor.execute(_INSERT_VALUES, params)
    except IntegrityError as error:
        if getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) == "one_value_per_element":
            _refuse_duplicates(cursor)
        raise
    cursor.execute(_INSERTED)
    cursor.execute(_INSERTED_HISTORY, history)
    if replaces:
        cursor.execute(_UPDATE_VALUES, history)
    cursor.execute(_COUNT)


def _refuse_duplicates(cursor) -> None:
    problems = _problems(cursor, duplicates=True)
    if problems:
        raise BulkLoadRefused(problems)


def _closed_campaigns(cursor) -> list[BulkProblem]:
    """Lines for a closed round (the rule is `Campaign.accepts_values`): the
    campaigns still accepting values are locked FOR SHARE until the load
    commits, so none of them can close while its figures are being written."""
    cursor.execute("SELECT DISTINCT campaign_id FROM bulk_rows WHERE campaign_id IS NOT NULL")
    campaign_ids = [row[0] for row in cursor.fetchall()]
    accepting = Campaign.objects.lock_accepting_values(campaign_ids)
    closed = [pk for pk in campaign_ids if pk not in accepting]
    if not closed:
        return []
    cursor.execute(
        f"SELECT min(line) FROM bulk_rows WHERE campaign_id = ANY(%s) GROUP BY campaign_id ORDER BY 1 LIMIT {MAX_PROBLEMS}",
        [closed],
    )
    message = _("La rilevazione di questo periodo per l'area del dato è chiusa: i valori non si possono modificare.")
    return [BulkProblem(line, "element", message) for (line,) in cursor.fetchall()]


def _shares(cursor) -> bool:
    """Whether the file holds shared context figures (most national loads do not)."""
    cursor.execute(
        "SELECT EXISTS (SELECT 1 FROM bulk_rows r JOIN benchmarking_dataelement e ON e.id = r.element_id AND e.shared)"
    )
    return cursor.fetchone()[0]


def _problems(cursor, *, duplicates: bool) -> list[BulkProblem]:
    """What is wrong with the file's lines (and, if asked, which lines repeat a
    comune and element)."""
    union = _LINE_PROBLEMS + (" UNION ALL " + _DUPLICATES if duplicates else "")
    cursor.execute(_PROBLEMS.format(problems=union, limit=MAX_PROBLEMS))
    found = cursor.fetchall()
    problems = []
    hard_lines = [line for line, _column, code in found if code == "hard"]
    messages: dict[int, list[str]] = {}
    if hard_lines:
        # The messages come from the one place the rules are written for people.
        cursor.execute("SELECT line, kind, state, value FROM bulk_rows WHERE line = ANY(%s)", [hard_lines])
        for line, kind, state, value in cursor.fetchall():
            messages[line] = hard_errors(DataElement(kind=kind), state, Decimal(value))
    for line, column, code in found:
        if code == "hard":
            problems.extend(BulkProblem(line, column, message) for message in messages.get(line, []))
        else:
            problems.append(BulkProblem(line, column, _message(code)))
    cursor.execute("SELECT EXISTS (SELECT 1 FROM bulk_rows WHERE part_of_id IS NOT NULL)")
    if cursor.fetchone()[0]:
        cursor.execute(_PART_OVER_WHOLE)
        problems.extend(
            BulkProblem(line, "value", _("Non può superare «%(whole)s» (%(value)s).") % {"whole": code, "value": value})
            for line, code, value in cursor.fetchall()
        )
    return problems[:MAX_PROBLEMS]
