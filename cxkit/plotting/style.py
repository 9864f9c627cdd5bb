"""The shared look of every chart: a colour-blind-safe palette and print-friendly sizes.

The palette is Okabe & Ito (2008), "Color Universal Design", distinguishable under the
common forms of colour-vision deficiency and in greyscale print when paired with markers.
"""
from __future__ import annotations

from typing import Any

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
PALETTE = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple", "yellow", "black")]
GOOD, NEUTRAL, BAD = OKABE_ITO["blue"], "#999999", OKABE_ITO["vermillion"]
DIVERGING_CMAP = "RdBu"  # red-blue diverges safely for deuteranopia and protanopia
SEQUENTIAL_CMAP = "viridis"
FIGSIZE = (8.0, 4.5)
WIDE_FIGSIZE = (11.0, 7.5)


def rc_params() -> dict[str, Any]:
    """Matplotlib settings shared by every cxkit chart (pass to ``matplotlib.rc_context``)."""
    from cycler import cycler

    return {
        "axes.prop_cycle": cycler(color=PALETTE),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.labelsize": 10,
        "font.size": 10,
        "legend.frameon": False,
        "figure.dpi": 100,
        "savefig.dpi": 110,
        "savefig.bbox": "tight",
    }


def new_figure(figsize: tuple[float, float] = FIGSIZE, **subplot_kw: Any):
    """Create a Figure (not registered with pyplot) and its axes in the cxkit style.

    Parameters
    ----------
    figsize : tuple of float
        Width and height in inches.
    **subplot_kw
        Passed to ``Figure.subplots`` (``nrows``, ``ncols``, ``subplot_kw``...).

    Returns
    -------
    (Figure, Axes or array of Axes)
    """
    import matplotlib as mpl
    from matplotlib.figure import Figure

    with mpl.rc_context(rc_params()):
        fig = Figure(figsize=figsize, layout="constrained")
        axes = fig.subplots(**subplot_kw)
    return fig, axes
