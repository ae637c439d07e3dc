"""From the database's sums to the figures a results table shows: mean,
median, standard deviation, 95 % interval, top-two-box share, net promoter
score, distribution. Arithmetic only; the sums come from `aggregates`.

Definitions (what the page's "Metodo" says):

* **mean** Σwx / Σw; **standard deviation** the sample one,
  √((Σwx² − (Σwx)²/Σw) / (Σw − 1)) (unweighted: w = 1, PostgreSQL's
  `stddev_samp`); **median** PostgreSQL's `percentile_cont(0.5)` (unweighted);
  weighted, the scale point where the cumulative weighted share reaches one half
  (halfway between two points when it is exactly one half); none for weighted
  numbers and the weighted index.
* **95 % interval**: `statistics.mean_interval` (t with n − 1 degrees of
  freedom; weighted: Kish's effective size n_eff = (Σw)²/Σw²); the
  finite-population correction with the survey's population served for the
  figures over all respondents, none for a group (its population is unknown).
* **top-two-box share**: the share of answers on the two highest points of the
  scale (4–5 on 1–5, 6–7 on 1–7, 9–10 on 0–10), "don't know" excluded.
* **net promoter score** (the recommendation item on 0–10): % answering 9–10
  minus % answering 0–6, in points (−100…100).
* **multiple choice**: each option's share of the respondents who answered the
  question (shares add up to more than 100 %).
* "don't know" is counted apart and enters no figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from surveys.models.questionnaires import QuestionKind
from surveys.results.aggregates import Sums
from surveys.results.statistics import mean_interval


@dataclass
class Figures:
    answers: int = 0
    dont_know: int = 0
    mean: float | None = None
    median: float | None = None
    std_dev: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    top_two_share: float | None = None  # 0–1
    net_promoter: float | None = None  # points, −100…100
    distribution: dict[str, float] = field(default_factory=dict)  # key → answers (Σw)
    shares: dict[str, float] = field(default_factory=dict)  # key → 0–1

    @property
    def has_numbers(self) -> bool:
        return self.mean is not None


def is_recommendation(question) -> bool:
    return question.role == "recommend" and question.scale_min == 0 and question.scale_max == 10


def has_scale(question) -> bool:
    return question.kind in (QuestionKind.RATING, QuestionKind.IMPORTANCE) or bool(question.role)


def _weighted_median(distribution: dict[str, float]) -> float | None:
    points = sorted((float(key), weight) for key, weight in distribution.items())
    total = sum(weight for _, weight in points)
    if not total:
        return None
    cumulative = 0.0
    for position, (point, weight) in enumerate(points):
        cumulative += weight
        if math.isclose(cumulative, total / 2, rel_tol=1e-12):
            following = points[position + 1][0] if position + 1 < len(points) else point
            return (point + following) / 2
        if cumulative > total / 2:
            return point
    return points[-1][0]


def figures(
    sums: Sums | None,
    question=None,
    *,
    population: int | None = None,
    weighted: bool = False,
) -> Figures:
    """The figures of one question (or, with `question` None, of the index)."""
    if sums is None:
        return Figures()
    result = Figures(answers=sums.answers, dont_know=sums.dont_know)
    if sums.numeric and sums.w > 0:
        w = sums.w
        result.mean = sums.wx / w
        if w > 1:
            variance = max((sums.wx2 - sums.wx * sums.wx / w) / (w - 1), 0.0)
            result.std_dev = math.sqrt(variance)
        n = (w * w / sums.w2) if weighted else sums.numeric
        interval = mean_interval(
            n=n, mean=result.mean, std_dev=result.std_dev, population=population
        )
        if interval:
            result.ci_low, result.ci_high = interval
        result.median = sums.median
    if question is None:
        return result
    result.distribution = dict(sums.distribution)
    scale = has_scale(question) and question.scale_max is not None
    if weighted and scale:
        result.median = _weighted_median(sums.distribution)
    if scale and sums.w > 0:
        top = question.scale_max
        satisfied = sum(
            weight for key, weight in sums.distribution.items() if float(key) >= top - 1
        )
        result.top_two_share = satisfied / sums.w
    if is_recommendation(question) and sums.w > 0:
        promoters = sum(weight for key, weight in sums.distribution.items() if float(key) >= 9)
        detractors = sum(weight for key, weight in sums.distribution.items() if float(key) <= 6)
        result.net_promoter = 100.0 * (promoters - detractors) / sums.w
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.PROFILE):
        base = sums.weight_answers
        if base:
            result.shares = {key: weight / base for key, weight in sums.distribution.items()}
    elif scale and sums.w:
        result.shares = {key: weight / sums.w for key, weight in sums.distribution.items()}
    return result


def decimal(value: float | None, places: int = 4, limit: int = 4) -> Decimal | None:
    """A figure for a stored column (`limit` digits before the point): None when
    there is none or it does not fit (a number question's mean in the tens of
    thousands is not stored: the columns are sized for scales; see the report's
    debts)."""
    if value is None or math.isnan(value):
        return None
    if abs(value) >= 10**limit:
        return None
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places))
