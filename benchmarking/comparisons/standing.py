"""Where a figure stands: what score, rank, best, distance and percentile mean
for each direction of an indicator. The one place that decides it; the
re-ranking (`services.rerank`), the club summary, the ranking page, the
scorecard, the API, the PDF reports and the open data all read it from here.

*Higher (lower) is better.* The score is the value (its negative), so a higher
score is always better. Rank: standard competition ranking by score ("1224").
Best performer: the highest score (ties share it). Distance from the best:
|best − value|. Percentile: 100 × (1 − percent rank), the share of comuni
with an equal or worse score; quartile 1 is the best quarter.

*Within a target range* (``band_low``–``band_high``, bounds included, e.g.
8–25 acts per 1,000 inhabitants). A figure is **in range**, **below** or
**above**. Its distance is the distance to the nearest bound (0 in range), and
the score is minus that distance, so the rank is by distance to the range and
every comune in range ties first. There is **no single best performer**: the
best is "in range" (every comune in range shares it) and the summary shows the
range instead of a best value; the distance shown is from the range, not from
a best comune. Percentile and quartile are not given (with every comune in
range tied at the top they would call all of them the top of the club), so a
range indicator is never a strength or a gap by percentile. Traffic light:
green in range, red outside.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from benchmarking.models import IndicatorVersion
from qclub.numbers import format_number

IN_RANGE, BELOW, ABOVE = "in_range", "below", "above"


def has_range(version: IndicatorVersion | None) -> bool:
    """The indicator is judged against a target range, not by higher or lower."""
    return version is not None and version.better == IndicatorVersion.Better.BAND


def position(value: Decimal | None, version: IndicatorVersion | None) -> str:
    """`in_range`, `below` or `above` the target range; "" without a range or a value."""
    if value is None or not has_range(version):
        return ""
    if value < version.band_low:
        return BELOW
    return ABOVE if value > version.band_high else IN_RANGE


def distance_to_range(value: Decimal | None, version: IndicatorVersion | None) -> Decimal | None:
    """How far the figure is from the nearest bound of the range (0 inside it)."""
    if value is None or not has_range(version):
        return None
    if value < version.band_low:
        return version.band_low - value
    return value - version.band_high if value > version.band_high else Decimal(0)


def score_of(value: Decimal | None, version: IndicatorVersion) -> Decimal | None:
    """Direction-adjusted value: higher is always better (for a range, minus
    the distance to it)."""
    if value is None:
        return None
    if has_range(version):
        return -distance_to_range(value, version)
    if version.better == IndicatorVersion.Better.LOWER:
        return -value
    return value


def has_percentile(version: IndicatorVersion | None) -> bool:
    """Percentile and quartile apply to higher/lower indicators only."""
    return not has_range(version)


def range_text(version: IndicatorVersion) -> str:
    """The target range the Italian way, e.g. "8–25"."""
    return f"{format_number(version.band_low)}–{format_number(version.band_high)}"


def position_text(value: Decimal | None, version: IndicatorVersion | None, decimals: int | None = None) -> str:
    """"entro l'intervallo", "sotto di 2,4", "sopra di 3,1" (empty without a range)."""
    return describe(position(value, version), distance_to_range(value, version), decimals)


def describe(where: str, distance: Decimal | None, decimals: int | None = None) -> str:
    """The words for a position and its distance (see `position_text`)."""
    if not where:
        return ""
    if where == IN_RANGE:
        return _("entro l'intervallo")
    text = format_number(distance, decimals)
    return (_("sotto di %(d)s") if where == BELOW else _("sopra di %(d)s")) % {"d": text}


def range_light(value: Decimal | None, version: IndicatorVersion) -> str:
    """The traffic light of a range indicator: green in range, red outside."""
    where = position(value, version)
    if not where:
        return ""
    return "green" if where == IN_RANGE else "red"
