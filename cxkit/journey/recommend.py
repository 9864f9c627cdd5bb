"""Ranked recommendations: listening posts to add, move or drop, each with its reason.

Every recommendation comes from a finding elsewhere in the chapter (a coverage gap, a
metric that does not fit, surveys that crowd one customer, a post that gets no answers).
Urgency weights live in ``fit_rules.yaml`` under ``recommendation_priority``.
"""
from __future__ import annotations

import pandas as pd

from cxkit.journey.coverage import Coverage
from cxkit.journey.frequency import ASSUMED
from cxkit.journey.rules import FitRules, load_fit_rules
from cxkit.journey.schema import Journey, Touchpoint, channel_name

REC_COLUMNS = ["rank", "action", "stage", "touchpoint", "metric", "target_touchpoint", "reason", "priority"]


class _Collector:
    """Gathers candidate recommendations and scores them."""

    def __init__(self, journey: Journey, rules: FitRules) -> None:
        self.journey, self.rules = journey, rules
        self.by_id = journey.touchpoint_by_id()
        self.rows: list[dict[str, object]] = []

    def add(self, action: str, tp: Touchpoint | None, metric: str | None, reason: str,
            weight: str, target: str | None = None, stage: str | None = None, nudge: int = 0) -> None:
        prio = self.rules.recommendation_priority.get(weight, 0) + nudge
        if tp is not None and tp.moment_that_matters:
            prio += self.rules.recommendation_priority.get("moment_bonus", 0)
        self.rows.append({"action": action, "stage": tp.stage if tp else stage,
                          "touchpoint": tp.id if tp else None, "metric": metric,
                          "target_touchpoint": target, "reason": reason, "priority": prio})

    def best(self, tp: Touchpoint) -> str:
        return self.rules.kinds[tp.kind].best

    def asks(self, tp: Touchpoint, metric: str) -> bool:
        return any(p.metric == metric for p in self.journey.posts_at(tp.id))

    def planned_adds(self) -> set[str]:
        return {str(r["touchpoint"]) for r in self.rows if r["action"] == "add"}


def _relationship_target(c: _Collector) -> str | None:
    """A relationship touchpoint without NPS yet, moments that matter first."""
    options = [t for t in c.journey.ordered_touchpoints()
               if t.kind == "relationship" and not c.asks(t, "nps")]
    options.sort(key=lambda t: not t.moment_that_matters)
    return options[0].id if options else None


def _from_fit(c: _Collector, fit: pd.DataFrame) -> None:
    for row in fit[~fit["fits"]].itertuples():
        tp = c.by_id[row.touchpoint]
        better = str(row.better_metric)
        if row.rule == "nps_after_support":
            target = _relationship_target(c)
            where = f" to '{c.by_id[target].name}'" if target else " to a relationship moment"
            c.add("move", tp, row.metric, f"Move the NPS question{where}. {row.reason}",
                  "nps_after_support", target=target)
        else:
            c.add("drop", tp, row.metric, f"Drop {row.metric.upper()} here. {row.reason}", "metric_misfit")
        if not c.asks(tp, better):
            c.add("add", tp, better, f"Ask {better.upper()} at '{tp.name}' instead, the metric that "
                  "suits this moment.", "metric_misfit", nudge=-1)


def _from_gaps(c: _Collector, gaps: pd.DataFrame) -> None:
    labels = {k: r.label for k, r in c.rules.kinds.items()}
    for g in gaps[gaps["gap"] == "moment_unheard"].itertuples():
        tp = c.by_id[g.touchpoint]
        c.add("add", tp, c.best(tp), f"'{tp.name}' is a moment that matters and nobody asks about "
              f"it; ask {c.best(tp).upper()}, which suits a {labels[tp.kind]}.", "moment_unheard")
    for g in gaps[gaps["gap"] == "stage_unheard"].itertuples():
        _stage_gap(c, g.stage)
    for g in gaps[gaps["gap"] == "channel_unheard"].itertuples():
        users = [t for t in c.journey.ordered_touchpoints() if g.channel in t.channels]
        users.sort(key=lambda t: not t.moment_that_matters)
        if users and users[0].id not in c.planned_adds():
            tp = users[0]
            c.add("add", tp, c.best(tp), f"Customers who use {channel_name(g.channel)} are never asked; a "
                  f"{c.best(tp).upper()} question at '{tp.name}' would hear them.", "channel_unheard")


def _stage_gap(c: _Collector, stage_id: str) -> None:
    name = c.journey.stage_names()[stage_id]
    tps = [t for t in c.journey.ordered_touchpoints() if t.stage == stage_id]
    if not tps:
        c.add("add", None, None, f"Stage '{name}' has no touchpoints mapped; map them with the "
              "owning teams, then choose where to listen.", "stage_unheard", stage=stage_id)
        return
    if any(t.id in c.planned_adds() for t in tps):
        return
    tp = sorted(tps, key=lambda t: not t.moment_that_matters)[0]
    c.add("add", tp, c.best(tp), f"Nothing is asked in stage '{name}'; '{tp.name}' is the best "
          f"place to start, with {c.best(tp).upper()}.", "stage_unheard")


def _from_frequency(c: _Collector, cov: Coverage) -> None:
    window = c.rules.asked_too_often.window_days
    for r in cov.over_surveyed.itertuples():
        tp = c.by_id[r.fix_touchpoint]
        same = r.first_touchpoint == r.second_touchpoint and r.first_metric == r.second_metric
        action = "drop" if same else "move"
        advice = ("One of the two is enough." if same else
                  f"Space the {r.fix_metric.upper()} at '{tp.name}' at least {window} days from "
                  f"the other survey, or have the survey tool skip anyone surveyed in the last "
                  f"{window} days.")
        weight = "asked_too_often_assumed" if r.basis == ASSUMED else "asked_too_often"
        c.add(action, tp, r.fix_metric, f"{r.reason} {advice}", weight)
    fatigue = cov.fatigue
    if fatigue is None or fatigue.share <= c.rules.asked_too_often.warn_share or fatigue.pairs.empty:
        return
    top = fatigue.pairs.iloc[0]
    tp = c.by_id.get(str(top["second_touchpoint"]))
    if tp is not None and tp.id not in set(cov.over_surveyed["fix_touchpoint"]):
        first = c.by_id.get(str(top["first_touchpoint"]))
        first_name = first.name if first else str(top["first_touchpoint"])
        pair = (f"twice within {window} days" if first is tp else
                f"within {window} days of one at '{first_name}'")
        c.add("move", tp, None, f"In the data, {int(top['customers']):,} customers answered a survey "
              f"at '{tp.name}' {pair}; space the invitations or have the survey tool skip recently "
              "surveyed customers.", "asked_too_often")


def _from_measured(c: _Collector, measured: pd.DataFrame | None) -> None:
    if measured is None or measured.empty or int(measured["n"].sum()) == 0:
        return
    silent = measured[measured["declared"] & (measured["status"] == "no_data")]
    for row in silent.itertuples():
        tp = c.by_id[row.touchpoint]
        c.add("move", tp, row.metric, f"The {str(row.metric).upper()} post at '{tp.name}' drew no "
              "responses in this data: check that it is live, or move it to a channel where "
              "customers answer.", "no_responses")


def recommendations(journey: Journey, coverage: Coverage, fit: pd.DataFrame,
                    measured: pd.DataFrame | None = None, rules: FitRules | None = None) -> pd.DataFrame:
    """Rank the listening posts to add, move or drop.

    Parameters
    ----------
    journey : Journey
        A loaded journey.
    coverage : Coverage
        From :func:`cxkit.journey.coverage`.
    fit : pandas.DataFrame
        From :func:`cxkit.journey.metric_fit`.
    measured : pandas.DataFrame, optional
        From :func:`cxkit.journey.measured`; adds posts that drew no responses.
    rules : FitRules, optional
        Priority weights; defaults to the packaged ``fit_rules.yaml``.

    Returns
    -------
    pandas.DataFrame
        Columns ``rank`` (1 = most urgent), ``action`` (add | move | drop), ``stage``,
        ``touchpoint`` (None for a stage with no touchpoints), ``metric``,
        ``target_touchpoint`` (where to move to, if any), ``reason`` and ``priority``.
    """
    c = _Collector(journey, rules or coverage.rules or load_fit_rules())
    _from_fit(c, fit)
    _from_gaps(c, coverage.gaps)
    _from_frequency(c, coverage)
    _from_measured(c, measured)
    frame = pd.DataFrame(c.rows, columns=REC_COLUMNS[1:])
    if frame.empty:
        return pd.DataFrame(columns=REC_COLUMNS)
    order = {t.id: i for i, t in enumerate(journey.ordered_touchpoints())}
    stage_pos = journey.stage_order()
    frame["_pos"] = [order.get(t, stage_pos.get(s, 0) * 1000) for t, s in zip(frame["touchpoint"], frame["stage"])]
    # one change per existing post: a post already dropped or moved is not moved again
    frame["_key"] = [f"{'add' if a == 'add' else 'change'}|{t}|{m}|{s}" for a, t, m, s in
                     zip(frame["action"], frame["touchpoint"], frame["metric"], frame["stage"])]
    frame = (frame.sort_values("priority", ascending=False, kind="stable")
             .drop_duplicates("_key")
             .sort_values(["priority", "_pos"], ascending=[False, True], kind="stable"))
    frame.insert(0, "rank", range(1, len(frame) + 1))
    frame = frame[REC_COLUMNS].reset_index(drop=True)
    text = ["stage", "touchpoint", "metric", "target_touchpoint"]
    frame[text] = frame[text].astype(object).where(frame[text].notna(), None)
    return frame


def recommendation_sentences(recs: pd.DataFrame, top: int = 3) -> list[str]:
    """Summarise recommendations: how many of each action, and the most urgent ones.

    Parameters
    ----------
    recs : pandas.DataFrame
        From :func:`recommendations`.
    top : int
        How many of the most urgent to spell out.

    Returns
    -------
    list of str
    """
    if recs.empty:
        return ["The listening plan needs no changes on these rules."]
    counts = recs["action"].value_counts()
    parts = [f"{counts.get(a, 0)} to {a}" for a in ("add", "move", "drop") if counts.get(a, 0)]
    out = [f"We recommend {len(recs)} changes to the listening plan: " + ", ".join(parts) + "."]
    out += [f"Priority {int(r.rank)}: {r.reason}" for r in recs.head(top).itertuples()]  # a list item, not a "1."
    return out
