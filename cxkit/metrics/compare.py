"""Differences between two sets of responses (periods, segments, sources)."""
from __future__ import annotations

import html
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from cxkit.metrics.formatting import format_diff, format_n, format_p, format_value
from cxkit.metrics.intervals import difference_test, nps_estimate, proportion_estimate
from cxkit.metrics.result import MetricResult
from cxkit.metrics.sample import SampleRules, status_array
from cxkit.metrics.score_metrics import Scores, ces, csat, nps, psat

ALPHA = 0.05
_BY_METRIC = {"nps": nps, "csat": csat, "ces": ces, "psat": psat}


@dataclass(frozen=True)
class Comparison:
    """A difference a - b between two results, with a two-sample z-test.

    Attributes
    ----------
    metric, label : str
        Metric name and display label.
    diff : float or None
        a - b in points (NPS points or percentage points).
    ci_low, ci_high : float or None
        95% interval of the difference.
    z, p_value : float or None
        z statistic and two-sided p-value.
    n_a, n_b : int
        Responses on each side.
    significant : bool
        p < 0.05.
    value_a, value_b : float or None
        The two values compared.
    label_a, label_b : str
        What a and b are (e.g. ``"2025Q2"`` and ``"2025Q1"``).
    status : str
        ``ok``; ``no_data`` when either side has no responses; ``withheld`` when
        either side is withheld by the sample rules (numbers are then None).
    """

    metric: str
    label: str
    diff: float | None
    ci_low: float | None
    ci_high: float | None
    z: float | None
    p_value: float | None
    n_a: int
    n_b: int
    significant: bool
    value_a: float | None = None
    value_b: float | None = None
    label_a: str = "A"
    label_b: str = "B"
    status: str = "ok"

    def as_dict(self) -> dict[str, Any]:
        """Return the fields as a plain dict."""
        return asdict(self)

    def display(self) -> str:
        """One line, e.g. ``"NPS 2025Q2 vs 2025Q1: +6 points (95% CI +1 to +11, p = 0.021, significant)"``."""
        head = f"{self.label} {self.label_a} vs {self.label_b}"
        if self.status != "ok" or self.diff is None:
            reason = "no data on one side" if self.status == "no_data" else "too few responses to compare"
            return f"{head}: {reason} (n = {format_n(self.n_a)} vs {format_n(self.n_b)})"
        verdict = "significant" if self.significant else "not significant"
        return (
            f"{head}: {format_diff(self.diff)} points (95% CI {format_diff(self.ci_low)} to "
            f"{format_diff(self.ci_high)}, {format_p(self.p_value)}, {verdict}; "
            f"n = {format_n(self.n_a)} vs {format_n(self.n_b)})"
        )

    def __str__(self) -> str:
        return self.display()

    def _repr_html_(self) -> str:
        is_nps = self.metric == "nps"
        rows = [
            (self.label_a, format_value(self.value_a, is_nps), format_n(self.n_a)),
            (self.label_b, format_value(self.value_b, is_nps), format_n(self.n_b)),
        ]
        body = "".join(
            f"<tr><th>{html.escape(name)}</th><td>{html.escape(v)}</td><td>n = {html.escape(n)}</td></tr>"
            for name, v, n in rows
        )
        summary = html.escape(self.display())
        return (
            f'<div class="cx-comparison"><table><caption>{html.escape(self.label)}</caption>'
            f"{body}</table><p>{summary}</p></div>"
        )


def _value_and_se(result: MetricResult) -> tuple[float, float]:
    counts = result.counts
    if result.metric == "nps":
        value, se = nps_estimate(counts["n"], counts["promoters"], counts["detractors"])
    else:
        value, se = proportion_estimate(counts["n"], counts["top2"])
    return float(value), float(se)


def compare_results(
    a: MetricResult, b: MetricResult, label_a: str = "A", label_b: str = "B"
) -> Comparison:
    """Compare two results of the same metric with a two-sample z-test.

    Uses the plain standard errors recomputed from each result's counts (for NPS
    100 sqrt((p + d - (p - d)^2) / n), for percentages the unpooled 100 sqrt(p (1 - p)
    / n)): z = (a - b) / sqrt(se_a^2 + se_b^2), interval (a - b) +/- 1.96 sqrt(...).

    Parameters
    ----------
    a, b : MetricResult
        Results of the same metric.
    label_a, label_b : str
        Names of the two sides.

    Returns
    -------
    Comparison
        ``status`` is ``no_data`` or ``withheld`` (numbers None, not significant)
        when either side cannot be reported.

    Examples
    --------
    >>> c = compare_results(nps([10] * 60 + [0] * 40), nps([10] * 40 + [0] * 60))
    >>> c.diff, c.significant
    (40.0, True)
    """
    if a.metric != b.metric:
        raise ValueError(f"cannot compare {a.metric} with {b.metric}")
    statuses = {a.status, b.status}
    status = "no_data" if "no_data" in statuses else "withheld" if "withheld" in statuses else "ok"
    common = dict(metric=a.metric, label=a.label, n_a=a.n, n_b=b.n, label_a=label_a, label_b=label_b)
    if status != "ok":
        return Comparison(diff=None, ci_low=None, ci_high=None, z=None, p_value=None,
                          significant=False, status=status, **common)
    (value_a, se_a), (value_b, se_b) = _value_and_se(a), _value_and_se(b)
    test = {k: float(v) for k, v in difference_test(value_a, se_a, value_b, se_b).items()}
    return Comparison(
        diff=test["diff"], ci_low=test["ci_low"], ci_high=test["ci_high"], z=test["z"],
        p_value=test["p_value"], significant=bool(test["p_value"] < ALPHA),
        value_a=value_a, value_b=value_b, status=status, **common,
    )


def compare(
    scores_a: Scores,
    scores_b: Scores,
    metric: str = "nps",
    scale: int | None = None,
    rules: SampleRules | None = None,
    labels: tuple[str, str] = ("A", "B"),
) -> Comparison:
    """Compare a metric between two sets of raw scores (diff = a - b).

    Parameters
    ----------
    scores_a, scores_b : pandas.Series or sequence of float
        Raw answers of the two groups.
    metric : {"nps", "csat", "ces", "psat"}
        Which metric.
    scale : int, optional
        Scale points for csat/ces/psat (defaults: 5, 7, 5; psat 2 = binary).
    rules : SampleRules, optional
        Sample-size rules; a withheld side makes the comparison ``withheld``.
    labels : tuple of str
        Names of the two sides.

    Returns
    -------
    Comparison

    Examples
    --------
    >>> compare([10] * 50, [0] * 50).display()
    'NPS A vs B: +200 points (95% CI +200 to +200, p < 0.001, significant; n = 50 vs 50)'
    """
    if metric not in _BY_METRIC:
        raise ValueError(f"unknown metric {metric!r}; use one of {sorted(_BY_METRIC)}")
    compute = _BY_METRIC[metric]
    kwargs: dict[str, Any] = {"rules": rules}
    if metric != "nps" and scale is not None:
        kwargs["scale"] = scale
    return compare_results(compute(scores_a, **kwargs), compute(scores_b, **kwargs), *labels)


def compare_count_tables(
    counts_a: pd.DataFrame, counts_b: pd.DataFrame, kind: str, rules: SampleRules | None = None
) -> pd.DataFrame:
    """Row-by-row comparison of two aligned count tables, vectorised.

    Parameters
    ----------
    counts_a, counts_b : pandas.DataFrame
        Count columns (same row order), see :mod:`cxkit.metrics.counts`.
    kind : {"nps", "top2"}
    rules : SampleRules, optional
        Rows where either side is withheld or empty get NaN and ``significant`` False.

    Returns
    -------
    pandas.DataFrame
        Columns ``value_a, value_b, n_a, n_b, diff, ci_low, ci_high, z, p_value,
        significant`` with the index of ``counts_a``.

    Examples
    --------
    >>> a = pd.DataFrame({"n": [100], "top2": [80]})
    >>> b = pd.DataFrame({"n": [100], "top2": [60]})
    >>> bool(compare_count_tables(a, b, "top2")["significant"].iloc[0])
    True
    """
    sides = []
    for counts in (counts_a, counts_b):
        n = counts["n"].to_numpy()
        if kind == "nps":
            value, se = nps_estimate(n, counts["promoters"].to_numpy(), counts["detractors"].to_numpy())
        else:
            value, se = proportion_estimate(n, counts["top2"].to_numpy())
        hidden = ~np.isin(status_array(n, rules), ["ok", "small"])
        sides.append((np.where(hidden, np.nan, value), np.where(hidden, np.nan, se), n))
    (va, sa, na), (vb, sb, nb) = sides
    test = difference_test(va, sa, vb, sb)
    out = pd.DataFrame({"value_a": va, "value_b": vb, "n_a": na, "n_b": nb}, index=counts_a.index)
    for key in ("diff", "ci_low", "ci_high", "z", "p_value"):
        out[key] = test[key]
    out["significant"] = np.nan_to_num(test["p_value"], nan=1.0) < ALPHA
    return out
