"""Can the client's survey sample tell whether a goal was met?

The check is a two-sample z test between today's score and the score at the goal date,
two-sided at alpha 0.05 with 80 % power. The smallest detectable change is

    MDC = (z_alpha + z_power) * sqrt(se_now**2 + se_goal**2),   z_alpha = 1.96, z_power = 0.84

with ``se_goal = sd / sqrt(n_goal)``, ``sd`` the respondent-level standard deviation on the
reported scale (see :mod:`cxkit.goals.uplift`), assumed to stay as it is today.
"""
from __future__ import annotations

import math

Z_ALPHA = 1.96
Z_POWER = 0.84


def min_detectable_change(se_now: float, n_future: int, sd: float,
                          z_alpha: float = Z_ALPHA, z_power: float = Z_POWER) -> float:
    """Smallest change between today and the goal date the samples can detect.

    Parameters
    ----------
    se_now : float
        Standard error of today's score (reported scale).
    n_future : int
        Responses expected in the goal period.
    sd : float
        Respondent-level standard deviation on the reported scale.
    z_alpha, z_power : float
        Normal quantiles for the two-sided test level and the power.

    Returns
    -------
    float
        The minimum detectable change; ``inf`` when ``n_future`` is 0.

    Examples
    --------
    >>> round(min_detectable_change(5.0, 400, 100.0), 4)   # 2.8 * sqrt(25 + 25)
    19.799
    """
    if n_future <= 0:
        return math.inf
    se_future = sd / math.sqrt(n_future)
    return (z_alpha + z_power) * math.sqrt(se_now**2 + se_future**2)


def sample_needed(change: float, se_now: float, sd: float,
                  z_alpha: float = Z_ALPHA, z_power: float = Z_POWER) -> int | None:
    """Responses needed in the goal period to detect ``change``.

    Solves ``(z_alpha + z_power) * sqrt(se_now**2 + sd**2 / n) = |change|`` for ``n``.

    Returns
    -------
    int or None
        The sample (rounded up); 0 for a zero spread; ``None`` when no sample at the goal
        date suffices because today's own uncertainty is already too large (or the change
        is zero).

    Examples
    --------
    >>> sample_needed(20.0, 5.0, 100.0)   # 100**2 / ((20 / 2.8)**2 - 5**2) = 384.3
    385
    """
    target_se2 = (abs(change) / (z_alpha + z_power)) ** 2 - se_now**2
    if change == 0 or target_se2 <= 0:
        return None
    return int(math.ceil(sd**2 / target_se2))
