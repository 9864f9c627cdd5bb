"""Tests of cxkit.io.survey_files: raw readers for each export layout."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from cxkit.config.surveys import SurveySource
from cxkit.errors import InputError
from cxkit.io.survey_files import (
    read_csv,
    read_export,
    read_parquet,
    read_qualtrics,
    read_surveymonkey,
    read_xlsx,
    sniff_delimiter,
    surveymonkey_names,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "surveys"


def test_qualtrics_three_header_rows():
    raw = read_qualtrics(FIXTURES / "qualtrics_3row.csv", "surveys/qualtrics_3row.csv")
    # 3 header rows (names, question texts, ImportId JSON): data starts on spreadsheet row 4.
    assert raw.first_data_row == 4
    assert raw.frame["ResponseId"].tolist() == ["R_1a2b3c", "R_preview1", "R_unfin01",
                                                "R_4d5e6f", "R_7g8h9i"]
    assert raw.frame.columns[0] == "StartDate"  # the UTF-8 byte-order mark is not in the name
    assert raw.labels["Q_CSAT"] == "Overall, how satisfied are you with Northwind Cloud?"
    assert raw.labels["Q_CES"].startswith("Northwind Cloud made it easy")  # multi-line text
    # Nothing is guessed: "NA" (North America) stays text, blanks stay "".
    assert raw.frame.loc[2, "Region"] == "NA"
    assert raw.frame.loc[4, "Q_Comment"] == ""


def test_qualtrics_older_two_header_rows():
    raw = read_qualtrics(FIXTURES / "qualtrics_2row.csv", "surveys/qualtrics_2row.csv")
    assert raw.first_data_row == 3  # names, question texts, then data
    assert raw.frame["Q1"].tolist() == ["10 - Extremely likely", "0 - Not at all likely", "7"]
    assert raw.labels["Q2"].startswith("How much effort")


def test_surveymonkey_continuation_columns():
    raw = read_surveymonkey(FIXTURES / "surveymonkey.csv", "surveys/surveymonkey.csv")
    channels = "Which channels did you use to contact us?"
    assert raw.first_data_row == 3
    assert [c for c in raw.frame.columns if c.startswith(channels)] == [
        f"{channels} | Email", f"{channels} | Phone", f"{channels} | Other (please specify)"]
    # "Response" / "Open-Ended Response" columns keep the bare question as their name.
    assert "How easy was it to get your issue resolved?" in raw.frame.columns
    assert raw.labels[f"{channels} | Phone"] == channels
    assert raw.frame.loc[1, "Is there anything else you would like to tell us?"] == \
        'Had to call three times; "urgent" means nothing'


def test_surveymonkey_names_are_unique():
    assert surveymonkey_names(["Q", "", "Q"], ["Response", "Response", "Response"]) == ["Q", "Q.1", "Q.2"]


def test_csv_with_byte_order_mark():
    raw = read_csv(FIXTURES / "plain_bom.csv", "surveys/plain_bom.csv")
    assert list(raw.frame.columns) == ["response_id", "date", "nps", "comment"]
    assert raw.frame.loc[0, "comment"] == "naïve question answered"
    assert raw.first_data_row == 2 and raw.labels == {}


def test_windows_1252_semicolon_csv():
    raw = read_csv(FIXTURES / "windows_1252_semicolon.csv", "surveys/w.csv", encoding="cp1252")
    assert list(raw.frame.columns) == ["Antwort", "Datum", "Stadt", "Zufriedenheit", "Kommentar"]
    assert raw.frame["Stadt"].tolist() == ["Zürich", "Genève", "Zürich"]
    assert raw.frame.loc[0, "Kommentar"] == "Le café était très bon"


def test_windows_file_read_as_utf8_names_byte_row_and_fix():
    with pytest.raises(InputError) as info:
        read_csv(FIXTURES / "windows_1252_semicolon.csv", "surveys/w.csv", encoding="utf-8")
    text = str(info.value)
    # "Zürich" is on line 2; ü is 0xfc in Windows-1252 and invalid as UTF-8.
    assert "surveys/w.csv" in text and "row 2" in text and "0xfc" in text
    assert "encoding: cp1252" in text


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_delimiter_sniffed(tmp_path, sep):
    path = tmp_path / "s.csv"
    path.write_text(sep.join(["id", "date", "nps"]) + "\n" + sep.join(["1", "2025-01-01", "9"]) + "\n")
    assert sniff_delimiter(path) == sep
    assert read_csv(path, "s.csv").frame.loc[0, "nps"] == "9"


def test_declared_delimiter_wins(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("id;note\n1;a,b\n")
    assert read_csv(path, "s.csv", delimiter=";").frame.loc[0, "note"] == "a,b"


def test_a_row_with_too_many_fields_is_named(tmp_path):
    """Row 4 holds an unquoted delimiter inside its comment: the error names the row and the counts."""
    path = tmp_path / "s.csv"
    path.write_text("id;date;comment\n1;2025-01-01;fine\n2;2025-01-02;ok\n3;2025-01-03;slow; then fine\n")
    with pytest.raises(InputError) as info:
        read_csv(path, "surveys/s.csv", delimiter=";")
    err = info.value
    assert (err.file, err.row, err.found, err.expected) == ("surveys/s.csv", 4, "4 fields", "3 fields")
    assert "\n" not in str(err) and "';'" in str(err)


def test_missing_file_lists_folder(tmp_path):
    (tmp_path / "relationship.csv").write_text("a\n1\n")
    with pytest.raises(InputError) as info:
        read_csv(tmp_path / "relatonship.csv", "surveys/relatonship.csv")
    text = str(info.value)
    assert "surveys/relatonship.csv" in text and "does not exist" in text
    assert "relationship.csv" in text


def _workbook(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["exported by the client"])
    sheet = book.create_sheet("Responses")
    sheet.append(["response_id", "date", "csat", "comment"])
    sheet.append(["X1", dt.datetime(2025, 4, 3, 9, 30), 5, "Très bien"])
    sheet.append([1002, dt.datetime(2025, 4, 4, 10, 0), 4.0, None])
    book.save(path)


def test_xlsx_named_sheet(tmp_path):
    path = tmp_path / "survey.xlsx"
    _workbook(path)
    raw = read_xlsx(path, "surveys/survey.xlsx", sheet="Responses", date_format="%d/%m/%Y %H:%M")
    assert raw.first_data_row == 2
    # typed cells become text: dates in the declared format, whole floats without ".0"
    assert raw.frame["date"].tolist() == ["03/04/2025 09:30", "04/04/2025 10:00"]
    assert raw.frame["response_id"].tolist() == ["X1", "1002"]
    assert raw.frame["csat"].tolist() == ["5", "4"]
    assert raw.frame["comment"].tolist() == ["Très bien", ""]


def test_xlsx_missing_sheet_lists_sheets(tmp_path):
    path = tmp_path / "survey.xlsx"
    _workbook(path)
    with pytest.raises(InputError) as info:
        read_xlsx(path, "surveys/survey.xlsx", sheet="Sheet1")
    text = str(info.value)
    assert "no sheet 'Sheet1'" in text and "'Notes'" in text and "'Responses'" in text


def test_parquet_columns_become_text(tmp_path):
    path = tmp_path / "s.parquet"
    pd.DataFrame({
        "rid": ["a", "b"],
        "when": pd.to_datetime(["2025-01-02 03:04:05", None]),
        "nps": [9.0, None],
        "ces": [3, 7],
    }).to_parquet(path)
    raw = read_parquet(path, "surveys/s.parquet", date_format="%Y-%m-%d %H:%M:%S")
    assert raw.frame["when"].tolist() == ["2025-01-02 03:04:05", ""]
    assert raw.frame["nps"].tolist() == ["9", ""]
    assert raw.frame["ces"].tolist() == ["3", "7"]
    assert raw.first_data_row == 1


def test_read_export_dispatches_on_format():
    source = SurveySource(id="sm", file="surveys/surveymonkey.csv", format="surveymonkey",
                          date_format="%m/%d/%Y %I:%M:%S %p",
                          columns={"response_id": "Respondent ID", "date": "End Date"},
                          metrics={"nps": {"column": "x", "min": 0, "max": 10}})
    raw = read_export(FIXTURES / "surveymonkey.csv", source)
    assert raw.file == "surveys/surveymonkey.csv" and raw.first_data_row == 3
