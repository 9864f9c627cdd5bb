"""Tests for cxkit.drivers.shapley (Shapley / general-dominance decomposition of R²)."""
from __future__ import annotations

import itertools
import time

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from cxkit.drivers.quadrants import classify_quadrants
from cxkit.drivers.shapley import key_drivers, shapley_from_subsets, shapley_r2, subset_r2
from cxkit.errors import InputError


def _ols_r2(X: pd.DataFrame, y: pd.Series, columns: list[str]) -> float:
    """R² refitted with statsmodels: an independent check of the correlation shortcut."""
    if not columns:
        return 0.0
    return float(sm.OLS(y, sm.add_constant(X[columns])).fit().rsquared)


def test_two_predictors_by_hand():
    # x1 = [0,0,1,1], x2 = [0,1,1,1], y = [0,1,2,4]; centred sums of squares and products:
    # Sx1x1 = 1, Sx2x2 = 0.75, Sx1x2 = 0.5, Sx1y = 2.5, Sx2y = 1.75, Syy = 8.75.
    # R²(1) = 2.5² / (1 x 8.75) = 5/7;  R²(2) = 1.75² / (0.75 x 8.75) = 7/15.
    # Full model: [[1, .5], [.5, .75]] b = [2.5, 1.75] -> b = (2, 1);
    # R²(1,2) = (2 x 2.5 + 1 x 1.75) / 8.75 = 27/35.
    # share_1 = (R²(1) + R²(1,2) - R²(2)) / 2 = (5/7 + 27/35 - 7/15) / 2 = 107/210
    # share_2 = (R²(2) + R²(1,2) - R²(1)) / 2 = (7/15 + 27/35 - 5/7) / 2 = 55/210
    X = pd.DataFrame({"x1": [0, 0, 1, 1.0], "x2": [0, 1, 1, 1.0]})
    y = pd.Series([0, 1, 2, 4.0])
    shares = shapley_r2(X, y)
    assert shares["x1"] == pytest.approx(107 / 210, abs=1e-12)
    assert shares["x2"] == pytest.approx(55 / 210, abs=1e-12)
    assert shares.sum() == pytest.approx(27 / 35, abs=1e-12)


def test_subset_r2_from_correlations_by_hand():
    # r1y = .6, r2y = .5, r12 = .4: R²(1) = .36, R²(2) = .25,
    # R²(1,2) = (r1y² + r2y² - 2 r1y r2y r12) / (1 - r12²) = (.36 + .25 - .24) / .84 = .37/.84
    corr = np.array([[1, .4, .6], [.4, 1, .5], [.6, .5, 1.0]])
    r2 = subset_r2(corr)
    assert r2 == pytest.approx([0, .36, .25, .37 / .84])
    shares = shapley_from_subsets(r2, 2)
    # share_1 = (.36 + .37/.84 - .25) / 2; share_2 = (.25 + .37/.84 - .36) / 2
    assert shares == pytest.approx([(.36 + .37 / .84 - .25) / 2, (.25 + .37 / .84 - .36) / 2])


def test_three_predictors_match_brute_force_orderings():
    rng = np.random.default_rng(3)
    base = rng.normal(size=(80, 3))
    X = pd.DataFrame({"a": base[:, 0], "b": base[:, 0] * .5 + base[:, 1], "c": base[:, 2]})
    y = pd.Series(1.0 * X["a"] + .5 * X["b"] - .3 * X["c"] + rng.normal(size=80))
    # Shapley value = average over the 3! orderings of each predictor's R² gain on entry,
    # every R² refitted with statsmodels (independent of the correlation-matrix shortcut).
    gains = {c: [] for c in X.columns}
    for order in itertools.permutations(X.columns):
        for i, column in enumerate(order):
            before = list(order[:i])
            gains[column].append(_ols_r2(X, y, before + [column]) - _ols_r2(X, y, before))
    expected = pd.Series({c: np.mean(g) for c, g in gains.items()})
    shares = shapley_r2(X, y)
    assert shares.to_numpy() == pytest.approx(expected[shares.index].to_numpy(), abs=1e-10)
    assert shares.sum() == pytest.approx(_ols_r2(X, y, list(X.columns)), abs=1e-9)


def test_shares_sum_to_r2_for_many_predictors():
    rng = np.random.default_rng(4)
    X = pd.DataFrame(rng.normal(size=(300, 10)), columns=[f"x{i}" for i in range(10)])
    y = pd.Series(X.to_numpy() @ np.linspace(1, .1, 10) + rng.normal(size=300))
    shares = shapley_r2(X, y)
    # the efficiency property of Shapley values: the shares exhaust the full-model R²
    assert shares.sum() == pytest.approx(_ols_r2(X, y, list(X.columns)), abs=1e-9)
    assert (shares > 0).all()


def test_duplicate_predictor_splits_share_evenly():
    # identical columns are interchangeable, so symmetry gives them equal shares;
    # together they carry R² of y on x alone (singular subsets fall back to a pseudo-inverse)
    rng = np.random.default_rng(5)
    x = rng.normal(size=50)
    X = pd.DataFrame({"x": x, "copy": x})
    y = pd.Series(x + rng.normal(size=50))
    shares = shapley_r2(X, y)
    assert shares["x"] == pytest.approx(shares["copy"])
    assert shares.sum() == pytest.approx(_ols_r2(X, y, ["x"]), abs=1e-9)


def test_constant_outcome_and_too_few_rows_are_input_errors():
    X = pd.DataFrame({"a": [1, 2, 3, 4.0]})
    with pytest.raises(InputError):
        shapley_r2(X, pd.Series([3.0, 3, 3, 3]))
    with pytest.raises(InputError):
        shapley_r2(X.iloc[:2], pd.Series([1.0, 2]))


def _survey(n: int = 400, seed: int = 0) -> pd.DataFrame:
    """Simulated 1-5 attribute ratings; speed drives NPS most but is rated lowest."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 4))
    means = {"speed": 2.6, "ease": 4.0, "value": 2.9, "knowledge": 4.1}
    ratings = {f"attr_{k}": np.clip(np.round(m + latent[:, i]), 1, 5)
               for i, (k, m) in enumerate(means.items())}
    frame = pd.DataFrame(ratings)
    nps = (1.2 * frame["attr_speed"] + .8 * frame["attr_ease"] + .15 * frame["attr_value"]
           + .1 * frame["attr_knowledge"] + rng.normal(scale=1.0, size=n))
    frame["nps"] = np.clip(np.round(nps - nps.min()), 0, 10)
    frame.attrs["scales"] = {c: (1, 5) for c in ratings} | {"nps": (0, 10)}
    return frame


def test_key_drivers_ranks_quadrants_and_intervals():
    result = key_drivers(_survey(), outcome="nps", n_boot=100, seed=1)
    table = result.table.set_index("label")
    assert result.status == "ok"
    assert table.index[0] == "speed"  # largest planted weight
    # speed: high importance, lowest mean -> fix first; ease: high/high -> keep
    assert table.loc["speed", "quadrant"] == "fix first"
    assert table.loc["ease", "quadrant"] == "keep"
    assert table["importance"].sum() == pytest.approx(result.r_squared, abs=1e-9)
    assert table["importance_pct"].sum() == pytest.approx(100)
    assert (table["ci_low"] <= table["importance"]).all()
    assert (table["importance"] <= table["ci_high"]).all()
    # top-2-box on 1..5 = share of ratings 4 or 5, checked directly
    assert table.loc["ease", "top2_pct"] == pytest.approx(
        100 * (_survey()["attr_ease"] >= 4).mean())
    assert any("Fix first: speed" in s for s in result.summary())


def test_key_drivers_bootstrap_is_fast_and_reproducible():
    frame = _survey(n=1000)
    rng = np.random.default_rng(9)
    for name in ("price", "docs"):
        frame[f"attr_{name}"] = np.clip(np.round(3 + rng.normal(size=1000)), 1, 5)
    start = time.perf_counter()
    first = key_drivers(frame, outcome="nps", n_boot=200, seed=7)
    elapsed = time.perf_counter() - start
    assert len(first.table) == 6
    assert elapsed < 5.0
    again = key_drivers(frame, outcome="nps", n_boot=200, seed=7)
    pd.testing.assert_frame_equal(first.table, again.table)


def test_key_drivers_attribute_names_and_missing_scale():
    frame = _survey()
    frame.attrs = {}
    result = key_drivers(frame, attributes=["speed", "attr_ease"], n_boot=0)
    assert result.table["attribute"].tolist()[0] == "attr_speed"
    assert result.table["top2_pct"].isna().all()  # scale not declared: never guessed
    assert any("not declared" in note for note in result.notes)
    with pytest.raises(InputError):
        key_drivers(frame, attributes=["speed", "nonexistent"])


def test_key_drivers_insufficient_data():
    result = key_drivers(_survey(n=20), outcome="nps")
    assert result.status == "insufficient data"
    assert result.table.empty
    assert "Only 20" in result.summary()[0]


def test_quadrant_cut_lines_are_medians():
    # importance median of (.4, .3, .2, .1) = .25; performance median of (2, 4, 2, 4) = 3
    imp = pd.Series([.4, .3, .2, .1], index=list("abcd"))
    perf = pd.Series([2.0, 4.0, 2.0, 4.0], index=list("abcd"))
    out = classify_quadrants(imp, perf)
    assert out["quadrant"].tolist() == ["fix first", "keep", "lower priority", "maintain/monitor"]
    assert out["importance_cut"].iloc[0] == pytest.approx(.25)
    assert out["performance_cut"].iloc[0] == pytest.approx(3.0)


def test_repr_html_escapes_client_text():
    frame = _survey().rename(columns={"attr_speed": "attr_<script>x</script>"})
    html = key_drivers(frame, n_boot=0)._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
