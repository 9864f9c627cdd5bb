"""Sample-size rules: when a figure is flagged as small or withheld.

A figure computed from very few responses looks as precise as any other once it is
printed. These rules decide how a result is labelled: ``ok``, ``small`` (shown with a
warning), ``withheld`` (not shown at all) or ``no_data`` (nobody answered).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STATUSES = ("ok", "small", "withheld", "no_data")
STATUS_NOTES = {
    "ok": "",
    "small": "small sample: read with caution",
    "withheld": "withheld: too few responses to report",
    "no_data": "no responses",
}
"""Each status as a note beside a figure or a table row."""


@dataclass(frozen=True)
class SampleRules:
    """Thresholds on the number of responses behind a figure.

    Parameters
    ----------
    warn_below : int
        Below this many responses a figure is shown but flagged ``small``.
    withhold_below : int
        Below this many responses the figure is ``withheld``: value and interval are
        not reported.

    Examples
    --------
    >>> SampleRules(warn_below=50, withhold_below=20).warn_below
    50
    """

    warn_below: int = 30
    withhold_below: int = 10

    def __post_init__(self) -> None:
        if self.withhold_below < 0 or self.warn_below < 0:
            raise ValueError("sample thresholds must be zero or positive")
        if self.withhold_below > self.warn_below:
            raise ValueError(
                f"withhold_below ({self.withhold_below}) must not exceed "
                f"warn_below ({self.warn_below})"
            )


DEFAULT_RULES = SampleRules()


def status_for(n: int, rules: SampleRules | None = None) -> str:
    """Return the reporting status of a figure based on ``n`` responses.

    Parameters
    ----------
    n : int
        Number of valid responses behind the figure.
    rules : SampleRules, optional
        Thresholds; defaults to ``SampleRules()`` (warn below 30, withhold below 10).

    Returns
    -------
    str
        ``"no_data"`` when n is 0, ``"withheld"`` when n < withhold_below,
        ``"small"`` when n < warn_below, otherwise ``"ok"``.

    Examples
    --------
    >>> status_for(0), status_for(7), status_for(12), status_for(30)
    ('no_data', 'withheld', 'small', 'ok')
    """
    return str(status_array(np.asarray([n]), rules)[0])


def status_array(n: np.ndarray, rules: SampleRules | None = None) -> np.ndarray:
    """Vectorised :func:`status_for` over an array of counts.

    Parameters
    ----------
    n : numpy.ndarray
        Counts of valid responses.
    rules : SampleRules, optional
        Thresholds; defaults to ``SampleRules()``.

    Returns
    -------
    numpy.ndarray
        Array of status strings (object dtype), same shape as ``n``.

    Examples
    --------
    >>> status_array(np.array([0, 5, 40])).tolist()
    ['no_data', 'withheld', 'ok']
    """
    rules = rules or DEFAULT_RULES
    n = np.asarray(n)
    conditions = [n <= 0, n < rules.withhold_below, n < rules.warn_below]
    return np.select(conditions, ["no_data", "withheld", "small"], default="ok").astype(object)


def is_reportable(status: str) -> bool:
    """Return True when a figure with this status may be shown (``ok`` or ``small``).

    Examples
    --------
    >>> is_reportable("small"), is_reportable("withheld")
    (True, False)
    """
    return status in ("ok", "small")
