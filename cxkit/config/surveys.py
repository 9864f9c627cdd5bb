"""Configuration of one survey source (one entry of ``surveys:`` in ``engagement.yaml``).

The models only describe and check what the consultant declared: where the export is,
which of its columns hold which tidy field, and the scale of every metric. Nothing here
opens a file. Scales are never guessed: a metric without ``min`` and ``max`` is an error.
"""
from __future__ import annotations

import codecs
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MetricName = Literal["nps", "csat", "ces", "psat"]
"""The survey metrics cxkit knows."""

SurveyFormat = Literal["qualtrics", "surveymonkey", "csv", "xlsx", "parquet"]
"""The export layouts cxkit reads."""

ALLOWED_SCALES: dict[str, tuple[tuple[int, int], ...]] = {
    "nps": ((0, 10),),
    "csat": ((1, 5), (1, 7)),
    "ces": ((1, 5), (1, 7)),
    "psat": ((0, 1), (1, 5), (1, 7)),
}
"""The (min, max) scales accepted for each metric."""

STANDARD_COLUMNS = (
    "response_id", "date", "customer_id", "contact_id",
    "touchpoint", "channel", "segment", "region", "comment",
)
"""Tidy fields that ``columns:`` may map, in the order of the tidy table."""

_TIDY_RESERVED = ("source", "metric", "score", "scale_min", "scale_max")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SOURCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SurveyColumns(_Strict):
    """Which export column holds each tidy field (``None`` = not in this export).

    ``extra_dimensions`` maps further snake_case dimension names (e.g. ``plan``) to
    export columns; they become extra category columns of the tidy table.
    """

    response_id: str
    date: str
    customer_id: str | None = None
    contact_id: str | None = None
    touchpoint: str | None = None
    channel: str | None = None
    segment: str | None = None
    region: str | None = None
    comment: str | None = None
    extra_dimensions: dict[str, str] = Field(default_factory=dict)

    @field_validator("extra_dimensions")
    @classmethod
    def _extra_names(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            if not _NAME.match(name):
                raise ValueError(f"extra dimension name {name!r} must be snake_case (a-z, 0-9, _)")
            if name in STANDARD_COLUMNS or name in _TIDY_RESERVED:
                raise ValueError(f"extra dimension name {name!r} clashes with a standard tidy column")
        return value

    def mapped(self) -> dict[str, str]:
        """Return tidy name -> export column for every declared column.

        Returns
        -------
        dict of str to str
            Standard fields first (in tidy-table order), then extra dimensions.

        Examples
        --------
        >>> SurveyColumns(response_id="ResponseId", date="RecordedDate").mapped()
        {'response_id': 'ResponseId', 'date': 'RecordedDate'}
        """
        pairs = {name: getattr(self, name) for name in STANDARD_COLUMNS}
        pairs = {k: v for k, v in pairs.items() if v is not None}
        return pairs | dict(self.extra_dimensions)



class FinishedFilter(_Strict):
    """Keep only rows whose ``column`` holds one of ``keep`` (compared case-insensitively)."""

    column: str
    keep: list[str] = Field(min_length=1)


class StatusFilter(_Strict):
    """Drop rows whose ``column`` holds one of ``exclude`` (e.g. "Survey Preview", "Spam")."""

    column: str
    exclude: list[str] = Field(min_length=1)


class MetricColumn(_Strict):
    """One rating question: its column, declared scale, reversal and optional label table."""

    column: str
    min: int | None = None
    max: int | None = None
    reversed: bool = False
    labels: dict[str, float] | None = None


class AttributeScale(_Strict):
    """The common scale of the attribute ratings."""

    min: int
    max: int

    @model_validator(mode="after")
    def _ordered(self) -> AttributeScale:
        if self.min >= self.max:
            raise ValueError(f"attribute_scale min ({self.min}) must be below max ({self.max})")
        return self


class SurveySource(_Strict):
    """One survey export declared in ``engagement.yaml``.

    Examples
    --------
    >>> src = SurveySource(
    ...     id="relationship", file="surveys/r.csv", format="csv",
    ...     date_format="%Y-%m-%d",
    ...     columns={"response_id": "ResponseId", "date": "RecordedDate"},
    ...     metrics={"nps": {"column": "Q_NPS", "min": 0, "max": 10}},
    ... )
    >>> src.metrics["nps"].max
    10
    """

    id: str
    file: str
    format: SurveyFormat
    encoding: str = "utf-8"
    delimiter: str | None = None
    sheet: str | None = None
    date_format: str
    columns: SurveyColumns
    finished: FinishedFilter | None = None
    status: StatusFilter | None = None
    metrics: dict[MetricName, MetricColumn] = Field(default_factory=dict)
    attributes: dict[str, str] = Field(default_factory=dict)
    attribute_scale: AttributeScale | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _SOURCE_ID.match(value):
            raise ValueError(f"survey id {value!r} may hold only letters, digits, '_' and '-'")
        return value

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(f"unknown encoding {value!r}; use e.g. utf-8 or cp1252") from None
        return value

    @field_validator("delimiter")
    @classmethod
    def _one_char(cls, value: str | None) -> str | None:
        if value is not None and len(value) != 1:
            raise ValueError(f"delimiter must be one character (or null to detect), not {value!r}")
        return value

    @field_validator("date_format")
    @classmethod
    def _has_directive(cls, value: str) -> str:
        if "%" not in value:
            raise ValueError(f"date_format {value!r} has no % directive; e.g. '%Y-%m-%d %H:%M:%S'")
        return value

    @field_validator("attributes")
    @classmethod
    def _attribute_names(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            if not _NAME.match(name):
                raise ValueError(f"attribute name {name!r} must be snake_case (a-z, 0-9, _)")
        return value

    @model_validator(mode="after")
    def _scales_declared(self) -> SurveySource:
        for name, metric in self.metrics.items():
            _check_metric_scale(name, metric)
        if self.attributes and self.attribute_scale is None:
            raise ValueError("attributes are declared but attribute_scale {min, max} is missing")
        if not self.metrics and not self.attributes:
            raise ValueError(f"survey {self.id!r} declares no metrics and no attributes")
        return self


def _check_metric_scale(name: str, metric: MetricColumn) -> None:
    """Raise ValueError when ``metrics.<name>`` has a missing or non-standard scale."""
    key = f"metrics.{name}"
    allowed = ALLOWED_SCALES[name]
    shown = " or ".join(f"{lo}..{hi}" for lo, hi in allowed)
    if metric.min is None or metric.max is None:
        raise ValueError(f"{key} has no declared scale: add min and max ({shown})")
    if (metric.min, metric.max) not in allowed:
        raise ValueError(f"{key} scale {metric.min}..{metric.max} is not allowed; use {shown}")
    if name == "nps" and metric.reversed:
        raise ValueError(f"{key} cannot be reversed: NPS is always 0 = not at all likely")
    for label, score in (metric.labels or {}).items():
        if not metric.min <= score <= metric.max or score != int(score):
            raise ValueError(f"{key} label {label!r} maps to {score}, which is not a point of the scale "
                             f"{metric.min}..{metric.max} (a whole number)")
