"""Goal chart: history with intervals, the projection cone, the goal and the threshold."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit.goals.trend import goal_quarter_position, position_to_timestamp, projection_path, usable_periods
from cxkit.goals.wording import fmt_date, fmt_score, metric_name
from cxkit.plotting.style import BAD, GOOD, NEUTRAL, OKABE_ITO, new_figure


def goal_chart(proposal, trend_df: pd.DataFrame):
    """History, no-improvement cone, goal marker and hold threshold for one metric.

    Parameters
    ----------
    proposal : GoalProposal
        From :func:`cxkit.goals.propose_goal`.
    trend_df : DataFrame
        The trend frame the proposal was built from.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = new_figure()
    hist = usable_periods(trend_df)
    x = pd.to_datetime(hist["period_start"])
    y = hist["value"].to_numpy(dtype=float)
    if {"ci_low", "ci_high"} <= set(hist.columns):
        err = np.vstack([y - hist["ci_low"].to_numpy(float), hist["ci_high"].to_numpy(float) - y])
        ax.errorbar(x, y, yerr=np.clip(err, 0, None), fmt="o-", color=GOOD, capsize=3,
                    label="Measured (95% interval)")
    else:
        ax.plot(x, y, "o-", color=GOOD, label="Measured")
    _cone(ax, proposal)
    goal_x = position_to_timestamp(goal_quarter_position(proposal.goal_date))
    ax.plot([goal_x], [proposal.target], marker="*", markersize=16, color=OKABE_ITO["orange"],
            linestyle="none", label=f"Goal {fmt_score(proposal.metric, proposal.target)} "
                                    f"by {fmt_date(proposal.goal_date)}")
    if proposal.hold_threshold is not None:
        _threshold(ax, proposal)
    title = metric_name(proposal.metric) + (f" — {proposal.scope}" if proposal.scope else "")
    ax.set_title(f"{title}: history, no-improvement projection and goal")
    ax.set_ylabel("NPS" if proposal.metric == "nps" else "Top-2-box %")
    ax.legend(loc="best", fontsize=8)
    return fig


def _cone(ax, proposal) -> None:
    """Draw the projection line and its 95 % cone (nothing without a trend)."""
    trend = proposal.trend
    if trend is None or not trend.has_trend:
        return
    path = projection_path(trend, proposal.goal_date)
    dates = [position_to_timestamp(p) for p in path["position"]]
    ax.fill_between(dates, path["low"], path["high"], color=BAD, alpha=0.15,
                    label="No-improvement projection (95%)")
    ax.plot(dates, path["value"], linestyle="--", color=BAD)


def _threshold(ax, proposal) -> None:
    """The hold threshold as a dotted line; one far outside the plotted scores is named in
    the legend only, so that it does not squeeze the history into a corner of the chart."""
    label = f"Hold threshold {fmt_score(proposal.metric, proposal.hold_threshold)}"
    low, high = ax.get_ylim()  # what the history, the cone and the goal span
    margin = 0.5 * (high - low)
    if low - margin <= proposal.hold_threshold <= high + margin:
        ax.axhline(proposal.hold_threshold, color=NEUTRAL, linestyle=":", linewidth=1, label=label)
    else:
        where = "above" if proposal.hold_threshold > high else "below"
        ax.plot([], [], linestyle="none", label=f"{label} ({where} the chart)")
