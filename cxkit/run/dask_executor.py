"""Running many clients on a Dask distributed cluster, one task per client.

Each task runs :func:`cxkit.run.batch.run_one` on a worker, exactly the function the
local process pool runs, so results, failure reporting and exit codes are the same.
Paths are passed as given: on a real cluster ``client_data`` and ``reports`` must be a
shared path (network file system) that every worker sees at the same location.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from cxkit.errors import RunError
from cxkit.run.batch import gather, run_one
from cxkit.run.client_run import ClientResult
from cxkit.run.portfolio import largest_first


def _client(scheduler: str | None, workers: int):
    """Connect to ``scheduler``, or start a local cluster of ``workers`` single-thread processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - optional extra
        raise RunError("the Dask executor needs the 'dask' extra: pip install 'cxkit[dask]'") from None
    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=40)
    return Client(cluster), cluster


def _shared(path: str | Path, scheduler: str | None) -> str:
    """Absolute path for workers; relative paths only make sense on this machine."""
    path = Path(path)
    return str(path if scheduler and path.is_absolute() else path.resolve())


def run_on_dask(clients: Iterable[str], client_data_dir: str | Path, reports_dir: str | Path,
                scheduler: str | None = None, consultant: bool = False,
                on_done: Callable[[ClientResult, int, int], None] | None = None, *,
                workers: int | None = None) -> list[ClientResult]:
    """Run clients as Dask tasks and return their results in the order given.

    Parameters
    ----------
    clients : iterable of str
        Client folder names.
    client_data_dir, reports_dir : str or Path
        Input and output roots; on a cluster, a shared path mounted identically on
        every worker (relative paths are made absolute on this machine first).
    scheduler : str, optional
        Scheduler address (``tcp://host:8786``); without it a local cluster is started
        and stopped again.
    consultant : bool
        Also write the internal review copies.
    on_done : callable, optional
        Called as each client finishes, with (result, finished so far, total).
    workers : int, optional
        Worker processes of the local cluster (default: one per core).

    Returns
    -------
    list of ClientResult
        A task lost with its worker becomes a ``failed`` result; nothing is raised.
    """
    import os

    from distributed import as_completed

    names = list(clients)
    data, reports = _shared(client_data_dir, scheduler), _shared(reports_dir, scheduler)
    workers = workers or os.cpu_count() or 1
    threads = max(1, (os.cpu_count() or 1) // workers) if not scheduler else None
    dask_client, cluster = _client(scheduler, workers)
    try:
        order = largest_first(names, data)  # the scheduler runs higher priorities first
        futures = {dask_client.submit(run_one, n, data, reports, consultant, threads, key=f"cxkit-{n}", pure=False,
                                      priority=len(order) - rank): n
                   for rank, n in enumerate(order)}
        return gather(futures, as_completed, names, "the Dask task failed", on_done)
    finally:
        dask_client.close()
        if cluster is not None:
            cluster.close()
