"""``ccplan plan FILE.yaml``: staffing from the analytic core, put into shifts, checked by simulation.

Runs :func:`scenarios.studies.plan.plan_staffing` and prints the iterations (cost, intervals missing
the goal, agents added and removed), the horizon service level per channel, and one row per
interval x channel: Erlang C, Erlang A, the analytic staffing used, the first schedule, the
final simulated requirement and schedule (agents available after shrinkage), the simulated
service level and abandon rate with 95 % CI half-widths, whether the goal is met, and why the
numbers differ (:data:`scenarios.studies.plan.WHY_LABELS`). Then the shifts per group.

Options: ``--replications N`` and ``--seed S`` (default the file's; the same seed in every
iteration), ``--max-iterations N`` (default 6), ``--criterion ci|mean`` (default ci),
``--setup KIND``, shift templates ``--shift-hours`` (8), ``--part-time-hours`` (4; 0 = none),
``--break-minutes`` (30), ``--start-step-minutes`` (30), ``--max-part-time-share``,
``--max-step-agents`` (5), ``--warmup-minutes``, ``--workers``, ``--json`` (the object of
:meth:`PlanResult.to_json_dict` on stdout), ``--csv OUT`` (the per-interval table), ``--xlsx OUT`` (every table and each group's shifts
as an Excel workbook) and
``--quiet`` (no progress bar). Bad input prints one line and exits 2.
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
from scenarios.report.text import format_plan
from scenarios.studies.plan import CRITERIA, default_plan_templates, plan_staffing

__all__ = ["configure", "format_plan"]


def _handle(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.file)
    replications = scenario.replications if args.replications is None else args.replications
    for label, value, low in (("--replications", replications, 1), ("--max-iterations", args.max_iterations, 1),
                              ("--max-step-agents", args.max_step_agents, 1), ("--workers", args.workers, 1),
                              ("--start-step-minutes", args.start_step_minutes, 1)):
        if value < low:
            raise ScenarioError(f"{label} must be >= {low}, got {value}")
    if args.break_minutes < 0:
        raise ScenarioError(f"--break-minutes must be >= 0, got {args.break_minutes}")
    if args.shift_hours <= 0 or args.part_time_hours < 0:
        raise ScenarioError(f"--shift-hours must be > 0 and --part-time-hours >= 0, got {args.shift_hours:g} and {args.part_time_hours:g}")
    if args.max_part_time_share is not None and not 0 <= args.max_part_time_share <= 1:
        raise ScenarioError(f"--max-part-time-share must be in [0, 1], got {args.max_part_time_share:g}")
    if args.warmup_minutes is not None and args.warmup_minutes < 0:
        raise ScenarioError(f"--warmup-minutes must be >= 0, got {args.warmup_minutes:g}")
    templates = default_plan_templates(
        scenario, shift_hours=args.shift_hours, part_time_hours=args.part_time_hours or None,
        break_minutes=args.break_minutes, start_step_minutes=args.start_step_minutes)
    seed = scenario.seed if args.seed is None else args.seed
    bar = ProgressBar("iterations (at most)", enabled=progress_enabled(quiet=args.quiet, json_output=args.json))
    try:
        plan = plan_staffing(
            scenario, args.setup, replications=replications, seed=seed, max_iterations=args.max_iterations,
            criterion=args.criterion, templates=templates, max_step_agents=args.max_step_agents,
            warmup_minutes=args.warmup_minutes, max_part_time_share=args.max_part_time_share,
            workers=args.workers, progress=bar)
    finally:
        bar.close()
    if args.csv:
        write_output("--csv", args.csv, lambda p: plan.intervals.to_csv(p, index=False))
    if args.xlsx:
        from scenarios.report.excel import plan_tables, write_xlsx

        write_output("--xlsx", args.xlsx, lambda p: write_xlsx(p, plan_tables(plan)))
    if args.json:
        json.dump(plan.to_json_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_plan(plan))
        if args.csv:
            print(f"per-interval table written to {args.csv}")
        if args.xlsx:
            print(f"tables and shifts written to {args.xlsx}")
    return 0


def configure(parser) -> None:
    """Add the ``plan`` subcommand."""
    parser.description = (
        "Required agents from Erlang C/A (and the chat and email models), a minimum-cost shift "
        "schedule per staff group, then simulation of that schedule; intervals missing the goal "
        "(or beating it with slack) are adjusted and the loop repeats until the goals are met "
        "or --max-iterations is reached."
    )
    parser.add_argument("file", metavar="FILE.yaml", help="scenario file (.yaml, .yml or .toml)")
    parser.add_argument("--replications", type=int, default=None, metavar="N",
                        help="replications per iteration (default: the file's, else 10)")
    parser.add_argument("--seed", type=int, default=None, metavar="S",
                        help="root seed, the same in every iteration (default: the file's, else fresh)")
    parser.add_argument("--max-iterations", type=int, default=6, metavar="N", help="most simulated iterations (default 6)")
    parser.add_argument("--criterion", choices=tuple(CRITERIA), default="ci",
                        help="goal criterion: ci = not significantly below the goal and the horizon meets it "
                             "(default); mean = every interval's mean meets it")
    parser.add_argument("--setup", choices=SETUP_KINDS, default=None, help="plan for this setup (default: the file's)")
    parser.add_argument("--shift-hours", type=float, default=8.0, metavar="H",
                        help="full shift span in hours, with an unpaid break (default 8)")
    parser.add_argument("--part-time-hours", type=float, default=4.0, metavar="H",
                        help="part-time shift span in hours, no break (default 4; 0 = none)")
    parser.add_argument("--break-minutes", type=int, default=30, metavar="M",
                        help="unpaid break of full shifts, starting 3-5 h in (default 30)")
    parser.add_argument("--start-step-minutes", type=int, default=30, metavar="M",
                        help="minutes between shift start times (default 30)")
    parser.add_argument("--max-part-time-share", type=float, default=None, metavar="X",
                        help="largest share of part-time shifts per group, 0-1 (default no limit)")
    parser.add_argument("--max-step-agents", type=int, default=5, metavar="N",
                        help="most agents added to a group in one interval per iteration (default 5)")
    parser.add_argument("--warmup-minutes", type=float, default=None, metavar="W", help="override the file's warm-up")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="parallel simulation processes (same results)")
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.add_argument("--csv", metavar="OUT", default=None, help="write the per-interval table to this CSV file")
    parser.add_argument("--xlsx", metavar="OUT.xlsx", default=None,
                        help="also write every table to an Excel workbook (one sheet per table)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=_handle)
