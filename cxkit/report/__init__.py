"""Rendering: safe HTML fragments for notebooks, the nbconvert exporter, the summary page."""
from cxkit.report.html import Html, bullets, callout, figure, kpis, paragraph, record, show, table

__all__ = ["Html", "bullets", "callout", "figure", "kpis", "paragraph", "record", "show", "table"]
