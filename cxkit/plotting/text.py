"""Charts of what customers say: theme mentions by NPS group, and tone by theme.

Both functions take the table from :func:`cxkit.text.themes.theme_summary`, return a
matplotlib ``Figure`` in the shared style (:mod:`cxkit.plotting.style`, Okabe-Ito palette:
detractors vermillion, passives grey, promoters blue) and never call ``plt.show()``.
Theme labels may come from a client's ``themes.yaml``; ``$`` is escaped so matplotlib never
reads it as mathematics.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cxkit.plotting.style import BAD, FIGSIZE, GOOD, NEUTRAL, new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NO_SCORE = "#DDDDDD"
_GROUPS = (("mentions_detractor", "Detractors (0-6)", BAD), ("mentions_passive", "Passives (7-8)", NEUTRAL),
           ("mentions_promoter", "Promoters (9-10)", GOOD))


def themes_bar(summary: pd.DataFrame, top: int = 12) -> Figure:
    """Horizontal stacked bars: mentions of each theme split by NPS group.

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`cxkit.text.themes.theme_summary`.
    top : int
        Show the ``top`` most mentioned themes.

    Returns
    -------
    Figure
        Most mentioned theme at the top; comments without an NPS score in light grey.
    """
    shown = summary[summary["mentions"] > 0].nlargest(top, "mentions").iloc[::-1]
    if shown.empty:
        return _message_figure("No comment mentions any theme.")
    fig, ax = new_figure((FIGSIZE[0], max(2.5, 0.45 * len(shown) + 1.2)))
    labels = [_plain(label) for label in shown["label"]]
    left = np.zeros(len(shown))
    for column, name, colour in _GROUPS:
        values = shown[column].fillna(0).to_numpy(dtype=float)
        ax.barh(labels, values, left=left, color=colour, label=name)
        left += values
    unscored = shown["mentions"].to_numpy(dtype=float) - left
    if unscored.sum() > 0:
        ax.barh(labels, unscored, left=left, color=NO_SCORE, hatch="//", edgecolor="white", label="No NPS score")
    ax.set_xlabel("Comments mentioning the theme")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(f"What customers talk about (of {int(summary['n_comments'].iloc[0]):,} comments)")
    return fig


def sentiment_by_theme(summary: pd.DataFrame, min_mentions: int = 5) -> Figure:
    """Mean VADER sentiment of the comments on each theme, from most negative to most positive.

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`cxkit.text.themes.theme_summary`.
    min_mentions : int
        Themes with fewer mentions are left out (their mean would be too noisy).

    Returns
    -------
    Figure
        Bars from -1 to +1: vermillion when negative (<= -0.05), blue when positive
        (>= 0.05), grey in between; each bar is annotated with its number of comments.
    """
    shown = summary[(summary["mentions"] >= min_mentions) & summary["mean_sentiment"].notna()]
    if shown.empty:
        return _message_figure(f"No theme has {min_mentions} or more comments.")
    shown = shown.sort_values("mean_sentiment", ascending=False, kind="stable")
    fig, ax = new_figure((FIGSIZE[0], max(2.5, 0.45 * len(shown) + 1.2)))
    tone = shown["mean_sentiment"].to_numpy(dtype=float)
    colours = [BAD if v <= -0.05 else GOOD if v >= 0.05 else NEUTRAL for v in tone]
    labels = [_plain(label) for label in shown["label"]]
    ax.barh(labels, tone, color=colours)
    for y, (value, n) in enumerate(zip(tone, shown["mentions"])):
        ax.annotate(f"n={int(n)}", (value, y), xytext=(4 if value >= 0 else -4, 0), textcoords="offset points",
                    ha="left" if value >= 0 else "right", va="center", fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlim(-1, 1)
    ax.set_xlabel("Mean sentiment of the comments (-1 very negative, +1 very positive)")
    ax.set_title("Tone of the comments by theme")
    return fig


def _plain(text: str) -> str:
    return str(text).replace("$", r"\$")


def _message_figure(message: str) -> Figure:
    fig, ax = new_figure((FIGSIZE[0], 1.6))
    ax.axis("off")
    ax.text(0.5, 0.5, _plain(message), ha="center", va="center", transform=ax.transAxes)
    return fig
