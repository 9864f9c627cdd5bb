"""Escaped HTML for the driver result objects shown in notebooks.

Every cell, header and sentence passes through :func:`html.escape`, because attribute
names, contact reasons and the like come from client files. No scripts, no inline
event handlers, no styling beyond plain tags.
"""
from __future__ import annotations

import html
import math
from collections.abc import Sequence

import pandas as pd


def format_cell(value: object, digits: int = 2) -> str:
    """Format one table cell as plain text.

    Parameters
    ----------
    value : object
        The cell value.
    digits : int
        Decimals for floats.

    Returns
    -------
    str
        ``"–"`` for missing values, a rounded number for floats, ``str(value)`` otherwise.

    Examples
    --------
    >>> format_cell(0.31415), format_cell(float("nan")), format_cell("fix first")
    ('0.31', '–', 'fix first')
    """
    if value is None or value is pd.NA:
        return "–"
    if isinstance(value, float):
        return "–" if math.isnan(value) else f"{value:.{digits}f}"
    return str(value)


def result_html(title: str, sentences: Sequence[str], table: pd.DataFrame | None) -> str:
    """Render a title, a list of sentences and a table as escaped HTML.

    Parameters
    ----------
    title : str
        Heading text.
    sentences : sequence of str
        Plain-language findings, shown as a list above the table.
    table : DataFrame or None
        The table to show; columns are used as headers.

    Returns
    -------
    str
        An HTML fragment in which every text came through :func:`html.escape`.

    Examples
    --------
    >>> "<b>" in result_html("<b>", [], None)
    False
    """
    parts = [f"<h4>{html.escape(title)}</h4>"]
    if sentences:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in sentences)
        parts.append(f"<ul>{items}</ul>")
    if table is not None and not table.empty:
        parts.append(_table(table))
    return "<div class=\"cxkit-drivers\">" + "".join(parts) + "</div>"


def _table(table: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    rows = []
    for record in table.itertuples(index=False):
        cells = "".join(f"<td>{html.escape(format_cell(v))}</td>" for v in record)
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
