"""Paths in a client's configuration may never leave the client folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from cxkit.errors import InputError
from cxkit.io.client import ClientFolder
from cxkit.io.paths import resolve_inside
from cxkit.validate import validate_client


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """client_data/{c, other}: one CSV in other/, and two links from c/ pointing into other/."""
    base = tmp_path / "client_data"
    (base / "c" / "surveys").mkdir(parents=True)
    (base / "other").mkdir()
    (base / "other" / "x.csv").write_text("a,b\n1,2\n")
    os.symlink(base / "other" / "x.csv", base / "c" / "surveys" / "link.csv")
    os.symlink(base / "other", base / "c" / "linked_dir")
    return base


def _escapes(base: Path) -> list[str]:
    """Parent steps, an absolute path, a linked file and a linked folder."""
    return ["../other/x.csv", str(base / "other" / "x.csv"), "surveys/link.csv", "linked_dir/x.csv",
            "surveys/../../other/x.csv"]


def _refused(message: str) -> bool:
    return "outside" in message or "inside the client folder" in message


def test_every_escape_is_refused(tree: Path) -> None:
    for relative in _escapes(tree):
        with pytest.raises(InputError) as info:
            resolve_inside(tree / "c", relative)
        assert _refused(str(info.value)), relative


def test_inside_paths_resolve(tree: Path) -> None:
    (tree / "c" / "surveys" / "s.csv").write_text("x\n")
    assert resolve_inside(tree / "c", "surveys/s.csv") == (tree / "c" / "surveys" / "s.csv").resolve()
    with pytest.raises(InputError, match="file not found"):
        resolve_inside(tree / "c", "surveys/missing.csv")


def _engagement(folder: Path, where: str, relative: str) -> None:
    sections = {
        "survey": {"surveys": [{"id": "s", "file": relative, "format": "csv", "date_format": "%Y-%m-%d",
                                "columns": {"response_id": "a", "date": "b"},
                                "metrics": {"nps": {"column": "a", "min": 0, "max": 10}}}]},
        "contacts": {"operations": {"contacts": relative}},
        "logo": {"logo": relative},
    }[where]
    data = {"client": "C", "period": {"start": "2025-01-01", "end": "2025-12-31"}, **sections}
    (folder / "engagement.yaml").write_text(yaml.safe_dump(data))


def _read(folder: ClientFolder, where: str) -> None:
    if where == "survey":
        folder.surveys
    elif where == "contacts":
        folder.contacts
    else:
        folder.path(folder.engagement.logo)


@pytest.mark.parametrize("where", ["survey", "contacts", "logo"])
def test_engagement_paths_escaping_the_folder_are_refused(tree: Path, where: str) -> None:
    for relative in _escapes(tree):
        _engagement(tree / "c", where, relative)
        with pytest.raises(InputError) as info:
            _read(ClientFolder("c", tree), where)
        assert _refused(str(info.value)) and str(tree) not in str(info.value).replace(relative, ""), relative
        if where != "logo":
            problems = validate_client("c", tree).problems
            assert any(_refused(p) for p in problems), (relative, problems)


def test_a_client_folder_that_is_a_link_is_refused(tree: Path) -> None:
    os.symlink(tree / "other", tree / "linked")
    with pytest.raises(InputError, match="real folder"):
        ClientFolder("linked", tree)
