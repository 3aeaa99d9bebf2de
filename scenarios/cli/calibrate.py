"""``ccplan calibrate LOG.csv -o scenario.yaml``: a scenario estimated from a contact log.

Options: ``--interval-report`` (LOG is an interval report: per interval and channel offered,
answered, abandoned, ``aht_seconds``, ``agents``; see
:func:`scenarios.studies.calibrate.calibrate_interval_report`), ``--sessions FILE`` (agent logged-in periods; otherwise staffing is inferred from
activity, with its uncertainty stated), ``--interval-minutes M`` (default 30),
``--columns canonical=source,...`` (another export's column names), ``--service-level
CHANNEL=SECONDS:GOAL`` (repeatable; targets are otherwise the defaults), ``--name``, ``--json``
(the estimates as JSON on stdout). Writes the scenario with a comment header (what was estimated,
from how many contacts, how well it fits) and ``<stem>.days.csv`` (arrivals and staffing per
day and interval, for backtests).
"""

from __future__ import annotations

import argparse

from scenarios.cli._output import emit, write_output
from scenarios.errors import ScenarioError

__all__ = ["configure", "parse_service_levels", "calibrate_from_report"]


def parse_service_levels(items: list[str] | None) -> dict[str, tuple[float, float]]:
    """``CHANNEL=SECONDS:GOAL`` items -> {channel: (target seconds, goal share)}."""
    out = {}
    for item in items or ():
        channel, _, rest = item.partition("=")
        seconds, _, goal = rest.partition(":")
        try:
            target, share = float(seconds), float(goal or 0.8)
        except ValueError:
            raise ScenarioError(f"--service-level: expected CHANNEL=SECONDS:GOAL (e.g. voice=20:0.8), got {item!r}") from None
        if not channel or target <= 0 or not 0 < share <= 1:
            raise ScenarioError(f"--service-level {item}: needs a channel, SECONDS > 0 and GOAL in (0, 1]")
        out[channel] = (target, share)
    return out


def calibrate_from_report(args: argparse.Namespace):
    """The calibration of ``args.log`` read as an interval report (``--interval-report``)."""
    from scenarios.document.contact_log import parse_column_map, read_interval_report
    from scenarios.studies.calibrate import calibrate_interval_report

    if args.sessions:
        raise ScenarioError("--sessions: not with --interval-report (the report's agents column is the staffing)")
    report = read_interval_report(args.log, parse_column_map(args.columns))
    return calibrate_interval_report(report, args.interval_minutes, source=str(args.log))


def _patience_summary(estimate) -> dict:
    """What ``--json`` says of a channel's patience: the choice and whether its mean is identified."""
    summary = {"family": estimate.best.family, "mean_seconds": estimate.best.mean_seconds,
               "abandoned": estimate.abandoned, "censored_share": estimate.censored_share}
    if estimate.km_times_seconds.size:
        summary.update(mean_identified=estimate.mean_identified, identified_seconds=estimate.identified_seconds,
                       survival_at_end=estimate.survival_at_end,
                       restricted_mean_seconds=estimate.km_restricted_mean_seconds,
                       km_distance=dict(estimate.km_distance))
    return summary


def _handle(args: argparse.Namespace) -> int:
    from scenarios.document.contact_log import parse_column_map, read_contact_log, read_sessions
    from scenarios.document.loader import load_scenario
    from scenarios.report.text import format_calibration
    from scenarios.studies.calibrate import calibrate_log, header_lines, write_calibrated_scenario

    columns = parse_column_map(args.columns)
    try:
        if args.interval_report:
            calibration = calibrate_from_report(args)
        else:
            log = read_contact_log(args.log, columns)
            sessions = read_sessions(args.sessions) if args.sessions else None
            calibration = calibrate_log(log, sessions, args.interval_minutes)
    except ScenarioError as exc:  # the estimates' own refusals name no file: name the log
        if exc.file is None and str(args.log) not in str(exc):
            raise ScenarioError(f"{args.log}: {exc}") from None
        raise
    levels = parse_service_levels(args.service_level)
    unknown = sorted(set(levels) - set(calibration.channels))
    if unknown:
        raise ScenarioError(f"--service-level names {unknown[0]!r}, not a channel of the log ({', '.join(calibration.channels)})")
    write_output("-o", args.output, lambda path: write_calibrated_scenario(calibration, path, args.name, levels))
    load_scenario(args.output)  # the file written must load: a bug here is not the user's
    emit(json_output=args.json,
         payload=lambda: {"header": header_lines(calibration), "scenario": args.output,
                          "staffing_uncertainty": calibration.staffing_uncertainty(),
                          "patience": {name: _patience_summary(ch.patience)
                                       for name, ch in calibration.channels.items() if ch.patience is not None}},
         text=lambda: format_calibration(header_lines(calibration), args.output))
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``calibrate`` subcommand."""
    parser.add_argument("log", metavar="LOG.csv", help="contact log, one row per contact (CSV or Parquet)")
    parser.add_argument("-o", "--output", required=True, metavar="SCENARIO.yaml", help="scenario file to write")
    parser.add_argument("--sessions", metavar="FILE", help="agent sessions (agent,start,end[,group]); default: infer")
    parser.add_argument("--interval-minutes", type=float, default=30.0, metavar="M", help="interval length (default 30)")
    parser.add_argument("--columns", metavar="MAP", help="column names of another export: canonical=source,...")
    parser.add_argument("--service-level", action="append", metavar="CHANNEL=SECONDS:GOAL",
                        help="service-level target of a channel (repeatable); default: the defaults")
    parser.add_argument("--interval-report", action="store_true",
                        help="LOG is an interval report (interval_start, offered, answered, abandoned, aht_seconds, agents)")
    parser.add_argument("--name", help="scenario name (default: from the log file)")
    parser.add_argument("--json", action="store_true", help="print the estimates as JSON")
    parser.set_defaults(handler=_handle)
