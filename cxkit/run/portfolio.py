"""Which clients a batch runs: the client folders of a portfolio (standard library only)."""
from __future__ import annotations

from pathlib import Path


def all_clients(client_data_dir: str | Path) -> list[str]:
    """Every client folder under ``client_data_dir`` that has an ``engagement.yaml``.

    Symbolic links are skipped: a batch runs only folders that really live in the
    portfolio.
    """
    base = Path(client_data_dir)
    return sorted(p.name for p in base.iterdir() if (p / "engagement.yaml").is_file() and not p.is_symlink())
