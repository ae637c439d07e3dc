"""The results page's big tables as rows of ready-written cells (presentation
only): written here in one pass rather than by a template filter per cell, which
took most of the page's time at 30 questions."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import gettext as _

from surveys.templatetags.survey_results import fig, pct, points, pvalue


def _verdict(test) -> str:
    if test is not None and test.significant:
        return format_html("<strong>{}</strong>", _("significativa"))
    return _("non significativa")


def _change(change) -> str:
    if change is None or change.mean_difference is None:
        return "—"
    text = format_html(
        "{} {} ({}, p {})", _("media"), points(change.mean_difference, 2),
        _verdict(change.mean_test), pvalue(change.mean_test),
    )
    if change.top_two_difference is not None:
        text += format_html(
            "; {} {} {} ({})", _("soddisfatti"), points(change.top_two_difference), _("punti"),
            _verdict(change.share_test),
        )
    return text


def item_rows(items, *, weighted: bool, previous: bool) -> list[tuple[str, list[str]]]:
    rows = []
    for item in items:
        r = item.overall
        if r is None:
            cells = ["0", "0"] + ["—"] * 7
        else:
            interval = f"{fig(r.ci_low)}–{fig(r.ci_high)}" if r.ci_low is not None else "—"
            cells = [
                str(r.answers), str(r.dont_know), fig(r.mean), fig(r.median, 1), fig(r.std_dev),
                interval, pct(r.top_two_share),
                points(r.net_promoter) if r.net_promoter is not None else "—",
            ]
        if weighted:
            w = item.weighted
            cells += [fig(w.mean) if w else "—", pct(w.top_two_share) if w else "—"]
        if previous:
            cells.append(_change(item.change))
        rows.append((item.label, cells))
    return rows


def distributions(items) -> list[tuple[str, list[tuple[str, str, str]]]]:
    out = []
    for item in items:
        rows = item.distribution
        if rows:
            out.append((item.label, [
                (label, fig(count, 0), (fig(share, 1) + "%") if share is not None else "—")
                for label, count, share in rows
            ]))
    return out
