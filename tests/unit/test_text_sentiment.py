"""Tests for cxkit.text.sentiment (VADER).

VADER's compound score is s / sqrt(s^2 + 15), s the sum of the word valences from the
bundled lexicon (vader_lexicon.txt): support 1.7, great 3.1, terrible -2.1, love 3.2.
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from cxkit.text.sentiment import analyser, label, sentiment


def test_fixed_sentences_have_known_scores():
    s = pd.Series(["The support team was great", "The product is terrible", "The invoice arrived on Tuesday",
                   "I love it"], index=["a", "b", "c", "d"])
    out = sentiment(s)
    # 4.8 / sqrt(4.8**2 + 15) = 0.77825 -> 0.7783 ; -2.1 / sqrt(2.1**2 + 15) = -0.47666 -> -0.4767
    # no lexicon word -> 0.0 ; 3.2 / sqrt(3.2**2 + 15) = 0.63695 -> 0.6369 (VADER rounds to 4 places)
    assert out["compound"].tolist() == pytest.approx([0.7783, -0.4767, 0.0, 0.6369])
    assert out["label"].tolist() == ["positive", "negative", "neutral", "positive"]
    assert out.index.tolist() == ["a", "b", "c", "d"]


def test_cutoffs_are_inclusive_at_005():
    # standard VADER thresholds: >= 0.05 positive, <= -0.05 negative
    assert [label(0.05), label(0.0499), label(-0.0499), label(-0.05)] == ["positive", "neutral", "neutral", "negative"]


def test_missing_and_blank_comments_have_no_score():
    out = sentiment(pd.Series([None, "   ", np.nan]))
    assert out["compound"].isna().all()
    assert out["label"].isna().all()


def test_analyser_is_cached():
    assert analyser() is analyser()


def test_twenty_thousand_comments_in_a_few_seconds():
    rng = np.random.default_rng(1)
    words = "support was slow and unhelpful but the product is great easy billing broken fast".split()
    s = pd.Series([" ".join(rng.choice(words, 12)) for _ in range(20_000)])
    start = time.perf_counter()
    out = sentiment(s)
    assert len(out) == 20_000
    assert time.perf_counter() - start < 8  # ~2.5 s on a loaded 2-core machine; generous for CI
