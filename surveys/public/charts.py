"""The public results page's chart: each rating item's mean with its 95 %
confidence interval (plotly, drawn by static/js/charts.js), with a sentence
saying what it shows; the table below it is the text alternative."""

from __future__ import annotations

from django.utils.translation import gettext as _

from qclub.charts import BLUE, DARK, base_layout
from qclub.numbers import format_number
from surveys.models import QuestionKind
from surveys.public.selectors import ItemLine

LAYOUT = base_layout(margin={"t": 20})


def charted(items: list[ItemLine]) -> list[ItemLine]:
    """The items drawn: satisfaction on the same scale as most of them (the
    recommendation, on 0–10, is told by its net promoter score instead)."""
    ratings = [i for i in items if i.question.kind == QuestionKind.RATING and not i.is_recommend
               and i.result.mean is not None]
    if not ratings:
        return []
    scales = [(i.question.scale_min, i.question.scale_max) for i in ratings]
    common = max(set(scales), key=scales.count)
    return [i for i in ratings if (i.question.scale_min, i.question.scale_max) == common]


def items_chart(items: list[ItemLine]) -> tuple[dict | None, str]:
    lines = charted(items)
    if not lines:
        return None, ""
    low, high = lines[0].question.scale_min, lines[0].question.scale_max
    trace = {
        "type": "scatter", "mode": "markers", "orientation": "h",
        "x": [float(i.result.mean) for i in lines], "y": [i.text for i in lines],
        "marker": {"size": 11, "color": BLUE},
        "error_x": {
            "type": "data", "symmetric": False,
            "array": [float(i.result.ci_high - i.result.mean) if i.result.ci_high is not None else 0 for i in lines],
            "arrayminus": [float(i.result.mean - i.result.ci_low) if i.result.ci_low is not None else 0 for i in lines],
            "color": DARK, "thickness": 1.5, "width": 4,
        },
        "text": [format_number(i.result.mean, 2) for i in lines],
        "hovertemplate": "%{y}: %{text}<extra></extra>",
    }
    layout = {
        **LAYOUT, "height": max(220, 36 * len(lines) + 90),
        "yaxis": {"autorange": "reversed", "automargin": True},
        "xaxis": {"range": [low - 0.2, high + 0.2], "dtick": 1, "gridcolor": "#e6e9f2",
                  "title": {"text": _("media (%(low)d–%(high)d)") % {"low": low, "high": high}}},
    }
    summary = _(
        "Grafico a punti: la soddisfazione media per %(n)d aspetti del servizio, su una scala da %(low)d a "
        "%(high)d, con il loro intervallo di confidenza al 95 %%."
    ) % {"n": len(lines), "low": low, "high": high}
    return {"data": [trace], "layout": layout}, summary
