"""``ccplan simulate FILE.yaml``: simulate a scenario file and print its KPIs.

Run length: ``--replications N`` forces a fixed count; ``--precision H`` runs replications until
every channel's service level and abandon rate over the horizon have a 95 % half-width of at most
H percentage points (and ASA the file's ``precision.asa_seconds``, default 2 s), at most
``precision.max_replications`` (default 200); without either the file's ``precision:`` block, then
its ``replications:``, then the default target applies (:func:`scenarios.studies.run.run_length`).
Control variates sharpen the headline KPIs (``--no-control-variates`` for plain means).
Other options: ``--seed S``, ``--warmup-minutes W`` (override the file),
``--setup KIND`` (apply a setup other than the file's ``setup:``), ``--workers N`` (parallel
replications; same results), ``--intervals`` (per-interval KPIs and headcount), ``--json`` (the
object below on stdout, plus ``"intervals"`` with ``--intervals``), ``--quiet`` (no progress), ``--xlsx OUT`` (summary, intervals, groups and costs as an Excel workbook).
A progress bar (replications done, elapsed, remaining) is drawn on stderr unless ``--quiet``, or
``--json`` with stdout not a terminal.

``--json`` prints ``{"scenario", "setup", "replications", "seed", "warmup_seconds",
"horizon_seconds", "channels": {name: {kpi: {"mean", "ci95"}}}, "groups",
"confidence_intervals", "precision", "definitions", "goals", "costs",
"seat_shortfall_per_interval", "notification_deflected"}``; ``ci95`` is the half-width
of the 95 % confidence interval over replications (``null`` with a ``"reason"`` when there is
none: too few replications), ``precision`` gives the replications used, the half-width reached
per headline KPI against the target, and the control variates' variance ratio;
``definitions`` states each KPI's meaning (:data:`scenarios.report.kpis.KPIS`).
"""

from __future__ import annotations

import argparse
import json

from scenarios.cli._args import REPLICATIONS, SEED, WARMUP_MINUTES, WORKERS, ranged
from scenarios.cli._output import Output, about_file, emit
from scenarios.document.loader import load_scenario
from scenarios.document.setups import SETUP_KINDS
from scenarios.errors import ScenarioError
from scenarios.report.progress import ProgressBar, progress_enabled
from scenarios.report.text import format_intervals, format_run, simulate_json
from scenarios.studies.run import run_length, run_setup

__all__ = ["configure", "simulate_json", "format_run", "format_intervals"]


def _handle(args: argparse.Namespace) -> int:
    with about_file(args.file):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.file)
    replications = run_length(scenario, replications=args.replications, precision_points=args.precision)
    if args.workers < 1:
        raise ScenarioError(f"--workers must be >= 1, got {args.workers}")
    if args.warmup_minutes is not None and args.warmup_minutes < 0:
        raise ScenarioError(f"--warmup-minutes must be >= 0, got {args.warmup_minutes:g}")
    seed = scenario.seed if args.seed is None else args.seed
    bar = ProgressBar(enabled=progress_enabled(quiet=args.quiet, json_output=args.json))
    try:
        run = run_setup(scenario, args.setup, replications, seed, warmup_minutes=args.warmup_minutes,
                        workers=args.workers, progress=bar, control_variates=not args.no_control_variates,
                        keep_records=bool(args.contacts))
    finally:
        bar.close()
    if args.contacts:
        _write_contacts(run, scenario, args.contacts)

    def payload() -> dict:
        data = simulate_json(run)
        if args.intervals:
            data["intervals"] = json.loads(run.interval_summary().to_json(orient="records"))
        return data

    def text() -> str:
        return format_run(run) + (f"\n\n{format_intervals(run)}" if args.intervals else "")

    emit(json_output=args.json, payload=payload, text=text,
         files=[Output("--xlsx", args.xlsx, lambda p: _xlsx(p, run), "tables")])
    return 0


def _xlsx(path: str, run) -> None:
    from scenarios.report.excel import run_tables, write_xlsx

    write_xlsx(path, run_tables(run))


def _write_contacts(run, scenario, path) -> None:
    """The simulated contacts in the contact-log format (replication r = day start_date + r)."""
    import datetime as dt

    import pandas as pd

    from scenarios.cli._output import write_output
    from scenarios.document.contact_log import write_contact_log
    from scenarios.studies.backtest import records_to_log

    day = scenario.start_date or dt.date(2000, 1, 3)
    start = pd.Timestamp(day) + pd.Timedelta(minutes=scenario.start_time)
    frame = records_to_log(run.result.records, start)
    kinds = {name: scenario.channel_kind(name) for name in scenario.channels}
    frame["channel_kind"] = frame["channel"].map(kinds)
    write_output("--contacts", path, lambda target: write_contact_log(frame, target))


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``simulate`` subcommand."""
    parser.description = (
        "Simulate FILE (a scenario in YAML or TOML) and print KPIs per channel with 95 % "
        "confidence half-widths over replications."
    )
    parser.add_argument("file", metavar="FILE.yaml", help="scenario file (.yaml, .yml or .toml)")
    parser.add_argument("--replications", type=REPLICATIONS, default=None, metavar="N",
                        help="a fixed number of replications, 1..10000 (default: run to the precision target)")
    parser.add_argument("--precision", type=ranged(0, 50, low_open=True), default=None, metavar="H",
                        help="run until every channel's service level and abandon rate have a 95%% half-width <= H "
                             "percentage points, (0, 50] (ASA and replication limits from the file's precision block; "
                             "default target 1 point, 2 s on ASA, 5-200 replications)")
    parser.add_argument("--no-control-variates", action="store_true",
                        help="plain means over replications (no control-variate adjustment of SL, abandon rate, ASA)")
    parser.add_argument("--seed", type=SEED, default=None, metavar="S", help="root random seed, >= 0 (default: the file's, else fresh)")
    parser.add_argument("--warmup-minutes", type=WARMUP_MINUTES, default=None, metavar="W", help="warm-up in minutes, [0, 1e7]; contacts arriving earlier are not counted")
    parser.add_argument("--setup", choices=SETUP_KINDS, default=None, help="apply this setup (default: the file's setup block)")
    parser.add_argument("--workers", type=WORKERS, default=1, metavar="N", help="parallel processes, 1..256 (same results)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--intervals", action="store_true",
                        help="also show per-interval KPIs and headcount (scheduled, seated, seat shortfall)")
    parser.add_argument("--xlsx", metavar="OUT.xlsx", default=None,
                        help="also write every table to an Excel workbook (one sheet per table)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--contacts", metavar="FILE.csv",
                        help="write every simulated contact in the contact-log format (replication r = day r)")
    parser.set_defaults(handler=_handle)
