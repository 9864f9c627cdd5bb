"""Place survey responses on the journey: which touchpoint and stage each row belongs to.

Survey exports name a touchpoint either by its id or by its display name, often with
different capitalisation. Matching is by id first, then by name, ignoring case and
surrounding spaces; a name shared by two touchpoints is ambiguous and matches neither.
"""
from __future__ import annotations

from collections import Counter

import pandas as pd

from cxkit.journey.schema import Journey

CORE_METRICS = ("nps", "csat", "ces", "psat")


def touchpoint_lookup(journey: Journey) -> dict[str, str]:
    """Return ``{casefolded id or name: touchpoint id}`` for matching survey labels.

    Examples
    --------
    >>> j = Journey(stages=[{"id": "s", "name": "S"}],
    ...             touchpoints=[{"id": "kickoff", "name": "Kickoff call", "stage": "s",
    ...                           "channels": ["phone"], "owner": "CS", "kind": "task"}])
    >>> touchpoint_lookup(j)["kickoff call"]
    'kickoff'
    """
    names = Counter(t.name.strip().casefold() for t in journey.touchpoints)
    lookup = {t.name.strip().casefold(): t.id for t in journey.touchpoints
              if names[t.name.strip().casefold()] == 1}
    lookup.update({t.id.strip().casefold(): t.id for t in journey.touchpoints})
    return lookup


def place_responses(journey: Journey, responses: pd.DataFrame) -> pd.DataFrame:
    """Add the journey touchpoint id and stage to each response row.

    Parameters
    ----------
    journey : Journey
        A loaded journey.
    responses : pandas.DataFrame
        The tidy responses table (see docs/architecture.md).

    Returns
    -------
    pandas.DataFrame
        A copy with ``touchpoint_label`` (the label as exported), ``touchpoint`` (the
        journey id, or NA when it matches nothing) and ``stage`` (stage id or NA), all as
        plain strings, and ``channel`` as a string (``"unknown"`` when missing).
    """
    out = responses.copy()
    labels = out["touchpoint"] if "touchpoint" in out else pd.Series(pd.NA, index=out.index)
    out["touchpoint_label"] = labels.astype("string")
    lookup = touchpoint_lookup(journey)
    keys = out["touchpoint_label"].str.strip().str.casefold()
    out["touchpoint"] = keys.map(lookup).astype("string")
    stage_of = {t.id: t.stage for t in journey.touchpoints}
    out["stage"] = out["touchpoint"].map(stage_of).astype("string")
    channel = out["channel"] if "channel" in out else pd.Series(pd.NA, index=out.index)
    out["channel"] = channel.astype("string").fillna("unknown")
    return out


BLANK_LABEL = "(blank)"
"""How :func:`unmatched_labels` counts responses that name no touchpoint at all."""


def unmatched_labels(placed: pd.DataFrame) -> pd.DataFrame:
    """Count survey rows whose touchpoint label matches no journey touchpoint.

    Parameters
    ----------
    placed : pandas.DataFrame
        The output of :func:`place_responses`.

    Returns
    -------
    pandas.DataFrame
        Columns ``touchpoint_label`` and ``responses`` (distinct response ids), largest
        first; rows with no label at all are counted under :data:`BLANK_LABEL`.
    """
    miss = placed[placed["touchpoint"].isna()]
    if miss.empty:
        return pd.DataFrame({"touchpoint_label": pd.Series(dtype="string"),
                             "responses": pd.Series(dtype="int64")})
    label = miss["touchpoint_label"].fillna(BLANK_LABEL)
    ids = miss["response_id"] if "response_id" in miss else pd.Series(range(len(miss)), index=miss.index)
    counts = ids.groupby(label).nunique().sort_values(ascending=False)
    return counts.rename("responses").rename_axis("touchpoint_label").reset_index()


def response_counts(placed: pd.DataFrame, by: str) -> pd.Series:
    """Return the number of distinct responses per value of ``by`` (matched rows only)."""
    matched = placed[placed["touchpoint"].notna()]
    if matched.empty:
        return pd.Series(dtype="int64")
    ids = matched["response_id"] if "response_id" in matched else pd.Series(range(len(matched)), index=matched.index)
    return ids.groupby(matched[by].astype(str)).nunique()


def core_metric_rows(placed: pd.DataFrame) -> pd.DataFrame:
    """Keep rows of the four headline metrics (drop attribute ratings ``attr_*``)."""
    return placed[placed["metric"].astype(str).isin(CORE_METRICS)]
