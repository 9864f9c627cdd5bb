"""Which clients a batch runs, and in what order."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def all_clients(client_data_dir: str | Path) -> list[str]:
    """Every client folder under ``client_data_dir`` that has an ``engagement.yaml``.

    Symbolic links are skipped: a batch runs only folders that really live in the
    portfolio.
    """
    base = Path(client_data_dir)
    return sorted(p.name for p in base.iterdir() if (p / "engagement.yaml").is_file() and not p.is_symlink())


def input_bytes(folder: str | Path) -> int:
    """The size of a client folder's input files in bytes (0 when it cannot be read).

    The files are :meth:`cxkit.io.client.ClientFolder.input_files`, the ones a run's
    manifest lists; a symbolic link counts as the link itself.

    Examples
    --------
    >>> input_bytes("/no/such/folder")
    0
    """
    from cxkit.errors import InputError
    from cxkit.io.client import ClientFolder

    folder = Path(folder)
    try:
        return ClientFolder(folder.name, folder.parent).input_bytes()
    except (InputError, OSError):  # the run itself reports what is wrong with the folder
        return 0


def largest_first(clients: Iterable[str], client_data_dir: str | Path) -> list[str]:
    """The order in which a batch starts its clients: the largest inputs first.

    A client's run time grows with its survey exports, so starting the biggest clients
    first (longest processing time first) keeps a large client from starting last
    while the other workers have nothing left to do. Clients of equal size keep the
    order given. Results are still reported in the order the clients were asked for.

    Parameters
    ----------
    clients : iterable of str
        Client folder names.
    client_data_dir : str or Path
        The folder of client folders.

    Returns
    -------
    list of str
        The same names, largest input first.
    """
    names = list(clients)
    size = {name: input_bytes(Path(client_data_dir) / name) for name in names}
    return sorted(names, key=lambda name: -size[name])
