"""Scoring, perception gaps, progress and roadmap on hand-built cases.

The tiny framework has three levels and two elements: ``a`` (statements a2x, a2y at
level 2 and a3x at level 3) and ``b`` (b2x at level 2, b3x at level 3), b depending on a.
Rule under test (cxkit.maturity.levels): a respondent reaches level L when every level
2..L has mean agreement >= 3.5; the element level is the median across respondents.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from cxkit.errors import InputError
from cxkit.maturity import (element_by_department, framework_from_mapping, perception_gaps, progress,
                            roadmap, score)

TINY = {
    "id": "tiny", "name": "Tiny", "levels": [
        {"level": 1, "name": "Start"}, {"level": 2, "name": "Middle"}, {"level": 3, "name": "Top"}],
    "elements": [
        {"id": "a", "name": "Alpha", "levels": [
            {"level": 1, "description": "a1"},
            {"level": 2, "description": "a2", "statements": [{"id": "a2x", "text": "x"}, {"id": "a2y", "text": "y"}]},
            {"level": 3, "description": "a3", "statements": [{"id": "a3x", "text": "x"}]}],
         "transitions": [{"from": 1, "to": 2, "focus_areas": ["A focus"], "steps": ["A step"]}]},
        {"id": "b", "name": "Beta", "depends_on": ["a"], "levels": [
            {"level": 1, "description": "b1"},
            {"level": 2, "description": "b2", "statements": [{"id": "b2x", "text": "Do b2"}]},
            {"level": 3, "description": "b3", "statements": [{"id": "b3x", "text": "Do b3"}]}]},
    ],
}
ELEMENT = {"a2x": "a", "a2y": "a", "a3x": "a", "b2x": "b", "b3x": "b"}


@pytest.fixture()
def fw():
    return framework_from_mapping(TINY, "tiny.yaml")


def people(*rows):
    return pd.DataFrame(rows, columns=["respondent_id", "name", "role", "department", "is_leadership"])


def answers(rows: dict[str, dict[str, int | None]]) -> pd.DataFrame:
    recs = [(rid, ELEMENT[sid], sid, v) for rid, ans in rows.items() for sid, v in ans.items()]
    out = pd.DataFrame(recs, columns=["respondent_id", "element", "statement_id", "agreement"])
    out["agreement"] = out["agreement"].astype("Int64")
    return out


P3 = people(("r1", "A", "CEO", "Exec", True), ("r2", "B", "Agent", "Support", False),
            ("r3", "C", "Agent", "Support", False))


def test_single_respondent(fw):
    # r1: a L2 mean (4+3)/2 = 3.5 >= 3.5 -> 2; a L3 = 4 -> 3. b L2 = 3 < 3.5 -> 1.
    s = score(fw, answers({"r1": {"a2x": 4, "a2y": 3, "a3x": 4, "b2x": 3, "b3x": 5}}), P3)
    el = s.elements.set_index("element")
    assert el.loc["a", "level"] == 3 and el.loc["b", "level"] == 1   # b: L3 agreement ignored (cumulative)
    assert el.loc["a", "n_respondents"] == 1 and el.loc["a", "spread"] == 0
    assert s.overall_level == 2.0                                  # median(3, 1) = 2
    assert s.stage_name == "Middle" and s.weakest == ["b"]


def test_ties_give_half_levels_and_all_weakest(fw):
    # a: r1 -> 3, r2 -> 2 (L3 = 2): median 2.5, min 2, max 3, IQR = 2.75 - 2.25 = 0.5
    # b: r1 -> 3, r2 -> 2 (b3x = 1): median 2.5 -> a and b tie as weakest
    s = score(fw, answers({"r1": {"a2x": 5, "a2y": 5, "a3x": 5, "b2x": 4, "b3x": 4},
                           "r2": {"a2x": 4, "a2y": 4, "a3x": 2, "b2x": 4, "b3x": 1}}), P3)
    el = s.elements.set_index("element")
    assert el.loc["a", "level"] == 2.5 and (el.loc["a", "level_min"], el.loc["a", "level_max"]) == (2, 3)
    assert el.loc["a", "spread"] == pytest.approx(0.5)
    assert s.weakest == ["a", "b"]
    assert s.stage_name == "Middle"                                # 2.5 rounds down to level 2


def test_dont_know_is_ignored_and_unjudged_level_stops_the_climb(fw):
    # r1 a: L2 = mean(4) = 4 (a2y don't know) -> 2; a3x don't know -> stays 2.
    s = score(fw, answers({"r1": {"a2x": 4, "a2y": None, "a3x": None, "b2x": 5}}), P3)
    el = s.elements.set_index("element")
    assert el.loc["a", "level"] == 2 and el.loc["a", "n_answers"] == 1
    assert el.loc["b", "level"] == 2                                # b3x unanswered -> stops at 2


def test_missing_element_is_reported_not_scored(fw):
    s = score(fw, answers({"r1": {"a2x": 4, "a2y": 4}}), P3)
    el = s.elements.set_index("element")
    assert math.isnan(el.loc["b", "level"]) and el.loc["b", "n_respondents"] == 0
    assert s.missing == ["b"] and s.weakest == ["a"] and s.overall_level == 2
    assert any("Nobody rated Beta" in line for line in s.summary())


@pytest.mark.parametrize("change, column, found", [
    ({"element": "zeta"}, "element", "zeta"),
    ({"statement_id": "a9x"}, "statement_id", "a9x"),
    ({"element": "b"}, "element", "b"),                            # a2x filed under the wrong element
    ({"respondent_id": "ghost"}, "respondent_id", "ghost"),
])
def test_unknown_ids_raise_clear_errors(fw, change, column, found):
    frame = answers({"r1": {"a2x": 4}})
    for key, value in change.items():
        frame[key] = value
    frame["file_row"] = [7]
    with pytest.raises(InputError) as err:
        score(fw, frame, P3)
    assert (err.value.column, err.value.found, err.value.row) == (column, found, 7)


def test_no_answers_at_all(fw):
    with pytest.raises(InputError, match="no intake answers"):
        score(fw, answers({"r1": {"a2x": None}}), P3)


def test_perception_gaps_flag_one_and_a_half_levels(fw):
    # a: leader r1 -> 3; frontline r2 -> 1 (a2 mean 2), r3 -> 2 (a2 mean 4, a3 = 3): frontline median 1.5
    # gap 3 - 1.5 = 1.5 -> flagged. Departments: Exec 3 vs Support 1.5 -> 1.5 flagged.
    # b: everyone 2 -> gap 0.
    ans = answers({"r1": {"a2x": 5, "a2y": 5, "a3x": 5, "b2x": 4, "b3x": 2},
                   "r2": {"a2x": 2, "a2y": 2, "a3x": 1, "b2x": 4, "b3x": 2},
                   "r3": {"a2x": 4, "a2y": 4, "a3x": 3, "b2x": 4, "b3x": 2}})
    gaps = perception_gaps(fw, ans, P3)
    flagged = gaps[gaps["flagged"]]
    assert len(flagged) == 2 and set(flagged["element"]) == {"a"}
    lead = flagged[flagged["comparison"] == "leadership vs frontline"].iloc[0]
    assert (lead["higher_group"], lead["higher_level"], lead["lower_level"], lead["gap"]) == ("leadership", 3, 1.5, 1.5)
    assert any("leadership put it at level 3" in s and "frontline at level 1.5" in s for s in gaps.summary())
    assert "one person's view" in gaps.summary()[-1]  # the one leader (n=1) is flagged as such
    assert "&lt;" not in gaps._repr_html_() and "<table" in gaps._repr_html_()
    wide = element_by_department(fw, ans, P3)
    assert wide.loc["Alpha", "Exec"] == 3 and wide.loc["Alpha", "Support"] == 1.5


def test_progress_per_element(fw):
    before = answers({"r1": {"a2x": 2, "a2y": 2, "b2x": 4}})      # a 1, b 2
    now = answers({"r1": {"a2x": 4, "a2y": 4, "b2x": 4}})         # a 2, b 2
    table = progress(fw, now, before, P3).set_index("element")
    assert table.loc["a", "change"] == 1 and table.loc["a", "direction"] == "up"
    assert table.loc["b", "direction"] == "unchanged"
    assert progress(fw, now, before, P3).summary()[0].startswith("1 element moved up")


def test_roadmap_orders_prerequisites_first(fw):
    # a and b both at level 1: a first (b depends on it); b waits for a to reach 2 -> this year.
    s = score(fw, answers({"r1": {"a2x": 1, "a2y": 1, "b2x": 1}}), P3)
    plan = roadmap(fw, s)
    t = plan.table
    assert t["element"].tolist() == ["a", "b"] and t["horizon"].tolist() == ["this quarter", "this year"]
    assert t.loc[0, "focus_areas"] == ["A focus"] and t.loc[0, "steps"] == ["A step"]
    assert t.loc[1, "focus_areas"] == ["b2"] and t.loc[1, "steps"] == ["Do b2"]   # fallback: next level
    assert "waits for Alpha" in t.loc[1, "reason"]
    assert {"horizon", "element", "from_level", "to_level", "focus_areas", "steps", "reason"} <= set(t.columns)


def test_roadmap_priorities_follow_the_plan_when_the_laggard_waits(fw):
    # b lags most (level 1) but waits for a (median of 2 and 1 = 1.5) to reach level 2, so a
    # comes first this quarter and b this year; the priority column reads 1, 2 in that order.
    s = score(fw, answers({"r1": {"a2x": 4, "a2y": 4, "a3x": 1, "b2x": 1},
                           "r2": {"a2x": 1, "a2y": 1, "a3x": 1, "b2x": 1}}), P3)
    t = roadmap(fw, s).table
    assert t["element"].tolist() == ["a", "b"] and t["horizon"].tolist() == ["this quarter", "this year"]
    assert t["priority"].tolist() == [1, 2]


def test_roadmap_skips_top_level_and_escapes_html(fw):
    evil = {**TINY, "name": "<script>x</script>"}
    fw2 = framework_from_mapping(evil, "tiny.yaml")
    s = score(fw2, answers({"r1": {"a2x": 5, "a2y": 5, "a3x": 5, "b2x": 1}}), P3)
    plan = roadmap(fw2, s)
    assert plan.table["element"].tolist() == ["b"] and plan.at_top == ["a"]
    html = plan._repr_html_() + s._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def _climb_oracle(answers, index, max_level):
    """The rule written out one respondent and element at a time."""
    out = {}
    rated = answers.dropna(subset=["agreement"])
    for (rid, element), group in rated.groupby(["respondent_id", "element"]):
        by_level = group.groupby(group["statement_id"].map(lambda s: index[s][1]))["agreement"].mean()
        level = 1
        for candidate in range(2, max_level + 1):
            if candidate not in by_level or by_level[candidate] < 3.5:
                break
            level = candidate
        out[(str(rid), str(element))] = level
    return out


@pytest.mark.parametrize("seed", range(6))
def test_vectorised_levels_follow_the_rule(fw, seed):
    import numpy as np

    from cxkit.maturity.levels import respondent_levels

    rng = np.random.default_rng(seed)
    index = fw.statement_index()
    statements = list(index)
    rows = [{"respondent_id": f"r{r}", "element": index[s][0], "statement_id": s,
             "agreement": rng.choice([1, 2, 3, 4, 5, 4, 5, None])}
            for r in range(6) for s in statements if rng.random() < 0.7]
    answers = pd.DataFrame(rows)
    got = respondent_levels(fw, answers)
    expected = _climb_oracle(answers, index, fw.max_level)
    assert dict(zip(zip(got["respondent_id"], got["element"]), got["level"])) == expected


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("by", ["department", "is_leadership"])
def test_levels_by_group_in_one_pass_match_each_group_alone(fw, seed, by):
    """The grouped aggregation gives, group by group, what aggregating each group alone gives."""
    import numpy as np

    from cxkit.maturity import levels_by_group
    from cxkit.maturity.levels import aggregate_levels, respondent_levels

    rng = np.random.default_rng(seed)
    index = fw.statement_index()
    staff = people(*[(f"r{r}", f"N{r}", "x", rng.choice(["Exec", "Support", "Sales"]), bool(rng.random() < 0.3))
                     for r in range(9)])
    rows = {f"r{r}": {s: rng.choice([1, 2, 3, 4, 5, None]) for s in index if rng.random() < 0.8} for r in range(9)}
    given = answers(rows)
    got = levels_by_group(fw, given, staff, by=by)
    per = respondent_levels(fw, given).merge(staff[["respondent_id", by]], on="respondent_id")
    for key, part in per.groupby(by, sort=True):
        alone = aggregate_levels(fw, part)
        mine = got[got["group"] == key].drop(columns="group").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone, check_dtype=False)
    assert got["group"].drop_duplicates().tolist() == sorted(per[by].unique())
