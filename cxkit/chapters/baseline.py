"""Chapter 3: today's baseline, from survey exports to what drives the scores."""
from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cxkit import metrics
from cxkit.io import run_cache
from cxkit.io.client import ClientFolder
from cxkit.metrics.formatting import format_diff, format_n, format_value
from cxkit.metrics.labels import metric_label, metric_name
from cxkit.metrics.periods import FREQUENCIES
from cxkit.metrics.trend import DECLINE_REASONS
from cxkit.metrics.sample import STATUS_NOTES
from cxkit.report.html import Html, bullets, callout, esc, figure, kpis, paragraph, record, table
from cxkit.report.wording import INTERVAL_COLUMNS, counted, listed

HEADLINE_METRICS = ("nps", "csat", "ces", "psat")
THEME_COLUMNS = {"label": "theme", "mentions": "mentions", "pct_of_comments": "share_of_comments",
                 "mean_sentiment": "mean_sentiment", "pct_detractor": "from_detractors", "mentions_last": "last_period",
                 "change": "change"}
"""The theme summary's columns as the deliverable heads them."""
DRIVER_COLUMNS = {"label": "attribute", "importance_pct": "importance", "pct_ci_low": INTERVAL_COLUMNS["ci_low"],
                  "pct_ci_high": INTERVAL_COLUMNS["ci_high"], "mean_rating": "mean_rating", "top2_pct": "top-2-box",
                  "quadrant": "quadrant"}
"""The key-driver table's columns as the deliverable heads them."""
TABLE_FORMATS = {"value": "{:.0f}", "ci_low": "{:.0f}", "ci_high": "{:.0f}", "n": "{:,}", "mean": "{:.2f}",
                 "diff": "{:+.0f}", "p_value": "{:.3f}", "p_holm": "{:.3f}", "rest_value": "{:.0f}"}


@dataclass
class Baseline:
    """Everything chapter 3 shows, computed once."""

    client: ClientFolder
    responses: pd.DataFrame
    quality: pd.DataFrame
    rules: metrics.SampleRules
    as_of: pd.Timestamp
    freq: str
    segment_by: str
    engine: Any = None  # what the metric engine reads: the tidy table, or a LargeSurvey over big files
    headline: dict[str, metrics.MetricResult] = field(default_factory=dict)
    overall: dict[str, metrics.MetricResult] = field(default_factory=dict)
    changes: dict[str, metrics.Comparison] = field(default_factory=dict)
    trends: dict[str, pd.DataFrame] = field(default_factory=dict)
    period: str = ""
    headline_period: dict[str, str] = field(default_factory=dict)
    """Per metric, the period its headline figure covers ("" for every answer so far, when
    the metric has no complete period); usually ``period`` for all of them."""
    only: tuple[str, ...] | None = None  # compute just these headline metrics (None: all)

    @property
    def large(self) -> bool:
        """True when the surveys are read by DuckDB over large files (no row-level table)."""
        return not isinstance(self.engine, pd.DataFrame)

    @property
    def metrics(self) -> list[str]:
        """Headline metrics the client's surveys carry."""
        if self.large:
            from cxkit.surveys.mapping import score_specs

            present = {spec.metric for source, _ in self.engine.sources for spec in score_specs(source)}
        else:
            present = {str(m) for m in self.responses["metric"].unique()}  # on the categories: 0.6 ms, not 10
        return [m for m in HEADLINE_METRICS if m in present and (self.only is None or m in self.only)]


def rules_for(cx: ClientFolder) -> metrics.SampleRules:
    """The engagement's sample-size rules."""
    sample = cx.engagement.sample
    return metrics.SampleRules(warn_below=sample.warn_below, withhold_below=sample.withhold_below)


def as_of_date(cx: ClientFolder, as_of: str | None) -> pd.Timestamp:
    """The analysis date: the parameter, else the end of the engagement period."""
    return pd.Timestamp(as_of) if as_of else pd.Timestamp(cx.engagement.period.end)


def analyse(cx: ClientFolder, as_of: str | None = None, freq: str = "Q", segment_by: str = "segment",
            only_metrics: Sequence[str] | None = None) -> Baseline:
    """Load the surveys and compute the headline, changes and trends.

    Parameters
    ----------
    cx : ClientFolder
        The client.
    as_of : str, optional
        ISO date treated as today; responses after it are ignored.
    freq : {"Q", "M"}
        Trend period.
    segment_by : str
        Dimension of the segment breakdown.
    only_metrics : sequence of str, optional
        Compute only these headline metrics (a later chapter that needs just NPS); all
        that the surveys carry by default.

    Returns
    -------
    Baseline
    """
    cutoff = as_of_date(cx, as_of)
    engine = cx.survey_metrics
    if isinstance(engine, pd.DataFrame):
        responses = engine[engine["date"] <= cutoff + pd.Timedelta(days=1)]
        quality, engine = cx.surveys.quality, None
    else:  # large files: DuckDB computes every figure; no row-level table is loaded
        from cxkit.surveys.tidy import empty_responses

        responses, quality = empty_responses(), pd.DataFrame(columns=["source", "file", "reason", "rows"])
    base = Baseline(cx, responses, quality, rules_for(cx), cutoff, freq, segment_by,
                    engine=responses if engine is None else engine,
                    only=None if only_metrics is None else tuple(only_metrics))
    for metric in base.metrics:
        if base.large:  # DuckDB over the files; hashing them for a cache key would cost more than it saves
            found = metric_figures(base, metric)
        else:  # chapters 3 to 5 all need these: within a run the first computes them, the others load them
            found = run_cache.cached(f"baseline-{metric}-{freq}-{cutoff:%Y%m%dT%H%M%S}", cx.run_fingerprint,
                                     functools.partial(metric_figures, base, metric))
        (base.trends[metric], base.overall[metric], base.changes[metric], base.headline[metric],
         base.headline_period[metric]) = found
    complete = [t for t in base.trends.values() if t["complete"].any()]
    base.period = str(complete[0].loc[complete[0]["complete"], "period"].iloc[-1]) if complete else ""
    return base


def metric_figures(b: Baseline, metric: str) -> tuple[pd.DataFrame, metrics.MetricResult, metrics.Comparison,
                                                      metrics.MetricResult, str]:
    """One metric's trend, overall result, change since the previous period, headline
    result and the period that headline covers.

    Parameters
    ----------
    b : Baseline
        The baseline being built (its engine, rules, date and trend frequency).
    metric : str
        A headline metric the surveys carry.

    Returns
    -------
    tuple
        ``(trend, overall, change, headline, headline_period)``, as :func:`analyse` stores them.
    """
    trend = metrics.trend(b.engine, metric, freq=b.freq, rules=b.rules, as_of=b.as_of)
    overall = metrics.summarise(b.engine, metric, rules=b.rules)
    change = metrics.change_since_previous(b.engine, metric, freq=b.freq, rules=b.rules, as_of=b.as_of)
    headline = (result_from_trend(trend, metric, b.engine.scale_of(metric)) if b.large else
                latest_period_result(b.responses, metric, trend, b.rules, b.freq))
    return trend, overall, change, headline, headline_period(trend, b.large)


def last_complete_period(as_of: pd.Timestamp, freq: str) -> pd.Period:
    """The last period of ``freq`` that has ended by ``as_of`` (a period ends on its last day).

    Examples
    --------
    >>> str(last_complete_period(pd.Timestamp("2026-09-30"), "Q")), str(last_complete_period(pd.Timestamp("2026-09-29"), "Q"))
    ('2026Q3', '2026Q2')
    """
    period = pd.Period(as_of, freq=freq)
    return period if as_of.normalize() >= period.end_time.normalize() else period - 1


def headline_period(trend: pd.DataFrame, large: bool = False) -> str:
    """The period a headline figure covers: the last complete one in ``trend``; without one,
    "" (every answer so far, :func:`latest_period_result`) or, over large files, the latest
    period (:func:`result_from_trend`).

    Examples
    --------
    >>> t = pd.DataFrame({"period": ["2026Q2", "2026Q3"], "complete": [True, False]})
    >>> headline_period(t), headline_period(t.assign(complete=False)), headline_period(t.assign(complete=False), True)
    ('2026Q2', '', '2026Q3')
    """
    done = trend[trend["complete"]]
    if len(done):
        return str(done["period"].iloc[-1])
    return str(trend["period"].iloc[-1]) if large and len(trend) else ""


def latest_period_result(responses: pd.DataFrame, metric: str, trend: pd.DataFrame,
                         rules: metrics.SampleRules, freq: str) -> metrics.MetricResult:
    """The metric over the last complete period (the headline figure; every answer when no
    period is complete), the period :func:`headline_period` names."""
    period = headline_period(trend)
    if not period:
        return metrics.summarise(responses, metric, rules=rules)
    within = responses["date"].dt.to_period(freq) == pd.Period(period, freq=freq)
    return metrics.summarise(responses[within], metric, rules=rules)


def result_from_trend(trend: pd.DataFrame, metric: str, scale: Any = None) -> metrics.MetricResult:
    """The last complete period's row of a trend table, as a :class:`MetricResult` on ``scale``
    (a :class:`cxkit.metrics.scales.Scale`, which a trend table does not carry)."""
    done = trend[trend["complete"]]
    row = (done if len(done) else trend).iloc[-1]
    value = lambda key: None if pd.isna(row[key]) else float(row[key])  # noqa: E731
    return metrics.MetricResult(metric=metric, value=value("value"), n=int(row["n"]), ci_low=value("ci_low"),
                                ci_high=value("ci_high"), se=value("se"), mean=value("mean"),
                                scale_min=scale.minimum if scale else None, scale_max=scale.maximum if scale else None,
                                status=str(row["status"]), label=metric_label(metric))


LARGE_NOTE = ("This client's survey files are large, so every figure above is computed by a database engine "
              "directly over the files. Row-level analyses (operational drivers, key drivers, comment themes, "
              "closing the loop) are not run on files of this size; run them on an extract.")


def headline(b: Baseline) -> Html:
    """KPI cards for the last complete period, with the change since the one before."""
    if not b.metrics:
        return callout("No survey data is declared for this client yet, so there is no baseline to show.",
                       "warning")
    cards, summary = [], {}
    for metric in b.metrics:
        result, change = b.headline[metric], b.changes[metric]
        card = _card(result, change)
        cards.append(card)
        summary[metric] = {**card, "label": card["label"], "value_display": card["value"],
                           "interval_display": card["detail"], "change_display": card.get("change", ""),
                           "value": result.value, "ci_low": result.ci_low, "ci_high": result.ci_high,
                           "n": result.n, "status": result.status}
    summary["headline"] = headline_sentence(b)
    record("metrics", summary)
    return kpis(cards) + paragraph(figures_for(b)) + callout(summary["headline"], "key")


def figures_for(b: Baseline) -> str:
    """Which period the headline cards cover, naming any metric whose figure covers another."""
    latest = last_complete_period(b.as_of, b.freq)
    if not b.period:
        text = f"Figures for every answer so far: no period had ended by {b.as_of:%d %B %Y}."
    elif b.period == str(latest):
        text = f"Figures for {b.period}, the last complete period before {b.as_of:%d %B %Y}."
    else:
        after = pd.Period(b.period, freq=b.freq) + 1
        gap = f"in {latest}" if after == latest else f"from {after} to {latest}"
        text = (f"Figures for {b.period}, the last complete period with answers: there were none {gap}, so "
                f"these figures describe customers as they were then, not on {b.as_of:%d %B %Y}.")
    others = [(metric_name(m), period) for m, period in b.headline_period.items()
              if m in b.metrics and period != b.period]
    for label, period in others:
        text += (f" {label} covers {period}, its last complete period with answers." if period else
                 f" {label} covers every answer so far, as none of its periods has ended.")
    return text


def _card(result: metrics.MetricResult, change: metrics.Comparison) -> dict[str, Any]:
    label = result.label or result.metric.upper()
    if not result.reportable:
        return {"label": label, "value": "withheld", "detail": f"only {counted(int(result.n), 'response')}",
                "flag": "too few responses"}
    nps = result.metric == "nps"
    card = {"label": label, "value": format_value(result.value, nps),
            "detail": f"95% CI {format_value(result.ci_low, nps)} to {format_value(result.ci_high, nps)}, n = {format_n(result.n)}",
            "flag": "small sample" if result.status == "small" else None}
    card["change"] = change_phrase(change)
    return card


def change_phrase(change: metrics.Comparison) -> str:
    """Plain words for a period-on-period change, e.g. ``"+4 pts vs 2026Q2 (significant)"``."""
    if change.status != "ok" or change.diff is None:
        return "no comparable previous period"
    verdict = "a significant change" if change.significant else "within the margin of error"
    return f"{format_diff(change.diff)} pts vs {change.label_b}, {verdict}"


def headline_sentence(b: Baseline) -> str:
    """One sentence an executive can repeat: the NPS (or first metric) and its direction."""
    metric = "nps" if "nps" in b.metrics else b.metrics[0]
    result, change = b.headline[metric], b.changes[metric]
    period = b.headline_period.get(metric, b.period)
    when = f"in {period}" if period else "so far"
    if not result.reportable:
        return f"Too few customers answered the {result.label} question {when} to report it."
    text = f"{result.label} stands at {format_value(result.value, metric == 'nps')} {when} " \
           f"(95% interval {format_value(result.ci_low, metric == 'nps')} to {format_value(result.ci_high, metric == 'nps')})"
    if change.status == "ok" and change.diff is not None and change.significant:
        direction = "up" if change.diff > 0 else "down"
        text += f", {direction} {abs(change.diff):.0f} points on {change.label_b}, a change larger than chance"
    else:
        text += ", not measurably different from the period before"
    return text + "."


def trends(b: Baseline) -> Html:
    """Trend chart of every metric and a note on what is certain."""
    if not b.trends:
        return paragraph("No survey data yet.")
    from cxkit.plotting.metrics import trend_chart

    notes = [f"{b.overall[m].display()} over the whole period." for m in b.metrics]
    unit = FREQUENCIES[b.freq]
    charted = {m: t for m, t in b.trends.items() if t["value"].notna().any()}
    if len(charted) < len(b.trends):
        notes.append(_not_charted(b, [m for m in b.trends if m not in charted], unit))
    if not charted:
        return bullets(notes)
    caption = f"Scores per {unit} with 95% intervals; hollow points are small samples, gaps are withheld."
    return figure(trend_chart(charted), caption) + bullets(notes)


def _not_charted(b: Baseline, blank: list[str], unit: str) -> str:
    """Why these metrics have no trend panel: no period reached the answers a figure needs."""
    busiest = ", ".join(f"{m.upper()} {int(b.trends[m]['n'].max()) if len(b.trends[m]) else 0}" for m in blank)
    return (f"Not charted: no {unit} reached the {b.rules.withhold_below} answers a figure needs "
            f"(most answers in one {unit}: {busiest}).")


def segments(b: Baseline) -> Html:
    """Each metric by segment, the segments that differ from the rest, and declining segments."""
    if not b.metrics:
        return paragraph("No survey data yet.")
    if not b.large and b.segment_by not in b.responses.columns:
        return paragraph(f"The surveys carry no '{b.segment_by}' column to break the scores down by.")
    from cxkit.plotting.metrics import segment_chart

    if b.large:
        metric = "nps" if "nps" in b.metrics else b.metrics[0]
        seg = metrics.segments(b.engine, metric, b.segment_by, rules=b.rules)
        return figure(segment_chart(seg, b.segment_by, metric), f"{metric.upper()} by {b.segment_by}, whole period.")
    parts = []
    declining = _declining(b)
    record("declining", declining)
    if declining:
        rule = (f"A segment is listed when its last complete {FREQUENCIES[b.freq]} is significantly lower "
                "(p < 0.05) than the one before, or than its earlier ones taken together (its earlier level).")
        parts.append(callout(rule, "warning", "Declining segments." if len(declining) > 1 else "Declining segment.",
                             items=declining))
    metric = "nps" if "nps" in b.metrics else b.metrics[0]
    seg = metrics.segments(b.responses, metric, b.segment_by, rules=b.rules)
    parts.append(figure(segment_chart(seg, b.segment_by, metric), f"{metric.upper()} by {b.segment_by}, whole period."))
    for metric in b.metrics:
        vs = metrics.segment_vs_rest(b.responses, metric, b.segment_by, rules=b.rules)
        parts.append(table(_versus_rest(vs, b.segment_by),
                           f"{metric.upper()} by {b.segment_by} compared with all other segments (difference with "
                           "its unadjusted 95% interval; 'different from rest' follows the p-value, Holm-adjusted "
                           "for the number of segments, so a difference whose interval just misses zero can "
                           "still read 'no')",
                           formats={**TABLE_FORMATS, "difference": "{:+.0f}", "p_(Holm-adjusted)": "{:.3f}"},
                           muted=vs["status"].isin(["withheld", "no_data"])))
    return sum(parts[1:], parts[0])


def _versus_rest(vs: pd.DataFrame, by: str) -> pd.DataFrame:
    """The segment-versus-rest table as an executive reads it."""
    interval = [f"{format_diff(lo)} to {format_diff(hi)}" if pd.notna(lo) else "–"
                for lo, hi in zip(vs["ci_low"], vs["ci_high"])]
    verdict = ["yes" if p < 0.05 else "no" if pd.notna(p) else "–" for p in vs["p_holm"]]
    out = pd.DataFrame({by: vs[by].astype(str), "value": vs["value"], "n": vs["n"], "rest_value": vs["rest_value"],
                        "difference": vs["diff"], "difference_95%_interval": interval,
                        "p_(Holm-adjusted)": vs["p_holm"], "different_from_rest": verdict})
    if (vs["status"] != "ok").any():  # say which rows rest on few answers (the table's rules: warn and withhold)
        out["sample"] = vs["status"].map(STATUS_NOTES).fillna("").to_numpy()
    return out


def _declining(b: Baseline) -> list[str]:
    """One sentence per declining segment, its metrics grouped by how they fell."""
    found: dict[str, dict[str, list[str]]] = {}  # segment -> reason -> metrics, in the order found
    for metric in b.metrics:
        table_ = metrics.declining_segments(b.responses, metric, b.segment_by, freq=b.freq, rules=b.rules, as_of=b.as_of)
        for segment, reason in table_.loc[table_["declining"], [b.segment_by, "reason"]].itertuples(index=False):
            found.setdefault(str(segment), {}).setdefault(_FALL_OF[reason], []).append(metric.upper())
    unit = FREQUENCIES[b.freq]
    return [f"{segment}: " + "; ".join(f"{listed(names)} {_FALLS[fall][len(names) > 1].format(unit=unit)}"
                                       for fall, names in falls.items()) + "."
            for segment, falls in found.items()]


_FALLS = {"both": ("below the previous {unit} and its earlier level",
                   "below the previous {unit} and their earlier level"),
          "previous": ("below the previous {unit}", "below the previous {unit}"),
          "earlier": ("below its earlier level", "below their earlier level")}
"""How a segment's metric fell, for one metric and for several."""
_FALL_OF = {reason: fall for fall, reason in DECLINE_REASONS.items()}


def data_quality(b: Baseline) -> Html:
    """What was read, what was excluded and why."""
    if b.large:
        return paragraph("Large files: rows failing the declared quality rules (previews, unfinished, duplicates, "
                         "unparseable dates, scores off the scale or between its points) are excluded by the database engine.")
    data = b.client.surveys
    if data.quality.empty:
        return paragraph(f"All {format_n(data.responses['response_id'].nunique())} responses were usable.")
    usable = data.responses["response_id"].nunique()
    # which survey, not which file: file names are for the run manifest, not for a client's executives
    shown = data.quality.drop(columns=["file"], errors="ignore").rename(columns={"source": "survey"})
    return paragraph(f"{format_n(usable)} responses were usable. Rows or answers left out, and why:") + \
        table(shown, "Rows and answers excluded from the figures, by survey and reason", formats={"rows": "{:,}"})


def _wide(b: Baseline) -> pd.DataFrame:
    from cxkit.drivers import wide_scores

    return wide_scores(b.responses)


def operational_drivers(b: Baseline) -> Html:
    """How wait time, transfers, reopens and handle time move CSAT and effort."""
    if b.large:
        return paragraph(LARGE_NOTE)
    from cxkit import drivers
    from cxkit.plotting.drivers import effects_chart

    contacts = b.client.contacts
    if contacts is None or not b.metrics:
        return paragraph("No operational contact data was provided, so scores cannot be linked to wait times "
                         "or transfers yet. Add operations/contacts.csv to the engagement to see this analysis.")
    joined = drivers.join_contacts(_wide(b), contacts, window_days=b.client.engagement.operations.join_window_days)
    parts: list[Html] = [bullets(joined.summary())]
    for outcome in (m for m in ("csat", "ces") if m in b.metrics):
        effects = drivers.operational_effects(joined, outcome=outcome)
        parts.append(bullets(effects.summary()))
        if effects.status == "ok":
            parts.append(figure(effects_chart(effects), f"Effect of each operational driver on {outcome.upper()}, "
                                "with 95% intervals (robust regression)."))
    return sum(parts[1:], parts[0])


def key_drivers(b: Baseline) -> Html:
    """Relative importance of the attribute ratings for NPS, and the quadrant of what to fix."""
    if b.large:
        return paragraph(LARGE_NOTE)
    from cxkit import drivers
    from cxkit.plotting.drivers import quadrant_chart

    attributes = sorted(m for m in b.responses["metric"].astype(str).unique() if m.startswith("attr_"))
    if not attributes or "nps" not in b.metrics:
        return paragraph("The surveys carry no attribute ratings (ease, speed, knowledge, ...), so key drivers "
                         "cannot be ranked. Adding four to six attribute questions to the relationship survey "
                         "would show which ones matter most for loyalty.")
    result = drivers.key_drivers(_wide(b), outcome="nps", attributes=attributes, n_boot=200, seed=0)
    out = bullets(result.summary())
    if result.status == "ok":
        out += figure(quadrant_chart(result), "Importance (share of explained variance in the likelihood to "
                      "recommend) against performance (mean rating): what to fix first, what to keep.")
        shown = result.table[list(DRIVER_COLUMNS)].rename(columns=DRIVER_COLUMNS)
        out += table(shown, "Key drivers of the likelihood to recommend (Shapley share of R², bootstrap 95% interval)",
                     formats={"importance": "{:.0f}%", "mean_rating": "{:.2f}", "top-2-box": "{:.0f}%",
                              **{bound: "{:.0f}%" for bound in INTERVAL_COLUMNS.values()}})
    return out


def _comments_frame(b: Baseline) -> pd.DataFrame:
    """One row per response with a comment: date, segment, nps, period (raw text stays inside cxkit)."""
    wide = _wide(b)
    if "comment" not in wide.columns:
        first = b.responses.drop_duplicates("response_id").set_index("response_id")["comment"]
        wide = wide.join(first, on="response_id")
    wide = wide[wide["comment"].notna() & (wide["comment"].astype(str).str.strip() != "")].copy()
    wide["period"] = wide["date"].dt.to_period(b.freq).astype(str)
    return wide.reset_index(drop=True)


def _quotes(comments: list[str]) -> Html:
    """Comments that already went through :func:`cxkit.text.safe_comment` (redacted and escaped)."""
    return Html("".join(f'<blockquote class="comment">{c}</blockquote>' for c in comments))


def comments(b: Baseline) -> Html:
    """Themes in the open comments with sentiment and NPS group, and redacted example quotes."""
    if b.large:
        return paragraph(LARGE_NOTE)
    from cxkit import text
    from cxkit.plotting.text import themes_bar

    if not b.metrics or "comment" not in b.responses.columns:
        return paragraph("The surveys carry no open comments.")
    wide = _comments_frame(b)
    if wide.empty:
        return paragraph("No customer wrote a comment in this period.")
    taxonomy = text.load_taxonomy(b.client.themes_data())
    tags = text.tag_themes(wide["comment"], taxonomy)
    summary = text.theme_summary(wide, taxonomy, period_col="period", tags=tags)
    out = bullets(text.summary_sentences(summary, top=3))
    out += figure(themes_bar(summary), "Comment themes by number of mentions, split by the commenter's NPS group.")
    mentioned = summary[summary["mentions"] > 0]
    out += table(mentioned[[c for c in THEME_COLUMNS if c in summary.columns]].rename(columns=THEME_COLUMNS),
                 "Themes in customers' comments (mentions in the last period against the one before)",
                 formats={"share_of_comments": "{:.0f}%", "mean_sentiment": "{:+.2f}", "from_detractors": "{:.0f}%",
                          "mentions": "{:,}", "last_period": "{:,.0f}", "change": "{:+,.0f}"})
    unmentioned = summary.loc[summary["mentions"] == 0, "label"].tolist()
    if unmentioned:
        out += paragraph("No comment mentions " + ", ".join(unmentioned[:-1]) + (" or " if len(unmentioned) > 1 else "")
                         + unmentioned[-1] + ".")
    for theme, label in summary.head(3)[["theme", "label"]].itertuples(index=False):
        quotes = text.example_comments(wide, tags, theme, n=2, withhold_below=b.rules.withhold_below,
                                       group_col=b.segment_by)
        if quotes:
            out += Html(f"<h3>In their words: {esc(label)}</h3>") + _quotes(quotes)
    return out


def closing_the_loop(b: Baseline) -> Html:
    """Detractors and low scores alerted, followed up, how fast, and what is overdue."""
    if b.large:
        return paragraph(LARGE_NOTE)
    from cxkit.loop import describe_rule, loop_summary, low_scores

    cases = b.client.cases
    if cases is None:
        return paragraph("No case data was provided, so follow-up of unhappy customers cannot be measured yet.")
    rule = b.client.engagement.loop
    start = cases["created_at"].min()
    low = low_scores(b.responses, rule.alert_at_or_below, start=start, end=b.as_of)
    summary = loop_summary(cases, len(low), b.as_of, target_hours=rule.first_contact_hours, low=low)
    out = bullets(summary.summary()) + paragraph(describe_rule(rule.alert_at_or_below, rule.first_contact_hours))
    out += table(summary.key_figures(), caption=f"Closing the loop, as of {b.as_of:%d %B %Y}")
    teams = summary.overdue_by_team
    if not teams.empty:
        out += table(teams, caption="Open and overdue cases by owner team, most overdue first",
                     formats={"max_days_overdue": "{:.1f}"})
    return out
