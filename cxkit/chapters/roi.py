"""Chapter 5: what closing the gap is worth, as ranges with their assumptions."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from cxkit import roi as roi_lib
from cxkit.chapters import goals as goals_chapter
from cxkit.io.client import ClientFolder
from cxkit.report.html import CAVEAT, Html, bullets, callout, figure, paragraph, record, table
from cxkit.report.wording import INTERVAL_COLUMNS, for_readers
from cxkit.roi.format import format_money


@dataclass
class ValueCase:
    """The ROI analysis and the goals it values.

    ``analysis`` is None when the client's data and ``engagement.yaml`` together lack
    figures the value case needs (``needed``, see :func:`cxkit.roi.figures_needed`): the
    chapter then says which, and the other chapters are delivered as usual.
    """

    analysis: roi_lib.RoiAnalysis | None
    goals: goals_chapter.GoalSet
    currency: str
    needed: tuple[str, ...] = ()


def analyse(cx: ClientFolder, as_of: str | None = None, nps_uplift: float | None = None) -> ValueCase:
    """Build the value case from the customer table (when there is one) and the NPS goal.

    Parameters
    ----------
    cx : ClientFolder
        The client.
    as_of : str, optional
        ISO date treated as today.
    nps_uplift : float, optional
        NPS points above the no-improvement projection to value; by default the chapter-4 goal.
    """
    goal_set = goals_chapter.propose(cx, as_of=as_of, only_metrics=("nps",))  # the goal this chapter values
    b = goal_set.baseline
    # the tidy table, or the DuckDB reader over large files: the same answer either way
    latest = roi_lib.latest_nps_by_customer(b.engine, b.as_of + pd.Timedelta(days=1)) if "nps" in b.metrics else None
    goal = goal_set.proposal("nps") if nps_uplift is None else float(nps_uplift)
    needed = roi_lib.figures_needed(cx.engagement.roi, cx.customers, latest)
    if needed:
        return ValueCase(None, goal_set, cx.engagement.currency, tuple(needed))
    analysis = roi_lib.build_roi(cx.engagement.roi, customers=cx.customers, latest_nps=latest,
                                 nps_goal=goal, currency=cx.engagement.currency)
    return ValueCase(analysis, goal_set, cx.engagement.currency)


def not_valued(v: ValueCase) -> str:
    """Why there is no value case, and what would give one (empty when there is one).

    Examples
    --------
    >>> not_valued(ValueCase(None, None, "EUR", ("customers", "detractor_share")))[:73]
    'This edition puts no money value on closing the gap. The value case needs'
    """
    if v.analysis is not None:
        return ""
    figures = [roi_lib.FIGURE_NAMES[name] for name in v.needed]
    listed = ", ".join(figures[:-1]) + (" and " if len(figures) > 1 else "") + figures[-1]
    keys = ", ".join(f"roi.{name}" for name in v.needed)
    return (f"This edition puts no money value on closing the gap. The value case needs {listed}, which "
            f"neither the customer records nor the survey answers provided. They come from a customer table "
            f"with each customer's annual value and churn (operations/customers.csv) joined to their NPS "
            f"answers, or can be stated in engagement.yaml ({keys}).")


def headline(v: ValueCase) -> Html:
    """Value at risk per year as a range, recorded for the summary page."""
    if v.analysis is None:
        record(CAVEAT + "roi", "chapter 5 puts no money value on the gap: it needs "
               + ", ".join(f"roi.{name}" for name in v.needed) + " (see cxkit validate)")
        return callout(not_valued(v), "warning", "Not valued.")
    var = v.analysis.value_at_risk
    money = lambda x: format_money(x, v.currency)  # noqa: E731
    text = (f"About {money(var.value.base)} of annual revenue sits with customers at risk "
            f"(range {money(var.value.low)} to {money(var.value.high)}), from {var.at_risk_customers:,.0f} customers "
            f"({var.share_at_risk:.0%}) at an average {money(var.average_value)} each.")
    story = v.analysis.story.summary if v.analysis.story else []  # the headline already says the value at risk
    record("roi", {"base": money(var.value.base), "low": money(var.value.low), "high": money(var.value.high),
                   "headline": text, "story": story})
    return callout(text, "key") + paragraph(f"Basis: {var.basis}.")


_SHARES = {column: "{:.1%}" for column in ("churn_rate", "predicted_churn", *INTERVAL_COLUMNS.values())}
_CHURN_FORMATS = {**_SHARES, "customers": "{:,}", "churned": "{:,}"}


def linkage(v: ValueCase) -> Html:
    """Churn by NPS group with intervals, and the logistic model when it could be fitted."""
    if v.analysis is None:
        return _see_headline()
    from cxkit.plotting.roi import churn_by_group_chart

    a = v.analysis
    if a.churn_table is None:
        return paragraph("There is no customer table with churn, so the linkage rests on the engagement's stated "
                         "churn assumptions (listed under the story).")
    out = figure(churn_by_group_chart(a.churn_table), "Share of customers who churned, by their latest NPS group, "
                 "with 95% intervals.")
    out += table(for_readers(a.churn_table), "Churn by NPS group", formats=_CHURN_FORMATS)
    if a.model is not None:
        out += paragraph(a.model.describe())
        predicted = a.model.predicted_by_group[["group", "predicted_churn", "ci_low", "ci_high"]]
        out += table(for_readers(predicted), "Predicted churn by NPS group (logistic model)",
                     formats=_SHARES)
    return out + bullets(a.notes) if a.notes else out


def goal_value(v: ValueCase) -> Html:
    """What reaching the NPS goal is worth per year and over the horizon."""
    if v.analysis is None:
        return _see_headline()
    gv = v.analysis.goal_value
    if gv is None:
        return paragraph("No NPS goal could be valued (no NPS data or no goal).")
    money = lambda x: format_money(x, v.currency)  # noqa: E731
    text = (f"Reaching the NPS goal means moving about {gv.customers_moved:,.0f} customers to {gv.move_to}s, "
            f"worth {money(gv.annual.base)} a year (range {money(gv.annual.low)} to {money(gv.annual.high)}) and "
            f"{money(gv.present_value.base)} over {gv.horizon_years} years in today's money.")
    return callout(text, "key") + table(_readable(gv.scenarios, v.currency), "Low, base and high cases: the "
                                        "value of reaching the goal and the assumptions behind each")


def ranges(v: ValueCase) -> Html:
    """Scenario range, simulation interval and the tornado of the inputs that matter most."""
    if v.analysis is None:
        return _see_headline()
    from cxkit.plotting.roi import range_chart, tornado_chart

    a = v.analysis
    out = Html("")
    horizon = f"over {a.settings.horizon_years} years in today's money"
    if a.goal_value is not None:  # the simulation values the same horizon as the bars
        out += figure(range_chart(a.goal_value.present_value, v.currency, simulation=a.simulation),
                      f"Value of reaching the goal {horizon}: low, base and high cases, and the 90% interval "
                      "of the simulation.")
    if a.tornado is not None and len(a.tornado):
        out += figure(tornado_chart(a.tornado, v.currency), f"Sensitivity: how the value {horizon} moves when "
                      "each input goes from its low to its high assumption.")
    if a.payback is not None and len(a.payback):
        out += table(_readable(a.payback, v.currency, a.settings.horizon_years),
                     "Return on the programme cost (payback counts benefits in today's money)")
    return out if str(out) else paragraph("No ranges could be computed.")


def _see_headline() -> Html:
    return paragraph("Not available until the value case has the figures named at the top of this chapter.")


MONEY_COLUMNS = ("value", "average_value", "annual_benefit", "present_value", "npv")
SHARE_COLUMNS = ("detractor_share", "churn_detractor", "churn_passive", "churn_promoter")
ACRONYMS = {"npv": "NPV", "roi": "ROI", "nps_uplift": "NPS uplift"}
"""Column names shown in capitals (the table would print them as 'Npv' and 'Roi')."""


def _readable(frame, currency: str, horizon_years: int = 0):
    """Money as money, shares as percentages and payback in years, for a table an executive reads."""
    out = frame.copy()
    for column in out.columns:
        if column in MONEY_COLUMNS:
            out[column] = out[column].map(lambda x: format_money(x, currency))
        elif column in SHARE_COLUMNS:
            out[column] = out[column].map(lambda x: f"{x:.0%}")
        elif column == "roi":  # (present value - cost) / cost, as the story says it: a percentage
            out[column] = out[column].map(lambda x: f"{x:,.0%}")
        elif column in ("customers",):
            out[column] = out[column].map(lambda x: f"{x:,.0f}")
        elif column == "payback_years":  # infinite: the horizon ends before the cost is repaid
            out[column] = out[column].map(lambda x: f"{x:.1f}" if math.isfinite(x) else f"not within {horizon_years}" if horizon_years else "not within the horizon")
    return out.rename(columns=ACRONYMS)


def story(v: ValueCase) -> Html:
    """The narrative an executive can repeat, and every assumption beneath it."""
    if v.analysis is None:
        return _see_headline()
    s = v.analysis.story
    if s is None:
        return paragraph("No story could be written without a value estimate.")
    return bullets(s.paragraphs, "story") + Html("<h3>Assumptions</h3>") + bullets(s.assumptions)
