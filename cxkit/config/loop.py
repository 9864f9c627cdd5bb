"""The ``loop`` section of ``engagement.yaml``: which answers should raise an alert, and how
fast a first contact should follow."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cxkit.config.surveys import MetricName

DEFAULT_ALERT_AT_OR_BELOW: dict[str, float] = {"nps": 6.0, "csat": 2.0}
"""The alert rule when the engagement names none: detractors, and CSAT 1-2 on a 1-5 scale."""


class LoopSettings(BaseModel):
    """How closing the loop is judged.

    Attributes
    ----------
    alert_at_or_below : dict of str to float
        Per metric, the highest score that should raise an alert, on that survey's own
        scale (NPS 0-6 are detractors; CSAT 1-2 on a 1-5 scale). A metric left out raises
        none.
    first_contact_hours : float
        Target time from an alert to the first contact with the customer.

    Examples
    --------
    >>> LoopSettings().alert_at_or_below, LoopSettings().first_contact_hours
    ({'nps': 6.0, 'csat': 2.0}, 24.0)
    """

    model_config = ConfigDict(extra="forbid")

    alert_at_or_below: dict[MetricName, float] = Field(default_factory=lambda: dict(DEFAULT_ALERT_AT_OR_BELOW))
    first_contact_hours: float = Field(24.0, gt=0, le=24 * 90)

    @field_validator("alert_at_or_below")
    @classmethod
    def _on_a_scale(cls, cutoffs: dict[str, float]) -> dict[str, float]:
        for metric, cutoff in cutoffs.items():
            low, high = (0, 9) if metric == "nps" else (1, 6)  # an alert for every answer is no alert rule
            if not low <= cutoff <= high:
                raise ValueError(f"{metric}: an alert at or below {cutoff:g} fits no survey scale "
                                 f"(use {low}..{high}; NPS 0..10, others 1..5 or 1..7)")
        return cutoffs
