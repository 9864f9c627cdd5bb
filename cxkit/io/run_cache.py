"""Parsed inputs shared by the chapter kernels of one client's run.

Chapters 2 to 5 each read and tidy the same survey exports (a quarter to half a second a
chapter for the demo client), and chapters 3 to 5 each compute the same headline figures
and trends (:func:`cxkit.chapters.baseline.analyse`). During a batch run the runner opens
a private folder for the client (:func:`scope`) and names it in ``CXKIT_RUN_CACHE``, which
every kernel of that client inherits. The first chapter to need a result stores it there;
the others load it instead of computing it again.

Why this cannot give a wrong or foreign number:

* an entry is addressed by the SHA-256 of every input file of the client and the cxkit
  version, so a changed file, another client or another release never finds it;
* an entry is written to a temporary name and renamed into place, so a reader sees a
  whole entry or none; an entry that cannot be read is parsed again;
* chapters that need an entry at the same moment build it once: one holds the entry's
  lock while it parses, the others wait for it and load the result;
* the folder is created private (mode 0700) and deleted when the client's run ends,
  so parsed customer data never outlives the run;
* outside a batch run (a notebook in JupyterLab, a test) the variable is unset and
  nothing is stored: every notebook still runs alone.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

CACHE_VAR = "CXKIT_RUN_CACHE"
"""The environment variable naming the current run's cache folder."""

T = TypeVar("T")


def entry_key(kind: str, fingerprint: dict[str, str]) -> str:
    """The address of an entry: ``kind``, the inputs' hashes and the cxkit version.

    Parameters
    ----------
    kind : str
        What is stored, e.g. ``"surveys"``.
    fingerprint : dict of str to str
        SHA-256 of every input file, keyed by relative path
        (:meth:`cxkit.io.client.ClientFolder.run_fingerprint`).

    Examples
    --------
    >>> a = entry_key("surveys", {"surveys/a.csv": "00"})
    >>> a == entry_key("surveys", {"surveys/a.csv": "00"}), a == entry_key("surveys", {"surveys/a.csv": "01"})
    (True, False)
    """
    from cxkit import __version__

    text = json.dumps({"kind": kind, "version": __version__, "inputs": fingerprint}, sort_keys=True)
    return f"{kind}-{hashlib.sha256(text.encode()).hexdigest()}"


def folder() -> Path | None:
    """The current run's cache folder, or None outside a run (or when it is gone)."""
    value = os.environ.get(CACHE_VAR)
    return Path(value) if value and Path(value).is_dir() else None


def cached(kind: str, fingerprint: Callable[[], dict[str, str]], build: Callable[[], T]) -> T:
    """``build()``, stored in the run's cache or loaded from it when already there.

    Parameters
    ----------
    kind : str
        What is stored (part of the address).
    fingerprint : callable
        Returns the inputs' hashes; called only inside a run.
    build : callable
        Computes the value (and raises for bad input: errors are never stored).

    Returns
    -------
    The value ``build()`` returns, or an equal copy of it.
    """
    where = folder()
    if where is None:
        return build()
    path = where / (entry_key(kind, fingerprint()) + ".pickle")
    found = _load(path)
    if found is not _MISSING:
        return found
    with _building(path):  # chapters that start together parse once: the others wait, then load
        found = _load(path)
        if found is not _MISSING:
            return found
        value = build()
        _store(path, value)
        return value


_MISSING = object()


def _load(path: Path) -> object:
    """The stored value, or ``_MISSING`` when there is none (or it cannot be read)."""
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        with path.open("rb") as handle:
            return pickle.load(handle)
    return _MISSING


@contextlib.contextmanager
def _building(path: Path) -> Iterator[None]:
    """Hold the entry's lock file while it is built (POSIX ``flock``; elsewhere no lock).

    The lock goes with its holder: a kernel that fails or is killed mid-build frees it, and
    the next kernel then builds the entry itself (and meets the same error, if any).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: each kernel builds its own
        yield
        return
    try:
        handle = open(path.with_suffix(".lock"), "wb")
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _store(path: Path, value: object) -> None:
    """Write ``value`` under a temporary name and rename it into place (best effort: when
    the folder is gone or the disk is full, the caller still has its value)."""
    try:
        fd, part = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(part, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(part)


@contextlib.contextmanager
def scope() -> Iterator[Path]:
    """Open a private cache folder for one client's run and name it in ``CXKIT_RUN_CACHE``.

    Kernels started inside the block inherit it. Re-entrant: inside an open scope it
    yields that scope's folder. On leaving, the folder is deleted and the variable
    restored.

    Yields
    ------
    Path
        The folder.
    """
    current = folder()
    if current is not None:
        yield current
        return
    previous = os.environ.get(CACHE_VAR)
    path = Path(tempfile.mkdtemp(prefix="cxkit-run-cache-"))
    os.environ[CACHE_VAR] = str(path)
    try:
        yield path
    finally:
        if previous is None:
            os.environ.pop(CACHE_VAR, None)
        else:
            os.environ[CACHE_VAR] = previous
        shutil.rmtree(path, ignore_errors=True)
