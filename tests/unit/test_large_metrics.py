"""The DuckDB path gives exactly the pandas path's figures on the demo data."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from cxkit.io.client import ClientFolder
from cxkit.io.survey_files import read_export
from cxkit.metrics import large, segment_trend, segments, summarise, trend


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> ClientFolder:
    from cxkit.demo import generate

    root = tmp_path_factory.mktemp("clients")
    generate(root / "demo", seed=5, responses=2000, name="Demo")
    _plant_rule_cases(root / "demo" / "surveys" / "transactional.csv")
    return ClientFolder("demo", root)


@pytest.fixture(scope="module")
def both(folder):
    pairs = []
    for source in folder.engagement.surveys:
        path = folder.path(source.file)
        if source.format == "qualtrics":  # the same rows as a Parquet file of text, as large exports come
            path = path.with_suffix(".parquet")
            read_export(folder.path(source.file), source, source.file).frame.to_parquet(path)
            source = source.model_copy(update={"format": "parquet"})
        pairs.append((source, path))  # the transactional source stays CSV: DuckDB's CSV path
    survey = large.LargeSurvey(pairs, period=folder.engagement.period)
    yield folder.surveys.responses, survey
    survey.close()


def _plant_rule_cases(path) -> None:
    """Scores between two scale points and responses dated outside the reporting period,
    which both paths must leave out alike."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    head = rows[0]
    for column, value in [("csat", "4.5"), ("ces", "6.5"), ("psat", "3.5")]:
        answered = next(r for r in rows[1:] if r[head.index(column)])
        answered[head.index(column)] = value
    for row, value in [(9, "2031-01-01 10:00:00"), (11, "2019-06-30 23:00:00")]:
        rows[row][head.index("submitted_at")] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_the_planted_cases_are_left_out_and_counted(folder):
    """What the parity tests below then show the DuckDB path leaves out too."""
    from cxkit.surveys import quality

    responses = folder.surveys.responses
    assert responses["date"].between("2024-10-01", "2026-09-30 23:59:59").all()
    assert (responses["score"] == responses["score"].round()).all()
    counts = dict(zip(folder.surveys.quality["reason"], folder.surveys.quality["rows"]))
    assert counts[quality.OUTSIDE_PERIOD] == 2
    assert all(counts[f"{quality.BETWEEN_POINTS} ({m})"] == 1 for m in ("csat", "ces", "psat"))


@pytest.mark.parametrize("metric", ["nps", "csat", "ces", "psat", "attr_support"])
def test_summaries_match(both, metric):
    responses, survey = both
    # identical counts, hence identical finalised figures (same formulas.py finalisers)
    assert large.summarise(survey, metric) == summarise(responses, metric)


@pytest.mark.parametrize("metric", ["nps", "csat"])
def test_tables_match(both, metric):
    responses, survey = both
    opts = {"check_dtype": False, "check_categorical": False}
    pd.testing.assert_frame_equal(large.segments(survey, metric, ["region", "channel"]),
                                  segments(responses, metric, ["region", "channel"]), **opts)
    pd.testing.assert_frame_equal(large.trend(survey, metric, "M"), trend(responses, metric, "M"), **opts)
    pd.testing.assert_frame_equal(large.segment_trend(survey, metric, "segment", "M"),
                                  segment_trend(responses, metric, "segment", "M"), **opts)


def test_unknown_metric_is_an_input_error(both):
    from cxkit.errors import InputError

    with pytest.raises(InputError):
        large.summarise(both[1], "npss")


def test_parquet_is_large_by_its_row_count_and_csv_by_its_size(tmp_path):
    import pandas as pd

    from cxkit.metrics.large import is_large

    frame = pd.DataFrame({"score": range(50)})
    frame.to_parquet(tmp_path / "s.parquet")
    frame.to_csv(tmp_path / "s.csv", index=False)
    assert is_large(tmp_path / "s.parquet", rows=49) and not is_large(tmp_path / "s.parquet", rows=50)
    size = (tmp_path / "s.csv").stat().st_size
    assert is_large(tmp_path / "s.csv", threshold=size - 1) and not is_large(tmp_path / "s.csv", threshold=size)
    (tmp_path / "broken.parquet").write_text("not parquet")
    assert not is_large(tmp_path / "broken.parquet", rows=0)
