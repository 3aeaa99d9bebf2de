"""``ccplan erlang``: required agents for one interval, and the metrics around that staffing.

The computation (:func:`erlang_report`) returns plain data; the handler prints it as a table
or as JSON.
"""

from __future__ import annotations

import argparse

from scenarios.cli._args import ranged
from scenarios.cli._output import emit
from scenarios.document.defaults import DEFAULT_SERVICE_LEVEL_GOAL, DEFAULT_TARGET_SECONDS
from scenarios.report.text import format_erlang_report
from scenarios.studies.erlang import erlang_report

__all__ = ["configure"]


FLAG_NAMES = {"service_level_goal": "--goal", "target_seconds": "--target", "aht_seconds": "--aht",
              "patience_seconds": "--patience", "interval_minutes": "--interval-minutes"}
"""Engine argument -> this command's flag, for error messages (see :func:`scenarios.cli.flag_names`)."""


def _handle(args) -> int:
    report = erlang_report(args.calls, args.interval_minutes, args.aht, args.target, args.goal, args.patience,
                           max_occupancy=args.max_occupancy, max_abandon_rate=args.max_abandon,
                           asa_goal_seconds=args.asa)
    emit(json_output=args.json, payload=lambda: report,
         text=lambda: "\n".join([format_erlang_report(report), *(f"warning: {w}" for w in report["warnings"])]))
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``erlang`` subcommand."""
    parser.description = (
        "Required agents for one interval by Erlang C (and Erlang A with --patience), the square-root "
        "staffing estimate beside it, and SL / ASA / P(wait) / occupancy at n-2 .. n+3 agents."
    )
    parser.add_argument("--calls", type=ranged(0, 1e9), required=True, help="calls offered in the interval, [0, 1e9]")
    parser.add_argument("--interval-minutes", type=ranged(1, 1440), default=30.0, metavar="M", help="interval length, minutes, [1, 1440] (default %(default)s)")
    parser.add_argument("--aht", type=ranged(0, 86_400, low_open=True), required=True, metavar="S", help="average handle time, seconds, (0, 86400]")
    parser.add_argument("--target", type=ranged(0, 86_400, low_open=True), default=DEFAULT_TARGET_SECONDS, metavar="S", help="service-level target, seconds, (0, 86400] (default %(default)s)")
    parser.add_argument("--goal", type=ranged(0, 1, low_open=True, high_open=True), default=DEFAULT_SERVICE_LEVEL_GOAL, metavar="P", help="service-level goal in (0, 1) (default %(default)s)")
    parser.add_argument("--patience", type=ranged(0, 1e6, low_open=True), default=None, metavar="S", help="mean caller patience, seconds, (0, 1e6]: adds Erlang A")
    parser.add_argument("--max-occupancy", type=ranged(0, 1, low_open=True), default=None, metavar="X",
                        help="highest allowed occupancy, (0, 1]: both requirements honour it")
    parser.add_argument("--max-abandon", type=ranged(0, 1, low_open=True, high_open=True), default=None, metavar="P",
                        help="highest allowed share of callers abandoning, (0, 1) (Erlang A, needs --patience)")
    parser.add_argument("--asa", type=ranged(0, 86_400, low_open=True), default=None, metavar="S",
                        help="highest allowed average speed of answer, seconds, (0, 86400]")
    parser.add_argument("--json", action="store_true", help="print the same as JSON")
    parser.set_defaults(handler=_handle)
