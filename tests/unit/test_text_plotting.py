"""Tests for cxkit.plotting.text: figures are built, not shown."""
from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from cxkit.plotting.text import sentiment_by_theme, themes_bar
from cxkit.text.taxonomy import load_taxonomy
from cxkit.text.themes import theme_summary


@pytest.fixture(scope="module")
def summary():
    wide = pd.DataFrame({
        "comment": ["Invoice was wrong", "Waited ages on hold", "Great onboarding", "Billing $ costs", None] * 3,
        "nps": [2, 5, 10, 8, 9] * 3,
    })
    return theme_summary(wide, load_taxonomy())


def test_themes_bar_stacks_groups(summary):
    fig = themes_bar(summary)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "Billing and invoices"  # most mentioned (6 of 12 comments) is drawn at the top
    total_width = sum(p.get_width() for p in ax.patches)
    assert total_width == pytest.approx(summary["mentions"].sum())  # every mention drawn exactly once


def test_sentiment_by_theme(summary):
    fig = sentiment_by_theme(summary, min_mentions=3)
    ax = fig.axes[0]
    assert ax.get_xlim() == (-1, 1)
    assert len(ax.patches) == int((summary["mentions"] >= 3).sum())


def test_empty_summaries_give_message_figures():
    empty = theme_summary(pd.DataFrame({"comment": [None]}), load_taxonomy())
    assert isinstance(themes_bar(empty), Figure)
    assert isinstance(sentiment_by_theme(empty), Figure)
