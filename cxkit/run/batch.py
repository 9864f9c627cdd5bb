"""Running many clients: parallel worker processes on this machine, one client per task."""
from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from cxkit.io import run_cache
from cxkit.run import zygote
from cxkit.run.client_run import ClientResult, run_client
from cxkit.run.environment import THREAD_VARS, kernel_env, prepare_environment, settle
from cxkit.run.portfolio import largest_first


def run_one(client: str, client_data_dir: str | Path, reports_dir: str | Path,
            consultant: bool = False, threads: int | None = None, kernels: int = 1,
            zygote_address: str | None = None) -> ClientResult:
    """Run one client in this process on its own warm kernels, then stop them.

    The kernels start first and boot while the inputs are validated; this is the
    function every executor (processes, Dask) runs per client.

    Parameters
    ----------
    client : str
        Client folder name.
    client_data_dir, reports_dir : str or Path
        Where inputs live and where deliverables go.
    consultant : bool
        Also write the internal review copies.
    threads : int, optional
        Threads for numeric libraries in this process and its kernels (default: leave
        the environment as it is).
    kernels : int
        Chapters executed at once, each in its own kernel (see :mod:`cxkit.run.lanes`).
    zygote_address : str, optional
        Fork kernels from the batch's zygote at this address rather than from one of
        this process's own (see :mod:`cxkit.run.zygote`).

    Returns
    -------
    ClientResult
        Never raises for a client's problem (see :func:`cxkit.run.client_run.run_client`).
    """
    from cxkit.run.lanes import Lanes

    start = time.perf_counter()
    if threads:
        for var in THREAD_VARS:
            os.environ[var] = str(threads)
    if zygote_address:
        os.environ[zygote.ADDRESS_VAR] = zygote_address
    lanes = None
    try:
        with run_cache.scope():  # the client's kernels start inside it, so they share one parse of its surveys
            lanes = Lanes(kernels)
            result = run_client(client, client_data_dir, reports_dir, consultant=consultant, lanes=lanes)
    except Exception as exc:  # noqa: BLE001 - e.g. a kernel that never started
        result = ClientResult(client, "failed", 0.0, None, f"{type(exc).__name__}: {exc}")
    finally:
        if lanes is not None:
            lanes.close()
    result.seconds = time.perf_counter() - start
    return result


PRELOAD = ["cxkit.run.batch", "cxkit.run.client_run", "papermill.execute", "nbconvert"]
"""What the fork server imports before it forks any worker. ``cxkit.run`` comes first: it
switches off jsonschema's parser for IRIs before nbformat imports jsonschema (imported
first, papermill cost the fork server 1.7 s of CPU more, and every worker started that
much later)."""


def _pool(jobs: int) -> ProcessPoolExecutor:
    """Worker processes forked from a clean fork server that has the run stack imported.

    A plain ``fork`` of this process would copy its asyncio loop and ZeroMQ sockets (from
    any kernel it ran), which can leave a worker spinning forever; the fork server is a
    fresh process, so workers start clean and still skip the imports.
    """
    if "forkserver" not in mp.get_all_start_methods():
        return ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn"))
    context = mp.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context)


def run_many(clients: Iterable[str], client_data_dir: str | Path, reports_dir: str | Path, *, jobs: int = 0,
             consultant: bool = False, on_done: Callable[[ClientResult, int, int], None] | None = None
             ) -> list[ClientResult]:
    """Run clients in parallel processes and return their results in the order given.

    Each worker process runs one client at a time on its own warm kernels
    (:func:`run_one`); numeric libraries get cores / kernels threads each. A worker
    that dies (out of memory, killed) fails only the client it was running. Clients
    with the largest inputs start first (:func:`cxkit.run.portfolio.largest_first`).

    Parameters
    ----------
    clients : iterable of str
        Client folder names.
    client_data_dir, reports_dir : str or Path
        Where inputs live and where deliverables go.
    jobs : int
        Notebooks executed at once; 0 means one per core. Clients get worker processes
        first; with fewer clients than jobs, each client's chapters run on parallel
        kernels (see :func:`cxkit.run.environment.plan`).
    consultant : bool
        Also write the internal review copies.
    on_done : callable, optional
        Called as each client finishes, with (result, finished so far, total).

    Returns
    -------
    list of ClientResult
    """
    names = list(clients)
    workers, kernels = settle(jobs, len(names))
    if workers == 1:
        results = []
        for i, name in enumerate(names, 1):
            results.append(run_one(name, client_data_dir, reports_dir, consultant, kernels=kernels))
            if on_done:
                on_done(results[-1], i, len(names))
        return results
    # one zygote for every worker: it imports while the pool starts, and only once
    prepare_environment()
    address = zygote.shared(kernel_env()).address if zygote.available() else None
    with _pool(workers) as pool:
        futures = {pool.submit(run_one, n, client_data_dir, reports_dir, consultant, None, kernels, address): n
                   for n in largest_first(names, client_data_dir)}
        return gather(futures, as_completed, names, "the worker process stopped", on_done)


def gather(futures: dict[Any, str], completed: Callable[[Any], Iterable[Any]], names: list[str], lost: str,
           on_done: Callable[[ClientResult, int, int], None] | None = None) -> list[ClientResult]:
    """Collect one result per client as its future completes, in the order of ``names``.

    Parameters
    ----------
    futures : dict
        Future -> client name (process-pool or Dask futures).
    completed : callable
        The executor's ``as_completed``.
    names : list of str
        The clients, in the order results are returned.
    lost : str
        What a future that raised means (its worker died, its task was lost); the client
        then fails with that message and the batch goes on.
    on_done : callable, optional
        Called as each client finishes, with (result, finished so far, total).

    Returns
    -------
    list of ClientResult
    """
    done: dict[str, ClientResult] = {}
    for future in completed(futures):
        name = futures[future]
        try:
            done[name] = future.result()
        except Exception as exc:  # noqa: BLE001 - a dead worker fails its client only
            done[name] = ClientResult(name, "failed", 0.0, None, f"{lost}: {type(exc).__name__}: {exc}")
        if on_done:
            on_done(done[name], len(done), len(names))
    return [done[n] for n in names]


def progress_line(result: ClientResult, finished: int, total: int) -> None:
    """Print one line per finished client to stderr: ``[3/8] acme ok 4.2 s``."""
    mark = "ok" if result.status == "ok" else "FAILED"
    print(f"[{finished}/{total}] {result.client}: {mark} ({result.seconds:.1f} s)", file=sys.stderr, flush=True)


def summary_table(results: list[ClientResult]) -> str:
    """The end-of-batch table: client, status, time and report path (or the error)."""
    width = max([len("client")] + [len(r.client) for r in results])
    lines = [f"{'client':<{width}}  status  time     report"]
    for r in results:
        where = r.report if r.status == "ok" else f"error: {r.error}"
        lines.append(f"{r.client:<{width}}  {r.status:<6}  {r.seconds:6.1f}s  {where}")
    return "\n".join(lines)
