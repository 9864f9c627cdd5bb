"""Measured journey, friction map and recommendations, through the real metric engine.

Expected values are worked out by hand in the comments: top-2-box is the share of
scores in the top two points of the scale (DOMAIN.md section 4), 6-7 of a 1-7 CES and
4-5 of a 1-5 CSAT/PSAT. Default sample rules: small below 30, withheld below 10.
"""
from __future__ import annotations

import pandas as pd
import pytest

from cxkit.errors import InputError
from cxkit.journey import (
    coverage, friction, load_journey, measured, measured_sentences, metric_fit,
    recommendation_sentences, recommendations, stage_curve,
)


def the_journey():
    tp = lambda i, s, k, **e: {"id": i, "name": i.upper(), "stage": s, "channels": ["email", "chat"],
                               "owner": "Team", "kind": k, **e}
    return load_journey({
        "stages": [{"id": "a", "name": "Start"}, {"id": "b", "name": "Later"}],
        "touchpoints": [tp("x", "a", "task"), tp("w", "a", "product_use"),
                        tp("y", "b", "interaction"), tp("z", "b", "relationship"), tp("v", "b", "task")],
        "listening_posts": [
            {"touchpoint": "x", "metric": "ces", "trigger": "t", "channel": "email"},
            {"touchpoint": "y", "metric": "csat", "trigger": "t", "channel": "email"},
            {"touchpoint": "z", "metric": "nps", "trigger": "t", "channel": "email", "timing_days": 30},
            {"touchpoint": "v", "metric": "ces", "trigger": "t", "channel": "email", "timing_days": 60},
        ],
    })


def rows(touchpoint, metric, scores, lo, hi, channel="email", start=0):
    return pd.DataFrame({
        "response_id": [f"{touchpoint}{start + i}" for i in range(len(scores))],
        "date": pd.Timestamp("2025-01-01"), "customer_id": [f"c{touchpoint}{start + i}" for i in range(len(scores))],
        "contact_id": [f"k{touchpoint}{start + i}" for i in range(len(scores))],
        "touchpoint": touchpoint, "channel": channel, "segment": "all", "metric": metric,
        "score": [float(s) for s in scores], "scale_min": lo, "scale_max": hi,
    })


@pytest.fixture()
def responses():
    return pd.concat([
        rows("x", "ces", [7] * 20, 1, 7, channel="chat"),                       # 100% easy, mean 7
        rows("x", "ces", [6] * 10 + [3] * 10, 1, 7, channel="email", start=20),  # 50% easy, mean 4.5
        rows("w", "psat", [4] * 15 + [1] * 15, 1, 5),                           # 50%, n=30
        rows("y", "csat", [5] * 6 + [1] * 6, 1, 5),                             # 50%, n=12: small
        rows("z", "nps", [10] * 5, 0, 10),                                      # n=5: withheld
    ], ignore_index=True)


def test_measured_scores_by_hand(responses):
    m = measured(the_journey(), responses).set_index(["touchpoint", "metric"])
    # x: 30 of 40 CES scores are 6-7 -> 75%; mean (20*7 + 10*6 + 10*3)/40 = 5.75
    assert m.loc[("x", "ces"), "value"] == pytest.approx(75.0)
    assert m.loc[("x", "ces"), "mean"] == pytest.approx(5.75)
    assert (m.loc[("x", "ces"), "n"], m.loc[("x", "ces"), "status"]) == (40, "ok")
    assert m.loc[("x", "ces"), "ci_low"] < 75 < m.loc[("x", "ces"), "ci_high"]
    # y: 6 of 12 -> 50%, small sample, greyed
    assert m.loc[("y", "csat"), "value"] == pytest.approx(50.0)
    assert m.loc[("y", "csat"), "status"] == "small" and m.loc[("y", "csat"), "greyed"]
    # z: 5 responses -> withheld, no value
    assert m.loc[("z", "nps"), "status"] == "withheld" and pd.isna(m.loc[("z", "nps"), "value"])
    # w: answered but no declared post; v: declared but silent
    assert not m.loc[("w", "psat"), "declared"] and "without a declared post" in m.loc[("w", "psat"), "note"]
    assert m.loc[("v", "ces"), "status"] == "no_data" and m.loc[("v", "ces"), "n"] == 0


def test_stage_curve_is_n_weighted(responses):
    j = the_journey()
    curve = stage_curve(j, measured(j, responses)).set_index("stage")
    # stage a: (75*40 + 50*30) / 70 = 64.2857; stage b: only y (50, n=12), z is withheld
    assert curve.loc["a", "score_index"] == pytest.approx(4500 / 70)
    assert curve.loc["b", "score_index"] == pytest.approx(50.0)
    assert curve.loc["b", "n"] == 12


def test_measured_without_data_lists_the_plan():
    j = the_journey()
    m = measured(j, None)
    # four declared posts plus w, which has no post: status not_asked
    assert m["status"].tolist() == ["no_data", "not_asked", "no_data", "no_data", "no_data"]
    assert m["n"].sum() == 0 and m["greyed"].all()
    assert "no usable survey scores" in measured_sentences(m)[0]
    assert stage_curve(j, m)["score_index"].isna().all()


def test_friction_by_stage_channel_and_reason(responses):
    contacts = pd.DataFrame({
        "contact_id": [f"kx{i}" for i in range(40)],
        "contact_reason": ["billing"] * 20 + ["bug"] * 20,
        "wait_minutes": [10.0] * 20 + [2.0] * 20,
    })
    fr = friction(the_journey(), responses, contacts)
    assert fr.metric == "ces"
    cells = fr.by_stage_channel.set_index("channel")
    # chat: 20 of 20 easy -> 100%, mean 7; email: 10 of 20 -> 50%, mean 4.5 (both n=20: small)
    assert cells.loc["chat", "value"] == pytest.approx(100.0) and cells.loc["chat", "mean"] == pytest.approx(7.0)
    assert cells.loc["email", "value"] == pytest.approx(50.0) and cells.loc["email", "mean"] == pytest.approx(4.5)
    assert set(cells["status"]) == {"small"} and set(fr.by_stage_channel["stage_name"]) == {"Start"}
    reasons = fr.by_contact_reason.set_index("contact_reason")
    # kx0..kx19 are the chat responses (billing), kx20..kx39 the email ones (bug)
    assert reasons.loc["billing", "value"] == pytest.approx(100.0)
    assert reasons.loc["bug", "value"] == pytest.approx(50.0)
    assert reasons.loc["billing", "wait_minutes"] == pytest.approx(10.0)
    assert any("'Start' via email" in s for s in fr.summary())
    assert "<table" in fr._repr_html_()


def test_friction_falls_back_to_csat_and_reports_missing_parts(responses):
    no_ces = responses[responses["metric"] != "ces"]
    fr = friction(the_journey(), no_ces)
    assert fr.metric == "csat"
    assert fr.summary()[0].startswith("The survey data has no effort")
    assert any("No contacts table" in s for s in fr.summary())
    empty = friction(the_journey(), None)
    assert empty.metric is None and empty.by_stage_channel.empty
    assert "No survey data" in empty.summary()[0]


def test_friction_names_a_missing_contacts_column(responses):
    with pytest.raises(InputError) as err:
        friction(the_journey(), responses, pd.DataFrame({"contact_id": ["kx0"], "reason": ["x"]}))
    assert err.value.column == "contact_reason"
    assert err.value.file == "operations/contacts.csv"


def gappy_journey():
    tp = lambda i, s, k, **e: {"id": i, "name": i.upper(), "stage": s, "channels": ["email"],
                               "owner": "Team", "kind": k, **e}
    return load_journey({
        "stages": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"}],
        "touchpoints": [tp("s", "a", "interaction"), tp("t", "a", "task"),
                        tp("r", "b", "relationship", moment_that_matters=True)],
        "listening_posts": [
            {"touchpoint": "s", "metric": "nps", "trigger": "case closed", "channel": "email",
             "after_support_contact": True},
            {"touchpoint": "t", "metric": "csat", "trigger": "done", "channel": "email"},
        ],
    })


def test_recommendations_ranked_by_rule_priority():
    j = gappy_journey()
    cov = coverage(j)
    recs = recommendations(j, cov, metric_fit(j), measured(j, None))
    got = recs[["rank", "action", "touchpoint", "metric", "priority"]].values.tolist()
    # priorities from fit_rules.yaml: nps_after_support 90; moment_unheard 80 + moment bonus 5;
    # metric_misfit 70 (drop) and 69 for the replacing add; empty stage c 60. The s/t pair
    # crowding one customer (50) is dropped because t's CSAT is already dropped.
    assert got == [
        [1, "move", "s", "nps", 90],
        [2, "add", "r", "nps", 85],
        [3, "drop", "t", "csat", 70],
        [4, "add", "s", "csat", 69],
        [5, "add", "t", "ces", 69],
        [6, "add", None, None, 60],
    ]
    assert recs.loc[0, "target_touchpoint"] == "r"
    assert recs.loc[5, "stage"] == "c"
    sentences = recommendation_sentences(recs)
    assert sentences[0] == "We recommend 6 changes to the listening plan: 4 to add, 1 to move, 1 to drop."
    # the most urgent follow as list items that name their rank in words, not as "1." inside a bullet
    assert [s.split(":")[0] for s in sentences[1:]] == ["Priority 1", "Priority 2", "Priority 3"]


def test_recommendations_flag_silent_posts(responses):
    j = the_journey()
    recs = recommendations(j, coverage(j, responses), metric_fit(j), measured(j, responses))
    silent = recs[recs["reason"].str.contains("drew no responses")]
    assert silent[["action", "touchpoint", "metric"]].values.tolist() == [["move", "v", "ces"]]


def test_responses_naming_no_touchpoint_say_so(responses):
    """A survey without a touchpoint column: no stage-by-channel table and no score, but
    sentences that say why (it used to fail on the empty selection's missing scale)."""
    j = the_journey()
    unplaced = responses.assign(touchpoint=pd.NA)
    f = friction(j, unplaced)
    assert f.metric == "ces" and f.by_stage_channel.empty
    assert any("name a touchpoint of the journey map" in s for s in f.summary())
    m = measured(j, unplaced)
    assert (m["n"] == 0).all()
    assert "columns.touchpoint" in measured_sentences(m, surveyed=True)[0]
    findings = coverage(j, unplaced).findings
    assert f"{unplaced['response_id'].nunique()} responses do not say which touchpoint" in " ".join(findings["message"])
    assert "'(blank)'" not in " ".join(findings["message"])


def test_a_journey_whose_every_score_is_withheld_says_so(responses):
    m = measured(the_journey(), responses[responses["touchpoint"] == "z"])  # 5 NPS answers: withheld
    assert "too few answers (1 withheld)" in measured_sentences(m, surveyed=True)[0]


def test_customers_asked_twice_at_one_touchpoint_are_told_so_in_plain_words():
    """The fatigue advice names one touchpoint once when the repeated survey is the same one."""
    j = the_journey()
    first = rows("z", "nps", [9] * 20, 0, 10)
    again = first.assign(response_id=first["response_id"] + "b", date=pd.Timestamp("2025-01-06"))
    recs = recommendations(j, coverage(j, pd.concat([first, again], ignore_index=True)), metric_fit(j),
                           measured(j, None))
    advice = " ".join(recs["reason"])
    assert "20 customers answered a survey at 'Z' twice within 14 days" in advice
    assert "within 14 days of one at 'Z'" not in advice


def test_scores_are_counted_against_the_touchpoints_they_fall_on():
    frame = pd.DataFrame({
        "touchpoint": ["chat", "chat", "phone"], "touchpoint_name": ["Support chat", "Support chat", "Phone"],
        "metric": ["ces", "csat", "csat"], "value": [46.0, 75.0, 73.0], "score_index": [46.0, 75.0, 73.0],
        "status": ["ok", "ok", "ok"], "declared": [True, True, True]})
    # two metrics asked at one touchpoint: three scores on two touchpoints, as an executive counts them
    assert measured_sentences(frame)[0] == "3 scores on 2 touchpoints come from the survey data; " \
        "none rests on a small sample."
    assert measured_sentences(frame.iloc[1:])[0].startswith("2 touchpoint scores come from")
