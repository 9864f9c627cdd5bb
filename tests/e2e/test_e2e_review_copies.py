"""``--consultant`` review copies: with code, beside the deliverable and never inside it."""
from __future__ import annotations

from pathlib import Path

import pytest

from cxkit.run.chapters import CHAPTERS

pytestmark = [pytest.mark.xdist_group("review_copies"), pytest.mark.slow]

CODE = "load_client"  # called in the first code cell of every chapter


def _pages(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.html")}


def test_review_copies_live_outside_the_deliverable_and_follow_it(tmp_path: Path) -> None:
    from cxkit.demo import generate
    from cxkit.run.client_run import run_client

    generate(tmp_path / "data" / "small", seed=41, responses=100, name="Small Co")
    reports = tmp_path / "reports"
    result = run_client("small", tmp_path / "data", reports, consultant=True)
    assert result.status == "ok", result.error

    deliverable = reports / "small"
    assert not (deliverable / "consultant").exists()
    assert sorted(p.name for p in deliverable.iterdir() if p.is_dir()) == []
    assert all(CODE not in text for text in _pages(deliverable).values())

    review = reports / "_review" / "small"
    pages = _pages(review)
    assert set(pages) == {"index.html", *(c.file for c in CHAPTERS)}
    assert all(CODE in pages[c.file] for c in CHAPTERS), "a review copy lost its code"

    result = run_client("small", tmp_path / "data", reports)  # no review wanted this time
    assert result.status == "ok", result.error
    assert not review.exists(), "a review copy must not outlive the deliverable it matched"
    assert list((reports / "_review" / ".builds" / "small").glob("build-*")) == []
    assert (deliverable / "index.html").is_file()
