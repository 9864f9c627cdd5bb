"""Tests of the table-level metric functions: summarise, segments, trends, declines."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cxkit.errors import InputError
from cxkit.metrics import (
    ScoreError,
    change_since_previous,
    declining_segments,
    nps,
    segment_trend,
    segment_vs_rest,
    segments,
    summarise,
    trend,
)


def _rows(segment: str, date: str, scores: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"segment": segment, "date": pd.Timestamp(date), "score": scores})


@pytest.fixture
def responses() -> pd.DataFrame:
    """NPS rows built so that every figure below can be worked by hand.

    A, 2025Q1: 12 promoters, 4 passives, 4 detractors (NPS +40)
    A, 2025Q2:  6 promoters, 4 passives, 10 detractors (NPS -20)
    B, 2025Q1: 10 promoters, 10 passives (NPS +50); B, 2025Q2: the same
    B, 2025-07-01: one passive (2025Q3 is still in progress)
    C, 2025Q1: 5 promoters (withheld: n < 10)
    """
    parts = [
        _rows("A", "2025-02-15", [10] * 12 + [8] * 4 + [3] * 4),
        _rows("A", "2025-05-15", [9] * 6 + [7] * 4 + [0] * 10),
        _rows("B", "2025-02-15", [10] * 10 + [8] * 10),
        _rows("B", "2025-05-15", [10] * 10 + [8] * 10),
        _rows("B", "2025-07-01", [8]),
        _rows("C", "2025-02-15", [10] * 5),
    ]
    frame = pd.concat(parts, ignore_index=True)
    frame["metric"] = pd.Categorical(["nps"] * len(frame))
    frame["segment"] = frame["segment"].astype("category")
    frame["scale_min"], frame["scale_max"] = 0, 10
    return frame


def _nps_se(n: int, p: int, d: int) -> float:
    # DOMAIN.md section 4: SE = 100 * sqrt((p + d - (p - d)^2) / n)
    ps, ds = p / n, d / n
    return 100 * math.sqrt((ps + ds - (ps - ds) ** 2) / n)


def _two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


# --- summarise -----------------------------------------------------------------------------

def test_summarise_nps_matches_series(responses):
    # all 86 answers: P = 12+6+10+10+5 = 43, D = 4+10 = 14 -> 100 * 29/86 = 33.72
    r = summarise(responses, "nps")
    assert r.n == 86 and r.value == pytest.approx(100 * 29 / 86)
    assert r == nps(responses["score"])


def _table(metric: str, scores: list[float], lo: int, hi: int) -> pd.DataFrame:
    return pd.DataFrame({"metric": metric, "score": scores, "scale_min": lo, "scale_max": hi})


def test_summarise_dispatches_on_declared_scale():
    # 1..7 scale: top-2-box is 6 and 7; 2 of 4 per block -> 50 %
    assert summarise(_table("csat", [7, 6, 5, 1] * 10, 1, 7), "csat").value == pytest.approx(50.0)
    # binary 0/1 PSAT: share of 1s, 3 of 4 -> 75 %
    r = summarise(_table("psat", [1, 1, 1, 0] * 10, 0, 1), "psat")
    assert r.value == pytest.approx(75.0) and r.label == "PSAT (% satisfied)"
    # attributes are top-2-box too: 4 and 5 of 5 -> 1 of 2 -> 50 %
    attr = summarise(_table("attr_ease", [5, 3] * 20, 1, 5), "attr_ease")
    assert attr.value == pytest.approx(50.0) and attr.label == "Ease (top-2-box %)"


def test_summarise_missing_metric_is_no_data(responses):
    r = summarise(responses, "csat")
    assert r.status == "no_data" and r.value is None and r.n == 0


def test_summarise_unknown_metric_names_closest(responses):
    with pytest.raises(InputError, match="npss") as info:
        summarise(responses, "npss")
    assert "nps" in (info.value.hint or "")


def test_summarise_missing_column(responses):
    with pytest.raises(InputError) as info:
        summarise(responses.drop(columns="scale_max"), "nps")
    assert info.value.column == "scale_max"


def test_summarise_mixed_scales_refused():
    table = pd.concat([_table("csat", [5] * 20, 1, 5), _table("csat", [7] * 20, 1, 7)])
    with pytest.raises(InputError, match="several scales"):
        summarise(table, "csat")


def test_summarise_off_scale_score():
    with pytest.raises(ScoreError, match="6"):
        summarise(_table("csat", [5, 6], 1, 5), "csat")


# --- segments ------------------------------------------------------------------------------

def test_segments_values_order_and_columns(responses):
    out = segments(responses, "nps", "segment")
    assert list(out.columns) == ["segment", "metric", "value", "n", "ci_low", "ci_high", "se",
                                 "mean", "status"]
    # B: 41 answers, 20 promoters, 0 detractors -> 100*20/41 = 48.78
    # A: 40 answers, 18 promoters, 14 detractors -> 100*4/40 = 10; C withheld (n = 5) last
    assert out["segment"].astype(str).tolist() == ["B", "A", "C"]
    assert out["value"].iloc[0] == pytest.approx(100 * 20 / 41)
    assert out["value"].iloc[1] == pytest.approx(10.0)
    assert out["se"].iloc[1] == pytest.approx(_nps_se(40, 18, 14))
    assert out["status"].tolist() == ["ok", "ok", "withheld"]
    assert np.isnan(out["value"].iloc[2]) and out["n"].iloc[2] == 5


def test_segments_agree_with_single_metric(responses):
    out = segments(responses, "nps", "segment").set_index("segment")
    single = nps(responses.loc[responses["segment"] == "A", "score"])
    assert out.loc["A", "ci_low"] == pytest.approx(single.ci_low)
    assert out.loc["A", "ci_high"] == pytest.approx(single.ci_high)


def test_segments_two_keys_and_missing_key(responses):
    frame = responses.assign(region=np.where(np.arange(len(responses)) % 2 == 0, "N", None))
    out = segments(frame, "nps", ["segment", "region"])
    # rows without a region are left out: every other row is kept (43 of 86)
    assert out["n"].sum() == 43 and set(out["region"]) == {"N"}


def test_segments_of_a_metric_with_no_rows_are_empty(responses):
    """CES asked nowhere in these rows (its scale is then unknown): an empty table, not an error."""
    out = segments(responses[responses["score"] > 99], "ces", "segment")
    assert out.empty and "value" in out.columns


def test_segment_vs_rest(responses):
    out = segment_vs_rest(responses, "nps", "segment").set_index("segment")
    # A: n 40, P 18, D 14 -> +10; rest: n 46, P 25, D 0 -> 100*25/46 = 54.35
    a = out.loc["A"]
    rest_value = 100 * 25 / 46
    se = math.hypot(_nps_se(40, 18, 14), _nps_se(46, 25, 0))
    assert a["rest_value"] == pytest.approx(rest_value) and a["rest_n"] == 46
    assert a["diff"] == pytest.approx(10 - rest_value)
    assert a["z"] == pytest.approx((10 - rest_value) / se)
    assert a["p_value"] == pytest.approx(_two_sided_p((10 - rest_value) / se))
    assert bool(a["significant"])
    assert not bool(out.loc["C", "significant"]) and np.isnan(out.loc["C", "diff"])  # withheld


# --- trends --------------------------------------------------------------------------------

def test_trend_quarters(responses):
    out = trend(responses, "nps", "Q")
    assert out["period"].tolist() == ["2025Q1", "2025Q2", "2025Q3"]
    assert out["period_start"].tolist() == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-04-01"),
                                            pd.Timestamp("2025-07-01")]
    # Q1: 45 answers, P 27, D 4 -> 100*23/45 = 51.11; Q2: 40 answers, P 16, D 10 -> 15
    assert out["value"].iloc[0] == pytest.approx(100 * 23 / 45)
    assert out["value"].iloc[1] == pytest.approx(15.0)
    # Q3 holds one answer (withheld) and is not over yet (latest date 2025-07-01)
    assert out["status"].iloc[2] == "withheld" and out["complete"].tolist() == [True, True, False]


def test_trend_months_fill_gaps(responses):
    out = trend(responses, "nps", "M")
    assert out["period"].tolist() == ["2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07"]
    gap = out.set_index("period").loc["2025-03"]
    assert gap["n"] == 0 and gap["status"] == "no_data" and np.isnan(gap["value"])


def test_trend_bad_freq(responses):
    with pytest.raises(InputError):
        trend(responses, "nps", "W")


def test_change_since_previous(responses):
    c = change_since_previous(responses, "nps", "Q")
    # last complete quarter is 2025Q2 (2025Q3 is in progress) vs 2025Q1
    assert (c.label_a, c.label_b) == ("2025Q2", "2025Q1")
    se = math.hypot(_nps_se(40, 16, 10), _nps_se(45, 27, 4))
    diff = 15.0 - 100 * 23 / 45
    assert c.diff == pytest.approx(diff) and c.z == pytest.approx(diff / se)
    assert c.p_value == pytest.approx(_two_sided_p(diff / se))  # z = -2.275, p = 0.023
    assert c.significant


def test_change_since_previous_needs_two_complete_periods(responses):
    c = change_since_previous(responses, "nps", "Q", as_of=pd.Timestamp("2025-05-20"))
    assert c.status == "no_data" and c.diff is None


def test_segment_trend_grid(responses):
    out = segment_trend(responses, "nps", "segment", "Q")
    # 3 segments x 3 quarters, gaps included
    assert len(out) == 9
    a_q2 = out[(out["segment"] == "A") & (out["period"] == "2025Q2")].iloc[0]
    assert a_q2["value"] == pytest.approx(-20.0)  # 100 * (6 - 10) / 20
    c_q2 = out[(out["segment"] == "C") & (out["period"] == "2025Q2")].iloc[0]
    assert c_q2["n"] == 0 and c_q2["status"] == "no_data"


def test_declining_segments(responses):
    out = declining_segments(responses, "nps", "segment", "Q")
    # A drops from +40 (Q1) to -20 (Q2): SE = sqrt(17.889^2 + 19.494^2) = 26.458,
    # z = -60 / 26.458 = -2.268, p = 0.023 -> declining; B is flat; C has no Q2 answers.
    assert out["segment"].iloc[0] == "A" and bool(out["declining"].iloc[0])
    a = out.iloc[0]
    se = math.hypot(_nps_se(20, 6, 10), _nps_se(20, 12, 4))
    assert a["diff_previous"] == pytest.approx(-60.0)
    assert a["p_previous"] == pytest.approx(_two_sided_p(-60 / se))
    assert a["last_period"] == "2025Q2" and a["previous_period"] == "2025Q1"
    assert out["declining"].sum() == 1


def test_declining_segments_empty_with_one_period(responses):
    out = declining_segments(responses, "nps", "segment", as_of=pd.Timestamp("2025-04-01"))
    assert out.empty and "declining" in out.columns


def test_grouping_is_vectorised_on_a_large_table():
    # 400k rows in a few tenths of a second: no per-row Python loops
    rng = np.random.default_rng(7)
    n = 400_000
    frame = pd.DataFrame({
        "metric": pd.Categorical(["nps"] * n),
        "score": rng.integers(0, 11, n).astype(float),
        "scale_min": 0, "scale_max": 10,
        "segment": pd.Categorical(rng.choice(list("abcdefgh"), n)),
        "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D"),
    })
    out = segment_trend(frame, "nps", "segment", "M")
    assert out["n"].sum() == n


@pytest.mark.parametrize("seed", range(5))
def test_holm_matches_statsmodels(seed):
    from statsmodels.stats.multitest import multipletests

    from cxkit.metrics.segments import holm

    rng = np.random.default_rng(seed)
    p = rng.uniform(0, 0.2, size=12) ** (seed + 1)
    p[[2, 7]] = np.nan
    p[4] = p[5]  # ties
    present = ~np.isnan(p)
    expected = multipletests(p[present], method="holm")[1]
    got = holm(p)
    assert np.isnan(got[~present]).all()
    np.testing.assert_allclose(got[present], expected, rtol=0, atol=1e-12)
