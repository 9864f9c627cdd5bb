"""Tests for cxkit.cli.console: the exit code survives the quick exit, and so does cleanup."""
from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from cxkit import cli


class Exited(Exception):
    """Stands in for os._exit, which would end the test process."""


def _fake_exit(code: int) -> None:
    raise Exited(code)


def test_quick_exit_runs_exit_handlers_and_keeps_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    ran = []
    monkeypatch.setattr(cli, "main", lambda: 3)
    monkeypatch.setattr(cli.os, "_exit", _fake_exit)
    monkeypatch.setattr(cli.atexit, "_run_exitfuncs", lambda: ran.append("handlers"))
    monkeypatch.setattr(cli.threading, "active_count", lambda: 1)  # a test runner's own threads aside
    with pytest.raises(Exited) as exited:
        cli.console()
    assert exited.value.args == (3,)
    assert ran == ["handlers"]


def test_a_running_thread_gets_the_ordinary_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "main", lambda: 0)
    monkeypatch.setattr(cli.os, "_exit", _fake_exit)
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        with pytest.raises(SystemExit) as exited:
            cli.console()
    finally:
        release.set()
        worker.join()
    assert exited.value.code == 0


def test_python_m_cxkit_keeps_exit_code_output_and_exit_handlers(tmp_path) -> None:
    marker = tmp_path / "handler-ran"
    code = ("import atexit, pathlib, sys; "
            f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes'); "
            "sys.argv = ['cxkit', 'validate', 'nobody', '--client-data', sys.argv[1]]; "
            "import runpy; runpy.run_module('cxkit', run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "nobody" in done.stderr
    assert marker.read_text() == "yes"
