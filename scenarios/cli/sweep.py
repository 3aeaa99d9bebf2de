"""``ccplan sweep SWEEP.yaml``: run a parameter sweep locally or on a Dask cluster.

Options override the sweep file (``--replications``, ``--precision``, ``--seed``, ``--out``). Progress is drawn on
stderr unless ``--quiet``; a short summary table (one row per run: parameters, status, service
level, abandon rate and ASA per channel, total cost) goes to stdout. Bad sweep files and
options are one line on stderr with exit status 2 (the dispatcher prints ``CcplanError``).
An interrupted sweep (Ctrl-C or SIGTERM) keeps its finished runs: the same command resumes it.
A sweep with failed runs exits with status 1 and says how many failed (bad input: status 2).
"""

from __future__ import annotations

import argparse
import re
import signal
import sys

from scenarios.cli._args import REPLICATIONS, SEED, WORKERS, ranged
from scenarios.document.sweep_file import load_sweep
from scenarios.errors import CcplanError
from scenarios.report.text import summary_lines
from scenarios.studies.sweep import STATUS, STATUS_FAILED, sweep

__all__ = ["configure", "summary_lines"]


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {text!r}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, got {text!r}")
    return value


_ADDRESS = re.compile(r"^(?:(?:tcp|tls|inproc|ucx|ws|wss)://)?[A-Za-z0-9_.\-\[\]:]+:\d{1,5}$")


def _scheduler(text: str) -> str:
    if text.strip() == "local":
        return "local"
    if not _ADDRESS.match(text.strip()):
        raise argparse.ArgumentTypeError(f"must be a Dask scheduler address like tcp://host:8786, or local, got {text[:60]!r}")
    return text.strip()


def _handle(args) -> int:
    if args.scheduler and args.scheduler != "local" and args.workers > 1:
        raise CcplanError("give --workers (local processes) or --scheduler (a Dask cluster), not both")
    spec = load_sweep(args.sweep_file)  # file errors before anything runs or is created
    previous = signal.signal(signal.SIGTERM, _on_sigterm)  # SIGTERM stops like Ctrl-C: runs kept, one hint
    try:
        result = sweep(spec, workers=args.workers, scheduler=args.scheduler, out=args.out or _default_out(spec, args),
                       replications=args.replications, precision=args.precision, seed=args.seed, resume=not args.no_resume,
                       progress=not args.quiet)
    except KeyboardInterrupt:
        print(f"ccplan sweep: interrupted; finished runs are kept, run the same command to resume "
              f"({args.out or _default_out(spec, args)})", file=sys.stderr)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
    failed = int((result.runs[STATUS] == STATUS_FAILED).sum())
    out = result.out
    if result.precision is None:
        length = f"{result.replications} replications"
    else:
        from scenarios.studies.run import describe_run_length

        used = result.runs.loc[result.runs[STATUS] != STATUS_FAILED, "replications"]
        missed = int((result.runs["precision_target"] == "not met").sum())
        length = (f"replications {describe_run_length(result.precision)} "
                  f"(used {used.min() if len(used) else 0}-{used.max() if len(used) else 0}"
                  f"{f'; target not met in {missed} runs' if missed else ''})")
    print(f"ccplan sweep: {result.name}: {len(result.runs)} runs x {length}, seed {result.seed}")
    for line in summary_lines(result):
        print(line)
    parts = [f"{result.executed} simulated", f"{result.resumed} resumed"]
    if failed:
        parts.append(f"{failed} failed (see the error column)")
    print(f"{', '.join(parts)} in {result.elapsed_seconds:.1f} s; tables in {out}/: "
          "intervals, summary, runs (.parquet and .csv)")
    if failed:
        print(f"ccplan sweep: {failed} of {len(result.runs)} runs failed; their errors are in {out}/runs.csv "
              "(column error); the same command retries them", file=sys.stderr)
        return 1
    return 0


def _on_sigterm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt


def _default_out(spec, args) -> str:
    from pathlib import Path

    if spec.spec.out is not None:
        return str(spec.base_dir / spec.spec.out)
    return f"{Path(args.sweep_file).stem}_results"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``sweep`` subcommand."""
    parser.description = (
        "Run every combination of a sweep file's parameters over its base scenario; write tidy "
        "tables (Parquet and CSV) and print a summary. Re-running resumes an interrupted sweep."
    )
    parser.add_argument("sweep_file", metavar="SWEEP.yaml", help="sweep file (base scenario, parameters, ...)")
    parser.add_argument("--workers", type=WORKERS, default=1, metavar="N",
                        help="local worker processes (default 1: in this process)")
    parser.add_argument("--scheduler", type=_scheduler, metavar="ADDRESS",
                        help="run on a Dask distributed cluster, e.g. tcp://host:8786, or 'local' to start a "
                             "LocalCluster of --workers workers, each limited to CCPLAN_RUN_MEMORY_LIMIT_MB plus what "
                             "the worker itself needs (needs ccplan[dist])")
    parser.add_argument("--out", metavar="DIR", help="output folder (default: the file's out, else SWEEP_results)")
    parser.add_argument("--replications", type=REPLICATIONS, metavar="N",
                        help="a fixed number of replications per run, 1..10000 (overrides the file)")
    parser.add_argument("--precision", type=ranged(0, 50, low_open=True), default=None, metavar="H",
                        help="run each run until the 95%% half-width of its service level and abandon rate is at most H "
                             "percentage points, (0, 50] (ASA and replication limits from the sweep file's precision block, "
                             "else the base scenario's, else 2 s and 5-200); the runs table records the replications used "
                             "and whether the target was met")
    parser.add_argument("--seed", type=SEED, metavar="S", help="sweep seed, >= 0 (overrides the file)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--no-resume", action="store_true", help="recompute runs already finished in the output folder")
    parser.set_defaults(handler=_handle)
