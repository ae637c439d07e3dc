"""The results page's charts, built server-side as plotly figure specs (drawn by
static/js/charts.js), each with a sentence that says what it shows; the
tables beside them are the text alternative. Written as plain dicts (plotly's
JSON schema) rather than `plotly.graph_objects`: validating the figure objects
cost ~150 ms a chart, half the page's time budget."""

from __future__ import annotations

from django.utils.translation import gettext as _

from qclub.charts import BLUE, DARK, GREEN, GREY, RED, base_layout
from qclub.numbers import format_number

LAYOUT = base_layout()
SYMBOLS = {"improve": "triangle-down", "keep": "circle", "watch": "square", "surplus": "diamond"}
COLOURS = {"improve": RED, "keep": GREEN, "watch": GREY, "surplus": BLUE}


def _short(text: str, length: int = 48) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def means_chart(items) -> tuple[dict, str] | None:
    """Each scale item's mean, on 0–100, with its 95 % interval as error bars."""
    rows = []
    for item in items:
        result, question = item.overall, item.question
        if result is None or result.mean is None or question.scale_min is None:
            continue
        span = question.scale_max - question.scale_min

        def scaled(value, question=question, span=span):
            return None if value is None else 100.0 * (float(value) - question.scale_min) / span

        mean = scaled(result.mean)
        low, high = scaled(result.ci_low), scaled(result.ci_high)
        rows.append((_short(item.label), mean, (high - mean) if high is not None else 0,
                     (mean - low) if low is not None else 0))
    if not rows:
        return None
    figure = {
        "data": [{
            "type": "scatter", "mode": "markers",
            "x": [r[1] for r in rows], "y": [r[0] for r in rows],
            "marker": {"color": BLUE, "size": 10},
            "error_x": {"type": "data", "array": [r[2] for r in rows],
                        "arrayminus": [r[3] for r in rows], "color": DARK, "thickness": 1.5},
            "hovertemplate": "%{y}: %{x:,.1f}<extra></extra>",
        }],
        "layout": {
            **LAYOUT, "height": max(240, 34 * len(rows) + 90),
            "yaxis": {"autorange": "reversed", "automargin": True},
            "xaxis": {"range": [0, 100], "title": {"text": _("Media sulla scala da 0 a 100")},
                      "gridcolor": "#e6e9f2"},
        },
    }
    text = _("Media di ciascuna voce riportata su una scala da 0 a 100, con l'intervallo di confidenza al 95%%; %(n)d voci.") % {"n": len(rows)}
    return figure, text


def matrix_chart(matrix) -> tuple[dict, str] | None:
    """The importance–satisfaction matrix: one point per item, its quadrant as
    symbol and colour (and in the table), the thresholds as lines."""
    if not matrix.points:
        return None
    from surveys.results.selectors import QUADRANTS

    traces = []
    for quadrant, label in QUADRANTS.items():
        points = [p for p in matrix.points if p.quadrant == quadrant]
        if not points:
            continue
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": str(label),
            "x": [p.importance for p in points], "y": [p.satisfaction for p in points],
            "text": [_short(str(p.question), 28) for p in points], "textposition": "top center",
            "marker": {"symbol": SYMBOLS[quadrant], "color": COLOURS[quadrant], "size": 12},
            "hovertemplate": "%{text}: " + _("importanza") + " %{x:,.1f}, " + _("soddisfazione")
            + " %{y:,.1f}<extra></extra>",
        })
    line = {"type": "line", "line": {"dash": "dash", "color": DARK}}
    figure = {
        "data": traces,
        "layout": {
            **LAYOUT, "showlegend": True, "height": 460, "legend": {"orientation": "h", "y": -0.2},
            "xaxis": {"title": {"text": _("Importanza (0–100)")}, "gridcolor": "#e6e9f2"},
            "yaxis": {"title": {"text": _("Soddisfazione (0–100)")}, "gridcolor": "#e6e9f2"},
            "shapes": [
                {**line, "xref": "x", "yref": "paper", "x0": matrix.importance_threshold,
                 "x1": matrix.importance_threshold, "y0": 0, "y1": 1},
                {**line, "xref": "paper", "yref": "y", "y0": matrix.satisfaction_threshold,
                 "y1": matrix.satisfaction_threshold, "x0": 0, "x1": 1},
            ],
        },
    }
    improve = [str(p.question) for p in matrix.points if p.quadrant == "improve"]
    text = _("Matrice importanza–soddisfazione di %(n)d voci; soglie: importanza media %(x)s, soddisfazione media %(y)s.") % {
        "n": len(matrix.points),
        "x": format_number(_decimal(matrix.importance_threshold), 1),
        "y": format_number(_decimal(matrix.satisfaction_threshold), 1),
    }
    if improve:
        text += " " + _("Da migliorare per prime: %(items)s.") % {"items": ", ".join(improve)}
    return figure, text


def _decimal(value: float):
    from decimal import Decimal

    return Decimal(repr(value))
