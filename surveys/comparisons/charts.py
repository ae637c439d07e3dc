"""The comparison's charts as plotly figures (plain dicts, sent as JSON and
drawn by static/js/charts.js with the bundled plotly.js), each with a sentence
saying what it shows; the table beside them is the full text alternative."""

from __future__ import annotations

import math
from collections import Counter
from decimal import Decimal

from django.utils.translation import gettext as _

from qclub.charts import BLUE, DARK, GREEN, GREY, base_layout
from qclub.charts import RED as VIEWER
from qclub.numbers import format_number
from surveys.comparisons.selectors import Comparison, Row

# Sample sizes named on the funnel plot's logarithmic axis.
TICKS = (10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)
LAYOUT = base_layout()


def _f(value) -> float | None:
    return None if value is None else float(value)


def _name(row: Row, *, with_title: bool = False) -> str:
    """The comune first (a phone shows only the end of a long label); the survey's
    title only where the comune has more than one survey in the comparison."""
    mark = "★ " if row.is_best else "▶ " if row.is_viewer else ""
    return f"{mark}{row.municipality.name} — {row.survey_title}" if with_title else f"{mark}{row.municipality.name}"


def dot_and_whisker(result: Comparison, rows: list[Row]) -> tuple[dict, str]:
    """Each comune's mean with its 95 % interval, best first; the viewer in
    another colour and ▶, the best performer ★ (never colour alone)."""
    surveys_per_comune = Counter(row.municipality.pk for row in rows)
    names = [_name(row, with_title=surveys_per_comune[row.municipality.pk] > 1) for row in rows]
    trace = {
        "type": "scatter", "mode": "markers", "orientation": "h",
        "x": [_f(row.mean) for row in rows], "y": names,
        "marker": {"size": 10, "color": [VIEWER if r.is_viewer else GREEN if r.is_best else BLUE for r in rows],
                   "symbol": ["star" if r.is_best else "circle" for r in rows]},
        "error_x": {
            "type": "data", "symmetric": False,
            "array": [_f(r.ci_high - r.mean) if r.ci_high is not None else 0 for r in rows],
            "arrayminus": [_f(r.mean - r.ci_low) if r.ci_low is not None else 0 for r in rows],
            "color": DARK, "thickness": 1.5, "width": 4,
        },
        "text": [
            f"{format_number(r.mean, 2)} ({format_number(r.ci_low, 2)}–{format_number(r.ci_high, 2)})" for r in rows
        ],
        "customdata": [row.survey_title for row in rows],
        "hovertemplate": "%{y} (%{customdata}): %{text}<extra></extra>",
    }
    shapes = []
    if result.theta is not None:
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": result.theta, "x1": result.theta,
                       "y0": 0, "y1": 1, "line": {"color": DARK, "dash": "dash", "width": 1}})
    layout = {
        **LAYOUT, "height": max(240, 30 * len(rows) + 90), "shapes": shapes,
        "yaxis": {"autorange": "reversed", "automargin": True},
        "xaxis": {"title": {"text": _("media e intervallo al 95 %")}, "tickformat": ",~f",
                  "gridcolor": "#e6e9f2"},
    }
    summary = _(
        "Grafico a punti e intervalli: la media di %(n)d indagini con il loro intervallo di confidenza al 95 %%; "
        "linea tratteggiata: media del club %(mean)s."
    ) % {"n": len(rows), "mean": format_number(_dec(result.theta), 2)}
    return {"data": [trace], "layout": layout}, summary


def funnel(result: Comparison) -> tuple[dict, str]:
    """Each comune's mean against its answers, with the club mean and the
    95 % and 99,8 % control limits (selectors/statistics), drawn from the
    comparison's cells (bounded), the viewer's surveys and the best performer."""
    data = []
    if result.curve:
        sizes = [limit.n for limit in result.curve]
        for attribute, dash, label in (
            ("high998", "dot", _("limite 99,8 %")), ("high95", "dash", _("limite 95 %")),
            ("low95", "dash", _("limite 95 %")), ("low998", "dot", _("limite 99,8 %")),
        ):
            data.append({
                "type": "scatter", "mode": "lines", "x": sizes,
                "y": [getattr(limit, attribute) for limit in result.curve], "name": label,
                "line": {"color": GREY, "dash": dash, "width": 1.5}, "hoverinfo": "skip",
            })
        data.append({
            "type": "scatter", "mode": "lines", "x": [sizes[0], sizes[-1]], "y": [result.theta, result.theta],
            "name": _("media del club"), "line": {"color": DARK, "width": 1}, "hoverinfo": "skip",
        })
    # Every other survey in cells (selectors.CELLS² points at most, whatever the
    # number of comuni): a larger marker for more surveys; a lone survey keeps its name.
    cells = result.funnel_cells
    data.append({
        "type": "scatter", "mode": "markers", "name": _("indagini"),
        "x": [round(cell.answers, 1) for cell in cells], "y": [round(cell.mean, 4) for cell in cells],
        "text": [cell.name or _("%(n)s indagini") % {"n": format_number(Decimal(cell.surveys))} for cell in cells],
        "hovertemplate": "%{text}: %{y:,.2f} (n = %{x:,.0f})<extra></extra>",
        "marker": {"color": BLUE, "opacity": 0.7,
                   "size": [round(min(24, 7 + 3 * math.log2(cell.surveys)), 1) for cell in cells]},
    })
    # The viewer's surveys and the best performer one by one, above the cells.
    marked = sorted({row.order: row for row in [*result.viewer_rows, *([result.best] if result.best else [])]}.values(),
                    key=lambda row: row.order)
    if marked:
        data.append({
            "type": "scatter", "mode": "markers", "name": _("il tuo comune e il migliore"),
            "x": [row.answers for row in marked], "y": [_f(row.mean) for row in marked],
            "text": [_name(row) for row in marked], "hovertemplate": "%{text}: %{y:,.2f} (n = %{x})<extra></extra>",
            "marker": {"size": 12, "color": [VIEWER if r.is_viewer else GREEN for r in marked],
                       "symbol": ["star" if r.is_best else "diamond" for r in marked],
                       "line": {"color": DARK, "width": 1}},
        })
    sizes = [limit.n for limit in result.curve] or [1]
    ticks = [n for n in TICKS if min(sizes) <= n <= max(sizes)]
    layout = {
        **LAYOUT, "height": 380,
        "xaxis": {"title": {"text": _("risposte (scala logaritmica)")}, "type": "log", "gridcolor": "#e6e9f2",
                  "tickvals": ticks, "ticktext": [format_number(Decimal(n)) for n in ticks]},
        "yaxis": {"title": {"text": _("media")}, "tickformat": ",~f", "gridcolor": "#e6e9f2", "automargin": True},
    }
    outside = sum(n for position, n in result.positions.items() if position.endswith("998"))
    summary = _(
        "Grafico a imbuto: la media di %(n)s indagini secondo il numero di risposte, con la media del club "
        "%(mean)s e i limiti di controllo al 95 %% e al 99,8 %%; %(outside)s fuori dai limiti del 99,8 %%."
    ) % {"n": format_number(Decimal(result.total)), "mean": format_number(_dec(result.theta), 2),
         "outside": format_number(Decimal(outside))}
    if len(cells) < result.total - len(marked):
        summary += " " + _("Le indagini vicine tra loro sono riunite in un solo punto, più grande quante più sono.")
    return {"data": data, "layout": layout}, summary


def _dec(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 4)))
