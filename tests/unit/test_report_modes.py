"""The consultant copy keeps code; the stakeholder page does not; the logo is embedded."""
from __future__ import annotations

import shutil

import nbformat
import pytest

from cxkit.io.client import ClientFolder
from cxkit.report.exporter import render_notebook
from cxkit.run.client_run import cover_context

CONTEXT = {"client": "Acme", "engagement_title": "CX", "consultant_firm": "Firm", "brand_colour": "#1f5f8b",
           "logo_data_uri": None, "report_date": "2026-09-30", "period_end": "2026-09-30",
           "chapter_number": "1", "chapter_title": "Test", "chapters": [], "chapter_files": {}, "current": "x.html"}


def _notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    secret = nbformat.v4.new_code_cell("internal_only = 42", metadata={"tags": ["consultant"]})
    shown = nbformat.v4.new_code_cell("print('hello')")
    shown.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hello\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("## Section"), secret, shown]
    return nb


def test_stakeholder_page_has_no_code_and_no_consultant_cells():
    page = render_notebook(_notebook(), CONTEXT)
    assert "hello" in page
    assert "print(" not in page and "internal_only" not in page


def test_consultant_copy_keeps_code_and_consultant_cells():
    page = render_notebook(_notebook(), CONTEXT, consultant=True)
    assert "print" in page and "internal_only" in page


def test_logo_is_embedded_as_a_data_uri(demo_copy, tmp_path):
    base = tmp_path / "client_data"
    shutil.copytree(demo_copy / "demo", base / "demo")
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
           b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82")
    (base / "demo" / "logo.png").write_bytes(png)
    text = (base / "demo" / "engagement.yaml").read_text()
    (base / "demo" / "engagement.yaml").write_text(text.replace("logo: null", "logo: logo.png"))
    context = cover_context(ClientFolder("demo", base), "2026-09-30")
    assert context["logo_data_uri"].startswith("data:image/png;base64,")
    page = render_notebook(_notebook(), {**context, "chapter_number": "1", "chapter_title": "T", "current": "x"})
    assert 'class="cx-logo" src="data:image/png;base64,' in page


@pytest.mark.parametrize("name, data, words", [
    ("logo.gif", b"GIF89a", "PNG, JPEG or SVG"),
    ("logo.png", b"not an image at all", "not a PNG image"),  # would show a broken image on every cover
    ("logo.svg", b"<html>oops</html>", "not a SVG image"),
])
def test_a_logo_of_another_kind_is_refused(demo_copy, tmp_path, name, data, words):
    from cxkit.errors import InputError

    base = tmp_path / "client_data"
    shutil.copytree(demo_copy / "demo", base / "demo")
    (base / "demo" / name).write_bytes(data)
    text = (base / "demo" / "engagement.yaml").read_text()
    (base / "demo" / "engagement.yaml").write_text(text.replace("logo: null", f"logo: {name}"))
    with pytest.raises(InputError, match=words) as info:
        cover_context(ClientFolder("demo", base), "2026-09-30")
    assert info.value.file == name
