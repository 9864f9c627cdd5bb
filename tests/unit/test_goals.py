"""Unit tests for cxkit.goals (worked examples from DOMAIN.md §5)."""
from __future__ import annotations

import json
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from cxkit.config.targets import GoalSettings
from cxkit.errors import InputError
from cxkit.goals import (earliest_goal_date, half_sd_uplift, min_detectable_change,
                         percent_of_opportunity, project_trend, propose_goal, respondent_sd,
                         sample_needed)

AS_OF = date(2025, 1, 10)
NEXT_QUARTER = {"goal_date": "2025-03-31"}  # one quarter after the last period (2024Q4)


def trend(values, se=2.0, start="2024-01-01"):
    """Quarterly trend frame in the metric engine's layout, built by hand."""
    starts = pd.date_range(start, periods=len(values), freq="QS")
    v = np.asarray(values, dtype=float)
    return pd.DataFrame({"period": [str(p) for p in starts.to_period("Q")], "period_start": starts,
                         "value": v, "ci_low": v - 1.96 * se, "ci_high": v + 1.96 * se,
                         "se": se, "n": 400, "status": "ok"})


def current(value, n=400, se=2.0):
    return {"value": value, "ci_low": value - 4, "ci_high": value + 4, "n": n, "se": se,
            "period": "2024Q4"}


# 400 answers: 160 promoters, 120 passives, 120 detractors (NPS 10)
SCORES = pd.Series([10] * 160 + [8] * 120 + [3] * 120)


def test_percent_of_opportunity_domain_examples():
    # DOMAIN §5.3: 10% of (100-50) = 5; 10% of (100-80) = 2
    assert percent_of_opportunity(50, 10) == pytest.approx(5.0)
    assert percent_of_opportunity(80, 10) == pytest.approx(2.0)
    assert percent_of_opportunity(100, 10) == 0.0


def test_declining_trend_projects_48_and_adds_to_projection():
    # DOMAIN §5.2: falling 2 a quarter from 50 -> 48 expected next quarter
    df = trend([56, 54, 52, 50])
    p = project_trend(df)
    assert p.slope_per_quarter == pytest.approx(-2.0)
    assert p.at(date(2025, 3, 31))[0] == pytest.approx(48.0)
    g = propose_goal("nps", df, SCORES, current(50), GoalSettings(), AS_OF, NEXT_QUARTER)
    c = g.candidates.set_index("method")
    assert g.projection == pytest.approx(48.0)
    # percent of opportunity on the projection: 48 + 0.10 * (100 - 48) = 53.2
    assert c.loc["percent_of_opportunity", "target"] == pytest.approx(53.2)
    assert c.loc["percent_of_opportunity", "uplift_vs_projection"] == pytest.approx(5.2)
    # a goal of 50 means stopping the decline: +2 over the projection
    assert c.loc["stop_decline", "target"] == pytest.approx(50.0)
    assert c.loc["stop_decline", "uplift_vs_projection"] == pytest.approx(2.0)
    # recommended: the smaller of the two candidates (53.2 vs 48 + half SD), whole points
    assert g.recommended_method == "percent_of_opportunity" and g.target == 53.0


def test_rising_trend_projects_52_and_54_is_a_real_goal():
    # DOMAIN §5.2: rising 2 a quarter from 50 -> 52 expected anyway; 54 is a real goal
    df = trend([44, 46, 48, 50])
    g = propose_goal("nps", df, SCORES, current(50), GoalSettings(), AS_OF,
                     {**NEXT_QUARTER, "target": 54})
    assert g.projection == pytest.approx(52.0)
    assert g.recommended_method == "fixed" and g.target == 54.0
    assert g.uplift_vs_projection == pytest.approx(2.0)
    assert any(o.startswith("fixed target: 54") for o in g.overridden)
    # 10% of opportunity from the projection: 52 + 0.1 * 48 = 56.8 (not 50 + 5 = 55)
    assert g.candidates.set_index("method").loc["percent_of_opportunity", "target"] == pytest.approx(56.8)


def test_a_slope_the_data_cannot_tell_from_flat_is_not_called_a_trend():
    """Clear fall of 2 a quarter: 'falling'. A wobble with a slope interval spanning zero
    is said to show no clear trend, and is still extended as the method asks."""
    clear = propose_goal("nps", trend([56, 54, 52, 50], se=0.5), SCORES, current(50), GoalSettings(), AS_OF,
                         NEXT_QUARTER)
    assert clear.reasoning.startswith("NPS is falling by 2.0 points a quarter")
    assert "the more attainable of the two rules: half a standard deviation would give" in clear.reasoning
    wobble = trend([50, 53, 48, 51, 49], se=4.0)
    g = propose_goal("nps", wobble, SCORES, current(49), GoalSettings(), AS_OF, NEXT_QUARTER)
    lo, hi = g.slope_ci
    assert lo < 0 < hi
    assert g.reasoning.startswith("NPS shows no clear trend (") and "extending it anyway" in g.reasoning


def test_a_projection_from_a_line_above_today_names_the_line():
    """A fall, but the last quarter dipped to 44, below the fitted line: the reader sees where
    the projection starts instead of a fall that seems to end near or above today's score."""
    g = propose_goal("nps", trend([54, 52, 50, 44], se=1.0), SCORES, current(44), GoalSettings(), AS_OF,
                     NEXT_QUARTER)
    line_now = g.trend.coef[0]
    assert 44 < line_now < 50 and g.projection == pytest.approx(line_now + g.slope_per_quarter)
    assert f"from the trend line's {line_now:.0f} for the latest quarter" in g.reasoning
    on_line = propose_goal("nps", trend([56, 54, 52, 50], se=0.5), SCORES, current(50), GoalSettings(), AS_OF,
                           NEXT_QUARTER)
    assert "trend line's" not in on_line.reasoning  # today's score sits on the line: nothing to explain
    assert "stop_decline" in set(g.candidates["method"])  # holding today's 44 beats the projected 42


def test_holding_today_is_no_candidate_when_the_projection_is_above_today():
    """A flat series whose last quarter dipped: the falling line still projects above today's
    45, so 'stop the decline' (hold 45) would sit below doing nothing and is not offered."""
    g = propose_goal("nps", trend([50, 50, 50, 50, 45], se=1.0), SCORES, current(45), GoalSettings(), AS_OF,
                     NEXT_QUARTER)
    assert g.slope_per_quarter < 0 and g.projection > 45
    assert "stop_decline" not in set(g.candidates["method"])


def test_without_trend_the_goal_starts_from_today():
    # two periods only: no slope; 10% of opportunity from 80 = +2 (DOMAIN §5.3)
    g = propose_goal("csat", trend([79, 80]), pd.Series([5, 4, 3, 2] * 50), current(80),
                     GoalSettings(), AS_OF, scale=(1, 5))
    assert g.slope_per_quarter is None and g.projection == 80
    assert g.candidates.set_index("method").loc["percent_of_opportunity", "target"] == pytest.approx(82.0)
    assert any("no trend" in w for w in g.warnings)


def test_high_score_is_held():
    # hold threshold for NPS defaults to 60; 65 >= 60 -> hold at 65
    g = propose_goal("nps", trend([64, 65, 64, 65]), SCORES, current(65), GoalSettings(), AS_OF)
    assert g.already_high_enough and g.recommended_method == "hold" and g.target == 65
    assert g.smart_statement.startswith("Keep NPS at or above 65")
    assert g.detectable is None


def test_earliest_goal_dates():
    # as_of 2025Q1: transactional +1 quarter -> end of 2025Q2; relationship +4 -> end of 2026Q1
    assert earliest_goal_date("transactional", date(2025, 1, 15)) == date(2025, 6, 30)
    assert earliest_goal_date("relationship", date(2025, 1, 15)) == date(2026, 3, 31)
    assert earliest_goal_date("relationship", date(2025, 11, 30)) == date(2026, 12, 31)


def test_default_goal_date_is_earliest_and_early_date_warns():
    df = trend([56, 54, 52, 50])
    g = propose_goal("nps", df, SCORES, current(50), GoalSettings(), AS_OF)
    assert g.goal_date == date(2026, 3, 31) and g.overridden == []
    early = propose_goal("nps", df, SCORES, current(50), GoalSettings(), AS_OF, NEXT_QUARTER)
    assert any("earlier than" in w for w in early.warnings)
    assert any(o.startswith("goal date") for o in early.overridden)


def test_min_detectable_change_and_sample_needed():
    # MDC = (1.96 + 0.84) * sqrt(5^2 + (100/sqrt(400))^2) = 2.8 * sqrt(50) = 19.799
    assert min_detectable_change(5.0, 400, 100.0) == pytest.approx(2.8 * math.sqrt(50))
    # inverse: (20/2.8)^2 - 25 = 26.02 -> n = 10000 / 26.02 = 384.3 -> 385
    assert sample_needed(20.0, 5.0, 100.0) == 385
    # today's SE alone already exceeds 20/2.8: no sample suffices
    assert sample_needed(20.0, 8.0, 100.0) is None
    assert min_detectable_change(5.0, 0, 100.0) == math.inf


def test_half_sd_conversions():
    # NPS contributions +100, +100, -100, -100: mean 0, population SD 100
    assert respondent_sd("nps", pd.Series([10, 9, 5, 0]), (0, 10)) == pytest.approx(100.0)
    # top-2-box on 1-5: 100, 100, 0, 0 -> SD 50 -> half 25
    assert half_sd_uplift("csat", pd.Series([5, 4, 2, 1]), (1, 5)) == pytest.approx(25.0)
    # binary PSAT 0/1: top box is 1
    assert half_sd_uplift("psat", pd.Series([1, 0]), (0, 1)) == pytest.approx(25.0)


def test_undetectable_goal_is_flagged():
    # n = 30 per quarter, SE 15: MDC = 2.8 * sqrt(15^2 + (sd/sqrt(30))^2) >> 5 points
    g = propose_goal("nps", trend([50, 50, 50, 50], se=15.0), SCORES, current(50, n=30, se=15.0),
                     GoalSettings(), AS_OF)
    assert g.detectable is False and g.detectable_change > abs(g.change_vs_current)
    assert any("cannot detect" in w or "smaller than the change" in w for w in g.warnings)


def test_the_summary_gets_the_reasoning_in_three_short_sentences():
    """The executive summary's 'why' names the trend, the rule and whether the survey can
    confirm the change; the chapter keeps the full sentence with every figure."""
    falling = propose_goal("nps", trend([56, 54, 52, 50], se=0.5), SCORES, current(50), GoalSettings(), AS_OF,
                           NEXT_QUARTER)
    rule = {"half_sd": "half a standard deviation", "percent_of_opportunity": "10% of the remaining opportunity"}
    assert falling.brief.startswith("Falling 2.0 points a quarter. Goal: the trend plus "
                                    + rule[falling.recommended_method] + ".")
    wobble = propose_goal("nps", trend([50, 53, 48, 51, 49], se=4.0), SCORES, current(49), GoalSettings(), AS_OF,
                          NEXT_QUARTER)
    assert wobble.brief.startswith("No clear trend. Goal: ")
    small = propose_goal("nps", trend([50, 50, 50, 50], se=15.0), SCORES, current(50, n=30, se=15.0),
                         GoalSettings(), AS_OF)
    assert f"the smallest change they can detect is {small.detectable_change:.1f} points" in small.brief
    held = propose_goal("nps", trend([64, 65, 64, 65]), SCORES, current(65), GoalSettings(), AS_OF)
    assert held.brief.startswith("At or above the hold threshold of 60: keep it there.")
    csat = propose_goal("csat", trend([79, 80]), pd.Series([5, 4, 3, 2] * 50), current(80), GoalSettings(), AS_OF,
                        scale=(1, 5))
    assert csat.brief.startswith("Too few periods for a trend. Goal: today's score plus 10% of the remaining "
                                "opportunity.")
    for g in (falling, wobble, small, held, csat):
        assert len(g.brief) < len(g.reasoning) and g.brief.count(". ") <= 3


def test_overrides_are_validated_and_listed():
    df = trend([56, 54, 52, 50])
    with pytest.raises(InputError, match="unknown goal override"):
        propose_goal("nps", df, SCORES, current(50), GoalSettings(), AS_OF, {"k": 5})
    with pytest.raises(InputError, match="after the date"):
        propose_goal("nps", df, SCORES, current(50), GoalSettings(), AS_OF, {"goal_date": "2024-12-31"})
    g = propose_goal("nps", df, SCORES, current(50), GoalSettings(percent_of_opportunity=20), AS_OF)
    assert g.overridden == ["percent of opportunity: 20% (set in the engagement; default 10%)"]


def test_withheld_current_is_an_input_error():
    with pytest.raises(InputError, match="no reportable value"):
        propose_goal("nps", trend([50, 50, 50]), SCORES, {"value": None, "n": 5}, GoalSettings(), AS_OF)


def test_as_dict_and_html_are_safe():
    g = propose_goal("nps", trend([56, 54, 52, 50]), SCORES, current(50), GoalSettings(), AS_OF,
                     scope="<script>x</script>")
    json.dumps(g.as_dict(), default=str)
    html = g._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_goal_chart_returns_figure():
    from matplotlib.figure import Figure

    from cxkit.plotting.goals import goal_chart

    df = trend([56, 54, 52, 50])
    g = propose_goal("nps", df, SCORES, current(50), GoalSettings(), AS_OF)
    assert isinstance(goal_chart(g, df), Figure)


def test_a_hold_threshold_far_from_the_scores_is_named_without_squeezing_the_chart():
    from cxkit.plotting.goals import goal_chart

    def legend_and_top(values, value):
        df = trend(values, se=1.0)
        g = propose_goal("nps", df, SCORES, current(value, se=1.0), GoalSettings(), AS_OF, NEXT_QUARTER)
        ax = goal_chart(g, df).axes[0]
        return [t.get_text() for t in ax.get_legend().get_texts()], ax.get_ylim()[1]

    labels, top = legend_and_top([14, 16, 13, 15], 15)  # the default NPS threshold, 60, is far above
    assert "Hold threshold 60 (above the chart)" in labels and top < 40
    labels, top = legend_and_top([50, 52, 51, 53], 53)  # close by: drawn as a line
    assert "Hold threshold 60" in labels and top >= 60


def test_the_chapter_and_the_summary_read_the_trend_alike():
    from cxkit.goals.proposal import trend_direction

    wobble = propose_goal("nps", trend([50, 53, 48, 51, 49], se=4.0), SCORES, current(49), GoalSettings(), AS_OF,
                          NEXT_QUARTER)
    falling = propose_goal("nps", trend([56, 54, 52, 50], se=0.5), SCORES, current(50), GoalSettings(), AS_OF,
                           NEXT_QUARTER)
    assert trend_direction(wobble.trend) == "flat" and "no clear trend" in wobble.reasoning
    assert trend_direction(falling.trend) == "falling" and falling.brief.startswith("Falling")
