"""Atomic publishing: reports/<client> is a link switched in one rename; failures change nothing."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from cxkit.run import publish


def _build(reports: Path, text: str) -> Path:
    build = publish.new_build_dir(reports, "acme")
    publish.write_atomic(build / "index.html", text)
    return build


def test_build_folders_are_unique_and_readable(tmp_path: Path) -> None:
    a, b = publish.new_build_dir(tmp_path, "acme"), publish.new_build_dir(tmp_path, "acme")
    assert a != b and a.parent == tmp_path / ".builds" / "acme"
    assert stat.S_IMODE(a.stat().st_mode) == 0o755  # shared like any deliverable folder


def test_publish_links_and_replaces(tmp_path: Path) -> None:
    first = _build(tmp_path, "one")
    target = publish.publish(first, tmp_path, "acme")
    assert target.is_symlink() and (target / "index.html").read_text() == "one"
    assert not os.path.isabs(os.readlink(target)), "a relative link survives moving the reports folder"
    second = _build(tmp_path, "two")
    publish.publish(second, tmp_path, "acme")
    assert (target / "index.html").read_text() == "two"
    assert not first.exists(), "the replaced build is removed"
    assert not list(tmp_path.glob(".acme.*.link"))


def test_discard_leaves_the_published_build(tmp_path: Path) -> None:
    good = _build(tmp_path, "good")
    publish.publish(good, tmp_path, "acme")
    failed = _build(tmp_path, "half")
    publish.discard(failed)
    assert not failed.exists() and (tmp_path / "acme" / "index.html").read_text() == "good"


def test_leftover_partial_builds_are_cleared_by_the_next_publish(tmp_path: Path) -> None:
    publish.publish(_build(tmp_path, "good"), tmp_path, "acme")
    killed = _build(tmp_path, "partial")  # a run killed before publishing leaves this behind
    publish.publish(_build(tmp_path, "new"), tmp_path, "acme")
    assert not killed.exists()
    assert len(list((tmp_path / ".builds" / "acme").iterdir())) == 1


def test_a_plain_folder_from_an_older_layout_is_retired(tmp_path: Path) -> None:
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "index.html").write_text("old")
    publish.publish(_build(tmp_path, "new"), tmp_path, "acme")
    assert (tmp_path / "acme").is_symlink() and (tmp_path / "acme" / "index.html").read_text() == "new"


def test_other_clients_are_untouched(tmp_path: Path) -> None:
    other = publish.new_build_dir(tmp_path, "beta")
    publish.write_atomic(other / "index.html", "beta")
    publish.publish(other, tmp_path, "beta")
    publish.publish(_build(tmp_path, "acme"), tmp_path, "acme")
    assert (tmp_path / "beta" / "index.html").read_text() == "beta"


def test_write_atomic_leaves_no_temporary_file(tmp_path: Path) -> None:
    publish.write_atomic(tmp_path / "a.html", "x")
    publish.write_atomic(tmp_path / "a.html", "y")
    assert [p.name for p in tmp_path.iterdir()] == ["a.html"] and (tmp_path / "a.html").read_text() == "y"
