"""Tests for cxkit.loop (closing the loop, DOMAIN.md section 7)."""
from __future__ import annotations

import pandas as pd
import pytest

from cxkit.errors import InputError
from cxkit.loop import alerts_expected, loop_summary, low_scores

AS_OF = pd.Timestamp("2026-03-10")


@pytest.fixture()
def cases():
    return pd.DataFrame({
        "case_id": ["c1", "c2", "c3", "c4", "c5", "c6"],
        "response_id": ["r1", "r2", "r3", "r4", "r5", "r6"],
        "customer_id": ["k1", "k2", "k3", "k4", "k5", "k6"],
        "created_at": ["2026-03-01 09:00", "2026-03-02 09:00", "2026-03-05 10:00", "2026-03-09 12:00",
                       "2026-03-03 08:00", "2026-03-12 08:00"],
        "first_contact_at": ["2026-03-01 15:00", "2026-03-04 09:00", None, None, "2026-03-03 20:00", None],
        "closed_at": ["2026-03-02 10:00", None, None, None, None, None],
        "status": ["closed", "in_progress", "new", "new", "In Progress", "new"],
        "owner_team": ["Support", "Support", "Sales", None, "Sales", "Sales"],
        "due_at": ["2026-03-03", "2026-03-09", "2026-03-12", "2026-03-11", "2026-03-06", "2026-03-15"],
    })


def test_loop_summary_hand_calculated(cases):
    low = pd.DataFrame({"source": ["rel"] * 8,  # cxkit's ids put the export in front; the cases name the export's
                        "response_id": ["rel:r1", "rel:r2", "r3", "rel:r7", "r8", "r9", "r10", "rel:r6"]})
    s = loop_summary(cases, alerts_expected=8, as_of=AS_OF, target_hours=24, low=low)  # r6's case is after as_of
    # c6 is created after as_of -> 5 alerts; of the 8 low scores, r1-r3 have a case by then: 3 of 8 = 37.5%
    assert (s.alerts, s.alerts_linked, s.pct_alerted) == (5, 3, 37.5)
    # first contact: c1 after 6 h, c2 after 48 h, c5 after 12 h -> 3 of 5 = 60%, median of (6, 12, 48) = 12
    assert (s.followed_up, s.pct_followed_up, s.median_hours_to_first_contact) == (3, 60.0, 12.0)
    # past 24 h: c2 (48 h) and c3 (no contact, 110 h old); c4 is 12 h old and not judged yet
    # -> 2 of 4 judged (c1, c2, c5, c3) = 50%
    assert (s.past_target, s.pct_past_target) == (2, 50.0)
    # overdue = not closed and due before as_of: c2 (due 9 Mar), c5 (due 6 Mar); c3, c4 new; c1 closed
    assert s.status_counts == {"new": 2, "in_progress": 0, "closed": 1, "overdue": 2}
    teams = s.overdue_by_team
    assert teams["owner_team"].tolist() == ["Sales", "Support", "(unassigned)"]
    assert teams["open_cases"].tolist() == [2, 1, 1]
    assert teams["overdue_cases"].tolist() == [1, 1, 0]
    # Sales: c5 due 6 Mar -> 4.0 days before 10 Mar; Support: c2 due 9 Mar -> 1.0 day
    assert teams["max_days_overdue"].tolist()[:2] == [4.0, 1.0]


def test_sentences_and_html(cases):
    cases.loc[1, "owner_team"] = "<script>alert(1)</script>"
    s = loop_summary(cases, alerts_expected=8, as_of=AS_OF, low=pd.DataFrame({"response_id": ["r1", "r2", "r3", "r9"]}))
    text = " ".join(s.summary())
    assert "3 of the 8 low scores that should have raised an alert have a case (38%); 5 alerts were raised in all" in text
    every = loop_summary(cases, alerts_expected=2, as_of=AS_OF, low=pd.DataFrame({"response_id": ["r1", "r2"]}))
    assert every.summary()[0] == "All 2 low scores that should have raised an alert have a case; 5 alerts were raised in all."
    assert "3 of 5 cases (60%) have had a first contact, after a median of 12.0 hours" in text
    assert "missed the 24-hour target" in text
    page = s._repr_html_()
    assert "<script" not in page
    assert "&lt;script&gt;" in page
    assert "onerror" not in page


def test_one_of_a_kind_reads_in_the_singular(cases):
    one = cases.iloc[[0]]  # c1: closed, first contact after 6 hours
    s = loop_summary(one, alerts_expected=1, as_of=AS_OF, low=pd.DataFrame({"response_id": ["r1"]}))
    assert s.summary()[:2] == ["The 1 low score that should have raised an alert has a case; 1 alert was raised in all.",
                               "1 of 1 case (100%) has had a first contact, after a median of 6.0 hours."]
    some = loop_summary(one, alerts_expected=4, as_of=AS_OF, low=pd.DataFrame({"response_id": ["r1", "r7"]}))
    assert some.summary()[0].startswith("1 of the 4 low scores that should have raised an alert has a case (25%)")
    assert loop_summary(one.iloc[:0], alerts_expected=1, as_of=AS_OF).summary() == [
        "No alerts were raised by 10 March 2026 although 1 low score should have raised one."]


def test_no_cases():
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in
                          ["case_id", "response_id", "customer_id", "created_at", "first_contact_at", "closed_at",
                           "status", "owner_team", "due_at"]})
    s = loop_summary(empty, alerts_expected=3, as_of=AS_OF)
    assert s.alerts == 0 and s.pct_followed_up is None and s.median_hours_to_first_contact is None
    assert "although 3 low scores should have raised one" in s.summary()[0]
    assert "<table>" in s._repr_html_()


def test_missing_status_is_inferred(cases):
    cases["status"] = None
    cases.loc[1, "due_at"] = "2026-03-20"
    s = loop_summary(cases, alerts_expected=5, as_of=AS_OF)
    # inferred: c1 closed (closed_at set), c2 in progress (first contact, due 20 Mar now), c3 and c4 new,
    # c5 in progress but due 6 Mar -> overdue
    assert s.status_counts == {"new": 2, "in_progress": 1, "closed": 1, "overdue": 1}


@pytest.mark.parametrize("column, value, message, row", [
    ("created_at", "yesterday", "not a date", 3),
    ("status", "pending", "unknown case status", 3),
    ("first_contact_at", "2026-02-01 00:00", "before the case was created", 3),
    ("closed_at", "2026-03-01 00:00", "closed before it was created", 3),
    ("created_at", None, "needs the date", 3),
])
def test_bad_rows_are_input_errors(cases, column, value, message, row):
    cases.loc[1, column] = value
    with pytest.raises(InputError, match=message) as err:
        loop_summary(cases, alerts_expected=5, as_of=AS_OF)
    # row 2 of the frame is spreadsheet row 3 (header is row 1)
    assert (err.value.row, err.value.column) == (row, column)


def test_missing_column_is_named(cases):
    with pytest.raises(InputError) as err:
        loop_summary(cases.drop(columns="due_at"), alerts_expected=5, as_of=AS_OF)
    assert err.value.column == "due_at"


def test_coverage_is_unknown_rather_than_guessed_when_cases_name_no_response(cases):
    """Five cases against eight low scores say nothing about which scores were followed."""
    for s in (loop_summary(cases.assign(response_id=None), alerts_expected=8, as_of=AS_OF,
                           low=pd.DataFrame({"response_id": ["r1"]})),
              loop_summary(cases, alerts_expected=8, as_of=AS_OF)):
        assert (s.alerts_linked, s.pct_alerted) == (None, None)
        assert "which low scores they cover cannot be checked" in " ".join(s.summary())
        figures = dict(s.key_figures().itertuples(index=False))
        assert (figures["Low scores with a case"], figures["Share of low scores alerted"]) == ("n/a", "n/a")


def test_low_scores_are_the_responses_alerts_expected_counts():
    long = pd.DataFrame({"source": ["rel", "rel", "tx"], "response_id": ["a", "b", "a"],
                         "metric": ["nps", "nps", "csat"], "score": [3, 9, 1]})
    assert low_scores(long).values.tolist() == [["rel", "a"], ["tx", "a"]] and alerts_expected(long) == 2


def test_alerts_expected():
    long = pd.DataFrame({
        "source": ["rel", "rel", "rel", "tx", "tx", "tx", "tx"],
        "response_id": ["a", "a", "b", "a", "c", "d", "e"],
        "date": pd.to_datetime(["2026-01-05", "2026-01-05", "2026-01-06", "2026-02-01", "2026-02-02",
                                "2026-02-03", "2026-03-01"]),
        "metric": ["nps", "csat", "nps", "csat", "csat", "ces", "nps"],
        "score": [6, 1, 7, 2, 3, 1, 0],
    })
    # rel/a: nps 6 <= 6 (and csat 1) -> one alert; rel/b nps 7 no; tx/a csat 2 <= 2 yes (different source);
    # tx/c csat 3 no; tx/d ces off by default; tx/e nps 0 yes -> 3
    assert alerts_expected(long) == 3
    assert alerts_expected(long, {"nps": 6, "csat": 2, "ces": 2}) == 4  # + tx/d (ces 1 <= 2)
    assert alerts_expected(long, {"nps": 6}) == 2  # rel/a (nps), tx/e
    assert alerts_expected(long, start="2026-02-01", end="2026-02-28") == 1  # tx/a only
    with pytest.raises(InputError):
        alerts_expected(long.drop(columns="score"))
