"""The customer journey as data: stages, touchpoints, listening posts and personas.

These pydantic models describe ``journey.yaml``. They check each entry on its own
(allowed kinds, metrics and channels, no unknown keys); the cross-references between
entries (a touchpoint's stage, a listening post's touchpoint, duplicate ids) are checked
by :func:`cxkit.journey.loading.load_journey`, which also turns every problem into an
:class:`cxkit.errors.InputError` that names the key.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

CHANNELS: tuple[str, ...] = (
    "email", "chat", "in-app", "website", "in-person", "phone", "api", "social", "sms",
)
CHANNEL_NAMES = {"email": "email", "chat": "chat", "in-app": "in-app", "website": "website", "in-person": "in person",
                 "phone": "phone", "api": "API integration", "social": "social media", "sms": "SMS"}
"""How each channel code reads in a sentence."""
KINDS: tuple[str, ...] = ("task", "interaction", "product_use", "relationship")
METRICS: tuple[str, ...] = ("nps", "csat", "ces", "psat")

Channel = Literal["email", "chat", "in-app", "website", "in-person", "phone", "api", "social", "sms"]
Kind = Literal["task", "interaction", "product_use", "relationship"]
Metric = Literal["nps", "csat", "ces", "psat"]

def channel_name(code: object) -> str:
    """A channel code as words; values that are no channel code (a survey's own channel
    text) are returned as written.

    Examples
    --------
    >>> channel_name("sms"), channel_name("social"), channel_name("in-person"), channel_name("Kiosk")
    ('SMS', 'social media', 'in person', 'Kiosk')
    """
    return CHANNEL_NAMES.get(str(code), str(code))


_CHANNEL_ALIASES = {
    "in_app": "in-app", "inapp": "in-app", "app": "in-app",
    "in_person": "in-person", "in person": "in-person", "inperson": "in-person",
    "web": "website", "api integration": "api", "text": "sms", "telephone": "phone",
}
_KIND_ALIASES = {"product use": "product_use", "product-use": "product_use"}


def normalise_channel(value: object) -> object:
    """Return a channel name in its canonical spelling (``"In App"`` -> ``"in-app"``).

    Parameters
    ----------
    value : object
        The raw value from the YAML file; non-strings are returned unchanged so that
        validation reports them.

    Returns
    -------
    object
        The canonical channel name, or the cleaned string when it is not a known alias.

    Examples
    --------
    >>> normalise_channel(" In_App ")
    'in-app'
    """
    if not isinstance(value, str):
        return value
    cleaned = value.strip().lower()
    return _CHANNEL_ALIASES.get(cleaned, cleaned)


def _lower(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Stage(_Strict):
    """One journey stage (a column of the journey map), in journey order."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    description: str | None = None


class Touchpoint(_Strict):
    """A place where the customer meets the organisation.

    ``kind`` says what sort of moment it is: a ``task`` the customer must get done, a
    discrete ``interaction``, ``product_use``, or a ``relationship`` moment. ``typical_day``
    (optional) is when customers typically reach it, in days from the start of the
    journey; it makes the "asked too often" check exact instead of assumed.
    """

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    stage: str = Field(min_length=1)
    channels: list[Channel] = Field(min_length=1)
    owner: str = Field(min_length=1)
    kind: Kind
    moment_that_matters: bool = False
    pain_points: list[str] = Field(default_factory=list)
    typical_day: int | None = Field(default=None, ge=0)
    description: str | None = None

    @field_validator("channels", mode="before")
    @classmethod
    def _channels(cls, value: object) -> object:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            return [normalise_channel(v) for v in value]
        return value

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> object:
        value = _lower(value)
        return _KIND_ALIASES.get(value, value) if isinstance(value, str) else value


class ListeningPost(_Strict):
    """A survey question asked at a touchpoint: which metric, when, and through which channel.

    ``timing_days`` is the delay after the trigger. ``quarantine_days`` (optional) is the
    survey tool's suppression rule: nobody is invited if they were surveyed within that
    many days.
    """

    touchpoint: str = Field(min_length=1)
    metric: Metric
    trigger: str = Field(min_length=1)
    timing_days: int = Field(default=0, ge=0)
    channel: Channel
    after_support_contact: bool = False
    quarantine_days: int | None = Field(default=None, ge=0)

    @field_validator("metric", mode="before")
    @classmethod
    def _metric(cls, value: object) -> object:
        return _lower(value)

    @field_validator("channel", mode="before")
    @classmethod
    def _channel(cls, value: object) -> object:
        return normalise_channel(value)


class Persona(_Strict):
    """An optional customer persona shown beside the map."""

    name: str = Field(min_length=1)
    description: str | None = None
    segment: str | None = None


class Journey(_Strict):
    """A whole journey: ordered stages, touchpoints, listening posts, optional personas.

    Build it with :func:`cxkit.journey.load_journey`, which also checks cross-references.
    """

    stages: list[Stage] = Field(min_length=1)
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    listening_posts: list[ListeningPost] = Field(default_factory=list)
    personas: list[Persona] = Field(default_factory=list)

    def stage_order(self) -> dict[str, int]:
        """Return ``{stage id: 0-based position}`` in journey order."""
        return {s.id: i for i, s in enumerate(self.stages)}

    def stage_names(self) -> dict[str, str]:
        """Return ``{stage id: display name}``."""
        return {s.id: s.name for s in self.stages}

    def ordered_touchpoints(self) -> list[Touchpoint]:
        """Return touchpoints in journey order: by stage, then as listed in the file."""
        order = self.stage_order()
        return sorted(self.touchpoints, key=lambda t: order.get(t.stage, len(order)))

    def touchpoint_by_id(self) -> dict[str, Touchpoint]:
        """Return ``{touchpoint id: Touchpoint}``."""
        return {t.id: t for t in self.touchpoints}

    def posts_at(self, touchpoint_id: str) -> list[ListeningPost]:
        """Return the listening posts placed at one touchpoint."""
        return [p for p in self.listening_posts if p.touchpoint == touchpoint_id]
