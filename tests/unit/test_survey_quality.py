"""Tests of cxkit.surveys.quality: row rules and the exclusion accounting."""
from __future__ import annotations

import pandas as pd

from cxkit.surveys import quality


def test_duplicates_identical_vs_conflicting():
    cells = pd.DataFrame({"id": ["a", "a", "a", "b", "b", "c"],
                          "nps": ["9", "9", "9", "3", "4", "7"]})
    kept = pd.Series(True, index=cells.index)
    same, clash = quality.duplicate_flags(cells, "id", kept)
    # "a" x3 identical: the first stays, 2 copies dropped; "b" conflicts: both excluded
    assert same.tolist() == [False, True, True, False, False, False]
    assert clash.tolist() == [False, False, False, True, True, False]


def test_duplicates_ignore_rows_already_excluded():
    cells = pd.DataFrame({"id": ["a", "a"], "nps": ["9", "3"]})
    kept = pd.Series([True, False])  # the second copy was, say, a survey preview
    same, clash = quality.duplicate_flags(cells, "id", kept)
    assert not same.any() and not clash.any()


def test_first_reason_wins_and_table_counts():
    idx = pd.RangeIndex(4)
    reasons = quality.first_reasons(idx, [
        (quality.STATUS, lambda kept: pd.Series([True, False, False, False])),
        (quality.UNFINISHED, lambda kept: pd.Series([True, True, False, False])),
    ])
    # row 0 is both a preview and unfinished: counted once, under the first rule
    assert reasons.tolist() == [quality.STATUS, quality.UNFINISHED, None, None]
    table = quality.quality_table("rel", "surveys/r.csv", reasons,
                                  {"score out of range (nps)": 2, "non-numeric score (nps)": 0})
    assert list(table.columns) == ["source", "file", "reason", "rows"]
    assert table["reason"].tolist() == [quality.STATUS, quality.UNFINISHED, "score out of range (nps)"]
    assert table["rows"].tolist() == [1, 1, 2]


def test_in_values_and_empty_rows():
    assert quality.in_values(pd.Series(["True", "true", "1", "False"]), ["1", "True"]).tolist() == \
        [True, True, True, False]
    cells = pd.DataFrame({"a": ["", "x", ""], "b": ["", "", ""]})
    assert quality.empty_rows(cells).tolist() == [True, False, True]
