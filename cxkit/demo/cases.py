"""Closing-the-loop cases for detractors and unhappy transactional respondents.

Teams differ in how fast they follow up: Support is quick, Product often never calls back,
so the overdue-by-owner-team view has a clear story.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cxkit.demo.ids import numbered_ids
from cxkit.demo.journey import touchpoint
from cxkit.demo.timeline import Timeline

TEAM_SPEED: dict[str, tuple[float, float, float]] = {
    "Support": (0.04, 8.0, 30.0),
    "Finance": (0.10, 26.0, 60.0),
    "Account Management": (0.10, 20.0, 72.0),
    "Customer Success": (0.15, 30.0, 96.0),
    "Sales": (0.20, 40.0, 80.0),
    "Professional Services": (0.20, 40.0, 120.0),
    "Product": (0.35, 70.0, 240.0),
}
"""Per owner team: share never contacted, median hours to first contact, median hours to close."""

DUE_HOURS = {"nps": 24, "csat": 48}
"""Follow-up deadline after the alert, by the metric that raised it."""
CASE_QUARTERS = 2
"""Cases exist for the last this-many quarters."""


def alerts(responses: pd.DataFrame, score: str, threshold: float, kind: str,
           timeline: Timeline, date_column: str) -> pd.DataFrame:
    """Select the responses that raise an alert in the last :data:`CASE_QUARTERS` quarters.

    Parameters
    ----------
    responses : pandas.DataFrame
        Responses with ``response_no``, ``customer_no``, ``touchpoint``, the score and date.
    score, threshold : str, float
        An alert is raised when ``score <= threshold``.
    kind : str
        ``"nps"`` or ``"csat"`` (sets the due time).
    date_column : str
        The response's date column.

    Returns
    -------
    pandas.DataFrame
        ``response_no``, ``customer_no``, ``created_at`` (20 minutes after the response),
        ``owner_team`` (the touchpoint's owner) and ``kind``.
    """
    first_day = np.datetime64(timeline.quarter_starts[-1 - CASE_QUARTERS], "s")
    when = responses[date_column].to_numpy()
    keep = (responses[score].to_numpy() <= threshold) & (when >= first_day)
    chosen = responses[keep]
    names = chosen["touchpoint"].astype(str)
    owners = {t: touchpoint(t).owner for t in names.unique()}
    return pd.DataFrame({
        "response_no": chosen["response_no"].to_numpy(),
        "customer_no": chosen["customer_no"].to_numpy(),
        "created_at": when[keep] + np.timedelta64(20, "m"),
        "owner_team": names.map(owners).to_numpy(),
        "kind": kind,
    })


def make_cases(rng: np.random.Generator, raised: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Follow each alert up (or not) and return ``operations/cases.csv`` rows.

    Parameters
    ----------
    raised : pandas.DataFrame
        Alerts (see :func:`alerts`) with ``response_id`` and ``customer_id`` added.
    as_of : datetime.date
        Nothing happens after the end of this day.

    Returns
    -------
    pandas.DataFrame
        ``case_id, response_id, customer_id, created_at, first_contact_at, closed_at,
        status, owner_team, due_at`` sorted by creation time; times after ``as_of`` are
        blank (not happened yet).
    """
    raised = raised.sort_values(["created_at", "response_id"], kind="stable").reset_index(drop=True)
    n = len(raised)
    speed = np.array([TEAM_SPEED[t] for t in raised["owner_team"]]).reshape(n, 3)
    created = raised["created_at"].to_numpy().astype("datetime64[s]")
    contacted = rng.random(n) >= speed[:, 0]
    first = created + _hours(rng, speed[:, 1])
    closed = first + _hours(rng, speed[:, 2])
    cutoff = np.datetime64(as_of + dt.timedelta(days=1), "s")
    first_ok = contacted & (first < cutoff)
    closed_ok = first_ok & (closed < cutoff) & (rng.random(n) < 0.97)
    due = created + (raised["kind"].map(DUE_HOURS).to_numpy() * 3600).astype("timedelta64[s]")
    return pd.DataFrame({
        "case_id": numbered_ids("CASE-", np.arange(n), max(5, len(str(n)))),
        "response_id": raised["response_id"].to_numpy(),
        "customer_id": raised["customer_id"].to_numpy(),
        "created_at": created,
        "first_contact_at": np.where(first_ok, first, np.datetime64("NaT")),
        "closed_at": np.where(closed_ok, closed, np.datetime64("NaT")),
        "status": np.where(closed_ok, "closed", np.where(first_ok, "in_progress", "new")),
        "owner_team": raised["owner_team"].to_numpy(),
        "due_at": due,
    })


def _hours(rng: np.random.Generator, median: np.ndarray) -> np.ndarray:
    """Log-normal delays (seconds as timedelta64) around the given median hours."""
    hours = median * np.exp(rng.normal(0.0, 0.8, size=len(median)))
    return (hours * 3600).astype(np.int64).astype("timedelta64[s]")
