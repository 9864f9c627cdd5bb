"""The engagement: one client's ``engagement.yaml`` as a typed, validated model."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import (BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator,
                      model_validator)

from cxkit.config import pydantic_errors
from cxkit.config.loop import LoopSettings
from cxkit.config.operations import OperationsFiles
from cxkit.config.surveys import SurveySource
from cxkit.config.targets import GoalSettings, RoiSettings
from cxkit.errors import InputError

_WRITTEN_AS = {
    "brand_colour": (re.compile(r"^#[0-9a-fA-F]{6}$"), "write the colour as a hex code like '#1f5f8b'"),
    "currency": (re.compile(r"^[A-Z]{3}$"), "write the currency as three capital letters (ISO 4217), such as EUR, "
                 "USD or GBP"),
}
"""Keys whose text has a fixed form, and how to write it."""


class Period(BaseModel):
    """The reporting period the engagement looks at."""

    model_config = ConfigDict(extra="forbid")

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class SampleSettings(BaseModel):
    """Sample-size rules: figures below ``warn_below`` are flagged, below ``withhold_below`` withheld."""

    model_config = ConfigDict(extra="forbid")

    warn_below: int = Field(30, ge=1)
    withhold_below: int = Field(10, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> "SampleSettings":
        if self.withhold_below > self.warn_below:
            raise ValueError("withhold_below must not exceed warn_below")
        return self


class Engagement(BaseModel):
    """Everything the notebooks need to know about one client engagement."""

    model_config = ConfigDict(extra="forbid")

    client: str = Field(..., min_length=1, description="client display name")
    engagement_title: str = "Customer experience maturity assessment"
    consultant_firm: str = "cxkit"
    industry: str = ""
    currency: str = "EUR"
    framework: str = "nine_element"
    period: Period
    brand_colour: str = "#1f5f8b"
    logo: str | None = None
    sample: SampleSettings = SampleSettings()
    surveys: list[SurveySource] = Field(default_factory=list)
    operations: OperationsFiles = OperationsFiles()
    goals: GoalSettings = GoalSettings()
    roi: RoiSettings = RoiSettings()
    loop: LoopSettings = LoopSettings()

    @field_validator(*_WRITTEN_AS)
    @classmethod
    def _written_as(cls, value: str, info: ValidationInfo) -> str:
        pattern, how = _WRITTEN_AS[info.field_name]
        if not pattern.match(value):
            raise ValueError(how)
        return value

    @field_validator("surveys")
    @classmethod
    def _unique_sources(cls, surveys: list[SurveySource]) -> list[SurveySource]:
        ids = [s.id for s in surveys]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"survey ids must be unique; repeated: {', '.join(dupes)}")
        return surveys


def validation_error(exc: ValidationError, file: str) -> InputError:
    """Convert a pydantic ``ValidationError`` into an :class:`InputError` naming the key.

    Parameters
    ----------
    exc : pydantic.ValidationError
        The error raised while validating ``file``.
    file : str
        The file's name relative to the client folder.

    Returns
    -------
    InputError
        One message naming the first bad key, with every other problem listed below it.
    """
    first, *others = exc.errors()
    return InputError(pydantic_errors.headline(first), file=file, expected=pydantic_errors.expected(first),
                      found=pydantic_errors.found(first), details=[pydantic_errors.describe(err) for err in others])


def parse_engagement(data: Any, file: str = "engagement.yaml") -> Engagement:
    """Validate parsed YAML as an :class:`Engagement`.

    Parameters
    ----------
    data : Any
        The result of ``yaml.safe_load`` on the file.
    file : str
        Name used in error messages.

    Returns
    -------
    Engagement

    Raises
    ------
    InputError
        Naming the key that is wrong, what was found and what was expected.
    """
    if not isinstance(data, dict):
        raise InputError("the file must hold a mapping of keys (client:, period:, surveys: ...)",
                         file=file, found=type(data).__name__)
    try:
        return Engagement.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, file) from None
