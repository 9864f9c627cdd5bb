"""The environment every notebook kernel inherits, and how many kernels run at once.

Nothing here imports more than the standard library, so a runner can settle the thread
limits and start the kernel zygote (:func:`cxkit.run.zygote.start_early`) before it
imports its own heavy stack (papermill, nbconvert, pandas).
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

KERNEL_ENV = {
    "MPLBACKEND": "Agg",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    "PYTHONWARNINGS": "ignore",
    "JUPYTER_PLATFORM_DIRS": "1",
}
"""Set in this process (unless already set) and so in every kernel: a headless backend,
quiet warnings."""

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS")
"""Environment variables that set numeric libraries' thread pools (read at import time)."""


def plan(jobs: int, clients: int) -> tuple[int, int]:
    """Worker processes and kernels per client for ``jobs`` notebooks at once.

    ``jobs`` bounds how many notebooks execute at the same time: clients take the workers
    first, and a worker's spare share goes to parallel kernels within its client.

    Examples
    --------
    >>> plan(2, 8), plan(2, 1), plan(4, 3), plan(1, 5)
    ((2, 1), (1, 2), (3, 1), (1, 1))
    """
    workers = max(1, min(jobs, clients))
    return workers, max(1, jobs // workers)


def limit_threads(kernels: int) -> None:
    """Give each of ``kernels`` concurrent kernels cores ÷ kernels threads for numeric libraries."""
    per_kernel = str(max(1, (os.cpu_count() or 1) // max(1, kernels)))
    for var in THREAD_VARS:
        os.environ[var] = per_kernel


def settle(jobs: int, clients: int) -> tuple[int, int]:
    """Plan a batch (:func:`plan`; 0 jobs means one per core) and set its thread limits.

    Returns
    -------
    tuple of int
        Worker processes, and kernels per client.
    """
    workers, kernels = plan(jobs or os.cpu_count() or 1, clients)
    limit_threads(workers * kernels)
    return workers, kernels


def prepare_environment() -> None:
    """Set the variables every kernel inherits: a headless backend and a shared font cache."""
    for key, value in KERNEL_ENV.items():
        os.environ.setdefault(key, value)
    cache = Path(os.environ.get("CXKIT_CACHE", Path.home() / ".cache" / "cxkit"))
    os.environ.setdefault("MPLCONFIGDIR", str(cache / "matplotlib"))
    Path(os.environ["MPLCONFIGDIR"]).mkdir(parents=True, exist_ok=True)
    for name in ("papermill", "traitlets", "nbclient"):
        logging.getLogger(name).setLevel(logging.ERROR)


def kernel_env() -> dict[str, str]:
    """The kernel's environment: ours, with the project importable and a headless backend."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    env.setdefault("MPLBACKEND", "Agg")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    return env
