"""Operational tables a client sends: contacts, customers and follow-up cases.

Each table has a fixed set of required columns with types. A missing column, or a value
that cannot be read as its type, is an :class:`~cxkit.errors.InputError` naming the file,
the row (as a spreadsheet shows it: the header is row 1) and the column.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cxkit.errors import InputError, closest

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class TableSpec:
    """The columns of one operational table and their kinds (text, number, flag, datetime)."""

    name: str
    required: dict[str, str]
    optional: dict[str, str]


CONTACTS = TableSpec(
    "contacts",
    required={"contact_id": "text", "customer_id": "text", "opened_at": "datetime", "channel": "text",
              "wait_minutes": "number", "transfers": "number"},
    optional={"contact_reason": "text", "reopens": "number", "handle_minutes": "number",
              "resolved_first_contact": "flag"},
)
CUSTOMERS = TableSpec(
    "customers",
    required={"customer_id": "text", "annual_value": "number", "churned": "flag"},
    optional={"segment": "text", "region": "text", "tenure_years": "number"},
)
CASES = TableSpec(
    "cases",
    required={"case_id": "text", "created_at": "datetime", "status": "text", "owner_team": "text"},
    optional={"response_id": "text", "customer_id": "text", "first_contact_at": "datetime",
              "closed_at": "datetime", "due_at": "datetime"},
)


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
    return pd.DataFrame({col: _convert(raw[col], kind, display, col) for col, kind in kinds.items()})


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
    bad = out.isna() & ~blank
    if bad.any():
        pos = int(bad.to_numpy().nonzero()[0][0])
        raise InputError("value cannot be read", file=display, row=pos + 2, column=column,
                         found=str(values.iloc[pos]), expected=expected)
    return out
