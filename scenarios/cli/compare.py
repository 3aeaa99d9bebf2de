"""``ccplan compare FILE.yaml``: the scenario under in-house, virtual and cloud setups, side by side.

Every setup runs with the same seed (common random numbers). Options: ``--setups`` (comma list,
default ``in-house,virtual,cloud``), ``--replications N`` (fixed) or ``--precision H`` (each setup
runs until its headline KPIs reach the target; see :func:`scenarios.studies.run.run_length`), ``--seed S``, ``--warmup-minutes W``,
``--workers N``, ``--json`` (the :meth:`scenarios.studies.compare.Comparison.to_json_dict` object on
stdout), ``--csv OUT`` (the tidy setup x metric table), ``--xlsx OUT`` (both tables as an Excel
workbook), ``--quiet``.
"""

from __future__ import annotations

import argparse

from scenarios.cli._args import REPLICATIONS, SEED, WARMUP_MINUTES, WORKERS, ranged
from scenarios.cli._output import Output, about_file, emit
from scenarios.document.loader import load_scenario
from scenarios.document.setups import SETUP_KINDS
from scenarios.errors import ScenarioError
from scenarios.report.progress import ProgressBar, progress_enabled
from scenarios.report.text import format_comparison
from scenarios.studies.compare import compare
from scenarios.studies.run import run_length

__all__ = ["configure", "format_comparison"]


def _handle(args: argparse.Namespace) -> int:
    with about_file(args.file):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    kinds = [k.strip() for k in args.setups.split(",") if k.strip()]
    for kind in kinds:
        if kind not in SETUP_KINDS:
            raise ScenarioError(f"--setups: unknown setup {kind!r}; choose from {', '.join(SETUP_KINDS)}")
    if not kinds:
        raise ScenarioError("--setups must name at least one setup")
    scenario = load_scenario(args.file)
    length = run_length(scenario, replications=args.replications, precision_points=args.precision)
    bar = ProgressBar(enabled=progress_enabled(quiet=args.quiet, json_output=args.json))
    try:
        comparison = compare(scenario, kinds, length, args.seed, warmup_minutes=args.warmup_minutes,
                             workers=args.workers, progress=bar)
    finally:
        bar.close()

    def xlsx(path: str) -> None:
        from scenarios.report.excel import comparison_tables, write_xlsx

        write_xlsx(path, comparison_tables(comparison))

    emit(json_output=args.json, payload=comparison.to_json_dict, text=lambda: format_comparison(comparison),
         files=[Output("--csv", args.csv, lambda p: comparison.to_frame().to_csv(p, index=False)),
                Output("--xlsx", args.xlsx, xlsx, "tables")])
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``compare`` subcommand."""
    parser.description = (
        "Run FILE under each setup with common random numbers and print SL, ASA, abandon "
        "rate, occupancy, email response and cost side by side."
    )
    parser.add_argument("file", metavar="FILE.yaml", help="scenario file (.yaml, .yml or .toml)")
    parser.add_argument("--setups", default=",".join(SETUP_KINDS), metavar="LIST",
                        help="comma-separated setups (default: in-house,virtual,cloud)")
    parser.add_argument("--replications", type=REPLICATIONS, default=None, metavar="N",
                        help="a fixed number of replications per setup, 1..10000 (default: the file's, else the precision target)")
    parser.add_argument("--precision", type=ranged(0, 50, low_open=True), default=None, metavar="H",
                        help="run each setup until its service levels and abandon rates have a 95%% half-width <= H "
                             "percentage points, (0, 50] (ASA and limits from the file's precision block)")
    parser.add_argument("--seed", type=SEED, default=None, metavar="S", help="root seed shared by every setup (whole number >= 0)")
    parser.add_argument("--warmup-minutes", type=WARMUP_MINUTES, default=None, metavar="W", help="warm-up (minutes, [0, 1e7])")
    parser.add_argument("--workers", type=WORKERS, default=1, metavar="N", help="parallel processes per simulation, 1..256")
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    parser.add_argument("--csv", metavar="OUT", help="write the tidy setup x metric table to OUT")
    parser.add_argument("--xlsx", metavar="OUT.xlsx", default=None,
                        help="also write every table to an Excel workbook (one sheet per table)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=_handle)
