"""The relationship survey: NPS with six attribute ratings, asked at relationship moments.

Planted effects
---------------
* Attribute importance for NPS: reliability and support weigh most; support also has the
  lowest average rating, so a key-driver analysis ranks it "fix first".
* SMB's NPS falls by roughly 15 points over the last three quarters.
* NPS asked right after a support ticket (a misfit post) is lower than elsewhere.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit.demo import comments
from cxkit.demo.chunks import chunk_sizes
from cxkit.demo.customers import pick_customers
from cxkit.demo.timeline import Timeline

ATTRIBUTES: tuple[str, ...] = ("ease", "speed", "knowledge", "reliability", "value", "support")
"""Attribute ratings (1-5) in question order Q_ATTR_1..6."""

ATTRIBUTE_MEAN = np.array([3.9, 3.7, 4.0, 3.6, 3.5, 3.2])
NPS_WEIGHT = np.array([0.30, 0.20, 0.15, 0.95, 0.45, 0.85])
"""Latent NPS points per attribute point; reliability and support matter most."""

TOUCHPOINTS: tuple[str, ...] = ("first_value", "day_90_checkin", "renewal_review",
                                "support_ticket")
_TOUCHPOINT_SHARE = np.array([0.28, 0.34, 0.30, 0.08])
_TOUCHPOINT_SHIFT = np.array([0.2, 0.0, -0.1, -0.9])
CHANNELS: tuple[str, ...] = ("email", "in-person")
_SEGMENT_BASE = np.array([8.35, 8.2, 8.3])
SMB_NPS_SHIFT = np.array([0.0, 0.0, 0.0, 0.0, 0.0, -0.2, -0.5, -0.7])
"""Latent NPS shift of SMB customers per quarter (the planted decline)."""
UNFINISHED_SHARE = 0.02
RELATIONSHIP_SHARE = 0.4
"""Share of all responses that come from the relationship survey."""


def make_relationship(rng: np.random.Generator, customers: pd.DataFrame, timeline: Timeline,
                      n: int, pool: comments.CommentPool) -> pd.DataFrame:
    """Draw ``n`` relationship responses, sorted by date.

    Returns
    -------
    pandas.DataFrame
        ``response_no``, ``customer_no``, ``recorded_at`` (datetime64[s]), ``duration_s``,
        ``touchpoint``, ``channel`` (categoricals), ``nps`` and ``attr_<name>`` (float32,
        NaN = not answered), ``finished`` (bool), ``progress`` (%), ``status`` and
        ``comment`` (code into ``pool``, -1 = none).
    """
    parts = [_draw(rng, customers, timeline, k, pool) for k in chunk_sizes(n)]
    frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    del parts
    order = np.argsort(frame["recorded_at"].to_numpy(), kind="stable")
    frame = frame.take(order).reset_index(drop=True)
    frame.insert(0, "response_no", np.arange(len(frame), dtype=np.int32))
    return frame


def _draw(rng: np.random.Generator, customers: pd.DataFrame, timeline: Timeline, n: int,
          pool: comments.CommentPool) -> pd.DataFrame:
    """Draw one chunk of responses (unsorted, unnumbered)."""
    cust = pick_customers(rng, customers, n)
    recorded = timeline.random_times(rng, n)
    tp = rng.choice(len(TOUCHPOINTS), size=n, p=_TOUCHPOINT_SHARE)
    in_person = (tp == 2) & (rng.random(n) < 0.4)
    attrs, nps = _scores(rng, customers, cust, tp, timeline.quarter_of(recorded))
    frame = pd.DataFrame({
        "customer_no": cust.astype(np.int32),
        "recorded_at": recorded,
        "duration_s": (30 + rng.gamma(2.0, 70.0, size=n)).astype(np.int32),
        "touchpoint": pd.Categorical.from_codes(tp, TOUCHPOINTS),
        "channel": pd.Categorical.from_codes(in_person.astype(np.int8), CHANNELS),
        "nps": nps,
        **{f"attr_{a}": attrs[:, k] for k, a in enumerate(ATTRIBUTES)},
        "finished": np.ones(n, dtype=bool),
        "progress": np.full(n, 100, dtype=np.int8),
        "status": pd.Categorical.from_codes(np.zeros(n, dtype=np.int8),
                                            ("IP Address", "Survey Preview")),
    })
    frame["comment"] = _comments(rng, pool, nps)
    return _leave_unfinished(rng, frame)


def _scores(rng: np.random.Generator, customers: pd.DataFrame, cust: np.ndarray,
            tp: np.ndarray, quarter: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return attribute ratings (n x 6) and NPS (n), both float32."""
    n = len(cust)
    loyalty = customers["loyalty"].to_numpy()[cust]
    segment = customers["segment"].cat.codes.to_numpy()[cust]
    mood = loyalty + rng.normal(0.0, 0.6, size=n)
    raw = ATTRIBUTE_MEAN + 0.55 * mood[:, None] + rng.normal(0.0, 0.8, size=(n, len(ATTRIBUTES)))
    attrs = np.clip(np.rint(raw), 1, 5)
    latent = (_SEGMENT_BASE[segment] + (attrs - ATTRIBUTE_MEAN) @ NPS_WEIGHT + 0.45 * loyalty
              + _TOUCHPOINT_SHIFT[tp] + np.where(segment == 2, SMB_NPS_SHIFT[quarter], 0.0)
              + rng.normal(0.0, 1.1, size=n))
    nps = np.clip(np.rint(latent), 0, 10)
    return attrs.astype(np.float32), nps.astype(np.float32)


def _comments(rng: np.random.Generator, pool: comments.CommentPool, nps: np.ndarray) -> np.ndarray:
    """Comment codes: detractors write more and complain; promoters mostly praise."""
    n = len(nps)
    detractor, promoter = nps <= 6, nps >= 9
    p_comment = np.where(detractor, 0.7, np.where(promoter, 0.5, 0.45))
    negative = np.where(detractor, True, rng.random(n) < np.where(promoter, 0.05, 0.55))
    has = rng.random(n) < p_comment
    context = np.zeros(n, dtype=np.int8)
    return comments.choose_comments(rng, pool, context, ("relationship",), negative, has)


def _leave_unfinished(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    """Mark a few responses as abandoned part-way (in place): later answers are blank."""
    rows = np.flatnonzero(rng.random(len(frame)) < UNFINISHED_SHARE)
    progress = rng.choice(np.array([12, 33, 50, 67], dtype=np.int8), size=len(rows))
    out = frame
    out.loc[rows, "finished"] = False
    out.loc[rows, "progress"] = progress
    out.loc[rows, [f"attr_{a}" for a in ATTRIBUTES]] = np.nan
    out.loc[rows, "comment"] = -1
    out.loc[rows[progress < 33], "nps"] = np.nan
    return out
