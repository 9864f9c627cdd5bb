"""Code that runs *inside* a reused chapter kernel: warm-up, snapshot and clean reset.

A reused kernel (see :mod:`cxkit.run.kernel`) executes several notebooks one after the
other. Before each notebook, :func:`reset` brings the kernel back to the state recorded
by :func:`snapshot` right after the warm-up. "Clean namespace" means, precisely:

* the IPython user namespace holds only IPython's own entries (``In``, ``Out``,
  ``get_ipython``, ``exit``, ``quit``...): every name a notebook defined or imported is
  gone, and the execution counter starts again at 1 (``InteractiveShell.reset``);
* modules imported by a notebook that are not part of an installed package (code next
  to the notebook, in a client folder, on a path the notebook added) are removed from
  ``sys.modules``, so the next notebook imports them afresh;
* library caches (``functools.lru_cache`` in cxkit: the sentiment lexicon, the metric-fit
  rules) are kept: a kernel serves one client only (:func:`cxkit.run.execute.prestart`),
  so nothing cached can reach another client, and notebooks stay independent of them;
* ``sys.path``, ``os.environ``, the working directory, warning filters, pandas options,
  numpy error settings and matplotlib ``rcParams`` are restored, and all figures closed.

Modules pre-imported by the warm-up (numpy, pandas, matplotlib, cxkit) stay in
``sys.modules`` but are *not* bound to any name: a notebook that forgets ``import pandas``
fails here exactly as it would alone.
"""
from __future__ import annotations

import gc
import os
import sys
import warnings
from typing import Any

WARM_MODULES = (
    "numpy", "pandas", "matplotlib", "matplotlib.pyplot", "cxkit.report.html",
    "cxkit.metrics", "cxkit.surveys", "cxkit.io.client", "cxkit.plotting", "cxkit.chapters",
)
"""Modules imported once when the kernel starts (missing ones are skipped)."""

WARM_CALLS = ("cxkit.text.sentiment:analyser",)
"""Static resources built once per kernel (``module:function``, called without arguments)."""

_BASELINE: dict[str, Any] = {}


def warm_up(modules: tuple[str, ...] = WARM_MODULES) -> list[str]:
    """Import the heavy libraries and render one throwaway figure (font cache, Agg).

    Parameters
    ----------
    modules : tuple of str
        Module names to import; an import error skips the module.

    Returns
    -------
    list of str
        The modules that could not be imported.
    """
    import importlib

    os.environ.setdefault("MPLBACKEND", "Agg")
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a broken optional module must not stop the kernel
            failed.append(name)
    for target in WARM_CALLS:
        module, _, function = target.partition(":")
        try:
            getattr(importlib.import_module(module), function)()
        except Exception:  # noqa: BLE001
            failed.append(target)
    _render_one_figure()
    return failed


def _render_one_figure() -> None:
    """Draw text and a line to PNG once, so fonts and the Agg renderer are loaded."""
    import io

    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        return
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [0, 1])
    ax.set_title("warm-up")
    fig.savefig(io.BytesIO(), format="png", dpi=50)
    plt.close(fig)


def snapshot() -> None:
    """Record the process state that :func:`reset` restores before every notebook.

    The objects alive now (imported libraries, mostly) are then frozen out of the
    garbage collector's reach, so a full collection during a notebook (``reset`` makes
    one; statsmodels' Holm correction makes one per call) scans only what notebooks
    created: about 150 ms saved per collection.
    """
    _BASELINE.update(
        cwd=os.getcwd(), environ=dict(os.environ), path=list(sys.path),
        modules=set(sys.modules), filters=list(warnings.filters),
    )
    if "numpy" in sys.modules:
        _BASELINE["numpy_err"] = sys.modules["numpy"].geterr()
    if "matplotlib" in sys.modules:
        _BASELINE["rc"] = sys.modules["matplotlib"].rcParams.copy()
    gc.collect()
    gc.freeze()


def _installed_roots() -> tuple[str, ...]:
    roots = {sys.prefix, sys.base_prefix, os.path.dirname(os.__file__)}
    cxkit = sys.modules.get("cxkit")
    if cxkit is not None and getattr(cxkit, "__file__", None):
        roots.add(os.path.dirname(cxkit.__file__))
    return tuple(os.path.realpath(r) + os.sep for r in roots)


def user_modules(baseline: set[str]) -> list[str]:
    """Modules loaded since the snapshot that do not belong to an installed package.

    Parameters
    ----------
    baseline : set of str
        ``sys.modules`` keys at snapshot time.

    Returns
    -------
    list of str
        Module names to forget.
    """
    roots = _installed_roots()
    found = []
    for name, module in list(sys.modules.items()):
        if name in baseline or module is None:
            continue
        origin = getattr(module, "__file__", None)
        if origin and not os.path.realpath(origin).startswith(roots):
            found.append(name)
    return found


def _restore_libraries() -> None:
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if "rc" in _BASELINE:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sys.modules["matplotlib"].rcParams.update(_BASELINE["rc"])
    if "numpy_err" in _BASELINE:
        sys.modules["numpy"].seterr(**_BASELINE["numpy_err"])
    if "pandas" in sys.modules:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sys.modules["pandas"].reset_option("all")


def reset() -> None:
    """Bring the kernel back to its post-warm-up state (see the module docstring)."""
    from IPython import get_ipython

    shell = get_ipython()
    shell.reset(new_session=True, aggressive=False)
    for name in user_modules(_BASELINE.get("modules", set(sys.modules))):
        sys.modules.pop(name, None)
    _restore_libraries()
    os.chdir(_BASELINE.get("cwd", os.getcwd()))
    if "environ" in _BASELINE:
        os.environ.clear()
        os.environ.update(_BASELINE["environ"])
    if "path" in _BASELINE:
        sys.path[:] = _BASELINE["path"]
    if "filters" in _BASELINE:
        warnings.filters[:] = _BASELINE["filters"]
    gc.collect()
