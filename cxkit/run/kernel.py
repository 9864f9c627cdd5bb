"""One warm Jupyter kernel reused for a client's chapters, behind a papermill engine.

Starting a kernel and importing pandas and matplotlib costs more than most chapters'
actual work, so a client's five notebooks share one kernel:

1. :meth:`ChapterKernel.start` launches the kernel and immediately queues a warm-up cell
   (imports numpy, pandas, matplotlib and cxkit, renders one figure so the font cache and
   the Agg renderer are loaded, then records a snapshot). The caller keeps working
   (validating inputs, building the HTML exporter) while the kernel boots.
2. Before every notebook, :meth:`ChapterKernel.execute` runs a silent reset
   (:func:`cxkit.run.kernel_state.reset`) that empties the user namespace and restores the
   snapshot, so each notebook starts from a clean namespace exactly as if it ran alone.
3. The notebook is parameterised by papermill (``parameterize_notebook``: injected
   parameters cell and ``metadata.papermill`` record) and executed by the papermill engine
   :class:`ReusedKernelEngine`, which hands the running kernel to nbclient instead of
   starting a new one. Nothing is written to disk and no progress bar is drawn.

Kernels talk over IPC sockets in a private temporary folder (no TCP ports, hence no port
races between parallel workers); a kernel that fails to start is retried.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat

from cxkit.errors import RunError

ENGINE_NAME = "cxkit-reuse"
IOPUB_TIMEOUT = 60
"""Seconds to wait for a cell's remaining outputs after its reply (nbclient's default is 4)."""
START_ATTEMPTS = 3
WARM_TIMEOUT = 180.0
_SNAPSHOT_CODE = "__import__('cxkit.run.kernel_state', fromlist=['snapshot']).snapshot()"
_WARM_CODE = "__import__('cxkit.run.kernel_state', fromlist=['warm_up']).warm_up();" + _SNAPSHOT_CODE
_RESET_CODE = "__import__('cxkit.run.kernel_state', fromlist=['reset']).reset()"
log = logging.getLogger(__name__)


class ChapterKernel:
    """A kernel started once and reused, with a clean namespace, for several notebooks.

    Parameters
    ----------
    kernel_name : str
        Jupyter kernel spec name.
    cwd : str or Path
        Working directory of the kernel (restored before every notebook).
    warm : bool
        Pre-import the heavy libraries when the kernel starts.

    Examples
    --------
    >>> with ChapterKernel() as kernel:                                  # doctest: +SKIP
    ...     nb = kernel.execute(nbformat.read("a.ipynb", 4), {"client": "demo"})
    """

    def __init__(self, kernel_name: str = "python3", cwd: str | Path | None = None, *, warm: bool = True) -> None:
        self.kernel_name = kernel_name
        self.cwd = str(cwd or os.getcwd())
        self.warm = warm
        self.km: Any = None
        self.kc: Any = None
        self._folder: str | None = None
        self._pending: str | None = None
        self.notebooks_run = 0

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> "ChapterKernel":
        """Launch the kernel and queue the warm-up without waiting for either."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self._folder = tempfile.mkdtemp(prefix="cxkit-kernel-")
        km = AsyncKernelManager(kernel_name=self.kernel_name)
        if os.name == "posix":
            km.transport = "ipc"
            km.ip = os.path.join(self._folder, "k")
        km.connection_file = os.path.join(self._folder, "connection.json")
        run_sync(km.start_kernel)(cwd=self.cwd, env=_kernel_env(),
                                  extra_arguments=["--HistoryManager.enabled=False"])
        self.km = km
        self.kc = km.client()
        self.kc.start_channels()
        self._pending = self.kc.execute(_WARM_CODE if self.warm else _SNAPSHOT_CODE, silent=True,
                                        store_history=False, allow_stdin=False)
        return self

    def ready(self) -> "ChapterKernel":
        """Wait until the kernel answered its warm-up; restart it (up to 3 tries) if it died."""
        for attempt in range(1, START_ATTEMPTS + 1):
            if self.km is None:
                self.start()
            try:
                if self._pending is not None:
                    self._wait(self._pending, WARM_TIMEOUT)
                    self._pending = None
                return self
            except RunError:
                self.shutdown()
                if attempt == START_ATTEMPTS:
                    raise
                log.warning("kernel failed to start (attempt %d); retrying", attempt)
        return self  # pragma: no cover

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
        self.km = self.kc = self._folder = self._pending = None

    def __enter__(self) -> "ChapterKernel":
        return self.start() if self.km is None else self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    # -- running code ----------------------------------------------------------------------
    def run_silent(self, code: str, timeout: float = 60.0) -> None:
        """Execute code without output or history; raise RunError if it fails."""
        self.ready()
        self._wait(self.kc.execute(code, silent=True, store_history=False, allow_stdin=False), timeout)

    def reset(self) -> None:
        """Clear the namespace and restore the post-warm-up state (see kernel_state)."""
        self.run_silent(_RESET_CODE)

    def _wait(self, msg_id: str, timeout: float) -> None:
        from jupyter_core.utils import run_sync

        reply = run_sync(self._async_reply)(msg_id, timeout)
        content = reply["content"]
        if content.get("status") != "ok":
            raise RunError(f"the notebook kernel failed to prepare: {content.get('ename')}: {content.get('evalue')}")

    async def _async_reply(self, msg_id: str, timeout: float) -> dict:
        import queue

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                reply = await self.kc.get_shell_msg(timeout=1.0)
            except queue.Empty:
                if not await self.km.is_alive():
                    raise RunError("the notebook kernel died while starting") from None
                continue
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return reply
        raise RunError(f"the notebook kernel did not answer within {timeout:.0f} s")

    def execute(self, nb: nbformat.NotebookNode, parameters: dict[str, Any], *,
                input_path: str = "", timeout: float | None = None) -> nbformat.NotebookNode:
        """Reset the kernel, parameterise ``nb`` with papermill and execute it here.

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
        """
        from papermill.engines import papermill_engines
        from papermill.execute import prepare_notebook_metadata, raise_for_execution_errors, remove_error_markers
        from papermill.parameterize import parameterize_notebook

        if ENGINE_NAME not in papermill_engines._engines:
            _register_engine()
        self.reset()
        nb = parameterize_notebook(papermill_ready(nb), parameters, report_mode=False, kernel_name=self.kernel_name,
                                   language="python", engine_name=ENGINE_NAME)
        nb = remove_error_markers(prepare_notebook_metadata(nb, input_path, None))
        nb = papermill_engines.execute_notebook_with_engine(
            ENGINE_NAME, nb, kernel_name=self.kernel_name, input_path=input_path, output_path=None,
            progress_bar=False, log_output=False, execution_timeout=timeout, kernel=self,
        )
        self.notebooks_run += 1
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

    from papermill import __version__

    nb = copy.deepcopy(nb)
    nb.metadata.setdefault("papermill", nbformat.from_dict(
        {"default_parameters": {}, "parameters": {}, "environment_variables": {}, "version": __version__}))
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    return nb


def _kernel_env() -> dict[str, str]:
    """The kernel's environment: ours, with the project importable and a headless backend."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    env.setdefault("MPLBACKEND", "Agg")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    return env


def _register_engine() -> None:
    """Register :data:`ENGINE_NAME` with papermill (idempotent)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

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

