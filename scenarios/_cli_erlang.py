"""``ccplan erlang``: required agents for one interval, and the metrics around that staffing.

The computation (:func:`erlang_report`) returns plain data; the handler prints it as a table
or as JSON.
"""

from __future__ import annotations

import json
import math

import numpy as np

from staffing import erlang as erl
from staffing.erlang_a import erlang_a, required_agents_erlang_a
from staffing.sizing import required_agents, square_root_staffing

from .errors import ScenarioError

__all__ = ["erlang_report", "format_erlang_report", "register"]

_ROWS_BELOW = 2  # rows shown below a requirement
_ROWS_ABOVE = 3  # rows shown above it


def erlang_report(
    calls: float,
    interval_minutes: float,
    aht_seconds: float,
    target_seconds: float,
    service_level_goal: float,
    patience_seconds: float | None = None,
) -> dict:
    """Requirements and a table of metrics at ``n - 2 .. n + 3`` agents (around each requirement).

    Parameters
    ----------
    calls : float
        Calls offered in the interval (>= 0).
    interval_minutes : float
        Interval length, minutes (> 0).
    aht_seconds, target_seconds : float
        Handle time and service-level target, seconds.
    service_level_goal : float
        Goal for the share answered within the target, in (0, 1).
    patience_seconds : float, optional
        Mean patience; adds the Erlang A requirement and columns.

    Returns
    -------
    dict
        ``inputs``, ``traffic_erlangs``, ``required_agents`` (``erlang_c``,
        ``square_root_estimate``, ``square_root_agents`` and, with a patience, ``erlang_a``)
        and ``rows`` (one dict per agent count; ``None`` for an infinite ASA).
    """
    if not math.isfinite(interval_minutes) or interval_minutes <= 0:
        raise ScenarioError(f"--interval-minutes must be > 0, got {interval_minutes:g}")
    if not math.isfinite(calls) or calls < 0:
        raise ScenarioError(f"--calls must be a finite number >= 0, got {calls:g}")
    if patience_seconds is not None and not patience_seconds > 0:
        raise ScenarioError(f"--patience must be > 0 seconds, got {patience_seconds:g}")
    rate_per_hour = calls * 60.0 / interval_minutes
    traffic = rate_per_hour * aht_seconds / 3600.0 if aht_seconds > 0 else 0.0
    needed_c = int(required_agents(traffic, aht_seconds, target_seconds, service_level_goal))
    estimate = float(square_root_staffing(traffic, aht_seconds, target_seconds, service_level_goal))
    needed = {"erlang_c": needed_c, "square_root_estimate": estimate, "square_root_agents": math.ceil(estimate - 1e-9)}
    centres = [needed_c]
    if patience_seconds is not None:
        needed_a = int(required_agents_erlang_a(rate_per_hour, aht_seconds, patience_seconds, target_seconds, service_level_goal))
        needed["erlang_a"] = needed_a
        centres.append(needed_a)
    agents = sorted({n for centre in centres for n in range(centre - _ROWS_BELOW, centre + _ROWS_ABOVE + 1) if n >= 1})
    staffing = np.asarray(agents, dtype=float)
    columns = {
        "agents": agents,
        "service_level": erl.service_level(traffic, staffing, aht_seconds, target_seconds),
        "asa_seconds": erl.average_speed_of_answer(traffic, staffing, aht_seconds),
        "p_wait": erl.erlang_c(traffic, staffing),
        "occupancy": erl.occupancy(traffic, staffing),
    }
    if patience_seconds is not None:
        result = erlang_a(rate_per_hour, aht_seconds, patience_seconds, staffing, target_seconds)
        columns |= {
            "service_level_erlang_a": result.service_level,
            "asa_seconds_erlang_a": result.asa_seconds,
            "p_wait_erlang_a": result.p_wait,
            "abandon_rate": result.p_abandon,
            "occupancy_erlang_a": result.occupancy,
        }
    rows = []
    for position, count in enumerate(agents):
        row = {"agents": count}
        for name, values in columns.items():
            if name == "agents":
                continue
            value = float(np.ravel(values)[position])
            row[name] = value if math.isfinite(value) else None
        rows.append(row)
    return {
        "inputs": {
            "calls": calls,
            "interval_minutes": interval_minutes,
            "aht_seconds": aht_seconds,
            "target_seconds": target_seconds,
            "service_level_goal": service_level_goal,
            "patience_seconds": patience_seconds,
        },
        "arrival_rate_per_hour": rate_per_hour,
        "traffic_erlangs": traffic,
        "required_agents": needed,
        "rows": rows,
    }


def _cell(value, spec: str) -> str:
    return "inf" if value is None else format(value, spec)


def format_erlang_report(report: dict) -> str:
    """The report as a header and an aligned table."""
    given = report["inputs"]
    needed = report["required_agents"]
    with_patience = "erlang_a" in needed
    lines = [
        f"traffic {report['traffic_erlangs']:.3f} Erlangs ({given['calls']:g} calls per {given['interval_minutes']:g} min, "
        f"AHT {given['aht_seconds']:g} s); goal {given['service_level_goal']:.0%} answered within {given['target_seconds']:g} s",
        f"required agents, Erlang C: {needed['erlang_c']}   (square-root staffing estimate: "
        f"{needed['square_root_estimate']:.2f} -> {needed['square_root_agents']})",
    ]
    if with_patience:
        lines.append(
            f"required agents, Erlang A (mean patience {given['patience_seconds']:g} s; SL over all arrivals, "
            f"abandoned calls count as missed): {needed['erlang_a']}"
        )
    layout = [("agents", "agents", "d"), ("service_level", "SL", ".1%"), ("asa_seconds", "ASA_s", ".1f"),
              ("p_wait", "P(wait)", ".1%"), ("occupancy", "occ", ".1%")]
    if with_patience:
        layout += [("service_level_erlang_a", "SL_A", ".1%"), ("asa_seconds_erlang_a", "ASA_A_s", ".1f"),
                   ("p_wait_erlang_a", "P(wait)_A", ".1%"), ("abandon_rate", "aband_A", ".1%"),
                   ("occupancy_erlang_a", "occ_A", ".1%")]
    table = [[heading for _, heading, _ in layout] + [""]]
    for row in report["rows"]:
        marks = []
        if row["agents"] == needed["erlang_c"]:
            marks.append("<- Erlang C")
        if with_patience and row["agents"] == needed["erlang_a"]:
            marks.append("<- Erlang A")
        table.append([_cell(row[key], spec) for key, _, spec in layout] + [" ".join(marks)])
    widths = [max(len(line[i]) for line in table) for i in range(len(layout))]
    lines.append("")
    if with_patience:
        lines.append("Erlang C columns: SL, ASA_s (all calls), P(wait), occ; Erlang A columns end in _A (ASA of answered calls)")
    for line in table:
        lines.append("  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=False)) + ("  " + line[-1] if line[-1] else ""))
    return "\n".join(lines).rstrip()


def _handle(args) -> int:
    report = erlang_report(args.calls, args.interval_minutes, args.aht, args.target, args.goal, args.patience)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(format_erlang_report(report))
    return 0


def register(subparsers) -> None:
    """Add the ``erlang`` subcommand."""
    parser = subparsers.add_parser(
        "erlang",
        help="required agents and service metrics for one interval (Erlang C, optionally Erlang A)",
        description=(
            "Required agents for one interval by Erlang C (and Erlang A with --patience), the square-root "
            "staffing estimate beside it, and SL / ASA / P(wait) / occupancy at n-2 .. n+3 agents."
        ),
    )
    parser.add_argument("--calls", type=float, required=True, help="calls offered in the interval")
    parser.add_argument("--interval-minutes", type=float, default=30.0, metavar="M", help="interval length, minutes (default %(default)s)")
    parser.add_argument("--aht", type=float, required=True, metavar="S", help="average handle time, seconds")
    parser.add_argument("--target", type=float, default=20.0, metavar="S", help="service-level target, seconds (default %(default)s)")
    parser.add_argument("--goal", type=float, default=0.8, metavar="P", help="service-level goal in (0, 1) (default %(default)s)")
    parser.add_argument("--patience", type=float, default=None, metavar="S", help="mean caller patience, seconds: adds Erlang A")
    parser.add_argument("--json", action="store_true", help="print the same as JSON")
    parser.set_defaults(handler=_handle)
