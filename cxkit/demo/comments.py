"""Open comments for the demo surveys: a pool of varied sentences and who writes which.

Comments are stored as integer codes into a :class:`CommentPool`, so even ten million
responses need no per-row string work until they are written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from cxkit.demo import comment_templates as tpl

THEMES = tpl.THEMES
NEGATIVE, POSITIVE = 0, 1

MIXES: dict[str, tuple[dict[str, float], dict[str, float]]] = {
    "relationship": (
        {"product_reliability": 42, "performance": 12, "price_value": 12, "integrations": 8,
         "wait_time": 7, "billing": 6, "documentation": 5, "onboarding": 4, "ease_of_use": 3,
         "staff_attitude": 1},
        {"ease_of_use": 25, "staff_attitude": 22, "integrations": 10, "onboarding": 10,
         "performance": 8, "product_reliability": 8, "documentation": 7, "price_value": 6,
         "wait_time": 2, "billing": 2},
    ),
    "support": (
        {"wait_time": 30, "product_reliability": 25, "staff_attitude": 20, "documentation": 10,
         "integrations": 8, "performance": 7},
        {"staff_attitude": 50, "wait_time": 25, "documentation": 10, "product_reliability": 5,
         "ease_of_use": 10},
    ),
    "support_slow": (
        {"wait_time": 70, "staff_attitude": 15, "product_reliability": 15},
        {"staff_attitude": 60, "wait_time": 40},
    ),
    "feature": (
        {"product_reliability": 40, "performance": 25, "ease_of_use": 20, "integrations": 10,
         "documentation": 5},
        {"ease_of_use": 45, "performance": 20, "product_reliability": 15, "integrations": 20},
    ),
    "onboarding": (
        {"onboarding": 60, "integrations": 15, "documentation": 15, "staff_attitude": 10},
        {"onboarding": 60, "staff_attitude": 30, "documentation": 10},
    ),
    "billing": (
        {"billing": 80, "wait_time": 10, "staff_attitude": 10},
        {"billing": 70, "staff_attitude": 30},
    ),
    "self_service": (
        {"documentation": 55, "ease_of_use": 25, "performance": 20},
        {"documentation": 50, "ease_of_use": 50},
    ),
}
"""Theme weights (negative, positive) for each kind of touchpoint."""


@dataclass(frozen=True)
class CommentPool:
    """Distinct comment texts grouped by theme and tone.

    Attributes
    ----------
    texts : tuple of str
        Every distinct comment; codes index into it.
    start, size : numpy.ndarray
        ``[theme, tone]`` offset and length of each group inside ``texts`` (tone 0 negative,
        1 positive). Texts after the last group (planted ones) belong to no group.
    """

    texts: tuple[str, ...]
    start: np.ndarray
    size: np.ndarray

    def with_texts(self, extra: tuple[str, ...]) -> CommentPool:
        """Return a pool with ``extra`` texts appended (outside every group)."""
        return CommentPool(self.texts + tuple(extra), self.start, self.size)


def build_pool(rng: np.random.Generator, per_group: int = 150) -> CommentPool:
    """Compose up to ``per_group`` distinct comments for every theme and tone.

    Examples
    --------
    >>> pool = build_pool(np.random.default_rng(1), per_group=20)
    >>> pool.start.shape
    (10, 2)
    """
    texts: list[str] = []
    start = np.zeros((len(THEMES), 2), dtype=np.int64)
    size = np.zeros((len(THEMES), 2), dtype=np.int64)
    for t, theme in enumerate(THEMES):
        for tone in (NEGATIVE, POSITIVE):
            group = _compose_group(rng, theme, tone, per_group)
            start[t, tone], size[t, tone] = len(texts), len(group)
            texts.extend(group)
    return CommentPool(tuple(texts), start, size)


def _compose_group(rng: np.random.Generator, theme: str, tone: int, n: int) -> list[str]:
    """Draw ``n`` comments of one theme and tone; keep the distinct ones in draw order."""
    sentences = (tpl.NEGATIVE if tone == NEGATIVE else tpl.POSITIVE)[theme]
    openers = tpl.OPENERS_NEGATIVE if tone == NEGATIVE else tpl.OPENERS_POSITIVE
    closers = tpl.CLOSERS_NEGATIVE if tone == NEGATIVE else tpl.CLOSERS_POSITIVE
    seen: dict[str, None] = {}
    for _ in range(n):
        body = _fill(rng, sentences[rng.integers(len(sentences))])
        text = _join(openers[rng.integers(len(openers))], body)
        seen.setdefault(text + closers[rng.integers(len(closers))], None)
    return list(seen)


def _fill(rng: np.random.Generator, template: str) -> str:
    """Replace every ``{slot}`` with a random filler and capitalise the sentence."""
    def pick(match: re.Match[str]) -> str:
        options = tpl.FILLERS[match.group(1)]
        return options[rng.integers(len(options))]
    text = re.sub(r"\{(\w+)\}", pick, template)
    return text[0].upper() + text[1:]


def _join(opener: str, body: str) -> str:
    """Attach an opener; after "but " or a comma the sentence continues in lower case."""
    if opener.endswith(("but ", ", ")) and not re.match(r"I\b", body):
        body = body[0].lower() + body[1:]
    return opener + body


def choose_comments(rng: np.random.Generator, pool: CommentPool, context: np.ndarray,
                    contexts: tuple[str, ...], negative: np.ndarray,
                    has_comment: np.ndarray) -> np.ndarray:
    """Pick a comment code per response (-1 where there is no comment).

    Parameters
    ----------
    context : numpy.ndarray
        Index into ``contexts`` (keys of :data:`MIXES`) for every response.
    negative : numpy.ndarray of bool
        Whether the response's comment is a complaint.
    has_comment : numpy.ndarray of bool
        Whether the respondent wrote anything.
    """
    n = len(context)
    theme = np.zeros(n, dtype=np.int64)
    for c, name in enumerate(contexts):
        for tone, is_tone in ((NEGATIVE, negative), (POSITIVE, ~negative)):
            rows = np.flatnonzero((context == c) & is_tone)
            if len(rows):
                theme[rows] = _draw_themes(rng, MIXES[name][tone], len(rows))
    tone_of = np.where(negative, NEGATIVE, POSITIVE)
    offset = np.floor(rng.random(n) * pool.size[theme, tone_of]).astype(np.int64)
    codes = pool.start[theme, tone_of] + offset
    return np.where(has_comment, codes, -1).astype(np.int32)


def _draw_themes(rng: np.random.Generator, mix: dict[str, float], n: int) -> np.ndarray:
    """Draw ``n`` theme indices from a weight table."""
    index = np.array([THEMES.index(name) for name in mix])
    weight = np.array(list(mix.values()), dtype=float)
    return index[rng.choice(len(index), size=n, p=weight / weight.sum())]


def plant_sensitive(rng: np.random.Generator, codes: np.ndarray, pool: CommentPool,
                    extra: tuple[str, ...]) -> tuple[np.ndarray, CommentPool]:
    """Swap a few existing comments for ones holding personal data or markup.

    Parameters
    ----------
    extra : tuple of str
        The planted texts (e.g. part of :data:`~comment_templates.SENSITIVE`), one row each.

    Returns
    -------
    tuple
        New codes and the pool extended with ``extra``.
    """
    candidates = np.flatnonzero(codes >= 0)
    rows = np.sort(rng.choice(candidates, size=min(len(extra), len(candidates)), replace=False))
    out = codes.copy()
    out[rows] = len(pool.texts) + np.arange(len(rows), dtype=np.int32)
    return out, pool.with_texts(extra)


def comment_texts(codes: np.ndarray, pool: CommentPool) -> np.ndarray:
    """Return an object array of texts for codes (``None`` for -1).

    Examples
    --------
    >>> pool = CommentPool(("a", "b"), np.zeros((1, 2), int), np.ones((1, 2), int))
    >>> comment_texts(np.array([1, -1]), pool).tolist()
    ['b', None]
    """
    table = np.array(pool.texts + (None,), dtype=object)
    return table[np.where(codes >= 0, codes, len(pool.texts))]
