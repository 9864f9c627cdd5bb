"""The whole ROI chapter in one call: linkage, value at risk, goal value, ranges, story."""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from cxkit.config.targets import RoiSettings
from cxkit.errors import InputError
from cxkit.roi.linkage import attach_nps, churn_by_nps_group
from cxkit.roi.model import ChurnModel, check_controls, churn_model, modelled_churn
from cxkit.roi.ranges import (Assumption, SimulationResult, annuity_factor, base_values, payback,
                              simulate, tornado)
from cxkit.roi.story import RoiStory, story
from cxkit.roi.value import (GoalValue, ValueAtRisk, annual_decline_cost, annual_goal_value,
                             figures_needed, goal_value, missing_figures, roi_assumptions,
                             value_at_risk)


@dataclass(frozen=True)
class NpsGoal:
    """The parts of an NPS goal the ROI needs (taken from a ``GoalProposal``)."""

    current: float
    projection: float
    target: float
    goal_date: Any = None
    known_target: bool = True
    trend_clear: bool | None = None
    """False when the slope's 95% interval includes zero (the decline may be noise)."""

    @property
    def uplift(self) -> float:
        """Goal minus the no-improvement projection."""
        return self.target - self.projection

    @property
    def decline(self) -> float:
        """Points lost by doing nothing (0 when the trend is flat or rising)."""
        return max(self.current - self.projection, 0.0)

    @classmethod
    def from_proposal(cls, proposal: Any) -> "NpsGoal":
        """Build from a :class:`cxkit.goals.GoalProposal` (or anything with those fields)."""
        ci = getattr(proposal, "slope_ci", None)
        known = ci is not None and all(v is not None and math.isfinite(v) for v in ci)  # no trend: nan or None
        clear = not (ci[0] <= 0 <= ci[1]) if known else None
        return cls(float(proposal.current["value"]), float(proposal.projection),
                   float(proposal.target), proposal.goal_date, trend_clear=clear)


@dataclass(frozen=True)
class RoiAnalysis:
    """Everything the ROI chapter shows."""

    settings: RoiSettings
    currency: str
    basis: str
    assumptions: dict[str, Assumption]
    value_at_risk: ValueAtRisk
    churn_table: pd.DataFrame | None
    model: ChurnModel | None
    notes: list[str]
    goal: NpsGoal | None = None
    goal_value: GoalValue | None = None
    decline_cost: float | None = None
    tornado: pd.DataFrame | None = None
    simulation: SimulationResult | None = None
    payback: pd.DataFrame | None = None
    story: RoiStory | None = field(default=None, compare=False)

    def _repr_html_(self) -> str:
        return self.story._repr_html_() if self.story else ""


def _linkage(settings: RoiSettings, with_nps: pd.DataFrame | None,
             notes: list[str]) -> tuple[pd.DataFrame | None, ChurnModel | None]:
    """Churn table and (when it can be fitted) the churn model."""
    if with_nps is None or "churned" not in with_nps.columns or not len(with_nps):
        return None, None
    table = churn_by_nps_group(with_nps)
    try:
        model = churn_model(with_nps, [c for c in settings.controls if c in with_nps.columns])
    except InputError as exc:
        notes.append(f"No churn model: {exc.message}. Churn rates come from the NPS groups.")
        model = None
    return table, model


def build_roi(settings: RoiSettings, customers: pd.DataFrame | None = None,
              latest_nps: pd.DataFrame | None = None, nps_goal: Any = None,
              currency: str = "EUR", n_sims: int = 10_000, seed: int = 0) -> RoiAnalysis:
    """Build the ROI chapter from the engagement's assumptions and whatever data exists.

    Parameters
    ----------
    settings : RoiSettings
        The engagement's ``roi`` section.
    customers : DataFrame, optional
        ``operations/customers.csv`` (``customer_id, segment, region, annual_value,
        tenure_years, churned``); without it only the aggregate assumptions are used.
    latest_nps : DataFrame, optional
        Output of :func:`cxkit.roi.latest_nps_by_customer`.
    nps_goal : GoalProposal, NpsGoal or float, optional
        The NPS goal (a float is read as the uplift over the projection).
    currency : str
        ISO currency code for the story.
    n_sims, seed : int
        Monte Carlo draws and seed.

    Returns
    -------
    RoiAnalysis
    """
    needed = figures_needed(settings, customers, latest_nps)
    if needed:  # one rule for what the value case needs (the chapter explains it; validate warns)
        raise missing_figures(needed)
    check_controls(settings, customers)
    notes: list[str] = []
    with_nps = attach_nps(customers, latest_nps) if customers is not None and latest_nps is not None else None
    if customers is not None and latest_nps is None:
        notes.append("No NPS answers could be matched to customers; the linkage uses the engagement's assumptions.")
    table, model = _linkage(settings, with_nps, notes)
    goal = _as_goal(nps_goal)
    assumptions = roi_assumptions(settings, customers, with_nps, model,
                                  None if goal is None else goal.uplift, nps_answers=latest_nps)
    basis = "customer table" if customers is not None and len(customers) else "engagement assumptions"
    var = _value_at_risk(settings, with_nps, model, assumptions, notes, currency)
    if with_nps is None and settings.detractor_share is None:  # the goal values the same share
        settings = settings.model_copy(update={"detractor_share": assumptions["detractor_share"].base})
    extra: dict[str, Any] = {}
    if goal is not None:
        factor = annuity_factor(settings.horizon_years, settings.discount_rate)

        def pv(p):
            return annual_goal_value(p, settings.move_to) * factor

        gv = goal_value(goal.uplift, assumptions, settings)
        extra = dict(goal=goal, goal_value=gv, tornado=tornado(assumptions, pv),
                     simulation=simulate(assumptions, pv, n_sims, seed, joint=_joint_churn(settings, model)),
                     decline_cost=annual_decline_cost(goal.decline, base_values(assumptions)))
        if settings.programme_cost:
            extra["payback"] = payback(settings.programme_cost, gv.annual, settings.horizon_years,
                                       settings.discount_rate)
    analysis = RoiAnalysis(settings, currency, basis, assumptions, var, table, model, notes, **extra)
    return RoiAnalysis(**{**analysis.__dict__, "story": story(analysis)})


def _joint_churn(settings: RoiSettings, model: Any) -> Any:
    """Joint draws of the modelled churn rates for the simulation (None when there are none)."""
    keys = modelled_churn(settings, model)
    if not keys:
        return None
    return lambda rng, n: {k: v for k, v in model.draw_group_rates(rng, n).items() if k in keys}


def _value_at_risk(settings: RoiSettings, with_nps: pd.DataFrame | None, model: Any,
                   assumptions: dict[str, Any], notes: list[str], currency: str) -> Any:
    """Value at risk from the customers' own answers, else from the aggregate figures,
    wherever each came from: the engagement, the customer table or the NPS answers."""
    if with_nps is not None and len(with_nps):
        return value_at_risk(settings, with_nps, model, currency)
    base = base_values(assumptions)
    aggregate = settings.model_copy(update={"customers": round(base["customers"]),
                                            "average_customer_value": base["average_value"],
                                            "detractor_share": base["detractor_share"]})
    var = value_at_risk(aggregate, None, model, currency)
    share = assumptions["detractor_share"]
    if settings.detractor_share is None:
        notes.append(f"Share of detractors taken from the {share.source}: {share.base:.0%}.")
        var = replace(var, basis=f"the share of detractors in the {share.source}, applied to every active customer")
    return var


def _as_goal(nps_goal: Any) -> NpsGoal | None:
    if nps_goal is None or isinstance(nps_goal, NpsGoal):
        return nps_goal
    if isinstance(nps_goal, (int, float)):
        return NpsGoal(0.0, 0.0, float(nps_goal), known_target=False)
    if getattr(nps_goal, "metric", "nps") != "nps":
        raise InputError("the ROI linkage works on an NPS goal", column="metric",
                         found=str(nps_goal.metric), expected="nps")
    return NpsGoal.from_proposal(nps_goal)
