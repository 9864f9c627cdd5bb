"""All survey sources of an engagement together: responses, quality and labels."""
from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from cxkit.errors import InputError
from cxkit.surveys.quality import QUALITY_COLUMNS
from cxkit.surveys.tidy import (
    DIMENSIONS,
    TIDY_COLUMNS,
    TidyResult,
    empty_responses,
    metric_categories,
)


@dataclass
class SurveyData:
    """The engagement's survey data.

    Attributes
    ----------
    responses : DataFrame
        The tidy responses table of every source (see ``docs/architecture.md``).
    quality : DataFrame
        ``source, file, reason, rows`` for every source.
    labels : dict of str to dict of str to str
        Question texts: source id -> tidy name (``nps``, ``comment``...) -> text.
    """

    responses: pd.DataFrame
    quality: pd.DataFrame
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def combine(cls, results: list[TidyResult]) -> SurveyData:
        """Put tidied sources together.

        With more than one source, response ids are prefixed ``<source id>:`` so they
        stay unique across sources.

        Parameters
        ----------
        results : list of TidyResult

        Returns
        -------
        SurveyData

        Raises
        ------
        InputError
            Two sources share an id.
        """
        ids = [r.source for r in results]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise InputError("two survey sources share an id", column="surveys",
                             found=", ".join(repeated), hint="Give every survey a distinct id")
        prefix = len(results) > 1
        frames = [_prefixed(r.responses, r.source) if prefix else r.responses for r in results]
        quality = [r.quality for r in results if not r.quality.empty]
        return cls(
            responses=_concat_responses(frames),
            quality=(pd.concat(quality, ignore_index=True) if quality
                     else _empty_quality()),
            labels={r.source: dict(r.labels) for r in results},
        )

    def summary(self) -> pd.DataFrame:
        """Responses and scores kept per source.

        Returns
        -------
        DataFrame
            ``source, responses, scores`` (distinct response ids, rows of the long table).
        """
        grouped = self.responses.groupby("source", observed=True)
        return pd.DataFrame({
            "responses": grouped["response_id"].nunique(),
            "scores": grouped.size(),
        }).reset_index()

    def _repr_html_(self) -> str:
        """Escaped HTML: responses kept per source and the exclusions by reason."""
        parts = ["<div class='cx-survey-quality'><h4>Survey data</h4>"]
        parts.append(_html_table(self.summary(), ("source", "responses", "scores")))
        if self.quality.empty:
            parts.append("<p>No rows or values were excluded.</p>")
        else:
            parts.append("<p>Excluded rows and values, by reason:</p>")
            parts.append(_html_table(self.quality, QUALITY_COLUMNS))
        parts.append("</div>")
        return "".join(parts)


def _empty_quality() -> pd.DataFrame:
    columns = {"source": "object", "file": "object", "reason": "object", "rows": "int64"}
    return pd.DataFrame({c: pd.Series(dtype=columns[c]) for c in QUALITY_COLUMNS})


ID_SEPARATOR = ":"
"""Between the source id and the export's own response id, when several exports are combined."""


def _prefixed(responses: pd.DataFrame, source_id: str) -> pd.DataFrame:
    out = responses.copy()
    out["response_id"] = (source_id + ID_SEPARATOR + out["response_id"]).astype("string")
    return out


def export_ids(response_ids: pd.Series, sources: pd.Series) -> pd.Series:
    """The response ids as their survey export wrote them, without the source in front that
    :meth:`SurveyData.combine` adds when it combines several exports.

    Parameters
    ----------
    response_ids, sources : pandas.Series
        The tidy table's ``response_id`` and ``source`` columns (aligned).

    Returns
    -------
    pandas.Series
        Text ids, same index.

    Examples
    --------
    >>> export_ids(pd.Series(["rel:R_1", "R_2"]), pd.Series(["rel", "tx"])).tolist()
    ['R_1', 'R_2']
    """
    ids, prefixes = response_ids.astype(str), sources.astype(str) + ID_SEPARATOR
    return pd.Series([i[len(p):] if i.startswith(p) else i for i, p in zip(ids, prefixes)], index=ids.index,
                     dtype=object)


def _concat_responses(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack sources and restore the categorical columns pd.concat may widen."""
    if not frames:
        return empty_responses()
    out = pd.concat(frames, ignore_index=True)
    metrics = sorted({str(m) for f in frames for m in f["metric"].cat.categories})
    out["metric"] = pd.Categorical(out["metric"].astype(object), categories=metric_categories(metrics))
    extras = [c for c in out.columns if c not in TIDY_COLUMNS]
    for name in ("source", *DIMENSIONS, *extras):
        out[name] = out[name].astype(object).astype("category")
    return out


def _html_table(frame: pd.DataFrame, columns: tuple[str, ...]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in record) + "</tr>"
        for record in frame[list(columns)].itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
