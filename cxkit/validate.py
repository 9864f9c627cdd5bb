"""``cxkit validate``: check every input of a client without running any notebook."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from cxkit.errors import InputError
from cxkit.io.client import ClientFolder
from cxkit.report.wording import counted


class Validation(NamedTuple):
    """What ``cxkit validate`` found: problems stop a run; warnings do not, but the
    deliverable will lack something."""

    problems: list[str]
    notes: list[str]
    warnings: list[str]


def validate_client(client: str, client_data_dir: str | Path = "client_data") -> Validation:
    """Check a client's folder and report every problem found.

    Parameters
    ----------
    client : str
        The client's folder name.
    client_data_dir : str or Path
        The folder of client folders.

    Returns
    -------
    Validation
        Plain-words problems (empty when all is well), what was checked successfully, and
        what the deliverable will lack (a chapter that cannot say everything it could).
    """
    try:
        folder = ClientFolder(client, client_data_dir)
        engagement = folder.engagement
    except InputError as exc:
        return Validation([str(exc)], [], [])
    problems: list[str] = []
    notes = [f"engagement.yaml: {engagement.client}, {counted(len(engagement.surveys), 'survey source')}"]
    for label, check in _checks(folder).items():
        try:
            note = check()
        except InputError as exc:
            if str(exc) not in problems:  # one broken file can stop several checks: say it once
                problems.append(str(exc))
        else:
            if note:
                notes.append(f"{label}: {note}")
    warnings: list[str] = []
    if not problems:
        try:
            warnings = _journey_days(folder) + _value_case(folder)
        except InputError as exc:
            problems.append(str(exc))
    return Validation(problems, notes, warnings)


def _checks(folder: ClientFolder) -> dict[str, Callable[[], Any]]:
    return {
        "maturity model": lambda: _framework(folder),
        "intake": lambda: _intake(folder),
        "journey.yaml": lambda: _journey(folder),
        "logo": lambda: _logo(folder),
        "surveys": lambda: _surveys(folder),
        "themes.yaml": lambda: _themes(folder),
        "contacts": lambda: _rows(folder.contacts),
        "customers": lambda: _customers(folder),
        "cases": lambda: _cases(folder),
    }


def _framework(folder: ClientFolder) -> str:
    from cxkit.maturity import load_framework

    fw = load_framework(folder.engagement.framework, folder.root)
    return f"{fw.name} ({len(fw.elements)} elements)"


def _intake(folder: ClientFolder) -> str:
    from cxkit.chapters.maturity import assess

    answers = assess(folder).answers  # scored as chapter 1 scores them, so it fails as chapter 1 would
    people = answers["respondent_id"].nunique()
    return f"{counted(people, 'respondent')}, {counted(len(answers), 'answer')}"


def _journey(folder: ClientFolder) -> str:
    from cxkit.chapters.journey import journey_of

    journey = journey_of(folder)  # as chapter 2 loads it
    return f"{counted(len(journey.stages), 'stage')}, {counted(len(journey.touchpoints), 'touchpoint')}"


def _logo(folder: ClientFolder) -> str | None:
    from cxkit.io.logo import logo_data_uri

    return "embedded on every cover" if logo_data_uri(folder) else None


def _surveys(folder: ClientFolder) -> str:
    from cxkit.goals import check_focus

    if folder.large_sources():
        return _large_surveys(folder)
    data = folder.surveys
    check_focus(folder.engagement.goals, data.responses)  # as chapter 4 checks them
    excluded = int(data.quality["rows"].sum()) if len(data.quality) else 0
    return f"{data.responses['response_id'].nunique():,} usable responses; {excluded:,} rows or values excluded"


def _themes(folder: ClientFolder) -> str | None:
    from cxkit.text import load_taxonomy

    data = folder.themes_data()
    if data is None:
        return None
    taxonomy = load_taxonomy(data)  # as chapter 3 reads the client's own themes
    return f"{counted(len(taxonomy.themes), 'comment theme')}"


def _large_surveys(folder: ClientFolder) -> str:
    """Large exports are checked by the DuckDB path the chapters use, never loaded into pandas."""
    from cxkit.metrics import large
    from cxkit.surveys.mapping import score_specs

    survey = folder.survey_metrics
    metrics = dict.fromkeys(spec.metric for source, _ in survey.sources for spec in score_specs(source)
                            if not spec.metric.startswith("attr_"))
    counts = ", ".join(f"{metric} {large.summarise(survey, metric).n:,}" for metric in metrics)
    return f"large files, read through DuckDB: usable answers {counts}"


def _customers(folder: ClientFolder) -> str | None:
    from cxkit.roi import check_controls

    check_controls(folder.engagement.roi, folder.customers)  # as chapter 5 checks them
    return _rows(folder.customers)


def _cases(folder: ClientFolder) -> str | None:
    from cxkit.loop import clean_cases

    return None if folder.cases is None else _rows(clean_cases(folder.cases))


def _rows(frame: Any) -> str | None:
    return None if frame is None else f"{len(frame):,} rows"


def _journey_days(folder: ClientFolder) -> list[str]:
    """Over-surveying flags that rest on chapter 2's assumption, for want of typical days."""
    from cxkit.chapters.journey import journey_of
    from cxkit.journey.frequency import ASSUMED, over_surveyed_posts
    from cxkit.journey.rules import load_fit_rules

    journey, rules = journey_of(folder), load_fit_rules()  # runs only once every check has passed
    flags = over_surveyed_posts(journey, rules)
    assumed = flags[flags["basis"] == ASSUMED]
    if assumed.empty:
        return []
    ids = set(assumed["first_touchpoint"]) | set(assumed["second_touchpoint"])
    undated = [tp.name for tp in journey.touchpoints if tp.id in ids and tp.typical_day is None]
    return [f"journey.yaml: chapter 2 flags {counted(len(assumed), 'pair')} of surveys that may reach one customer "
            f"within {rules.asked_too_often.window_days} days only by assuming that consecutive touchpoints happen "
            f"the same day; a typical_day on {', '.join(undated)} would settle it"]


def _value_case(folder: ClientFolder) -> list[str]:
    """Chapter 5 without a money value: the figures neither the data nor engagement.yaml give."""
    from cxkit.roi import figures_needed, latest_nps_by_customer

    has_nps = any("nps" in source.metrics for source in folder.engagement.surveys)
    latest = latest_nps_by_customer(folder.survey_metrics) if has_nps else None
    needed = figures_needed(folder.engagement.roi, folder.customers, latest)
    if not needed:
        return []
    return [f"engagement.yaml: chapter 5 will put no money value on closing the gap: it needs "
            f"{', '.join('roi.' + n for n in needed)} (or operations/customers.csv with NPS answers to join)"]
