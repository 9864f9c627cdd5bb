"""Run one client end to end: validate, execute five chapters, render, publish atomically."""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxkit.errors import InputError, RunError
from cxkit.io import run_cache
from cxkit.io.client import ClientFolder
from cxkit.io.logo import logo_data_uri
from cxkit.report.exporter import render_empty, render_notebook
from cxkit.report.html import CAVEAT
from cxkit.report.index import render_index
from cxkit.report.manifest import build_manifest
from cxkit.run import publish
from cxkit.run.chapters import CHAPTERS, Chapter
from cxkit.run.execute import records
from cxkit.run.lanes import Lanes


@dataclass
class ClientResult:
    """How one client's run ended."""

    client: str
    status: str  # "ok" or "failed"
    seconds: float
    report: str | None = None
    error: str | None = None
    caveats: list[str] = field(default_factory=list)
    """What the delivered chapters could not say, for the consultant (``caveat:*`` records)."""


def run_client(client: str, client_data_dir: str | Path = "client_data", reports_dir: str | Path = "reports",
               *, consultant: bool = False, as_of: str | None = None,
               chapters: tuple[Chapter, ...] = CHAPTERS, lanes: Lanes | None = None) -> ClientResult:
    """Produce ``reports/<client>/`` for one client; never raises for a client's problem.

    Parameters
    ----------
    client : str
        The client's folder name under ``client_data_dir``.
    client_data_dir, reports_dir : str or Path
        Where client folders live and where deliverables go.
    consultant : bool
        Also write copies with code, for internal review, to ``reports/_review/<client>/``
        (never inside the deliverable).
    as_of : str, optional
        ISO date the analysis treats as today (default: the end of the engagement period).
    chapters : tuple of Chapter
        Which chapters to run (all five by default).
    lanes : Lanes, optional
        Warm kernels started for this client (see :mod:`cxkit.run.lanes`); by default
        one is started here and stopped at the end.

    Returns
    -------
    ClientResult
        ``status`` "failed" with a plain-words ``error`` when anything went wrong; the
        previous deliverable is then left exactly as it was.
    """
    start = time.perf_counter()
    own_lanes = lanes is None
    try:
        with run_cache.scope():  # the chapters share one parse of the surveys (cxkit.io.run_cache)
            lanes = lanes or Lanes(1, chapters=chapters)  # the kernels boot while the inputs are checked
            return _run(client, Path(client_data_dir), Path(reports_dir).resolve(), lanes, consultant, as_of,
                        chapters, start)
    finally:
        if own_lanes and lanes is not None:
            lanes.close()


def _run(client: str, client_data_dir: Path, reports: Path, lanes: Lanes, consultant: bool, as_of: str | None,
         chapters: tuple[Chapter, ...], start: float) -> ClientResult:
    build: Path | None = None
    review: Path | None = None
    try:
        reports.mkdir(parents=True, exist_ok=True)
        folder = ClientFolder(client, client_data_dir)
        engagement = folder.engagement
        before = folder.fingerprint()
        build = publish.new_build_dir(reports, client)
        review = publish.new_build_dir(reports / publish.REVIEW, client) if consultant else None
        params = {"client": client, "client_data_dir": str(client_data_dir.resolve()),
                  "as_of": as_of or engagement.period.end.isoformat()}
        started = dt.datetime.now(dt.timezone.utc)
        context = cover_context(folder, params["as_of"])
        render_empty()  # the exporter is built while the kernels start
        found, seconds = _run_chapters(lanes, chapters, params, context, build, review)
        index = render_index(context, found)
        for out in filter(None, (build, review)):  # the review copy's links to the summary work too
            publish.write_atomic(out / "index.html", index)
        _check_unchanged(folder, before)
        outputs = sorted(str(p.relative_to(build)) for p in build.rglob("*") if p.is_file())
        safe_params = {k: v for k, v in params.items() if k != "client_data_dir"}
        manifest = build_manifest(client, before, safe_params, outputs, started, dt.datetime.now(dt.timezone.utc),
                                  seconds)
        publish.write_atomic(build / "manifest.json", manifest)
        target = publish.publish(build, reports, client)
        build = None  # published: nothing after this may remove it
        _publish_review(review, reports, client)
        return ClientResult(client, "ok", time.perf_counter() - start, str(target / "index.html"),
                            caveats=[str(v) for k, v in found.items() if k.startswith(CAVEAT)])
    except (InputError, RunError) as exc:
        return _failed(client, start, (build, review), str(exc))
    except Exception as exc:  # noqa: BLE001 - a batch must survive any one client's failure
        return _failed(client, start, (build, review), f"{type(exc).__name__}: {exc}")


def _publish_review(review: Path | None, reports: Path, client: str) -> None:
    """Publish the review copy beside the deliverable just published, or withdraw an older
    one, which would no longer match it."""
    if review is not None:
        publish.publish(review, reports / publish.REVIEW, client)
    else:
        publish.withdraw(reports / publish.REVIEW, client)


def _failed(client: str, start: float, builds: tuple[Path | None, ...], message: str) -> ClientResult:
    for build in builds:
        if build is not None:
            publish.discard(build)
    return ClientResult(client, "failed", time.perf_counter() - start, None, message)


def _run_chapters(lanes: Lanes, chapters: tuple[Chapter, ...], params: dict[str, Any], context: dict[str, Any],
                  build: Path, review: Path | None) -> tuple[dict[str, Any], dict[str, float]]:
    """Execute the chapters on ``lanes``, rendering each page here as soon as it is ready
    (into ``build``, and a copy with code into ``review`` when there is one).

    Returns the records for the summary page, and each chapter's execution seconds
    (both in reading order).
    """
    found: dict[str, Any] = {}
    seconds: dict[str, float] = {}

    def render(chapter: Chapter, nb: Any) -> None:
        found[chapter.stem] = records(nb)
        seconds[chapter.stem] = round(float(nb.metadata.papermill.get("duration") or 0.0), 3)
        page = {**context, "chapter_number": str(chapter.number), "chapter_title": chapter.title,
                "current": chapter.file}
        publish.write_atomic(build / chapter.file, render_notebook(nb, page))
        if review is not None:
            publish.write_atomic(review / chapter.file, render_notebook(nb, page, consultant=True))

    lanes.run(chapters, params, render)
    # the summary page reads records in reading order, whatever order the lanes finished in
    ordered = [c.stem for c in chapters if c.stem in found]
    return ({key: value for stem in ordered for key, value in found[stem].items()},
            {stem: seconds[stem] for stem in ordered})


def cover_context(folder: ClientFolder, as_of: str) -> dict[str, Any]:
    """Values shared by every page's cover, navigation and footer."""
    eng = folder.engagement
    return {
        "client": eng.client,
        "engagement_title": eng.engagement_title,
        "consultant_firm": eng.consultant_firm,
        "brand_colour": eng.brand_colour,
        "logo_data_uri": logo_data_uri(folder),
        "report_date": as_of,
        "period_end": eng.period.end.isoformat(),
        "chapter_number": "",
        "chapter_title": "Executive summary",
        "chapters": [{"number": c.number, "file": c.file, "short": c.short, "title": c.title} for c in CHAPTERS],
        "chapter_files": {c.number: c.file for c in CHAPTERS},
    }


def _check_unchanged(folder: ClientFolder, before: dict[str, str]) -> None:
    after = folder.fingerprint()
    if after != before:
        changed = sorted(set(before.items()) ^ set(after.items()))
        raise RunError("input files changed during the run (" + ", ".join(sorted({f for f, _ in changed})) +
                       "); run again when nobody is editing them")
