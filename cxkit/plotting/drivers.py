"""Charts for operational linkage and key-driver results.

Both functions take a result object from :mod:`cxkit.drivers`, return a matplotlib
``Figure`` built with the shared style (:mod:`cxkit.plotting.style`, Okabe-Ito palette)
and never call ``plt.show()``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cxkit.drivers.labels import outcome_label, top_box_label
from cxkit.drivers.quadrants import FIX_FIRST, KEEP, LOWER_PRIORITY, MAINTAIN
from cxkit.plotting.style import BAD, FIGSIZE, GOOD, NEUTRAL, OKABE_ITO, new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from cxkit.drivers.linkage import EffectsResult
    from cxkit.drivers.shapley import KeyDriversResult

_QUADRANT_COLOURS = {
    FIX_FIRST: OKABE_ITO["vermillion"], KEEP: OKABE_ITO["blue"],
    LOWER_PRIORITY: NEUTRAL, MAINTAIN: OKABE_ITO["green"],
}


def effects_chart(effects: EffectsResult) -> Figure:
    """Dot-and-whisker chart of each driver's effect with its 95% interval.

    Parameters
    ----------
    effects : EffectsResult
        From :func:`cxkit.drivers.operational_effects`.

    Returns
    -------
    Figure
        Left panel: scale points per unit (OLS, HC3 interval). Right panel, when the
        top-2-box model was fitted: percentage points of the top-2-box share (average
        marginal effects). Red = lowers the score, blue = raises it, grey = the interval
        includes zero. A message figure when the result has no effects.
    """
    name = outcome_label(effects.outcome)
    if effects.status != "ok" or effects.effects.empty:
        return _message_figure(effects.summary()[0])
    table = effects.effects.iloc[::-1]
    has_pp = bool(table["pp_effect"].notna().any())
    size = (10.0, 1.6 + 0.7 * len(table))
    fig, axes = new_figure(size, ncols=2 if has_pp else 1, sharey=True, squeeze=False)
    labels = [unit[:1].upper() + unit[1:] for unit in table["unit"]]
    _dots(axes[0, 0], table["coefficient"], table["ci_low"], table["ci_high"], labels)
    axes[0, 0].set_xlabel(f"Change in mean {name}\n(scale points)")
    if has_pp:
        _dots(axes[0, 1], table["pp_effect"], table["pp_ci_low"], table["pp_ci_high"], labels)
        axes[0, 1].set_xlabel(f"Change in {top_box_label(effects.outcome)}\n(percentage points)")
    fig.suptitle(f"What moves {name}: effect with 95% interval (n = {effects.n:,})")
    return fig


def quadrant_chart(key_drivers: KeyDriversResult) -> Figure:
    """Importance x performance chart naming what to fix, keep and leave for later.

    Parameters
    ----------
    key_drivers : KeyDriversResult
        From :func:`cxkit.drivers.key_drivers`.

    Returns
    -------
    Figure
        Each attribute at (mean rating, % of explained variation) with its bootstrap
        interval, dashed median cut lines and the quadrant names in the corners. A
        message figure when the result has no attributes.
    """
    if key_drivers.status != "ok" or key_drivers.table.empty:
        return _message_figure(key_drivers.summary()[0])
    table = key_drivers.table
    fig, ax = new_figure(FIGSIZE)
    for _, row in table.iterrows():
        _attribute_point(ax, row)
    importance_cut = 100 * key_drivers.importance_cut / key_drivers.r_squared
    ax.axvline(key_drivers.performance_cut, color=NEUTRAL, linestyle="--", linewidth=1)
    ax.axhline(importance_cut, color=NEUTRAL, linestyle="--", linewidth=1)
    _quadrant_names(ax)
    ax.set_xlabel("Performance: mean rating")
    ax.set_ylabel(f"Importance: % of explained variation in {outcome_label(key_drivers.outcome)}")
    ax.set_title(f"Key drivers of {outcome_label(key_drivers.outcome)} "
                 f"(R² = {key_drivers.r_squared:.2f}, n = {key_drivers.n:,})")
    _pad_limits(ax, table)
    return fig


def _dots(ax: Axes, centre, low, high, labels: list[str]) -> None:
    from matplotlib.ticker import MaxNLocator

    ys = np.arange(len(labels))
    colours = [NEUTRAL if lo <= 0 <= hi else (BAD if c < 0 else GOOD)
               for c, lo, hi in zip(centre, low, high)]
    for y, c, lo, hi, colour in zip(ys, centre, low, high, colours):
        if np.isnan(c):
            continue
        ax.plot([lo, hi], [y, y], color=colour, linewidth=2)
        ax.plot(c, y, "o", color=colour, markersize=7)
    ax.axvline(0, color="#000000", linewidth=0.8)
    ax.set_yticks(ys, labels)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))


def _attribute_point(ax: Axes, row) -> None:
    colour = _QUADRANT_COLOURS[row["quadrant"]]
    y = row["importance_pct"]
    if not np.isnan(row["pct_ci_low"]):
        ax.plot([row["mean_rating"]] * 2, [row["pct_ci_low"], row["pct_ci_high"]],
                color=colour, alpha=0.4, linewidth=3)
    ax.plot(row["mean_rating"], y, "o", color=colour, markersize=9)
    ax.annotate(str(row["label"]), (row["mean_rating"], y), xytext=(7, 4),
                textcoords="offset points", fontsize=9)


def _quadrant_names(ax: Axes) -> None:
    corners = [(FIX_FIRST, 0.02, 0.97, "left", "top"), (KEEP, 0.98, 0.97, "right", "top"),
               (LOWER_PRIORITY, 0.02, 0.03, "left", "bottom"),
               (MAINTAIN, 0.98, 0.03, "right", "bottom")]
    for name, x, y, ha, va in corners:
        ax.text(x, y, name.capitalize(), transform=ax.transAxes, ha=ha, va=va,
                color=_QUADRANT_COLOURS[name], fontweight="bold")


def _pad_limits(ax: Axes, table) -> None:
    x = table["mean_rating"].to_numpy(dtype=float)
    span = max(float(np.ptp(x)), 0.2)
    ax.set_xlim(x.min() - 0.25 * span, x.max() + 0.35 * span)
    top = np.nanmax(np.r_[table["importance_pct"], table["pct_ci_high"]])
    ax.set_ylim(-0.12 * top, top * 1.25)  # bands above and below the data for quadrant names


def _message_figure(message: str) -> Figure:
    fig, ax = new_figure((6.0, 1.5))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True, transform=ax.transAxes)
    return fig
