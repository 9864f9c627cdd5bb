"""Which export columns feed which tidy fields, and checking that they exist."""
from __future__ import annotations

from dataclasses import dataclass

from cxkit.config.surveys import SurveySource
from cxkit.errors import InputError, closest
from cxkit.io.survey_files import RawExport

METRIC_ORDER = ("nps", "csat", "ces", "psat")


@dataclass(frozen=True)
class ScoreSpec:
    """One rating column and how to score it.

    Attributes
    ----------
    metric : str
        Tidy metric name: ``nps``, ``csat``, ``ces``, ``psat`` or ``attr_<name>``.
    column : str
        Export column.
    scale_min, scale_max : int
        Declared scale.
    labels : dict of str to float, optional
        Declared label table.
    reversed : bool
        Whether the scale was declared reversed.
    """

    metric: str
    column: str
    scale_min: int
    scale_max: int
    labels: dict[str, float] | None = None
    reversed: bool = False


def score_specs(source: SurveySource) -> list[ScoreSpec]:
    """List the metrics, then the attributes, of a source in a stable order.

    Parameters
    ----------
    source : SurveySource

    Returns
    -------
    list of ScoreSpec
    """
    specs = [
        ScoreSpec(name, m.column, int(m.min), int(m.max), m.labels, m.reversed)
        for name in METRIC_ORDER
        if (m := source.metrics.get(name)) is not None
    ]
    if source.attribute_scale is not None:
        lo, hi = source.attribute_scale.min, source.attribute_scale.max
        specs += [ScoreSpec(f"attr_{name}", column, lo, hi)
                  for name, column in source.attributes.items()]
    return specs


def declared_columns(source: SurveySource) -> dict[str, str]:
    """Map each YAML key that names an export column to that column.

    Parameters
    ----------
    source : SurveySource

    Returns
    -------
    dict of str to str
        e.g. ``{"columns.response_id": "ResponseId", "metrics.nps": "Q_NPS"}``.

    Examples
    --------
    >>> src = SurveySource(id="s", file="f.csv", format="csv", date_format="%Y",
    ...                    columns={"response_id": "Id", "date": "When"},
    ...                    metrics={"nps": {"column": "Q1", "min": 0, "max": 10}})
    >>> declared_columns(src)
    {'columns.response_id': 'Id', 'columns.date': 'When', 'metrics.nps': 'Q1'}
    """
    keys = {f"columns.{name}": column for name, column in source.columns.mapped().items()}
    if source.finished is not None:
        keys["finished.column"] = source.finished.column
    if source.status is not None:
        keys["status.column"] = source.status.column
    for spec in score_specs(source):
        is_attribute = spec.metric.startswith("attr_")
        key = f"attributes.{spec.metric[5:]}" if is_attribute else f"metrics.{spec.metric}"
        keys[key] = spec.column
    return keys


def check_columns(raw: RawExport, source: SurveySource) -> None:
    """Raise InputError when a declared column is not in the export.

    The message names the file, the missing column, the YAML key that declared it and
    the closest existing column names; further missing columns are listed as details.

    Parameters
    ----------
    raw : RawExport
    source : SurveySource

    Raises
    ------
    InputError
    """
    present = [str(c) for c in raw.frame.columns]
    present_set = set(present)
    missing = [(key, col) for key, col in declared_columns(source).items()
               if col not in present_set]
    if not missing:
        return
    key, column = missing[0]
    hint = closest(column, present) or "columns in the file: " + ", ".join(repr(c) for c in present[:12])
    raise InputError(
        f"the column declared as {key} is not in the export", file=raw.file,
        column=column, hint=hint,
        details=[f"also missing: {c!r} (declared as {k})" for k, c in missing[1:]],
    )
