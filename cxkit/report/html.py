"""Safe HTML building blocks for the notebooks' outputs.

Everything a chapter shows goes through these functions. Text is always escaped with
:func:`html.escape` (quotes included), so a client-provided string (a comment, a segment
name, a YAML label) can never become markup. The only markup in a deliverable is the
markup built here, by cxkit.
"""
from __future__ import annotations

import base64
import html
import io
import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where needed: the runner reads this module's constants without pandas
    import pandas as pd

RECORD_MIME = "application/vnd.cxkit.record+json"
CAVEAT = "caveat:"
"""Records whose key starts with this are told to the consultant when the run ends (what a
chapter could not say), not shown on the summary page."""
PNG_DPI = 100
"""Resolution of every embedded chart (800 x 450 pixels for the standard 8 x 4.5 in figure)."""
PNG_COMPRESSION = 1
"""zlib level for chart PNGs: on a tiny client's charts, encoding took about 0.6 of the time of
Pillow's default level 6, for files mostly within a few per cent of its size (20% larger at worst)."""


class Html:
    """A fragment of trusted markup built by cxkit; shows itself in a notebook."""

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup

    def __add__(self, other: "Html") -> "Html":
        return Html(self.markup + str(other))


def esc(value: Any) -> str:
    """Escape any value for use as HTML text or attribute content.

    Examples
    --------
    >>> esc('<script>alert("x")</script>')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    """
    return html.escape("" if value is None else str(value), quote=True)


def paragraph(text: str, css: str = "") -> Html:
    """A paragraph of escaped text."""
    cls = f' class="{esc(css)}"' if css else ""
    return Html(f"<p{cls}>{esc(text)}</p>")


def bullets(items: Iterable[str], css: str = "findings") -> Html:
    """A bulleted list of escaped sentences."""
    lines = "".join(f"<li>{esc(item)}</li>" for item in items)
    return Html(f'<ul class="{esc(css)}">{lines}</ul>')


def callout(text: str, kind: str = "note", title: str | None = None, items: Iterable[str] = ()) -> Html:
    """A highlighted box: ``kind`` is note, warning or key (the key finding); ``items``, if
    any, are listed under its title, before ``text``."""
    head = f"<strong>{esc(title)}</strong> " if title else ""
    entries = "".join(f"<li>{esc(item)}</li>" for item in items)
    body = f"{head}<ul>{entries}</ul><p>{esc(text)}</p>" if entries else f"{head}{esc(text)}"
    return Html(f'<div class="callout callout-{esc(kind)}">{body}</div>')


def kpis(cards: Iterable[Mapping[str, Any]]) -> Html:
    """A row of headline figures: each card has label, value and optional detail and flag."""
    out = []
    for card in cards:
        flag = card.get("flag")
        flag_html = f'<span class="kpi-flag">{esc(flag)}</span>' if flag else ""
        out.append(
            f'<div class="kpi"><div class="kpi-label">{esc(card["label"])}</div>'
            f'<div class="kpi-value">{esc(card["value"])}</div>'
            f'<div class="kpi-detail">{esc(card.get("detail", ""))}</div>'
            + (f'<div class="kpi-detail">{esc(card["change"])}</div>' if card.get("change") else "")
            + f"{flag_html}</div>"
        )
    return Html(f'<div class="kpis">{"".join(out)}</div>')


def table(frame: pd.DataFrame, caption: str | None = None, *, formats: Mapping[str, str] | None = None,
          index: bool = False, max_rows: int = 60, muted: pd.Series | None = None) -> Html:
    """Render a DataFrame as an escaped HTML table.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tidy results; column names are shown with underscores as spaces.
    caption : str, optional
        Shown above the table.
    formats : mapping of column to format spec, optional
        e.g. ``{"value": "{:+.0f}", "share": "{:.0%}"}``; missing values show as an en dash.
    index : bool
        Whether to show the index as the first column.
    max_rows : int
        Rows beyond this are cut, with a note saying how many.
    muted : boolean Series, optional
        Rows to grey out (e.g. withheld for small samples).

    Returns
    -------
    Html
    """
    formats = dict(formats or {})
    data = frame.reset_index() if index else frame
    head = "".join(f"<th>{esc(_label(c))}</th>" for c in data.columns)
    rows = []
    for pos, (_, row) in enumerate(data.head(max_rows).iterrows()):
        is_muted = muted is not None and bool(muted.iloc[pos])
        cells = "".join(f"<td{_align(v)}>{esc(_fmt(v, formats.get(c)))}</td>" for c, v in row.items())
        rows.append(f'<tr class="muted">{cells}</tr>' if is_muted else f"<tr>{cells}</tr>")
    more = len(data) - max_rows
    note = f'<p class="table-note">{more} more rows not shown.</p>' if more > 0 else ""
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return Html(f'<div class="table-wrap"><table class="cx-table">{cap}<thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table>{note}</div>")


def _label(column: Any) -> str:
    """A column name as a header: underscores as spaces, first letter up, the rest as written
    (so ``NPV`` stays ``NPV``; ``capitalize`` would print ``Npv``)."""
    if not isinstance(column, str):
        return str(column)
    text = column.replace("_", " ")
    return text[:1].upper() + text[1:]


def _align(value: Any) -> str:
    return ' class="num"' if isinstance(value, (int, float)) and not isinstance(value, bool) else ""


def _fmt(value: Any, spec: str | None) -> str:
    import pandas as pd

    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "–"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if spec:
        try:
            return spec.format(value)
        except (ValueError, TypeError):
            return str(value)
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def figure(fig: Any, caption: str, alt: str | None = None) -> Html:
    """Embed a matplotlib Figure as a PNG with a caption, and release its memory.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The chart.
    caption : str
        The figure caption (numbered by the report stylesheet).
    alt : str, optional
        Alternative text; defaults to the caption.

    Returns
    -------
    Html
        A ``<figure>`` with the image embedded as a data URI (no external file).
    """
    buffer = io.BytesIO()
    _save_png(fig, buffer)
    _close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return Html(f'<figure class="cx-figure"><img src="data:image/png;base64,{data}" alt="{esc(alt or caption)}">'
                f"<figcaption>{esc(caption)}</figcaption></figure>")


def _save_png(fig: Any, buffer: io.BytesIO) -> None:
    """Save ``fig`` with every ``$`` shown literally.

    Labels can hold client text (segment, touchpoint, theme names); matplotlib would read
    ``$...$`` in them as maths and fail on ``$$``. cxkit's own labels use no maths, so math
    parsing is switched off for the texts that exist and for the ticks drawn while saving.
    """
    import matplotlib as mpl
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_parse_math(False)
    with mpl.rc_context({"text.parse_math": False}):
        image = _draw_once(fig)
        if image is None:  # drawing spills over the figure's edge: let savefig grow the canvas
            fig.savefig(buffer, format="png", dpi=PNG_DPI, bbox_inches="tight", facecolor="white")
        else:
            image.save(buffer, format="png", compress_level=PNG_COMPRESSION)


def _draw_once(fig: Any) -> Any:
    """Rasterise ``fig`` in a single Agg draw; None when it needs ``savefig``'s larger canvas.

    ``savefig`` draws every figure twice: a layout pass then the real one for a layout
    engine, a measuring pass then the real one for ``bbox_inches="tight"``. The layout
    engine runs inside every draw anyway, and a figure without one is cropped here to the
    same tight box (content plus ``savefig.pad_inches``), so one draw gives the same
    picture without the extra pass.
    """
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    fig.set_dpi(PNG_DPI)
    fig.set_facecolor("white")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    if fig.get_layout_engine() is not None:
        return image
    content = fig.get_tightbbox(canvas.get_renderer())
    width, height = fig.get_size_inches()
    if content.x0 < 0 or content.y0 < 0 or content.x1 > width or content.y1 > height:
        return None
    pad = mpl.rcParams["savefig.pad_inches"]
    x0, y0 = max(0.0, content.x0 - pad), max(0.0, content.y0 - pad)
    x1, y1 = min(width, content.x1 + pad), min(height, content.y1 + pad)
    dpi = fig.dpi
    return image.crop((int(x0 * dpi), int((height - y1) * dpi), int(round(x1 * dpi)), int(round((height - y0) * dpi))))


def _close(fig: Any) -> None:
    """Let pyplot forget ``fig`` if pyplot made it (cxkit's own figures never touch pyplot).

    pyplot is looked up, not imported: importing it costs every kernel about 0.3 s, and a
    figure that pyplot manages can only exist once pyplot has been imported.
    """
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None and plt.fignum_exists(getattr(fig, "number", -1)):
        plt.close(fig)


def show(*parts: Any) -> None:
    """Display fragments in the notebook (each with its own ``_repr_html_``)."""
    from IPython.display import display

    for part in parts:
        display(part)


def record(key: str, value: Any) -> None:
    """Record a headline figure for the cover page, invisibly.

    The value is emitted as a display output with cxkit's own MIME type, which nbconvert
    does not render; the batch reads it from the executed notebook to build ``index.html``.
    Values must be JSON-serialisable (use ``MetricResult.as_dict()``).
    """
    from IPython.display import display

    display({RECORD_MIME: {"key": key, "value": value}}, raw=True)
