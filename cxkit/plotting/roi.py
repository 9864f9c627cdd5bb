"""ROI charts: tornado, churn by NPS group, low / base / high range."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit.plotting.style import BAD, GOOD, NEUTRAL, OKABE_ITO, new_figure


def _money_axis(ax, currency: str, axis: str = "x") -> None:
    from matplotlib.ticker import FuncFormatter

    from cxkit.roi.format import format_money

    fmt = FuncFormatter(lambda v, _pos: format_money(v, currency))
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


def tornado_chart(tornado_df: pd.DataFrame, currency: str = "EUR", top: int = 8):
    """Sensitivity bars around the base value, widest at the top.

    Parameters
    ----------
    tornado_df : DataFrame
        From :func:`cxkit.roi.tornado`.
    currency : str
        For the axis labels.
    top : int
        Inputs shown.

    Returns
    -------
    matplotlib.figure.Figure
    """
    df = tornado_df[tornado_df["swing"] > 0].head(top).iloc[::-1]
    fig, ax = new_figure()
    if df.empty:
        ax.text(0.5, 0.5, "No uncertain inputs", ha="center", va="center", transform=ax.transAxes)
        return fig
    base = float(df["base_value"].iloc[0])
    ypos = np.arange(len(df))
    ax.barh(ypos, df["value_at_low"] - base, left=base, color=BAD, label="Input at its low end")
    ax.barh(ypos, df["value_at_high"] - base, left=base, color=GOOD, label="Input at its high end")
    ax.axvline(base, color=OKABE_ITO["black"], linewidth=1)
    ax.set_yticks(ypos, df["label"].tolist())
    _money_axis(ax, currency)
    ax.set_title("What the value depends on most")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def churn_by_group_chart(df: pd.DataFrame):
    """Churn rate per NPS group with 95 % intervals.

    Parameters
    ----------
    df : DataFrame
        From :func:`cxkit.roi.churn_by_nps_group`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = new_figure()
    rate = df["churn_rate"].to_numpy(float) * 100
    err = np.vstack([rate - df["ci_low"].to_numpy(float) * 100,
                     df["ci_high"].to_numpy(float) * 100 - rate])
    colours = [BAD, NEUTRAL, GOOD][: len(df)]
    ax.bar(df["group"].astype(str), np.nan_to_num(rate), yerr=np.nan_to_num(err), color=colours,
           capsize=4)
    for i, (r, n) in enumerate(zip(rate, df["customers"])):
        ax.annotate("no customers" if n == 0 else f"{r:.1f}% (n={n})", (i, 0),
                    xytext=(0, 4), textcoords="offset points", ha="center", fontsize=8)
    ax.set_ylabel("Annual churn (%)")
    ax.set_title("Churn by NPS group (95% interval)")
    return fig


def range_chart(scenarios, currency: str = "EUR", simulation=None):
    """Low / base / high bars, with the simulation's 90 % interval when given.

    Parameters
    ----------
    scenarios : DataFrame or Range
        From :func:`cxkit.roi.scenarios` (``scenario, value``) or a :class:`cxkit.roi.Range`.
    currency : str
        For the axis labels.
    simulation : SimulationResult, optional
        Shown as an interval line beside the bars; it must value the same thing as the
        bars (the ROI chapter's simulation values the goal over the horizon, so the
        chapter passes ``GoalValue.present_value``, not the annual scenarios).

    Returns
    -------
    matplotlib.figure.Figure
    """
    if isinstance(scenarios, pd.DataFrame):
        values = scenarios.set_index("scenario")["value"].reindex(["low", "base", "high"])
    else:
        values = pd.Series([scenarios.low, scenarios.base, scenarios.high], index=["low", "base", "high"])
    fig, ax = new_figure()
    ax.bar(values.index, values.to_numpy(float), color=[BAD, GOOD, OKABE_ITO["sky"]])
    if simulation is not None:
        ax.errorbar(["base"], [simulation.median],
                    yerr=[[simulation.median - simulation.low], [simulation.high - simulation.median]],
                    fmt="o", color=OKABE_ITO["black"], capsize=6, label="Simulation, 90% interval")
        ax.legend(loc="upper left", fontsize=8)
    _money_axis(ax, currency, axis="y")
    ax.set_title("Value: low, base and high case")
    return fig
