"""Maturity models as data: loading, scoring, perception gaps, progress, roadmap, intake form.

Typical use in the intake notebook::

    fw = load_framework(engagement.framework, client_root)
    respondents = read_respondents(client_root)
    answers = read_answers(client_root, fw.id)
    scores = score(fw, answers, respondents)
    gaps = perception_gaps(fw, answers, respondents)
    plan = roadmap(fw, scores)
"""
from cxkit.frameworks import list_frameworks
from cxkit.maturity.gaps import perception_gaps
from cxkit.maturity.levels import THRESHOLD, respondent_levels
from cxkit.maturity.loading import framework_from_mapping, load_framework
from cxkit.maturity.progress import progress
from cxkit.maturity.roadmap import Roadmap, roadmap
from cxkit.maturity.schema import Element, Framework, Statement
from cxkit.maturity.scoring import MaturityScores, element_by_department, levels_by_group, score


def __getattr__(name: str):
    """Import the ipywidgets form lazily, so scoring works without a widget front end."""
    if name == "IntakeForm":
        from cxkit.maturity.form import IntakeForm

        return IntakeForm
    raise AttributeError(name)


__all__ = [
    "Element", "Framework", "IntakeForm", "MaturityScores", "Roadmap", "Statement", "THRESHOLD",
    "element_by_department", "framework_from_mapping", "levels_by_group", "list_frameworks",
    "load_framework", "perception_gaps", "progress", "respondent_levels", "roadmap", "score",
]
