"""Figures and texts no column can keep are refused with a message, by every way
in (the entry form, the API, the file import), and nothing is written: numbers
too large or infinite (`1e400`), results of a formula too large for their
column, texts over their limit, text a spreadsheet would run as a formula."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.test import APIClient

from benchmarking.collection import imports, services
from benchmarking.models import DataValue, IndicatorResult
from qclub.numbers import MAX_INTEGER_DIGITS
from qclub.tenancy import acting_for

HEADER = "codice;dato;gruppo;unità;stato;valore;nota;stimato;giustificazione"
LIMIT = DataValue._meta.get_field("justification").max_length
# Each figure fits its column (16 digits); certificati / sportello_fte does not
# fit the result's (18 digits before the comma).
HUGE, TINY = "9999999999999999", "0,0001"


def values_url(campaign):
    return f"/api/v1/benchmarking/campagne/{campaign.public_id}/valori/"


def api_client(user):
    client = APIClient()
    client.force_login(user)
    return client


def versions(client, campaign):
    return {item["code"]: item["version"] for item in client.get(values_url(campaign)).json()["values"]}


def stored(comune):
    with acting_for(comune):
        values = {row.element.code: (row.state, row.value, row.justification)
                  for row in DataValue.objects.select_related("element")}
        results = {r.indicator.code: r.value for r in IndicatorResult.objects.select_related("indicator")}
    return values, results


def form_post(client, campaign, **typed):
    """Post the entry form with `typed` = {code: (value, justification)}."""
    page = client.get(reverse("benchmarking:submission", args=[campaign.public_id]))
    assert page.status_code == 200
    with acting_for(campaign_comune(client)):
        seen = dict(DataValue.objects.values_list("element__code", "version"))
    data = {}
    for code, (value, justification) in typed.items():
        data.update({f"s-{code}": "value", f"v-{code}": value, f"n-{code}": "", f"j-{code}": justification,
                     f"ver-{code}": str(seen.get(code, 1))})
    return client.post(reverse("benchmarking:submission", args=[campaign.public_id]), data)


def campaign_comune(client):
    from django.contrib.auth import get_user_model

    from qclub.models import Membership

    user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    return Membership.objects.filter(user=user).first().municipality


def csv_upload(*lines):
    text = "\r\n".join([HEADER, *lines]) + "\r\n"
    return SimpleUploadedFile("dati.csv", text.encode("utf-8"), content_type="text/csv")


def xlsx_with_value(raw_value: str) -> SimpleUploadedFile:
    """A real workbook whose `valore` cell holds `raw_value` as the XML has it
    (openpyxl will not write 1E+400 itself)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(["certificati", "", "", "", "valore", 123456, "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<v>123456</v>" in data
                data = data.replace(b"<v>123456</v>", f"<v>{raw_value}</v>".encode())
            target.writestr(item, data)
    return SimpleUploadedFile("dati.xlsx", out.getvalue())


# --- Numbers too large or not finite -------------------------------------------------

# As written in the JSON body: numbers (1e400 is read as a float infinity) and texts.
HOSTILE_NUMBERS = ["1e400", "-1e400", "1" * 30, "1e30", '"1e400"', '"-1e400"', '"' + "1" * 30 + '"',
                   '"' + "1" * 70 + '"', '"NaN"', '"Infinity"']


@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
def test_the_api_refuses_numbers_no_column_can_keep(comune_a, officer_a, campaign, value):
    client = api_client(officer_a)
    seen = versions(client, campaign)
    body = f'[{{"code": "certificati", "value": {value}, "version": {seen["certificati"]}}}]'
    response = client.generic("PUT", values_url(campaign), body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "numero" in response.content.decode()
    assert stored(comune_a) == ({}, {})  # not even the submission was created


@pytest.mark.parametrize("value", ["1e400", "-1e400", "1" * 30])
def test_the_form_refuses_numbers_no_column_can_keep(client, comune_a, officer_a, campaign, value):
    client.force_login(officer_a)
    response = form_post(client, campaign, certificati=(value, ""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "numero" in page and value in page  # the typed text is shown back, not lost
    assert stored(comune_a) == ({}, {})


@pytest.mark.parametrize("raw", ["1E+400", "-1E+400", "1" * 30, "1E+30"])
def test_the_import_refuses_xlsx_cells_no_column_can_keep(comune_a, officer_a, submission_a, raw):
    with acting_for(comune_a), pytest.raises(imports.ImportRefused) as refused:
        imports.import_file(submission_a, xlsx_with_value(raw), officer_a)
    assert {(e.line, e.column) for e in refused.value.errors} == {(2, "valore")}
    assert stored(comune_a)[0]["certificati"] == ("missing", None, "")


def test_the_import_page_answers_400_for_an_infinite_cell(client, comune_a, officer_a, campaign):
    client.force_login(officer_a)
    response = client.post(reverse("benchmarking:import", args=[campaign.public_id]),
                           {"file": xlsx_with_value("1E+400")})
    assert response.status_code == 400
    assert "troppo grande" in response.content.decode()


# --- Results too large for their column ----------------------------------------------


def test_the_api_refuses_figures_whose_result_would_not_fit(comune_a, officer_a, campaign):
    client = api_client(officer_a)
    seen = versions(client, campaign)
    response = client.put(values_url(campaign), [
        {"code": "certificati", "value": HUGE, "version": seen["certificati"]},
        {"code": "sportello_fte", "value": TINY, "version": seen["sportello_fte"]},
    ], format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert set(errors) == {"certificati", "sportello_fte"}
    assert "troppo grande" in errors["certificati"][0]
    assert stored(comune_a) == ({}, {})


def test_the_form_refuses_figures_whose_result_would_not_fit(client, comune_a, officer_a, campaign):
    client.force_login(officer_a)
    response = form_post(client, campaign, certificati=(HUGE, ""), sportello_fte=(TINY, ""))
    assert response.status_code == 400
    assert "troppo grande" in response.content.decode()
    assert stored(comune_a) == ({}, {})


def test_the_import_refuses_figures_whose_result_would_not_fit(comune_a, officer_a, submission_a):
    upload = csv_upload(f"certificati;;;;valore;{HUGE};;;", f"sportello_fte;;;;valore;{TINY};;;")
    with acting_for(comune_a), pytest.raises(imports.ImportRefused) as refused:
        imports.import_file(submission_a, upload, officer_a)
    assert {(e.line, e.column) for e in refused.value.errors} == {(2, "valore"), (3, "valore")}
    assert stored(comune_a)[0]["certificati"] == ("missing", None, "")


def test_the_largest_result_that_fits_is_saved(comune_a, officer_a, submission_a):
    """The bound is the column's: 16 digits over 0,01 is 18 digits, which fits."""
    with acting_for(comune_a):
        services.save_values(submission_a, {
            "certificati": services.Entry(state="value", value=Decimal(HUGE)),
            "sportello_fte": services.Entry(state="value", value=Decimal("0.01")),
        }, officer_a)
    assert stored(comune_a)[1]["certificati_per_fte"] == Decimal(HUGE) * 100
    assert len(HUGE) == MAX_INTEGER_DIGITS


# --- One text limit for form, API and import ----------------------------------------


def test_the_justification_limit_is_the_same_for_form_and_api(client, comune_a, officer_a, campaign):
    too_long, longest = "g" * (LIMIT + 1), "g" * LIMIT
    client.force_login(officer_a)
    response = form_post(client, campaign, certificati=("10", too_long))
    assert response.status_code == 400
    assert "La giustificazione supera 5.000 caratteri" in response.content.decode()
    assert stored(comune_a) == ({}, {})
    api = api_client(officer_a)
    seen = versions(api, campaign)
    response = api.put(values_url(campaign), [
        {"code": "certificati", "value": 10, "justification": too_long, "version": seen["certificati"]},
    ], format="json")
    assert response.status_code == 400
    assert stored(comune_a) == ({}, {})

    assert form_post(client, campaign, certificati=("10", longest)).status_code == 302
    assert stored(comune_a)[0]["certificati"][2] == longest
    seen = versions(api, campaign)
    response = api.put(values_url(campaign), [
        {"code": "sportello_fte", "value": 2, "justification": longest, "version": seen["sportello_fte"]},
    ], format="json")
    assert response.status_code == 200
    assert stored(comune_a)[0]["sportello_fte"][2] == longest


def test_a_two_megabyte_justification_is_refused_by_the_form(client, comune_a, officer_a, campaign, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
    client.force_login(officer_a)
    response = form_post(client, campaign, certificati=("10", "x" * 2 * 1024 * 1024))
    assert response.status_code == 400
    assert stored(comune_a) == ({}, {})


def test_the_import_refuses_a_justification_over_the_limit_on_its_column(comune_a, officer_a, submission_a):
    upload = csv_upload(f"certificati;;;;valore;10;;;{'g' * (LIMIT + 1)}")
    with acting_for(comune_a), pytest.raises(imports.ImportRefused) as refused:
        imports.import_file(submission_a, upload, officer_a)
    assert {(e.line, e.column) for e in refused.value.errors} == {(2, "giustificazione")}


# --- The formula guard, after leading blanks ----------------------------------------


@pytest.mark.parametrize("text", [" =1+1", "  +39 0461", "\n=HYPERLINK(\"x\")", " \t@SUM(A1)", "\u00a0-2+3", "\r\n=1"])
def test_a_text_a_spreadsheet_would_run_after_blanks_is_refused(comune_a, officer_a, submission_a, text):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(["certificati", "", "", "", "valore", 10, text, "", text])
    for cell in sheet[2]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with acting_for(comune_a), pytest.raises(imports.ImportRefused) as refused:
        imports.import_file(submission_a, SimpleUploadedFile("dati.xlsx", buffer.getvalue()), officer_a)
    assert {(e.line, e.column) for e in refused.value.errors} == {(2, "nota"), (2, "giustificazione")}
    assert "formula" in refused.value.errors[0].message


def test_templates_neutralise_text_with_blanks_before_a_formula(comune_a, officer_a, submission_a):
    assert imports.neutralise("  =somma delle sedi") == "'  =somma delle sedi"
    assert imports.neutralise("\n@sede") == "'\n@sede"
    assert imports.neutralise("ok = giusto") == "ok = giusto"
    # ... and the apostrophe of a neutralised text is taken off again on import.
    upload = csv_upload("certificati;;;;valore;10;' =somma delle sedi;;")
    with acting_for(comune_a):
        imports.import_file(submission_a, upload, officer_a)
    with acting_for(comune_a):
        assert DataValue.objects.get(element__code="certificati").note == "=somma delle sedi"
