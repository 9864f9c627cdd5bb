"""Unit tests for cxkit.roi (DOMAIN.md §6: value at risk, linkage, ranges)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxkit.config.targets import RoiSettings
from cxkit.errors import InputError
from cxkit.roi import (Assumption, NpsGoal, Range, annual_decline_cost, annual_goal_value,
                       annuity_factor, attach_nps, build_roi, check_controls, churn_by_nps_group, churn_model,
                       customers_moved, discounted_payback, format_money, latest_nps_by_customer, payback, scenarios,
                       simulate, tornado, value_at_risk, value_of_moving, wilson_interval)

AGGREGATE = RoiSettings(customers=2000, average_customer_value=12_000, detractor_share=0.25,
                        churn_rate_detractor=0.20, churn_rate_passive=0.10,
                        churn_rate_promoter=0.05, programme_cost=250_000)


def synthetic_customers(n=600, seed=1):
    """Customers whose churn falls with NPS (logit 0.5 - 0.3 * score)."""
    rng = np.random.default_rng(seed)
    score = rng.integers(0, 11, n)
    churn = rng.uniform(size=n) < 1 / (1 + np.exp(-(0.5 - 0.3 * score)))
    customers = pd.DataFrame({"customer_id": [f"C{i}" for i in range(n)],
                              "segment": rng.choice(["SMB", "Enterprise"], n), "region": "EU",
                              "annual_value": 10_000.0, "tenure_years": rng.uniform(0, 8, n),
                              "churned": churn.astype(int)})
    responses = pd.DataFrame({"customer_id": customers["customer_id"], "date": pd.Timestamp("2025-01-01"),
                              "metric": "nps", "score": score.astype(float)})
    return customers, responses


def test_format_money():
    assert format_money(1_234_000) == "€1.2m"
    assert format_money(350_000, "USD") == "$350k"
    assert format_money(-2.5e9, "GBP") == "-£2.5bn"
    assert format_money(float("nan")) == "n/a"


def test_wilson_interval_zero_churn():
    # Wilson upper bound for 0/20: z^2 / (n + z^2) = 3.8415 / 23.8415 = 0.1611
    lo, hi = wilson_interval(0, 20)
    assert lo == 0.0 and hi == pytest.approx(0.1611, abs=1e-4)


def test_latest_nps_by_customer_takes_the_latest_answer():
    r = pd.DataFrame({"customer_id": ["A", "A", "B", None], "metric": ["nps"] * 4,
                      "date": pd.to_datetime(["2025-01-01", "2025-03-01", "2025-02-01", "2025-02-01"]),
                      "score": [3.0, 9.0, 7.0, 10.0]})
    out = latest_nps_by_customer(r).set_index("customer_id")
    assert out.loc["A", "nps_score"] == 9 and out.loc["A", "nps_group"] == "promoter"
    assert list(out.index) == ["A", "B"]


def test_churn_by_group_with_zero_churn_and_no_detractors():
    df = pd.DataFrame({"nps_score": [7, 8, 9, 10, 10], "churned": [0, 0, 0, 0, 0]})
    t = churn_by_nps_group(df).set_index("group")
    assert t.loc["detractor", "customers"] == 0 and np.isnan(t.loc["detractor", "churn_rate"])
    assert t.loc["passive", "churn_rate"] == 0 and t.loc["passive", "ci_low"] == 0
    assert t.loc["promoter", "ci_high"] > 0


def test_bad_churn_value_is_an_input_error():
    with pytest.raises(InputError, match="churned must be 0 or 1"):
        churn_by_nps_group(pd.DataFrame({"nps_score": [3], "churned": ["yes"]}))


def test_value_at_risk_aggregate_and_from_table():
    # 2000 customers x 25% detractors x 12,000 = 6,000,000; range x0.8 / x1.2
    v = value_at_risk(AGGREGATE)
    assert v.value == Range(4_800_000, 6_000_000, 7_200_000)
    df = pd.DataFrame({"nps_group": ["detractor", "detractor", "promoter"],
                       "annual_value": [1000.0, 3000.0, 9000.0]})
    t = value_at_risk(RoiSettings(), df)
    # 2 detractors x their average value 2,000 = 4,000
    assert t.at_risk_customers == 2 and t.value.base == pytest.approx(4000)


def test_value_of_moving_and_goal_value_maths():
    # 40 detractors x (0.25 - 0.10) x 10,000 = 60,000; point rates get x0.8 / x1.2
    assert value_of_moving({"detractor": 0.25, "passive": 0.10}, 40,
                           average_value=10_000) == Range(48_000, 60_000, 72_000)
    # 5 NPS points on 1000 customers: 50 move to passive, or 25 to promoter (counts twice)
    assert customers_moved(5, 1000, 0.3) == 50 and customers_moved(5, 1000, 0.3, "promoter") == 25
    p = dict(customers=1000, detractor_share=0.3, nps_uplift=5, average_value=10_000,
             churn_detractor=0.25, churn_passive=0.10)
    assert annual_goal_value(p) == pytest.approx(75_000)  # 50 x 0.15 x 10,000


def test_no_detractors_and_zero_churn_give_zero_value():
    p = dict(customers=1000, detractor_share=0.0, nps_uplift=5, average_value=10_000,
             churn_detractor=0.25, churn_passive=0.10)
    assert annual_goal_value(p) == 0.0  # nobody left to move
    assert annual_goal_value({**p, "detractor_share": 0.3, "churn_detractor": 0.0,
                              "churn_passive": 0.0}) == 0.0  # nobody churns
    settings = AGGREGATE.model_copy(update={"detractor_share": 0.0})
    a = build_roi(settings, nps_goal=NpsGoal(40, 40, 45))
    assert a.goal_value.annual == Range(0.0, 0.0, 0.0) and a.value_at_risk.value.base == 0
    assert "not paid back" in a.story.paragraphs[-2] or "not paid back" in " ".join(a.story.paragraphs)


def test_negative_trend_values_uplift_over_projection_and_decline_cost():
    # trend falls from 50 to 48: goal 53 is +5 over the projection (not +3 over today)
    a = build_roi(AGGREGATE, nps_goal=NpsGoal(50, 48, 53))
    assert a.goal_value.nps_uplift == pytest.approx(5.0)
    # 5 points x 2000 / 100 = 100 customers x (0.20 - 0.10) x 12,000 = 120,000 a year
    assert a.goal_value.annual.base == pytest.approx(120_000)
    # decline of 2 points: 40 customers x 0.10 x 12,000 = 48,000 a year
    assert a.decline_cost == pytest.approx(48_000)
    assert annual_decline_cost(-3, {"customers": 1, "average_value": 1, "churn_detractor": 1,
                                    "churn_passive": 0}) == 0.0  # a rising trend costs nothing


def test_ranges_scenarios_tornado_simulation():
    a = {"x": Assumption("x", "x", 1, 2, 3, "t"), "c": Assumption("c", "c", 1, 2, 3, "t"),
         "k": Assumption("k", "k", 5, 5, 5, "t")}

    def fn(p):
        return p["x"] * 10 - p["c"] + p["k"]

    # low: x=1, c=3 -> 12; base: 20 - 2 + 5 = 23; high: x=3, c=1 -> 34
    assert scenarios(a, fn)["value"].tolist() == [12.0, 23.0, 34.0]
    t = tornado(a, fn)
    assert t["input"].tolist() == ["x", "c"] and t["swing"].tolist() == [20.0, 2.0]
    s1, s2 = simulate(a, fn, n=2000, seed=3), simulate(a, fn, n=2000, seed=3)
    assert s1 == s2 and 12 <= s1.low <= s1.median <= s1.high <= 34


def test_payback_and_annuity():
    # 1/1.08 + 1/1.08^2 + 1/1.08^3 = 2.5771
    assert annuity_factor(3, 0.08) == pytest.approx(2.5771, abs=1e-4)
    t = payback(100.0, Range(25.0, 50.0, 0.0), 3, 0.0).set_index("scenario")
    # base: pv 150, npv 50, roi 0.5, payback 100 / 50 = 2 years
    assert t.loc["base", "roi"] == pytest.approx(0.5) and t.loc["base", "payback_years"] == 2
    assert t.loc["high", "payback_years"] == np.inf  # zero benefit never pays back


def test_payback_is_discounted_so_it_never_contradicts_the_npv():
    """Undiscounted, 250 / 84 = 2.98 years sat beside a negative three-year NPV on the demo."""
    t = payback(250.0, Range(60.0, 84.0, 130.0), 3, 0.08).set_index("scenario")
    assert t.loc["base", "npv"] < 0 and t.loc["base", "payback_years"] == np.inf
    # high: 130/1.08 = 120.37, + 130/1.08^2 = 111.45 -> 231.82; year 3 adds 103.20: 2 + 18.18 / 103.20
    assert t.loc["high", "payback_years"] == pytest.approx(2 + (250 - 130 / 1.08 - 130 / 1.08 ** 2) / (130 / 1.08 ** 3))
    assert t.loc["high", "npv"] > 0
    for row in t.itertuples():
        assert (row.npv >= 0) == np.isfinite(row.payback_years)
    assert discounted_payback(100.0, 50.0, 3, 0.0) == 2.0 and discounted_payback(100.0, 0.0, 3, 0.1) == np.inf


def test_churn_model_recovers_direction_and_rejects_zero_churn():
    customers, responses = synthetic_customers()
    with_nps = attach_nps(customers, latest_nps_by_customer(responses))
    m = churn_model(with_nps)
    assert m.odds_ratio_per_point < 1 and m.odds_ratio_ci[1] < 1  # true OR exp(-0.3) = 0.74
    pred = m.predicted_by_group.set_index("group")["predicted_churn"]
    assert pred["detractor"] > pred["passive"] > pred["promoter"]
    with pytest.raises(InputError, match="no customer in the table churned"):
        churn_model(with_nps.assign(churned=0))


def test_build_roi_from_customer_table_and_aggregate_only():
    customers, responses = synthetic_customers()
    a = build_roi(RoiSettings(programme_cost=200_000), customers, latest_nps_by_customer(responses),
                  nps_goal=NpsGoal(-20, -22, -15))
    assert a.model is not None and a.assumptions["customers"].base == 600
    assert "allowing for segment and tenure years." in " ".join(a.story.paragraphs)  # listed as a sentence would
    assert a.payback is not None and len(a.story.paragraphs) >= 5
    # the summary page states the value at risk itself, then repeats the goal's worth and the payback
    assert a.story.summary == [a.story.paragraphs[2], next(p for p in a.story.paragraphs if "programme cost" in p)]
    b = build_roi(AGGREGATE)  # no table, no goal
    assert b.basis == "engagement assumptions" and b.goal_value is None and len(b.story.paragraphs) == 2
    assert b.story.summary == b.story.paragraphs[1:]  # the linkage, the only other paragraph
    with pytest.raises(InputError, match="roi.customers"):
        build_roi(RoiSettings())


def test_story_html_escapes():
    a = build_roi(AGGREGATE, nps_goal=NpsGoal(50, 48, 53), currency="USD")
    html = a.story._repr_html_()
    assert "<script" not in html and "$" in html and len(a.story.assumptions) >= 7


def test_roi_charts_return_figures():
    from matplotlib.figure import Figure

    from cxkit.plotting.roi import churn_by_group_chart, range_chart, tornado_chart

    a = build_roi(AGGREGATE, nps_goal=NpsGoal(50, 48, 53))
    # seven passives, none churned: the case whose rounded interval once broke the error bars
    table = churn_by_nps_group(pd.DataFrame({"nps_score": [7] * 7 + [9, 2], "churned": [0] * 7 + [1, 1]}))
    assert table.loc[table["group"] == "passive", "ci_low"].item() == 0.0
    for fig in (tornado_chart(a.tornado), range_chart(a.goal_value.scenarios, simulation=a.simulation),
                churn_by_group_chart(table)):
        assert isinstance(fig, Figure)


def test_without_a_customer_table_the_detractor_share_comes_from_the_nps_answers():
    """8 of 20 customers' latest NPS answers are detractors: share 0.40, shown with its source."""
    answers = pd.DataFrame({"customer_id": [f"c{i}" for i in range(20)],
                            "nps_date": pd.Timestamp("2026-09-01"),
                            "nps_score": [3] * 8 + [8] * 4 + [10] * 8,
                            "nps_group": ["detractor"] * 8 + ["passive"] * 4 + ["promoter"] * 8})
    settings = AGGREGATE.model_copy(update={"detractor_share": None})
    a = build_roi(settings, customers=None, latest_nps=answers)
    assert a.assumptions["detractor_share"].base == pytest.approx(0.40)
    assert "latest NPS of 20 customers" in a.assumptions["detractor_share"].source
    assert a.value_at_risk.at_risk_customers == pytest.approx(2000 * 0.40)
    with pytest.raises(InputError, match="detractor_share"):
        build_roi(settings, customers=None, latest_nps=None)


def test_churn_model_intervals_stay_between_0_and_100_percent():
    # 30 customers, few churners: statsmodels' delta-method interval for the passives'
    # average predicted churn reaches below 0 (checked below, so the test has teeth); the
    # log-odds interval keeps every group's range inside 0..1 around its estimate.
    from cxkit.roi.model import design_matrix, log_odds_interval

    rng = np.random.default_rng(0)
    score = rng.integers(0, 11, 30)
    customers = pd.DataFrame({
        "customer_id": [f"c{i}" for i in range(30)], "nps_score": score.astype(float),
        "churned": (rng.random(30) < np.where(score <= 6, 0.3, 0.08)).astype(int),
        "segment": rng.choice(["A", "B"], 30), "tenure_years": rng.uniform(0.5, 6, 30)})
    m = churn_model(customers)
    passive = m.predicted_by_group.set_index("group").loc["passive"]
    delta = m.result.get_prediction(design_matrix(customers, m.controls).assign(nps_score=passive["score"]),
                                    average=True).summary_frame()
    assert delta["ci_lower"].iloc[0] < 0
    t = m.predicted_by_group
    assert ((t["ci_low"] > 0) & (t["ci_low"] <= t["predicted_churn"]) & (t["predicted_churn"] <= t["ci_high"])
            & (t["ci_high"] < 1)).all()
    # large samples: the same as p +/- 1.96 se (0.30 +/- 1.96 x 0.01 = 0.2804 .. 0.3196)
    assert log_odds_interval(0.30, 0.01) == pytest.approx((0.2804, 0.3196), abs=5e-4)
    assert log_odds_interval(0.0, 0.1) == (0.0, 0.0)


def _answers(ids, scores):
    groups = ["detractor" if s <= 6 else "passive" if s <= 8 else "promoter" for s in scores]
    return pd.DataFrame({"customer_id": ids, "nps_date": pd.Timestamp("2026-09-01"), "nps_score": scores,
                         "nps_group": groups})


@pytest.mark.parametrize("table", [False, True])
@pytest.mark.parametrize("answers", ["none", "unmatched", "matched"])
@pytest.mark.parametrize("stated", [(), ("customers", "average_customer_value"), ("detractor_share",),
                                    ("churn_rate_detractor", "churn_rate_passive", "churn_rate_promoter"),
                                    tuple(AGGREGATE.model_dump(exclude_none=True))])
def test_build_roi_refuses_exactly_when_figures_are_needed(table, answers, stated):
    """figures_needed is the rule build_roi applies: for every mix of data and stated
    figures, the ROI is built when nothing is needed and refused, naming a needed figure,
    otherwise."""
    from cxkit.roi import figures_needed

    customers, responses = synthetic_customers(60)
    latest = {"none": None, "unmatched": _answers([f"X{i}" for i in range(20)], [3] * 8 + [9] * 12),
              "matched": latest_nps_by_customer(responses)}[answers]
    settings = RoiSettings(**{k: v for k, v in AGGREGATE.model_dump().items() if k in stated})
    customers = customers if table else None
    needed = figures_needed(settings, customers, latest)
    if needed:
        with pytest.raises(InputError) as err:
            build_roi(settings, customers, latest, nps_goal=NpsGoal(10, 8, 15))
        assert all(f"roi.{name}" in str(err.value) for name in needed), "every missing figure is named"
    else:
        a = build_roi(settings, customers, latest, nps_goal=NpsGoal(10, 8, 15))
        assert a.value_at_risk.value.base >= 0 and a.goal_value is not None


def test_a_customer_table_without_nps_gives_the_count_and_value_at_risk():
    """Customers but no NPS answers: the table gives 600 customers at 10,000 each; the stated
    detractor share 0.25 puts 150 at risk, 1.5m a year (it used to demand roi.customers)."""
    customers, _ = synthetic_customers()
    settings = AGGREGATE.model_copy(update={"customers": None, "average_customer_value": None})
    a = build_roi(settings, customers, None)
    assert a.value_at_risk.at_risk_customers == pytest.approx(150)
    assert a.value_at_risk.value.base == pytest.approx(1_500_000)


def test_value_at_risk_from_nps_answers_names_its_basis():
    settings = AGGREGATE.model_copy(update={"detractor_share": None})
    a = build_roi(settings, None, _answers([f"c{i}" for i in range(20)], [3] * 8 + [9] * 12))
    assert a.value_at_risk.basis.startswith("the share of detractors in the latest NPS of 20 customers")


def test_the_churn_model_draws_its_group_rates_together():
    """The three rates come from one fit: their joint draws reproduce each rate's interval
    (delta method on the log-odds scale, as statsmodels' average prediction) and move together."""
    from scipy.special import logit

    customers, responses = synthetic_customers()
    model = churn_model(attach_nps(customers, latest_nps_by_customer(responses)))
    table = model.predicted_by_group.set_index("group")
    se_from_interval = (logit(table["ci_high"]) - logit(table["ci_low"])) / (2 * 1.959964)
    assert np.sqrt(np.diag(model.group_cov)) == pytest.approx(se_from_interval.to_numpy(), rel=1e-6)
    draws = model.draw_group_rates(np.random.default_rng(0), 40_000)
    for group in ("detractor", "passive", "promoter"):
        low, high = np.percentile(draws[f"churn_{group}"], [2.5, 97.5])
        assert (low, high) == pytest.approx((table.loc[group, "ci_low"], table.loc[group, "ci_high"]), abs=0.003)
    assert np.corrcoef(draws["churn_passive"], draws["churn_promoter"])[0, 1] > 0.5


def test_joint_draws_replace_the_independent_ones():
    a = {"x": Assumption("x", "X", 1.0, 2.0, 3.0, "s"), "y": Assumption("y", "Y", 1.0, 2.0, 3.0, "s")}
    together = simulate(a, lambda p: p["x"] - p["y"], n=500, seed=1,
                        joint=lambda rng, n: {"x": np.full(n, 2.5), "y": np.full(n, 2.5), "z": np.zeros(n)})
    assert (together.low, together.high) == (0.0, 0.0)  # x and y drawn as one: their difference is fixed
    apart = simulate(a, lambda p: p["x"] - p["y"], n=500, seed=1)
    assert apart.high - apart.low > 1.0


def test_the_story_says_when_churn_rates_move_together():
    customers, responses = synthetic_customers()
    modelled = build_roi(RoiSettings(programme_cost=200_000), customers, latest_nps_by_customer(responses),
                         nps_goal=NpsGoal(-20, -22, -15))
    assert any("the churn rates move together as the churn model estimates them, every other input on its own"
               in p for p in modelled.story.paragraphs)
    stated = build_roi(AGGREGATE, nps_goal=NpsGoal(50, 48, 53))
    assert not any("move together" in p for p in stated.story.paragraphs)
    assert any("each independently of the others" in p for p in stated.story.paragraphs)


def test_a_decline_the_data_cannot_tell_from_flat_is_not_called_a_trend():
    drift = NpsGoal(20, 18, 26, trend_clear=False)
    a = build_roi(AGGREGATE, nps_goal=drift)
    words = " ".join(a.story.paragraphs)
    assert "cannot yet tell it from flat" in words and "current downward trend" not in words
    clear = build_roi(AGGREGATE, nps_goal=NpsGoal(20, 18, 26, trend_clear=True))
    assert "current downward trend alone costs" in " ".join(clear.story.paragraphs)


def test_a_goal_proposal_says_whether_its_trend_is_clear():
    from types import SimpleNamespace

    made = lambda ci: NpsGoal.from_proposal(SimpleNamespace(current={"value": 20}, projection=18, target=26,  # noqa: E731
                                                            goal_date=None, slope_ci=ci))
    assert made((-1.5, 0.6)).trend_clear is False and made((-1.5, -0.2)).trend_clear is True
    assert made((float("nan"), float("nan"))).trend_clear is None and made(None).trend_clear is None


def test_a_named_control_the_table_lacks_is_refused_but_a_default_one_is_skipped():
    customers = pd.DataFrame({"customer_id": ["a", "b"], "annual_value": [1.0, 2.0], "churned": [0, 1],
                              "segment": ["x", "y"]})
    check_controls(RoiSettings(), customers)  # the default names tenure_years, which this table lacks
    with pytest.raises(InputError, match="not a column") as info:
        check_controls(RoiSettings(controls=["segment", "region"]), customers)
    assert (info.value.column, info.value.found) == ("roi.controls[1]", "region")
