"""A charter's PDF for citizens: the version in force with the comune's
identity, its sections, its standards and the latest published monitoring,
rendered by the core's `qclub.pdf` (WeasyPrint reading only the font files)
as a tagged PDF/UA-1 document whose title and language come from the HTML.
The work is bounded by the version's size (seven sections of at most
`MAX_SECTION_LENGTH` characters, its standards) and the published years shown."""

from __future__ import annotations

from django.utils import formats, timezone, translation

from qclub.pdf import ACCESSIBLE, render_pdf


def charter_pdf(context: dict) -> bytes:
    """The PDF of `views.charter_context(...)` (already read: no query here)."""
    return render_pdf("servicecharters/public/pdf.html", {
        **context,
        "generated_on": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        "LANGUAGE_CODE": translation.get_language() or "it",
    }, variant=ACCESSIBLE)
