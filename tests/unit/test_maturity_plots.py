"""Maturity charts return Figures with the expected content, and stage models score end to end."""
from __future__ import annotations

import pandas as pd

from cxkit.maturity import load_framework, roadmap, score
from cxkit.plotting.maturity import heatmap, radar


def _scores(framework_id: str, agreement_by_level: dict[int, int]):
    fw = load_framework(framework_id)
    rows = [("r1", el, sid, agreement_by_level[lv]) for sid, (el, lv) in fw.statement_index().items()]
    ans = pd.DataFrame(rows, columns=["respondent_id", "element", "statement_id", "agreement"])
    people = pd.DataFrame([("r1", "A", "Lead", "Ops", True)],
                          columns=["respondent_id", "name", "role", "department", "is_leadership"])
    return fw, score(fw, ans, people)


def test_radar_and_heatmap():
    fw, s = _scores("nine_element", {2: 5, 3: 4, 4: 2, 5: 1})     # every element reaches level 3
    assert set(s.elements["level"]) == {3.0}
    wide = pd.DataFrame({"Ops": [3.0] * 8 + [float("nan")], "Sales": [2.5] * 9},
                        index=s.elements["element_name"])
    fig = radar(s, wide)
    assert len(fig.axes[0].get_lines()) == 3                      # two departments + overall
    fig2 = heatmap(wide)
    texts = [t.get_text() for t in fig2.axes[0].texts]
    assert texts.count("2.5") == 9 and texts.count("–") == 1 and texts.count("3") == 8
    assert tuple(fig2.get_size_inches())[0] == 8.0


def test_stage_model_roadmap_falls_back_to_next_level_statements():
    fw, s = _scores("four_stage", {2: 4, 3: 2, 4: 1})             # every dimension at stage 2
    assert s.stage_name == "Data-driven insights"
    plan = roadmap(fw, s)
    first = plan.table.iloc[0]
    element = fw.element(first["element"])
    assert first["steps"] == [st.text for st in element.level(3).statements]
