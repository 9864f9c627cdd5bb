"""Where the client listens and where it is deaf.

Coverage works from the declared plan alone (stages, touchpoints, listening posts) and
adds what the survey data shows when responses are given: responses per stage,
touchpoint and channel, survey labels that match no touchpoint, touchpoints answered
without a declared post, and how often the same customer was asked.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cxkit.journey.frequency import ASSUMED, SurveyFatigue, over_surveyed_posts, survey_fatigue
from cxkit.journey.html_view import section_html
from cxkit.journey.loading import FINDING_COLUMNS, journey_findings
from cxkit.journey.responses import BLANK_LABEL, place_responses, response_counts, unmatched_labels
from cxkit.journey.rules import FitRules, load_fit_rules
from cxkit.journey.schema import Journey, channel_name
from cxkit.report.wording import counted, listed

GAP_COLUMNS = ["gap", "stage", "touchpoint", "channel", "message"]


@dataclass
class Coverage:
    """The listening coverage of a journey.

    Attributes
    ----------
    stages : pandas.DataFrame
        ``stage, stage_name, touchpoints, moments_that_matter, listening_posts, metrics,
        heard, responses`` (responses is NA without survey data).
    touchpoints : pandas.DataFrame
        ``stage, touchpoint, name, kind, channels, owner, moment_that_matters,
        listening_posts, metrics, heard, responses``.
    channels : pandas.DataFrame
        ``channel, touchpoints, touchpoints_heard, posts_sent, responses, asked``.
    gaps : pandas.DataFrame
        ``gap`` (``stage_unheard``, ``moment_unheard``, ``channel_unheard``), ``stage,
        touchpoint, channel, message``.
    over_surveyed : pandas.DataFrame
        Pairs of posts that can reach one customer within the window (see
        :func:`cxkit.journey.frequency.over_surveyed_posts`).
    fatigue : SurveyFatigue or None
        Measured from responses; None without survey data or customer ids.
    findings : pandas.DataFrame
        ``check, where, message``: non-fatal journey problems and data mismatches.
    missing : list of str
        What could not be assessed and why.
    rules : FitRules
        The rules used (window and warning share).
    """

    stages: pd.DataFrame
    touchpoints: pd.DataFrame
    channels: pd.DataFrame
    gaps: pd.DataFrame
    over_surveyed: pd.DataFrame
    fatigue: SurveyFatigue | None
    findings: pd.DataFrame
    missing: list[str] = field(default_factory=list)
    rules: FitRules = field(default_factory=load_fit_rules)

    def summary(self) -> list[str]:
        """Return the coverage story as short sentences in a consultant's voice."""
        names = dict(zip(self.stages["stage"], self.stages["stage_name"]))
        names |= dict(zip(self.touchpoints["touchpoint"], self.touchpoints["name"]))
        return (_headline(self) + _gap_sentences(self.gaps, names) + _frequency_sentences(self)
                + list(self.findings["message"]) + self.missing)

    def _repr_html_(self) -> str:
        return section_html("Listening coverage", self.summary(), [
            ("Stages", self.stages), ("Channels", self.channels),
            ("Gaps", self.gaps[["gap", "stage", "touchpoint", "channel"]]),
            ("Surveys that can reach one customer twice", self.over_surveyed),
        ])


def _join(names: list[str]) -> str:
    return listed(f"'{n}'" for n in names)


def _headline(cov: Coverage) -> list[str]:
    tps = cov.touchpoints
    moments = tps[tps["moment_that_matters"]]
    return [f"The journey has {len(cov.stages)} stages and {len(tps)} touchpoints. "
            f"{int(tps['heard'].sum())} touchpoints have a listening post, including "
            f"{int(moments['heard'].sum())} of the {len(moments)} moments that matter."]


def _gap_sentences(gaps: pd.DataFrame, names: dict[str, str]) -> list[str]:
    out = []
    stages = [names.get(s, s) for s in gaps.loc[gaps["gap"] == "stage_unheard", "stage"]]
    if stages:
        out.append(f"Customers are never asked anything in the {_join(stages)} "
                   f"{'stage' if len(stages) == 1 else 'stages'}.")
    moments = [names.get(t, t) for t in gaps.loc[gaps["gap"] == "moment_unheard", "touchpoint"]]
    if moments:
        out.append(f"Moments that matter with no listening post: {_join(moments)}.")
    channels = [channel_name(c) for c in gaps.loc[gaps["gap"] == "channel_unheard", "channel"]]
    if channels:
        out.append(f"Customers who deal with the client by {listed(channels)} are never surveyed "
                   "about those touchpoints.")
    if not out:
        out.append("Every stage, moment that matters and customer channel has at least one listening post.")
    return out


def _frequency_sentences(cov: Coverage) -> list[str]:
    window = cov.rules.asked_too_often.window_days
    out = []
    assumed = cov.over_surveyed["basis"] == ASSUMED
    if (~assumed).sum():
        pairs = counted(int((~assumed).sum()), "pair of surveys", "pairs of surveys")
        out.append(f"{pairs} in the plan {'reaches' if (~assumed).sum() == 1 else 'reach'} the same customer "
                   f"within {window} days.")
    if assumed.sum():
        noun = ("more " if (~assumed).sum() else "") + "pair of surveys"
        pairs = counted(int(assumed.sum()), noun, noun.replace("pair", "pairs"))
        out.append(f"{pairs} {'sits' if assumed.sum() == 1 else 'sit'} on consecutive touchpoints and "
                   f"may reach one customer within {window} days; knowing on which day of the journey those "
                   "touchpoints usually happen would settle it.")
    if cov.fatigue is not None:
        out.append(cov.fatigue.sentence(cov.rules.asked_too_often.warn_share))
    return out


def _posts_by_touchpoint(journey: Journey) -> pd.DataFrame:
    rows = [{"touchpoint": p.touchpoint, "metric": p.metric} for p in journey.listening_posts]
    posts = pd.DataFrame(rows, columns=["touchpoint", "metric"])
    return posts.groupby("touchpoint").agg(
        listening_posts=("metric", "size"),
        metrics=("metric", lambda m: ", ".join(sorted(set(m), key=list(m).index))),
    )


def touchpoint_table(journey: Journey, counts: pd.Series | None = None) -> pd.DataFrame:
    """One row per touchpoint in journey order with its listening posts and responses.

    Parameters
    ----------
    journey : Journey
    counts : pandas.Series, optional
        Distinct responses per touchpoint id; None when there is no survey data.

    Returns
    -------
    pandas.DataFrame
        Columns ``stage, touchpoint, name, kind, channels, owner, moment_that_matters,
        listening_posts, metrics, heard, responses``.
    """
    posts = _posts_by_touchpoint(journey)
    rows = [{"stage": t.stage, "touchpoint": t.id, "name": t.name, "kind": t.kind,
             "channels": ", ".join(t.channels), "owner": t.owner,
             "moment_that_matters": t.moment_that_matters} for t in journey.ordered_touchpoints()]
    frame = pd.DataFrame(rows, columns=["stage", "touchpoint", "name", "kind", "channels", "owner",
                                        "moment_that_matters"])
    frame = frame.join(posts, on="touchpoint")
    frame["listening_posts"] = frame["listening_posts"].fillna(0).astype(int)
    frame["metrics"] = frame["metrics"].fillna("")
    frame["heard"] = frame["listening_posts"] > 0
    frame["responses"] = _counts_column(frame["touchpoint"], counts)
    return frame.astype({"moment_that_matters": bool, "heard": bool})


def _counts_column(keys: pd.Series, counts: pd.Series | None) -> pd.Series:
    if counts is None:
        return pd.Series(pd.NA, index=keys.index, dtype="Int64")
    return keys.map(counts).fillna(0).astype("Int64")


def stage_table(journey: Journey, tps: pd.DataFrame, counts: pd.Series | None = None) -> pd.DataFrame:
    """One row per stage in journey order, summing its touchpoints (empty stages included)."""
    rows = []
    for stage in journey.stages:
        part = tps[tps["stage"] == stage.id]
        metrics = sorted({m for ms in part["metrics"] for m in ms.split(", ") if m})
        rows.append({"stage": stage.id, "stage_name": stage.name, "touchpoints": len(part),
                     "moments_that_matter": int(part["moment_that_matters"].sum()),
                     "listening_posts": int(part["listening_posts"].sum()),
                     "metrics": ", ".join(metrics), "heard": bool(part["heard"].any())})
    frame = pd.DataFrame(rows)
    frame["responses"] = _counts_column(frame["stage"], counts)
    return frame


def channel_table(journey: Journey, counts: pd.Series | None = None) -> pd.DataFrame:
    """One row per channel used by a touchpoint or a survey, with how often it is heard.

    A channel is ``asked`` when at least one touchpoint that uses it has a listening post.
    """
    heard = {p.touchpoint for p in journey.listening_posts}
    used = [c for t in journey.ordered_touchpoints() for c in t.channels]
    names = list(dict.fromkeys(used + [p.channel for p in journey.listening_posts]))
    rows = [{"channel": c,
             "touchpoints": sum(c in t.channels for t in journey.touchpoints),
             "touchpoints_heard": sum(c in t.channels and t.id in heard for t in journey.touchpoints),
             "posts_sent": sum(p.channel == c for p in journey.listening_posts)} for c in names]
    frame = pd.DataFrame(rows, columns=["channel", "touchpoints", "touchpoints_heard", "posts_sent"])
    frame["responses"] = _counts_column(frame["channel"], counts)
    frame["asked"] = frame["touchpoints_heard"] > 0
    return frame


def coverage_gaps(journey: Journey, tps: pd.DataFrame, stages: pd.DataFrame,
                  channels: pd.DataFrame) -> pd.DataFrame:
    """List unheard stages, moments that matter and customer channels.

    Returns
    -------
    pandas.DataFrame
        Columns ``gap, stage, touchpoint, channel, message``.
    """
    rows = []
    for s in stages[~stages["heard"]].itertuples():
        note = " (no touchpoints mapped yet)" if s.touchpoints == 0 else ""
        rows.append({"gap": "stage_unheard", "stage": s.stage, "touchpoint": None, "channel": None,
                     "message": f"No listening post in stage '{s.stage_name}'{note}."})
    for t in tps[tps["moment_that_matters"] & ~tps["heard"]].itertuples():
        rows.append({"gap": "moment_unheard", "stage": t.stage, "touchpoint": t.touchpoint,
                     "channel": None, "message": f"'{t.name}' matters to customers but nobody asks about it."})
    for c in channels[~channels["asked"] & (channels["touchpoints"] > 0)].itertuples():
        rows.append({"gap": "channel_unheard", "stage": None, "touchpoint": None, "channel": c.channel,
                     "message": f"No touchpoint reached by {channel_name(c.channel)} has a listening post."})
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def _data_findings(placed: pd.DataFrame, tps: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in unmatched_labels(placed).itertuples():
        if r.touchpoint_label == BLANK_LABEL:
            message = f"{r.responses:,} responses do not say which touchpoint they are about."
        else:
            message = f"{r.responses:,} responses name touchpoint '{r.touchpoint_label}', which is not in the journey."
        rows.append({"check": "unmatched_touchpoint", "where": r.touchpoint_label, "message": message})
    undeclared = tps[~tps["heard"] & (tps["responses"].fillna(0) > 0)]
    for t in undeclared.itertuples():
        rows.append({"check": "undeclared_listening_post", "where": t.touchpoint,
                     "message": f"'{t.name}' has {int(t.responses):,} responses but no declared listening post."})
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


def coverage(journey: Journey, responses: pd.DataFrame | None = None,
             rules: FitRules | None = None) -> Coverage:
    """Assess where the journey is heard, where it is not, and where customers are over-asked.

    Parameters
    ----------
    journey : Journey
        A loaded journey.
    responses : pandas.DataFrame, optional
        The tidy responses table. Without it, coverage rests on the declared plan only.
    rules : FitRules, optional
        Defaults to the packaged ``fit_rules.yaml`` (window for "asked too often").

    Returns
    -------
    Coverage

    Examples
    --------
    >>> j = Journey(stages=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
    ...             touchpoints=[{"id": "t", "name": "T", "stage": "a", "channels": ["chat"],
    ...                           "owner": "Support", "kind": "task"}])
    >>> coverage(j).gaps["gap"].tolist()
    ['stage_unheard', 'stage_unheard', 'channel_unheard']
    """
    rules = rules or load_fit_rules()
    placed = None if responses is None or responses.empty else place_responses(journey, responses)
    count = (lambda by: None) if placed is None else (lambda by: response_counts(placed, by))
    tps = touchpoint_table(journey, count("touchpoint"))
    stages = stage_table(journey, tps, count("stage"))
    channels = channel_table(journey, count("channel"))
    findings = [journey_findings(journey)]
    missing = []
    fatigue = None
    if placed is None:
        missing.append("No survey data was provided, so coverage rests on the declared listening "
                       "posts only; response counts and survey frequency are not shown.")
    else:
        findings.append(_data_findings(placed, tps))
        fatigue = survey_fatigue(placed, rules.asked_too_often.window_days)
        if fatigue is None:
            missing.append("The survey data carries no customer ids or dates, so we cannot tell how "
                           "often the same customer was asked.")
    return Coverage(stages, tps, channels, coverage_gaps(journey, tps, stages, channels),
                    over_surveyed_posts(journey, rules), fatigue,
                    pd.concat([f for f in findings if not f.empty] or [findings[0]], ignore_index=True),
                    missing, rules)
