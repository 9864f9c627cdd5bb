"""Loading journey.yaml: valid journeys, fatal errors naming the key, and findings."""
from __future__ import annotations

import copy
from importlib import resources

import pytest
import yaml

from cxkit.errors import InputError
from cxkit.journey import journey_findings, load_journey


def small() -> dict:
    """Two stages, three touchpoints, two posts: the smallest journey the tests vary."""
    return {
        "stages": [{"id": "onboard", "name": "Onboard"}, {"id": "support", "name": "Support"}],
        "touchpoints": [
            {"id": "kickoff", "name": "Kickoff call", "stage": "onboard", "channels": ["phone"],
             "owner": "CS", "kind": "task", "moment_that_matters": True},
            {"id": "first_use", "name": "First use", "stage": "onboard", "channels": ["in-app"],
             "owner": "Product", "kind": "product_use"},
            {"id": "case", "name": "Case closed", "stage": "support", "channels": ["chat", "email"],
             "owner": "Support", "kind": "interaction"},
        ],
        "listening_posts": [
            {"touchpoint": "kickoff", "metric": "ces", "trigger": "after kickoff", "channel": "email"},
            {"touchpoint": "case", "metric": "csat", "trigger": "after case closes", "channel": "email",
             "after_support_contact": True},
        ],
    }


def test_template_is_a_valid_journey():
    text = resources.files("cxkit.journey").joinpath("template.yaml").read_text(encoding="utf-8")
    journey = load_journey(yaml.safe_load(text))
    assert len(journey.stages) == 6
    assert journey_findings(journey).empty


def test_small_journey_loads_in_order():
    journey = load_journey(small())
    assert [t.id for t in journey.ordered_touchpoints()] == ["kickoff", "first_use", "case"]
    assert journey.listening_posts[1].after_support_contact is True


def test_channel_and_metric_spellings_are_normalised():
    data = small()
    data["touchpoints"][1]["channels"] = "In_App"
    data["listening_posts"][0]["metric"] = "CES"
    journey = load_journey(data)
    assert journey.touchpoints[1].channels == ["in-app"]
    assert journey.listening_posts[0].metric == "ces"


def test_unknown_stage_is_fatal_and_names_the_key():
    data = small()
    data["touchpoints"][2]["stage"] = "suport"
    with pytest.raises(InputError) as err:
        load_journey(data, file="journey.yaml")
    assert err.value.column == "touchpoints[2].stage"
    assert err.value.file == "journey.yaml"
    assert err.value.found == "suport"
    assert "support" in (err.value.hint or "")


def test_listening_post_at_unknown_touchpoint_is_fatal():
    data = small()
    data["listening_posts"][0]["touchpoint"] = "kick_off"
    with pytest.raises(InputError) as err:
        load_journey(data)
    assert err.value.column == "listening_posts[0].touchpoint"


def test_duplicate_touchpoint_ids_are_fatal():
    data = small()
    data["touchpoints"].append(copy.deepcopy(data["touchpoints"][0]))
    with pytest.raises(InputError) as err:
        load_journey(data)
    assert err.value.column == "touchpoints[3].id"


def test_duplicate_stage_ids_are_fatal():
    data = small()
    data["stages"].append({"id": "onboard", "name": "Again"})
    with pytest.raises(InputError, match="two stages share one id"):
        load_journey(data)


@pytest.mark.parametrize(("path", "key", "bad", "column"), [
    (("touchpoints", 0), "kind", "chore", "touchpoints[0].kind"),
    (("listening_posts", 1), "metric", "ces2", "listening_posts[1].metric"),
    (("listening_posts", 1), "channel", "pigeon", "listening_posts[1].channel"),
])
def test_unknown_kind_metric_channel(path, key, bad, column):
    data = small()
    data[path[0]][path[1]][key] = bad
    with pytest.raises(InputError) as err:
        load_journey(data)
    assert err.value.column == column
    assert err.value.found == bad
    assert err.value.expected.startswith("one of")


def test_unknown_channel_in_list_names_the_position():
    data = small()
    data["touchpoints"][2]["channels"] = ["chat", "emial"]
    with pytest.raises(InputError) as err:
        load_journey(data)
    assert err.value.column == "touchpoints[2].channels[1]"
    assert "email" in (err.value.hint or "")
    assert "'case'" in err.value.message


def test_missing_and_extra_keys():
    data = small()
    del data["touchpoints"][1]["owner"]
    data["touchpoints"][0]["colour"] = "red"
    with pytest.raises(InputError) as err:
        load_journey(data)
    messages = str(err.value)
    assert "touchpoints[0].colour" in messages and "touchpoints[1].owner" in messages


@pytest.mark.parametrize("data", [None, [], "stages"])
def test_not_a_mapping(data):
    with pytest.raises(InputError, match="not a mapping"):
        load_journey(data)


def test_empty_stage_and_duplicate_names_are_findings():
    data = small()
    data["stages"].append({"id": "renew", "name": "Renew"})
    data["touchpoints"][1]["name"] = "kickoff CALL"
    data["listening_posts"].append(dict(data["listening_posts"][0]))
    findings = journey_findings(load_journey(data))
    assert sorted(findings["check"]) == ["duplicate_listening_post", "duplicate_touchpoint_name", "empty_stage"]
    assert findings.loc[findings["check"] == "empty_stage", "where"].item() == "renew"
