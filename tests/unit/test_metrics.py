"""Tests of single metrics, finalisers, intervals and comparisons (cxkit.metrics)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxkit.errors import InputError
from cxkit.metrics import (
    MetricResult,
    SampleRules,
    Scale,
    ScoreError,
    ces,
    compare,
    csat,
    nps,
    nps_from_counts,
    psat,
    status_for,
    top2_from_counts,
)

SHOW_ALL = SampleRules(warn_below=1, withhold_below=1)  # n >= 1 is reported with status ok


# --- sample rules -----------------------------------------------------------------------

def test_status_for_thresholds():
    # defaults per the brief: warn below 30, withhold below 10, n = 0 is no_data
    assert [status_for(n) for n in (0, 1, 9, 10, 29, 30)] == [
        "no_data", "withheld", "withheld", "small", "small", "ok"]


def test_sample_rules_reject_inverted_thresholds():
    with pytest.raises(ValueError):
        SampleRules(warn_below=5, withhold_below=10)


# --- NPS ----------------------------------------------------------------------------------

def test_nps_hand_worked_ten_responses():
    # 5 promoters, 3 passives, 2 detractors (n = 10):
    # NPS = 100 * (0.5 - 0.2) = 30
    # SE = 100 * sqrt((0.5 + 0.2 - 0.3^2) / 10) = 100 * sqrt(0.061) = 24.6982
    # adjusted Wald: p' = 5.75/13 = 0.442308, d' = 2.75/13 = 0.211538, NPS' = 23.0769
    #   var' = 0.653846 - 0.230769^2 = 0.600592; SE' = 100 * sqrt(0.600592/13) = 21.4940
    #   CI = 23.0769 -/+ 1.96 * 21.4940 = -19.0513 .. 65.2051
    r = nps(pd.Series([10, 9, 10, 9, 9, 8, 7, 7, 6, 0]))
    assert r.value == pytest.approx(30.0)
    assert r.se == pytest.approx(24.6982, abs=1e-4)
    assert r.ci_low == pytest.approx(-19.0513, abs=1e-3)
    assert r.ci_high == pytest.approx(65.2051, abs=1e-3)
    assert r.n == 10 and r.status == "small"  # 10 <= n < 30
    assert r.counts["promoters"] == 5 and r.counts["passives"] == 3 and r.counts["detractors"] == 2
    # mean of raw scores: (10+9+10+9+9+8+7+7+6+0)/10 = 75/10
    assert r.mean == pytest.approx(7.5)
    assert (r.scale_min, r.scale_max, r.label) == (0, 10, "NPS")


def test_nps_from_counts_matches_series():
    # the finaliser is the same path the Series function uses
    r = nps_from_counts(10, 5, 2)
    assert r.value == pytest.approx(30.0) and r.ci_high == pytest.approx(65.2051, abs=1e-3)


def test_nps_all_promoters_clips_upper_bound():
    # 40 promoters: NPS 100, SE 0. Adjusted: p' = 40.75/43 = 0.947674, d' = 0.75/43 = 0.017442
    # NPS' = 93.0233; var' = 0.965116 - 0.930233^2 = 0.099783; SE' = 100*sqrt(0.099783/43) = 4.8172
    # CI = 93.0233 -/+ 9.4417 = 83.5816 .. 102.4650 -> upper clipped to 100
    r = nps([10] * 40)
    assert r.value == 100.0 and r.se == 0.0
    assert r.ci_low == pytest.approx(83.5816, abs=1e-3)
    assert r.ci_high == 100.0


def test_nps_all_detractors_mirrors():
    # mirror image of the all-promoters case
    r = nps([0] * 40)
    assert r.value == -100.0
    assert r.ci_low == -100.0
    assert r.ci_high == pytest.approx(-83.5816, abs=1e-3)


def test_nps_single_response():
    # n = 1, one promoter: p' = 1.75/4 = 0.4375, d' = 0.75/4 = 0.1875, NPS' = 25
    # var' = 0.625 - 0.0625 = 0.5625; SE' = 100*sqrt(0.5625/4) = 37.5; CI = 25 -/+ 73.5
    r = nps([10], rules=SHOW_ALL)
    assert r.value == 100.0
    assert (r.ci_low, r.ci_high) == (pytest.approx(-48.5), pytest.approx(98.5))
    withheld = nps([10])  # default rules: n = 1 < 10
    assert withheld.status == "withheld" and withheld.value is None and withheld.ci_low is None


def test_nps_no_data_is_none_not_nan():
    r = nps(pd.Series([np.nan, None], dtype=float))
    assert r.status == "no_data" and r.n == 0
    assert r.value is None and r.se is None and r.mean is None and r.ci_low is None
    assert r.display() == "NPS: no data (n = 0)"


def test_withheld_and_small_statuses():
    assert nps([10] * 9).status == "withheld"   # 9 < 10
    assert nps([10] * 9).value is None
    assert nps([10] * 29).status == "small"     # 10 <= 29 < 30
    assert nps([10] * 29).value == 100.0
    assert nps([10] * 30).status == "ok"
    assert nps([10] * 9, rules=SampleRules(warn_below=5, withhold_below=3)).status == "ok"


def test_nps_ignores_nan():
    # NaN answers are not responses: 2 promoters + 8 passives -> 100 * 2/10 = 20
    r = nps(pd.Series([10, 9] + [8] * 8 + [np.nan] * 5))
    assert r.n == 10 and r.value == pytest.approx(20.0)


@pytest.mark.parametrize("bad", [11, -1, 7.5])
def test_nps_rejects_off_scale_value(bad):
    with pytest.raises(ValueError, match=str(bad)) as info:
        nps([10, 9, bad])
    assert isinstance(info.value, InputError)  # consultant-readable too


def test_non_numeric_score_is_named():
    with pytest.raises(ScoreError, match="Very happy"):
        csat(pd.Series(["5", "Very happy"]))


# --- top-2-box ------------------------------------------------------------------------------

def test_wilson_textbook_value():
    # 8 of 10 top-box: Wilson 95% interval 0.4902 .. 0.9433 (e.g. Newcombe 1998, Table I style;
    # centre (0.8 + 1.96^2/20)/(1 + 1.96^2/10) = 0.7156, half-width 0.2266)
    r = csat([5] * 4 + [4] * 4 + [3, 1], rules=SHOW_ALL)
    assert r.value == pytest.approx(80.0)
    assert r.ci_low == pytest.approx(49.02, abs=0.01)
    assert r.ci_high == pytest.approx(94.33, abs=0.01)
    # SE of the proportion: 100 * sqrt(0.8 * 0.2 / 10) = 12.649
    assert r.se == pytest.approx(12.649, abs=1e-3)
    # mean: (5*4 + 4*4 + 3 + 1) / 10 = 40/10
    assert r.mean == pytest.approx(4.0)


def test_csat_seven_point_top_two_is_six_and_seven():
    # 6 and 7 count, 5 does not: 2 of 4 per block -> 50 %
    r = csat([7, 6, 5, 1] * 10, scale=7)
    assert r.value == pytest.approx(50.0) and (r.scale_min, r.scale_max) == (1, 7)
    assert r.label == "CSAT (top-2-box %)"


def test_csat_rejects_value_above_scale():
    with pytest.raises(ValueError, match="6"):
        csat([5, 6])


def test_ces_default_is_seven_point():
    # 7-point default: 6 and 7 are "easy"; 3 of 4 -> 75 %
    r = ces([7, 7, 6, 2] * 10)
    assert r.value == pytest.approx(75.0) and r.scale_max == 7
    assert ces([5, 4, 3, 1] * 10, scale=5).value == pytest.approx(50.0)


def test_psat_binary_and_five_point():
    # binary: share of 1s, 3 of 4 -> 75 %
    binary = psat([1, 1, 1, 0] * 10, scale=2)
    assert binary.value == pytest.approx(75.0) and (binary.scale_min, binary.scale_max) == (0, 1)
    assert binary.label == "PSAT (% satisfied)"
    with pytest.raises(ValueError, match="2"):
        psat([1, 2], scale=2)
    assert psat([5, 4, 2, 1] * 10).value == pytest.approx(50.0)


def test_unsupported_scale():
    with pytest.raises(ValueError):
        csat([1, 2], scale=2)


def test_top2_all_top_box_stays_within_100():
    r = top2_from_counts(50, 50, scale=Scale(1, 5))
    assert r.value == 100.0 and r.ci_high == pytest.approx(100.0) and r.ci_low < 100.0


def test_sd_from_counts():
    # scores 1..5 twelve times: population of 60 with sample variance 2 * 60/59
    r = csat([1, 2, 3, 4, 5] * 12)
    assert r.sd == pytest.approx(math.sqrt(2 * 60 / 59))


# --- display and HTML -------------------------------------------------------------------------

def test_display_formats():
    # 1,204 responses, 602 promoters, 216 detractors -> NPS = 100*(386/1204) = 32.06
    r = nps_from_counts(1204, 602, 216)
    text = r.display()
    assert text.startswith("NPS +32 (95% CI +") and text.endswith("n = 1,204)")
    assert nps([10] * 7).display() == "NPS withheld (n = 7)"
    assert nps([10] * 12).display().endswith("small sample")
    assert csat([5, 1] * 20).display().startswith("CSAT (top-2-box %) 50% (95% CI ")


def test_repr_html_escapes_label():
    r = MetricResult("attr_x", 50.0, 40, 40.0, 60.0, 7.9, 3.0, {}, 1, 5, "ok", "<script>x</script>")
    out = r._repr_html_()
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "50%" in out


def test_as_dict_has_contract_fields():
    keys = set(nps([10] * 40).as_dict())
    assert {"metric", "value", "n", "ci_low", "ci_high", "se", "mean", "counts",
            "scale_min", "scale_max", "status", "label"} <= keys


# --- compare -------------------------------------------------------------------------------

def test_compare_nps_clear_difference():
    # a: 60 P / 40 D of 100 -> NPS 20, SE = 100*sqrt((1 - 0.04)/100) = 9.7980
    # b: 40 P / 60 D of 100 -> NPS -20, same SE
    # diff 40, SE = sqrt(2) * 9.7980 = 13.8564, z = 2.8868, p = 2*(1 - Phi(2.8868)) = 0.00389
    # CI = 40 -/+ 1.96 * 13.8564 = 12.841 .. 67.159
    c = compare([10] * 60 + [0] * 40, [10] * 40 + [0] * 60)
    assert c.diff == pytest.approx(40.0)
    assert c.z == pytest.approx(2.8868, abs=1e-4)
    assert c.p_value == pytest.approx(0.00389, abs=1e-4)
    assert (c.ci_low, c.ci_high) == (pytest.approx(12.841, abs=1e-3), pytest.approx(67.159, abs=1e-3))
    assert c.significant and c.status == "ok" and (c.n_a, c.n_b) == (100, 100)


def test_compare_top2_unpooled():
    # 80/100 vs 60/100: se_a = 100*sqrt(.8*.2/100) = 4, se_b = 100*sqrt(.6*.4/100) = 4.899
    # SE = sqrt(16 + 24) = 6.3246, z = 20 / 6.3246 = 3.1623, p = 0.00157
    c = compare([5] * 80 + [1] * 20, [5] * 60 + [1] * 40, metric="csat")
    assert c.z == pytest.approx(3.1623, abs=1e-4)
    assert c.p_value == pytest.approx(0.00157, abs=1e-4)
    assert c.significant


def test_compare_not_significant():
    # 50/100 vs 48/100: z = 2 / sqrt(25 + 24.96) ~ 0.283, p ~ 0.777
    c = compare([5] * 50 + [1] * 50, [5] * 48 + [1] * 52, metric="csat")
    assert c.p_value == pytest.approx(0.777, abs=1e-3) and not c.significant
    assert "not significant" in c.display()


def test_compare_no_data_and_withheld():
    empty = compare([], [10] * 20)
    assert empty.status == "no_data" and empty.diff is None and not empty.significant
    small = compare([10] * 5, [10] * 20)
    assert small.status == "withheld" and small.p_value is None


def test_compare_html_escapes_labels():
    c = compare([10] * 40, [0] * 40, labels=("<b>x</b>", "y"))
    assert "<b>x</b>" not in c._repr_html_() and "&lt;b&gt;" in c._repr_html_()


# --- property tests ------------------------------------------------------------------------

counts_strategy = st.integers(1, 500).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(0, n)).flatmap(
        lambda t: st.tuples(st.just(t[0]), st.just(t[1]), st.integers(0, t[0] - t[1]))
    )
)


@settings(max_examples=200, deadline=None)
@given(counts_strategy)
def test_nps_interval_bounds(counts):
    n, promoters, detractors = counts
    r = nps_from_counts(n, promoters, detractors, rules=SHOW_ALL)
    assert -100.0 <= r.ci_low <= r.ci_high <= 100.0
    assert -100.0 <= r.value <= 100.0
    if n >= 2:  # for n = 1 the shrunken interval can exclude +/-100 (checked above)
        assert r.ci_low - 1e-9 <= r.value <= r.ci_high + 1e-9


@settings(max_examples=200, deadline=None)
@given(counts_strategy)
def test_nps_symmetry(counts):
    n, promoters, detractors = counts
    a = nps_from_counts(n, promoters, detractors, rules=SHOW_ALL)
    b = nps_from_counts(n, detractors, promoters, rules=SHOW_ALL)
    assert b.value == pytest.approx(-a.value, abs=1e-9)
    assert b.ci_low == pytest.approx(-a.ci_high, abs=1e-9)
    assert b.ci_high == pytest.approx(-a.ci_low, abs=1e-9)
    assert b.se == pytest.approx(a.se, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 300), st.data())
def test_wilson_bounds(n, data):
    k = data.draw(st.integers(0, n))
    r = top2_from_counts(n, k, scale=Scale(1, 5), rules=SHOW_ALL)
    assert 0.0 <= r.ci_low <= r.value + 1e-9 and r.value - 1e-9 <= r.ci_high <= 100.0


def test_wilson_holds_the_proportion_exactly_at_zero_and_all():
    """No rounding slack at the edges: 0 of 7 gave a lower bound of 5.6e-17 above the rate,
    which made a chart's error bar negative (a failed ROI chapter)."""
    from cxkit.metrics.intervals import wilson_interval

    n = np.arange(1, 500)
    none_low, none_high = wilson_interval(n, 0 * n)
    all_low, all_high = wilson_interval(n, n)
    assert np.all(none_low == 0.0) and np.all(none_high > 0.0)
    assert np.all(all_high == 100.0) and np.all(all_low < 100.0)


nps_scores = st.lists(st.integers(0, 10), min_size=10, max_size=80)


@settings(max_examples=100, deadline=None)
@given(nps_scores, nps_scores)
def test_compare_antisymmetric(a, b):
    ab, ba = compare(a, b), compare(b, a)
    assert ab.diff == pytest.approx(-ba.diff, abs=1e-9)
    assert ab.p_value == pytest.approx(ba.p_value, abs=1e-12)
    assert ab.significant == ba.significant
