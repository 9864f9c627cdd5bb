"""Tests for cxkit.text.examples: reproducible, safe, and never from a tiny group."""
from __future__ import annotations

import pandas as pd
import pytest

from cxkit.errors import InputError
from cxkit.text.examples import example_comments


@pytest.fixture()
def data():
    big = [f"The invoice number {i} was wrong and nobody fixed it" for i in range(12)]
    small = ["Secret enterprise complaint about the invoice totals"] * 3
    comments = big + small + ["invoice?"] + ["<script>alert(1)</script> invoice wrong, call 020 7946 0958"]
    segments = ["SMB"] * 12 + ["Enterprise"] * 3 + ["SMB", "SMB"]
    wide = pd.DataFrame({"comment": comments, "segment": segments}, index=[f"r{i}" for i in range(17)])
    tags = pd.DataFrame({"billing": [True] * 17, "delivery": [False] * 17}, index=wide.index)
    return wide, tags


def test_same_seed_same_examples(data):
    wide, tags = data
    first = example_comments(wide, tags, "billing", n=3, seed=7)
    assert first == example_comments(wide, tags, "billing", n=3, seed=7)
    assert len(first) == 3
    # different seeds pick different comments from the 13 eligible long ones (very likely; fixed seeds)
    assert first != example_comments(wide, tags, "billing", n=3, seed=8)


def test_small_groups_are_never_quoted(data):
    wide, tags = data
    # Enterprise has 3 responses < withhold_below 10; SMB has 14
    for seed in range(20):
        assert not any("enterprise" in c.lower() for c in example_comments(wide, tags, "billing", n=5, seed=seed))
    # with a floor of 3, the Enterprise comment (3 identical) may appear, but only once after de-duplication
    all_shown = example_comments(wide, tags, "billing", n=20, withhold_below=3)
    assert sum("enterprise" in c.lower() for c in all_shown) == 1


def test_every_example_is_safe(data):
    wide, tags = data
    shown = example_comments(wide, tags, "billing", n=20)
    assert any("&lt;script&gt;" in c and "[phone]" in c for c in shown)
    assert all("<" not in c and "7946" not in c for c in shown)


def test_examples_lose_names_and_addresses(data):
    wide, tags = data
    wide = wide.copy()
    wide.iloc[:12, 0] = [f"Invoice {i} was wrong; I spoke to Mark Evans, send it to 221B Baker Street"
                         for i in range(12)]
    shown = example_comments(wide, tags, "billing", n=20)
    quoted = [c for c in shown if "Invoice" in c]
    assert quoted and all("[name]" in c and "[address]" in c for c in quoted)
    assert not any("Mark" in c or "Baker" in c for c in shown)


def test_short_comments_only_fill_up(data):
    wide, tags = data
    # 14 SMB comments have at least 4 words; 'invoice?' has 1 word and only appears when n exceeds them
    assert "invoice?" not in example_comments(wide, tags, "billing", n=5)
    assert "invoice?" in example_comments(wide, tags, "billing", n=20)


def test_no_mentions_or_no_group_column(data):
    wide, tags = data
    assert example_comments(wide, tags, "delivery") == []
    # without the group column the whole table (17 responses) is one group >= 10
    assert len(example_comments(wide.drop(columns="segment"), tags, "billing", n=3)) == 3
    assert example_comments(wide.drop(columns="segment"), tags, "billing", withhold_below=18) == []


def test_unknown_theme_is_an_input_error(data):
    wide, tags = data
    with pytest.raises(InputError, match="biling"):
        example_comments(wide, tags, "biling")
