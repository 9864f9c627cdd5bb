"""The only form in which a customer's comment may appear in a deliverable.

Raw comments (the ``comment`` column of the tidy responses table) never reach output.
Every comment that a notebook, a table or a chart shows is first passed through
:func:`safe_comment`, which

1. redacts personal data (:func:`cxkit.text.redact.redact`),
2. removes control characters and collapses all whitespace to single spaces,
3. shortens the text at a word boundary, adding an ellipsis, and
4. HTML-escapes it (``<``, ``>``, ``&`` and both quote characters),

so the result can be placed inside HTML as text or in an attribute value without becoming
markup. Shortening happens before escaping so that an entity such as ``&amp;`` is never cut.
"""
from __future__ import annotations

import html
import re

import pandas as pd

from cxkit.text.redact import redact

ELLIPSIS = "\u2026"
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"\s+")


def safe_comment(text: str | None, max_chars: int = 280) -> str:
    """Redact, tidy, shorten and HTML-escape one comment for display.

    Parameters
    ----------
    text : str or None
        A raw comment; ``None`` or NaN give an empty string.
    max_chars : int
        Longest visible length before escaping, ellipsis included (at least 2).

    Returns
    -------
    str
        Escaped text that is safe inside HTML element content and quoted attributes.

    Examples
    --------
    >>> safe_comment('<b>Great</b> "support", mail me: ann@x.org')
    '&lt;b&gt;Great&lt;/b&gt; &quot;support&quot;, mail me: [email]'
    >>> safe_comment("The onboarding was slow and confusing", max_chars=20)
    'The onboarding was…'
    """
    if max_chars < 2:
        raise ValueError("max_chars must be at least 2")
    plain = tidy_whitespace(redact(text))
    return html.escape(shorten(plain, max_chars), quote=True)


def safe_comments(comments: pd.Series, max_chars: int = 280) -> pd.Series:
    """Apply :func:`safe_comment` to a Series (missing values become empty strings).

    Parameters
    ----------
    comments : pandas.Series
        Raw comments.
    max_chars : int
        Longest visible length of each comment.

    Returns
    -------
    pandas.Series
        Display-safe comments with the same index.

    Examples
    --------
    >>> safe_comments(pd.Series(["a & b", None])).tolist()
    ['a &amp; b', '']
    """
    values = comments.astype(object)
    unique = pd.unique(values[values.notna()])
    mapping = {value: safe_comment(value, max_chars) for value in unique}
    return values.map(lambda v: mapping.get(v, "") if v is not None and v == v else "")


def tidy_whitespace(text: str) -> str:
    """Drop control and invisible characters and collapse runs of whitespace.

    Examples
    --------
    >>> tidy_whitespace("  slow\\n\\n\\tsupport\\u200b ")
    'slow support'
    """
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def shorten(text: str, max_chars: int) -> str:
    """Cut ``text`` to at most ``max_chars`` characters at a word boundary, with an ellipsis.

    A single word longer than the limit is cut inside the word.

    Examples
    --------
    >>> shorten("one two three", 9)
    'one two…'
    >>> shorten("short", 9)
    'short'
    """
    if len(text) <= max_chars:
        return text
    head = text[: max_chars - 1]
    if not text[max_chars - 1].isspace() and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:.-") + ELLIPSIS
