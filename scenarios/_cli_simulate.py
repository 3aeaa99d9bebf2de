"""``ccplan simulate FILE.yaml``: simulate a scenario file and print its KPIs.

Options: ``--replications N``, ``--seed S``, ``--warmup-minutes W`` (override the file),
``--setup KIND`` (apply a setup other than the file's ``setup:``), ``--workers N`` (parallel
replications; same results), ``--intervals`` (per-interval KPIs and headcount), ``--json`` (the
object below on stdout, plus ``"intervals"`` with ``--intervals``), ``--quiet`` (no progress).
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
import math
import sys

from ._progress import ProgressBar, progress_enabled
from .compare import SetupRun, run_setup
from .errors import ScenarioError
from .loader import load_scenario
from .setups import SETUP_KINDS

__all__ = ["register", "simulate_json", "format_run", "format_intervals"]

_TEXT_KPIS = (("offered", "offered", "{:.0f}"), ("deflected", None, "{:.0f}"), ("answered", "answered", "{:.0f}"),
              ("abandoned", "abandoned", "{:.0f}"), ("service level", "service_level", "{:.1%}"),
              ("ASA (s)", "asa_seconds", "{:.1f}"), ("p90 wait (s)", "p90_wait_seconds", "{:.1f}"),
              ("abandon rate", "abandon_rate", "{:.1%}"), ("occupancy", "occupancy", "{:.1%}"),
              ("p90 response (h)", "p90_response_seconds", "{:.2f}"), ("backlog at end", "backlog_end", "{:.0f}"))


def _number(value):
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


def _goals(run: SetupRun) -> dict:
    goals = {}
    for name, spec in run.compiled.scenario.channels.items():
        entry = {}
        if spec.service_level is not None:
            mean, _ = run.result.kpi(name, "service_level")
            entry["service_level"] = {"target_seconds": spec.service_level.target_seconds, "goal": spec.service_level.goal,
                                      "met": None if math.isnan(mean) else bool(mean >= spec.service_level.goal)}
        if spec.max_occupancy is not None:
            mean, _ = run.result.kpi(name, "occupancy")
            entry["max_occupancy"] = {"goal": spec.max_occupancy, "met": None if math.isnan(mean) else bool(mean <= spec.max_occupancy)}
        if run.compiled.model.channel(name).kind == "email":
            entry["response_target_hours"] = run.compiled.model.channel(name).response_target_hours
        if entry:
            goals[name] = entry
    return goals


def simulate_json(run: SetupRun) -> dict:
    """The ``--json`` object of one run (see the module docstring)."""
    out = {"scenario": run.compiled.scenario.name, "setup": run.kind}
    out.update(run.result.to_json_dict())
    out["goals"] = _goals(run)
    out["costs"] = run.costs.to_json_dict()
    out["seat_shortfall_per_interval"] = [int(x) for x in run.compiled.seat_shortfall]
    out["notification_deflected"] = {k: _number(v.sum()) for k, v in run.compiled.notification_deflected.items()}
    return out


def format_run(run: SetupRun) -> str:
    """Plain-text report: KPIs per channel (mean +- 95 % half-width), groups, goals, costs, notes."""
    result, compiled = run.result, run.compiled
    scenario = compiled.scenario
    lines = [f"{scenario.name}: setup {run.kind}, {result.replications} replications, seed {result.seed}, "
             f"{scenario.intervals} x {scenario.interval_minutes:g} min from {compiled.interval_labels()[0]}, "
             f"warm-up {result.warmup_seconds / 60:g} min"]
    names = [c.name for c in compiled.model.channels]
    rows = []
    for label, kpi, pattern in _TEXT_KPIS:
        cells = []
        for channel in compiled.model.channels:
            if kpi is None:
                mean = result.kpi(channel.name, "deflected_self_service")[0] + result.kpi(channel.name, "deflected_bot")[0]
                half = math.nan
            elif kpi in ("p90_response_seconds", "backlog_end") and channel.kind != "email":
                cells.append("")
                continue
            elif kpi in ("asa_seconds", "p90_wait_seconds", "abandon_rate") and channel.kind == "email":
                cells.append("")
                continue
            else:
                mean, half = result.kpi(channel.name, kpi)
            scale = 3600.0 if kpi == "p90_response_seconds" else 1.0
            text = "n/a" if math.isnan(mean) else pattern.format(mean / scale)
            if not math.isnan(mean) and not math.isnan(half) and half > 0:
                text += " ± " + pattern.format(half / scale).replace("%", "") + ("%" if "%" in pattern else "")
            cells.append(text)
        if any(cells):
            rows.append((label, cells))
    width = max(len(label) for label, _ in rows)
    columns = [max(len(n), *(len(cells[i]) for _, cells in rows)) for i, n in enumerate(names)]
    lines.append("")
    lines.append(" " * width + "  " + "  ".join(n.rjust(w) for n, w in zip(names, columns, strict=True)))
    for label, cells in rows:
        lines.append(label.ljust(width) + "  " + "  ".join(c.rjust(w) for c, w in zip(cells, columns, strict=True)))
    lines.append("")
    for name, frame in result.group_summary.groupby("group", sort=False):
        values = frame["occupancy"].dropna()
        lines.append(f"group {name}: occupancy {values.mean():.1%}" if len(values) else f"group {name}: no agents present")
    for name, goal in _goals(run).items():
        if "service_level" in goal:
            sl = goal["service_level"]
            verdict = {True: "met", False: "MISSED", None: "n/a"}[sl["met"]]
            lines.append(f"goal {name}: {sl['goal']:.0%} within {sl['target_seconds']:g} s: {verdict}")
        if "max_occupancy" in goal:
            occ = goal["max_occupancy"]
            verdict = {True: "met", False: "EXCEEDED", None: "n/a"}[occ["met"]]
            lines.append(f"goal {name}: occupancy <= {occ['goal']:.0%}: {verdict}")
    costs = run.costs
    lines.append(f"cost over the horizon: {costs.total:,.0f} {costs.currency} "
                 f"({costs.cost_per_contact:.2f} per contact, {costs.cost_per_answered:.2f} per answered)")
    shortfall = compiled.seat_shortfall
    if shortfall.any():
        labels = compiled.interval_labels()
        worst = int(shortfall.argmax())
        lines.append(f"seat cap binds in {int((shortfall > 0).sum())} intervals: up to {int(shortfall.max())} agents "
                     f"without a seat (at {labels[worst]})")
    for name in compiled.notification_deflected:
        mean, half = result.kpi(name, "deflected_notification")
        lines.append(f"notifications deflect {mean:.0f} ± {half:.0f} {name} contacts")
    burst = result.groups[result.groups["group"].isin([g.name for g in compiled.model.groups if g.elastic is not None])]
    if not burst.empty:
        per_replication = burst.groupby("replication")
        minutes = per_replication["available_agents"].sum() * compiled.model.interval_seconds / 60.0
        starts = per_replication["elastic_starts"].sum()
        lines.append(f"burst agents: {starts.mean():.1f} logins, {minutes.mean():,.0f} agent-minutes logged in (mean per replication)")
    for note in costs.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def format_intervals(run: SetupRun) -> str:
    """Per-interval text table of :meth:`SetupRun.interval_summary` (percentages for shares)."""
    frame = run.interval_summary()
    header = list(frame.columns[1:])
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for column in header:
            value = row[column]
            if column == "start":
                cells.append(str(value))
            elif isinstance(value, float) and math.isnan(value):
                cells.append("n/a")
            elif column.endswith(("service_level", "abandon_rate")):
                cells.append(f"{value:.1%}")
            elif column.endswith("asa_seconds"):
                cells.append(f"{value:.1f}")
            else:
                cells.append(f"{value:.0f}")
        rows.append(cells)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


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
    return 0


def register(subparsers) -> None:
    """Add the ``simulate`` subcommand."""
    parser = subparsers.add_parser(
        "simulate", help="simulate a scenario file (YAML/TOML) and print its KPIs",
        description="Simulate FILE (a scenario in YAML or TOML) and print KPIs per channel with 95%% "
                    "confidence half-widths over replications.")
    parser.add_argument("file", metavar="FILE.yaml", help="scenario file (.yaml, .yml or .toml)")
    parser.add_argument("--replications", type=int, default=None, metavar="N", help="replications (default: the file's, else 10)")
    parser.add_argument("--seed", type=int, default=None, metavar="S", help="root random seed (default: the file's, else fresh)")
    parser.add_argument("--warmup-minutes", type=float, default=None, metavar="W", help="warm-up; contacts arriving earlier are not counted")
    parser.add_argument("--setup", choices=SETUP_KINDS, default=None, help="apply this setup (default: the file's setup block)")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="parallel processes (same results)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--intervals", action="store_true",
                        help="also show per-interval KPIs and headcount (scheduled, seated, seat shortfall)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=_handle)
