"""Escaped HTML for the journey results shown in notebooks.

Every cell, header and sentence is passed through :func:`html.escape`: touchpoint names,
owners and pain points come from the client and must never be interpreted as markup.
"""
from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

_MAX_ROWS = 60


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return html.escape(str(value))


def table_html(frame: pd.DataFrame, caption: str | None = None, max_rows: int = _MAX_ROWS) -> str:
    """Render a DataFrame as a plain, escaped HTML table.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; column names and values are escaped.
    caption : str, optional
        A caption above the table (escaped).
    max_rows : int
        Rows beyond this are left out and counted in a note.

    Returns
    -------
    str

    Examples
    --------
    >>> table_html(pd.DataFrame({"a": ["<b>"]}))
    '<table class="cxkit-table"><thead><tr><th>a</th></tr></thead><tbody><tr><td>&lt;b&gt;</td></tr></tbody></table>'
    """
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
        for row in frame.head(max_rows).itertuples(index=False)
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    more = (f"<p><em>{len(frame) - max_rows} more rows not shown.</em></p>"
            if len(frame) > max_rows else "")
    return (f'<table class="cxkit-table">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>{more}")


def sentences_html(sentences: Iterable[str]) -> str:
    """Render sentences as an escaped bullet list.

    Examples
    --------
    >>> sentences_html(["a & b"])
    '<ul class="cxkit-summary"><li>a &amp; b</li></ul>'
    """
    items = "".join(f"<li>{html.escape(s)}</li>" for s in sentences)
    return f'<ul class="cxkit-summary">{items}</ul>'


def section_html(title: str, sentences: Iterable[str], tables: Iterable[tuple[str, pd.DataFrame]]) -> str:
    """Render a titled block: summary sentences then captioned tables (non-empty ones only).

    Parameters
    ----------
    title : str
        Heading text (escaped).
    sentences : iterable of str
        Summary sentences.
    tables : iterable of (caption, DataFrame)
        Tables to show below the sentences; empty frames are skipped.

    Returns
    -------
    str
    """
    parts = [f"<h4>{html.escape(title)}</h4>", sentences_html(sentences)]
    parts += [table_html(df, caption) for caption, df in tables if df is not None and not df.empty]
    return '<div class="cxkit-result">' + "".join(parts) + "</div>"
