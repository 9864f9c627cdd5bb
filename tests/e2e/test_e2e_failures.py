"""Issue 8 failure modes: a failing or exiting chapter, a killed run. The last good
deliverable must survive every one of them byte for byte."""
from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from cxkit.run.chapters import CHAPTERS
from e2e_support import STAKEHOLDER_FILES, cli_process, planted_notebook, tree_digest

pytestmark = [pytest.mark.xdist_group("demo_report"), pytest.mark.slow]

SHOW = "from cxkit.report import show, paragraph\nshow(paragraph('half a chapter'))"
EARLY_EXITS = {
    "sys_exit": "import sys\nsys.exit(0)",
    "raise_system_exit": "raise SystemExit",
    "kernel_dies": "import os\nos._exit(0)",
}


def _run(demo_copy: Path, reports: Path, chapter):
    from cxkit.run.client_run import run_client

    return run_client("demo", demo_copy, reports, chapters=(CHAPTERS[1], chapter))


def _assert_untouched(reports: Path, before: dict[str, str], stem: str) -> None:
    assert tree_digest(reports) == before, "the previous deliverable (and its builds) must stay byte-identical"
    assert not list(reports.rglob(f"{stem}.html")), "no page of the failed chapter may be left anywhere"
    assert not list(reports.rglob("*.tmp"))


def test_a_raising_cell_fails_the_run_and_keeps_the_previous_deliverable(
        demo_copy: Path, demo_report: Path, tmp_path: Path) -> None:
    reports = demo_report.parent
    before = tree_digest(reports)
    chapter = planted_notebook(tmp_path, "09_broken", [SHOW, "raise ValueError('the planted failure')"])
    result = _run(demo_copy, reports, chapter)
    assert result.status == "failed"
    # chapter number and stem, the cell's execution count (parameters=1, injected=2, show=3, raise=4)
    assert "chapter 9 (09_broken)" in result.error and "cell" in result.error
    assert "ValueError: the planted failure" in result.error
    assert "Traceback" not in result.error and str(tmp_path) not in result.error
    _assert_untouched(reports, before, "09_broken")


@pytest.mark.parametrize("how", sorted(EARLY_EXITS))
def test_a_chapter_that_stops_early_is_a_failure(how: str, demo_copy: Path, demo_report: Path,
                                                 tmp_path: Path) -> None:
    reports = demo_report.parent
    before = tree_digest(reports)
    chapter = planted_notebook(tmp_path, "09_exits", [SHOW, EARLY_EXITS[how], SHOW])
    result = _run(demo_copy, reports, chapter)
    assert result.status == "failed", f"{how} must not publish half a chapter"
    assert "chapter 9 (09_exits)" in result.error
    _assert_untouched(reports, before, "09_exits")


def test_a_killed_run_leaves_the_last_good_deliverable(demo_copy: Path, demo_report: Path,
                                                       tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(demo_report.parent, reports, symlinks=True)
    published = (reports / "demo").resolve()
    before = tree_digest(reports / "demo")
    proc = cli_process(["run", "demo", "--client-data", str(demo_copy), "--reports", str(reports), "--jobs", "1"],
                       tmp_path / "run.log")
    try:
        _wait_for_partial_build(reports / ".builds" / "demo", published, proc)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the whole session: cxkit and its kernel
        proc.wait(timeout=60)
    link = reports / "demo"
    assert link.is_symlink() and link.resolve() == published
    assert tree_digest(link) == before
    assert {p.name for p in link.iterdir()} >= set(STAKEHOLDER_FILES) | {"index.html", "manifest.json"}


def _wait_for_partial_build(builds: Path, published: Path, proc, timeout: float = 300.0) -> None:
    """Block until the new run has written at least one chapter into its own build folder."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the run ended before it could be killed"
        for build in builds.glob("build-*"):
            if build.resolve() != published and any(build.glob("*.html")):
                return
        time.sleep(0.2)
    pytest.fail("the run wrote no chapter within the time limit")
