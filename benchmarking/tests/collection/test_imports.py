"""File import: templates, the reader's refusals, all-or-nothing saving, and the pages."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from benchmarking.collection import imports, services
from benchmarking.collection.services import Entry
from benchmarking.models import Campaign, DataValue, IndicatorResult
from qclub.tenancy import acting_for

V = DataValue.State.VALUE
HEADER = "codice;dato;gruppo;unità;stato;valore;nota;stimato;giustificazione"


def csv_file(*lines, name="dati.csv", bom=True, encoding="utf-8"):
    text = "\r\n".join([HEADER, *lines]) + "\r\n"
    data = ("\ufeff" if bom else "").encode(encoding) + text.encode(encoding)
    return SimpleUploadedFile(name, data, content_type="text/csv")


def xlsx_file(rows, name="dati.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


GOOD = (
    "certificati;;;;valore;12.000;Gestionale anagrafe;no;",
    "certificati_online;;;;;3000;;;",
    "sportello_fte;;;;valore;4,5;;sì;Media annua",
)


@pytest.fixture
def submission_b(comune_b, campaign):
    with acting_for(comune_b):
        return services.start_submission(campaign)


def figures(comune):
    with acting_for(comune):
        return {
            row.element.code: (row.state, row.value)
            for row in DataValue.objects.select_related("element")
        }


def results(comune):
    with acting_for(comune):
        return {r.indicator.code: r.value for r in IndicatorResult.objects.select_related("indicator")}


def where(errors):
    return {(error.line, error.column) for error in errors}


# --- The reader and the save --------------------------------------------------------


def test_a_good_csv_is_imported_and_indicators_computed(comune_a, officer_a, submission_a):
    with acting_for(comune_a):
        outcome = imports.import_file(submission_a, csv_file(*GOOD), officer_a)
        fte = DataValue.objects.get(element__code="sportello_fte")
        change = fte.changes.get()
    assert outcome.changed == ["certificati", "certificati_online", "sportello_fte"]
    assert figures(comune_a) == {
        "certificati": (V, Decimal(12000)), "certificati_online": (V, Decimal(3000)),
        "sportello_fte": (V, Decimal("4.5")),
    }
    assert fte.estimated and fte.justification == "Media annua"
    assert change.reason == "import da file" and change.user == officer_a
    assert results(comune_a)["quota_online"] == 25


def test_a_csv_without_bom_and_with_commas_is_read(comune_a, officer_a, submission_a):
    upload = SimpleUploadedFile("dati.csv", b"codice,stato,valore\ncertificati,valore,\"1.500\"\nsportello_fte,,\"2,5\"\n")
    with acting_for(comune_a):
        imports.import_file(submission_a, upload, officer_a)
    assert figures(comune_a)["certificati"] == (V, Decimal(1500))
    assert figures(comune_a)["sportello_fte"] == (V, Decimal("2.5"))


def test_a_good_xlsx_is_imported_and_numbers_are_not_misread(comune_a, officer_a, submission_a):
    upload = xlsx_file([
        ["certificati", "", "", "", "valore", 1234, "", "no", ""],
        ["certificati_online", "", "", "", "", 617, "", "", ""],
        ["sportello_fte", "", "", "", "valore", 1.234, "", False, ""],  # a float, not 1.234 thousands
    ])
    with acting_for(comune_a):
        imports.import_file(submission_a, upload, officer_a)
    assert figures(comune_a)["sportello_fte"] == (V, Decimal("1.234"))
    assert results(comune_a)["quota_online"] == 50


def test_a_file_with_errors_writes_nothing_and_says_where(comune_a, officer_a, submission_a):
    upload = csv_file(
        "certificati;;;;valore;12.000;;;",
        "sconosciuto;;;;valore;1;;;",
        "certificati;;;;valore;5;;;",
        "certificati_online;;;;valore;tanti;;;",
        "sportello_fte;;;;valore;-5;;;",
        "certificati_online;;;;forse;1;;;",
    )
    with acting_for(comune_a), pytest.raises(imports.ImportRefused) as refused:
        imports.import_file(submission_a, upload, officer_a)
    assert where(refused.value.errors) == {
        (3, "codice"), (4, "codice"), (5, "valore"), (6, "valore"), (7, "codice"),
    }
    messages = {(e.line, e.column): e.message for e in refused.value.errors}
    assert "sconosciuto" in messages[(3, "codice")]
    assert "riga 2" in messages[(4, "codice")]
    assert "non è un numero" in messages[(5, "valore")]
    assert "negativo" in messages[(6, "valore")]  # '-5' is a number, refused by the sign rule
    assert {state for state, _value in figures(comune_a).values()} == {"missing"}


def test_a_part_larger_than_its_whole_is_placed_on_its_line(comune_a, officer_a, submission_a):
    upload = csv_file("certificati;;;;valore;10;;;", "certificati_online;;;;valore;20;;;")
    with acting_for(comune_a), pytest.raises(imports.ImportRefused) as refused:
        imports.import_file(submission_a, upload, officer_a)
    assert where(refused.value.errors) == {(3, "valore")}
    assert figures(comune_a)["certificati"] == ("missing", None)


def test_missing_required_columns_are_named(comune_a, submission_a):
    upload = SimpleUploadedFile("dati.csv", b"codice;nota\ncertificati;x\n")
    with acting_for(comune_a):
        parsed = imports.parse_upload(upload, submission_a)
    assert [(e.line, e.column) for e in parsed.errors] == [(1, "stato, valore")]


@pytest.mark.parametrize("text", ["=1+1", "+39 0461", "@SUM(A1)", "-2+3", "\tciao"])
def test_a_note_that_a_spreadsheet_would_run_is_refused(comune_a, officer_a, submission_a, text):
    upload = csv_file(f'certificati;;;;valore;10;"{text}";;')
    with acting_for(comune_a), pytest.raises(imports.ImportRefused) as refused:
        imports.import_file(submission_a, upload, officer_a)
    assert where(refused.value.errors) == {(2, "nota")}
    assert "formula" in refused.value.errors[0].message
    assert figures(comune_a)["certificati"] == ("missing", None)


def test_a_formula_cell_in_xlsx_is_refused(comune_a, officer_a, submission_a):
    upload = xlsx_file([["certificati", "", "", "", "valore", "=2*500", "", "", ""]])
    with acting_for(comune_a), pytest.raises(imports.ImportRefused) as refused:
        imports.import_file(submission_a, upload, officer_a)
    assert where(refused.value.errors) == {(2, "valore")}


def test_a_file_over_2_mb_is_refused_before_reading(comune_a, submission_a):
    class Huge(io.BytesIO):
        name, size = "dati.csv", imports.MAX_BYTES + 1

        def read(self, *args):  # pragma: no cover - must not be called
            raise AssertionError("read a file that is too large")

    with acting_for(comune_a):
        parsed = imports.parse_upload(Huge(), submission_a)
    assert "2 MB" in parsed.errors[0].message


def test_a_file_over_5000_rows_is_refused(comune_a, submission_a):
    upload = csv_file(*[f"certificati;;;;valore;{n};;;" for n in range(imports.MAX_ROWS + 1)])
    assert upload.size < imports.MAX_BYTES
    with acting_for(comune_a):
        parsed = imports.parse_upload(upload, submission_a)
    assert len(parsed.errors) == 1 and "5.000" in parsed.errors[0].message


def test_latin_1_bytes_are_refused_with_a_way_out(comune_a, submission_a):
    upload = csv_file("certificati;;;;valore;10;Fonte: ufficio anagrafe città;;", bom=False, encoding="latin-1")
    with acting_for(comune_a):
        parsed = imports.parse_upload(upload, submission_a)
    assert len(parsed.errors) == 1
    assert parsed.errors[0].line == 1  # the header's «unità» is the first non-UTF-8 byte
    assert "UTF-8" in parsed.errors[0].message


@pytest.mark.parametrize("content", [b"codice;stato;valore\ncertificati;valore;1\n", b"PK\x03\x04 not a zip at all"])
def test_a_fake_xlsx_is_refused(comune_a, submission_a, content):
    with acting_for(comune_a):
        parsed = imports.parse_upload(SimpleUploadedFile("dati.xlsx", content), submission_a)
    assert "non è un vero file Excel" in parsed.errors[0].message


def test_a_zip_that_is_not_a_workbook_is_refused(comune_a, submission_a):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "ciao")
    with acting_for(comune_a):
        parsed = imports.parse_upload(SimpleUploadedFile("dati.xlsx", buffer.getvalue()), submission_a)
    assert "non è un vero file Excel" in parsed.errors[0].message


def test_empty_state_and_value_leave_a_figure_unchanged(comune_a, officer_a, submission_a):
    with acting_for(comune_a):
        services.save_values(submission_a, {
            "certificati": Entry(state=V, value=Decimal(100), note="dal gestionale"),
        }, officer_a)
        outcome = imports.import_file(submission_a, csv_file("certificati;;;;;;;;", "sportello_fte;;;;;2;;;"), officer_a)
        row = DataValue.objects.get(element__code="certificati")
    assert outcome.changed == ["sportello_fte"]
    assert (row.state, row.value, row.note) == (V, Decimal(100), "dal gestionale")


def test_a_stated_missing_with_empty_value_clears_it(comune_a, officer_a, submission_a):
    with acting_for(comune_a):
        services.save_values(submission_a, {"certificati": Entry(state=V, value=Decimal(100))}, officer_a)
        imports.import_file(submission_a, csv_file("certificati;;;;non disponibile;;;;Non rilevato"), officer_a)
    assert figures(comune_a)["certificati"] == ("missing", None)


# --- Templates -----------------------------------------------------------------------


def test_the_csv_template_is_utf8_with_bom_and_prefilled(comune_a, officer_a, submission_a):
    with acting_for(comune_a):
        services.save_values(submission_a, {"sportello_fte": Entry(state=V, value=Decimal("4.5"), estimated=True)}, officer_a)
        content = imports.template_csv(submission_a)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = [row for row in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";") if not row[0].startswith("#")]
    assert rows[0] == imports.COLUMNS
    by_code = {row[0]: dict(zip(imports.COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_code) == {"certificati", "certificati_online", "sportello_fte"}
    assert (by_code["sportello_fte"]["stato"], by_code["sportello_fte"]["valore"], by_code["sportello_fte"]["stimato"]) == ("valore", "4,5", "sì")
    assert by_code["certificati"]["stato"] == "" and by_code["certificati"]["valore"] == ""


def test_templates_neutralise_text_a_spreadsheet_would_run(comune_a, officer_a, submission_a):
    with acting_for(comune_a):
        services.save_values(submission_a, {
            "certificati": Entry(state=V, value=Decimal(10), note="=HYPERLINK(\"http://x\")"),
        }, officer_a)
        content_csv = imports.template_csv(submission_a)
        content_xlsx = imports.template_xlsx(submission_a)
    csv_notes = [row[6] for row in csv.reader(io.StringIO(content_csv.decode("utf-8-sig")), delimiter=";") if len(row) > 6]
    assert "'=HYPERLINK(\"http://x\")" in csv_notes
    sheet = load_workbook(io.BytesIO(content_xlsx)).worksheets[0]
    notes = [row[6].value for row in sheet.iter_rows(min_row=2)]
    assert "'=HYPERLINK(\"http://x\")" in notes
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_neutralised_note_comes_back_unchanged(comune_a, officer_a, submission_a):
    note = "=non una formula"
    with acting_for(comune_a):
        services.save_values(submission_a, {"certificati": Entry(state=V, value=Decimal(10), note=note)}, officer_a)
        template = imports.template_xlsx(submission_a)
        outcome = imports.import_file(submission_a, SimpleUploadedFile("m.xlsx", template), officer_a)
        assert DataValue.objects.get(element__code="certificati").note == note
    assert outcome.changed == []


# --- Pages ----------------------------------------------------------------------------


def url(name, campaign):
    return reverse(f"benchmarking:{name}", args=[campaign.public_id])


def test_template_round_trip_through_the_pages(client, comune_a, officer_a, campaign):
    client.force_login(officer_a)
    response = client.get(url("template_csv", campaign))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    filled = text.replace("certificati;Certificati rilasciati;Sportello;n.;;;", "certificati;Certificati rilasciati;Sportello;n.;;8000;")
    filled = filled.replace("certificati_online;Certificati rilasciati online;Sportello;n.;;;", "certificati_online;Certificati rilasciati online;Sportello;n.;;2000;")
    filled = filled.replace("sportello_fte;Addetti allo sportello (FTE);Personale;FTE;;;", "sportello_fte;Addetti allo sportello (FTE);Personale;FTE;valore;2;")
    assert filled != text
    upload = SimpleUploadedFile("modello.csv", filled.encode("utf-8"))
    response = client.post(url("import", campaign), {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "3 valori cambiano" in preview and "Certificati rilasciati online" in preview
    assert figures(comune_a) == {}  # shown, not written
    response = client.post(response["Location"], follow=True)
    assert response.status_code == 200
    assert "File importato: 3 valori modificati (" in response.content.decode()
    assert results(comune_a)["certificati_per_fte"] == 4000


def test_the_xlsx_template_downloads_and_comes_back(client, comune_a, officer_a, campaign):
    client.force_login(officer_a)
    response = client.get(url("template_xlsx", campaign))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        row[5].value = {"certificati": 10, "certificati_online": 5, "sportello_fte": 1}[row[0].value]
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(url("import", campaign), {"file": SimpleUploadedFile("m.xlsx", buffer.getvalue())})
    assert response.status_code == 302
    assert client.post(response["Location"]).status_code == 302
    assert results(comune_a)["quota_online"] == 50


def test_the_page_lists_errors_and_writes_nothing(client, comune_a, officer_a, campaign):
    client.force_login(officer_a)
    upload = csv_file("certificati;;;;valore;10;;;", "ignoto;;;;valore;1;;;")
    response = client.post(url("import", campaign), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and "ignoto" in page and "<td>3</td><td>codice</td>" in page
    assert figures(comune_a) == {}  # nothing written: not even the submission of this first write


def test_an_import_by_b_touches_only_b(client, comune_a, comune_b, officer_a, officer_b, submission_a, campaign):
    with acting_for(comune_a):
        services.save_values(submission_a, {"certificati": Entry(state=V, value=Decimal(777))}, officer_a)
    before = figures(comune_a)
    client.force_login(officer_b)
    response = client.post(url("import", campaign), {"file": csv_file(*GOOD)})
    assert response.status_code == 302
    # A's officer cannot see or confirm B's pending file.
    client.force_login(officer_a)
    assert client.get(response["Location"]).status_code == 404
    assert client.post(response["Location"]).status_code == 404
    client.force_login(officer_b)
    assert client.post(response["Location"]).status_code == 302
    assert figures(comune_a) == before
    assert figures(comune_b)["certificati"] == (V, Decimal(12000))


def test_the_pages_need_a_data_entry_role(client, coordinator, campaign):
    client.force_login(coordinator)
    assert client.get(url("import", campaign)).status_code == 403
    assert client.get(url("template_csv", campaign)).status_code == 403


def test_a_closed_campaign_takes_no_import(client, officer_a, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    client.force_login(officer_a)
    assert client.get(url("import", campaign)).status_code == 404
    assert client.post(url("import", campaign), {"file": csv_file(*GOOD)}).status_code == 404


def test_the_upload_form_is_labelled(client, officer_a, campaign):
    client.force_login(officer_a)
    page = client.get(url("import", campaign)).content.decode()
    assert '<label class="qc-label" for="id_file">' in page


def test_posting_without_a_file_says_so(client, officer_a, campaign):
    client.force_login(officer_a)
    response = client.post(url("import", campaign), {})
    assert response.status_code == 400
    assert "qc-error-summary" in response.content.decode()


def test_a_file_over_2_mb_is_refused_by_the_page(client, comune_a, officer_a, campaign):
    client.force_login(officer_a)
    upload = SimpleUploadedFile("dati.csv", b"x" * (imports.MAX_BYTES + 1))
    response = client.post(url("import", campaign), {"file": upload})
    assert response.status_code == 400
    assert "2 MB" in response.content.decode()
