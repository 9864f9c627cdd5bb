"""Maturity charts: a radar of element levels with department overlays, and a heatmap.

Colours are the shared Okabe-Ito palette from :mod:`cxkit.plotting.style`; department
lines also differ in marker and dash so they stay apart in greyscale print.
"""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from cxkit.plotting.style import OKABE_ITO, PALETTE, SEQUENTIAL_CMAP, new_figure

_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
_DASHES = ["--", ":", "-.", (0, (5, 1)), (0, (3, 1, 1, 1)), (0, (1, 1))]


def _wrap(label: str, width: int = 16) -> str:
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


def radar(scores, by_department: pd.DataFrame | None = None):
    """Radar chart of element levels, with optional department overlays.

    Parameters
    ----------
    scores : MaturityScores
        From :func:`cxkit.maturity.score`; the overall line is the element medians.
    by_department : pandas.DataFrame, optional
        From :func:`cxkit.maturity.element_by_department` (index element names, one
        column per department). Missing levels are drawn at the centre.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fw, el = scores.framework, scores.elements
    names = el["element_name"].tolist()
    angles = np.linspace(0, 2 * np.pi, len(names), endpoint=False)
    closed = np.append(angles, angles[0])
    fig, ax = new_figure((8.0, 5.5), subplot_kw={"projection": "polar"})
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, fw.max_level)
    ax.set_yticks(range(1, fw.max_level + 1))
    ax.set_yticklabels([str(i) for i in range(1, fw.max_level + 1)], fontsize=8, color="#555555")
    ax.set_xticks(angles)
    ax.set_xticklabels([_wrap(n) for n in names], fontsize=8)
    if by_department is not None and not by_department.empty:
        frame = by_department.reindex(names)
        for i, dept in enumerate(frame.columns):
            values = frame[dept].fillna(0).to_numpy(dtype=float)
            ax.plot(closed, np.append(values, values[0]), color=PALETTE[(i + 1) % len(PALETTE)],
                    linestyle=_DASHES[i % len(_DASHES)], marker=_MARKERS[(i + 1) % len(_MARKERS)],
                    markersize=4, linewidth=1.3, label=str(dept))
    overall = el["level"].fillna(0).to_numpy(dtype=float)
    ax.plot(closed, np.append(overall, overall[0]), color=OKABE_ITO["black"], linewidth=2.4,
            marker="o", label="All respondents (median)")
    ax.fill(closed, np.append(overall, overall[0]), color=OKABE_ITO["sky"], alpha=0.15)
    ax.set_title(f"{fw.name}: level per element", pad=18)
    ax.legend(loc="upper left", bbox_to_anchor=(1.08, 1.0), fontsize=8)
    return fig


def heatmap(element_by_department: pd.DataFrame, max_level: int = 5):
    """Element x department heatmap of levels, with the value written in each cell.

    Parameters
    ----------
    element_by_department : pandas.DataFrame
        Index element names, one column per department (see
        :func:`cxkit.maturity.element_by_department`); NaN cells show an en dash.
    max_level : int
        Top of the scale (colour range is 1..max_level).

    Returns
    -------
    matplotlib.figure.Figure
    """
    data = element_by_department.astype(float)
    fig, ax = new_figure((8.0, max(3.0, 0.45 * len(data) + 1.5)))
    image = ax.imshow(np.ma.masked_invalid(data.to_numpy()), cmap=SEQUENTIAL_CMAP, vmin=1, vmax=max_level,
                      aspect="auto")
    ax.set_facecolor("#dddddd")
    ax.set_xticks(range(data.shape[1]))
    ax.set_xticklabels([_wrap(c, 14) for c in data.columns], fontsize=9)
    ax.set_yticks(range(data.shape[0]))
    ax.set_yticklabels([str(i) for i in data.index], fontsize=9)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    for (row, col), value in np.ndenumerate(data.to_numpy()):
        text = "–" if np.isnan(value) else (f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}")
        dark = np.isnan(value) or value >= 1 + 0.6 * (max_level - 1)  # viridis turns light at the top
        ax.text(col, row, text, ha="center", va="center", fontsize=9, color="black" if dark else "white")
    bar = fig.colorbar(image, ax=ax, ticks=range(1, max_level + 1), shrink=0.8)
    bar.set_label("Level")
    ax.set_title("Level per element and department")
    return fig
