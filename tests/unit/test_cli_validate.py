"""``cxkit validate`` and ``cxkit new`` through :func:`cxkit.cli.main` (exit codes and messages)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from cxkit.cli import main

DEMO = Path(__file__).resolve().parents[2] / "client_data" / "demo"
_DEMO_SURVEY = yaml.safe_load((DEMO / "engagement.yaml").read_text(encoding="utf-8"))["surveys"][0]


def _client(tmp_path: Path, change) -> Path:
    """A client ``c`` whose engagement.yaml is the demo's with ``change`` applied, and the
    demo's intake and journey (no other data needed)."""
    folder = tmp_path / "c"
    shutil.copytree(DEMO / "intake", folder / "intake")
    shutil.copy(DEMO / "journey.yaml", folder / "journey.yaml")
    data = yaml.safe_load((DEMO / "engagement.yaml").read_text(encoding="utf-8"))
    data["surveys"], data["operations"] = [], {}
    change(data)
    (folder / "engagement.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


@pytest.mark.parametrize("change, key, words", [
    (lambda d: d.update(brand_colour="blue"), "brand_colour", "'blue'"),
    (lambda d: d.update(colour_scheme="dark"), "colour_scheme", "check the spelling"),
    (lambda d: d.pop("period"), "period", "is missing"),
    (lambda d: d["period"].update(end="2020-01-01"), "period", "end must be after start"),
    (lambda d: d["period"].update(start="2024-13-01"), "period.start", "a date written year-month-day"),
    (lambda d: d.update(currency="euro"), "currency", "three capital letters"),
    (lambda d: d["sample"].update(warn_below=-1), "sample.warn_below", "a number of at least 1"),
    (lambda d: d.update(surveys=[_DEMO_SURVEY, _DEMO_SURVEY]), "surveys", "repeated: relationship"),
    (lambda d: d.update(goals={"targets": {"nps": 150}}), "goals.targets", "150 is outside -100..100"),
    (lambda d: d.update(goals={"targets": {"happiness": 5}}), "goals.targets.happiness", "'nps', 'csat'"),
    (lambda d: d.update(goals={"lead_quarters": {"relationship": 0}}), "goals.lead_quarters.relationship",
     "at least 1"),
    (lambda d: d.update(loop={"alert_at_or_below": {"nps": 11}}), "loop.alert_at_or_below", "fits no survey scale"),
    (lambda d: d.update(roi={"programme_cost": 0}), "roi.programme_cost", "expected a number above 0\n"),
])
def test_validate_names_the_wrong_key(tmp_path, capsys, change, key, words) -> None:
    _client(tmp_path, change)
    assert main(["validate", "c", "--client-data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"'{key}" in err and words in err and "engagement.yaml" in err
    assert "Traceback" not in err and str(tmp_path) not in err
    assert "Input should" not in err and "{'" not in err  # pydantic's wording and whole sections stay out


def test_validate_reports_every_bad_key_at_once(tmp_path, capsys) -> None:
    _client(tmp_path, lambda d: d.update(brand_colour="blue", colour_scheme="dark"))
    assert main(["validate", "c", "--client-data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "brand_colour" in err and "colour_scheme" in err


def test_validate_unknown_client_lists_known_ones(tmp_path, capsys) -> None:
    (tmp_path / "acme").mkdir()
    assert main(["validate", "acne", "--client-data", str(tmp_path)]) == 1
    assert "Known clients: acme" in capsys.readouterr().err


def test_new_client_is_accepted_by_validate_but_for_its_missing_intake(tmp_path, capsys) -> None:
    """A scaffolded client's files are all valid; what stops a run is the intake nobody has
    answered yet, and validate says so as chapter 1 would."""
    assert main(["new", "acme", "--client-data", str(tmp_path)]) == 0
    assert (tmp_path / "acme" / "engagement.yaml").is_file() and (tmp_path / "acme" / "journey.yaml").is_file()
    assert main(["validate", "acme", "--client-data", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "ok: engagement.yaml: Acme" in captured.out  # display name from the folder name
    problems = [line for line in captured.err.splitlines() if line.startswith("problem:")]
    assert len(problems) == 1 and "no intake answers" in problems[0] and "intake form" in problems[0]
    assert "1 problem found in acme" in captured.err


def test_validate_warns_when_chapter_5_cannot_put_a_value_on_the_gap(tmp_path, capsys) -> None:
    """No customer table, no NPS answers and only two stated figures: the run would deliver
    chapter 5 without a money value, and validate says so up front (exit code still 0)."""
    _client(tmp_path, lambda d: d.update(roi={"customers": 800, "churn_rate_promoter": 0.05}))
    assert main(["validate", "c", "--client-data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    warning = next(line for line in out.splitlines() if line.startswith("warning:") and "chapter 5" in line)
    assert "no money value" in warning and "roi.average_customer_value, roi.detractor_share" in warning
    assert "roi.customers" not in warning and "roi.churn_rate_promoter" not in warning
    assert "all inputs are valid (2 warnings above)" in out  # and the journey's undated touchpoints


def test_new_never_overwrites(tmp_path, capsys) -> None:
    assert main(["new", "acme", "--client-data", str(tmp_path)]) == 0
    (tmp_path / "acme" / "engagement.yaml").write_text("client: Mine\n")
    assert main(["new", "acme", "--client-data", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "acme" / "engagement.yaml").read_text() == "client: Mine\n"


@pytest.mark.parametrize("name", ["../evil", "Acme", "a/b", "", ".hidden"])
def test_new_refuses_names_that_are_not_one_folder(tmp_path, capsys, name) -> None:
    assert main(["new", name, "--client-data", str(tmp_path)]) == 1
    assert "not a valid client name" in capsys.readouterr().err
    assert not any(tmp_path.parent.glob("evil"))


def _demo_copy(tmp_path: Path, relative: str, edit) -> None:
    """The demo client as ``c``, with one line of one CSV file changed by ``edit(line)``."""
    shutil.copytree(DEMO, tmp_path / "c")
    path = tmp_path / "c" / relative
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = edit(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _replace_field(lines: list[str], row: int, column: str, value: str) -> list[str]:
    header = lines[0].split(",")
    fields = lines[row - 1].split(",")
    fields[header.index(column)] = value
    return [*lines[:row - 1], ",".join(fields), *lines[row:]]


@pytest.mark.parametrize("relative, row, column, value, words", [
    # chapter 1 refuses these when it scores the intake
    ("intake/answers.csv", 600, "statement_id", "culture.L9.z", "unknown statement"),
    ("intake/answers.csv", 600, "element", "telepathy", "unknown element"),
    # chapter 3 refuses these when it closes the loop
    ("operations/cases.csv", 3, "status", "pending", "unknown case status"),
    ("operations/cases.csv", 3, "closed_at", "2020-01-01 00:00:00", "closed before it was created"),
    # chapter 5 used to stop on a repeated customer with a pandas MergeError
    ("operations/customers.csv", 5, "customer_id", "C00001", "appears twice"),
])
def test_validate_finds_what_the_run_would_stop_on(tmp_path, capsys, relative, row, column, value, words) -> None:
    _demo_copy(tmp_path, relative, lambda lines: _replace_field(lines, row, column, value))
    assert main(["validate", "c", "--client-data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    problem = next(line for line in err.splitlines() if line.startswith("problem:"))
    assert relative in problem and f"row {row}" in problem and f"'{column}'" in problem and words in problem
    assert "Traceback" not in err


def test_validate_warns_when_over_surveying_flags_rest_on_an_assumption(tmp_path, capsys) -> None:
    """The demo's support touchpoints have no typical_day, so chapter 2 can only assume that
    consecutive ones reach a customer the same day; dating them all settles it."""
    shutil.copytree(DEMO, tmp_path / "c")
    assert main(["validate", "c", "--client-data", str(tmp_path)]) == 0
    warning = next(line for line in capsys.readouterr().out.splitlines() if "typical_day" in line)
    assert "flags 5 pairs of surveys" in warning and "Support chat" in warning and "Website" not in warning
    journey = tmp_path / "c" / "journey.yaml"
    data = yaml.safe_load(journey.read_text(encoding="utf-8"))
    for day, touchpoint in enumerate(data["touchpoints"]):
        touchpoint["typical_day"] = 30 * day  # a month apart: no pair is close enough to flag
    journey.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["validate", "c", "--client-data", str(tmp_path)]) == 0
    assert "typical_day" not in capsys.readouterr().out


@pytest.mark.parametrize("section, change, key, found, closest", [
    # a misspelt focus segment used to read "too few answers for a goal of its own"
    ("goals", {"focus_segments": ["Enterprize"]}, "goals.focus_segments[0]", "Enterprize", "Enterprise"),
    # a control written in roi.controls used to drop out of the model unseen ("controls: none")
    ("roi", {"controls": ["segment", "tenure"]}, "roi.controls[1]", "tenure", "tenure_years"),
])
def test_validate_refuses_a_name_the_data_does_not_carry(tmp_path, capsys, section, change, key, found,
                                                         closest) -> None:
    shutil.copytree(DEMO, tmp_path / "c")
    path = tmp_path / "c" / "engagement.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[section] = {**data.get(section, {}), **change}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["validate", "c", "--client-data", str(tmp_path)]) == 1
    problem = next(line for line in capsys.readouterr().err.splitlines() if line.startswith("problem:"))
    assert key in problem and f"'{found}'" in problem and f"'{closest}'" in problem


def test_validate_refuses_a_client_without_a_journey(tmp_path, capsys) -> None:
    shutil.copytree(DEMO, tmp_path / "c")
    (tmp_path / "c" / "journey.yaml").unlink()
    assert main(["validate", "c", "--client-data", str(tmp_path)]) == 1
    assert "journey.yaml: the client has no journey yet" in capsys.readouterr().err


def test_validate_reads_the_clients_themes_as_chapter_3_does(tmp_path, capsys) -> None:
    shutil.copytree(DEMO, tmp_path / "c")
    (tmp_path / "c" / "themes.yaml").write_text('extend:\n  wait_time:\n    patterns: ["(unclosed"]\n',
                                              encoding="utf-8")
    assert main(["validate", "c", "--client-data", str(tmp_path)]) == 1
    assert "themes.yaml, key 'extend.wait_time.patterns'" in capsys.readouterr().err  # the key as written
    (tmp_path / "c" / "themes.yaml").write_text('extend:\n  wait_time:\n    patterns: ["on hold"]\n',
                                              encoding="utf-8")
    assert main(["validate", "c", "--client-data", str(tmp_path)]) == 0
    assert "ok: themes.yaml: 17 comment themes" in capsys.readouterr().out


def test_one_broken_file_is_reported_once(tmp_path, capsys) -> None:
    """The maturity model is read by two checks (the model and the intake scored on it)."""
    shutil.copytree(DEMO, tmp_path / "c")
    (tmp_path / "c" / "frameworks").mkdir()
    (tmp_path / "c" / "frameworks" / "mine.yaml").write_text("id: mine\nname: Mine\nlevels: []\nelements: []\n",
                                                            encoding="utf-8")
    path = tmp_path / "c" / "engagement.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("framework: nine_element", "framework: mine"),
                    encoding="utf-8")
    assert main(["validate", "c", "--client-data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("problem: frameworks/mine.yaml") == 1 and "1 problem found" in err
