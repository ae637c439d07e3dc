"""How every module's plotly charts look (moved here from benchmarking's
comparisons charts so that the surveys' charts share it): Bootstrap Italia's
font and colours, a white background, no legend unless asked, and Italian
figures — decimal comma, dot between thousands (`separators`), as in the
tables beside every chart. Drawn by static/js/charts.js."""

from __future__ import annotations

BLUE, RED, GREY, GREEN, DARK = "#0066cc", "#d1344c", "#8c9aa8", "#008055", "#17324d"


def base_layout(*, margin: dict | None = None) -> dict:
    """The common plotly layout; `margin` changes some of its sides."""
    return {
        "font": {"family": "Titillium Web, Geneva, Tahoma, sans-serif", "size": 13},
        "margin": {"l": 10, "r": 20, "t": 30, "b": 50, **(margin or {})},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "showlegend": False,
        "separators": ",.",
    }
