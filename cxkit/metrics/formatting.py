"""Plain-text formatting of metric figures (signs, percentages, thousands separators)."""
from __future__ import annotations

import math


def format_value(value: float | None, is_nps: bool, decimals: int = 0) -> str:
    """Format an NPS value with a sign (``+32``) or a percentage (``84%``).

    Zero is written without a sign and ``-0`` never appears.

    Examples
    --------
    >>> format_value(32.4, True), format_value(-0.2, True), format_value(84.4, False)
    ('+32', '0', '84%')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0
    if is_nps:
        text = f"{rounded:+.{decimals}f}" if rounded != 0 else f"{0:.{decimals}f}"
        return text
    return f"{rounded:.{decimals}f}%"


def format_diff(value: float | None, decimals: int = 0) -> str:
    """Format a difference in points with a sign (``+5``, ``-3``, ``0``).

    Examples
    --------
    >>> format_diff(4.6), format_diff(-3.2, 1)
    ('+5', '-3.2')
    """
    return format_value(value, True, decimals)


def format_n(n: int) -> str:
    """Format a count with a thousands separator.

    Examples
    --------
    >>> format_n(1204)
    '1,204'
    """
    return f"{int(n):,}"


def format_p(p: float | None) -> str:
    """Format a p-value (``p < 0.001``, ``p = 0.042``).

    Examples
    --------
    >>> format_p(0.00001), format_p(0.0421)
    ('p < 0.001', 'p = 0.042')
    """
    if p is None or math.isnan(p):
        return "p n/a"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
