"""Coverage: unheard stages, moments and channels; surveys that crowd one customer."""
from __future__ import annotations

import pandas as pd

from cxkit.journey import coverage, load_fit_rules, load_journey
from cxkit.journey.frequency import over_surveyed_posts, survey_fatigue
from cxkit.journey.responses import place_responses

RULES = load_fit_rules()


def tp(id_: str, stage: str, kind: str = "task", channels=("email",), **extra) -> dict:
    return {"id": id_, "name": id_.replace("_", " ").title(), "stage": stage,
            "channels": list(channels), "owner": "Team", "kind": kind, **extra}


def post(touchpoint: str, metric: str = "ces", **extra) -> dict:
    return {"touchpoint": touchpoint, "metric": metric, "trigger": "after it", "channel": "email", **extra}


def journey(touchpoints, posts, stages=("a", "b", "c")):
    return load_journey({"stages": [{"id": s, "name": s.upper()} for s in stages],
                         "touchpoints": touchpoints, "listening_posts": posts})


def test_empty_stage_unheard_stage_moment_and_channel():
    j = journey([tp("setup", "a", moment_that_matters=True, channels=["chat"]),
                 tp("help", "b", channels=["email"])],
                [post("help")])
    cov = coverage(j)
    gaps = cov.gaps
    # stage a has a touchpoint but no post; stage c has no touchpoints at all
    assert gaps.loc[gaps["gap"] == "stage_unheard", "stage"].tolist() == ["a", "c"]
    assert gaps.loc[gaps["gap"] == "moment_unheard", "touchpoint"].tolist() == ["setup"]
    assert gaps.loc[gaps["gap"] == "channel_unheard", "channel"].tolist() == ["chat"]
    assert cov.findings["check"].tolist() == ["empty_stage"]
    stages = cov.stages.set_index("stage")
    assert stages.loc["c", "touchpoints"] == 0 and not stages.loc["c", "heard"]
    assert stages["responses"].isna().all()  # no survey data: counts are NA, not 0


def test_plan_only_coverage_says_what_is_missing():
    j = journey([tp("setup", "a")], [post("setup")], stages=("a",))
    cov = coverage(j)
    assert cov.fatigue is None
    assert any("No survey data" in s for s in cov.summary())
    assert cov.gaps.empty


def test_duplicate_names_reported_and_not_matched():
    j = journey([tp("one", "a", name="Call"), tp("two", "b", name="call")], [post("one")])
    resp = pd.DataFrame({"response_id": ["1", "2"], "touchpoint": ["Call", "two"], "metric": "ces"})
    placed = place_responses(j, resp)
    # "Call" is ambiguous between two touchpoints, so it matches neither; "two" matches by id
    assert placed["touchpoint"].isna().tolist() == [True, False]
    checks = coverage(j, resp.assign(date=pd.Timestamp("2025-01-01"), customer_id="c")).findings["check"]
    assert set(checks) >= {"duplicate_touchpoint_name", "unmatched_touchpoint"}


def test_same_touchpoint_posts_within_window():
    # relationship survey at 30 and 40 days after the same trigger: 10 days apart <= 14
    j = journey([tp("review", "a", kind="relationship")],
                [post("review", "nps", timing_days=30), post("review", "nps", timing_days=40),
                 post("review", "nps", timing_days=90)], stages=("a",))
    pairs = over_surveyed_posts(j, RULES)
    assert pairs[["gap_days", "basis"]].values.tolist() == [[10, "same touchpoint"]]


def test_typical_days_make_the_check_exact():
    # sends: 0+0 = day 0, 10+2 = day 12 (gap 12, flagged), 40+0 = day 40 (gap 28 from 12, not)
    j = journey([tp("x", "a", typical_day=0), tp("y", "b", typical_day=10), tp("z", "c", typical_day=40)],
                [post("x"), post("y", timing_days=2), post("z")])
    pairs = over_surveyed_posts(j, RULES)
    assert pairs[["first_touchpoint", "second_touchpoint", "gap_days"]].values.tolist() == [["x", "y", 12]]


def test_consecutive_touchpoints_assumed_and_quarantine():
    # no typical_day: consecutive touchpoints x -> y are assumed to be reached the same day;
    # "far" is two touchpoints after y (mid, with no post, sits between), so it is not compared
    j = journey([tp("x", "a"), tp("y", "a"), tp("mid", "b"), tp("far", "c")],
                [post("x"), post("y"), post("far")])
    pairs = over_surveyed_posts(j, RULES)
    assert pairs[["first_touchpoint", "second_touchpoint", "fix_touchpoint"]].values.tolist() == [["x", "y", "y"]]
    # order unknown, so one quarantine is not enough: the other post is named as the fix
    j = journey([tp("x", "a"), tp("y", "a")], [post("x"), post("y", quarantine_days=30)])
    assert over_surveyed_posts(j, RULES)["fix_touchpoint"].tolist() == ["x"]
    j = journey([tp("x", "a"), tp("y", "a")], [post("x", quarantine_days=14), post("y", quarantine_days=30)])
    assert over_surveyed_posts(j, RULES).empty


def test_questions_on_one_trigger_are_one_invitation():
    # CSAT and CES both sent when the chat closes: one survey with two questions, not two
    j = journey([tp("chat", "a", kind="interaction")],
                [post("chat", "csat", trigger="chat closed"), post("chat", "ces", trigger="Chat closed"),
                 post("chat", "nps", trigger="a week later", timing_days=7)], stages=("a",))
    pairs = over_surveyed_posts(j, RULES)
    assert pairs[["first_metric", "second_metric", "gap_days"]].values.tolist() == [["csat+ces", "nps", 7]]
    summary = " ".join(coverage(j).summary())
    assert "1 pair of surveys in the plan reaches the same customer within 14 days" in summary


def test_survey_fatigue_by_hand():
    # customer a: days 0 and 10 (within 14) -> flagged; b: days 0 and 20 -> not; c: one response.
    # 1 of 3 customers -> share 1/3. Response 1 has two metric rows; it counts once.
    resp = pd.DataFrame({
        "customer_id": ["a", "a", "a", "b", "b", "c"],
        "response_id": ["1", "1", "2", "3", "4", "5"],
        "date": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-11", "2025-01-01", "2025-01-21", "2025-01-01"]),
        "touchpoint": ["x", "x", "y", "x", "y", "x"], "touchpoint_label": ["x", "x", "y", "x", "y", "x"],
    })
    fatigue = survey_fatigue(resp, 14)
    assert (fatigue.customers, fatigue.customers_asked_too_often) == (3, 1)
    assert abs(fatigue.share - 1 / 3) < 1e-12
    assert fatigue.pairs.values.tolist() == [["x", "y", 1]]
    assert "more than the 10%" in fatigue.sentence(0.10)


def test_coverage_with_responses_counts_and_undeclared_posts():
    j = journey([tp("x", "a"), tp("y", "b", channels=["chat"])], [post("x")], stages=("a", "b"))
    resp = pd.DataFrame({"response_id": ["1", "2", "3"], "customer_id": ["c1", "c2", "c3"],
                         "date": pd.to_datetime(["2025-01-01"] * 3), "touchpoint": ["x", "X ", "y"],
                         "channel": ["email", "email", "chat"], "metric": "ces", "score": 5.0})
    cov = coverage(j, resp)
    # "X " matches x after trimming and ignoring case: 2 responses at x, 1 at y
    assert cov.touchpoints.set_index("touchpoint")["responses"].to_dict() == {"x": 2, "y": 1}
    assert cov.channels.set_index("channel").loc["chat", "responses"] == 1
    assert "undeclared_listening_post" in set(cov.findings["check"])
    assert cov.fatigue is not None and cov.fatigue.customers_asked_too_often == 0


def test_html_is_escaped():
    j = journey([tp("x", "a", name="<script>alert(1)</script>", moment_that_matters=True)], [], stages=("a",))
    html = coverage(j)._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_gap_sentences_count_stages_in_words():
    from cxkit.journey.coverage import _gap_sentences

    one = pd.DataFrame({"gap": ["stage_unheard"], "stage": ["a"], "touchpoint": [None], "channel": [None]})
    two = pd.concat([one, one.assign(stage="b")])
    assert _gap_sentences(one, {"a": "Discover"})[0] == "Customers are never asked anything in the 'Discover' stage."
    assert _gap_sentences(two, {})[0].endswith("stages.")


def test_channels_read_as_words_in_sentences():
    """Codes such as 'sms' and 'api' stay in the data; readers see SMS and API integration."""
    j = journey([tp("setup", "a", channels=["sms", "api"]), tp("help", "b", channels=["email"])], [post("help")])
    cov = coverage(j)
    messages = cov.gaps.loc[cov.gaps["gap"] == "channel_unheard", "message"].tolist()
    assert messages == ["No touchpoint reached by SMS has a listening post.",
                        "No touchpoint reached by API integration has a listening post."]
    assert any("by SMS and API integration are never surveyed" in s for s in cov.summary())
