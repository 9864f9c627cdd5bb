"""Provenance: what went into a deliverable, so every figure can be traced and repeated."""
from __future__ import annotations

import datetime as dt
import json
import platform
from importlib import metadata
from typing import Any

PACKAGES = ("cxkit", "pandas", "numpy", "scipy", "statsmodels", "matplotlib", "papermill",
            "nbconvert", "pydantic", "duckdb", "vaderSentiment")


def package_versions() -> dict[str, str]:
    """Versions of the packages that shape the numbers and the rendering."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def build_manifest(client: str, inputs: dict[str, str], parameters: dict[str, Any],
                   outputs: list[str], started: dt.datetime, finished: dt.datetime,
                   chapter_seconds: dict[str, float] | None = None) -> str:
    """The ``manifest.json`` of one client's run.

    Parameters
    ----------
    client : str
        The client's folder name.
    inputs : dict
        Input file (relative to the client folder) -> SHA-256, taken before the run and
        verified unchanged after it.
    parameters : dict
        The notebook parameters (without any path).
    outputs : list of str
        The deliverable's files.
    started, finished : datetime
        When the run began and ended (UTC).
    chapter_seconds : dict, optional
        Chapter notebook -> seconds its cells took to execute (papermill's record), in
        reading order; chapters may have run side by side, so they can add up to more
        than the run took.

    Returns
    -------
    str
        Pretty-printed JSON.
    """
    document = {
        "client": client,
        "started_utc": started.isoformat(timespec="seconds"),
        "finished_utc": finished.isoformat(timespec="seconds"),
        "inputs": [{"file": f, "sha256": h} for f, h in sorted(inputs.items())],
        "inputs_verified_unchanged": True,
        "parameters": parameters,
        "outputs": sorted(outputs),
        "chapter_seconds": dict(chapter_seconds or {}),
        "versions": package_versions(),
    }
    return json.dumps(document, indent=2, sort_keys=False) + "\n"
