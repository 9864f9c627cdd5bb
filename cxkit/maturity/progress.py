"""Progress since an earlier assessment: the change in level per element."""
from __future__ import annotations

import pandas as pd

from cxkit.maturity.findings import FindingsTable
from cxkit.maturity.levels import aggregate_levels, respondent_levels, rows_for_framework, validate_answers
from cxkit.maturity.scoring import fmt_level
from cxkit.maturity.schema import Framework

PROGRESS_COLUMNS = ["element", "element_name", "previous_level", "current_level", "change",
                    "n_previous", "n_current", "direction"]


def _direction(previous: float, current: float) -> str:
    if pd.isna(previous) and pd.isna(current):
        return "not rated"
    if pd.isna(previous):
        return "new"
    if pd.isna(current):
        return "not rated now"
    return "up" if current > previous else "down" if current < previous else "unchanged"


def _summarise(frame: pd.DataFrame) -> list[str]:
    both = frame[frame["direction"].isin(["up", "down", "unchanged"])]
    if both.empty:
        return ["No element was rated in both assessments, so progress cannot be measured yet."]
    lines = []
    for label, sign in (("up", "moved up"), ("down", "slipped")):
        part = both[both["direction"] == label]
        if not part.empty:
            items = [f"{r.element_name} ({fmt_level(r.previous_level)} → {fmt_level(r.current_level)})"
                     for r in part.itertuples()]
            lines.append(f"{len(part)} element{'s' if len(part) > 1 else ''} {sign}: " + "; ".join(items) + ".")
    same = both[both["direction"] == "unchanged"]
    if not same.empty:
        lines.append(f"{len(same)} element{'s' if len(same) > 1 else ''} stayed where "
                     f"{'they were' if len(same) > 1 else 'it was'}: " + ", ".join(same["element_name"]) + ".")
    lines.append(f"On average the rated elements moved {both['change'].mean():+.1f} levels.")
    return lines


def progress(framework: Framework, current_answers: pd.DataFrame, previous_answers: pd.DataFrame,
             respondents: pd.DataFrame) -> FindingsTable:
    """Change in level per element between an earlier and the current assessment.

    Both assessments are scored with the same rule (:mod:`cxkit.maturity.levels`). Earlier
    respondents need not still be in ``respondents``; the current ones must be.

    Parameters
    ----------
    framework : Framework
    current_answers, previous_answers : pandas.DataFrame
        From :func:`cxkit.io.intake.read_answers` (``previous=True`` for the earlier one).
    respondents : pandas.DataFrame
        Today's respondents.

    Returns
    -------
    FindingsTable
        Columns ``element, element_name, previous_level, current_level, change`` (current
        minus previous), ``n_previous, n_current, direction`` (up, down, unchanged, new,
        not rated now, not rated).
    """
    current_answers = rows_for_framework(framework, current_answers)
    previous_answers = rows_for_framework(framework, previous_answers)
    validate_answers(framework, current_answers, respondents)
    validate_answers(framework, previous_answers, None, file="intake/previous_answers.csv")
    now = aggregate_levels(framework, respondent_levels(framework, current_answers))
    before = aggregate_levels(framework, respondent_levels(framework, previous_answers))
    frame = pd.DataFrame({
        "element": now["element"], "element_name": now["element_name"],
        "previous_level": before["level"], "current_level": now["level"],
        "change": now["level"] - before["level"],
        "n_previous": before["n_respondents"], "n_current": now["n_respondents"],
    })
    frame["direction"] = [_direction(p, c) for p, c in zip(frame["previous_level"], frame["current_level"])]
    return FindingsTable.build(frame[PROGRESS_COLUMNS], _summarise, caption="Progress since the previous assessment",
                               formats={"previous_level": "{:g}", "current_level": "{:g}", "change": "{:+g}"})
