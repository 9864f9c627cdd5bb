"""Plain-language names for outcomes and attributes in driver sentences."""
from __future__ import annotations

_OUTCOMES = {"nps": "NPS", "csat": "CSAT", "ces": "CES", "psat": "PSAT"}
_TOP_BOX = {
    "nps": "promoter share", "csat": "'satisfied' share", "ces": "'easy' share",
    "psat": "'satisfied' share",
}


def outcome_label(outcome: str) -> str:
    """Return the display name of an outcome column.

    Parameters
    ----------
    outcome : str
        A metric column such as ``"csat"`` or ``"attr_speed"``.

    Returns
    -------
    str

    Examples
    --------
    >>> outcome_label("csat"), outcome_label("attr_ease")
    ('CSAT', 'ease rating')
    """
    if outcome in _OUTCOMES:
        return _OUTCOMES[outcome]
    return f"{attribute_label(outcome)} rating" if outcome.startswith("attr_") else outcome


def top_box_label(outcome: str) -> str:
    """Return what the top two boxes of an outcome are called in sentences.

    Parameters
    ----------
    outcome : str
        A metric column.

    Returns
    -------
    str

    Examples
    --------
    >>> top_box_label("ces")
    "'easy' share"
    """
    return _TOP_BOX.get(outcome, "top-2-box share")


def attribute_label(column: str) -> str:
    """Return an attribute's display name: the column without ``attr_``, spaced.

    Parameters
    ----------
    column : str
        e.g. ``"attr_product_knowledge"``.

    Returns
    -------
    str

    Examples
    --------
    >>> attribute_label("attr_product_knowledge")
    'product knowledge'
    """
    name = column.removeprefix("attr_")
    return name.replace("_", " ")
