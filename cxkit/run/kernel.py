"""One Jupyter kernel per notebook, ready in a fraction of a second, behind a papermill engine.

Starting a kernel and importing pandas, matplotlib and the statistics libraries costs
more than most chapters' actual work. On POSIX a :class:`ChapterKernel` is therefore
forked from the process's warm zygote (:mod:`cxkit.run.zygote`), which has all of that
loaded already; elsewhere (or with ``CXKIT_FORK=0``) it is an ordinary new kernel.

1. :meth:`ChapterKernel.start` launches the kernel without waiting, so a lane can start
   the kernel for its next notebook while the current one runs.
2. :meth:`ChapterKernel.execute` waits until the kernel answers, parameterises the
   notebook with papermill (injected parameters cell and ``metadata.papermill`` record)
   and executes it with the papermill engine :class:`ReusedKernelEngine`, which hands the
   running kernel to nbclient instead of starting one. Nothing is written to disk and no
   progress bar is drawn.
3. A kernel executes one notebook only, so every notebook starts from a clean namespace:
   a forked kernel is a copy of a process that never ran a notebook.

Kernels talk over IPC sockets in a private temporary folder (no TCP ports, hence no port
races between parallel workers); a kernel that fails to start is retried.
"""
from __future__ import annotations

import logging
import os
import queue
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
# papermill here, not where it is used: the runner imports this module while the kernel zygote
# starts, so papermill's 0.2 s of imports overlap the zygote's instead of delaying the first chapter
from papermill import __version__ as PAPERMILL_VERSION
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.execute import prepare_notebook_metadata, raise_for_execution_errors, remove_error_markers
from papermill.parameterize import parameterize_notebook

from cxkit.errors import RunError
from cxkit.run.environment import kernel_env

ENGINE_NAME = "cxkit-reuse"
IOPUB_TIMEOUT = 60
"""Seconds to wait for a cell's remaining outputs after its reply (nbclient's default is 4)."""
START_ATTEMPTS = 3
READY_TIMEOUT = 120.0
log = logging.getLogger(__name__)


class ChapterKernel:
    """A kernel for exactly one notebook.

    Parameters
    ----------
    kernel_name : str
        Jupyter kernel spec name (used when the kernel is not forked).
    cwd : str or Path
        Working directory of the kernel.
    zygote : Zygote, optional
        Fork the kernel from this warm process instead of starting a new one.
    statistics : bool
        Fork it from the zygote that has SciPy's statistics and statsmodels loaded (a
        kernel without them is ready sooner, and imports them if its notebook needs them).
        A kernel that is not forked imports what its notebook needs either way, so it
        counts as having them.

    Examples
    --------
    >>> with ChapterKernel() as kernel:                                  # doctest: +SKIP
    ...     nb = kernel.execute(nbformat.read("a.ipynb", 4), {"client": "demo"})
    """

    def __init__(self, kernel_name: str = "python3", cwd: str | Path | None = None, *, zygote: Any = None,
                 statistics: bool = True) -> None:
        self.kernel_name = kernel_name
        self.cwd = str(cwd or os.getcwd())
        self.zygote = zygote
        self.statistics = statistics or zygote is None
        self.km: Any = None
        self.kc: Any = None
        self._folder: str | None = None
        self._ready = False
        self.notebooks_run = 0

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> "ChapterKernel":
        """Launch the kernel without waiting for it to answer."""
        from jupyter_core.utils import run_sync

        self._folder = tempfile.mkdtemp(prefix="cxkit-kernel-")
        if self.zygote is not None:
            from cxkit.run.zygote import ForkedKernelManager

            km = ForkedKernelManager(self.zygote, self._folder, statistics=self.statistics)
        else:
            from jupyter_client.manager import AsyncKernelManager

            km = AsyncKernelManager(kernel_name=self.kernel_name)
            if os.name == "posix":
                km.transport = "ipc"
                km.ip = os.path.join(self._folder, "k")
            km.connection_file = os.path.join(self._folder, "connection.json")
        self.km = km  # set first, so that shutdown() cleans up even if the launch fails
        run_sync(km.start_kernel)(cwd=self.cwd, env=kernel_env(),
                                  extra_arguments=["--HistoryManager.enabled=False"])
        self.kc = km.client()
        self.kc.start_channels(hb=False)  # liveness comes from the manager (the process), not a heartbeat
        return self

    def ready(self) -> "ChapterKernel":
        """Wait until the kernel answers on its shell and IOPub channels; restart it (up to
        three tries) if it died."""
        from jupyter_core.utils import run_sync

        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                if self.km is None:
                    self.start()
                if not self._ready:
                    run_sync(self._async_ready)(READY_TIMEOUT)
                    self._ready = True
                return self
            except RunError:
                self.shutdown()
                if attempt == START_ATTEMPTS:
                    raise
                log.warning("kernel failed to start (attempt %d); retrying", attempt)
        return self  # pragma: no cover

    async def _async_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg_id = self.kc.kernel_info()
            if await self._async_reply(msg_id, deadline - time.monotonic()):
                try:  # the reply came on the shell; the status messages prove IOPub is connected too
                    await self.kc.get_iopub_msg(timeout=0.5)
                    return
                except queue.Empty:
                    continue
        raise RunError(f"the notebook kernel did not answer within {timeout:.0f} s")

    async def _async_reply(self, msg_id: str, timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                reply = await self.kc.get_shell_msg(timeout=0.2)
            except queue.Empty:
                if not await self.km.is_alive():
                    raise RunError("the notebook kernel died while starting") from None
                continue
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return reply
        return None

    @property
    def alive(self) -> bool:
        """True while the kernel process runs."""
        if self.km is None:
            return False
        from jupyter_core.utils import run_sync

        return bool(run_sync(self.km.is_alive)())

    def shutdown(self) -> None:
        """Stop the kernel and remove its sockets and connection file."""
        from jupyter_core.utils import run_sync

        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001 - already gone
                pass
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)
        self.km = self.kc = self._folder = None
        self._ready = False

    def __enter__(self) -> "ChapterKernel":
        return self.start() if self.km is None else self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    # -- running a notebook ----------------------------------------------------------------
    def execute(self, nb: nbformat.NotebookNode, parameters: dict[str, Any], *,
                input_path: str = "", timeout: float | None = None) -> nbformat.NotebookNode:
        """Parameterise ``nb`` with papermill and execute it in this kernel (once only).

        Parameters
        ----------
        nb : nbformat.NotebookNode
            The notebook (not modified; papermill works on a copy).
        parameters : dict
            Injected after the ``parameters`` cell, as papermill does.
        input_path : str
            Recorded in ``metadata.papermill.input_path``.
        timeout : float, optional
            Per-cell timeout in seconds (default: none).

        Returns
        -------
        nbformat.NotebookNode
            The executed notebook, with papermill's metadata.

        Raises
        ------
        papermill.exceptions.PapermillExecutionError
            When a cell raised, as with ``papermill.execute_notebook``.
        RuntimeError
            When this kernel already executed a notebook.
        """
        if ENGINE_NAME not in papermill_engines._engines:
            _register_engine()
        if self.notebooks_run:
            raise RuntimeError("a ChapterKernel executes one notebook; start another for the next")
        self.ready()
        self.notebooks_run += 1
        nb = parameterize_notebook(papermill_ready(nb), parameters, report_mode=False, kernel_name=self.kernel_name,
                                   language="python", engine_name=ENGINE_NAME)
        nb = remove_error_markers(prepare_notebook_metadata(nb, input_path, None))
        nb = papermill_engines.execute_notebook_with_engine(
            ENGINE_NAME, nb, kernel_name=self.kernel_name, input_path=input_path, output_path=None,
            progress_bar=False, log_output=False, execution_timeout=timeout, kernel=self,
        )
        raise_for_execution_errors(nb, None)
        return nb


def papermill_ready(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` with the fields papermill expects (as ``load_notebook_node`` adds them).

    Examples
    --------
    >>> from nbformat.v4 import new_notebook, new_code_cell
    >>> papermill_ready(new_notebook(cells=[new_code_cell("1")])).cells[0].metadata.tags
    []
    """
    import copy

    nb = copy.deepcopy(nb)
    nb.metadata.setdefault("papermill", nbformat.from_dict(
        {"default_parameters": {}, "parameters": {}, "environment_variables": {}, "version": PAPERMILL_VERSION}))
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    return nb


def _register_engine() -> None:
    """Register :data:`ENGINE_NAME` with papermill (idempotent)."""
    class ReusedKernelEngine(NBClientEngine):
        """papermill engine that executes in a :class:`ChapterKernel` it is given."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     kernel: ChapterKernel | None = None, **kwargs):
            if kernel is None:
                raise RunError("the cxkit-reuse engine needs a running ChapterKernel (kernel=...)")
            client = PapermillNotebookClient(
                nb_man, km=kernel.km, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log=logging.getLogger("papermill"), log_output=False,
                # On a loaded machine a cell's last outputs can trail its reply by seconds; wait
                # for them (a missing output must fail the run, never silently vanish).
                iopub_timeout=IOPUB_TIMEOUT, raise_on_iopub_timeout=True,
            )
            client.kc = kernel.kc  # reuse the running client: nbclient then neither starts nor stops anything
            return client.execute()

    papermill_engines.register(ENGINE_NAME, ReusedKernelEngine)

