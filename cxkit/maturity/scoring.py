"""Scoring an intake: the level of each element, the overall level and the weakest links."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cxkit.errors import InputError
from cxkit.maturity.levels import aggregate_levels, respondent_levels, rows_for_framework, validate_answers
from cxkit.maturity.schema import Framework
from cxkit.report.html import bullets, esc, kpis, table
from cxkit.report.wording import listed


def fmt_level(value: float) -> str:
    """Show a level as ``2`` or ``2.5`` (an en dash when missing).

    Examples
    --------
    >>> fmt_level(2.0), fmt_level(2.5), fmt_level(float("nan"))
    ('2', '2.5', '–')
    """
    if value is None or pd.isna(value):
        return "–"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


@dataclass
class MaturityScores:
    """The scored intake for one framework.

    Attributes
    ----------
    framework : Framework
    elements : pandas.DataFrame
        One row per element in framework order: ``element, element_name, level`` (median of
        respondents), ``level_min, level_max`` (range), ``spread`` (interquartile range),
        ``n_respondents, n_answers``.
    overall_level : float
        Median of the rated elements' levels.
    stage_name : str
        The scale's name for the overall level (half levels round down).
    weakest : list of str
        Ids of the rated elements at the lowest level (all of them when tied).
    missing : list of str
        Ids of elements nobody rated.
    respondents : pandas.DataFrame
        Per respondent and element: ``respondent_id, element, level, n_answers``.
    """

    framework: Framework
    elements: pd.DataFrame
    overall_level: float
    stage_name: str
    weakest: list[str]
    missing: list[str] = field(default_factory=list)
    respondents: pd.DataFrame = field(default_factory=pd.DataFrame)

    def summary(self) -> list[str]:
        """Findings in a consultant's words.

        Returns
        -------
        list of str
        """
        fw, el = self.framework, self.elements.set_index("element")
        n_people = self.respondents["respondent_id"].nunique() if not self.respondents.empty else 0
        lines = [f"Across {n_people} respondents, the organisation stands at level "
                 f"{fmt_level(self.overall_level)} of {fw.max_level} ({self.stage_name}) on the {fw.name} model."]
        names = [fw.element(e).name for e in self.weakest]
        if names:
            lines.append(f"The weakest {'link is' if len(names) == 1 else 'links are'} "
                         f"{listed(names)} at level {fmt_level(el.loc[self.weakest[0], 'level'])}; "
                         "these hold the overall experience back most.")
        rated = el.dropna(subset=["level"])
        if not rated.empty:
            top = rated["level"].idxmax()
            lines.append(f"The strongest element is {fw.element(top).name} at level {fmt_level(rated.loc[top, 'level'])}.")
        wide = rated[(rated["level_max"] - rated["level_min"]) >= 2]
        if not wide.empty:
            lines.append("Respondents disagree widely (two levels or more between lowest and highest) on "
                         + listed([f"{r.element_name} ({fmt_level(r.level_min)}–{fmt_level(r.level_max)})"
                                  for r in wide.itertuples()]) + "; worth discussing in the readout.")
        if self.missing:
            lines.append("Nobody rated " + listed([fw.element(e).name for e in self.missing])
                         + "; these are left out of the overall level.")
        return lines

    def _repr_html_(self) -> str:
        cards = kpis([
            {"label": "Overall level", "value": f"{fmt_level(self.overall_level)} / {self.framework.max_level}",
             "detail": self.stage_name},
            {"label": "Weakest", "value": ", ".join(self.framework.element(e).name for e in self.weakest) or "–"},
        ])
        frame = self.elements.assign(
            level=self.elements["level"].map(fmt_level),
            range=[f"{fmt_level(a)}–{fmt_level(b)}" for a, b in zip(self.elements["level_min"], self.elements["level_max"])],
        )[["element_name", "level", "range", "spread", "n_respondents"]]
        return (f"<div class=\"cx-maturity-scores\"><h4>{esc(self.framework.name)}</h4>"
                + str(cards) + str(table(frame, formats={"spread": "{:.1f}"}))
                + str(bullets(self.summary())) + "</div>")


def score(framework: Framework, answers: pd.DataFrame, respondents: pd.DataFrame) -> MaturityScores:
    """Score the intake: level per element, overall level and stage, weakest elements.

    The level rule is described in :mod:`cxkit.maturity.levels` (cumulative levels,
    mean agreement >= 3.5, median across respondents, IQR and min..max spread). The overall
    level is the median of the rated elements' levels; the weakest elements are those at
    the lowest level, ties included.

    Parameters
    ----------
    framework : Framework
    answers : pandas.DataFrame
        From :func:`cxkit.io.intake.read_answers` (rows of other frameworks are ignored).
    respondents : pandas.DataFrame
        From :func:`cxkit.io.intake.read_respondents`.

    Returns
    -------
    MaturityScores

    Raises
    ------
    InputError
        Unknown element, statement or respondent, a bad agreement, or no answers at all.
    """
    answers = rows_for_framework(framework, answers)
    validate_answers(framework, answers, respondents)
    per_respondent = respondent_levels(framework, answers)
    if per_respondent.empty:
        raise InputError(f"no intake answers (1..5) for the framework '{framework.id}'",
                         file="intake/answers.csv",
                         hint="Collect answers with the intake form, or check the framework column")
    elements = aggregate_levels(framework, per_respondent)
    rated = elements.dropna(subset=["level"])
    overall = float(rated["level"].median())
    lowest = rated["level"].min()
    return MaturityScores(
        framework=framework, elements=elements, overall_level=overall,
        stage_name=framework.level_name(overall),
        weakest=rated.loc[rated["level"] == lowest, "element"].tolist(),
        missing=elements.loc[elements["level"].isna(), "element"].tolist(),
        respondents=per_respondent,
    )


def levels_by_group(framework: Framework, answers: pd.DataFrame, respondents: pd.DataFrame,
                    by: str = "department") -> pd.DataFrame:
    """Element levels within each group of respondents.

    Parameters
    ----------
    framework : Framework
    answers, respondents : pandas.DataFrame
        As for :func:`score`.
    by : str
        A respondents column, e.g. ``"department"``, ``"role"`` or ``"is_leadership"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``group`` plus those of ``MaturityScores.elements``; one row per group and
        element (NaN level where nobody in the group rated the element).
    """
    answers = rows_for_framework(framework, answers)
    validate_answers(framework, answers, respondents)
    if by not in respondents.columns:
        raise InputError("no such respondent column", column=by, expected=", ".join(respondents.columns))
    per = respondent_levels(framework, answers).merge(
        respondents[["respondent_id", by]].astype({"respondent_id": str}), on="respondent_id")
    return aggregate_levels(framework, per, by=by)


def element_by_department(framework: Framework, answers: pd.DataFrame,
                          respondents: pd.DataFrame) -> pd.DataFrame:
    """Wide table of element levels: rows are elements (by name), columns departments.

    Returns
    -------
    pandas.DataFrame
        Index ``element_name`` in framework order, one float column per department; the
        input of :func:`cxkit.plotting.maturity.heatmap` and the radar overlay.
    """
    long = levels_by_group(framework, answers, respondents, by="department")
    wide = long.pivot(index="element_name", columns="group", values="level")
    wide = wide.reindex([e.name for e in framework.elements])
    wide.columns.name = "department"
    return wide
