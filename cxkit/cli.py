"""The ``cxkit`` command: run, demo, new, validate."""
from __future__ import annotations

import argparse
import atexit
import logging
import os
import sys
import threading
from pathlib import Path
from typing import NoReturn

from cxkit.errors import InputError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cxkit", description="CX maturity engagements, from client data to deliverables.")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="execute the five notebooks and write the HTML deliverable")
    run.add_argument("clients", nargs="*", help="client folder names under --client-data")
    run.add_argument("--all", action="store_true", help="run every client folder")
    run.add_argument("--client-data", default="client_data", help="folder of client folders")
    run.add_argument("--reports", default="reports", help="where deliverables are written")
    run.add_argument("--jobs", type=int, default=0,
                     help="notebooks executed at once (default: one per core); clients run in parallel "
                          "processes, and a lone client's chapters share the spare cores")
    run.add_argument("--consultant", action="store_true",
                     help="also write copies with code for internal review, to reports/_review/CLIENT/")
    run.add_argument("--executor", choices=["local", "dask"], default="local", help="where clients run")
    run.add_argument("--scheduler", default=None, help="Dask scheduler address (default: a local cluster)")

    demo = sub.add_parser("demo", help="write the seeded demo client")
    demo.add_argument("--out", default="client_data/demo", help="folder to write")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--responses", type=int, default=20000)
    demo.add_argument("--name", default="Northwind Cloud")

    new = sub.add_parser("new", help="scaffold a client folder with commented templates")
    new.add_argument("client")
    new.add_argument("--client-data", default="client_data")

    validate = sub.add_parser("validate", help="check every input of a client without running notebooks")
    validate.add_argument("client")
    validate.add_argument("--client-data", default="client_data")
    return parser


def console() -> NoReturn:
    """The ``cxkit`` console script and ``python -m cxkit``: :func:`main`, then a quick exit.

    A run leaves a large heap behind (pandas, pyarrow, nbconvert), and tearing the
    interpreter down module by module cost 0.3 to 0.5 s after the last report was already
    in place, about a tenth of a tiny client's ``cxkit run``. Everything a command writes is
    closed and renamed into place before :func:`main` returns, so what is left is the
    exit handlers (the kernel zygote's shutdown, temporary folders), logging and the
    standard streams; they are run and flushed, and the process ends with ``os._exit``.
    While another thread still runs (none does after a local run; a Dask client's may),
    the ordinary exit waits for it instead.
    """
    code = main()
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if threading.active_count() > 1 or run_exit_handlers is None:
        raise SystemExit(code)
    run_exit_handlers()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can reach it
            pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the command; returns the exit code (used by :func:`console`)."""
    args = _parser().parse_args(argv)
    try:
        return {"run": _run, "demo": _demo, "new": _new, "validate": _validate}[args.command](args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    from cxkit.run import zygote
    from cxkit.run.portfolio import all_clients

    clients = all_clients(args.client_data) if args.all else args.clients
    if not clients:
        print("error: name at least one client, or use --all", file=sys.stderr)
        return 2
    if args.executor != "dask":
        zygote.start_early(args.jobs, len(clients))  # its imports overlap the ones below
    from cxkit.run.batch import progress_line, run_many, summary_table

    if args.executor == "dask":
        from cxkit.run.dask_executor import run_on_dask

        results = run_on_dask(clients, args.client_data, args.reports, scheduler=args.scheduler,
                              consultant=args.consultant, on_done=progress_line)
    else:
        results = run_many(clients, args.client_data, args.reports, jobs=args.jobs,
                           consultant=args.consultant, on_done=progress_line)
    print(summary_table(results))
    for r in results:
        for caveat in r.caveats:
            print(f"warning: {r.client}: {caveat}", file=sys.stderr)
    for r in results:
        if r.status == "ok":
            print(f"Open {r.report}")
    return 0 if all(r.status == "ok" for r in results) else 1


def _demo(args: argparse.Namespace) -> int:
    from cxkit.demo import generate

    out = generate(Path(args.out), seed=args.seed, responses=args.responses, name=args.name)
    print(f"demo client written to {out}")
    return 0


def _new(args: argparse.Namespace) -> int:
    from cxkit.scaffold import new_client

    folder = new_client(args.client, Path(args.client_data))
    print(f"created {folder}: edit engagement.yaml and journey.yaml, add survey exports, then `cxkit validate {args.client}`")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from cxkit.report.wording import counted
    from cxkit.validate import validate_client

    problems, notes, warnings = validate_client(args.client, args.client_data)
    for note in notes:
        print(f"ok: {note}")
    for warning in warnings:
        print(f"warning: {warning}")
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    if problems:
        print(f"{counted(len(problems), 'problem')} found in {args.client}", file=sys.stderr)
        return 1
    print(f"{args.client}: all inputs are valid" + (f" ({counted(len(warnings), 'warning')} above)" if warnings else ""))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
