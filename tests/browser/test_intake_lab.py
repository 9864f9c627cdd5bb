"""The maturity intake form driven in real JupyterLab, in headless Chromium (issue 3).

A private root holds ``notebooks/01_maturity_intake.ipynb`` and ``client_data/demo`` so the
notebook's default ``client_data_dir="../client_data"`` finds the copy. JupyterLab is started
on a free port with a random token and stopped by its process id at the end. The test adds a
new respondent through the widgets, answers a few statements on two elements, saves, and
checks that both intake files hold the new rows and every earlier row unchanged.
"""
from __future__ import annotations

import csv
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = "01_maturity_intake.ipynb"
NEW = {"respondent_id": "R90", "name": "Ines Okafor", "role": "Field service lead", "department": "Field Service"}
# Answers for the first element shown (by position) and for the next one: option value -> csv text.
FIRST_ELEMENT = [("4 – mostly true", "4"), ("2 – mostly not true", "2"), ("Don't know", "")]
SECOND_ELEMENT = [("5 – fully true", "5")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# User settings for the private server: start the notebook's kernel without asking, keep every
# cell attached to the page (no off-screen virtualisation), and no
# news/update checks (they would ask the network and pop up a notification).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings":
        '{"autoStartDefaultKernel": true, "windowingMode": "none"}',
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        '{"fetchNews": "false", "checkForUpdates": false}',
}


def _write_settings(folder: Path) -> None:
    for name, text in LAB_SETTINGS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"jupyter lab exited early:\n{log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.25)
    pytest.fail(f"jupyter lab did not answer within {seconds} s:\n{log.read_text()[-2000:]}")


@pytest.fixture()
def lab_root(tmp_path: Path) -> Path:
    """ROOT/notebooks/<intake notebook> and ROOT/client_data/demo, copies of the repository's."""
    (tmp_path / "notebooks").mkdir()
    shutil.copy(REPO / "notebooks" / NOTEBOOK, tmp_path / "notebooks" / NOTEBOOK)
    shutil.copytree(REPO / "client_data" / "demo", tmp_path / "client_data" / "demo")
    return tmp_path


@pytest.fixture()
def jupyter_lab(lab_root: Path, tmp_path_factory: pytest.TempPathFactory):
    """A JupyterLab server on a free localhost port; yields its base URL and token."""
    jupyter = Path(sys.executable).with_name("jupyter")
    if not jupyter.exists():
        pytest.skip("jupyter is not installed in this environment")
    state = tmp_path_factory.mktemp("jupyter_state")
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(state / "runtime"), "JUPYTER_CONFIG_DIR": str(state / "config"),
           "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
           "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"), "MPLBACKEND": "Agg",
           "MPLCONFIGDIR": os.environ.get("MPLCONFIGDIR", str(REPO / ".cache" / "matplotlib"))}
    _write_settings(state / "settings")
    log = state / "lab.log"
    with log.open("w") as out:
        proc = subprocess.Popen([str(jupyter), "lab", "--no-browser", "--port", str(port),
                                 "--ServerApp.ip=127.0.0.1", f"--ServerApp.token={token}",
                                 f"--ServerApp.root_dir={lab_root}", "--allow-root"],
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{base}/api/status?token={token}", proc, log)
        yield base, token
    finally:
        proc.terminate()  # SIGTERM: the server shuts its kernels down, then exits
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _wait_for_idle_kernel(page, seconds: float) -> None:
    """Wait until the status bar says the notebook's kernel is connected and idle.

    Giving "Run All Cells" before that is what makes JupyterLab run only the first cell.
    """
    page.wait_for_function("() => /\\|\\s*Idle/.test(document.body.innerText)", timeout=seconds * 1000)
    page.wait_for_timeout(500)


def _run_all_cells(page, seconds: float = 180) -> None:
    """Run menu -> Run All Cells until the intake form shows.

    Right after the page opens, JupyterLab may take "Run All Cells" while its kernel is not
    yet connected, and then run nothing (or only the first cell) and drop the rest. So the
    command is given again whenever no cell is queued or running (``[*]``) and the form has
    not appeared. A "Select Kernel" dialog, if one appears, is accepted.
    """
    form = page.locator(".cx-respondent-id input")
    kernel_dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    deadline = time.monotonic() + seconds
    _wait_for_idle_kernel(page, seconds=90)
    while time.monotonic() < deadline:
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        settled = time.monotonic() + 10  # time for the kernel to take the queue (slow on a loaded machine)
        while time.monotonic() < deadline:
            if form.is_visible():
                return
            if kernel_dialog.is_visible():
                kernel_dialog.locator("button.jp-mod-accept").click()  # the notebook's own kernel
                kernel_dialog.wait_for(state="hidden")
                break
            if time.monotonic() > settled and not _cells_pending(page):
                break  # nothing ran or the queue was dropped: run all again
            page.wait_for_timeout(250)
    pytest.fail("the intake form never appeared after Run All Cells")


def _cells_pending(page) -> bool:
    """Whether any code cell is queued or running (its prompt shows ``[*]``)."""
    return any("[*]" in text for text in page.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts())


def _answer_visible(page, choices: list[tuple[str, str]]) -> dict[str, str]:
    """Pick ``choices`` in the first statements of the element on screen; statement id -> csv text."""
    statements = page.locator(".cx-statement").filter(visible=True)
    assert statements.count() >= len(choices), "fewer statements on screen than expected"
    picked = {}
    for pos, (option, stored) in enumerate(choices):
        widget = statements.nth(pos)
        statement_id = widget.locator("label.widget-label").inner_text().strip()
        widget.locator("select").select_option(value=option)
        picked[statement_id] = stored
    return picked


def test_new_respondent_saved_from_jupyterlab(browser, jupyter_lab, lab_root: Path, artifacts: Path):
    base, token = jupyter_lab
    client = lab_root / "client_data" / "demo"
    answers_before = _rows(client / "intake" / "answers.csv")
    people_before = _rows(client / "intake" / "respondents.csv")
    assert NEW["respondent_id"] not in {p["respondent_id"] for p in people_before}

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{base}/lab/tree/notebooks/{NOTEBOOK}?token={token}")
        page.wait_for_selector(".jp-Notebook")
        _run_all_cells(page)
        page.fill(".cx-respondent-id input", NEW["respondent_id"])
        page.fill(".cx-respondent-name input", NEW["name"])
        page.fill(".cx-respondent-role input", NEW["role"])
        page.fill(".cx-respondent-department input", NEW["department"])
        page.click("button.cx-add-respondent")
        page.locator(".cx-status", has_text=f"New respondent {NEW['respondent_id']}").wait_for()

        expected = _answer_visible(page, FIRST_ELEMENT)
        first_label = page.locator(".cx-statement").filter(visible=True).first.locator("label")
        page.click("button.cx-next-element")  # the kernel swaps the visible element's section
        expect(first_label).not_to_have_text(next(iter(expected)))
        expected |= _answer_visible(page, SECOND_ELEMENT)
        assert len({sid.split(".")[0] for sid in expected}) == 2, "answers should span two elements"
        page.click("button.cx-save")
        page.locator(".cx-status", has_text=f"Saved {len(expected)} answers for {NEW['respondent_id']}").wait_for()
        page.locator(".cx-status").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "intake_lab_form.png"))
    except Exception:
        page.screenshot(path=str(artifacts / "intake_lab_failure.png"), full_page=True)
        raise
    finally:
        context.close()

    answers_after = _rows(client / "intake" / "answers.csv")
    mine = {r["statement_id"]: r["agreement"] for r in answers_after if r["respondent_id"] == NEW["respondent_id"]}
    assert mine == expected
    others = [r for r in answers_after if r["respondent_id"] != NEW["respondent_id"]]
    assert others == answers_before  # every earlier row kept, same order, same text

    people_after = _rows(client / "intake" / "respondents.csv")
    added = [p for p in people_after if p["respondent_id"] == NEW["respondent_id"]]
    assert len(added) == 1 and {k: added[0][k] for k in NEW} == NEW
    assert added[0]["is_leadership"].lower() == "false"
    assert [p for p in people_after if p["respondent_id"] != NEW["respondent_id"]] == people_before

