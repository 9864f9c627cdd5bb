"""From one raw survey export to the tidy, long responses table.

The table has one row per response x metric (see ``docs/architecture.md``). Every row
left out is counted by reason in the quality table; problems the consultant must fix in
``engagement.yaml`` (a missing column, an unknown label, nothing usable) raise
:class:`~cxkit.errors.InputError`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxkit.config.engagement import Period
from cxkit.config.surveys import SurveySource
from cxkit.errors import InputError
from cxkit.io.survey_files import RawExport
from cxkit.report.wording import counted
from cxkit.surveys import quality
from cxkit.surveys.mapping import METRIC_ORDER, ScoreSpec, check_columns, declared_columns, score_specs
from cxkit.surveys.scales import ParsedScores, parse_scores

ID_COLUMNS = ("customer_id", "contact_id")
DIMENSIONS = ("touchpoint", "channel", "segment", "region")
TIDY_DTYPES = {
    "response_id": "string", "source": "category", "date": "datetime64[ns]",
    "customer_id": "string", "contact_id": "string", "touchpoint": "category",
    "channel": "category", "segment": "category", "region": "category", "metric": "category",
    "score": "float64", "scale_min": "int64", "scale_max": "int64", "comment": "string",
}
"""The tidy responses table's columns and dtypes, in order (see docs/architecture.md)."""
TIDY_COLUMNS = tuple(TIDY_DTYPES)
"""The tidy responses table's columns, in order; extra dimensions follow ``comment``."""


def empty_responses() -> pd.DataFrame:
    """Return a tidy responses table with no rows and the contract dtypes.

    Examples
    --------
    >>> str(empty_responses()["date"].dtype)
    'datetime64[ns]'
    """
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in TIDY_DTYPES.items()})


@dataclass
class TidyResult:
    """One source, tidied.

    Attributes
    ----------
    responses : DataFrame
        The long responses table (``TIDY_COLUMNS`` plus any extra dimensions).
    quality : DataFrame
        ``source, file, reason, rows``: what was left out and why.
    labels : dict of str to str
        Question text by tidy name (``nps``, ``attr_ease``, ``comment``...), when the
        export carries question texts.
    source : str
        The survey source id.
    """

    responses: pd.DataFrame
    quality: pd.DataFrame
    labels: dict[str, str] = field(default_factory=dict)
    source: str = ""


def tidy_source(raw: RawExport, source: SurveySource, period: Period | None = None) -> TidyResult:
    """Map, clean, score and reshape one export into the tidy responses table.

    Parameters
    ----------
    raw : RawExport
        The export as read by :mod:`cxkit.io.survey_files`.
    source : SurveySource
        Its declaration in ``engagement.yaml``.
    period : Period, optional
        The engagement's reporting period; responses dated outside it are left out and
        counted in the quality table.

    Returns
    -------
    TidyResult

    Raises
    ------
    InputError
        A declared column is missing; an answer of a labelled metric is neither a
        label nor a number; or no usable response is left.
    """
    check_columns(raw, source)
    cells = _used_cells(raw, source)
    dates = parse_dates(cells[source.columns.date], source.date_format)
    reasons = quality.first_reasons(cells.index, quality.source_rules(cells, source, dates, period))
    kept = reasons.isna()
    parsed = {spec.metric: _score(cells, spec, kept, raw) for spec in score_specs(source)}
    responses = _long_table(cells[kept], dates[kept], source, parsed, kept)
    table = quality.quality_table(source.id, raw.file, reasons, _value_counts(parsed, kept))
    if responses.empty:
        raise _nothing_usable(raw, table, _first_bad_date(raw, source, cells, reasons))
    return TidyResult(responses, table, _labels(raw, source), source.id)


def parse_dates(values: pd.Series, date_format: str) -> pd.Series:
    """Parse dates with the declared format only (no day/month guessing).

    Parameters
    ----------
    values : Series of str
    date_format : str
        A ``strftime`` format such as ``"%d/%m/%Y"``.

    Returns
    -------
    Series of datetime64[ns]
        NaT where the text does not match the format; time zones are dropped
        (local wall-clock time is kept).

    Examples
    --------
    >>> parse_dates(pd.Series(["03/04/2025", "13/25/2025"]), "%d/%m/%Y").tolist()
    [Timestamp('2025-04-03 00:00:00'), NaT]
    """
    parsed = pd.to_datetime(values, format=date_format, errors="coerce")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


def _used_cells(raw: RawExport, source: SurveySource) -> pd.DataFrame:
    """The declared columns only, outer spaces stripped."""
    columns = list(dict.fromkeys(declared_columns(source).values()))
    return pd.DataFrame({c: raw.frame[c].astype(str).str.strip() for c in columns},
                        index=raw.frame.index)


def _score(cells: pd.DataFrame, spec: ScoreSpec, kept: pd.Series, raw: RawExport) -> ParsedScores:
    """Parse one rating column; unknown labels of a labelled metric are a hard error."""
    parsed = parse_scores(cells[spec.column], spec.scale_min, spec.scale_max,
                          spec.labels, spec.reversed)
    if spec.labels:
        bad = parsed.non_numeric & kept
        if bad.any():
            raise _unknown_label(raw, spec, int(bad.to_numpy().argmax()), cells[spec.column])
    return parsed


def _unknown_label(raw: RawExport, spec: ScoreSpec, position: int, values: pd.Series) -> InputError:
    known = ", ".join(repr(k) for k in spec.labels or {})
    return InputError(
        f"an answer to {spec.metric} is not in its label table", file=raw.file,
        row=raw.first_data_row + position, column=spec.column, found=values.iloc[position],
        expected=f"one of {known} or a number {spec.scale_min}..{spec.scale_max}",
        hint=f"Add it to metrics.{spec.metric}.labels in engagement.yaml",
    )


def _value_counts(parsed: dict[str, ParsedScores], kept: pd.Series) -> dict[str, int]:
    """Count dropped values of kept rows, per reason and metric."""
    counts: dict[str, int] = {}
    for metric, p in parsed.items():
        counts[quality.value_reason(quality.OUT_OF_RANGE, metric)] = int((p.out_of_range & kept).sum())
        counts[quality.value_reason(quality.NON_NUMERIC, metric)] = int((p.non_numeric & kept).sum())
        counts[quality.value_reason(quality.BETWEEN_POINTS, metric)] = int((p.between_points & kept).sum())
    return counts


def _long_table(cells: pd.DataFrame, dates: pd.Series, source: SurveySource,
                parsed: dict[str, ParsedScores], kept: pd.Series) -> pd.DataFrame:
    """Stack one block per metric under the shared per-response columns."""
    base = _response_columns(cells, dates, source)
    specs = {s.metric: s for s in score_specs(source)}
    categories = metric_categories(list(parsed))
    blocks = []
    for metric, p in parsed.items():
        score = p.score[kept].to_numpy()
        rows = np.flatnonzero(~np.isnan(score))
        block = base.take(rows)
        block["metric"] = pd.Categorical.from_codes(
            np.full(len(rows), categories.index(metric)), categories=categories)
        block["score"] = score[rows]
        block["scale_min"] = np.int64(specs[metric].scale_min)
        block["scale_max"] = np.int64(specs[metric].scale_max)
        blocks.append(block)
    frame = pd.concat(blocks, ignore_index=True)
    extras = list(source.columns.extra_dimensions)
    return frame[[*TIDY_COLUMNS, *extras]]


def _response_columns(cells: pd.DataFrame, dates: pd.Series, source: SurveySource) -> pd.DataFrame:
    """Per-response fields with their final dtypes; blank text becomes missing."""
    mapped = source.columns.mapped()
    n = len(cells)
    blank = pd.Series("", index=cells.index, dtype="string")

    def text(name: str) -> pd.Series:
        return _blank_to_na(cells[mapped[name]]) if name in mapped else blank.mask(blank.eq(""))

    out = pd.DataFrame(index=cells.index)
    out["response_id"] = cells[mapped["response_id"]].astype("string")
    out["source"] = pd.Categorical.from_codes(np.zeros(n, dtype=int), categories=[source.id])
    out["date"] = dates.astype("datetime64[ns]")
    for name in ID_COLUMNS:
        out[name] = text(name)
    for name in DIMENSIONS:
        out[name] = text(name).astype("category")
    out["comment"] = text("comment")
    for name in source.columns.extra_dimensions:
        out[name] = text(name).astype("category")
    return out.reset_index(drop=True)


def metric_categories(metrics: list[str]) -> list[str]:
    """Order metric names: nps, csat, ces, psat, then attributes alphabetically.

    Examples
    --------
    >>> metric_categories(["attr_speed", "ces", "nps", "attr_ease"])
    ['nps', 'ces', 'attr_ease', 'attr_speed']
    """
    standard = [m for m in METRIC_ORDER if m in metrics]
    return standard + sorted(m for m in set(metrics) if m not in METRIC_ORDER)


def _blank_to_na(values: pd.Series) -> pd.Series:
    text = values.astype("string")
    return text.mask(text.eq(""))


def _nothing_usable(raw: RawExport, table: pd.DataFrame, example: str | None) -> InputError:
    if raw.frame.empty:
        return InputError("the export holds no responses: it has a header but no data rows", file=raw.file,
                          hint="Export the survey again, or leave this source out of engagement.yaml until it "
                          "has answers")
    top = table.sort_values("rows", ascending=False, kind="stable").head(3)
    details = [f"{r.reason}: {counted(r.rows, 'row')}" for r in top.itertuples()]
    if not details:
        details = ["no rating question was answered in the declared metric columns"]
    if example:
        details.append(example)
    return InputError(
        f"none of the {counted(len(raw.frame), 'data row')} is a usable survey response",
        file=raw.file, hint="The main reasons are listed below; check the status/finished "
        "filters, date_format and metric columns in engagement.yaml", details=details,
    )


def _first_bad_date(raw: RawExport, source: SurveySource, cells: pd.DataFrame,
                    reasons: pd.Series) -> str | None:
    """Describe the first date that did not match the declared format, if any."""
    bad = (reasons == quality.BAD_DATE).to_numpy()
    if not bad.any():
        return None
    position = int(bad.argmax())
    value = cells[source.columns.date].iloc[position]
    return (f"first unparseable date: {value!r} on row {raw.first_data_row + position} "
            f"does not match date_format {source.date_format!r}")


def _labels(raw: RawExport, source: SurveySource) -> dict[str, str]:
    """Question texts by tidy name, for the declared columns that have one."""
    names = {f"attr_{n}": c for n, c in source.attributes.items()}
    names |= {n: m.column for n, m in source.metrics.items()}
    names |= source.columns.mapped()
    return {name: raw.labels[col] for name, col in names.items() if raw.labels.get(col, "").strip()}
