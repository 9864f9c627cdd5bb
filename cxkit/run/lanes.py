"""A client's chapters executed on parallel lanes while the caller renders them.

A *lane* is one thread that runs notebooks one after the other, each in a kernel of its
own (:func:`cxkit.run.execute.new_kernel`: forked from the warm zygote, so a kernel costs
a fraction of a second and every notebook starts from a clean namespace). While a
notebook runs, the lane already starts the kernel for its next one. jupyter_client's
asyncio sockets belong to the thread that made them, hence one thread per lane.

A client's run opens as many lanes as it has spare cores (see
:func:`cxkit.run.batch.run_many`): the first kernels start while the caller validates the
inputs, then each free lane takes the heaviest chapter still waiting that its kernel
started ahead can run (a kernel from the zygote without SciPy's statistics and
statsmodels is ready sooner, see :mod:`cxkit.run.zygote`), so the chapters finish about
together. Each executed notebook is handed to the caller as soon as it is
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
from cxkit.run.chapters import CHAPTERS, Chapter
from cxkit.run.execute import execute_chapter, new_kernel, prepare_environment, statistics_ready
from cxkit.run.kernel import ChapterKernel

Ready = Callable[[Chapter, nbformat.NotebookNode], None]


class Lane:
    """One thread that runs notebooks in turn, each in a fresh kernel started ahead.

    Parameters
    ----------
    kernel_name : str
        Jupyter kernel spec name.
    statistics : bool
        Whether the first kernel comes from the zygote with SciPy's statistics and
        statsmodels (see :attr:`cxkit.run.chapters.Chapter.statistics`).
    """

    def __init__(self, kernel_name: str = "python3", statistics: bool = True) -> None:
        self.kernel_name = kernel_name
        self._closed = False
        self._spare: ChapterKernel | None = None
        self.spare_statistics: bool | None = statistics
        """What the kernel started ahead has loaded (None: no kernel is started ahead)."""
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cxkit-lane")
        self._thread.submit(self._start_spare, statistics)  # the first kernel starts while the caller goes on

    def _start_spare(self, statistics: bool | None) -> None:
        self.spare_statistics = statistics
        if statistics is not None:
            self._spare = new_kernel(self.kernel_name, statistics=statistics)

    def execute(self, chapter: Chapter, parameters: dict[str, Any], *,
                then: bool | None = None) -> nbformat.NotebookNode:
        """Execute one chapter on this lane and wait for it.

        Parameters
        ----------
        chapter : Chapter
            The notebook to run.
        parameters : dict
            Its papermill parameters.
        then : bool, optional
            Start the kernel for a next notebook while this one runs: True for one with
            SciPy's statistics and statsmodels loaded, False for one without, None for none.
        """
        return self._thread.submit(self._execute, chapter, parameters, then).result()

    def _execute(self, chapter: Chapter, parameters: dict[str, Any], then: bool | None) -> nbformat.NotebookNode:
        kernel, self._spare = self._spare, None
        try:
            if kernel is not None and chapter.statistics and not kernel.statistics:
                kernel.shutdown()  # it would import the libraries itself: one that has them is quicker
                kernel = None
            kernel = kernel or new_kernel(self.kernel_name, statistics=chapter.statistics)
            self._start_spare(then)
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
        self.spare_statistics = None


class Lanes:
    """The kernels one client's run uses; a context manager that always stops them.

    Parameters
    ----------
    count : int
        Parallel kernels (at least one).
    kernel_name : str
        Jupyter kernel spec name.
    chapters : sequence of Chapter
        The chapters the lanes will run, so that each lane's first kernel is the kind its
        first chapter needs (see :func:`first_kernels`).

    Examples
    --------
    >>> with Lanes(2) as lanes:                                          # doctest: +SKIP
    ...     lanes.run(CHAPTERS, {"client": "demo"}, lambda chapter, nb: print(chapter.number))
    """

    def __init__(self, count: int = 1, kernel_name: str = "python3", chapters: Sequence[Chapter] = CHAPTERS) -> None:
        prepare_environment()
        self.kernel_name = kernel_name
        self.lanes = [Lane(kernel_name, statistics) for statistics in first_kernels(chapters, max(1, count))]

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
        busy = self.lanes[:len(chapters)]
        schedule = _Schedule(sorted(chapters, key=lambda c: -c.weight), parameters,
                             ready=lambda: statistics_ready(self.kernel_name))
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


def first_kernels(chapters: Sequence[Chapter], lanes: int) -> list[bool]:
    """What each lane's first kernel needs: whether it comes from the zygote with SciPy's
    statistics and statsmodels (True) or the one without them, which is ready sooner.

    Each lane's first chapter is the next heaviest; but when all of those need the
    statistics libraries, the last lane starts with a lighter chapter instead, so that it
    works while those libraries are still being imported.

    Examples
    --------
    >>> from cxkit.run.chapters import CHAPTERS
    >>> first_kernels(CHAPTERS, 1), first_kernels(CHAPTERS, 2)
    ([False], [True, False])
    """
    heaviest = [c.statistics for c in sorted(chapters, key=lambda c: -c.weight)][:lanes]
    heaviest += [True] * (lanes - len(heaviest))
    if all(heaviest) and not all(c.statistics for c in chapters):
        heaviest[-1] = False
    return heaviest


@dataclass
class _Schedule:
    """The chapters waiting for a free lane, and the notebooks the lanes hand back.

    ``ready`` says whether a kernel with SciPy's statistics and statsmodels comes at once
    (:func:`cxkit.run.execute.statistics_ready`).
    """

    waiting: list[Chapter]
    parameters: dict[str, Any]
    ready: Callable[[], bool] = field(default=lambda: True)
    finished: queue.Queue = field(default_factory=queue.Queue)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, statistics: bool | None) -> tuple[Chapter | None, bool | None]:
        """The next chapter for a lane (None when done or stopped), and what the kernel
        for the chapter after it needs (None when no other chapter waits).

        ``statistics`` says what the lane's kernel started ahead has loaded (None: it has
        none): a lane whose kernel lacks SciPy's statistics and statsmodels takes the
        heaviest chapter that does without them, if any. No kernel is asked ahead from
        the statistics zygote while it still imports: the request would hold the lane,
        and so the chapter it is about to run, until the imports end (a lone lane's first
        chapter waited about 0.5 s for it).
        """
        with self.lock:
            if self.stop.is_set() or not self.waiting:
                return None, None
            fits = [c for c in self.waiting if statistics is not False or not c.statistics]
            chapter = (fits or self.waiting)[0]
            self.waiting.remove(chapter)
            after = self.waiting[0].statistics if self.waiting else None
            return chapter, (None if after and not self.ready() else after)

    def drain(self, lane: Lane) -> None:
        """Run chapters on ``lane`` until none is left or one failed (in the lane's drain thread)."""
        try:
            chapter, then = self.take(lane.spare_statistics)
            while chapter is not None:
                try:
                    nb = lane.execute(chapter, {**self.parameters, **chapter.batch_parameters}, then=then)
                    self.finished.put((chapter, nb, None))
                except Exception as exc:  # noqa: BLE001 - reported by Lanes.run, in reading order
                    self.stop.set()
                    self.finished.put((chapter, None, exc))
                chapter, then = self.take(lane.spare_statistics)
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
