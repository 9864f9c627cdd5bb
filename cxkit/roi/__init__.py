"""The ROI story: value at risk, churn linkage, goal value, ranges, simulation, narrative.

:func:`build_roi` assembles the chapter; the pieces are public so a notebook can show each.
"""
from cxkit.roi.analysis import NpsGoal, RoiAnalysis, build_roi
from cxkit.roi.format import format_money, format_share
from cxkit.roi.linkage import (attach_nps, churn_by_nps_group, latest_nps_by_customer, nps_group,
                               wilson_interval)
from cxkit.roi.model import ChurnModel, check_controls, churn_model
from cxkit.roi.ranges import (Assumption, Range, SimulationResult, annuity_factor, discounted_payback, payback,
                              scenarios, simulate, tornado)
from cxkit.roi.story import RoiStory, story
from cxkit.roi.value import (FIGURE_NAMES, GoalValue, ValueAtRisk, annual_decline_cost, annual_goal_value,
                             customers_moved, figures_needed, goal_value, group_rates, roi_assumptions,
                             value_at_risk, value_of_moving)

__all__ = [
    "FIGURE_NAMES", "Assumption", "ChurnModel", "GoalValue", "NpsGoal", "Range", "RoiAnalysis", "RoiStory",
    "SimulationResult", "ValueAtRisk", "annual_decline_cost", "annual_goal_value",
    "annuity_factor", "attach_nps", "build_roi", "check_controls", "churn_by_nps_group", "churn_model",
    "customers_moved", "discounted_payback", "figures_needed", "format_money", "format_share", "goal_value",
    "group_rates",
    "latest_nps_by_customer", "nps_group", "payback", "roi_assumptions", "scenarios",
    "simulate", "story", "tornado", "value_at_risk", "value_of_moving", "wilson_interval",
]
