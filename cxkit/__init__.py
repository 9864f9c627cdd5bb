"""cxkit: a workbench for customer-experience maturity engagements.

The package holds every computation; the notebooks in ``notebooks/`` tell the story.
Start with :func:`load_client`.
"""
from __future__ import annotations

__version__ = "0.1.0"


def load_client(client: str, client_data_dir: str = "../client_data"):
    """Open one client's folder for reading (see :class:`cxkit.io.ClientFolder`).

    Parameters
    ----------
    client : str
        The client's folder name, e.g. ``"demo"``.
    client_data_dir : str
        The folder of client folders (relative to the notebook by default).

    Returns
    -------
    cxkit.io.ClientFolder
    """
    from cxkit.io import ClientFolder

    return ClientFolder(client, client_data_dir)
