"""Batch helpers: thread limits, summary table, failures kept per client."""
from __future__ import annotations

import os

from cxkit.run.batch import run_many, summary_table
from cxkit.run.environment import THREAD_VARS, limit_threads
from cxkit.run.client_run import ClientResult


def test_limit_threads_divides_cores():
    limit_threads(1)
    # one worker gets every core (os.cpu_count(), at least 1)
    assert os.environ[THREAD_VARS[0]] == str(max(1, os.cpu_count() or 1))
    limit_threads(10_000)
    assert os.environ[THREAD_VARS[0]] == "1"


def test_missing_clients_fail_without_stopping_the_batch(tmp_path):
    results = run_many(["nope", "gone"], tmp_path, tmp_path / "reports", jobs=2)
    assert [r.client for r in results] == ["nope", "gone"]
    assert all(r.status == "failed" and r.error for r in results)


def test_summary_table_lists_each_client():
    table = summary_table([ClientResult("acme", "ok", 1.25, "/r/acme/index.html"),
                           ClientResult("beta", "failed", 0.5, None, "bad yaml")])
    assert "acme" in table and "/r/acme/index.html" in table and "error: bad yaml" in table


class _FakeZygote:
    alive = True
    address = "/nowhere/socket"

    def close(self) -> None:
        pass


def test_zygote_started_early_is_the_one_the_batch_uses(monkeypatch):
    """The CLI starts the zygote before its heavy imports; run_many must find it, not start another."""
    from cxkit.run import zygote
    from cxkit.run.environment import kernel_env, settle

    started = []
    monkeypatch.setattr(zygote.Zygote, "start", classmethod(lambda cls, env: started.append(env) or _FakeZygote()))
    monkeypatch.setattr(zygote, "available", lambda: True)
    for var in THREAD_VARS:
        monkeypatch.delenv(var, raising=False)
    zygote.close_shared()
    try:
        for jobs, clients in ((0, 1), (2, 1), (2, 8), (1, 3)):
            zygote.start_early(jobs, clients)
            first = zygote.shared(kernel_env())
            settle(jobs, clients)  # what run_many does before it asks for the zygote
            assert zygote.shared(kernel_env()) is first
        assert started
    finally:
        zygote.close_shared()
