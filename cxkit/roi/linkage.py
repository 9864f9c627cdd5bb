"""Linking NPS to behaviour: each customer's latest NPS, and churn by NPS group."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtri

from cxkit.errors import InputError, closest
from cxkit.metrics import intervals

GROUPS = ("detractor", "passive", "promoter")
CHURN_TABLE_COLUMNS = ["group", "customers", "churned", "churn_rate", "ci_low", "ci_high"]


def require_columns(df: pd.DataFrame, columns: list[str], what: str) -> None:
    """Raise an :class:`InputError` naming the first missing column and its closest match."""
    for col in columns:
        if col not in df.columns:
            raise InputError(f"the {what} has no column {col!r}", column=col,
                             expected=", ".join(columns), hint=closest(col, df.columns))


def nps_group(score: pd.Series) -> pd.Series:
    """NPS group of 0-10 scores: detractor (0-6), passive (7-8), promoter (9-10).

    Examples
    --------
    >>> nps_group(pd.Series([0, 6, 7, 8, 9, 10])).tolist()
    ['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']
    """
    s = pd.to_numeric(score, errors="coerce")
    out = pd.Series(np.select([s >= 9, s >= 7, s >= 0], ["promoter", "passive", "detractor"], ""),
                    index=score.index)
    return out.replace("", pd.NA).astype(pd.CategoricalDtype(list(GROUPS)))


def latest_nps_by_customer(responses_long: Any, until: pd.Timestamp | None = None) -> pd.DataFrame:
    """Each customer's most recent NPS answer.

    Parameters
    ----------
    responses_long : DataFrame or LargeSurvey
        Tidy responses with ``customer_id, date, metric, score``, or survey files read
        by DuckDB (:class:`cxkit.metrics.large.LargeSurvey`).
    until : Timestamp, optional
        Ignore answers after this moment.

    Returns
    -------
    DataFrame
        ``customer_id, nps_date, nps_score, nps_group``, one row per customer.
    """
    if isinstance(responses_long, pd.DataFrame):
        require_columns(responses_long, ["customer_id", "date", "metric", "score"], "responses table")
        nps = responses_long.loc[(responses_long["metric"].astype(str) == "nps")
                                 & responses_long["customer_id"].notna()
                                 & responses_long["score"].notna()
                                 & (responses_long["date"] <= (until if until is not None else pd.Timestamp.max)),
                                 ["customer_id", "date", "score"]]
        nps = nps.sort_values(["customer_id", "date"], kind="stable").groupby("customer_id").tail(1)
    else:  # survey files too large for pandas: DuckDB reads them
        nps = responses_long.latest_by_customer("nps", until)
    out = nps.rename(columns={"date": "nps_date", "score": "nps_score"}).reset_index(drop=True)
    out["customer_id"] = out["customer_id"].astype(str)
    out["nps_group"] = nps_group(out["nps_score"])
    return out[["customer_id", "nps_date", "nps_score", "nps_group"]]


def attach_nps(customers: pd.DataFrame, latest_nps: pd.DataFrame) -> pd.DataFrame:
    """Customers who answered the NPS question, with their latest score and group.

    Returns
    -------
    DataFrame
        The customer table's columns plus ``nps_date, nps_score, nps_group`` (inner join).
    """
    require_columns(customers, ["customer_id"], "customer table")
    left = customers.assign(customer_id=customers["customer_id"].astype(str))
    return left.merge(latest_nps, on="customer_id", how="inner", validate="one_to_one")


def wilson_interval(successes: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion, as fractions (it always holds the proportion).

    Examples
    --------
    >>> lo, hi = wilson_interval(0, 20)
    >>> lo, round(hi, 4)
    (0.0, 0.1611)
    """
    if n == 0:
        return (np.nan, np.nan)
    z = float(ndtri(0.5 + level / 2))  # the normal quantile, as scipy.stats.norm.ppf
    low, high = intervals.wilson_interval(n, successes, z=z)  # the metric engine's, in percent
    return (float(low) / 100.0, float(high) / 100.0)


def check_churned(df: pd.DataFrame, file: str = "operations/customers.csv") -> pd.Series:
    """The ``churned`` column as 0/1 integers, or an :class:`InputError` naming a bad row."""
    require_columns(df, ["churned"], "customer table")
    values = pd.to_numeric(df["churned"], errors="coerce")
    bad = ~values.isin([0, 1])
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        who = f" (customer {df['customer_id'].iloc[pos]})" if "customer_id" in df.columns else ""
        raise InputError(f"churned must be 0 or 1{who}", file=file, column="churned",
                         found=str(df["churned"].iloc[pos]), expected="0 or 1")
    return values.astype(int)


def churn_by_nps_group(customers_with_nps: pd.DataFrame) -> pd.DataFrame:
    """Churn rate by NPS group with 95 % Wilson intervals.

    Parameters
    ----------
    customers_with_nps : DataFrame
        Needs ``churned`` (0/1) and ``nps_group`` (or ``nps_score``).

    Returns
    -------
    DataFrame
        ``group, customers, churned, churn_rate, ci_low, ci_high``; one row per group, a
        group without customers has NaN rate and interval.
    """
    df = customers_with_nps
    groups = df["nps_group"] if "nps_group" in df.columns else nps_group(df["nps_score"]) \
        if "nps_score" in df.columns else None
    if groups is None:
        raise InputError("the customer table has no NPS score attached", column="nps_score",
                         hint="Join the latest NPS per customer first (attach_nps)")
    churned = check_churned(df)
    rows = []
    for g in GROUPS:
        mask = (groups.astype(str) == g).to_numpy()
        n, k = int(mask.sum()), int(churned[mask].sum())
        lo, hi = wilson_interval(k, n)
        rows.append((g, n, k, k / n if n else np.nan, lo, hi))
    return pd.DataFrame(rows, columns=CHURN_TABLE_COLUMNS)
