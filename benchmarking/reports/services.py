"""PDF reports of the members area: the club's benchmarking report of an area
and period, and one comune's scorecard.

The figures come from `benchmarking.comparisons` (the same reads as the
pages) inside the club scope; the charts are inline SVG drawn here
(`benchmarking.svg`); WeasyPrint renders the HTML with fonts read from the
bootstrap-italia package and refuses any other resource.

A report may take seconds, so pages queue it as a job (`request_report`;
the job is `benchmarking.report_pdf` in `reports/jobs.py`), which writes
MEDIA_ROOT/reports/<job id>.pdf; the page polls the job's state
(`reports/selectors.py`). The job's arguments name the user who asked, and only
that user, acting for the same comune, may fetch the file. A comune may have
REPORTS_MAX_PENDING_PER_COMUNE reports waiting or running at once; files are
deleted after REPORTS_KEEP_DAYS days (`benchmarking.expire_reports`).
"""

from __future__ import annotations

import datetime
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from benchmarking.comparisons import selectors as comparisons
from benchmarking.comparisons.svg import Bar, bar_chart, trend_sparkline, trend_text
from benchmarking.models import Campaign, Indicator, IndicatorVersion
from benchmarking.periods import Period
from qclub.models import Municipality, ThematicArea
from qclub.pdf import render_pdf
from qclub.tenancy import SCOPE_CLUB, acting_for, cross_tenant

Progress = Callable[[int, int], None]

AREA, SCORECARD = "area", "scorecard"


# --- Rendering ----------------------------------------------------------------
# The PDF rule (WeasyPrint reading only the font files) is the core's `qclub.pdf`.


def long_date(day: datetime.date) -> str:
    """"26 novembre 2026": the locale's date format (qclub/formats, lower-case
    Italian months from qclub/i18n/locale)."""
    return formats.date_format(day, "DATE_FORMAT")


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

def light_text(light: str, *, in_range: bool = False) -> tuple[str, str]:
    """(symbol, words) of a traffic light: the colour is never the only sign.
    A range indicator's light is green in range, red outside (`standing`)."""
    if in_range and light == "green":
        return "▲", _("verde: entro l'intervallo")
    if in_range and light == "red":
        return "▼", _("rosso: fuori dall'intervallo")
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
        symbol, words = light_text(line.light, in_range=line.has_range)
        rows.append({
            "line": line, "symbol": symbol, "light_words": words,
            "sparkline": mark_safe(trend_sparkline(  # noqa: S308 - escaped in svg.py
                line.trend, line.version.decimals, _("Andamento: %(name)s") % {"name": line.indicator.name},
            )),
            "trend_text": trend_text(line.trend, line.version.decimals),
        })
    if progress:
        progress(1, 2)
    return {
        "area": area, "period": period, "municipality": municipality, "rows": rows,
        "generated_on": long_date(timezone.localdate()),
        "running": f"{municipality.name} — {area.name} — {period.label}",
    }


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


# --- Queued generation ----------------------------------------------------------

# Two-key advisory lock (this constant, the comune's id) that serialises the
# count-then-queue of `request_report` per comune.
_QUEUE_LOCK = 7_240_001


class ReportQueueFull(ValidationError):
    """The comune already has as many reports waiting or running as it may."""


def reports_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def report_path(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "reports" / f"{int(job_id)}.pdf"


def write_report_file(job_id: int, pdf: bytes) -> Path:
    """Write the job's PDF in one step, so a download never reads half of it."""
    path = reports_dir() / f"{int(job_id)}.pdf"
    temporary = path.with_suffix(".pdf.tmp")
    temporary.write_bytes(pdf)
    os.replace(temporary, path)
    return path


@transaction.atomic
def request_report(
    *, municipality: Municipality, kind: str, area: ThematicArea, period: Period,
    target: Municipality | None = None, acting_user,
) -> uuid.UUID:
    """Queue a report for the acting user, read as their comune; returns the
    report's public id (a UUID: URLs never carry the job's sequential id).

    Refused (`ReportQueueFull`) while the comune has
    REPORTS_MAX_PENDING_PER_COMUNE reports waiting or running: each holds a
    worker and a database connection for seconds, so one comune's burst must
    not hold up the club's. The job is queued with the caller's transaction.
    """
    from benchmarking.reports.jobs import report_pdf  # the job renders with this module
    from benchmarking.reports.selectors import pending_report_count

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_QUEUE_LOCK, municipality.pk])
    limit = settings.REPORTS_MAX_PENDING_PER_COMUNE
    if pending_report_count(municipality=municipality) >= limit:
        raise ReportQueueFull(
            ngettext(
                "Il tuo comune ha già %(n)d rapporto in preparazione: attendi che sia pronto e riprova.",
                "Il tuo comune ha già %(n)d rapporti in preparazione: attendi che siano pronti e riprova.",
                limit,
            )
            % {"n": limit},
            code="report_queue_full",
        )
    public_id = uuid.uuid4()
    report_pdf.defer(
        municipality=municipality, kind=kind, area_id=area.pk, period=period.code,
        target_id=target.pk if target else None, user_id=acting_user.pk,
        filename=filename_for(kind, area, period, target), public_id=str(public_id),
    )
    return public_id


def expire_report_files(*, older_than: datetime.datetime) -> int:
    """Delete the generated reports (and any leftover) last written before
    `older_than`; returns how many files went."""
    folder = Path(settings.MEDIA_ROOT) / "reports"
    if not folder.is_dir():
        return 0
    cutoff = older_than.timestamp()
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


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
