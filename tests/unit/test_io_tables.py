"""Operational tables (cxkit.io.tables): typed columns, and bad rows named by row and column."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cxkit.errors import InputError
from cxkit.io.tables import CONTACTS, CUSTOMERS, read_table

CUSTOMER_ROWS = [
    ["customer_id", "annual_value", "churned", "segment", "tenure_years"],
    ["C1", "1200.50", "0", "SMB", "2.5"],
    ["C2", "0", "yes", "", ""],
]


def _write(tmp_path: Path, rows: list[list[str]], name: str = "customers.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _error(tmp_path: Path, rows: list[list[str]], spec=CUSTOMERS) -> InputError:
    with pytest.raises(InputError) as info:
        read_table(_write(tmp_path, rows), "operations/customers.csv", spec)
    return info.value


def test_columns_are_typed_and_blanks_kept_missing(tmp_path) -> None:
    table = read_table(_write(tmp_path, CUSTOMER_ROWS), "operations/customers.csv", CUSTOMERS)
    assert table["annual_value"].tolist() == [1200.5, 0.0]
    assert table["churned"].tolist() == [0, 1]
    assert table["segment"].isna().tolist() == [False, True] and pd.isna(table["tenure_years"].iloc[1])


@pytest.mark.parametrize("column, value, words, expected", [
    ("annual_value", "lots", "cannot be read", "a number"),
    ("annual_value", "-500", "a negative number", "a number of at least 0"),
    ("tenure_years", "-1", "a negative number", "a number of at least 0"),
    ("churned", "maybe", "cannot be read", "0 or 1"),
])
def test_a_bad_value_is_named_by_row_and_column(tmp_path, column, value, words, expected) -> None:
    rows = [list(r) for r in CUSTOMER_ROWS]
    rows[2][rows[0].index(column)] = value
    err = _error(tmp_path, rows)
    assert (err.file, err.row, err.column, err.found) == ("operations/customers.csv", 3, column, value)
    assert words in str(err) and expected in str(err)


def test_a_count_must_be_a_whole_number(tmp_path) -> None:
    rows = [["contact_id", "customer_id", "opened_at", "channel", "wait_minutes", "transfers"],
            ["K1", "C1", "2026-01-05 10:00:00", "phone", "4.5", "1"],
            ["K2", "C1", "2026-01-06 10:00:00", "chat", "0", "1.5"]]
    err = _error(tmp_path, rows, CONTACTS)
    assert (err.row, err.column, err.found) == (3, "transfers", "1.5") and "whole number" in str(err)
    rows[2][5] = "-2"
    assert "a negative number" in str(_error(tmp_path, rows, CONTACTS))


def test_a_repeated_key_names_both_rows(tmp_path) -> None:
    """Two rows for one customer would double its value at risk (and broke the ROI join)."""
    rows = [*CUSTOMER_ROWS, ["C1", "300", "1", "SMB", "1"]]
    err = _error(tmp_path, rows)
    assert (err.row, err.column, err.found) == (4, "customer_id", "C1")
    assert "first on row 2" in str(err)


def test_a_blank_key_is_refused(tmp_path) -> None:
    rows = [*CUSTOMER_ROWS, ["", "300", "1", "SMB", "1"]]
    err = _error(tmp_path, rows)
    assert (err.row, err.column) == (4, "customer_id") and "no customer_id" in str(err)


def test_a_missing_required_column_is_named_with_the_closest(tmp_path) -> None:
    rows = [["customer_id", "annual_valu", "churned"], ["C1", "1", "0"]]
    err = _error(tmp_path, rows)
    assert err.column == "annual_value" and "annual_valu" in str(err)
