"""Geometry and text fitting for the journey map, free of matplotlib.

The map is drawn in data units: each stage is a column one unit wide, the vertical axis
runs from 0 (bottom) to 1 (top). These functions decide where every card goes, how big
the type may be and how names are wrapped or shortened so they stay inside their card.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pandas as pd

from cxkit.journey.schema import Journey

CHAR_WIDTH_EM = 0.64   # a cautious average glyph width for DejaVu Sans Bold, in ems
REGULAR_WIDTH_EM = 0.60  # the same for the regular weight
LINE_HEIGHT_EM = 1.25  # line spacing used for card text


@dataclass(frozen=True)
class CardBox:
    """Where one touchpoint card sits, in data units (x: stage columns, y: 0..1)."""

    touchpoint: str
    column: int
    x: float
    top: float
    width: float
    height: float


def fit_text(text: str, max_chars: int, max_lines: int) -> str:
    """Wrap ``text`` to at most ``max_lines`` of ``max_chars``, shortening with an ellipsis.

    Parameters
    ----------
    text : str
        The text to fit.
    max_chars : int
        Characters per line (at least 1).
    max_lines : int
        Lines at most (at least 1).

    Returns
    -------
    str
        Lines joined by newlines; every line has at most ``max_chars`` characters.

    Examples
    --------
    >>> fit_text("Onboarding kickoff call with the customer", 12, 2)
    'Onboarding\\nkickoff cal…'
    """
    max_chars, max_lines = max(1, max_chars), max(1, max_lines)
    lines = textwrap.wrap(" ".join(text.split()), max_chars, break_long_words=True) or [""]
    if len(lines) <= max_lines:
        return "\n".join(lines)
    kept = lines[:max_lines]
    kept[-1] = kept[-1][: max_chars - 1].rstrip() + "…"
    return "\n".join(kept)


def card_layout(journey: Journey, bottom: float, top: float, gap: float = 0.012,
                inset: float = 0.05, max_height: float = 0.16) -> list[CardBox]:
    """Place one card per touchpoint under its stage column, top to bottom.

    Parameters
    ----------
    journey : Journey
    bottom, top : float
        The vertical band for cards (0..1).
    gap : float
        Vertical space between cards.
    inset : float
        Horizontal margin inside each column (column width is 1).
    max_height : float
        Cards never grow taller than this, so short columns stay compact.

    Returns
    -------
    list of CardBox
        In journey order. All cards share one height, set by the fullest column.
    """
    tps = journey.ordered_touchpoints()
    order = journey.stage_order()
    per_column = pd.Series([order[t.stage] for t in tps]).value_counts()
    most = int(per_column.max()) if len(per_column) else 1
    height = min(max_height, (top - bottom - gap * (most - 1)) / most)
    boxes, used = [], {}
    for tp in tps:
        col = order[tp.stage]
        slot = used.get(col, 0)
        used[col] = slot + 1
        boxes.append(CardBox(tp.id, col, col + inset, top - slot * (height + gap), 1 - 2 * inset, height))
    return boxes


def card_font_size(height_pt: float, width_pt: float, lines: int = 4,
                   largest: float = 8.5, smallest: float = 5.0) -> float:
    """Pick the largest type size (points) that fits ``lines`` lines in a card.

    Examples
    --------
    >>> card_font_size(height_pt=60, width_pt=100)
    8.5
    >>> card_font_size(height_pt=20, width_pt=100)
    5.0
    """
    size = (height_pt * 0.85) / (lines * LINE_HEIGHT_EM)
    size = min(size, width_pt / (12 * CHAR_WIDTH_EM))
    return float(max(smallest, min(largest, size)))


def chars_per_line(width_pt: float, font_size: float, em: float = CHAR_WIDTH_EM) -> int:
    """How many characters fit on a line ``width_pt`` wide at ``font_size``.

    Parameters
    ----------
    width_pt : float
        Line width in points.
    font_size : float
        Type size in points.
    em : float
        Average glyph width in ems (bold by default; ``REGULAR_WIDTH_EM`` for regular).

    Examples
    --------
    >>> chars_per_line(93.0, 7.5)
    19
    """
    return max(1, int(width_pt / (font_size * em)))


def card_scores(journey: Journey, measured: pd.DataFrame | None) -> pd.DataFrame:
    """Choose the one score each card shows: a declared metric first, then the largest n.

    Parameters
    ----------
    journey : Journey
    measured : pandas.DataFrame or None
        From :func:`cxkit.journey.measured`.

    Returns
    -------
    pandas.DataFrame
        Indexed by touchpoint id: ``metric, value, n, status, score_index``; empty without
        measured data.
    """
    cols = ["metric", "value", "n", "status", "score_index"]
    if measured is None or measured.empty:
        return pd.DataFrame(columns=cols)
    ranked = measured.dropna(subset=["metric"]).sort_values(["declared", "n"], ascending=False, kind="stable")
    return ranked.drop_duplicates("touchpoint").set_index("touchpoint")[cols]
