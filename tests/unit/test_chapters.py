"""The chapter modules on the demo client: each finds the relationship built into the demo.

The demo generator (cxkit.demo) plants: SMB declining, waits and transfers lowering CSAT,
detractors churning more, reliability/bugs dominating detractor comments, reliability and
support as the weakest key drivers. These tests check each chapter finds them.
"""
from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from cxkit import load_client, metrics
from cxkit.chapters import baseline, goals, journey, maturity, roi
from cxkit.errors import InputError

pytestmark = pytest.mark.xdist_group("chapters")


def text_of(fragment) -> str:
    """Visible text of an Html fragment."""
    return html.unescape(re.sub(r"<[^>]+>", " ", str(fragment)))


@pytest.fixture(scope="module")
def cx(demo_copy):
    return load_client("demo", str(demo_copy))


@pytest.fixture(scope="module")
def base(cx):
    return baseline.analyse(cx)


def test_headline_is_the_last_complete_quarter_computed_by_the_metric_engine(base):
    last = base.responses[base.responses["date"].dt.to_period("Q").astype(str) == base.period]
    direct = metrics.summarise(last, "nps", rules=base.rules)
    assert base.period == "2026Q3"  # the demo's period ends 2026-09-30
    assert base.headline["nps"].value == direct.value and base.headline["nps"].n == direct.n
    assert f"{direct.value:+.0f}" in text_of(baseline.headline(base))


def test_metrics_are_the_headline_metrics_answered_in_headline_order(base):
    kept = base.responses[base.responses["metric"].isin(["ces", "nps", "attr_ease"])]
    assert kept["metric"].cat.categories.size > 3  # the unanswered categories are still declared
    only_some = baseline.Baseline(**{**vars(base), "responses": kept})
    assert only_some.metrics == ["nps", "ces"]
    assert baseline.Baseline(**{**vars(base), "responses": kept.iloc[:0]}).metrics == []
    assert baseline.Baseline(**{**vars(base), "responses": kept, "only": ("ces",)}).metrics == ["ces"]


def test_declining_segment_is_flagged(base):
    callout = text_of(baseline.segments(base)).split("Declining segment")[1]
    assert "SMB" in callout[:200] and "baseline" not in callout[:600]  # the reader's words, not the rule's name
    assert "significantly lower (p < 0.05) than the one before, or than its earlier ones taken together" in callout


def test_declining_segments_are_told_once_each_with_their_metrics_grouped(base):
    sentences = baseline._declining(base)
    named = [s.split(":")[0] for s in sentences]
    assert "SMB" in named and len(named) == len(set(named))  # one sentence per segment
    smb = sentences[named.index("SMB")]
    assert "NPS" in smb and smb.endswith(".") and "in earlier periods" not in smb
    # every fall the metric engine can report has its words, for one metric and for several
    assert set(baseline._FALL_OF.values()) == set(baseline._FALLS)
    assert all("their" in several and "their" not in one for one, several in
               (baseline._FALLS["both"], baseline._FALLS["earlier"]))


def test_a_run_computes_each_metrics_figures_once(cx, base, monkeypatch):
    """Within a run, chapters 4 and 5 load chapter 3's figures; a different date is a different entry."""
    from cxkit.io import run_cache

    monkeypatch.delenv(run_cache.CACHE_VAR, raising=False)
    built: list[str] = []
    real = baseline.metric_figures
    monkeypatch.setattr(baseline, "metric_figures", lambda b, metric: built.append(metric) or real(b, metric))
    with run_cache.scope() as folder:
        first = baseline.analyse(cx)
        assert sorted(built) == sorted(first.metrics) and len(list(folder.glob("baseline-*.pickle"))) == len(built)
        again = baseline.analyse(cx, only_metrics=("nps",))
        assert sorted(built) == sorted(first.metrics), "a later chapter computed the figures again"
        baseline.analyse(cx, as_of="2026-03-31", only_metrics=("nps",))
        assert built.count("nps") == 2
    for metric in first.metrics:
        pd.testing.assert_frame_equal(first.trends[metric], base.trends[metric])
        assert (first.overall[metric], first.changes[metric], first.headline[metric]) == \
            (base.overall[metric], base.changes[metric], base.headline[metric])
    pd.testing.assert_frame_equal(again.trends["nps"], base.trends["nps"])
    assert again.headline_period == {"nps": base.headline_period["nps"]} and again.period == base.period


def test_waits_and_transfers_lower_csat(base):
    words = text_of(baseline.operational_drivers(base))
    assert re.search(r"extra transfer costs about 0\.\d+ points of CSAT", words)
    assert re.search(r"minutes of waiting costs about 0\.\d+ points of CSAT", words)


def test_dominant_detractor_theme_is_reliability(base):
    assert "Detractors raise Bugs and reliability more than any other theme" in text_of(baseline.comments(base))


def test_key_drivers_put_reliability_first(base):
    assert "The strongest driver is reliability" in text_of(baseline.key_drivers(base))


def test_chapter_three_tables_speak_plainly(base):
    shown = " ".join(text_of(part(base)) for part in (baseline.segments, baseline.key_drivers, baseline.comments))
    for header in ("Difference 95% interval", "P (Holm-adjusted)", "Share of comments", "From detractors",
                   "Last period", "Attribute", "Importance", "95% interval from", "Top-2-box"):
        assert header in shown, header
    for code in ("P holm", "Pct ", "Mentions last", "Importance pct", "Top2 pct"):
        assert code not in shown, code
    assert not re.search(r"\b\d+\.0\b", text_of(baseline.comments(base)).split("Themes in customers")[1][:3000]), \
        "counts are whole numbers"
    themes = text_of(baseline.comments(base))
    table_part = themes.split("Themes in customers")[1].split("No comment mentions")[0]
    assert "Delivery and shipping" not in table_part, "a theme nobody mentions is not a table row"
    assert "No comment mentions Delivery and shipping or Cancellation and leaving." in themes


def test_comments_never_show_personal_data_or_markup(base):
    """The demo plants e-mail addresses and <script> in a few comments; no quote may carry them."""
    from cxkit import text

    raw = base.responses["comment"].dropna().astype(str)
    assert raw.str.contains("@example").any() and raw.str.contains("<script").any()  # the test has teeth
    wide = baseline._comments_frame(base)
    taxonomy = text.load_taxonomy(None)
    tags = text.tag_themes(wide["comment"], taxonomy)
    quotes = [q for theme in tags.columns for q in text.example_comments(wide, tags, theme, n=200)]
    assert len(quotes) > 200
    assert not any("@example" in q or "<script" in q for q in quotes)
    shown = str(baseline.comments(base))
    assert "<script" not in shown and "@example" not in shown


def test_closing_the_loop_reports_follow_up(base):
    words = text_of(baseline.closing_the_loop(base))
    assert "first contact" in words
    assert "NPS is 6 or lower or CSAT is 2 or lower" in words and "within 24 hours" in words
    assert words.count("alerts were raised") == 1, "the findings are said once, then the figures are tabled"
    assert "Owner team" in words and "Share past the 24-hour target" in words


def test_closing_the_loop_follows_the_engagement_rule(demo_copy, tmp_path, base):
    """A stricter CSAT rule and a 48-hour target, set in engagement.yaml, change the figures."""
    import shutil

    import yaml

    shutil.copytree(demo_copy / "demo", tmp_path / "demo")
    path = tmp_path / "demo" / "engagement.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["loop"] = {"alert_at_or_below": {"nps": 6, "csat": 3}, "first_contact_hours": 48}
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    custom = baseline.analyse(load_client("demo", str(tmp_path)))
    words, default = text_of(baseline.closing_the_loop(custom)), text_of(baseline.closing_the_loop(base))
    assert "48-hour target" in words and "CSAT is 3 or lower" in words
    expected = [int(re.search(r"([\d,]+) low scores that should", w).group(1).replace(",", "")) for w in (default, words)]
    assert expected[1] > expected[0], "CSAT 3 counts more answers as needing an alert than CSAT 2"


def test_maturity_assessment_for_each_framework(cx):
    for framework in ("nine_element", "five_stage", "four_stage"):
        a = maturity.assess(cx, framework)
        assert 1 <= a.scores.overall_level <= len(a.framework.levels)
        assert "Level" in text_of(maturity.overview(a))
        plan = text_of(maturity.roadmap(a))
        assert len(plan) > 100 and ".;" not in plan, "steps read as sentences"
    progress = str(maturity.progress(maturity.assess(cx, "nine_element")))
    assert "employee_experience" not in progress and "Employee experience" in progress, "names, not ids"


def test_journey_chapter_sections(cx):
    j = journey.analyse(cx)
    assert len(j.journey.touchpoints) >= 15
    overview = " ".join(text_of(journey.overview(j)).split())
    heard = len({p.touchpoint for p in j.journey.listening_posts})
    assert "Listening posts" in overview and f"surveys on {heard} of {len(j.journey.touchpoints)} touchpoints" in overview
    assert f"from {j.journey.stages[0].name} to {j.journey.stages[-1].name}" in overview  # the client's own stages
    assert len(j.recommendations) > 0
    assert "data:image/png;base64," in str(journey.journey_map(j))
    shown = " ".join(text_of(part(j)) for part in (journey.coverage, journey.metric_fit, journey.measured,
                                                   journey.recommendations))
    for code in ("stage_unheard", "channel_unheard", "product_use", " csat ", "ci_low", "Ci low", "support_ticket"):
        assert code not in shown, f"{code!r} is a code, not a word for the reader"
    assert "stage without a listening post" in shown and "CSAT" in shown and "95% interval from" in shown
    for code in (r"\bsms\b", r"\bapi\b", r"\bsocial\b(?! media)"):  # the demo reaches customers by all three
        assert not re.search(code, shown), f"{code!r} is a channel code"
    assert "SMS" in shown and "API integration" in shown and "social media" in shown


def test_goals_one_per_headline_metric(cx, base):
    g = goals.propose(cx)
    assert {p.metric for p in g.proposals} == set(base.metrics)
    assert all(p.smart_statement for p in g.proposals)
    words = text_of(goals.per_metric(g))
    assert "percent_of_opportunity" not in words and "half_sd" not in words, "method codes are for the code"
    assert "True" not in words and "False" not in words
    assert "Above the projection" in words and "half a standard deviation" in words
    # candidates keep one decimal, so target - projection and target - today add up on the page
    nps = g.proposal("nps").candidates.set_index("method").loc["percent_of_opportunity"]
    assert "goals, before the goal is rounded to whole points" in words
    assert f"percent of opportunity {nps['target']:.1f} {nps['uplift_vs_projection']:+.1f}" in " ".join(words.split())


def test_goals_for_nps_only_are_the_same_nps_goals(cx):
    """The ROI chapter asks for the NPS goal alone: the same goal, without the others' work."""
    full, nps = goals.propose(cx), goals.propose(cx, only_metrics=("nps",))
    assert nps.baseline.metrics == ["nps"] and list(nps.baseline.trends) == ["nps"]
    assert [p.metric for p in nps.proposals] == ["nps"]
    def essentials(p):
        return (p.scope, p.current, p.projection, p.target, p.goal_date, p.recommended_method, p.smart_statement)

    assert essentials(nps.proposal("nps")) == essentials(full.proposal("nps"))
    assert [essentials(f) for f in full.focus if f.metric == "nps"] == [essentials(f) for f in nps.focus]


def test_goal_overrides_are_shown(cx):
    g = goals.propose(cx, percent_of_opportunity=20, targets={"nps": 40})
    assert g.proposal("nps").target == 40
    assert "Overridden" in text_of(goals.overrides(g))


def test_roi_links_detractors_to_churn(cx):
    value = roi.analyse(cx)
    table = value.analysis.churn_table.set_index(value.analysis.churn_table.columns[0])
    rates = table["churn_rate"]
    assert rates.filter(like="etractor").iloc[0] > rates.filter(like="romoter").iloc[0]
    words = text_of(roi.headline(value))
    assert "range" in words and "€" in words
    linkage = str(roi.linkage(value))
    assert linkage.count("<table") == linkage.count('<table class="cx-table">') == 2, "tables in the house style"
    assert "Odds of churn per extra point on the 0-10 recommendation question" in text_of(linkage) and "95% interval from" in text_of(linkage)
    returns = text_of(roi.ranges(value))
    assert "NPV" in returns and "ROI" in returns and "Npv" not in returns
    assert re.search(r"base €[\d.]+[km] €[\d.]+[km] €[\d.]+[km] \d+% ", re.sub(r"\s+", " ", returns))
    assert "tenure_years" not in text_of(roi.story(value)) + text_of(linkage)


def test_large_files_give_the_same_headline_through_duckdb(cx, base, monkeypatch):
    """Over large files the chapter reads a DuckDB LargeSurvey; figures match the pandas path."""
    import cxkit.metrics.large as large

    monkeypatch.setattr(large, "is_large", lambda path, threshold=0, rows=0: True)
    big = baseline.analyse(load_client("demo", str(cx.root.parent)))
    assert big.large and big.metrics == base.metrics
    for metric in base.metrics:
        assert big.headline[metric].value == pytest.approx(base.headline[metric].value, abs=1e-9)
        assert big.headline[metric].n == base.headline[metric].n
        assert big.changes[metric].diff == pytest.approx(base.changes[metric].diff, abs=1e-9)
    assert "computed by a database engine" in text_of(baseline.comments(big))


def test_goals_for_named_focus_segments(cx, monkeypatch):
    settings = cx.engagement.goals.model_copy(update={"focus_segments": ["SMB"]})
    engagement = cx.engagement.model_copy(update={"goals": settings})
    monkeypatch.setitem(cx.__dict__, "engagement", engagement)
    g = goals.propose(cx)
    assert g.focus and all(p.scope == "segment SMB" for p in g.focus)
    assert "SMB" in text_of(goals.focus(g))


def test_focus_goals_say_why_there_are_none(cx, monkeypatch):
    assert "singled out" in text_of(goals.focus(goals.propose(cx)))  # none named in the demo
    settings = cx.engagement.goals.model_copy(update={"focus_segments": ["SMB"]})
    sample = cx.engagement.sample.model_copy(update={"warn_below": 100_000})  # SMB's answers fall short of it
    monkeypatch.setitem(cx.__dict__, "engagement", cx.engagement.model_copy(update={"goals": settings, "sample": sample}))
    words = text_of(goals.focus(goals.propose(cx)))
    assert words.strip() == "SMB: too few answers for a goal of their own (a goal needs at least 100000 answers to a metric)."


def test_a_focus_segment_no_answer_carries_is_refused(cx, monkeypatch):
    """A misspelt name is not mistaken for a segment with too few answers."""
    settings = cx.engagement.goals.model_copy(update={"focus_segments": ["Public sector"]})
    monkeypatch.setitem(cx.__dict__, "engagement", cx.engagement.model_copy(update={"goals": settings}))
    with pytest.raises(InputError, match="no survey answer carries this segment") as info:
        goals.propose(cx)
    assert (info.value.file, info.value.column, info.value.found) == ("engagement.yaml", "goals.focus_segments[0]",
                                                                     "Public sector")


def test_leadership_and_frontline_perception_gap_is_found(cx):
    """The demo plants leaders rating culture about 1.5 levels above the frontline."""
    gaps = maturity.assess(cx).gaps
    flagged = gaps[gaps["flagged"] & (gaps["element"] == "culture")]
    assert (flagged["gap"] >= 1.5).any()
    assert "leadership put it at level" in " ".join(gaps.summary())


@pytest.fixture()
def large_cx(cx, monkeypatch):
    """The demo read as if its survey files were large (DuckDB path), as a fresh client."""
    import cxkit.metrics.large as large

    monkeypatch.setattr(large, "is_large", lambda path, threshold=0, rows=0: True)
    return load_client("demo", str(cx.root.parent))


def test_large_files_give_the_same_goals_and_customer_linkage(cx, large_cx):
    small, big = goals.propose(cx), goals.propose(large_cx)
    assert big.baseline.large and [p.metric for p in big.proposals] == [p.metric for p in small.proposals]
    for a, b in zip(small.proposals, big.proposals):
        # the spread comes from the headline's standard error instead of the answers: the same number
        assert b.sd == pytest.approx(a.sd, rel=1e-9) and b.recommended_method == a.recommended_method
        assert b.target == pytest.approx(a.target, abs=1e-9)
    from cxkit.roi import latest_nps_by_customer

    until = small.baseline.as_of + pd.Timedelta(days=1)
    expected = latest_nps_by_customer(small.baseline.responses, until).sort_values("customer_id")
    got = latest_nps_by_customer(big.baseline.engine, until).sort_values("customer_id")
    assert got["customer_id"].tolist() == expected["customer_id"].tolist()
    assert got["nps_score"].tolist() == expected["nps_score"].tolist()
    assert roi.analyse(large_cx).analysis.value_at_risk.value.base == pytest.approx(
        roi.analyse(cx).analysis.value_at_risk.value.base, rel=1e-9)


def test_large_files_leave_the_journey_unscored_and_say_why(large_cx):
    j = journey.analyse(large_cx)
    assert j.large and j.measured is None and j.responses is None
    assert "too large" in text_of(journey.measured(j)) and "chapter 3" in text_of(journey.overview(j))


@pytest.fixture(scope="module")
def tiny_cx(tmp_path_factory):
    """A client of 100 responses: no quarter reaches the 10 answers a figure needs."""
    from cxkit.demo import generate

    folder = tmp_path_factory.mktemp("tiny_client") / "tiny"
    generate(folder, seed=3, responses=100, name="Tiny Co")
    return load_client("tiny", str(folder.parent))


def test_trends_with_no_reportable_period_say_why_instead_of_empty_panels(tiny_cx):
    b = baseline.analyse(tiny_cx)
    assert all(t["value"].isna().all() for t in b.trends.values())  # every period is withheld
    section = str(baseline.trends(b))
    busiest = {m: int(t["n"].max()) for m, t in b.trends.items()}
    assert "<img" not in section  # no chart of empty axes
    assert max(busiest.values()) < b.rules.withhold_below
    assert f"most answers in one quarter: NPS {busiest['nps']}, CSAT {busiest['csat']}" in text_of(section)


def test_trends_chart_only_the_metrics_with_a_shown_period(base):
    trends = dict(base.trends)
    base.trends = {**trends, "psat": trends["psat"].assign(value=float("nan"))}
    try:
        section = baseline.trends(base)
    finally:
        base.trends = trends
    assert str(section).count("<img") == 1 and "Not charted: no quarter reached" in text_of(section)
    assert "PSAT" in text_of(section).split("Not charted")[1]


def test_no_goals_says_which_answers_were_missing(tiny_cx):
    g = goals.propose(tiny_cx)
    words = text_of(goals.overview(g))
    counts = {m: g.baseline.headline[m].n for m in g.baseline.metrics}
    assert not g.proposals and "last complete quarter (2026Q3)" in words
    assert f"NPS {counts['nps']}, CSAT {counts['csat']}" in words and "at least 10" in words


def test_roi_range_chart_puts_bars_and_simulation_on_one_basis(cx, monkeypatch):
    # The simulation values the goal over the horizon in today's money; the bars beside it
    # must too (they were the annual values, a third of the simulation's scale).
    import cxkit.plotting.roi as plots

    seen = {}
    real = plots.range_chart
    monkeypatch.setattr(plots, "range_chart", lambda values, currency, simulation=None:
                        seen.update(values=values, simulation=simulation) or real(values, currency, simulation))
    value = roi.analyse(cx)
    words = text_of(roi.ranges(value))
    gv, sim = value.analysis.goal_value, value.analysis.simulation
    assert seen["values"] == gv.present_value and seen["simulation"] is sim
    assert gv.present_value.low <= sim.median <= gv.present_value.high
    assert not gv.annual.low <= sim.median <= gv.annual.high  # the old chart's mismatch, for the demo
    assert f"over {value.analysis.settings.horizon_years} years in today's money" in words


def test_the_value_chapter_without_its_figures_says_which_are_missing():
    """No value case (ValueCase.analysis None): the headline names the missing figures in
    words and as keys, records nothing for the summary, and the other sections defer to it."""
    from cxkit.chapters import roi

    case = roi.ValueCase(None, None, "EUR", ("customers", "churn_rate_passive"))
    text = str(roi.headline(case))
    assert "the number of active customers and the yearly churn rate of passives" in text
    assert "roi.customers, roi.churn_rate_passive" in text and "Not valued." in text
    for section in (roi.linkage, roi.goal_value, roi.ranges, roi.story):
        assert "figures named at the top of this chapter" in str(section(case))


def _survey_until(folder, file, date_column, cutoff, header_rows):
    """Keep the survey rows answered before ``cutoff`` (ISO text compares as dates)."""
    import csv

    path = folder / "surveys" / file
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    at = rows[0].index(date_column)
    kept = rows[:header_rows] + [r for r in rows[header_rows:] if r[at] < cutoff]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(kept)


@pytest.fixture(scope="module")
def csat_stopped(demo_copy, tmp_path_factory):
    """The demo with its transactional survey (CSAT, CES, PSAT) stopped at the end of June 2025."""
    import shutil

    folder = tmp_path_factory.mktemp("stopped") / "demo"
    shutil.copytree(demo_copy / "demo", folder)
    _survey_until(folder, "transactional.csv", "submitted_at", "2025-07-01", 1)
    return folder


def test_a_metric_whose_survey_stopped_is_shown_with_its_own_period(csat_stopped):
    """NPS runs to 2026Q3 but CSAT stopped in 2025Q2: the cards say which period each covers,
    and CSAT's goal starts from (and takes its spread from) its 2025Q2 answers."""
    b = baseline.analyse(load_client("demo", str(csat_stopped.parent)))
    assert b.period == "2026Q3" and b.headline_period["csat"] == "2025Q2"
    assert "CSAT covers 2025Q2, its last complete period with answers." in baseline.figures_for(b)
    g = goals.propose(load_client("demo", str(csat_stopped.parent)))
    csat = g.proposal("csat")
    in_q2 = b.responses[(b.responses["metric"] == "csat")
                        & (b.responses["date"].dt.to_period("Q").astype(str) == "2025Q2")]
    assert f"(2025Q2, n = {len(in_q2):,})" in csat.smart_statement
    assert csat.current["n"] == len(in_q2)


def test_figures_whose_answers_stopped_long_ago_say_how_old_they_are(csat_stopped, tmp_path):
    import shutil

    folder = tmp_path / "demo"
    shutil.copytree(csat_stopped, folder)
    _survey_until(folder, "relationship_qualtrics.csv", "RecordedDate", "2025-07-01", 3)
    b = baseline.analyse(load_client("demo", str(tmp_path)))
    assert b.period == "2025Q2"
    assert ("Figures for 2025Q2, the last complete period with answers: there were none from 2025Q3 to "
            "2026Q3") in baseline.figures_for(b)


def test_segment_tables_say_which_rows_rest_on_few_answers():
    vs = pd.DataFrame({"segment": ["A", "B", "C"], "value": [40.0, 10.0, None], "n": [120, 12, 4],
                       "rest_value": [10.0, 35.0, None], "diff": [30.0, -25.0, None], "ci_low": [10.0, -60.0, None],
                       "ci_high": [50.0, 10.0, None], "p_holm": [0.01, 0.4, None],
                       "status": ["ok", "small", "withheld"]}, index=[7, 8, 9])
    assert baseline._versus_rest(vs, "segment")["sample"].tolist() == ["", "small sample: read with caution", "withheld: too few responses to report"]
    assert "sample" not in baseline._versus_rest(vs.assign(status="ok"), "segment")  # nothing to flag, no column
    card = baseline._card(metrics.MetricResult(metric="psat", value=None, n=1, ci_low=None, ci_high=None, se=None,
                                               mean=None, status="withheld"), None)
    assert card["detail"] == "only 1 response"


def test_a_summary_priority_names_the_move_and_reads_as_one_sentence():
    priority = maturity.priority
    assert priority("Culture", 1, 2, ["Shared CX values", "A named sponsor"]) == \
        "Culture, level 1 to 2: shared CX values and a named sponsor"
    assert priority("Insight", 3, 4, ["NPS owners", "Data and tools"]) == "Insight, level 3 to 4: NPS owners; data and tools"
    assert priority("Governance", 2, 3, []) == "Governance, level 2 to 3"
