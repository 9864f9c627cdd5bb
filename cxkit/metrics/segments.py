"""Metrics per segment (or any dimension) and each segment against the rest."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxkit.metrics.compare import compare_count_tables
from cxkit.metrics.counts import NPS_COUNTS, TOP2_COUNTS, grouped_counts
from cxkit.metrics.formulas import RESULT_COLUMNS, finalise_table
from cxkit.metrics.sample import SampleRules
from cxkit.metrics.selection import select_metric


def as_list(by: str | Sequence[str]) -> list[str]:
    """Return grouping columns as a list.

    Examples
    --------
    >>> as_list("segment"), as_list(["segment", "region"])
    (['segment'], ['segment', 'region'])
    """
    return [by] if isinstance(by, str) else list(by)


def order_results(table: pd.DataFrame, value: str = "value") -> pd.DataFrame:
    """Sort results by ``value`` descending with withheld and empty rows last.

    Examples
    --------
    >>> t = pd.DataFrame({"value": [10.0, np.nan, 30.0], "n": [40, 5, 40]})
    >>> order_results(t)["value"].tolist()[:2]
    [30.0, 10.0]
    """
    hidden = table[value].isna().to_numpy()
    keys = pd.DataFrame({"hidden": hidden, "value": -table[value].fillna(0).to_numpy(),
                         "n": -table["n"].to_numpy()}, index=table.index)
    order = keys.sort_values(["hidden", "value", "n"], kind="stable").index
    return table.loc[order].reset_index(drop=True)


def segments(
    responses: pd.DataFrame,
    metric: str,
    by: str | Sequence[str],
    rules: SampleRules | None = None,
) -> pd.DataFrame:
    """One result row per value of ``by`` (e.g. segment, region, channel).

    Grouping is a single vectorised ``groupby`` on counts, so it scales to millions
    of rows. Rows whose group value is missing are left out.

    Parameters
    ----------
    responses : pandas.DataFrame
        The tidy responses table.
    metric : str
        ``nps``, ``csat``, ``ces``, ``psat`` or ``attr_<name>``.
    by : str or sequence of str
        Grouping column(s).
    rules : SampleRules, optional
        Sample-size rules; withheld groups have NaN estimates.

    Returns
    -------
    pandas.DataFrame
        Columns: the ``by`` columns, ``metric, value, n, ci_low, ci_high, se, mean,
        status``; sorted by value descending, withheld groups last.

    Examples
    --------
    >>> table = pd.DataFrame({"metric": "nps", "segment": ["a"] * 40 + ["b"] * 5,
    ...                       "score": [10.0] * 30 + [0.0] * 10 + [9.0] * 5,
    ...                       "scale_min": 0, "scale_max": 10})
    >>> segments(table, "nps", "segment")[["segment", "value", "status"]].values.tolist()
    [['a', 50.0, 'ok'], ['b', nan, 'withheld']]
    """
    if not isinstance(responses, pd.DataFrame):  # a LargeSurvey: computed by DuckDB over the file
        from cxkit.metrics import large

        return large.segments(responses, metric, by, rules)
    keys = as_list(by)
    rows = select_metric(responses, metric, keys)
    counts = grouped_counts(rows.frame, keys, rows.kind, rows.top_from)
    table = finalise_table(counts, rows.kind, metric, rules)
    return order_results(table[[*keys, *RESULT_COLUMNS]])


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment of p-values; missing ones stay missing.

    The k-th smallest of m p-values is multiplied by m - k + 1, each adjusted value is
    the running maximum of those products, capped at 1 (Holm 1979). This is what
    ``statsmodels.stats.multitest.multipletests(method="holm")`` returns (a unit test
    compares them), without the full garbage collection that function forces on every
    call (about 80 ms in a notebook's heap).

    Parameters
    ----------
    p_values : numpy.ndarray
        Unadjusted p-values, NaN where a test was not run.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, in the input order.

    Examples
    --------
    >>> holm(np.array([0.01, 0.04, np.nan, 0.03])).round(2).tolist()
    [0.03, 0.06, nan, 0.06]
    """
    adjusted = np.full(p_values.shape, np.nan)
    present = np.flatnonzero(~np.isnan(p_values))
    if present.size:
        order = present[np.argsort(p_values[present], kind="stable")]
        m = order.size
        stepped = np.maximum.accumulate((m - np.arange(m)) * p_values[order])
        adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted


def segment_vs_rest(
    responses: pd.DataFrame,
    metric: str,
    by: str | Sequence[str],
    rules: SampleRules | None = None,
) -> pd.DataFrame:
    """Each group against all other responses, with a two-sample z-test.

    "The rest" is every other answered row of the metric, including rows whose
    group value is missing. With many groups some differences will be
    significant by chance; ``p_holm`` gives Holm-adjusted p-values across groups.

    Parameters
    ----------
    responses : pandas.DataFrame
        The tidy responses table.
    metric : str
        Metric name.
    by : str or sequence of str
        Grouping column(s).
    rules : SampleRules, optional
        A withheld group or rest gives NaN and ``significant`` False.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``metric, value, n, rest_value, rest_n, diff, ci_low,
        ci_high, z, p_value, p_holm, significant, status``; sorted by ``diff``
        descending (untestable rows last).

    Examples
    --------
    >>> table = pd.DataFrame({"metric": "csat", "region": ["n"] * 100 + ["s"] * 100,
    ...                       "score": [5.0] * 90 + [1.0] * 10 + [5.0] * 50 + [1.0] * 50,
    ...                       "scale_min": 1, "scale_max": 5})
    >>> out = segment_vs_rest(table, "csat", "region")
    >>> out[["region", "diff", "significant"]].values.tolist()
    [['n', 40.0, True], ['s', -40.0, True]]
    """
    keys = as_list(by)
    rows = select_metric(responses, metric, keys)
    counts = grouped_counts(rows.frame, keys, rows.kind, rows.top_from)
    count_cols = list(NPS_COUNTS if rows.kind == "nps" else TOP2_COUNTS)
    totals = grouped_counts(rows.frame, [], rows.kind, rows.top_from)[count_cols].iloc[0]
    rest = totals - counts[count_cols]
    test = compare_count_tables(counts[count_cols], rest, rows.kind, rules)
    table = finalise_table(counts, rows.kind, metric, rules)
    out = table[[*keys, "metric", "value", "n"]].assign(
        rest_value=test["value_b"], rest_n=test["n_b"].astype(np.int64), diff=test["diff"],
        ci_low=test["ci_low"], ci_high=test["ci_high"], z=test["z"], p_value=test["p_value"],
        p_holm=holm(test["p_value"].to_numpy()), significant=test["significant"],
        status=table["status"],
    )
    return order_results(out, value="diff")
