"""The one way benchmarking writes a table for a spreadsheet: the members
area's ranking export and the open-data CSV both go through `italian_csv`
(and the members area through `to_xlsx` for Excel's own format).

The CSV opens right in Italian Excel and LibreOffice by a double click:
UTF-8 with a byte-order mark (so the accents survive), ";" between fields,
CRLF line ends, figures with a decimal comma and no thousands separator
(`1234,5`: the separator Excel reads as a number in an Italian locale; a dot
would make it a date or a thousands group), an empty cell for no figure.
The file describes itself: the indicator's name, unit, period and direction
are columns of every row (tidy, so the file can be filtered and pivoted and
a program reads it without skipping a preamble). For programs, the open
data also offers JSON with decimal points (`opendata.selectors.dataset_json`).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _

from benchmarking.comparisons import standing
from benchmarking.models import IndicatorVersion


def rounded(value: Decimal | None, decimals: int | None) -> Decimal | None:
    """A figure to the indicator's decimals, as the tables show it."""
    if value is None or decimals is None:
        return value
    return value.quantize(Decimal(1).scaleb(-decimals))


def csv_cell(value) -> str:
    """Decimal comma for figures; a text that a spreadsheet would run as a
    formula is quoted with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    if isinstance(value, int | float):
        return str(value).replace(".", ",")
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def italian_csv(headers: list[str], rows: list[list]) -> bytes:
    """UTF-8 with BOM, ';', CRLF, decimal comma (see the module's docstring)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in headers])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(headers: list[str], rows: list[list], title: str) -> bytes:
    """The same table as an Excel workbook: figures as numbers, texts neutralised."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "Classifica"
    sheet.append(headers)
    for row in rows:
        sheet.append([float(cell) if isinstance(cell, Decimal) else csv_cell(cell) if isinstance(cell, str) else cell
                      for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def direction_text(version: IndicatorVersion | None) -> str:
    """"Più alto è meglio", "Più basso è meglio" or "Entro un intervallo obiettivo (8–25)"."""
    if version is None:
        return ""
    text = str(version.get_better_display())
    if standing.has_range(version):
        text = _("%(direction)s (%(range)s)") % {"direction": text, "range": standing.range_text(version)}
    return text
