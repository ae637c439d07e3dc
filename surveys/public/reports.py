"""A published survey's PDF report for citizens, rendered on request and kept.

A published survey's results change only when its results are recomputed, so
the PDF is rendered once per survey, language and version of its results and
kept in MEDIA_ROOT/survey-reports/ (`<survey uuid>-<language>-<stamp>.pdf`;
the older files of the same survey and language are removed when a new one is
written). Concurrent first requests for the same survey wait on a PostgreSQL
advisory lock and then read the kept file, so a report is rendered at most
once at a time per survey; the work is bounded by the questionnaire's size.

WeasyPrint renders our own HTML with fonts read from the bootstrap-italia
package or DejaVu and refuses every other resource (no network, no other
file): the core's `qclub.pdf`, as every PDF.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from qclub.numbers import format_number
from qclub.pdf import render_pdf
from surveys.models import Survey
from surveys.public import charts, selectors


def report_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "survey-reports"


def _stamp(survey: Survey, data: selectors.PublicResults) -> str:
    """What the report shows changes only with the survey's settings
    (revision), its recomputed results (their latest computation) or its
    approved comments."""
    latest = max((line.result.computed_at for line in data.items), default=None)
    key = f"{survey.revision}|{latest.isoformat() if latest else ''}|{len(data.items)}|{data.comments!r}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def items_svg(data: selectors.PublicResults) -> str:
    """The items' means with their intervals as a small inline SVG (the PDF's
    chart; its <title> names it, the table beside it holds the figures)."""
    lines = charts.charted(data.items)
    if not lines:
        return ""
    low, high = lines[0].question.scale_min, lines[0].question.scale_max
    width, label_w, row_h = 500, 200, 22
    plot_w = width - label_w - 20
    height = row_h * len(lines) + 30

    def x(value) -> float:
        return label_w + (float(value) - low) / (high - low) * plot_w

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img">',
        f"<title>{escape(_('Soddisfazione media per aspetto, con intervallo di confidenza al 95 %'))}</title>",
    ]
    for tick in range(low, high + 1):
        parts.append(f'<line x1="{x(tick):.1f}" y1="0" x2="{x(tick):.1f}" y2="{height - 20}" stroke="#e6e9f2"/>')
        parts.append(f'<text x="{x(tick):.1f}" y="{height - 6}" font-size="9" text-anchor="middle">{tick}</text>')
    for n, line in enumerate(lines):
        y = n * row_h + 14
        result = line.result
        parts.append(f'<text x="0" y="{y + 4}" font-size="9">{escape(line.text[:40])}</text>')
        if result.ci_low is not None and result.ci_high is not None:
            parts.append(f'<line x1="{x(result.ci_low):.1f}" y1="{y}" x2="{x(result.ci_high):.1f}" y2="{y}" '
                         'stroke="#17324d" stroke-width="1.5"/>')
        parts.append(f'<circle cx="{x(result.mean):.1f}" cy="{y}" r="4" fill="#0066cc"/>')
        parts.append(f'<text x="{x(result.mean) + 8:.1f}" y="{y - 5}" font-size="8">'
                     f'{escape(format_number(result.mean, 2))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_report(survey: Survey, data: selectors.PublicResults) -> bytes:
    return render_pdf("surveys/public/pdf_report.html", {
        "survey": survey, "municipality": survey.municipality, "data": data, "key": data.key,
        "chart": mark_safe(items_svg(data)),  # noqa: S308 - every text escaped in items_svg
        "generated_on": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        "LANGUAGE_CODE": translation.get_language(),
    })


def survey_pdf(survey: Survey) -> bytes:
    """The kept PDF of a published survey, rendered first if missing or out
    of date (call inside `selectors.public_read`)."""
    data = selectors.results_of(survey)
    language = (translation.get_language() or "it").split("-")[0]
    folder = report_dir()
    path = folder / f"{survey.public_id}-{language}-{_stamp(survey, data)}.pdf"
    if path.exists():
        return path.read_bytes()
    with connection.cursor() as cursor:
        # Held until the request's transaction ends: one rendering per survey at a time.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"survey-report:{survey.public_id}"])
    if path.exists():
        return path.read_bytes()
    pdf = render_report(survey, data)
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(pdf)
    partial.replace(path)
    for old in folder.glob(f"{survey.public_id}-{language}-*.pdf"):
        if old != path:
            old.unlink(missing_ok=True)
    return pdf
