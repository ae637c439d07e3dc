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

from decimal import Decimal

from django.utils.translation import gettext as _

from benchmarking.comparisons import standing
from benchmarking.models import IndicatorVersion
from qclub.exports import csv_cell, italian_csv  # noqa: F401  (moved to the core)
from qclub.exports import to_xlsx as _to_xlsx


def rounded(value: Decimal | None, decimals: int | None) -> Decimal | None:
    """A figure to the indicator's decimals, as the tables show it."""
    if value is None or decimals is None:
        return value
    return value.quantize(Decimal(1).scaleb(-decimals))


def to_xlsx(headers: list[str], rows: list[list], title: str) -> bytes:
    """The same table as an Excel workbook: figures as numbers, texts neutralised."""
    return _to_xlsx(headers, rows, title, default_title="Classifica")


def direction_text(version: IndicatorVersion | None) -> str:
    """"Più alto è meglio", "Più basso è meglio" or "Entro un intervallo obiettivo (8–25)"."""
    if version is None:
        return ""
    text = str(version.get_better_display())
    if standing.has_range(version):
        text = _("%(direction)s (%(range)s)") % {"direction": text, "range": standing.range_text(version)}
    return text
