"""Tests of cxkit.surveys.scales: answer texts to scores."""
from __future__ import annotations

import math

import pandas as pd

from cxkit.surveys.scales import map_labels, parse_numbers, parse_scores, reverse

CSAT_LABELS = {"Very dissatisfied": 1, "Dissatisfied": 2, "Neutral": 3, "Satisfied": 4,
               "Very satisfied": 5}


def test_numbers_with_anchor_text():
    values = pd.Series(["10 - Extremely likely", "0 - Not at all likely", "7", "1 = Poor",
                        "5 \u2013 Very easy", "9.0", "Extremely likely", "10-15 minutes", ""])
    got = parse_numbers(values).tolist()
    assert got[:6] == [10.0, 0.0, 7.0, 1.0, 5.0, 9.0]
    # no number at the start, a range, a blank: nothing is read
    assert all(math.isnan(v) for v in got[6:])


def test_label_table_ignores_case_and_spaces():
    got = map_labels(pd.Series(["Very satisfied", " very satisfied", "NEUTRAL", "meh"]), CSAT_LABELS)
    assert got.tolist()[:3] == [5.0, 5.0, 3.0] and math.isnan(got.iloc[3])


def test_reverse_formula():
    # DOMAIN: reversed scale, score' = min + max - score; on 1..7: 1->7, 2->6, 7->1
    assert reverse(pd.Series([1.0, 2.0, 7.0]), 1, 7).tolist() == [7.0, 6.0, 1.0]


def test_parse_scores_flags():
    values = pd.Series(["Very satisfied", "4", "", "9", "soon"])
    parsed = parse_scores(values, 1, 5, labels=CSAT_LABELS)
    assert parsed.score.iloc[0] == 5.0 and parsed.score.iloc[1] == 4.0  # label, then number
    assert parsed.blank.tolist() == [False, False, True, False, False]
    assert parsed.out_of_range.tolist() == [False, False, False, True, False]  # 9 > max 5
    assert parsed.non_numeric.tolist() == [False, False, False, False, True]
    assert math.isnan(parsed.score.iloc[3])


def test_range_checked_before_reversal():
    # CES 1..7 reversed: 2 -> 1 + 7 - 2 = 6; 8 is out of range and stays out (not reversed to 0)
    parsed = parse_scores(pd.Series(["2", "8"]), 1, 7, reversed_=True)
    assert parsed.score.iloc[0] == 6.0 and math.isnan(parsed.score.iloc[1])
    assert parsed.out_of_range.tolist() == [False, True]
