"""Tests of cxkit.io.run_cache: one parse of a client's surveys shared by its chapters."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pandas as pd
import pytest

import cxkit.io.survey_files as survey_files
from cxkit.demo import generate
from cxkit.errors import InputError
from cxkit.io import run_cache
from cxkit.io.client import ClientFolder


@pytest.fixture(scope="module")
def small_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("client_data")
    generate(base / "small", seed=11, responses=120, name="Small Co")
    return base


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every survey export actually read (file names), in order."""
    seen: list[str] = []
    real = survey_files.read_export

    def spy(path, source, relative):
        seen.append(relative)
        return real(path, source, relative)

    monkeypatch.setattr(survey_files, "read_export", spy)
    return seen


@pytest.fixture(autouse=True)
def no_open_scope(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(run_cache.CACHE_VAR, raising=False)


def test_outside_a_run_nothing_is_stored(small_client: Path, parses: list[str], tmp_path: Path) -> None:
    first = ClientFolder("small", small_client).surveys
    second = ClientFolder("small", small_client).surveys
    assert len(parses) == 2 * len(ClientFolder("small", small_client).engagement.surveys)
    pd.testing.assert_frame_equal(first.responses, second.responses)


def test_inside_a_run_the_second_reader_loads_the_first_parse(small_client: Path, parses: list[str]) -> None:
    with run_cache.scope() as folder:
        first = ClientFolder("small", small_client).surveys
        count = len(parses)
        second = ClientFolder("small", small_client).surveys
        assert len(parses) == count, "the second chapter parsed the exports again"
        assert len(list(folder.glob("surveys-*.pickle"))) == 1
    pd.testing.assert_frame_equal(first.responses, second.responses)
    pd.testing.assert_frame_equal(first.quality, second.quality)
    assert first.labels == second.labels
    assert second.responses.dtypes.to_dict() == first.responses.dtypes.to_dict()


def test_a_changed_input_file_is_parsed_again(small_client: Path, parses: list[str], tmp_path: Path) -> None:
    import shutil

    shutil.copytree(small_client / "small", tmp_path / "small")
    with run_cache.scope() as folder:
        before = ClientFolder("small", tmp_path).surveys
        export = tmp_path / "small" / ClientFolder("small", tmp_path).engagement.surveys[0].file
        lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
        export.write_text("".join(lines[:len(lines) // 2]), encoding="utf-8")  # half the responses
        count = len(parses)
        after = ClientFolder("small", tmp_path).surveys
        assert len(parses) > count
        assert len(list(folder.glob("surveys-*.pickle"))) == 2
    fresh = ClientFolder("small", tmp_path)._read_surveys()  # the changed file, parsed without any cache
    pd.testing.assert_frame_equal(after.responses, fresh.responses)
    assert len(after.responses) != len(before.responses) or not after.responses.equals(before.responses)


def test_another_client_never_finds_the_entry(small_client: Path, parses: list[str], tmp_path: Path) -> None:
    generate(tmp_path / "other", seed=12, responses=120, name="Other Co")
    with run_cache.scope():
        mine = ClientFolder("small", small_client).surveys
        theirs = ClientFolder("other", tmp_path).surveys
    assert not mine.responses.equals(theirs.responses)
    assert len(parses) == 4  # each client parsed its own two exports


def test_an_unreadable_entry_is_parsed_again(small_client: Path, parses: list[str]) -> None:
    with run_cache.scope() as folder:
        ClientFolder("small", small_client).surveys
        (entry,) = folder.glob("surveys-*.pickle")
        entry.write_bytes(b"not a pickle")
        count = len(parses)
        again = ClientFolder("small", small_client).surveys
        assert len(parses) > count and len(again.responses) > 0


def test_bad_input_is_raised_every_time_and_never_stored(tmp_path: Path) -> None:
    calls = []

    def build():
        calls.append(1)
        raise InputError("score out of range", file="surveys/a.csv", row=3, column="nps")

    with run_cache.scope() as folder:
        for _ in range(2):
            with pytest.raises(InputError, match="surveys/a.csv"):
                run_cache.cached("surveys", lambda: {"a": "1"}, build)
        assert calls == [1, 1] and [p.suffix for p in folder.iterdir()] in ([], [".lock"])  # an empty lock file


def test_scope_is_private_reentrant_and_cleaned_up() -> None:
    with run_cache.scope() as outer:
        assert os.environ[run_cache.CACHE_VAR] == str(outer)
        assert stat.S_IMODE(outer.stat().st_mode) == 0o700
        with run_cache.scope() as inner:
            assert inner == outer
        assert outer.is_dir(), "the inner scope must not delete the run's folder"
        (outer / "x.pickle").write_bytes(b"x")
    assert not outer.exists()
    assert run_cache.CACHE_VAR not in os.environ


def test_a_vanished_folder_only_costs_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(run_cache.CACHE_VAR, str(tmp_path / "gone"))
    assert run_cache.cached("surveys", lambda: {"a": "1"}, lambda: 42) == 42
    assert not (tmp_path / "gone").exists()


def test_readers_that_start_together_build_once() -> None:
    import threading
    import time

    builds: list[int] = []

    def build() -> dict:
        builds.append(1)
        time.sleep(0.2)  # long enough for the second reader to arrive while this one builds
        return {"parsed": True}

    with run_cache.scope():
        results: list[dict] = []
        readers = [threading.Thread(target=lambda: results.append(run_cache.cached("t", dict, build)))
                   for _ in range(2)]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join()
    assert builds == [1] and results == [{"parsed": True}] * 2


def test_a_chapter_hashes_its_inputs_once_for_all_its_entries(small_client: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import cxkit.io.client as client_module
    from cxkit.chapters import baseline

    hashed: list[str] = []
    real = client_module._sha256
    monkeypatch.setattr(client_module, "_sha256", lambda path: hashed.append(path.name) or real(path))
    cx = ClientFolder("small", small_client)
    baseline.analyse(cx)
    assert hashed == [], "outside a run nothing is stored, so nothing needs hashing"
    with run_cache.scope() as folder:
        cx = ClientFolder("small", small_client)
        base = baseline.analyse(cx)  # keys the surveys entry and one entry per metric's figures
        assert len(list(folder.glob("baseline-*.pickle"))) == len(base.metrics) > 1
    assert sorted(hashed) == sorted(Path(f).name for f in cx.input_files())  # each file once
    assert cx.fingerprint() == cx.run_fingerprint()  # the runner's check still reads the files afresh
    assert len(hashed) == 2 * len(cx.input_files())
