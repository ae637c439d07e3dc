"""Charts of the members area, built server-side as plotly figures and sent
to the page as JSON (drawn by static/js/charts.js with the bundled
plotly.js). Each figure comes with a sentence that says what it shows: the
text alternative beside the data table."""

from __future__ import annotations

import json
from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from benchmarking.comparisons import standing
from benchmarking.comparisons.selectors import Ranking, TrendPoint
from qclub.charts import BLUE, DARK, GREEN, GREY, base_layout
from qclub.charts import RED as VIEWER
from qclub.numbers import format_number

LAYOUT = base_layout(margin={"b": 40})


def _number_format(decimals: int | None) -> str:
    """d3 format of a figure with the indicator's decimals (the separators come
    from the layout): `,.1f` -> 1.234,5."""
    return f",.{decimals}f" if decimals is not None else ",~f"


def _axis(decimals: int | None) -> dict:
    """Ticks without superfluous zeros (1.000, 2.500), hover with the indicator's decimals."""
    return {"tickformat": ",~f", "hoverformat": _number_format(decimals)}


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _as_dict(figure: go.Figure) -> dict:
    return json.loads(figure.to_json())


def ranking_bar(result: Ranking, decimals: int, only: set[int] | None = None) -> tuple[dict, str]:
    """Horizontal bars best first, the viewer in another colour (and marked
    with a ▶ in its label, so colour is not the only cue), median and best as
    lines; `only` limits the bars to the comuni of the table page shown."""
    rows = [r for r in result.rows if only is None or r.municipality.pk in only]
    names = [("▶ " if r.is_viewer else "") + r.municipality.name for r in rows]
    colours = [VIEWER if r.is_viewer else BLUE if r.in_basis else GREY for r in rows]
    figure = go.Figure(go.Bar(
        x=[_f(r.value) for r in rows], y=names, orientation="h", marker_color=colours,
        text=[format_number(r.value, decimals) for r in rows], textposition="auto",
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    stats = result.stats
    if result.has_range:
        # No single best (see `standing`): the target range is drawn instead.
        figure.add_vrect(x0=float(result.version.band_low), x1=float(result.version.band_high),
                         fillcolor=GREEN, opacity=0.12, line_width=0,
                         annotation_text=_("intervallo obiettivo"), annotation_position="top left")
    if stats.median is not None:
        figure.add_vline(x=float(stats.median), line_dash="dash", line_color=DARK,
                         annotation_text=_("mediana"), annotation_position="top")
    if not result.suppressed and stats.best is not None:
        figure.add_vline(x=float(stats.best), line_dash="dot", line_color=GREEN,
                         annotation_text=_("migliore"), annotation_position="top left")
    figure.update_layout(**LAYOUT, height=max(260, 28 * len(rows) + 80))
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(title_text=result.version.unit if result.version else "", gridcolor="#e6e9f2",
                        **_axis(decimals))
    viewer = next((r for r in rows if r.is_viewer), None)
    summary = _("Grafico a barre dei %(n)d comuni mostrati, dal migliore; mediana %(median)s.") % {
        "n": len(rows), "median": format_number(stats.median, decimals),
    }
    if not result.suppressed and stats.best is not None:
        summary += " " + _("Valore migliore %(best)s.") % {"best": format_number(stats.best, decimals)}
    if result.has_range:
        summary += " " + _("Intervallo obiettivo %(range)s.") % {"range": result.range_text}
    if viewer is not None:
        summary += " " + _("Il tuo comune: %(value)s.") % {"value": format_number(viewer.value, decimals)}
    return _as_dict(figure), summary


def distribution(result: Ranking, decimals: int) -> tuple[dict, str]:
    """Box plot of the statistics the server computed (`ResultSummary`'s and
    the tables' percentile_cont quartiles, minimum and maximum: plotly is not
    let to compute its own), every comune of the basis a point below it."""
    basis = [r for r in result.rows if r.in_basis]
    stats = result.stats
    figure = go.Figure()
    if stats.reported:
        figure.add_trace(go.Box(
            y=[0], q1=[_f(stats.q1)], median=[_f(stats.median)], q3=[_f(stats.q3)],
            lowerfence=[_f(stats.minimum)], upperfence=[_f(stats.maximum)], mean=[_f(stats.mean)],
            orientation="h", name="", fillcolor="#dce6f2", line_color=DARK, hoverinfo="x",
        ))
    if len(basis) <= 300:  # every comune a point up to a few hundred; beyond, the box alone
        figure.add_trace(go.Scatter(
            x=[_f(r.value) for r in basis], y=[-0.45] * len(basis), mode="markers",
            marker={"color": BLUE, "size": 7, "opacity": 0.7},
            text=[f"{r.municipality.name}: {format_number(r.value, decimals)}" for r in basis],
            hovertemplate="%{text}<extra></extra>",
        ))
    figure.update_layout(**LAYOUT, height=220)
    figure.update_xaxes(title_text=result.version.unit if result.version else "", gridcolor="#e6e9f2",
                        **_axis(decimals))
    figure.update_yaxes(showticklabels=False, range=[-0.8, 0.6], zeroline=False, showgrid=False)
    summary = _(
        "Distribuzione di %(n)d valori: minimo %(min)s, primo quartile %(q1)s, mediana %(median)s, "
        "terzo quartile %(q3)s, massimo %(max)s."
    ) % {
        "n": stats.reported, "min": format_number(stats.minimum, decimals), "q1": format_number(stats.q1, decimals),
        "median": format_number(stats.median, decimals), "q3": format_number(stats.q3, decimals),
        "max": format_number(stats.maximum, decimals),
    }
    return _as_dict(figure), summary


def trend_lines(points: list[TrendPoint], comuni, decimals: int, version=None) -> tuple[dict, str]:
    """One line per comune, the club median dashed and the best dotted; for a
    range indicator (no best, see `standing`) the target range as a band."""
    periods = [p.period.label for p in points]
    figure = go.Figure()
    palette = [VIEWER, BLUE, "#a66300", "#5c2f91", "#00796b"]
    for position, comune in enumerate(comuni):
        figure.add_trace(go.Scatter(
            x=periods, y=[_f(p.values.get(comune.pk)) for p in points], name=comune.name,
            mode="lines+markers", line={"color": palette[position % len(palette)], "width": 3},
        ))
    figure.add_trace(go.Scatter(x=periods, y=[_f(p.median) for p in points], name=_("Mediana del club"),
                                mode="lines+markers", line={"color": DARK, "dash": "dash"}))
    figure.add_trace(go.Scatter(x=periods, y=[_f(p.best) for p in points], name=_("Migliore"),
                                mode="lines+markers", line={"color": GREEN, "dash": "dot"}))
    figure.update_layout(**{**LAYOUT, "showlegend": True}, height=360, legend={"orientation": "h", "y": -0.2})
    if standing.has_range(version):
        figure.add_hrect(y0=float(version.band_low), y1=float(version.band_high), fillcolor=GREEN, opacity=0.12,
                         line_width=0, annotation_text=_("intervallo obiettivo"), annotation_position="top left")
    figure.update_xaxes(type="category")
    figure.update_yaxes(gridcolor="#e6e9f2", **_axis(decimals))
    summary = _("Andamento di %(comuni)s dal %(first)s al %(last)s, con la mediana del club e il valore migliore.") % {
        "comuni": ", ".join(c.name for c in comuni), "first": periods[0] if periods else "—",
        "last": periods[-1] if periods else "—",
    }
    return _as_dict(figure), summary
