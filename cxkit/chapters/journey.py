"""Chapter 2: the journey, where the client listens, and where customers struggle."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cxkit import journey as jr
from cxkit.chapters.baseline import rules_for
from cxkit.io.client import ClientFolder
from cxkit.report.html import Html, bullets, callout, figure, kpis, paragraph, record, table
from cxkit.report.wording import INTERVAL_COLUMNS, for_readers


@dataclass
class JourneyAnalysis:
    """The journey with its coverage, fit, measured scores and friction."""

    journey: jr.Journey
    responses: pd.DataFrame | None
    coverage: jr.Coverage
    fit: pd.DataFrame
    measured: pd.DataFrame | None
    friction: jr.Friction
    recommendations: pd.DataFrame
    findings: pd.DataFrame
    large: bool = False


GAP_WORDS = {"stage_unheard": "stage without a listening post",
             "moment_unheard": "moment that matters, not asked about",
             "channel_unheard": "channel without a listening post"}
"""How each kind of listening gap is named in the deliverable."""


def journey_of(cx: ClientFolder) -> jr.Journey:
    """The client's validated ``journey.yaml``; a client without one cannot have chapter 2."""
    data = cx.journey_data()
    if data is None:
        from cxkit.errors import InputError

        raise InputError("the client has no journey yet", file="journey.yaml",
                         hint="Run `cxkit new` for a commented example, or copy one from client_data/demo")
    return jr.load_journey(data)


def analyse(cx: ClientFolder) -> JourneyAnalysis:
    """Load ``journey.yaml`` and, when surveys exist, measure each touchpoint."""
    journey = journey_of(cx)
    # answers are placed on the journey one by one; files too large for pandas are not
    # (chapter 3 computes their figures with DuckDB), so the journey shows the plan alone
    large = bool(cx.engagement.surveys) and bool(cx.large_sources())
    responses = cx.surveys.responses if cx.engagement.surveys and not large else None
    if responses is not None and responses.empty:
        responses = None
    rules = rules_for(cx)
    cov = jr.coverage(journey, responses)
    fit = jr.metric_fit(journey)
    scores = jr.measured(journey, responses, rules) if responses is not None else None
    fr = jr.friction(journey, responses, cx.contacts, rules)
    recs = jr.recommendations(journey, cov, fit, scores)
    return JourneyAnalysis(journey, responses, cov, fit, scores, fr, recs, jr.journey_findings(journey), large)


def overview(j: JourneyAnalysis) -> Html:
    """Counts of stages, touchpoints and listening posts, and the top findings."""
    findings = j.coverage.summary()[:2] + jr.recommendation_sentences(j.recommendations, top=1)
    record("journey", {"stages": len(j.journey.stages), "touchpoints": len(j.journey.touchpoints),
                       "posts": len(j.journey.listening_posts), "findings": findings})
    stages, touchpoints, posts = j.journey.stages, j.journey.touchpoints, j.journey.listening_posts
    heard = len({p.touchpoint for p in posts})
    cards = [{"label": "Stages", "value": str(len(stages)),
              "detail": f"from {stages[0].name} to {stages[-1].name}" if len(stages) > 1 else "one stage"},
             {"label": "Touchpoints", "value": str(len(touchpoints)),
              "detail": f"{sum(t.moment_that_matters for t in touchpoints)} moments that matter"},
             {"label": "Listening posts", "value": str(len(posts)),
              "detail": f"surveys on {heard} of {len(touchpoints)} touchpoints"}]
    out = kpis(cards) + bullets(findings)
    if j.large:
        out += callout("This client's survey files are large, so answers are not placed on the journey one by one "
                       "here: the map shows the declared plan, and chapter 3 gives the survey figures, computed by a "
                       "database engine over the files.", "note")
    if len(j.findings):
        out += table(j.findings, "Points to check in the journey description")
    return out


def journey_map(j: JourneyAnalysis) -> Html:
    """The one-page journey map with listening posts and the emotional curve."""
    from cxkit.plotting.journey import journey_map as draw

    note = "" if j.measured is not None else (" Survey files too large to place here: cards are not coloured by score."
                                              if j.large else " No survey data yet: cards are not coloured by score.")
    return figure(draw(j.journey, j.measured), "The journey map: touchpoints by stage with channel and owner; "
                  "markers show listening posts; colour and line show the measured score." + note)


def coverage(j: JourneyAnalysis) -> Html:
    """Stages, moments that matter and channels with no listening post; over-surveying."""
    cov = j.coverage
    stages = cov.stages[["stage_name", "touchpoints", "moments_that_matter", "listening_posts", "metrics", "responses"]]
    channels = for_readers(cov.channels[["channel", "touchpoints", "touchpoints_heard", "posts_sent", "responses"]],
                           codes=["channel"], names=jr.CHANNEL_NAMES)
    out = bullets(cov.summary())
    out += table(for_readers(stages, metrics=["metrics"]), "Listening by stage", formats={"responses": "{:,}"},
                 muted=cov.stages["listening_posts"].eq(0))
    out += table(channels, "Listening by channel: where customers are met and where they are asked",
                 formats={"responses": "{:,}"}, muted=~cov.channels["asked"].astype(bool))
    if len(cov.gaps):
        gaps = for_readers(cov.gaps[["gap", "message"]], codes=["gap"], names=GAP_WORDS)
        out += table(gaps.rename(columns={"message": "what is missing"}), "Listening gaps")
    return out


def metric_fit(j: JourneyAnalysis) -> Html:
    """Listening posts that ask a metric that does not fit the moment, with the better choice."""
    sentences = jr.fit_sentences(j.fit)
    misfits = j.fit[~j.fit["fits"]] if "fits" in j.fit else j.fit
    out = bullets(sentences) if sentences else paragraph("Every listening post asks the metric that fits its moment.")
    if len(misfits):
        cols = for_readers(misfits[["touchpoint_name", "kind", "metric", "better_metric", "reason"]],
                           metrics=["metric", "better_metric"], codes=["kind"])
        out += table(cols, "Listening posts whose metric does not fit the moment")
    return out


def measured(j: JourneyAnalysis) -> Html:
    """Each touchpoint's score with n and interval; small samples greyed out."""
    if j.measured is None and j.large:
        return callout("The survey files are too large to score touchpoints answer by answer here; chapter 3 "
                       "gives the scores, computed over the whole files.", "note")
    if j.measured is None:
        return callout("No survey data is available yet, so touchpoints cannot be scored. Declare the survey "
                       "exports in engagement.yaml to fill this section.", "warning")
    frame = j.measured[j.measured["n"] > 0] if "n" in j.measured else j.measured
    cols = for_readers(frame[["stage_name", "touchpoint_name", "metric", "n", "value", "ci_low", "ci_high", "status"]],
                       metrics=["metric"], codes=["status"])
    bounds = {column: "{:.0f}" for column in INTERVAL_COLUMNS.values()}
    sentences = bullets(jr.measured_sentences(j.measured, surveyed=j.responses is not None))
    if frame.empty:
        return sentences
    return sentences + table(
        cols, "Score per touchpoint with 95% interval (NPS in points, others as % satisfied or easy); "
        "greyed rows have too few answers", muted=frame["greyed"].astype(bool),
        formats={"value": "{:.0f}", "n": "{:,}", **bounds})


def friction(j: JourneyAnalysis) -> Html:
    """Effort by stage and channel, and by contact reason, as a heatmap with n."""
    from cxkit.plotting.journey import friction_heatmap

    if j.friction.metric is None:
        return callout(" ".join(j.friction.summary()) or "No effort data yet.", "warning")
    return bullets(j.friction.summary()) + figure(friction_heatmap(j.friction), "Friction map: effort by stage and "
                                                  "channel, and by contact reason; each cell shows the score and n.")


def recommendations(j: JourneyAnalysis) -> Html:
    """Listening posts to add, move or drop, ranked, each with its reason."""
    if j.recommendations.empty:
        return paragraph("The listening programme covers the journey well; no changes are recommended.")
    recs = j.recommendations[["rank", "action", "stage", "touchpoint", "metric", "reason"]].copy()
    recs["stage"] = recs["stage"].map(lambda s: j.journey.stage_names().get(s, s))  # names, not ids
    touchpoints = {t.id: t.name for t in j.journey.touchpoints}
    recs["touchpoint"] = recs["touchpoint"].map(lambda t: touchpoints.get(t, t))
    recs = for_readers(recs, metrics=["metric"])
    return bullets(jr.recommendation_sentences(j.recommendations, top=3)) + \
        table(recs, "Recommended changes to the listening programme, ranked", formats={"rank": "{:d}"})
