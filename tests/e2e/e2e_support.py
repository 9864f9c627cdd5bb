"""Helpers shared by the end-to-end tests: client copies, tree hashes, HTML scanning.

Imported by ``tests/e2e/conftest.py`` and the ``test_e2e_*`` modules (pytest puts this
folder on ``sys.path``).
"""
from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import yaml

from cxkit.run.chapters import CHAPTERS, Chapter

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "client_data" / "demo"
CXKIT = ROOT / ".venv" / "bin" / "cxkit"
ALPHA_NAME = "Alpha Analytics"
STAKEHOLDER_FILES = tuple(c.file for c in CHAPTERS)

_STYLE = re.compile(r"<style\b.*?</style>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_DATA_URI = re.compile(r"data:[a-z/+.-]+;base64,[A-Za-z0-9+/=]+")
_KPI = re.compile(r'<div class="kpi-(label|value|detail)">(.*?)</div>', re.S)


def copy_demo(client_data: Path, client: str) -> Path:
    """Copy the demo client into ``client_data/<client>`` and return the new folder."""
    target = client_data / client
    shutil.copytree(DEMO, target)
    return target


def edit_engagement(folder: Path, change: Callable[[dict], Any]) -> None:
    """Load ``engagement.yaml``, let ``change`` edit the mapping in place, write it back."""
    path = folder / "engagement.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def tree_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below ``folder`` (links followed), keyed by relative path."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def sha256(path: Path) -> str:
    """SHA-256 of one file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def strip_images(document: str) -> str:
    """The document with every base64 data URI replaced by a placeholder."""
    return _DATA_URI.sub("data:IMAGE", document)


def visible_text(document: str) -> str:
    """What a reader sees: no style blocks, no tags, no images, entities decoded."""
    text = _TAG.sub(" ", _STYLE.sub(" ", strip_images(document)))
    return html.unescape(re.sub(r"\s+", " ", text))


def kpi_cards(document: str) -> list[tuple[str, str]]:
    """The (kind, text) of every KPI label, value and detail on a page, in order."""
    return [(kind, visible_text(body).strip()) for kind, body in _KPI.findall(document)]


def stakeholder_pages(report: Path) -> dict[str, str]:
    """Every stakeholder HTML file of a published deliverable (chapters and index)."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(report.glob("*.html"))}


@dataclass(frozen=True)
class NotebookChapter(Chapter):
    """A chapter whose notebook lives anywhere (for planting failures)."""

    path: Path | None = None

    @property
    def notebook(self) -> Path:
        """The notebook file given at construction."""
        return self.path


PARAMETERS = 'client = "demo"\nclient_data_dir = "../client_data"\nas_of = None\n'


def planted_notebook(folder: Path, stem: str, body: list[str]) -> NotebookChapter:
    """Write a small chapter notebook: a parameters cell, then one code cell per ``body`` item."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(PARAMETERS)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# Planted {stem}"), params]
    nb.cells += [nbformat.v4.new_code_cell(src) for src in body]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / f"{stem}.ipynb"
    nbformat.write(nb, path)
    return NotebookChapter(9, stem, f"Planted {stem}", "Planted", {}, path=path)


def cli_process(args: list[str], log: Path) -> subprocess.Popen:
    """Start ``cxkit ARGS`` in its own session (so it can be killed as a group)."""
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONWARNINGS": "ignore"}
    command = [str(CXKIT)] if CXKIT.exists() else [sys.executable, "-m", "cxkit"]
    handle = log.open("w")
    return subprocess.Popen(command + args, stdout=handle, stderr=subprocess.STDOUT, cwd=str(ROOT), env=env,
                            start_new_session=True)
