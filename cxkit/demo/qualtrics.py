"""The relationship survey in Qualtrics' CSV export layout.

Row 1 holds column names, row 2 question texts and row 3 ImportId JSON; embedded data
(Segment, Region, Touchpoint, Channel) comes last, as Qualtrics writes it.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from cxkit.demo.comments import CommentPool
from cxkit.demo.ids import qualtrics_ids
from cxkit.demo.relationship import ATTRIBUTES
from cxkit.demo.writers import format_times

TIME_ZONE = "America/Denver"
_ATTRIBUTE_TEXT = ("Ease of use", "Speed", "Staff knowledge", "Reliability",
                   "Value for money", "Support")


def layout(client: str) -> list[tuple[str, str, dict[str, str]]]:
    """Return (column, question text, ImportId object) for every export column, in order.

    Examples
    --------
    >>> layout("Acme")[0]
    ('StartDate', 'Start Date', {'ImportId': 'startDate', 'timeZone': 'America/Denver'})
    """
    tz = {"timeZone": TIME_ZONE}
    cols = [
        ("StartDate", "Start Date", {"ImportId": "startDate", **tz}),
        ("EndDate", "End Date", {"ImportId": "endDate", **tz}),
        ("Status", "Response Type", {"ImportId": "status"}),
        ("Progress", "Progress", {"ImportId": "progress"}),
        ("Duration (in seconds)", "Duration (in seconds)", {"ImportId": "duration"}),
        ("Finished", "Finished", {"ImportId": "finished"}),
        ("RecordedDate", "Recorded Date", {"ImportId": "recordedDate", **tz}),
        ("ResponseId", "Response ID", {"ImportId": "_recordId"}),
        ("ExternalReference", "External Data Reference", {"ImportId": "externalDataReference"}),
        ("DistributionChannel", "Distribution Channel", {"ImportId": "distributionChannel"}),
        ("UserLanguage", "User Language", {"ImportId": "userLanguage"}),
        ("Q_NPS", f"How likely is it that you would recommend {client} to a friend or "
                  "colleague?", {"ImportId": "QID1"}),
        ("Q_NPS_WHY", "What is the most important reason for your score?",
         {"ImportId": "QID2_TEXT"}),
    ]
    for k, text in enumerate(_ATTRIBUTE_TEXT, start=1):
        cols.append((f"Q_ATTR_{k}", f"How would you rate {client} on the following? - {text}",
                     {"ImportId": f"QID3_{k}"}))
    for name in ("Segment", "Region", "Touchpoint", "Channel"):
        cols.append((name, name, {"ImportId": name}))
    return cols


def header_rows(client: str) -> list[list[str]]:
    """Return the three header rows (names, question texts, ImportId JSON)."""
    cols = layout(client)
    return [[c[0] for c in cols], [c[1] for c in cols],
            [json.dumps(c[2], separators=(",", ":")) for c in cols]]


def relationship_export(frame: pd.DataFrame, customers: pd.DataFrame, pool: CommentPool,
                        seed: int, text_dates: bool) -> pd.DataFrame:
    """Turn internal relationship responses into the export columns.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`cxkit.demo.relationship.make_relationship` (possibly a slice,
        possibly with planted problem rows; ``customer_no`` -1 = no customer).
    customers : pandas.DataFrame
        The customer table (for id, segment and region).
    pool : CommentPool
        Comment texts.
    seed : int
        Salt of the response ids.
    text_dates : bool
        Format dates as text (CSV) rather than keep timestamps (Parquet).
    """
    cust = frame["customer_no"].to_numpy()
    known = cust >= 0
    recorded = frame["recorded_at"].to_numpy()
    started = recorded - frame["duration_s"].to_numpy().astype("timedelta64[s]")
    dates = format_times if text_dates else (lambda values: values)
    preview = frame["status"].to_numpy() == "Survey Preview"
    out = {
        "StartDate": dates(started), "EndDate": dates(recorded),
        "Status": frame["status"].astype(str).to_numpy(),
        "Progress": frame["progress"].to_numpy().astype(np.int64),
        "Duration (in seconds)": frame["duration_s"].to_numpy().astype(np.int64),
        "Finished": np.where(frame["finished"].to_numpy(), "True", "False"),
        "RecordedDate": dates(recorded),
        "ResponseId": qualtrics_ids(frame["response_no"].to_numpy(), seed),
        "ExternalReference": _lookup(customers["customer_id"].to_numpy(), cust, known),
        "DistributionChannel": np.where(preview, "preview", "email"),
        "UserLanguage": "EN",
        "Q_NPS": _whole(frame["nps"]),
        "Q_NPS_WHY": pd.Categorical.from_codes(frame["comment"].to_numpy(), pool.texts),
    }
    for k, name in enumerate(ATTRIBUTES, start=1):
        out[f"Q_ATTR_{k}"] = _whole(frame[f"attr_{name}"])
    for column, source in (("Segment", "segment"), ("Region", "region")):
        out[column] = _category_lookup(customers[source], cust)
    out["Touchpoint"] = frame["touchpoint"].to_numpy()
    out["Channel"] = frame["channel"].to_numpy()
    return pd.DataFrame(out)


def _whole(values: pd.Series) -> pd.array:
    """Float scores with NaN as nullable integers."""
    return pd.array(values.to_numpy(dtype=float), dtype="Float64").astype("Int64")


def _lookup(table: np.ndarray, index: np.ndarray, known: np.ndarray) -> np.ndarray:
    """``table[index]`` with None where the index is unknown."""
    out = table[np.where(known, index, 0)].astype(object)
    out[~known] = None
    return out


def _category_lookup(column: pd.Series, index: np.ndarray) -> pd.Categorical:
    """Categorical ``column[index]``; -1 gives a missing value."""
    codes = column.cat.codes.to_numpy()[np.maximum(index, 0)]
    return pd.Categorical.from_codes(np.where(index >= 0, codes, -1), column.cat.categories)
