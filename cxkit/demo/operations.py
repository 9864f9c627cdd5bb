"""Support contacts: wait, transfers, reopens and handle time, the operational side of CX.

The planted link to scores lives in :func:`contact_scores`: each transfer costs about 0.3
CSAT points and each 10 minutes of waiting about 0.2; both also make the contact harder (CES).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit.demo.ids import numbered_ids

CONTACT_CHANNELS: tuple[str, ...] = ("chat", "phone", "email", "social")
REASONS: tuple[str, ...] = ("Billing", "Bug report", "How-to question", "Integration issue",
                            "Login and access", "Performance", "Data import")
"""Contact reasons as the support system records them."""

SUPPORT_REASON_SHARE = np.array([0.0, 0.28, 0.25, 0.14, 0.12, 0.11, 0.10])
_TRANSFER_RATE = np.array([0.4, 0.7, 0.25, 1.0, 0.2, 0.5, 0.6])
_WAIT_SCALE = np.array([3.0, 5.0, 18.0, 30.0])  # gamma scale (shape 2) per channel, minutes

CSAT_PER_TRANSFER = -0.3
CSAT_PER_WAIT_MINUTE = -0.02
CES_PER_TRANSFER = -0.35
CES_PER_WAIT_MINUTE = -0.025


def draw_contacts(rng: np.random.Generator, channel: np.ndarray,
                  reason: np.ndarray) -> pd.DataFrame:
    """Draw the operational measures of contacts with the given channel and reason codes.

    Returns
    -------
    pandas.DataFrame
        ``wait_minutes``, ``handle_minutes`` (one decimal), ``transfers``, ``reopens``
        (int8) and ``resolved_first_contact`` (bool).
    """
    n = len(channel)
    wait = np.minimum(rng.gamma(2.0, _WAIT_SCALE[channel]), 240.0)
    transfers = np.minimum(rng.poisson(_TRANSFER_RATE[reason]), 4)
    reopens = np.minimum(rng.poisson(0.12 + 0.1 * transfers), 3)
    handle = 3.0 + rng.gamma(2.0, 5.0, size=n) + 4.0 * transfers + 6.0 * reopens
    resolved = (transfers == 0) & (reopens == 0) & (rng.random(n) < 0.92)
    return pd.DataFrame({
        "wait_minutes": np.round(wait, 1),
        "transfers": transfers.astype(np.int8),
        "reopens": reopens.astype(np.int8),
        "handle_minutes": np.round(handle, 1),
        "resolved_first_contact": resolved,
    })


def contact_scores(rng: np.random.Generator, contacts: pd.DataFrame,
                   mood: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return CSAT (1-5) and CES (1-7, higher = easier) driven by the contact's measures.

    Parameters
    ----------
    contacts : pandas.DataFrame
        Output of :func:`draw_contacts` for the surveyed contacts.
    mood : numpy.ndarray
        The respondent's latent attitude (customer loyalty plus any period shift).
    """
    n = len(contacts)
    transfers = contacts["transfers"].to_numpy(dtype=float)
    wait = contacts["wait_minutes"].to_numpy(dtype=float)
    reopens = contacts["reopens"].to_numpy(dtype=float)
    csat = (4.45 + 0.35 * mood + CSAT_PER_TRANSFER * transfers + CSAT_PER_WAIT_MINUTE * wait
            - 0.35 * reopens + rng.normal(0.0, 0.7, size=n))
    ces = (5.8 + 0.35 * mood + CES_PER_TRANSFER * transfers + CES_PER_WAIT_MINUTE * wait
           - 0.45 * reopens + rng.normal(0.0, 0.9, size=n))
    return np.clip(np.rint(csat), 1, 5), np.clip(np.rint(ces), 1, 7)


def contacts_export(contacts: pd.DataFrame, customer_ids: np.ndarray,
                    width: int = 7) -> pd.DataFrame:
    """Return the ``operations/contacts.csv`` columns, sorted by contact number.

    Parameters
    ----------
    contacts : pandas.DataFrame
        ``contact_no``, ``customer_no``, ``opened_at``, ``channel``, ``reason`` plus the
        measures of :func:`draw_contacts`.
    customer_ids : numpy.ndarray
        ``customer_id`` by customer number.
    width : int
        Digits of the numbered contact ids.
    """
    return pd.DataFrame({
        "contact_id": numbered_ids("CT-", contacts["contact_no"].to_numpy(), width),
        "customer_id": customer_ids[contacts["customer_no"].to_numpy()],
        "opened_at": contacts["opened_at"].to_numpy(),
        "channel": contacts["channel"].to_numpy(),
        "contact_reason": contacts["reason"].to_numpy(),
        "wait_minutes": contacts["wait_minutes"].to_numpy(),
        "transfers": contacts["transfers"].to_numpy(),
        "reopens": contacts["reopens"].to_numpy(),
        "handle_minutes": contacts["handle_minutes"].to_numpy(),
        "resolved_first_contact": contacts["resolved_first_contact"].to_numpy(),
    })
