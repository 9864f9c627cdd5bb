"""Metrics over time: per period, per segment and period, and what changed lately."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxkit.metrics.compare import Comparison, compare_count_tables, compare_results
from cxkit.metrics.counts import NPS_COUNTS, TOP2_COUNTS
from cxkit.metrics.formulas import RESULT_COLUMNS, finalise_table, result_from_counts
from cxkit.metrics.labels import metric_label
from cxkit.metrics.periods import label_periods, period_counts
from cxkit.metrics.sample import SampleRules
from cxkit.metrics.segments import as_list
from cxkit.metrics.selection import select_metric


def _count_columns(kind: str) -> list[str]:
    return list(NPS_COUNTS if kind == "nps" else TOP2_COUNTS)


def trend(
    responses: pd.DataFrame,
    metric: str,
    freq: str = "Q",
    rules: SampleRules | None = None,
    as_of: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The metric per calendar quarter or month.

    Periods without responses between the first and the last appear with n = 0 and
    status ``no_data``, so charts show the gap.

    Parameters
    ----------
    responses : pandas.DataFrame
        The tidy responses table (needs ``date``).
    metric : str
        Metric name.
    freq : {"Q", "M"}
        Quarters (``2025Q1``) or months (``2025-01``).
    rules : SampleRules, optional
        Sample-size rules.
    as_of : pandas.Timestamp, optional
        Data cut-off for the ``complete`` flag (default: latest response date).

    Returns
    -------
    pandas.DataFrame
        ``period`` (text), ``period_start`` (Timestamp), ``complete`` (bool: the
        period had ended by the cut-off) and ``metric, value, n, ci_low, ci_high, se,
        mean, status``, sorted by time.

    Examples
    --------
    >>> dates = pd.to_datetime(["2025-01-15"] * 12 + ["2025-04-15"] * 12)
    >>> table = pd.DataFrame({"metric": "csat", "date": dates, "score": [5.0, 1.0] * 12,
    ...                       "scale_min": 1, "scale_max": 5})
    >>> trend(table, "csat")[["period", "value", "complete"]].values.tolist()
    [['2025Q1', 50.0, True], ['2025Q2', 50.0, False]]
    """
    if not isinstance(responses, pd.DataFrame):  # a LargeSurvey: computed by DuckDB over the file
        from cxkit.metrics import large

        return large.trend(responses, metric, freq, rules, as_of)
    rows = select_metric(responses, metric, ["date"])
    counts = period_counts(rows, freq, as_of=as_of)
    table = finalise_table(counts, rows.kind, metric, rules)
    return label_periods(table[["period", "complete", *RESULT_COLUMNS]])


def segment_trend(
    responses: pd.DataFrame,
    metric: str,
    by: str | Sequence[str],
    freq: str = "Q",
    rules: SampleRules | None = None,
    as_of: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The metric per group and period (long table), for spotting a declining segment.

    Parameters
    ----------
    responses : pandas.DataFrame
        The tidy responses table (needs ``date`` and the ``by`` columns).
    metric : str
        Metric name.
    by : str or sequence of str
        Grouping column(s).
    freq : {"Q", "M"}
        Period length.
    rules : SampleRules, optional
        Sample-size rules, applied to each cell.
    as_of : pandas.Timestamp, optional
        Data cut-off for the ``complete`` flag.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``period, period_start, complete`` and the result
        columns; every observed group has a row for every period.
    """
    if not isinstance(responses, pd.DataFrame):  # a LargeSurvey: computed by DuckDB over the file
        from cxkit.metrics import large

        return large.segment_trend(responses, metric, by, freq, rules, as_of)
    keys = as_list(by)
    rows = select_metric(responses, metric, [*keys, "date"])
    counts = period_counts(rows, freq, keys, as_of=as_of)
    table = finalise_table(counts, rows.kind, metric, rules)
    return label_periods(table[[*keys, "period", "complete", *RESULT_COLUMNS]])


def change_since_previous(
    responses: pd.DataFrame,
    metric: str,
    freq: str = "Q",
    rules: SampleRules | None = None,
    as_of: pd.Timestamp | None = None,
) -> Comparison:
    """The last complete period against the one before it (two-sample z-test).

    A period is complete when it ended on or before the cut-off (``as_of``, by
    default the latest response date), so a quarter still in progress is not
    compared.

    Parameters
    ----------
    responses : pandas.DataFrame
        The tidy responses table.
    metric : str
        Metric name.
    freq : {"Q", "M"}
        Period length.
    rules : SampleRules, optional
        Sample-size rules.
    as_of : pandas.Timestamp, optional
        Data cut-off.

    Returns
    -------
    Comparison
        ``label_a`` is the last complete period, ``label_b`` the one before; status
        ``no_data`` when there are fewer than two complete periods.
    """
    if not isinstance(responses, pd.DataFrame):  # a LargeSurvey: computed by DuckDB over the file
        from cxkit.metrics import large

        return large.change_since_previous(responses, metric, freq, rules, as_of)
    rows = select_metric(responses, metric, ["date"])
    counts = period_counts(rows, freq, as_of=as_of)
    complete = counts[counts["complete"]] if len(counts) else counts
    if len(complete) < 2:
        return Comparison(metric=metric, label=metric_label(metric, rows.scale), diff=None,
                          ci_low=None, ci_high=None, z=None, p_value=None, n_a=0, n_b=0,
                          significant=False, label_a="last period", label_b="previous period",
                          status="no_data")
    last, previous = complete.iloc[-1], complete.iloc[-2]
    results = [
        result_from_counts({c: row[c] for c in _count_columns(rows.kind)}, rows.kind, metric, rows.scale, rules)
        for row in (last, previous)
    ]
    return compare_results(results[0], results[1], str(last["period"]), str(previous["period"]))


DECLINE_REASONS = {"both": "below the previous period and its level in earlier periods",
                   "previous": "below the previous period", "earlier": "below its level in earlier periods"}
"""The ``reason`` of :func:`declining_segments`, by the kind of fall."""


def _cells(counts: pd.DataFrame, keys: list[str], groups: pd.DataFrame, count_cols: list[str]) -> pd.DataFrame:
    summed = counts.groupby(keys, observed=True)[count_cols].sum().reset_index() if len(counts) else counts
    merged = groups.merge(summed[[*keys, *count_cols]], on=keys, how="left")
    return merged[count_cols].fillna(0)


def declining_segments(
    responses: pd.DataFrame,
    metric: str,
    by: str | Sequence[str],
    freq: str = "Q",
    rules: SampleRules | None = None,
    as_of: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Flag groups whose latest complete period is significantly worse than before.

    The rule, per group: take the last complete period L (the same for all groups).
    The group is ``declining`` when its value in L is significantly below (two-sided
    z-test, p < 0.05, negative difference) either

    * the period immediately before L (a sudden drop), or
    * its baseline: all earlier complete periods pooled (a drop against its own
      history, which is steadier than any single period).

    Pooling counts, rather than averaging period values, weights each response
    equally and gives a proper standard error. Cells withheld by the sample rules
    are never flagged.

    Parameters
    ----------
    responses : pandas.DataFrame
        The tidy responses table.
    metric : str
        Metric name.
    by : str or sequence of str
        Grouping column(s).
    freq : {"Q", "M"}
        Period length.
    rules : SampleRules, optional
        Sample-size rules.
    as_of : pandas.Timestamp, optional
        Data cut-off for deciding which periods are complete.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``metric, last_period, value_last, n_last,
        previous_period, value_previous, n_previous, diff_previous, p_previous,
        value_baseline, n_baseline, diff_baseline, p_baseline, declining, reason``;
        declining groups first, then by ``diff_previous`` ascending. Empty when there
        are fewer than two complete periods.
    """
    keys = as_list(by)
    rows = select_metric(responses, metric, [*keys, "date"])
    counts = period_counts(rows, freq, keys, as_of=as_of)
    complete = counts[counts["complete"]] if len(counts) else counts
    periods = sorted(complete["period"].unique()) if len(complete) else []
    columns = [*keys, "metric", "last_period", "value_last", "n_last", "previous_period",
               "value_previous", "n_previous", "diff_previous", "p_previous", "value_baseline",
               "n_baseline", "diff_baseline", "p_baseline", "declining", "reason"]
    if len(periods) < 2:
        return pd.DataFrame(columns=columns)
    count_cols = _count_columns(rows.kind)
    groups = counts[keys].drop_duplicates().reset_index(drop=True)
    last_p, prev_p = periods[-1], periods[-2]
    last = _cells(complete[complete["period"] == last_p], keys, groups, count_cols)
    previous = _cells(complete[complete["period"] == prev_p], keys, groups, count_cols)
    baseline = _cells(complete[complete["period"] < last_p], keys, groups, count_cols)
    vs_prev = compare_count_tables(last, previous, rows.kind, rules)
    vs_base = compare_count_tables(last, baseline, rows.kind, rules)
    drop_prev = vs_prev["significant"] & (vs_prev["diff"] < 0)
    drop_base = vs_base["significant"] & (vs_base["diff"] < 0)
    reason = np.select([drop_prev & drop_base, drop_prev, drop_base],
                       [DECLINE_REASONS["both"], DECLINE_REASONS["previous"], DECLINE_REASONS["earlier"]], default="")
    out = groups.assign(
        metric=metric, last_period=str(last_p), value_last=vs_prev["value_a"], n_last=vs_prev["n_a"],
        previous_period=str(prev_p), value_previous=vs_prev["value_b"], n_previous=vs_prev["n_b"],
        diff_previous=vs_prev["diff"], p_previous=vs_prev["p_value"], value_baseline=vs_base["value_b"],
        n_baseline=vs_base["n_b"], diff_baseline=vs_base["diff"], p_baseline=vs_base["p_value"],
        declining=drop_prev | drop_base, reason=reason,
    )
    order = out.assign(_flag=~out["declining"]).sort_values(["_flag", "diff_previous"], kind="stable").index
    return out.loc[order, columns].reset_index(drop=True)
