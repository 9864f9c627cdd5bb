"""Safe paths inside one client's folder.

A run sees only its own client's folder: every relative path in ``engagement.yaml`` is
resolved here, and anything that escapes the folder (``..``, an absolute path, or a
symbolic link pointing outside) is refused with an :class:`~cxkit.errors.InputError`.
"""
from __future__ import annotations

import re
from pathlib import Path

from cxkit.errors import InputError

CLIENT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def check_client_id(client: str) -> str:
    """Return ``client`` if it is a valid client folder name.

    Parameters
    ----------
    client : str
        Folder name under ``client_data/``: lowercase letters, digits, ``-`` and ``_``.

    Raises
    ------
    InputError
        If the name could address anything but a single folder.

    Examples
    --------
    >>> check_client_id("acme-eu")
    'acme-eu'
    """
    if not isinstance(client, str) or not CLIENT_ID.match(client):
        raise InputError(
            "not a valid client name",
            found=str(client),
            expected="lowercase letters, digits, '-' or '_' (for example 'acme' or 'acme-eu')",
        )
    return client


def resolve_inside(root: Path, relative: str, *, must_exist: bool = True) -> Path:
    """Resolve ``relative`` against ``root`` and refuse anything outside it.

    Parameters
    ----------
    root : Path
        The client folder.
    relative : str
        A path as written in the client's configuration, e.g. ``surveys/export.csv``.
    must_exist : bool
        Raise when the file does not exist.

    Returns
    -------
    Path
        The absolute, link-free path of the file.

    Raises
    ------
    InputError
        If the path is absolute, climbs out of the folder, links outside it, or is missing.
    """
    rel = Path(relative)
    if rel.is_absolute() or ".." in rel.parts:
        raise InputError("paths must stay inside the client folder", file=str(relative),
                         expected="a relative path such as 'surveys/export.csv'")
    base = root.resolve()
    target = (base / rel).resolve()
    if not target.is_relative_to(base):
        raise InputError("this path leads outside the client folder (through a link)",
                         file=str(relative), hint="Copy the file into the client folder instead")
    if must_exist and not target.exists():
        raise InputError("file not found", file=str(relative), hint=_siblings_hint(base, target))
    return target


def _siblings_hint(base: Path, target: Path) -> str:
    folder = target.parent
    if not folder.is_dir():
        return f"The folder '{folder.relative_to(base)}' does not exist either" if folder != base else ""
    names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))[:8]
    return "Files there: " + ", ".join(names) if names else "That folder is empty"
