"""The measured journey: each touchpoint's score, sample size and confidence interval.

Scores come from :func:`cxkit.metrics.segments` (never recomputed here). To colour a map
that mixes metrics, each score is also placed on a common 0-100 ``score_index``: the
top-2-box percentage as it is for CSAT, CES and PSAT, and NPS rescaled from -100..100 to
0..100. The index is for colour and for the journey's emotional curve only; tables and
labels always show the metric's own value.
"""
from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import pandas as pd

from cxkit.journey.responses import core_metric_rows, place_responses
from cxkit.journey.schema import Journey
from cxkit.metrics.sample import STATUS_NOTES
from cxkit.report.wording import counted, verb

MEASURED_COLUMNS = [
    "stage", "stage_name", "touchpoint", "touchpoint_name", "kind", "moment_that_matters",
    "metric", "declared", "n", "value", "ci_low", "ci_high", "mean", "status", "greyed",
    "score_index", "note",
]
_NOTES = {**STATUS_NOTES, "no_data": "no responses in the survey data", "withheld": "too few responses to report",
          "not_asked": "no listening post and no responses"}


def metrics_engine() -> Any:
    """Import the metric engine lazily (it is heavy and optional for plan-only runs)."""
    return importlib.import_module("cxkit.metrics")


def score_index(metric: str, value: float | None) -> float:
    """Place a metric value on a common 0-100 scale for colouring.

    Examples
    --------
    >>> score_index("nps", 20.0), score_index("csat", 85.0), score_index("ces", None)
    (60.0, 85.0, nan)
    """
    if value is None or pd.isna(value):
        return float("nan")
    return (float(value) + 100.0) / 2.0 if metric == "nps" else float(value)


def format_value(metric: str, value: float | None) -> str:
    """Format a metric value the way a reader expects (``+23`` NPS, ``87%`` otherwise).

    Examples
    --------
    >>> format_value("nps", 23.4), format_value("ces", 71.0), format_value("csat", None)
    ('+23', '71%', 'n/a')
    """
    if value is None or pd.isna(value):
        return "n/a"
    return f"{value:+.0f}" if metric == "nps" else f"{value:.0f}%"


def _segment_scores(placed: pd.DataFrame, rules: Any) -> pd.DataFrame:
    rows = core_metric_rows(placed[placed["touchpoint"].notna()])
    engine = metrics_engine()
    parts = []
    for metric in sorted(rows["metric"].astype(str).unique()):
        sub = rows[rows["metric"].astype(str) == metric]
        seg = engine.segments(sub, metric, by=["touchpoint"], rules=rules)
        parts.append(seg.assign(metric=metric, touchpoint=seg["touchpoint"].astype(str)))
    cols = ["touchpoint", "metric", "n", "value", "ci_low", "ci_high", "mean", "status"]
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]


def _plan_grid(journey: Journey) -> pd.DataFrame:
    rows = []
    for tp in journey.ordered_touchpoints():
        metrics = list(dict.fromkeys(p.metric for p in journey.posts_at(tp.id)))
        rows += [{"touchpoint": tp.id, "metric": m, "declared": True} for m in metrics]
    return pd.DataFrame(rows, columns=["touchpoint", "metric", "declared"])


def _describe(journey: Journey, frame: pd.DataFrame) -> pd.DataFrame:
    by_id = journey.touchpoint_by_id()
    names = journey.stage_names()
    order = {t.id: i for i, t in enumerate(journey.ordered_touchpoints())}
    frame = frame.assign(
        stage=[by_id[t].stage for t in frame["touchpoint"]],
        stage_name=[names[by_id[t].stage] for t in frame["touchpoint"]],
        touchpoint_name=[by_id[t].name for t in frame["touchpoint"]],
        kind=[by_id[t].kind for t in frame["touchpoint"]],
        moment_that_matters=[by_id[t].moment_that_matters for t in frame["touchpoint"]],
        _order=[order[t] for t in frame["touchpoint"]],
    )
    return frame.sort_values(["_order", "metric"], na_position="last").drop(columns="_order")


def _merge(journey: Journey, scores: pd.DataFrame) -> pd.DataFrame:
    grid = _plan_grid(journey).merge(scores, on=["touchpoint", "metric"], how="outer")
    grid["declared"] = grid["declared"].astype("boolean").fillna(False).astype(bool)
    unheard = [t.id for t in journey.touchpoints if t.id not in set(grid["touchpoint"])]
    blank = pd.DataFrame({"touchpoint": unheard, "metric": None, "declared": False, "status": "not_asked"})
    grid = pd.concat([grid, blank], ignore_index=True) if unheard else grid
    grid["n"] = pd.to_numeric(grid["n"], errors="coerce").fillna(0).astype(int)
    grid["status"] = grid["status"].fillna("no_data")
    return grid


def measured(journey: Journey, responses: pd.DataFrame | None = None, rules: Any = None) -> pd.DataFrame:
    """Score each touchpoint from the survey data, with n and confidence interval.

    Parameters
    ----------
    journey : Journey
        A loaded journey.
    responses : pandas.DataFrame, optional
        The tidy responses table; None or empty gives the plan with ``status="no_data"``.
    rules : SampleRules, optional
        Sample-size rules passed on to :func:`cxkit.metrics.segments`.

    Returns
    -------
    pandas.DataFrame
        One row per touchpoint x metric (declared posts plus metrics found in the data;
        touchpoints with neither get one row with ``metric`` None and status
        ``not_asked``), in journey order. Columns ``stage, stage_name, touchpoint,
        touchpoint_name, kind, moment_that_matters, metric, declared, n, value, ci_low,
        ci_high, mean, status`` (ok | small | withheld | no_data | not_asked), ``greyed``
        (True unless status is ok), ``score_index`` (0-100, for colour) and ``note``.
    """
    scores = pd.DataFrame(columns=["touchpoint", "metric", "n", "value", "ci_low", "ci_high", "mean", "status"])
    if responses is not None and not responses.empty:
        scores = _segment_scores(place_responses(journey, responses), rules)
    frame = _describe(journey, _merge(journey, scores))
    for col in ("value", "ci_low", "ci_high", "mean"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    frame["greyed"] = frame["status"] != "ok"
    frame["score_index"] = [score_index(m, v) for m, v in zip(frame["metric"], frame["value"])]
    frame["note"] = frame["status"].map(_NOTES).fillna("")
    undeclared = (~frame["declared"]) & (frame["n"] > 0)
    frame.loc[undeclared, "note"] = (frame.loc[undeclared, "note"] + "; answered without a declared post").str.strip("; ")
    return frame[MEASURED_COLUMNS].reset_index(drop=True)


def stage_curve(journey: Journey, measured_frame: pd.DataFrame | None) -> pd.DataFrame:
    """The emotional curve: one score per stage on the common 0-100 index.

    Each stage's score is the response-weighted mean ``score_index`` of its reportable
    touchpoint scores (status ok or small); withheld and missing scores are left out.

    Parameters
    ----------
    journey : Journey
    measured_frame : pandas.DataFrame or None
        The output of :func:`measured`.

    Returns
    -------
    pandas.DataFrame
        ``stage, stage_name, position, score_index, n, scores`` (scores = how many
        touchpoint scores were averaged); score_index is NaN for a stage with none.
    """
    rows = []
    for pos, stage in enumerate(journey.stages):
        part = pd.DataFrame() if measured_frame is None else measured_frame[
            (measured_frame["stage"] == stage.id) & measured_frame["status"].isin(["ok", "small"])
            & measured_frame["score_index"].notna()]
        n = int(part["n"].sum()) if len(part) else 0
        index = float(np.average(part["score_index"], weights=part["n"])) if n else float("nan")
        rows.append({"stage": stage.id, "stage_name": stage.name, "position": pos,
                     "score_index": index, "n": n, "scores": len(part)})
    return pd.DataFrame(rows)


def _why_unscored(frame: pd.DataFrame, surveyed: bool) -> str:
    withheld = int((frame["status"] == "withheld").sum())
    if withheld:
        return (f"Every touchpoint score rests on too few answers ({withheld} withheld), so the measured journey "
                "shows the listening plan only.")
    if surveyed:
        return ("None of the survey responses name a touchpoint of the journey map, so no touchpoint can be "
                "scored yet; map each survey's touchpoint column in engagement.yaml (columns.touchpoint) to "
                "the touchpoint names the journey uses.")
    return ("There are no usable survey scores for any touchpoint yet, so the measured journey shows the "
            "listening plan only; add the survey exports to engagement.yaml to see scores.")


def measured_sentences(frame: pd.DataFrame, surveyed: bool = False) -> list[str]:
    """Summarise the measured journey in a few sentences.

    Parameters
    ----------
    frame : pandas.DataFrame
        The output of :func:`measured`.
    surveyed : bool
        Whether the client's survey exports hold responses at all, so that a journey
        with no score says why: too few answers, responses that name no touchpoint of
        the map, or no survey data.

    Returns
    -------
    list of str
    """
    scored = frame[frame["status"].isin(["ok", "small"])]
    if scored.empty:
        return [_why_unscored(frame, surveyed)]
    small = int((scored["status"] == "small").sum())
    places = scored["touchpoint"].nunique()  # a touchpoint can ask two metrics
    what = (counted(len(scored), "touchpoint score") if places == len(scored) else
            f"{counted(len(scored), 'score')} on {counted(places, 'touchpoint')}")
    out = [f"{what} {verb(len(scored), 'comes', 'come')} from the survey "
           "data; " + ("none rests on a small sample." if not small else
                       f"{small} {'rests on a small sample and is' if small == 1 else 'rest on small samples and are'} "
                       "greyed out.")]
    withheld = frame[frame["status"] == "withheld"]
    if len(withheld):
        out.append(f"{len(withheld)} more are withheld because too few customers answered.")
    silent = frame[frame["declared"] & (frame["status"] == "no_data")]
    if len(silent):
        out.append(f"{counted(len(silent), 'declared listening post')} {verb(len(silent), 'has', 'have')} "
                   "no responses in this data, "
                   "e.g. '" + silent["touchpoint_name"].iloc[0] + "'.")
    ranked = scored.sort_values("score_index")
    low, high = ranked.iloc[0], ranked.iloc[-1]
    if len(ranked) > 1:
        out.append(f"The weakest measured moment is '{low.touchpoint_name}' "
                   f"({str(low.metric).upper()} {format_value(low.metric, low.value)}); the strongest is "
                   f"'{high.touchpoint_name}' ({str(high.metric).upper()} {format_value(high.metric, high.value)}).")
    return out
