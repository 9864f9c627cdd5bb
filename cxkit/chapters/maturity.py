"""Chapter 1: the maturity intake, the levels it gives, and the roadmap to the next level."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from cxkit import maturity
from cxkit.io.client import ClientFolder
from cxkit.maturity.scoring import fmt_level
from cxkit.report.html import Html, bullets, callout, figure, kpis, paragraph, record, table
from cxkit.report.wording import in_sentence, listed


@dataclass
class Assessment:
    """The scored intake of one client under one maturity model."""

    framework: maturity.Framework
    respondents: pd.DataFrame
    answers: pd.DataFrame
    previous: pd.DataFrame | None
    scores: maturity.MaturityScores
    by_department: pd.DataFrame
    gaps: Any
    roadmap: maturity.Roadmap


def framework_for(cx: ClientFolder, framework: str | None = None) -> maturity.Framework:
    """The maturity model: the notebook's parameter, else the engagement's choice."""
    return maturity.load_framework(framework or cx.engagement.framework, cx.root if cx.frameworks_dir() else None)


def intake_form(cx: ClientFolder, framework: str | None = None, interactive: bool = True) -> Any:
    """The ipywidgets intake form, or a note in batch runs (which use the saved answers)."""
    if not interactive:
        return paragraph("Batch run: the saved intake answers are used.")
    form = maturity.IntakeForm(cx.root, framework_for(cx, framework))
    return form.widget


def assess(cx: ClientFolder, framework: str | None = None) -> Assessment:
    """Score the saved intake answers, find perception gaps and build the roadmap."""
    fw = framework_for(cx, framework)
    respondents = cx.intake_respondents()
    answers = cx.intake_answers(fw.id)
    previous = cx.intake_answers(fw.id, previous=True) if cx.exists("intake/previous_answers.csv") else None
    if previous is not None and previous.empty:
        previous = None
    scores = maturity.score(fw, answers, respondents)
    return Assessment(fw, respondents, answers, previous, scores,
                      maturity.element_by_department(fw, answers, respondents),
                      maturity.perception_gaps(fw, answers, respondents), maturity.roadmap(fw, scores))


def _names(a: Assessment, ids: list[str]) -> list[str]:
    lookup = {e.id: e.name for e in a.framework.elements}
    return [lookup.get(i, i) for i in ids]


def priority(element: str, from_level: int, to_level: int, focus_areas: list[str]) -> str:
    """One roadmap step as the summary lists it: the element, the move, and what to work on.

    Examples
    --------
    >>> priority("Understanding customers", 1, 2, ["Centralised customer data", "NPS owners"])
    'Understanding customers, level 1 to 2: centralised customer data and NPS owners'
    >>> priority("Journey mapping", 2, 3, ["An end-to-end map", "Owners and posts per stage"])
    'Journey mapping, level 2 to 3: an end-to-end map; owners and posts per stage'
    """
    areas = [in_sentence(a) for a in focus_areas]
    joined = "; ".join(areas) if any(" and " in a for a in areas) else listed(areas) if areas else ""
    return f"{element}, level {from_level} to {to_level}" + (f": {joined}" if joined else "")


def overview(a: Assessment) -> Html:
    """The overall level, the stage name, who answered and the key findings."""
    s = a.scores
    departments = a.respondents["department"].nunique()
    priorities = [priority(row.element_name, row.from_level, row.to_level, row.focus_areas)
                  for row in a.roadmap.table.itertuples()][:3]
    record("maturity", {"level": s.overall_level, "level_display": f"Level {fmt_level(s.overall_level)}",
                        "stage": s.stage_name, "weakest": _names(a, s.weakest), "priorities": priorities,
                        "framework": a.framework.name})
    cards = [
        {"label": "Overall maturity", "value": f"Level {fmt_level(s.overall_level)}", "detail": s.stage_name},
        {"label": "Stakeholders", "value": str(len(a.respondents)), "detail": f"from {departments} departments"},
        {"label": "Weakest elements", "value": f"{len(s.weakest)} of {len(a.framework.elements)}",
         "detail": ", ".join(_names(a, s.weakest))},
    ]
    return kpis(cards) + paragraph(f"Model: {a.framework.name}.") + bullets(s.summary())


def elements(a: Assessment) -> Html:
    """Level per element with its spread, and the radar with department overlays."""
    from cxkit.plotting.maturity import radar

    cols = ["element_name", "level", "level_min", "level_max", "spread", "n_respondents"]
    frame = a.scores.elements[[c for c in cols if c in a.scores.elements.columns]]
    return figure(radar(a.scores, a.by_department), "Maturity level per element: the median across stakeholders, "
                  "with each department's view overlaid.") + \
        table(frame, "Level per element (median of stakeholders; range and interquartile spread)",
              formats={"level": "{:.1f}", "level_min": "{:.0f}", "level_max": "{:.0f}", "spread": "{:.1f}"})


def perception_gaps(a: Assessment) -> Html:
    """Where leaders and frontline, or departments, disagree by 1.5 levels or more."""
    from cxkit.plotting.maturity import heatmap

    findings = a.gaps.summary()
    head = callout(" ".join(findings), "warning", "Perception gaps.") if findings else \
        paragraph("No department or leadership gap reaches a level and a half: stakeholders share one picture.")
    return head + figure(heatmap(a.by_department), "Level per element as each department sees it.")


def progress(a: Assessment) -> Html:
    """Change per element since the earlier assessment, when there is one."""
    if a.previous is None:
        return paragraph("This is the first assessment for this client; the next one will show progress here.")
    change = maturity.progress(a.framework, a.answers, a.previous, a.respondents)
    shown = pd.DataFrame(change).drop(columns="element").rename(columns={"element_name": "element"})  # ids are for code
    return bullets(change.summary()) + table(shown, "Level per element: earlier and now",
                                             formats={"previous_level": "{:.1f}", "current_level": "{:.1f}",
                                                      "change": "{:+.1f}"})


def roadmap(a: Assessment) -> Html:
    """The plan: this quarter and this year, with focus areas, steps and the reason."""
    plan = a.roadmap.table.copy()
    if plan.empty:
        return paragraph("Every element is already at the top level: the task is to hold it.")
    plan = plan[["horizon", "priority", "element_name", "from_level", "to_level", "focus_areas", "steps", "reason"]]
    plan["steps"] = plan["steps"].map(lambda steps: " ".join(steps) if isinstance(steps, list) else steps)  # sentences
    return bullets(a.roadmap.summary()) + table(plan, "Roadmap to the next level", formats={"priority": "{:d}"})
