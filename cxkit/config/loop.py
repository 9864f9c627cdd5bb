"""The ``loop`` section of ``engagement.yaml``: which answers should raise an alert, and how
fast a first contact should follow."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

ALERT_METRICS = ("nps", "csat", "ces", "psat")


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

    alert_at_or_below: dict[str, float] = Field(default_factory=lambda: {"nps": 6.0, "csat": 2.0})
    first_contact_hours: float = Field(24.0, gt=0, le=24 * 90)

    @field_validator("alert_at_or_below")
    @classmethod
    def _known_metrics(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(ALERT_METRICS))
        if unknown:
            raise ValueError(f"metrics among {', '.join(ALERT_METRICS)}; unknown: {', '.join(unknown)}")
        return value
