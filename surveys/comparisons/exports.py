"""The comparison as a spreadsheet file, written by the core's writer
(`qclub.exports.italian_csv`, docs/architecture.md «Exports»): UTF-8 with a BOM, `;` between
fields, CRLF, figures with a decimal comma and no thousands separator, an
empty cell for no figure, a text a spreadsheet would run as a formula quoted.
Tidy: one row per survey and measure, describing itself (questionnaire, year,
measure), no preamble to skip."""

from __future__ import annotations

from django.utils.translation import gettext as _

from surveys.comparisons.selectors import Comparison
from surveys.comparisons.statistics import Position


def comparison_table(comparisons: list[Comparison]) -> tuple[list[str], list[list]]:
    headers = [
        _("questionario"), _("versione"), _("anno"), _("misura"), _("comune"), _("indagine"),
        _("campione"), _("risposte"), _("media"), _("intervallo di confidenza, da"),
        _("intervallo di confidenza, a"), _("migliore oltre gli intervalli"), _("nel grafico a imbuto"),
    ]
    rows = []
    for result in comparisons:
        title = str(result.version.questionnaire)
        for row in result.rows:
            rows.append([
                title, result.version.number, result.year, result.measure.label, row.municipality.name,
                row.survey_title, row.sample, row.answers, row.mean, row.ci_low, row.ci_high, row.is_best,
                position_label(row.position),
            ])
        for row in result.insufficient:
            rows.append([
                title, result.version.number, result.year, result.measure.label, row.municipality.name,
                row.survey_title, row.sample, None, None, None, None, None, _("campione insufficiente"),
            ])
    return headers, rows


def position_label(position: str | None) -> str:
    return {
        Position.ABOVE_998: _("sopra il limite del 99,8 %"),
        Position.ABOVE_95: _("sopra il limite del 95 %"),
        Position.WITHIN: _("entro i limiti"),
        Position.BELOW_95: _("sotto il limite del 95 %"),
        Position.BELOW_998: _("sotto il limite del 99,8 %"),
    }.get(position, "")
