"""A batch on a local Dask cluster with two worker processes: same results and failures."""
from __future__ import annotations

import pytest

pytest.importorskip("distributed")


def test_dask_batch_runs_clients_and_reports_failures(tmp_path):
    from cxkit.demo import generate
    from cxkit.run.dask_executor import run_on_dask

    generate(tmp_path / "data" / "tiny", seed=3, responses=200, name="Tiny Co")
    results = run_on_dask(["tiny", "missing"], tmp_path / "data", tmp_path / "reports", workers=2)
    assert [r.client for r in results] == ["tiny", "missing"]
    assert results[0].status == "ok", results[0].error
    assert (tmp_path / "reports" / "tiny" / "index.html").is_file()
    assert results[1].status == "failed" and "missing" in results[1].error
