"""The process table, as the tests that watch kernels and zygotes read it (Linux ``/proc``)."""
from __future__ import annotations

from pathlib import Path


def children(pid: int) -> list[tuple[int, int]]:
    """The live children of ``pid``: (start time in clock ticks, pid), oldest first."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] not in {"Z", "X"}:
            found.append((int(fields[19]), int(stat.parent.name)))
    return sorted(found)
