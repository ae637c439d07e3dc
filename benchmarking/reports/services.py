"""PDF reports of the members area: the club's benchmarking report of an area
and period, and one comune's scorecard.

The figures come from `benchmarking.comparisons` (the same reads as the
pages) inside the club scope; the charts are inline SVG drawn here
(`benchmarking.svg`); WeasyPrint renders the HTML with fonts read from the
bootstrap-italia package and refuses any other resource.

A report may take seconds, so pages start it in a background thread that
writes MEDIA_ROOT/reports/<job>.pdf and a small progress file <job>.json
({status, done, total, error, user}); the page polls it. No table is needed:
the files are the state, and the user id in the JSON decides who may fetch it.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from benchmarking.comparisons import selectors as comparisons
from benchmarking.comparisons.svg import Bar, bar_chart, sparkline
from benchmarking.models import Campaign, Indicator, IndicatorVersion
from benchmarking.numbers import format_number
from benchmarking.periods import Period
from qclub.models import Municipality, ThematicArea
from qclub.tenancy import SCOPE_CLUB, acting_for, cross_tenant

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

AREA, SCORECARD = "area", "scorecard"

FONT_DIR = Path(settings.BASE_DIR) / "node_modules" / "bootstrap-italia" / "dist" / "fonts" / "Titillium_Web"
SYSTEM_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


# --- Rendering ----------------------------------------------------------------


class LocalFontFetcher(URLFetcher):
    """Lets WeasyPrint read the font files and nothing else: no network, no
    other file of the server (a figure's text can never pull in a resource)."""

    allowed_roots = (FONT_DIR, SYSTEM_FONT_DIR)

    def fetch(self, url, headers=None):
        if not url.startswith("file:"):
            raise ValueError(f"refused non-local resource: {url[:80]}")
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not any(path.is_relative_to(root.resolve()) for root in self.allowed_roots):
            raise ValueError(f"refused file outside the font folders: {path}")
        return super().fetch(path.as_uri(), headers)


def font_faces() -> str:
    """@font-face rules for Titillium Web, by file:// URL (DejaVu Sans is the fallback)."""
    rules = []
    for weight, style, name in (
        (400, "normal", "regular"), (400, "italic", "italic"), (600, "normal", "600"), (700, "normal", "700"),
    ):
        path = FONT_DIR / f"titillium-web-v10-latin-ext_latin-{name}.ttf"
        if path.exists():
            rules.append(
                f'@font-face {{ font-family: "Titillium Web"; font-weight: {weight}; font-style: {style}; '
                f'src: url("{path.as_uri()}") format("truetype"); }}'
            )
    return "\n".join(rules)


def render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, {**context, "font_faces": mark_safe(font_faces())})  # noqa: S308 - our own CSS
    return HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=LocalFontFetcher()).write_pdf()


def long_date(day: datetime.date) -> str:
    """"26 novembre 2026": Italian writes month names in lower case."""
    month = formats.date_format(day, "F")
    if translation.get_language() and translation.get_language().startswith("it"):
        month = month.lower()
    return f"{day.day} {month} {day.year}"


# --- The club's report of an area and period ----------------------------------


@dataclass
class IndicatorSection:
    indicator: Indicator
    version: IndicatorVersion
    ranking: comparisons.Ranking
    chart: str


def report_indicators(area: ThematicArea, period: Period) -> list[Indicator]:
    """The campaign's indicators for the period, else the area's active ones."""
    campaign = Campaign.objects.filter(
        area=area, period_year=period.year, period_kind=period.kind, period_index=period.index
    ).first()
    indicators = campaign.indicators.all() if campaign else Indicator.objects.filter(area=area, is_active=True)
    return list(indicators.order_by("position", "code"))


def ranking_chart(result: comparisons.Ranking) -> str:
    decimals = result.version.decimals if result.version else None
    bars = [Bar(row.municipality.name, row.value, row.is_viewer) for row in result.rows if row.value is not None]
    return bar_chart(
        bars, median=result.stats.median, best=None if result.suppressed else result.stats.best,
        decimals=decimals, title=_("Graduatoria: %(name)s") % {"name": result.indicator.name},
        median_label=_("mediana"), best_label=_("migliore"),
    )


def area_report(
    area: ThematicArea, period: Period, *, user, viewer: Municipality | None, progress: Progress | None = None,
) -> dict:
    """Everything the area report shows, read in the club scope (run it acting
    for the viewer's comune, whose own figures are highlighted)."""
    indicators = report_indicators(area, period)
    total = len(indicators) + 1
    sections = []
    with cross_tenant(scope=SCOPE_CLUB, reason=f"rapporto PDF {area.code} {period.code}", acting_user=user):
        for done, indicator in enumerate(indicators, start=1):
            result = comparisons.ranking(indicator, period, viewer=viewer)
            if result.version is not None:
                sections.append(IndicatorSection(indicator, result.version, result, mark_safe(ranking_chart(result))))  # noqa: S308 - escaped in svg.py
            if progress:
                progress(done, total)
    return {
        "area": area, "period": period, "sections": sections, "viewer": viewer,
        "generated_on": long_date(timezone.localdate()), "min_reporters": comparisons.min_reporters(),
        "running": f"{area.name} — {period.label}",
    }


def area_report_pdf(area, period, *, user, viewer, progress: Progress | None = None) -> bytes:
    context = area_report(area, period, user=user, viewer=viewer, progress=progress)
    return render_pdf("benchmarking/reports/pdf_area.html", context)


# --- One comune's scorecard ---------------------------------------------------

def light_text(light: str) -> tuple[str, str]:
    """(symbol, words) of a traffic light: the colour is never the only sign."""
    if light == "green":
        return "▲", _("verde: vicino al migliore")
    if light == "amber":
        return "■", _("giallo: almeno la mediana")
    if light == "red":
        return "▼", _("rosso: sotto la mediana")
    return "–", _("non valutabile")


def scorecard_report(
    municipality: Municipality, area: ThematicArea, period: Period, *, user, progress: Progress | None = None,
) -> dict:
    """A comune's scorecard, club-visible figures only (run acting for the
    viewer: another comune's figures it keeps to itself stay out)."""
    with cross_tenant(scope=SCOPE_CLUB, reason=f"scheda PDF {municipality.slug} {area.code} {period.code}",
                      acting_user=user):
        lines = comparisons.scorecard(municipality, area, period)
    rows = []
    for line in lines:
        symbol, words = light_text(line.light)
        rows.append({
            "line": line, "symbol": symbol, "light_words": words,
            "sparkline": mark_safe(sparkline(  # noqa: S308 - escaped in svg.py
                [value for _p, value in line.trend], title=_("Andamento: %(name)s") % {"name": line.indicator.name},
            )),
            "trend_text": "; ".join(
                f"{p.label}: {_figure(v, line.version.decimals)}" for p, v in line.trend
            ),
        })
    if progress:
        progress(1, 2)
    return {
        "area": area, "period": period, "municipality": municipality, "rows": rows,
        "generated_on": long_date(timezone.localdate()),
        "running": f"{municipality.name} — {area.name} — {period.label}",
    }


def _figure(value, decimals) -> str:
    return format_number(value, decimals) if value is not None else "—"


def scorecard_pdf(municipality, area, period, *, user, progress: Progress | None = None) -> bytes:
    context = scorecard_report(municipality, area, period, user=user, progress=progress)
    return render_pdf("benchmarking/reports/pdf_scorecard.html", context)


def build_pdf(kind: str, *, area, period, user, viewer, municipality=None, progress: Progress | None = None) -> bytes:
    if kind == SCORECARD:
        return scorecard_pdf(municipality or viewer, area, period, user=user, progress=progress)
    return area_report_pdf(area, period, user=user, viewer=viewer, progress=progress)


def filename_for(kind: str, area, period, municipality=None) -> str:
    if kind == SCORECARD and municipality is not None:
        return f"scheda-{municipality.slug}-{area.code}-{period.code}.pdf"
    return f"rapporto-{area.code}-{period.code}.pdf"


# --- Background generation ------------------------------------------------------


def reports_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_status(job: str, status: dict) -> None:
    """Replace the progress file in one step, so a poll never reads half of it."""
    path = reports_dir() / f"{job}.json"
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(status))
    os.replace(temporary, path)


def job_status(job: uuid.UUID | str, user) -> dict | None:
    """The job's progress, or None when there is no such job or it is another user's."""
    path = reports_dir() / f"{uuid.UUID(str(job)).hex}.json"
    try:
        status = json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if status.get("user") != user.pk:
        return None
    return status


def job_file(job: uuid.UUID | str, user) -> tuple[Path, str] | None:
    """(path, download name) of a finished job of this user, else None."""
    status = job_status(job, user)
    if status is None or status.get("status") != "done":
        return None
    path = reports_dir() / f"{uuid.UUID(str(job)).hex}.pdf"
    return (path, status.get("filename") or path.name) if path.exists() else None


def start_report(
    kind: str, *, area: ThematicArea, period: Period, user, viewer: Municipality,
    municipality: Municipality | None = None,
) -> str:
    """Start generating a report in a daemon thread; returns the job id (a UUID)."""
    job = uuid.uuid4()
    _write_status(job.hex, {
        "status": "running", "done": 0, "total": 1, "error": "", "user": user.pk, "kind": kind,
        "filename": filename_for(kind, area, period, municipality),
    })
    thread = threading.Thread(
        target=_run, name=f"report-{job}", daemon=True,
        kwargs={
            "job": job.hex, "kind": kind, "area_id": area.pk, "period": period, "user_id": user.pk,
            "viewer_id": viewer.pk, "municipality_id": municipality.pk if municipality else None,
            "language": translation.get_language() or settings.LANGUAGE_CODE,
        },
    )
    thread.start()
    return str(job)


def _run(*, job, kind, area_id, period, user_id, viewer_id, municipality_id, language) -> None:
    """The thread: its own database connection, its own tenancy context."""
    status = json.loads((reports_dir() / f"{job}.json").read_text())

    def progress(done: int, total: int) -> None:
        status.update(done=done, total=total)
        _write_status(job, status)

    try:
        with translation.override(language):
            user = get_user_model().objects.get(pk=user_id)
            area = ThematicArea.objects.get(pk=area_id)
            viewer = Municipality.objects.get(pk=viewer_id)
            municipality = Municipality.objects.get(pk=municipality_id) if municipality_id else None
            with acting_for(viewer):
                if kind == SCORECARD:
                    context = scorecard_report(municipality or viewer, area, period, user=user, progress=progress)
                    template = "benchmarking/reports/pdf_scorecard.html"
                else:
                    context = area_report(area, period, user=user, viewer=viewer, progress=progress)
                    template = "benchmarking/reports/pdf_area.html"
            pdf = render_pdf(template, context)
        (reports_dir() / f"{job}.pdf").write_bytes(pdf)
        status.update(status="done", done=status["total"])
    except Exception as error:  # noqa: BLE001 - the page must show a failure, not poll for ever
        logger.exception("report %s failed", job)
        status.update(status="error", error=str(error)[:300])
    finally:
        _write_status(job, status)
        connection.close()


# --- Management command ---------------------------------------------------------


class ReportCommand(BaseCommand):
    """`manage.py benchmarking_report --area <code> --period 2025 [--comune <slug>]
    --user <username> -o file.pdf` (mounted by benchmarking/management/commands/)."""

    help = "Genera il PDF del rapporto di un'area (o della scheda di un comune) per un periodo."

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True)
        parser.add_argument("--period", required=True)
        parser.add_argument("--comune", help="slug del comune: la sua scheda invece del rapporto dell'area")
        parser.add_argument("--user", required=True, help="chi genera il rapporto (per i permessi e il registro)")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, **options):
        from qclub.permissions import Action, can

        try:
            period = Period.parse(options["period"])
            area = ThematicArea.objects.get(code=options["area"])
            user = get_user_model().objects.get(username=options["user"])
            target = Municipality.objects.get(slug=options["comune"]) if options["comune"] else None
        except (ValueError, ThematicArea.DoesNotExist, Municipality.DoesNotExist) as error:
            raise CommandError(str(error)) from error
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"no user {options['user']!r}") from error
        viewer = next(
            (m.municipality for m in user.memberships.select_related("municipality")
             if can(user, Action.VIEW_MEMBERS_AREA, municipality=m.municipality)), None,
        )
        if viewer is None:
            raise CommandError(f"{user.username} is not a member of the club")
        if target is not None and not target.is_member:
            raise CommandError(f"{target.slug} is not a member of the club")
        with acting_for(viewer):
            pdf = build_pdf(SCORECARD if target else AREA, area=area, period=period, user=user, viewer=viewer,
                            municipality=target)
        Path(options["output"]).write_bytes(pdf)
        self.stdout.write(f"{options['output']}: {len(pdf)} bytes")
