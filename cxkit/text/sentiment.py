"""Sentiment of comments with VADER (the lexicon ships inside ``vaderSentiment``; nothing is downloaded).

The compound score runs from -1 (most negative) to +1 (most positive). The usual VADER
cut-offs label a comment positive at compound >= 0.05, negative at compound <= -0.05 and
neutral in between. Identical comments are scored once, so repeated texts cost nothing.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05
LABELS = ("negative", "neutral", "positive")


@lru_cache(maxsize=1)
def analyser() -> SentimentIntensityAnalyzer:
    """Return the shared VADER analyser, built on first use (loading the lexicon once).

    Examples
    --------
    >>> analyser() is analyser()
    True
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def compound(text: str) -> float:
    """VADER compound score of one text, in [-1, 1].

    Examples
    --------
    >>> compound("The support team was great")
    0.7783
    """
    return float(analyser().polarity_scores(str(text))["compound"])


def label(score: float) -> str | None:
    """Turn a compound score into ``positive``, ``neutral`` or ``negative`` (None if missing).

    Examples
    --------
    >>> [label(0.05), label(0.0), label(-0.05), label(float("nan"))]
    ['positive', 'neutral', 'negative', None]
    """
    if score is None or score != score:
        return None
    if score >= POSITIVE_AT:
        return "positive"
    if score <= NEGATIVE_AT:
        return "negative"
    return "neutral"


def sentiment(comments: pd.Series) -> pd.DataFrame:
    """Score every comment of a Series.

    Parameters
    ----------
    comments : pandas.Series
        Raw comments (redaction is not needed: nothing is displayed). Missing or blank
        comments get a missing score and label.

    Returns
    -------
    pandas.DataFrame
        Same index as ``comments``; columns ``compound`` (float64) and ``label``
        (categorical: negative, neutral, positive).

    Examples
    --------
    >>> sentiment(pd.Series(["I love it", "It is broken", "", None]))["label"].tolist()
    ['positive', 'negative', nan, nan]
    """
    values = comments.astype(object)
    texts = values.where(values.notna(), "").map(lambda v: str(v).strip())
    unique = pd.unique(texts[texts != ""])
    scores = {text: compound(text) for text in unique}
    score = texts.map(lambda t: scores.get(t, np.nan)).astype("float64")
    labels = pd.Categorical(score.map(label), categories=list(LABELS))
    return pd.DataFrame({"compound": score, "label": labels}, index=comments.index)
