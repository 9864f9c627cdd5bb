"""Rating scales: their bounds, their top box, and checking scores against them."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxkit.errors import InputError

NPS_PROMOTER_MIN = 9
NPS_DETRACTOR_MAX = 6


class ScoreError(InputError, ValueError):
    """A score lies outside its declared scale (or is not a whole scale point).

    It is both an :class:`~cxkit.errors.InputError` (so the consultant sees a plain
    message) and a :class:`ValueError` (so generic callers can catch it).
    """


@dataclass(frozen=True)
class Scale:
    """An integer rating scale ``minimum..maximum``.

    Parameters
    ----------
    minimum, maximum : int
        The lowest and highest scale points.

    Examples
    --------
    >>> Scale(1, 5).top_box_from
    4
    >>> Scale(0, 1).is_binary
    True
    """

    minimum: int
    maximum: int

    def __post_init__(self) -> None:
        if self.maximum <= self.minimum:
            raise ValueError(f"invalid scale {self.minimum}..{self.maximum}")

    @property
    def is_binary(self) -> bool:
        """True for a two-point scale (e.g. 0/1), where the 'top box' is the top point."""
        return self.maximum - self.minimum == 1

    @property
    def top_box_from(self) -> int:
        """Lowest score counted in the top box: the top two points, or the top one if binary."""
        return self.maximum if self.is_binary else self.maximum - 1


NPS_SCALE = Scale(0, 10)


def scale_for(metric: str, scale: int | None) -> Scale:
    """Return the scale of a survey metric given its conventional size.

    Parameters
    ----------
    metric : str
        ``"nps"``, ``"csat"``, ``"ces"``, ``"psat"`` or ``"attr_<name>"``.
    scale : int or None
        Number of points: 5 or 7 (any integer >= 3 is accepted, read as 1..scale);
        for ``psat`` also 2, meaning a binary 0/1 answer. ``None`` takes the usual
        default: 5 for csat, psat and attributes, 7 for ces. Ignored for nps (0..10).

    Returns
    -------
    Scale

    Examples
    --------
    >>> scale_for("ces", None)
    Scale(minimum=1, maximum=7)
    >>> scale_for("psat", 2)
    Scale(minimum=0, maximum=1)
    """
    if metric == "nps":
        return NPS_SCALE
    if scale is None:
        scale = 7 if metric == "ces" else 5
    if scale == 2 and metric == "psat":
        return Scale(0, 1)
    if not isinstance(scale, (int, np.integer)) or scale < 3:
        raise ValueError(
            f"unsupported scale {scale!r} for {metric}: use 5 or 7 points"
            + (" (or 2 for a binary 0/1 PSAT)" if metric == "psat" else "")
        )
    return Scale(1, int(scale))


def check_scores(
    values: np.ndarray,
    minimum: int | np.ndarray,
    maximum: int | np.ndarray,
    metric: str,
) -> None:
    """Raise :class:`ScoreError` if any non-missing score is off its scale.

    Parameters
    ----------
    values : numpy.ndarray
        Scores (float, NaN for missing).
    minimum, maximum : int or numpy.ndarray
        Scale bounds, scalars or row-wise arrays aligned with ``values``.
    metric : str
        Metric name, used in the message.

    Raises
    ------
    ScoreError
        Naming the first bad value and how many rows are affected.

    Examples
    --------
    >>> check_scores(np.array([1.0, 5.0, np.nan]), 1, 5, "csat")
    """
    present = ~np.isnan(values)
    off_scale = present & ((values < minimum) | (values > maximum))
    fractional = present & (values != np.round(values))
    bad = off_scale | fractional
    if not bad.any():
        return
    first = values[bad][0]
    lows, highs = np.broadcast_to(minimum, values.shape), np.broadcast_to(maximum, values.shape)
    index = int(np.flatnonzero(bad)[0])
    expected = f"whole numbers from {lows[index]:g} to {highs[index]:g}"
    raise ScoreError(
        f"{int(bad.sum()):,} {metric} score(s) are not on the declared scale, "
        f"e.g. the value {first:g}",
        column="score",
        expected=expected,
        found=f"{first:g}",
        hint="Check the scale declared in engagement.yaml (min/max, labels, reversed)",
    )
