"""The stakeholder page template and the summary page: size, escaping, no scripts."""
from __future__ import annotations

import json
import re

import nbformat
import pytest

from cxkit.report.exporter import page_title, render_notebook
from cxkit.report.html import Html, record
from cxkit.report.index import render_index

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>"
MAX_TEMPLATE_BYTES = 60_000  # issue 2: the template's fixed overhead


def _context(client: str = "Acme") -> dict:
    chapters = [{"number": i, "file": f"0{i}.html", "short": f"S{i}", "title": f"T{i}"} for i in range(1, 6)]
    return {"client": client, "engagement_title": f"Review {PAYLOAD}", "consultant_firm": "Firm",
            "brand_colour": "#1f5f8b", "logo_data_uri": None, "report_date": "2026-09-30",
            "period_end": "2026-09-30", "chapter_number": "3", "chapter_title": "Baseline",
            "chapters": chapters, "chapter_files": {c["number"]: c["file"] for c in chapters}, "current": "03.html"}


def _notebook(*outputs: dict, source: str = "secret_code()") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    injected = nbformat.v4.new_code_cell('client_data_dir = "/srv/x"')
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("## Section one"), injected, cell]
    return nb


def test_template_overhead_is_small() -> None:
    page = render_notebook(nbformat.v4.new_notebook(), _context())
    assert len(page.encode("utf-8")) <= MAX_TEMPLATE_BYTES


def test_page_is_validated_once_not_after_every_preprocessor(monkeypatch) -> None:
    import nbformat.validator

    calls = []
    real = nbformat.validator.validate
    page, broken = _notebook(), _notebook()
    monkeypatch.setattr(nbformat, "validate", lambda *a, **k: calls.append(1) or real(*a, **k))
    render_notebook(page, _context())
    assert len(calls) == 1
    broken.cells[2].outputs = [nbformat.from_dict({"output_type": "stream", "name": "stdout"})]  # no text
    with pytest.raises(nbformat.ValidationError):
        render_notebook(broken, _context())


def test_page_has_csp_no_script_and_escaped_context() -> None:
    page = render_notebook(_notebook(), _context(client="A & <b>B</b>"))
    head = page.split("<body", 1)[0]
    assert 'http-equiv="Content-Security-Policy"' in head and "script-src 'none'" in head
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and PAYLOAD not in page
    assert "<title>A &amp; &lt;b&gt;B&lt;/b&gt; · 3. Baseline</title>" in page


def test_code_injected_parameters_errors_and_stderr_are_hidden() -> None:
    error = {"output_type": "error", "ename": "ValueError", "evalue": "boom", "traceback": ["Traceback (most"]}
    stderr = {"output_type": "stream", "name": "stderr", "text": "warning: /home/someone/x.py"}
    page = render_notebook(_notebook(error, stderr), _context())
    for hidden in ("secret_code", "/srv/x", "client_data_dir", "Traceback", "boom", "/home/someone"):
        assert hidden not in page, hidden


def test_untrusted_output_mimetypes_are_not_rendered() -> None:
    js = {"output_type": "display_data", "metadata": {},
          "data": {"application/javascript": "window.jsPayload()", "text/plain": "x"}}
    md = {"output_type": "display_data", "metadata": {}, "data": {"text/markdown": "[a](javascript:mdPayload())"}}
    mermaid = {"output_type": "display_data", "metadata": {},
               "data": {"text/vnd.mermaid": "<img src=x onerror=merPayload()>"}}
    page = render_notebook(_notebook(js, md, mermaid), _context())
    assert "jsPayload" not in page and "merPayload" not in page
    assert 'href="javascript:' not in page and "[a](javascript:mdPayload())" in page  # shown as plain text


def test_table_of_contents_lists_sections() -> None:
    page = render_notebook(_notebook(), _context())
    assert re.search(r'<nav class="cx-toc".*Section one', page, re.S)


def test_page_title_examples() -> None:
    assert page_title({"client": "Acme", "chapter_title": "Executive summary"}) == "Acme · Executive summary"
    assert page_title({}) == "Report"


def test_index_escapes_every_recorded_value() -> None:
    records = {
        "maturity": {"level_display": PAYLOAD, "stage": PAYLOAD, "priorities": [PAYLOAD], "weakest": [PAYLOAD]},
        "metrics": {"nps": {"label": PAYLOAD, "value_display": "+12", "interval_display": PAYLOAD,
                            "change_display": PAYLOAD, "flag": PAYLOAD}, "headline": PAYLOAD},
        "journey": {"findings": [PAYLOAD]},
        "goals": [{"metric": PAYLOAD, "current": 1, "target": 2, "date": "2027", "reasoning": PAYLOAD}],
        "roi": {"base": PAYLOAD, "low": "1", "high": "2", "headline": PAYLOAD, "story": [PAYLOAD]},
    }
    page = render_index({**_context(), "brand_colour": "red;}</style><script>x()</script>"}, records)
    assert "<script" not in page.lower() and "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 12
    assert 'http-equiv="Content-Security-Policy"' in page.split("<body", 1)[0]


def test_index_names_one_or_several_declining_segments() -> None:
    one = render_index(_context(), {"declining": ["SMB: NPS below its earlier level."]})
    two = render_index(_context(), {"declining": ["SMB: NPS below its earlier level.",
                                                  "Enterprise: CES below the previous quarter."]})
    assert "<strong>Declining segment.</strong>" in one and "<strong>Declining segments.</strong>" in two
    assert "<li>SMB: NPS below its earlier level.</li><li>Enterprise: CES below the previous quarter.</li>" in two


def test_index_without_records_still_renders() -> None:
    page = render_index(_context(), {})
    assert "No goals were set" in page and "No value estimate was produced" in page


def test_html_fragment_is_trusted_only_when_built_by_cxkit() -> None:
    from cxkit.report.html import bullets, callout, paragraph, table
    import pandas as pd

    frame = pd.DataFrame({PAYLOAD: [PAYLOAD]})
    for fragment in (paragraph(PAYLOAD), bullets([PAYLOAD]), callout(PAYLOAD, PAYLOAD, PAYLOAD), table(frame, PAYLOAD)):
        assert isinstance(fragment, Html) and "<script" not in str(fragment) and "<img" not in str(fragment)


def test_record_output_is_invisible_json(capsys) -> None:
    pytest.importorskip("IPython")
    record("k", {"v": PAYLOAD})  # outside a kernel IPython prints the raw bundle; it must be JSON-safe
    json.dumps({"v": PAYLOAD})


def test_table_headers_keep_acronyms_and_escape() -> None:
    import pandas as pd

    from cxkit.report.html import table

    out = str(table(pd.DataFrame({"NPV": [1.0], "churn_rate": [0.1], "<b>x</b>": [2]})))
    assert "<th>NPV</th>" in out and "<th>Churn rate</th>" in out
    assert "<th>&lt;b&gt;x&lt;/b&gt;</th>" in out


def test_a_new_exporter_loads_its_compiled_templates_from_the_cache(monkeypatch) -> None:
    """Compiling the templates was most of building the exporter in a new process: they are
    compiled once, then loaded from Jinja's bytecode cache (same page either way)."""
    import jinja2

    from cxkit.report import exporter

    nb = _notebook()
    first = render_notebook(nb, _context())  # fills the cache if this process has not yet
    exporter._exporter.cache_clear()  # a new exporter, as in a new process
    compiled: list[str] = []
    real = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda self, source, name=None, *a, **k: compiled.append(name) or real(self, source, name, *a, **k))
    try:
        again = render_notebook(nb, _context())
    finally:
        exporter._exporter.cache_clear()
    assert isinstance(exporter._bytecode_cache(), jinja2.FileSystemBytecodeCache)
    assert compiled == [] and again == first


def test_labels_read_in_a_sentence_with_their_acronyms_kept() -> None:
    from cxkit.report.wording import in_sentence

    assert [in_sentence(x) for x in ("Annual churn of detractors", "A funded CX programme", "NPS points gained")] == \
        ["annual churn of detractors", "a funded CX programme", "NPS points gained"]
