"""One client's folder: the single entry point through which cxkit reads client data."""
from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxkit.config import Engagement, parse_engagement
from cxkit.errors import InputError
from cxkit.io import run_cache
from cxkit.io.paths import check_client_id, resolve_inside
from cxkit.io.yaml_files import read_yaml

ENGAGEMENT_FILE = "engagement.yaml"
JOURNEY_FILE = "journey.yaml"
THEMES_FILE = "themes.yaml"

if TYPE_CHECKING:  # the runner reads a client's engagement without loading pandas (the kernels' business)
    import pandas as pd


class ClientFolder:
    """Read-only access to ``client_data/<client>/``.

    Every file is resolved inside the folder (see :mod:`cxkit.io.paths`); nothing here
    ever writes to it. Loaded data is cached on the instance, and parsed surveys in the
    current client's run cache (:mod:`cxkit.io.run_cache`); nothing is shared between clients.

    Parameters
    ----------
    client : str
        The client's folder name, e.g. ``"demo"``.
    client_data_dir : str or Path
        The folder that holds one folder per client.
    """

    def __init__(self, client: str, client_data_dir: str | Path = "client_data") -> None:
        self.client = check_client_id(client)
        base = Path(client_data_dir).resolve()
        root = base / client
        if not root.is_dir():
            known = sorted(p.name for p in base.iterdir() if p.is_dir()) if base.is_dir() else []
            raise InputError(f"no folder for client '{client}'",
                             hint="Known clients: " + ", ".join(known) if known
                             else "create one with `cxkit new CLIENT`")
        if root.is_symlink() or not root.resolve().is_relative_to(base):
            raise InputError("the client folder must be a real folder, not a link", file=client)
        self.root = root.resolve()

    def __repr__(self) -> str:
        return f"ClientFolder({self.client!r})"

    def path(self, relative: str, *, must_exist: bool = True) -> Path:
        """Resolve a path inside the client folder (refusing anything outside it)."""
        return resolve_inside(self.root, relative, must_exist=must_exist)

    def exists(self, relative: str) -> bool:
        """Whether a file exists inside the client folder."""
        return self.path(relative, must_exist=False).exists()

    def yaml(self, relative: str) -> Any:
        """Parse a YAML file of the client's."""
        return read_yaml(self.path(relative), relative)

    @cached_property
    def engagement(self) -> Engagement:
        """The validated ``engagement.yaml``, whose maturity model exists (built in, or in the
        client's ``frameworks/`` folder)."""
        from cxkit.frameworks import check_framework_id

        engagement = parse_engagement(self.yaml(ENGAGEMENT_FILE), ENGAGEMENT_FILE)
        check_framework_id(engagement.framework, self.root if self.frameworks_dir() else None, ENGAGEMENT_FILE)
        return engagement

    def journey_data(self) -> dict | None:
        """The parsed ``journey.yaml``, or None when the client has none yet."""
        return self.yaml(JOURNEY_FILE) if self.exists(JOURNEY_FILE) else None

    def themes_data(self) -> dict | None:
        """The client's own theme taxonomy extension, or None."""
        return self.yaml(THEMES_FILE) if self.exists(THEMES_FILE) else None

    def frameworks_dir(self) -> Path | None:
        """The client's own maturity models folder, if it has one."""
        folder = self.path("frameworks", must_exist=False)
        return folder if folder.is_dir() else None

    def large_sources(self) -> list[tuple[Any, Path]]:
        """Declared survey sources whose file is large enough for the DuckDB path."""
        from cxkit.metrics.large import is_large

        resolved = [(s, self.path(s.file)) for s in self.engagement.surveys]
        return resolved if any(is_large(path) for _, path in resolved) else []

    @cached_property
    def survey_metrics(self) -> Any:
        """What the metric engine should read: a DuckDB-backed ``LargeSurvey`` over the files
        when any export is large (see :mod:`cxkit.metrics.large`), else the tidy table."""
        large = self.large_sources()
        if large:
            from cxkit.metrics.large import LargeSurvey

            return LargeSurvey(large, period=self.engagement.period)
        return self.surveys.responses

    @cached_property
    def surveys(self):
        """Every declared survey export, read and tidied (see :mod:`cxkit.surveys`).

        Returns
        -------
        cxkit.surveys.SurveyData
            The tidy long table, the data-quality table and the question labels; an
            engagement without surveys gives an empty table. Within a batch run the
            chapters share one parse (:mod:`cxkit.io.run_cache`).
        """
        return run_cache.cached("surveys", self.run_fingerprint, self._read_surveys)

    def _read_surveys(self):
        from cxkit.io.survey_files import read_export
        from cxkit.surveys import SurveyData, tidy_source

        period = self.engagement.period
        parts = [tidy_source(read_export(self.path(s.file), s, s.file), s, period) for s in self.engagement.surveys]
        return SurveyData.combine(parts)

    def intake_answers(self, framework: str, previous: bool = False) -> pd.DataFrame:
        """Maturity intake answers for ``framework`` (or the earlier assessment's)."""
        from cxkit.io.intake import read_answers

        return read_answers(self.root, framework, previous=previous)

    def intake_respondents(self) -> pd.DataFrame:
        """The stakeholders who answered the intake."""
        from cxkit.io.intake import read_respondents

        return read_respondents(self.root)

    def _operational(self, relative: str | None, table: str) -> pd.DataFrame | None:
        if relative is None:
            return None
        from cxkit.io import tables

        return tables.read_table(self.path(relative), relative, tables.SPECS[table])

    @cached_property
    def contacts(self) -> pd.DataFrame | None:
        """Support contacts (wait time, transfers, ...), or None when not declared."""
        return self._operational(self.engagement.operations.contacts, "contacts")

    @cached_property
    def customers(self) -> pd.DataFrame | None:
        """The customer table (value, churn, ...), or None when not declared."""
        return self._operational(self.engagement.operations.customers, "customers")

    @cached_property
    def cases(self) -> pd.DataFrame | None:
        """Follow-up cases for closing the loop, or None when not declared."""
        return self._operational(self.engagement.operations.cases, "cases")

    def input_files(self) -> list[str]:
        """Every file in the client folder, relative and sorted (for the manifest)."""
        return sorted(str(p.relative_to(self.root)) for p in self.root.rglob("*")
                      if p.is_file() and not any(part.startswith(".") for part in p.relative_to(self.root).parts))

    def input_bytes(self) -> int:
        """The size of :meth:`input_files` in bytes, a link counted as the link itself."""
        return sum((self.root / rel).lstat().st_size for rel in self.input_files())

    def fingerprint(self) -> dict[str, str]:
        """SHA-256 of every input file, keyed by its relative path (read afresh on each call)."""
        return {rel: _sha256(self.root / rel) for rel in self.input_files()}

    def run_fingerprint(self) -> dict[str, str]:
        """:meth:`fingerprint`, taken once for this folder object: what the run cache's
        entries are addressed by (:mod:`cxkit.io.run_cache`).

        A chapter keys several entries (its surveys, then each metric's figures) by what it
        read, so one hashing serves them all. The runner's check that nothing changed during
        a run calls :meth:`fingerprint` itself, before and after.
        """
        return self._run_fingerprint

    @cached_property
    def _run_fingerprint(self) -> dict[str, str]:
        return self.fingerprint()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
