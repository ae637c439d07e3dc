"""How any module writes a table for a spreadsheet (moved from benchmarking's
comparisons exports so that surveys use the same rule).

The CSV opens right in Italian Excel and LibreOffice by a double click:
UTF-8 with a byte-order mark (so the accents survive), ";" between fields,
CRLF line ends, figures with a decimal comma and no thousands separator
(`1234,5`: the separator Excel reads as a number in an Italian locale), an
empty cell for no figure, «sì»/«no» for a yes or no, and a text that a spreadsheet would run as a formula
quoted with an apostrophe (`qclub.tabular.neutralise`: blanks before the
sign too). `italian_csv_lines` yields the same file line by line,
for a streamed response. `to_xlsx` writes the same table as an Excel workbook
(figures as numbers)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from qclub.tabular import neutralise


def csv_cell(value) -> str:
    """Decimal comma for figures; a text that a spreadsheet would run as a
    formula is quoted with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("sì") if value else _("no")
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    if isinstance(value, int | float):
        return str(value).replace(".", ",")
    text = str(value)
    return neutralise(text)


def italian_csv(headers: list[str], rows: Iterable[list]) -> bytes:
    """UTF-8 with BOM, ';', CRLF, decimal comma (see the module's docstring)."""
    return b"".join(italian_csv_lines(headers, rows))


def italian_csv_lines(headers: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """The same file as `italian_csv`, one encoded line at a time (the BOM first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def line(cells) -> bytes:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(cell) for cell in cells])
        return buffer.getvalue().encode("utf-8")

    yield "\ufeff".encode()
    yield line(headers)
    for row in rows:
        yield line(row)


def xlsx_cell(cell):
    if isinstance(cell, Decimal):
        return float(cell)
    if isinstance(cell, str):
        return csv_cell(cell)
    return cell


def to_xlsx(headers: list[str], rows: Iterable[list], title: str, *, default_title: str = "Foglio1") -> bytes:
    """The same table as an Excel workbook: figures as numbers, texts neutralised
    (written in openpyxl's write-only mode, so memory stays flat)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or default_title)
    sheet.append(list(headers))
    for row in rows:
        sheet.append([xlsx_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
