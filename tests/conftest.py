"""Shared fixtures: the demo client's deliverable, built once per test worker.

Tests that read the demo deliverable carry ``@pytest.mark.xdist_group("demo_report")`` so
that, under ``pytest -n 2 --dist loadgroup``, they share one worker and one build.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "client_data" / "demo"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("MPLCONFIGDIR", str(ROOT / ".cache" / "matplotlib"))


@pytest.fixture(scope="session")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of ``client_data/`` holding only the demo client (inputs stay pristine)."""
    base = tmp_path_factory.mktemp("client_data")
    shutil.copytree(DEMO, base / "demo")
    return base


@pytest.fixture(scope="session")
def demo_report(demo_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``reports/demo/`` built by ``cxkit.run.client_run.run_client`` from the demo copy."""
    from cxkit.run.client_run import run_client

    reports = tmp_path_factory.mktemp("reports")
    result = run_client("demo", demo_copy, reports)
    assert result.status == "ok", result.error
    return reports / "demo"


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (skipped where it is not installed)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium chromium-driver)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
