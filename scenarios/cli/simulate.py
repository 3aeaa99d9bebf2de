"""``ccplan simulate FILE.yaml``: simulate a scenario file and print its KPIs.

Options: ``--replications N``, ``--seed S``, ``--warmup-minutes W`` (override the file),
``--setup KIND`` (apply a setup other than the file's ``setup:``), ``--workers N`` (parallel
replications; same results), ``--intervals`` (per-interval KPIs and headcount), ``--json`` (the
object below on stdout, plus ``"intervals"`` with ``--intervals``), ``--quiet`` (no progress), ``--xlsx OUT`` (summary, intervals, groups and costs as an Excel workbook).
A progress bar (replications done, elapsed, remaining) is drawn on stderr unless ``--quiet``, or
``--json`` with stdout not a terminal.

``--json`` prints ``{"scenario", "setup", "replications", "seed", "warmup_seconds",
"horizon_seconds", "channels": {name: {kpi: {"mean", "ci95"}}}, "groups", "goals", "costs",
"seat_shortfall_per_interval", "notification_deflected"}``; ``ci95`` is the half-width
of the 95 % confidence interval over replications, ``service_level`` counts contacts answered
within the target over all offered to agents (abandoned count as missed, as in
``staffing.erlang_a``) and ``asa_seconds`` is the mean wait of answered contacts.
"""

from __future__ import annotations

import argparse
import json
import sys

from scenarios.cli._output import write_output
from scenarios.document.loader import load_scenario
from scenarios.document.setups import SETUP_KINDS
from scenarios.errors import ScenarioError
from scenarios.report.progress import ProgressBar, progress_enabled
from scenarios.report.text import format_intervals, format_run, simulate_json
from scenarios.studies.run import run_setup

__all__ = ["configure", "simulate_json", "format_run", "format_intervals"]


def _handle(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.file)
    replications = scenario.replications if args.replications is None else args.replications
    if replications < 1:
        raise ScenarioError(f"--replications must be >= 1, got {replications}")
    if args.workers < 1:
        raise ScenarioError(f"--workers must be >= 1, got {args.workers}")
    if args.warmup_minutes is not None and args.warmup_minutes < 0:
        raise ScenarioError(f"--warmup-minutes must be >= 0, got {args.warmup_minutes:g}")
    seed = scenario.seed if args.seed is None else args.seed
    bar = ProgressBar(enabled=progress_enabled(quiet=args.quiet, json_output=args.json))
    try:
        run = run_setup(scenario, args.setup, replications, seed, warmup_minutes=args.warmup_minutes,
                        workers=args.workers, progress=bar)
    finally:
        bar.close()
    if args.xlsx:
        from scenarios.report.excel import run_tables, write_xlsx

        write_output("--xlsx", args.xlsx, lambda p: write_xlsx(p, run_tables(run)))
    if args.json:
        payload = simulate_json(run)
        if args.intervals:
            payload["intervals"] = json.loads(run.interval_summary().to_json(orient="records"))
        json.dump(payload, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_run(run))
        if args.intervals:
            print()
            print(format_intervals(run))
        if args.xlsx:
            print(f"tables written to {args.xlsx}")
    return 0


def configure(parser) -> None:
    """Add the ``simulate`` subcommand."""
    parser.description = (
        "Simulate FILE (a scenario in YAML or TOML) and print KPIs per channel with 95 % "
        "confidence half-widths over replications."
    )
    parser.add_argument("file", metavar="FILE.yaml", help="scenario file (.yaml, .yml or .toml)")
    parser.add_argument("--replications", type=int, default=None, metavar="N", help="replications (default: the file's, else 10)")
    parser.add_argument("--seed", type=int, default=None, metavar="S", help="root random seed (default: the file's, else fresh)")
    parser.add_argument("--warmup-minutes", type=float, default=None, metavar="W", help="warm-up; contacts arriving earlier are not counted")
    parser.add_argument("--setup", choices=SETUP_KINDS, default=None, help="apply this setup (default: the file's setup block)")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="parallel processes (same results)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--intervals", action="store_true",
                        help="also show per-interval KPIs and headcount (scheduled, seated, seat shortfall)")
    parser.add_argument("--xlsx", metavar="OUT.xlsx", default=None,
                        help="also write every table to an Excel workbook (one sheet per table)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=_handle)
