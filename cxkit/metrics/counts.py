"""The counts layer: raw scores -> sufficient counts for every metric.

Every metric in cxkit is finalised from a handful of counts, so the same finalisers
(:mod:`cxkit.metrics.formulas`) serve pandas here and SQL (DuckDB) later:

* NPS: ``n, promoters, passives, detractors, sum, sumsq``
* top-2-box metrics: ``n, top2, sum, sumsq``

``sum`` and ``sumsq`` (sum of squared scores) give the mean and standard deviation
of the raw scores. Missing scores (NaN) are not counted.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxkit.metrics.scales import (
    NPS_DETRACTOR_MAX,
    NPS_PROMOTER_MIN,
    NPS_SCALE,
    Scale,
    ScoreError,
    check_scores,
)

NPS_COUNTS = ("n", "promoters", "passives", "detractors", "sum", "sumsq")
TOP2_COUNTS = ("n", "top2", "sum", "sumsq")


def score_array(scores: pd.Series | Sequence[float], metric: str) -> np.ndarray:
    """Return scores as a float array (NaN for missing), refusing text that is not a number.

    Parameters
    ----------
    scores : pandas.Series or sequence
        Raw scores.
    metric : str
        Metric name, used in error messages.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    ScoreError
        When a value is not numeric.

    Examples
    --------
    >>> score_array(pd.Series([1, None, 3]), "csat").tolist()
    [1.0, nan, 3.0]
    """
    series = scores if isinstance(scores, pd.Series) else pd.Series(list(scores), dtype=object)
    try:
        numeric = pd.to_numeric(series, errors="raise")
    except (ValueError, TypeError) as exc:
        coerced = pd.to_numeric(series, errors="coerce")
        bad = series[coerced.isna() & series.notna()]
        found = str(bad.iloc[0]) if len(bad) else str(exc)
        raise ScoreError(
            f"{len(bad):,} {metric} score(s) are not numbers",
            column="score",
            expected="numeric scores",
            found=found,
            hint="Map answer labels to numbers in engagement.yaml (labels: ...)",
        ) from None
    return numeric.to_numpy(dtype=float, na_value=np.nan)


def row_counts(values: np.ndarray, kind: str, top_from: float | np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Per-row count contributions (1/0 indicators, the score and its square).

    Parameters
    ----------
    values : numpy.ndarray
        Scores without NaN.
    kind : {"nps", "top2"}
        Which counts to produce.
    top_from : float or numpy.ndarray, optional
        Lowest score in the top box (scalar or row-wise); required for ``top2`` unless
        ``values`` is empty (a metric with no rows has no declared scale).

    Returns
    -------
    dict of numpy.ndarray
        Keys :data:`NPS_COUNTS` or :data:`TOP2_COUNTS`.

    Examples
    --------
    >>> row_counts(np.array([10.0, 7.0, 3.0]), "nps")["detractors"].tolist()
    [0, 0, 1]
    """
    columns: dict[str, np.ndarray] = {"n": np.ones(len(values), dtype=np.int64)}
    if kind == "nps":
        promoters = values >= NPS_PROMOTER_MIN
        detractors = values <= NPS_DETRACTOR_MAX
        columns["promoters"] = promoters.astype(np.int64)
        columns["passives"] = (~promoters & ~detractors).astype(np.int64)
        columns["detractors"] = detractors.astype(np.int64)
    elif kind == "top2":
        if top_from is None and len(values):
            raise ValueError("top_from is required for top-2-box counts")
        columns["top2"] = (values >= top_from).astype(np.int64) if len(values) else np.zeros(0, dtype=np.int64)
    else:
        raise ValueError(f"unknown count kind {kind!r}")
    columns["sum"] = values
    columns["sumsq"] = values * values
    return columns


def _totals(values: np.ndarray, kind: str, top_from: float | None) -> dict[str, float]:
    values = values[~np.isnan(values)]
    totals = {key: col.sum() for key, col in row_counts(values, kind, top_from).items()}
    return {key: (float(v) if key in ("sum", "sumsq") else int(v)) for key, v in totals.items()}


def nps_counts(scores: pd.Series | Sequence[float]) -> dict[str, float]:
    """Count promoters, passives and detractors among 0-10 scores.

    Parameters
    ----------
    scores : pandas.Series or sequence
        Raw 0-10 answers; NaN is ignored.

    Returns
    -------
    dict
        ``n, promoters, passives, detractors, sum, sumsq``.

    Raises
    ------
    ScoreError
        (a ValueError) when a score is not a whole number from 0 to 10.

    Examples
    --------
    >>> nps_counts(pd.Series([10, 9, 8, 5, None]))["promoters"]
    2
    """
    values = score_array(scores, "nps")
    check_scores(values, NPS_SCALE.minimum, NPS_SCALE.maximum, "nps")
    return _totals(values, "nps", None)


def top2_counts(scores: pd.Series | Sequence[float], scale: Scale, metric: str = "score") -> dict[str, float]:
    """Count responses and top-2-box answers on a rating scale.

    Parameters
    ----------
    scores : pandas.Series or sequence
        Raw answers; NaN is ignored.
    scale : Scale
        The scale; on a binary scale the top box is the top point only.
    metric : str
        Metric name for error messages.

    Returns
    -------
    dict
        ``n, top2, sum, sumsq``.

    Raises
    ------
    ScoreError
        (a ValueError) when a score is off the scale.

    Examples
    --------
    >>> top2_counts(pd.Series([5, 4, 3, 1]), Scale(1, 5))["top2"]
    2
    """
    values = score_array(scores, metric)
    check_scores(values, scale.minimum, scale.maximum, metric)
    return _totals(values, "top2", scale.top_box_from)


def grouped_counts(
    frame: pd.DataFrame,
    by: Sequence[str],
    kind: str,
    top_from: float | None = None,
    score_column: str = "score",
) -> pd.DataFrame:
    """Sum the counts per group, vectorised (one ``groupby().sum()``).

    Scores are expected to be validated already (see
    :func:`cxkit.metrics.scales.check_scores`); rows with a missing score or a
    missing group key are left out.

    Parameters
    ----------
    frame : pandas.DataFrame
        Must hold ``score_column`` and the ``by`` columns.
    by : sequence of str
        Grouping columns (may be empty for a single total row).
    kind : {"nps", "top2"}
        Which counts.
    top_from : float, optional
        Lowest top-box score, for ``top2``.
    score_column : str
        Column holding the score.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns followed by the count columns, one row per observed group.

    Examples
    --------
    >>> df = pd.DataFrame({"segment": ["a", "a", "b"], "score": [10.0, 3.0, 9.0]})
    >>> grouped_counts(df, ["segment"], "nps")[["segment", "n", "promoters"]].values.tolist()
    [['a', 2, 1], ['b', 1, 1]]
    """
    by = list(by)
    values = frame[score_column].to_numpy(dtype=float, na_value=np.nan)
    keep = ~np.isnan(values)
    counts = row_counts(values[keep], kind, top_from)
    if not by:
        return pd.DataFrame({key: [col.sum()] for key, col in counts.items()})
    data = {col: frame[col].array[keep] for col in by}
    rows = pd.DataFrame({**data, **counts})
    grouped = rows.groupby(by, observed=True, dropna=True, sort=True)[list(counts)].sum()
    return grouped.reset_index()
