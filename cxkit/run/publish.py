"""Atomic publication of a client's deliverable.

A run writes into a fresh build folder under ``reports/.builds/<client>/``. Only when the
whole client succeeded does ``reports/<client>`` switch to it, by atomically replacing a
symbolic link (``os.replace`` of a link is a single rename). A run that fails, or is
killed at any point, leaves ``reports/<client>`` pointing at the last good deliverable.
Review copies with code (``cxkit run --consultant``) are built and published the same
way under ``reports/_review/<client>``, outside the folder a client receives.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

BUILDS = ".builds"
REVIEW = "_review"
"""Folder of ``reports/`` that holds the consultants' review copies (with code), one folder per
client, published like the deliverables but never inside one. No client is called that: a
client name starts with a letter or a digit."""


def new_build_dir(reports_dir: Path, client: str) -> Path:
    """Create an empty, uniquely named build folder for ``client``."""
    parent = reports_dir / BUILDS / client
    parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix="build-", dir=parent))
    build.chmod(0o755)  # mkdtemp makes it owner-only; a deliverable is shared like any folder
    return build


def publish(build: Path, reports_dir: Path, client: str) -> Path:
    """Point ``reports/<client>`` at ``build`` atomically and remove older builds.

    Parameters
    ----------
    build : Path
        A complete build folder made by :func:`new_build_dir`.
    reports_dir : Path
        The reports root.
    client : str
        The client's name.

    Returns
    -------
    Path
        ``reports/<client>``.
    """
    target = reports_dir / client
    if target.exists() and not target.is_symlink():
        _retire_plain_folder(target, reports_dir, client)
    link = reports_dir / f".{client}.{uuid.uuid4().hex}.link"
    os.symlink(os.path.relpath(build, reports_dir), link)
    os.replace(link, target)
    _fsync_dir(reports_dir)
    discard_builds(reports_dir, client, keep=build)
    return target


def withdraw(reports_dir: Path, client: str) -> None:
    """Remove ``reports_dir/<client>`` and its builds, if any (a review copy that no longer
    matches the deliverable beside it)."""
    target = reports_dir / client
    if target.is_symlink():
        target.unlink()
    discard_builds(reports_dir, client, keep=None)


def discard(build: Path) -> None:
    """Remove a failed build folder."""
    shutil.rmtree(build, ignore_errors=True)


def discard_builds(reports_dir: Path, client: str, keep: Path | None) -> None:
    """Remove every build of ``client`` except ``keep`` and the one currently published."""
    current = (reports_dir / client).resolve() if (reports_dir / client).is_symlink() else None
    for old in (reports_dir / BUILDS / client).glob("build-*"):
        if old.resolve() not in {current, keep.resolve() if keep else None}:
            shutil.rmtree(old, ignore_errors=True)


def _retire_plain_folder(target: Path, reports_dir: Path, client: str) -> None:
    """Move a real folder (from an older layout) into the builds area before linking."""
    parent = reports_dir / BUILDS / client
    parent.mkdir(parents=True, exist_ok=True)
    os.replace(target, parent / f"build-legacy-{uuid.uuid4().hex[:8]}")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Write a text file atomically (temporary file in the same folder, then rename)."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
