"""The result of one metric computed over one set of responses."""
from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from typing import Any

from cxkit.metrics.formatting import format_n, format_value
from cxkit.metrics.sample import STATUS_NOTES


@dataclass(frozen=True)
class MetricResult:
    """One metric over one set of responses, with its uncertainty and sample status.

    Attributes
    ----------
    metric : str
        ``nps``, ``csat``, ``ces``, ``psat`` or ``attr_<name>``.
    value : float or None
        NPS points (-100..100) or top-2-box percentage (0..100); None when withheld
        or when there is no data.
    n : int
        Number of valid responses.
    ci_low, ci_high : float or None
        95% interval (adjusted-Wald for NPS, Wilson for percentages).
    se : float or None
        Standard error of ``value`` in points.
    mean : float or None
        Mean raw score on the scale.
    counts : dict
        The counts the figure was finalised from (``n, promoters, passives,
        detractors, sum, sumsq`` or ``n, top2, sum, sumsq``). Never displayed.
    scale_min, scale_max : int or None
        The rating scale.
    status : str
        ``ok``, ``small``, ``withheld`` or ``no_data``.
    label : str
        Display label, e.g. ``"NPS"`` or ``"CSAT (top-2-box %)"``.
    """

    metric: str
    value: float | None
    n: int
    ci_low: float | None
    ci_high: float | None
    se: float | None
    mean: float | None
    counts: dict[str, float] = field(default_factory=dict)
    scale_min: int | None = None
    scale_max: int | None = None
    status: str = "no_data"
    label: str = ""

    @property
    def is_nps(self) -> bool:
        """True when the value is in NPS points rather than a percentage."""
        return self.metric == "nps"

    @property
    def reportable(self) -> bool:
        """True when the value may be shown (status ``ok`` or ``small``)."""
        return self.status in ("ok", "small")

    @property
    def sd(self) -> float | None:
        """Sample standard deviation of the raw scores (None if withheld or n < 2)."""
        n, total, sumsq = (self.counts.get(k) for k in ("n", "sum", "sumsq"))
        if not self.reportable or n is None or n < 2 or total is None or sumsq is None:
            return None
        variance = max((sumsq - total * total / n) / (n - 1), 0.0)
        return variance**0.5

    def as_dict(self) -> dict[str, Any]:
        """Return the fields as a plain dict (counts copied).

        Examples
        --------
        >>> MetricResult("nps", None, 0, None, None, None, None, label="NPS").as_dict()["status"]
        'no_data'
        """
        return asdict(self)

    def display(self) -> str:
        """One-line summary, e.g. ``"NPS +32 (95% CI +28 to +36, n = 1,204)"``.

        Withheld figures read ``"NPS withheld (n = 7)"``; small ones carry a note.
        """
        name = self.label or self.metric
        if self.status == "no_data":
            return f"{name}: no data (n = 0)"
        if not self.reportable or self.value is None:
            return f"{name} withheld (n = {format_n(self.n)})"
        value = format_value(self.value, self.is_nps)
        low, high = format_value(self.ci_low, self.is_nps), format_value(self.ci_high, self.is_nps)
        text = f"{name} {value} (95% CI {low} to {high}, n = {format_n(self.n)})"
        return text + (" - small sample" if self.status == "small" else "")

    def __str__(self) -> str:
        return self.display()

    def _repr_html_(self) -> str:
        name = html.escape(self.label or self.metric)
        note = STATUS_NOTES.get(self.status, "")
        if self.reportable and self.value is not None:
            value = html.escape(format_value(self.value, self.is_nps))
            interval = html.escape(
                f"95% CI {format_value(self.ci_low, self.is_nps)} to "
                f"{format_value(self.ci_high, self.is_nps)}"
            )
        else:
            value, interval = "&ndash;", ""
        parts = [
            '<div class="cx-metric">',
            f'<div class="cx-metric-label">{name}</div>',
            f'<div class="cx-metric-value">{value}</div>',
            f'<div class="cx-metric-ci">{interval}</div>' if interval else "",
            f'<div class="cx-metric-n">n = {html.escape(format_n(self.n))}</div>',
            f'<div class="cx-metric-status">{html.escape(note)}</div>' if note else "",
            "</div>",
        ]
        return "".join(parts)
