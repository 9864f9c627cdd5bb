"""A batch over two small clients with two workers: one shared zygote pair, no kernel left behind."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from processes import children

from cxkit.run import zygote

pytestmark = [pytest.mark.xdist_group("batch_kernels"), pytest.mark.slow,
              pytest.mark.skipif(not zygote.available() or not Path("/proc").is_dir(), reason="POSIX with /proc")]


def _kernels(first: int) -> list[int]:
    """The kernels of a zygote pair: the first zygote's children but its oldest, the second
    zygote (forked as soon as the first is warm), and that one's children."""
    found = children(first)
    if not found:
        return []
    second = found[0][1]
    return [pid for _, pid in found[1:] + children(second)]


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
                seen.update(_kernels(current.proc.pid))
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
    while _kernels(shared.proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _kernels(shared.proc.pid) == [], "a kernel outlived its notebook"
    assert len(children(shared.proc.pid)) == 1, "the statistics zygote waits for the next batch"
    zygote.close_shared()


def test_chapters_marked_light_never_import_the_statistics_libraries(demo_copy: Path) -> None:
    """Their kernels come from the zygote without SciPy's statistics and statsmodels: on the
    demo (every input present) they must not need them, else they would import them slowly."""
    from nbformat.v4 import new_code_cell

    from cxkit.run.chapters import CHAPTERS
    from cxkit.run.execute import load_notebook, new_kernel

    probe = "import sys; print(sorted(m for m in ('scipy.stats', 'statsmodels') if m in sys.modules))"
    light = [c for c in CHAPTERS if not c.statistics]
    assert {c.number for c in light} == {1, 2, 4}
    with_probe = []
    for chapter in light:
        nb = load_notebook(chapter.notebook).copy()
        nb.cells = [*nb.cells, new_code_cell(probe)]
        kernel = new_kernel(statistics=False)
        try:
            done = kernel.execute(nb, {"client": "demo", "client_data_dir": str(demo_copy), **chapter.batch_parameters})
        finally:
            kernel.shutdown()
        with_probe.append("".join(o.get("text", "") for o in done.cells[-1].outputs).strip())
    assert with_probe == ["[]"] * len(light)
