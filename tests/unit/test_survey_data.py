"""Tests of cxkit.surveys.survey_data: combining sources and the notebook display."""
from __future__ import annotations

import pandas as pd
import pytest

from cxkit.config.surveys import SurveySource
from cxkit.errors import InputError
from cxkit.io.survey_files import RawExport
from cxkit.surveys import SurveyData, combine, tidy_source


def _result(source_id: str, file: str, frame: dict, metric: str = "nps", **columns):
    scale = {"nps": (0, 10), "csat": (1, 5)}[metric]
    source = SurveySource.model_validate(dict(
        id=source_id, file=file, format="csv", date_format="%Y-%m-%d",
        columns={"response_id": "id", "date": "date", **columns},
        metrics={metric: {"column": "score", "min": scale[0], "max": scale[1]}}))
    return tidy_source(RawExport(pd.DataFrame(frame, dtype=str), {}, file, 2), source)


def test_combine_prefixes_ids_and_keeps_categories():
    a = _result("relationship", "surveys/a.csv",
                {"id": ["1", "2"], "date": ["2025-01-01"] * 2, "score": ["9", "99"], "seg": ["SMB", "Ent"]},
                segment="seg")
    b = _result("support", "surveys/b.csv",
                {"id": ["1"], "date": ["2025-01-02"], "score": ["4"], "seg": ["Gov"]},
                metric="csat", segment="seg")
    data = SurveyData.combine([a, b])
    rows = data.responses
    assert rows["response_id"].tolist() == ["relationship:1", "support:1"]
    assert str(rows["metric"].dtype) == "category"
    assert list(rows["metric"].cat.categories) == ["nps", "csat"]
    assert str(rows["segment"].dtype) == "category" and str(rows["source"].dtype) == "category"
    assert str(rows["response_id"].dtype) == "string"
    # a's "99" is outside 0..10: one value-level exclusion, carried into the combined table
    assert data.quality[["source", "reason", "rows"]].values.tolist() == [
        ["relationship", "score out of range (nps)", 1]]
    assert data.summary()[["source", "responses", "scores"]].values.tolist() == [
        ["relationship", 1, 1], ["support", 1, 1]]


def test_single_source_keeps_ids_unprefixed():
    a = _result("rel", "surveys/a.csv", {"id": ["R_1"], "date": ["2025-01-01"], "score": ["9"]})
    assert combine([a]).responses["response_id"].tolist() == ["R_1"]


def test_repeated_source_ids_rejected():
    a = _result("rel", "surveys/a.csv", {"id": ["1"], "date": ["2025-01-01"], "score": ["9"]})
    with pytest.raises(InputError, match="share an id"):
        SurveyData.combine([a, a])


def test_repr_html_escapes_client_text():
    a = _result("rel", "surveys/<script>x</script>.csv",
                {"id": ["1", "1", "2"], "date": ["2025-01-01"] * 3, "score": ["9", "8", "7"]})
    page = SurveyData.combine([a])._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "duplicate response id with conflicting answers" in page


def test_no_sources_gives_empty_tables_with_contract_dtypes():
    data = SurveyData.combine([])
    assert data.responses.empty and data.quality.empty
    assert str(data.responses["date"].dtype) == "datetime64[ns]"
    assert str(data.responses["score"].dtype) == "float64"
    assert list(data.quality.columns) == ["source", "file", "reason", "rows"]
    assert "No rows or values were excluded" in data._repr_html_()
