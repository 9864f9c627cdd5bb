"""The maturity models that ship with cxkit (``*.yaml`` here), and finding a client's own.

A consultant adds a model by dropping a YAML file here or into the client's
``frameworks/`` folder; the client's file wins when both have the same id. Finding and
naming the models needs neither pandas nor the scoring code, so the runner can check an
engagement's ``framework`` key on its own (reading and validating a model is
:func:`cxkit.maturity.load_framework`).
"""
from __future__ import annotations

from pathlib import Path

from cxkit.errors import InputError, closest

BUILTIN_DIR = Path(__file__).resolve().parent
CLIENT_SUBDIR = "frameworks"


def sources(client_root: Path | None = None) -> dict[str, tuple[Path, str]]:
    """Map each framework id to its file and the name a message shows for it.

    Parameters
    ----------
    client_root : Path, optional
        The client folder; its ``frameworks/*.yaml`` override built-ins of the same id
        (files that resolve outside the folder are ignored).

    Returns
    -------
    dict of str to (Path, str)

    Examples
    --------
    >>> sources()["nine_element"][1]
    'cxkit/frameworks/nine_element.yaml'
    """
    found = {p.stem: (p, f"cxkit/frameworks/{p.name}") for p in sorted(BUILTIN_DIR.glob("*.yaml"))}
    if client_root is not None:
        folder = Path(client_root) / CLIENT_SUBDIR
        if folder.is_dir():
            base = Path(client_root).resolve()
            for path in sorted(folder.glob("*.yaml")):
                if path.resolve().is_relative_to(base):
                    found[path.stem] = (path, f"{CLIENT_SUBDIR}/{path.name}")
    return found


def check_framework_id(framework_id: str, client_root: Path | None = None, file: str | None = None) -> None:
    """Raise unless ``framework_id`` names an available framework.

    Parameters
    ----------
    framework_id : str
        The id asked for.
    client_root : Path, optional
        The client folder, whose ``frameworks/*.yaml`` count too.
    file : str, optional
        Where the id was written (``engagement.yaml``), for the message.

    Raises
    ------
    InputError
        Naming the key, the ids that exist and the closest ones.
    """
    found = sources(client_root)
    if framework_id not in found:
        raise InputError("unknown maturity framework", file=file, column="framework", found=framework_id,
                         expected="one of " + ", ".join(sorted(found)),
                         hint=closest(framework_id, found) or "Add a YAML file to the client's frameworks/ folder")


def list_frameworks(client_root: Path | None = None) -> list[str]:
    """List the ids of the available frameworks.

    Parameters
    ----------
    client_root : Path, optional
        The client folder; its ``frameworks/*.yaml`` are included.

    Returns
    -------
    list of str
        Sorted framework ids.

    Examples
    --------
    >>> {"nine_element", "five_stage", "four_stage"} <= set(list_frameworks())
    True
    """
    return sorted(sources(client_root))
