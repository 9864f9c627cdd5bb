"""Tests of cxkit.surveys.tidy: mapping, cleaning and reshaping one export."""
from __future__ import annotations

import csv
import datetime as dt
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxkit.config.engagement import Period
from cxkit.config.surveys import SurveySource
from cxkit.errors import InputError
from cxkit.io.survey_files import RawExport, read_export
from cxkit.surveys import TIDY_COLUMNS, tidy_source
from cxkit.surveys import quality as q

FIXTURES = Path(__file__).parents[1] / "fixtures" / "surveys"
CSAT_LABELS = {"Very dissatisfied": 1, "Dissatisfied": 2, "Neutral": 3, "Satisfied": 4,
               "Very satisfied": 5}


def _qualtrics_source(**overrides) -> SurveySource:
    spec = dict(
        id="relationship", file="surveys/qualtrics_3row.csv", format="qualtrics",
        date_format="%Y-%m-%d %H:%M:%S",
        columns={"response_id": "ResponseId", "date": "RecordedDate", "customer_id": "CustomerID",
                 "touchpoint": "Touchpoint", "channel": "Channel", "segment": "Segment",
                 "region": "Region", "comment": "Q_Comment"},
        finished={"column": "Finished", "keep": ["1", "True"]},
        status={"column": "Status", "exclude": ["Survey Preview", "Spam"]},
        metrics={"nps": {"column": "Q_NPS", "min": 0, "max": 10},
                 "csat": {"column": "Q_CSAT", "min": 1, "max": 5, "labels": CSAT_LABELS},
                 "ces": {"column": "Q_CES", "min": 1, "max": 7}},
    )
    spec.update(overrides)
    return SurveySource.model_validate(spec)


def _tidy_fixture(name: str, source: SurveySource):
    return tidy_source(read_export(FIXTURES / name, source), source)


def _simple(frame: dict, metrics=None, **overrides):
    """A plain-CSV source over an in-memory frame of strings."""
    spec = dict(id="s", file="surveys/s.csv", format="csv", date_format="%Y-%m-%d",
                columns={"response_id": "id", "date": "date"},
                metrics=metrics or {"nps": {"column": "nps", "min": 0, "max": 10}})
    spec.update(overrides)
    source = SurveySource.model_validate(spec)
    raw = RawExport(pd.DataFrame(frame, dtype=str), {}, "surveys/s.csv", 2)
    return raw, source


def _score(result, response_id, metric):
    rows = result.responses
    hit = rows[(rows["response_id"] == response_id) & (rows["metric"] == metric)]
    return hit["score"].tolist()


def test_qualtrics_three_row_file():
    result = _tidy_fixture("qualtrics_3row.csv", _qualtrics_source())
    rows = result.responses
    assert list(rows.columns) == list(TIDY_COLUMNS)
    # 5 data rows: 1 "Survey Preview", 1 unfinished -> 3 responses x 3 metrics = 9 rows
    assert sorted(rows["response_id"].unique()) == ["R_1a2b3c", "R_4d5e6f", "R_7g8h9i"]
    assert len(rows) == 9
    assert dict(zip(result.quality["reason"], result.quality["rows"])) == {q.STATUS: 1, q.UNFINISHED: 1}
    assert _score(result, "R_1a2b3c", "csat") == [5.0]  # "Very satisfied" -> 5 by the label table
    assert _score(result, "R_4d5e6f", "nps") == [3.0]
    assert rows.loc[rows["response_id"] == "R_4d5e6f", "region"].iloc[0] == "NA"  # not missing
    assert rows.loc[rows["response_id"] == "R_7g8h9i", "comment"].isna().all()
    assert result.labels["csat"] == "Overall, how satisfied are you with Northwind Cloud?"


def test_qualtrics_file_without_its_question_rows_loses_no_response(tmp_path):
    """Someone deleted rows 2 and 3 before sending the export: row 2 is then a response
    (its ResponseId and dates read as such) and is kept, not taken for question texts."""
    with (FIXTURES / "qualtrics_3row.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))  # question texts hold line breaks: rows, not lines
    names_only = tmp_path / "names_only.csv"
    with names_only.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([rows[0], *rows[3:]])
    source = _qualtrics_source()
    full = _tidy_fixture("qualtrics_3row.csv", source)
    raw = read_export(names_only, source)
    assert raw.first_data_row == 2
    trimmed = tidy_source(raw, source)
    pd.testing.assert_frame_equal(trimmed.responses, full.responses)
    assert trimmed.quality.equals(full.quality) and trimmed.labels == {}


def test_contract_dtypes():
    rows = _tidy_fixture("qualtrics_3row.csv", _qualtrics_source()).responses
    dtypes = {c: str(t) for c, t in rows.dtypes.items()}
    assert dtypes == {
        "response_id": "string", "source": "category", "date": "datetime64[ns]",
        "customer_id": "string", "contact_id": "string", "touchpoint": "category",
        "channel": "category", "segment": "category", "region": "category",
        "metric": "category", "score": "float64", "scale_min": "int64", "scale_max": "int64",
        "comment": "string",
    }
    assert rows["contact_id"].isna().all()  # not mapped
    assert rows.loc[rows["metric"] == "ces", ["scale_min", "scale_max"]].drop_duplicates().values.tolist() == [[1, 7]]


def test_qualtrics_two_row_anchor_texts_and_reversed_effort():
    source = SurveySource.model_validate(dict(
        id="legacy", file="surveys/qualtrics_2row.csv", format="qualtrics",
        date_format="%Y-%m-%d %H:%M:%S",
        columns={"response_id": "ResponseID", "date": "EndDate", "comment": "Q3"},
        finished={"column": "Finished", "keep": ["1"]},
        metrics={"nps": {"column": "Q1", "min": 0, "max": 10},
                 "ces": {"column": "Q2", "min": 1, "max": 5, "reversed": True}}))
    result = _tidy_fixture("qualtrics_2row.csv", source)
    assert _score(result, "R_old001", "nps") == [10.0]  # "10 - Extremely likely" -> 10
    assert _score(result, "R_old002", "nps") == [0.0]   # "0 - Not at all likely" -> 0
    # "How much effort" is reversed: score' = min + max - score = 1 + 5 - s
    assert _score(result, "R_old001", "ces") == [5.0]   # 1 + 5 - 1
    assert _score(result, "R_old002", "ces") == [1.0]   # 1 + 5 - 5
    assert _score(result, "R_old003", "ces") == [4.0]   # 1 + 5 - 2
    assert result.quality.empty


def test_surveymonkey_labels_and_twelve_hour_dates():
    channels = "Which channels did you use to contact us?"
    source = SurveySource.model_validate(dict(
        id="support", file="surveys/surveymonkey.csv", format="surveymonkey",
        date_format="%m/%d/%Y %I:%M:%S %p",
        columns={"response_id": "Respondent ID", "date": "End Date", "customer_id": "Custom Data 1",
                 "comment": "Is there anything else you would like to tell us?",
                 "extra_dimensions": {"used_phone": f"{channels} | Phone"}},
        metrics={"nps": {"column": "How likely is it that you would recommend Northwind to a friend or colleague?",
                         "min": 0, "max": 10},
                 "ces": {"column": "How easy was it to get your issue resolved?", "min": 1, "max": 5,
                         "labels": {"Very difficult": 1, "Difficult": 2, "Neither easy nor difficult": 3,
                                    "Easy": 4, "Very easy": 5}}}))
    result = _tidy_fixture("surveymonkey.csv", source)
    rows = result.responses
    assert _score(result, "114285902", "ces") == [2.0]  # "Difficult" -> 2
    # 03/05/2025 02:40:00 PM with %m/%d/%Y %I:%M:%S %p is 5 March 2025, 14:44:10 (End Date)
    assert rows.loc[rows["response_id"] == "114285902", "date"].iloc[0] == pd.Timestamp("2025-03-05 14:44:10")
    assert list(rows.columns) == [*TIDY_COLUMNS, "used_phone"]
    assert rows.loc[rows["response_id"] == "114285901", "used_phone"].isna().all()
    assert rows["customer_id"].dropna().unique().tolist() == ["CUST-17", "CUST-18", "CUST-19"]


def test_windows_export_dates_parsed_with_declared_format_only():
    source = SurveySource.model_validate(dict(
        id="branch", file="surveys/windows_1252_semicolon.csv", format="csv", encoding="cp1252",
        date_format="%d/%m/%Y",
        columns={"response_id": "Antwort", "date": "Datum", "region": "Stadt", "comment": "Kommentar"},
        metrics={"csat": {"column": "Zufriedenheit", "min": 1, "max": 5}}))
    result = _tidy_fixture("windows_1252_semicolon.csv", source)
    rows = result.responses.set_index("response_id")
    assert rows.loc["W1", "date"] == pd.Timestamp("2025-04-03")  # "03/04/2025" day-first: 3 April
    assert "W2" not in rows.index  # "13/25/2025" has no month 25: rejected, never swapped
    assert dict(zip(result.quality["reason"], result.quality["rows"])) == {q.BAD_DATE: 1}
    assert rows.loc["W3", "region"] == "Zürich"
    assert rows.loc["W1", "comment"] == "Le café était très bon"


def test_duplicates_identical_dropped_conflicting_all_excluded():
    raw, source = _simple({"id": ["a", "a", "b", "b", "c"],
                           "date": ["2025-01-01"] * 5,
                           "nps": ["9", "9", "3", "4", "7"]})
    result = tidy_source(raw, source)
    assert sorted(result.responses["response_id"]) == ["a", "c"]
    counts = dict(zip(result.quality["reason"], result.quality["rows"]))
    assert counts == {q.DUPLICATE_IDENTICAL: 1, q.DUPLICATE_CONFLICT: 2}


def test_out_of_range_drops_only_that_metric_value():
    raw, source = _simple(
        {"id": ["a", "b", "c"], "date": ["2025-01-01"] * 3,
         "nps": ["11", "9", "-1"], "ces": ["3", "9", "2"]},
        metrics={"nps": {"column": "nps", "min": 0, "max": 10},
                 "ces": {"column": "ces", "min": 1, "max": 7}})
    result = tidy_source(raw, source)
    assert _score(result, "a", "nps") == [] and _score(result, "a", "ces") == [3.0]
    assert _score(result, "b", "ces") == [] and _score(result, "b", "nps") == [9.0]
    counts = dict(zip(result.quality["reason"], result.quality["rows"]))
    # nps: 11 and -1 outside 0..10 (2 values); ces: 9 outside 1..7 (1 value)
    assert counts == {"score out of range (nps)": 2, "score out of range (ces)": 1}


def test_score_between_scale_points_is_dropped_and_counted():
    """4.5 on a 1..5 scale and 8.5 on 0..10 fit no top box and no NPS group: dropped like
    an off-scale value, and counted under their own reason."""
    raw, source = _simple(
        {"id": ["a", "b", "c"], "date": ["2025-01-01"] * 3, "nps": ["8.5", "9", "10"], "csat": ["4", "4.5", "5"]},
        metrics={"nps": {"column": "nps", "min": 0, "max": 10}, "csat": {"column": "csat", "min": 1, "max": 5}})
    result = tidy_source(raw, source)
    assert _score(result, "a", "nps") == [] and _score(result, "a", "csat") == [4.0]
    assert _score(result, "b", "csat") == [] and _score(result, "b", "nps") == [9.0]
    counts = dict(zip(result.quality["reason"], result.quality["rows"]))
    assert counts == {f"{q.BETWEEN_POINTS} (nps)": 1, f"{q.BETWEEN_POINTS} (csat)": 1}


def test_responses_outside_the_reporting_period_are_left_out_and_counted():
    """The period's last day counts whole; a day before its start or after its end does not."""
    raw, source = _simple({"id": list("abcde"), "nps": ["9"] * 5,
                           "date": ["2024-12-31", "2025-01-01", "2025-12-31", "2026-01-01", "2031-05-01"]})
    period = Period(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    result = tidy_source(raw, source, period)
    assert sorted(result.responses["response_id"]) == ["b", "c"]
    assert dict(zip(result.quality["reason"], result.quality["rows"])) == {q.OUTSIDE_PERIOD: 3}
    assert sorted(tidy_source(raw, source).responses["response_id"]) == list("abcde")  # no period: all kept


def test_non_numeric_score_counted_when_no_label_table():
    raw, source = _simple({"id": ["a", "b"], "date": ["2025-01-01"] * 2, "nps": ["n/a", "8"]})
    result = tidy_source(raw, source)
    assert result.responses["response_id"].tolist() == ["b"]
    assert result.quality["reason"].tolist() == ["non-numeric score (nps)"]


def test_empty_rows_and_missing_ids_counted():
    raw, source = _simple({"id": ["a", "", "", "d"], "date": ["2025-01-01", "", "2025-01-02", "x"],
                           "nps": ["9", "", "5", "6"]})
    result = tidy_source(raw, source)
    counts = dict(zip(result.quality["reason"], result.quality["rows"]))
    assert counts == {q.EMPTY_ROW: 1, q.MISSING_ID: 1, q.BAD_DATE: 1}
    assert result.responses["response_id"].tolist() == ["a"]


def test_attributes_become_attr_metrics():
    raw, source = _simple({"id": ["a"], "date": ["2025-01-01"], "nps": ["9"], "q7": ["4"]},
                          attributes={"ease": "q7"}, attribute_scale={"min": 1, "max": 5})
    rows = tidy_source(raw, source).responses
    assert rows["metric"].astype(str).tolist() == ["nps", "attr_ease"]
    assert rows["scale_max"].tolist() == [10, 5]


def test_missing_column_names_file_column_and_closest():
    source = _qualtrics_source(metrics={"nps": {"column": "Q_NSP", "min": 0, "max": 10}})
    with pytest.raises(InputError) as info:
        _tidy_fixture("qualtrics_3row.csv", source)
    text = str(info.value)
    assert "surveys/qualtrics_3row.csv" in text and "'Q_NSP'" in text
    assert "metrics.nps" in text and "Closest existing: 'Q_NPS'" in text


def test_unknown_label_names_file_row_value_and_labels():
    labels = {"Very satisfied": 5, "Satisfied": 4}  # "Dissatisfied" and "Neutral" left out
    source = _qualtrics_source(metrics={"csat": {"column": "Q_CSAT", "min": 1, "max": 5, "labels": labels}})
    with pytest.raises(InputError) as info:
        _tidy_fixture("qualtrics_3row.csv", source)
    err = info.value
    # first kept row with an unknown label is R_4d5e6f: data position 3, first data row 4 -> row 7
    # (the "Neutral" of the preview on row 5 does not count: that row is excluded)
    assert err.row == 7 and err.found == "Dissatisfied" and err.column == "Q_CSAT"
    text = str(err)
    assert "surveys/qualtrics_3row.csv" in text and "'Very satisfied'" in text and "'Satisfied'" in text


def test_zero_usable_rows_names_file_and_reasons():
    raw, source = _simple({"id": ["a", "b", "c"], "date": ["01/02/2025"] * 3, "nps": ["9", "8", "7"]})
    with pytest.raises(InputError) as info:
        tidy_source(raw, source)
    text = str(info.value)
    assert "surveys/s.csv" in text and "none of the 3 data rows is a usable survey response" in text
    assert "unparseable date: 3 rows" in text
    assert "'01/02/2025' on row 2 does not match date_format '%Y-%m-%d'" in text


def test_an_export_with_a_header_only_says_so():
    raw, source = _simple({"id": [], "date": [], "nps": []})
    with pytest.raises(InputError) as info:
        tidy_source(raw, source)
    assert str(info.value).startswith("surveys/s.csv: the export holds no responses: it has a header but no data rows")


def test_twenty_thousand_rows_fast():
    n = 20_000
    rng = np.random.default_rng(7)
    raw, source = _simple(
        {"id": [f"R{i}" for i in range(n)],
         "date": pd.Series(pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D"))
         .dt.strftime("%Y-%m-%d"),
         "nps": rng.integers(0, 11, n).astype(str),
         "csat": rng.choice(list(CSAT_LABELS), n)},
        metrics={"nps": {"column": "nps", "min": 0, "max": 10},
                 "csat": {"column": "csat", "min": 1, "max": 5, "labels": CSAT_LABELS}})
    start = time.perf_counter()
    result = tidy_source(raw, source)
    elapsed = time.perf_counter() - start
    assert len(result.responses) == 2 * n
    assert elapsed < 1.0, f"tidying {n} rows took {elapsed:.2f} s"
