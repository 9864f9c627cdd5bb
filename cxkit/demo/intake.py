"""Maturity intake answers from eight fictional stakeholders, for every shipped framework.

Planted: a true level per element, leadership rating about 1.5 levels higher than the
frontline on culture-type elements (a perception gap), and an earlier assessment one level
lower on a few elements (progress).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

RESPONDENTS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("R01", "Helena Marsh", "Chief Executive Officer", "Executive", True),
    ("R02", "Tomasz Weber", "VP Customer Success", "Customer Success", True),
    ("R03", "Priya Raman", "Head of Product", "Product", True),
    ("R04", "Daniel Okafor", "Support Team Lead", "Support", False),
    ("R05", "Sofia Lindqvist", "Support Agent", "Support", False),
    ("R06", "Marco Bellini", "Customer Success Manager", "Customer Success", False),
    ("R07", "Aisha Karim", "Marketing Specialist", "Marketing", False),
    ("R08", "Lucas Moreau", "Account Executive", "Sales", False),
)
"""(respondent_id, name, role, department, is_leadership)."""

TRUE_LEVEL: tuple[tuple[str, int], ...] = (
    ("listen", 3), ("understand", 2), ("acting", 2), ("action", 2), ("tech", 3),
    ("strateg", 3), ("leader", 3), ("cultur", 2), ("employee", 2), ("journey", 2),
    ("feedback", 3), ("service", 3), ("collab", 2), ("data", 2), ("people", 2), ("innovat", 1),
)
"""Element-id fragments and the organisation's true level (first match wins; default 2)."""

GAP_FRAGMENTS: tuple[str, ...] = ("cultur", "acting", "people", "collab")
"""Elements where leadership sees itself about 1.5 levels higher than the frontline."""
LEADERSHIP_GAP = 1.5
PROGRESS_FRAGMENTS: tuple[str, ...] = ("listen", "tech", "strateg", "feedback", "service")
"""Elements that were one level lower in the previous assessment."""
_UNSURE_FRAGMENTS = ("strateg", "leader", "innovat")


def make_respondents() -> pd.DataFrame:
    """Return ``intake/respondents.csv``: respondent_id, name, role, department, is_leadership.

    Examples
    --------
    >>> make_respondents()["department"].nunique()
    6
    """
    cols = ["respondent_id", "name", "role", "department", "is_leadership"]
    return pd.DataFrame(list(RESPONDENTS), columns=cols)


def load_frameworks(folder: Path) -> list[dict]:
    """Read every ``*.yaml`` framework in ``folder`` (sorted by file name)."""
    return [yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted(folder.glob("*.yaml"))]


def true_level(element_id: str, top: int) -> int:
    """Return the planted level of an element, capped at the framework's top level.

    Examples
    --------
    >>> true_level("listening", 5), true_level("innovation", 4), true_level("misc", 5)
    (3, 1, 2)
    """
    for fragment, level in TRUE_LEVEL:
        if fragment in element_id:
            return min(level, top)
    return min(2, top)


def make_answers(rng: np.random.Generator, frameworks: list[dict], respondents: pd.DataFrame,
                 previous: bool = False) -> pd.DataFrame:
    """Return intake answers for all frameworks and respondents.

    Parameters
    ----------
    previous : bool
        Generate the earlier assessment (one level lower on :data:`PROGRESS_FRAGMENTS`).

    Returns
    -------
    pandas.DataFrame
        ``framework, respondent_id, element, statement_id, agreement`` (Int64 1..5, NA =
        don't know).
    """
    parts = [_framework_answers(rng, fw, respondents, previous) for fw in frameworks]
    if not parts:
        cols = ["framework", "respondent_id", "element", "statement_id", "agreement"]
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)


def _framework_answers(rng: np.random.Generator, framework: dict, respondents: pd.DataFrame,
                       previous: bool) -> pd.DataFrame:
    """Answers of every respondent to every statement of one framework."""
    items = _statements(framework)
    elements = [e["id"] for e in framework["elements"]]
    gap = _gap_elements(elements)
    rows = []
    for rid, leader in zip(respondents["respondent_id"], respondents["is_leadership"]):
        bias = rng.normal(0.0, 0.3)
        for element, statement, level, top in items:
            rows.append((framework["id"], rid, element, statement,
                         _agreement(rng, element, level, top, leader, bias, gap, previous)))
    cols = ["framework", "respondent_id", "element", "statement_id", "agreement"]
    out = pd.DataFrame(rows, columns=cols)
    out["agreement"] = out["agreement"].astype("Int64")
    return out


def _statements(framework: dict) -> list[tuple[str, str, int, int]]:
    """(element, statement_id, level, top level) for every statement, in file order."""
    out = []
    for element in framework["elements"]:
        top = max(int(level["level"]) for level in element["levels"])
        for level in element["levels"]:
            for statement in level.get("statements") or []:
                out.append((element["id"], statement["id"], int(level["level"]), top))
    return out


def _gap_elements(elements: list[str]) -> set[str]:
    """The elements with a planted leadership-frontline gap (first two if none match)."""
    chosen = {e for e in elements if any(f in e for f in GAP_FRAGMENTS)}
    return chosen or set(elements[:2])


def _agreement(rng: np.random.Generator, element: str, level: int, top: int, leader: bool,
               bias: float, gap: set[str], previous: bool) -> float | None:
    """One 1..5 rating of a statement tied to ``level`` (None = don't know)."""
    perceived = true_level(element, top) + bias
    if leader and element in gap:
        perceived += LEADERSHIP_GAP
    if previous and any(f in element for f in PROGRESS_FRAGMENTS):
        perceived -= 1.0
    unsure = 0.2 if (not leader and any(f in element for f in _UNSURE_FRAGMENTS)) else 0.04
    if rng.random() < unsure:
        return None
    value = 3.0 + 1.4 * (perceived - level + 0.5) + rng.normal(0.0, 0.7)
    return float(np.clip(np.rint(value), 1, 5))
