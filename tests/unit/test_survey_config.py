"""Tests of cxkit.config.surveys: the survey-source declaration and its scale rules."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from cxkit.config.surveys import SurveySource


def _source(**overrides):
    base = dict(
        id="relationship", file="surveys/r.csv", format="qualtrics",
        date_format="%Y-%m-%d %H:%M:%S",
        columns={"response_id": "ResponseId", "date": "RecordedDate"},
        metrics={"nps": {"column": "Q_NPS", "min": 0, "max": 10}},
    )
    base.update(overrides)
    return SurveySource.model_validate(base)


def test_architecture_example_validates():
    src = _source(
        columns={"response_id": "ResponseId", "date": "RecordedDate", "customer_id": "CustomerID",
                 "contact_id": None, "touchpoint": "Touchpoint", "channel": "Channel",
                 "segment": "Segment", "region": "Region", "comment": "Q_Comment"},
        finished={"column": "Finished", "keep": ["1", "True"]},
        status={"column": "Status", "exclude": ["Survey Preview", "Spam"]},
        metrics={"nps": {"column": "Q_NPS", "min": 0, "max": 10},
                 "csat": {"column": "Q_CSAT", "min": 1, "max": 5, "labels": {"Very satisfied": 5}},
                 "ces": {"column": "Q_CES", "min": 1, "max": 7, "reversed": False},
                 "psat": {"column": "Q_PSAT", "min": 0, "max": 1}},
        attributes={"ease": "Q_ATTR_1", "speed": "Q_ATTR_2"},
        attribute_scale={"min": 1, "max": 5},
    )
    assert src.encoding == "utf-8" and src.delimiter is None
    assert src.columns.mapped()["comment"] == "Q_Comment"
    assert "contact_id" not in src.columns.mapped()


def test_metric_without_scale_names_the_key():
    with pytest.raises(ValidationError, match=r"metrics\.csat has no declared scale"):
        _source(metrics={"csat": {"column": "Q_CSAT"}})


@pytest.mark.parametrize("metric,lo,hi", [("nps", 1, 10), ("nps", 0, 5), ("csat", 0, 5),
                                          ("csat", 1, 10), ("ces", 1, 4), ("psat", 0, 5)])
def test_non_standard_scales_rejected(metric, lo, hi):
    with pytest.raises(ValidationError, match=rf"metrics\.{metric} scale {lo}\.\.{hi} is not allowed"):
        _source(metrics={metric: {"column": "Q", "min": lo, "max": hi}})


@pytest.mark.parametrize("metric,lo,hi", [("csat", 1, 7), ("ces", 1, 5), ("psat", 0, 1),
                                          ("psat", 1, 5), ("psat", 1, 7)])
def test_standard_scales_accepted(metric, lo, hi):
    assert _source(metrics={metric: {"column": "Q", "min": lo, "max": hi}}).metrics[metric].max == hi


def test_unknown_key_and_unknown_metric_rejected():
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        _source(sheets="x")
    with pytest.raises(ValidationError):
        _source(metrics={"ltr": {"column": "Q", "min": 0, "max": 10}})


def test_label_outside_scale_and_reversed_nps_rejected():
    with pytest.raises(ValidationError, match="not a point of the scale 1..5"):
        _source(metrics={"csat": {"column": "Q", "min": 1, "max": 5, "labels": {"Delighted": 6}}})
    with pytest.raises(ValidationError, match="cannot be reversed"):
        _source(metrics={"nps": {"column": "Q", "min": 0, "max": 10, "reversed": True}})


def test_attributes_need_a_scale_and_other_field_checks():
    with pytest.raises(ValidationError, match="attribute_scale"):
        _source(attributes={"ease": "Q_ATTR_1"})
    with pytest.raises(ValidationError, match="unknown encoding"):
        _source(encoding="latin-99")
    with pytest.raises(ValidationError, match="one character"):
        _source(delimiter=";;")
    with pytest.raises(ValidationError, match="no % directive"):
        _source(date_format="YYYY-MM-DD")
    with pytest.raises(ValidationError, match="declares no metrics"):
        _source(metrics={})
    with pytest.raises(ValidationError, match="clashes"):
        _source(columns={"response_id": "Id", "date": "D", "extra_dimensions": {"score": "X"}})


def test_loop_rule_names_an_unknown_metric_and_a_bad_target():
    from cxkit.config import parse_engagement
    from cxkit.errors import InputError

    base = {"client": "Acme", "period": {"start": "2025-01-01", "end": "2025-12-31"}}
    with pytest.raises(InputError, match=r"loop\.alert_at_or_below\.nsp.*'nps', 'csat', 'ces' or 'psat'"):
        parse_engagement({**base, "loop": {"alert_at_or_below": {"nsp": 6}}})
    with pytest.raises(InputError, match=r"loop\.first_contact_hours"):
        parse_engagement({**base, "loop": {"first_contact_hours": 0}})
    assert parse_engagement({**base, "loop": {"alert_at_or_below": {}}}).loop.alert_at_or_below == {}
