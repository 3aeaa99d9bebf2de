"""``ccplan plan FILE.yaml``: staffing from the analytic core, put into shifts, checked by simulation.

Runs :func:`scenarios.studies.plan.plan_staffing` and prints the iterations (replications, cost,
intervals missed and undecided, agents added and removed), the horizon service level per channel,
and one row per interval x channel: Erlang C, Erlang A, the analytic staffing used, the first
schedule, the final simulated requirement and schedule (agents available after shrinkage), the
simulated service level and abandon rate with 95 % CI half-widths, the goal decision
(met / missed / undecided, :func:`scenarios.studies.plan.goal_decision`) and why the numbers differ.
Then the shifts per group and the goal rule.

Options: ``--replications N`` (first batch, default the file's) and ``--max-replications N``
(default 30) for the sequential replications, ``--precision H`` (default 1: the plan's precision
in percentage points of service level; an undecided interval within H points of its goal, or with
a half-width at most H, gets no more replications, stays undecided and gets agents), ``--mip-gap PCT``
(default 0.5: each shift schedule's cost is proven within PCT % of the minimum); ``--seed S`` (default the file's; the same seed in
every iteration), ``--max-iterations N`` (default 6), ``--setup KIND``; the roster rules
(:class:`scenarios.studies.plan.RosterRules`) ``--shift-hours H`` (repeatable, default 8),
``--part-time-hours H`` (repeatable, default 4; 0 = none), ``--max-part-time-share X`` (default
0.3), ``--breaks N`` (default 1), ``--break-minutes M`` (30), ``--break-window E L`` (3 5, hours
after the shift start), ``--start-step-minutes M`` (30), ``--seats N`` (default the in-house
setup's); ``--max-step-agents`` (5), ``--warmup-minutes``, ``--workers``, ``--json``, ``--csv OUT``,
``--xlsx OUT`` (every table and each group's shifts as an Excel workbook) and ``--quiet``. Bad input prints one line naming the flag and its range, and exits 2.
"""

from __future__ import annotations

import argparse
import math

from scenarios.cli._args import REPLICATIONS, SEED, WARMUP_MINUTES, WORKERS, ranged
from scenarios.cli._output import Output, about_file, emit
from scenarios.document.loader import load_scenario
from scenarios.document.setups import SETUP_KINDS
from scenarios.errors import ScenarioError
from scenarios.report.progress import ProgressBar, progress_enabled
from scenarios.report.text import format_plan
from scenarios.studies.plan import (
    DEFAULT_MAX_PART_TIME_SHARE,
    DEFAULT_PLAN_MIP_GAP,
    DEFAULT_PLAN_PRECISION_POINTS,
    RosterRules,
    plan_staffing,
)

__all__ = ["configure", "format_plan"]


def _rules(args: argparse.Namespace) -> RosterRules:
    """The roster rules of the flags (validated by :class:`RosterRules`, which names the flag)."""
    part_time = tuple(h for h in (args.part_time_hours or [4.0]) if h != 0)
    share = DEFAULT_MAX_PART_TIME_SHARE if args.max_part_time_share is None else args.max_part_time_share
    return RosterRules(
        shift_hours=tuple(args.shift_hours or [8.0]), part_time_hours=part_time,
        max_part_time_share=None if share == -1 else share,
        break_count=args.breaks, break_minutes=args.break_minutes,
        break_window_hours=tuple(args.break_window) if args.break_window else (3.0, 5.0),
        start_step_minutes=args.start_step_minutes, seats=args.seats,
    )


def _handle(args: argparse.Namespace) -> int:
    with about_file(args.file):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.file)
    replications = scenario.replications if args.replications is None else args.replications
    for label, value, low in (("--replications", replications, 2), ("--max-iterations", args.max_iterations, 1),
                              ("--max-step-agents", args.max_step_agents, 1), ("--workers", args.workers, 1)):
        if value < low:
            raise ScenarioError(f"{label} must be >= {low}, got {value}")
    if args.max_replications is not None and not replications <= args.max_replications <= 10_000:
        raise ScenarioError(f"--max-replications must be in [--replications={replications}, 10000], got {args.max_replications}")
    if args.warmup_minutes is not None and not (math.isfinite(args.warmup_minutes) and args.warmup_minutes >= 0):
        raise ScenarioError(f"--warmup-minutes must be a finite number >= 0, got {args.warmup_minutes:g}")
    rules = _rules(args)
    seed = scenario.seed if args.seed is None else args.seed
    bar = ProgressBar("iterations (at most)", enabled=progress_enabled(quiet=args.quiet, json_output=args.json))
    try:
        plan = plan_staffing(
            scenario, args.setup, replications=replications, max_replications=args.max_replications,
            precision=args.precision, mip_rel_gap=args.mip_gap / 100.0, seed=seed,
            max_iterations=args.max_iterations, rules=rules, max_step_agents=args.max_step_agents,
            warmup_minutes=args.warmup_minutes, workers=args.workers, progress=bar)
    finally:
        bar.close()

    def xlsx(path: str) -> None:
        from scenarios.report.excel import plan_tables, write_xlsx

        write_xlsx(path, plan_tables(plan))

    emit(json_output=args.json, payload=plan.to_json_dict, text=lambda: format_plan(plan),
         files=[Output("--csv", args.csv, lambda p: plan.intervals.to_csv(p, index=False), "per-interval table"),
                Output("--xlsx", args.xlsx, xlsx, "tables and shifts")])
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``plan`` subcommand."""
    parser.description = (
        "Required agents from Erlang C/A (and the chat and email models), one minimum-cost shift "
        "schedule for all staff groups under the roster rules (seats shared by all groups), then "
        "simulation of that schedule with replications added until each interval's goal is decided; "
        "intervals not meeting the goal (or beating it with slack) are adjusted and the loop repeats "
        "until the goals are met or --max-iterations is reached."
    )
    parser.add_argument("file", metavar="FILE.yaml", help="scenario file (.yaml, .yml or .toml)")
    parser.add_argument("--replications", type=REPLICATIONS, default=None, metavar="N",
                        help="first batch of replications per iteration, >= 2 (default: the file's, else 10)")
    parser.add_argument("--max-replications", type=REPLICATIONS, default=None, metavar="N",
                        help="most replications per iteration while intervals are undecided (default 30)")
    parser.add_argument("--precision", type=ranged(0, 50), default=None, metavar="H",
                        help="the plan's precision in percentage points of service level, 0-50 (default "
                             f"{DEFAULT_PLAN_PRECISION_POINTS:g}): an undecided interval within H points of its goal "
                             "(or with a 95%% half-width <= H) gets no more replications and counts as not met")
    parser.add_argument("--mip-gap", type=ranged(0, 100), default=DEFAULT_PLAN_MIP_GAP * 100, metavar="PCT",
                        help="shift schedules' cost proven within PCT %% of the minimum (HiGHS MIP gap), 0-100 "
                             f"(default {DEFAULT_PLAN_MIP_GAP * 100:g})")
    parser.add_argument("--seed", type=SEED, default=None, metavar="S",
                        help="root seed, the same in every iteration (default: the file's, else fresh)")
    parser.add_argument("--max-iterations", type=ranged(1, 50, integer=True), default=6, metavar="N", help="most simulated iterations, 1..50 (default 6)")
    parser.add_argument("--setup", choices=SETUP_KINDS, default=None, help="plan for this setup (default: the file's)")
    rules = parser.add_argument_group("roster rules")
    rules.add_argument("--shift-hours", type=float, action="append", default=None, metavar="H",
                       help="a full-time shift span in hours, (0, 24], breaks included; repeat for several (default 8)")
    rules.add_argument("--part-time-hours", type=float, action="append", default=None, metavar="H",
                       help="a part-time shift span in hours, (0, 24]; repeat for several; 0 = none (default 4)")
    rules.add_argument("--max-part-time-share", type=float, default=None, metavar="X",
                       help=f"largest share of a group's shifts that are part-time, 0-1 (default {DEFAULT_MAX_PART_TIME_SHARE:g}; "
                            "-1 = no limit)")
    rules.add_argument("--breaks", type=int, default=1, metavar="N",
                       help="breaks per shift of 6 hours or more, 0-4 (default 1)")
    rules.add_argument("--break-minutes", type=int, default=30, metavar="M",
                       help="length of each unpaid break, minutes, 0-240 (default 30)")
    rules.add_argument("--break-window", type=float, nargs=2, default=None, metavar=("EARLIEST", "LATEST"),
                       help="hours after the shift start within which the breaks start (default 3 5)")
    rules.add_argument("--start-step-minutes", type=int, default=30, metavar="M",
                       help="minutes between shift start times, 1-1440 (default 30)")
    rules.add_argument("--seats", type=ranged(0, 1_000_000, integer=True), default=None, metavar="N",
                       help="seats shared by all groups (default: the in-house setup's seats)")
    parser.add_argument("--max-step-agents", type=ranged(1, 10_000, integer=True), default=5, metavar="N",
                        help="most agents added to a group in one interval per iteration, 1..10000 (default 5)")
    parser.add_argument("--warmup-minutes", type=WARMUP_MINUTES, default=None, metavar="W", help="override the file's warm-up (minutes, [0, 1e7])")
    parser.add_argument("--workers", type=WORKERS, default=1, metavar="N", help="parallel simulation processes, 1..256 (same results)")
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.add_argument("--csv", metavar="OUT", default=None, help="write the per-interval table to this CSV file")
    parser.add_argument("--xlsx", metavar="OUT.xlsx", default=None,
                        help="also write every table to an Excel workbook (one sheet per table)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=_handle)
