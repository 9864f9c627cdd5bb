"""The relationships planted in the demo are there for the analyses to find.

Uses the in-memory tables of ``build(seed=7, responses=20000)`` (the committed demo's
settings) so that effects are judged at the demo's real sample size.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cxkit.demo import build
from cxkit.demo.comments import comment_texts
from cxkit.demo.relationship import ATTRIBUTES


@pytest.fixture(scope="module")
def data():
    return build(seed=7, responses=20000)


def nps(scores: pd.Series) -> tuple[float, float]:
    """NPS and its standard error, DOMAIN.md section 4: 100*(p-d), 100*sqrt((p+d-(p-d)^2)/n)."""
    s = scores.dropna()
    p, d = (s >= 9).mean(), (s <= 6).mean()
    return 100 * (p - d), 100 * math.sqrt((p + d - (p - d) ** 2) / len(s))


def clean_relationship(data) -> pd.DataFrame:
    rel = data.relationship
    rel = rel[(rel["status"] == "IP Address") & rel["finished"] & (rel["nps"] <= 10)]
    rel = rel.drop_duplicates("response_no", keep=False)
    seg = data.customers["segment"].to_numpy()[rel["customer_no"].to_numpy()]
    quarter = data.timeline.quarter_of(rel["recorded_at"].to_numpy())
    return rel.assign(segment=seg, quarter=quarter)


def support_pairs(data) -> pd.DataFrame:
    trans = data.transactional.drop_duplicates("response_no", keep=False)
    linked = trans[trans["contact_no"] >= 0]
    return linked.merge(data.contacts, on="contact_no", suffixes=("", "_contact"))


def test_smb_nps_declines_significantly(data):
    rel = clean_relationship(data)
    smb = rel[rel["segment"] == "SMB"]
    before, se_b = nps(smb.loc[smb["quarter"] <= 4, "nps"])
    after, se_a = nps(smb.loc[smb["quarter"] >= 6, "nps"])
    z = (after - before) / math.hypot(se_b, se_a)  # two-sample z-test, DOMAIN.md section 4
    assert after - before < -10 and z < -2.5
    for other in ("Enterprise", "Mid-market"):
        seg = rel[rel["segment"] == other]
        change = nps(seg.loc[seg["quarter"] >= 6, "nps"])[0] - nps(seg.loc[seg["quarter"] <= 4, "nps"])[0]
        assert abs(change) < 8, other


def test_overall_nps_is_plausible(data):
    value, _ = nps(clean_relationship(data)["nps"])
    assert 5 < value < 35  # a typical B2B software NPS band, set by relationship._SEGMENT_BASE


def test_transfers_and_waits_lower_csat_and_ease(data):
    pairs = support_pairs(data)
    by_transfers = pairs.groupby(np.minimum(pairs["transfers"], 2))[["csat", "ces"]].mean()
    assert by_transfers["csat"].is_monotonic_decreasing and by_transfers["ces"].is_monotonic_decreasing
    x = np.column_stack([np.ones(len(pairs)), pairs["transfers"], pairs["wait_minutes"], pairs["reopens"]])
    csat_coef = np.linalg.lstsq(x, pairs["csat"].to_numpy(float), rcond=None)[0]
    asked = pairs["ces"].notna().to_numpy()
    ces_coef = np.linalg.lstsq(x[asked], pairs["ces"].to_numpy(float)[asked], rcond=None)[0]
    # planted in operations.py: -0.3 CSAT per transfer and -0.02 per wait minute (-0.2 per 10 min);
    # rounding to the 1-5 scale and clipping shrink them a little
    assert -0.40 < csat_coef[1] < -0.20
    assert -0.03 < csat_coef[2] < -0.012
    assert ces_coef[1] < -0.2 and ces_coef[2] < -0.01


def test_detractors_churn_more(data):
    rel = clean_relationship(data).sort_values("recorded_at")
    latest = rel.groupby("customer_no")["nps"].last()
    group = pd.cut(latest, [-1, 6, 8, 10], labels=["detractor", "passive", "promoter"])
    churned = data.customers.set_index("customer_no")["churned"]
    rate = churned.loc[latest.index].groupby(group.to_numpy(), observed=True).mean()
    # planted in customers.py: 25% / 12% / 5% before segment factors
    assert rate["detractor"] > 0.18 and rate["promoter"] < 0.08
    assert rate["detractor"] > rate["passive"] > rate["promoter"]


def test_reliability_dominates_detractor_comments(data):
    rel = clean_relationship(data)
    texts = pd.Series(comment_texts(rel.loc[rel["nps"] <= 6, "comment"].to_numpy(), data.pool)).dropna()
    words = {
        "reliability": r"crash|bug|outage|down during|error|unstable|unreliable|missing after|stopped working|glitch",
        "performance": r"slow|forever|sluggish|time out|performance|minute\. Painful",
        "price": r"expensive|price|pricing|money|poor value",
    }
    share = {k: texts.str.contains(v, case=False).mean() for k, v in words.items()}
    assert share["reliability"] > 0.3
    assert share["reliability"] > 2 * max(share["performance"], share["price"])


def test_support_is_the_weakest_of_the_strongest_drivers(data):
    rel = clean_relationship(data).dropna(subset=[f"attr_{a}" for a in ATTRIBUTES])
    corr = {a: np.corrcoef(rel[f"attr_{a}"], rel["nps"])[0, 1] for a in ATTRIBUTES}
    top_two = sorted(corr, key=corr.get, reverse=True)[:2]
    assert set(top_two) == {"reliability", "support"}
    means = {a: rel[f"attr_{a}"].mean() for a in ATTRIBUTES}
    assert min(means, key=means.get) == "support"  # "fix first": important and weak


def test_nps_after_support_ticket_is_lower(data):
    rel = clean_relationship(data)
    by_tp = rel.groupby("touchpoint", observed=True)["nps"].apply(lambda s: nps(s)[0])
    assert by_tp["support_ticket"] < by_tp.drop("support_ticket").min() - 10


def test_cases_follow_up_differs_by_team(data):
    cases = data.cases
    late = cases["first_contact_at"].isna() | (cases["first_contact_at"] > cases["due_at"])
    rate = late.groupby(cases["owner_team"]).mean()
    assert rate["Product"] > rate["Support"] + 0.3
    assert set(cases["status"]) == {"new", "in_progress", "closed"}
    closed = cases[cases["status"] == "closed"]
    assert (closed["closed_at"] >= closed["first_contact_at"]).all()
