"""What customers say: redaction, display-safe comments, sentiment, themes and example quotes.

Raw comments never reach a deliverable: anything shown goes through :func:`safe_comment`.
"""
from cxkit.text.examples import example_comments
from cxkit.text.redact import redact, redact_series
from cxkit.text.safe import safe_comment, safe_comments
from cxkit.text.sentiment import sentiment
from cxkit.text.taxonomy import Taxonomy, load_taxonomy
from cxkit.text.themes import dominant_detractor_theme, summary_sentences, tag_themes, theme_summary

__all__ = [
    "Taxonomy", "dominant_detractor_theme", "example_comments", "load_taxonomy", "redact", "redact_series",
    "safe_comment", "safe_comments", "sentiment", "summary_sentences", "tag_themes", "theme_summary",
]
