"""Headline metrics from a Series of raw scores: NPS, CSAT, CES and PSAT."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cxkit.metrics.counts import nps_counts, top2_counts
from cxkit.metrics.formulas import result_from_counts
from cxkit.metrics.result import MetricResult
from cxkit.metrics.sample import SampleRules
from cxkit.metrics.scales import NPS_SCALE, scale_for

Scores = pd.Series | Sequence[float]


def nps(scores: Scores, rules: SampleRules | None = None) -> MetricResult:
    """Net Promoter Score of 0-10 answers.

    Promoters answer 9-10, passives 7-8, detractors 0-6; NPS = 100 x (share of
    promoters - share of detractors). The 95% interval is adjusted-Wald (Rocks 2016;
    Sauro & Lewis), see :func:`cxkit.metrics.formulas.nps_from_counts`.

    Parameters
    ----------
    scores : pandas.Series or sequence of float
        Raw answers; NaN is ignored.
    rules : SampleRules, optional
        Sample-size rules (default: warn below 30, withhold below 10).

    Returns
    -------
    MetricResult

    Raises
    ------
    ScoreError
        (a ValueError) naming a value that is not a whole number from 0 to 10.

    Examples
    --------
    >>> r = nps([10] * 20 + [8] * 12 + [3] * 8)
    >>> r.value, r.n, r.status
    (30.0, 40, 'ok')
    """
    return result_from_counts(nps_counts(scores), "nps", "nps", NPS_SCALE, rules)


def _top2(metric: str, scores: Scores, scale: int | None, rules: SampleRules | None) -> MetricResult:
    resolved = scale_for(metric, scale)
    counts = top2_counts(scores, resolved, metric)
    return result_from_counts(counts, "top2", metric, resolved, rules)


def csat(scores: Scores, scale: int = 5, rules: SampleRules | None = None) -> MetricResult:
    """Customer satisfaction as top-2-box % (4-5 of 5, 6-7 of 7), with the mean score.

    Parameters
    ----------
    scores : pandas.Series or sequence of float
        Raw answers on 1..scale; NaN is ignored.
    scale : int
        Number of scale points (5 or 7).
    rules : SampleRules, optional

    Returns
    -------
    MetricResult
        Value in percent with a Wilson 95% interval; ``mean`` is the mean raw score.

    Examples
    --------
    >>> r = csat([5, 4, 4, 3, 1] * 8)
    >>> r.value, r.mean
    (60.0, 3.4)
    """
    return _top2("csat", scores, scale, rules)


def ces(scores: Scores, scale: int = 7, rules: SampleRules | None = None) -> MetricResult:
    """Customer effort as % easy (top-2-box: 6-7 of 7, 4-5 of 5), with the mean score.

    Higher scores must mean easier; a reversed ("how much effort") question is
    turned around at ingestion, never here.

    Parameters
    ----------
    scores : pandas.Series or sequence of float
        Raw answers on 1..scale; NaN is ignored.
    scale : int
        Number of scale points (7 or 5).
    rules : SampleRules, optional

    Returns
    -------
    MetricResult

    Examples
    --------
    >>> ces([7, 6, 5, 2] * 10).value
    50.0
    """
    return _top2("ces", scores, scale, rules)


def psat(scores: Scores, scale: int = 5, rules: SampleRules | None = None) -> MetricResult:
    """Product or feature satisfaction.

    ``scale=2`` means a binary answer scored 0 (no) / 1 (yes) and the value is the
    percentage of 1s; 5- and 7-point scales are reported as top-2-box %.

    Parameters
    ----------
    scores : pandas.Series or sequence of float
        Raw answers; NaN is ignored.
    scale : int
        2 (binary 0/1), 5 or 7.
    rules : SampleRules, optional

    Returns
    -------
    MetricResult

    Examples
    --------
    >>> psat([1, 1, 1, 0] * 10, scale=2).value
    75.0
    """
    return _top2("psat", scores, scale, rules)
