"""From agreement with statements to a level per respondent and per element.

The rule
--------
1. Each statement belongs to one level L >= 2 of one element. A respondent's mean
   agreement at level L is the mean of their 1..5 answers to that level's statements;
   "don't know" (blank) answers are left out.
2. Levels are cumulative. A respondent places an element at the highest level L such
   that every level 2..L has a mean agreement of at least ``THRESHOLD`` (3.5, i.e. on
   balance "mostly true"). If level 2 already falls short, the level is 1. A level the
   respondent could not judge at all (only "don't know") stops the climb there.
3. A respondent who gave no 1..5 answer for an element is not counted for it.
4. The element's level is the median across the respondents who rated it (so half levels
   such as 2.5 appear when respondents split evenly). The spread is reported both as
   min..max (``level_min``, ``level_max``) and as the interquartile range (``spread``,
   the 75th minus the 25th percentile, linear interpolation).
"""
from __future__ import annotations

import pandas as pd

from cxkit.errors import InputError, closest
from cxkit.maturity.schema import Framework

THRESHOLD = 3.5
ANSWERS_FILE = "intake/answers.csv"
ELEMENT_COLUMNS = ["element", "element_name", "level", "level_min", "level_max", "spread",
                   "n_respondents", "n_answers"]


def rows_for_framework(framework: Framework, answers: pd.DataFrame) -> pd.DataFrame:
    """Keep the answers of this framework when the table has a ``framework`` column."""
    if "framework" in answers.columns:
        return answers[answers["framework"] == framework.id]
    return answers


def validate_answers(framework: Framework, answers: pd.DataFrame,
                     respondents: pd.DataFrame | None = None, file: str = ANSWERS_FILE) -> None:
    """Check answers against a framework and, optionally, the respondents table.

    Parameters
    ----------
    framework : Framework
        The framework the answers are for.
    answers : pandas.DataFrame
        Columns ``respondent_id, element, statement_id, agreement`` (and optionally
        ``file_row`` for messages).
    respondents : pandas.DataFrame, optional
        With a ``respondent_id`` column; when given, every answer's respondent must be in it.
    file : str
        File named in messages.

    Raises
    ------
    InputError
        Unknown element, unknown statement, a statement filed under the wrong element, an
        unknown respondent, or agreement outside 1..5; with row and column.
    """
    missing = [c for c in ("respondent_id", "element", "statement_id", "agreement") if c not in answers.columns]
    if missing:
        raise InputError("the answers table lacks a column", file=file, column=missing[0])
    index = framework.statement_index()
    known = None if respondents is None else set(respondents["respondent_id"].astype(str))
    file_rows = answers["file_row"].tolist() if "file_row" in answers.columns else [None] * len(answers)
    for file_row, rid, element, sid, value in zip(
            file_rows, *(answers[c].tolist() for c in ("respondent_id", "element", "statement_id", "agreement"))):
        where = {"file": file, "row": None if file_row is None else int(file_row)}
        if element not in framework.element_ids:
            raise InputError(f"unknown element for framework '{framework.id}'", column="element",
                             found=str(element), hint=closest(str(element), framework.element_ids) or None, **where)
        if sid not in index:
            raise InputError(f"unknown statement for framework '{framework.id}'", column="statement_id",
                             found=str(sid), hint=closest(str(sid), index) or None, **where)
        if index[sid][0] != element:
            raise InputError("the statement belongs to another element", column="element", found=str(element),
                             expected=index[sid][0], **where)
        if known is not None and str(rid) not in known:
            raise InputError("answer from an unknown respondent", column="respondent_id", found=str(rid),
                             hint=closest(str(rid), known) or "Add the respondent first", **where)
        if not pd.isna(value) and (float(value) != int(value) or not 1 <= int(value) <= 5):
            raise InputError("agreement must be 1..5 or blank", column="agreement", found=str(value), **where)


def respondent_levels(framework: Framework, answers: pd.DataFrame) -> pd.DataFrame:
    """Each respondent's level for each element they rated.

    Parameters
    ----------
    framework : Framework
    answers : pandas.DataFrame
        Validated answers (see :func:`validate_answers`).

    Returns
    -------
    pandas.DataFrame
        Columns ``respondent_id, element, level`` (int) and ``n_answers`` (1..5 answers
        given for the element); one row per respondent and rated element.

    Examples
    --------
    >>> from cxkit.maturity import load_framework
    >>> fw = load_framework("nine_element")
    >>> a = pd.DataFrame({"respondent_id": ["r1"] * 4, "element": ["listening"] * 4,
    ...     "statement_id": ["listening.L2.a", "listening.L2.b", "listening.L3.a", "listening.L3.b"],
    ...     "agreement": [4, 4, 3, 3]})
    >>> respondent_levels(fw, a)["level"].tolist()    # L2 mean 4 >= 3.5, L3 mean 3 < 3.5
    [2]
    """
    index = framework.statement_index()
    rated = answers.dropna(subset=["agreement"]).copy()
    columns = ["respondent_id", "element", "level", "n_answers"]
    if rated.empty:
        return pd.DataFrame({c: pd.Series(dtype="object" if i < 2 else "int64") for i, c in enumerate(columns)})
    rated["stmt_level"] = rated["statement_id"].map({s: v[1] for s, v in index.items()})
    rated["agreement"] = rated["agreement"].astype(float)
    keys = [rated["respondent_id"].astype(str), rated["element"].astype(str)]
    means = rated.groupby([*keys, rated["stmt_level"]])["agreement"].mean().unstack()
    means = means.reindex(columns=range(2, framework.max_level + 1))
    # the climb (rule 2 above): levels 2, 3, ... count while each one's mean reaches the threshold
    reached = (means >= THRESHOLD).to_numpy().cumprod(axis=1).sum(axis=1)
    counts = rated.groupby(keys).size().reindex(means.index)
    out = means.index.to_frame(index=False, name=["respondent_id", "element"])
    out["level"] = (1 + reached).astype("int64")
    out["n_answers"] = counts.to_numpy().astype("int64")
    return out[columns]


def aggregate_levels(framework: Framework, per_respondent: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Median level, min..max and IQR per element, in framework order (per group with ``by``).

    Parameters
    ----------
    framework : Framework
    per_respondent : pandas.DataFrame
        Output of :func:`respondent_levels` (possibly a subset, e.g. one department), with
        the ``by`` column when one is given.
    by : str, optional
        Aggregate within each value of this column (all groups in one pass); the result
        then starts with a ``group`` column, groups sorted, every element listed per group.

    Returns
    -------
    pandas.DataFrame
        Columns ``element, element_name, level, level_min, level_max, spread`` (IQR),
        ``n_respondents, n_answers``; elements nobody rated have NaN levels and n 0.
    """
    order = pd.DataFrame({"element": [e.id for e in framework.elements],
                          "element_name": [e.name for e in framework.elements]})
    keys = ["element"] if by is None else [by, "element"]
    if by is not None:
        groups = per_respondent[by].dropna().drop_duplicates().sort_values(ignore_index=True).to_frame()
        order = groups.merge(order, how="cross")
    grouped = per_respondent.assign(level=per_respondent["level"].astype(float)).groupby(keys)["level"]
    stats = grouped.agg(level="median", level_min="min", level_max="max", n_respondents="size")
    quartiles = grouped.quantile([0.25, 0.75]).unstack()
    stats["spread"] = (quartiles[0.75] - quartiles[0.25]) if len(quartiles) else float("nan")
    stats["n_answers"] = per_respondent.groupby(keys)["n_answers"].sum()
    out = order.merge(stats, left_on=keys, right_index=True, how="left")
    out[["n_respondents", "n_answers"]] = out[["n_respondents", "n_answers"]].fillna(0)
    out = out.astype({"n_respondents": "int64", "n_answers": "int64"})
    if by is None:
        return out[ELEMENT_COLUMNS]
    return out.rename(columns={by: "group"})[["group", *ELEMENT_COLUMNS]].reset_index(drop=True)
