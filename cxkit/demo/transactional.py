"""The transactional survey (CSAT, CES, PSAT per touchpoint) and the support contacts behind it."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxkit.demo import comments, operations
from cxkit.demo.chunks import chunk_sizes
from cxkit.demo.customers import pick_customers
from cxkit.demo.ids import numbered_ids
from cxkit.demo.journey import posts_for
from cxkit.demo.timeline import Timeline
from cxkit.demo.writers import format_times


@dataclass(frozen=True)
class Profile:
    """How one touchpoint behaves in the transactional survey."""

    weight: float
    channels: tuple[str, ...]
    context: str
    contact_channel: int = -1  # index into operations.CONTACT_CHANNELS; -1 = not a contact
    csat: float = 4.0
    ces: float = 5.2
    psat: float = 3.9


PROFILES: dict[str, Profile] = {
    "free_trial": Profile(0.03, ("in-app",), "self_service", ces=4.9),
    "contract_signing": Profile(0.03, ("email",), "billing", csat=3.8),
    "onboarding_kickoff": Profile(0.05, ("phone", "email"), "onboarding", ces=5.0),
    "data_migration": Profile(0.04, ("email",), "onboarding", ces=3.9),
    "admin_training": Profile(0.04, ("in-person", "website"), "onboarding", csat=4.2),
    "dashboard_builder": Profile(0.12, ("in-app",), "feature", csat=4.0, ces=5.4, psat=4.0),
    "report_scheduler": Profile(0.07, ("in-app",), "feature", psat=3.6),
    "integrations_hub": Profile(0.07, ("in-app",), "feature", psat=3.2),
    "knowledge_base": Profile(0.08, ("website",), "self_service", ces=4.4),
    "support_chat": Profile(0.16, ("chat",), "support", contact_channel=0),
    "support_phone": Profile(0.12, ("phone",), "support", contact_channel=1),
    "support_ticket": Profile(0.13, ("email",), "support", contact_channel=2),
    "billing_enquiry": Profile(0.06, ("email",), "billing", contact_channel=2),
}
"""Transactional touchpoints: volume share, survey channel, comment context and score levels."""

TOUCHPOINTS: tuple[str, ...] = tuple(PROFILES)
CHANNELS: tuple[str, ...] = ("chat", "email", "in-app", "in-person", "phone", "website")
CONTEXTS: tuple[str, ...] = tuple(comments.MIXES)
SMB_CSAT_SHIFT = np.array([0.0, 0.0, 0.0, 0.0, 0.0, -0.15, -0.25, -0.35])
EXTRA_CONTACT_SHARE = 0.4
"""Contacts without a survey response, relative to the surveyed ones."""


def make_transactional(rng: np.random.Generator, customers: pd.DataFrame, timeline: Timeline,
                       n: int, pool: comments.CommentPool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draw ``n`` transactional responses and all support contacts.

    Returns
    -------
    tuple of pandas.DataFrame
        Responses (``response_no``, ``customer_no``, ``submitted_at``, ``contact_no``
        (-1 = none), ``touchpoint``, ``channel``, ``csat``, ``ces``, ``psat`` (float32, NaN =
        not asked), ``comment``) sorted by date, and contacts (``contact_no``,
        ``customer_no``, ``opened_at``, ``channel``, ``reason`` and the measures of
        :func:`cxkit.demo.operations.draw_contacts`) sorted by opening time.
    """
    parts = [_draw(rng, customers, timeline, k, pool) for k in chunk_sizes(n)]
    offsets = np.cumsum([0] + [len(p[1]) for p in parts[:-1]])
    for (responses, _, _), offset in zip(parts, offsets):
        row = responses["contact_row"].to_numpy()
        responses["contact_row"] = np.where(row >= 0, row + offset, -1)
    responses = pd.concat([p[0] for p in parts], ignore_index=True)
    contacts = pd.concat([p[1] for p in parts] + [p[2] for p in parts], ignore_index=True)
    del parts
    return _number(responses, contacts)


def _draw(rng: np.random.Generator, customers: pd.DataFrame, timeline: Timeline, n: int,
          pool: comments.CommentPool) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One chunk: responses (``contact_row`` indexes the surveyed contacts), surveyed and
    extra contacts."""
    tp = rng.choice(len(TOUCHPOINTS), size=n, p=_shares())
    cust = pick_customers(rng, customers, n)
    contact_channel = np.array([PROFILES[t].contact_channel for t in TOUCHPOINTS])[tp]
    is_contact = contact_channel >= 0
    surveyed = _surveyed_contacts(rng, tp, contact_channel, cust, timeline)
    submitted = timeline.random_times(rng, n)
    submitted[is_contact] = surveyed["opened_at"].to_numpy() + _reply_delay(rng, surveyed)
    mood = _mood(rng, customers, cust, timeline.quarter_of(submitted))
    scores = _scores(rng, tp, mood, is_contact, surveyed)
    responses = pd.DataFrame({
        "customer_no": cust.astype(np.int32),
        "submitted_at": submitted,
        "contact_row": np.where(is_contact, np.cumsum(is_contact) - 1, -1),
        "touchpoint": pd.Categorical.from_codes(tp, TOUCHPOINTS),
        "channel": pd.Categorical.from_codes(_channels(rng, tp), CHANNELS),
        **scores,
    })
    responses["comment"] = _comments(rng, pool, tp, scores, surveyed, is_contact)
    return responses, surveyed, _extra_contacts(rng, customers, timeline, len(surveyed))


def _shares() -> np.ndarray:
    """Touchpoint volume shares, checked against the journey's listening posts."""
    asked = posts_for(("csat", "ces", "psat"))
    missing = [t for t in TOUCHPOINTS if t not in asked]
    if missing:
        raise ValueError(f"touchpoints without a transactional listening post: {missing}")
    weight = np.array([PROFILES[t].weight for t in TOUCHPOINTS])
    return weight / weight.sum()


def _surveyed_contacts(rng: np.random.Generator, tp: np.ndarray, contact_channel: np.ndarray,
                       cust: np.ndarray, timeline: Timeline) -> pd.DataFrame:
    """Contacts behind the support-type responses, in response order."""
    rows = np.flatnonzero(contact_channel >= 0)
    billing = np.array([t == "billing_enquiry" for t in TOUCHPOINTS])[tp[rows]]
    reason = rng.choice(len(operations.REASONS), size=len(rows),
                        p=operations.SUPPORT_REASON_SHARE)
    reason[billing] = operations.REASONS.index("Billing")
    return _contact_frame(rng, cust[rows], contact_channel[rows], reason,
                          timeline.random_times(rng, len(rows), margin_days=3))


def _extra_contacts(rng: np.random.Generator, customers: pd.DataFrame, timeline: Timeline,
                    surveyed: int) -> pd.DataFrame:
    """Contacts that were never surveyed (including social-media contacts)."""
    n = int(round(EXTRA_CONTACT_SHARE * surveyed))
    channel = rng.choice(len(operations.CONTACT_CHANNELS), size=n, p=[0.35, 0.25, 0.34, 0.06])
    billing = np.arange(len(operations.REASONS)) == operations.REASONS.index("Billing")
    share = 0.92 * operations.SUPPORT_REASON_SHARE + 0.08 * billing
    reason = rng.choice(len(operations.REASONS), size=n, p=share)
    return _contact_frame(rng, pick_customers(rng, customers, n), channel, reason,
                          timeline.random_times(rng, n, margin_days=3))


def _contact_frame(rng: np.random.Generator, cust: np.ndarray, channel: np.ndarray,
                   reason: np.ndarray, opened: np.ndarray) -> pd.DataFrame:
    """Assemble contacts with their drawn measures."""
    measures = operations.draw_contacts(rng, channel, reason)
    head = pd.DataFrame({
        "customer_no": cust.astype(np.int32),
        "opened_at": opened,
        "channel": pd.Categorical.from_codes(channel, operations.CONTACT_CHANNELS),
        "reason": pd.Categorical.from_codes(reason, operations.REASONS),
    })
    return pd.concat([head, measures], axis=1)


def _reply_delay(rng: np.random.Generator, contacts: pd.DataFrame) -> np.ndarray:
    """Time from opening a contact to answering its survey (handle time plus a few hours)."""
    minutes = contacts["handle_minutes"].to_numpy() + contacts["wait_minutes"].to_numpy()
    seconds = minutes * 60 + rng.gamma(1.5, 3.0 * 3600, size=len(contacts))
    return np.minimum(seconds, 2.5 * 86400).astype("timedelta64[s]")


def _mood(rng: np.random.Generator, customers: pd.DataFrame, cust: np.ndarray,
          quarter: np.ndarray) -> np.ndarray:
    """Latent attitude of each respondent, with the SMB decline in the last quarters."""
    loyalty = customers["loyalty"].to_numpy()[cust]
    smb = customers["segment"].cat.codes.to_numpy()[cust] == 2
    return loyalty + np.where(smb, SMB_CSAT_SHIFT[quarter] / 0.35, 0.0) + \
        rng.normal(0.0, 0.5, size=len(cust))


def _scores(rng: np.random.Generator, tp: np.ndarray, mood: np.ndarray, is_contact: np.ndarray,
            contacts: pd.DataFrame) -> dict[str, np.ndarray]:
    """CSAT, CES and PSAT per response; NaN where the touchpoint does not ask the metric."""
    n = len(tp)
    asked = posts_for(("csat", "ces", "psat"))
    base = {m: np.array([getattr(PROFILES[t], m) for t in TOUCHPOINTS])[tp]
            for m in ("csat", "ces", "psat")}
    top = {"csat": 5, "ces": 7, "psat": 5}
    out = {}
    for metric, noise in (("csat", 0.75), ("ces", 1.0), ("psat", 0.8)):
        raw = base[metric] + 0.35 * mood + rng.normal(0.0, noise, size=n)
        score = np.clip(np.rint(raw), 1, top[metric])
        flags = np.array([metric in asked[t] for t in TOUCHPOINTS])[tp]
        out[metric] = np.where(flags, score, np.nan).astype(np.float32)
    csat, ces = operations.contact_scores(rng, contacts, mood[is_contact])
    out["csat"][is_contact] = csat
    only_csat = np.array([t == "billing_enquiry" for t in TOUCHPOINTS])[tp]
    out["ces"][is_contact] = np.where(only_csat[is_contact], np.nan, ces)
    return out


def _channels(rng: np.random.Generator, tp: np.ndarray) -> np.ndarray:
    """Codes into :data:`CHANNELS` of each response's channel, from its touchpoint's channels."""
    out = np.zeros(len(tp), dtype=np.int8)
    for k, name in enumerate(TOUCHPOINTS):
        rows = np.flatnonzero(tp == k)
        options = np.array([CHANNELS.index(c) for c in PROFILES[name].channels], dtype=np.int8)
        out[rows] = options[rng.integers(len(options), size=len(rows))]
    return out


def _comments(rng: np.random.Generator, pool: comments.CommentPool, tp: np.ndarray,
              scores: dict[str, np.ndarray], contacts: pd.DataFrame,
              is_contact: np.ndarray) -> np.ndarray:
    """Comment codes: low scores complain; long support waits complain about waiting."""
    n = len(tp)
    headline = np.where(np.isnan(scores["csat"]),
                        np.where(np.isnan(scores["psat"]), (scores["ces"] - 1) * 4 / 6 + 1,
                                 scores["psat"]), scores["csat"])
    low, mid = headline < 2.5, (headline >= 2.5) & (headline < 3.5)
    negative = low | (mid & (rng.random(n) < 0.6)) | (rng.random(n) < 0.04)
    has = rng.random(n) < np.where(low, 0.65, 0.4)
    context = np.array([CONTEXTS.index(PROFILES[t].context) for t in TOUCHPOINTS],
                       dtype=np.int8)[tp]
    waited = np.zeros(n, dtype=bool)
    waited[is_contact] = contacts["wait_minutes"].to_numpy() > 25
    context[waited & (context == CONTEXTS.index("support"))] = CONTEXTS.index("support_slow")
    return comments.choose_comments(rng, pool, context, CONTEXTS, negative, has)


def _number(responses: pd.DataFrame, contacts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sort both tables by time and give them record numbers; link responses to contacts."""
    order = np.argsort(contacts["opened_at"].to_numpy(), kind="stable")
    contact_no = np.empty(len(order), dtype=np.int32)
    contact_no[order] = np.arange(len(order))
    contacts = contacts.take(order).reset_index(drop=True)
    contacts.insert(0, "contact_no", np.arange(len(contacts), dtype=np.int32))
    row = responses.pop("contact_row").to_numpy()
    responses.insert(2, "contact_no", np.where(row >= 0, contact_no[np.maximum(row, 0)], -1))
    order = np.argsort(responses["submitted_at"].to_numpy(), kind="stable")
    responses = responses.take(order).reset_index(drop=True)
    responses.insert(0, "response_no", np.arange(len(responses), dtype=np.int32))
    return responses, contacts


def transactional_export(frame: pd.DataFrame, customers: pd.DataFrame,
                         pool: comments.CommentPool, text_dates: bool,
                         width: int = 7) -> pd.DataFrame:
    """Turn internal transactional responses into the plain export's columns.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`make_transactional` (possibly a slice or with planted rows).
    customers : pandas.DataFrame
        The customer table.
    pool : CommentPool
        Comment texts.
    text_dates : bool
        Format dates as text (CSV) rather than keep timestamps (Parquet).
    width : int
        Digits of the numbered response and contact ids.
    """
    cust = frame["customer_no"].to_numpy()
    contact = frame["contact_no"].to_numpy()
    contact_ids = numbered_ids("CT-", np.maximum(contact, 0), width).astype(object)
    contact_ids[contact < 0] = None
    when = frame["submitted_at"].to_numpy()
    return pd.DataFrame({
        "response_id": numbered_ids("TX-", frame["response_no"].to_numpy(), width),
        "submitted_at": format_times(when) if text_dates else when,
        "customer_id": customers["customer_id"].to_numpy()[cust],
        "contact_id": contact_ids,
        "touchpoint": frame["touchpoint"].to_numpy(),
        "channel": frame["channel"].to_numpy(),
        "segment": customers["segment"].to_numpy()[cust],
        "region": customers["region"].to_numpy()[cust],
        **{m: pd.array(frame[m].to_numpy(dtype=float), dtype="Float64").astype("Int64")
           for m in ("csat", "ces", "psat")},
        "comment": pd.Categorical.from_codes(frame["comment"].to_numpy(), pool.texts),
    })
