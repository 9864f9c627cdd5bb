"""Human-readable labels of metrics, as shown in tables and deliverables."""
from __future__ import annotations

from cxkit.metrics.scales import Scale

METRIC_NAMES = {"nps": "NPS", "csat": "CSAT", "ces": "CES", "psat": "PSAT"}
"""Plain display name of each headline metric."""

_TOP_BOX = {
    "csat": "CSAT (top-2-box %)",
    "ces": "CES (% easy, top-2-box)",
    "psat": "PSAT (top-2-box %)",
}


def metric_label(metric: str, scale: Scale | None = None) -> str:
    """Return the display label of a metric.

    Parameters
    ----------
    metric : str
        ``"nps"``, ``"csat"``, ``"ces"``, ``"psat"`` or ``"attr_<name>"``.
    scale : Scale, optional
        The scale; a binary scale is labelled as a plain percentage.

    Returns
    -------
    str

    Examples
    --------
    >>> metric_label("nps")
    'NPS'
    >>> metric_label("attr_ease")
    'Ease (top-2-box %)'
    >>> metric_label("psat", Scale(0, 1))
    'PSAT (% satisfied)'
    """
    if metric == "nps":
        return "NPS"
    binary = scale is not None and scale.is_binary
    if metric.startswith("attr_"):
        name = metric.removeprefix("attr_").replace("_", " ").strip().capitalize() or metric
        return f"{name} (% top box)" if binary else f"{name} (top-2-box %)"
    if binary:
        return f"{metric.upper()} (% satisfied)" if metric == "psat" else f"{metric.upper()} (% yes)"
    return _TOP_BOX.get(metric, f"{metric.upper()} (top-2-box %)")


def metric_name(metric: str) -> str:
    """Plain display name of a metric, without the scale note of :func:`metric_label`.

    Examples
    --------
    >>> metric_name("nps"), metric_name("attr_ease")
    ('NPS', 'ATTR EASE')
    """
    return METRIC_NAMES.get(metric, metric.replace("_", " ").upper())
