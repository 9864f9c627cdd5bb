"""A client's chapter kernels share one parse of its surveys, and the run leaves no cache behind."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from cxkit.io import run_cache
from cxkit.io.client import ClientFolder

pytestmark = [pytest.mark.xdist_group("run_cache"), pytest.mark.slow]


@pytest.fixture(scope="module")
def client_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from cxkit.demo import generate

    base = tmp_path_factory.mktemp("client_data")
    generate(base / "small", seed=31, responses=100, name="Small Co")
    return base


def test_the_kernels_write_the_entry_and_then_read_it(client_data: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from cxkit.run.client_run import run_client

    monkeypatch.delenv(run_cache.CACHE_VAR, raising=False)
    with run_cache.scope() as folder:  # run_client joins this scope, so the entries can be inspected
        result = run_client("small", client_data, tmp_path / "reports")
        assert result.status == "ok", result.error
        (entry,) = folder.glob("surveys-*.pickle")  # written by a kernel: they inherit the run's folder
        figures = sorted(folder.glob("baseline-*.pickle"))  # one per headline metric, shared by chapters 3-5
        assert {p.name.split("-")[1] for p in figures} == {"nps", "csat", "ces", "psat"}
        first = [(p.stat().st_ino, p.stat().st_mtime_ns) for p in (entry, *figures)]
        result = run_client("small", client_data, tmp_path / "reports")
        assert result.status == "ok", result.error
        again = [(p.stat().st_ino, p.stat().st_mtime_ns) for p in (entry, *figures)]
        assert again == first, "a chapter parsed the surveys or computed a metric again instead of loading it"
        stored = pd.read_pickle(entry)
    fresh = ClientFolder("small", client_data)._read_surveys()
    pd.testing.assert_frame_equal(stored.responses, fresh.responses)
    assert not folder.exists()


def test_a_run_removes_its_cache_and_restores_the_environment(client_data: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from cxkit.run.batch import run_many

    monkeypatch.delenv(run_cache.CACHE_VAR, raising=False)
    made: list[str] = []
    real = tempfile.mkdtemp

    def mkdtemp(*args, **kwargs):  # note the run's cache folder (other test workers make their own)
        path = real(*args, **kwargs)
        if kwargs.get("prefix") == "cxkit-run-cache-":
            made.append(path)
        return path

    monkeypatch.setattr(run_cache.tempfile, "mkdtemp", mkdtemp)
    (result,) = run_many(["small"], client_data, tmp_path / "reports", jobs=1)
    assert result.status == "ok", result.error
    assert len(made) == 1 and not Path(made[0]).exists()
    assert run_cache.CACHE_VAR not in os.environ


def test_the_chapters_read_their_figures_from_the_entry(client_data: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry without PSAT answers, planted under the client's key, takes PSAT out of chapter 3:
    the chapters use the stored parse rather than reading the exports again."""
    import dataclasses
    import pickle

    from cxkit.run.client_run import run_client

    monkeypatch.delenv(run_cache.CACHE_VAR, raising=False)
    folder_in = ClientFolder("small", client_data)
    parsed = folder_in._read_surveys()
    assert (parsed.responses["metric"] == "psat").any()
    marked = dataclasses.replace(parsed, responses=parsed.responses[parsed.responses["metric"] != "psat"])
    with run_cache.scope() as folder:
        entry = folder / (run_cache.entry_key("surveys", folder_in.fingerprint()) + ".pickle")
        entry.write_bytes(pickle.dumps(marked))
        result = run_client("small", client_data, tmp_path / "reports")
        assert result.status == "ok", result.error
    page = (tmp_path / "reports" / "small" / "03_metric_baseline.html").read_text(encoding="utf-8")
    assert "PSAT (top-2-box %)" not in page and "CSAT (top-2-box %)" in page
