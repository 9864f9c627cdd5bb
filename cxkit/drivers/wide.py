"""One row per survey response: the shape the driver analyses work on.

The tidy responses table (see ``docs/architecture.md``) has one row per response x
metric. Regressions and key-driver analysis need one row per response with one column
per metric, which is what :func:`wide_scores` builds. The declared scale of each metric
travels with the frame in ``frame.attrs["scales"]`` so that later steps know where the
top two boxes of a scale are without guessing.
"""
from __future__ import annotations

import pandas as pd

from cxkit.errors import InputError

#: Response-level columns carried over from the long table when present.
DIMENSIONS: tuple[str, ...] = (
    "date", "customer_id", "contact_id", "segment", "channel", "touchpoint", "region",
)
_HEADLINE_ORDER = ("nps", "csat", "ces", "psat")


def wide_scores(responses: pd.DataFrame) -> pd.DataFrame:
    """Pivot the tidy responses table to one row per response.

    Parameters
    ----------
    responses : DataFrame
        The tidy long table: ``response_id, metric, score`` and optionally ``date,
        customer_id, contact_id, segment, channel, touchpoint, region, scale_min,
        scale_max``.

    Returns
    -------
    DataFrame
        ``response_id``, the dimension columns that exist, then one float column per
        metric (``nps, csat, ces, psat`` first, then ``attr_*`` in name order).
        ``attrs["scales"]`` maps each metric with a single declared scale to
        ``(scale_min, scale_max)``.

    Raises
    ------
    InputError
        If a required column is missing or a response has the same metric twice.

    Examples
    --------
    >>> long = pd.DataFrame({"response_id": ["r1", "r1"], "metric": ["csat", "ces"],
    ...                      "score": [4.0, 6.0], "scale_min": [1, 1], "scale_max": [5, 7]})
    >>> wide = wide_scores(long)
    >>> list(wide.columns), wide.attrs["scales"]["ces"]
    (['response_id', 'csat', 'ces'], (1, 7))
    """
    _require(responses, ("response_id", "metric", "score"))
    long = responses.assign(metric=responses["metric"].astype(str))
    _reject_duplicates(long)
    scores = long.pivot(index="response_id", columns="metric", values="score")
    scores = scores[_metric_order(scores.columns)].astype("float64")
    scores.columns.name = None
    dims = [c for c in DIMENSIONS if c in long.columns]
    first = long.groupby("response_id", sort=False, observed=True)[dims].first()
    wide = first.join(scores, how="left").reset_index()
    wide.attrs["scales"] = _scales(long)
    return wide


def _require(frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            "The responses table lacks columns the driver analysis needs",
            column=missing[0], expected=", ".join(columns),
            found=", ".join(map(str, frame.columns)),
            hint="Build it with cxkit.surveys (the tidy responses table).",
        )


def _reject_duplicates(long: pd.DataFrame) -> None:
    dup = long.duplicated(["response_id", "metric"], keep=False)
    if dup.any():
        row = long.loc[dup].iloc[0]
        raise InputError(
            "A response carries the same metric more than once",
            column="response_id", found=f"{row['response_id']} / {row['metric']}",
            expected="one score per response and metric",
            hint="Prefix response ids by source when combining surveys.",
        )


def _metric_order(columns: pd.Index) -> list[str]:
    names = [str(c) for c in columns]
    head = [m for m in _HEADLINE_ORDER if m in names]
    return head + sorted(m for m in names if m not in head)


def _scales(long: pd.DataFrame) -> dict[str, tuple[int, int]]:
    if not {"scale_min", "scale_max"} <= set(long.columns):
        return {}
    pairs = long[["metric", "scale_min", "scale_max"]].dropna().drop_duplicates()
    counts = pairs["metric"].value_counts()
    single = pairs[pairs["metric"].map(counts) == 1]
    return {str(r.metric): (int(r.scale_min), int(r.scale_max)) for r in single.itertuples()}
