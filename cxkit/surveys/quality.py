"""Data-quality rules for survey rows, and the accounting of what was excluded.

Each row is excluded for at most one reason: the first rule, in the order below, that
applies. Scores are checked per metric: a bad value drops only that metric's value for
that response, and is counted per metric.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from cxkit.config.engagement import Period
from cxkit.config.surveys import SurveySource

EMPTY_ROW = "empty row"
MISSING_ID = "missing response id"
STATUS = "survey preview/test/spam (status)"
UNFINISHED = "unfinished"
DUPLICATE_IDENTICAL = "duplicate (identical copy dropped)"
DUPLICATE_CONFLICT = "duplicate response id with conflicting answers (all copies excluded)"
BAD_DATE = "unparseable date"
OUTSIDE_PERIOD = "dated outside the reporting period"
OUT_OF_RANGE = "score out of range"
NON_NUMERIC = "non-numeric score"
BETWEEN_POINTS = "score between two points of the scale"

ROW_REASONS = (EMPTY_ROW, MISSING_ID, STATUS, UNFINISHED, DUPLICATE_IDENTICAL,
               DUPLICATE_CONFLICT, BAD_DATE, OUTSIDE_PERIOD)
"""Row-level reasons, in the order the rules are applied."""

QUALITY_COLUMNS = ("source", "file", "reason", "rows")

Rule = Callable[[pd.Series], pd.Series]


def empty_rows(cells: pd.DataFrame) -> pd.Series:
    """Flag rows whose used cells are all blank.

    Examples
    --------
    >>> empty_rows(pd.DataFrame({"a": ["", "1"], "b": ["", ""]})).tolist()
    [True, False]
    """
    return cells.eq("").all(axis=1)


def in_values(values: pd.Series, allowed: list[str]) -> pd.Series:
    """Flag cells equal to one of ``allowed`` (case and outer spaces ignored).

    Examples
    --------
    >>> in_values(pd.Series(["Survey Preview", "IP Address"]), ["survey preview"]).tolist()
    [True, False]
    """
    wanted = {str(a).strip().casefold() for a in allowed}
    codes, uniques = pd.factorize(values)
    # one extra False at the end: missing values have code -1
    hits = np.array([str(u).casefold() in wanted for u in uniques] + [False])
    return pd.Series(hits[codes], index=values.index)


def duplicate_flags(cells: pd.DataFrame, id_column: str, kept: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Find identical copies and conflicting duplicates among the kept rows.

    Parameters
    ----------
    cells : DataFrame
        The used columns, stripped strings.
    id_column : str
        The response-id column.
    kept : Series of bool
        Rows still in play.

    Returns
    -------
    identical, conflicting : Series of bool
        ``identical`` marks second and later exact copies (the first copy stays);
        ``conflicting`` marks every copy of an id whose copies differ.

    Examples
    --------
    >>> cells = pd.DataFrame({"id": ["a", "a", "b", "b"], "x": ["1", "1", "1", "2"]})
    >>> same, clash = duplicate_flags(cells, "id", pd.Series(True, index=cells.index))
    >>> same.tolist(), clash.tolist()
    ([False, True, False, False], [False, False, True, True])
    """
    repeated = kept & cells[id_column].where(kept).duplicated(keep=False) & cells[id_column].ne("")
    copies = cells[repeated.to_numpy()]
    identical = copies.duplicated(keep="first")
    clash = copies[~identical][id_column].duplicated(keep=False)
    return (identical.reindex(cells.index, fill_value=False).astype(bool),
            clash.reindex(cells.index, fill_value=False).astype(bool))


def source_rules(cells: pd.DataFrame, source: SurveySource, dates: pd.Series,
                 period: Period | None = None) -> list[tuple[str, Rule]]:
    """Build the row rules that apply to one source, in order.

    Parameters
    ----------
    cells : DataFrame
        The used export columns (stripped strings), by export column name.
    source : SurveySource
    dates : Series of datetime64
        Parsed response dates (NaT where unparseable).
    period : Period, optional
        The engagement's reporting period: responses dated before its first day or after
        its last are left out (and counted).

    Returns
    -------
    list of (reason, rule)
        Each rule takes the mask of rows still kept and flags rows to exclude.
    """
    id_col = source.columns.response_id
    rules: list[tuple[str, Rule]] = [
        (EMPTY_ROW, lambda kept: empty_rows(cells)),
        (MISSING_ID, lambda kept: cells[id_col].eq("")),
    ]
    if source.status is not None:
        status = source.status
        rules.append((STATUS, lambda kept: in_values(cells[status.column], status.exclude)))
    if source.finished is not None:
        finished = source.finished
        rules.append((UNFINISHED, lambda kept: ~in_values(cells[finished.column], finished.keep)))
    duplicates: dict[str, pd.Series] = {}

    def identical(kept: pd.Series) -> pd.Series:
        duplicates["identical"], duplicates["conflicting"] = duplicate_flags(cells, id_col, kept)
        return duplicates["identical"]

    rules += [
        (DUPLICATE_IDENTICAL, identical),
        (DUPLICATE_CONFLICT, lambda kept: duplicates["conflicting"]),
        (BAD_DATE, lambda kept: dates.isna()),
    ]
    if period is not None:
        rules.append((OUTSIDE_PERIOD, lambda kept: ~in_period(dates, period)))
    return rules


def in_period(dates: pd.Series, period: Period) -> pd.Series:
    """Whether each date falls within the period, its last day included.

    Examples
    --------
    >>> import datetime as dt
    >>> days = pd.Series(pd.to_datetime(["2024-12-31 23:59", "2025-01-01 00:00", "2025-12-31 18:00", "2026-01-01 00:00"]))
    >>> in_period(days, Period(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))).tolist()
    [False, True, True, False]
    """
    start, after = period_bounds(period)
    return (dates >= start) & (dates < after)


def period_bounds(period: Period) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first moment of the period and the first moment after it."""
    return pd.Timestamp(period.start), pd.Timestamp(period.end) + pd.Timedelta(days=1)


def first_reasons(index: pd.Index, rules: list[tuple[str, Rule]]) -> pd.Series:
    """Apply rules in order; each row gets the first reason that flags it.

    Parameters
    ----------
    index : Index
        The rows.
    rules : list of (reason, rule)

    Returns
    -------
    Series of object
        The exclusion reason, or None for rows that are kept.

    Examples
    --------
    >>> idx = pd.RangeIndex(3)
    >>> first_reasons(idx, [("a", lambda k: pd.Series([True, False, False])),
    ...                     ("b", lambda k: pd.Series([True, True, False]))]).tolist()
    ['a', 'b', None]
    """
    reasons = np.full(len(index), None, dtype=object)
    for reason, rule in rules:
        kept = pd.Series(pd.isna(reasons), index=index)
        reasons[kept.to_numpy() & np.asarray(rule(kept), dtype=bool)] = reason
    return pd.Series(reasons, index=index, dtype=object)


def quality_table(source_id: str, file: str, row_reasons: pd.Series,
                  value_counts: Mapping[str, int]) -> pd.DataFrame:
    """Count excluded rows by reason, then excluded values by reason and metric.

    Parameters
    ----------
    source_id : str
        Survey source id.
    file : str
        The export, relative to the client folder.
    row_reasons : Series
        Reason per row (None = kept), from :func:`first_reasons`.
    value_counts : mapping of str to int
        Value-level reasons such as ``"score out of range (nps)"`` and their counts.

    Returns
    -------
    DataFrame
        Columns ``source, file, reason, rows``; only reasons with rows > 0.
    """
    counts = row_reasons.value_counts()
    pairs = [(r, int(counts.get(r, 0))) for r in ROW_REASONS]
    pairs += [(r, int(n)) for r, n in value_counts.items()]
    pairs = [(r, n) for r, n in pairs if n > 0]
    return pd.DataFrame(
        {"source": [source_id] * len(pairs), "file": [file] * len(pairs),
         "reason": [r for r, _ in pairs], "rows": pd.Series([n for _, n in pairs], dtype="int64")},
        columns=list(QUALITY_COLUMNS),
    )


def value_reason(reason: str, metric: str) -> str:
    """Name a value-level reason for one metric.

    Examples
    --------
    >>> value_reason(OUT_OF_RANGE, "nps")
    'score out of range (nps)'
    """
    return f"{reason} ({metric})"
