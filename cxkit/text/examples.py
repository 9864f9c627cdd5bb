"""Pick a few comments that illustrate a theme, reproducibly and safely.

The rule, so that a reader can trust the examples are not cherry-picked:

1. Take the responses tagged with the theme that have a non-blank comment.
2. Drop every response from a group (``group_col``, usually the segment) with fewer than
   ``withhold_below`` responses in the whole table: a quote from a tiny group could identify
   the customer. Missing group values form one group of their own. Without a group column the
   whole table is one group.
3. Prefer comments of at least ``min_words`` words (short ones rarely say why); shorter ones
   are used only when there are not enough longer ones.
4. Shuffle with a seeded random generator (``numpy.random.default_rng(seed)``), take the first
   ``n`` whose display text is distinct, and return them in response order.

Every returned comment has been through :func:`cxkit.text.safe.safe_comment` (redacted,
escaped and shortened); raw comments are never returned.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit.errors import InputError, closest
from cxkit.text.safe import safe_comment


def example_comments(responses_wide: pd.DataFrame, tags: pd.DataFrame, theme: str, n: int = 3, seed: int = 0,
                     withhold_below: int = 10, group_col: str = "segment", *, min_words: int = 4,
                     max_chars: int = 280) -> list[str]:
    """Up to ``n`` display-safe example comments for one theme.

    Parameters
    ----------
    responses_wide : pandas.DataFrame
        One row per response with a ``comment`` column (see :mod:`cxkit.text.themes`).
    tags : pandas.DataFrame
        :func:`cxkit.text.themes.tag_themes` result with the same index.
    theme : str
        Theme id.
    n : int
        How many examples at most.
    seed : int
        Seed of the shuffle; the same inputs and seed always give the same examples.
    withhold_below : int
        Groups with fewer responses than this never supply an example.
    group_col : str
        Column defining the groups (ignored if absent).
    min_words : int
        Comments with at least this many words are preferred.
    max_chars : int
        Longest displayed length of a comment.

    Returns
    -------
    list of str
        HTML-escaped, redacted comments (possibly fewer than ``n``, possibly empty).

    Examples
    --------
    >>> wide = pd.DataFrame({"comment": ["Refund took weeks, mail me at a@b.co", "ok"] * 5})
    >>> tags = pd.DataFrame({"billing": [True, False] * 5})
    >>> example_comments(wide, tags, "billing", n=2)
    ['Refund took weeks, mail me at [email]']
    """
    if theme not in tags.columns:
        raise InputError(f"there is no theme '{theme}'", column="theme", found=theme,
                         expected="a theme id of the taxonomy", hint=closest(theme, map(str, tags.columns)))
    candidates = _eligible(responses_wide, tags[theme], withhold_below, group_col)
    comments = responses_wide.loc[candidates, "comment"].astype(str)
    long_enough = comments.str.split().str.len() >= min_words
    order = np.random.default_rng(seed).permutation(len(comments))
    ranked = sorted(order, key=lambda i: not long_enough.iloc[i])
    return _first_distinct(comments, ranked, n, max_chars)


def _eligible(wide: pd.DataFrame, flagged: pd.Series, withhold_below: int, group_col: str) -> pd.Index:
    if "comment" not in wide.columns:
        raise InputError("the responses have no comment column", column="comment",
                         expected="a column named 'comment' with the open answers")
    flagged = flagged.reindex(wide.index).fillna(False).astype(bool)
    text = wide["comment"].astype(object).map(lambda v: isinstance(v, str) and v.strip() != "")
    if group_col in wide.columns:
        groups = wide[group_col].astype(object).where(wide[group_col].notna(), "\0missing")
        sizes = groups.map(groups.value_counts())
    else:
        sizes = pd.Series(len(wide), index=wide.index)
    return wide.index[flagged & text & (sizes >= withhold_below)]


def _first_distinct(comments: pd.Series, ranked: list[int], n: int, max_chars: int) -> list[str]:
    chosen: dict[int, str] = {}
    seen: set[str] = set()
    for position in ranked:
        if len(chosen) == n:
            break
        shown = safe_comment(comments.iloc[position], max_chars)
        if shown and shown not in seen:
            seen.add(shown)
            chosen[position] = shown
    return [chosen[p] for p in sorted(chosen)]
