"""Render executed notebooks into stakeholder HTML with the project's nbconvert template."""
from __future__ import annotations

import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

import nbformat

from cxkit.report.html import esc

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
TEMPLATE_NAME = "cxkit"
CONSULTANT_TAGS = ("consultant", "injected-parameters", "parameters", "remove-cell")
_HEADING = re.compile(r'<h2 id="([^"]+)">(.*?)<a class="anchor-link"', re.S)
_TAGS = re.compile(r"<[^>]+>")


def _bytecode_cache() -> Any:
    """Jinja's file cache of compiled templates, or None where it cannot be kept.

    Jinja's own: a folder of the user's alone in the temporary directory, entries written
    atomically and recompiled when their template's source or the Python version changes.
    """
    from jinja2 import FileSystemBytecodeCache

    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no private, writable folder: compile every time, as before
        return None


@lru_cache(maxsize=1)
def _exporter_class() -> type:
    """nbconvert's ``HTMLExporter`` without its closing BeautifulSoup pass.

    ``HTMLExporter`` parses every finished page with BeautifulSoup to give images that lack
    alternative text a generic one and to make notebook cells focusable, then writes the
    page out again. A cxkit page has neither: every chart carries its own alternative text
    (:func:`cxkit.report.html.figure`, checked by the tests) and the template draws no
    notebook cells. The pass changed nothing and took about half of the rendering (0.1 s of
    a tiny client's 0.18 s); the conversion is otherwise ``HTMLExporter``'s own.

    Its Jinja environment keeps compiled templates in a bytecode cache
    (:func:`_bytecode_cache`): a new process rendered its first page in 0.07 s with it and
    in 0.14 to 0.20 s without, compiling nbconvert's and cxkit's templates.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class DeliverableExporter(HTMLExporter):
        def _create_environment(self) -> Any:
            environment = super()._create_environment()
            environment.bytecode_cache = _bytecode_cache()
            return environment

        def from_notebook_node(self, nb: nbformat.NotebookNode, resources: dict | None = None,
                               **kw: Any) -> tuple[str, dict]:
            language = nb.metadata.get("language_info", {})
            lexer = language.get("pygments_lexer", language.get("name", None))
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return DeliverableExporter


@lru_cache(maxsize=2)
def _exporter(consultant: bool):
    """One exporter per mode, reused across notebooks (building it costs ~0.3 s)."""
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = () if consultant else CONSULTANT_TAGS
    config.TagRemovePreprocessor.remove_all_outputs_tags = ()
    config.HTMLExporter.exclude_input = not consultant
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.embed_images = True
    config.HTMLExporter.preprocessors = ["nbconvert.preprocessors.TagRemovePreprocessor"]
    # the notebook comes straight from papermill: check it once after the preprocessors,
    # not once after each of nbconvert's thirteen (78 validations a client, 0.07 s)
    config.HTMLExporter.optimistic_validation = True
    if not TEMPLATES_DIR.is_dir():  # pragma: no cover - a broken install
        raise FileNotFoundError(f"cxkit templates not found at {TEMPLATES_DIR}; install with pip -e")
    return _exporter_class()(config=config, template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATES_DIR)])


def render_notebook(nb: nbformat.NotebookNode, context: dict[str, Any], *, consultant: bool = False) -> str:
    """Render one executed notebook to a self-contained HTML page.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook.
    context : dict
        Values for the cover and navigation (client, chapter title, chapters, brand colour...).
    consultant : bool
        Keep code cells and consultant-only cells (internal review copy).

    Returns
    -------
    str
        The HTML document, with a table of contents of its sections.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*is not able to be represented", category=UserWarning)
        body, _ = _exporter(consultant).from_notebook_node(
            nb, resources={"cxkit": context, "metadata": {"name": page_title(context)}})
    return add_toc(body)


def render_empty() -> str:
    """The page of an empty notebook: what the template weighs by itself.

    The first call also builds the exporter and compiles its templates (about 0.4 s), so
    a run makes it while its kernels start.
    """
    return render_notebook(nbformat.v4.new_notebook(), {"client": "", "chapters": [], "chapter_files": {}})


def page_title(context: dict[str, Any]) -> str:
    """The browser tab's title: client and chapter (the template escapes it).

    Examples
    --------
    >>> page_title({"client": "Acme", "chapter_number": "3", "chapter_title": "Baseline"})
    'Acme · 3. Baseline'
    """
    number = context.get("chapter_number")
    chapter = f"{number}. {context.get('chapter_title', '')}" if number else context.get("chapter_title", "")
    return " · ".join(part for part in (str(context.get("client", "")), chapter) if part) or "Report"


def add_toc(document: str) -> str:
    """Insert a numbered table of contents built from the page's level-2 headings.

    Examples
    --------
    >>> add_toc('<!--cx-toc--><h2 id="A-b">A b<a class="anchor-link" href="#A-b">¶</a></h2>')[:40]
    '<nav class="cx-toc" aria-label="Contents'
    """
    entries = [(anchor, _TAGS.sub("", text).strip()) for anchor, text in _HEADING.findall(document)]
    if not entries:
        return document.replace("<!--cx-toc-->", "")
    items = "".join(f'<li><a href="#{esc(a)}">{t}</a></li>' for a, t in entries)
    nav = f'<nav class="cx-toc" aria-label="Contents"><p class="cx-toc-title">Contents</p><ol>{items}</ol></nav>'
    return document.replace("<!--cx-toc-->", nav, 1)
