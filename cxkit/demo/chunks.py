"""Drawing large demos in chunks, so memory stays bounded at ten million responses."""
from __future__ import annotations

CHUNK_ROWS = 1_000_000
"""Most responses drawn at once."""


def chunk_sizes(n: int, size: int = CHUNK_ROWS) -> list[int]:
    """Split ``n`` rows into consecutive chunks of at most ``size``.

    Examples
    --------
    >>> chunk_sizes(5, 2), chunk_sizes(0, 2)
    ([2, 2, 1], [0])
    """
    if n <= 0:
        return [0]
    return [min(size, n - start) for start in range(0, n, size)]
