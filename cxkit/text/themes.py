"""Tag comments with themes and summarise what customers talk about.

Input of :func:`theme_summary` (``responses_wide``): one row per response with columns

==============  ===========================================================================
response_id     the response
date            response date (used to derive the period when ``period_col`` is absent)
comment         the raw open answer (missing or blank = no comment)
nps             0-10 likelihood-to-recommend score, or NaN (optional column)
segment         customer segment (optional here; used by :mod:`cxkit.text.examples`)
period          a sortable period label such as ``"2026Q4"`` (name set by ``period_col``)
==============  ===========================================================================

Shares are percentages (0-100), like every other cxkit result.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit.errors import InputError
from cxkit.text.sentiment import sentiment
from cxkit.text.taxonomy import Taxonomy, load_taxonomy
from cxkit.report.wording import counted, listed

__all__ = ["load_taxonomy", "tag_themes", "theme_summary", "dominant_detractor_theme", "summary_sentences",
           "nps_group"]

NPS_GROUPS = ("promoter", "passive", "detractor")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def tag_themes(comments: pd.Series, taxonomy: Taxonomy) -> pd.DataFrame:
    """Flag, for every comment, which themes it mentions.

    Parameters
    ----------
    comments : pandas.Series
        Raw comments (missing values mention no theme).
    taxonomy : Taxonomy
        From :func:`load_taxonomy`.

    Returns
    -------
    pandas.DataFrame
        Same index as ``comments``; one boolean column per theme id, in taxonomy order.

    Examples
    --------
    >>> tags = tag_themes(pd.Series(["Waited 3 days for a refund", None]), load_taxonomy())
    >>> tags.loc[0, ["wait_time", "billing", "delivery"]].tolist()
    [True, True, False]
    """
    texts = [str(v).translate(_QUOTES) if present else "" for v, present in zip(comments, comments.notna())]
    # each distinct text is searched once (short comments such as "Great service" recur), and
    # with re rather than Series.str.contains, which on Arrow strings parses every pattern
    # again to see whether Arrow could run it (it cannot: look-behind) before using re
    codes, distinct = pd.factorize(pd.Series(texts, dtype=object))
    flags = {theme.id: np.fromiter((theme.regex.search(t) is not None for t in distinct), bool, len(distinct))[codes]
             for theme in taxonomy.themes}
    return pd.DataFrame(flags, index=comments.index, columns=taxonomy.ids)


def nps_group(scores: pd.Series) -> pd.Series:
    """Promoter (9-10), passive (7-8) or detractor (0-6) for each 0-10 score; missing stays missing.

    Examples
    --------
    >>> nps_group(pd.Series([10, 8, 6, None])).tolist()
    ['promoter', 'passive', 'detractor', nan]
    """
    values = pd.to_numeric(scores, errors="coerce")
    groups = np.select([values >= 9, values >= 7, values >= 0], list(NPS_GROUPS), default="")
    return pd.Series(pd.Categorical(np.where(groups == "", None, groups), categories=list(NPS_GROUPS)),
                     index=scores.index)


def theme_summary(responses_wide: pd.DataFrame, taxonomy: Taxonomy, period_col: str = "period", *,
                  tags: pd.DataFrame | None = None, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """Summarise each theme: how often, how negative, by whom and whether it is growing.

    Parameters
    ----------
    responses_wide : pandas.DataFrame
        One row per response (layout in the module docstring). Needs ``comment``.
    taxonomy : Taxonomy
        From :func:`load_taxonomy`.
    period_col : str
        Column with period labels. If absent, quarters (``"2026Q4"``) are derived from
        ``date``; if that is absent too, the period columns are empty.
    tags, scores : pandas.DataFrame, optional
        Precomputed :func:`tag_themes` and :func:`cxkit.text.sentiment.sentiment` results
        (same index as ``responses_wide``), to avoid computing them twice.

    Returns
    -------
    pandas.DataFrame
        One row per theme, most mentioned first, with columns ``theme, label, mentions,
        n_comments, pct_of_comments, mean_sentiment, mentions_promoter, mentions_passive,
        mentions_detractor, pct_promoter, pct_passive, pct_detractor`` (share of the theme's
        mentions with an NPS score that come from each group), ``last_period,
        previous_period, mentions_last, mentions_previous, change`` (last minus previous).

    Examples
    --------
    >>> wide = pd.DataFrame({"comment": ["Refund took weeks", "Great support", None], "nps": [3, 10, 8]})
    >>> s = theme_summary(wide, load_taxonomy())
    >>> row = s.set_index("theme").loc["billing"]
    >>> int(row.mentions), int(row.mentions_detractor), float(row.pct_of_comments)
    (1, 1, 50.0)
    """
    if "comment" not in responses_wide.columns:
        raise InputError("the responses have no comment column", column="comment",
                         expected="a column named 'comment' with the open answers")
    comments = responses_wide["comment"]
    has_text = comments.astype(object).map(lambda v: isinstance(v, str) and v.strip() != "")
    tags = tag_themes(comments, taxonomy) if tags is None else tags.reindex(columns=taxonomy.ids)
    tags = tags.reindex(responses_wide.index).fillna(False).astype(bool)[has_text]
    if scores is None:
        scores = sentiment(comments[has_text])
    table = _mentions_and_tone(tags, scores["compound"].reindex(tags.index), taxonomy)
    table = table.join(_by_nps_group(tags, responses_wide)).join(_by_period(tags, responses_wide, period_col))
    return table.sort_values("mentions", ascending=False, kind="stable").reset_index(drop=True)


def dominant_detractor_theme(summary: pd.DataFrame) -> str | None:
    """The theme id detractors mention most (ties: higher detractor share, then taxonomy order).

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`theme_summary`.

    Returns
    -------
    str or None
        None when no detractor mentions any theme.

    Examples
    --------
    >>> s = pd.DataFrame({"theme": ["a", "b"], "mentions_detractor": [2, 5], "pct_detractor": [80.0, 50.0]})
    >>> dominant_detractor_theme(s)
    'b'
    """
    if summary.empty or summary["mentions_detractor"].fillna(0).max() <= 0:
        return None
    ranked = summary.assign(_pct=summary["pct_detractor"].fillna(0)).sort_values(
        ["mentions_detractor", "_pct"], ascending=False, kind="stable")
    return str(ranked["theme"].iloc[0])


def summary_sentences(summary: pd.DataFrame, top: int = 3, min_mentions: int = 5) -> list[str]:
    """Plain-words findings from a theme summary.

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`theme_summary`.
    top : int
        How many themes to name as the most mentioned.
    min_mentions : int
        Themes with fewer mentions are ignored for the tone and trend sentences.

    Returns
    -------
    list of str
        Unescaped text; display it through the report's escaping helpers.

    Examples
    --------
    >>> wide = pd.DataFrame({"comment": ["Refund took weeks", "Great support"], "nps": [3, 10]})
    >>> summary_sentences(theme_summary(wide, load_taxonomy()), min_mentions=1)[0]
    'Of 2 comments, the most mentioned themes are Wait time (1 comment, 50%) and Billing and invoices (1 comment, 50%).'
    """
    n_comments = int(summary["n_comments"].iloc[0]) if not summary.empty else 0
    mentioned = summary[summary["mentions"] > 0]
    if n_comments == 0 or mentioned.empty:
        return ["No comments mention any of the themes." if n_comments else "There are no comments to analyse."]
    sentences = [_top_sentence(mentioned.head(top), n_comments)]
    for build in (_detractor_sentence, _tone_sentence, _trend_sentence):
        text = build(mentioned, min_mentions)
        if text:
            sentences.append(text)
    return sentences


def _mentions_and_tone(tags: pd.DataFrame, compound: pd.Series, taxonomy: Taxonomy) -> pd.DataFrame:
    mentions = tags.sum().astype(int)
    scored = tags[compound.notna()]
    tone_sum = scored.mul(compound[compound.notna()], axis=0).sum()
    tone_n = scored.sum()
    n_comments = len(tags)
    return pd.DataFrame({
        "theme": taxonomy.ids,
        "label": [taxonomy.labels[t] for t in taxonomy.ids],
        "mentions": mentions.to_numpy(),
        "n_comments": n_comments,
        "pct_of_comments": (100 * mentions / n_comments).to_numpy() if n_comments else np.nan,
        "mean_sentiment": (tone_sum / tone_n.where(tone_n > 0)).round(4).to_numpy(),
    }, index=taxonomy.ids)


def _by_nps_group(tags: pd.DataFrame, wide: pd.DataFrame) -> pd.DataFrame:
    cols = [f"mentions_{g}" for g in NPS_GROUPS]
    if "nps" not in wide.columns:
        counts = pd.DataFrame(0, index=tags.columns, columns=cols)
    else:
        groups = nps_group(wide["nps"]).reindex(tags.index)
        counts = tags.groupby(groups, observed=False).sum().T.reindex(columns=list(NPS_GROUPS), fill_value=0)
        counts.columns = cols
    counts = counts.astype(int)
    scored = counts.sum(axis=1)
    shares = counts.div(scored.where(scored > 0), axis=0).mul(100)
    shares.columns = [f"pct_{g}" for g in NPS_GROUPS]
    return counts.join(shares)


def _by_period(tags: pd.DataFrame, wide: pd.DataFrame, period_col: str) -> pd.DataFrame:
    periods = _periods(wide, period_col)
    out = pd.DataFrame(index=tags.columns, columns=["last_period", "previous_period"], dtype=object)
    if periods is None or periods.dropna().empty:
        return out.assign(mentions_last=np.nan, mentions_previous=np.nan, change=np.nan)
    periods = periods.reindex(tags.index)
    order = sorted(periods.dropna().unique())
    counts = tags.groupby(periods).sum().reindex(order)
    last = counts.iloc[-1]
    previous = counts.iloc[-2] if len(order) > 1 else pd.Series(np.nan, index=tags.columns)
    out["last_period"] = str(order[-1])
    out["previous_period"] = str(order[-2]) if len(order) > 1 else None
    return out.assign(mentions_last=last.astype(float), mentions_previous=previous.astype(float),
                      change=(last - previous).astype(float))


def _periods(wide: pd.DataFrame, period_col: str) -> pd.Series | None:
    if period_col in wide.columns:
        return wide[period_col].astype(object).where(wide[period_col].notna()).map(
            lambda v: v if v is None or isinstance(v, str) else str(v))
    if "date" in wide.columns:
        dates = pd.to_datetime(wide["date"], errors="coerce")
        return dates.dt.to_period("Q").astype(str).where(dates.notna())
    return None


def _top_sentence(top: pd.DataFrame, n_comments: int) -> str:
    parts = [f"{r.label} ({counted(int(r.mentions), 'comment')}, {r.pct_of_comments:.0f}%)" for r in top.itertuples()]
    noun = "theme is" if len(parts) == 1 else "themes are"
    return f"Of {counted(int(n_comments), 'comment')}, the most mentioned {noun} {listed(parts)}."


def _detractor_sentence(summary: pd.DataFrame, min_mentions: int) -> str | None:
    theme = dominant_detractor_theme(summary)
    if theme is None:
        return None
    row = summary.set_index("theme").loc[theme]
    return (f"Detractors raise {row['label']} more than any other theme "
            f"({counted(int(row['mentions_detractor']), 'comment')}); {row['pct_detractor']:.0f}% of the scored comments on it come from detractors.")


def _tone_sentence(summary: pd.DataFrame, min_mentions: int) -> str | None:
    enough = summary[(summary["mentions"] >= min_mentions) & summary["mean_sentiment"].notna()]
    if enough.empty or enough["mean_sentiment"].min() >= 0:
        return None
    row = enough.loc[enough["mean_sentiment"].idxmin()]
    return (f"Comments about {row['label']} are the most negative in tone "
            f"(mean sentiment {row['mean_sentiment']:+.2f} on a scale from -1 to +1).")


def _trend_sentence(summary: pd.DataFrame, min_mentions: int) -> str | None:
    moving = summary[(summary["mentions"] >= min_mentions) & summary["change"].notna()]
    if moving.empty or moving["change"].abs().max() == 0:
        return None
    row = moving.loc[moving["change"].abs().idxmax()]
    verb = "rose" if row["change"] > 0 else "fell"
    return (f"Mentions of {row['label']} {verb} from {int(row['mentions_previous']):,} in "
            f"{row['previous_period']} to {int(row['mentions_last']):,} in {row['last_period']}.")
