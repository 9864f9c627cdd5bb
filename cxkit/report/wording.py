"""Tables in the words an executive reads: metric names in capitals, codes as plain words,
interval bounds named as such.

The analysis tables keep their codes (``csat``, ``product_use``, ``ci_low``), which tests
and the consultant's code rely on; a chapter passes a table through :func:`for_readers`
just before showing it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd

from cxkit.metrics.labels import metric_name

INTERVAL_COLUMNS = {"ci_low": "95% interval from", "ci_high": "95% interval to"}
_METRIC_WORD = re.compile(r"\b(nps|csat|ces|psat)\b")


def metric_names(text: object) -> object:
    """``"ces, csat"`` -> ``"CES, CSAT"``; anything that is not text is returned as it is.

    Examples
    --------
    >>> metric_names("ces, csat, nps"), metric_names(None)
    ('CES, CSAT, NPS', None)
    """
    if not isinstance(text, str):
        return text
    return _METRIC_WORD.sub(lambda m: metric_name(m.group(1)), text)


def plain_code(code: object, names: Mapping[str, str] | None = None) -> object:
    """A code as words: its entry in ``names``, else underscores as spaces.

    Examples
    --------
    >>> plain_code("product_use"), plain_code("stage_unheard", {"stage_unheard": "stage nobody asks about"})
    ('product use', 'stage nobody asks about')
    """
    if not isinstance(code, str):
        return code
    return (names or {}).get(code, code.replace("_", " "))


def for_readers(frame: pd.DataFrame, metrics: Iterable[str] = (), codes: Iterable[str] = (),
                names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` ready to show: metric columns in capitals, code columns in words,
    and ``ci_low``/``ci_high`` named as the bounds of a 95% interval.

    Parameters
    ----------
    frame : pandas.DataFrame
        The analysis table (not changed).
    metrics : iterable of str
        Columns holding metric codes (or comma-separated lists of them).
    codes : iterable of str
        Columns holding other codes.
    names : mapping, optional
        Words for particular codes (default: underscores as spaces).

    Examples
    --------
    >>> t = pd.DataFrame({"metric": ["csat"], "kind": ["product_use"], "ci_low": [1.0]})
    >>> for_readers(t, metrics=["metric"], codes=["kind"]).to_dict("records")
    [{'metric': 'CSAT', 'kind': 'product use', '95% interval from': 1.0}]
    """
    out = frame.copy()
    for column in metrics:
        if column in out:
            out[column] = out[column].map(metric_names)
    for column in codes:
        if column in out:
            out[column] = out[column].map(lambda code: plain_code(code, names))
    return out.rename(columns=INTERVAL_COLUMNS)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun in the number it takes, for sentences an executive reads.

    Examples
    --------
    >>> counted(1, "pair of surveys", "pairs of surveys"), counted(3, "listening post"), counted(0, "period")
    ('1 pair of surveys', '3 listening posts', '0 periods')
    """
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def verb(n: int, singular: str, plural: str) -> str:
    """The form of a verb that agrees with a count of ``n`` (the partner of :func:`counted`).

    Examples
    --------
    >>> f"{counted(1, 'alert')} {verb(1, 'was', 'were')} raised", f"{counted(2, 'case')} {verb(2, 'has', 'have')} one"
    ('1 alert was raised', '2 cases have one')
    """
    return singular if n == 1 else plural


def listed(names: Iterable[str]) -> str:
    """Names joined as a sentence lists them.

    Examples
    --------
    >>> listed(["SMS"]), listed(["Culture", "Strategy"]), listed(["a", "b", "c"])
    ('SMS', 'Culture and Strategy', 'a, b and c')
    """
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def in_sentence(name: str) -> str:
    """A capitalised label as it reads inside a sentence; a leading acronym keeps its capitals.

    Examples
    --------
    >>> in_sentence("Centralised customer data"), in_sentence("A funded CX programme"), in_sentence("NPS owners")
    ('centralised customer data', 'a funded CX programme', 'NPS owners')
    """
    first = name.split(" ", 1)[0]
    return name if len(first) > 1 and first.isupper() else name[:1].lower() + name[1:]
