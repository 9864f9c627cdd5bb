"""The demo deliverable in headless Chromium: opens offline, links resolve, prints, stays inert.

Each page (index plus the five chapters) is opened once from ``file://`` and kept open for
the module; the checks below read what was recorded while it loaded. Screenshots go to
``test-artifacts/screenshots/<page>.png``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pandas as pd
import pytest

from cxkit.run.chapters import CHAPTERS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("demo_report")]

PAGES = ["index.html", *(c.file for c in CHAPTERS)]
VIEWPORT = {"width": 1280, "height": 900}
# Printable area at 96 CSS px per inch, less the 14 mm x 12 mm @page margins of report.css:
# A4 210 x 297 mm -> (210 - 24) / 25.4 * 96 = 703 px wide, (297 - 28) / 25.4 * 96 = 1017 px high.
# Letter 8.5 x 11 in -> 8.5 * 96 - 24 / 25.4 * 96 = 725 px wide, 11 * 96 - 28 / 25.4 * 96 = 950 px high.
PRINT_AREAS = {"A4": (703, 1017), "Letter": (725, 950)}


@dataclass
class Visit:
    """What one page did while it loaded, and the open page for further checks."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def _open(browser, url: str, *, bypass_csp: bool = False) -> Visit:
    """Open ``url`` in a fresh context, recording console errors, requests and dialogs."""
    context = browser.new_context(viewport=VIEWPORT, bypass_csp=bypass_csp, java_script_enabled=True)
    page = context.new_page()
    visit = Visit(page)
    page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.console_errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: visit.failed.append(f"{r.url[:120]} {r.failure}"))
    page.on("request", lambda r: visit.requests.append(r.url))
    page.on("dialog", lambda d: (visit.dialogs.append(d.message), d.dismiss()))
    page.goto(url, wait_until="load")
    return visit


@pytest.fixture(scope="module")
def visits(browser, deliverable: Path, artifacts: Path):
    """Every page of the deliverable, opened once (lazily) and screenshotted."""
    opened: dict[str, Visit] = {}

    def visit(name: str) -> Visit:
        if name not in opened:
            path = deliverable / name
            assert path.is_file(), f"{name} is missing from the deliverable"
            opened[name] = _open(browser, path.resolve().as_uri())
            shot = artifacts / "screenshots" / f"{Path(name).stem}.png"
            opened[name].page.screenshot(path=str(shot), full_page=True)
        return opened[name]

    yield visit
    for item in opened.values():
        item.page.context.close()


def test_deliverable_holds_index_and_five_chapters(deliverable: Path):
    found = sorted(p.name for p in deliverable.glob("*.html"))
    assert found == sorted(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_offline_without_errors(visits, name: str):
    visit = visits(name)
    assert visit.console_errors == [], f"{name}: console errors"
    assert visit.failed == [], f"{name}: failed requests"
    remote = [u[:120] for u in visit.requests if urlparse(u).scheme not in ("file", "data")]
    assert remote == [], f"{name} asks the network for something"
    assert visit.page.evaluate("document.querySelectorAll('script').length") == 0, f"{name} carries scripts"


@pytest.mark.parametrize("name", PAGES)
def test_every_image_is_decoded(visits, name: str):
    images = visits(name).page.evaluate(
        "Array.from(document.images).map(i => ({src: i.getAttribute('src').slice(0, 40),"
        " complete: i.complete, width: i.naturalWidth}))")
    broken = [i for i in images if not i["complete"] or i["width"] == 0]
    assert broken == [], f"{name}: images that did not decode"
    if name != "index.html":
        assert images, f"{name} has no figures at all"


@pytest.mark.parametrize("name", PAGES)
def test_table_of_contents_links_resolve(visits, name: str):
    page = visits(name).page
    toc = page.evaluate("Array.from(document.querySelectorAll('nav.cx-toc a[href^=\"#\"]'))"
                        ".map(a => a.getAttribute('href').slice(1))")
    if name != "index.html":
        assert len(toc) >= 2, f"{name}: the table of contents is missing or nearly empty"
    every = page.evaluate("Array.from(document.querySelectorAll('a[href^=\"#\"]'))"
                          ".map(a => a.getAttribute('href').slice(1))")
    dangling = page.evaluate("ids => ids.filter(id => !document.getElementById(decodeURIComponent(id)))",
                             sorted(set(toc) | set(every)))
    assert dangling == [], f"{name}: in-page links without a target"


@pytest.mark.parametrize("name", PAGES)
def test_only_chapter_sections_are_numbered(visits, name: str):
    """A chapter's sections read '1. ...', '2. ...'; the summary's do not, so its 'Goals'
    is never taken for a third chapter beside the tab '4. Goals'."""
    prefixes = visits(name).page.evaluate(
        "Array.from(document.querySelectorAll('main h2')).map(h => getComputedStyle(h, '::before').content)")
    assert prefixes, f"{name} has no sections"
    if name == "index.html":
        assert set(prefixes) == {"none"}, prefixes
    else:
        assert "none" not in prefixes, prefixes


@pytest.mark.parametrize("name", PAGES)
def test_chapter_navigation_resolves_to_files(visits, deliverable: Path, name: str):
    page = visits(name).page
    nav = page.evaluate("Array.from(document.querySelectorAll('nav.cx-chapters a')).map(a => a.getAttribute('href'))")
    assert sorted(nav) == sorted(PAGES), f"{name}: the chapter navigation does not list every page"
    current = page.evaluate("Array.from(document.querySelectorAll('nav.cx-chapters a[aria-current=page]'))"
                            ".map(a => a.getAttribute('href'))")
    assert current == [name]
    links = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    local = {unquote(urlparse(h).path) for h in links if not h.startswith("#") and not urlparse(h).scheme}
    missing = sorted(h for h in local if not (deliverable / h).is_file())
    assert missing == [], f"{name}: links to files that do not exist"
    external = sorted({h for h in links if urlparse(h).scheme not in ("", "file")})
    assert external == [], f"{name}: links leave the deliverable"


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("paper", sorted(PRINT_AREAS))
def test_prints_to_pdf(visits, name: str, paper: str, artifacts: Path):
    page = visits(name).page
    pdf = page.pdf(format=paper, print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    if name == "05_roi_story.html":  # one sample per paper size for a human to look at
        (artifacts / f"roi_story_{paper}.pdf").write_bytes(pdf)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("paper", sorted(PRINT_AREAS))
def test_print_layout_fits_the_paper(visits, name: str, paper: str):
    """Printed at the paper's width, nothing runs off the right edge, and every figure keeps
    together and is shorter than a page (so no figure is cut)."""
    page = visits(name).page
    width, height = PRINT_AREAS[paper]
    page.set_viewport_size({"width": width, "height": height})
    page.emulate_media(media="print")
    try:
        figures = page.evaluate(
            "Array.from(document.querySelectorAll('figure')).map(f => ({"
            " breakInside: getComputedStyle(f).breakInside,"
            " height: f.getBoundingClientRect().height,"
            " alt: (f.querySelector('img') || {}).alt || ''}))")
        tall = [f["alt"][:60] for f in figures if f["height"] > height]
        loose = [f["alt"][:60] for f in figures if f["breakInside"] != "avoid"]
        too_wide = page.evaluate(
            "w => Array.from(document.querySelectorAll('main table, main figure, main pre, .kpis'))"
            ".filter(e => e.getBoundingClientRect().right > w + 1 || e.scrollWidth > w + 1)"
            ".map(e => e.tagName + ' ' + ((e.querySelector('caption') || {}).textContent || '').slice(0, 60))", width)
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size(VIEWPORT)
    assert loose == [], f"{name}: figures that may be split across pages"
    assert tall == [], f"{name}: figures taller than a printed {paper} page"
    assert too_wide == [], f"{name}: content wider than printed {paper} paper (cut off on the right)"


# --- adversarial: hostile client text must stay text ---------------------------------------

HOSTILE = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>',
           '"><svg onload=alert(1)>', "</style><script>alert('css')</script>",
           "javascript:alert(1) <a href=javascript:alert(1)>click</a>"]


def _hostile_notebook() -> nbformat.NotebookNode:
    """A small executed-looking notebook whose outputs carry hostile comments via cxkit.report.html."""
    from cxkit.report import html as h
    from cxkit.text import safe_comment

    quotes = h.Html("".join(f'<blockquote class="comment">{safe_comment(c)}</blockquote>' for c in HOSTILE))
    frame = pd.DataFrame({"segment": HOSTILE, "comment": [safe_comment(c) for c in HOSTILE], "n": range(5)})
    parts = [h.paragraph(HOSTILE[0]), h.bullets(HOSTILE), h.callout(HOSTILE[1], title=HOSTILE[2]),
             h.kpis([{"label": HOSTILE[0], "value": HOSTILE[1], "detail": HOSTILE[2], "flag": HOSTILE[3]}]),
             h.table(frame, caption=HOSTILE[4]), quotes]
    cell = nbformat.v4.new_code_cell("show(...)")
    cell.outputs = [nbformat.v4.new_output("display_data", {"text/html": p._repr_html_()}) for p in parts]
    cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=HOSTILE[0]))
    heading = nbformat.v4.new_markdown_cell("## What customers say")
    return nbformat.v4.new_notebook(cells=[heading, cell])


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A chapter rendered by the real exporter from hostile comments and a hostile cover."""
    from cxkit.report.exporter import render_notebook

    context = {"client": HOSTILE[1], "engagement_title": HOSTILE[0], "consultant_firm": HOSTILE[2],
               "brand_colour": "#1f5f8b", "logo_data_uri": None, "report_date": "2025-12-31",
               "period_end": "2025-12-31", "chapter_number": "3", "chapter_title": HOSTILE[3],
               "current": "03_metric_baseline.html",
               "chapters": [{"number": 3, "file": "03_metric_baseline.html", "short": HOSTILE[1], "title": "x"}]}
    path = tmp_path_factory.mktemp("hostile") / "03_metric_baseline.html"
    path.write_text(render_notebook(_hostile_notebook(), context), encoding="utf-8")
    return path


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "csp-bypassed"])
def test_hostile_comments_never_run(browser, hostile_page: Path, bypass_csp: bool):
    """No dialog fires, even with the page's Content-Security-Policy switched off (escaping alone)."""
    visit = _open(browser, hostile_page.as_uri(), bypass_csp=bypass_csp)
    page = visit.page
    try:
        page.wait_for_timeout(300)  # give any onerror/onload handler a chance to fire
        assert visit.dialogs == []
        assert page.evaluate("document.querySelectorAll('script, svg, iframe, object, embed').length") == 0
        handlers = page.evaluate(
            "Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes)"
            ".filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value)).map(a => e.tagName + ' ' + a.name))")
        assert handlers == []
        assert page.evaluate("document.querySelectorAll('img[src=x]').length") == 0
        text = page.inner_text("body")
        assert "<script>alert(1)</script>" in text  # shown to the reader as text
        assert "<img src=x onerror=alert(1)>" in text
        assert [u for u in visit.requests if urlparse(u).scheme not in ("file", "data")] == []
    finally:
        page.context.close()
