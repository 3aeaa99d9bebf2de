"""A seasonal-plan file becomes the analytic seasonal engine's input.

Volumes (given, or forecast from the history CSV with :func:`staffing.forecast.seasonal_forecast`)
become required FTE per period (:func:`staffing.seasonal.required_fte`), and each setup's
hiring rules become :class:`staffing.seasonal.CapacityOptions`, with monthly prices and rates
converted to the plan's period.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scenarios.document.files import (
    FileReferenceError,
    FileRoot,
    bounded_text,
    excerpt,
    resolve_file,
)
from scenarios.document.seasonal_file import (
    CloudHiring,
    InHouseHiring,
    SeasonalFile,
    period_labels,
    read_history_csv,
)
from scenarios.errors import ScenarioError
from staffing import seasonal as sea
from staffing.forecast import seasonal_forecast

__all__ = ["compile_seasonal"]

_WEEKS_PER_YEAR = 52.0
_MONTHS_PER_YEAR = 12.0


def _per_period(file: SeasonalFile, monthly_value: float) -> float:
    """A per-month cost converted to the plan's period."""
    return monthly_value if file.periods.kind == "monthly" else monthly_value * _MONTHS_PER_YEAR / _WEEKS_PER_YEAR


def _attrition_per_period(file: SeasonalFile, monthly_rate: float) -> float:
    if file.periods.kind == "monthly":
        return monthly_rate
    return 1.0 - (1.0 - monthly_rate) ** (_MONTHS_PER_YEAR / _WEEKS_PER_YEAR)


def compile_seasonal(file: SeasonalFile, *, base_dir: str | Path | FileRoot = ".") -> tuple:
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
        if file.history is None:  # excluded by SeasonalFile's validator
            raise ScenarioError(field_path=f"channels.{historic[0]}.from_history", reason="needs a history section (history.file)")
        root = base_dir if isinstance(base_dir, FileRoot) else FileRoot.local(base_dir)
        try:
            history_path = resolve_file(file.history.file, root, what="history file")
        except FileReferenceError as exc:
            raise ScenarioError(field_path="history.file", reason=f"{exc} (history.file is relative to the plan file)") from None
        shown = str(history_path) if not root.confined else excerpt(file.history.file)[1:-1]
        history = read_history_csv(history_path, file.periods, historic, source=shown)
        season = file.history.season_length or (12 if file.periods.kind == "monthly" else 52)
        for name in historic:
            try:
                forecast = seasonal_forecast(history[name], file.periods.count, season_length=season, method=file.history.method)
            except ValueError as exc:
                raise ScenarioError(file=shown, field_path=f"column {excerpt(name)}", reason=bounded_text(exc)) from None
            volumes[name], methods[name] = forecast.values, forecast.method
    rows: list[dict] = []
    total = np.zeros(file.periods.count)
    for name, spec in file.channels.items():
        if spec.volumes is not None:
            volumes[name], methods[name] = np.asarray(spec.volumes, dtype=float), "given"
        fte = np.atleast_1d(sea.required_fte(volumes[name], spec.aht_seconds, paid_hours_per_fte=paid_hours, occupancy=spec.occupancy, shrinkage=file.shrinkage))
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
    extra: dict[str, Any] = {}  # the options of the setup's kind, as CapacityOptions keywords
    if isinstance(setup, InHouseHiring):
        extra = {"temp_limit_fte": setup.temp_limit_fte, "temp_cost_per_fte_period": _per_period(file, setup.temp_cost_per_fte_month)}
    elif isinstance(setup, CloudHiring):
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
