"""When a goal can honestly be due.

An initiative needs time before a score can respond: a transactional score (CSAT after an
interaction, CES after a task) can move in the quarter after the change, while a
relationship measure such as NPS, and retention, lag by several quarters. The earliest
honest goal date is the last day of the quarter that lies ``lead_quarters[kind]``
quarters after the quarter of ``as_of``.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

DEFAULT_LEAD_QUARTERS = {"transactional": 1, "relationship": 4}


def quarter_end(year: int, quarter: int) -> date:
    """Last day of a quarter (quarters beyond 4 roll into later years).

    Examples
    --------
    >>> quarter_end(2025, 5)
    datetime.date(2026, 3, 31)
    """
    extra_years, q0 = divmod(quarter - 1, 4)
    period = pd.Period(year=year + extra_years, quarter=q0 + 1, freq="Q")
    return period.end_time.date()


def earliest_goal_date(kind: str, as_of: date, lead_quarters: dict[str, int] | None = None) -> date:
    """Earliest goal date a metric of this kind allows.

    Parameters
    ----------
    kind : {"transactional", "relationship"}
        How fast the metric responds.
    as_of : date
        The date the goal is set.
    lead_quarters : dict, optional
        Quarters of lead time per kind (default 1 and 4).

    Returns
    -------
    date

    Examples
    --------
    >>> earliest_goal_date("transactional", date(2025, 1, 15))
    datetime.date(2025, 6, 30)
    >>> earliest_goal_date("relationship", date(2025, 1, 15))
    datetime.date(2026, 3, 31)
    """
    leads = {**DEFAULT_LEAD_QUARTERS, **(lead_quarters or {})}
    if kind not in leads:
        raise ValueError(f"unknown metric kind {kind!r}; use one of {sorted(leads)}")
    ts = pd.Timestamp(as_of)
    return quarter_end(ts.year, ts.quarter + leads[kind])


def quarter_label(when: date) -> str:
    """``"2025Q2"`` style label of the quarter containing ``when``."""
    return str(pd.Period(pd.Timestamp(when), freq="Q"))
