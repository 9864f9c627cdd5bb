"""Are customers asked too often? From the survey plan and from the responses.

From the plan: two listening posts whose invitations would reach the same customer
within the rules' window (14 days by default). When touchpoints carry ``typical_day``
the send days are known; otherwise posts at the same or consecutive touchpoints are
assumed to be reached on the same day, which is the cautious reading.

From the responses: the share of customers who answered two or more surveys within the
window, and which touchpoint pairs caused it.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import pandas as pd

from cxkit.journey.rules import FitRules
from cxkit.journey.schema import Journey, ListeningPost

ASSUMED = "assumed: consecutive touchpoints"
PLAN_COLUMNS = [
    "first_touchpoint", "first_metric", "second_touchpoint", "second_metric",
    "gap_days", "basis", "fix_touchpoint", "fix_metric", "reason",
]


@dataclass(frozen=True)
class _Send:
    """One invitation: the posts at a touchpoint that share trigger, timing and channel.

    Several questions asked on one trigger are one survey, so they count once.
    """

    touchpoint: str
    metric: str          # e.g. "csat" or "csat+ces"
    timing_days: int
    quarantine_days: int | None
    position: int
    day: int | None      # absolute send day when the touchpoint's typical_day is known
    name: str

    def covers(self, gap: int) -> bool:
        """True when this invitation's quarantine stops it within ``gap`` days of another."""
        return self.quarantine_days is not None and self.quarantine_days >= gap


def _sends(journey: Journey) -> list[_Send]:
    order = {t.id: i for i, t in enumerate(journey.ordered_touchpoints())}
    by_id = journey.touchpoint_by_id()
    groups: dict[tuple, list[ListeningPost]] = {}
    for post in journey.listening_posts:
        key = (post.touchpoint, post.trigger.casefold(), post.timing_days, post.channel)
        groups.setdefault(key, []).append(post)
    sends = []
    for (tp_id, _, timing, _), posts in groups.items():
        typical = by_id[tp_id].typical_day
        quarantines = [p.quarantine_days for p in posts]
        sends.append(_Send(
            tp_id, "+".join(dict.fromkeys(p.metric for p in posts)), timing,
            None if None in quarantines else min(quarantines), order[tp_id],
            None if typical is None else typical + timing, by_id[tp_id].name))
    return sorted(sends, key=lambda s: (s.position, s.timing_days))


def _gap(a: _Send, b: _Send) -> tuple[int | None, str]:
    """Days between two invitations and how that was worked out (None: not comparable)."""
    if a.touchpoint == b.touchpoint:
        return abs(b.timing_days - a.timing_days), "same touchpoint"
    if a.day is not None and b.day is not None:
        return abs(b.day - a.day), "typical days"
    if abs(b.position - a.position) == 1:
        return abs(b.timing_days - a.timing_days), ASSUMED
    return None, ""


def _in_send_order(a: _Send, b: _Send) -> tuple[_Send, _Send]:
    """Return the pair earliest first (sends arrive sorted by journey position already)."""
    if a.day is not None and b.day is not None and b.day < a.day:
        return b, a
    return a, b


def _to_fix(first: _Send, later: _Send, gap: int, basis: str) -> _Send | None:
    """The post whose invitation would be the second one, or None when quarantine prevents it.

    With a known order only the later post matters; when the order is assumed, either
    post may come second, so the first one lacking a long enough quarantine is named.
    """
    if basis != ASSUMED:
        return None if later.covers(gap) else later
    return next((s for s in (later, first) if not s.covers(gap)), None)


def _pair_reason(first: _Send, later: _Send, gap: int, basis: str, window: int) -> str:
    a = f"{first.metric.upper()} at '{first.name}'"
    b = f"{later.metric.upper()} at '{later.name}'"
    if basis == ASSUMED:
        return (f"{a} and {b} sit on consecutive touchpoints, and nothing says how many days apart "
                f"they usually happen, so one customer may get both within {window} days.")
    return f"{a} and {b} reach the same customer {gap} days apart (window {window} days)."


def over_surveyed_posts(journey: Journey, rules: FitRules) -> pd.DataFrame:
    """Find pairs of listening posts that would survey one customer twice in the window.

    Parameters
    ----------
    journey : Journey
        A loaded journey.
    rules : FitRules
        Supplies ``asked_too_often.window_days``.

    Returns
    -------
    pandas.DataFrame
        Columns ``first_touchpoint, first_metric, second_touchpoint, second_metric,
        gap_days, basis, fix_touchpoint, fix_metric, reason``; one row per flagged pair
        of invitations (posts sharing touchpoint, trigger, timing and channel are one
        invitation; their metrics are joined, e.g. ``csat+ces``). ``basis`` is
        ``same touchpoint``, ``typical days`` or the weaker ``assumed: consecutive
        touchpoints``.
        ``fix_*`` name the post to space out or quarantine. A pair is not flagged when the
        later post (both posts, when the order is only assumed) has a ``quarantine_days``
        at least as long as the gap.
    """
    window = rules.asked_too_often.window_days
    rows = []
    for a, b in combinations(_sends(journey), 2):
        gap, basis = _gap(a, b)
        if gap is None or gap > window:
            continue
        first, later = _in_send_order(a, b)
        fix = _to_fix(first, later, gap, basis)
        if fix is None:
            continue
        rows.append({
            "first_touchpoint": first.touchpoint, "first_metric": first.metric,
            "second_touchpoint": later.touchpoint, "second_metric": later.metric,
            "gap_days": gap, "basis": basis,
            "fix_touchpoint": fix.touchpoint, "fix_metric": fix.metric,
            "reason": _pair_reason(first, later, gap, basis, window),
        })
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


@dataclass(frozen=True)
class SurveyFatigue:
    """How many customers answered more than one survey within the window.

    Attributes
    ----------
    window_days : int
    customers : int
        Customers with at least one response (known customer id).
    customers_asked_too_often : int
        Customers with two responses no more than ``window_days`` apart.
    share : float
        ``customers_asked_too_often / customers`` (0..1).
    pairs : pandas.DataFrame
        ``first_touchpoint, second_touchpoint, customers``: which consecutive surveys fell
        inside the window, most frequent first.
    """

    window_days: int
    customers: int
    customers_asked_too_often: int
    share: float
    pairs: pd.DataFrame

    def sentence(self, warn_share: float) -> str:
        """One plain sentence about survey frequency, flagged when above ``warn_share``."""
        pct = 100 * self.share
        text = (f"{self.customers_asked_too_often:,} of {self.customers:,} responding customers "
                f"({pct:.0f}%) answered two or more surveys within {self.window_days} days")
        if self.share > warn_share:
            return text + f", more than the {100 * warn_share:.0f}% we consider acceptable."
        return text + "; that is within an acceptable range."


def survey_fatigue(placed: pd.DataFrame, window_days: int) -> SurveyFatigue | None:
    """Measure how often the same customer answered surveys within ``window_days``.

    Parameters
    ----------
    placed : pandas.DataFrame
        Responses from :func:`cxkit.journey.responses.place_responses` (needs
        ``customer_id``, ``response_id`` and ``date``).
    window_days : int
        Two responses at most this many days apart count as "asked too often".

    Returns
    -------
    SurveyFatigue or None
        None when the responses carry no customer ids or dates.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": ["a", "a", "b"], "response_id": ["1", "2", "3"],
    ...                    "date": pd.to_datetime(["2025-01-01", "2025-01-10", "2025-01-01"]),
    ...                    "touchpoint": ["x", "y", "x"], "touchpoint_label": ["x", "y", "x"]})
    >>> survey_fatigue(df, 14).share
    0.5
    """
    if not {"customer_id", "response_id", "date"} <= set(placed.columns):
        return None
    known = placed.dropna(subset=["customer_id", "date"])
    if known.empty:
        return None
    label = known["touchpoint"].fillna(known["touchpoint_label"]).fillna("(blank)").astype(str)
    one = (known.assign(_tp=label).groupby(["customer_id", "response_id"], observed=True)
           .agg(date=("date", "min"), tp=("_tp", "first")).reset_index()
           .sort_values(["customer_id", "date"]))
    one["prev_date"] = one.groupby("customer_id")["date"].shift()
    one["prev_tp"] = one.groupby("customer_id")["tp"].shift()
    close = one[(one["date"] - one["prev_date"]).dt.days <= window_days]
    pairs = (close.groupby(["prev_tp", "tp"]).customer_id.nunique().sort_values(ascending=False)
             .rename("customers").rename_axis(["first_touchpoint", "second_touchpoint"]).reset_index())
    customers = int(one["customer_id"].nunique())
    flagged = int(close["customer_id"].nunique())
    return SurveyFatigue(window_days, customers, flagged, flagged / customers, pairs)
