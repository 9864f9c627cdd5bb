"""Tests for cxkit.text.safe: nothing from a comment can become live markup."""
from __future__ import annotations

import re

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cxkit.text.safe import safe_comment, safe_comments, shorten

ATTACKS = [
    "<script>alert(1)</script> mail me at jane.doe+x@corp.co.uk or +44 20 7946 0958",
    '<img src=x onerror=alert(1)> "quoted" \'single\'',
    '<a href="javascript:alert(1)">click</a>',
    "</textarea><svg/onload=alert(1)>",
    '"><iframe src=//evil.example>',
]


def _no_live_markup(out: str) -> None:
    assert "<" not in out and ">" not in out
    assert '"' not in out and "'" not in out
    assert not re.search(r"<\s*script", out, re.I)
    assert not re.search(r"<[^>]*onerror=", out, re.I)
    assert not re.search(r"<[^>]*javascript:", out, re.I)


def test_attacks_are_escaped_and_redacted():
    for text in ATTACKS:
        _no_live_markup(safe_comment(text))
    out = safe_comment(ATTACKS[0])
    assert out == "&lt;script&gt;alert(1)&lt;/script&gt; mail me at [email] or [phone]"


def test_names_and_addresses_are_redacted_before_escaping():
    out = safe_comment("Thanks to Jamal O'Neil at 10 Harbour Road <script>x</script>")
    assert out == "Thanks to [name] at [address] &lt;script&gt;x&lt;/script&gt;"


def test_quotes_are_escaped():
    assert safe_comment('say "hi" it\'s') == "say &quot;hi&quot; it&#x27;s"


def test_whitespace_and_invisible_characters_collapse():
    assert safe_comment("  slow\n\n\t support\u200b\u202e here  ") == "slow support here"


def test_truncates_at_word_boundary_before_escaping():
    # 'a & b & c & d' to 8 visible characters: 7 characters 'a & b &' end before a space
    # (a word boundary) + the ellipsis = 8; escaping comes after, so no entity is cut.
    assert safe_comment("a & b & c & d", max_chars=8) == "a &amp; b &amp;\u2026"
    # 'one, two three' to 9: the first 8 characters 'one, two' are followed by a space -> kept whole
    assert safe_comment("one, two three", max_chars=9) == "one, two\u2026"
    assert shorten("one two three", 9) == "one two\u2026"  # 'one two t' -> back to 'one two'
    assert shorten("abcdefghij", 5) == "abcd\u2026"  # one long word is cut inside


def test_missing_values_and_series():
    assert safe_comment(None) == ""
    out = safe_comments(pd.Series(["<b>x</b>", None], index=["r1", "r2"]))
    assert out.to_dict() == {"r1": "&lt;b&gt;x&lt;/b&gt;", "r2": ""}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_safe(text):
    out = safe_comment(text, max_chars=120)
    _no_live_markup(out)
    assert len(out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
               .replace("&quot;", '"').replace("&#x27;", "'")) <= 120
