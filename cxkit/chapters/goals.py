"""Chapter 4: a realistic, challenging, time-bound goal per metric."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cxkit import goals as goal_lib
from cxkit import metrics
from cxkit.chapters import baseline as baseline_chapter
from cxkit.io.client import ClientFolder
from cxkit.metrics.formatting import format_value
from cxkit.metrics.periods import FREQUENCIES
from cxkit.report.html import Html, bullets, callout, figure, paragraph, record, table


@dataclass
class GoalSet:
    """The goals of one engagement: headline metrics, plus named segments and touchpoints."""

    baseline: baseline_chapter.Baseline
    proposals: list[goal_lib.GoalProposal]
    focus: list[goal_lib.GoalProposal] = field(default_factory=list)
    overrides: dict[str, Any] = field(default_factory=dict)

    def proposal(self, metric: str) -> goal_lib.GoalProposal | None:
        """The headline proposal for ``metric``, if any."""
        return next((p for p in self.proposals if p.metric == metric), None)


def _overrides(percent_of_opportunity: float | None, goal_date: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if percent_of_opportunity is not None:
        out["percent_of_opportunity"] = float(percent_of_opportunity)
    if goal_date:
        out["goal_date"] = dt.date.fromisoformat(goal_date)
    return out


def _scores_in(b: baseline_chapter.Baseline, responses: pd.DataFrame, metric: str, period: str) -> pd.Series | None:
    """The answers behind today's figure: the metric's scores in ``period`` ("" for all of them)."""
    if b.large:  # no row-level table: the spread follows from the headline's standard error
        return None
    rows = responses[responses["metric"] == metric]
    if period:
        rows = rows[rows["date"].dt.to_period(b.freq).astype(str) == period]
    return rows["score"]


def _propose_one(b: baseline_chapter.Baseline, responses: pd.DataFrame, metric: str, settings,
                 overrides: dict[str, Any], scope: str | None) -> goal_lib.GoalProposal:
    if scope is None:  # a headline metric: chapter 3 already computed its trend and current value
        trend, current, period = b.trends[metric], b.headline[metric], b.headline_period[metric]
    else:
        trend = metrics.trend(responses, metric, freq=b.freq, rules=b.rules, as_of=b.as_of)
        current = baseline_chapter.latest_period_result(responses, metric, trend, b.rules, b.freq)
        period = baseline_chapter.headline_period(trend)
    today = {**current.as_dict(), "period": period or None}  # the statement names the period it starts from
    return goal_lib.propose_goal(metric, trend, _scores_in(b, responses, metric, period), today, settings,
                                 b.as_of.date(), overrides or None, scope=scope)


def propose(cx: ClientFolder, as_of: str | None = None, percent_of_opportunity: float | None = None,
            goal_date: str | None = None, targets: dict[str, float] | None = None,
            only_metrics: Sequence[str] | None = None) -> GoalSet:
    """Propose a goal for every headline metric and every focus segment or touchpoint.

    Parameters
    ----------
    cx : ClientFolder
        The client.
    as_of : str, optional
        ISO date treated as today.
    percent_of_opportunity, goal_date, targets
        The consultant's overrides of the engagement's goal settings.
    only_metrics : sequence of str, optional
        Propose goals for these headline metrics only (the ROI chapter values the NPS
        goal alone); every metric the surveys carry by default.

    Returns
    -------
    GoalSet
    """
    b = baseline_chapter.analyse(cx, as_of=as_of, only_metrics=only_metrics)
    settings = cx.engagement.goals
    common = _overrides(percent_of_opportunity, goal_date)
    targets = dict(targets or {})
    proposals = [_propose_one(b, b.responses, m, settings, {**common, **({"target": targets[m]} if m in targets else {})}, None)
                 for m in b.metrics if b.headline[m].reportable]
    if not b.large:  # the DuckDB path keeps no per-answer table to look the names up in
        goal_lib.check_focus(settings, b.responses)
    focus = []
    for column, names in (("segment", settings.focus_segments), ("touchpoint", settings.focus_touchpoints)):
        for name in names:
            subset = b.responses[b.responses[column].astype(str) == name] if column in b.responses else b.responses.iloc[:0]
            for metric in b.metrics:
                if subset[subset["metric"] == metric]["score"].count() >= b.rules.warn_below:
                    focus.append(_propose_one(b, subset, metric, settings, common, f"{column} {name}"))
    return GoalSet(b, proposals, focus, {**common, **({"targets": targets} if targets else {})})


def _candidates(candidates: pd.DataFrame) -> pd.DataFrame:
    """The candidate goals as a reader sees them: named methods, and detectability in words.

    Examples
    --------
    >>> c = pd.DataFrame({"method": ["half_sd"], "label": ["half a standard deviation"], "uplift": [4.0],
    ...                   "target": [54.0], "uplift_vs_projection": [4.0], "change_vs_current": [3.0],
    ...                   "detectable": [False]})
    >>> _candidates(c).values.tolist()
    [['half a standard deviation', 54.0, 4.0, 3.0, 'no']]
    """
    out = candidates.rename(columns={"label": "candidate", "uplift_vs_projection": "above_the_projection",
                                     "change_vs_current": "change_on_today"})
    out = out[["candidate", "target", "above_the_projection", "change_on_today", "detectable"]].copy()
    out["detectable"] = out["detectable"].map({True: "yes", False: "no"}).fillna("–")
    return out


def _row(p: goal_lib.GoalProposal) -> dict[str, Any]:
    nps = p.metric == "nps"
    return {"metric": p.metric.upper() + (f" ({p.scope})" if p.scope else ""),
            "current": format_value(p.current.get("value"), nps), "target": format_value(p.target, nps),
            "date": p.goal_date.isoformat(), "reasoning": p.brief or p.reasoning}


def overview(g: GoalSet) -> Html:
    """The goals as SMART statements, and the table the summary page repeats."""
    if not g.proposals:
        return callout(_why_no_goals(g.baseline), "warning")
    record("goals", [_row(p) for p in g.proposals])
    frame = goal_lib.goals_table(g.proposals)[["metric", "current", "n", "slope_per_quarter", "projection",
                                               "method", "target", "goal_date", "detectable"]].copy()
    frame["metric"] = frame["metric"].str.upper()
    frame["method"] = frame["method"].str.replace("_", " ")
    frame["detectable"] = frame["detectable"].map({True: "yes", False: "no, sample too small"}).fillna("–")
    return bullets([p.smart_statement for p in g.proposals]) + \
        table(frame, "Proposed goals: today, the no-improvement projection, and the goal",
              formats={"current": "{:.0f}", "n": "{:,}", "slope_per_quarter": "{:+.1f}", "projection": "{:.0f}",
                       "target": "{:.0f}"})


def _why_no_goals(b: baseline_chapter.Baseline) -> str:
    """Why no headline goal could be proposed, with the answers each metric had."""
    if not b.metrics:
        return "No survey data yet, so no goal can be proposed."
    unit = FREQUENCIES[b.freq]
    counts = ", ".join(f"{m.upper()} {b.headline[m].n}" for m in b.metrics)
    where = f"the last complete {unit} ({b.period})" if b.period else f"the latest {unit}"
    return (f"No goal can be proposed yet. Goals start from {where}, and too few customers answered in it "
            f"for any figure to be reported ({counts} answers; a figure needs at least "
            f"{b.rules.withhold_below}). Goals follow once a {unit} collects enough answers.")


def per_metric(g: GoalSet) -> Html:
    """For each metric: the reasoning, the candidates, detectability and the chart."""
    from cxkit.plotting.goals import goal_chart

    parts: list[Html] = []
    for p in g.proposals:
        parts.append(Html(f"<h3>{p.metric.upper()}</h3>"))
        parts.append(paragraph(p.reasoning))
        if p.warnings:
            parts.append(callout(" ".join(p.warnings), "warning"))
        parts.append(table(_candidates(p.candidates), f"Candidate {p.metric.upper()} goals, before the goal is "
                           "rounded to whole points", formats={"target": "{:.1f}", "above_the_projection": "{:+.1f}",
                                    "change_on_today": "{:+.1f}"}))
        parts.append(figure(goal_chart(p, g.baseline.trends[p.metric]),
                            f"{p.metric.upper()} history with 95% intervals, the no-improvement projection cone, and the goal."))
    return sum(parts[1:], parts[0]) if parts else paragraph("No goals to show.")


def focus(g: GoalSet) -> Html:
    """Goals for the segments and touchpoints the consultant named."""
    if not g.focus:
        settings = g.baseline.client.engagement.goals
        named = [*settings.focus_segments, *settings.focus_touchpoints]
        if not named:
            return paragraph("This edition sets goals for the customer base as a whole: no segment or touchpoint "
                             "was singled out for a goal of its own.")
        return paragraph(f"{', '.join(named)}: too few answers for a goal of their own (a goal needs at least "
                         f"{g.baseline.rules.warn_below} answers to a metric).")
    return bullets([p.smart_statement for p in g.focus])


def overrides(g: GoalSet) -> Html:
    """Which inputs the consultant set by hand, so readers know what is judgement."""
    changed = sorted({item for p in g.proposals + g.focus for item in p.overridden})
    if not changed and not g.overrides:
        return paragraph("Nothing was overridden: every goal follows from the data and the engagement's settings.")
    return bullets([f"Overridden: {item}" for item in changed])
