"""Realistic data-quality problems planted in the survey exports.

The quality table of the baseline chapter should have something to count:

relationship (Qualtrics): :data:`PREVIEW_ROWS` "Survey Preview" rows, the unfinished
responses drawn by :mod:`cxkit.demo.relationship`, one identical duplicate, one conflicting
duplicate (same ResponseId, different NPS), one NPS of 11 and (CSV only) one impossible date.

transactional: one identical duplicate, one conflicting duplicate (different CSAT), one CES of
9 on a 1-7 scale and (CSV only) one impossible date.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

PREVIEW_ROWS = 3
BAD_DATE = {"relationship": "2025-02-31 10:15:00", "transactional": "31/02/2025 14:20"}
"""Unparseable dates written into the CSV exports (February has no 31st)."""


_TWIN, _CLASH, _PREVIEW, _WILD = 1, 2, 3, 4


def plant_relationship(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    """Add preview rows, an identical and a conflicting duplicate and an NPS of 11.

    Parameters
    ----------
    frame : pandas.DataFrame
        Internal relationship responses (see :mod:`cxkit.demo.relationship`).

    Returns
    -------
    pandas.DataFrame
        A new frame; each added row follows the row it copies.
    """
    normal = np.flatnonzero(frame["finished"].to_numpy() & ~np.isnan(frame["nps"].to_numpy()))
    twin, clash, wild, *previews = rng.choice(normal, size=3 + PREVIEW_ROWS, replace=False)
    out, kind = _with_copies(frame, [twin, clash, *previews],
                             [_TWIN, _CLASH] + [_PREVIEW] * PREVIEW_ROWS, wild)
    out.loc[kind == _WILD, "nps"] = 11.0
    rows = kind == _CLASH
    out.loc[rows, "nps"] = (out.loc[rows, "nps"] + 5) % 11
    out.loc[rows, "recorded_at"] = out.loc[rows, "recorded_at"] + np.timedelta64(4, "m")
    rows = kind == _PREVIEW
    out.loc[rows, "status"] = "Survey Preview"
    out.loc[rows, "customer_no"] = -1
    out.loc[rows, "comment"] = -1
    out.loc[rows, "response_no"] = (frame["response_no"].max() + 1
                                    + np.arange(PREVIEW_ROWS)).astype(np.int32)
    return out


def plant_transactional(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    """Add an identical and a conflicting duplicate (different CSAT) and a CES of 9."""
    with_csat = np.flatnonzero(~np.isnan(frame["csat"].to_numpy()))
    with_ces = np.flatnonzero(~np.isnan(frame["ces"].to_numpy()))
    twin, clash = rng.choice(with_csat, size=2, replace=False)
    wild = rng.choice(np.setdiff1d(with_ces, [twin, clash]))
    out, kind = _with_copies(frame, [twin, clash], [_TWIN, _CLASH], wild)
    out.loc[kind == _WILD, "ces"] = 9.0
    rows = kind == _CLASH
    out.loc[rows, "csat"] = np.where(out.loc[rows, "csat"] >= 3, 1.0, 5.0)
    out.loc[rows, "submitted_at"] = out.loc[rows, "submitted_at"] + np.timedelta64(90, "s")
    return out


def _with_copies(frame: pd.DataFrame, sources: list[int], kinds: list[int],
                 wild: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Copy each source row right after itself; return the frame and a per-row kind marker."""
    sources_arr = np.asarray(sources, dtype=np.int64)
    base = np.zeros(len(frame), dtype=np.int8)
    base[wild] = _WILD
    take = np.insert(np.arange(len(frame)), sources_arr + 1, sources_arr)
    kind = np.insert(base, sources_arr + 1, np.asarray(kinds, dtype=np.int8))
    return frame.take(take).reset_index(drop=True), kind


def plant_bad_date(rng: np.random.Generator, export: pd.DataFrame, id_column: str,
                   date_column: str, text: str) -> pd.DataFrame:
    """Overwrite one date, in a row whose id is not duplicated, with unparseable ``text``.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["a", "b"], "when": ["2025-01-01 00:00:00"] * 2})
    >>> out = plant_bad_date(np.random.default_rng(0), frame, "id", "when", "never")
    >>> sorted(out["when"])
    ['2025-01-01 00:00:00', 'never']
    """
    unique = np.flatnonzero(~export[id_column].duplicated(keep=False).to_numpy())
    out = export.copy()
    out.loc[int(rng.choice(unique)), date_column] = text
    return out
