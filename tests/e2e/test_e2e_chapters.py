"""Issue 2: chapters on clients unlike the demo: a fresh scaffold, other maturity models,
and a client that states its ROI assumptions instead of supplying a customer table."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from cxkit.run.chapters import CHAPTERS, NOTEBOOKS_DIR
from e2e_support import copy_demo, edit_engagement, kpi_cards, stakeholder_pages, visible_text

pytestmark = [pytest.mark.xdist_group("e2e_chapters"), pytest.mark.slow]

ROI_ASSUMPTIONS = {"average_customer_value": 40000, "customers": 1200, "detractor_share": 0.2,
                   "churn_rate_detractor": 0.25,
                   "churn_rate_passive": 0.12, "churn_rate_promoter": 0.05, "programme_cost": 250000,
                   "horizon_years": 3}


def test_journey_chapter_runs_for_a_new_client_without_surveys(tmp_path: Path) -> None:
    from cxkit.cli import main
    from cxkit.run.client_run import run_client

    client_data = tmp_path / "client_data"
    assert main(["new", "acme", "--client-data", str(client_data)]) == 0
    result = run_client("acme", client_data, tmp_path / "reports", chapters=(CHAPTERS[1],))
    assert result.status == "ok", result.error
    page = (tmp_path / "reports" / "acme" / CHAPTERS[1].file).read_text(encoding="utf-8")
    text = visible_text(page)
    assert re.search(r'<img[^>]*\ssrc="data:image/png;base64,', page), "the journey map is drawn"
    assert "The journey map" in text and "Where we listen" in text
    assert "No survey data yet" in text, "the measured parts say what is missing"
    assert (tmp_path / "reports" / "acme" / "index.html").is_file()


@pytest.mark.parametrize("framework", ["nine_element", "five_stage", "four_stage"])
def test_maturity_notebook_runs_under_each_framework(framework: str, demo_copy: Path, tmp_path: Path) -> None:
    import papermill

    out = tmp_path / f"01_{framework}.ipynb"
    nb = papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "01_maturity_intake.ipynb"), str(out), cwd=str(NOTEBOOKS_DIR),
        parameters={"client": "demo", "client_data_dir": str(demo_copy), "framework": framework,
                    "interactive": False},
        progress_bar=False, kernel_name="python3")
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    shown = "".join(str(o.get("data", {}).get("text/html", "")) for c in nb.cells for o in c.get("outputs", []))
    assert "Model:" in shown, "the overview names the model it scored"


@pytest.fixture(scope="module")
def aggregate_report(demo_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Chapters 4 and 5 for a demo copy without a customer table, with stated ROI assumptions."""
    from cxkit.run.client_run import run_client

    base = tmp_path_factory.mktemp("aggregate")
    (base / "client_data").mkdir()
    folder = copy_demo(base / "client_data", "agg")

    def change(data: dict) -> None:
        data["operations"].pop("customers")
        data["roi"] = ROI_ASSUMPTIONS

    edit_engagement(folder, change)
    result = run_client("agg", base / "client_data", base / "reports", chapters=CHAPTERS[3:])
    assert result.status == "ok", result.error
    return base / "reports" / "agg"


def test_goals_and_value_run_on_aggregate_assumptions(aggregate_report: Path) -> None:
    pages = stakeholder_pages(aggregate_report)
    assert {CHAPTERS[3].file, CHAPTERS[4].file} <= set(pages)
    value = visible_text(pages[CHAPTERS[4].file])
    assert "no customer table" in value.lower(), "the linkage says it rests on stated assumptions"
    # value at risk = customers x detractor share x average value = 1200 x 0.2 x 40,000 = 9.6m,
    # range x value_range (0.8, 1.2) = 7.68m .. 11.52m (cxkit.roi.value.value_at_risk)
    assert "€9.6m" in value and "€7.7m" in value and "€11.5m" in value
    cards = kpi_cards(pages["index.html"])
    position = cards.index(("label", "Revenue at risk per year"))
    assert cards[position + 1] == ("value", "€9.6m")


def test_value_chapter_without_its_figures_is_delivered_and_says_what_is_missing(
        demo_copy: Path, tmp_path: Path) -> None:
    """A demo copy with no operations files and no roi: section. The run succeeds (it used
    to fail in chapter 5); the value chapter names what it lacks; the summary shows no
    money figure."""
    from cxkit.run.client_run import run_client

    (tmp_path / "client_data").mkdir()
    folder = copy_demo(tmp_path / "client_data", "novalue")

    def change(data: dict) -> None:
        data.pop("operations")
        data.pop("roi")

    edit_engagement(folder, change)
    result = run_client("novalue", tmp_path / "client_data", tmp_path / "reports", chapters=CHAPTERS[4:])
    assert result.status == "ok", result.error
    assert len(result.caveats) == 1 and "roi.customers" in result.caveats[0], "the consultant is told too"
    pages = stakeholder_pages(tmp_path / "reports" / "novalue")
    value = visible_text(pages[CHAPTERS[4].file])
    assert "Not valued." in value and "the number of active customers" in value
    assert "roi.customers, roi.average_customer_value" in value
    assert "€" not in value, "no money figure without a value case"
    assert ("label", "Revenue at risk per year") not in kpi_cards(pages["index.html"])
