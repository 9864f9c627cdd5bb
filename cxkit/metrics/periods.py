"""Calendar periods (months, quarters) and per-period counts."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxkit.errors import InputError
from cxkit.metrics.counts import grouped_counts
from cxkit.metrics.selection import MetricRows

FREQUENCIES = {"Q": "quarter", "M": "month"}


def check_freq(freq: str) -> str:
    """Return ``freq`` if it is ``"Q"`` or ``"M"``, else raise InputError.

    Examples
    --------
    >>> check_freq("Q")
    'Q'
    """
    if freq not in FREQUENCIES:
        raise InputError("unsupported period length", column="freq",
                         expected="'Q' (quarters) or 'M' (months)", found=str(freq))
    return freq


def period_counts(
    rows: MetricRows, freq: str, by: Sequence[str] = (), as_of: pd.Timestamp | None = None
) -> pd.DataFrame:
    """Counts per period (and per group), with empty periods filled with zeros.

    Every observed group gets a row for every period from the first to the last
    response date of the metric. Rows without a date are left out.

    Parameters
    ----------
    rows : MetricRows
        One metric's rows (with a ``date`` column and the ``by`` columns).
    freq : {"Q", "M"}
        Quarters or months.
    by : sequence of str
        Optional grouping columns.
    as_of : pandas.Timestamp, optional
        Data cut-off used to mark periods complete; defaults to the latest date.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``period`` (Period dtype), ``complete`` (bool: the period
        ended on or before the cut-off) and the count columns, sorted by group and time.
    """
    by = list(by)
    frame = rows.frame
    period = frame["date"].dt.to_period(check_freq(freq))
    counts = grouped_counts(frame.assign(period=period), [*by, "period"], rows.kind, rows.top_from)
    if counts.empty:
        return counts.assign(complete=pd.Series(dtype=bool))
    full_range = pd.DataFrame({"period": pd.period_range(counts["period"].min(), counts["period"].max(), freq=freq)})
    grid = counts[by].drop_duplicates().merge(full_range, how="cross") if by else full_range
    count_cols = [c for c in counts.columns if c not in (*by, "period")]
    filled = grid.merge(counts, on=[*by, "period"], how="left")
    filled[count_cols] = filled[count_cols].fillna(0)
    for column in count_cols:
        if column not in ("sum", "sumsq"):
            filled[column] = filled[column].astype(np.int64)
    cutoff = (as_of if as_of is not None else frame["date"].max()).normalize()
    ends = pd.PeriodIndex(filled["period"]).end_time.normalize()
    filled.insert(len(by) + 1, "complete", np.asarray(ends <= cutoff))
    return filled.sort_values([*by, "period"], kind="stable").reset_index(drop=True)


def label_periods(table: pd.DataFrame) -> pd.DataFrame:
    """Replace the Period column by ``period`` (text like ``2025Q1``) and ``period_start``.

    Examples
    --------
    >>> t = pd.DataFrame({"period": pd.period_range("2025Q1", periods=2, freq="Q")})
    >>> label_periods(t)["period"].tolist()
    ['2025Q1', '2025Q2']
    """
    out = table.copy()
    index = pd.PeriodIndex(out["period"])
    position = out.columns.get_loc("period")
    out["period"] = index.astype(str)
    out.insert(position + 1, "period_start", index.start_time)
    return out
