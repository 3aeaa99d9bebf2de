"""Seasonal capacity plans from a plan file: forecast, required FTE and one hiring plan per setup.

The file (schema: :mod:`scenarios.seasonal_file`) becomes required FTE per period (volumes
given or forecast from a history CSV, see :mod:`staffing.forecast`; workload method, see
:mod:`staffing.seasonal`), then one hiring plan per setup (:func:`run_seasonal`). The
``ccplan seasonal`` command (:mod:`scenarios._cli_seasonal`) prints and draws the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

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

__all__ = ["SeasonalReport", "compile_seasonal", "run_seasonal"]

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


