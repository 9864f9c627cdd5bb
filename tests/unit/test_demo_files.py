"""The demo generator writes parseable, deterministic files in the documented layouts."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

import cxkit.demo.generator as gen
from cxkit.demo import generate
from cxkit.errors import InputError

N = 2000


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("demo") / "demo", seed=7, responses=N)


def read_qualtrics(folder: Path) -> pd.DataFrame:
    # the documented way: row 1 names, rows 2-3 question texts and ImportId JSON skipped
    return pd.read_csv(folder / "surveys/relationship_qualtrics.csv", skiprows=[1, 2],
                       encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_same_seed_gives_identical_bytes_and_other_seed_differs(tmp_path):
    a = generate(tmp_path / "a", seed=3, responses=500)
    b = generate(tmp_path / "b", seed=3, responses=500)
    c = generate(tmp_path / "c", seed=4, responses=500)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert len(files) == 10
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    assert (a / "surveys/transactional.csv").read_bytes() != (c / "surveys/transactional.csv").read_bytes()


def test_qualtrics_export_has_three_header_rows(demo):
    lines = (demo / "surveys/relationship_qualtrics.csv").read_text(encoding="utf-8-sig").splitlines()
    names = lines[0].split(",")
    assert names[:3] == ["StartDate", "EndDate", "Status"]
    assert lines[1].startswith("Start Date,End Date,Response Type")
    third = pd.read_csv(demo / "surveys/relationship_qualtrics.csv", skiprows=[1], nrows=1,
                        encoding="utf-8-sig", dtype=str)
    assert json.loads(third["StartDate"][0]) == {"ImportId": "startDate", "timeZone": "America/Denver"}
    assert json.loads(third["Q_NPS"][0]) == {"ImportId": "QID1"}


def test_qualtrics_values_follow_the_layout(demo):
    data = read_qualtrics(demo)
    # 40% of N relationship responses plus 3 previews and 2 duplicate rows (quality.py)
    assert len(data) == 0.4 * N + 3 + 2
    assert set(data["Status"]) == {"IP Address", "Survey Preview"}
    assert (data["Status"] == "Survey Preview").sum() == 3
    assert set(data["Finished"]) == {"True", "False"}
    assert data["ResponseId"].str.fullmatch(r"R_[0-9A-Za-z]{15}").all()
    good = pd.to_datetime(data["RecordedDate"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    assert good.isna().sum() == 1  # the planted impossible date
    nps = pd.to_numeric(data["Q_NPS"], errors="coerce")
    assert (nps == 11).sum() == 1 and nps.dropna().between(0, 11).all()
    assert set(data["Touchpoint"]) <= {"first_value", "day_90_checkin", "renewal_review", "support_ticket"}


def test_qualtrics_duplicates_are_planted(demo):
    data = read_qualtrics(demo)
    repeated = data[data["ResponseId"].duplicated(keep=False)]
    assert repeated["ResponseId"].nunique() == 2
    identical = repeated.drop_duplicates()
    # one id: both copies equal (one row left); the other: copies differ (two rows left)
    assert sorted(identical.groupby("ResponseId").size()) == [1, 2]


def test_transactional_csv_layout(demo):
    data = pd.read_csv(demo / "surveys/transactional.csv", dtype={"csat": "Int64", "ces": "Int64",
                                                                "psat": "Int64"})
    assert list(data.columns) == ["response_id", "submitted_at", "customer_id", "contact_id",
                                  "touchpoint", "channel", "segment", "region", "csat", "ces",
                                  "psat", "comment"]
    assert len(data) == 0.6 * N + 2  # plus one identical and one conflicting duplicate
    assert data["csat"].dropna().between(1, 5).all()
    assert (data["ces"] == 9).sum() == 1 and data["ces"].dropna().drop(data.index[data["ces"] == 9]).between(1, 7).all()
    features = {"dashboard_builder", "report_scheduler", "integrations_hub"}
    assert set(data.loc[data["psat"].notna(), "touchpoint"]) <= features
    assert set(data["segment"]) == {"Enterprise", "Mid-market", "SMB"}
    assert set(data["region"]) == {"EMEA", "North America", "APAC"}
    dates = pd.to_datetime(data["submitted_at"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    assert dates.isna().sum() == 1


def test_contacts_link_to_support_responses(demo):
    trans = pd.read_csv(demo / "surveys/transactional.csv")
    contacts = pd.read_csv(demo / "operations/contacts.csv")
    assert list(contacts.columns) == ["contact_id", "customer_id", "opened_at", "channel",
                                      "contact_reason", "wait_minutes", "transfers", "reopens",
                                      "handle_minutes", "resolved_first_contact"]
    linked = trans.dropna(subset=["contact_id"])
    assert set(linked["touchpoint"]) == {"support_chat", "support_phone", "support_ticket",
                                         "billing_enquiry"}
    assert set(linked["contact_id"]) <= set(contacts["contact_id"])
    assert len(contacts) > linked["contact_id"].nunique()  # some contacts were never surveyed
    pairs = linked.merge(contacts, on="contact_id", suffixes=("", "_contact"))
    assert (pairs["customer_id"] == pairs["customer_id_contact"]).all()
    assert contacts["resolved_first_contact"].dtype == bool


def test_customers_and_cases_tables(demo):
    customers = pd.read_csv(demo / "operations/customers.csv")
    assert list(customers.columns) == ["customer_id", "segment", "region", "annual_value",
                                       "tenure_years", "churned"]
    assert set(customers["churned"]) == {0, 1} and customers["customer_id"].is_unique
    cases = pd.read_csv(demo / "operations/cases.csv", parse_dates=["created_at", "due_at"])
    assert list(cases.columns) == ["case_id", "response_id", "customer_id", "created_at",
                                   "first_contact_at", "closed_at", "status", "owner_team", "due_at"]
    assert set(cases["status"]) <= {"new", "in_progress", "closed"}
    assert (cases["created_at"] >= "2026-04-01").all()  # last two quarters only
    assert cases["first_contact_at"].isna().any()  # some detractors never followed up


def test_engagement_validates_and_names_real_columns(demo):
    from cxkit.config import parse_engagement

    raw = yaml.safe_load((demo / "engagement.yaml").read_text(encoding="utf-8"))
    eng = parse_engagement(raw)
    assert (eng.client, eng.currency, eng.framework) == ("Northwind Cloud", "EUR", "nine_element")
    assert (str(eng.period.start), str(eng.period.end)) == ("2024-10-01", "2026-09-30")
    assert raw["roi"] == {"programme_cost": 250000, "horizon_years": 3}
    headers = {"relationship": list(read_qualtrics(demo).columns),
               "transactional": list(pd.read_csv(demo / "surveys/transactional.csv", nrows=0).columns)}
    for source in eng.surveys:
        used = [c for c in source.columns.model_dump().values() if isinstance(c, str)]
        used += [m.column for m in source.metrics.values()] + list(source.attributes.values())
        assert set(used) <= set(headers[source.id]), source.id


def test_parquet_when_large(tmp_path, monkeypatch):
    monkeypatch.setattr(gen, "PARQUET_THRESHOLD", 500)
    monkeypatch.setattr(gen, "SLICE_ROWS", 300)
    out = generate(tmp_path / "big", seed=2, responses=1000)
    assert not (out / "surveys/transactional.csv").exists()
    meta = pq.ParquetFile(out / "surveys/relationship.parquet").metadata
    assert meta.num_rows == 400 + 5 and meta.num_row_groups == 2
    rel = pd.read_parquet(out / "surveys/relationship.parquet")
    assert str(rel["RecordedDate"].dtype).startswith("datetime64")
    doc = yaml.safe_load((out / "engagement.yaml").read_text())
    assert [s["format"] for s in doc["surveys"]] == ["parquet", "parquet"]
    assert [s["file"] for s in doc["surveys"]] == ["surveys/relationship.parquet",
                                                  "surveys/transactional.parquet"]
    assert len(pd.read_parquet(out / "surveys/transactional.parquet")) == 600 + 2


@pytest.mark.parametrize("kwargs", [{"responses": 10}, {"seed": -1}, {"name": "  "}])
def test_bad_arguments_raise_input_error(tmp_path, kwargs):
    with pytest.raises(InputError):
        generate(tmp_path / "x", **kwargs)


def test_sensitive_comments_are_planted(demo):
    comments = pd.concat([read_qualtrics(demo)["Q_NPS_WHY"],
                          pd.read_csv(demo / "surveys/transactional.csv")["comment"].dropna()])
    assert comments.str.contains(r"[\w.]+@example\.(?:com|org|net)").sum() >= 3
    assert comments.str.contains("<script>alert(1)</script>", regex=False).sum() == 1
    assert comments.str.contains(r"\+44 20 7946|\(555\)").sum() >= 2
    assert np.mean(comments.str.len() > 0) > 0.3
