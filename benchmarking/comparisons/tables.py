"""The members area's tables: a ranking as plain rows (one shape for the page
table, the CSV/XLSX export and the API) and the django-tables2 table of the
page, which shows the context beside each comune. Reads are in `selectors`."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benchmarking.comparisons.selectors import Ranking, RankingRow
from benchmarking.models import ContextValue
from benchmarking.numbers import format_number


def _row(row: RankingRow) -> dict:
    m = row.municipality
    return {
        "rank": row.rank, "comune": m.name, "slug": m.slug, "value": row.value, "quartile": row.quartile,
        "from_best": row.from_best, "from_median": row.from_median, "change": row.change,
        "in_basis": row.in_basis, "is_viewer": row.is_viewer, "municipality_id": m.pk,
    }


def ranking_rows(result: Ranking) -> list[dict]:
    return [_row(row) for row in result.rows]


def not_applicable_rows(result: Ranking) -> list[dict]:
    return [{**_row(row), "reason": row.reason} for row in result.not_reported]


# --- The page table ----------------------------------------------------------------


class FigureColumn(tables.Column):
    """A figure the Italian way (1.234,5), signed when it is a difference."""

    def __init__(self, *args, signed=False, **kwargs):
        self.signed = signed
        super().__init__(*args, **kwargs)

    def render(self, value, table):
        text = format_number(value, table.decimals)
        return f"+{text}" if self.signed and value > 0 else text


class RankingTable(tables.Table):
    rank = tables.Column(verbose_name=gettext_lazy("Posizione"), default="—")
    comune = tables.Column(verbose_name=gettext_lazy("Comune"))
    value = FigureColumn(verbose_name=gettext_lazy("Valore"), default="—")
    quartile = tables.Column(verbose_name=gettext_lazy("Quartile"), default="—")
    from_best = FigureColumn(verbose_name=gettext_lazy("Distanza dal migliore"), default="—")
    from_median = FigureColumn(verbose_name=gettext_lazy("Distanza dalla mediana"), default="—", signed=True)
    change = FigureColumn(verbose_name=gettext_lazy("Variazione sul periodo precedente"), default="—", signed=True)

    class Meta:
        template_name = "django_tables2/bootstrap5.html"
        order_by_field = "ordina"
        attrs = {"class": "table table-sm table-hover qc-ranking-table", "id": "ranking-table"}
        row_attrs = {
            "class": lambda record: "qc-viewer fw-bold" if record["is_viewer"] else None,
            "aria-current": lambda record: "true" if record["is_viewer"] else None,
        }

    def __init__(self, data, *, decimals: int, context: dict[int, list[ContextValue]], **kwargs):
        self.decimals = decimals
        self.descriptors = context
        super().__init__(data, **kwargs)

    def render_comune(self, value, record):
        name = format_html("{}", value)
        if record["is_viewer"]:
            name = format_html('{} <span class="visually-hidden">{}</span>', value, _("(il tuo comune)"))
        if not record["in_basis"]:
            name = format_html('{} <span class="small fw-normal">{}</span>', name, _("(fuori dal gruppo delle statistiche)"))
        descriptors = self.descriptors.get(record["municipality_id"])
        if not descriptors:
            return name
        items = format_html_join("", "<li><strong>{}</strong>: {}</li>", ((d.key, d.value) for d in descriptors))
        return format_html(
            '{}<details class="qc-context small fw-normal"><summary>{}</summary><ul class="mb-0">{}</ul></details>',
            name, _("Contesto"), items,
        )

    def render_quartile(self, value):
        return format_html("{}°", value)


# --- Export -------------------------------------------------------------------------

EXPORT_COLUMNS = ("rank", "comune", "value", "quartile", "from_best", "from_median", "change")


def _safe_text(value):
    """Numbers stay numbers; a text that a spreadsheet would run as a formula is quoted."""
    if isinstance(value, Decimal):
        return value
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_table(result: Ranking) -> tuple[list[str], list[list]]:
    headers = [str(RankingTable.base_columns[name].verbose_name) for name in EXPORT_COLUMNS]
    rows = [[_safe_text(row[name]) for name in EXPORT_COLUMNS] for row in ranking_rows(result)]
    for row in not_applicable_rows(result):
        rows.append(["", _safe_text(row["comune"]), _("non applicabile") if row["reason"] == "not_applicable"
                     else _safe_text(row["reason"]), "", "", "", ""])
    return headers, rows


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets Excel read the accents


def to_xlsx(headers: list[str], rows: list[list], title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "Classifica"
    sheet.append(headers)
    for row in rows:
        sheet.append([float(cell) if isinstance(cell, Decimal) else cell for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
