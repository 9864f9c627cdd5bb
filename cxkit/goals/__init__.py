"""Goal setting: trend projection, percent of opportunity, half an SD, goal dates,
detectability and SMART goals.

The main entry point is :func:`propose_goal`; the helpers are public so a notebook can show
each step.
"""
from cxkit.goals.detectability import min_detectable_change, sample_needed
from cxkit.goals.inputs import check_focus
from cxkit.goals.proposal import GoalProposal, goals_table, propose_goal, read_current
from cxkit.goals.timing import earliest_goal_date, quarter_end
from cxkit.goals.trend import TrendProjection, project_trend, projection_path
from cxkit.goals.uplift import contributions, half_sd_uplift, percent_of_opportunity, respondent_sd

__all__ = [
    "GoalProposal", "TrendProjection", "check_focus", "contributions", "earliest_goal_date", "goals_table",
    "half_sd_uplift", "min_detectable_change", "percent_of_opportunity", "project_trend",
    "projection_path", "propose_goal", "quarter_end", "read_current", "respondent_sd",
    "sample_needed",
]
