"""The roadmap: for each element, what it takes to reach the next level, in order.

Ordering rule
-------------
1. Every rated element below the top of the scale gets one row: from the level it has
   fully reached (``floor`` of its median, so 2.5 counts as 2) to the next level.
2. Rows are ordered by how far the element lags (lowest level first), then by how much it
   holds back others (the number of elements that depend on it, directly or not), then by
   framework order. With the nine-element model this puts listening before understanding
   before acting whenever they stand at the same level.
3. "This quarter" takes the first ``quarter_size`` rows whose prerequisites already stand
   at or above the level the element is moving to (you cannot act on what you do not yet
   understand); all other rows are "this year", with the reason saying what they wait for.
4. Focus areas and steps come from the framework's ``transitions``; where a framework gives
   none, the next level's description is the focus and its statements are the steps.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from cxkit.maturity.scoring import MaturityScores, fmt_level
from cxkit.maturity.schema import Element, Framework
from cxkit.report.html import bullets, esc

QUARTER, YEAR = "this quarter", "this year"
ROADMAP_COLUMNS = ["horizon", "priority", "element", "element_name", "level", "from_level", "to_level",
                   "focus_areas", "steps", "reason"]


def _plan(element: Element, from_level: int) -> tuple[list[str], list[str]]:
    transition = element.transition(from_level)
    target = element.level(from_level + 1)
    if transition is not None:
        return list(transition.focus_areas), list(transition.steps) or [s.text for s in target.statements]
    return [target.description], [s.text for s in target.statements]


def _waits_for(fw: Framework, element: Element, to_level: int, levels: dict[str, float]) -> list[str]:
    return [fw.element(d).name for d in element.depends_on
            if not pd.isna(levels.get(d, math.nan)) and levels[d] < to_level]


def _reason(fw: Framework, element: Element, level: float, overall: float, n_dependents: int,
            waits: list[str], to_level: int) -> str:
    parts = [f"at level {fmt_level(level)} against an overall {fmt_level(overall)}"]
    if n_dependents:
        parts.append(f"{n_dependents} other element{'s' if n_dependents > 1 else ''} {'build' if n_dependents > 1 else 'builds'} on it")
    if waits:
        parts.append(f"waits for {' and '.join(waits)} to reach level {to_level}")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


@dataclass
class Roadmap:
    """The ordered plan of next-level moves.

    Attributes
    ----------
    framework : Framework
    table : pandas.DataFrame
        Columns ``horizon`` ("this quarter"/"this year"), ``priority`` (1 = first in the
        plan: this quarter's moves, then the year's, each by how far the element lags),
        ``element, element_name, level`` (current median), ``from_level, to_level``,
        ``focus_areas`` and ``steps`` (lists of str), ``reason``.
    at_top : list of str
        Ids of elements already at the top level.
    """

    framework: Framework
    table: pd.DataFrame
    at_top: list[str]

    def summary(self) -> list[str]:
        """The plan in a consultant's words."""
        lines = []
        quarter = self.table[self.table["horizon"] == QUARTER]
        if not quarter.empty:
            lines.append("This quarter, concentrate on " + "; ".join(
                f"{r.element_name} (level {r.from_level} → {r.to_level}: {', '.join(r.focus_areas)})"
                for r in quarter.itertuples()) + ".")
        year = self.table[self.table["horizon"] == YEAR]
        if not year.empty:
            lines.append("Over the year, follow with " + ", ".join(year["element_name"]) + ".")
        waiting = year[year["reason"].str.contains("waits for")]
        for r in waiting.itertuples():
            lines.append(f"{r.element_name} comes later on purpose: {r.reason.split('; ')[-1].rstrip('.')}.")
        if self.at_top:
            lines.append("Already at the top level: " + ", ".join(self.framework.element(e).name for e in self.at_top)
                         + "; the task there is to keep it.")
        return lines

    def _repr_html_(self) -> str:
        rows = []
        for r in self.table.itertuples():
            focus = "".join(f"<li>{esc(x)}</li>" for x in r.focus_areas)
            steps = "".join(f"<li>{esc(x)}</li>" for x in r.steps)
            rows.append(f"<tr><td>{esc(r.horizon)}</td><td class=\"num\">{r.priority}</td>"
                        f"<td>{esc(r.element_name)}</td><td class=\"num\">{r.from_level} → {r.to_level}</td>"
                        f"<td><ul>{focus}</ul></td><td><ol>{steps}</ol></td><td>{esc(r.reason)}</td></tr>")
        head = "".join(f"<th>{h}</th>" for h in ("Horizon", "#", "Element", "Move", "Focus areas", "Steps", "Why now"))
        return (f'<div class="table-wrap cx-roadmap"><table class="cx-table"><caption>{esc(self.framework.name)}: '
                f"roadmap</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
                + str(bullets(self.summary())))


def roadmap(framework: Framework, scores: MaturityScores, quarter_size: int = 3) -> Roadmap:
    """Order the next-level moves of every element into this quarter and this year.

    See the module docstring for the ordering rule.

    Parameters
    ----------
    framework : Framework
    scores : MaturityScores
        From :func:`cxkit.maturity.score`.
    quarter_size : int
        How many moves at most to start this quarter.

    Returns
    -------
    Roadmap
    """
    levels = dict(zip(scores.elements["element"], scores.elements["level"]))
    candidates = []
    for position, element in enumerate(framework.elements):
        level = levels.get(element.id, math.nan)
        if pd.isna(level) or int(level) >= framework.max_level:
            continue
        n_dep = len(framework.dependents(element.id))
        candidates.append((level, -n_dep, position, element))
    candidates.sort(key=lambda c: c[:3])
    rows, in_quarter = [], 0
    for priority, (level, neg_dep, _, element) in enumerate(candidates, start=1):
        from_level = int(level)
        waits = _waits_for(framework, element, from_level + 1, levels)
        horizon = QUARTER if not waits and in_quarter < quarter_size else YEAR
        in_quarter += horizon == QUARTER
        focus, steps = _plan(element, from_level)
        rows.append((horizon, priority, element.id, element.name, level, from_level, from_level + 1, focus, steps,
                     _reason(framework, element, level, scores.overall_level, -neg_dep, waits, from_level + 1)))
    table = pd.DataFrame(rows, columns=ROADMAP_COLUMNS)
    table["_h"] = table["horizon"].map({QUARTER: 0, YEAR: 1})
    table = table.sort_values(["_h", "priority"], kind="stable").drop(columns="_h").reset_index(drop=True)
    table["priority"] = range(1, len(table) + 1)  # the order of the plan: an element that waits comes later
    at_top = [e for e, lv in levels.items() if not pd.isna(lv) and int(lv) >= framework.max_level]
    return Roadmap(framework=framework, table=table, at_top=at_top)
