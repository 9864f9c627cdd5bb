"""The "no improvement" baseline: a straight-line trend per quarter and its projection.

Time is measured in quarters. A period's position is its ``period_start`` expressed in
quarters (so monthly periods fall on thirds of a quarter); a goal date is placed at the
start of the quarter that contains it, because a goal is read off that quarter's score.

The line is fitted by weighted least squares with weights ``1 / se**2``. Its covariance is
the known-variance one, inflated by the residual variance when the periods scatter more
than their standard errors explain (never shrunk below it). Intervals use Student's t
with ``n - 2`` degrees of freedom.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from scipy.special import stdtrit

from cxkit.errors import InputError

MIN_PERIODS = 3
TREND_COLUMNS = ("period", "period_start", "value", "se", "status")


def quarter_position(when: date | pd.Timestamp) -> float:
    """Position of a date in quarters since year 0 (fractional for month starts).

    Examples
    --------
    >>> quarter_position(pd.Timestamp("2025-04-01"))
    8101.0
    """
    ts = pd.Timestamp(when)
    return ts.year * 4 + (ts.month - 1) / 3


def goal_quarter_position(when: date | pd.Timestamp) -> float:
    """Position of the start of the quarter that contains ``when``.

    Examples
    --------
    >>> goal_quarter_position(date(2025, 6, 30))
    8101.0
    """
    ts = pd.Timestamp(when)
    return float(ts.year * 4 + (ts.month - 1) // 3)


@dataclass(frozen=True)
class TrendProjection:
    """A fitted trend line and what it projects.

    Attributes
    ----------
    slope_per_quarter : float or None
        Change per quarter; ``None`` when there are fewer than three usable periods.
    slope_ci : tuple of float or None
        95 % interval of the slope.
    periods_used : int
        Periods that entered the fit.
    last_position : float
        Quarter position of the last usable period.
    coef : tuple of float
        Intercept (at ``last_position``) and slope.
    cov : tuple of tuple of float
        Covariance of ``coef``.
    t_crit : float
        Critical t value for 95 % intervals.
    """

    slope_per_quarter: float | None
    slope_ci: tuple[float, float] | None
    periods_used: int
    last_position: float
    coef: tuple[float, float] = (np.nan, np.nan)
    cov: tuple[tuple[float, float], tuple[float, float]] = ((np.nan, np.nan), (np.nan, np.nan))
    t_crit: float = np.nan

    @property
    def has_trend(self) -> bool:
        """True when a slope could be estimated."""
        return self.slope_per_quarter is not None

    def at(self, when: date | pd.Timestamp) -> tuple[float, float, float]:
        """Projected value and 95 % interval at the quarter containing ``when``.

        Returns
        -------
        tuple of float
            ``(value, low, high)``; all NaN without a trend.
        """
        return self.at_position(goal_quarter_position(when))

    def at_position(self, position: float) -> tuple[float, float, float]:
        """Projected value and 95 % interval at a quarter position."""
        if not self.has_trend:
            return (np.nan, np.nan, np.nan)
        x = np.array([1.0, position - self.last_position])
        value = float(x @ np.array(self.coef))
        half = self.t_crit * float(np.sqrt(x @ np.array(self.cov) @ x))
        return (value, value - half, value + half)


def usable_periods(trend_df: pd.DataFrame) -> pd.DataFrame:
    """Rows of a metric-engine trend frame that can enter a trend fit.

    Withheld periods, unfinished periods (``complete`` False, when the column exists) and
    periods without a value are dropped; rows are sorted by time.

    Raises
    ------
    InputError
        When a required column is missing.
    """
    missing = [c for c in ("period_start", "value") if c not in trend_df.columns]
    if missing:
        raise InputError(
            "the trend table lacks columns needed for goal setting",
            column=", ".join(missing),
            expected="columns period, period_start, value, ci_low, ci_high, se, n, status",
        )
    keep = trend_df["value"].notna()
    if "status" in trend_df.columns:
        keep &= trend_df["status"].astype(str) != "withheld"
    if "complete" in trend_df.columns:
        keep &= trend_df["complete"].fillna(True).astype(bool)
    return trend_df.loc[keep].sort_values("period_start").reset_index(drop=True)


def _weights(rows: pd.DataFrame) -> tuple[np.ndarray, bool]:
    """Inverse-variance weights, or equal weights when standard errors are unusable."""
    if "se" not in rows.columns:
        return np.ones(len(rows)), False
    se = pd.to_numeric(rows["se"], errors="coerce").to_numpy(dtype=float)
    if np.all(np.isfinite(se)) and np.all(se > 0):
        return 1.0 / se**2, True
    return np.ones(len(rows)), False


def project_trend(trend_df: pd.DataFrame) -> TrendProjection:
    """Fit the quarterly trend of a metric.

    Parameters
    ----------
    trend_df : DataFrame
        The metric engine's trend frame (``period, period_start, value, ci_low, ci_high,
        se, n, status``).

    Returns
    -------
    TrendProjection
        Without at least three usable periods the projection has no slope.

    Examples
    --------
    >>> df = pd.DataFrame({"period_start": pd.to_datetime(["2024-01-01", "2024-04-01",
    ...     "2024-07-01", "2024-10-01"]), "value": [56.0, 54, 52, 50], "se": [2.0] * 4})
    >>> p = project_trend(df)
    >>> round(p.slope_per_quarter, 6), round(p.at(date(2025, 3, 31))[0], 6)
    (-2.0, 48.0)
    """
    rows = usable_periods(trend_df)
    if len(rows) == 0:
        raise InputError("no period has a reportable value, so no goal can be set",
                         hint="Collect more responses or widen the period")
    t = np.array([quarter_position(d) for d in rows["period_start"]])
    last = float(t[-1])
    if len(rows) < MIN_PERIODS or np.ptp(t) == 0:
        return TrendProjection(None, None, len(rows), last)
    y = rows["value"].to_numpy(dtype=float)
    w, known = _weights(rows)
    x = np.column_stack([np.ones_like(t), t - last])
    xtwx_inv = np.linalg.inv(x.T @ (w[:, None] * x))
    coef = xtwx_inv @ (x.T @ (w * y))
    dof = len(rows) - 2
    resid_var = float(np.sum(w * (y - x @ coef) ** 2) / dof) if dof > 0 else 0.0
    scale = max(1.0, resid_var) if known else resid_var
    cov = xtwx_inv * scale
    t_crit = float(stdtrit(dof, 0.975)) if dof > 0 else float("inf")
    half = t_crit * float(np.sqrt(cov[1, 1]))
    return TrendProjection(
        slope_per_quarter=float(coef[1]),
        slope_ci=(float(coef[1] - half), float(coef[1] + half)),
        periods_used=len(rows),
        last_position=last,
        coef=(float(coef[0]), float(coef[1])),
        cov=((float(cov[0, 0]), float(cov[0, 1])), (float(cov[1, 0]), float(cov[1, 1]))),
        t_crit=t_crit,
    )


def projection_path(projection: TrendProjection, until: date | pd.Timestamp,
                    steps: int = 20) -> pd.DataFrame:
    """The projection cone from the last period to ``until`` for charts.

    Returns
    -------
    DataFrame
        ``position, value, low, high`` (empty without a trend).
    """
    if not projection.has_trend:
        return pd.DataFrame(columns=["position", "value", "low", "high"])
    end = goal_quarter_position(until)
    positions = np.linspace(projection.last_position, max(end, projection.last_position), steps)
    rows = [(p, *projection.at_position(float(p))) for p in positions]
    return pd.DataFrame(rows, columns=["position", "value", "low", "high"])


def position_to_timestamp(position: float) -> pd.Timestamp:
    """Inverse of :func:`quarter_position` (to the nearest day).

    Examples
    --------
    >>> position_to_timestamp(8101.0)
    Timestamp('2025-04-01 00:00:00')
    """
    year, rest = divmod(float(position), 4.0)
    months = rest * 3
    whole = int(np.floor(months + 1e-9))
    start = pd.Timestamp(year=int(year), month=whole + 1, day=1)
    return (start + pd.Timedelta(days=(months - whole) * start.days_in_month)).normalize()
