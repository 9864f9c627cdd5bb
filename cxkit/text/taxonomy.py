"""The theme taxonomy: which words and phrases put a comment under which theme.

cxkit ships a default taxonomy (``cxkit/text/themes.yaml``). A client folder may hold its own
``themes.yaml`` that changes it; every key is optional::

    replace: false              # true: start from an empty taxonomy instead of the default
    remove: [delivery]          # drop default themes that do not apply to this client
    extend:                     # add words to a default theme
      billing: {keywords: [purchase order number], patterns: []}
    themes:                     # add new themes, or replace a default theme entirely
      sso_login:
        label: Single sign-on
        description: Logging in through the company identity provider.
        keywords: [sso, okta, saml]

Keywords match whole words, case-insensitively; spaces inside a keyword match any run of
whitespace and a trailing ``*`` matches any word ending. Patterns are Python regular
expressions, also matched as whole words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cxkit.config import pydantic_errors
from cxkit.errors import InputError, closest
from cxkit.io.yaml_files import SAFE_LOADER

THEME_ID = r"^[a-z][a-z0-9_]*$"
_DEFAULT_FILE = "themes.yaml"


class ThemeSpec(BaseModel):
    """One theme as written in YAML."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str = Field(min_length=1)
    description: str = ""
    keywords: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)


class ThemeExtension(BaseModel):
    """Extra keywords or patterns for an existing theme."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    keywords: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)


class TaxonomyFile(BaseModel):
    """A ``themes.yaml`` file, either the shipped default or a client's changes."""

    model_config = ConfigDict(extra="forbid")
    version: int = 1
    replace: bool = False
    remove: list[str] = Field(default_factory=list)
    extend: dict[str, ThemeExtension] = Field(default_factory=dict)
    themes: dict[str, ThemeSpec] = Field(default_factory=dict)


@dataclass(frozen=True)
class Theme:
    """A theme ready for matching: its id, label, description and compiled regex."""

    id: str
    label: str
    description: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Taxonomy:
    """An ordered set of themes.

    Attributes
    ----------
    themes : tuple of Theme
        In the order of the YAML files (default themes first, then the client's new ones).
    """

    themes: tuple[Theme, ...]

    @property
    def ids(self) -> list[str]:
        """Theme ids in order."""
        return [t.id for t in self.themes]

    @property
    def labels(self) -> dict[str, str]:
        """Mapping of theme id to label."""
        return {t.id: t.label for t in self.themes}

    def __getitem__(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise InputError(f"there is no theme '{theme_id}'", column="theme", found=theme_id,
                         expected="one of the taxonomy's theme ids", hint=closest(theme_id, self.ids))


def load_taxonomy(extra: Path | dict | None = None) -> Taxonomy:
    """Load the shipped taxonomy, optionally changed by a client's ``themes.yaml``.

    Parameters
    ----------
    extra : pathlib.Path, dict or None
        The client's ``themes.yaml`` (a path, or its already parsed content). See the module
        docstring for the keys it may hold.

    Returns
    -------
    Taxonomy
        The themes with their compiled regular expressions.

    Raises
    ------
    InputError
        An unknown key, a theme id that is not snake_case, a theme without keywords or
        patterns, an invalid regular expression, or ``extend``/``remove`` naming a theme
        that does not exist. The error names the key.

    Examples
    --------
    >>> tax = load_taxonomy({"remove": ["delivery"], "themes": {"sso": {"label": "SSO", "keywords": ["okta"]}}})
    >>> "delivery" in tax.ids, tax.ids[-1]
    (False, 'sso')
    """
    default_text = resources.files("cxkit.text").joinpath(_DEFAULT_FILE).read_text(encoding="utf-8")
    default = _validate(yaml.load(default_text, Loader=SAFE_LOADER), "cxkit/text/themes.yaml")
    specs = dict(default.themes)
    if extra is not None:
        raw, file = _read_extra(extra)
        specs = _apply_changes(specs, _validate(raw, file), file)
    else:
        file = "cxkit/text/themes.yaml"
    return Taxonomy(tuple(_compile(theme_id, spec, file) for theme_id, spec in specs.items()))


def keyword_regex(keyword: str) -> str:
    """Regular-expression source for one keyword (no word boundaries added).

    Examples
    --------
    >>> keyword_regex("on hold")
    'on\\\\s+hold'
    >>> keyword_regex("bill*")
    'bill\\\\w*'
    """
    parts = keyword.strip().split()
    return r"\s+".join(re.escape(p[:-1]) + r"\w*" if p.endswith("*") else re.escape(p) for p in parts)


def _read_extra(extra: Path | dict) -> tuple[Any, str]:
    if isinstance(extra, dict):
        return extra, "themes.yaml"
    path = Path(extra)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}, path.name
    except yaml.YAMLError as exc:
        raise InputError("the theme file is not valid YAML", file=path.name, hint=str(exc)) from None


def _validate(raw: Any, file: str) -> TaxonomyFile:
    if not isinstance(raw, dict):
        raise InputError("the theme file must be a mapping of keys", file=file,
                         found=type(raw).__name__, expected="keys such as themes, extend, remove")
    try:
        parsed = TaxonomyFile.model_validate(raw)
    except ValidationError as exc:
        raise _input_error(exc, file) from None
    for theme_id in [*parsed.themes, *parsed.extend]:
        if not re.match(THEME_ID, theme_id):
            raise InputError("a theme id must be lower-case letters, digits and underscores",
                             file=file, column=f"themes.{theme_id}", found=theme_id,
                             expected="snake_case such as wait_time")
    for section, entries in (("themes", parsed.themes), ("extend", parsed.extend)):
        for theme_id, spec in entries.items():
            for pattern in spec.patterns:  # checked here, where the key the client wrote is known
                _check_pattern(pattern, file, f"{section}.{theme_id}.patterns")
    return parsed


def _check_pattern(pattern: str, file: str, key: str) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise InputError("this pattern is not a valid regular expression", file=file, column=key, found=pattern,
                         hint=f"The regular expression reads: {exc}") from None


def _input_error(exc: ValidationError, file: str) -> InputError:
    errors = exc.errors()
    first = errors[0]
    key = ".".join(str(part) for part in first["loc"])
    hint = None
    if first["type"] == "extra_forbidden":
        parent = first["loc"][:-1]
        model = ThemeSpec if len(parent) == 2 and parent[0] == "themes" else (
            ThemeExtension if len(parent) == 2 else TaxonomyFile)
        hint = closest(str(first["loc"][-1]), model.model_fields) or None
    what = pydantic_errors.problem(first)
    return InputError(
        f"invalid theme setting '{key}'" + (f": {what}" if what else ""), file=file, column=key,
        found=pydantic_errors.found(first), expected=pydantic_errors.expected(first), hint=hint,
        details=[pydantic_errors.describe(e) for e in errors[1:]],
    )


def _apply_changes(specs: dict[str, ThemeSpec], changes: TaxonomyFile, file: str) -> dict[str, ThemeSpec]:
    result = {} if changes.replace else dict(specs)
    for theme_id in changes.remove:
        _require_theme(theme_id, result, file, "remove")
        del result[theme_id]
    for theme_id, ext in changes.extend.items():
        _require_theme(theme_id, result, file, f"extend.{theme_id}")
        old = result[theme_id]
        result[theme_id] = old.model_copy(update={"keywords": [*old.keywords, *ext.keywords],
                                                  "patterns": [*old.patterns, *ext.patterns]})
    result.update(changes.themes)
    return result


def _require_theme(theme_id: str, specs: dict[str, ThemeSpec], file: str, key: str) -> None:
    if theme_id not in specs:
        raise InputError(f"'{key}' names a theme that does not exist", file=file, column=key,
                         found=theme_id, expected="an existing theme id", hint=closest(theme_id, specs))


def _compile(theme_id: str, spec: ThemeSpec, file: str) -> Theme:
    sources = [keyword_regex(k) for k in spec.keywords if k.strip()]
    sources += spec.patterns  # each checked with its file's key path by _validate
    if not sources:
        raise InputError("a theme needs at least one keyword or pattern", file=file,
                         column=f"themes.{theme_id}", expected="keywords or patterns")
    regex = re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{s})" for s in sources) + r")(?!\w)", re.IGNORECASE)
    return Theme(theme_id, spec.label, spec.description, regex)
