"""Building blocks of the demo generator: calendar, ids, journey, intake, comments."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit.demo import comments, intake, journey
from cxkit.demo.chunks import chunk_sizes
from cxkit.demo.customers import latest_nps_group, nps_group
from cxkit.demo.ids import numbered_ids, qualtrics_ids
from cxkit.demo.timeline import build_timeline, last_full_quarter_end

CHANNELS = {"email", "chat", "in-app", "website", "in-person", "phone", "api", "social", "sms"}
FRAMEWORKS = Path(cxkit.__file__).parent / "frameworks"


def test_timeline_is_eight_quarters_to_the_fixed_as_of_date():
    t = build_timeline()
    # 2026-09-30 closes Q3 2026, so the 8 quarters are Q4 2024 .. Q3 2026
    assert (t.start, t.end, t.n_quarters) == (dt.date(2024, 10, 1), dt.date(2026, 9, 30), 8)
    assert last_full_quarter_end(dt.date(2026, 11, 15)) == dt.date(2026, 9, 30)
    assert last_full_quarter_end(dt.date(2026, 1, 1)) == dt.date(2025, 12, 31)
    times = t.random_times(np.random.default_rng(0), 500)
    assert times.min() >= np.datetime64("2024-10-01") and times.max() < np.datetime64("2026-10-01")
    q = t.quarter_of(np.array(["2024-12-31T23:00", "2025-01-01T00:00"], dtype="datetime64[s]"))
    assert q.tolist() == [0, 1]


def test_ids_are_unique_and_well_formed():
    ids = qualtrics_ids(np.arange(200_000), seed=7)
    assert len(set(ids)) == 200_000
    assert qualtrics_ids(np.array([5]), 7)[0] != qualtrics_ids(np.array([5]), 8)[0]
    assert numbered_ids("CT-", np.array([0, 9]), 3).tolist() == ["CT-001", "CT-010"]
    assert chunk_sizes(2_500_000) == [1_000_000, 1_000_000, 500_000]


def test_nps_groups_and_latest_answer():
    # 0-6 detractor (0), 7-8 passive (1), 9-10 promoter (2), DOMAIN.md section 4
    assert nps_group(np.array([6.0, 7.0, 8.0, 9.0])).tolist() == [0, 1, 1, 2]
    # customer 0 answered 10 then 2 (latest 2 -> detractor); customer 1 never answered
    got = latest_nps_group(2, np.array([0, 0]), np.array([5, 9]), np.array([10.0, 2.0]))
    assert got.tolist() == [0, 3]


def test_journey_document_has_the_contract_keys_and_planted_gaps():
    doc = journey.journey_document()
    assert list(doc) == ["stages", "touchpoints", "listening_posts", "personas"]
    stages = [s["id"] for s in doc["stages"]]
    tps = doc["touchpoints"]
    assert 6 <= len(stages) <= 7 and 18 <= len(tps) <= 24
    required = {"id", "name", "stage", "channels", "owner", "kind", "moment_that_matters",
                "pain_points"}
    assert all(required <= set(t) <= required | {"typical_day"} for t in tps)
    assert {t["kind"] for t in tps} <= {"task", "interaction", "product_use", "relationship"}
    assert set().union(*(t["channels"] for t in tps)) <= CHANNELS
    posts = doc["listening_posts"]
    posted = {p["touchpoint"] for p in posts}
    stage_of = {t["id"]: t["stage"] for t in tps}
    assert "discover" not in {stage_of[p] for p in posted}  # a deaf stage
    assert any(t["moment_that_matters"] and t["id"] not in posted for t in tps)
    used = set().union(*(t["channels"] for t in tps))
    assert used - {p["channel"] for p in posts}  # channels never surveyed
    assert any(p["metric"] == "nps" and p["after_support_contact"] for p in posts)
    per_tp = pd.Series([p["touchpoint"] for p in posts]).value_counts()
    assert per_tp.max() >= 3  # one touchpoint surveyed too often


def test_respondents_cover_departments_and_levels():
    r = intake.make_respondents()
    assert len(r) == 8 and r["department"].nunique() >= 5
    assert r["is_leadership"].any() and (~r["is_leadership"]).any()


@pytest.mark.skipif(not list(FRAMEWORKS.glob("*.yaml")), reason="no framework files yet")
def test_intake_answers_cover_every_framework_with_a_perception_gap():
    frameworks = intake.load_frameworks(FRAMEWORKS)
    people = intake.make_respondents()
    now = intake.make_answers(np.random.default_rng(1), frameworks, people)
    before = intake.make_answers(np.random.default_rng(1), frameworks, people, previous=True)
    assert set(now["framework"]) == {fw["id"] for fw in frameworks}
    n_statements = sum(len(lv.get("statements") or []) for fw in frameworks
                       for el in fw["elements"] for lv in el["levels"])
    assert len(now) == 8 * n_statements
    assert now["agreement"].dropna().between(1, 5).all() and now["agreement"].isna().any()
    nine = now[now["framework"] == "nine_element"].merge(people, on="respondent_id")
    culture = nine[nine["element"] == "culture"].groupby("is_leadership")["agreement"].mean()
    assert culture[True] - culture[False] > 0.7  # planted +1.5 levels for leadership
    listen_now = now[(now["framework"] == "nine_element") & (now["element"] == "listening")]
    listen_before = before[(before["framework"] == "nine_element") & (before["element"] == "listening")]
    assert listen_now["agreement"].mean() - listen_before["agreement"].mean() > 0.5


def test_comment_pool_is_varied_and_choices_follow_tone():
    rng = np.random.default_rng(3)
    pool = comments.build_pool(rng)
    assert len(set(pool.texts)) == len(pool.texts) > 1000
    n = 4000
    codes = comments.choose_comments(rng, pool, np.zeros(n, dtype=np.int8), ("relationship",),
                                     np.arange(n) < n // 2, np.arange(n) % 4 != 0)
    assert (codes == -1).sum() == n // 4
    reliability = comments.THEMES.index("product_reliability")
    start, size = pool.start[reliability, comments.NEGATIVE], pool.size[reliability, comments.NEGATIVE]
    negative = codes[: n // 2][codes[: n // 2] >= 0]
    # MIXES["relationship"] gives reliability weight 42 of 100 among complaints
    assert 0.35 < np.mean((negative >= start) & (negative < start + size)) < 0.5
    texts = comments.comment_texts(codes, pool)
    assert texts[0] is None and isinstance(texts[1], str)


def test_sensitive_comments_replace_existing_ones():
    pool = comments.build_pool(np.random.default_rng(0), per_group=5)
    codes = np.array([-1, 0, 1, 2, -1], dtype=np.int32)
    new, bigger = comments.plant_sensitive(np.random.default_rng(0), codes, pool, ("x@example.com",))
    assert len(bigger.texts) == len(pool.texts) + 1
    assert (new == len(pool.texts)).sum() == 1 and (new == -1).sum() == 2
