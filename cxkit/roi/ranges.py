"""Ranges instead of lone numbers: assumptions, scenarios, tornado, simulation, payback.

A value function takes a mapping of assumption name to value and returns a number. It
must use only arithmetic and numpy functions so the simulation can pass whole arrays.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

ValueFn = Callable[[Mapping[str, float]], float]


@dataclass(frozen=True)
class Range:
    """A low / base / high figure.

    Examples
    --------
    >>> Range(80, 100, 120).scaled(2)
    Range(low=160.0, base=200.0, high=240.0)
    """

    low: float
    base: float
    high: float

    def scaled(self, factor: float) -> "Range":
        """Every figure multiplied by ``factor``."""
        return Range(float(self.low * factor), float(self.base * factor), float(self.high * factor))

    def ordered(self) -> "Range":
        """The same figures with ``low <= base <= high`` (low and high swapped if needed)."""
        lo, hi = sorted((self.low, self.high))
        return Range(float(lo), float(self.base), float(hi))

    def as_dict(self) -> dict[str, float]:
        """``{"low": ..., "base": ..., "high": ...}``."""
        return {"low": self.low, "base": self.base, "high": self.high}


@dataclass(frozen=True)
class Assumption:
    """One input of the ROI story, with its range and where it came from.

    Attributes
    ----------
    name : str
        Key used by value functions.
    label : str
        Plain-language name for charts and the assumption list.
    low, base, high : float
        Plausible range (input values, not outcome directions).
    source : str
        Where the figure came from (customer table, engagement, the default range...).
    unit : {"money", "share", "count", "points"}
        How to format it.
    """

    name: str
    label: str
    low: float
    base: float
    high: float
    source: str
    unit: str = "count"

    @property
    def is_fixed(self) -> bool:
        """True when the assumption carries no uncertainty."""
        return self.low == self.base == self.high


def with_multipliers(name: str, label: str, base: float, multipliers: tuple[float, float],
                     source: str, unit: str, cap: float | None = None) -> Assumption:
    """An assumption whose range is ``base`` times the low and high multipliers.

    Examples
    --------
    >>> with_multipliers("v", "value", 100, (0.8, 1.2), "engagement", "money").high
    120.0
    """
    lo, hi = base * multipliers[0], base * multipliers[1]
    if cap is not None:
        lo, hi = min(lo, cap), min(hi, cap)
    return Assumption(name, label, float(lo), float(base), float(hi), source, unit)


def base_values(assumptions: Mapping[str, Assumption]) -> dict[str, float]:
    """``{name: base}`` for a set of assumptions."""
    return {k: a.base for k, a in assumptions.items()}


def _sides(assumptions: Mapping[str, Assumption], fn: ValueFn) -> dict[str, tuple[float, float]]:
    """Per assumption, (pessimistic, optimistic) input value judged by its effect on ``fn``."""
    base = base_values(assumptions)
    out = {}
    for k, a in assumptions.items():
        at_low, at_high = float(fn({**base, k: a.low})), float(fn({**base, k: a.high}))
        out[k] = (a.low, a.high) if at_low <= at_high else (a.high, a.low)
    return out


def scenarios(assumptions: Mapping[str, Assumption], fn: ValueFn) -> pd.DataFrame:
    """Low, base and high scenarios: every input on its pessimistic, base or optimistic side.

    Returns
    -------
    DataFrame
        ``scenario, value`` plus one column per assumption holding the input used.

    Examples
    --------
    >>> a = {"x": Assumption("x", "x", 1, 2, 3, "t"), "c": Assumption("c", "c", 3, 2, 1, "t")}
    >>> scenarios(a, lambda p: p["x"] * 10 - p["c"])["value"].tolist()
    [7.0, 18.0, 29.0]
    """
    sides = _sides(assumptions, fn)
    rows = []
    for name, pick in (("low", 0), ("base", None), ("high", 1)):
        inputs = {k: (a.base if pick is None else sides[k][pick]) for k, a in assumptions.items()}
        rows.append({"scenario": name, "value": float(fn(inputs)), **inputs})
    return pd.DataFrame(rows)


def tornado(assumptions: Mapping[str, Assumption], fn: ValueFn) -> pd.DataFrame:
    """One-at-a-time sensitivity of ``fn`` to each assumption, widest swing first.

    Returns
    -------
    DataFrame
        ``input, label, low_input, high_input, value_at_low, value_at_high, base_value,
        swing``; fixed assumptions are left out.

    Examples
    --------
    >>> a = {"x": Assumption("x", "x", 1, 2, 3, "t"), "c": Assumption("c", "c", 1, 2, 3, "t")}
    >>> tornado(a, lambda p: p["x"] * 10 - p["c"])["input"].tolist()
    ['x', 'c']
    """
    base = base_values(assumptions)
    base_value = float(fn(base))
    rows = []
    for k, a in assumptions.items():
        if a.is_fixed:
            continue
        v_lo, v_hi = float(fn({**base, k: a.low})), float(fn({**base, k: a.high}))
        rows.append((k, a.label, a.low, a.high, v_lo, v_hi, base_value, abs(v_hi - v_lo)))
    cols = ["input", "label", "low_input", "high_input", "value_at_low", "value_at_high",
            "base_value", "swing"]
    return pd.DataFrame(rows, columns=cols).sort_values("swing", ascending=False,
                                                        kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class SimulationResult:
    """Monte Carlo summary: a 90 % interval, the median and the mean."""

    low: float
    median: float
    high: float
    mean: float
    n: int
    seed: int
    share_negative: float

    @property
    def interval(self) -> Range:
        """The 5th, 50th and 95th percentiles as a :class:`Range`."""
        return Range(self.low, self.median, self.high)


JointDraws = Callable[[np.random.Generator, int], Mapping[str, np.ndarray]]
"""``(rng, n) -> {input: n draws}`` for inputs that are estimated together (see :func:`simulate`)."""


def simulate(assumptions: Mapping[str, Assumption], fn: ValueFn, n: int = 10_000,
             seed: int = 0, joint: JointDraws | None = None) -> SimulationResult:
    """Seeded Monte Carlo: each uncertain input drawn from a triangular(low, base, high).

    Parameters
    ----------
    assumptions : mapping of str to Assumption
        The inputs with their ranges.
    fn : callable
        Value of a mapping of inputs (arrays of draws).
    n, seed : int
        Number of draws and the random seed.
    joint : callable, optional
        Draws for inputs estimated together, which replace their independent draws:
        churn rates from one churn model move together
        (:meth:`cxkit.roi.ChurnModel.draw_group_rates`).

    Returns
    -------
    SimulationResult
        5th percentile, median, 95th percentile and mean of ``fn`` over the draws.
    """
    rng = np.random.default_rng(seed)
    draws = {}
    for k, a in assumptions.items():
        lo, hi = min(a.low, a.high), max(a.low, a.high)
        mode = min(max(a.base, lo), hi)
        draws[k] = np.full(n, a.base, dtype=float) if lo == hi else rng.triangular(lo, mode, hi, n)
    if joint is not None:
        draws.update({k: v for k, v in joint(rng, n).items() if k in draws})
    values = np.broadcast_to(np.asarray(fn(draws), dtype=float), (n,))
    p5, p50, p95 = np.percentile(values, [5, 50, 95])
    return SimulationResult(float(p5), float(p50), float(p95), float(values.mean()), n, seed,
                            float(np.mean(values < 0)))


def annuity_factor(years: int, discount_rate: float) -> float:
    """Present value of 1 a year for ``years`` years, paid at each year's end.

    Examples
    --------
    >>> round(annuity_factor(3, 0.08), 4)   # 1/1.08 + 1/1.08**2 + 1/1.08**3
    2.5771
    """
    return float(sum((1 + discount_rate) ** -t for t in range(1, years + 1)))


def discounted_payback(cost: float, annual_benefit: float, horizon_years: int, discount_rate: float) -> float:
    """Years until a yearly benefit, discounted to today, has repaid an up-front cost.

    Benefits arrive at each year's end (as in :func:`annuity_factor`); within the year that
    completes the payback, the time is interpolated.

    Parameters
    ----------
    cost : float
        Spent up front.
    annual_benefit : float
        Received at the end of each year of the horizon.
    horizon_years : int
        Years the benefit lasts.
    discount_rate : float
        Annual discount rate.

    Returns
    -------
    float
        The payback in years; ``inf`` when the horizon ends first (or nothing is gained).

    Examples
    --------
    >>> round(discounted_payback(100.0, 60.0, 3, 0.10), 2)  # 54.5 after a year, 104.1 after two
    1.92
    >>> discounted_payback(250.0, 84.0, 3, 0.08)  # 216.5 over three years: short of the cost
    inf
    """
    if annual_benefit <= 0:
        return np.inf
    repaid = 0.0
    for year in range(1, horizon_years + 1):
        this_year = annual_benefit * (1 + discount_rate) ** -year
        if repaid + this_year >= cost:
            return year - 1 + (cost - repaid) / this_year
        repaid += this_year
    return np.inf


def payback(programme_cost: float, annual_benefit: Range | float, horizon_years: int,
            discount_rate: float) -> pd.DataFrame:
    """Payback, net present value and ROI of a programme per scenario.

    Parameters
    ----------
    programme_cost : float
        Total cost, spent up front.
    annual_benefit : Range or float
        Yearly benefit, assumed to start in year one and last the horizon.
    horizon_years : int
        Years of benefit counted.
    discount_rate : float
        Annual discount rate.

    Returns
    -------
    DataFrame
        ``scenario, annual_benefit, present_value, npv, roi, payback_years`` where ``roi``
        is ``(present_value - cost) / cost`` and payback is the discounted payback: the
        years until the benefits, in today's money, add up to the cost (see
        :func:`discounted_payback`), infinite when that does not happen within the horizon.
        Payback and NPV therefore never disagree: a negative NPV means no payback.

    Examples
    --------
    >>> payback(100.0, 50.0, 3, 0.0)[["npv", "roi", "payback_years"]].iloc[0].tolist()
    [50.0, 0.5, 2.0]
    """
    r = annual_benefit if isinstance(annual_benefit, Range) else Range(annual_benefit,
                                                                       annual_benefit, annual_benefit)
    factor = annuity_factor(horizon_years, discount_rate)
    rows = []
    for name, benefit in (("low", r.low), ("base", r.base), ("high", r.high)):
        pv = benefit * factor
        roi = (pv - programme_cost) / programme_cost if programme_cost > 0 else np.nan
        years = discounted_payback(programme_cost, benefit, horizon_years, discount_rate)
        rows.append((name, float(benefit), float(pv), float(pv - programme_cost), float(roi), float(years)))
    cols = ["scenario", "annual_benefit", "present_value", "npv", "roi", "payback_years"]
    df = pd.DataFrame(rows, columns=cols)
    return df if isinstance(annual_benefit, Range) else df[df["scenario"] == "base"].reset_index(drop=True)


def shift(assumption: Assumption, **changes: float | str) -> Assumption:
    """A copy of an assumption with some fields changed."""
    return replace(assumption, **changes)
