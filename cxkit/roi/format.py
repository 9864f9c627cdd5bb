"""Money and percentage formatting for the ROI story."""
from __future__ import annotations

import math

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹", "AUD": "A$", "CAD": "C$"}


def format_money(x: float | None, currency: str = "EUR") -> str:
    """Short money figure for executives: ``"€1.2m"``, ``"$350k"``, ``"-£2.5bn"``.

    Parameters
    ----------
    x : float
        Amount.
    currency : str
        ISO code; codes without a symbol are written before the figure (``"SEK 40k"``).

    Returns
    -------
    str
        ``"n/a"`` for a missing or infinite amount.

    Examples
    --------
    >>> format_money(1_234_000), format_money(350_000, "USD"), format_money(-2.5e9, "GBP")
    ('€1.2m', '$350k', '-£2.5bn')
    >>> format_money(8_460, "SEK"), format_money(0)
    ('SEK 8.5k', '€0')
    """
    if x is None or not math.isfinite(x):
        return "n/a"
    sign = "-" if x < 0 else ""
    a = abs(float(x))
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if round(a / size, 1) >= 1:
            n = a / size
            body = f"{n:.0f}" if n >= 100 or (n >= 10 and suffix == "k") else f"{n:.1f}".removesuffix(".0")
            break
    else:
        body = f"{a:.0f}"
        suffix = ""
    prefix = SYMBOLS.get(currency, f"{currency} ")
    return f"{sign}{prefix}{body}{suffix}"


def format_share(x: float | None, decimals: int = 0) -> str:
    """A share as a percentage: ``0.123 -> "12%"``, ``12.59 -> "1,259%"``.

    Examples
    --------
    >>> format_share(0.123), format_share(12.59), format_share(0.1234, 1)
    ('12%', '1,259%', '12.3%')
    """
    if x is None or not math.isfinite(x):
        return "n/a"
    return f"{100 * x:,.{decimals}f}%"
