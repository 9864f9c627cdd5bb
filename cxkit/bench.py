"""``make bench``: measure cxkit's speed and size figures and print one line per figure.

Each line reads ``figure: measured | baseline | ratio (target)``. Generated data is cached
under ``./bench-data/`` (git-ignored), so a second run only measures.

Figures
-------
* tiny client (100 responses) run end to end (five chapters executed and rendered,
  published) vs one bare kernel cycle (start, ``import pandas, matplotlib``, shutdown)
  timed in this process just before each run; target <= 2.5x. Shown twice: per client in
  a running batch (``run_many`` here, the kernel zygote already up), and as the
  ``cxkit run tiny`` command (a new process). And the zygote's start alone against a
  kernel cycle: the part of the command that comes before any chapter can run (with,
  for information, when the second zygote, with SciPy's statistics and statsmodels, is
  ready too).
* 8 demo-size clients with ``--jobs 2`` vs ``--jobs 1`` (alternated, best of three each);
  target speed-up >= 1.7x.
* overall NPS, CSAT and CES with intervals plus NPS by segment x month over the
  10-million-response demo via :mod:`cxkit.metrics.large` vs a hand-written DuckDB query
  computing the same aggregates; target <= 2x. Peak memory of that step (a subprocess,
  ``ru_maxrss``); target < 3 GB. And chapter 3 of that client executed and rendered
  (seconds, not minutes: limit 60 s).
* the template's fixed overhead (an empty notebook rendered) and each chapter's size.

Run ``python -m cxkit.bench --help`` for options (``--skip-large`` and friends).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path("bench-data")
DEMO_RESPONSES = 20000
TINY_RESPONSES = 100
LARGE_RESPONSES = 10_000_000


def line(figure: str, measured: str, baseline: str, ratio: float | None, target: str = "") -> str:
    """One output line.

    Examples
    --------
    >>> line("x", "2.0 s", "1.0 s", 2.0, "<= 2.5x")
    'x: 2.0 s | baseline 1.0 s | ratio 2.00x (target <= 2.5x)'
    """
    shown = "n/a" if ratio is None else f"{ratio:.2f}x"
    return f"{figure}: {measured} | baseline {baseline} | ratio {shown}" + (f" (target {target})" if target else "")


def ensure_client(folder: Path, seed: int, responses: int, name: str) -> Path:
    """Generate a demo client once (cached; the folder is renamed into place when complete)."""
    if (folder / "engagement.yaml").is_file():
        return folder
    from cxkit.demo import generate

    partial = folder.with_name(folder.name + ".partial")
    generate(partial, seed=seed, responses=responses, name=name)
    os.replace(partial, folder)
    return folder


def kernel_cycle() -> float:
    """Seconds for one bare kernel start + ``import pandas, matplotlib`` + shutdown."""
    from jupyter_client.manager import start_new_kernel

    start = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="python3", stderr=subprocess.DEVNULL)  # its TCP warning
    kc.execute_interactive("import pandas, matplotlib", timeout=120)
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return time.perf_counter() - start


def zygote_start() -> tuple[float, float]:
    """Seconds from starting a new kernel zygote to its first forked kernels answering.

    What a new process pays before any chapter can run: the first zygote imports
    ipykernel, pandas, matplotlib and cxkit; the second one adds SciPy's statistics and
    statsmodels (see :mod:`cxkit.run.zygote`).

    Returns
    -------
    tuple of float
        Until a kernel without the statistics libraries answers, and until one with them does.
    """
    from cxkit.run import zygote
    from cxkit.run.execute import new_kernel

    zygote.close_shared()
    start = time.perf_counter()
    seconds = []
    for statistics in (False, True):  # one after the other: asking for a kernel waits for its zygote
        kernel = new_kernel(statistics=statistics).ready()
        seconds.append(time.perf_counter() - start)
        kernel.shutdown()
    return seconds[0], seconds[1]


def bench_zygote(out: list[str], pairs: int = 3) -> None:
    """The zygote's start against a bare kernel cycle: the floor under the `cxkit run tiny` line."""
    import statistics

    measured = [(kernel_cycle(), *zygote_start()) for _ in range(pairs)]
    cycles, light, full = zip(*measured)
    out.append(line("kernel zygote start to its first kernel answering, paid once per process or batch (no target: "
                    "the part of the `cxkit run tiny` line before any chapter can run)",
                    f"{statistics.median(light):.2f} s (median of {pairs}; with SciPy's statistics and statsmodels "
                    f"{statistics.median(full):.2f} s)",
                    f"kernel cycle {statistics.median(cycles):.2f} s (each paired with a cycle)",
                    statistics.median(s / c for c, s, _ in measured)))


def bench_tiny(out: list[str], pairs: int = 3) -> Path:
    """Tiny client through the run machinery vs one kernel cycle; returns its report folder.

    Each run is paired with a kernel cycle timed just before it, and the figure is the
    median of the pairs' ratios, so that a machine slowing down or speeding up during the
    benchmark moves both sides of a ratio alike. Measured twice: per client in a running
    batch (``run_many`` in this process, its kernel zygote already up), and as the
    ``cxkit run tiny`` command a consultant types (a new process: Python's start, the
    runner's imports and the zygote's start are all included).
    """
    import statistics

    from cxkit.run.batch import run_many

    data = BENCH_DIR / "clients-tiny-100"
    ensure_client(data / "tiny", seed=3, responses=TINY_RESPONSES, name="Tiny Co")
    reports = Path(tempfile.mkdtemp(prefix="cxkit-bench-"))

    chapter_seconds: list[dict[str, float]] = []

    def in_batch() -> None:
        result = run_many(["tiny"], data, reports, jobs=0)[0]
        if result.status != "ok":
            out.append(f"  (tiny client FAILED: {result.error})")
            return
        chapter_seconds.append(json.loads((reports / "tiny" / "manifest.json").read_text())["chapter_seconds"])

    def command() -> None:
        done = subprocess.run([sys.executable, "-m", "cxkit", "run", "tiny", "--client-data", str(data),
                               "--reports", str(reports)], capture_output=True, text=True)
        if done.returncode:
            out.append(f"  (cxkit run tiny FAILED: {done.stderr.strip().splitlines()[-1:]})")

    def pair(run: Callable[[], None]) -> tuple[float, float]:
        cycle = kernel_cycle()
        start = time.perf_counter()
        run()
        return time.perf_counter() - start, cycle

    in_batch()  # starts this process's zygote and builds the exporter, as a batch's first client does
    chapter_seconds.clear()  # the warm-up's chapters count for nothing
    kernel_cycle()  # warm the OS caches for both sides alike
    measured: dict[str, list[tuple[float, float]]] = {"batch": [], "command": []}
    for _ in range(pairs):
        measured["batch"].append(pair(in_batch))
        measured["command"].append(pair(command))
    for key, figure in (("batch", "run, 5 chapters executed + rendered, per client in a running batch"),
                        ("command", "`cxkit run tiny` command, a new process (start-up and kernel zygote "
                                    "included)")):
        runs, cycles = zip(*measured[key])
        ratio = statistics.median(r / c for r, c in measured[key])
        out.append(line(f"tiny client ({TINY_RESPONSES} responses) {figure}",
                        f"{statistics.median(runs):.2f} s (median of {pairs})",
                        f"kernel cycle {statistics.median(cycles):.2f} s (each run paired with a cycle)", ratio,
                        "<= 2.5x"))
    out.append(_where_time_goes(chapter_seconds, statistics.median(r for r, _ in measured["batch"])))
    return reports / "tiny"


def _where_time_goes(chapter_seconds: list[dict[str, float]], run: float) -> str:
    """The tiny client's chapters' own execution times (medians, from its manifests) against its run."""
    import statistics

    stems = list(chapter_seconds[0]) if chapter_seconds else []
    each = {stem: statistics.median(c[stem] for c in chapter_seconds) for stem in stems}
    shown = ", ".join(f"{stem[:2]} {value:.2f} s" for stem, value in each.items())
    total = sum(each.values())
    return line(f"tiny client, where the run goes (no target; chapters run side by side, so their sum can exceed "
                f"the run): each chapter's execution, median from manifest.json, {shown}",
                f"sum {total:.2f} s", f"the run {run:.2f} s", total / run if run else None)


def bench_jobs(out: list[str], clients: int = 8) -> None:
    """Eight demo-size clients with two worker processes vs one.

    The two are run alternately, three times each, and each keeps its best time, so that
    a passing load on the machine does not decide the ratio (on a 2-core machine single
    runs of ``--jobs 2`` varied from 40 to 45 s).
    """
    from cxkit.run.batch import run_many

    data = BENCH_DIR / "clients-demo"
    names = [f"client{i}" for i in range(1, clients + 1)]
    for i, name in enumerate(names, 1):
        ensure_client(data / name, seed=100 + i, responses=DEMO_RESPONSES, name=f"Client {i}")
    timings: dict[int, list[float]] = {1: [], 2: []}
    for jobs in (1, 2) * 3:
        reports = Path(tempfile.mkdtemp(prefix="cxkit-bench-"))
        start = time.perf_counter()
        results = run_many(names, data, reports, jobs=jobs)
        timings[jobs].append(time.perf_counter() - start)
        failed = [r for r in results if r.status != "ok"]
        if failed:
            out.append(f"  (--jobs {jobs}: {len(failed)} client(s) failed: {failed[0].error})")
    one, two = min(timings[1]), min(timings[2])
    out.append(line(f"{clients} demo clients --jobs 2 (speed-up, best of 3 each)", f"{two:.1f} s",
                    f"--jobs 1 {one:.1f} s", one / two, ">= 1.7x"))


def _large_client(folder: Path) -> tuple[list, Any]:
    """The large client's (source, path) pairs and its reporting period."""
    from cxkit.io.client import ClientFolder

    client = ClientFolder(folder.name, folder.parent)
    return [(s, client.path(s.file)) for s in client.engagement.surveys], client.engagement.period


def large_metrics(folder: Path) -> dict:
    """The benchmarked metrics step (run in a subprocess): cxkit's DuckDB path."""
    from cxkit.metrics import large

    start = time.perf_counter()
    pairs, period = _large_client(folder)
    survey = large.LargeSurvey(pairs, period=period)
    results = {m: large.summarise(survey, m).as_dict()["value"] for m in ("nps", "csat", "ces")}
    cells = large.segment_trend(survey, "nps", "segment", "M")
    return {"seconds": time.perf_counter() - start, "values": results, "cells": len(cells)}


def handwritten_query(folder: Path) -> dict:
    """The baseline: one hand-written DuckDB query per source for the same aggregates."""
    import duckdb

    pairs, period = _large_client(folder)
    rel, trans = (str(p) for _, p in pairs)
    within = "{date} >= TIMESTAMP '%s' AND {date} < TIMESTAMP '%s'" % (
        period.start, period.end + dt.timedelta(days=1))
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    start = time.perf_counter()
    clean = """WITH live AS (SELECT * FROM read_parquet('{f}') WHERE {keep} AND trim({id}) <> ''),
        rep AS (SELECT {id} AS rid FROM live GROUP BY 1 HAVING count(*) > 1),
        dup AS (SELECT DISTINCT * FROM live WHERE {id} IN (SELECT rid FROM rep)),
        clash AS (SELECT {id} AS rid FROM dup GROUP BY 1 HAVING count(*) > 1),
        kept AS (SELECT * FROM live WHERE {id} NOT IN (SELECT rid FROM rep)
                 UNION ALL SELECT * FROM dup WHERE {id} NOT IN (SELECT rid FROM clash))"""
    nps = con.execute(clean.format(f=rel, id="ResponseId",
                                   keep="lower(CAST(Status AS VARCHAR)) NOT IN ('survey preview','spam') "
                                        "AND lower(CAST(Finished AS VARCHAR)) IN ('1','true')") + """
        SELECT Segment, date_trunc('month', RecordedDate) AS m, count(Q_NPS) n,
               count(*) FILTER (WHERE Q_NPS >= 9) p, count(*) FILTER (WHERE Q_NPS <= 6) d,
               sum(Q_NPS) s, sum(Q_NPS * Q_NPS) ss
        FROM kept WHERE Q_NPS BETWEEN 0 AND 10 AND Q_NPS = round(Q_NPS) AND """ + within.format(date="RecordedDate")
        + " GROUP BY ALL").df()
    other = con.execute(clean.format(f=trans, id="response_id", keep="TRUE") + """
        SELECT count(csat) FILTER (WHERE csat BETWEEN 1 AND 5 AND csat = round(csat)) cn,
               count(*) FILTER (WHERE csat >= 4 AND csat <= 5 AND csat = round(csat)) ct,
               count(ces) FILTER (WHERE ces BETWEEN 1 AND 7 AND ces = round(ces)) en,
               count(*) FILTER (WHERE ces >= 6 AND ces <= 7 AND ces = round(ces)) et
        FROM kept WHERE """ + within.format(date="submitted_at")).df()
    return {"seconds": time.perf_counter() - start, "groups": len(nps), "rows": int(other.iloc[0, 0])}


def _in_subprocess(function: str, folder: Path) -> dict:
    """Run ``function(folder)`` in a fresh interpreter; add its peak RSS in bytes."""
    code = ("import json, resource, sys; from pathlib import Path; import cxkit.bench as b; "
            f"out = b.{function}(Path(sys.argv[1])); "
            "out['peak_bytes'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024; "
            "print(json.dumps(out))")
    done = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_large(out: list[str]) -> None:
    """10M responses: cxkit's DuckDB path vs the hand-written query, and peak memory."""
    folder = ensure_client(BENCH_DIR / "large", seed=11, responses=LARGE_RESPONSES, name="Large Co")
    # Alternate the two and keep each one's best of three runs, so that neither pays alone for a
    # cold file cache or for the other core being busy.
    runs = [_in_subprocess(name, folder) for _ in range(3) for name in ("handwritten_query", "large_metrics")]
    base = min(runs[0::2], key=lambda r: r["seconds"])
    ours = min(runs[1::2], key=lambda r: r["seconds"])
    ours["peak_bytes"] = max(r["peak_bytes"] for r in runs[1::2])
    out.append(line("10M responses: NPS/CSAT/CES + NPS by segment x month", f"{ours['seconds']:.1f} s",
                    f"hand-written DuckDB {base['seconds']:.1f} s", ours["seconds"] / base["seconds"], "<= 2x"))
    gb = ours["peak_bytes"] / 1e9
    out.append(line("10M responses: peak memory of the metrics step", f"{gb:.2f} GB", "limit 3 GB", gb / 3, "< 1x"))
    from cxkit.run.chapters import CHAPTERS
    from cxkit.run.client_run import run_client

    start = time.perf_counter()
    result = run_client(folder.name, folder.parent, Path(tempfile.mkdtemp(prefix="cxkit-bench-")),
                        chapters=(CHAPTERS[2],))
    seconds = time.perf_counter() - start
    status = "" if result.status == "ok" else f" FAILED: {result.error}"
    out.append(line("10M responses: chapter 3 executed + rendered by cxkit run", f"{seconds:.1f} s{status}",
                    "limit 60 s", seconds / 60, "< 1x"))


def bench_sizes(out: list[str], report: Path) -> None:
    """Template overhead (empty notebook) and each chapter page's size."""
    from cxkit.report.exporter import render_empty
    from cxkit.run.chapters import CHAPTERS

    fixed = len(render_empty().encode())
    out.append(line("template fixed overhead (empty notebook)", f"{fixed / 1024:.0f} KB", "limit 60 KB",
                    fixed / (60 * 1024), "<= 1x"))
    for chapter in CHAPTERS:
        page = report / chapter.file
        if page.is_file():
            size = page.stat().st_size
            out.append(line(f"chapter {chapter.number} {chapter.stem} size", f"{size / 1024:.0f} KB",
                            "limit 1536 KB", size / (1536 * 1024), "<= 1x"))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per figure."""
    parser = argparse.ArgumentParser(prog="python -m cxkit.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--skip-jobs", action="store_true", help="skip the 8-client --jobs comparison")
    parser.add_argument("--skip-large", action="store_true", help="skip the 10M-response figures")
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    BENCH_DIR.mkdir(exist_ok=True)
    out: list[str] = []
    steps = [lambda: bench_zygote(out), lambda: bench_sizes(out, bench_tiny(out))]
    if not args.skip_jobs:
        steps.append(lambda: bench_jobs(out))
    if not args.skip_large:
        steps.append(lambda: bench_large(out))
    for step in steps:
        printed = len(out)
        step()
        for text in out[printed:]:
            print(text, flush=True)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
