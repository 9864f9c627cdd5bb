"""Executing chapter notebooks with papermill in fresh, fast-starting kernels, and explaining failures."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import nbformat
from papermill.exceptions import PapermillExecutionError

from cxkit.errors import RunError
from cxkit.report.html import RECORD_MIME
from cxkit.run.chapters import NOTEBOOKS_DIR, Chapter
from cxkit.run import zygote as zygote_mod
from cxkit.run.environment import kernel_env, prepare_environment
from cxkit.run.kernel import ChapterKernel

def new_kernel(kernel_name: str = "python3", *, statistics: bool = True) -> ChapterKernel:
    """Start a kernel for one notebook, without waiting for it.

    Forked from this process's warm zygote (:mod:`cxkit.run.zygote`) where that is
    possible, else an ordinary new kernel.

    Parameters
    ----------
    kernel_name : str
        The Jupyter kernel; only ``python3`` (this Python) can be forked.
    statistics : bool
        The notebook fits models (:attr:`cxkit.run.chapters.Chapter.statistics`): fork
        the kernel from the zygote that has SciPy's statistics and statsmodels loaded.

    Returns
    -------
    ChapterKernel
    """
    prepare_environment()
    zygote = zygote_mod.shared(kernel_env()) if kernel_name == "python3" and zygote_mod.available() else None
    return ChapterKernel(kernel_name, cwd=NOTEBOOKS_DIR, zygote=zygote, statistics=statistics).start()


def statistics_ready(kernel_name: str = "python3") -> bool:
    """Whether a kernel with SciPy's statistics and statsmodels can be had at once.

    Always for an ordinary kernel (it imports what its notebook needs, like any Python);
    for a forked one, once the zygote's statistics tier has finished its imports (about
    half a second after the first tier, see :mod:`cxkit.run.zygote`).
    """
    if kernel_name != "python3" or not zygote_mod.available():
        return True
    prepare_environment()
    return zygote_mod.shared(kernel_env()).warm(statistics=True)


@lru_cache(maxsize=16)
def _read_notebook(path: str, mtime_ns: int) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def load_notebook(path: Path) -> nbformat.NotebookNode:
    """Read and validate a notebook once per process (re-read when the file changes).

    The cached node is never modified: execution works on papermill's copy.
    """
    return _read_notebook(str(path), path.stat().st_mtime_ns)


def execute_chapter(chapter: Chapter, parameters: dict[str, Any], *,
                    kernel_name: str = "python3", kernel: ChapterKernel | None = None) -> nbformat.NotebookNode:
    """Execute one chapter notebook and return it, executed, without saving it anywhere.

    The notebook runs in ``kernel`` (started ahead by a lane, see :mod:`cxkit.run.lanes`),
    or in a new kernel of its own; either way a kernel that never ran another notebook.
    Papermill parameterises it and records its run in ``metadata.papermill``.

    Parameters
    ----------
    chapter : Chapter
        Which notebook.
    parameters : dict
        Values injected by papermill after the ``parameters`` cell.
    kernel_name : str
        The Jupyter kernel to use.
    kernel : ChapterKernel, optional
        Run in this started, unused kernel (the caller stops it afterwards).

    Returns
    -------
    nbformat.NotebookNode

    Raises
    ------
    RunError
        Naming the chapter, the cell and the error in plain words.
    """
    own = kernel is None
    if kernel is None:
        kernel = new_kernel(kernel_name, statistics=chapter.statistics)
    try:
        nb = kernel.execute(load_notebook(chapter.notebook), parameters, input_path=str(chapter.notebook))
    except PapermillExecutionError as exc:
        raise RunError(explain(chapter, exc.exec_count, exc.ename, exc.evalue)) from None
    except (RuntimeError, OSError) as exc:  # DeadKernelError and friends
        raise RunError(explain(chapter, None, type(exc).__name__, str(exc))) from None
    finally:
        if own:
            kernel.shutdown()
    check_complete(chapter, nb)
    return nb


def check_complete(chapter: Chapter, nb: nbformat.NotebookNode) -> None:
    """Refuse a notebook that stopped early (``sys.exit``) or skipped cells.

    Papermill treats ``SystemExit(0)`` as success; a deliverable built from half a chapter
    would silently miss its findings, so every code cell must have run without exiting.
    """
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        exits = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if exits or cell.get("execution_count") is None:
            ename = exits[0].get("ename", "SystemExit") if exits else "SystemExit"
            raise RunError(explain(chapter, cell.get("execution_count") or index, ename, "cell did not complete"))


def explain(chapter: Chapter, cell: int | None, ename: str, evalue: str) -> str:
    """The failure message a consultant reads: chapter, cell, and the error in plain words.

    Examples
    --------
    >>> from cxkit.run.chapters import CHAPTERS
    >>> explain(CHAPTERS[2], 4, "InputError", "surveys/x.csv: file not found")
    'chapter 3 (03_metric_baseline), cell 4: surveys/x.csv: file not found'
    """
    where = f"chapter {chapter.number} ({chapter.stem}), cell {cell if cell is not None else '?'}"
    if ename == "InputError":
        return f"{where}: {evalue}"
    if ename in {"SystemExit", "KeyboardInterrupt"}:
        return f"{where}: the notebook stopped early ({ename} {evalue})".rstrip()
    return f"{where}: {ename}: {evalue}"


def records(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """The headline figures a notebook recorded with :func:`cxkit.report.html.record`."""
    found: dict[str, Any] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(RECORD_MIME)
            if payload:
                found[payload["key"]] = payload["value"]
    return found
