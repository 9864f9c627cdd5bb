"""A batch over two small clients with two workers: one shared zygote, no kernel left behind."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from cxkit.run import zygote

pytestmark = [pytest.mark.xdist_group("batch_kernels"), pytest.mark.slow,
              pytest.mark.skipif(not zygote.available() or not Path("/proc").is_dir(), reason="POSIX with /proc")]


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] not in {"Z", "X"}:
            found.append(int(stat.parent.name))
    return found


def test_two_workers_share_one_zygote_and_every_kernel_is_stopped(tmp_path: Path) -> None:
    from cxkit.demo import generate
    from cxkit.run.batch import run_many

    for i, name in enumerate(("small_a", "small_b")):
        generate(tmp_path / "data" / name, seed=20 + i, responses=100, name=f"Small {i}")
    zygote.close_shared()
    seen: set[int] = set()
    done = threading.Event()

    def watch() -> None:  # the kernels the batch's zygote forks while the workers run
        while not done.is_set():
            current = zygote._SHARED.get("zygote")
            if current is not None and current.proc is not None:
                seen.update(_children(current.proc.pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    results = run_many(["small_a", "small_b"], tmp_path / "data", tmp_path / "reports", jobs=2)
    done.set()
    watcher.join()
    assert [r.status for r in results] == ["ok", "ok"], [r.error for r in results]
    assert all((tmp_path / "reports" / n / "index.html").is_file() for n in ("small_a", "small_b"))
    shared = zygote._SHARED["zygote"]  # the batch's zygote, started in this process
    assert shared.proc is not None and shared.alive
    assert os.environ.get(zygote.ADDRESS_VAR) is None, "the address is for the workers, not this process"
    assert len(seen) >= 5, f"the workers' kernels came from the batch's zygote ({len(seen)} seen)"
    deadline = time.monotonic() + 10
    while _children(shared.proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _children(shared.proc.pid) == [], "a kernel outlived its notebook"
    zygote.close_shared()
