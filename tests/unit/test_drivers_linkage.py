"""Tests for cxkit.drivers.linkage (operational effects on CSAT / CES)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxkit.drivers.join import join_contacts
from cxkit.drivers.linkage import effect_sentence, operational_effects
from cxkit.errors import InputError


def _joined(n: int = 1500, seed: int = 0) -> pd.DataFrame:
    """Simulated joined rows with planted effects on a 1-5 CSAT.

    csat = 4.3 - 0.30 x transfers - 0.02 x wait_minutes (= -0.20 per 10 min)
           - 0.25 x reopens + 0 x handle_minutes + N(0, 0.6)
    """
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "transfers": rng.poisson(1.0, n).astype(float),
        "wait_minutes": rng.exponential(8.0, n),
        "reopens": rng.binomial(2, .15, n).astype(float),
        "handle_minutes": rng.gamma(4.0, 4.0, n),
    })
    frame["csat"] = (4.3 - .30 * frame["transfers"] - .02 * frame["wait_minutes"]
                     - .25 * frame["reopens"] + rng.normal(scale=.6, size=n))
    frame.attrs["scales"] = {"csat": (1, 5)}
    return frame


def test_recovers_planted_effects_within_interval():
    result = operational_effects(_joined())
    effects = result.effects.set_index("driver")
    assert result.status == "ok"
    for driver, planted in {"transfers": -.30, "wait_minutes": -.20, "reopens": -.25,
                            "handle_minutes": 0.0}.items():
        row = effects.loc[driver]
        assert row["ci_low"] <= planted <= row["ci_high"], driver
    assert effects.loc["transfers", "coefficient"] == pytest.approx(-.30, abs=.05)
    # top-2-box (csat >= 4) share falls with transfers: a negative marginal effect in pp
    assert effects.loc["transfers", "pp_ci_high"] < 0
    assert effects.loc["wait_minutes", "unit"] == "per 10 minutes of waiting"


def test_ranked_by_standardised_effect():
    result = operational_effects(_joined())
    # standardised = |b| x SD(x) / SD(y): transfers .30 x 1 (Poisson(1) SD) beats
    # wait .02 x 8 (exponential(8) SD) = .16 and reopens .25 x ~.5 = ~.13; handle time ~0
    assert result.effects["driver"].tolist()[0] == "transfers"
    assert result.effects["driver"].tolist()[-1] == "handle_minutes"
    assert result.effects["rank"].tolist() == [1, 2, 3, 4]


def test_sentences_read_plainly():
    result = operational_effects(_joined())
    sentence = result.effects.set_index("driver").loc["transfers", "sentence"]
    assert sentence.startswith("Each extra transfer costs about 0.")
    assert "points of CSAT (95% CI" in sentence
    assert "percentage points off the 'satisfied' share" in sentence
    handle = result.effects.set_index("driver").loc["handle_minutes", "sentence"]
    assert "makes no clear difference to CSAT" in handle and "includes zero" in handle
    assert "percentage point" not in handle  # no direction to state, so no share moved "off" or "on"
    assert result.summary()[0].startswith("Based on 1,500 responses")


def test_effect_sentence_for_a_gain():
    row = pd.Series({"driver": "resolved_first_contact", "coefficient": .5, "ci_low": .4,
                     "ci_high": .6, "pp_effect": 12.0})
    assert effect_sentence(row, "ces") == (
        "Resolving the issue at first contact adds about 0.50 points of CES (95% CI 0.40 to "
        "0.60) — about 12 percentage points on the 'easy' share.")


def test_insufficient_data_runs_no_regression():
    result = operational_effects(_joined(n=25))
    assert result.status == "insufficient data"
    assert result.effects.empty
    assert result.summary()[0].startswith("Only 25 responses with CSAT")
    assert "no effects" in result._repr_html_()


def test_insufficient_data_from_a_sparse_join():
    responses = pd.DataFrame({"response_id": ["r1"], "date": pd.to_datetime(["2025-01-02"]),
                              "customer_id": ["c1"], "contact_id": [None], "csat": [4.0]})
    contacts = pd.DataFrame({"contact_id": ["k1"], "customer_id": ["c1"],
                             "opened_at": pd.to_datetime(["2025-01-01"]), "channel": ["phone"],
                             "contact_reason": ["x"], "wait_minutes": [1.0], "transfers": [0],
                             "reopens": [0], "handle_minutes": [5.0],
                             "resolved_first_contact": [1]})
    result = operational_effects(join_contacts(responses, contacts))
    assert result.status == "insufficient data"
    assert "(100% of survey responses could be linked" in result.summary()[0]


def test_constant_driver_is_dropped_with_a_note():
    frame = _joined()
    frame["reopens"] = 0.0
    result = operational_effects(frame)
    assert "reopens" not in result.effects["driver"].tolist()
    assert any("Reopens is the same" in note for note in result.notes)


def test_scale_must_be_known_and_columns_present():
    frame = _joined()
    frame.attrs = {}
    with pytest.raises(InputError):
        operational_effects(frame)
    assert operational_effects(frame, scale=(1, 5)).status == "ok"
    with pytest.raises(InputError):
        operational_effects(frame.drop(columns=["transfers"]), scale=(1, 5))


def test_top_box_model_skipped_when_everyone_is_satisfied():
    frame = _joined()
    frame["csat"] = frame["csat"].clip(lower=4.0)
    result = operational_effects(frame)
    assert result.effects["pp_effect"].isna().all()
    assert any("same side" in note for note in result.notes)


def test_repr_html_is_escaped():
    frame = _joined().rename(columns={"reopens": "<b>reopens</b>"})
    html = operational_effects(
        frame, drivers=("transfers", "<b>reopens</b>"))._repr_html_()
    assert "<b>reopens" not in html and "&lt;b&gt;" in html
