"""``ccplan seasonal FILE.yaml``: a seasonal capacity plan per setup and their comparison.

The file (schema: :mod:`scenarios.document.seasonal_file`) becomes required FTE per period (volumes
given or forecast from a history CSV, see :mod:`staffing.forecast`; workload method, see
:mod:`staffing.seasonal`), then one hiring plan per setup. :func:`scenarios.studies.seasonal.run_seasonal`
returns plain data; the handler prints it, and optionally writes JSON, a CSV and a PNG chart of required vs
available FTE per period.
"""

from __future__ import annotations

import argparse
import math

from matplotlib.figure import Figure

from scenarios.cli._output import FIGURE_SUFFIXES, Output, emit
from scenarios.report import charts
from scenarios.report.text import format_seasonal
from scenarios.studies.seasonal import SeasonalReport, run_seasonal

__all__ = ["format_seasonal", "seasonal_figure", "configure"]


def seasonal_figure(report: SeasonalReport) -> Figure:
    """Required vs available FTE and hires per period, per setup (:func:`scenarios.report.charts.seasonal_figure`)."""
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

    def payload() -> dict:
        return {
            "name": report.name,
            "periods": report.periods,
            "forecast_methods": report.forecast_methods,
            "required_by_channel": report.required_by_channel.to_dict(orient="records"),
            "comparison": [{key: _json_ready(value) for key, value in row.items()} for row in report.comparison.to_frame().to_dict(orient="records")],
            "plans": {name: plan.to_frame().to_dict(orient="records") for name, plan in report.comparison.plans.items()},
        }

    def xlsx(path: str) -> None:
        from scenarios.report.excel import seasonal_tables, write_xlsx

        write_xlsx(path, seasonal_tables(report))

    emit(json_output=args.json, payload=payload, text=lambda: format_seasonal(report),
         files=[Output("--csv", args.csv, lambda p: report.plans_frame().to_csv(p, index=False), "plans table"),
                Output("--xlsx", args.xlsx, xlsx, "tables"),
                Output("--png", args.png, lambda p: seasonal_figure(report).savefig(p, dpi=100), "chart",
                       suffixes=FIGURE_SUFFIXES)])
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``seasonal`` subcommand."""
    parser.description = (
        "Required FTE per month or week from volumes (given or forecast from a history CSV), then a "
        "least-cost hiring plan per setup (in-house, virtual pool, cloud burst) with attrition, lead "
        "time, training and ramp-up; prints the plans and a comparison on cost and service."
    )
    parser.add_argument("file", metavar="FILE.yaml", help="seasonal-plan file (see scenarios/examples/seasonal_retail.yaml)")
    parser.add_argument("--png", metavar="OUT.png", help="write a chart of required vs available FTE per period")
    parser.add_argument("--json", action="store_true", help="print the plans and the comparison as JSON")
    parser.add_argument("--csv", metavar="OUT.csv", help="write every setup's per-period table to a CSV")
    parser.add_argument("--xlsx", metavar="OUT.xlsx", default=None,
                        help="also write every table to an Excel workbook (one sheet per table)")
    parser.set_defaults(handler=_handle)
