"""Perception gaps: where leadership and frontline, or departments, see the maturity differently."""
from __future__ import annotations

import pandas as pd

from cxkit.maturity.findings import FindingsTable
from cxkit.maturity.scoring import fmt_level, levels_by_group
from cxkit.maturity.schema import Framework

GAP_THRESHOLD = 1.5
GAP_COLUMNS = ["element", "element_name", "comparison", "higher_group", "higher_level", "higher_n",
               "lower_group", "lower_level", "lower_n", "gap", "flagged"]


def _leadership_rows(by_lead: pd.DataFrame) -> list[tuple]:
    rows = []
    lead = by_lead[by_lead["group"] == True].set_index("element")  # noqa: E712 (bool column)
    front = by_lead[by_lead["group"] == False].set_index("element")  # noqa: E712
    for element in lead.index.intersection(front.index):
        a, b = lead.loc[element], front.loc[element]
        if pd.isna(a["level"]) or pd.isna(b["level"]):
            continue
        hi, lo = (("leadership", a), ("frontline", b)) if a["level"] >= b["level"] else (("frontline", b), ("leadership", a))
        rows.append((element, a["element_name"], "leadership vs frontline", hi[0], hi[1]["level"],
                     hi[1]["n_respondents"], lo[0], lo[1]["level"], lo[1]["n_respondents"]))
    return rows


def _department_rows(by_dept: pd.DataFrame, min_respondents: int) -> list[tuple]:
    rows = []
    usable = by_dept[by_dept["n_respondents"] >= min_respondents].dropna(subset=["level"])
    for element, part in usable.groupby("element", sort=False):
        if part["group"].nunique() < 2:
            continue
        hi = part.sort_values(["level", "group"], ascending=[False, True]).iloc[0]
        lo = part.sort_values(["level", "group"], ascending=[True, True]).iloc[0]
        rows.append((element, hi["element_name"], "between departments", hi["group"], hi["level"],
                     hi["n_respondents"], lo["group"], lo["level"], lo["n_respondents"]))
    return rows


def _summarise(threshold: float):
    def summarise(frame: pd.DataFrame) -> list[str]:
        flagged = frame[frame["flagged"]]
        if flagged.empty:
            return [f"No perception gap of {threshold:g} levels or more: leadership, frontline and "
                    "departments broadly agree on where the organisation stands."]
        lines = []
        for r in flagged.itertuples():
            lines.append(
                f"{r.element_name}: {r.higher_group} put it at level {fmt_level(r.higher_level)} "
                f"(n={r.higher_n}) but {r.lower_group} at level {fmt_level(r.lower_level)} (n={r.lower_n}), "
                f"a gap of {r.gap:g} levels.")
        lines.append("Gaps this large usually mean the groups see different parts of the reality; "
                     "explore them together before agreeing the plan.")
        if ((flagged["higher_n"] == 1) | (flagged["lower_n"] == 1)).any():
            lines.append("Where a side is a single respondent (n=1), the gap is one person's view rather than "
                         "a group's: hear that person out before treating it as the department's.")
        return lines
    return summarise


def perception_gaps(framework: Framework, answers: pd.DataFrame, respondents: pd.DataFrame,
                    threshold: float = GAP_THRESHOLD, min_respondents: int = 1) -> FindingsTable:
    """Compare element levels between leadership and frontline, and between departments.

    For each element: the level (median of respondents, see :mod:`cxkit.maturity.levels`)
    among leaders versus everyone else, and the highest- versus the lowest-rating
    department. A comparison is ``flagged`` when the gap is ``threshold`` levels or more.

    Parameters
    ----------
    framework : Framework
    answers, respondents : pandas.DataFrame
        As for :func:`cxkit.maturity.score`.
    threshold : float
        Gap, in levels, that counts as a perception gap (default 1.5).
    min_respondents : int
        Departments with fewer raters for an element are left out of that comparison.

    Returns
    -------
    FindingsTable
        Columns ``element, element_name, comparison`` ("leadership vs frontline" or
        "between departments"), ``higher_group, higher_level, higher_n, lower_group,
        lower_level, lower_n, gap, flagged``; flagged rows first, then by gap.
    """
    by_lead = levels_by_group(framework, answers, respondents, by="is_leadership")
    by_dept = levels_by_group(framework, answers, respondents, by="department")
    rows = _leadership_rows(by_lead) + _department_rows(by_dept, min_respondents)
    frame = pd.DataFrame(rows, columns=GAP_COLUMNS[:-2])
    frame["gap"] = (frame["higher_level"] - frame["lower_level"]).astype(float)
    frame["flagged"] = frame["gap"] >= threshold
    frame = frame.astype({"higher_n": "int64", "lower_n": "int64"})
    frame = frame.sort_values(["flagged", "gap"], ascending=[False, False], kind="stable").reset_index(drop=True)
    return FindingsTable.build(frame, _summarise(threshold),
                               caption=f"Perception gaps (flagged at {threshold:g} levels or more)",
                               formats={"higher_level": "{:g}", "lower_level": "{:g}", "gap": "{:g}"})
