"""``cxkit validate``: check every input of a client without running any notebook."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from cxkit.errors import InputError
from cxkit.io.client import ClientFolder


def validate_client(client: str, client_data_dir: str | Path = "client_data") -> tuple[list[str], list[str]]:
    """Check a client's folder and report every problem found.

    Parameters
    ----------
    client : str
        The client's folder name.
    client_data_dir : str or Path
        The folder of client folders.

    Returns
    -------
    (problems, notes) : tuple of lists of str
        Plain-words problems (empty when all is well) and what was checked successfully.
    """
    try:
        folder = ClientFolder(client, client_data_dir)
        engagement = folder.engagement
    except InputError as exc:
        return [str(exc)], []
    problems: list[str] = []
    notes = [f"engagement.yaml: {engagement.client}, {len(engagement.surveys)} survey source(s)"]
    for label, check in _checks(folder).items():
        try:
            note = check()
        except InputError as exc:
            problems.append(str(exc))
        else:
            if note:
                notes.append(f"{label}: {note}")
    return problems, notes


def _checks(folder: ClientFolder) -> dict[str, Callable[[], Any]]:
    return {
        "maturity model": lambda: _framework(folder),
        "intake": lambda: _intake(folder),
        "journey.yaml": lambda: _journey(folder),
        "surveys": lambda: _surveys(folder),
        "contacts": lambda: _rows(folder.contacts),
        "customers": lambda: _rows(folder.customers),
        "cases": lambda: _rows(folder.cases),
    }


def _framework(folder: ClientFolder) -> str:
    from cxkit.maturity import load_framework

    fw = load_framework(folder.engagement.framework, folder.root)
    return f"{fw.name} ({len(fw.elements)} elements)"


def _intake(folder: ClientFolder) -> str:
    answers = folder.intake_answers(folder.engagement.framework)
    return f"{answers['respondent_id'].nunique()} respondent(s), {len(answers)} answers"


def _journey(folder: ClientFolder) -> str | None:
    from cxkit.journey import load_journey

    data = folder.journey_data()
    if data is None:
        return "none yet"
    journey = load_journey(data)
    return f"{len(journey.stages)} stages, {len(journey.touchpoints)} touchpoints"


def _surveys(folder: ClientFolder) -> str:
    data = folder.surveys
    excluded = int(data.quality["rows"].sum()) if len(data.quality) else 0
    return f"{data.responses['response_id'].nunique():,} usable responses; {excluded:,} rows or values excluded"


def _rows(frame: Any) -> str | None:
    return None if frame is None else f"{len(frame):,} rows"
