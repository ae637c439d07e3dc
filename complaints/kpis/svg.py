"""The KPI page's trend chart, drawn on the server as inline SVG (no script,
no style attribute: presentation attributes only). The table beside it holds
the same figures; the chart's <title> and <desc> say them too."""

from __future__ import annotations

from decimal import Decimal
from html import escape

LINE = "#0066cc"
GRID = "#c5c7c9"


def _fmt(value: Decimal) -> str:
    return f"{value:.1f}".replace(".", ",")


def trend_chart(points: list[tuple[int, Decimal | None]], *, title: str, unit: str = "", width: int = 560,
                height: int = 200) -> str:
    """A line over the years (a gap where a year has no figure), each point labelled."""
    known = [(year, value) for year, value in points if value is not None]
    if len(points) < 1 or not known:
        return ""
    left, right, top, bottom = 48, 16, 16, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    high = max(v for _, v in known) or Decimal(1)
    high = high * Decimal("1.15")
    step = plot_w / max(len(points) - 1, 1)

    def xy(index: int, value: Decimal) -> tuple[float, float]:
        return left + index * step if len(points) > 1 else left + plot_w / 2, top + plot_h - float(value / high) * plot_h

    desc = "; ".join(f"{year}: {_fmt(value)}{unit}" for year, value in known)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="qc-trend" font-family="sans-serif" font-size="11">',
        f'<title>{escape(title)}</title><desc>{escape(desc)}</desc>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{GRID}"/>',
    ]
    segment: list[str] = []
    for index, (year, value) in enumerate(points):
        x = left + index * step if len(points) > 1 else left + plot_w / 2
        parts.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" fill="#1a1a1a">{year}</text>')
        if value is None:
            if len(segment) > 1:
                parts.append(f'<polyline fill="none" stroke="{LINE}" stroke-width="2" points="{" ".join(segment)}"/>')
            segment = []
            continue
        px, py = xy(index, value)
        segment.append(f"{px:.1f},{py:.1f}")
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{LINE}"/>')
        parts.append(f'<text x="{px:.1f}" y="{py - 8:.1f}" text-anchor="middle" fill="#1a1a1a">{escape(_fmt(value))}</text>')
    if len(segment) > 1:
        parts.append(f'<polyline fill="none" stroke="{LINE}" stroke-width="2" points="{" ".join(segment)}"/>')
    parts.append("</svg>")
    return "".join(parts)
