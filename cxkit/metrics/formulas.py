"""Finalisers: counts -> :class:`MetricResult` (one figure) or a results table.

These functions only see counts, never rows, so a SQL engine that produces the same
counts (see :mod:`cxkit.metrics.counts`) can reuse them unchanged.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cxkit.metrics.intervals import (
    mean_of_scores,
    nps_adjusted_wald,
    nps_estimate,
    proportion_estimate,
    wilson_interval,
)
from cxkit.metrics.labels import metric_label
from cxkit.metrics.result import MetricResult
from cxkit.metrics.sample import SampleRules, status_array
from cxkit.metrics.scales import NPS_SCALE, Scale

RESULT_COLUMNS = ["metric", "value", "n", "ci_low", "ci_high", "se", "mean", "status"]
_ESTIMATES = ["value", "ci_low", "ci_high", "se", "mean"]


def estimates(kind: str, counts: dict[str, np.ndarray] | pd.DataFrame) -> dict[str, np.ndarray]:
    """Value, interval, SE and mean for counts of one kind, vectorised.

    Parameters
    ----------
    kind : {"nps", "top2"}
        NPS (value in points, adjusted-Wald interval) or top-2-box (percentage,
        Wilson interval).
    counts : dict or pandas.DataFrame
        Count columns as produced by :mod:`cxkit.metrics.counts`; ``sum`` is
        optional (the mean is NaN without it).

    Returns
    -------
    dict of numpy.ndarray
        Keys ``value, ci_low, ci_high, se, mean``; NaN where n is 0.

    Examples
    --------
    >>> out = estimates("top2", {"n": np.array([10]), "top2": np.array([8])})
    >>> float(out["value"][0]), round(float(out["ci_low"][0]), 2)
    (80.0, 49.02)
    """
    n = np.asarray(counts["n"], dtype=float)
    if kind == "nps":
        value, se = nps_estimate(n, counts["promoters"], counts["detractors"])
        low, high = nps_adjusted_wald(n, counts["promoters"], counts["detractors"])
    elif kind == "top2":
        value, se = proportion_estimate(n, counts["top2"])
        low, high = wilson_interval(n, counts["top2"])
    else:
        raise ValueError(f"unknown metric kind {kind!r}")
    total = counts["sum"] if "sum" in counts else np.full(n.shape, np.nan)
    mean = mean_of_scores(n, total)
    return {"value": value, "ci_low": low, "ci_high": high, "se": se, "mean": mean}


def _scalar(x: np.ndarray) -> float | None:
    value = float(np.asarray(x).reshape(-1)[0])
    return None if math.isnan(value) else value


def _result(metric, label, kind, counts, scale: Scale, rules) -> MetricResult:
    n = int(counts["n"])
    status = str(status_array(np.asarray([n]), rules)[0])
    arrays = {key: np.asarray([v]) for key, v in counts.items() if v is not None}
    shown = status in ("ok", "small")
    numbers = {k: (_scalar(v) if shown else None) for k, v in estimates(kind, arrays).items()}
    clean_counts = {
        k: (float(v) if k in ("sum", "sumsq") else int(v)) for k, v in counts.items() if v is not None
    }
    return MetricResult(
        metric=metric, n=n, counts=clean_counts, scale_min=scale.minimum,
        scale_max=scale.maximum, status=status, label=label, **numbers,
    )


def nps_from_counts(
    n: int,
    promoters: int,
    detractors: int,
    *,
    passives: int | None = None,
    score_sum: float | None = None,
    score_sumsq: float | None = None,
    rules: SampleRules | None = None,
) -> MetricResult:
    """Finalise NPS from counts.

    NPS = 100 (p - d) with p, d the promoter (9-10) and detractor (0-6) shares;
    SE = 100 sqrt((p + d - (p - d)^2) / n). The 95% interval is adjusted-Wald (add
    3/4 to promoters and to detractors and 3 to n, same variance formula, +/- 1.96
    SE', clipped to [-100, 100]); the reported value remains the plain NPS.

    Parameters
    ----------
    n, promoters, detractors : int
        Counts of valid responses, promoters and detractors.
    passives : int, optional
        Defaults to ``n - promoters - detractors``.
    score_sum, score_sumsq : float, optional
        Sum and sum of squares of the raw 0-10 scores (for the mean and SD).
    rules : SampleRules, optional
        Sample-size rules (default: warn below 30, withhold below 10).

    Returns
    -------
    MetricResult
        With ``value``, ``ci_low``, ``ci_high``, ``se`` and ``mean`` set to None when
        the status is ``withheld`` or ``no_data``.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "Net Promoter Score".
       The American Statistician, 70(4), 365-372.
    .. [2] Sauro, J. & Lewis, J. R. (2016). Quantifying the User Experience, 2nd ed.
       (adjusted-Wald intervals).

    Examples
    --------
    >>> r = nps_from_counts(10, 5, 2, rules=SampleRules(warn_below=5, withhold_below=1))
    >>> r.value, round(r.se, 3), round(r.ci_low, 2), round(r.ci_high, 2)
    (30.0, 24.698, -19.05, 65.21)
    """
    if passives is None:
        passives = n - promoters - detractors
    if min(n, promoters, detractors, passives) < 0:
        raise ValueError("counts must be non-negative and promoters + detractors <= n")
    counts = {
        "n": n, "promoters": promoters, "passives": passives, "detractors": detractors,
        "sum": score_sum, "sumsq": score_sumsq,
    }
    return _result("nps", "NPS", "nps", counts, NPS_SCALE, rules)


def top2_from_counts(
    n: int,
    top2: int,
    *,
    scale: Scale,
    metric: str = "csat",
    score_sum: float | None = None,
    score_sumsq: float | None = None,
    rules: SampleRules | None = None,
) -> MetricResult:
    """Finalise a top-2-box percentage (CSAT, CES, PSAT, attributes) from counts.

    value = 100 top2 / n; SE = 100 sqrt(p (1 - p) / n); the 95% interval is the
    Wilson (1927) score interval, which stays inside 0..100 and behaves well for
    small n and extreme shares. On a binary scale ``top2`` counts the top point.

    Parameters
    ----------
    n, top2 : int
        Valid responses and top-box answers.
    scale : Scale
        The rating scale (reported on the result, labels binary scales).
    metric : str
        Metric name.
    score_sum, score_sumsq : float, optional
        Sum and sum of squares of raw scores (for the mean and SD).
    rules : SampleRules, optional
        Sample-size rules.

    Returns
    -------
    MetricResult

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession, and
       statistical inference. JASA, 22(158), 209-212.

    Examples
    --------
    >>> r = top2_from_counts(40, 32, scale=Scale(1, 5), score_sum=160.0)
    >>> r.value, r.mean, r.status
    (80.0, 4.0, 'ok')
    """
    if n < 0 or top2 < 0 or top2 > n:
        raise ValueError("counts must satisfy 0 <= top2 <= n")
    counts = {"n": n, "top2": top2, "sum": score_sum, "sumsq": score_sumsq}
    return _result(metric, metric_label(metric, scale), "top2", counts, scale, rules)


def result_from_counts(
    counts: dict[str, float], kind: str, metric: str, scale: Scale, rules: SampleRules | None = None
) -> MetricResult:
    """Finalise a counts dict (as from :func:`cxkit.metrics.counts.nps_counts`).

    Examples
    --------
    >>> result_from_counts({"n": 0, "top2": 0}, "top2", "csat", Scale(1, 5)).status
    'no_data'
    """
    extras = {"score_sum": counts.get("sum"), "score_sumsq": counts.get("sumsq"), "rules": rules}
    if kind == "nps":
        return nps_from_counts(
            int(counts["n"]), int(counts["promoters"]), int(counts["detractors"]),
            passives=int(counts["passives"]) if "passives" in counts else None, **extras,
        )
    return top2_from_counts(int(counts["n"]), int(counts["top2"]), scale=scale, metric=metric, **extras)


def finalise_table(counts: pd.DataFrame, kind: str, metric: str, rules: SampleRules | None = None) -> pd.DataFrame:
    """Add ``metric, value, ci_low, ci_high, se, mean, status`` to a table of counts.

    Vectorised over rows. Withheld and empty groups get NaN in the estimate columns.

    Parameters
    ----------
    counts : pandas.DataFrame
        Key columns plus count columns (see :func:`cxkit.metrics.counts.grouped_counts`).
    kind : {"nps", "top2"}
    metric : str
        Metric name written in the ``metric`` column.
    rules : SampleRules, optional

    Returns
    -------
    pandas.DataFrame
        The input columns followed by the result columns.

    Examples
    --------
    >>> table = pd.DataFrame({"g": ["a"], "n": [12], "top2": [6], "sum": [42.0]})
    >>> finalise_table(table, "top2", "csat")[["value", "mean", "status"]].values.tolist()
    [[50.0, 3.5, 'small']]
    """
    out = counts.copy()
    status = status_array(out["n"].to_numpy(), rules)
    hidden = ~np.isin(status, ["ok", "small"])
    out["metric"] = metric
    for key, values in estimates(kind, out).items():
        out[key] = np.where(hidden, np.nan, values)
    out["status"] = status
    return out
