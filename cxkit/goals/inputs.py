"""Resolve the inputs of one goal proposal: defaults, engagement settings, parameters.

Precedence is parameter (``overrides``) over engagement (``GoalSettings``) over default.
Every input that is not the default is reported in plain words, with its source, so the
chapter can show what the consultant changed.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from cxkit.config.targets import GoalSettings
from cxkit.errors import InputError, closest
from cxkit.goals.timing import earliest_goal_date

OVERRIDE_KEYS = (
    "goal_date", "percent_of_opportunity", "hold_threshold", "target", "metric_kind",
    "expected_responses", "sd_fraction",
)


@dataclass(frozen=True)
class GoalInputs:
    """The resolved inputs of one proposal."""

    k: float
    sd_fraction: float
    hold_threshold: float | None
    fixed_target: float | None
    kind: str
    goal_date: date
    earliest_goal_date: date
    expected_n: int
    overridden: tuple[str, ...]


def _check_keys(overrides: Mapping[str, Any]) -> None:
    for key in overrides:
        if key not in OVERRIDE_KEYS:
            raise InputError(
                f"unknown goal override {key!r}", column=key,
                expected="one of " + ", ".join(OVERRIDE_KEYS), hint=closest(key, OVERRIDE_KEYS),
            )


def _pick(param: Any, engaged: Any, default: Any, describe) -> tuple[Any, str | None]:
    """Choose parameter > engagement > default and describe any departure."""
    if param is not None:
        return param, f"{describe(param)} (set as a parameter; default {describe(default)})"
    if engaged is not None and engaged != default:
        return engaged, f"{describe(engaged)} (set in the engagement; default {describe(default)})"
    return default, None


def _as_date(value: Any, name: str) -> date:
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError) as exc:
        raise InputError("not a date", column=name, found=str(value),
                         expected="a date such as 2026-06-30") from exc


def resolve_inputs(metric: str, settings: GoalSettings, overrides: Mapping[str, Any] | None,
                   as_of: date, current_n: int) -> GoalInputs:
    """Resolve every input of a proposal and list what departs from the defaults.

    Parameters
    ----------
    metric : str
        Headline metric id.
    settings : GoalSettings
        The engagement's goal settings.
    overrides : mapping, optional
        Parameter overrides; keys from ``OVERRIDE_KEYS``.
    as_of : date
        Date the goal is set.
    current_n : int
        Today's sample, the default expectation for the goal period.

    Returns
    -------
    GoalInputs
    """
    ov = dict(overrides or {})
    _check_keys(ov)
    defaults = GoalSettings()
    notes: list[str] = []

    def take(label, param, engaged, default, describe=str):
        value, note = _pick(param, engaged, default, describe)
        if note:
            notes.append(f"{label}: {note}")
        return value

    pct = lambda v: f"{float(v):g}%"  # noqa: E731
    k = float(take("percent of opportunity", ov.get("percent_of_opportunity"),
                   settings.percent_of_opportunity, defaults.percent_of_opportunity, pct))
    frac = float(take("share of a standard deviation", ov.get("sd_fraction"),
                      settings.sd_fraction, defaults.sd_fraction, lambda v: f"{float(v):g}"))
    threshold = take("hold threshold", ov.get("hold_threshold"),
                     settings.hold_threshold.get(metric), defaults.hold_threshold.get(metric),
                     lambda v: "none" if v is None else f"{float(v):g}")
    kind = take("metric kind", ov.get("metric_kind"), settings.kind_of(metric),
                defaults.kind_of(metric))
    if kind not in ("transactional", "relationship"):
        raise InputError("unknown metric kind", column="metric_kind", found=str(kind),
                         expected="transactional or relationship")
    fixed = take("fixed target", ov.get("target"), settings.targets.get(metric), None,
                 lambda v: "none" if v is None else f"{float(v):g}")
    expected = take("expected responses per quarter", ov.get("expected_responses"),
                    settings.expected_responses_per_quarter.get(metric), int(current_n),
                    lambda v: f"{int(v)}")
    earliest = earliest_goal_date(kind, as_of, settings.lead_quarters)
    param_date = _as_date(ov["goal_date"], "goal_date") if ov.get("goal_date") else None
    goal_date = take("goal date", param_date, settings.goal_date, earliest,
                     lambda v: pd.Timestamp(v).strftime("%d %b %Y"))
    if goal_date <= as_of:
        raise InputError("the goal date must lie after the date the goal is set",
                         column="goal_date", found=str(goal_date), expected=f"after {as_of}")
    return GoalInputs(
        k=k, sd_fraction=frac, hold_threshold=None if threshold is None else float(threshold),
        fixed_target=None if fixed is None else float(fixed), kind=str(kind),
        goal_date=goal_date, earliest_goal_date=earliest, expected_n=int(expected),
        overridden=tuple(notes),
    )


def check_focus(settings: GoalSettings, responses: pd.DataFrame) -> None:
    """Refuse a focus segment or touchpoint that no survey answer carries.

    A misspelt name would otherwise read as "too few answers for a goal of its own".

    Parameters
    ----------
    settings : GoalSettings
        The engagement's ``goals`` section.
    responses : DataFrame
        The tidy responses (``segment`` and ``touchpoint`` columns).

    Raises
    ------
    InputError
        Naming the key, the name and the values the answers do carry.
    """
    for column, names in (("segment", settings.focus_segments), ("touchpoint", settings.focus_touchpoints)):
        present = sorted(responses[column].dropna().astype(str).unique()) if column in responses else []
        for position, name in enumerate(names):
            if name not in present:
                raise InputError(f"no survey answer carries this {column}", file="engagement.yaml",
                                 column=f"goals.focus_{column}s[{position}]", found=name,
                                 expected="one of " + ", ".join(present) if present else f"answers with a {column}",
                                 hint=closest(name, present) or None)
