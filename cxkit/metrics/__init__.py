"""The metric engine: NPS, CSAT, CES and PSAT with intervals, comparisons, segments and trends.

Everything is computed from counts (:mod:`cxkit.metrics.counts`) and finalised by pure
functions (:mod:`cxkit.metrics.formulas`), so a SQL engine producing the same counts can
reuse the finalisers.

Examples
--------
>>> from cxkit.metrics import nps
>>> nps([10] * 20 + [8] * 12 + [3] * 8).display()
'NPS +30 (95% CI +5 to +51, n = 40)'
"""
from cxkit.metrics.compare import Comparison, compare, compare_results
from cxkit.metrics.formulas import nps_from_counts, top2_from_counts
from cxkit.metrics.result import MetricResult
from cxkit.metrics.sample import SampleRules, status_for
from cxkit.metrics.scales import Scale, ScoreError
from cxkit.metrics.score_metrics import ces, csat, nps, psat
from cxkit.metrics.segments import segment_vs_rest, segments
from cxkit.metrics.summary import summarise
from cxkit.metrics.trend import change_since_previous, declining_segments, segment_trend, trend

__all__ = [
    "Comparison",
    "MetricResult",
    "SampleRules",
    "Scale",
    "ScoreError",
    "ces",
    "change_since_previous",
    "compare",
    "compare_results",
    "csat",
    "declining_segments",
    "nps",
    "nps_from_counts",
    "psat",
    "segment_trend",
    "segment_vs_rest",
    "segments",
    "status_for",
    "summarise",
    "top2_from_counts",
    "trend",
]
