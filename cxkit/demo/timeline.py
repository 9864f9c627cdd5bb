"""The demo's reporting calendar: a fixed "as of" date and the eight quarters before it.

The generator never looks at today's date, so the same seed always gives the same files.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

AS_OF = dt.date(2026, 9, 30)
"""The fixed date the demo data is generated "as of"."""

N_QUARTERS = 8
"""How many quarters of survey history the demo holds."""

_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class Timeline:
    """The reporting period split into quarters.

    Attributes
    ----------
    start, end : datetime.date
        First and last day (inclusive) of the period.
    quarter_starts : numpy.ndarray
        ``datetime64[D]`` first day of each quarter plus the day after the period ends.
    """

    start: dt.date
    end: dt.date
    quarter_starts: np.ndarray

    @property
    def n_quarters(self) -> int:
        """Number of quarters in the period."""
        return len(self.quarter_starts) - 1

    @property
    def n_days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1

    def quarter_of(self, times: np.ndarray) -> np.ndarray:
        """Return the 0-based quarter index of each ``datetime64`` value.

        Examples
        --------
        >>> t = build_timeline()
        >>> int(t.quarter_of(np.array(["2024-10-01T08:00"], dtype="datetime64[s]"))[0])
        0
        """
        days = times.astype("datetime64[D]")
        return (np.searchsorted(self.quarter_starts, days, side="right") - 1).astype(np.int8)

    def random_times(self, rng: np.random.Generator, n: int, growth: float = 0.3,
                     margin_days: int = 0) -> np.ndarray:
        """Draw ``n`` timestamps (``datetime64[s]``) in business hours, with volume growing.

        Parameters
        ----------
        rng : numpy.random.Generator
            The random source.
        n : int
            How many timestamps.
        growth : float
            Relative increase of the daily volume from the first to the last day.
        margin_days : int
            Days kept free at the end of the period (for follow-up events).
        """
        days = self.n_days - margin_days
        weights = 1.0 + growth * np.linspace(0.0, 1.0, days)
        day = rng.choice(days, size=n, p=weights / weights.sum())
        seconds = rng.integers(7 * 3600, 20 * 3600, size=n)
        base = np.datetime64(self.start, "s")
        return base + day.astype("timedelta64[D]") + seconds.astype("timedelta64[s]")


def last_full_quarter_end(as_of: dt.date) -> dt.date:
    """Return the last day of the last quarter completed on ``as_of``.

    Examples
    --------
    >>> last_full_quarter_end(dt.date(2026, 9, 30))
    datetime.date(2026, 9, 30)
    >>> last_full_quarter_end(dt.date(2026, 9, 29))
    datetime.date(2026, 6, 30)
    """
    first_month = 3 * ((as_of.month - 1) // 3) + 1
    quarter_start = dt.date(as_of.year, first_month, 1)
    next_start = _add_months(quarter_start, 3)
    if as_of == next_start - dt.timedelta(days=1):
        return as_of
    return quarter_start - dt.timedelta(days=1)


def build_timeline(as_of: dt.date = AS_OF, quarters: int = N_QUARTERS) -> Timeline:
    """Return the ``quarters`` full quarters ending on or before ``as_of``.

    Examples
    --------
    >>> t = build_timeline()
    >>> (str(t.start), str(t.end), t.n_quarters)
    ('2024-10-01', '2026-09-30', 8)
    """
    end = last_full_quarter_end(as_of)
    after = end + dt.timedelta(days=1)
    starts = [_add_months(after, -3 * k) for k in range(quarters, -1, -1)]
    bounds = np.array(starts, dtype="datetime64[D]")
    return Timeline(start=starts[0], end=end, quarter_starts=bounds)


def _add_months(day: dt.date, months: int) -> dt.date:
    """Shift a first-of-month date by whole months."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
