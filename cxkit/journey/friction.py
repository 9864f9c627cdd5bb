"""The friction map: customer effort by stage x channel, and by contact reason.

Effort is CES where the survey data has it; otherwise CSAT stands in and the summary
says so. Both are computed by :func:`cxkit.metrics.segments` (mean and top-2-box %, i.e.
% easy for CES), never here. Contact reasons come from the operations contacts table,
joined to responses on ``contact_id``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cxkit.errors import InputError
from cxkit.journey.html_view import section_html
from cxkit.journey.measured import metrics_engine
from cxkit.journey.responses import place_responses
from cxkit.journey.schema import Journey, channel_name

SEGMENT_COLUMNS = ["n", "mean", "value", "ci_low", "ci_high", "status"]
OPERATIONAL = ["wait_minutes", "transfers", "reopens", "handle_minutes"]
CONTACTS_FILE = "operations/contacts.csv"


@dataclass
class Friction:
    """Effort across the journey.

    Attributes
    ----------
    metric : str or None
        ``"ces"``, ``"csat"`` (stand-in) or None when neither is in the data.
    by_stage_channel : pandas.DataFrame
        ``stage, stage_name, channel, n, mean, value, ci_low, ci_high, status`` in stage
        order (``value`` is % easy for CES, top-2-box % for CSAT).
    by_contact_reason : pandas.DataFrame
        ``contact_reason, n, mean, value, ci_low, ci_high, status`` plus the mean of each
        operational measure present (``wait_minutes``...); empty without contacts.
    missing : list of str
        What could not be shown and why.
    """

    metric: str | None
    by_stage_channel: pd.DataFrame
    by_contact_reason: pd.DataFrame
    missing: list[str] = field(default_factory=list)

    @property
    def value_label(self) -> str:
        """What ``value`` means for the metric in use (e.g. ``"% easy"``)."""
        return {"ces": "% easy", "csat": "% satisfied"}.get(self.metric or "", "value")

    def summary(self) -> list[str]:
        """Return the friction story as short sentences in a consultant's voice."""
        if self.metric is None:
            return list(self.missing)
        out = [] if self.metric == "ces" else [
            "The survey data has no effort (CES) question, so satisfaction (CSAT) stands in for effort."]
        out += _extremes(self.by_stage_channel, self.metric, self.value_label,
                         lambda r: f"'{r.stage_name}' via {channel_name(r.channel)}")
        out += _extremes(self.by_contact_reason, self.metric, self.value_label,
                         lambda r: f"contacts about '{r.contact_reason}'")
        return out + self.missing

    def _repr_html_(self) -> str:
        return section_html("Friction map", self.summary(), [
            ("Effort by stage and channel", self.by_stage_channel),
            ("Effort by contact reason", self.by_contact_reason),
        ])


def _extremes(frame: pd.DataFrame, metric: str, label: str, describe: Any) -> list[str]:
    usable = frame[frame["status"].isin(["ok", "small"])].dropna(subset=["value"])
    if len(usable) < 2:
        return []
    ranked = usable.sort_values("value")
    low, high = ranked.iloc[0], ranked.iloc[-1]
    return [f"Effort is highest for {describe(low)}: {low.value:.0f}{label} "
            f"(mean {low['mean']:.1f}, n={int(low.n):,}), against {high.value:.0f}{label} for "
            f"{describe(high)} (n={int(high.n):,}) on {metric.upper()}."]


def effort_metric(rows: pd.DataFrame) -> str | None:
    """Return ``"ces"`` if the rows hold CES scores, else ``"csat"`` if they hold CSAT, else None.

    Examples
    --------
    >>> effort_metric(pd.DataFrame({"metric": ["nps", "csat"]}))
    'csat'
    """
    present = set(rows["metric"].astype(str))
    return next((m for m in ("ces", "csat") if m in present), None)


def _by_stage_channel(journey: Journey, rows: pd.DataFrame, metric: str, rules: Any) -> pd.DataFrame:
    seg = metrics_engine().segments(rows, metric, by=["stage", "channel"], rules=rules)
    seg = seg.assign(stage=seg["stage"].astype(str), channel=seg["channel"].astype(str))
    order = journey.stage_order()
    seg = seg[seg["stage"].isin(order)].copy()
    seg["stage_name"] = seg["stage"].map(journey.stage_names())
    seg = seg.sort_values(["stage", "channel"], key=lambda s: s.map(order) if s.name == "stage" else s)
    return seg[["stage", "stage_name", "channel", *SEGMENT_COLUMNS]].reset_index(drop=True)


def _check_contacts(contacts: pd.DataFrame) -> None:
    for column in ("contact_id", "contact_reason"):
        if column not in contacts.columns:
            raise InputError("the contacts table lacks a column the friction map needs",
                             file=CONTACTS_FILE, column=column,
                             expected="columns contact_id and contact_reason",
                             hint="Add the column or leave operations.contacts out of engagement.yaml")


def _by_contact_reason(rows: pd.DataFrame, contacts: pd.DataFrame, metric: str, rules: Any) -> pd.DataFrame:
    ops = [c for c in OPERATIONAL if c in contacts.columns]
    keyed = contacts[["contact_id", "contact_reason", *ops]].drop_duplicates("contact_id").assign(
        contact_id=lambda d: d["contact_id"].astype("string"))
    joined = rows.assign(contact_id=rows["contact_id"].astype("string")).merge(keyed, on="contact_id", how="inner")
    if joined.empty:
        return pd.DataFrame(columns=["contact_reason", *SEGMENT_COLUMNS, *ops])
    seg = metrics_engine().segments(joined, metric, by=["contact_reason"], rules=rules)
    seg = seg.assign(contact_reason=seg["contact_reason"].astype(str))
    means = joined.drop_duplicates("contact_id").groupby("contact_reason")[ops].mean()
    seg = seg.join(means, on="contact_reason")
    return seg[["contact_reason", *SEGMENT_COLUMNS, *ops]].sort_values("value").reset_index(drop=True)


def friction(journey: Journey, responses: pd.DataFrame | None,
             contacts: pd.DataFrame | None = None, rules: Any = None) -> Friction:
    """Build the friction map: effort by stage x channel and by contact reason.

    Parameters
    ----------
    journey : Journey
        A loaded journey (maps each response's touchpoint to its stage).
    responses : pandas.DataFrame or None
        The tidy responses table.
    contacts : pandas.DataFrame, optional
        The operations contacts table (``contact_id, contact_reason`` and optionally
        ``wait_minutes, transfers, reopens, handle_minutes``).
    rules : SampleRules, optional
        Sample-size rules passed on to :func:`cxkit.metrics.segments`.

    Returns
    -------
    Friction

    Raises
    ------
    InputError
        When ``contacts`` lacks ``contact_id`` or ``contact_reason``.
    """
    empty = pd.DataFrame(columns=["stage", "stage_name", "channel", *SEGMENT_COLUMNS])
    no_reason = pd.DataFrame(columns=["contact_reason", *SEGMENT_COLUMNS])
    if responses is None or responses.empty:
        return Friction(None, empty, no_reason, ["No survey data was provided, so the friction "
                                                 "map cannot be drawn yet."])
    placed = place_responses(journey, responses)
    metric = effort_metric(placed)
    if metric is None:
        return Friction(None, empty, no_reason, ["The survey data has neither CES nor CSAT, so "
                                                 "effort cannot be mapped."])
    rows = placed[placed["metric"].astype(str) == metric]
    placed_rows = rows[rows["stage"].notna()]
    table = _by_stage_channel(journey, placed_rows, metric, rules)
    missing = []
    if placed_rows.empty:
        missing.append(f"None of the {metric.upper()} responses name a touchpoint of the journey map, so effort "
                       "cannot be shown by stage and channel.")
    reasons = no_reason
    if contacts is None:
        missing.append("No contacts table was provided, so effort by contact reason is not shown.")
    elif "contact_id" not in rows.columns or rows["contact_id"].isna().all():
        missing.append("The survey responses carry no contact ids, so they cannot be joined to "
                       "contact reasons.")
    else:
        _check_contacts(contacts)
        reasons = _by_contact_reason(rows.dropna(subset=["contact_id"]), contacts, metric, rules)
    return Friction(metric, table, reasons, missing)
