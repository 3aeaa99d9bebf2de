"""``ccplan compare FILE.yaml``: the scenario under in-house, virtual and cloud setups, side by side.

Every setup runs with the same seed (common random numbers). Options: ``--setups`` (comma list,
default ``in-house,virtual,cloud``), ``--replications N``, ``--seed S``, ``--warmup-minutes W``,
``--workers N``, ``--json`` (the :meth:`scenarios.studies.compare.Comparison.to_json_dict` object on
stdout), ``--csv OUT`` (the tidy setup x metric table), ``--xlsx OUT`` (both tables as an Excel
workbook), ``--quiet``.
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
from scenarios.report.text import format_comparison
from scenarios.studies.compare import compare

__all__ = ["configure", "format_comparison"]


def _handle(args: argparse.Namespace) -> int:
    kinds = [k.strip() for k in args.setups.split(",") if k.strip()]
    for kind in kinds:
        if kind not in SETUP_KINDS:
            raise ScenarioError(f"--setups: unknown setup {kind!r}; choose from {', '.join(SETUP_KINDS)}")
    if not kinds:
        raise ScenarioError("--setups must name at least one setup")
    scenario = load_scenario(args.file)
    if args.replications is not None and args.replications < 1:
        raise ScenarioError(f"--replications must be >= 1, got {args.replications}")
    bar = ProgressBar(enabled=progress_enabled(quiet=args.quiet, json_output=args.json))
    try:
        comparison = compare(scenario, kinds, args.replications, args.seed, warmup_minutes=args.warmup_minutes,
                             workers=args.workers, progress=bar)
    finally:
        bar.close()
    if args.csv:
        write_output("--csv", args.csv, lambda p: comparison.to_frame().to_csv(p, index=False))
    if args.xlsx:
        from scenarios.report.excel import comparison_tables, write_xlsx

        write_output("--xlsx", args.xlsx, lambda p: write_xlsx(p, comparison_tables(comparison)))
    if args.json:
        json.dump(comparison.to_json_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_comparison(comparison))
        if args.csv:
            print(f"table written to {args.csv}")
        if args.xlsx:
            print(f"tables written to {args.xlsx}")
    return 0


def configure(parser) -> None:
    """Add the ``compare`` subcommand."""
    parser.description = (
        "Run FILE under each setup with common random numbers and print SL, ASA, abandon "
        "rate, occupancy, email response and cost side by side."
    )
    parser.add_argument("file", metavar="FILE.yaml", help="scenario file (.yaml, .yml or .toml)")
    parser.add_argument("--setups", default=",".join(SETUP_KINDS), metavar="LIST",
                        help="comma-separated setups (default: in-house,virtual,cloud)")
    parser.add_argument("--replications", type=int, default=None, metavar="N", help="replications per setup (default: the file's)")
    parser.add_argument("--seed", type=int, default=None, metavar="S", help="root seed shared by every setup")
    parser.add_argument("--warmup-minutes", type=float, default=None, metavar="W", help="warm-up (minutes)")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="parallel processes per simulation")
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    parser.add_argument("--csv", metavar="OUT", help="write the tidy setup x metric table to OUT")
    parser.add_argument("--xlsx", metavar="OUT.xlsx", default=None,
                        help="also write every table to an Excel workbook (one sheet per table)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=_handle)
