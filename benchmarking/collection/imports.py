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
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from benchmarking.catalogue import selectors as catalogue
from benchmarking.collection import selectors, services, validation
from benchmarking.collection.services import ConcurrentEdit, Entry
from benchmarking.models import DataElement, DataValue, Submission
from qclub import tabular
from qclub.numbers import NumberError, input_text, parse_boolean

# The reader's bounds and the spreadsheet-safety rules live in the core reader,
# shared with the surveys' import (re-exported for this module's callers).
from qclub.tabular import (  # noqa: F401
    COMMENT,
    FORMULA_STARTS,
    MAX_BYTES,
    MAX_ROWS,
    MAX_XLSX_COLUMNS,
    MAX_XLSX_LINES,
    MAX_XLSX_MEMBER,
    NO,
    YES,
    neutralise,
    runs_as_formula,
)

State = DataValue.State


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

# One reason a file is refused: where (line, column) and why, in Italian.
ImportProblem = tabular.Problem


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
    that is wrong with it (line, column, reason). Nothing is written here. The
    file itself is read by the core's safe reader (`qclub.tabular`)."""
    try:
        table = tabular.read_upload(uploaded_file, header_hint=_("codice, stato, valore, ..."))
    except tabular.FileRefused as refused:
        return ParsedFile(errors=list(refused.problems))
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


def _column_name(cell: str) -> str:
    name = cell.replace("\ufeff", "").strip().lower()
    return _COLUMN_ALIASES.get(name, name)


def _entries_from(table: tabular.Table, submission: Submission) -> ParsedFile:
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
                errors.append(ImportProblem(line, name, _(
                    "Il testo inizia con «%(char)s»: un foglio di calcolo lo eseguirebbe come formula. "
                    "Togli il carattere iniziale o mettici davanti un apostrofo."
                ) % {"char": tabular.formula_char(raw)}))
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
