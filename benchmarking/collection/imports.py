"""File import of a submission's figures: templates to fill in (CSV, XLSX) and
the reader that turns an uploaded file into entries for `services.save_values`.

No HTTP here: pages and jobs call `template_csv`, `template_xlsx`,
`parse_upload` and `import_file`, inside the tenancy context of the comune
the submission belongs to.

File format (one row per data element of the campaign):
``codice;dato;gruppo;unità;stato;valore;nota;stimato;giustificazione;versione``.
Only ``codice``, ``stato`` and ``valore`` are required; ``dato``, ``gruppo``
and ``unità`` are there for the reader and ignored on import. ``versione`` is
the version of each value when the template was made: a value changed since
is not overwritten (`services.is_stale`, as in the form and the API); a file
without it (made by hand, or an older template) is imported unchecked, and
the preview (`import_preview`) says so.

Rules a file can rely on:
* a row whose ``stato`` and ``valore`` are both empty leaves the figure as it
  is (a partly filled file never wipes what people entered); its nota,
  stimato and giustificazione change only if written;
* a data element missing from the file is left as it is;
* ``stato`` empty with a ``valore`` means "valore";
* numbers are read the Italian way (``1.234,5``), like the entry form.

Encoding: UTF-8, with or without BOM. Other encodings are refused with an
explanation rather than guessed: the files Excel writes as "CSV (delimitato
dal separatore di elenco)" are Windows-1252, but any byte sequence decodes as
Windows-1252 or Latin-1 (there is no reliable test), and a wrong guess would
store garbled notes silently. Saving as "CSV UTF-8" is one click away.

Spreadsheet safety: text cells (nota, giustificazione) starting with
= + - @ tab or CR, also after leading spaces or new lines, are refused, since a spreadsheet would run them as formulas
when the file is opened again; in XLSX every formula cell is refused. When
writing templates, any text starting with those characters is prefixed with
an apostrophe, and that apostrophe is removed again on import, so a round
trip keeps the text.
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

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from benchmarking.catalogue import selectors as catalogue
from benchmarking.collection import selectors, services, validation
from benchmarking.collection.services import ConcurrentEdit, Entry
from benchmarking.models import DataElement, DataValue, Submission
from qclub.numbers import NumberError, input_text, number_text, parse_boolean

State = DataValue.State

logger = logging.getLogger(__name__)

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# An XLSX is a zip of XML files: bounds checked before openpyxl parses anything
# (`_xlsx_refusal`). The template filled with 5,000 rows of long texts inflates
# to a few MB; a sheet of one row of a million cells to 38 MB.
MAX_XLSX_UNCOMPRESSED = 16 * 1024 * 1024  # the whole archive, inflated
MAX_XLSX_MEMBER = 12 * 1024 * 1024  # any one file inside it
MAX_XLSX_MEMBERS = 200
# Rows of a sheet, empty ones and instructions included, and its columns (the
# template has 9); openpyxl reads no further.
MAX_XLSX_LINES = MAX_ROWS + 200
MAX_XLSX_COLUMNS = 40
IMPORT_REASON = "import da file"

COLUMNS = ["codice", "dato", "gruppo", "unità", "stato", "valore", "nota", "stimato", "giustificazione", "versione"]
REQUIRED = ("codice", "stato", "valore")
TEXT_COLUMNS = ("nota", "giustificazione")
_COLUMN_ALIASES = {"unita": "unità", "unita'": "unità", "unità di misura": "unità"}

# How each state is written in a file (fixed Italian words: the file is a
# format, not an interface), and every spelling accepted back.
STATE_WORDS = {
    State.VALUE: "valore",
    State.MISSING: "non disponibile",
    State.NOT_APPLICABLE: "non applicabile",
    State.CONFIDENTIAL: "riservato",
}
_STATE_READ = {
    **{word: state for state, word in STATE_WORDS.items()},
    **{state.value: state for state in State},
    "n.d.": State.MISSING, "nd": State.MISSING, "n.a.": State.NOT_APPLICABLE, "na": State.NOT_APPLICABLE,
}
YES, NO = "sì", "no"

# What a spreadsheet reads as the start of a formula (OWASP "CSV injection"),
# also after leading blanks: spreadsheets skip them before "=".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BLANKS = " \t\r\n\u00a0"
COMMENT = "#"


@dataclass(frozen=True)
class ImportProblem:
    """One reason a file is refused: where (line, column) and why, in Italian."""

    line: int | None
    column: str
    message: str


@dataclass
class ParsedFile:
    entries: list[tuple[str, Entry]] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # where each code was read


class ImportRefused(Exception):
    """The file was not imported; nothing was written."""

    def __init__(self, errors: list[ImportProblem]):
        self.errors = errors
        super().__init__("; ".join(error.message for error in errors[:5]))


@dataclass
class ImportOutcome:
    changed: list[str]
    submission: Submission


# --- Writing templates ----------------------------------------------------------


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet could run `text` as a formula: it starts with one
    of FORMULA_STARTS, or with blanks (spaces, tabs, new lines) before one."""
    return text.startswith(FORMULA_STARTS) or text.lstrip(_BLANKS).startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """Text a spreadsheet will never run as a formula."""
    return "'" + text if runs_as_formula(text) else text


def instructions(submission: Submission) -> list[str]:
    return [
        _("Modello di importazione — %(campaign)s") % {"campaign": submission.campaign},
        _("Compila le colonne stato, valore, nota, stimato e giustificazione; non cambiare la colonna codice."),
        _("Stato: valore, non disponibile, non applicabile oppure riservato. Se scrivi un valore lo stato può restare vuoto."),
        _("Se stato e valore sono vuoti il dato resta com'è: nota, stimato e giustificazione cambiano solo se li scrivi."),
        _("Le righe che togli dal file non cambiano. Per cancellare un valore scrivi «non disponibile» e lascia vuoto il valore."),
        _("Numeri all'italiana (1.234,5). Stimato: sì oppure no. Nota e giustificazione non possono iniziare con = + - @."),
        _("Salva in formato CSV UTF-8 (separatore punto e virgola) oppure Excel .xlsx; al massimo 2 MB e 5.000 righe."),
        _("Non cambiare la colonna versione: dice quale valore avevi davanti. Se nel frattempo qualcuno lo ha "
          "modificato, quel valore non viene importato."),
    ]


def template_rows(submission: Submission) -> list[dict[str, str | Decimal | None]]:
    """One row per data element of the campaign, with the current figures."""
    # A submission not started yet (unsaved): its elements, empty, but for the
    # shared figures (the population) already entered in another area.
    rows = {row.element_id: row for row in selectors.submission_values(submission)}
    out: list[dict[str, str | Decimal | None]] = []
    for element in catalogue.campaign_elements(submission.campaign):
        row = rows.get(element.pk)
        state = row.state if row else State.MISSING
        out.append({
            "codice": element.code,
            "dato": element.name,
            "gruppo": element.group,
            "unità": element.unit,
            # "non disponibile" is the state of an untouched row: leave it empty,
            # so typing a figure is all it takes (empty state + value = value).
            "stato": "" if state == State.MISSING and not (row and row.justification) else STATE_WORDS[state],
            "valore": row.value if row and state == State.VALUE else None,
            "nota": row.note if row else "",
            "stimato": (YES if row.estimated else NO) if row else NO,
            "giustificazione": row.justification if row else "",
            # The version of the value the file was made from: the edit-conflict check.
            "versione": str(row.version) if row else "1",
        })
    return out


def _text_for_csv(element_kind: str | None, value) -> str:
    if isinstance(value, Decimal):
        if element_kind == DataElement.Kind.BOOLEAN:
            return YES if value else NO
        return input_text(value)
    return neutralise(value or "")


def template_csv(submission: Submission) -> bytes:
    """UTF-8 with BOM, ';' separator: what Excel in Italian opens as columns."""
    kinds = {element.code: element.kind for element in catalogue.campaign_elements(submission.campaign)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for line in instructions(submission):
        writer.writerow([f"{COMMENT} {line}"])
    writer.writerow(COLUMNS)
    for row in template_rows(submission):
        writer.writerow([_text_for_csv(kinds.get(row["codice"]), row[column]) for column in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(submission: Submission) -> bytes:
    """A workbook with the data sheet first (header on row 1) and the instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    kinds = {element.code: element.kind for element in catalogue.campaign_elements(submission.campaign)}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dati"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in template_rows(submission):
        values = []
        for column in COLUMNS:
            value = row[column]
            if isinstance(value, Decimal):
                values.append(value if kinds.get(row["codice"]) != DataElement.Kind.BOOLEAN else (YES if value else NO))
            else:
                values.append(neutralise(value or ""))
        sheet.append(values)
        # openpyxl would store a string starting with "=" as a formula: force text.
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for column, width in zip("ABCDEFGHIJ", (24, 40, 18, 10, 16, 14, 30, 9, 40, 9), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("Istruzioni")
    for line in instructions(submission):
        notes.append([line])
        notes.cell(row=notes.max_row, column=1).data_type = "s"
    notes.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading an upload -------------------------------------------------------------


def parse_upload(uploaded_file, submission: Submission) -> ParsedFile:
    """Read an uploaded CSV or XLSX into (code, Entry) pairs, or say everything
    that is wrong with it (line, column, reason). Nothing is written here."""
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_BYTES:
        return _refused(_("Il file è troppo grande (%(mb)s MB): il limite è 2 MB.") % {"mb": _megabytes(size)})
    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return _refused(_("Il file è troppo grande: il limite è 2 MB."))
    if not data:
        return _refused(_("Il file è vuoto."))
    name = (getattr(uploaded_file, "name", "") or "").lower()
    if name.endswith(".xls"):
        return _refused(_("Il formato .xls (Excel 97-2003) non è supportato: salva il file come .xlsx o CSV UTF-8."))
    if name.endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        table = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")) or not name:
        table = _read_csv(data)
    else:
        return _refused(_("Carica un file CSV (.csv) o Excel (.xlsx)."))
    if isinstance(table, ParsedFile):
        return table
    return _entries_from(table, submission)


def import_file(submission: Submission, uploaded_file, user) -> ImportOutcome:
    """Parse and save the whole file, all or nothing (raises ImportRefused).
    A submission not started yet (unsaved) is created by the save.

    A whole-file import sets what the file says, except that rows with empty
    stato and valore leave the figure unchanged, and a value changed since the
    template was made (its «versione») is refused, as the form and the API
    refuse it (`services.is_stale`). The pages go through `import_preview`,
    which shows the differences first.
    """
    parsed = parse_upload(uploaded_file, submission)
    if parsed.errors:
        raise ImportRefused(parsed.errors)
    return save_parsed(submission, parsed, user)


def save_parsed(submission: Submission, parsed: ParsedFile, user) -> ImportOutcome:
    """Save a file's entries, all or nothing (ImportRefused says why, by line)."""
    try:
        outcome = services.save_values(submission, dict(parsed.entries), user, reason=IMPORT_REASON)
    except ValidationError as error:
        raise ImportRefused(_problems_from(error, parsed.lines)) from None
    except ConcurrentEdit as conflict:
        raise ImportRefused([
            ImportProblem(parsed.lines.get(code), "valore", _(
                "Il valore è stato modificato da qualcun altro dopo che hai scaricato il modello: "
                "scarica un modello aggiornato."
            ))
            for code in conflict.codes
        ]) from None
    return ImportOutcome(changed=outcome.changed, submission=outcome.submission)


# --- Internals ---------------------------------------------------------------------


@dataclass
class _Table:
    """Rows as text cells with their line numbers, after the header."""

    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]
    errors: list[ImportProblem] = field(default_factory=list)


def _refused(message: str, line: int | None = None, column: str = "") -> ParsedFile:
    return ParsedFile(errors=[ImportProblem(line, column, message)])


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def _too_many_rows() -> ParsedFile:
    return _refused(_("Il file ha più di %(n)s righe di dati: dividilo in più file.") % {"n": "5.000"})


def _read_csv(data: bytes) -> _Table | ParsedFile:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return _refused(
            _("Il file non è in UTF-8 (forse è stato salvato come «CSV (delimitato dal separatore di "
              "elenco)»). In Excel scegli File › Salva con nome › «CSV UTF-8 (delimitato da virgole)» "
              "e caricalo di nuovo."),
            line=line,
        )
    if "\x00" in text:
        return _refused(_("Il file contiene caratteri non validi: non sembra un CSV di testo."))
    lines = text.splitlines()
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith(COMMENT)), "")
    delimiter = ";" if ";" in first or "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            line = reader.line_num
            if header is None:
                if not any(cell.strip() for cell in cells) or cells[0].lstrip().startswith(COMMENT):
                    continue
                header, header_line = cells, line
                continue
            if not any(cell.strip() for cell in cells):
                continue
            rows.append((line, cells))
            if len(rows) > MAX_ROWS:
                return _too_many_rows()
    except csv.Error as error:
        return _refused(_("Il CSV non è leggibile: %(reason)s.") % {"reason": error}, line=reader.line_num)
    if header is None:
        return _refused(_("Il file non ha la riga di intestazione (codice;stato;valore;...)."))
    return _Table(header=header, header_line=header_line, rows=rows)


def _read_xlsx(data: bytes) -> _Table | ParsedFile:
    """The first sheet's rows, read by openpyxl (streaming, read-only) only after
    `_xlsx_refusal` has checked the archive: what it would inflate to and the
    shape of every sheet, so a small file cannot make the server work long."""
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        refusal = _xlsx_refusal(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        return _refused(_not_xlsx_message())
    if refusal is not None:
        return refusal
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list[str]]] = []
    errors: list[ImportProblem] = []
    workbook = None
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
            sheet.iter_rows(max_row=MAX_XLSX_LINES, max_col=MAX_XLSX_COLUMNS), start=1
        ):
            texts = []
            for index, cell in enumerate(cells):
                if getattr(cell, "data_type", None) == "f":
                    column = header[index] if header and index < len(header) else str(index + 1)
                    errors.append(ImportProblem(line, column, _(
                        "La cella contiene una formula: scrivi il valore, non la formula."
                    )))
                    texts.append("")
                else:
                    try:
                        texts.append(_cell_text(cell.value))
                    except NumberError as error:
                        column = header[index] if header and index < len(header) else str(index + 1)
                        errors.append(ImportProblem(line, column, str(error)))
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
                return _too_many_rows()
    except Exception:  # noqa: BLE001 - see above
        logger.info("xlsx import: openpyxl could not read the workbook", exc_info=True)
        return _refused(_not_xlsx_message())
    finally:
        if workbook is not None:
            workbook.close()
    if header is None:
        return _refused(_("Il primo foglio non ha la riga di intestazione (codice, stato, valore, ...)."))
    return _Table(header=header, header_line=header_line, rows=rows, errors=errors)


def _not_xlsx_message() -> str:
    return _("Il file non è un vero file Excel .xlsx (forse è stato rinominato): "
             "aprilo in Excel e salvalo come .xlsx, oppure carica un CSV UTF-8.")


def _xlsx_refusal(archive: zipfile.ZipFile) -> ParsedFile | None:
    """Why this archive will not be handed to openpyxl, or None.

    Checked before any parsing, with bounded memory and time:
    * the sizes the archive declares (zipfile stops at the declared size and
      fails on a member that inflates further, so they cannot lie), in total
      and per member;
    * every XML member is well formed and declares no DTD or entity (an
      .xlsx never has one; entities are how "billion laughs" bombs work);
    * every sheet has at most MAX_XLSX_LINES rows, empty ones included, and
      cells only within the first MAX_XLSX_COLUMNS columns, counted while
      streaming, so a one-row sheet of a million cells is refused at the
      first cell past the limit.
    """
    from defusedxml import DefusedXmlException

    members = archive.infolist()
    if len(members) > MAX_XLSX_MEMBERS or "xl/workbook.xml" not in archive.namelist():
        return _refused(_not_xlsx_message())
    if sum(member.file_size for member in members) > MAX_XLSX_UNCOMPRESSED or any(
        member.file_size > MAX_XLSX_MEMBER for member in members
    ):
        return _refused(_(
            "Il file Excel è troppo grande una volta aperto (oltre %(mb)s MB): lascia nel file "
            "solo il foglio del modello, al massimo 5.000 righe."
        ) % {"mb": MAX_XLSX_UNCOMPRESSED // (1024 * 1024)})
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        is_sheet = member.filename.startswith("xl/worksheets/")
        try:
            with archive.open(member) as stream:
                problem = _sheet_shape_problem(stream) if is_sheet else _xml_problem(stream)
        except (DefusedXmlException, ParseError):
            return _refused(_(
                "Il file Excel contiene dati XML non validi o non ammessi: aprilo in Excel, "
                "salvalo di nuovo come .xlsx e riprova."
            ))
        if problem is not None:
            return _refused(problem)
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


def _sheet_shape_problem(stream) -> str | None:
    """Count a sheet's rows and cells while streaming it; the refusal message
    as soon as a bound is passed."""
    from defusedxml.ElementTree import iterparse

    too_many_rows = _(
        "Il foglio ha più di %(n)s righe, contando anche quelle vuote: cancella le righe in "
        "fondo al foglio o dividi il file."
    ) % {"n": _thousands(MAX_XLSX_LINES)}
    too_wide = _(
        "Il foglio usa più di %(n)s colonne: lascia solo le colonne del modello."
    ) % {"n": MAX_XLSX_COLUMNS}
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
                if cells_in_row > MAX_XLSX_COLUMNS or (ref and _column_index(ref.group(1)) > MAX_XLSX_COLUMNS):
                    return too_wide
                if ref and not _within(ref.group(2), MAX_XLSX_LINES):
                    return too_many_rows
            elif tag == "dimension":
                # openpyxl pads every row up to the declared dimension.
                last = (element.get("ref") or "").rpartition(":")[2]
                ref = _CELL_REF.match(last)
                if ref and _column_index(ref.group(1)) > MAX_XLSX_COLUMNS:
                    return too_wide
                if ref and not _within(ref.group(2), MAX_XLSX_LINES):
                    return too_many_rows
        else:
            element.clear()
    return None


def _within(number: str, limit: int) -> bool:
    return number.isdigit() and len(number) <= 9 and int(number) <= limit


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _cell_text(value) -> str:
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


def _column_name(cell: str) -> str:
    name = cell.replace("\ufeff", "").strip().lower()
    return _COLUMN_ALIASES.get(name, name)


def _entries_from(table: _Table, submission: Submission) -> ParsedFile:
    parsed = ParsedFile(errors=list(table.errors))
    columns = [_column_name(cell) for cell in table.header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        parsed.errors.append(ImportProblem(table.header_line, ", ".join(missing), _(
            "Mancano le colonne obbligatorie: %(columns)s. La prima riga deve contenere "
            "i nomi delle colonne del modello."
        ) % {"columns": ", ".join(missing)}))
        return parsed
    index = {name: columns.index(name) for name in COLUMNS if name in columns}
    rows = {
        row.element.code: row
        for row in DataValue.objects.filter(submission=submission).select_related("element")
    } if submission.pk else {}
    elements = {element.code: element for element in catalogue.campaign_elements(submission.campaign)}
    seen: dict[str, int] = {}
    for line, cells in table.rows:
        def cell(name: str, cells=cells) -> str | None:
            """The cell's text, or None when the file has no such column."""
            if name not in index:
                return None
            position = index[name]
            return cells[position] if position < len(cells) else ""

        errors: list[ImportProblem] = []
        code = (cell("codice") or "").strip()
        if not code:
            parsed.errors.append(ImportProblem(line, "codice", _("Manca il codice del dato.")))
            continue
        element = elements.get(code)
        if element is None:
            parsed.errors.append(ImportProblem(line, "codice", _(
                "Il codice «%(code)s» non fa parte di questa campagna."
            ) % {"code": code[:60]}))
            continue
        if code in seen:
            parsed.errors.append(ImportProblem(line, "codice", _(
                "Il codice «%(code)s» è già alla riga %(line)s: ogni dato una riga sola."
            ) % {"code": code, "line": seen[code]}))
            continue
        seen[code] = line
        texts: dict[str, str | None] = {}
        for name in TEXT_COLUMNS:
            raw = cell(name)
            if raw is not None and raw.startswith("'") and runs_as_formula(raw[1:]):
                raw = raw[1:]  # our own neutralising apostrophe (see template_*)
            elif raw is not None and runs_as_formula(raw):
                first = raw.lstrip(_BLANKS)[:1] if raw.lstrip(_BLANKS)[:1] in FORMULA_STARTS else raw[0]
                errors.append(ImportProblem(line, name, _(
                    "Il testo inizia con «%(char)s»: un foglio di calcolo lo eseguirebbe come formula. "
                    "Togli il carattere iniziale o mettici davanti un apostrofo."
                ) % {"char": {"\t": _("tabulazione"), "\r": _("a capo")}.get(first, first)}))
                raw = None
            texts[name] = raw.strip() if raw is not None else None
        state_text = (cell("stato") or "").strip().lower()
        value_text = (cell("valore") or "").strip()
        current = rows.get(code)
        unchanged = not state_text and not value_text
        state = value = None
        if not unchanged:
            if state_text and state_text not in _STATE_READ:
                errors.append(ImportProblem(line, "stato", _(
                    "Stato «%(state)s» non valido: scrivi valore, non disponibile, non applicabile o riservato."
                ) % {"state": state_text[:40]}))
            else:
                try:
                    state, value = validation.read_entry(element, _STATE_READ.get(state_text, State.VALUE), value_text)
                except NumberError as error:
                    errors.append(ImportProblem(line, "valore", str(error)))
                else:
                    for message in validation.hard_errors(element, state, value):
                        errors.append(ImportProblem(line, "valore", message))
        estimated_text = (cell("stimato") or "").strip()
        estimated = current.estimated if current else False
        if estimated_text:
            try:
                estimated = bool(parse_boolean(estimated_text))
            except NumberError:
                errors.append(ImportProblem(line, "stimato", _("Stimato: scrivi sì oppure no.")))
        elif not unchanged and "stimato" in index:
            estimated = False
        seen_version = None
        version_text = (cell("versione") or "").strip()
        if version_text:
            if version_text.isdigit() and len(version_text) < 10:
                seen_version = int(version_text)
            else:
                errors.append(ImportProblem(line, "versione", _(
                    "La versione è un numero intero scritto nel modello: non cambiarla."
                )))
        note = texts["nota"]
        justification = texts["giustificazione"]
        for name, message in services.text_errors(note=note, justification=justification).items():
            errors.append(ImportProblem(line, {"note": "nota", "justification": "giustificazione"}[name], message))
        if errors:
            parsed.errors.extend(errors)
            continue

        if unchanged:
            state = current.state if current else State.MISSING
            value = current.value if current else None
        parsed.entries.append((code, Entry(
            state=state, value=value,
            note=_kept(note, current.note if current else "", unchanged),
            estimated=estimated,
            justification=_kept(justification, current.justification if current else "", unchanged),
            seen_version=seen_version,
        )))
        parsed.lines[code] = line
    return parsed


def _kept(text: str | None, before: str, unchanged: bool) -> str:
    """Absent column, or empty cell on an "unchanged" row: keep what is there."""
    return before if text is None or (unchanged and not text) else text


def _problems_from(error: ValidationError, lines: dict[str, int]) -> list[ImportProblem]:
    if hasattr(error, "error_dict"):
        return [
            ImportProblem(lines.get(code), "valore" if code in lines else "", message)
            for code, messages in error.message_dict.items()
            for message in messages
        ]
    return [ImportProblem(None, "", message) for message in error.messages]
