"""``ccplan seasonal FILE.yaml``: a seasonal capacity plan per setup and their comparison.

The file (schema: :mod:`scenarios.seasonal_file`) becomes required FTE per period (volumes
given or forecast from a history CSV, see :mod:`staffing.forecast`; workload method, see
:mod:`staffing.seasonal`), then one hiring plan per setup. :func:`scenarios.seasonal.run_seasonal`
returns plain data; the handler prints it, and optionally writes JSON, a CSV and a PNG chart of required vs
available FTE per period.
"""

from __future__ import annotations

import json
import math

from matplotlib.figure import Figure

from . import charts
from ._output import write_output
from .seasonal import SeasonalReport, run_seasonal

__all__ = ["format_seasonal", "seasonal_figure", "register"]

def _number(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def format_seasonal(report: SeasonalReport) -> str:
    """Per-setup plan tables and the comparison, as aligned text."""
    lines = [f"{report.name}: {len(report.periods)} periods from {report.periods[0]}",
             "volumes: " + ", ".join(f"{channel} ({method})" for channel, method in report.forecast_methods.items())]
    layout = [("period", "period", None), ("required_fte", "required", 1), ("headcount", "headcount", 1),
              ("hires_decided", "decide", 0), ("hires_started", "start", 0), ("leavers", "leavers", 1),
              ("in_training", "training", 1), ("productive_fte", "productive", 1), ("overtime_fte", "overtime", 1),
              ("temp_fte", "temps", 1), ("burst_fte", "burst", 1), ("available_fte", "available", 1),
              ("shortfall_fte", "short", 1), ("cost", "cost", 0)]
    for name, plan in report.comparison.plans.items():
        lines += ["", f"setup {name} (solver: {plan.status}); FTE per period, cost in currency units"]
        cells = [[heading for _, heading, _ in layout]]
        for row in plan.table.itertuples(index=False):
            record = row._asdict()
            cells.append([str(record[key]) if digits is None else _number(record[key], digits) for key, _, digits in layout])
        widths = [max(len(line[i]) for line in cells) for i in range(len(layout))]
        lines += ["  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)) for line in cells]
    summary = report.comparison.to_frame()
    lines += ["", "comparison (service = share of required FTE-periods covered)"]
    heading = ["setup", "total cost", "service", "short FTE-periods", "worst short", "worst period", "peak", "short at peak", "hires"]
    cells = [heading]
    for row in summary.itertuples(index=False):
        cells.append([row.setup, _number(row.total_cost, 0), f"{row.service:.2%}", _number(row.shortfall_fte_periods),
                      _number(row.max_shortfall_fte), row.worst_period if isinstance(row.worst_period, str) else "-", str(row.peak_period),
                      _number(row.shortfall_at_peak_fte), _number(row.hires, 0)])
    widths = [max(len(line[i]) for line in cells) for i in range(len(heading))]
    lines += ["  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)) for line in cells]
    return "\n".join(lines)


def seasonal_figure(report: SeasonalReport) -> Figure:
    """Required vs available FTE and hires per period, per setup (:func:`scenarios.charts.seasonal_figure`)."""
    figure = charts.seasonal_figure(report.required_by_channel,
                                    {name: plan.to_frame() for name, plan in report.comparison.plans.items()})
    figure.axes[0].set_title(f"{report.name}: required vs available FTE per period", y=1.0)
    return figure


def _json_ready(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _handle(args) -> int:
    report = run_seasonal(args.file)
    if args.json:
        payload = {
            "name": report.name,
            "periods": report.periods,
            "forecast_methods": report.forecast_methods,
            "required_by_channel": report.required_by_channel.to_dict(orient="records"),
            "comparison": [{key: _json_ready(value) for key, value in row.items()} for row in report.comparison.to_frame().to_dict(orient="records")],
            "plans": {name: plan.to_frame().to_dict(orient="records") for name, plan in report.comparison.plans.items()},
        }
        print(json.dumps(payload, indent=2, default=float))
    else:
        print(format_seasonal(report))
    if args.csv:
        write_output("--csv", args.csv, lambda p: report.plans_frame().to_csv(p, index=False))
    if args.png:
        write_output("--png", args.png, lambda p: seasonal_figure(report).savefig(p, dpi=100))
    return 0


def register(subparsers) -> None:
    """Add the ``seasonal`` subcommand."""
    parser = subparsers.add_parser(
        "seasonal",
        help="seasonal capacity plan (hiring, overtime, temps, burst) per setup, and their comparison",
        description=(
            "Required FTE per month or week from volumes (given or forecast from a history CSV), then a "
            "least-cost hiring plan per setup (in-house, virtual pool, cloud burst) with attrition, lead "
            "time, training and ramp-up; prints the plans and a comparison on cost and service."
        ),
    )
    parser.add_argument("file", metavar="FILE.yaml", help="seasonal-plan file (see scenarios/examples/seasonal_retail.yaml)")
    parser.add_argument("--png", metavar="OUT.png", help="write a chart of required vs available FTE per period")
    parser.add_argument("--json", action="store_true", help="print the plans and the comparison as JSON")
    parser.add_argument("--csv", metavar="OUT.csv", help="write every setup's per-period table to a CSV")
    parser.set_defaults(handler=_handle)
