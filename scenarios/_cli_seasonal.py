"""``ccplan seasonal FILE.yaml``: a seasonal capacity plan per setup and their comparison.

The file (schema: :mod:`scenarios.seasonal_file`) becomes required FTE per period (volumes
given or forecast from a history CSV, see :mod:`staffing.forecast`; workload method, see
:mod:`staffing.seasonal`), then one hiring plan per setup. :func:`run_seasonal` returns plain
data; the handler prints it, and optionally writes JSON, a CSV and a PNG chart of required vs
available FTE per period.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from staffing import seasonal as sea
from staffing.forecast import seasonal_forecast

from .errors import ScenarioError
from .seasonal_file import (
    CloudSetup,
    InHouseSetup,
    SeasonalFile,
    load_seasonal_file,
    period_labels,
    read_history_csv,
)

__all__ = ["SeasonalReport", "compile_seasonal", "run_seasonal", "format_seasonal", "seasonal_figure", "register"]

_WEEKS_PER_YEAR = 52.0
_MONTHS_PER_YEAR = 12.0


@dataclass(frozen=True)
class SeasonalReport:
    """The result of a seasonal plan file.

    Attributes
    ----------
    name : str
        The plan's title.
    periods : list of str
        Period labels.
    required_by_channel : pandas.DataFrame
        Volume and required FTE per period and channel (tidy).
    forecast_methods : dict
        Channel -> method used ("given", "holt-winters" or "seasonal-naive").
    comparison : staffing.seasonal.CapacityComparison
        One plan per setup.
    """

    name: str
    periods: list[str]
    required_by_channel: pd.DataFrame
    forecast_methods: dict
    comparison: sea.CapacityComparison

    def plans_frame(self) -> pd.DataFrame:
        """All setups' per-period tables stacked, with a leading ``setup`` column."""
        frames = [plan.to_frame().assign(setup=name) for name, plan in self.comparison.plans.items()]
        table = pd.concat(frames, ignore_index=True)
        return table[["setup", *sea.CAPACITY_COLUMNS]]


def _per_period(file: SeasonalFile, monthly_value: float) -> float:
    """A per-month cost converted to the plan's period."""
    return monthly_value if file.periods.kind == "monthly" else monthly_value * _MONTHS_PER_YEAR / _WEEKS_PER_YEAR


def _attrition_per_period(file: SeasonalFile, monthly_rate: float) -> float:
    if file.periods.kind == "monthly":
        return monthly_rate
    return 1.0 - (1.0 - monthly_rate) ** (_MONTHS_PER_YEAR / _WEEKS_PER_YEAR)


def compile_seasonal(file: SeasonalFile, *, base_dir: str | Path = ".") -> tuple:
    """Required FTE per period, the workforce and the options per setup.

    Returns
    -------
    tuple
        ``(required_by_channel, required_total, workforce, options, methods, settings)``
        where ``settings`` are the keyword arguments of :func:`staffing.seasonal.plan_capacity`.
    """
    labels = period_labels(file.periods)
    weeks = file.periods.weeks_per_period
    paid_hours = file.paid_hours_per_fte_week * weeks
    volumes, methods = {}, {}
    historic = [name for name, spec in file.channels.items() if spec.from_history]
    if historic:
        history_path = Path(base_dir) / file.history.file
        if not history_path.is_file():
            raise ScenarioError(file=str(history_path), reason="history file not found (history.file is relative to the plan file)")
        history = read_history_csv(history_path, file.periods, historic)
        season = file.history.season_length or (12 if file.periods.kind == "monthly" else 52)
        for name in historic:
            try:
                forecast = seasonal_forecast(history[name], file.periods.count, season_length=season, method=file.history.method)
            except ValueError as exc:
                raise ScenarioError(file=str(history_path), field_path=f"column {name!r}", reason=str(exc)) from None
            volumes[name], methods[name] = forecast.values, forecast.method
    rows = []
    total = np.zeros(file.periods.count)
    for name, spec in file.channels.items():
        if spec.volumes is not None:
            volumes[name], methods[name] = np.asarray(spec.volumes, dtype=float), "given"
        fte = sea.required_fte(volumes[name], spec.aht_seconds, paid_hours_per_fte=paid_hours, occupancy=spec.occupancy, shrinkage=file.shrinkage)
        total = total + fte
        rows.extend({"period": label, "channel": name, "volume": float(v), "required_fte": float(f)}
                    for label, v, f in zip(labels, volumes[name], fte, strict=True))
    workforce = sea.Workforce(
        headcount=file.workforce.headcount,
        attrition_rate=_attrition_per_period(file, file.workforce.attrition_rate_per_month),
        cost_per_fte_period=_per_period(file, file.workforce.cost_per_fte_month),
    )
    options = [_options(file, setup) for setup in file.setups]
    settings = {
        "periods": labels,
        "weeks_per_period": weeks,
        "productive_hours_per_fte_period": paid_hours * (1.0 - file.shrinkage),
        "shortfall_cost_per_fte_period": None if file.shortfall_cost_per_fte_month is None else _per_period(file, file.shortfall_cost_per_fte_month),
    }
    return pd.DataFrame(rows), total, workforce, options, methods, settings


def _options(file: SeasonalFile, setup) -> sea.CapacityOptions:
    extra = {}
    if isinstance(setup, InHouseSetup):
        extra = {"temp_limit_fte": setup.temp_limit_fte, "temp_cost_per_fte_period": _per_period(file, setup.temp_cost_per_fte_month)}
    elif isinstance(setup, CloudSetup):
        extra = {"burst_price_per_hour": setup.burst_price_per_hour, "burst_limit_fte": setup.burst_limit_fte}
    return sea.CapacityOptions(
        name=setup.name or setup.kind,
        lead_time_periods=setup.lead_time_periods,
        training_weeks=setup.training_weeks,
        ramp=setup.ramp,
        attrition_rate=None if setup.attrition_rate_per_month is None else _attrition_per_period(file, setup.attrition_rate_per_month),
        cost_per_fte_period=None if setup.cost_per_fte_month is None else _per_period(file, setup.cost_per_fte_month),
        cost_per_hire=setup.cost_per_hire,
        max_hires_per_period=setup.max_hires_per_period,
        overtime_limit=setup.overtime_limit,
        overtime_cost_per_fte_period=_per_period(file, setup.overtime_cost_per_fte_month),
        **extra,
    )


def run_seasonal(path: str | Path) -> SeasonalReport:
    """Load, compile and plan a seasonal-plan file (see the module docstring)."""
    path = Path(path)
    file = load_seasonal_file(path)
    by_channel, total, workforce, options, methods, settings = compile_seasonal(file, base_dir=path.parent)
    comparison = sea.compare_capacity_options(total, workforce, options, **settings)
    return SeasonalReport(file.name, settings["periods"], by_channel, methods, comparison)


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
    """Required vs available FTE per period, one line per setup (a pure function, no pyplot)."""
    figure = Figure(figsize=(10, 5), layout="constrained")
    axes = figure.add_subplot()
    positions = np.arange(len(report.periods))
    first = next(iter(report.comparison.plans.values())).table
    axes.bar(positions, first[sea.COLUMN_REQUIRED], color="0.85", label="required FTE")
    for name, plan in report.comparison.plans.items():
        axes.plot(positions, plan.table[sea.COLUMN_AVAILABLE], marker="o", label=f"available FTE: {name}")
    axes.set_xticks(positions, report.periods, rotation=45, ha="right")
    axes.set_ylabel("FTE")
    axes.set_title(f"{report.name}: required vs available FTE")
    axes.legend(loc="upper left")
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
        try:
            report.plans_frame().to_csv(args.csv, index=False)
        except OSError as exc:
            raise ScenarioError(f"--csv {args.csv}: cannot write ({exc.strerror or exc})") from None
    if args.png:
        try:
            seasonal_figure(report).savefig(args.png, dpi=100)
        except OSError as exc:
            raise ScenarioError(f"--png {args.png}: cannot write ({exc.strerror or exc})") from None
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
