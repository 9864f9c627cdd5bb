"""Join operational contact records to survey responses.

Two routes, tried in order for every response:

1. **contact id** - the response names the contact it is about and that contact exists
   in ``operations/contacts.csv``;
2. **customer window** - otherwise, the most recent contact of the same customer opened
   at most ``window_days`` days *before* the response (``pd.merge_asof`` by customer,
   direction backward, with a tolerance). A response stamped with a date only
   (midnight) is treated as given at the end of that day, so a contact opened the same
   afternoon still counts as "before".

Responses that neither route can link stay in the frame with empty contact columns, so
the share that could be joined is always visible.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd

from cxkit.drivers.html_table import result_html
from cxkit.errors import InputError

CONTACT_COLUMNS: tuple[str, ...] = (
    "contact_id", "customer_id", "opened_at", "channel", "contact_reason", "wait_minutes",
    "transfers", "reopens", "handle_minutes", "resolved_first_contact",
)
_NUMERIC = ("wait_minutes", "transfers", "reopens", "handle_minutes", "resolved_first_contact")
_CONTACTS_FILE = "operations/contacts.csv"
ROUTE_ID = "contact_id"
ROUTE_WINDOW = "customer_window"


@dataclass(frozen=True)
class JoinResult:
    """Survey responses with their linked contact, and how many could be linked.

    Attributes
    ----------
    frame : DataFrame
        One row per response: the response columns, ``linked_contact_id``,
        ``opened_at``, ``contact_channel``, ``contact_reason``, the operational measures
        and ``join_route`` (``"contact_id"``, ``"customer_window"`` or missing).
    joined_share : float
        Share (0..1) of responses linked by either route.
    by_contact_id : int
        Number of responses linked by their contact id.
    by_customer_window : int
        Number of responses linked by customer within the window.
    window_days : int
        The window used for the customer route.
    """

    frame: pd.DataFrame
    joined_share: float
    by_contact_id: int
    by_customer_window: int
    window_days: int

    @property
    def n_responses(self) -> int:
        """Number of responses offered to the join."""
        return len(self.frame)

    def summary(self) -> list[str]:
        """Plain-language sentences on how many responses were linked and how.

        Returns
        -------
        list of str
        """
        n = self.n_responses
        joined = self.by_contact_id + self.by_customer_window
        return [
            f"{joined:,} of {n:,} survey responses ({self.joined_share:.0%}) could be linked "
            "to a contact record.",
            f"{self.by_contact_id:,} by the contact id on the response, "
            f"{self.by_customer_window:,} by the customer's latest contact in the "
            f"{self.window_days} days before answering.",
        ]

    def _repr_html_(self) -> str:
        table = pd.DataFrame({
            "route": ["contact id", f"customer, {self.window_days}-day window", "not linked"],
            "responses": [self.by_contact_id, self.by_customer_window,
                          self.n_responses - self.by_contact_id - self.by_customer_window],
        })
        return result_html("Survey responses linked to contacts", self.summary(), table)


def join_contacts(responses_wide: pd.DataFrame, contacts: pd.DataFrame,
                  window_days: int = 7) -> JoinResult:
    """Link each survey response to one operational contact.

    Parameters
    ----------
    responses_wide : DataFrame
        One row per response (see :func:`cxkit.drivers.wide.wide_scores`); needs
        ``response_id`` and ``date``, and uses ``contact_id`` and ``customer_id`` when
        present.
    contacts : DataFrame
        The contacts table (``operations/contacts.csv`` columns).
    window_days : int, default 7
        How many days before the response a customer's contact may have been opened
        to be linked by the customer route.

    Returns
    -------
    JoinResult
        The joined frame (same rows and order as ``responses_wide``) and the counts.

    Raises
    ------
    InputError
        If a column is missing, a date does not parse, or a contact id repeats.

    Examples
    --------
    >>> r = pd.DataFrame({"response_id": ["a"], "date": pd.to_datetime(["2025-01-05"]),
    ...                   "customer_id": ["c1"], "contact_id": [None], "csat": [4.0]})
    >>> c = pd.DataFrame({"contact_id": ["k1"], "customer_id": ["c1"],
    ...     "opened_at": pd.to_datetime(["2025-01-03"]), "channel": ["phone"],
    ...     "contact_reason": ["billing"], "wait_minutes": [5.0], "transfers": [1],
    ...     "reopens": [0], "handle_minutes": [12.0], "resolved_first_contact": [1]})
    >>> join_contacts(r, c).by_customer_window
    1
    """
    if window_days < 0:
        raise InputError("The join window cannot be negative", column="join_window_days",
                         found=str(window_days), expected="0 or more days")
    responses = _prepare_responses(responses_wide)
    prepared = _prepare_contacts(contacts)
    by_id = _join_by_id(responses, prepared)
    remaining = responses.loc[by_id["linked_contact_id"].isna()]
    by_window = _join_by_window(remaining, prepared, window_days)
    frame = _assemble(responses_wide, by_id, by_window, prepared)
    n_id = int((frame["join_route"] == ROUTE_ID).sum())
    n_window = int((frame["join_route"] == ROUTE_WINDOW).sum())
    share = (n_id + n_window) / len(frame) if len(frame) else 0.0
    return JoinResult(frame, share, n_id, n_window, window_days)


def _prepare_responses(wide: pd.DataFrame) -> pd.DataFrame:
    for column in ("response_id", "date"):
        if column not in wide.columns:
            raise InputError("The survey responses lack a column needed for the join",
                             column=column, expected="response_id, date, customer_id, contact_id")
    out = pd.DataFrame({"_row": range(len(wide))})
    out["date"] = _as_naive_ns(wide["date"], "date", "survey responses").reset_index(drop=True)
    for key in ("customer_id", "contact_id"):
        values = wide[key] if key in wide.columns else pd.Series(pd.NA, index=wide.index)
        out[key] = _as_key(values).reset_index(drop=True)
    out["reference"] = _reference_time(out["date"])
    return out


def _prepare_contacts(contacts: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in CONTACT_COLUMNS if c not in contacts.columns]
    if missing:
        raise InputError("The contacts table lacks required columns", file=_CONTACTS_FILE,
                         column=missing[0], expected=", ".join(CONTACT_COLUMNS),
                         found=", ".join(map(str, contacts.columns)))
    out = contacts.loc[:, list(CONTACT_COLUMNS)].copy()
    out["contact_id"] = _as_key(out["contact_id"])
    out["customer_id"] = _as_key(out["customer_id"])
    out["opened_at"] = _as_naive_ns(out["opened_at"], "opened_at", _CONTACTS_FILE)
    for column in _NUMERIC:
        out[column] = _as_number(out[column], column)
    _reject_repeated_ids(out)
    return out.rename(columns={"channel": "contact_channel"})


def _as_key(values: pd.Series) -> pd.Series:
    keys = values.astype("string").str.strip()
    return keys.mask(keys == "")


def _as_naive_ns(values: pd.Series, column: str, file: str) -> pd.Series:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "could not infer format"
            parsed = pd.to_datetime(values)
    except (ValueError, TypeError) as exc:
        raise InputError("A date could not be read", file=file, column=column,
                         expected="a date such as 2025-03-31 14:05", found=str(exc)[:80]) from exc
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


def _as_number(values: pd.Series, column: str) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() & values.notna()
    if bad.any():
        position = int(bad.to_numpy().nonzero()[0][0])
        raise InputError("A contact measure is not a number", file=_CONTACTS_FILE,
                         row=position + 2, column=column, found=str(values.iloc[position]),
                         expected="a number")
    return numbers.astype("float64")


def _reject_repeated_ids(contacts: pd.DataFrame) -> None:
    ids = contacts["contact_id"]
    repeated = ids.notna() & ids.duplicated(keep="first")
    if repeated.any():
        position = int(repeated.to_numpy().nonzero()[0][0])
        raise InputError("A contact id appears more than once", file=_CONTACTS_FILE,
                         row=position + 2, column="contact_id", found=str(ids.iloc[position]),
                         expected="one row per contact")


def _reference_time(dates: pd.Series) -> pd.Series:
    """Treat date-only stamps (all at midnight) as the end of that day."""
    present = dates.dropna()
    if len(present) and (present == present.dt.normalize()).all():
        return dates + pd.Timedelta(days=1) - pd.Timedelta(nanoseconds=1)
    return dates


def _join_by_id(responses: pd.DataFrame, contacts: pd.DataFrame) -> pd.DataFrame:
    ids = contacts[["contact_id"]].dropna().assign(linked_contact_id=lambda d: d["contact_id"])
    return responses[["_row", "contact_id"]].merge(ids, on="contact_id", how="left")


def _join_by_window(responses: pd.DataFrame, contacts: pd.DataFrame,
                    window_days: int) -> pd.DataFrame:
    left = responses.dropna(subset=["customer_id", "reference"])
    left = left[["_row", "customer_id", "reference"]]
    right = contacts.dropna(subset=["customer_id", "opened_at"])
    right = right[["customer_id", "opened_at", "contact_id"]].rename(
        columns={"contact_id": "linked_contact_id"})
    if left.empty or right.empty:
        return pd.DataFrame({"_row": pd.Series(dtype="int64"),
                             "linked_contact_id": pd.Series(dtype="string")})
    merged = pd.merge_asof(
        left.sort_values("reference"), right.sort_values("opened_at"),
        left_on="reference", right_on="opened_at", by="customer_id",
        direction="backward", tolerance=pd.Timedelta(days=window_days),
    )
    return merged.dropna(subset=["linked_contact_id"])[["_row", "linked_contact_id"]]


def _assemble(wide: pd.DataFrame, by_id: pd.DataFrame, by_window: pd.DataFrame,
              contacts: pd.DataFrame) -> pd.DataFrame:
    link = pd.Series(pd.NA, index=range(len(wide)), dtype="string")
    route = pd.Series(pd.NA, index=range(len(wide)), dtype="string")
    hit = by_id.dropna(subset=["linked_contact_id"])
    link.loc[hit["_row"].to_numpy()] = hit["linked_contact_id"].to_numpy()
    route.loc[hit["_row"].to_numpy()] = ROUTE_ID
    link.loc[by_window["_row"].to_numpy()] = by_window["linked_contact_id"].to_numpy()
    route.loc[by_window["_row"].to_numpy()] = ROUTE_WINDOW
    details = contacts.drop(columns=["customer_id"]).rename(
        columns={"contact_id": "linked_contact_id"}).dropna(subset=["linked_contact_id"])
    base = wide.reset_index(drop=True).drop(
        columns=[c for c in details.columns if c in wide.columns and c != "linked_contact_id"])
    base = base.drop(columns=["linked_contact_id"], errors="ignore")
    base["linked_contact_id"] = link
    frame = base.merge(details, on="linked_contact_id", how="left")
    frame["join_route"] = route
    frame.attrs = dict(wide.attrs)
    return frame
