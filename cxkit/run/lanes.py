"""A client's chapters executed on parallel kernel lanes while the caller renders them.

A *lane* is one warm :class:`~cxkit.run.kernel.ChapterKernel` and the one thread that
drives it (jupyter_client's asyncio sockets belong to the thread that made them). A
client's run opens as many lanes as it has spare cores (see
:func:`cxkit.run.batch.run_many`): the kernels boot while the caller validates the
inputs, then each free lane takes the heaviest chapter still waiting, so the five
notebooks finish about together. Each executed notebook is handed to the caller as soon
as it is ready, so rendering HTML overlaps the chapters still running.

Every lane's kernel serves this one client only and is reset to a clean namespace before
each notebook (:mod:`cxkit.run.kernel_state`): which lane ran a chapter changes nothing
in it. With ``CXKIT_KERNEL_REUSE=0`` each notebook gets a kernel of its own instead.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import nbformat

from cxkit.errors import RunError
from cxkit.run.chapters import NOTEBOOKS_DIR, Chapter
from cxkit.run.execute import execute_chapter, prepare_environment, reuse_enabled
from cxkit.run.kernel import ChapterKernel

Ready = Callable[[Chapter, nbformat.NotebookNode], None]


class Lane:
    """One kernel and the single thread that starts, drives and stops it.

    Parameters
    ----------
    kernel_name : str
        Jupyter kernel spec name.
    """

    def __init__(self, kernel_name: str = "python3") -> None:
        self.kernel_name = kernel_name
        self._closed = False
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cxkit-lane")
        self.kernel = ChapterKernel(kernel_name, cwd=NOTEBOOKS_DIR) if reuse_enabled() else None
        if self.kernel is not None:
            self._thread.submit(self.kernel.start)  # boots while the caller goes on

    def execute(self, chapter: Chapter, parameters: dict[str, Any]) -> nbformat.NotebookNode:
        """Execute one chapter on this lane's thread and wait for it."""
        return self._thread.submit(execute_chapter, chapter, parameters,
                                   kernel_name=self.kernel_name, kernel=self.kernel).result()

    def close(self) -> None:
        """Stop the kernel (on its own thread) and the thread; closing twice is harmless."""
        if self._closed:
            return
        self._closed = True
        if self.kernel is not None:
            self._thread.submit(self.kernel.shutdown).result()
        self._thread.shutdown(wait=True)


class Lanes:
    """The kernels one client's run uses; a context manager that always stops them.

    Parameters
    ----------
    count : int
        Parallel kernels (at least one).
    kernel_name : str
        Jupyter kernel spec name.

    Examples
    --------
    >>> with Lanes(2) as lanes:                                          # doctest: +SKIP
    ...     lanes.run(CHAPTERS, {"client": "demo"}, lambda chapter, nb: print(chapter.number))
    """

    def __init__(self, count: int = 1, kernel_name: str = "python3") -> None:
        prepare_environment()
        self.lanes = [Lane(kernel_name) for _ in range(max(1, count))]

    def __enter__(self) -> "Lanes":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop every lane's kernel."""
        for lane in self.lanes:
            lane.close()

    def run(self, chapters: Sequence[Chapter], parameters: dict[str, Any], on_ready: Ready) -> None:
        """Execute ``chapters`` on the lanes; call ``on_ready(chapter, nb)`` here as each ends.

        Parameters
        ----------
        chapters : sequence of Chapter
            What to execute; the heaviest (``Chapter.weight``) starts first.
        parameters : dict
            Papermill parameters shared by every chapter (each chapter's
            ``batch_parameters`` are added).
        on_ready : callable
            Called in the calling thread with each executed notebook, in the order they
            finish (rendering overlaps the chapters still running).

        Raises
        ------
        RunError
            For the first failed chapter in reading order; once a chapter fails, no lane
            starts another, and this returns only when every lane is idle.
        """
        waiting = sorted(chapters, key=lambda c: -c.weight)
        finished: queue.Queue = queue.Queue()
        stop = threading.Event()
        lock = threading.Lock()

        def drain(lane: Lane) -> None:
            try:
                while not stop.is_set():
                    with lock:
                        if not waiting:
                            break
                        chapter = waiting.pop(0)
                    try:
                        nb = lane.execute(chapter, {**parameters, **chapter.batch_parameters})
                        finished.put((chapter, nb, None))
                    except Exception as exc:  # noqa: BLE001 - reported below, in reading order
                        stop.set()
                        finished.put((chapter, None, exc))
                lane.close()  # nothing left for this lane: free its kernel while the others work
            finally:
                finished.put(None)

        busy = self.lanes[:len(chapters)]
        for lane in self.lanes[len(chapters):]:
            lane.close()
        workers = [threading.Thread(target=drain, args=(lane,), name="cxkit-drain", daemon=True) for lane in busy]
        for worker in workers:
            worker.start()
        failures: list[tuple[Chapter, Exception]] = []
        try:
            _collect(finished, len(workers), on_ready, failures, stop)
        finally:
            stop.set()
            for worker in workers:
                worker.join()
        if failures:
            chapter, exc = min(failures, key=lambda f: f[0].number)
            raise exc if isinstance(exc, RunError) else RunError(f"chapter {chapter.number}: {exc}")


def _collect(finished: queue.Queue, workers: int, on_ready: Ready, failures: list[tuple[Chapter, Exception]],
             stop: threading.Event) -> None:
    """Hand each finished notebook to ``on_ready`` until every worker has signed off."""
    while workers:
        item = finished.get()
        if item is None:
            workers -= 1
            continue
        chapter, nb, exc = item
        if exc is not None:
            failures.append((chapter, exc))
        elif not stop.is_set():
            on_ready(chapter, nb)
