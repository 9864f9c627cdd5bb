"""Journey charts: the journey map and the friction heatmap.

Both return a matplotlib ``Figure`` in the shared style (:mod:`cxkit.plotting.style`,
Okabe-Ito palette, red-blue diverging colours that stay distinct under the common forms
of colour-vision deficiency) and never call ``plt.show()``. The journey map is laid out
for one landscape page (11 x 7.5 in) and stays legible at 8 stages and 30 touchpoints:
type shrinks to fit and names are wrapped or shortened.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cxkit.journey.map_layout import (
    LINE_HEIGHT_EM, REGULAR_WIDTH_EM, CardBox, card_font_size, card_layout, card_scores, chars_per_line, fit_text,
)
from cxkit.journey.measured import format_value, stage_curve
from cxkit.journey.schema import channel_name
from cxkit.plotting.style import DIVERGING_CMAP, NEUTRAL, OKABE_ITO, WIDE_FIGSIZE, rc_params

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from cxkit.journey.friction import Friction
    from cxkit.journey.schema import Journey, Touchpoint

AX_RECT = (0.01, 0.02, 0.98, 0.90)          # the map's axes, in figure fractions
CARD_BAND = (0.25, 0.86)                    # vertical band for cards (data units)
CURVE_BAND = (0.04, 0.19)                   # vertical band for the emotional curve
POST_MARKERS = {"ces": "^", "csat": "o", "psat": "s", "nps": "*"}
POST_STRIP_PT = 9.0                         # left strip of each card kept for post markers
PAD_PT = 2.5
HATCH_ONLY = {"facecolor": "none", "edgecolor": "#b0b0b0", "linewidth": 0}
"""A second patch that draws only a grey hatch over a card or cell (its outline keeps its own
colour; matplotlib before 3.11 has no separate hatch colour)."""


def _blank_figure(figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    import matplotlib as mpl
    from matplotlib.figure import Figure

    with mpl.rc_context(rc_params()):
        fig = Figure(figsize=figsize)
        ax = fig.add_axes(AX_RECT)
    return fig, ax


def _scale(fig: Figure, n_stages: int) -> tuple[float, float]:
    """Points per data unit along x (one stage) and y (the full height)."""
    w_in, h_in = fig.get_size_inches()
    return w_in * AX_RECT[2] * 72 / n_stages, h_in * AX_RECT[3] * 72


def _lighten(colour: object, amount: float) -> tuple[float, float, float]:
    """Mix a colour with white (amount 0 = unchanged, 1 = white)."""
    from matplotlib.colors import to_rgb

    return tuple(c + (1 - c) * amount for c in to_rgb(colour))


def _ink_for(face: object) -> str:
    """Black text on light cards, white on dark ones (relative luminance below 0.4)."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(face)
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.4 else "#111111"


def _card_colour(score: pd.Series | None, cmap, norm) -> tuple[object, str | None]:
    """Face colour and hatch for a card from its chosen score row."""
    if score is None or score["status"] in ("no_data", "not_asked"):
        return "white", None
    if score["status"] == "withheld" or pd.isna(score["score_index"]):
        return _lighten(NEUTRAL, 0.6), "///"
    colour = cmap(norm(score["score_index"]))
    return (_lighten(colour, 0.55), "///") if score["status"] == "small" else (_lighten(colour, 0.15), None)


def _score_line(score: pd.Series | None) -> str:
    if score is None or score["status"] in ("no_data", "not_asked"):
        return ""
    label = str(score["metric"]).upper()
    if score["status"] == "withheld":
        return f"{label} withheld n={int(score['n'])}"
    return f"{label} {format_value(score['metric'], score['value'])} n={int(score['n'])}"


def _card_lines(tp: Touchpoint, score: pd.Series | None, chars: tuple[int, int], lines: int) -> tuple[str, str]:
    """The bold name block and the detail block, fitted to ``lines`` lines in total.

    ``chars`` is (characters per line in bold at the card size, in regular at 92%).

    The score line has priority over channels and owner; with room to spare channels
    and owner get a line each, otherwise they share one.
    """
    score_text = _score_line(score)
    channels, owner = ", ".join(channel_name(c) for c in tp.channels), tp.owner
    if lines - (1 if score_text else 0) >= 4:
        detail = [owner, channels]
    else:
        detail = [f"{owner} · {channels}"]
    detail += [score_text] if score_text else []
    if lines <= 2:
        detail = [score_text or detail[0]][: lines - 1]
    name = fit_text(tp.name, chars[0], max(1, min(3, lines - len(detail))))
    return name, "\n".join(fit_text(d, chars[1], 1) for d in detail)


def _draw_card(ax: Axes, box: CardBox, tp: Touchpoint, score: pd.Series | None, style: dict) -> None:
    from matplotlib.patches import FancyBboxPatch

    face, hatch = _card_colour(score, style["cmap"], style["norm"])
    edge = OKABE_ITO["black"] if tp.moment_that_matters else "#777777"
    corner, shape = (box.x, box.top - box.height), "round,pad=0,rounding_size=0.02"
    ax.add_patch(FancyBboxPatch(
        corner, box.width, box.height, boxstyle=shape, facecolor=face, edgecolor=edge,
        linewidth=1.8 if tp.moment_that_matters else 0.6, gid=f"card:{tp.id}",
        linestyle="--" if score is None or score["status"] in ("no_data", "not_asked") else "-"))
    if hatch:
        ax.add_patch(FancyBboxPatch(corner, box.width, box.height, boxstyle=shape, **HATCH_ONLY, hatch=hatch))
    xpt, ypt = style["xpt"], style["ypt"]
    fs = style["fs"]
    name, detail = _card_lines(tp, score, style["chars"], style["lines"])
    x_text = box.x + (POST_STRIP_PT + PAD_PT) / xpt
    y_text = box.top - PAD_PT / ypt
    ink = _ink_for(face)
    ax.text(x_text, y_text, name, fontsize=fs, fontweight="bold", va="top", ha="left", color=ink,
            linespacing=LINE_HEIGHT_EM - 0.05, gid=f"cardtext:{tp.id}")
    name_h = (name.count("\n") + 1) * fs * LINE_HEIGHT_EM / ypt
    ax.text(x_text, y_text - name_h, detail, fontsize=fs * 0.92, va="top", ha="left", color=ink,
            linespacing=LINE_HEIGHT_EM - 0.05, gid=f"cardtext:{tp.id}")
    _draw_post_markers(ax, box, tp, style)


def _draw_post_markers(ax: Axes, box: CardBox, tp: Touchpoint, style: dict) -> None:
    metrics = list(dict.fromkeys(p.metric for p in style["journey"].posts_at(tp.id)))
    step = min(box.height / max(len(metrics), 1), 9.0 / style["ypt"])
    x = box.x + (POST_STRIP_PT / 2 + 1) / style["xpt"]
    for i, metric in enumerate(metrics):
        ax.plot(x, box.top - step * (i + 0.6), marker=POST_MARKERS[metric], markersize=min(5.5, style["fs"] * 0.8),
                color=OKABE_ITO["black"], linestyle="none", gid=f"post:{tp.id}:{metric}")


def _draw_headers(ax: Axes, journey: Journey, xpt: float) -> None:
    fs = min(10.0, max(6.5, xpt / 10))
    chars = chars_per_line(xpt * 0.92, fs)
    for i, stage in enumerate(journey.stages):
        ax.add_patch(_header_patch(i))
        ax.text(i + 0.5, 0.925, fit_text(stage.name, chars, 2), ha="center", va="center",
                fontsize=fs, fontweight="bold", color="white", gid=f"stage:{stage.id}")
        if i:
            ax.axvline(i, ymin=CURVE_BAND[0], ymax=0.89, color="#dddddd", linewidth=0.6, zorder=0)


def _header_patch(i: int):
    from matplotlib.patches import Rectangle

    return Rectangle((i + 0.02, 0.88), 0.96, 0.09, facecolor=OKABE_ITO["blue"], edgecolor="none")


def _draw_curve(ax: Axes, journey: Journey, measured: pd.DataFrame | None) -> None:
    low, high = CURVE_BAND
    curve = stage_curve(journey, measured)
    ax.axhline(low + (high - low) / 2, color="#bbbbbb", linewidth=0.6, linestyle=":", zorder=0)
    ax.text(0.03, high + 0.015, "Score across stages (0-100 index: top-2-box %, NPS rescaled; "
            "dotted line = 50)", fontsize=7, va="bottom", color="#333333")
    if curve["score_index"].isna().all():
        ax.text(len(journey.stages) / 2, (low + high) / 2, "No survey scores yet: the curve appears "
                "once survey data is added.", ha="center", va="center", fontsize=8, color="#555555",
                style="italic")
        return
    xs = curve["position"] + 0.5
    ys = low + (high - low) * curve["score_index"].clip(0, 100) / 100
    ax.plot(xs, ys, color=OKABE_ITO["vermillion"], linewidth=2, marker="o", markersize=4, gid="curve")
    for x, y, v in zip(xs, ys, curve["score_index"]):
        if not np.isnan(v):
            ax.text(x, y + 0.012, f"{v:.0f}", ha="center", va="bottom", fontsize=7)


def _legend(fig: Figure, ax: Axes, style: dict, has_scores: bool) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Line2D([], [], marker=m, color="black", linestyle="none", markersize=5,
                      label=f"{k.upper()} asked") for k, m in POST_MARKERS.items()]
    handles += [Patch(facecolor="white", edgecolor="black", linewidth=1.8, label="moment that matters"),
                Patch(facecolor=_lighten(NEUTRAL, 0.6), hatch="///", edgecolor="#777777", label="small / withheld n"),
                Patch(facecolor="white", edgecolor="#777777", linestyle="--", label="no responses")]
    fig.legend(handles=handles, loc="upper right", ncol=7, fontsize=7, frameon=False,
               bbox_to_anchor=(0.99, 0.995), handlelength=1.2, columnspacing=1.0)
    if has_scores:
        from matplotlib.cm import ScalarMappable

        cax = fig.add_axes((0.30, 0.935, 0.14, 0.012))
        bar = fig.colorbar(ScalarMappable(norm=style["norm"], cmap=style["cmap"]), cax=cax,
                           orientation="horizontal")
        bar.ax.tick_params(labelsize=6, length=2, pad=1)
        bar.set_label("score index (red low, blue high)", fontsize=6, labelpad=1)


def journey_map(journey: Journey, measured: pd.DataFrame | None = None) -> Figure:
    """Draw the journey map on one landscape page.

    Parameters
    ----------
    journey : Journey
        A loaded journey.
    measured : pandas.DataFrame, optional
        From :func:`cxkit.journey.measured`. Without it the map shows the plan only.

    Returns
    -------
    Figure
        11 x 7.5 in. Stages are columns; touchpoint cards sit under them with channels,
        owner and (when measured) the score and n, coloured by score (red-blue diverging,
        hatched when the sample is small or withheld, dashed outline when nobody
        answered). Bold outlines mark moments that matter; black symbols on a card's left
        edge mark its listening posts (triangle CES, circle CSAT, square PSAT, star NPS).
        Along the bottom runs the score across stages (the emotional curve).
    """
    import matplotlib as mpl

    fig, ax = _blank_figure(WIDE_FIGSIZE)
    n = len(journey.stages)
    xpt, ypt = _scale(fig, n)
    boxes = card_layout(journey, *CARD_BAND)
    height_pt = (boxes[0].height if boxes else 0.1) * ypt
    width_pt = (1 - 0.1) * xpt - POST_STRIP_PT - 2 * PAD_PT
    fs = card_font_size(height_pt - 2 * PAD_PT, width_pt)
    lines = max(1, int((height_pt - 2 * PAD_PT) / (fs * LINE_HEIGHT_EM)))
    scores = card_scores(journey, measured)
    style = {"cmap": mpl.colormaps[DIVERGING_CMAP], "norm": mpl.colors.Normalize(0, 100),
             "xpt": xpt, "ypt": ypt, "fs": fs, "lines": min(lines, 6),
             "chars": (chars_per_line(width_pt, fs), chars_per_line(width_pt, fs * 0.92, REGULAR_WIDTH_EM)),
             "journey": journey}
    _draw_headers(ax, journey, xpt)
    by_id = journey.touchpoint_by_id()
    for box in boxes:
        score = scores.loc[box.touchpoint] if box.touchpoint in scores.index else None
        _draw_card(ax, box, by_id[box.touchpoint], score, style)
    _draw_curve(ax, journey, measured)
    ax.set_xlim(0, n)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    fig.suptitle("Customer journey map", x=0.01, y=0.99, ha="left", fontsize=12, fontweight="bold")
    _legend(fig, ax, style, has_scores=not scores.empty and scores["score_index"].notna().any())
    return fig


def _message_figure(message: str) -> Figure:
    fig, ax = _blank_figure((8.0, 2.0))
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True, fontsize=10)
    return fig


def _heat_cell_text(row: pd.Series, value_label: str) -> str:
    if row["status"] == "withheld" or pd.isna(row["value"]):
        return f"n={int(row['n'])}\nwithheld"
    small = " small" if row["status"] == "small" else ""
    return f"{row['value']:.0f}{value_label}\nmean {row['mean']:.1f}\nn={int(row['n'])}{small}"


def _heat_panel(ax: Axes, table: pd.DataFrame, rows: str, cols: str | None, value_label: str, norm, cmap) -> None:
    from matplotlib.patches import Rectangle

    row_keys = list(dict.fromkeys(table[rows]))
    col_keys = list(dict.fromkeys(table[cols])) if cols else [""]
    for _, row in table.iterrows():
        i, j = row_keys.index(row[rows]), col_keys.index(row[cols]) if cols else 0
        hidden = row["status"] == "withheld" or pd.isna(row["value"])
        faint = row["status"] in ("small", "withheld")
        face = _lighten(NEUTRAL if hidden else cmap(norm(row["value"])), 0.55 if faint else 0.1)
        ax.add_patch(Rectangle((j, i), 1, 1, facecolor=face, edgecolor="white", linewidth=1.5))
        if faint:
            ax.add_patch(Rectangle((j, i), 1, 1, **HATCH_ONLY, hatch="///"))
        ax.text(j + 0.5, i + 0.5, _heat_cell_text(row, value_label), ha="center", va="center",
                fontsize=7, color="black")
    ax.set_xlim(0, len(col_keys))
    ax.set_ylim(len(row_keys), 0)
    ax.set_xticks(np.arange(len(col_keys)) + 0.5, col_keys, fontsize=8)
    ax.set_yticks(np.arange(len(row_keys)) + 0.5, [fit_text(str(k), 22, 2) for k in row_keys], fontsize=8)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)


def friction_heatmap(friction: Friction) -> Figure:
    """Heatmap of effort by stage x channel (and by contact reason when available).

    Parameters
    ----------
    friction : Friction
        From :func:`cxkit.journey.friction`.

    Returns
    -------
    Figure
        Cells coloured by % easy (CES) or % satisfied (CSAT stand-in), red below and blue
        above the overall figure; each cell shows the percentage, the mean and n. Cells
        with a small sample are hatched and faded; withheld cells are grey. A message
        figure when there is nothing to show.
    """
    import matplotlib as mpl

    from cxkit.plotting.style import new_figure

    table = friction.by_stage_channel.dropna(subset=["n"])
    if friction.metric is None or table.empty:
        return _message_figure(" ".join(friction.summary()) or "No effort data to map.")
    reasons = friction.by_contact_reason
    panels = 2 if not reasons.empty else 1
    n_rows = max(table["stage"].nunique(), len(reasons))
    fig, axes = new_figure((11.0, max(3.0, 0.75 * n_rows + 1.6)), ncols=panels, squeeze=False,
                           gridspec_kw={"width_ratios": [3, 1][:panels]})
    valid = pd.concat([table, reasons]).dropna(subset=["value"])
    centre = float(np.average(valid["value"], weights=valid["n"])) if len(valid) else 50.0
    norm = mpl.colors.TwoSlopeNorm(vcenter=min(max(centre, 1.0), 99.0), vmin=0, vmax=100)
    cmap = mpl.colormaps[DIVERGING_CMAP]
    label = friction.value_label
    _heat_panel(axes[0, 0], table, "stage_name", "channel", label, norm, cmap)
    axes[0, 0].set_title(f"{friction.metric.upper()} by stage and channel")
    if panels == 2:
        _heat_panel(axes[0, 1], reasons, "contact_reason", None, label, norm, cmap)
        axes[0, 1].set_title("by contact reason")
    fig.suptitle(f"Where customers struggle: {label} (centre = overall {centre:.0f}{label}; "
                 "hatched = small sample)", fontsize=10)
    return fig
