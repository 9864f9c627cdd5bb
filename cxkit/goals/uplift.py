"""Sizes of a reachable improvement: percent of opportunity and half a standard deviation.

Both are expressed on the *reported* scale (NPS points, or top-2-box percentage points).
Half a standard deviation is measured on the respondent-level quantity whose mean is the
reported score:

* NPS: each respondent contributes +100 (promoter, 9-10), 0 (passive, 7-8) or -100
  (detractor, 0-6); the NPS is the mean of these contributions, so their standard
  deviation is ``100 * sqrt(p + d - (p - d)**2)`` — the same quantity behind the NPS
  standard error.
* top-2-box metrics (CSAT, CES, PSAT): each respondent contributes 100 when in the top two
  boxes (the top box on a two-point scale) and 0 otherwise.

This keeps the "half an SD" rule on the same footing for every metric, whatever the width
of the answer scale.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit.errors import InputError

NPS_SCALE = (0.0, 10.0)
CEILING = {"nps": 100.0}
FLOOR = {"nps": -100.0}


def ceiling_of(metric: str) -> float:
    """Ceiling of a metric on its reported scale (100 for NPS and top-2-box %)."""
    return CEILING.get(metric, 100.0)


def floor_of(metric: str) -> float:
    """Floor of a metric on its reported scale (-100 for NPS, 0 for top-2-box %)."""
    return FLOOR.get(metric, 0.0)


def percent_of_opportunity(value: float, k: float, ceiling: float = 100.0) -> float:
    """Uplift that closes ``k`` percent of the distance from ``value`` to ``ceiling``.

    Parameters
    ----------
    value : float
        The starting point (the projection when a trend exists).
    k : float
        Percent of the opportunity, e.g. 10.
    ceiling : float
        Top of the reported scale.

    Returns
    -------
    float
        The uplift in reported points (0 when already at the ceiling).

    Examples
    --------
    >>> percent_of_opportunity(50, 10), percent_of_opportunity(80, 10)
    (5.0, 2.0)
    """
    return max(0.0, (ceiling - float(value)) * float(k) / 100.0)


def contributions(metric: str, scores: pd.Series, scale: tuple[float, float]) -> pd.Series:
    """Respondent-level contributions whose mean is the reported score.

    Parameters
    ----------
    metric : str
        ``nps`` or a top-2-box metric.
    scores : Series
        Scores on the metric's answer scale.
    scale : tuple of float
        ``(min, max)`` of the answer scale.

    Returns
    -------
    Series
        +100/0/-100 for NPS, 0/100 otherwise.

    Examples
    --------
    >>> contributions("nps", pd.Series([10, 8, 3]), (0, 10)).tolist()
    [100.0, 0.0, -100.0]
    """
    s = pd.to_numeric(scores, errors="coerce").dropna().astype(float)
    if metric == "nps":
        return pd.Series(np.select([s >= 9, s >= 7], [100.0, 0.0], -100.0), index=s.index)
    low, high = scale
    top = high if high - low <= 1 else high - 1
    return (s >= top).astype(float) * 100.0


def respondent_sd(metric: str, scores: pd.Series, scale: tuple[float, float]) -> float:
    """Standard deviation (population form) of the respondent-level contributions.

    Raises
    ------
    InputError
        When there are fewer than two scored respondents.

    Examples
    --------
    >>> round(respondent_sd("nps", pd.Series([10, 10, 5, 5]), (0, 10)), 6)
    100.0
    """
    c = contributions(metric, scores, scale)
    if len(c) < 2:
        raise InputError(f"too few {metric} responses to measure how scores spread",
                         column=metric, expected="at least 2 scored responses", found=str(len(c)))
    return float(c.std(ddof=0))


def sd_from_se(metric: str, se: float | None, n: int) -> float:
    """The respondent-level standard deviation implied by a share's standard error.

    For NPS and top-2-box shares the standard error is the population standard deviation
    of the contributions (see :func:`contributions`) over the square root of n, so
    SE x sqrt(n) gives back exactly what :func:`respondent_sd` computes from the scores.
    Used when only counts are known (survey files read by DuckDB).

    Raises
    ------
    InputError
        When the standard error is missing or there are fewer than two responses.

    Examples
    --------
    >>> scores = pd.Series([10, 10, 5, 5, 8])
    >>> p, d, n = 2 / 5, 2 / 5, 5
    >>> se = 100 * np.sqrt((p + d - (p - d) ** 2) / n)
    >>> round(sd_from_se("nps", se, n), 9) == round(respondent_sd("nps", scores, (0, 10)), 9)
    True
    """
    if se is None or pd.isna(se) or n < 2:
        raise InputError(f"too few {metric} responses to measure how scores spread",
                         column=metric, expected="at least 2 scored responses", found=str(n))
    return float(se) * float(np.sqrt(n))


def half_sd_uplift(metric: str, scores: pd.Series, scale: tuple[float, float],
                   fraction: float = 0.5) -> float:
    """Half (or ``fraction`` of) the respondent-level standard deviation.

    Examples
    --------
    >>> half_sd_uplift("csat", pd.Series([5, 4, 2, 1]), (1, 5))
    25.0
    """
    return fraction * respondent_sd(metric, scores, scale)
