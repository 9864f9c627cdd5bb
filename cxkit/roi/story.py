"""The ROI story: a few short paragraphs, generated from the numbers, and every assumption."""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

from cxkit.report.wording import in_sentence, listed
from cxkit.roi.format import format_money, format_share
from cxkit.roi.model import modelled_churn
from cxkit.roi.ranges import Assumption


@dataclass(frozen=True)
class RoiStory:
    """Paragraphs an executive can repeat, and the assumptions they rest on."""

    paragraphs: list[str]
    assumptions: list[str]
    summary: list[str] = field(default_factory=list)
    """What the executive summary adds to the value at risk it already states: the goal's
    worth and the payback (the linkage when there is no goal)."""

    def _repr_html_(self) -> str:
        paras = "".join(f"<p>{html.escape(p)}</p>" for p in self.paragraphs)
        items = "".join(f"<li>{html.escape(a)}</li>" for a in self.assumptions)
        return (f"<div class='cx-roi-story'>{paras}<p><strong>Assumptions</strong></p>"
                f"<ul>{items}</ul></div>")

    def as_text(self) -> str:
        """Plain text: paragraphs, then the assumptions as a list."""
        return "\n\n".join(self.paragraphs) + "\n\nAssumptions:\n" + "\n".join(
            f"- {a}" for a in self.assumptions)


def format_assumption_value(a: Assumption, value: float, currency: str) -> str:
    """One assumption value in its unit."""
    if a.unit == "money":
        return format_money(value, currency)
    if a.unit == "share":
        return format_share(value, 1)
    if a.unit == "points":
        return f"{value:.1f} NPS points"
    return f"{value:,.0f}"


def describe_assumption(a: Assumption, currency: str) -> str:
    """``"Average annual customer value: €12k (range €9.6k – €14k); source: ..."``."""
    base = format_assumption_value(a, a.base, currency)
    rng = "" if a.is_fixed else (f" (range {format_assumption_value(a, min(a.low, a.high), currency)}"
                                 f" – {format_assumption_value(a, max(a.low, a.high), currency)})")
    return f"{a.label}: {base}{rng}; source: {a.source}"


def _money_range(r: Any, cur: str) -> str:
    return f"between {format_money(r.low, cur)} and {format_money(r.high, cur)}"


def _risk_paragraph(an: Any) -> str:
    v, cur = an.value_at_risk, an.currency
    return (f"About {v.at_risk_customers:,.0f} customers ({format_share(v.share_at_risk)}) are at "
            f"risk, counting {v.basis}. At {format_money(v.average_value, cur)} each a year, they "
            f"represent {format_money(v.value.base, cur)} of annual revenue "
            f"({_money_range(v.value, cur)} on the stated assumptions): the money on the table if "
            "they leave.")


def _linkage_paragraph(an: Any) -> str:
    a = an.assumptions
    d, p, pr = (a[f"churn_{g}"].base for g in ("detractor", "passive", "promoter"))
    text = (f"Detractors leave at {format_share(d, 1)} a year, passives at {format_share(p, 1)} "
            f"and promoters at {format_share(pr, 1)} (source: {a['churn_detractor'].source}).")
    if an.model is not None:
        lo, hi = an.model.odds_ratio_ci
        ctrl = listed(an.model.control_names) if an.model.control_names else "nothing else"
        text += (f" Each extra point on the 0-10 recommendation question multiplies the odds of "
                 f"leaving by {an.model.odds_ratio_per_point:.2f} (95% interval {lo:.2f} to "
                 f"{hi:.2f}), allowing for {ctrl}.")
        if lo <= 1 <= hi:
            text += (" That interval includes no effect at all, so the data alone cannot show "
                     "that a better score keeps customers; read the figures below as a range.")
    if d <= p:
        text += (" In these figures detractors do not leave more often than passives, so a "
                 "better NPS cannot be shown to pay back through retention alone.")
    return text


def _goal_paragraph(an: Any) -> str:
    g, gv, cur = an.goal, an.goal_value, an.currency
    when = f" by {g.goal_date:%B %Y}" if g.goal_date is not None else ""
    target = f"Reaching the NPS goal of {g.target:.0f}{when}" if g.known_target else \
        f"Reaching the NPS goal{when}"
    text = (f"{target} means {gv.nps_uplift:.1f} points more than the trend would deliver on its own, "
            f"or about {gv.customers_moved:,.0f} customers moving from detractor to {gv.move_to}. "
            f"That is worth about {format_money(gv.annual.base, cur)} a year "
            f"({_money_range(gv.annual, cur)}), {format_money(gv.present_value.base, cur)} over "
            f"{gv.horizon_years} years in today's money.")
    if an.decline_cost and an.goal is not None and an.goal.trend_clear is False:
        text += (f" If the slight downward drift went on (the data cannot yet tell it from flat), it would "
                 f"cost about {format_money(an.decline_cost, cur)} a year.")
    elif an.decline_cost:
        text += (f" Doing nothing has a price too: the current downward trend alone costs about "
                 f"{format_money(an.decline_cost, cur)} a year.")
    return text


def _simulation_paragraph(an: Any) -> str:
    s, cur = an.simulation, an.currency
    how = ("; the churn rates move together as the churn model estimates them, every other input on its own"
           if len(modelled_churn(an.settings, an.model)) > 1 else "; each independently of the others")
    return (f"Letting every uncertain input vary at random within its range ({s.n:,} draws, seed "
            f"{s.seed}{how}), 90% of outcomes fall between {format_money(s.low, cur)} and "
            f"{format_money(s.high, cur)} over {an.settings.horizon_years} years.")


def _payback_paragraph(an: Any) -> str:
    t, cur, years = an.payback.set_index("scenario"), an.currency, an.settings.horizon_years
    cost = format_money(an.settings.programme_cost, cur)
    base = t.loc["base"]
    returns = (f"returns {format_share(base['roi'])} over {years} years (low case "
               f"{format_share(t.loc['low', 'roi'])}, high case {format_share(t.loc['high', 'roi'])})")
    if not math.isfinite(base["payback_years"]):
        return (f"On the base case the programme cost of {cost} is not paid back by retention within the "
                f"{years}-year horizon, counting benefits in today's money: it {returns}.")
    return (f"Against a programme cost of {cost}, the base case pays back in {base['payback_years']:.1f} "
            f"years, counting benefits in today's money, and {returns}.")


def _sensitivity_paragraph(an: Any) -> str:
    top = [in_sentence(lab) for lab in an.tornado.head(2)["label"]]
    if not top:
        return ""
    names = " and ".join(top)
    return (f"The figure depends most on {names}: these are the numbers to agree with finance "
            "before the story is repeated.")


def story(analysis: Any) -> RoiStory:
    """Write the ROI story from a :class:`cxkit.roi.RoiAnalysis`.

    Returns
    -------
    RoiStory
        Paragraphs (value at risk, linkage, goal value, simulation, payback, sensitivity —
        each only when its numbers exist) and the full assumption list.
    """
    an = analysis
    paras = [_risk_paragraph(an), _linkage_paragraph(an)]
    summary: list[str] = []
    if an.goal_value is not None:
        summary.append(_goal_paragraph(an))
        paras += [summary[-1], _simulation_paragraph(an)]
    if an.payback is not None:
        summary.append(_payback_paragraph(an))
        paras.append(summary[-1])
    if an.tornado is not None:
        paras.append(_sensitivity_paragraph(an))
    s = an.settings
    listed = [describe_assumption(a, an.currency) for a in an.assumptions.values()]
    listed += [
        f"Horizon {s.horizon_years} years, discounted at {format_share(s.discount_rate, 1)} a year.",
        f"The goal's improvement moves detractors to {s.move_to}s; no more can move than there are.",
        "Benefits start in the first year and recur each year; customer value is annual revenue "
        "as supplied, not margin.",
        f"Ranges without an interval of their own use ×{s.value_range.low:g} and "
        f"×{s.value_range.high:g} of the base figure.",
        *an.notes,
    ]
    return RoiStory([p for p in paras if p], listed, [p for p in summary if p] or [p for p in paras[1:2] if p])
