"""Metric-fit rules kept in data (``fit_rules.yaml``) and the check of each listening post.

The rules say which metric suits which kind of moment (effort for tasks, satisfaction for
discrete interactions, product satisfaction while a feature is in use, recommendation for
relationship moments only), which metrics to avoid straight after a support contact, and
the window within which two invitations count as asking the same customer too often.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cxkit.errors import InputError
from cxkit.config.pydantic_errors import expected, key_path
from cxkit.journey.schema import Channel, Journey, Kind, ListeningPost, Metric, Touchpoint, channel_name
from cxkit.io.yaml_files import SAFE_LOADER
from cxkit.report.wording import counted

FIT_COLUMNS = [
    "stage", "touchpoint", "touchpoint_name", "kind", "moment_that_matters", "metric",
    "trigger", "channel", "fits", "rule", "reason", "better_metric", "advice",
]


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MetricRule(_Rules):
    """What a metric measures, for reasons written to the client."""

    label: str
    measures: str


class KindRule(_Rules):
    """The metric that suits a kind of touchpoint, others that also fit, and the best survey channels."""

    label: str
    best: Metric
    also: list[Metric] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)


class SupportRule(_Rules):
    """Metrics to avoid right after a support contact, and how to spot such a trigger."""

    avoid: list[Metric]
    trigger_words: list[str]
    better_for_kind: dict[Kind, Metric]


class FrequencyRule(_Rules):
    """When a customer counts as asked too often."""

    window_days: int = Field(gt=0)
    warn_share: float = Field(ge=0, le=1)


class FitRules(_Rules):
    """All rules of ``fit_rules.yaml``."""

    metrics: dict[Metric, MetricRule]
    kinds: dict[Kind, KindRule]
    support_contact: SupportRule
    asked_too_often: FrequencyRule
    recommendation_priority: dict[str, int]


def load_fit_rules(data: Mapping[str, Any] | None = None, file: str = "fit_rules.yaml") -> FitRules:
    """Return the metric-fit rules, from a parsed YAML mapping or the packaged defaults.

    Parameters
    ----------
    data : mapping, optional
        A parsed rules file (e.g. a client's own copy). ``None`` reads the packaged
        ``cxkit/journey/fit_rules.yaml``.
    file : str
        Name used in error messages.

    Returns
    -------
    FitRules

    Raises
    ------
    InputError
        When a key is missing, unknown or of the wrong type.

    Examples
    --------
    >>> load_fit_rules().kinds["task"].best
    'ces'
    """
    if data is None:
        return _packaged_rules()
    try:
        return FitRules.model_validate(dict(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError("invalid metric-fit rule", file=file, column=key_path(err["loc"]),
                         expected=expected(err)) from None


@lru_cache(maxsize=1)
def _packaged_rules() -> FitRules:
    text = resources.files("cxkit.journey").joinpath("fit_rules.yaml").read_text(encoding="utf-8")
    return FitRules.model_validate(yaml.load(text, Loader=SAFE_LOADER))


def is_after_support(post: ListeningPost, rules: FitRules) -> bool:
    """Return True when a post is sent right after a support contact.

    Either the post says so (``after_support_contact: true``) or its trigger text contains
    one of the rules' support trigger words.

    Examples
    --------
    >>> p = ListeningPost(touchpoint="t", metric="nps", trigger="after the ticket is solved",
    ...                   channel="email")
    >>> is_after_support(p, load_fit_rules())
    True
    """
    trigger = post.trigger.casefold()
    return post.after_support_contact or any(w.casefold() in trigger for w in rules.support_contact.trigger_words)


def _judge(post: ListeningPost, tp: Touchpoint, rules: FitRules) -> tuple[bool, str, str, str | None]:
    """Return (fits, rule, reason, better_metric) for one post."""
    m = rules.metrics[post.metric]
    kind = rules.kinds[tp.kind]
    if post.metric in rules.support_contact.avoid and is_after_support(post, rules):
        better = rules.support_contact.better_for_kind[tp.kind]
        reason = (f"{m.label} is about {m.measures}, yet here it is sent right after a support "
                  f"contact, so answers mostly rate that one contact. Ask "
                  f"{rules.metrics[better].label} here and keep {m.label} for a relationship moment.")
        return False, "nps_after_support", reason, better
    if post.metric in kind.also:
        return True, "fits", (f"{m.label} also suits a {kind.label}: it captures {m.measures}; "
                              f"{rules.metrics[kind.best].label} is the usual choice."), None
    if post.metric != kind.best:
        best = rules.metrics[kind.best]
        reason = (f"'{tp.name}' is a {kind.label}, but {m.label} is about {m.measures}; "
                  f"{best.label} fits better because it captures {best.measures}.")
        return False, "kind_mismatch", reason, kind.best
    return True, "fits", f"{m.label} suits a {kind.label}: it captures {m.measures}.", None


def _channel_advice(post: ListeningPost, tp: Touchpoint, rules: FitRules) -> str | None:
    preferred = rules.kinds[tp.kind].channels
    if not preferred or post.channel in preferred:
        return None
    return (f"Sent by {channel_name(post.channel)}; for a {rules.kinds[tp.kind].label} it is better asked "
            f"{' or '.join(channel_name(c) for c in preferred)} while the customer is still in the moment.")


def metric_fit(journey: Journey, rules: FitRules | None = None) -> pd.DataFrame:
    """Check whether each listening post asks the metric that fits its moment.

    Parameters
    ----------
    journey : Journey
        A loaded journey.
    rules : FitRules, optional
        Defaults to the packaged ``fit_rules.yaml``.

    Returns
    -------
    pandas.DataFrame
        One row per listening post, in journey order, with columns ``stage, touchpoint,
        touchpoint_name, kind, moment_that_matters, metric, trigger, channel, fits`` (bool),
        ``rule`` (``fits``, ``kind_mismatch`` or ``nps_after_support``), ``reason``,
        ``better_metric`` (None when it fits) and ``advice`` (channel advice or None).

    Examples
    --------
    >>> j = Journey(stages=[{"id": "s", "name": "S"}],
    ...             touchpoints=[{"id": "t", "name": "Fix", "stage": "s", "channels": ["chat"],
    ...                           "owner": "Support", "kind": "task"}],
    ...             listening_posts=[{"touchpoint": "t", "metric": "csat",
    ...                               "trigger": "after chat", "channel": "email"}])
    >>> metric_fit(j)[["metric", "fits", "better_metric"]].values.tolist()
    [['csat', False, 'ces']]
    """
    rules = rules or load_fit_rules()
    by_id = journey.touchpoint_by_id()
    order = {t.id: i for i, t in enumerate(journey.ordered_touchpoints())}
    rows = []
    for post in sorted(journey.listening_posts, key=lambda p: (order.get(p.touchpoint, 0), p.timing_days)):
        tp = by_id[post.touchpoint]
        fits, rule, reason, better = _judge(post, tp, rules)
        rows.append({
            "stage": tp.stage, "touchpoint": tp.id, "touchpoint_name": tp.name, "kind": tp.kind,
            "moment_that_matters": tp.moment_that_matters, "metric": post.metric,
            "trigger": post.trigger, "channel": post.channel, "fits": fits, "rule": rule,
            "reason": reason, "better_metric": better, "advice": _channel_advice(post, tp, rules),
        })
    frame = pd.DataFrame(rows, columns=FIT_COLUMNS)
    return frame.astype({"fits": bool, "moment_that_matters": bool})


def fit_sentences(fit: pd.DataFrame) -> list[str]:
    """Summarise a :func:`metric_fit` table in a few plain sentences.

    Parameters
    ----------
    fit : pandas.DataFrame
        The output of :func:`metric_fit`.

    Returns
    -------
    list of str
    """
    if fit.empty:
        return ["No listening posts are declared, so there is nothing to check for metric fit yet."]
    bad = fit[~fit["fits"]]
    out = [f"{len(fit) - len(bad)} of {len(fit)} listening posts ask the metric that suits their moment."]
    support = bad[bad["rule"] == "nps_after_support"]
    if len(support):
        names = ", ".join(f"'{n}'" for n in support["touchpoint_name"])
        out.append(f"A relationship question follows a support contact at {names}; those answers "
                   "rate the contact more than the relationship.")
    mismatch = bad[bad["rule"] == "kind_mismatch"]
    for row in mismatch.itertuples():
        out.append(f"At '{row.touchpoint_name}' we would ask {str(row.better_metric).upper()} "
                   f"rather than {row.metric.upper()}.")
    advice = fit["advice"].dropna()
    if len(advice):
        out.append(f"{counted(len(advice), 'post')} would work better in another survey channel.")
    return out
