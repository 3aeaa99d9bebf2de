"""``ccplan backtest LOG.csv``: simulate each day of a contact log and compare with what happened.

Calibrates the log (or takes ``--scenario FILE`` for distributions, retrials and targets), replays
each day's observed arrivals and agents on duty, and prints the observed vs simulated daily KPIs
with the simulation's 95 % prediction interval, then per KPI the mean absolute error, the bias and
the share of observations inside their interval. ``--days 2024-03-04,...`` picks days;
``--png``, ``--json``, ``--csv``, ``--xlsx`` write the per-interval table (and the chart).
``--interval-report``: LOG is an interval report; the observed KPIs are its own (no occupancy).
"""

from __future__ import annotations

import argparse
import json

from scenarios.cli._output import FIGURE_SUFFIXES, Output, emit
from scenarios.errors import ScenarioError

__all__ = ["configure"]


def _handle(args: argparse.Namespace) -> int:
    from scenarios.document.contact_log import parse_column_map, read_contact_log, read_sessions
    from scenarios.document.loader import load_scenario
    from scenarios.report.progress import ProgressBar, progress_enabled
    from scenarios.report.text import format_backtest_days, format_backtest_summary
    from scenarios.studies.backtest import run_backtest
    from scenarios.studies.calibrate import calibrate_log

    if args.replications < 20:
        raise ScenarioError(f"--replications must be >= 20 (a 95 % prediction interval needs them), got {args.replications}")
    log = None if args.interval_report else read_contact_log(args.log, parse_column_map(args.columns))
    sessions = read_sessions(args.sessions) if args.sessions and not args.interval_report else None
    scenario = load_scenario(args.scenario) if args.scenario else None
    days = None
    if args.days:
        import pandas as pd

        try:
            days = [pd.Timestamp(d.strip()).normalize() for d in args.days.split(",") if d.strip()]
        except ValueError:
            raise ScenarioError(f"--days: expected dates YYYY-MM-DD separated by commas, got {args.days!r}") from None
    bar = ProgressBar(enabled=progress_enabled(quiet=args.quiet, json_output=args.json))
    try:
        if log is None:  # --interval-report
            from scenarios.cli.calibrate import calibrate_from_report
            from scenarios.document.contact_log import read_interval_report
            from scenarios.studies.calibrate import report_kpis

            calibration = calibrate_from_report(args)
            observed = report_kpis(read_interval_report(args.log, parse_column_map(args.columns)), calibration)
            result = run_backtest(calibration, None, scenario, days, args.replications, args.seed, progress=bar,
                                  observed=observed)
        else:
            calibration = calibrate_log(log, sessions, args.interval_minutes)
            result = run_backtest(calibration, log.frame, scenario, days, args.replications, args.seed, progress=bar)
    finally:
        bar.close()
    table = result.table.assign(day=result.table["day"].dt.strftime("%Y-%m-%d"))

    def xlsx(path: str) -> None:
        from scenarios.report.excel import write_xlsx

        write_xlsx(path, {"summary": result.summary, "intervals": table})

    def png(path: str) -> None:
        from scenarios.report.charts import backtest_figure

        backtest_figure(result.table).savefig(path, dpi=110)

    emit(json_output=args.json,
         payload=lambda: {"log": args.log, "replications": result.replications, "seed": result.seed,
                          "summary": json.loads(result.summary.to_json(orient="records")),
                          "table": json.loads(table.to_json(orient="records"))},
         text=lambda: f"{format_backtest_days(result.table)}\n\n{format_backtest_summary(result.summary)}",
         files=[Output("--csv", args.csv, lambda path: table.to_csv(path, index=False), "per-interval table"),
                Output("--xlsx", args.xlsx, xlsx, "tables"),
                Output("--png", args.png, png, "chart", suffixes=FIGURE_SUFFIXES)])
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``backtest`` subcommand."""
    parser.add_argument("log", metavar="LOG.csv", help="contact log, one row per contact (CSV or Parquet)")
    parser.add_argument("--scenario", metavar="FILE", help="scenario to test (default: calibrated from the log)")
    parser.add_argument("--interval-report", action="store_true",
                        help="LOG is an interval report (interval_start, offered, answered, abandoned, aht_seconds, agents)")
    parser.add_argument("--sessions", metavar="FILE", help="agent sessions (agent,start,end[,group]); default: infer")
    parser.add_argument("--days", metavar="D1,D2", help="days to backtest, YYYY-MM-DD (default: every day)")
    parser.add_argument("--interval-minutes", type=float, default=30.0, metavar="M", help="interval length (default 30)")
    parser.add_argument("--columns", metavar="MAP", help="column names of another export: canonical=source,...")
    parser.add_argument("--replications", type=int, default=60, metavar="N", help="replications per day (>= 20, default 60)")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="root random seed (default 1)")
    parser.add_argument("--png", metavar="FILE", help="write the observed-vs-simulated chart")
    parser.add_argument("--csv", metavar="FILE", help="write the per-interval table as CSV")
    parser.add_argument("--xlsx", metavar="FILE", help="write the summary and the table as an Excel workbook")
    parser.add_argument("--json", action="store_true", help="print summary and table as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=_handle)
