"""Picking one metric's rows out of the tidy responses table, checked."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxkit.errors import InputError, closest
from cxkit.metrics.labels import metric_label
from cxkit.metrics.scales import NPS_SCALE, Scale, check_scores

KNOWN_METRICS = ("nps", "csat", "ces", "psat")
REQUIRED_COLUMNS = ("metric", "score", "scale_min", "scale_max")


@dataclass(frozen=True)
class MetricRows:
    """The rows of one metric with how to finalise them.

    Attributes
    ----------
    metric : str
        Metric name.
    kind : str
        ``"nps"`` or ``"top2"``.
    scale : Scale or None
        The declared scale (None when the metric has no rows and is not NPS).
    label : str
        Display label.
    frame : pandas.DataFrame
        The metric's rows with non-missing scores, restricted to the needed columns.
    """

    metric: str
    kind: str
    scale: Scale | None
    label: str
    frame: pd.DataFrame

    @property
    def top_from(self) -> float | None:
        """Lowest top-box score (None for NPS)."""
        return None if self.kind == "nps" or self.scale is None else float(self.scale.top_box_from)


def kind_of(metric: str) -> str:
    """Return ``"nps"`` or ``"top2"`` for a metric name.

    Examples
    --------
    >>> kind_of("nps"), kind_of("attr_speed")
    ('nps', 'top2')
    """
    return "nps" if metric == "nps" else "top2"


def require_columns(responses: pd.DataFrame, columns: Sequence[str]) -> None:
    """Raise :class:`~cxkit.errors.InputError` naming the first missing column.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"metric": []}), ["metric"])
    """
    for column in columns:
        if column not in responses.columns:
            raise InputError(
                "the responses table lacks a column the metric engine needs",
                column=column,
                expected="the tidy responses table (see docs/architecture.md)",
                hint=closest(column, map(str, responses.columns)),
            )


def _check_metric_name(metric: str, present: Sequence[str]) -> None:
    if metric in KNOWN_METRICS or (metric.startswith("attr_") and len(metric) > 5):
        return
    raise InputError(
        f"unknown metric {metric!r}",
        column="metric",
        expected="nps, csat, ces, psat or attr_<name>",
        found=metric,
        hint=closest(metric, present) or f"metrics in the table: {', '.join(sorted(present))}",
    )


def _declared_scale(metric: str, frame: pd.DataFrame) -> Scale | None:
    if frame.empty:
        return NPS_SCALE if metric == "nps" else None
    pairs = frame[["scale_min", "scale_max"]].drop_duplicates()
    if len(pairs) > 1:
        found = ", ".join(f"{int(a)}..{int(b)}" for a, b in pairs.itertuples(index=False))
        raise InputError(
            f"the {metric} rows mix several scales, so one figure cannot be computed",
            column="scale_min/scale_max",
            expected="one scale per metric",
            found=found,
            hint="Summarise each source separately (filter the table by 'source')",
        )
    scale = Scale(int(pairs.iloc[0, 0]), int(pairs.iloc[0, 1]))
    if metric == "nps" and scale != NPS_SCALE:
        raise InputError("NPS must be asked on a 0-10 scale", column="scale_min/scale_max",
                         expected="0..10", found=f"{scale.minimum}..{scale.maximum}")
    return scale


def select_metric(responses: pd.DataFrame, metric: str, columns: Sequence[str] = ()) -> MetricRows:
    """Select, check and describe one metric's rows of the tidy responses table.

    Parameters
    ----------
    responses : pandas.DataFrame
        The tidy long table (``metric, score, scale_min, scale_max`` at least).
    metric : str
        ``nps``, ``csat``, ``ces``, ``psat`` or ``attr_<name>``.
    columns : sequence of str
        Extra columns to keep (grouping keys, ``date``).

    Returns
    -------
    MetricRows

    Raises
    ------
    InputError
        A missing column, an unknown metric or mixed scales.
    ScoreError
        A score off its declared scale (also a ValueError).

    Examples
    --------
    >>> table = pd.DataFrame({"metric": ["csat", "nps"], "score": [4.0, 9.0],
    ...                       "scale_min": [1, 0], "scale_max": [5, 10]})
    >>> select_metric(table, "csat").scale
    Scale(minimum=1, maximum=5)
    """
    keep = list(dict.fromkeys([*REQUIRED_COLUMNS, *columns]))
    require_columns(responses, keep)
    metric_values = responses["metric"]
    mask = (metric_values == metric).to_numpy(dtype=bool, na_value=False)
    if not mask.any():
        present = [str(m) for m in pd.unique(metric_values.dropna())]
        _check_metric_name(metric, present)
    frame = responses.loc[mask, keep]
    scores = frame["score"].to_numpy(dtype=float, na_value=np.nan)
    frame = frame.loc[~np.isnan(scores)]
    scale = _declared_scale(metric, frame)
    if scale is not None:
        check_scores(frame["score"].to_numpy(dtype=float), scale.minimum, scale.maximum, metric)
    return MetricRows(metric, kind_of(metric), scale, metric_label(metric, scale), frame)
