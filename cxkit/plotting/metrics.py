"""Charts of the metric engine's results: trends and segment comparisons with intervals."""
from __future__ import annotations

import pandas as pd

from cxkit.plotting.style import NEUTRAL, PALETTE, new_figure

LABELS = {"nps": "NPS", "csat": "CSAT % satisfied", "ces": "CES % easy", "psat": "PSAT % satisfied"}


def trend_chart(trends: dict[str, pd.DataFrame]):
    """Small multiples: one panel per metric, value per period with its 95% interval.

    Parameters
    ----------
    trends : dict of metric -> DataFrame
        Output of :func:`cxkit.metrics.trend` per metric.

    Returns
    -------
    matplotlib.figure.Figure
        Withheld or empty periods are left as gaps; small samples are drawn hollow.
    """
    metrics = [m for m, t in trends.items() if len(t)]
    fig, axes = new_figure((8.0, 2.4 * max(1, (len(metrics) + 1) // 2)), nrows=max(1, (len(metrics) + 1) // 2),
                           ncols=2 if len(metrics) > 1 else 1, squeeze=False)
    for ax, metric, colour in zip(axes.flat, metrics, PALETTE):
        _trend_panel(ax, trends[metric], metric, colour)
    for ax in list(axes.flat)[len(metrics):]:
        ax.set_visible(False)
    return fig


def _trend_panel(ax, table: pd.DataFrame, metric: str, colour: str) -> None:
    x = range(len(table))
    shown = table["value"].notna()
    yerr = [(table["value"] - table["ci_low"]).where(shown), (table["ci_high"] - table["value"]).where(shown)]
    ax.errorbar(x, table["value"], yerr=yerr, fmt="-", color=colour, ecolor=NEUTRAL, capsize=2, lw=1.5)
    small = table["status"].eq("small")
    ax.scatter([i for i, s in zip(x, shown & ~small) if s], table["value"][shown & ~small], color=colour, zorder=3, s=18)
    ax.scatter([i for i, s in zip(x, small) if s], table["value"][small], facecolors="white",
               edgecolors=colour, zorder=3, s=18, label="small sample")
    ax.set_xticks(list(x), [str(p) for p in table["period"]], rotation=45, fontsize=7)
    ax.set_title(LABELS.get(metric, metric), fontsize=10)
    ax.grid(axis="y", alpha=0.3)


def segment_chart(table: pd.DataFrame, by: str, metric: str):
    """Dot-and-interval chart of a metric by segment, withheld segments greyed out.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`cxkit.metrics.segments`.
    by : str
        The segment column.
    metric : str
        The metric shown.

    Returns
    -------
    matplotlib.figure.Figure
    """
    data = table.iloc[::-1].reset_index(drop=True)
    fig, ax = new_figure((7.0, 0.45 * len(data) + 1.2))
    for i, row in data.iterrows():
        if row["value"] is None or pd.isna(row["value"]):
            ax.text(0, i, "withheld (small sample)", va="center", color=NEUTRAL, fontsize=8)
            continue
        colour = PALETTE[0] if row["status"] == "ok" else NEUTRAL
        ax.plot([row["ci_low"], row["ci_high"]], [i, i], color=colour, lw=2, alpha=0.6)
        ax.scatter([row["value"]], [i], color=colour, zorder=3)
    ax.set_yticks(range(len(data)), [f"{v} (n={n:,})" for v, n in zip(data[by], data["n"])])
    ax.set_xlabel(LABELS.get(metric, metric) + " with 95% interval")
    ax.grid(axis="x", alpha=0.3)
    return fig
