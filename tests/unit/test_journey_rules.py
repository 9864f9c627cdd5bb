"""Metric-fit rules: the right metric for each kind of moment, NPS after support, channels."""
from __future__ import annotations

import pytest

from cxkit.errors import InputError
from cxkit.journey import fit_sentences, load_fit_rules, load_journey, metric_fit


def journey_with(posts: list[dict]):
    """One touchpoint of each kind; the posts vary per test."""
    kinds = {"setup": "task", "call": "interaction", "feature": "product_use", "review": "relationship"}
    return load_journey({
        "stages": [{"id": "s", "name": "Stage"}],
        "touchpoints": [{"id": k, "name": k.title(), "stage": "s", "channels": ["email"],
                         "owner": "Team", "kind": v} for k, v in kinds.items()],
        "listening_posts": [{"trigger": "after it", "channel": "email", **p} for p in posts],
    })


def test_packaged_rules_follow_the_domain_table():
    # DOMAIN.md section 3: CES for tasks, CSAT for interactions, PSAT for use, NPS for relationship.
    rules = load_fit_rules()
    assert {k: r.best for k, r in rules.kinds.items()} == {
        "task": "ces", "interaction": "csat", "product_use": "psat", "relationship": "nps"}
    assert rules.asked_too_often.window_days == 14


def test_matching_metrics_fit():
    posts = [{"touchpoint": "setup", "metric": "ces"}, {"touchpoint": "call", "metric": "csat"},
             {"touchpoint": "feature", "metric": "psat", "channel": "in-app"},
             {"touchpoint": "review", "metric": "nps"}]
    fit = metric_fit(journey_with(posts))
    assert fit["fits"].all()
    assert fit["better_metric"].isna().all()
    assert fit["advice"].isna().all()


@pytest.mark.parametrize(("touchpoint", "metric", "better"), [
    ("setup", "nps", "ces"), ("call", "psat", "csat"), ("feature", "csat", "psat"), ("review", "csat", "nps"),
])
def test_mismatch_is_flagged_with_the_better_metric(touchpoint, metric, better):
    fit = metric_fit(journey_with([{"touchpoint": touchpoint, "metric": metric}]))
    row = fit.iloc[0]
    assert not row["fits"]
    assert row["rule"] == "kind_mismatch"
    assert row["better_metric"] == better
    assert better.upper() in row["reason"]


def test_effort_also_fits_an_interaction():
    # DOMAIN.md section 3 lists support resolution among the moments for CES
    row = metric_fit(journey_with([{"touchpoint": "call", "metric": "ces"}])).iloc[0]
    assert row["fits"] and "CSAT is the usual choice" in row["reason"]


def test_nps_after_support_is_flagged_even_at_a_relationship_moment():
    fit = metric_fit(journey_with([{"touchpoint": "review", "metric": "nps", "after_support_contact": True}]))
    row = fit.iloc[0]
    assert (row["fits"], row["rule"], row["better_metric"]) == (False, "nps_after_support", "csat")
    assert "support" in row["reason"]


def test_support_trigger_words_count_as_after_support():
    fit = metric_fit(journey_with([{"touchpoint": "call", "metric": "nps",
                                    "trigger": "when the ticket is closed"}]))
    assert fit.iloc[0]["rule"] == "nps_after_support"


def test_psat_by_email_fits_but_gets_channel_advice():
    fit = metric_fit(journey_with([{"touchpoint": "feature", "metric": "psat"}]))
    assert fit.iloc[0]["fits"]
    assert "in-app" in fit.iloc[0]["advice"]


def test_no_posts_gives_empty_table_and_a_sentence():
    fit = metric_fit(journey_with([]))
    assert fit.empty and "fits" in fit.columns
    assert "No listening posts" in fit_sentences(fit)[0]


def test_sentences_count_fits():
    fit = metric_fit(journey_with([{"touchpoint": "setup", "metric": "ces"},
                                   {"touchpoint": "call", "metric": "nps", "after_support_contact": True}]))
    sentences = fit_sentences(fit)
    assert sentences[0].startswith("1 of 2")
    assert any("support contact" in s for s in sentences)


def test_custom_rules_can_change_the_window_and_bad_rules_name_the_key():
    import yaml
    from importlib import resources

    data = yaml.safe_load(resources.files("cxkit.journey").joinpath("fit_rules.yaml").read_text())
    data["asked_too_often"]["window_days"] = 7
    assert load_fit_rules(data).asked_too_often.window_days == 7
    data["kinds"]["task"]["best"] = "effort"
    with pytest.raises(InputError) as err:
        load_fit_rules(data, file="fit_rules.yaml")
    assert err.value.column == "kinds.task.best"
