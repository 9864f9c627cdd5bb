"""Pydantic's validation errors in a consultant's words.

Every YAML file cxkit reads (``engagement.yaml``, ``journey.yaml``, maturity models, theme
settings) is validated by pydantic models. Pydantic describes a problem for programmers
("Input should be greater than or equal to 1", "List should have at least 1 item after
validation, not 0"); these helpers turn one error into the key path, what was expected and
what was found, so that every loader words its messages alike. A cxkit validator's own
``ValueError`` already says what is wrong ("end must be after start"): that is the
problem, with no separate expectation.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

_DATE = "a date written year-month-day, like 2025-01-31"
_PLAIN = {
    "int_parsing": "a whole number", "int_type": "a whole number", "int_from_float": "a whole number",
    "float_parsing": "a number", "float_type": "a number",
    "bool_parsing": "true or false", "bool_type": "true or false",
    "string_type": "a text",
    "list_type": "a list (one '- ' line per entry)",
    "dict_type": "a mapping of keys", "model_type": "a mapping of keys", "model_attributes_type": "a mapping of keys",
    "date_parsing": _DATE, "date_from_datetime_parsing": _DATE, "date_type": _DATE,
    "date_from_datetime_inexact": _DATE, "datetime_parsing": _DATE, "datetime_from_date_parsing": _DATE,
}
"""Error types whose meaning does not depend on the field."""


def key_path(loc: tuple[Any, ...]) -> str:
    """Render a pydantic error location as a YAML key path.

    Examples
    --------
    >>> key_path(("surveys", 0, "metrics", "nps", "max")), key_path(("goals", "targets", "happiness", "[key]"))
    ('surveys[0].metrics.nps.max', 'goals.targets.happiness')
    """
    out = ""
    for part in loc:
        if part == "[key]":  # pydantic's marker for a mapping's key (the key path names it already)
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def problem(error: Mapping[str, Any]) -> str | None:
    """What is wrong, when the error says so itself (a missing or unknown key, a cxkit rule).

    Examples
    --------
    >>> problem({"type": "missing"}), problem({"type": "value_error", "msg": "Value error, end must be after start"})
    ('this key is missing', 'end must be after start')
    """
    kind = error.get("type", "")
    if kind == "missing":
        return "this key is missing"
    if kind == "extra_forbidden":
        return "no such key (check the spelling)"
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    return None


def expected(error: Mapping[str, Any]) -> str | None:
    """What the key should hold, in plain words (None when :func:`problem` says it all).

    Examples
    --------
    >>> expected({"type": "greater_than_equal", "msg": "Input should be greater than or equal to 1",
    ...           "ctx": {"ge": 1}})
    'a number of at least 1'
    >>> expected({"type": "too_short", "msg": "List should have at least 1 item after validation, not 0",
    ...           "ctx": {"min_length": 1}})
    'at least 1 entry'
    """
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if problem(error) is not None:
        return None
    if kind in _PLAIN:
        return _PLAIN[kind]
    bounds = {"greater_than_equal": ("ge", "a number of at least"), "greater_than": ("gt", "a number above"),
              "less_than_equal": ("le", "a number of at most"), "less_than": ("lt", "a number below")}
    if kind in bounds and bounds[kind][0] in ctx:
        key, words = bounds[kind]
        bound = ctx[key]
        return f"{words} {bound:g}" if isinstance(bound, (int, float)) else f"{words} {bound}"
    if kind in ("too_short", "too_long") and ("min_length" in ctx or "max_length" in ctx):
        n = int(ctx.get("min_length" if kind == "too_short" else "max_length"))
        return f"{'at least' if kind == 'too_short' else 'at most'} {n} {'entry' if n == 1 else 'entries'}"
    if kind == "literal_error" and "expected" in ctx:
        return f"one of {ctx['expected']}"
    return str(error.get("msg", "a valid value")).removeprefix("Input should be ")


def headline(error: Mapping[str, Any]) -> str:
    """The first line of a message about one key.

    Examples
    --------
    >>> headline({"loc": ("client",), "type": "missing"})
    "the required key 'client' is missing"
    >>> headline({"loc": ("period",), "type": "value_error", "msg": "Value error, end must be after start"})
    "invalid value for key 'period': end must be after start"
    """
    where = key_path(error.get("loc", ())) or "(top level)"
    kind = error.get("type", "")
    if kind == "missing":
        return f"the required key '{where}' is missing"
    if kind == "extra_forbidden":
        return f"unknown key '{where}' (check the spelling)"
    what = problem(error)
    return f"invalid value for key '{where}'" + (f": {what}" if what else "")


def describe(error: Mapping[str, Any]) -> str:
    """The key path, what is wrong or expected, and what was found, as one line.

    Examples
    --------
    >>> describe({"loc": ("sample", "warn_below"), "type": "greater_than_equal", "ctx": {"ge": 1}, "input": -1})
    "sample.warn_below: expected a number of at least 1; found '-1'"
    """
    shown = found(error)
    what = problem(error) or f"expected {expected(error)}"
    return f"{key_path(error.get('loc', ())) or '(top level)'}: {what}" + (f"; found {shown!r}" if shown else "")


def found(error: Mapping[str, Any]) -> str | None:
    """What the key held, for the message; None for a whole section (too long to quote) or nothing.

    Examples
    --------
    >>> found({"input": dt.date(2026, 9, 30)}), found({"input": {"start": 1}}), found({"input": "blue"})
    ('2026-09-30', None, 'blue')
    """
    value = error.get("input")
    if value is None or isinstance(value, (Mapping, list, tuple)):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."
