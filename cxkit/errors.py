"""Errors that speak the consultant's language.

Every problem with a client's inputs is raised as :class:`InputError`, which names the
file, the row and the column where one applies, what was found and what was expected.
Its ``str()`` is the message shown to the consultant; it never contains a traceback.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class InputError(Exception):
    """A problem with a client's input files.

    Parameters
    ----------
    message : str
        What is wrong, in plain words.
    file : str, optional
        The file, relative to the client folder (never an absolute path).
    row : int, optional
        1-based row number in the file as a spreadsheet shows it.
    column : str, optional
        The column or YAML key.
    expected : str, optional
        What was expected there.
    found : str, optional
        What was found instead.
    hint : str, optional
        What to do about it.
    """

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    expected: str | None = None
    found: str | None = None
    hint: str | None = None
    details: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            kind = "key" if (self.file or "").endswith((".yaml", ".yml")) else "column"
            where.append(f"{kind} '{self.column}'")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.found is not None:
            text += f"; found {self.found!r}"
        if self.expected:
            text += f"; expected {self.expected}"
        if self.hint:
            text += f". {self.hint}"
        text += "".join(f"\n  - {d}" for d in self.details)
        return text


class RunError(Exception):
    """A notebook or a client run failed; the message is already in plain words."""


def closest(name: str, candidates: Iterable[str], n: int = 3) -> str:
    """Return a hint naming the existing names closest to ``name``.

    Parameters
    ----------
    name : str
        The name that was not found.
    candidates : iterable of str
        The names that do exist.
    n : int
        How many suggestions at most.

    Returns
    -------
    str
        ``"Closest existing: 'a', 'b'"`` or an empty string.

    Examples
    --------
    >>> closest("Q_NSP", ["Q_NPS", "Date", "Region"])
    "Closest existing: 'Q_NPS'"
    """
    options = [str(c) for c in candidates]
    matches = difflib.get_close_matches(name, options, n=n, cutoff=0.5)
    if not matches:
        lowered = {o.lower(): o for o in options}
        matches = [lowered[m] for m in difflib.get_close_matches(name.lower(), lowered, n=n, cutoff=0.5)]
    return "Closest existing: " + ", ".join(repr(m) for m in matches) if matches else ""
