"""Point estimates, standard errors and 95% intervals, vectorised over numpy arrays.

Every function accepts scalars or arrays of counts and returns arrays (or numpy
scalars); counts of zero give NaN, which callers turn into ``None`` or mask by status.
All results are on the reporting scale: NPS points (-100..100) or percentages (0..100).
"""
from __future__ import annotations

import numpy as np
from scipy.special import ndtr

Z_95 = 1.96
"""Two-sided 95% normal quantile, rounded to 1.96 as in DOMAIN.md and the textbooks."""

ADJUST_SHARE = 0.75
ADJUST_N = 3.0


def _ratio(part: np.ndarray, n: np.ndarray) -> np.ndarray:
    part, n = np.asarray(part, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, part / np.where(n > 0, n, 1.0), np.nan)


def _nps_variance(p: np.ndarray, d: np.ndarray) -> np.ndarray:
    # Var of a single response's score in {+1, 0, -1}: E[x^2] - E[x]^2.
    return np.maximum(p + d - (p - d) ** 2, 0.0)


def nps_estimate(n, promoters, detractors) -> tuple[np.ndarray, np.ndarray]:
    """Plain NPS and its standard error, in points.

    NPS = 100 (p - d) and SE = 100 sqrt((p + d - (p - d)^2) / n), with p and d the
    shares of promoters (9-10) and detractors (0-6).

    Parameters
    ----------
    n, promoters, detractors : array_like
        Counts.

    Returns
    -------
    value, se : numpy.ndarray

    Examples
    --------
    >>> value, se = nps_estimate(10, 5, 2)
    >>> float(value), round(float(se), 3)
    (30.0, 24.698)
    """
    p, d = _ratio(promoters, n), _ratio(detractors, n)
    net = np.asarray(promoters, dtype=float) - np.asarray(detractors, dtype=float)
    with np.errstate(invalid="ignore"):
        se = 100.0 * np.sqrt(_nps_variance(p, d) / np.asarray(n, dtype=float))
    return 100.0 * _ratio(net, n), se


def nps_adjusted_wald(n, promoters, detractors, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """Adjusted-Wald confidence interval of NPS, in points, clipped to [-100, 100].

    Adds 3/4 to the promoter and detractor counts and 3 to n, recomputes the shares
    p' and d', then returns 100 (p' - d') +/- z * 100 sqrt((p' + d' - (p' - d')^2) / (n + 3)).
    Unlike the plain Wald interval it stays sensible for small samples and for
    scores near +/-100.

    Parameters
    ----------
    n, promoters, detractors : array_like
        Counts.
    z : float
        Normal quantile (1.96 for 95%).

    Returns
    -------
    low, high : numpy.ndarray
        NaN where n is 0.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "Net Promoter Score".
       The American Statistician, 70(4), 365-372 (confidence intervals for NPS).
    .. [2] Sauro, J. & Lewis, J. R. (2016). Quantifying the User Experience, 2nd ed.,
       Morgan Kaufmann: the adjusted-Wald method applied to NPS.

    Examples
    --------
    >>> low, high = nps_adjusted_wald(10, 5, 2)
    >>> round(float(low), 2), round(float(high), 2)
    (-19.05, 65.21)
    """
    n = np.asarray(n, dtype=float)
    n_adj = n + ADJUST_N
    p = (np.asarray(promoters, dtype=float) + ADJUST_SHARE) / n_adj
    d = (np.asarray(detractors, dtype=float) + ADJUST_SHARE) / n_adj
    centre = 100.0 * (p - d)
    half = z * 100.0 * np.sqrt(_nps_variance(p, d) / n_adj)
    low = np.where(n > 0, np.clip(centre - half, -100.0, 100.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, -100.0, 100.0), np.nan)
    return low, high


def proportion_estimate(n, k) -> tuple[np.ndarray, np.ndarray]:
    """Percentage 100 k / n and its (unpooled, Wald) standard error in points.

    Examples
    --------
    >>> value, se = proportion_estimate(10, 8)
    >>> float(value), round(float(se), 3)
    (80.0, 12.649)
    """
    p = _ratio(k, n)
    with np.errstate(invalid="ignore"):
        se = 100.0 * np.sqrt(p * (1.0 - p) / np.asarray(n, dtype=float))
    return 100.0 * p, se


def wilson_interval(n, k, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion, in percent.

    centre = (p + z^2 / 2n) / (1 + z^2 / n) and
    half-width = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / 4n^2).

    Parameters
    ----------
    n, k : array_like
        Trials and successes (e.g. responses and top-2-box answers).
    z : float
        Normal quantile (1.96 for 95%).

    Returns
    -------
    low, high : numpy.ndarray
        In 0..100; NaN where n is 0.

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession, and
       statistical inference. JASA, 22(158), 209-212.

    Examples
    --------
    >>> low, high = wilson_interval(10, 8)
    >>> round(float(low), 2), round(float(high), 2)
    (49.02, 94.33)
    """
    n = np.asarray(n, dtype=float)
    p = _ratio(k, n)
    safe_n = np.where(n > 0, n, 1.0)
    z2 = z * z
    denominator = 1.0 + z2 / safe_n
    centre = (p + z2 / (2 * safe_n)) / denominator
    half = z / denominator * np.sqrt(np.maximum(p * (1 - p) / safe_n + z2 / (4 * safe_n**2), 0.0))
    # the interval always holds p; min/max only undo rounding (p = 0 gave a low of 5.6e-17)
    low = np.minimum(np.clip(centre - half, 0.0, 1.0), p) * 100.0
    high = np.maximum(np.clip(centre + half, 0.0, 1.0), p) * 100.0
    return low, high


def mean_of_scores(n, total) -> np.ndarray:
    """Mean raw score from the count and the sum of scores (NaN when n is 0).

    Examples
    --------
    >>> float(mean_of_scores(4, 14))
    3.5
    """
    return _ratio(total, n)


def difference_test(value_a, se_a, value_b, se_b, z: float = Z_95) -> dict[str, np.ndarray]:
    """Two-sample z-test of a difference of two independent estimates.

    diff = a - b, SE = sqrt(se_a^2 + se_b^2), z = diff / SE, two-sided p-value, and
    interval diff +/- z * SE. When both SEs are 0, z is 0 (p = 1) for equal values
    and +/- infinity (p = 0) otherwise.

    Parameters
    ----------
    value_a, se_a, value_b, se_b : array_like
        Estimates and their standard errors, in the same units.
    z : float
        Normal quantile for the interval.

    Returns
    -------
    dict of numpy.ndarray
        Keys ``diff, se, ci_low, ci_high, z, p_value``.

    Examples
    --------
    >>> out = difference_test(30.0, 3.0, 20.0, 4.0)
    >>> float(out["diff"]), float(out["se"]), float(out["z"])
    (10.0, 5.0, 2.0)
    """
    diff = np.asarray(value_a, dtype=float) - np.asarray(value_b, dtype=float)
    se = np.sqrt(np.asarray(se_a, dtype=float) ** 2 + np.asarray(se_b, dtype=float) ** 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        stat = np.where(se > 0, diff / np.where(se > 0, se, 1.0), np.sign(diff) * np.inf)
    stat = np.where((se == 0) & (diff == 0), 0.0, stat)
    stat = np.where(np.isnan(diff) | np.isnan(se), np.nan, stat)
    p_value = 2.0 * ndtr(-np.abs(stat))
    return {
        "diff": diff,
        "se": se,
        "ci_low": diff - z * se,
        "ci_high": diff + z * se,
        "z": stat,
        "p_value": p_value,
    }
