"""Session fixtures of the end-to-end tests.

Full client runs are expensive (~35-60 s each), so the suite makes few of them:

* ``demo_report`` (tests/conftest.py): the demo client, in process.
* ``pair_run``: two clients run at the same time by two ``cxkit run`` processes into one
  reports root: ``alpha`` (the demo under another display name: its figures must equal the
  demo's) and ``evil`` (the adversarial client of :mod:`adversarial`).

Tests using either carry ``@pytest.mark.xdist_group("demo_report")``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from adversarial import make_adversarial
from e2e_support import ALPHA_NAME, cli_process, copy_demo, edit_engagement, tree_digest

RUN_TIMEOUT = 900


@dataclass
class PairRun:
    """Two clients run concurrently by two processes."""

    client_data: Path
    reports: Path
    returncodes: dict[str, int]
    logs: dict[str, str]
    inputs_before: dict[str, dict[str, str]]
    inputs_after: dict[str, dict[str, str]]


@pytest.fixture(scope="session")
def pair_run(tmp_path_factory: pytest.TempPathFactory) -> PairRun:
    """Run ``alpha`` and ``evil`` concurrently, each with ``cxkit run`` in its own process."""
    base = tmp_path_factory.mktemp("pair")
    client_data, reports = base / "client_data", base / "reports"
    client_data.mkdir()
    alpha = copy_demo(client_data, "alpha")
    edit_engagement(alpha, lambda d: d.update(client=ALPHA_NAME))
    make_adversarial(client_data, "evil")
    before = {c: tree_digest(client_data / c) for c in ("alpha", "evil")}
    procs = {c: cli_process(["run", c, "--client-data", str(client_data), "--reports", str(reports), "--jobs", "1"],
                            base / f"{c}.log") for c in ("alpha", "evil")}
    deadline = time.monotonic() + RUN_TIMEOUT
    codes = {c: p.wait(timeout=max(1.0, deadline - time.monotonic())) for c, p in procs.items()}
    return PairRun(client_data, reports, codes, {c: (base / f"{c}.log").read_text() for c in procs}, before,
                   {c: tree_digest(client_data / c) for c in ("alpha", "evil")})
