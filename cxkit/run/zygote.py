"""Warm processes that fork a fresh Jupyter kernel for every notebook (POSIX).

Starting a kernel means starting Python and importing ipykernel, pandas, matplotlib,
SciPy, statsmodels and cxkit, about two seconds before a notebook's first cell runs. A
*zygote* pays that once per worker process: it imports everything (with the garbage
collector paused, as Python's documentation advises for a process that forks), draws one
throwaway chart (fonts and the Agg renderer load), moves the heap out of the garbage
collector's reach, and waits. For each notebook it forks a child that becomes an ordinary IPython
kernel on a connection file the runner wrote; the child is ready in a fraction of a second.

Two tiers. SciPy's statistics and statsmodels are a third of those imports, and only
the chapters that fit models use them (:attr:`cxkit.run.chapters.Chapter.statistics`).
So the zygote imports everything else, then forks a second zygote that imports those two
and serves on its own socket. Kernels for the other chapters are forked from the first
zygote as soon as it is ready, and run on one core while the second zygote's imports run
on the other. A chapter that needs the libraries anyway still runs correctly: it imports
them itself, only slower.

Why each notebook starts clean: the child is a copy of a process that has never run a
notebook cell nor read a client's file. It starts with libraries loaded in
``sys.modules`` and nothing else: no user names, no user modules, the zygote's working
directory, environment and settings. So a notebook cannot see what another notebook (or
another client) defined, by construction rather than by clean-up. Both zygotes are such
processes.

Protocol (private to this module): each zygote listens on a Unix socket whose path it is
given (the second one's is the first one's plus :data:`STATISTICS_SUFFIX`); a runner
connects, writes one JSON line ``{"connection_file", "cwd", "env"}`` and reads one JSON
line ``{"pid": N}``. Requests made while a zygote still imports simply wait in its
socket's queue; when its imports are done, it creates its socket's path plus
:data:`WARM_SUFFIX` (:meth:`Zygote.warm`). One zygote pair can serve every worker process of a batch
(:func:`cxkit.run.batch.run_many` starts it and hands its address to the workers). Both
zygotes exit when their stdin closes (their owner ended, however it ended); a kernel exits
when its zygote is gone (ipykernel's parent poller), and the runner kills each kernel when
its notebook is done.
"""
from __future__ import annotations

import atexit
import functools
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from cxkit.errors import RunError
from cxkit.run import environment
from cxkit.run.environment import THREAD_VARS

WARM_MODULES = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger", "pdb",
    # what a kernel imports as it starts, and pandas' Arrow conversion (every kernel paid ~10 ms)
    "IPython.core.completerlib", "IPython.core.debugger", "IPython.core.logger", "IPython.core.oinspect",
    "IPython.extensions.storemagic", "tornado.platform.asyncio", "zmq.utils.garbage", "pyarrow.pandas_compat",
    "pandas.core.reshape.reshape",
    "numpy", "pandas", "matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg",
)
"""Libraries the first zygote imports once, so that no notebook pays for them (missing ones
are skipped); every module of cxkit that a notebook can use is imported as well."""

STATISTICS_MODULES = ("scipy.stats", "statsmodels.regression.linear_model", "statsmodels.discrete.discrete_model")
"""What the second zygote adds: the libraries behind cxkit's regression models (cxkit
imports them only inside the functions that fit a model)."""

STATISTICS_SUFFIX = "-statistics"
"""The second zygote's socket: the first one's path with this added."""

WARM_SUFFIX = ".warm"
"""Beside each socket, a file the zygote creates once its imports are done: a runner can
tell whether a kernel of that tier would come at once or only after the imports."""

NOT_FOR_NOTEBOOKS = ("cxkit.run", "cxkit.bench", "cxkit.cli", "cxkit.__main__", "cxkit.demo", "cxkit.scaffold",
                     "cxkit.validate", "cxkit.report.exporter", "cxkit.report.index", "cxkit.report.manifest")
"""The runner's side of cxkit: never imported by a notebook, so not by the zygote either."""

INTERACTIVE_ONLY = ("cxkit.maturity.form",)
"""Imported by a notebook only when a person enters data in JupyterLab, whose kernels are
not forked: the intake form (and ipywidgets with it) is left to those kernels."""

WARM_CALLS = ("cxkit.text.sentiment:analyser",)
"""Static resources built once (``module:function``, called without arguments)."""

START_TIMEOUT = 120.0
RECONNECT_MS = 10
"""How often a kernel client retries connecting to its kernel's sockets. The client connects
as soon as the kernel is forked, before the kernel has bound them; at ZeroMQ's default of
100 ms, a kernel ready in 0.07 s answered after 0.13 to 0.21 s."""


# -- inside the zygote ---------------------------------------------------------------------
def warm_up(modules: tuple[str, ...] = WARM_MODULES) -> list[str]:
    """Import the libraries and cxkit, build static resources, draw one chart and parse one
    made-up table; return what failed."""
    import importlib

    failed = _import_all((*modules, *notebook_modules()))
    for target in WARM_CALLS:
        module, _, function = target.partition(":")
        try:
            getattr(importlib.import_module(module), function)()
        except Exception:  # noqa: BLE001
            failed.append(target)
    _draw_one_chart()
    _parse_one_table()
    return failed


def _import_all(names: tuple[str, ...]) -> list[str]:
    """Import each module; return the ones that failed."""
    import importlib

    failed = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a broken optional module must not stop the zygote
            failed.append(name)
    return failed


def notebook_modules() -> list[str]:
    """Every cxkit module a chapter notebook can import in a batch run (the runner's own and
    the interactive-only ones are left out)."""
    import pkgutil

    import cxkit

    found: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        for module in pkgutil.iter_modules([folder], prefix):
            if module.name.startswith(NOT_FOR_NOTEBOOKS) or module.name in INTERACTIVE_ONLY:
                continue
            found.append(module.name)
            if module.ispkg:
                walk(os.path.join(folder, module.name.rsplit(".", 1)[1]), module.name + ".")

    walk(cxkit.__path__[0], "cxkit.")
    return found


def _draw_one_chart() -> None:
    """Draw a throwaway chart as cxkit draws its own (its style, bars, text, an image with a
    colour bar, a legend, saved by :func:`cxkit.report.html.figure`), so that kernels find
    the fonts, glyph caches and PNG encoder loaded (12 ms less for a kernel's first chart)."""
    import numpy as np

    from cxkit.plotting.style import new_figure
    from cxkit.report.html import figure

    fig, ax = new_figure((4, 3))
    ax.barh(["a", "b"], [1, 2], label="bars")
    ax.set_title("Warm-up", fontweight="bold")
    ax.text(0.5, 0.5, "note", fontsize=8)
    fig.colorbar(ax.imshow(np.arange(4).reshape(2, 2)), ax=ax)
    ax.legend()
    figure(fig, "warm-up")


def _parse_one_table() -> None:
    """Parse a tiny made-up table as the exports are parsed (text, dates, strings, groups),
    so that kernels find pandas' parsers ready (the first ``read_csv`` of a kernel took
    30 ms, the next 2 ms)."""
    import io

    import pandas as pd

    table = pd.read_csv(io.StringIO("id,date,score,comment\nr1,2024-01-05,9, Good \nr2,2024-02-01,3,slow\n"),
                        dtype={"id": "string", "comment": "string"}, parse_dates=["date"])
    table["comment"].str.strip().str.lower()
    table.groupby("id", observed=True).agg(n=("score", "size"), mean=("score", "mean")).reset_index()


def serve(address: str) -> None:
    """The zygotes' main loop (``python -m cxkit.run.zygote ADDRESS``): the first zygote
    serves ``ADDRESS``, the second one, forked once the first is warm, ``ADDRESS`` plus
    :data:`STATISTICS_SUFFIX`."""
    import gc

    gc.disable()  # imports make many objects and next to no garbage; collecting cost 0.2-0.3 s of the start
    # Nobody attaches a debugger to a batch kernel: marking debugpy unavailable makes ipykernel
    # run without one (as it does where debugpy is not installed) and saves its 0.03-0.1 s import.
    sys.modules.setdefault("debugpy", None)  # type: ignore[assignment]
    first, second = _listen(address), _listen(address + STATISTICS_SUFFIX)  # requests wait here meanwhile
    os.dup2(2, 1)  # stray prints of any library go to stderr
    warm_up()
    parent = os.getpid()
    if os.fork() == 0:  # the second zygote: a copy of the warm first one, plus the statistics libraries
        first.close()
        _import_all(STATISTICS_MODULES)
        _serve_forever(second, parent)
    second.close()
    _serve_forever(first)


def _listen(path: str) -> Any:
    import socket

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    return listener


def _serve_forever(listener: Any, parent: int | None = None) -> None:
    """Fork a kernel for each request on ``listener`` until stdin closes (or, for the
    second zygote, until the first one, ``parent``, is gone)."""
    import gc

    gc.freeze()  # children inherit a frozen heap: collections scan only what a notebook makes
    gc.enable()  # for the zygote and so for every kernel forked from it
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels (and the second zygote) are reaped as they end
    try:
        Path(listener.getsockname() + WARM_SUFFIX).touch()
    except OSError:  # the owner closed the zygotes during these imports and removed their folder
        os._exit(0)
    while True:
        readable, _, _ = select.select([sys.stdin, listener], [], [], None if parent is None else 0.5)
        if parent is not None and os.getppid() != parent:
            os._exit(0)
        if sys.stdin in readable and not os.read(sys.stdin.fileno(), 4096):
            sys.stderr.flush()  # the owner is gone: nothing to save, so skip the interpreter's teardown
            os._exit(0)  # of a large frozen heap (0.07 to 0.17 s the owner waited for)
        if listener in readable:
            _answer(*listener.accept(), listener)


def _answer(conn: Any, _address: Any, listener: Any) -> None:
    with conn:
        conn.settimeout(10)
        try:
            request = json.loads(conn.makefile("rb").readline())
        except (OSError, ValueError):
            return
        pid = os.fork()
        if pid == 0:
            conn.close()
            listener.close()
            _become_kernel(request)
        try:
            conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
        except OSError:
            os.kill(pid, signal.SIGKILL)  # nobody is waiting for this kernel


def _become_kernel(request: dict) -> None:
    """In the forked child: detach from the zygote's stdin and run an IPython kernel."""
    status = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        import asyncio

        asyncio.set_event_loop(asyncio.new_event_loop())
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(["-f", request["connection_file"], "--HistoryManager.enabled=False",
                        f"--IPKernelApp.parent_handle={os.getppid()}"])  # exit if the zygote goes away
        app.start()
        status = 0
    finally:
        os._exit(status)


# -- in the runner -------------------------------------------------------------------------
class Zygote:
    """Handle on a zygote: the one this process started, or one at a given address.

    Parameters
    ----------
    address : str
        Path of the zygote's Unix socket.
    proc : subprocess.Popen, optional
        The zygote process, when this process owns it.
    """

    def __init__(self, address: str, proc: subprocess.Popen | None = None) -> None:
        self.address = address
        self.proc = proc

    @classmethod
    def start(cls, env: dict[str, str]) -> "Zygote":
        """Launch a zygote owned by this process, without waiting for its imports.

        Parameters
        ----------
        env : dict
            The zygote's environment (and so the libraries' thread limits, which are
            read at import time).
        """
        short = len(tempfile.gettempdir()) > 60 and os.path.isdir("/tmp")  # a socket path has ~100 bytes at most
        folder = tempfile.mkdtemp(prefix="cxkit-zygote-", dir="/tmp" if short else None)
        address = os.path.join(folder, "socket")
        proc = subprocess.Popen([sys.executable, "-m", "cxkit.run.zygote", address], stdin=subprocess.PIPE,
                                env=env)
        return cls(address, proc)

    @property
    def alive(self) -> bool:
        """True while the zygote runs (for one this process does not own: its socket exists)."""
        if self.proc is not None:
            return self.proc.poll() is None
        return os.path.exists(self.address)

    def warm(self, statistics: bool = True) -> bool:
        """Whether the zygote of that tier has finished its imports (a kernel from it comes at once).

        Parameters
        ----------
        statistics : bool
            The second zygote, with SciPy's statistics and statsmodels; False for the first.
        """
        return os.path.exists(self.address + (STATISTICS_SUFFIX if statistics else "") + WARM_SUFFIX)

    def fork(self, connection_file: str, cwd: str, env: dict[str, str], *, statistics: bool = True) -> int:
        """Fork a kernel listening on ``connection_file``; return its process id.

        Waits while the zygote is still importing (up to two minutes).

        Parameters
        ----------
        connection_file : str
            The kernel's connection file (written by the caller).
        cwd : str
            The kernel's working directory.
        env : dict
            The kernel's environment.
        statistics : bool
            Fork from the second zygote, which has SciPy's statistics and statsmodels
            loaded; False forks from the first one, ready sooner.

        Raises
        ------
        RunError
            When the zygote died or does not answer.
        """
        import socket

        address = self.address + (STATISTICS_SUFFIX if statistics else "")
        request = json.dumps({"connection_file": connection_file, "cwd": cwd, "env": env}).encode() + b"\n"
        deadline = time.monotonic() + START_TIMEOUT
        refused = 0
        while True:
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                    sock.settimeout(max(1.0, deadline - time.monotonic()))
                    sock.connect(address)
                    sock.sendall(request)
                    line = sock.makefile("rb").readline()
                if line:
                    return int(json.loads(line)["pid"])
            except ConnectionRefusedError:  # the socket exists but nobody listens on it any more
                refused += 1
            except OSError:
                pass  # not listening yet, or gone (checked below)
            if not self.alive or refused >= 3 or time.monotonic() > deadline:
                raise RunError("the kernel zygote did not start (see the messages above) or stopped answering")
            time.sleep(0.05)

    def close(self) -> None:
        """End an owned zygote: closing its stdin makes it exit; kill it if it lingers."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            proc.stdin.close()
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        shutil.rmtree(os.path.dirname(self.address), ignore_errors=True)


_SHARED: dict[str, Any] = {}
_SHARED_LOCK = threading.Lock()


def available() -> bool:
    """Kernels can be forked here (POSIX) and forking is not switched off (``CXKIT_FORK=0``)."""
    return hasattr(os, "fork") and os.environ.get("CXKIT_FORK", "1") != "0"


ADDRESS_VAR = "CXKIT_ZYGOTE"
"""Set in a batch's worker processes: the address of the batch's zygote, used instead of their own."""


def shared(env: dict[str, str]) -> Zygote:
    """This process's zygote: the batch's (``CXKIT_ZYGOTE``), else one started on first
    use and again whenever it died or the libraries' thread limits in ``env`` changed."""
    if os.environ.get(ADDRESS_VAR):
        return Zygote(os.environ[ADDRESS_VAR])
    key = tuple(env.get(v, "") for v in THREAD_VARS)
    with _SHARED_LOCK:
        zygote = _SHARED.get("zygote")
        if zygote is None or not zygote.alive or _SHARED.get("key") != key:
            if zygote is not None:
                zygote.close()
            zygote = Zygote.start(env)
            _SHARED.update(zygote=zygote, key=key)
        return zygote


def start_early(jobs: int, clients: int) -> None:
    """Start this process's zygote now, before the runner imports its own stack.

    The zygote's imports (about two seconds) then overlap the runner's (papermill,
    nbconvert, pandas: about one second), instead of following them. The thread limits
    are the ones :func:`cxkit.run.batch.run_many` will set for the same ``jobs`` and
    number of clients, so the batch finds this zygote and uses it.

    Parameters
    ----------
    jobs : int
        Notebooks executed at once (0: one per core).
    clients : int
        How many clients the batch runs.
    """
    if not available():
        return
    environment.settle(jobs, clients)
    environment.prepare_environment()
    shared(environment.kernel_env())


def close_shared() -> None:
    """Stop this process's zygote, if any."""
    with _SHARED_LOCK:
        zygote = _SHARED.pop("zygote", None)
        _SHARED.pop("key", None)
    if zygote is not None:
        zygote.close()


atexit.register(close_shared)


class ForkedKernelManager:
    """The part of jupyter_client's ``KernelManager`` that nbclient uses, for a forked kernel.

    Parameters
    ----------
    zygote : Zygote
        Where the kernel is forked from.
    folder : str
        A private folder for the connection file and the IPC sockets.
    statistics : bool
        Fork from the zygote that has SciPy's statistics and statsmodels loaded.
    """

    ipykernel = True

    def __init__(self, zygote: Zygote, folder: str, *, statistics: bool = True) -> None:
        self.zygote = zygote
        self.folder = folder
        self.statistics = statistics
        self.connection_file = os.path.join(folder, "connection.json")
        self.pid: int | None = None

    @property
    def has_kernel(self) -> bool:
        """Whether a kernel was started (nbclient then does not start one)."""
        return self.pid is not None

    async def start_kernel(self, cwd: str, env: dict[str, str], **_: Any) -> None:
        """Write the connection file and have the zygote fork a kernel on it."""
        from jupyter_client.connect import write_connection_file

        write_connection_file(self.connection_file, transport="ipc", ip=os.path.join(self.folder, "k"))
        self.pid = self.zygote.fork(self.connection_file, str(cwd), env, statistics=self.statistics)

    def client(self) -> Any:
        """An asynchronous kernel client on the connection file that asks this manager
        whether the kernel lives (so it needs no heartbeat channel)."""
        kc = _client_class()(connection_file=self.connection_file, manager=self)
        kc.load_connection_file()
        return kc

    async def is_alive(self) -> bool:
        """True while the kernel process runs (an exited kernel awaiting its reaper is not)."""
        return self.pid is not None and _running(self.pid)

    async def interrupt_kernel(self) -> None:
        """Send SIGINT, as a local kernel manager does."""
        if self.pid is not None and await self.is_alive():
            os.kill(self.pid, signal.SIGINT)

    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        """Kill the kernel (its notebook is done: there is nothing to save)."""
        if self.pid is not None and await self.is_alive():
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        await self.cleanup_resources()

    async def cleanup_resources(self, restart: bool = False) -> None:
        """Remove the connection file and the socket files."""
        for path in Path(self.folder).glob("*"):
            path.unlink(missing_ok=True)


@functools.cache
def _client_class() -> type:
    """jupyter_client's asynchronous client, with liveness from the process table.

    A client made by a real ``KernelManager`` asks its manager whether the kernel lives;
    any other client relies on a heartbeat thread. This one asks its
    :class:`ForkedKernelManager` instead, like the former. Its sockets retry a connection
    every :data:`RECONNECT_MS`: they connect while the kernel is still binding its own.
    """
    import zmq
    import zmq.asyncio
    from jupyter_client.asynchronous import AsyncKernelClient
    from traitlets import Any as AnyTrait
    from traitlets import default

    class ForkedKernelClient(AsyncKernelClient):
        manager = AnyTrait()

        @default("context")
        def _fast_reconnecting_context(self) -> zmq.asyncio.Context:
            self._created_context = True  # so that stop_channels destroys it, as for the default one
            context = zmq.asyncio.Context()
            context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MS)
            return context

        async def _async_is_alive(self) -> bool:
            return await self.manager.is_alive()

        is_alive = _async_is_alive

    return ForkedKernelClient


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in {"Z", "X"}
    except (OSError, IndexError):  # no /proc (macOS): existing means running
        return True


if __name__ == "__main__":
    serve(sys.argv[1])
