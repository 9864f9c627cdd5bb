"""Operational linkage and key-driver analysis.

* :func:`wide_scores` - one row per survey response, one column per metric.
* :func:`join_contacts` - link responses to operational contacts (by contact id, or by
  customer within a time window) -> :class:`JoinResult`.
* :func:`operational_effects` - how wait time, transfers, reopens and handle time move a
  score (OLS with HC3 errors, plus top-2-box marginal effects) -> :class:`EffectsResult`.
* :func:`shapley_r2` / :func:`key_drivers` - relative importance of survey attributes
  (Shapley decomposition of R², bootstrap intervals, quadrants) -> :class:`KeyDriversResult`.
"""
from cxkit.drivers.join import JoinResult, join_contacts
from cxkit.drivers.linkage import EffectsResult, operational_effects
from cxkit.drivers.shapley import KeyDriversResult, key_drivers, shapley_r2
from cxkit.drivers.wide import wide_scores

__all__ = [
    "EffectsResult", "JoinResult", "KeyDriversResult", "join_contacts", "key_drivers",
    "operational_effects", "shapley_r2", "wide_scores",
]
