"""Turning answer texts into scores on a declared scale.

Answers arrive as plain numbers (``"9"``), numbers with their anchor text
(``"10 - Extremely likely"``) or labels only (``"Very satisfied"``), which need the
label table declared in ``engagement.yaml``. Reversal is applied only when declared.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

LEADING_NUMBER = r"^([+-]?\d+(?:\.\d+)?)(?:\s*[-\u2013\u2014:=)]\s*\D.*|\s+\D.*)?$"
"""A number alone, or followed by an anchor text ("10 - Extremely likely", "1 = Poor")."""


@dataclass(frozen=True)
class ParsedScores:
    """Result of parsing one answer column.

    Attributes
    ----------
    score : Series of float
        The parsed score, NaN where blank, unparseable or out of range.
    blank : Series of bool
        The question was not answered.
    non_numeric : Series of bool
        Answered but neither a number nor a known label.
    out_of_range : Series of bool
        A number outside the declared scale.
    between_points : Series of bool
        A number inside the scale that is none of its points (4.5 on 1..5): a scale's
        answers are whole numbers, and such a value fits no NPS group or top box.
    """

    score: pd.Series
    blank: pd.Series
    non_numeric: pd.Series
    out_of_range: pd.Series
    between_points: pd.Series


def parse_numbers(values: pd.Series) -> pd.Series:
    """Read numbers, also when followed by an anchor text.

    Parameters
    ----------
    values : Series of str
        Stripped answer texts.

    Returns
    -------
    Series of float
        NaN where no leading number could be read.

    Examples
    --------
    >>> parse_numbers(pd.Series(["10 - Extremely likely", "7", "Very", "10-15 minutes"])).tolist()
    [10.0, 7.0, nan, nan]
    """
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    pending = numbers.isna() & values.ne("")
    if pending.any():
        extracted = values[pending].str.extract(LEADING_NUMBER, expand=False)
        numbers.loc[pending] = pd.to_numeric(extracted, errors="coerce").astype("float64")
    return numbers


def map_labels(values: pd.Series, labels: dict[str, float] | None) -> pd.Series:
    """Score answers found in a label table (case and outer spaces ignored).

    Parameters
    ----------
    values : Series of str
        Stripped answer texts.
    labels : dict of str to float, optional
        Label -> score; ``None`` or empty means no table.

    Returns
    -------
    Series of float
        NaN where the answer is not a label.

    Examples
    --------
    >>> map_labels(pd.Series(["Very satisfied", "very SATISFIED ", "x"]),
    ...            {"Very satisfied": 5}).tolist()
    [5.0, 5.0, nan]
    """
    if not labels:
        return pd.Series(np.nan, index=values.index, dtype="float64")
    table = {str(k).strip().casefold(): float(v) for k, v in labels.items()}
    return values.str.strip().str.casefold().map(table).astype("float64")


def reverse(score: pd.Series, scale_min: float, scale_max: float) -> pd.Series:
    """Flip a declared-reversed scale so that higher is better: ``min + max - score``.

    Examples
    --------
    >>> reverse(pd.Series([1.0, 7.0, 3.0]), 1, 7).tolist()
    [7.0, 1.0, 5.0]
    """
    return scale_min + scale_max - score


def _score_distinct(values: pd.Series, labels: dict[str, float] | None) -> pd.Series:
    """Score each distinct answer once (labels first, then numbers) and broadcast back."""
    codes, uniques = pd.factorize(values)
    distinct = pd.Series(uniques, dtype=str)
    scores = map_labels(distinct, labels)
    unlabelled = scores.isna() & distinct.ne("")
    if unlabelled.any():
        scores.loc[unlabelled] = parse_numbers(distinct[unlabelled])
    taken = np.where(codes >= 0, scores.to_numpy()[np.maximum(codes, 0)], np.nan)
    return pd.Series(taken, index=values.index, dtype="float64")


def parse_scores(values: pd.Series, scale_min: float, scale_max: float,
                 labels: dict[str, float] | None = None, reversed_: bool = False) -> ParsedScores:
    """Parse one answer column into scores on its declared scale.

    Labels are looked up first, then numbers (with or without anchor text). Numbers
    outside ``scale_min..scale_max``, or between two of its points, are flagged and
    dropped; reversal comes last.

    Parameters
    ----------
    values : Series of str
        Stripped answer texts ("" = not answered).
    scale_min, scale_max : float
        The declared scale.
    labels : dict of str to float, optional
        The declared label table.
    reversed_ : bool
        Whether the scale was declared reversed.

    Returns
    -------
    ParsedScores

    Examples
    --------
    >>> parse_scores(pd.Series(["2", "", "9", "4.5"]), 1, 7, reversed_=True).score.tolist()
    [6.0, nan, nan, nan]
    """
    blank = values.eq("")
    score = _score_distinct(values, labels)
    non_numeric = score.isna() & ~blank
    out_of_range = score.notna() & ~score.between(scale_min, scale_max)
    between_points = score.notna() & ~out_of_range & score.ne(score.round())
    score = score.mask(out_of_range | between_points)
    if reversed_:
        score = reverse(score, scale_min, scale_max)
    return ParsedScores(score, blank, non_numeric, out_of_range, between_points)
