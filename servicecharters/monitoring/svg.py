"""A standard's trend as a small inline SVG (no script, no style attribute:
the Content-Security-Policy allows it), hidden from screen readers: the page
shows the same figures in a table beside it (the title is a tooltip). Points
met are filled circles, points missed hollow squares, so the verdict is not
told by colour alone."""

from __future__ import annotations

from decimal import Decimal
from html import escape

LINE = "#0066cc"
MISSED = "#a61e34"


def sparkline(points: list[tuple[int, Decimal | None, bool | None]], *, title: str,
              width: int = 120, height: int = 32) -> str:
    """`points`: (year, value, met) oldest first; "" when fewer than two values."""
    known = [value for _year, value, _met in points if value is not None]
    if len(known) < 2:
        return ""
    low, high = min(known), max(known)
    step = (width - 8) / max(len(points) - 1, 1)

    def y(value: Decimal) -> float:
        return height / 2 if high == low else 4 + float((high - value) / (high - low)) * (height - 8)

    coordinates = [(4 + index * step, y(value), met) for index, (_y, value, met) in enumerate(points) if value is not None]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qc-sparkline" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-hidden="true" focusable="false"><title>{escape(title)}</title>',
        '<polyline fill="none" stroke="{}" stroke-width="1.5" points="{}"/>'.format(
            LINE, " ".join(f"{x:.1f},{yy:.1f}" for x, yy, _met in coordinates)
        ),
    ]
    for x, yy, met in coordinates:
        if met is False:
            parts.append(f'<rect x="{x - 3:.1f}" y="{yy - 3:.1f}" width="6" height="6" fill="#fff" stroke="{MISSED}" stroke-width="1.5"/>')
        else:
            parts.append(f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="3" fill="{LINE}"/>')
    parts.append("</svg>")
    return "".join(parts)
