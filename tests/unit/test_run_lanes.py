"""Parallel kernel lanes: every chapter runs once, failures are reported in reading order."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from cxkit.errors import RunError
from cxkit.run.environment import plan
from cxkit.run.chapters import Chapter
from cxkit.run.lanes import Lanes, _Schedule, first_kernels

pytestmark = pytest.mark.xdist_group("lanes")


@dataclass(frozen=True)
class PlantedChapter(Chapter):
    path: Path | None = None

    @property
    def notebook(self) -> Path:
        return self.path


def _chapter(folder: Path, number: int, *cells: str, weight: float = 1.0, statistics: bool = True) -> PlantedChapter:
    nb = new_notebook(cells=[new_code_cell("client = 'none'", metadata={"tags": ["parameters"]})]
                      + [new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / f"c{number}.ipynb"
    nbformat.write(nb, path)
    return PlantedChapter(number, f"c{number}", f"Chapter {number}", "C", weight=weight, statistics=statistics,
                          path=path)


def _stdout(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stdout")


def test_two_lanes_run_every_chapter_once_on_two_kernels(tmp_path):
    chapters = [_chapter(tmp_path, n, f"leak_{n} = {n}", "import os; print(os.getpid(), sorted(k for k in dir() "
                         "if k.startswith('leak_')))", weight=n) for n in (1, 2, 3, 4)]
    seen: dict[int, str] = {}
    threads = set()

    def ready(chapter, nb):
        threads.add(threading.current_thread().name)
        seen[chapter.number] = _stdout(nb)

    with Lanes(2) as lanes:
        lanes.run(chapters, {"client": "acme"}, ready)
    assert sorted(seen) == [1, 2, 3, 4]
    # rendering happens in the caller's thread
    assert threads == {threading.current_thread().name}
    pids = {out.split()[0] for out in seen.values()}
    assert len(pids) == 4 and str(os.getpid()) not in pids  # a kernel of its own for every notebook
    # a reused kernel starts every notebook clean: each sees only its own name
    assert all(out.strip().endswith(f"['leak_{n}']") for n, out in seen.items())


def test_the_first_failure_in_reading_order_is_reported_and_nothing_after_it_rendered(tmp_path):
    chapters = [_chapter(tmp_path, 1, "x = 1"), _chapter(tmp_path, 2, "raise ValueError('two broke')", weight=5),
                _chapter(tmp_path, 3, "raise KeyError('three broke')", weight=4),
                _chapter(tmp_path, 4, "import time; time.sleep(0.1)")]
    rendered: list[int] = []
    with Lanes(2) as lanes, pytest.raises(RunError, match=r"chapter 2 .*two broke"):
        lanes.run(chapters, {}, lambda chapter, nb: rendered.append(chapter.number))
    assert 2 not in rendered and 3 not in rendered


def test_jobs_go_to_clients_first_then_to_a_lone_clients_chapters():
    assert plan(2, 8) == (2, 1)
    assert plan(2, 1) == (1, 2)
    assert plan(1, 1) == (1, 1)
    assert plan(8, 3) == (3, 2)


def test_without_forking_each_notebook_gets_an_ordinary_kernel(tmp_path, monkeypatch):
    monkeypatch.setenv("CXKIT_FORK", "0")
    chapters = [_chapter(tmp_path, 1, "import sys; print('cxkit.chapters' in sys.modules)")]
    seen = {}
    with Lanes(1) as lanes:
        lanes.run(chapters, {}, lambda chapter, nb: seen.update({chapter.number: _stdout(nb)}))
    assert seen == {1: "False\n"}  # a new Python: nothing preloaded, nothing inherited


def test_only_a_forked_kernel_lacks_the_statistics_libraries():
    from cxkit.run.kernel import ChapterKernel

    # an ordinary kernel imports what its notebook needs either way: a lane never swaps it
    assert ChapterKernel(statistics=False).statistics
    assert not ChapterKernel(statistics=False, zygote=object()).statistics


def test_a_lane_takes_the_heaviest_chapter_its_kernel_started_ahead_can_run():
    heavy = Chapter(3, "c3", "Three", "C", weight=4.0, statistics=True)
    middle = Chapter(2, "c2", "Two", "C", weight=1.5, statistics=False)
    light = Chapter(4, "c4", "Four", "C", weight=0.8, statistics=False)
    schedule = _Schedule([heavy, middle, light], {})
    # a kernel without the statistics libraries skips the chapter that needs them; the
    # answer also says what the lane's next kernel should have (that of the next in line)
    assert schedule.take(False) == (middle, True)
    assert schedule.take(True) == (heavy, False)
    assert schedule.take(None) == (light, None)
    assert schedule.take(True) == (None, None)
    assert _Schedule([heavy], {}).take(False) == (heavy, None)  # nothing else: it gets a kernel of its own


def test_no_kernel_is_asked_ahead_from_a_statistics_zygote_still_importing():
    heavy = Chapter(3, "c3", "Three", "C", weight=4.0, statistics=True)
    middle = Chapter(2, "c2", "Two", "C", weight=1.5, statistics=False)
    light = Chapter(4, "c4", "Four", "C", weight=0.8, statistics=False)
    warm = [False]
    schedule = _Schedule([middle, heavy, light], {}, ready=lambda: warm[0])
    # the next chapter needs the statistics zygote, which would hold the lane until its
    # imports end: no kernel ahead (the lane starts one when it takes that chapter)
    assert schedule.take(False) == (middle, None)
    warm[0] = True
    assert schedule.take(True) == (heavy, False)  # a kernel without them is always at hand
    assert _Schedule([middle, heavy], {}, ready=lambda: True).take(False) == (middle, True)


def test_a_lone_lane_starts_its_first_chapter_while_the_statistics_zygote_imports(tmp_path):
    from cxkit.run import zygote
    from cxkit.run.environment import kernel_env

    if not zygote.available():
        pytest.skip("kernels are forked on POSIX only")
    zygote.close_shared()  # a new zygote pair: the second one imports for half a second or more
    probe = "import sys, time; print(time.time(), 'statsmodels.regression.linear_model' in sys.modules)"
    chapters = [_chapter(tmp_path, 1, probe, statistics=False, weight=2), _chapter(tmp_path, 2, probe)]
    seen = {}
    with Lanes(1) as lanes:
        lanes.run(chapters, {}, lambda chapter, nb: seen.update({chapter.number: _stdout(nb).split()}))
        second = zygote.shared(kernel_env()).address + zygote.STATISTICS_SUFFIX + zygote.WARM_SUFFIX
        warm_at = os.stat(second).st_mtime
    assert seen[1][1] == "False" and seen[2][1] == "True"
    # the light chapter ran before the second zygote was warm: its lane did not wait for it
    assert float(seen[1][0]) < warm_at


def test_first_kernels_keep_one_lane_working_while_the_statistics_zygote_imports():
    heavy = Chapter(3, "c3", "Three", "C", weight=4.0, statistics=True)
    light = Chapter(1, "c1", "One", "C", weight=1.0, statistics=False)
    assert first_kernels([heavy, light], 2) == [True, False]
    assert first_kernels([heavy, light], 1) == [False]
    assert first_kernels([heavy], 1) == [True]
    assert first_kernels([light], 3) == [False, True, True]  # lanes beyond the chapters are closed unused


def test_a_chapter_that_fits_models_never_runs_in_a_kernel_without_the_libraries(tmp_path):
    probe = "import sys; print('statsmodels.regression.linear_model' in sys.modules)"
    chapters = [_chapter(tmp_path, 1, probe, statistics=False), _chapter(tmp_path, 2, probe, statistics=True)]
    seen = {}
    with Lanes(1) as lanes:  # a lone lane starts with a kernel that lacks them (first_kernels)
        lanes.run(chapters, {}, lambda chapter, nb: seen.update({chapter.number: _stdout(nb).strip()}))
    assert seen == {1: "False", 2: "True"}
