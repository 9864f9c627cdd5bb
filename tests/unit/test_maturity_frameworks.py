"""Framework YAML files: the built-ins load and invalid files are named precisely."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cxkit.errors import InputError
from cxkit.maturity import framework_from_mapping, list_frameworks, load_framework
from cxkit.frameworks import BUILTIN_DIR

NINE = ["culture", "employee_experience", "listening", "understanding", "acting", "technology",
        "strategy", "journey_mapping", "leadership"]


def _nine_raw() -> dict:
    return yaml.safe_load((BUILTIN_DIR / "nine_element.yaml").read_text(encoding="utf-8"))


def test_builtins_are_listed_and_load():
    assert {"nine_element", "five_stage", "four_stage"} <= set(list_frameworks())
    for fid in ("nine_element", "five_stage", "four_stage"):
        assert load_framework(fid).id == fid


def test_nine_element_has_all_elements_and_two_statements_per_level():
    fw = load_framework("nine_element")
    assert fw.element_ids == NINE
    assert fw.max_level == 5
    for element in fw.elements:
        assert element.levels[0].statements == []
        assert all(len(lv.statements) == 2 for lv in element.levels[1:])
        assert [t.from_level for t in element.transitions] == [1, 2, 3, 4]  # next-level priorities


def test_voc_transitions_follow_domain_focus_areas():
    # DOMAIN.md section 2: listen 1->2 goals + specific touchpoints; act 3->4 personalisation + automation
    fw = load_framework("nine_element")
    listen = fw.element("listening").transition(1)
    assert [f.lower() for f in listen.focus_areas] == ["goals for collecting feedback", "specific touchpoints"]
    act = fw.element("acting").transition(3)
    assert act.focus_areas == ["Personalised experiences", "Automation"]
    assert len(act.steps) >= 2
    assert fw.element("understanding").depends_on == ["listening"]
    assert fw.element("acting").depends_on == ["understanding"]


def test_stage_models_keep_questions_indicators_and_practices():
    five = load_framework("five_stage")
    assert [lv.name for lv in five.levels][0] == "Reactive"
    assert all(lv.diagnostic_questions for lv in five.levels)
    assert five.levels[1].indicators and 4 <= len(five.elements) <= 6
    four = load_framework("four_stage")
    assert four.max_level == 4
    assert all(len(lv.practices) >= 10 for lv in four.levels)


def test_missing_description_names_the_key_path():
    raw = _nine_raw()
    del raw["elements"][2]["levels"][1]["description"]
    with pytest.raises(InputError) as err:
        framework_from_mapping(raw, "frameworks/x.yaml")
    assert err.value.column == "elements[2].levels[1].description"
    assert err.value.file == "frameworks/x.yaml"


def test_typo_key_and_bad_references_are_reported():
    raw = _nine_raw()
    raw["elements"][0]["levels"][0]["descripton"] = "typo"
    with pytest.raises(InputError) as err:
        framework_from_mapping(raw, "x.yaml")
    assert err.value.column == "elements[0].levels[0].descripton"
    raw = _nine_raw()
    raw["elements"][3]["depends_on"] = ["listenning"]
    with pytest.raises(InputError) as err:
        framework_from_mapping(raw, "x.yaml")
    assert err.value.column == "elements[3].depends_on[0]" and "listening" in (err.value.hint or "")


def test_structural_errors():
    raw = _nine_raw()
    raw["elements"][1]["levels"][2]["statements"] = []
    with pytest.raises(InputError, match="at least one statement") as err:
        framework_from_mapping(raw, "x.yaml")
    assert err.value.column == "elements[1].levels[2].statements"
    raw = _nine_raw()
    raw["elements"][0]["levels"].pop()                       # only 4 of 5 levels
    with pytest.raises(InputError, match="every level"):
        framework_from_mapping(raw, "x.yaml")
    raw = _nine_raw()
    raw["elements"][2]["depends_on"] = ["acting"]             # listening <- acting <- ... circle
    with pytest.raises(InputError, match="circle"):
        framework_from_mapping(raw, "x.yaml")
    raw = _nine_raw()
    raw["elements"][1]["levels"][1]["statements"][0]["id"] = "culture.L2.a"
    with pytest.raises(InputError, match="share one id"):
        framework_from_mapping(raw, "x.yaml")


def test_client_framework_overrides_and_id_must_match(tmp_path: Path):
    folder = tmp_path / "frameworks"
    folder.mkdir()
    raw = _nine_raw()
    raw["id"], raw["name"] = "custom", "Our own model"
    (folder / "custom.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    assert "custom" in list_frameworks(tmp_path)
    assert load_framework("custom", tmp_path).name == "Our own model"
    (folder / "wrong.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_framework("wrong", tmp_path)
    assert err.value.column == "id" and err.value.file == "frameworks/wrong.yaml"
    with pytest.raises(InputError, match="unknown maturity framework"):
        load_framework("nine_elemnt")
