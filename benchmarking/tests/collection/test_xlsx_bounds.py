"""An .xlsx is checked before openpyxl parses it: what it inflates to, the XML
it holds (no DTD, no entities, well formed) and the shape of every sheet (rows,
empty ones too, and cells per row). A small file that would make the server
work for long is refused at once, with a message, and nothing is written."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from benchmarking.collection import imports
from benchmarking.models import DataValue
from qclub.tenancy import acting_for

HEADER = ["codice", "dato", "gruppo", "unità", "stato", "valore", "nota", "stimato", "giustificazione"]
SHEET = "xl/worksheets/sheet1.xml"
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def workbook_bytes(rows=(("certificati", "", "", "", "valore", 10, "", "", ""),)) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replaced(data: bytes, members: dict[str, bytes]) -> bytes:
    """The workbook with some members' content replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, members.pop(item.filename, None) or source.read(item.filename))
        for name, content in members.items():
            target.writestr(name, content)
    return out.getvalue()


def sheet_xml(rows: bytes, dimension: bytes = b"A1:I2") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet ' + NS
            + b'><dimension ref="' + dimension + b'"/><sheetData>' + rows + b"</sheetData></worksheet>")


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("dati.xlsx", data)


@pytest.fixture
def openpyxl_must_not_run(monkeypatch):
    """Proof that a file was refused before parsing: openpyxl is never called."""
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to parse a file that should have been refused before")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def parse(comune, submission, data):
    with acting_for(comune):
        return imports.parse_upload(upload(data), submission)


def one_row_bomb(cells: int) -> bytes:
    """The attack of the review: one row of `cells` cells, a sheet of tens of MB
    in a zip of about a hundred KB."""
    row = b'<row r="2">' + b'<c t="n"><v>1234567</v></c>' * cells + b"</row>"
    return replaced(workbook_bytes(), {SHEET: sheet_xml(row, b"A1:A2")})


def test_the_38_mb_one_row_bomb_is_refused_before_parsing(comune_a, submission_a, openpyxl_must_not_run):
    bomb = one_row_bomb(1_400_000)
    sizes = zipfile.ZipFile(io.BytesIO(bomb)).getinfo(SHEET)
    assert len(bomb) < 200 * 1024 and sizes.file_size > 35 * 1024 * 1024  # 115 KB → 38 MB, as found
    parsed = parse(comune_a, submission_a, bomb)
    assert [(e.line, e.column) for e in parsed.errors] == [(None, "")]
    assert "troppo grande una volta aperto" in parsed.errors[0].message


def test_a_wide_row_within_the_size_limit_is_refused_at_its_first_cells(comune_a, submission_a, openpyxl_must_not_run):
    bomb = one_row_bomb(300_000)  # ~8 MB inflated: under the size limit, so the shape decides
    assert zipfile.ZipFile(io.BytesIO(bomb)).getinfo(SHEET).file_size < imports.MAX_XLSX_MEMBER
    parsed = parse(comune_a, submission_a, bomb)
    assert "colonne" in parsed.errors[0].message


def test_cells_far_to_the_right_or_below_are_refused(comune_a, submission_a, openpyxl_must_not_run):
    """openpyxl pads every row up to the farthest cell: one cell in XFD1048576
    would be 17 billion empty cells to walk."""
    for rows, dimension, word in (
        (b'<row r="2"><c r="XFD2"><v>1</v></c></row>', b"A1:I2", "colonne"),
        (b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>', b"A1:I2", "righe"),
        (b'<row r="2"><c r="A2"><v>1</v></c></row>', b"A1:XFD1048576", "colonne"),
        (b'<row r="2"><c r="A2"><v>1</v></c></row>', b"A1:I1048576", "righe"),
    ):
        parsed = parse(comune_a, submission_a, replaced(workbook_bytes(), {SHEET: sheet_xml(rows, dimension)}))
        assert word in parsed.errors[0].message, rows


def test_too_many_rows_are_refused_even_when_empty(comune_a, submission_a, openpyxl_must_not_run):
    rows = b"".join(b'<row r="%d"/>' % n for n in range(1, imports.MAX_XLSX_LINES + 2))
    parsed = parse(comune_a, submission_a, replaced(workbook_bytes(), {SHEET: sheet_xml(rows, b"A1:A1")}))
    assert "anche quelle vuote" in parsed.errors[0].message


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                  b'<sst ' + NS + b'><si><t>&lol3;</t></si></sst>')
EXTERNAL = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<worksheet ' + NS + b'><sheetData><row r="1"><c t="inlineStr"><is><t>&xxe;</t></is></c></row>'
            b"</sheetData></worksheet>")


@pytest.mark.parametrize(("member", "content"), [
    ("xl/sharedStrings.xml", BILLION_LAUGHS),
    (SHEET, EXTERNAL),
    (SHEET, b"<worksheet><sheetData><row>"),  # cut short
    ("xl/workbook.xml", b"\xff\xfe not xml at all"),
    ("[Content_Types].xml", b"<Types><Override"),
])
def test_xml_with_entities_or_malformed_is_refused(comune_a, submission_a, openpyxl_must_not_run, member, content):
    parsed = parse(comune_a, submission_a, replaced(workbook_bytes(), {member: content}))
    assert len(parsed.errors) == 1
    assert "XML non validi o non ammessi" in parsed.errors[0].message


def test_openpyxl_parses_with_defusedxml():
    """The second line of defence, should a member reach openpyxl unchecked."""
    assert openpyxl.DEFUSEDXML is True


def test_a_damaged_workbook_that_passes_the_checks_is_still_a_400(comune_a, submission_a):
    """openpyxl raises TypeError, KeyError... on attributes it does not expect."""
    broken = b'<worksheet ' + NS + b'><sheetViews><sheetView zoomScale="enorme"/></sheetViews></worksheet>'
    parsed = parse(comune_a, submission_a, replaced(workbook_bytes(), {SHEET: broken}))
    assert "non è un vero file Excel" in parsed.errors[0].message


def test_a_good_workbook_still_imports(comune_a, officer_a, submission_a):
    with acting_for(comune_a):
        imports.import_file(submission_a, upload(workbook_bytes()), officer_a)
        assert DataValue.objects.get(element__code="certificati").value == 10


def test_the_import_page_refuses_a_bomb_with_400_and_writes_nothing(client, comune_a, officer_a, campaign):
    client.force_login(officer_a)
    response = client.post(reverse("benchmarking:import", args=[campaign.public_id]),
                           {"file": upload(one_row_bomb(1_400_000))})
    assert response.status_code == 400
    assert "troppo grande una volta aperto" in response.content.decode()
    with acting_for(comune_a):
        assert not DataValue.objects.exists()
