"""Closing the loop: were low scores followed up, and how fast?

A low score should raise an alert (a *case*), be assigned to an owning team and move through
``new`` -> ``in_progress`` -> ``closed``. A case that is not closed and whose ``due_at`` lies
before the reporting date is *overdue*; in the status counts an overdue case is counted as
``overdue`` instead of its recorded status, so the four counts add up to the number of cases.

Cases table (``operations/cases.csv``): ``case_id, response_id, customer_id, created_at,
first_contact_at, closed_at, status, owner_team, due_at``; the datetimes may be empty.
"""
from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from cxkit.config.loop import DEFAULT_ALERT_AT_OR_BELOW
from cxkit.errors import InputError, closest
from cxkit.report.wording import counted, verb

CASE_COLUMNS = ("case_id", "response_id", "customer_id", "created_at", "first_contact_at", "closed_at",
                "status", "owner_team", "due_at")
STATUSES = ("new", "in_progress", "closed", "overdue")
_DATE_COLUMNS = ("created_at", "first_contact_at", "closed_at", "due_at")
_UNASSIGNED = "(unassigned)"
_CASES_FILE = "operations/cases.csv"
ALERT_CUTOFFS: Mapping[str, float] = MappingProxyType(DEFAULT_ALERT_AT_OR_BELOW)
"""Default alert rule: the highest score that should raise an alert, per metric (the
engagement's ``loop.alert_at_or_below`` replaces it)."""


@dataclass(frozen=True, eq=False)
class LoopSummary:
    """How well low scores were followed up, as of one date.

    Attributes
    ----------
    as_of : pandas.Timestamp
        The reporting date; cases created later are ignored.
    target_hours : float
        Target time from alert to first contact.
    alerts : int
        Cases raised.
    alerts_expected : int
        Responses that should have raised an alert (see :func:`alerts_expected`).
    alerts_linked : int or None
        Of those, how many have a case that names them (``response_id``); None when the
        cases name no response, so that coverage cannot be checked.
    followed_up : int
        Cases with a first contact by ``as_of``.
    pct_followed_up : float or None
        ``100 * followed_up / alerts``.
    pct_alerted : float or None
        ``100 * alerts_linked / alerts_expected``: the share of low scores followed by a case.
    median_hours_to_first_contact : float or None
        Over the followed-up cases.
    past_target : int
        Cases whose first contact came later than the target, plus cases still without a first
        contact that are already older than the target.
    pct_past_target : float or None
        ``past_target`` as a share of the cases whose outcome is known (contacted, or older
        than the target); cases younger than the target and not yet contacted are left out.
    status_counts : dict
        Counts for ``new``, ``in_progress``, ``closed`` and ``overdue``.
    overdue_by_team : pandas.DataFrame
        ``owner_team, open_cases, overdue_cases, max_days_overdue``, most overdue first.
    """

    as_of: pd.Timestamp
    target_hours: float
    alerts: int
    alerts_expected: int
    alerts_linked: int | None
    followed_up: int
    pct_followed_up: float | None
    pct_alerted: float | None
    median_hours_to_first_contact: float | None
    past_target: int
    pct_past_target: float | None
    status_counts: dict[str, int]
    overdue_by_team: pd.DataFrame = field(repr=False)

    def summary(self) -> list[str]:
        """The findings in plain sentences (unescaped text)."""
        if self.alerts == 0:
            expected = (f" although {counted(self.alerts_expected, 'low score')} should have raised one"
                        if self.alerts_expected else "")
            return [f"No alerts were raised by {self.as_of:%d %B %Y}{expected}."]
        lines = [_coverage_sentence(self), _follow_up_sentence(self)]
        if self.pct_past_target is not None:
            lines.append(f"{counted(self.past_target, 'case')} ({self.pct_past_target:.0f}% of those that could be judged) "
                         f"missed the {self.target_hours:g}-hour target for a first contact.")
        lines.append(_status_sentence(self))
        return lines

    def key_figures(self) -> pd.DataFrame:
        """The figures behind the sentences, as ``measure, value`` text (for a table)."""
        linked = "n/a" if self.alerts_linked is None else str(self.alerts_linked)
        rows = [("Alerts raised", str(self.alerts)), ("Low scores that should raise an alert", str(self.alerts_expected)),
                ("Low scores with a case", linked), ("Share of low scores alerted", _pct(self.pct_alerted)),
                ("Share followed up", _pct(self.pct_followed_up)),
                ("Median hours to first contact", _num(self.median_hours_to_first_contact)),
                (f"Share past the {self.target_hours:g}-hour target", _pct(self.pct_past_target))]
        rows += [(f"Status: {s.replace('_', ' ')}", str(self.status_counts[s])) for s in STATUSES]
        return pd.DataFrame(rows, columns=["measure", "value"])

    def _repr_html_(self) -> str:
        key_figures = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                              for k, v in self.key_figures().itertuples(index=False))
        sentences = "".join(f"<li>{html.escape(s)}</li>" for s in self.summary())
        return (f"<div class='cx-loop'><h4>Closing the loop, as of {self.as_of:%d %B %Y}</h4>"
                f"<ul>{sentences}</ul><table>{key_figures}</table>{_team_table(self.overdue_by_team)}</div>")


def loop_summary(cases: pd.DataFrame, alerts_expected: int, as_of: pd.Timestamp | str,
                 target_hours: float = 24, low: pd.DataFrame | None = None) -> LoopSummary:
    """Summarise follow-up of alerts (cases) as of a date.

    Parameters
    ----------
    cases : pandas.DataFrame
        The cases table (module docstring); datetimes as datetime or parseable text.
    alerts_expected : int
        Responses that should have raised an alert (:func:`alerts_expected`).
    as_of : pandas.Timestamp or str
        Reporting date; cases created after it are ignored, contacts after it do not count.
    target_hours : float
        Target hours from alert to first contact (24 is common practice).
    low : pandas.DataFrame, optional
        Those responses themselves (:func:`low_scores`): the share of low scores alerted
        counts the ones a case names by ``response_id`` (as the survey export wrote it).
        Without them, or when no case names a response, that share is not known: a count
        of cases against a count of low scores would not say which scores were followed.

    Returns
    -------
    LoopSummary

    Raises
    ------
    InputError
        Missing columns, unreadable dates, unknown statuses, or a first contact before the
        case was created; the error names the row (as a spreadsheet shows it) and column.

    Examples
    --------
    >>> cases = pd.DataFrame({"case_id": ["c1", "c2"], "response_id": ["r1", "r2"], "customer_id": ["k1", "k2"],
    ...     "created_at": ["2026-01-01 09:00", "2026-01-02 09:00"], "first_contact_at": ["2026-01-01 15:00", None],
    ...     "closed_at": [None, None], "status": ["in_progress", "new"], "owner_team": ["Support", "Sales"],
    ...     "due_at": ["2026-01-08", "2026-01-05"]})
    >>> low = pd.DataFrame({"response_id": ["r1", "r3", "r4", "r5"]})
    >>> s = loop_summary(cases, alerts_expected=4, as_of="2026-01-10", low=low)
    >>> s.pct_followed_up, s.median_hours_to_first_contact, s.status_counts["overdue"], s.alerts_linked, s.pct_alerted
    (50.0, 6.0, 2, 1, 25.0)
    """
    as_of = pd.Timestamp(as_of)
    table = clean_cases(cases)
    table = table[table["created_at"] <= as_of]
    contacted = table["first_contact_at"].notna() & (table["first_contact_at"] <= as_of)
    hours = (table["first_contact_at"] - table["created_at"]).dt.total_seconds() / 3600
    age = (as_of - table["created_at"]).dt.total_seconds() / 3600
    late = (contacted & (hours > target_hours)) | (~contacted & (age > target_hours))
    judged = contacted | (age > target_hours)
    overdue = (table["status"] == "overdue") | (
        (table["status"] != "closed") & table["due_at"].notna() & (table["due_at"] < as_of))
    effective = table["status"].where(~overdue, "overdue")
    n = len(table)
    linked = _linked(table, low)
    return LoopSummary(
        as_of=as_of, target_hours=target_hours, alerts=n, alerts_expected=int(alerts_expected),
        alerts_linked=linked, followed_up=int(contacted.sum()), pct_followed_up=_share(contacted.sum(), n),
        pct_alerted=None if linked is None else _share(linked, alerts_expected),
        median_hours_to_first_contact=_median(hours[contacted]), past_target=int(late.sum()),
        pct_past_target=_share(late.sum(), judged.sum()),
        status_counts={s: int((effective == s).sum()) for s in STATUSES},
        overdue_by_team=_overdue_by_team(table, overdue, as_of),
    )


def _linked(cases: pd.DataFrame, low: pd.DataFrame | None) -> int | None:
    """How many of the low scores a case names; None when that cannot be told.

    A case names a response as its survey export wrote the id; where several exports are
    combined, cxkit's own id puts the source in front (``relationship:R_1``), so both
    forms count.
    """
    named = cases["response_id"].dropna().astype(str).str.strip() if "response_id" in cases else pd.Series(dtype=str)
    named = set(named[named != ""])
    if low is None or not named:
        return None
    from cxkit.surveys.survey_data import export_ids

    ids = low["response_id"].astype(str)
    exported = export_ids(ids, low["source"]) if "source" in low else ids
    return int(sum(full in named or raw in named for full, raw in zip(ids, exported)))


def alerts_expected(responses_long: pd.DataFrame, cutoffs: Mapping[str, float] | None = None, *,
                    start: pd.Timestamp | str | None = None, end: pd.Timestamp | str | None = None) -> int:
    """How many responses should have raised an alert.

    Parameters
    ----------
    responses_long, cutoffs, start, end
        As for :func:`low_scores`.

    Returns
    -------
    int
        The number of rows :func:`low_scores` gives.

    Examples
    --------
    >>> long = pd.DataFrame({"response_id": ["a", "a", "b", "c"], "metric": ["nps", "csat", "nps", "csat"],
    ...                      "score": [5, 1, 9, 2]})
    >>> alerts_expected(long), alerts_expected(long, {"nps": 6})
    (2, 1)
    """
    return len(low_scores(responses_long, cutoffs, start=start, end=end))


def low_scores(responses_long: pd.DataFrame, cutoffs: Mapping[str, float] | None = None, *,
               start: pd.Timestamp | str | None = None, end: pd.Timestamp | str | None = None) -> pd.DataFrame:
    """The responses that should have raised an alert.

    A response needs an alert when any of its scores is at or below the cut-off for that
    metric (the engagement's ``loop.alert_at_or_below``): by default NPS 0-6 (detractors)
    and CSAT 1-2 on a 1-5 scale. Cut-offs are in the units of the survey's own scale; a
    metric without one raises no alert (CES has none by default; on a 1-7 "how easy"
    scale 1-2 is a common rule).

    Parameters
    ----------
    responses_long : pandas.DataFrame
        The tidy responses table (``response_id``, ``metric``, ``score``; ``source`` and
        ``date`` when present).
    cutoffs : mapping of str to float, optional
        Highest score that raises an alert, per metric (default :data:`ALERT_CUTOFFS`).
    start, end : Timestamp or str, optional
        Only count responses dated within [start, end] (needs ``date``).

    Returns
    -------
    pandas.DataFrame
        One row per distinct response (per source, when there is a ``source`` column):
        ``source`` and ``response_id``, as text.

    Examples
    --------
    >>> long = pd.DataFrame({"response_id": ["a", "a", "b", "c"], "metric": ["nps", "csat", "nps", "csat"],
    ...                      "score": [5, 1, 9, 2]})
    >>> low_scores(long)["response_id"].tolist()
    ['a', 'c']
    """
    missing = [c for c in ("response_id", "metric", "score") if c not in responses_long.columns]
    if missing:
        raise InputError("the responses table lacks columns needed to count alerts", column=missing[0],
                         expected="response_id, metric and score", hint=closest(missing[0], responses_long.columns))
    rows = _within(responses_long, start, end)
    metric = rows["metric"].astype(str)
    score = pd.to_numeric(rows["score"], errors="coerce")
    low = pd.Series(False, index=rows.index)
    for name, cutoff in (ALERT_CUTOFFS if cutoffs is None else cutoffs).items():
        low |= (metric == name) & (score <= cutoff)
    keys = ["source", "response_id"] if "source" in rows.columns else ["response_id"]
    return rows.loc[low, keys].astype(str).drop_duplicates().reset_index(drop=True)


def describe_rule(cutoffs: Mapping[str, float], target_hours: float) -> str:
    """The alert rule and the contact target in one plain sentence.

    Examples
    --------
    >>> print(describe_rule({"nps": 6, "csat": 2}, 24))  # doctest: +NORMALIZE_WHITESPACE
    An answer should raise an alert when NPS is 6 or lower or CSAT is 2 or lower
    (on its survey's own scale); a first contact is due within 24 hours.
    """
    target = f"a first contact is due within {target_hours:g} hours."
    if not cutoffs:
        return "No score is set to raise an alert; " + target
    parts = " or ".join(f"{name.upper()} is {value:g} or lower" for name, value in cutoffs.items())
    return f"An answer should raise an alert when {parts} (on its survey's own scale); {target}"


def _within(rows: pd.DataFrame, start: pd.Timestamp | str | None, end: pd.Timestamp | str | None) -> pd.DataFrame:
    if start is None and end is None:
        return rows
    if "date" not in rows.columns:
        raise InputError("a date range was given but the responses have no date column", column="date")
    dates = pd.to_datetime(rows["date"], errors="coerce")
    keep = pd.Series(True, index=rows.index)
    if start is not None:
        keep &= dates >= pd.Timestamp(start)
    if end is not None:
        keep &= dates <= pd.Timestamp(end)
    return rows[keep]


def clean_cases(cases: pd.DataFrame) -> pd.DataFrame:
    """Check the follow-up cases and normalise their dates and statuses.

    Parameters
    ----------
    cases : pandas.DataFrame
        ``operations/cases.csv`` as read (see :data:`cxkit.io.tables.CASES`).

    Returns
    -------
    pandas.DataFrame
        Dates parsed; status one of new, in_progress, closed, overdue (inferred from the
        dates when blank); owner team filled in.

    Raises
    ------
    InputError
        Naming the row and column of a missing column, an unreadable date, an unknown
        status, or dates out of order (contacted or closed before the case was created).
    """
    missing = [c for c in CASE_COLUMNS if c not in cases.columns]
    if missing:
        raise InputError(f"the cases file lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                         file=_CASES_FILE, column=missing[0], expected=", ".join(CASE_COLUMNS),
                         hint=closest(missing[0], cases.columns))
    table = cases.reset_index(drop=True).copy()
    for column in _DATE_COLUMNS:
        table[column] = _dates(table[column], column)
    _check_required_created(table)
    table["status"] = _statuses(table)
    table["owner_team"] = table["owner_team"].astype(object).where(table["owner_team"].notna(), _UNASSIGNED)
    _check_order(table)
    return table


def _dates(values: pd.Series, column: str) -> pd.Series:
    parsed = pd.to_datetime(values, errors="coerce")
    given = values.notna() & (values.astype(str).str.strip() != "")
    bad = given & parsed.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError("this is not a date and time", file=_CASES_FILE, row=row + 2, column=column,
                         found=str(values.iloc[row]), expected="e.g. 2026-03-31 14:05")
    return parsed


def _check_required_created(table: pd.DataFrame) -> None:
    if table["created_at"].isna().any():
        row = int(np.flatnonzero(table["created_at"].isna().to_numpy())[0])
        raise InputError("every case needs the date it was created", file=_CASES_FILE, row=row + 2,
                         column="created_at", found="(empty)", expected="a date and time")


def _statuses(table: pd.DataFrame) -> pd.Series:
    raw = table["status"].astype(object)
    text = raw.where(raw.notna(), "").astype(str).str.strip().str.lower().str.replace(r"[\s\-]+", "_", regex=True)
    text = text.replace({"inprogress": "in_progress", "open": "in_progress", "done": "closed", "resolved": "closed"})
    inferred = np.where(table["closed_at"].notna(), "closed",
                        np.where(table["first_contact_at"].notna(), "in_progress", "new"))
    text = text.where(text != "", pd.Series(inferred, index=table.index))
    unknown = ~text.isin(STATUSES)
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError("unknown case status", file=_CASES_FILE, row=row + 2, column="status",
                         found=str(raw.iloc[row]), expected="new, in_progress, closed or overdue")
    return text


def _check_order(table: pd.DataFrame) -> None:
    for column, message in (("first_contact_at", "the first contact is dated before the case was created"),
                            ("closed_at", "the case is closed before it was created")):
        early = table[column] < table["created_at"]
        if early.any():
            row = int(np.flatnonzero(early.to_numpy())[0])
            raise InputError(message, file=_CASES_FILE,
                             row=row + 2, column=column, found=str(table[column].iloc[row]),
                             expected=f"on or after {table['created_at'].iloc[row]}")


def _overdue_by_team(table: pd.DataFrame, overdue: pd.Series, as_of: pd.Timestamp) -> pd.DataFrame:
    open_cases = table[table["status"] != "closed"]
    days_over = ((as_of - table["due_at"]).dt.total_seconds() / 86400).where(overdue)
    frame = pd.DataFrame({"owner_team": open_cases["owner_team"].astype(str),
                          "overdue": overdue[open_cases.index], "days_over": days_over[open_cases.index]})
    grouped = frame.groupby("owner_team", sort=True).agg(
        open_cases=("overdue", "size"), overdue_cases=("overdue", "sum"), max_days_overdue=("days_over", "max"))
    grouped = grouped.reset_index().astype({"open_cases": int, "overdue_cases": int})
    grouped["max_days_overdue"] = grouped["max_days_overdue"].round(1)
    return grouped.sort_values(["overdue_cases", "owner_team"], ascending=[False, True], kind="stable"
                               ).reset_index(drop=True)


def _share(part: float, whole: float) -> float | None:
    return round(100 * float(part) / float(whole), 1) if whole else None


def _median(values: pd.Series) -> float | None:
    return round(float(values.median()), 1) if len(values) else None


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _coverage_sentence(s: LoopSummary) -> str:
    raised = f"{counted(s.alerts, 'alert')} {verb(s.alerts, 'was', 'were')} raised"
    if not s.alerts_expected:
        return f"{raised} by {s.as_of:%d %B %Y}."
    if s.alerts_linked is None:
        return (f"{raised} and {counted(s.alerts_expected, 'low score')} should have raised one; "
                "the cases do not name the responses they follow, so which low scores they cover cannot be "
                "checked.")
    if s.alerts_linked == s.alerts_expected == 1:
        share = "The 1 low score that should have raised an alert has a case"
    elif s.alerts_linked == s.alerts_expected:
        share = f"All {s.alerts_expected:,} low scores that should have raised an alert have a case"
    else:
        share = (f"{s.alerts_linked:,} of the {counted(s.alerts_expected, 'low score')} that should have raised an "
                 f"alert {verb(s.alerts_linked, 'has', 'have')} a case ({_pct(s.pct_alerted)})")
    return f"{share}; {raised} in all."


def _follow_up_sentence(s: LoopSummary) -> str:
    text = (f"{s.followed_up:,} of {counted(s.alerts, 'case')} ({_pct(s.pct_followed_up)}) "
            f"{verb(s.followed_up, 'has', 'have')} had a first contact")
    if s.median_hours_to_first_contact is None:
        return text + "."
    return text + f", after a median of {s.median_hours_to_first_contact:.1f} hours."


def _status_sentence(s: LoopSummary) -> str:
    c = s.status_counts
    text = f"Status: {c['new']} new, {c['in_progress']} in progress, {c['closed']} closed and {c['overdue']} overdue"
    worst = s.overdue_by_team[s.overdue_by_team["overdue_cases"] > 0]
    if worst.empty:
        return text + "."
    top = worst.iloc[0]
    return text + f"; the team with most overdue cases is {top['owner_team']} ({int(top['overdue_cases']):,})."


def _team_table(teams: pd.DataFrame) -> str:
    if teams.empty:
        return ""
    head = "<tr><th>Owner team</th><th>Open cases</th><th>Overdue</th><th>Most days overdue</th></tr>"
    body = "".join(
        f"<tr><td>{html.escape(str(r.owner_team))}</td><td>{r.open_cases}</td><td>{r.overdue_cases}</td>"
        f"<td>{_num(None if pd.isna(r.max_days_overdue) else r.max_days_overdue)}</td></tr>"
        for r in teams.itertuples())
    return f"<table>{head}{body}</table>"
