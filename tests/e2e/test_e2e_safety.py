"""Issue 8: an adversarial client's deliverable. Planted markup only ever appears escaped,
planted personal data never appears, and every page is self-contained and script-free."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from adversarial import EVIL_NAME, PAYLOADS, PERSONAL
from e2e_support import STAKEHOLDER_FILES, strip_images

pytestmark = [pytest.mark.xdist_group("demo_report"), pytest.mark.slow]

CSP = re.compile(r'<meta[^>]*http-equiv="Content-Security-Policy"[^>]*>', re.I)
TAG = re.compile(r"<[a-zA-Z][^>]*>")
REMOTE = re.compile(r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
CSS_REMOTE = re.compile(r"""(?:url\(\s*["']?\s*(?:https?:)?//|@import)""", re.I)


@pytest.fixture(scope="module")
def evil(pair_run) -> Path:
    assert pair_run.returncodes["evil"] == 0, pair_run.logs["evil"]
    return pair_run.reports / "evil"


@pytest.fixture(scope="module")
def outputs(evil: Path) -> dict[str, str]:
    """Every file of the deliverable (stakeholder pages, index, manifest) with images removed."""
    return {p.name: strip_images(p.read_text(encoding="utf-8")) for p in sorted(evil.iterdir()) if p.is_file()}


def test_the_adversarial_client_runs_to_the_end(evil: Path) -> None:
    assert {p.name for p in evil.iterdir()} >= set(STAKEHOLDER_FILES) | {"index.html", "manifest.json"}


def test_no_executable_markup_anywhere(outputs: dict[str, str]) -> None:
    for name, text in outputs.items():
        assert "<script" not in text.lower(), name
        for tag in TAG.findall(text):
            low = tag.lower()
            assert not re.search(r"\son[a-z]+\s*=", low), f"{name}: event handler in {tag[:80]}"
            assert "javascript:" not in low, f"{name}: javascript: URL in {tag[:80]}"
        assert "<strong>bold</strong>" not in text and "<b>bold</b>" not in text, f"{name}: Markdown was rendered"


def test_payloads_appear_escaped(outputs: dict[str, str]) -> None:
    pages = "".join(t for n, t in outputs.items() if n.endswith(".html"))
    for payload in PAYLOADS:
        if "<" in payload:
            assert payload not in pages
    # the segment and title payloads are shown, as text
    assert html.escape(PAYLOADS[1]) in pages
    assert html.escape("<script>alert(1)</script>") in pages
    assert EVIL_NAME in outputs["index.html"]


def test_personal_data_appears_nowhere(outputs: dict[str, str]) -> None:
    for name, text in outputs.items():
        flat = html.unescape(text)
        for value in PERSONAL:
            assert value not in flat, f"{name} shows planted personal data {value!r}"
        assert "jane.doe" not in flat and "4111111111111111" not in flat.replace(" ", "")


def test_every_page_has_a_strict_csp(outputs: dict[str, str]) -> None:
    for name in (*STAKEHOLDER_FILES, "index.html"):
        metas = CSP.findall(outputs[name])
        assert metas, f"{name} has no Content-Security-Policy"
        policy = html.unescape(re.search(r'content="([^"]*)"', metas[0]).group(1))
        assert "default-src 'none'" in policy and "script-src 'none'" in policy, name
        assert "img-src data:" in policy and "http" not in policy, name
        head = outputs[name].split("<body", 1)[0]
        assert CSP.search(head), f"{name}: the policy must sit in <head> to apply"


def test_pages_are_self_contained(outputs: dict[str, str], evil: Path) -> None:
    for name in (*STAKEHOLDER_FILES, "index.html"):
        text = outputs[name]
        assert not REMOTE.search(text), f"{name} loads something remote: {REMOTE.search(text)}"
        assert not CSS_REMOTE.search(text), f"{name} has a remote stylesheet reference"
        assert "<link" not in text.lower() or 'rel="stylesheet"' not in text.lower(), name
        raw = (evil / name).read_text(encoding="utf-8")
        for src in re.findall(r'<img[^>]*\ssrc="([^"]*)"', raw):
            assert src.startswith("data:image/"), f"{name}: image not embedded ({src[:40]})"
