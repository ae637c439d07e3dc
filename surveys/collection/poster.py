"""The public link as a QR code (SVG) and an A4 poster (PDF) for the counter.

The PDF is rendered by WeasyPrint from a template whose only outside resources
are the Titillium Web font files (as the benchmarking reports do): no network,
no other file. The QR code is drawn inline as SVG by segno."""

from __future__ import annotations

import io
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher

FONT_DIR = Path(settings.BASE_DIR) / "node_modules" / "bootstrap-italia" / "dist" / "fonts" / "Titillium_Web"
SYSTEM_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def qr_code(link: str) -> segno.QRCode:
    # Level M: still read when a corner is worn or covered.
    return segno.make(link, error="m", micro=False)


def qr_svg(link: str, *, title: str) -> bytes:
    """A stand-alone SVG file of the link's QR code."""
    buffer = io.BytesIO()
    qr_code(link).save(buffer, kind="svg", scale=10, border=4, title=title, xmldecl=True)
    return buffer.getvalue()


class _FontsOnly(URLFetcher):
    """WeasyPrint may read the font files and nothing else."""

    roots = (FONT_DIR, SYSTEM_FONT_DIR)

    def fetch(self, url, headers=None):
        if not url.startswith("file:"):
            raise ValueError(f"refused non-local resource: {url[:80]}")
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not any(path.is_relative_to(root.resolve()) for root in self.roots):
            raise ValueError(f"refused file outside the font folders: {path}")
        return super().fetch(path.as_uri(), headers)


def _font_faces() -> str:
    rules = []
    for weight, name in ((400, "regular"), (600, "600"), (700, "700")):
        path = FONT_DIR / f"titillium-web-v10-latin-ext_latin-{name}.ttf"
        if path.exists():
            rules.append(
                f'@font-face {{ font-family: "Titillium Web"; font-weight: {weight}; '
                f'src: url("{path.as_uri()}") format("truetype"); }}'
            )
    return "\n".join(rules)


def poster_pdf(*, survey, municipality, link: str, short_link: str) -> bytes:
    """The A4 poster: the comune, the survey, the QR code, the link, privacy."""
    svg = qr_code(link).svg_inline(scale=10, border=2, omitsize=True, svgclass="qr")
    html = render_to_string(
        "surveys/collection/poster.html",
        {
            "survey": survey,
            "municipality": municipality,
            "short_link": short_link,
            "qr": mark_safe(svg),  # noqa: S308 - segno's own SVG of our link
            "font_faces": mark_safe(_font_faces()),  # noqa: S308 - our own CSS
        },
    )
    return HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=_FontsOnly()).write_pdf()
