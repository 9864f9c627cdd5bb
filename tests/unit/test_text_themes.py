"""Tests for cxkit.text.taxonomy and cxkit.text.themes."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxkit.errors import InputError
from cxkit.text.taxonomy import load_taxonomy
from cxkit.text.themes import dominant_detractor_theme, nps_group, summary_sentences, tag_themes, theme_summary

REQUIRED = ["wait_time", "staff_attitude", "billing", "product_reliability", "onboarding", "price_value",
            "ease_of_use", "documentation", "integrations", "performance", "account_management",
            "communication", "delivery", "cancellation"]


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


@pytest.fixture()
def wide():
    return pd.DataFrame({
        "response_id": [f"r{i}" for i in range(1, 8)],
        "date": pd.to_datetime(["2026-08-01", "2026-10-02", "2026-11-03", "2026-12-04", "2026-12-05",
                                "2026-12-06", "2026-12-07"]),
        "comment": ["Waited 3 days for a refund", "The invoice was wrong again", "Great onboarding, easy setup",
                    "Billing is confusing", None, "   ", "Invoices late"],
        "nps": [2, 5, 10, 8, 9, 3, np.nan],
        "segment": ["SMB"] * 7,
        "period": ["2026Q3", "2026Q4", "2026Q4", "2026Q4", "2026Q4", "2026Q4", "2026Q4"],
    })


def test_default_taxonomy_has_the_common_themes(tax):
    assert set(REQUIRED) <= set(tax.ids)
    assert all(label for label in tax.labels.values())


def test_planted_themes_are_found(tax):
    comments = pd.Series([
        "I was on hold for 40 minutes",                    # wait_time
        "The agent was RUDE and unhelpful",                # staff_attitude, case-insensitive
        "We were double charged on the last invoice",      # billing
        "The app keeps crashing since the update",         # product_reliability
        "Onboarding took forever",                         # onboarding, wait_time (took forever)
        "Far too expensive for what it does",              # price_value
        "The API docs are out of date",                    # integrations, documentation
        "Pages are really slow to load",                   # performance
        "Our account manager never calls back",            # account_management, wait_time (call back)
        "We plan to cancel and move to a competitor",      # cancellation
        "Parcel arrived damaged",                          # delivery
        "Nobody kept us informed about the outage",        # communication, product_reliability
    ])
    tags = tag_themes(comments, tax)
    expected = [{"wait_time"}, {"staff_attitude"}, {"billing"}, {"product_reliability"},
                {"onboarding", "wait_time"}, {"price_value"}, {"integrations", "documentation"}, {"performance"},
                {"account_management", "wait_time"}, {"cancellation"}, {"delivery"},
                {"communication", "product_reliability"}]
    for i, themes in enumerate(expected):
        found = set(tags.columns[tags.iloc[i]])
        assert themes <= found, (comments[i], found)
    assert tags.dtypes.eq(bool).all()
    assert tags.columns.tolist() == tax.ids


def test_whole_words_only(tax):
    tags = tag_themes(pd.Series(["the billboard outside", "the bill was wrong", "importantly fine"]), tax)
    assert tags["billing"].tolist() == [False, True, False]
    assert not tags.loc[2, "integrations"]  # 'import' must not match inside 'importantly'


def test_repeated_comments_get_the_flags_each_gets_alone(tax):
    comments = pd.Series(["the bill was wrong", None, "Great support", "the bill was wrong", "", "Great support"],
                         index=[10, 11, 12, 13, 14, 15], dtype="string")
    tags = tag_themes(comments, tax)
    one_by_one = pd.concat([tag_themes(comments.iloc[[i]], tax) for i in range(len(comments))])
    pd.testing.assert_frame_equal(tags, one_by_one)
    assert tags.index.tolist() == [10, 11, 12, 13, 14, 15]
    assert tags["billing"].tolist() == [True, False, False, True, False, False]
    assert not tags.loc[[11, 14]].any(axis=None)


def test_client_file_extends_removes_and_adds(tax):
    custom = load_taxonomy({
        "remove": ["delivery"],
        "extend": {"billing": {"keywords": ["PO number"]}},
        "themes": {"sso_login": {"label": "Single sign-on", "keywords": ["okta", "sso"]},
                   "wait_time": {"label": "Waiting", "keywords": ["queue"]}},
    })
    assert "delivery" not in custom.ids
    assert custom.ids[-1] == "sso_login"
    assert custom.labels["wait_time"] == "Waiting"
    tags = tag_themes(pd.Series(["Need the PO number", "Okta login fails", "long queue", "waited ages"]), custom)
    assert tags["billing"].tolist() == [True, False, False, False]
    assert tags["sso_login"].tolist() == [False, True, False, False]
    assert tags["wait_time"].tolist() == [False, False, True, False]  # replaced, so 'wait*' is gone


def test_replace_starts_from_empty():
    custom = load_taxonomy({"replace": True, "themes": {"only": {"label": "Only", "keywords": ["x"]}}})
    assert custom.ids == ["only"]


def test_client_file_as_path(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text("themes:\n  sso: {label: SSO, keywords: [okta]}\n", encoding="utf-8")
    assert "sso" in load_taxonomy(path).ids


@pytest.mark.parametrize("extra, column", [
    ({"themse": {}}, "themse"),
    ({"themes": {"x": {"label": "X", "keywrds": ["a"]}}}, "themes.x.keywrds"),
    ({"extend": {"billing": {"label": "B"}}}, "extend.billing.label"),
    ({"themes": {"Wait Time": {"label": "W", "keywords": ["a"]}}}, "themes.Wait Time"),
    ({"themes": {"x": {"label": "X", "patterns": ["(unclosed"]}}}, "themes.x.patterns"),
    ({"themes": {"x": {"label": "X"}}}, "themes.x"),
    ({"extend": {"biling": {"keywords": ["a"]}}}, "extend.biling"),
    ({"remove": ["deliveries"]}, "remove"),
])
def test_invalid_client_file_names_the_key(extra, column):
    with pytest.raises(InputError) as err:
        load_taxonomy(extra)
    assert err.value.column == column
    assert column in str(err.value)


def test_unknown_key_hint_suggests_the_right_one():
    with pytest.raises(InputError) as err:
        load_taxonomy({"themse": {}})
    assert "'themes'" in (err.value.hint or "")


def test_nps_group_boundaries():
    # DOMAIN.md section 4: promoters 9-10, passives 7-8, detractors 0-6
    assert nps_group(pd.Series([0, 6, 7, 8, 9, 10])).tolist() == [
        "detractor", "detractor", "passive", "passive", "promoter", "promoter"]


def test_theme_summary_counts(wide, tax):
    summary = theme_summary(wide, tax)
    billing = summary.set_index("theme").loc["billing"]
    # comments with text: r1, r2, r3, r4, r7 -> 5; billing in r1, r2, r4, r7 -> 4 mentions, 4/5 = 80%
    assert billing["n_comments"] == 5
    assert billing["mentions"] == 4
    assert billing["pct_of_comments"] == pytest.approx(80.0)
    # NPS groups: r1 (2) and r2 (5) detractors, r4 (8) passive, r7 no score -> 2/3 and 1/3 of scored mentions
    assert (billing["mentions_detractor"], billing["mentions_passive"], billing["mentions_promoter"]) == (2, 1, 0)
    assert billing["pct_detractor"] == pytest.approx(200 / 3)
    assert billing["pct_promoter"] == pytest.approx(0.0)
    # periods: 2026Q3 holds r1; 2026Q4 holds r2, r4, r7 -> 1 then 3, change +2
    assert (billing["previous_period"], billing["last_period"]) == ("2026Q3", "2026Q4")
    assert (billing["mentions_previous"], billing["mentions_last"], billing["change"]) == (1, 3, 2)
    # VADER compound s / sqrt(s^2 + 15) with lexicon valences: r1 no lexicon word -> 0.0;
    # r2 'wrong' -2.1 -> -0.4767; r4 'confusing' -0.9 -> -0.9 / sqrt(15.81) = -0.2263; r7 -> 0.0
    # mean (0 - 0.4767 - 0.2263 + 0) / 4 = -0.17575
    assert billing["mean_sentiment"] == pytest.approx(-0.17575, abs=1e-4)
    assert summary["mentions"].is_monotonic_decreasing


def test_theme_summary_derives_quarters_from_dates(wide, tax):
    summary = theme_summary(wide.drop(columns="period"), tax).set_index("theme")
    # dates: r1 in 2026-08 (Q3), others Q4 -> same split as the period column
    assert summary.loc["billing", "last_period"] == "2026Q4"
    assert summary.loc["billing", "mentions_previous"] == 1


def test_theme_summary_without_nps_or_periods(tax):
    wide = pd.DataFrame({"comment": ["invoice wrong", "invoice late"]})
    billing = theme_summary(wide, tax).set_index("theme").loc["billing"]
    assert billing["mentions"] == 2
    assert billing["mentions_detractor"] == 0
    assert np.isnan(billing["pct_detractor"])
    assert np.isnan(billing["change"])


def test_theme_summary_needs_comment_column(tax):
    with pytest.raises(InputError, match="comment"):
        theme_summary(pd.DataFrame({"nps": [1]}), tax)


def test_dominant_detractor_theme_and_sentences(wide, tax):
    summary = theme_summary(wide, tax)
    # billing has 2 detractor mentions, wait_time 1, everything else 0
    assert dominant_detractor_theme(summary) == "billing"
    sentences = summary_sentences(summary, min_mentions=2)
    assert sentences[0].startswith("Of 5 comments, the most mentioned themes are Billing and invoices (4 comments, 80%)")
    assert any("Detractors raise Billing and invoices" in s for s in sentences)
    assert any("rose from 1 in 2026Q3 to 3 in 2026Q4" in s for s in sentences)


def test_no_detractors_gives_none(tax):
    summary = theme_summary(pd.DataFrame({"comment": ["invoice fine"], "nps": [10]}), tax)
    assert dominant_detractor_theme(summary) is None
    empty = theme_summary(pd.DataFrame({"comment": [None]}), tax)
    assert summary_sentences(empty) == ["There are no comments to analyse."]
