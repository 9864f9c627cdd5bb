"""Importance x performance quadrants for key-driver results.

Cut lines are the medians of the attributes' own importance and performance, so the
quadrants say how attributes compare with each other, not with an absolute norm.
An attribute exactly on a cut line counts as *high* on that axis (with an odd number of
attributes the middle one sits on both lines).

==================  ==========  ===========
quadrant            importance  performance
==================  ==========  ===========
fix first           high        low
keep                high        high
lower priority      low         low
maintain/monitor    low         high
==================  ==========  ===========
"""
from __future__ import annotations

import numpy as np
import pandas as pd

FIX_FIRST = "fix first"
KEEP = "keep"
LOWER_PRIORITY = "lower priority"
MAINTAIN = "maintain/monitor"
QUADRANTS: tuple[str, ...] = (FIX_FIRST, KEEP, LOWER_PRIORITY, MAINTAIN)


def classify_quadrants(importance: pd.Series, performance: pd.Series) -> pd.DataFrame:
    """Place each attribute in an importance x performance quadrant.

    Parameters
    ----------
    importance : Series
        Importance per attribute (any unit; only the order against the median counts).
    performance : Series
        Performance per attribute, same index.

    Returns
    -------
    DataFrame
        Indexed like ``importance``: ``quadrant`` and the two cut lines
        ``importance_cut`` and ``performance_cut`` (the medians).

    Examples
    --------
    >>> imp = pd.Series([0.30, 0.10, 0.25, 0.05], index=list("abcd"))
    >>> perf = pd.Series([3.1, 3.0, 4.2, 4.4], index=list("abcd"))
    >>> classify_quadrants(imp, perf)["quadrant"].tolist()
    ['fix first', 'lower priority', 'keep', 'maintain/monitor']
    """
    importance_cut = float(np.median(importance.to_numpy(dtype=float)))
    performance_cut = float(np.nanmedian(performance.to_numpy(dtype=float)))
    high_imp = importance >= importance_cut
    high_perf = performance >= performance_cut
    quadrant = np.select(
        [high_imp & ~high_perf, high_imp & high_perf, ~high_imp & ~high_perf],
        [FIX_FIRST, KEEP, LOWER_PRIORITY], default=MAINTAIN,
    )
    return pd.DataFrame({"quadrant": quadrant, "importance_cut": importance_cut,
                         "performance_cut": performance_cut}, index=importance.index)
