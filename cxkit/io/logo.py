"""The client's logo, checked and embedded in every page's cover as a data URI."""
from __future__ import annotations

import base64

from cxkit.errors import InputError
from cxkit.io.client import ClientFolder

KINDS = {".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)), ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
         ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)), ".svg": ("image/svg+xml", ())}
"""Allowed file endings, their media type and the bytes such a file starts with."""


def logo_data_uri(folder: ClientFolder) -> str | None:
    """The engagement's logo as a ``data:`` URI, or None when it names none.

    Parameters
    ----------
    folder : ClientFolder
        The client; ``engagement.yaml``'s ``logo`` names a file inside it.

    Returns
    -------
    str or None

    Raises
    ------
    InputError
        The file is missing, of another kind, or not what its name says (a page would
        show a broken image on every cover).
    """
    logo = folder.engagement.logo
    if not logo:
        return None
    path = folder.path(logo)
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise InputError("the logo must be a PNG, JPEG or SVG file", file=logo)
    media, signatures = kind
    data = path.read_bytes()
    readable = data.startswith(signatures) if signatures else b"<svg" in data[:4096].lower()
    if not readable:
        raise InputError(f"this file is not a {path.suffix.lstrip('.').upper()} image", file=logo,
                         hint="Export the logo again, or point engagement.yaml's logo at the image file")
    return f"data:{media};base64,{base64.b64encode(data).decode()}"
