"""One figure per metric from the tidy responses table."""
from __future__ import annotations

import pandas as pd

from cxkit.metrics.counts import grouped_counts
from cxkit.metrics.formulas import result_from_counts
from cxkit.metrics.labels import metric_label
from cxkit.metrics.result import MetricResult
from cxkit.metrics.sample import SampleRules
from cxkit.metrics.selection import select_metric


def summarise(responses: pd.DataFrame, metric: str, rules: SampleRules | None = None) -> MetricResult:
    """Compute one metric over all its rows of the tidy responses table.

    NPS rows are scored as NPS; every other metric (csat, ces, psat, attr_*) as a
    top-2-box percentage on the scale declared in ``scale_min``/``scale_max`` (the top
    point only on a binary scale).

    Parameters
    ----------
    responses : pandas.DataFrame
        The tidy long table (see docs/architecture.md).
    metric : str
        ``nps``, ``csat``, ``ces``, ``psat`` or ``attr_<name>``.
    rules : SampleRules, optional
        Sample-size rules.

    Returns
    -------
    MetricResult
        ``no_data`` (value None) when the metric has no answered rows.

    Raises
    ------
    InputError
        Missing columns, an unknown metric, or one metric on several scales.

    Examples
    --------
    >>> table = pd.DataFrame({"metric": ["csat"] * 12, "score": [5.0] * 9 + [2.0] * 3,
    ...                       "scale_min": 1, "scale_max": 5})
    >>> summarise(table, "csat").display()
    'CSAT (top-2-box %) 75% (95% CI 47% to 91%, n = 12) - small sample'
    """
    if not isinstance(responses, pd.DataFrame):  # a LargeSurvey: computed by DuckDB over the file
        from cxkit.metrics import large

        return large.summarise(responses, metric, rules)
    rows = select_metric(responses, metric)
    if rows.scale is None:
        return MetricResult(metric=metric, value=None, n=0, ci_low=None, ci_high=None, se=None,
                            mean=None, counts={"n": 0}, status="no_data", label=metric_label(metric))
    counts = grouped_counts(rows.frame, [], rows.kind, rows.top_from).iloc[0].to_dict()
    return result_from_counts(counts, rows.kind, metric, rows.scale, rules)
