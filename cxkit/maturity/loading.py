"""Reading and checking maturity frameworks.

Built-in frameworks live in ``cxkit/frameworks/*.yaml``, a client's own in its
``frameworks/`` folder (:mod:`cxkit.frameworks` finds them). Every file is validated on
load: a problem raises :class:`cxkit.errors.InputError` naming the file and the key path,
for example ``elements[2].levels[1].description``.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cxkit.config import pydantic_errors
from cxkit.config.pydantic_errors import key_path
from cxkit.errors import InputError, closest
from cxkit.frameworks import check_framework_id, sources
from cxkit.io.yaml_files import read_yaml
from cxkit.maturity.schema import Framework


def _pydantic_error(error: Mapping[str, Any], file: str) -> InputError:
    path = key_path(error.get("loc", ()))
    field = path.rsplit(".", 1)[-1]
    if error.get("type") == "missing":
        return InputError(f"the key '{field}' is required", file=file, column=path)
    if error.get("type") == "extra_forbidden":
        return InputError(f"unknown key '{field}'", file=file, column=path,
                          hint="Check the spelling against the built-in frameworks")
    return InputError(pydantic_errors.problem(error) or "invalid value", file=file, column=path,
                      found=pydantic_errors.found(error), expected=pydantic_errors.expected(error))


def _level_errors(fw: Framework, file: str) -> list[InputError]:
    errors: list[InputError] = []
    scale = list(range(1, len(fw.levels) + 1))
    if [lv.level for lv in fw.levels] != scale:
        errors.append(InputError("levels must be numbered 1, 2, 3... in order", file=file,
                                 column="levels", found=str([lv.level for lv in fw.levels])))
    for i, element in enumerate(fw.elements):
        numbers = [lv.level for lv in element.levels]
        if numbers != scale:
            errors.append(InputError(
                f"element '{element.id}' must describe every level of the scale, in order",
                file=file, column=f"elements[{i}].levels", found=str(numbers), expected=str(scale)))
            continue
        if element.levels[0].statements:
            errors.append(InputError("the lowest level takes no statements", file=file,
                                     column=f"elements[{i}].levels[0].statements"))
        for j, entry in enumerate(element.levels[1:], start=1):
            if not entry.statements:
                errors.append(InputError(
                    "every level above the lowest needs at least one statement", file=file,
                    column=f"elements[{i}].levels[{j}].statements"))
        for k, trans in enumerate(element.transitions):
            if trans.to != trans.from_level + 1 or trans.to > len(scale):
                errors.append(InputError(
                    "a transition goes from one level to the next", file=file,
                    column=f"elements[{i}].transitions[{k}]",
                    found=f"from {trans.from_level} to {trans.to}"))
    return errors


def _id_errors(fw: Framework, file: str) -> list[InputError]:
    errors: list[InputError] = []
    ids = fw.element_ids
    for dup in [v for v, c in Counter(ids).items() if c > 1]:
        errors.append(InputError("two elements share one id", file=file,
                                 column=f"elements[{len(ids) - 1 - ids[::-1].index(dup)}].id", found=dup))
    seen: set[str] = set()
    for i, element in enumerate(fw.elements):
        for j, entry in enumerate(element.levels):
            for k, statement in enumerate(entry.statements):
                if statement.id in seen:
                    errors.append(InputError(
                        "two statements share one id", file=file, found=statement.id,
                        column=f"elements[{i}].levels[{j}].statements[{k}].id"))
                seen.add(statement.id)
        for k, dep in enumerate(element.depends_on):
            if dep not in ids or dep == element.id:
                errors.append(InputError(
                    "depends on an unknown element", file=file, found=dep,
                    column=f"elements[{i}].depends_on[{k}]", hint=closest(dep, ids) or None))
    for p, pillar in enumerate(fw.pillars):
        for k, ref in enumerate(pillar.elements):
            if ref not in ids:
                errors.append(InputError("pillar names an unknown element", file=file, found=ref,
                                         column=f"pillars[{p}].elements[{k}]",
                                         hint=closest(ref, ids) or None))
    return errors


def _cycle_errors(fw: Framework, file: str) -> list[InputError]:
    for i, element in enumerate(fw.elements):
        if element.id in fw.dependents(element.id):
            return [InputError("the depends_on links form a circle", file=file,
                               column=f"elements[{i}].depends_on", found=element.id)]
    return []


def framework_from_mapping(data: Any, file: str, expected_id: str | None = None) -> Framework:
    """Validate a parsed framework document.

    Parameters
    ----------
    data : Any
        The parsed YAML.
    file : str
        The name shown in error messages.
    expected_id : str, optional
        The file stem; the document's ``id`` must equal it.

    Returns
    -------
    Framework

    Raises
    ------
    InputError
        Naming the file and the key path of the first problem (further ones in ``details``).

    Examples
    --------
    >>> framework_from_mapping({"id": "x"}, "x.yaml")
    Traceback (most recent call last):
    ...
    cxkit.errors.InputError: x.yaml, key 'name': the key 'name' is required...
    """
    if not isinstance(data, Mapping):
        raise InputError("the framework file is empty or not a mapping of keys", file=file,
                         expected="keys id, name, levels, elements")
    try:
        fw = Framework.model_validate(dict(data))
    except ValidationError as exc:
        errors = [_pydantic_error(e, file) for e in exc.errors()]
        errors[0].details = [str(e) for e in errors[1:10]]
        raise errors[0] from None
    errors = _level_errors(fw, file) + _id_errors(fw, file)
    if not errors:
        errors = _cycle_errors(fw, file)
    if expected_id is not None and fw.id != expected_id:
        errors.insert(0, InputError("the id must equal the file name", file=file, column="id",
                                    found=fw.id, expected=expected_id))
    if errors:
        errors[0].details = [str(e) for e in errors[1:10]]
        raise errors[0]
    return fw


def load_framework(framework_id: str, client_root: Path | None = None) -> Framework:
    """Load and validate a framework, looking in the client folder first.

    Parameters
    ----------
    framework_id : str
        The file stem, e.g. ``"nine_element"``.
    client_root : Path, optional
        The client folder; ``<client_root>/frameworks/<id>.yaml`` overrides a built-in.

    Returns
    -------
    Framework

    Raises
    ------
    InputError
        If no such framework exists (with the closest ids), or the file is invalid.

    Examples
    --------
    >>> load_framework("nine_element").element("listening").name
    'Listening to customers'
    """
    check_framework_id(framework_id, client_root)
    path, display = sources(client_root)[framework_id]
    return framework_from_mapping(read_yaml(path, display), display, expected_id=framework_id)
