"""Reading an uploaded CSV or XLSX file safely: one reader for every file import
(benchmarking's figures, surveys' answers), so the resource limits and the
spreadsheet-safety rules live in one place.

`read_upload(uploaded_file)` returns a `Table` (the header row, then each
non-empty row as text cells with its line number) or raises `FileRefused`
with the reasons, in Italian. It never writes anything and knows nothing of
what the columns mean: each module turns the cells into its own entries.

Bounds (a small file can never make the server work long):
* at most `MAX_BYTES` (2 MB) read, at most `MAX_ROWS` data rows, rows at most
  `max_columns` wide (40 unless the caller says);
* an .xlsx is checked before openpyxl parses anything (`xlsx_refusal`): the
  sizes the archive declares once inflated, in total and per member; every XML
  member well formed and without a DTD or entities (defusedxml: "billion
  laughs"); rows and cells of every sheet counted while streaming;
* formula cells in an .xlsx are refused (their cached value is not trusted).

CSV: UTF-8, with or without BOM. Other encodings are refused with an
explanation rather than guessed: the files Excel writes as "CSV (delimitato
dal separatore di elenco)" are Windows-1252, but any byte sequence decodes as
Windows-1252 or Latin-1 (there is no reliable test), and a wrong guess would
store garbled text silently. Saving as "CSV UTF-8" is one click away. The
separator is sniffed on the header line: semicolon (Italian Excel), comma
(most survey tools) or tab, whichever the header uses most outside quotes.

Spreadsheet safety of texts: `runs_as_formula` says whether a spreadsheet
would run a text as a formula (it starts with = + - @ tab or CR, also after
leading blanks); `neutralise` prefixes such a text with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _

from qclub.numbers import NumberError, number_text

logger = logging.getLogger(__name__)

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# An XLSX is a zip of XML files: bounds checked before openpyxl parses anything
# (`xlsx_refusal`). A template filled with 5,000 rows of long texts inflates
# to a few MB; a sheet of one row of a million cells to 38 MB.
MAX_XLSX_UNCOMPRESSED = 16 * 1024 * 1024  # the whole archive, inflated
MAX_XLSX_MEMBER = 12 * 1024 * 1024  # any one file inside it
MAX_XLSX_MEMBERS = 200
# Rows of a sheet, empty ones and instructions included, and its columns;
# openpyxl reads no further.
MAX_XLSX_LINES = MAX_ROWS + 200
MAX_XLSX_COLUMNS = 40

# What a spreadsheet reads as the start of a formula (OWASP "CSV injection"),
# also after leading blanks: spreadsheets skip them before "=".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BLANKS = " \t\r\n\u00a0"
COMMENT = "#"
YES, NO = "sì", "no"


@dataclass(frozen=True)
class Problem:
    """One reason a file (or one of its cells) is refused: where (line, column)
    and why, in Italian."""

    line: int | None
    column: str
    message: str


class FileRefused(Exception):
    """The file cannot be read at all; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems[:5]))


@dataclass
class Table:
    """Rows as text cells with their line numbers, after the header. `errors`:
    cells that could not be read (formulas, impossible numbers), by line."""

    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]
    errors: list[Problem] = field(default_factory=list)


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet could run `text` as a formula: it starts with one
    of FORMULA_STARTS, or with blanks (spaces, tabs, new lines) before one."""
    return text.startswith(FORMULA_STARTS) or text.lstrip(BLANKS).startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """Text a spreadsheet will never run as a formula."""
    return "'" + text if runs_as_formula(text) else text


def formula_char(text: str) -> str:
    """The character that makes `text` a formula, named for a clerk."""
    stripped = text.lstrip(BLANKS)[:1]
    first = stripped if stripped in FORMULA_STARTS else text[:1]
    return {"\t": _("tabulazione"), "\r": _("a capo")}.get(first, first)


def read_upload(uploaded_file, *, header_hint: str = "", max_columns: int = MAX_XLSX_COLUMNS) -> Table:
    """The uploaded CSV or XLSX as a Table, or FileRefused saying why.

    Lines before the header that are empty or start with "#" are skipped (the
    instructions of a template); empty rows after it too. `header_hint`
    (e.g. "codice, stato, valore, ...") completes the message of a file
    without a header row. `max_columns`: the widest row read (an answer export
    has a column per question; the bound still holds the inflated size)."""
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_BYTES:
        _refuse(_("Il file è troppo grande (%(mb)s MB): il limite è 2 MB.") % {"mb": _megabytes(size)})
    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        _refuse(_("Il file è troppo grande: il limite è 2 MB."))
    if not data:
        _refuse(_("Il file è vuoto."))
    name = (getattr(uploaded_file, "name", "") or "").lower()
    if name.endswith(".xls"):
        _refuse(_("Il formato .xls (Excel 97-2003) non è supportato: salva il file come .xlsx o CSV UTF-8."))
    if name.endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, header_hint, max_columns)
    if name.endswith((".csv", ".txt")) or not name:
        return _read_csv(data, header_hint, max_columns)
    _refuse(_("Carica un file CSV (.csv) o Excel (.xlsx)."))
    raise AssertionError  # unreachable: _refuse raises


# --- Internals ---------------------------------------------------------------------


def _refuse(message: str, line: int | None = None, column: str = ""):
    raise FileRefused([Problem(line, column, message)])


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def _too_many_rows():
    _refuse(_("Il file ha più di %(n)s righe di dati: dividilo in più file.") % {"n": _thousands(MAX_ROWS)})


def _separator(line: str) -> str:
    """The header line's separator: ; , or tab, the most used outside quotes
    (semicolon on a tie, as Italian Excel writes)."""
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts.values())
    if best == 0:
        return ";"
    return next(sep for sep in (";", ",", "\t") if counts[sep] == best)


def _read_csv(data: bytes, header_hint: str, max_columns: int) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        _refuse(
            _("Il file non è in UTF-8 (forse è stato salvato come «CSV (delimitato dal separatore di "
              "elenco)»). In Excel scegli File › Salva con nome › «CSV UTF-8 (delimitato da virgole)» "
              "e caricalo di nuovo."),
            line=line,
        )
    if "\x00" in text:
        _refuse(_("Il file contiene caratteri non validi: non sembra un CSV di testo."))
    lines = text.splitlines()
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith(COMMENT)), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(first))
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            line = reader.line_num
            if len(cells) > max_columns:
                _refuse(_too_wide(max_columns), line=line)
            if header is None:
                if not any(cell.strip() for cell in cells) or cells[0].lstrip().startswith(COMMENT):
                    continue
                header, header_line = cells, line
                continue
            if not any(cell.strip() for cell in cells):
                continue
            rows.append((line, cells))
            if len(rows) > MAX_ROWS:
                _too_many_rows()
    except csv.Error as error:
        _refuse(_("Il CSV non è leggibile: %(reason)s.") % {"reason": error}, line=reader.line_num)
    if header is None:
        _refuse(_("Il file non ha la riga di intestazione%(hint)s.") % {"hint": f" ({header_hint})" if header_hint else ""})
    return Table(header=header, header_line=header_line, rows=rows)


def _read_xlsx(data: bytes, header_hint: str, max_columns: int) -> Table:
    """The first sheet's rows, read by openpyxl (streaming, read-only) only after
    `xlsx_refusal` has checked the archive: what it would inflate to and the
    shape of every sheet, so a small file cannot make the server work long."""
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        refusal = xlsx_refusal(archive, max_columns=max_columns)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        refusal = _not_xlsx_message()
    if refusal is not None:
        _refuse(refusal)
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list[str]]] = []
    errors: list[Problem] = []
    workbook = None
    too_many = False
    # openpyxl raises almost anything on a damaged workbook (ParseError, TypeError
    # from its descriptors, KeyError, ...): whatever it raises here means "not a
    # readable workbook", never a server error. The archive was checked above.
    try:
        # read_only streams the rows; data_only=False keeps formulas visible, so
        # they can be refused instead of trusting a cached result.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        # Bounds even if the sheet's <dimension> lies: openpyxl pads missing rows
        # and cells up to them.
        for line, cells in enumerate(
            sheet.iter_rows(max_row=MAX_XLSX_LINES, max_col=max_columns), start=1
        ):
            texts = []
            for index, cell in enumerate(cells):
                if getattr(cell, "data_type", None) == "f":
                    column = header[index] if header and index < len(header) else str(index + 1)
                    errors.append(Problem(line, column, _(
                        "La cella contiene una formula: scrivi il valore, non la formula."
                    )))
                    texts.append("")
                else:
                    try:
                        texts.append(cell_text(cell.value))
                    except NumberError as error:
                        column = header[index] if header and index < len(header) else str(index + 1)
                        errors.append(Problem(line, column, str(error)))
                        texts.append("")
            if header is None:
                if not any(text.strip() for text in texts) or texts[0].lstrip().startswith(COMMENT):
                    continue
                header, header_line = texts, line
                continue
            if not any(text.strip() for text in texts):
                continue
            rows.append((line, texts))
            if len(rows) > MAX_ROWS:
                too_many = True
                break
    except Exception:  # noqa: BLE001 - see above
        logger.info("xlsx import: openpyxl could not read the workbook", exc_info=True)
        _refuse(_not_xlsx_message())
    finally:
        if workbook is not None:
            workbook.close()
    if too_many:
        _too_many_rows()
    if header is None:
        _refuse(_("Il primo foglio non ha la riga di intestazione%(hint)s.") % {"hint": f" ({header_hint})" if header_hint else ""})
    return Table(header=header, header_line=header_line, rows=rows, errors=errors)


def _not_xlsx_message() -> str:
    return _("Il file non è un vero file Excel .xlsx (forse è stato rinominato): "
             "aprilo in Excel e salvalo come .xlsx, oppure carica un CSV UTF-8.")


def xlsx_refusal(archive: zipfile.ZipFile, *, max_columns: int = MAX_XLSX_COLUMNS) -> str | None:
    """Why this archive will not be handed to openpyxl (the Italian message), or None.

    Checked before any parsing, with bounded memory and time:
    * the sizes the archive declares (zipfile stops at the declared size and
      fails on a member that inflates further, so they cannot lie), in total
      and per member;
    * every XML member is well formed and declares no DTD or entity (an
      .xlsx never has one; entities are how "billion laughs" bombs work);
    * every sheet has at most MAX_XLSX_LINES rows, empty ones included, and
      cells only within the first `max_columns` columns, counted while
      streaming, so a one-row sheet of a million cells is refused at the
      first cell past the limit.
    """
    from defusedxml import DefusedXmlException

    members = archive.infolist()
    if len(members) > MAX_XLSX_MEMBERS or "xl/workbook.xml" not in archive.namelist():
        return _not_xlsx_message()
    if sum(member.file_size for member in members) > MAX_XLSX_UNCOMPRESSED or any(
        member.file_size > MAX_XLSX_MEMBER for member in members
    ):
        return _(
            "Il file Excel è troppo grande una volta aperto (oltre %(mb)s MB): lascia nel file "
            "solo il foglio dei dati, al massimo %(rows)s righe."
        ) % {"mb": MAX_XLSX_UNCOMPRESSED // (1024 * 1024), "rows": _thousands(MAX_ROWS)}
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        is_sheet = member.filename.startswith("xl/worksheets/")
        try:
            with archive.open(member) as stream:
                problem = _sheet_shape_problem(stream, max_columns) if is_sheet else _xml_problem(stream)
        except (DefusedXmlException, ParseError):
            return _(
                "Il file Excel contiene dati XML non validi o non ammessi: aprilo in Excel, "
                "salvalo di nuovo come .xlsx e riprova."
            )
        if problem is not None:
            return problem
    return None


def _xml_problem(stream) -> None:
    """Parse the whole member, keeping nothing: raises on malformed XML or a DTD."""
    from defusedxml.ElementTree import iterparse

    for _event, element in iterparse(stream, events=("end",), forbid_dtd=True):
        element.clear()
    return None


_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index


def _sheet_shape_problem(stream, max_columns: int) -> str | None:
    """Count a sheet's rows and cells while streaming it; the refusal message
    as soon as a bound is passed."""
    from defusedxml.ElementTree import iterparse

    too_many_rows = _(
        "Il foglio ha più di %(n)s righe, contando anche quelle vuote: cancella le righe in "
        "fondo al foglio o dividi il file."
    ) % {"n": _thousands(MAX_XLSX_LINES)}
    too_wide = _too_wide(max_columns)
    rows = 0
    cells_in_row = 0
    for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
        tag = element.tag.rpartition("}")[2]
        if event == "start":
            if tag == "row":
                rows += 1
                cells_in_row = 0
                number = element.get("r")
                if rows > MAX_XLSX_LINES or (number is not None and not _within(number, MAX_XLSX_LINES)):
                    return too_many_rows
            elif tag == "c":
                cells_in_row += 1
                ref = _CELL_REF.match(element.get("r") or "")
                if cells_in_row > max_columns or (ref and _column_index(ref.group(1)) > max_columns):
                    return too_wide
                if ref and not _within(ref.group(2), MAX_XLSX_LINES):
                    return too_many_rows
            elif tag == "dimension":
                # openpyxl pads every row up to the declared dimension.
                last = (element.get("ref") or "").rpartition(":")[2]
                ref = _CELL_REF.match(last)
                if ref and _column_index(ref.group(1)) > max_columns:
                    return too_wide
                if ref and not _within(ref.group(2), MAX_XLSX_LINES):
                    return too_many_rows
        else:
            element.clear()
    return None


def _too_wide(max_columns: int) -> str:
    return _("Il foglio usa più di %(n)s colonne: lascia solo le colonne dei dati.") % {"n": max_columns}


def _within(number: str, limit: int) -> bool:
    return number.isdigit() and len(number) <= 9 and int(number) <= limit


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def cell_text(value) -> str:
    """A spreadsheet cell as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        # Through Decimal and back to Italian writing: 1.234 (a float) must
        # not be read as "one thousand two hundred thirty-four". A cell of
        # 1E+400 is a float infinity: number_text refuses it (NumberError).
        return number_text(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
