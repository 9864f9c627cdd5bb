"""``cxkit validate`` and ``cxkit new`` through :func:`cxkit.cli.main` (exit codes and messages)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cxkit.cli import main

DEMO = Path(__file__).resolve().parents[2] / "client_data" / "demo"


def _client(tmp_path: Path, change) -> Path:
    """A client ``c`` whose engagement.yaml is the demo's with ``change`` applied (no data needed)."""
    folder = tmp_path / "c"
    folder.mkdir()
    data = yaml.safe_load((DEMO / "engagement.yaml").read_text(encoding="utf-8"))
    data["surveys"], data["operations"] = [], {}
    change(data)
    (folder / "engagement.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


@pytest.mark.parametrize("change, key, words", [
    (lambda d: d.update(brand_colour="blue"), "brand_colour", "'blue'"),
    (lambda d: d.update(colour_scheme="dark"), "colour_scheme", "check the spelling"),
    (lambda d: d.pop("period"), "period", "present"),
    (lambda d: d["period"].update(end="2020-01-01"), "period", "end must be after start"),
    (lambda d: d.update(currency="euro"), "currency", "euro"),
])
def test_validate_names_the_wrong_key(tmp_path, capsys, change, key, words) -> None:
    _client(tmp_path, change)
    assert main(["validate", "c", "--client-data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"'{key}" in err and words in err and "engagement.yaml" in err
    assert "Traceback" not in err and str(tmp_path) not in err


def test_validate_reports_every_bad_key_at_once(tmp_path, capsys) -> None:
    _client(tmp_path, lambda d: d.update(brand_colour="blue", colour_scheme="dark"))
    assert main(["validate", "c", "--client-data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "brand_colour" in err and "colour_scheme" in err


def test_validate_unknown_client_lists_known_ones(tmp_path, capsys) -> None:
    (tmp_path / "acme").mkdir()
    assert main(["validate", "acne", "--client-data", str(tmp_path)]) == 1
    assert "known clients: acme" in capsys.readouterr().err


def test_new_client_is_accepted_by_validate(tmp_path, capsys) -> None:
    assert main(["new", "acme", "--client-data", str(tmp_path)]) == 0
    assert (tmp_path / "acme" / "engagement.yaml").is_file() and (tmp_path / "acme" / "journey.yaml").is_file()
    assert main(["validate", "acme", "--client-data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "acme: all inputs are valid" in out and "Acme" in out  # display name from the folder name


def test_validate_warns_when_chapter_5_cannot_put_a_value_on_the_gap(tmp_path, capsys) -> None:
    """No customer table, no NPS answers and only two stated figures: the run would deliver
    chapter 5 without a money value, and validate says so up front (exit code still 0)."""
    _client(tmp_path, lambda d: d.update(roi={"customers": 800, "churn_rate_promoter": 0.05}))
    assert main(["validate", "c", "--client-data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    warning = next(line for line in out.splitlines() if line.startswith("warning:"))
    assert "no money value" in warning and "roi.average_customer_value, roi.detractor_share" in warning
    assert "roi.customers" not in warning and "roi.churn_rate_promoter" not in warning
    assert "all inputs are valid (1 warning(s) above)" in out


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
