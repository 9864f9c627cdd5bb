"""Plain-language wording of a goal: the SMART statement and the one-sentence reasoning."""
from __future__ import annotations

from datetime import date

import pandas as pd

from cxkit.metrics.labels import metric_name

METHOD_LABELS = {
    "percent_of_opportunity": "percent of opportunity",
    "half_sd": "half a standard deviation",
    "stop_decline": "stop the decline",
    "hold": "hold the score",
    "fixed": "fixed by the consultant",
}


def fmt_score(metric: str, value: float | None, decimals: int = 0) -> str:
    """A score on its reported scale: ``"32"`` for NPS, ``"78%"`` for top-2-box metrics.

    Examples
    --------
    >>> fmt_score("nps", 31.6), fmt_score("csat", 78.24)
    ('32', '78%')
    """
    if value is None or pd.isna(value):
        return "n/a"
    text = f"{value:.{decimals}f}"
    if text in ("-0", "-0.0"):
        text = text[1:]
    return text if metric == "nps" else f"{text}%"


def change_unit(metric: str) -> str:
    """What a change in the metric is counted in: ``"points"`` (NPS) or ``"percentage points"``."""
    return "points" if metric == "nps" else "percentage points"


def fmt_change(metric: str, value: float, decimals: int = 1) -> str:
    """A signed change: ``"+2.0 points"`` (NPS) or ``"+2.0 percentage points"``."""
    return f"{value:+.{decimals}f} {change_unit(metric)}"


def fmt_date(when: date) -> str:
    """``"31 March 2026"``."""
    return f"{when.day} {pd.Timestamp(when).strftime('%B %Y')}"


def smart_statement(metric: str, scope: str | None, method: str, current: float, period: str | None,
                    n: int, target: float, goal_date: date, expected_n: int,
                    projection: float | None) -> str:
    """The goal written as a SMART statement.

    Specific (metric and scope), measurable (number, measurement and sample), attainable
    (set against the no-improvement projection), relevant (names what the metric covers),
    time-bound (the date).
    """
    name = metric_name(metric) + (f" for {scope}" if scope else "")
    basis = ", ".join(part for part in (period, f"n = {n:,}") if part)
    now = f"{fmt_score(metric, current)} ({basis})"
    measure = (f"measured on the {metric_name(metric)} survey score of the quarter ending "
               f"{fmt_date(goal_date)}, with about {expected_n:,} responses")
    if method == "hold":
        head = (f"Keep {name} at or above {fmt_score(metric, target)} through "
                f"{fmt_date(goal_date)} (today {now})")
    elif target >= current:
        head = f"Raise {name} from {now} to at least {fmt_score(metric, target)} by {fmt_date(goal_date)}"
    else:
        head = (f"Limit the fall of {name} from {now} to no lower than "
                f"{fmt_score(metric, target)} by {fmt_date(goal_date)}")
    tail = ""
    if projection is not None and method != "hold":
        tail = f"; without action the trend points to {fmt_score(metric, projection)}"
    return f"{head}, {measure}{tail}."
