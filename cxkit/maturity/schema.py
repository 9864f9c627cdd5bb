"""The shape of a maturity framework, as pydantic models.

A framework is a scale of levels (``levels``) and a list of elements, each described at
every level of the scale, with behavioural statements a stakeholder can judge for every
level above the lowest, and optionally the focus areas and steps that move an element
from one level to the next (``transitions``). Cross-checks that need the whole document
(level numbering, unique ids, known dependencies) live in :mod:`cxkit.maturity.loading`.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Ident = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9_]*$")]
StatementId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_.\-]+$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Statement(_Model):
    """A behavioural statement tied to one level of one element."""

    id: StatementId
    text: Text


class ElementLevel(_Model):
    """What one element looks like at one level, and the statements that evidence it."""

    level: int = Field(ge=1)
    description: Text
    statements: list[Statement] = Field(default_factory=list)


class Transition(_Model):
    """The focus areas and steps that move an element from ``from_level`` to ``to``."""

    from_level: int = Field(alias="from", ge=1)
    to: int = Field(ge=2)
    focus_areas: list[Text] = Field(min_length=1)
    steps: list[Text] = Field(default_factory=list)


class Element(_Model):
    """One element (or dimension) of a framework."""

    id: Ident
    name: Text
    group: Text | None = None
    description: Text | None = None
    depends_on: list[Ident] = Field(default_factory=list)
    levels: list[ElementLevel] = Field(min_length=2)
    transitions: list[Transition] = Field(default_factory=list)

    def level(self, number: int) -> ElementLevel:
        """Return the description of level ``number`` (KeyError if absent)."""
        for entry in self.levels:
            if entry.level == number:
                return entry
        raise KeyError(number)

    def transition(self, from_level: int) -> Transition | None:
        """Return the transition that starts at ``from_level``, if the framework gives one."""
        return next((t for t in self.transitions if t.from_level == from_level), None)


class ScaleLevel(_Model):
    """A level (stage) of the framework's scale, with optional diagnostic material."""

    level: int = Field(ge=1)
    name: Text
    summary: str = ""
    diagnostic_questions: list[Text] = Field(default_factory=list)
    indicators: list[Text] = Field(default_factory=list)
    practices: list[Text] = Field(default_factory=list)


class Pillar(_Model):
    """A group of elements that improve together (optional)."""

    id: Ident
    name: Text
    elements: list[Ident] = Field(default_factory=list)


class Framework(_Model):
    """A maturity framework: a scale of levels and the elements rated on it.

    Examples
    --------
    >>> from cxkit.maturity import load_framework
    >>> fw = load_framework("nine_element")
    >>> fw.max_level, fw.level_name(3)
    (5, 'Structured')
    """

    id: Ident
    name: Text
    description: str = ""
    source: str | None = None
    levels: list[ScaleLevel] = Field(min_length=2)
    elements: list[Element] = Field(min_length=1)
    pillars: list[Pillar] = Field(default_factory=list)

    @property
    def max_level(self) -> int:
        """The highest level of the scale."""
        return max(level.level for level in self.levels)

    @property
    def element_ids(self) -> list[str]:
        """Element ids in framework order."""
        return [element.id for element in self.elements]

    def element(self, element_id: str) -> Element:
        """Return the element with this id (KeyError if absent)."""
        for element in self.elements:
            if element.id == element_id:
                return element
        raise KeyError(element_id)

    def level_name(self, level: float) -> str:
        """Name of the scale level reached at ``level`` (half levels round down)."""
        reached = max(1, min(int(level), self.max_level))
        return next(entry.name for entry in self.levels if entry.level == reached)

    def statement_index(self) -> dict[str, tuple[str, int]]:
        """Map every statement id to its ``(element id, level)``."""
        return {
            statement.id: (element.id, entry.level)
            for element in self.elements
            for entry in element.levels
            for statement in entry.statements
        }

    def dependents(self, element_id: str) -> set[str]:
        """Elements that depend on ``element_id``, directly or through others."""
        found: set[str] = set()
        frontier = {element_id}
        while frontier:
            direct = {e.id for e in self.elements if set(e.depends_on) & frontier}
            frontier = direct - found
            found |= direct
        return found
