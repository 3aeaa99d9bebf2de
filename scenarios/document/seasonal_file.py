"""The seasonal-plan file: schema (pydantic v2), loading and the history CSV.

A seasonal-plan file (YAML) describes a year (or any run of months or weeks) of contact volume
per channel, the existing workforce and the setups to compare. Volumes are given per period or
forecast from a history CSV. Every model refuses unknown keys and is frozen once validated.

Units: volumes are contacts per period; handle times seconds; costs currency units per FTE per
*month* (converted to weeks with 12 / 52 for weekly plans); attrition is a share per *month*
(converted to weeks as ``1 - (1 - a) ** (12 / 52)``); lead times are in plan periods.

History CSV: a ``period`` column (``YYYY-MM`` for monthly plans, ``YYYY-MM-DD`` week starts for
weekly plans), consecutive and ending the period before ``periods.start``, and one column per
channel forecast from it (contacts per period, >= 0).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, ValidationError, model_validator

from scenarios.document.fields import FieldIssue, StrictModel
from scenarios.document.files import bounded_text, excerpt
from scenarios.document.loader import parse_document_text, read_document, scenario_error
from scenarios.document.scenario import MAX_SECONDS
from scenarios.errors import ScenarioError

__all__ = [
    "SeasonalFile",
    "PeriodSpec",
    "SeasonalChannel",
    "HistorySpec",
    "WorkforceSpec",
    "InHouseHiring",
    "VirtualHiring",
    "CloudHiring",
    "load_seasonal_file",
    "parse_seasonal",
    "parse_seasonal_text",
    "period_labels",
    "read_history_csv",
]

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")

MAX_FTE = 1_000_000.0
"""Largest headcount, hiring, temporary or burst capacity of a seasonal plan (FTE)."""

MAX_PERIOD_VOLUME = 1e9
"""Largest volume of one channel in one period (contacts), given or in the history CSV."""

MAX_COST = 1e9
"""Largest cost or price of a seasonal plan (currency units per FTE-month, per hire or per hour)."""


class PeriodSpec(StrictModel):
    """The plan's periods."""

    kind: Literal["monthly", "weekly"] = Field("monthly", description="Period length: calendar months or weeks (default monthly).")
    start: str = Field(description="First period: 'YYYY-MM' (monthly) or the Monday 'YYYY-MM-DD' (weekly).")
    count: int = Field(ge=1, le=260, description="Number of periods planned, 1..260.")

    @model_validator(mode="after")
    def _start_parses(self) -> PeriodSpec:
        pattern = r"^\d{4}-\d{2}$" if self.kind == "monthly" else r"^\d{4}-\d{2}-\d{2}$"
        if not re.match(pattern, self.start):
            raise FieldIssue("start", f"must look like {'YYYY-MM' if self.kind == 'monthly' else 'YYYY-MM-DD'} for {self.kind} periods, got {self.start!r}")
        try:
            pd.Period(self.start, freq="M" if self.kind == "monthly" else "D")
        except ValueError:
            raise FieldIssue("start", f"{self.start!r} is not a valid date") from None
        return self

    @property
    def weeks_per_period(self) -> float:
        """52 / 12 for months, 1 for weeks."""
        return 52.0 / 12.0 if self.kind == "monthly" else 1.0


class SeasonalChannel(StrictModel):
    """Volume and handling of one channel."""

    aht_seconds: float = Field(gt=0, le=MAX_SECONDS, description="Average handle time per contact, seconds, in (0, 86400]; for chat the effective time per chat after concurrency.")
    occupancy: float = Field(0.85, gt=0, le=1, description="Target occupancy in (0, 1] (default 0.85).")
    volumes: tuple[Annotated[float, Field(ge=0, le=MAX_PERIOD_VOLUME, allow_inf_nan=False)], ...] | None = Field(
        None, description="Contacts per period, one per plan period (>= 0). Give this or from_history.")
    from_history: bool = Field(False, description="Forecast this channel from the history CSV column of the same name (default false).")

    @model_validator(mode="after")
    def _one_source(self) -> SeasonalChannel:
        if (self.volumes is None) == (not self.from_history):
            raise FieldIssue("", "give exactly one of volumes (a list) or from_history: true")
        return self


class HistorySpec(StrictModel):
    """Where past volumes come from and how they are forecast."""

    file: str = Field(description="History CSV, relative to the plan file (period column + one column per channel).")
    method: Literal["auto", "holt-winters", "seasonal-naive"] = Field(
        "auto", description="Forecast method (default auto: Holt-Winters with two seasons of history, which needs the "
                "ccplan[forecast] extra (statsmodels), else seasonal naive x trend; the report states the method used).")
    season_length: int | None = Field(None, ge=2, description="Periods per season (default 12 monthly, 52 weekly).")


class WorkforceSpec(StrictModel):
    """The existing staff at the start of the plan."""

    headcount: float = Field(ge=0, le=MAX_FTE, allow_inf_nan=False, description="Trained agents (FTE) at the start, 0..1,000,000.")
    attrition_rate_per_month: float = Field(ge=0, lt=1, description="Share leaving per month, in [0, 1).")
    cost_per_fte_month: float = Field(ge=0, le=MAX_COST, allow_inf_nan=False, description="Loaded salary per FTE per month, currency units, 0..1e9.")


class _HiringFields(StrictModel):
    name: str | None = Field(None, description="Label in reports (default: the kind).")
    lead_time_periods: int = Field(2, ge=0, le=260, description="Periods from a hiring decision to the start date (default 2).")
    training_weeks: float = Field(4.0, ge=0, le=52, description="Unproductive paid training, weeks (default 4).")
    ramp: tuple[Annotated[float, Field(gt=0, le=1)], ...] = Field(
        (0.5, 0.75, 0.9), description="Productivity in (0, 1] by period after training; 1.0 afterwards (default [0.5, 0.75, 0.9]).")
    attrition_rate_per_month: float | None = Field(None, ge=0, lt=1, description="Monthly attrition of new hires (default: the workforce's).")
    cost_per_fte_month: float | None = Field(None, ge=0, le=MAX_COST, allow_inf_nan=False, description="Salary of a new hire per month (default: the workforce's).")
    cost_per_hire: float = Field(0.0, ge=0, le=MAX_COST, allow_inf_nan=False, description="One-off recruiting cost per hire (default 0).")
    max_hires_per_period: float | None = Field(None, ge=0, le=MAX_FTE, allow_inf_nan=False, description="Most hires starting per period (default unlimited; 0: no hiring).")
    overtime_limit: float = Field(0.0, ge=0, le=1, description="Most overtime as a share of productive FTE, in [0, 1] (default 0).")
    overtime_cost_per_fte_month: float = Field(0.0, ge=0, le=MAX_COST, allow_inf_nan=False, description="Cost of one FTE of overtime for a month (default 0).")


class InHouseHiring(_HiringFields):
    """In-house hiring, with overtime and temporary staff."""

    kind: Literal["in-house"]
    temp_limit_fte: float = Field(0.0, ge=0, le=MAX_FTE, allow_inf_nan=False, description="Most temporary staff per period, FTE (default 0).")
    temp_cost_per_fte_month: float = Field(0.0, ge=0, le=MAX_COST, allow_inf_nan=False, description="Cost of one temporary FTE per month (default 0).")


class VirtualHiring(_HiringFields):
    """Hiring from a virtual (home-working) pool: usually shorter lead time, other attrition and cost."""

    kind: Literal["virtual"]


class CloudHiring(_HiringFields):
    """Hiring plus cloud burst capacity, priced per productive hour, with no lead time."""

    kind: Literal["cloud"]
    burst_price_per_hour: float = Field(gt=0, le=MAX_COST, allow_inf_nan=False, description="Burst capacity price per productive agent-hour (> 0).")
    burst_limit_fte: float | None = Field(None, ge=0, le=MAX_FTE, allow_inf_nan=False, description="Most burst capacity per period, FTE (default unlimited).")


HiringSetup = Annotated[InHouseHiring | VirtualHiring | CloudHiring, Field(discriminator="kind")]


class SeasonalFile(StrictModel):
    """A seasonal capacity plan file."""

    name: str = Field(description="Title of the plan.")
    periods: PeriodSpec = Field(description="The planned periods.")
    paid_hours_per_fte_week: float = Field(37.5, gt=0, le=80, description="Paid hours of one FTE per week (default 37.5).")
    shrinkage: float = Field(0.3, ge=0, lt=1, description="Share of paid time not available for contacts, in [0, 1) (default 0.3).")
    channels: dict[str, SeasonalChannel] = Field(min_length=1, description="Channel name -> volume and handling.")
    history: HistorySpec | None = Field(None, description="History CSV for channels with from_history (default none).")
    workforce: WorkforceSpec = Field(description="Existing staff.")
    setups: tuple[HiringSetup, ...] = Field(min_length=1, description="Setups compared on the same volumes (kind: in-house | virtual | cloud).")
    shortfall_cost_per_fte_month: float | None = Field(
        None, ge=0, le=MAX_COST, allow_inf_nan=False, description="Penalty per FTE-month short used by the optimiser (default: 10x the largest cost per FTE).")

    @model_validator(mode="after")
    def _consistent(self) -> SeasonalFile:
        for channel, spec in self.channels.items():
            if not _NAME.match(channel):
                raise FieldIssue(f"channels.{channel}", "channel names start with a letter and use letters, digits, - and _")
            if spec.volumes is not None and len(spec.volumes) != self.periods.count:
                raise FieldIssue(f"channels.{channel}.volumes", f"has {len(spec.volumes)} values but periods.count is {self.periods.count}")
            if spec.from_history and self.history is None:
                raise FieldIssue(f"channels.{channel}.from_history", "needs a history section (history.file)")
        names = [setup.name or setup.kind for setup in self.setups]
        for index, name in enumerate(names):
            if names.index(name) != index:
                raise FieldIssue(f"setups[{index}].name", f"{name!r} is used by an earlier setup; give each setup a distinct name")
        return self


def parse_seasonal(data: Any, *, source: str = "<seasonal plan>") -> SeasonalFile:
    """Validate plain data into a :class:`SeasonalFile`; errors are ``source: field.path: reason``."""
    if not isinstance(data, dict):
        raise ScenarioError(file=source, reason=f"a seasonal plan must be a mapping of keys (name, periods, channels...), got {type(data).__name__}")
    try:
        return SeasonalFile.model_validate(data)
    except ValidationError as exc:
        raise scenario_error(exc, source, root=SeasonalFile) from None


def parse_seasonal_text(text: str | bytes, source: str) -> SeasonalFile:
    """Validate the text of a seasonal-plan YAML (an upload) with every check of a file.

    Raises
    ------
    ScenarioError
        ``source: field.path: reason`` (YAML syntax, duplicate keys, aliases, schema).
    """
    data = parse_document_text(text, source, "a seasonal-plan file", "a seasonal plan (name, periods, channels, setups)")
    return parse_seasonal(data, source=source)


def load_seasonal_file(path: str | Path) -> SeasonalFile:
    """Read and validate a seasonal-plan YAML file.

    Raises
    ------
    ScenarioError
        Unreadable file, YAML syntax error (with line and column) or a schema problem
        (``file: field.path: reason``).
    FileNotFoundError
        The file does not exist.
    """
    path = Path(path)
    data = read_document(path, "a seasonal-plan file", "a seasonal plan (name, periods, channels, setups)")
    return parse_seasonal(data, source=str(path))


def period_labels(periods: PeriodSpec) -> list[str]:
    """Labels of the planned periods: ``YYYY-MM`` or week-start ``YYYY-MM-DD``."""
    if periods.kind == "monthly":
        first = pd.Period(periods.start, freq="M")
        return [str(first + step) for step in range(periods.count)]
    first = pd.Timestamp(periods.start)
    return [(first + pd.Timedelta(weeks=step)).strftime("%Y-%m-%d") for step in range(periods.count)]


def read_history_csv(path: str | Path, periods: PeriodSpec, channels: list[str], *, source: str | None = None) -> dict[str, np.ndarray]:
    """Past volume per channel from a history CSV, checked against the plan's periods.

    ``source`` names the file in messages (default: ``path``); values are contacts per period
    in [0, :data:`MAX_PERIOD_VOLUME`].

    Returns
    -------
    dict
        Channel -> volumes per past period, oldest first (contacts per period).

    Raises
    ------
    ScenarioError
        ``file: line N, column C: reason`` for a missing column, a bad number, a gap in the
        periods, or a history that does not end the period before ``periods.start``.
    """
    source = str(path) if source is None else source
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError:
        raise
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ScenarioError(file=source, reason=f"not a readable CSV file ({bounded_text(first, 120)})") from None
    table.columns = [str(column).strip() for column in table.columns]
    if "period" not in table.columns:
        raise ScenarioError(file=source, reason="no 'period' column; expected period,<channel>,... with one row per past period")
    missing = [channel for channel in channels if channel not in table.columns]
    if missing:
        raise ScenarioError(file=source, reason=f"no column {excerpt(missing[0])} for a channel with from_history; columns: {excerpt(list(table.columns), 80)}")
    if table.empty:
        raise ScenarioError(file=source, reason="has a header but no rows")
    monthly = periods.kind == "monthly"
    stamps = []
    for row, text in enumerate(table["period"], start=2):
        try:
            if monthly and not re.match(r"^\d{4}-\d{2}$", text.strip()):
                raise ValueError
            stamp = pd.Period(text.strip(), freq="M") if monthly else pd.Timestamp(text.strip())
        except ValueError:
            allowed = "YYYY-MM" if monthly else "YYYY-MM-DD"
            raise ScenarioError(file=source, field_path=f"line {row}, column 'period'", reason=f"{excerpt(text)} is not a period; allowed: {allowed}") from None
        stamps.append(stamp)
    step = None if monthly else pd.Timedelta(weeks=1)
    for index in range(1, len(stamps)):
        expected = stamps[index - 1] + (1 if monthly else step)
        if stamps[index] != expected:
            raise ScenarioError(file=source, field_path=f"line {index + 2}, column 'period'",
                                reason=f"periods must be consecutive; expected {expected if monthly else expected.strftime('%Y-%m-%d')}, got {excerpt(table['period'].iloc[index])}")
    start = pd.Period(periods.start, freq="M") if monthly else pd.Timestamp(periods.start)
    following = stamps[-1] + (1 if monthly else step)
    if following != start:
        shown = str(following) if monthly else following.strftime("%Y-%m-%d")
        raise ScenarioError(file=source, reason=f"the history ends the period before {shown}, but periods.start is {periods.start}; "
                                                "the plan must start right after the history")
    result = {}
    for channel in channels:
        values = []
        for row, text in enumerate(table[channel], start=2):
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            if not math.isfinite(value) or value < 0 or value > MAX_PERIOD_VOLUME:
                raise ScenarioError(file=source, field_path=f"line {row}, column {excerpt(channel)}",
                                    reason=f"{excerpt(text)} is not a volume; allowed: a number in [0, {MAX_PERIOD_VOLUME:g}]")
            values.append(value)
        result[channel] = np.asarray(values)
    return result
