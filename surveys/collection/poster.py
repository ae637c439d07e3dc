"""The public link as a QR code (SVG) and an A4 poster (PDF) for the counter.

The PDF is rendered by WeasyPrint from a template whose only outside resources
are the Titillium Web font files (the core's `qclub.pdf`, as every PDF): no network,
no other file. The QR code is drawn inline as SVG by segno."""

from __future__ import annotations

import io

import segno
from django.utils.safestring import mark_safe

from qclub.pdf import render_pdf


def qr_code(link: str) -> segno.QRCode:
    # Level M: still read when a corner is worn or covered.
    return segno.make(link, error="m", micro=False)


def qr_svg(link: str, *, title: str) -> bytes:
    """A stand-alone SVG file of the link's QR code."""
    buffer = io.BytesIO()
    qr_code(link).save(buffer, kind="svg", scale=10, border=4, title=title, xmldecl=True)
    return buffer.getvalue()


def poster_pdf(*, survey, municipality, link: str, short_link: str) -> bytes:
    """The A4 poster: the comune, the survey, the QR code, the link, privacy."""
    svg = qr_code(link).svg_inline(scale=10, border=2, omitsize=True, svgclass="qr")
    return render_pdf(
        "surveys/collection/poster.html",
        {
            "survey": survey,
            "municipality": municipality,
            "short_link": short_link,
            "qr": mark_safe(svg),  # noqa: S308 - segno's own SVG of our link
        },
    )
