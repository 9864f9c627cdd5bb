"""Tests for cxkit.drivers.wide and cxkit.drivers.join."""
from __future__ import annotations

import pandas as pd
import pytest

from cxkit.drivers.join import join_contacts
from cxkit.drivers.wide import wide_scores
from cxkit.errors import InputError


def _contacts() -> pd.DataFrame:
    return pd.DataFrame({
        "contact_id": ["k1", "k2", "k3", "k4", "k5"],
        "customer_id": ["c1", "c2", "c2", "c3", "c4"],
        "opened_at": pd.to_datetime(["2025-03-01 09:00", "2025-03-02 10:00", "2025-03-06 16:00",
                                     "2025-02-01 08:00", "2025-03-12 09:00"]),
        "channel": ["phone", "chat", "email", "phone", "chat"],
        "contact_reason": ["billing", "login", "login", "billing", "outage"],
        "wait_minutes": [12.0, 3.0, 30.0, 5.0, 1.0],
        "transfers": [1, 0, 2, 0, 0],
        "reopens": [0, 0, 1, 0, 0],
        "handle_minutes": [20.0, 8.0, 35.0, 9.0, 4.0],
        "resolved_first_contact": [1, 1, 0, 1, 1],
    })


def _responses() -> pd.DataFrame:
    return pd.DataFrame({
        "response_id": ["r1", "r2", "r3", "r4", "r5"],
        # r2 is date-only: the contact opened at 16:00 the same day counts as before it
        "date": pd.to_datetime(["2025-03-03", "2025-03-06", "2025-03-10", "2025-03-10",
                                "2025-03-10"]),
        "customer_id": ["c1", "c2", "c3", "c9", "c4"],
        "contact_id": ["k1", None, None, None, None],
        "channel": ["phone", "chat", "web", "web", "web"],
        "csat": [2.0, 4.0, 5.0, 3.0, 4.0],
    })


def test_join_by_contact_id_and_customer_window():
    result = join_contacts(_responses(), _contacts(), window_days=7)
    frame = result.frame.set_index("response_id")
    # r1: exact id k1
    assert frame.loc["r1", "linked_contact_id"] == "k1"
    assert frame.loc["r1", "join_route"] == "contact_id"
    # r2: customer c2 has k2 (4 days before) and k3 (same day, 16:00); the latest wins
    assert frame.loc["r2", "linked_contact_id"] == "k3"
    assert frame.loc["r2", "join_route"] == "customer_window"
    assert frame.loc["r2", "transfers"] == 2
    # r3: c3's only contact was 37 days earlier, outside the 7-day window -> not linked
    assert pd.isna(frame.loc["r3", "linked_contact_id"])
    assert pd.isna(frame.loc["r3", "wait_minutes"])
    # r4: unknown customer; r5: c4's contact opened two days AFTER the response
    assert pd.isna(frame.loc["r4", "join_route"])
    assert pd.isna(frame.loc["r5", "join_route"])
    # 2 of 5 linked: 1 by id, 1 by window
    assert (result.by_contact_id, result.by_customer_window) == (1, 1)
    assert result.joined_share == pytest.approx(2 / 5)


def test_join_keeps_rows_order_and_survey_channel():
    result = join_contacts(_responses(), _contacts())
    assert result.frame["response_id"].tolist() == ["r1", "r2", "r3", "r4", "r5"]
    assert result.frame["channel"].tolist() == ["phone", "chat", "web", "web", "web"]
    assert result.frame.loc[0, "contact_channel"] == "phone"


def test_wider_window_reaches_older_contact():
    # r3 (2025-03-10) and k4 (2025-02-01 08:00) are about 38 days apart
    result = join_contacts(_responses(), _contacts(), window_days=40)
    assert result.by_customer_window == 2


def test_unknown_contact_id_falls_back_to_customer_window():
    responses = _responses()
    responses.loc[1, "contact_id"] = "k404"
    frame = join_contacts(responses, _contacts()).frame
    assert frame.loc[1, "join_route"] == "customer_window"


def test_join_rejects_bad_contacts():
    with pytest.raises(InputError) as missing:
        join_contacts(_responses(), _contacts().drop(columns=["transfers"]))
    assert missing.value.column == "transfers"
    repeated = _contacts()
    repeated.loc[4, "contact_id"] = "k1"
    with pytest.raises(InputError) as dup:
        join_contacts(_responses(), repeated)
    assert dup.value.row == 6  # 5th data row + header line
    text = _contacts().astype({"wait_minutes": object})
    text.loc[0, "wait_minutes"] = "ten"
    with pytest.raises(InputError):
        join_contacts(_responses(), text)


def test_join_summary_and_html():
    result = join_contacts(_responses(), _contacts())
    assert result.summary()[0].startswith("2 of 5 survey responses (40%)")
    assert "<table>" in result._repr_html_()


def test_wide_scores_pivots_and_keeps_scales():
    long = pd.DataFrame({
        "response_id": ["a", "a", "a", "b", "b"],
        "date": pd.to_datetime(["2025-01-01"] * 3 + ["2025-01-02"] * 2),
        "customer_id": ["c1"] * 3 + ["c2"] * 2,
        "metric": pd.Categorical(["csat", "attr_speed", "nps", "nps", "csat"]),
        "score": [4.0, 3.0, 9.0, 6.0, 2.0],
        "scale_min": [1, 1, 0, 0, 1], "scale_max": [5, 5, 10, 10, 5],
    })
    wide = wide_scores(long)
    assert list(wide.columns) == ["response_id", "date", "customer_id", "nps", "csat",
                                  "attr_speed"]
    assert wide.set_index("response_id").loc["b", "csat"] == 2.0
    assert pd.isna(wide.set_index("response_id").loc["b", "attr_speed"])
    assert wide.attrs["scales"] == {"csat": (1, 5), "attr_speed": (1, 5), "nps": (0, 10)}


def test_wide_scores_rejects_duplicates():
    long = pd.DataFrame({"response_id": ["a", "a"], "metric": ["csat", "csat"],
                         "score": [4.0, 5.0]})
    with pytest.raises(InputError):
        wide_scores(long)
