"""Which clients a batch runs, and the order it starts them in."""
from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from cxkit.run import batch
from cxkit.run.client_run import ClientResult
from cxkit.run.portfolio import all_clients, input_bytes, largest_first


def _client(root: Path, name: str, survey_bytes: int) -> None:
    folder = root / name
    (folder / "surveys").mkdir(parents=True)
    (folder / "engagement.yaml").write_text("client: x\n")
    (folder / "surveys" / "export.csv").write_bytes(b"x" * survey_bytes)


def test_all_clients_are_the_folders_with_an_engagement_skipping_links(tmp_path):
    _client(tmp_path, "beta", 10)
    _client(tmp_path, "alpha", 10)
    (tmp_path / "notes").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "alpha")
    assert all_clients(tmp_path) == ["alpha", "beta"]


def test_input_bytes_counts_every_file_and_never_follows_links(tmp_path):
    _client(tmp_path, "acme", 1000)
    big = tmp_path / "elsewhere.csv"
    big.write_bytes(b"x" * 100_000)
    (tmp_path / "acme" / "surveys" / "link.csv").symlink_to(big)
    assert 1000 + len("client: x\n") <= input_bytes(tmp_path / "acme") < 2000


def test_largest_inputs_start_first_and_ties_keep_their_order(tmp_path):
    for name, size in (("a", 10), ("b", 5000), ("c", 10), ("d", 90_000)):
        _client(tmp_path, name, size)
    assert largest_first(["a", "b", "c", "d", "missing"], tmp_path) == ["d", "b", "a", "c", "missing"]


class _RecordingPool:
    """Stands in for the process pool: runs nothing, records the order of submission."""

    def __init__(self, submitted: list[str]) -> None:
        self.submitted = submitted

    def __enter__(self) -> "_RecordingPool":
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def submit(self, _fn, client, *_args) -> Future:
        self.submitted.append(client)
        done: Future = Future()
        done.set_result(ClientResult(client, "ok", 0.0, None))
        return done


def test_a_parallel_batch_submits_the_largest_client_first_and_reports_in_the_order_asked(tmp_path, monkeypatch):
    for name, size in (("small", 10), ("medium", 5000), ("large", 90_000)):
        _client(tmp_path, name, size)
    submitted: list[str] = []
    monkeypatch.setattr(batch, "_pool", lambda jobs: _RecordingPool(submitted))
    monkeypatch.setattr(batch.zygote, "available", lambda: False)
    results = batch.run_many(["small", "medium", "large"], tmp_path, tmp_path / "reports", jobs=2)
    assert submitted == ["large", "medium", "small"]
    assert [r.client for r in results] == ["small", "medium", "large"]
