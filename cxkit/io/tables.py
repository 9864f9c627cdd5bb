"""Operational tables a client sends: contacts, customers and follow-up cases.

Each table has a fixed set of required columns with types, and a key column whose values
are unique. A missing column, a value that cannot be read as its type (a negative amount,
a count that is not a whole number) or a repeated key is an
:class:`~cxkit.errors.InputError` naming the file, the row (as a spreadsheet shows it: the
header is row 1) and the column.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cxkit.errors import InputError, closest

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class TableSpec:
    """The columns of one operational table, their kinds and the table's key.

    Kinds: ``text``; ``datetime``; ``flag`` (0/1, true/false, yes/no); ``amount`` (a
    number of at least zero: money, minutes, years); ``count`` (a whole number of at
    least zero).
    """

    name: str
    required: dict[str, str]
    optional: dict[str, str]
    key: str
    """The column that identifies a row: each value may appear once."""


CONTACTS = TableSpec(
    "contacts",
    required={"contact_id": "text", "customer_id": "text", "opened_at": "datetime", "channel": "text",
              "wait_minutes": "amount", "transfers": "count"},
    optional={"contact_reason": "text", "reopens": "count", "handle_minutes": "amount",
              "resolved_first_contact": "flag"},
    key="contact_id",
)
CUSTOMERS = TableSpec(
    "customers",
    required={"customer_id": "text", "annual_value": "amount", "churned": "flag"},
    optional={"segment": "text", "region": "text", "tenure_years": "amount"},
    key="customer_id",
)
CASES = TableSpec(
    "cases",
    required={"case_id": "text", "created_at": "datetime", "status": "text", "owner_team": "text"},
    optional={"response_id": "text", "customer_id": "text", "first_contact_at": "datetime",
              "closed_at": "datetime", "due_at": "datetime"},
    key="case_id",
)
SPECS = {spec.name: spec for spec in (CONTACTS, CUSTOMERS, CASES)}
"""Each operational table's spec by its name."""


def read_table(path: Path, display: str, spec: TableSpec) -> pd.DataFrame:
    """Read and type one operational CSV table.

    Parameters
    ----------
    path : Path
        Absolute path inside the client folder.
    display : str
        The file name shown in messages.
    spec : TableSpec
        Which columns are required and how to type them.

    Returns
    -------
    pandas.DataFrame
        The required columns, and those optional columns present, typed.
    """
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in spec.required if c not in raw.columns]
    if missing:
        raise InputError(f"required column missing from the {spec.name} table", file=display,
                         column=missing[0], hint=closest(missing[0], raw.columns))
    kinds = {**spec.required, **{k: v for k, v in spec.optional.items() if k in raw.columns}}
    table = pd.DataFrame({col: _convert(raw[col], kind, display, col) for col, kind in kinds.items()})
    _check_key(table, spec, display)
    return table


def _check_key(table: pd.DataFrame, spec: TableSpec, display: str) -> None:
    """Refuse a blank or repeated key: every row must be told apart from the others."""
    key = table[spec.key]
    blank = key.isna()
    if blank.any():
        pos = int(blank.to_numpy().nonzero()[0][0])
        raise InputError(f"a row of the {spec.name} table has no {spec.key}", file=display, row=pos + 2,
                         column=spec.key, found="(empty)", expected=f"a {spec.key} on every row")
    repeated = key.duplicated(keep="first")
    if repeated.any():
        pos = int(repeated.to_numpy().nonzero()[0][0])
        first = int((key == key.iloc[pos]).to_numpy().nonzero()[0][0])
        raise InputError(f"the same {spec.key} appears twice (first on row {first + 2})", file=display,
                         row=pos + 2, column=spec.key, found=str(key.iloc[pos]),
                         expected=f"each {spec.key} once", hint="Remove the repeated row or give it its own id")


def _convert(values: pd.Series, kind: str, display: str, column: str) -> pd.Series:
    blank = values.str.strip() == ""
    if kind == "text":
        return values.where(~blank, None).astype("string")
    if kind == "datetime":
        out = pd.to_datetime(values, format=DATETIME_FORMAT, errors="coerce")
        expected = f"a date and time like 2025-03-31 14:05:00 ({DATETIME_FORMAT})"
    elif kind == "flag":
        mapping = {"1": 1, "0": 0, "true": 1, "false": 0, "yes": 1, "no": 0}
        out = values.str.strip().str.lower().map(mapping).astype("Int64")
        expected = "0 or 1"
    else:
        out = pd.to_numeric(values, errors="coerce")
        expected = "a number"
    _refuse(out.isna() & ~blank, "value cannot be read", values, display, column, expected)
    if kind in ("amount", "count"):
        whole = " whole" if kind == "count" else ""
        _refuse(out < 0, "a negative number", values, display, column,
                f"a{whole} number of at least 0")
    if kind == "count":
        _refuse(out.notna() & (out != out.round()), "a count that is not a whole number", values, display,
                column, "a whole number of at least 0")
    return out


def _refuse(bad: pd.Series, message: str, values: pd.Series, display: str, column: str, expected: str) -> None:
    """Raise for the first flagged row, named as a spreadsheet shows it."""
    if bad.any():
        pos = int(bad.to_numpy().nonzero()[0][0])
        raise InputError(message, file=display, row=pos + 2, column=column, found=str(values.iloc[pos]),
                         expected=expected)
