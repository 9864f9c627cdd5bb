"""A client's chapters executed on parallel lanes while the caller renders them.

A *lane* is one thread that runs notebooks one after the other, each in a kernel of its
own (:func:`cxkit.run.execute.new_kernel`: forked from the warm zygote, so a kernel costs
a fraction of a second and every notebook starts from a clean namespace). While a
notebook runs, the lane already starts the kernel for its next one. jupyter_client's
asyncio sockets belong to the thread that made them, hence one thread per lane.

A client's run opens as many lanes as it has spare cores (see
:func:`cxkit.run.batch.run_many`): the first kernels start while the caller validates the
inputs, then each free lane takes the heaviest chapter still waiting, so the chapters
finish about together. Each executed notebook is handed to the caller as soon as it is
ready, so rendering HTML overlaps the chapters still running.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import nbformat

from cxkit.errors import RunError
from cxkit.run.chapters import Chapter
from cxkit.run.execute import execute_chapter, new_kernel, prepare_environment
from cxkit.run.kernel import ChapterKernel

Ready = Callable[[Chapter, nbformat.NotebookNode], None]


class Lane:
    """One thread that runs notebooks in turn, each in a fresh kernel started ahead.

    Parameters
    ----------
    kernel_name : str
        Jupyter kernel spec name.
    """

    def __init__(self, kernel_name: str = "python3") -> None:
        self.kernel_name = kernel_name
        self._closed = False
        self._spare: ChapterKernel | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cxkit-lane")
        self._thread.submit(self._start_spare)  # the first kernel starts while the caller goes on

    def _start_spare(self) -> None:
        self._spare = new_kernel(self.kernel_name)

    def execute(self, chapter: Chapter, parameters: dict[str, Any], *, more: bool = False) -> nbformat.NotebookNode:
        """Execute one chapter on this lane and wait for it.

        Parameters
        ----------
        chapter : Chapter
            The notebook to run.
        parameters : dict
            Its papermill parameters.
        more : bool
            Start the kernel for a next notebook while this one runs.
        """
        return self._thread.submit(self._execute, chapter, parameters, more).result()

    def _execute(self, chapter: Chapter, parameters: dict[str, Any], more: bool) -> nbformat.NotebookNode:
        kernel, self._spare = self._spare, None
        try:
            kernel = kernel or new_kernel(self.kernel_name)
            if more:
                self._start_spare()
            return execute_chapter(chapter, parameters, kernel_name=self.kernel_name, kernel=kernel)
        finally:
            if kernel is not None:
                kernel.shutdown()

    def close(self) -> None:
        """Stop the spare kernel (on the lane's thread) and the thread; closing twice is harmless."""
        if self._closed:
            return
        self._closed = True
        self._thread.submit(self._stop_spare).result()
        self._thread.shutdown(wait=True)

    def _stop_spare(self) -> None:
        if self._spare is not None:
            self._spare.shutdown()
            self._spare = None


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
        schedule = _Schedule(sorted(chapters, key=lambda c: -c.weight), parameters)
        busy = self.lanes[:len(chapters)]
        for lane in self.lanes[len(chapters):]:
            lane.close()
        threads = [threading.Thread(target=schedule.drain, args=(lane,), name="cxkit-drain", daemon=True)
                   for lane in busy]
        for thread in threads:
            thread.start()
        failures: list[tuple[Chapter, Exception]] = []
        try:
            schedule.collect(len(threads), on_ready, failures)
        finally:
            schedule.stop.set()
            for thread in threads:
                thread.join()
        if failures:
            chapter, exc = min(failures, key=lambda f: f[0].number)
            raise exc if isinstance(exc, RunError) else RunError(f"chapter {chapter.number}: {exc}")


@dataclass
class _Schedule:
    """The chapters waiting for a free lane, and the notebooks the lanes hand back."""

    waiting: list[Chapter]
    parameters: dict[str, Any]
    finished: queue.Queue = field(default_factory=queue.Queue)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> tuple[Chapter | None, bool]:
        """The next chapter (None when done or stopped), and whether more are waiting."""
        with self.lock:
            if self.stop.is_set() or not self.waiting:
                return None, False
            chapter = self.waiting.pop(0)
            return chapter, bool(self.waiting)

    def drain(self, lane: Lane) -> None:
        """Run chapters on ``lane`` until none is left or one failed (in the lane's drain thread)."""
        try:
            chapter, more = self.take()
            while chapter is not None:
                try:
                    nb = lane.execute(chapter, {**self.parameters, **chapter.batch_parameters}, more=more)
                    self.finished.put((chapter, nb, None))
                except Exception as exc:  # noqa: BLE001 - reported by Lanes.run, in reading order
                    self.stop.set()
                    self.finished.put((chapter, None, exc))
                chapter, more = self.take()
            lane.close()  # nothing left for this lane: free its spare kernel while the others work
        finally:
            self.finished.put(None)

    def collect(self, workers: int, on_ready: Ready, failures: list[tuple[Chapter, Exception]]) -> None:
        """Hand each finished notebook to ``on_ready`` until every worker has signed off."""
        while workers:
            item = self.finished.get()
            if item is None:
                workers -= 1
                continue
            chapter, nb, exc = item
            if exc is not None:
                failures.append((chapter, exc))
            elif not self.stop.is_set():
                on_ready(chapter, nb)
