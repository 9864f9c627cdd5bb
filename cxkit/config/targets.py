"""The ``goals`` and ``roi`` sections of ``engagement.yaml``.

Every field has a default that suits a first pass, so a consultant only writes what the
client's situation changes. Fields left ``null`` in the ``roi`` section are taken from the
client's customer table when there is one; without a table they are the aggregate
assumptions the ROI story is built on.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cxkit.config.surveys import MetricName

MetricKind = Literal["transactional", "relationship"]
AtLeastOne = Annotated[int, Field(ge=1)]
FIGURE_RANGE = {"nps": (-100.0, 100.0), "csat": (0.0, 100.0), "ces": (0.0, 100.0), "psat": (0.0, 100.0)}
"""Where each headline figure can lie: NPS points, or the top-box percentage."""


class GoalSettings(BaseModel):
    """How goals are proposed for each headline metric.

    Attributes
    ----------
    hold_threshold : dict of str to float
        Score (on the reported scale) at or above which the goal is to hold the score.
    percent_of_opportunity : float
        ``k``: the candidate goal closes k % of the distance to the scale's ceiling.
    sd_fraction : float
        Fraction of the respondent-level standard deviation used as the second candidate.
    goal_date : date, optional
        A goal date for every metric; ``None`` uses each metric's earliest honest date.
    targets : dict of str to float
        Fixed targets that replace the proposal for the named metrics.
    metric_kind : dict of str to {"transactional", "relationship"}
        How fast each metric can respond to an initiative.
    lead_quarters : dict of str to int
        Quarters an initiative needs, after the current one, before each kind can move.
    expected_responses_per_quarter : dict of str to int
        Expected sample per quarter at the goal date (default: today's sample).
    focus_segments, focus_touchpoints : list of str
        Segments and touchpoints that get goals of their own.
    """

    model_config = ConfigDict(extra="forbid")

    hold_threshold: dict[MetricName, float] = Field(
        default_factory=lambda: {"nps": 60.0, "csat": 90.0, "ces": 85.0, "psat": 90.0}
    )
    percent_of_opportunity: float = Field(10.0, gt=0, le=100)
    sd_fraction: float = Field(0.5, gt=0, le=2)
    goal_date: date | None = None
    targets: dict[MetricName, float] = Field(default_factory=dict)
    metric_kind: dict[MetricName, MetricKind] = Field(
        default_factory=lambda: {
            "nps": "relationship",
            "csat": "transactional",
            "ces": "transactional",
            "psat": "transactional",
        }
    )
    lead_quarters: dict[MetricKind, AtLeastOne] = Field(
        default_factory=lambda: {"transactional": 1, "relationship": 4}
    )
    expected_responses_per_quarter: dict[MetricName, AtLeastOne] = Field(default_factory=dict)
    focus_segments: list[str] = Field(default_factory=list)
    focus_touchpoints: list[str] = Field(default_factory=list)

    @field_validator("targets", "hold_threshold")
    @classmethod
    def _figures_in_range(cls, values: dict[str, float]) -> dict[str, float]:
        for metric, value in values.items():
            low, high = FIGURE_RANGE[metric]
            if not low <= value <= high:
                unit = "NPS points" if metric == "nps" else "a percentage"
                raise ValueError(f"{metric}: {value:g} is outside {low:g}..{high:g} ({unit})")
        return values

    def kind_of(self, metric: str) -> MetricKind:
        """Return the metric's kind (``transactional`` unless declared otherwise)."""
        return self.metric_kind.get(metric, "transactional")


class ValueRange(BaseModel):
    """Multipliers applied to an assumption that has no interval of its own."""

    model_config = ConfigDict(extra="forbid")

    low: float = Field(0.8, gt=0)
    high: float = Field(1.2, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> "ValueRange":
        if self.low > 1 or self.high < 1:
            raise ValueError("value_range needs low <= 1 <= high, e.g. {low: 0.8, high: 1.2}")
        return self


class RoiSettings(BaseModel):
    """Assumptions of the ROI story.

    Attributes
    ----------
    average_customer_value : float, optional
        Average annual value of a customer (default: mean ``annual_value`` of the table).
    customers : int, optional
        Number of active customers (default: rows of the customer table).
    detractor_share : float, optional
        Share of customers who are detractors (default: from their latest NPS answers).
    churn_rate_detractor, churn_rate_passive, churn_rate_promoter : float, optional
        Annual churn rate per NPS group (default: measured in the customer table).
    programme_cost : float, optional
        Total cost of the CX programme over the horizon; enables payback and ROI.
    horizon_years : int
        Years over which benefits are counted.
    discount_rate : float
        Annual discount rate for the present value of benefits.
    value_range : ValueRange
        Low and high multipliers for assumptions without an interval of their own.
    churn_cutoff : float
        Predicted churn probability above which a customer counts as at risk.
    at_risk : {"detractors", "predicted_churn"}
        How at-risk customers are identified when there is a customer table.
    move_to : {"passive", "promoter"}
        Where the goal's improvement is assumed to move detractors to.
    controls : list of str
        Columns of the customer table used as controls in the churn model.
    """

    model_config = ConfigDict(extra="forbid")

    average_customer_value: float | None = Field(None, ge=0)
    customers: int | None = Field(None, ge=0)
    detractor_share: float | None = Field(None, ge=0, le=1)
    churn_rate_detractor: float | None = Field(None, ge=0, le=1)
    churn_rate_passive: float | None = Field(None, ge=0, le=1)
    churn_rate_promoter: float | None = Field(None, ge=0, le=1)
    programme_cost: float | None = Field(None, gt=0)
    horizon_years: int = Field(3, ge=1, le=20)
    discount_rate: float = Field(0.08, ge=0, lt=1)
    value_range: ValueRange = Field(default_factory=ValueRange)
    churn_cutoff: float = Field(0.3, gt=0, lt=1)
    at_risk: Literal["detractors", "predicted_churn"] = "detractors"
    move_to: Literal["passive", "promoter"] = "passive"
    controls: list[str] = Field(default_factory=lambda: ["segment", "tenure_years"])
