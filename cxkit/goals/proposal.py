"""One recommended, SMART goal per metric (and per named segment or touchpoint).

The recipe:

1. If today's score is at or above the metric's hold threshold, the goal is to hold it.
2. Otherwise the starting point is the no-improvement projection to the goal date (today's
   value only when there is no trend). Two candidate uplifts are added to it: ``k`` % of
   the remaining opportunity, and half a respondent-level standard deviation.
3. The smaller candidate is recommended (attainable). On respondent-level data half a
   standard deviation of NPS or of a top-2-box indicator is large (often 20-45 points), so
   in practice it acts as an upper bound and percent of opportunity usually wins.
   A fixed target from the consultant replaces the proposal.
4. Detectability compares the goal with today's score (two-sample z test); a goal the
   expected sample cannot detect is flagged.
"""
from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from cxkit.config.targets import GoalSettings
from cxkit.errors import InputError
from cxkit.goals.detectability import min_detectable_change, sample_needed
from cxkit.goals.inputs import GoalInputs, resolve_inputs
from cxkit.goals.trend import TrendProjection, project_trend
from cxkit.goals.uplift import (NPS_SCALE, ceiling_of, floor_of, percent_of_opportunity,
                                respondent_sd, sd_from_se)
from cxkit.goals.wording import METHOD_LABELS, change_unit, fmt_change, fmt_date, fmt_score, smart_statement
from cxkit.metrics.labels import metric_name
from cxkit.report.wording import counted

CANDIDATE_COLUMNS = ["method", "label", "uplift", "target", "uplift_vs_projection",
                     "change_vs_current", "detectable"]


@dataclass(frozen=True)
class GoalProposal:
    """A proposed goal with everything behind it.

    Attributes mirror the chapter: today's value, the trend and its projection, the
    candidates, the recommendation and its SMART statement, detectability, and the
    inputs the consultant overrode.
    """

    metric: str
    scope: str | None
    current: dict[str, Any]
    slope_per_quarter: float | None
    slope_ci: tuple[float, float] | None
    projection: float
    projection_ci: tuple[float, float] | None
    already_high_enough: bool
    hold_threshold: float | None
    candidates: pd.DataFrame
    recommended_method: str
    target: float
    goal_date: date
    earliest_goal_date: date
    metric_kind: str
    sd: float
    expected_n: int
    detectable_change: float
    sample_needed: int | None
    detectable: bool | None
    overridden: list[str]
    warnings: list[str]
    smart_statement: str
    reasoning: str
    brief: str = ""
    """The reasoning in three short sentences, for the executive summary (trend, rule,
    whether the survey can confirm it); :attr:`reasoning` keeps every figure behind it."""
    trend: TrendProjection = field(repr=False, compare=False, default=None)

    @property
    def uplift_vs_projection(self) -> float:
        """Target minus the no-improvement projection."""
        return self.target - self.projection

    @property
    def change_vs_current(self) -> float:
        """Target minus today's value."""
        return self.target - self.current["value"]

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-friendly dictionary (dates as ISO strings, candidates as records)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)
               if f.name not in ("candidates", "trend")}
        out["current"] = dict(self.current)
        out["candidates"] = self.candidates.replace({np.nan: None}).to_dict("records")
        out["goal_date"] = self.goal_date.isoformat()
        out["earliest_goal_date"] = self.earliest_goal_date.isoformat()
        out["uplift_vs_projection"] = self.uplift_vs_projection
        out["change_vs_current"] = self.change_vs_current
        return out

    def _repr_html_(self) -> str:
        return proposal_html(self)


def _field(current: Any, key: str) -> Any:
    if isinstance(current, Mapping):
        return current.get(key)
    return getattr(current, key, None)


def read_current(metric: str, current: Any) -> dict[str, Any]:
    """Today's value as a plain dict (``value, ci_low, ci_high, n, se, period``).

    Accepts a mapping, a ``MetricResult`` or any object with those attributes.

    Raises
    ------
    InputError
        When today's value is missing (e.g. withheld for a small sample).
    """
    out = {k: _field(current, k) for k in ("value", "ci_low", "ci_high", "n", "se", "period",
                                           "scale_min", "scale_max")}
    if out["value"] is None or pd.isna(out["value"]) or not out["n"]:
        raise InputError(f"today's {metric_name(metric)} has no reportable value, so no goal can be set",
                         column=metric, hint="The sample is probably below the withhold floor")
    out["value"], out["n"] = float(out["value"]), int(out["n"])
    return out


def _scale(metric: str, current: dict[str, Any], scale: tuple[float, float] | None) -> tuple[float, float]:
    if scale is not None:
        return scale
    if current.get("scale_min") is not None and current.get("scale_max") is not None:
        return (float(current["scale_min"]), float(current["scale_max"]))
    if metric == "nps":
        return NPS_SCALE
    raise InputError(f"the answer scale of {metric_name(metric)} is not known",
                     column=metric, expected="scale=(min, max) or scale_min/scale_max in current")


def _candidates(metric: str, base: float, current: float, slope: float | None, inp: GoalInputs,
                sd: float, mdc: float, high_enough: bool) -> pd.DataFrame:
    """Candidate goals as a tidy table."""
    top, bottom = ceiling_of(metric), floor_of(metric)
    rows = [("percent_of_opportunity", percent_of_opportunity(base, inp.k, top)),
            ("half_sd", inp.sd_fraction * sd)]
    if slope is not None and slope < 0 and current > base:  # a decline the projection shows below today
        rows.append(("stop_decline", current - base))
    if high_enough:
        rows.append(("hold", current - base))
    if inp.fixed_target is not None:
        rows.append(("fixed", inp.fixed_target - base))
    df = pd.DataFrame(rows, columns=["method", "uplift"])
    df["label"] = df["method"].map(METHOD_LABELS)
    df["target"] = (base + df["uplift"]).clip(bottom, top)
    df["uplift_vs_projection"] = df["target"] - base
    df["change_vs_current"] = df["target"] - current
    df["detectable"] = [None if m == "hold" else bool(abs(c) >= mdc)
                        for m, c in zip(df["method"], df["change_vs_current"])]
    return df[CANDIDATE_COLUMNS]


def _whole_points(value: float, hold: bool) -> float:
    """Goals are set in whole points; a hold goal rounds down so today's score meets it."""
    return float(np.floor(value) if hold else np.floor(value + 0.5))


def _choose(cands: pd.DataFrame) -> str:
    """Method of the recommended candidate."""
    methods = set(cands["method"])
    for forced in ("fixed", "hold"):
        if forced in methods:
            return forced
    pair = cands[cands["method"].isin(["percent_of_opportunity", "half_sd"])]
    return str(pair.sort_values("target", kind="stable").iloc[0]["method"])


def propose_goal(metric: str, trend_df: pd.DataFrame, respondent_scores: pd.Series, current: Any,
                 settings: GoalSettings, as_of: date, overrides: dict[str, Any] | None = None,
                 *, scope: str | None = None,
                 scale: tuple[float, float] | None = None) -> GoalProposal:
    """Propose one goal for a metric.

    Parameters
    ----------
    metric : str
        ``nps``, ``csat``, ``ces`` or ``psat``.
    trend_df : DataFrame
        Quarterly trend from the metric engine (``period, period_start, value, ci_low,
        ci_high, se, n, status``).
    respondent_scores : Series or None
        Individual scores on the metric's answer scale (for the spread); None when only
        counts are known (survey files read by DuckDB), and the spread then follows from
        today's standard error (:func:`cxkit.goals.uplift.sd_from_se`).
    current : mapping or MetricResult
        Today's ``value, ci_low, ci_high, n`` (``se``, ``period``, ``scale_min``,
        ``scale_max`` used when present).
    settings : GoalSettings
        The engagement's goal settings.
    as_of : date
        The date the goal is set.
    overrides : dict, optional
        Parameter overrides: ``goal_date, percent_of_opportunity, hold_threshold, target,
        metric_kind, expected_responses, sd_fraction``.
    scope : str, optional
        Who the goal covers, e.g. ``"Enterprise customers"``.
    scale : tuple of float, optional
        Answer scale; defaults to ``current``'s, or 0-10 for NPS.

    Returns
    -------
    GoalProposal
    """
    now = read_current(metric, current)
    answer_scale = _scale(metric, now, scale)
    sd = (respondent_sd(metric, respondent_scores, answer_scale) if respondent_scores is not None
          else sd_from_se(metric, now.get("se"), now["n"]))
    inp = resolve_inputs(metric, settings, overrides, as_of, now["n"])
    trend = project_trend(trend_df)
    se_now = float(now["se"]) if now.get("se") is not None else sd / np.sqrt(now["n"])
    if trend.has_trend:
        projection, low, high = trend.at(inp.goal_date)
        projection_ci = (low, high)
    else:
        projection, projection_ci = now["value"], None
    high_enough = inp.hold_threshold is not None and now["value"] >= inp.hold_threshold
    mdc = min_detectable_change(se_now, inp.expected_n, sd)
    cands = _candidates(metric, projection, now["value"], trend.slope_per_quarter, inp, sd, mdc,
                        high_enough)
    method = _choose(cands)
    chosen = cands.set_index("method").loc[method]
    target = _whole_points(float(chosen["target"]), hold=method == "hold")
    change = target - now["value"]
    needed = sample_needed(change, se_now, sd)
    detectable = None if method == "hold" else bool(abs(change) >= mdc)
    warnings = _warnings(metric, now, inp, trend, target, projection, detectable, high_enough)
    if detectable is False:
        warnings.append("Detecting it would need " + (
            f"about {needed:,} responses in the goal quarter." if needed is not None else
            "more precision than any goal-quarter sample gives, because today's own interval "
            "is already too wide."))
    statement = smart_statement(metric, scope, method, now["value"], now.get("period"), now["n"],
                                target, inp.goal_date, inp.expected_n,
                                projection if trend.has_trend else None)
    reasoning = _reasoning(metric, method, now["value"], trend, projection, inp, cands, target,
                           mdc, detectable)
    brief = brief_reasoning(metric, method, trend, inp, mdc=mdc, detectable=detectable)
    return GoalProposal(
        metric=metric, scope=scope, current=now, slope_per_quarter=trend.slope_per_quarter,
        slope_ci=trend.slope_ci, projection=float(projection), projection_ci=projection_ci,
        already_high_enough=high_enough, hold_threshold=inp.hold_threshold, candidates=cands,
        recommended_method=method, target=target, goal_date=inp.goal_date,
        earliest_goal_date=inp.earliest_goal_date, metric_kind=inp.kind, sd=sd,
        expected_n=inp.expected_n, detectable_change=mdc, sample_needed=needed,
        detectable=detectable, overridden=list(inp.overridden), warnings=warnings,
        smart_statement=statement, reasoning=reasoning, brief=brief, trend=trend,
    )


def _warnings(metric: str, now: dict, inp: GoalInputs, trend: TrendProjection, target: float,
              projection: float, detectable: bool | None, high_enough: bool) -> list[str]:
    out = []
    if inp.goal_date < inp.earliest_goal_date:
        out.append(f"The goal date {fmt_date(inp.goal_date)} is earlier than a {inp.kind} metric "
                   f"can honestly respond to an initiative ({fmt_date(inp.earliest_goal_date)}).")
    if not trend.has_trend:
        out.append(f"Only {counted(trend.periods_used, 'usable period')}: no trend could be estimated, so the "
                   "goal starts from today's value.")
    if detectable is False:
        out.append("The goal is smaller than the change the expected sample can detect; "
                   "it could be met or missed without the survey being able to tell.")
    if target < now["value"] and not high_enough:
        out.append("The recommended goal is below today's score: it slows the decline rather "
                   "than reversing it.")
    if high_enough and trend.has_trend and inp.hold_threshold is not None and projection < inp.hold_threshold:
        out.append(f"The score is high enough today but the trend points below the threshold "
                   f"({fmt_score(metric, projection)}); holding it means stopping the decline.")
    return out


def trend_direction(trend: TrendProjection) -> str | None:
    """``"rising"`` or ``"falling"``; ``"flat"`` when the slope's 95% interval spans zero (the
    data cannot tell it from flat); None without a trend.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> trend_direction(NS(has_trend=True, slope_per_quarter=-0.4, slope_ci=(-1.5, 0.6)))
    'flat'
    >>> trend_direction(NS(has_trend=True, slope_per_quarter=-0.8, slope_ci=(-1.5, -0.1)))
    'falling'
    """
    if not trend.has_trend:
        return None
    lo, hi = trend.slope_ci
    if lo <= 0 <= hi:
        return "flat"
    return "rising" if trend.slope_per_quarter > 0 else "falling"


def _trend_clause(metric: str, trend: TrendProjection, projection: float, goal_date: date,
                  current: float | None = None) -> str:
    if not trend.has_trend:
        return "With too few periods to read a trend, the starting point is today's score"
    lo, hi = trend.slope_ci
    direction = trend_direction(trend)
    points = f"{fmt_score(metric, projection)} by {fmt_date(goal_date)}"
    line_now = trend.coef[0]  # the line projects from where it stands, not from the last, noisier, quarter
    if current is not None and fmt_score(metric, line_now) != fmt_score(metric, current):
        points = f"{points}, from the trend line's {fmt_score(metric, line_now)} for the latest quarter"
    if direction == "flat":  # say so, then extend the slope anyway as the method does
        return (f"{metric_name(metric)} shows no clear trend ({trend.slope_per_quarter:+.1f} points a quarter, "
                f"95% interval {lo:+.1f} to {hi:+.1f}); extending it anyway, doing nothing points to {points}")
    return (f"{metric_name(metric)} is {direction} by {abs(trend.slope_per_quarter):.1f} points a "
            f"quarter (95% interval {lo:+.1f} to {hi:+.1f}), so doing nothing points to {points}")


def _reasoning(metric: str, method: str, current: float, trend: TrendProjection, projection: float,
               inp: GoalInputs, cands: pd.DataFrame, target: float, mdc: float,
               detectable: bool | None) -> str:
    """The recommendation explained in one sentence."""
    if method == "hold":
        return (f"Today's {fmt_score(metric, current)} is at or above the hold threshold of "
                f"{fmt_score(metric, inp.hold_threshold)}, so the goal is to keep it there; "
                f"a fall of more than {mdc:.1f} points would be a real change.")
    trend_part = _trend_clause(metric, trend, projection, inp.goal_date, current)
    by = cands.set_index("method")
    if method == "fixed":
        why = "the consultant fixed the target"
    else:
        other = "half_sd" if method == "percent_of_opportunity" else "percent_of_opportunity"
        what = (f"{inp.k:g}% of the remaining opportunity" if method == "percent_of_opportunity"
                else f"{inp.sd_fraction:g} of a standard deviation")
        why = (f"adding {what} ({fmt_change(metric, by.loc[method, 'uplift'])}, the more attainable of the two "
               f"rules: {METHOD_LABELS[other]} would give {fmt_score(metric, by.loc[other, 'target'])})")
    can = {True: "can", False: "cannot", None: "need not"}[detectable]
    return (f"{trend_part}; {why} gives {fmt_score(metric, target)}, a change of "
            f"{fmt_change(metric, target - current)} on today that a sample of {inp.expected_n:,} "
            f"{can} detect (smallest detectable change {mdc:.1f}).")


def brief_reasoning(metric: str, method: str, trend: TrendProjection, inp: GoalInputs, *, mdc: float,
                    detectable: bool | None) -> str:
    """Why this goal, short enough for a summary table: the trend, the rule, and whether
    the expected sample can confirm the change.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> flat = NS(has_trend=True, slope_per_quarter=-0.4, slope_ci=(-1.5, 0.6))
    >>> inputs = NS(k=10.0, sd_fraction=0.5, hold_threshold=None, expected_n=1139)
    >>> print(brief_reasoning("nps", "percent_of_opportunity", flat, inputs, mdc=9.9, detectable=False))
    No clear trend. Goal: the trend plus 10% of the remaining opportunity. Too small to confirm with 1,139 responses (the smallest change they can detect is 9.9 points).
    >>> falling = NS(has_trend=True, slope_per_quarter=-0.8, slope_ci=(-1.5, -0.1))
    >>> print(brief_reasoning("ces", "half_sd", falling, inputs, mdc=5.2, detectable=True))
    Falling 0.8 points a quarter. Goal: the trend plus half a standard deviation. 1,139 responses can confirm it.
    """
    unit = change_unit(metric)
    if method == "hold":
        return (f"At or above the hold threshold of {fmt_score(metric, inp.hold_threshold)}: keep it there. "
                f"A fall of more than {mdc:.1f} {unit} would be a real change.")
    direction = trend_direction(trend)
    if direction in (None, "flat"):
        trend_part = "Too few periods for a trend." if direction is None else "No clear trend."
    else:
        trend_part = f"{direction.capitalize()} {abs(trend.slope_per_quarter):.1f} points a quarter."
    base = "the trend" if trend.has_trend else "today's score"
    rule = {"percent_of_opportunity": f"{base} plus {inp.k:g}% of the remaining opportunity",
            "half_sd": f"{base} plus half a standard deviation" if inp.sd_fraction == 0.5
            else f"{base} plus {inp.sd_fraction:g} of a standard deviation",
            "stop_decline": "stop the decline", "fixed": "set by the consultant"}[method]
    sample = f"{inp.expected_n:,} responses"
    confirm = {True: f"{sample} can confirm it.",
               False: f"Too small to confirm with {sample} (the smallest change they can detect is "
                      f"{mdc:.1f} {unit}).",
               None: ""}[detectable]
    return " ".join(part for part in (trend_part, f"Goal: {rule}.", confirm) if part)


def proposal_html(p: GoalProposal) -> str:
    """Escaped HTML summary of a proposal (statement, key figures, candidates, overrides)."""
    e = html.escape
    m = p.metric
    rows = [
        ("Today", f"{fmt_score(m, p.current['value'])} (n = {p.current['n']})"),
        ("Trend per quarter", "n/a" if p.slope_per_quarter is None else
         f"{p.slope_per_quarter:+.1f} ({p.slope_ci[0]:+.1f} to {p.slope_ci[1]:+.1f})"),
        ("No-improvement projection", fmt_score(m, p.projection, 1)),
        ("Recommended goal", f"{fmt_score(m, p.target)} ({METHOD_LABELS[p.recommended_method]})"),
        ("Goal date", f"{fmt_date(p.goal_date)} (earliest honest: {fmt_date(p.earliest_goal_date)})"),
        ("Smallest detectable change", f"{p.detectable_change:.1f} with n = {p.expected_n}"),
        ("Sample needed for this goal", "n/a" if p.sample_needed is None else str(p.sample_needed)),
    ]
    body = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    cand = "".join(
        f"<tr><td>{e(str(r.label))}</td><td>{e(fmt_score(m, r.target, 1))}</td>"
        f"<td>{r.uplift_vs_projection:+.1f}</td><td>{r.change_vs_current:+.1f}</td>"
        f"<td>{e({True: 'yes', False: 'no'}.get(r.detectable, '-'))}</td></tr>"
        for r in p.candidates.itertuples())
    title = metric_name(m) + (f" — {p.scope}" if p.scope else "")
    parts = [f"<div class='cx-goal'><h4>{e(title)}</h4>",
             f"<p><strong>{e(p.smart_statement)}</strong></p><p>{e(p.reasoning)}</p>",
             f"<table>{body}</table>",
             "<table><tr><th>Candidate</th><th>Target</th><th>vs projection</th>"
             f"<th>vs today</th><th>Detectable</th></tr>{cand}</table>"]
    for heading, items in (("Overridden inputs", p.overridden), ("Warnings", p.warnings)):
        if items:
            parts.append(f"<p>{e(heading)}:</p><ul>" + "".join(f"<li>{e(i)}</li>" for i in items) + "</ul>")
    return "".join(parts) + "</div>"


def goals_table(proposals: list[GoalProposal]) -> pd.DataFrame:
    """One row per proposal, for an overview table.

    Returns
    -------
    DataFrame
        ``metric, scope, current, n, slope_per_quarter, projection, method, target,
        goal_date, detectable_change, detectable, smart_statement``.
    """
    return pd.DataFrame([{
        "metric": p.metric, "scope": p.scope, "current": p.current["value"], "n": p.current["n"],
        "slope_per_quarter": p.slope_per_quarter, "projection": p.projection,
        "method": p.recommended_method, "target": p.target, "goal_date": p.goal_date,
        "detectable_change": p.detectable_change, "detectable": p.detectable,
        "smart_statement": p.smart_statement,
    } for p in proposals])
