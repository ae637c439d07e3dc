"""A charter's PDF for citizens: the version in force with the comune's
identity, its sections, its standards and the latest published monitoring,
rendered by the core's `qclub.pdf` (WeasyPrint reading only the font files)
as a tagged PDF/UA-1 document whose title and language come from the HTML.

A published version never changes and its monitoring changes only when a
year's report is published, so the PDF is rendered once per version,
language and state of its published monitoring and kept in
MEDIA_ROOT/charter-pdfs/ (`<version uuid>-<language>-<stamp>.pdf`; older
files of the same version and language are removed when a new one is
written). Concurrent first requests wait on a PostgreSQL advisory lock and
then read the kept file: an anonymous page cannot make the server render the
same document over and over. The work of one rendering is bounded by the
version's size (seven sections of at most `MAX_SECTION_LENGTH` characters,
its standards) and the published years shown.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import translation

from qclub.pdf import ACCESSIBLE, render_pdf


def pdf_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "charter-pdfs"


def _stamp(context: dict) -> str:
    """What the document shows beyond the (unchanging) version: the comune's
    identity, the published monitoring and the addresses it writes out."""
    municipality = context["municipality"]
    reports = [(r.pk, r.published_at.isoformat() if r.published_at else "", r.summary)
               for r in context["monitoring"].reports]
    key = "|".join(map(str, (
        municipality.name, municipality.province, municipality.region, reports,
        context.get("page_url", ""), context["complaint_form_url"], context["satisfaction_url"],
    )))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def render_charter(context: dict) -> bytes:
    return render_pdf("servicecharters/public/pdf.html", {
        **context,
        "LANGUAGE_CODE": translation.get_language() or "it",
    }, variant=ACCESSIBLE)


def charter_pdf(context: dict) -> bytes:
    """The kept PDF of `views.charter_context(...)` for the version in force,
    rendered first if missing or out of date (no query but the lock)."""
    version = context["version"]
    language = (translation.get_language() or "it").split("-")[0]
    folder = pdf_dir()
    path = folder / f"{version.public_id}-{language}-{_stamp(context)}.pdf"
    if path.exists():
        return path.read_bytes()
    with connection.cursor() as cursor:
        # Held until the request's transaction ends: one rendering per version at a time.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"charter-pdf:{version.public_id}"])
    if path.exists():
        return path.read_bytes()
    pdf = render_charter(context)
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(pdf)
    partial.replace(path)
    for old in folder.glob(f"{version.public_id}-{language}-*.pdf"):
        if old != path:
            old.unlink(missing_ok=True)
    return pdf
