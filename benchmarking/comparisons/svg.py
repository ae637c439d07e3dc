"""Charts drawn on the server as inline SVG, for PDF reports (and any page
that needs a chart without JavaScript).

Every piece of text is escaped; the SVG refers to nothing outside itself
(no fonts, images or stylesheets), so WeasyPrint fetches nothing to draw it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from benchmarking.periods import Period
from qclub.numbers import format_number

BAR = "#0066cc"
HIGHLIGHT = "#cc6f00"
MEDIAN = "#5c6f82"
BEST = "#008758"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    highlight: bool = False


def _x(value: Decimal, low: Decimal, high: Decimal, left: float, width: float) -> float:
    span = high - low
    return left if not span else left + float((value - low) / span) * width


def bar_chart(
    bars: list[Bar], *, median: Decimal | None = None, best: Decimal | None = None,
    decimals: int | None = None, title: str = "", median_label: str = "mediana",
    best_label: str = "migliore", width: int = 640,
) -> str:
    """Horizontal bars, one per comune, best first as given, with the median
    (dashed) and the best (solid) marked as vertical lines and named in a legend."""
    row, top, label_width, value_width = 18, 8, 170, 70
    legend = 22
    height = top + row * max(len(bars), 1) + legend + 6
    plot_left, plot_width = label_width, width - label_width - value_width
    values = [b.value for b in bars]
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values, *(v for v in (median, best) if v is not None)])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="sans-serif" font-size="10">',
        f"<title>{escape(title)}</title>",
    ]
    zero = _x(Decimal(0), low, high, plot_left, plot_width)
    for index, bar in enumerate(bars):
        y = top + index * row
        x = _x(bar.value, low, high, plot_left, plot_width)
        start, size = (zero, x - zero) if x >= zero else (x, zero - x)
        colour = HIGHLIGHT if bar.highlight else BAR
        weight = ' font-weight="bold"' if bar.highlight else ""
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 12}" text-anchor="end"{weight}>{escape(bar.label[:32])}</text>'
            f'<rect x="{start:.1f}" y="{y + 3}" width="{max(size, 0.5):.1f}" height="{row - 6}" fill="{colour}"/>'
            f'<text x="{max(x, zero) + 4:.1f}" y="{y + 12}"{weight}>{escape(format_number(bar.value, decimals))}</text>'
        )
    bottom = top + row * max(len(bars), 1)
    for value, colour, dash in ((median, MEDIAN, ' stroke-dasharray="4 3"'), (best, BEST, "")):
        if value is None:
            continue
        x = _x(value, low, high, plot_left, plot_width)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{colour}" stroke-width="1.5"{dash}/>'
        )
    legend_y = bottom + 16
    items = []
    if median is not None:
        items.append((MEDIAN, ' stroke-dasharray="4 3"', f"{median_label}: {format_number(median, decimals)}"))
    if best is not None:
        items.append((BEST, "", f"{best_label}: {format_number(best, decimals)}"))
    x = plot_left
    for colour, dash, text in items:
        parts.append(
            f'<line x1="{x}" y1="{legend_y - 4}" x2="{x + 18}" y2="{legend_y - 4}" stroke="{colour}" '
            f'stroke-width="1.5"{dash}/><text x="{x + 22}" y="{legend_y}">{escape(text)}</text>'
        )
        x += 180
    parts.append("</svg>")
    return "".join(parts)


def trend_text(trend: list[tuple[Period, Decimal | None]], decimals: int | None) -> str:
    """The figures of a trend as words ("2023: 1.111; 2024: 1.180"): a
    sparkline's text alternative."""
    return "; ".join(f"{p.label}: {format_number(v, decimals) if v is not None else '—'}" for p, v in trend)


def trend_sparkline(trend: list[tuple[Period, Decimal | None]], decimals: int | None, name: str = "") -> str:
    """A scorecard line's sparkline whose text alternative is its figures."""
    label = trend_text(trend, decimals)
    return sparkline([v for _p, v in trend], title=f"{name}: {label}" if name else label)


def sparkline(values: list[Decimal | None], *, width: int = 90, height: int = 22, title: str = "") -> str:
    """A small line of a comune's figures over the periods; gaps stay gaps,
    the last point is marked. Presentation attributes only (no style
    attribute), so a Content-Security-Policy without 'unsafe-inline' allows it."""
    known = [v for v in values if v is not None]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qc-sparkline" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" focusable="false"><title>{escape(title)}</title>'
    ]
    if known:
        low, high = min(known), max(known)
        step = (width - 6) / max(len(values) - 1, 1)

        def y(value: Decimal) -> float:
            return height / 2 if high == low else 3 + float((high - value) / (high - low)) * (height - 6)

        segment: list[str] = []
        segments = []
        for index, value in enumerate(values):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{3 + index * step:.1f},{y(value):.1f}")
        if segment:
            segments.append(segment)
        for points in segments:
            if len(points) > 1:
                parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{BAR}" stroke-width="1.5"/>')
        last = len(values) - 1 - next(i for i, v in enumerate(reversed(values)) if v is not None)
        parts.append(f'<circle cx="{3 + last * step:.1f}" cy="{y(values[last]):.1f}" r="2.5" fill="{HIGHLIGHT}"/>')
    parts.append("</svg>")
    return "".join(parts)
