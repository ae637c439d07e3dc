"""The survey statistics that are arithmetic on aggregates the database computed
(counts, means, standard deviations): confidence intervals, the margin of
error, significance tests. Pure functions, no database, no Django.

Method (what the results page says in words):

* **Confidence interval of a mean (95 %)**: Student's t with n − 1 degrees of
  freedom, `mean ± t(0.975, n−1) · s / √n`, s the sample standard deviation. t
  rather than z because groups of a breakdown are small (with n = 10 the z
  interval would be 17 % too narrow); for large n the two agree. With one answer
  there is no interval.
* **Finite-population correction**: when the survey states the population served
  N and N > n, the standard error is multiplied by `√((N − n) / (N − 1))`
  (sampling without replacement). With N unknown, or N ≤ n (a census, or a
  population figure that cannot be right), no correction is applied.
* **Margin of error of the survey**: the half-width of the 95 % interval of a
  proportion at its most uncertain (p = 0.5), with the same correction:
  `e = z · √(p(1 − p) / n) · √((N − n) / (N − 1))`, z = 1.96 — the inverse of the
  Funzione Pubblica manual's sample-size formula, kept once in
  `surveys.questionnaires.sampling.margin_of_error`.
* **Change from the previous survey**: Welch's t-test for two means (unequal
  variances, Welch–Satterthwaite degrees of freedom) and the two-proportion
  z-test (pooled proportion) for the top-two-box share; two-sided; a change is
  "significativa" only when p < 0.05.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

CONFIDENCE = 0.95
Z_95 = NormalDist().inv_cdf(0.975)  # 1.959964…
SIGNIFICANCE = 0.05


# --- Student's t ----------------------------------------------------------


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (Lentz's method)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-14:
            break
    return h


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t with `df` degrees of freedom."""
    if math.isinf(df):
        return NormalDist().cdf(t)
    tail = 0.5 * _incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The t value with P(T ≤ t) = p (bisection on `t_cdf`; 1e-10 precise)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be between 0 and 1")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-10:
            break
    return (low + high) / 2.0


# --- intervals and margins --------------------------------------------------


def fpc(n: float, population: int | None) -> float:
    """The finite-population correction √((N − n)/(N − 1)); 1 when N is
    unknown or not larger than n (see the module's docstring)."""
    if not population or population <= n or population <= 1:
        return 1.0
    return math.sqrt((population - n) / (population - 1))


def mean_interval(
    *, n: float, mean: float | None, std_dev: float | None, population: int | None = None
) -> tuple[float, float] | None:
    """The 95 % confidence interval of a mean (t, with the finite-population
    correction when N is known); None with fewer than two answers. `n` may be
    an effective sample size (weighted figures: Kish's n_eff), rounded down
    for the degrees of freedom."""
    if mean is None or std_dev is None or n is None or n < 2:
        return None
    df = max(math.floor(n) - 1, 1)
    half = t_quantile(0.5 + CONFIDENCE / 2, df) * std_dev / math.sqrt(n) * fpc(n, population)
    return mean - half, mean + half


# --- significance -------------------------------------------------------------


@dataclass(frozen=True)
class Test:
    statistic: float
    p_value: float
    df: float | None = None

    @property
    def significant(self) -> bool:
        return self.p_value < SIGNIFICANCE


def welch(
    *, mean_a: float, sd_a: float, n_a: int, mean_b: float, sd_b: float, n_b: int
) -> Test | None:
    """Welch's two-sided t-test for a difference of means (b − a); None when a
    side has fewer than two answers or both have no spread."""
    if n_a < 2 or n_b < 2:
        return None
    va, vb = sd_a * sd_a / n_a, sd_b * sd_b / n_b
    if va + vb == 0:
        return None
    t = (mean_b - mean_a) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (
        (va * va / (n_a - 1) if va else 0.0) + (vb * vb / (n_b - 1) if vb else 0.0)
    )
    p = 2.0 * (1.0 - t_cdf(abs(t), df))
    return Test(statistic=t, p_value=min(max(p, 0.0), 1.0), df=df)


def two_proportions(*, share_a: float, n_a: int, share_b: float, n_b: int) -> Test | None:
    """The two-sided z-test for two proportions with the pooled proportion
    (b − a); None without answers or when the pooled share is 0 or 1."""
    if n_a < 1 or n_b < 1:
        return None
    pooled = (share_a * n_a + share_b * n_b) / (n_a + n_b)
    if pooled <= 0.0 or pooled >= 1.0:
        return None
    z = (share_b - share_a) / math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    p = 2.0 * (1.0 - NormalDist().cdf(abs(z)))
    return Test(statistic=z, p_value=p)
