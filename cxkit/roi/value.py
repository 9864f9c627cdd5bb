"""What customer experience is worth: value at risk, value of moving detractors, goal value.

The linkage turns NPS points into customers: with ``N`` customers, one NPS point is
``N / 100`` customers moving from detractor to passive, or ``N / 200`` moving from
detractor to promoter (each such move counts twice in the NPS). Each moved customer saves
the difference in annual churn rate between the two groups times the average customer
value. No more detractors can move than there are.
"""
from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cxkit.config.targets import RoiSettings
from cxkit.errors import InputError
from cxkit.roi.format import format_money, format_share
from cxkit.roi.linkage import GROUPS, attach_nps, churn_by_nps_group, wilson_interval
from cxkit.roi.model import ChurnModel
from cxkit.roi.ranges import Assumption, Range, annuity_factor, scenarios, with_multipliers

POINTS_PER_SHARE = {"passive": 1.0, "promoter": 2.0}


def customers_moved(nps_points, customers, detractor_share, move_to: str = "passive"):
    """Detractors that must move to lift NPS by ``nps_points`` (capped at all detractors).

    Examples
    --------
    >>> customers_moved(5, 1000, 0.3), customers_moved(5, 1000, 0.3, "promoter")
    (50.0, 25.0)
    >>> customers_moved(5, 1000, 0.0)   # no detractors: nobody can move
    0.0
    """
    moved = np.maximum(nps_points, 0) * customers / 100.0 / POINTS_PER_SHARE[move_to]
    result = np.minimum(moved, customers * detractor_share) * 1.0
    return float(result) if np.ndim(result) == 0 else result


def annual_goal_value(p: Mapping[str, Any], move_to: str = "passive"):
    """Yearly value of an NPS uplift ``p["nps_uplift"]`` (works on arrays too).

    Needs ``customers, detractor_share, nps_uplift, average_value, churn_detractor`` and
    ``churn_<move_to>``.

    Examples
    --------
    >>> p = dict(customers=1000, detractor_share=0.3, nps_uplift=5, average_value=10_000,
    ...          churn_detractor=0.25, churn_passive=0.10)
    >>> round(annual_goal_value(p))   # 50 customers x (0.25 - 0.10) x 10,000
    75000
    """
    moved = customers_moved(p["nps_uplift"], p["customers"], p["detractor_share"], move_to)
    result = moved * (p["churn_detractor"] - p[f"churn_{move_to}"]) * p["average_value"]
    return float(result) if np.ndim(result) == 0 else result


def annual_decline_cost(nps_drop: float, p: Mapping[str, Any]) -> float:
    """Yearly value lost if NPS falls by ``nps_drop`` points (passives becoming detractors).

    Examples
    --------
    >>> p = dict(customers=1000, average_value=10_000, churn_detractor=0.25, churn_passive=0.10)
    >>> round(annual_decline_cost(2, p))   # 20 customers x 0.15 x 10,000
    30000
    """
    drop = max(float(nps_drop), 0.0)
    return float(drop * p["customers"] / 100.0 * (p["churn_detractor"] - p["churn_passive"])
                 * p["average_value"])


def group_rates(source: Any) -> dict[str, tuple[float, float, float]]:
    """Churn rate per NPS group as ``(low, base, high)`` from a model, a table or a mapping.

    Parameters
    ----------
    source : ChurnModel, DataFrame or mapping
        A fitted model (predicted rates), the output of :func:`churn_by_nps_group`, or
        ``{group: rate}`` / ``{group: (low, base, high)}``.
    """
    if isinstance(source, ChurnModel):
        t = source.predicted_by_group
        return {r.group: (r.ci_low, r.predicted_churn, r.ci_high) for r in t.itertuples()}
    if isinstance(source, pd.DataFrame):
        return {r.group: (r.ci_low, r.churn_rate, r.ci_high) for r in source.itertuples()}
    out = {}
    for g, v in dict(source).items():
        out[g] = tuple(float(x) for x in v) if isinstance(v, (tuple, list)) else (float(v),) * 3
    return out


def value_of_moving(model_or_rates: Any, n_detractors_moved: float, to: str = "passive",
                    average_value: float = 0.0,
                    value_range: tuple[float, float] = (0.8, 1.2)) -> Range:
    """Yearly value of moving ``n`` detractors to passives (or promoters).

    The base is ``n * (churn_detractor - churn_to) * average_value``. When the rates carry
    intervals the range uses the interval of the difference (half-widths combined in
    quadrature); point rates get the ``value_range`` multipliers.

    Returns
    -------
    Range

    Examples
    --------
    >>> value_of_moving({"detractor": 0.25, "passive": 0.10}, 40, average_value=10_000)
    Range(low=48000.0, base=60000.0, high=72000.0)
    """
    rates = group_rates(model_or_rates)
    (d_lo, d, d_hi), (t_lo, t, t_hi) = rates["detractor"], rates[to]
    if np.isnan(d) or np.isnan(t):
        return Range(0.0, 0.0, 0.0)
    diff = d - t
    half = float(np.hypot((d_hi - d_lo) / 2, (t_hi - t_lo) / 2))
    scale = n_detractors_moved * average_value
    if half == 0:
        return Range(diff * scale * value_range[0], diff * scale, diff * scale * value_range[1]).ordered()
    return Range((diff - half) * scale, diff * scale, (diff + half) * scale)


@dataclass(frozen=True)
class ValueAtRisk:
    """Customers at risk times their average value, as a range."""

    at_risk_customers: float
    share_at_risk: float
    average_value: float
    value: Range
    basis: str
    currency: str = "EUR"

    def _repr_html_(self) -> str:
        v = self.value
        return (f"<p>Value at risk: <strong>{html.escape(format_money(v.base, self.currency))}</strong> "
                f"a year (range {html.escape(format_money(v.low, self.currency))} – "
                f"{html.escape(format_money(v.high, self.currency))}); "
                f"{self.at_risk_customers:,.0f} customers ({format_share(self.share_at_risk)}) "
                f"× {html.escape(format_money(self.average_value, self.currency))}. "
                f"Basis: {html.escape(self.basis)}.</p>")


def value_at_risk(settings: RoiSettings, customers_with_nps: pd.DataFrame | None = None,
                  model: ChurnModel | None = None, currency: str = "EUR") -> ValueAtRisk:
    """Simple value at risk: customers at risk × average customer value.

    At risk means detractors (latest NPS 0-6) or, with ``settings.at_risk ==
    "predicted_churn"`` and a model, a predicted churn above ``settings.churn_cutoff``.
    Without a customer table the engagement's ``customers``, ``detractor_share`` and
    ``average_customer_value`` are used. The range applies ``settings.value_range``.

    Returns
    -------
    ValueAtRisk
    """
    mult = (settings.value_range.low, settings.value_range.high)
    if customers_with_nps is None or len(customers_with_nps) == 0:
        need = _require(settings, ["customers", "detractor_share", "average_customer_value"])
        n_risk = need["customers"] * need["detractor_share"]
        value = n_risk * need["average_customer_value"]
        return ValueAtRisk(n_risk, need["detractor_share"], need["average_customer_value"],
                           Range(value * mult[0], value, value * mult[1]),
                           "the engagement's assumed share of detractors", currency)
    df = customers_with_nps
    if settings.at_risk == "predicted_churn" and model is not None:
        risky = (model.predict(df) > settings.churn_cutoff).to_numpy()
        basis = f"customers whose predicted churn is above {format_share(settings.churn_cutoff)}"
    else:
        risky = (df["nps_group"].astype(str) == "detractor").to_numpy()
        basis = "the detractors in the customer table (latest NPS answer 0-6)"
    values = pd.to_numeric(df["annual_value"], errors="coerce")
    avg = float(values[risky].mean()) if risky.any() else 0.0
    n_risk = float(risky.sum())
    value = n_risk * avg
    return ValueAtRisk(n_risk, n_risk / len(df), avg, Range(value * mult[0], value, value * mult[1]),
                       basis, currency)


def figures_needed(settings: RoiSettings, customers: pd.DataFrame | None = None,
                   latest_nps: pd.DataFrame | None = None) -> list[str]:
    """The ``roi:`` figures the engagement must state because no data of the client gives them.

    A customer table gives the number of customers and their average value; customers'
    latest NPS answers give the share of detractors; the two joined give the churn rate of
    each NPS group. Whatever the data cannot give must be stated in ``engagement.yaml``.
    :func:`cxkit.roi.build_roi` refuses to run exactly when this list is not empty, naming
    every figure in it.

    Parameters
    ----------
    settings : RoiSettings
        The engagement's ``roi`` section.
    customers : DataFrame, optional
        ``operations/customers.csv``.
    latest_nps : DataFrame, optional
        Output of :func:`cxkit.roi.latest_nps_by_customer`.

    Returns
    -------
    list of str
        Field names of :class:`~cxkit.config.targets.RoiSettings`, in the order they are explained.

    Examples
    --------
    >>> figures_needed(RoiSettings(customers=500, churn_rate_detractor=0.2))
    ['average_customer_value', 'detractor_share', 'churn_rate_passive', 'churn_rate_promoter']
    """
    has_table = customers is not None and len(customers) > 0
    has_nps = latest_nps is not None and len(latest_nps) > 0
    linked = has_table and has_nps and len(attach_nps(customers, latest_nps)) > 0
    wanted = ["customers", "average_customer_value"] if not has_table else []
    wanted += [] if has_nps else ["detractor_share"]
    wanted += [] if linked else [f"churn_rate_{g}" for g in GROUPS]
    return [name for name in wanted if getattr(settings, name) is None]


FIGURE_NAMES = {
    "customers": "the number of active customers",
    "average_customer_value": "the average annual value of a customer",
    "detractor_share": "the share of customers who are detractors",
    "churn_rate_detractor": "the yearly churn rate of detractors",
    "churn_rate_passive": "the yearly churn rate of passives",
    "churn_rate_promoter": "the yearly churn rate of promoters",
}
"""What each figure of :func:`figures_needed` is, in words."""


def missing_figures(names: list[str]) -> InputError:
    """The error naming every ``roi:`` figure in ``names`` (see :func:`figures_needed`)."""
    return InputError("the ROI needs figures the client has not given", file="engagement.yaml",
                      column="roi." + ", roi.".join(names), expected="numbers under roi:",
                      hint="Add them to engagement.yaml or provide operations/customers.csv")


def _require(settings: RoiSettings, names: list[str]) -> dict[str, float]:
    missing = [n for n in names if getattr(settings, n) is None]
    if missing:
        raise missing_figures(missing)
    return {n: float(getattr(settings, n)) for n in names}


def _rate_assumptions(settings: RoiSettings, with_nps: pd.DataFrame | None,
                      model: ChurnModel | None) -> dict[str, Assumption]:
    mult = (settings.value_range.low, settings.value_range.high)
    data_rates, source = {}, None
    if model is not None:
        data_rates, source = group_rates(model), f"churn model on {model.n:,} customers, 95% interval"
    elif with_nps is not None and len(with_nps):
        table = churn_by_nps_group(with_nps)
        data_rates = group_rates(table)
        source = f"churn by NPS group, {int(table['customers'].sum()):,} customers, Wilson 95% interval"
    out = {}
    for g in GROUPS:
        name, field = f"churn_{g}", f"churn_rate_{g}"
        set_value = getattr(settings, field)
        label = f"Annual churn of {g}s"
        if set_value is not None:
            out[name] = with_multipliers(name, label, set_value, mult, "engagement", "share", cap=1.0)
        elif g in data_rates and not np.isnan(data_rates[g][1]):
            lo, base, hi = data_rates[g]
            out[name] = Assumption(name, label, float(lo), float(base), float(hi), source, "share")
        elif data_rates:
            out[name] = Assumption(name, label, 0.0, 0.0, 0.0,
                                   f"no {g}s among the customers; taken as 0", "share")
        else:
            raise InputError(f"the ROI needs the churn rate of {g}s", file="engagement.yaml",
                             column=f"roi.{field}", expected="a share between 0 and 1",
                             hint="Add it to engagement.yaml or provide operations/customers.csv")
    return out


def roi_assumptions(settings: RoiSettings, customers: pd.DataFrame | None = None,
                    customers_with_nps: pd.DataFrame | None = None,
                    model: ChurnModel | None = None,
                    nps_uplift: float | None = None,
                    nps_answers: pd.DataFrame | None = None) -> dict[str, Assumption]:
    """Every input of the ROI with its range and source.

    Figures set in the engagement take precedence over the customer table; anything not
    set comes from the table, and without a table from the engagement (or an error naming
    the missing field).

    Returns
    -------
    dict of str to Assumption
        ``customers, average_value, detractor_share, churn_detractor, churn_passive,
        churn_promoter`` and, when given, ``nps_uplift``.
    """
    mult = (settings.value_range.low, settings.value_range.high)
    has_table = customers is not None and len(customers) > 0
    with_nps = customers_with_nps if customers_with_nps is not None and len(customers_with_nps) else None
    out: dict[str, Assumption] = {}
    if settings.customers is not None or not has_table:
        n = _require(settings, ["customers"])["customers"]
        out["customers"] = Assumption("customers", "Active customers", n, n, n, "engagement")
    else:
        n = float(len(customers))
        out["customers"] = Assumption("customers", "Active customers", n, n, n, "customer table")
    if settings.average_customer_value is not None or not has_table:
        v = _require(settings, ["average_customer_value"])["average_customer_value"]
        src = "engagement"
    else:
        v, src = float(pd.to_numeric(customers["annual_value"], errors="coerce").mean()), "customer table (mean annual value)"
    out["average_value"] = with_multipliers("average_value", "Average annual customer value", v, mult,
                                            src, "money")
    groups = with_nps if with_nps is not None else nps_answers
    if settings.detractor_share is not None or groups is None or not len(groups):
        d = _require(settings, ["detractor_share"])["detractor_share"]
        out["detractor_share"] = with_multipliers("detractor_share", "Share of detractors", d, mult,
                                                  "engagement", "share", cap=1.0)
    else:
        k = int((groups["nps_group"].astype(str) == "detractor").sum())
        lo, hi = wilson_interval(k, len(groups))
        out["detractor_share"] = Assumption("detractor_share", "Share of detractors", lo,
                                            k / len(groups), hi,
                                            f"latest NPS of {len(groups):,} customers", "share")
    out.update(_rate_assumptions(settings, with_nps, model))
    if nps_uplift is not None:
        out["nps_uplift"] = with_multipliers("nps_uplift", "NPS points gained over the projection",
                                             float(nps_uplift), mult, "goal setting", "points")
    return out


@dataclass(frozen=True)
class GoalValue:
    """The value of reaching an NPS goal, relative to the no-improvement projection."""

    nps_uplift: float
    customers_moved: float
    move_to: str
    annual: Range
    present_value: Range
    horizon_years: int
    scenarios: pd.DataFrame


def goal_value(nps_uplift: float, assumptions: Mapping[str, Assumption],
               settings: RoiSettings) -> GoalValue:
    """Yearly and present value of an NPS goal's uplift, low / base / high.

    Parameters
    ----------
    nps_uplift : float
        Goal minus the no-improvement projection (not minus today's value): with a falling
        trend this includes stopping the decline.
    assumptions : mapping
        From :func:`roi_assumptions` (``nps_uplift`` is replaced by this argument's base).
    settings : RoiSettings
        Horizon, discount rate, ``move_to``.

    Returns
    -------
    GoalValue
    """
    a = dict(assumptions)
    mult = (settings.value_range.low, settings.value_range.high)
    if "nps_uplift" not in a or a["nps_uplift"].base != nps_uplift:
        a["nps_uplift"] = with_multipliers("nps_uplift", "NPS points gained over the projection",
                                           float(nps_uplift), mult, "goal setting", "points")

    def fn(p):
        return annual_goal_value(p, settings.move_to)

    table = scenarios(a, fn)
    annual = Range(*table.set_index("scenario")["value"].reindex(["low", "base", "high"]).tolist())
    factor = annuity_factor(settings.horizon_years, settings.discount_rate)
    moved = float(customers_moved(nps_uplift, a["customers"].base, a["detractor_share"].base,
                                  settings.move_to))
    return GoalValue(float(nps_uplift), moved, settings.move_to, annual, annual.scaled(factor),
                     settings.horizon_years, table)
