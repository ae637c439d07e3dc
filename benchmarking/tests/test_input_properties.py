"""Property-based tests (hypothesis) over what reads input: the number parser,
periods, the file reader, the API's query parameters and bodies. Whatever
comes in, the answer is a value that fits where it is kept, or a refusal with
a message: never an exception the caller does not expect, never a 5xx.

Deterministic (`derandomize`, no example database) and bounded in examples,
so `make test` runs the same cases every time, in seconds.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from benchmarking.collection import imports
from benchmarking.periods import Period
from qclub.numbers import (
    MAX_DECIMALS,
    MAX_INTEGER_DIGITS,
    NumberError,
    format_number,
    input_text,
    number_from,
    parse_number,
)
from qclub.tenancy import acting_for
from tests.factories import officer_of

BOUNDED = settings(derandomize=True, database=None, deadline=None, max_examples=300)
# Tests that run requests: fewer examples, and the function-scoped fixtures
# (the club, the client) are shared by the examples on purpose.
REQUESTS = settings(derandomize=True, database=None, deadline=None, max_examples=40,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# What a number column keeps: DecimalField(max_digits=20, decimal_places=4).
COLUMN_LIMIT = Decimal(10) ** MAX_INTEGER_DIGITS


def fits_the_column(value: Decimal) -> bool:
    return value.is_finite() and abs(value) < COLUMN_LIMIT and -value.as_tuple().exponent <= MAX_DECIMALS


NUMBERISH = st.one_of(
    st.text(max_size=80),
    st.from_regex(r"\A-?[0-9.,' \u00a0]{0,40}(e[+-]?[0-9]{1,4})?\Z"),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@BOUNDED
@given(NUMBERISH)
def test_any_text_is_a_figure_that_fits_or_a_message(text):
    try:
        value = parse_number(text)
    except NumberError as error:
        assert str(error)
    else:
        assert fits_the_column(value)


@BOUNDED
@given(st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                 st.decimals(allow_nan=True, allow_infinity=True), st.booleans()))
def test_any_json_or_spreadsheet_number_fits_or_gets_a_message(value):
    try:
        number = number_from(value)
    except NumberError as error:
        assert str(error)
    else:
        assert fits_the_column(number)


@BOUNDED
@given(st.decimals(min_value=-(COLUMN_LIMIT - 1), max_value=COLUMN_LIMIT - 1, places=MAX_DECIMALS,
                   allow_nan=False, allow_infinity=False))
def test_a_kept_figure_written_back_reads_the_same(value):
    assert parse_number(input_text(value)) == value
    assert parse_number(format_number(value)) == value


@BOUNDED
@given(st.one_of(st.text(max_size=20), st.from_regex(r"\A[0-9]{1,6}(-[HQXhq][0-9])?\Z")))
def test_any_period_text_is_a_period_or_a_value_error(text):
    try:
        period = Period.parse(text)
    except ValueError:
        return
    before = period.previous()
    assert before is None or before < period


@pytest.mark.django_db
@REQUESTS
@given(data=st.one_of(
    st.binary(max_size=2000),
    st.binary(max_size=500).map(lambda tail: b"PK\x03\x04" + tail),
    st.lists(st.lists(st.text(max_size=30), max_size=10), max_size=20).map(
        lambda rows: "\n".join(";".join(row) for row in [imports.COLUMNS, *rows]).encode("utf-8", "surrogatepass")
    ),
), name=st.sampled_from(["dati.csv", "dati.xlsx", "dati.txt", ""]))
def test_any_uploaded_file_is_read_or_refused_with_messages(comune_a, submission_a, data, name):
    with acting_for(comune_a):
        parsed = imports.parse_upload(SimpleUploadedFile(name or "x", data), submission_a)
    # A file with only the header is read (nothing to import); anything else
    # refused says why, each time.
    assert all(problem.message for problem in parsed.errors)
    assert all(isinstance(entry_code, str) for entry_code, _entry in parsed.entries)


# --- The API, over HTTP ----------------------------------------------------------------

QUERY_KEYS = ["periodo", "limit", "offset", "search", "status", "area", "mostra", "statistiche",
              "contesto", "comuni", "export", "page"]
QUERY_VALUES = st.one_of(
    st.text(max_size=40),
    st.integers().map(str),
    st.sampled_from(["2000", "2000-Q1", "2100-Q4", "-1", "99999999999999999999", "group:99999999999999999999"]),
)


@pytest.fixture
def member_api(club):
    client = APIClient()
    client.raise_request_exception = False
    client.force_login(officer_of(club[0]))
    return client


@REQUESTS
@given(endpoint=st.sampled_from([
    "/api/v1/comuni/", "/api/v1/benchmarking/catalogo/indicatori/", "/api/v1/benchmarking/campagne/",
    "/api/v1/confronti/scheda/", "/api/v1/confronti/indicatori/{code}/classifica/",
    "/api/v1/confronti/indicatori/{code}/andamento/", "/api/v1/open-data/",
]), query=st.dictionaries(st.sampled_from(QUERY_KEYS), QUERY_VALUES, max_size=4))
def test_any_query_on_the_api_answers_without_a_server_error(club, member_api, endpoint, query):
    response = member_api.get(endpoint.format(code=club.indicators[0].code), query)
    assert response.status_code < 500, (endpoint, query, response.status_code)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@REQUESTS
@given(items=st.lists(st.fixed_dictionaries({
    "code": st.sampled_from(["certificati", "certificati_online", "sportello_fte", "x", ""]),
}, optional={
    "value": st.one_of(JSON_VALUES, st.sampled_from(["1e400", "-1e400", "1" * 30, "9999999999999999"])),
    "state": st.one_of(st.sampled_from(["value", "missing", "not_applicable", "confidential"]), st.text(max_size=10)),
    "note": st.text(max_size=60), "justification": st.text(max_size=60), "estimated": JSON_VALUES,
    "version": st.one_of(st.integers(), JSON_VALUES),
}), max_size=4))
def test_any_values_body_answers_without_a_server_error(club, member_api, items):
    """Writes to the 2026 campaign of comune A (open); numbers as JSON text too."""
    campaign = club.campaign.__class__.objects.get(area=club.area, period_year=2026)
    body = json.dumps(items).replace('"1e400"', "1e400")  # also the bare JSON number
    response = member_api.generic("PUT", f"/api/v1/benchmarking/campagne/{campaign.public_id}/valori/", body,
                                  content_type="application/json")
    assert response.status_code < 500, (items, response.status_code)
