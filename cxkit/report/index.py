"""The engagement's cover page, ``index.html``: an executive summary linking every chapter."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from cxkit.report.exporter import TEMPLATES_DIR, TEMPLATE_NAME


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    loader = jinja2.FileSystemLoader(str(TEMPLATES_DIR / TEMPLATE_NAME))
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.ChainableUndefined,
                              trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=1)
def _css() -> str:
    return (TEMPLATES_DIR / TEMPLATE_NAME / "static" / "report.css").read_text(encoding="utf-8")


def render_index(context: dict[str, Any], records: dict[str, Any]) -> str:
    """Render the executive summary.

    Parameters
    ----------
    context : dict
        Cover and navigation values (the same as each chapter's).
    records : dict
        Headline figures recorded by the chapters (``maturity``, ``journey``, ``metrics``,
        ``goals``, ``roi``), each as computed by cxkit in that chapter's notebook.

    Returns
    -------
    str
        A self-contained HTML page; every value is escaped by Jinja's autoescape.
    """
    template = _environment().get_template("summary.html.j2")
    return template.render(resources={"cxkit": {**context, "current": "index.html"}},
                           css=_css(), r=records)
