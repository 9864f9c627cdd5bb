"""Browser-test helpers: the deliverable under test and the artifact folder.

Set ``CXKIT_TEST_REPORT=/path/to/reports/demo`` to point the deliverable tests at an
existing build instead of running the demo client again (handy while editing templates).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def deliverable(request: pytest.FixtureRequest) -> Path:
    """The demo deliverable folder: ``CXKIT_TEST_REPORT`` when set, else the ``demo_report`` build."""
    prebuilt = os.environ.get("CXKIT_TEST_REPORT")
    if prebuilt:
        path = Path(prebuilt)
        assert (path / "index.html").is_file(), f"CXKIT_TEST_REPORT={prebuilt} holds no index.html"
        return path
    return request.getfixturevalue("demo_report")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``test-artifacts/`` at the repository root, created on first use."""
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
