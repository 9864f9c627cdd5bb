"""Turn the parsed ``journey.yaml`` into a checked :class:`~cxkit.journey.schema.Journey`.

Fatal problems (the journey cannot be drawn or measured without a guess) raise
:class:`cxkit.errors.InputError` naming the key path, e.g. ``touchpoints[3].stage``:
wrong types, unknown keys, kinds, metrics or channels, duplicate stage or touchpoint ids,
a touchpoint in an unknown stage, a listening post at an unknown touchpoint.

Softer problems (an empty stage, two touchpoints with the same name, the same question
asked twice) are findings, returned by :func:`journey_findings` and shown in the coverage
chapter.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import pandas as pd
from pydantic import ValidationError

from cxkit.config import pydantic_errors
from cxkit.config.pydantic_errors import key_path
from cxkit.errors import InputError, closest
from cxkit.journey.schema import CHANNELS, KINDS, METRICS, Journey

_ALLOWED_BY_FIELD = {"channels": CHANNELS, "channel": CHANNELS, "kind": KINDS, "metric": METRICS}
_SECTION_NOUN = {
    "stages": "stage", "touchpoints": "touchpoint",
    "listening_posts": "listening post", "personas": "persona",
}
FINDING_COLUMNS = ["check", "where", "message"]


def _entry_label(data: Mapping[str, Any], loc: Sequence[Any]) -> str:
    """Describe the list entry an error sits in, e.g. "touchpoint 4 (id 'kickoff')"."""
    if len(loc) < 2 or not isinstance(loc[1], int):
        return ""
    section, index = str(loc[0]), loc[1]
    entries = data.get(section)
    entry = entries[index] if isinstance(entries, list) and index < len(entries) else None
    name = ""
    if isinstance(entry, Mapping):
        ident = entry.get("id") or entry.get("name") or entry.get("touchpoint")
        name = f" ({ident!r})" if ident else ""
    return f"{_SECTION_NOUN.get(section, section)} no. {index + 1}{name}"


def _error_from_pydantic(error: Mapping[str, Any], data: Mapping[str, Any], file: str) -> InputError:
    loc = tuple(error.get("loc", ()))
    path = key_path(loc)
    field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    entry = _entry_label(data, loc)
    kind = error.get("type", "")
    found = error.get("input")
    allowed = _ALLOWED_BY_FIELD.get(field)
    prefix = f"{entry}: " if entry else ""
    if kind == "missing":
        return InputError(f"{prefix}the key '{field}' is required", file=file, column=path)
    if kind == "extra_forbidden":
        return InputError(
            f"{prefix}unknown key '{field}'", file=file, column=path,
            hint="Check the spelling; see the commented template that `cxkit new` writes",
        )
    if allowed is not None and kind == "literal_error":
        hint = closest(str(found), allowed) if isinstance(found, str) else ""
        return InputError(
            f"{prefix}unknown {field.rstrip('s')}", file=file, column=path,
            found=str(found), expected="one of " + ", ".join(allowed), hint=hint or None,
        )
    return InputError(f"{prefix}{pydantic_errors.problem(error) or 'invalid value'}", file=file, column=path,
                      found=pydantic_errors.found(error), expected=pydantic_errors.expected(error))


def _parse(data: Any, file: str) -> Journey:
    if not isinstance(data, Mapping):
        raise InputError(
            "the journey file is empty or is not a mapping of keys", file=file,
            expected="keys stages, touchpoints, listening_posts (and optionally personas)",
            found=type(data).__name__,
        )
    try:
        return Journey.model_validate(dict(data))
    except ValidationError as exc:
        errors = exc.errors()
        first = _error_from_pydantic(errors[0], data, file)
        first.details = [str(_error_from_pydantic(e, data, file)) for e in errors[1:10]]
        raise first from None


def _duplicates(values: Sequence[Hashable]) -> list[Any]:
    return [v for v, c in Counter(values).items() if c > 1]


def _reference_errors(journey: Journey, file: str) -> list[InputError]:
    errors: list[InputError] = []
    for dup in _duplicates([s.id for s in journey.stages]):
        idx = [s.id for s in journey.stages].index(dup)
        errors.append(InputError("two stages share one id", file=file, column=f"stages[{idx}].id",
                                 found=dup, hint="Give every stage its own id"))
    tp_ids = [t.id for t in journey.touchpoints]
    for dup in _duplicates(tp_ids):
        idx = len(tp_ids) - 1 - tp_ids[::-1].index(dup)
        errors.append(InputError("two touchpoints share one id", file=file,
                                 column=f"touchpoints[{idx}].id", found=dup,
                                 hint="Give every touchpoint its own id"))
    stage_ids = [s.id for s in journey.stages]
    for i, tp in enumerate(journey.touchpoints):
        if tp.stage not in stage_ids:
            errors.append(InputError(
                f"touchpoint {tp.id!r} is placed in a stage that is not listed under 'stages'",
                file=file, column=f"touchpoints[{i}].stage", found=tp.stage,
                expected="one of " + ", ".join(stage_ids),
                hint=closest(tp.stage, stage_ids) or "Add the stage or correct the id"))
    for i, post in enumerate(journey.listening_posts):
        if post.touchpoint not in tp_ids:
            errors.append(InputError(
                "listening post at a touchpoint that is not listed under 'touchpoints'",
                file=file, column=f"listening_posts[{i}].touchpoint", found=post.touchpoint,
                hint=closest(post.touchpoint, tp_ids) or "Use a touchpoint id"))
    return errors


def load_journey(data: Mapping[str, Any], file: str = "journey.yaml") -> Journey:
    """Validate a parsed ``journey.yaml`` and return the journey.

    Parameters
    ----------
    data : mapping
        The parsed YAML (the io layer reads the file and passes the dict).
    file : str
        The file name shown in error messages, relative to the client folder.

    Returns
    -------
    Journey
        The checked journey.

    Raises
    ------
    InputError
        For wrong or unknown keys and values, duplicate stage or touchpoint ids, a
        touchpoint in an unknown stage, or a listening post at an unknown touchpoint. The
        first problem is the message; further ones are listed in ``details``.

    Examples
    --------
    >>> j = load_journey({"stages": [{"id": "use", "name": "Use"}],
    ...                   "touchpoints": [{"id": "login", "name": "Log in", "stage": "use",
    ...                                    "channels": ["in-app"], "owner": "Product",
    ...                                    "kind": "task"}]})
    >>> j.touchpoints[0].channels
    ['in-app']
    """
    journey = _parse(data, file)
    errors = _reference_errors(journey, file)
    if errors:
        first = errors[0]
        first.details = [str(e) for e in errors[1:10]]
        raise first
    return journey


def journey_findings(journey: Journey) -> pd.DataFrame:
    """List the non-fatal problems of a journey.

    Parameters
    ----------
    journey : Journey
        A loaded journey.

    Returns
    -------
    pandas.DataFrame
        Columns ``check`` (``empty_stage``, ``duplicate_stage_name``,
        ``duplicate_touchpoint_name``, ``duplicate_listening_post``), ``where`` and
        ``message``; empty when nothing is wrong.
    """
    rows: list[dict[str, str]] = []
    used = {t.stage for t in journey.touchpoints}
    for stage in journey.stages:
        if stage.id not in used:
            rows.append({"check": "empty_stage", "where": stage.id,
                         "message": f"Stage '{stage.name}' has no touchpoints yet."})
    for dup in _duplicates([s.name.casefold() for s in journey.stages]):
        rows.append({"check": "duplicate_stage_name", "where": dup,
                     "message": f"More than one stage is called '{dup}'; the map will be ambiguous."})
    names = [t.name.casefold() for t in journey.touchpoints]
    for dup in _duplicates(names):
        ids = [t.id for t in journey.touchpoints if t.name.casefold() == dup]
        rows.append({"check": "duplicate_touchpoint_name", "where": ", ".join(ids),
                     "message": f"Touchpoints {', '.join(ids)} share the name '{dup}'; "
                                "survey rows that name it cannot be told apart."})
    keys = [(p.touchpoint, p.metric, p.timing_days) for p in journey.listening_posts]
    for tp, metric, days in _duplicates(keys):
        rows.append({"check": "duplicate_listening_post", "where": tp,
                     "message": f"{metric.upper()} is declared twice at '{tp}' with the same "
                                f"timing ({days} days)."})
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)
