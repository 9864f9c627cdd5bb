"""Issue 2: the demo deliverable end to end: completeness, figures, hygiene, provenance, repeatability."""
from __future__ import annotations

import datetime as dt
import getpass
import json
from pathlib import Path

import pytest

from cxkit.run.chapters import CHAPTERS
from e2e_support import (ALPHA_NAME, STAKEHOLDER_FILES, kpi_cards, sha256, stakeholder_pages, strip_images, tree_digest,
                         visible_text)

pytestmark = [pytest.mark.xdist_group("demo_report"), pytest.mark.slow]
DEMO_NAME = "Northwind Cloud"
MAX_CHAPTER_BYTES = 1_500_000  # issue 2: each chapter at most 1.5 MB


@pytest.fixture(scope="module")
def direct(demo_copy: Path) -> dict:
    """Headline figures computed by cxkit directly, outside any notebook."""
    from cxkit import load_client
    from cxkit.chapters import baseline, maturity
    from cxkit.maturity.scoring import fmt_level

    base = baseline.analyse(load_client("demo", str(demo_copy)))
    assessment = maturity.assess(load_client("demo", str(demo_copy)))
    return {"headline": base.headline, "level": f"Level {fmt_level(assessment.scores.overall_level)}",
            "stage": assessment.scores.stage_name}


def test_every_chapter_and_the_index_exist(demo_report: Path) -> None:
    assert demo_report.is_symlink(), "reports/demo must be the published link"
    names = {p.name for p in demo_report.iterdir()}
    assert set(STAKEHOLDER_FILES) | {"index.html", "manifest.json"} <= names
    assert not any(n.endswith(".tmp") for n in names)
    for chapter in CHAPTERS:  # the tab names client and chapter (cxkit.report.exporter.page_title)
        page = (demo_report / chapter.file).read_text(encoding="utf-8")
        assert f"<title>{DEMO_NAME} · {chapter.number}. {chapter.title}</title>" in page


def test_chapters_stay_small(demo_report: Path) -> None:
    for name in STAKEHOLDER_FILES:
        assert (demo_report / name).stat().st_size <= MAX_CHAPTER_BYTES, name


def test_headline_figures_equal_direct_computation(demo_report: Path, direct: dict) -> None:
    from cxkit.metrics.formatting import format_value

    index = kpi_cards((demo_report / "index.html").read_text(encoding="utf-8"))
    chapter3 = kpi_cards((demo_report / "03_metric_baseline.html").read_text(encoding="utf-8"))
    for metric, result in direct["headline"].items():
        # the cards show cxkit.metrics.formatting.format_value of MetricResult.value (NPS signed, others %)
        expected = format_value(result.value, metric == "nps") if result.reportable else "withheld"
        label = result.label or metric.upper()
        for page in (index, chapter3):
            position = page.index(("label", label))
            assert page[position + 1] == ("value", expected), (metric, page[position:position + 3])
    chapter1 = kpi_cards((demo_report / "01_maturity_intake.html").read_text(encoding="utf-8"))
    assert ("value", direct["level"]) in index and ("value", direct["level"]) in chapter1
    assert ("detail", direct["stage"]) in index


def _forbidden(demo_copy: Path, demo_report: Path) -> list[str]:
    user = getpass.getuser()
    return ["Traceback", "injected-parameters", "Injected parameters", "cx = load_client", "show(chapter",
            "from cxkit", "import ", "jp-InputArea-editor", "client_data_dir", str(demo_copy),
            str(demo_report.parent), str(demo_report.resolve()), "/work/", "/root/", "/home/", "/tmp/",
            f"/{user}/", f"{user}@", str(Path.home())]


def test_no_code_paths_or_tracebacks_in_stakeholder_pages(demo_copy: Path, demo_report: Path) -> None:
    forbidden = _forbidden(demo_copy, demo_report)
    for name, page in stakeholder_pages(demo_report).items():
        raw, text = strip_images(page), visible_text(page)
        for needle in forbidden:
            assert needle not in raw and needle not in text, f"{name} contains {needle!r}"


def test_stakeholder_pages_read_as_prose(demo_report: Path) -> None:
    """What an executive reads: counts of a thousand or more carry a separator, nouns agree
    with their count, and no column name escapes in code case."""
    import re

    for name, page in stakeholder_pages(demo_report).items():
        text = visible_text(page)
        bare = {m for m in re.findall(r"(?<![\w.,+-])\d{4,}(?![\w.,%-]|\s?Q\d)", text) if not re.fullmatch(r"20\d\d", m)}
        assert not bare, f"{name}: counts without a thousands separator: {sorted(bare)[:5]}"
        assert "(s)" not in text, f"{name}: a noun that does not agree with its count"
        codes = set(re.findall(r"\b(?:Nps|Csat|Ces|Psat|Npv|Roi)\b|\b[a-z]+_[a-z_]+\b", text))
        assert not codes, f"{name}: {sorted(codes)}"


def test_manifest_traces_inputs_parameters_versions_and_times(demo_copy: Path, demo_report: Path) -> None:
    manifest = json.loads((demo_report / "manifest.json").read_text(encoding="utf-8"))
    folder = demo_copy / "demo"
    files = {e["file"]: e["sha256"] for e in manifest["inputs"]}
    assert set(files) == set(tree_digest(folder)), "every input file is listed"
    for rel, digest in files.items():
        assert sha256(folder / rel) == digest, rel  # hashlib.sha256 of the file now == at run time
    assert manifest["inputs_verified_unchanged"] is True
    params = manifest["parameters"]
    assert params["client"] == "demo" and params["as_of"] == "2026-09-30"  # the demo period ends 2026-09-30
    assert not any("/" in str(v) or "\\" in str(v) for v in params.values()), params
    assert {"python", "cxkit", "pandas", "numpy", "nbconvert"} <= set(manifest["versions"])
    started = dt.datetime.fromisoformat(manifest["started_utc"])
    finished = dt.datetime.fromisoformat(manifest["finished_utc"])
    assert started.tzinfo is not None and started <= finished
    assert sorted(manifest["outputs"]) == sorted(set(STAKEHOLDER_FILES) | {"index.html"})
    seconds = manifest["chapter_seconds"]  # reading order, each chapter's own execution time
    assert [f"{stem}.html" for stem in seconds] == list(STAKEHOLDER_FILES)
    assert all(0 < s < (finished - started).total_seconds() + 1 for s in seconds.values())
    text = json.dumps(manifest)
    assert str(demo_copy) not in text and "/tmp/" not in text and str(Path.home()) not in text


def test_inputs_not_modified_by_the_run(demo_copy: Path, demo_report: Path) -> None:
    manifest = json.loads((demo_report / "manifest.json").read_text(encoding="utf-8"))
    assert tree_digest(demo_copy / "demo") == {e["file"]: e["sha256"] for e in manifest["inputs"]}


def test_a_second_run_gives_identical_figures(demo_report: Path, pair_run) -> None:
    """``alpha`` is the demo under another display name, run again by the CLI: same numbers."""
    assert pair_run.returncodes["alpha"] == 0, pair_run.logs["alpha"]
    alpha = pair_run.reports / "alpha"
    for name in ("index.html", *STAKEHOLDER_FILES):
        first = kpi_cards((demo_report / name).read_text(encoding="utf-8"))
        again = kpi_cards((alpha / name).read_text(encoding="utf-8").replace(ALPHA_NAME, DEMO_NAME))
        assert first == again, name
    for name in STAKEHOLDER_FILES:
        first = visible_text((demo_report / name).read_text(encoding="utf-8"))
        again = visible_text((alpha / name).read_text(encoding="utf-8")).replace(ALPHA_NAME, DEMO_NAME)
        assert first == again, f"{name}: the text differs between two runs on the same data"


def test_concurrent_clients_see_only_their_own_data(pair_run) -> None:
    from adversarial import EVIL_NAME

    assert pair_run.returncodes == {"alpha": 0, "evil": 0}, pair_run.logs
    for own, other, other_marks in (("alpha", "evil", [EVIL_NAME, "alert(1)", "evil/"]),
                                    ("evil", "alpha", [ALPHA_NAME, "alpha/"])):
        pages = stakeholder_pages(pair_run.reports / own)
        assert set(STAKEHOLDER_FILES) | {"index.html"} <= set(pages)
        for name, page in pages.items():
            text = visible_text(page)
            for mark in other_marks:
                assert mark not in text, f"{own}/{name} shows {other}'s {mark!r}"
        manifest = (pair_run.reports / own / "manifest.json").read_text(encoding="utf-8")
        assert json.loads(manifest)["client"] == own


def test_concurrent_runs_leave_inputs_untouched(pair_run) -> None:
    assert pair_run.inputs_before == pair_run.inputs_after
