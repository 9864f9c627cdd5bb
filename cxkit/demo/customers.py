"""The demo's customer base: segments, regions, contract value, tenure and churn."""
from __future__ import annotations

import numpy as np
import pandas as pd

SEGMENTS: tuple[str, ...] = ("Enterprise", "Mid-market", "SMB")
"""Customer segments; SMB is the one whose NPS declines in the last quarters."""

REGIONS: tuple[str, ...] = ("EMEA", "North America", "APAC")
"""Sales regions."""

_SEGMENT_SHARE = np.array([0.15, 0.35, 0.50])
_REGION_SHARE = np.array([0.45, 0.35, 0.20])
_VALUE_MEDIAN = np.array([95_000.0, 24_000.0, 5_500.0])
_RESPONSE_WEIGHT = np.array([3.0, 1.5, 1.0])
_CHURN_BY_GROUP = np.array([0.25, 0.12, 0.05, 0.10])
"""Churn probability by latest NPS group: detractor, passive, promoter, no NPS answer."""
_CHURN_SEGMENT_FACTOR = np.array([0.7, 1.0, 1.15])


def customer_count(responses: int) -> int:
    """Return how many customers a demo with ``responses`` survey responses has.

    Examples
    --------
    >>> customer_count(20_000)
    2500
    """
    return int(min(max(responses // 8, 300), 250_000))


def make_customers(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Draw ``n`` customers.

    Returns
    -------
    pandas.DataFrame
        ``customer_no`` (0..n-1), ``customer_id`` (``C00001``...), ``segment``, ``region``
        (categoricals), ``annual_value`` (whole EUR), ``tenure_years`` (one decimal),
        ``loyalty`` (latent standard-normal attitude that lifts every score of the
        customer) and ``response_weight`` (how often the customer answers surveys).
    """
    segment = rng.choice(len(SEGMENTS), size=n, p=_SEGMENT_SHARE)
    region = rng.choice(len(REGIONS), size=n, p=_REGION_SHARE)
    value = _VALUE_MEDIAN[segment] * np.exp(rng.normal(0.0, 0.45, size=n))
    tenure = np.clip(rng.gamma(2.0, 1.6, size=n), 0.2, 12.0)
    width = max(5, len(str(n)))
    return pd.DataFrame({
        "customer_no": np.arange(n, dtype=np.int64),
        "customer_id": [f"C{k:0{width}d}" for k in range(1, n + 1)],
        "segment": pd.Categorical.from_codes(segment, SEGMENTS),
        "region": pd.Categorical.from_codes(region, REGIONS),
        "annual_value": np.round(value / 10.0).astype(np.int64) * 10,
        "tenure_years": np.round(tenure, 1),
        "loyalty": rng.normal(0.0, 1.0, size=n),
        "response_weight": _RESPONSE_WEIGHT[segment],
    })


def pick_customers(rng: np.random.Generator, customers: pd.DataFrame, n: int) -> np.ndarray:
    """Draw ``n`` customer numbers, larger accounts answering more often."""
    weight = customers["response_weight"].to_numpy()
    return rng.choice(len(customers), size=n, p=weight / weight.sum())


def nps_group(scores: np.ndarray) -> np.ndarray:
    """Return 0 detractor, 1 passive, 2 promoter, 3 no score for 0..10 scores (NaN = none).

    Examples
    --------
    >>> nps_group(np.array([0, 6, 7, 8, 9, 10, np.nan])).tolist()
    [0, 0, 1, 1, 2, 2, 3]
    """
    group = np.full(scores.shape, 3, dtype=np.int8)
    group[scores <= 6] = 0
    group[(scores >= 7) & (scores <= 8)] = 1
    group[scores >= 9] = 2
    return group


def latest_nps_group(n_customers: int, customer_no: np.ndarray, when: np.ndarray,
                     nps: np.ndarray) -> np.ndarray:
    """Return each customer's NPS group from their most recent NPS answer (3 if none).

    Examples
    --------
    >>> when, nps = np.array([1, 2, 1]), np.array([10.0, 3.0, 8.0])
    >>> latest_nps_group(3, np.array([0, 0, 1]), when, nps).tolist()
    [0, 1, 3]
    """
    answered = ~np.isnan(nps)
    order = np.lexsort((when[answered], customer_no[answered]))
    cust = customer_no[answered][order]
    last = np.r_[cust[1:] != cust[:-1], True] if len(cust) else np.zeros(0, dtype=bool)
    group = np.full(n_customers, 3, dtype=np.int8)
    group[cust[last]] = nps_group(nps[answered][order][last])
    return group


def assign_churn(rng: np.random.Generator, customers: pd.DataFrame,
                 latest_group: np.ndarray) -> pd.DataFrame:
    """Add ``churned`` (0/1): detractors churn about five times as often as promoters.

    Parameters
    ----------
    latest_group : numpy.ndarray
        Per customer, the group of the latest NPS answer (see :func:`latest_nps_group`).
    """
    segment = customers["segment"].cat.codes.to_numpy()
    p = _CHURN_BY_GROUP[latest_group] * _CHURN_SEGMENT_FACTOR[segment]
    out = customers.copy()
    out["churned"] = (rng.random(len(customers)) < p).astype(np.int8)
    return out


def customers_export(customers: pd.DataFrame) -> pd.DataFrame:
    """Return the ``operations/customers.csv`` columns."""
    cols = ["customer_id", "segment", "region", "annual_value", "tenure_years", "churned"]
    return customers[cols]
