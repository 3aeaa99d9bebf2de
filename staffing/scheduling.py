"""Shift scheduling: from per-interval required agents to a minimum-cost set of shifts.

The model is the classic set-covering formulation of Dantzig (1954), "A comment on Edie's
traffic delays at toll booths", *Operations Research* 2(3), with breaks placed *explicitly*:
every (template, day, break start) combination is its own integer column, as in the survey by
Ernst, Jiang, Krishnamoorthy & Sier (2004), "Staff scheduling and rostering: a review of
applications, methods and models", *EJOR* 153(1). The explicit model is exact and, for the
sizes met in contact centres (a week of 15-minute intervals, a few hundred templates with a
handful of break positions each: some 10^4 columns), HiGHS solves it in seconds. The implicit
break model of Aykin (1996, *Management Science* 42(4)) would be smaller but harder to explain
in a report; it can replace :func:`_columns` without changing the public API.

Decision variables (all >= 0), solved by HiGHS through :func:`scipy.optimize.milp`:

``x_j`` (integer)
    agents working column ``j`` = template ``k`` started on day ``d`` with its break at
    offset ``b``; cost ``cost_per_paid_hour[k] * paid_hours[k]``.
``u_t`` (continuous)
    understaffing in interval ``t`` (agents); penalty ``understaffing_cost_per_agent_hour``
    per agent-hour. Coverage is soft, so any input solves and the shortfall is reported.
``burst_t`` (continuous, cloud only)
    per-minute burst capacity in interval ``t`` (agents), priced per agent-minute.
``e_t`` (continuous, only with a *penalised* seat cap)
    agents on site above the seat cap, penalty per agent-hour.

Constraints: coverage ``sum_j a_tj x_j + burst_t + u_t >= required_t``; the seat cap
``sum_j a_tj x_j (- e_t) <= seat_cap`` (``a_tj`` = 1 when column ``j`` is working, not on break,
in interval ``t``: seats are counted for agents at their desks); per template and day
``min_agents <= sum_b x_(k,d,b) <= max_agents``; the part-time share
``sum_(part-time) x_j <= max_part_time_share * sum_j x_j`` (in shifts, over the horizon).

Setup rules map onto arguments: an in-house centre passes ``seat_cap``; a virtual centre has no
seat cap and may pass split and short templates (:func:`shift_templates` with
``split_gap_hours`` and short ``lengths_hours``); a cloud centre passes
``burst_cost_per_agent_minute`` (and optionally ``burst_max_agents``).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import sparse

from ._validate import StaffingInputError, as_float_array

__all__ = [
    "ShiftTemplate",
    "ScheduleResult",
    "shift_templates",
    "start_times",
    "schedule_shifts",
    "SCHEDULE_COLUMNS",
    "INTERVAL_COLUMNS",
]

MINUTES_PER_DAY = 1440

# Column names of ScheduleResult.schedule (one row per template x day x break position used).
COLUMN_TEMPLATE = "template"
COLUMN_DAY = "day"
COLUMN_START = "start"
COLUMN_END = "end"
COLUMN_START_INTERVAL = "start_interval"
COLUMN_BREAK_START = "break_start"
COLUMN_HEADCOUNT = "headcount"
COLUMN_PART_TIME = "part_time"
COLUMN_PAID_HOURS = "paid_hours"
COLUMN_COST = "cost"
SCHEDULE_COLUMNS = (
    COLUMN_TEMPLATE, COLUMN_DAY, COLUMN_START, COLUMN_END, COLUMN_START_INTERVAL,
    COLUMN_BREAK_START, COLUMN_PART_TIME, COLUMN_HEADCOUNT, COLUMN_PAID_HOURS, COLUMN_COST,
)

# Column names of ScheduleResult.intervals (one row per interval of the horizon).
COLUMN_INTERVAL = "interval"
COLUMN_TIME = "time"
COLUMN_REQUIRED = "required_agents"
COLUMN_STAFFED = "staffed_agents"
COLUMN_BURST = "burst_agents"
COLUMN_OVER = "overstaffed_agents"
COLUMN_UNDER = "understaffed_agents"
COLUMN_SEAT_EXCESS = "seat_excess_agents"
COLUMN_REASON = "shortfall_reason"
INTERVAL_COLUMNS = (
    COLUMN_INTERVAL, COLUMN_DAY, COLUMN_TIME, COLUMN_REQUIRED, COLUMN_STAFFED, COLUMN_BURST,
    COLUMN_OVER, COLUMN_UNDER, COLUMN_SEAT_EXCESS, COLUMN_REASON,
)

_TOLERANCE = 1e-6
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")


def _minutes(value, name: str) -> int:
    """``"HH:MM"`` or a whole number of minutes after midnight -> minutes."""
    if isinstance(value, str):
        match = _HHMM.match(value.strip())
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise StaffingInputError(f"{name} must be a time HH:MM from 00:00 to 23:59, got {value!r}")
        return int(match[1]) * 60 + int(match[2])
    number = float(as_float_array(value, name, minimum=0.0, maximum=MINUTES_PER_DAY - 1))
    if number != int(number):
        raise StaffingInputError(f"{name} must be whole minutes after midnight, got {value!r}")
    return int(number)


def _clock(minutes: int) -> str:
    minutes %= MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class ShiftTemplate:
    """One kind of shift, repeated on every day of the horizon it is allowed on.

    Parameters
    ----------
    name : str
        Unique label, e.g. ``"08:00-8.5h"``.
    start_minute : int
        Start time, minutes after midnight (0..1439), on the interval grid.
    length_minutes : int
        Span from start to end, minutes (> 0), including an unpaid break and a split gap.
    break_minutes : int
        Length of the one break/lunch, minutes (default 0: none).
    break_window_minutes : tuple of int, optional
        ``(earliest, latest)`` start of the break, minutes after the shift start; the model
        chooses the position (every interval-grid point in the window is a candidate).
    paid_break : bool
        Whether the break is paid (default False: an unpaid lunch).
    split_gap_minutes : tuple of int, optional
        ``(offset, length)``: an unpaid gap starting ``offset`` minutes after the start, making
        a split shift (virtual setups). Default None.
    cost_per_paid_hour : float
        Cost of one paid hour of this shift, currency units (>= 0; default 1).
    min_agents, max_agents : int
        Headcount bounds per day on which the template runs (default 0 and unlimited).
    part_time : bool
        Counts towards ``max_part_time_share`` of :func:`schedule_shifts`.
    days : tuple of int, optional
        Day indices (0 = the calendar day of the horizon's first interval) on which the template
        may run; default every day.
    """

    name: str
    start_minute: int
    length_minutes: int
    break_minutes: int = 0
    break_window_minutes: tuple[int, int] | None = None
    paid_break: bool = False
    split_gap_minutes: tuple[int, int] | None = None
    cost_per_paid_hour: float = 1.0
    min_agents: int = 0
    max_agents: int | None = None
    part_time: bool = False
    days: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        label = f"shift template {self.name!r}"
        if not isinstance(self.name, str) or not self.name:
            raise StaffingInputError(f"shift template name must be a non-empty string, got {self.name!r}")
        if not 0 <= self.start_minute < MINUTES_PER_DAY:
            raise StaffingInputError(f"{label}: start_minute must be in [0, 1439], got {self.start_minute!r}")
        if not self.length_minutes > 0:
            raise StaffingInputError(f"{label}: length_minutes must be > 0, got {self.length_minutes!r}")
        if self.break_minutes < 0 or self.break_minutes >= self.length_minutes:
            raise StaffingInputError(
                f"{label}: break_minutes must be in [0, length_minutes={self.length_minutes}), got {self.break_minutes!r}"
            )
        if self.break_minutes > 0:
            if self.break_window_minutes is None:
                raise StaffingInputError(f"{label}: break_minutes > 0 needs a break_window_minutes (earliest, latest)")
            earliest, latest = self.break_window_minutes
            if not 0 < earliest <= latest or latest + self.break_minutes >= self.length_minutes:
                raise StaffingInputError(
                    f"{label}: break_window_minutes must satisfy 0 < earliest <= latest and latest + break_minutes "
                    f"< length_minutes={self.length_minutes}, got {self.break_window_minutes!r}"
                )
        if self.split_gap_minutes is not None:
            offset, gap = self.split_gap_minutes
            if not (0 < offset and gap > 0 and offset + gap < self.length_minutes):
                raise StaffingInputError(
                    f"{label}: split_gap_minutes (offset, length) must lie strictly inside the shift, got {self.split_gap_minutes!r}"
                )
            if self.break_minutes > 0:
                raise StaffingInputError(f"{label}: a split shift takes no separate break (its gap is the break)")
        if not (math.isfinite(self.cost_per_paid_hour) and self.cost_per_paid_hour >= 0):
            raise StaffingInputError(f"{label}: cost_per_paid_hour must be a finite number >= 0, got {self.cost_per_paid_hour!r}")
        if int(self.min_agents) != self.min_agents or self.min_agents < 0:
            raise StaffingInputError(f"{label}: min_agents must be a whole number >= 0, got {self.min_agents!r}")
        if self.max_agents is not None and (int(self.max_agents) != self.max_agents or self.max_agents < self.min_agents):
            raise StaffingInputError(
                f"{label}: max_agents must be a whole number >= min_agents={self.min_agents}, got {self.max_agents!r}"
            )
        if self.days is not None and any(int(day) != day or day < 0 for day in self.days):
            raise StaffingInputError(f"{label}: days must be whole day indices >= 0, got {self.days!r}")

    @property
    def paid_hours(self) -> float:
        """Paid hours of one shift: the span minus an unpaid break and a split gap."""
        unpaid = 0 if self.paid_break else self.break_minutes
        if self.split_gap_minutes is not None:
            unpaid += self.split_gap_minutes[1]
        return (self.length_minutes - unpaid) / 60.0

    @property
    def shift_cost(self) -> float:
        """Cost of one shift, currency units."""
        return self.cost_per_paid_hour * self.paid_hours


def start_times(first: str, last: str, step_minutes: int) -> tuple[str, ...]:
    """Start times ``first, first + step, ..., last`` as ``"HH:MM"`` strings.

    >>> start_times("06:00", "07:00", 30)
    ('06:00', '06:30', '07:00')
    """
    begin, end = _minutes(first, "first"), _minutes(last, "last")
    if step_minutes <= 0:
        raise StaffingInputError(f"step_minutes must be > 0, got {step_minutes!r}")
    if end < begin:
        raise StaffingInputError(f"last ({last}) must not be before first ({first})")
    return tuple(_clock(minute) for minute in range(begin, end + 1, int(step_minutes)))


def shift_templates(
    *,
    starts: Sequence[str | int],
    lengths_hours: Sequence[float],
    break_minutes: int = 0,
    break_window_hours: tuple[float, float] | None = None,
    break_from_hours: float = 6.0,
    paid_break: bool = False,
    split_gap_hours: tuple[float, float] | None = None,
    cost_per_paid_hour: float = 1.0,
    part_time_below_hours: float = 6.0,
    min_agents: int = 0,
    max_agents: int | None = None,
    days: Sequence[int] | None = None,
    prefix: str = "",
) -> list[ShiftTemplate]:
    """Templates for every combination of start time and length.

    Parameters
    ----------
    starts : sequence of str or int
        Start times (``"HH:MM"`` or minutes after midnight); see :func:`start_times`.
    lengths_hours : sequence of float
        Shift spans, hours (start to end, including an unpaid break or split gap).
    break_minutes : int
        Break/lunch length, minutes, for shifts of at least ``break_from_hours`` (default 0).
    break_window_hours : tuple of float, optional
        ``(earliest, latest)`` start of the break, hours after the shift start; clipped so the
        break ends at least one hour before a shorter shift ends. Required with a break.
    break_from_hours : float
        Shifts shorter than this get no break (default 6 h).
    paid_break : bool
        Whether the break is paid (default False).
    split_gap_hours : tuple of float, optional
        ``(offset, length)`` of an unpaid gap, hours: makes every template a split shift.
    cost_per_paid_hour : float
        Cost per paid hour, currency units (default 1).
    part_time_below_hours : float
        Templates with fewer paid hours than this are part-time (default 6 h).
    min_agents, max_agents : int
        Headcount bounds per template and day (default 0, unlimited).
    days : sequence of int, optional
        Day indices on which the templates run (default all).
    prefix : str
        Prepended to every name (``"{prefix}{HH:MM}-{length}h"``).

    Returns
    -------
    list of ShiftTemplate
    """
    if not len(starts) or not len(lengths_hours):
        raise StaffingInputError("starts and lengths_hours must each list at least one value")
    templates = []
    for length_hours in lengths_hours:
        length = float(as_float_array(length_hours, "lengths_hours", minimum=0.0, allow_equal_minimum=False, maximum=24.0))
        length_minutes = int(round(length * 60))
        window = None
        this_break = 0
        if break_minutes > 0 and length >= break_from_hours:
            if break_window_hours is None:
                raise StaffingInputError("break_minutes > 0 needs break_window_hours=(earliest, latest), hours after the shift start")
            earliest = int(round(break_window_hours[0] * 60))
            latest = min(int(round(break_window_hours[1] * 60)), length_minutes - break_minutes - 60)
            if latest < earliest:
                raise StaffingInputError(
                    f"break_window_hours={break_window_hours!r} leaves no room for a {break_minutes}-minute break in a {length:g} h shift"
                )
            window, this_break = (earliest, latest), int(break_minutes)
        gap = None
        if split_gap_hours is not None:
            gap = (int(round(split_gap_hours[0] * 60)), int(round(split_gap_hours[1] * 60)))
            this_break, window = 0, None
        for start in starts:
            minute = _minutes(start, "starts")
            template = ShiftTemplate(
                name=f"{prefix}{_clock(minute)}-{length:g}h",
                start_minute=minute,
                length_minutes=length_minutes,
                break_minutes=this_break,
                break_window_minutes=window,
                paid_break=paid_break,
                split_gap_minutes=gap,
                cost_per_paid_hour=float(cost_per_paid_hour),
                min_agents=min_agents,
                max_agents=max_agents,
                days=None if days is None else tuple(int(day) for day in days),
            )
            part_time = template.paid_hours < part_time_below_hours
            templates.append(replace(template, part_time=part_time))
    return templates


@dataclass(frozen=True)
class ScheduleResult:
    """A solved schedule.

    Attributes
    ----------
    schedule : pandas.DataFrame
        One row per template x day x break position with headcount > 0 (:data:`SCHEDULE_COLUMNS`);
        ``start``/``end``/``break_start`` are ``HH:MM`` clock times.
    intervals : pandas.DataFrame
        One row per interval (:data:`INTERVAL_COLUMNS`): required, staffed (working, not on
        break), burst, over- and understaffed agents, seats above a penalised cap and, where
        understaffed, why.
    interval_minutes : float
        Interval length, minutes.
    paid_hours : float
        Paid hours of all scheduled shifts.
    shift_cost, burst_cost : float
        Cost of the shifts and of the burst capacity, currency units.
    cost : float
        ``shift_cost + burst_cost``.
    penalty : float
        Understaffing (and seat-excess) penalty in the objective, currency units.
    objective : float
        ``cost + penalty`` as solved.
    shortfall_agent_hours : float
        Understaffing summed over intervals, agent-hours.
    status : str
        ``"optimal"`` or ``"time limit"`` (a feasible schedule, maybe not optimal).
    mip_gap : float
        Relative gap between the objective and the solver's bound (0 when proven optimal).
    solve_seconds : float
        Wall time of the solver call, seconds.
    columns : int
        Integer columns (template x day x break position) in the model.
    """

    schedule: pd.DataFrame
    intervals: pd.DataFrame
    interval_minutes: float
    paid_hours: float
    shift_cost: float
    burst_cost: float
    cost: float
    penalty: float
    objective: float
    shortfall_agent_hours: float
    status: str
    mip_gap: float
    solve_seconds: float
    columns: int
    templates: tuple[ShiftTemplate, ...] = field(repr=False, default=())

    @property
    def shortfall_intervals(self) -> pd.DataFrame:
        """The rows of :attr:`intervals` that are understaffed, with the reason."""
        table = self.intervals
        return table[table[COLUMN_UNDER] > _TOLERANCE].reset_index(drop=True)

    def to_frame(self, kind: str = "intervals") -> pd.DataFrame:
        """A copy of the per-interval table (``kind="intervals"``) or the schedule (``"schedule"``)."""
        if kind == "intervals":
            return self.intervals.copy()
        if kind == "schedule":
            return self.schedule.copy()
        raise StaffingInputError(f"kind must be 'intervals' or 'schedule', got {kind!r}")


@dataclass(frozen=True)
class _Columns:
    matrix: sparse.csc_matrix  # intervals x columns, 1 where the column is working
    template: np.ndarray  # template index per column
    day: np.ndarray
    start: np.ndarray  # absolute start interval
    break_offset: np.ndarray  # break start, intervals after the start (-1: none)
    group: np.ndarray  # (template, day) instance per column
    group_template: np.ndarray  # template index per instance


def _on_grid(minutes: float, interval_minutes: float, what: str) -> int:
    steps = minutes / interval_minutes
    if abs(steps - round(steps)) > 1e-9:
        raise StaffingInputError(f"{what} ({minutes:g} min) is not a multiple of interval_minutes={interval_minutes:g}")
    return int(round(steps))


def _columns(templates: Sequence[ShiftTemplate], intervals: int, interval_minutes: float, horizon_start_minute: int, cyclic: bool) -> _Columns:
    rows, cols = [], []
    template_of, day_of, start_of, break_of, group_of, group_template = [], [], [], [], [], []
    horizon_minutes = horizon_start_minute + intervals * interval_minutes
    days = int(math.ceil(horizon_minutes / MINUTES_PER_DAY))
    column = 0
    for index, template in enumerate(templates):
        label = f"shift template {template.name!r}"
        length = _on_grid(template.length_minutes, interval_minutes, f"{label}: length")
        work = np.ones(length, dtype=bool)
        if template.split_gap_minutes is not None:
            offset = _on_grid(template.split_gap_minutes[0], interval_minutes, f"{label}: split gap offset")
            gap = _on_grid(template.split_gap_minutes[1], interval_minutes, f"{label}: split gap")
            work[offset:offset + gap] = False
        break_length = _on_grid(template.break_minutes, interval_minutes, f"{label}: break")
        if break_length:
            earliest = _on_grid(template.break_window_minutes[0], interval_minutes, f"{label}: break window start")
            latest = int(template.break_window_minutes[1] // interval_minutes)
            break_offsets = list(range(earliest, latest + 1))
        else:
            break_offsets = [-1]
        for day in range(days):
            if template.days is not None and day not in template.days:
                continue
            start_minutes = day * MINUTES_PER_DAY + template.start_minute - horizon_start_minute
            if start_minutes < 0:
                continue
            start = _on_grid(start_minutes, interval_minutes, f"{label}: start")
            if start >= intervals or (not cyclic and start + length > intervals):
                continue
            group = len(group_template)
            group_template.append(index)
            for offset in break_offsets:
                pattern = work.copy()
                if offset >= 0:
                    pattern[offset:offset + break_length] = False
                covered = (start + np.flatnonzero(pattern)) % intervals
                rows.extend(covered.tolist())
                cols.extend([column] * covered.size)
                template_of.append(index)
                day_of.append(day)
                start_of.append(start)
                break_of.append(offset)
                group_of.append(group)
                column += 1
    matrix = sparse.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(intervals, column))
    matrix.sum_duplicates()
    return _Columns(
        matrix=matrix,
        template=np.asarray(template_of, dtype=int),
        day=np.asarray(day_of, dtype=int),
        start=np.asarray(start_of, dtype=int),
        break_offset=np.asarray(break_of, dtype=int),
        group=np.asarray(group_of, dtype=int),
        group_template=np.asarray(group_template, dtype=int),
    )


def _required(required_agents) -> np.ndarray:
    if isinstance(required_agents, pd.DataFrame):
        required_agents = required_agents.to_numpy(dtype=float)
    array = as_float_array(required_agents, "required_agents", minimum=0.0)
    if array.ndim == 2:  # intervals x channels: a blended pool covers their sum
        array = array.sum(axis=1)
    if array.ndim != 1:
        raise StaffingInputError(
            f"required_agents must be 1-D (one value per interval) or 2-D (intervals x channels), got shape {array.shape}"
        )
    return array


def schedule_shifts(
    required_agents,
    templates: Sequence[ShiftTemplate],
    *,
    interval_minutes: float = 15.0,
    horizon_start_minute: int | str = 0,
    cyclic: bool = False,
    seat_cap: int | None = None,
    seat_cap_penalty_per_agent_hour: float | None = None,
    max_part_time_share: float | None = None,
    burst_cost_per_agent_minute: float | None = None,
    burst_max_agents: float | None = None,
    understaffing_cost_per_agent_hour: float | None = None,
    time_limit_seconds: float = 60.0,
    mip_rel_gap: float = 1e-4,
) -> ScheduleResult:
    """Choose shifts covering ``required_agents`` at minimum cost (integer program, HiGHS).

    Parameters
    ----------
    required_agents : array_like or pandas.DataFrame
        Agents needed per interval, shape ``(T,)``, or ``(T, channels)`` summed across channels
        (a blended pool). Fractional values (workload) are allowed.
    templates : sequence of ShiftTemplate
        Shift kinds; see :func:`shift_templates`.
    interval_minutes : float
        Interval length, minutes; must divide a day (default 15).
    horizon_start_minute : int or str
        Clock time of the first interval (minutes after midnight or ``"HH:MM"``; default 00:00).
    cyclic : bool
        If True, shifts running past the horizon's end wrap to its start (a repeating week);
        if False (default) only shifts that fit inside the horizon are used.
    seat_cap : int, optional
        In-house seats: most agents working at once. Hard unless a penalty is given.
    seat_cap_penalty_per_agent_hour : float, optional
        Makes the seat cap soft with this penalty per agent-hour above it.
    max_part_time_share : float, optional
        Largest share of part-time shifts among all shifts, in [0, 1].
    burst_cost_per_agent_minute : float, optional
        Cloud burst capacity: a continuous number of agents per interval at this price per
        agent-minute. None (default): no burst.
    burst_max_agents : float, optional
        Most burst agents in any interval (default unlimited).
    understaffing_cost_per_agent_hour : float, optional
        Penalty per understaffed agent-hour. Default: ten times the most expensive shift per
        agent-interval, so that leaving a coverable interval short never pays.
    time_limit_seconds : float
        Solver time limit, seconds (default 60). At the limit the best schedule found is
        returned with ``status="time limit"`` and its gap.
    mip_rel_gap : float
        Relative optimality gap at which HiGHS stops (default 1e-4).

    Returns
    -------
    ScheduleResult

    Raises
    ------
    StaffingInputError
        For negative or non-finite values, shapes or grids that do not fit, an interval with a
        requirement that no template (nor burst) can cover, a hard seat cap below a template's
        ``min_agents``, or hard constraints that contradict each other.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    required = _required(required_agents)
    minutes = float(as_float_array(interval_minutes, "interval_minutes", minimum=0.0, allow_equal_minimum=False))
    _on_grid(MINUTES_PER_DAY, minutes, "a day")
    start_minute = _minutes(horizon_start_minute, "horizon_start_minute")
    _on_grid(start_minute, minutes, "horizon_start_minute")
    templates = tuple(templates)
    if not templates:
        raise StaffingInputError("templates is empty; give at least one ShiftTemplate (see shift_templates)")
    if not all(isinstance(template, ShiftTemplate) for template in templates):
        raise StaffingInputError("templates must be ShiftTemplate objects (see shift_templates)")
    names = [template.name for template in templates]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise StaffingInputError(f"template names must be unique; repeated: {', '.join(duplicates[:3])}")
    if seat_cap is not None:
        cap = float(as_float_array(seat_cap, "seat_cap", minimum=0.0))
        if seat_cap_penalty_per_agent_hour is None:
            for template in templates:
                if template.min_agents > cap:
                    raise StaffingInputError(
                        f"seat_cap={cap:g} is below min_agents={template.min_agents} of shift template {template.name!r}; "
                        "raise the seat cap, lower min_agents or make the cap soft (seat_cap_penalty_per_agent_hour)"
                    )
        else:
            as_float_array(seat_cap_penalty_per_agent_hour, "seat_cap_penalty_per_agent_hour", minimum=0.0)
    if max_part_time_share is not None:
        as_float_array(max_part_time_share, "max_part_time_share", minimum=0.0, maximum=1.0)
    burst = burst_cost_per_agent_minute is not None
    if burst:
        as_float_array(burst_cost_per_agent_minute, "burst_cost_per_agent_minute", minimum=0.0)
    if burst_max_agents is not None:
        if not burst:
            raise StaffingInputError("burst_max_agents needs burst_cost_per_agent_minute (burst capacity is off)")
        as_float_array(burst_max_agents, "burst_max_agents", minimum=0.0)
    as_float_array(time_limit_seconds, "time_limit_seconds", minimum=0.0, allow_equal_minimum=False)
    as_float_array(mip_rel_gap, "mip_rel_gap", minimum=0.0, maximum=1.0)

    intervals = required.size
    hours = minutes / 60.0
    columns = _columns(templates, intervals, minutes, start_minute, cyclic)
    n_columns = columns.template.size
    if n_columns == 0:
        raise StaffingInputError(
            f"no shift template fits inside the horizon ({intervals} intervals of {minutes:g} min from {_clock(start_minute)}); "
            "check the start times and lengths, or pass cyclic=True"
        )
    coverage = np.asarray(columns.matrix.sum(axis=1)).ravel()
    burst_reach = (burst_max_agents if burst_max_agents is not None else np.inf) if burst else 0.0
    uncovered = np.flatnonzero((coverage == 0) & (required > burst_reach + _TOLERANCE))
    if uncovered.size:
        first = int(uncovered[0])
        day, clock = divmod(start_minute + first * minutes, MINUTES_PER_DAY)
        raise StaffingInputError(
            f"no shift template covers interval {first} (day {int(day)} {_clock(int(clock))}) where {required[first]:g} agents are "
            f"required ({uncovered.size} such intervals); add templates covering the opening hours"
            + ("" if burst else " or allow burst capacity")
        )

    shift_costs = np.array([template.shift_cost for template in templates])
    column_cost = shift_costs[columns.template]
    if understaffing_cost_per_agent_hour is None:
        penalty_hour = 10.0 * max(float(shift_costs.max()), 1.0) / hours
    else:
        penalty_hour = float(as_float_array(understaffing_cost_per_agent_hour, "understaffing_cost_per_agent_hour", minimum=0.0))

    # Variable layout: [x (n_columns) | u (T) | burst (T, optional) | seat excess e (T, optional)].
    # (Two alternatives were measured on the benchmark week with HiGHS 1.12 and dropped: a
    # continuous "agents at work" variable s = A x making the seat cap a bound (half the
    # nonzeros, but about 30 % slower), and Aykin's implicit form W y - B x (5x fewer nonzeros,
    # slower on the plain week, and once reported a wrong optimum).)
    soft_seats = seat_cap is not None and seat_cap_penalty_per_agent_hour is not None
    blocks = [column_cost, np.full(intervals, penalty_hour * hours)]
    lower = [np.zeros(n_columns), np.zeros(intervals)]
    upper = [np.full(n_columns, np.inf), np.full(intervals, np.inf)]
    if burst:
        blocks.append(np.full(intervals, float(burst_cost_per_agent_minute) * minutes))
        lower.append(np.zeros(intervals))
        upper.append(np.full(intervals, np.inf if burst_max_agents is None else float(burst_max_agents)))
    if soft_seats:
        blocks.append(np.full(intervals, float(seat_cap_penalty_per_agent_hour) * hours))
        lower.append(np.zeros(intervals))
        upper.append(np.full(intervals, np.inf))
    cost_vector = np.concatenate(blocks)
    n_vars = cost_vector.size
    integrality = np.zeros(n_vars)
    integrality[:n_columns] = 1
    identity = sparse.identity(intervals, format="csc")
    empty = sparse.csc_matrix((intervals, intervals))

    def row_block(x_block, under, burst_block, excess):
        parts = [x_block, under] + ([burst_block] if burst else []) + ([excess] if soft_seats else [])
        return sparse.hstack(parts, format="csr")

    constraints = []
    # Coverage: A x + u + burst >= required.
    constraints.append(LinearConstraint(row_block(columns.matrix, identity, identity, empty), required, np.inf))
    # Seat cap: A x (- e) <= cap.
    if seat_cap is not None:
        constraints.append(LinearConstraint(row_block(columns.matrix, empty, empty, -identity), -np.inf, float(seat_cap)))
    # Per template and day: min_agents <= sum over break positions <= max_agents.
    n_groups = columns.group_template.size
    group_matrix = sparse.csr_matrix((np.ones(n_columns), (columns.group, np.arange(n_columns))), shape=(n_groups, n_columns))
    group_min = np.array([templates[k].min_agents for k in columns.group_template], dtype=float)
    group_max = np.array([np.inf if templates[k].max_agents is None else templates[k].max_agents for k in columns.group_template], dtype=float)
    if (group_min > 0).any() or np.isfinite(group_max).any():
        padding = sparse.csr_matrix((n_groups, n_vars - n_columns))
        constraints.append(LinearConstraint(sparse.hstack([group_matrix, padding], format="csr"), group_min, group_max))
    # Part-time share: sum_pt x - share * sum x <= 0.
    part_time = np.array([templates[k].part_time for k in columns.template], dtype=bool)
    share_row = None
    if max_part_time_share is not None and part_time.any():
        share_row = np.zeros(n_vars)
        share_row[:n_columns] = part_time.astype(float) - float(max_part_time_share)
        constraints.append(LinearConstraint(share_row[np.newaxis, :], -np.inf, 0.0))

    started = time.perf_counter()
    solution = milp(
        cost_vector,
        integrality=integrality,
        bounds=Bounds(np.concatenate(lower), np.concatenate(upper)),
        constraints=constraints,
        options={"time_limit": float(time_limit_seconds), "mip_rel_gap": float(mip_rel_gap)},
    )
    elapsed = time.perf_counter() - started
    if solution.x is None:
        if solution.status == 2:
            raise StaffingInputError(
                "the hard constraints contradict each other (no schedule satisfies them): check min_agents against "
                "seat_cap (agents of several templates working at once), max_part_time_share against part-time "
                "templates with min_agents, and templates' days"
            )
        if solution.status == 1:
            raise StaffingInputError(
                f"no schedule found within time_limit_seconds={time_limit_seconds:g}; raise the limit or use fewer templates"
            )
        raise StaffingInputError(f"the scheduling model could not be solved: {solution.message}")

    values = solution.x
    headcount = np.round(values[:n_columns]).astype(int)
    position = n_columns + intervals
    burst_agents = np.zeros(intervals)
    if burst:
        burst_agents = np.clip(values[position:position + intervals], 0.0, None)
        position += intervals
    seat_excess = np.zeros(intervals)
    if soft_seats:
        seat_excess = np.clip(values[position:position + intervals], 0.0, None)
    staffed = columns.matrix @ headcount.astype(float)
    # Recompute the shortfall from the rounded headcount (the solver's u can carry 1e-9 noise).
    under = np.clip(required - staffed - burst_agents, 0.0, None)
    under[under < _TOLERANCE] = 0.0
    over = np.clip(staffed + burst_agents - required, 0.0, None)
    over[over < _TOLERANCE] = 0.0

    reasons = _shortfall_reasons(
        under, staffed, burst_agents, columns, headcount, templates, seat_cap, soft_seats,
        burst, burst_max_agents, share_row, values, penalty_hour,
    )
    shift_cost = float(column_cost @ headcount)
    burst_cost = float(burst_agents.sum() * minutes * burst_cost_per_agent_minute) if burst else 0.0
    penalty = float(under.sum() * hours * penalty_hour)
    if soft_seats:
        penalty += float(seat_excess.sum() * hours * seat_cap_penalty_per_agent_hour)
    objective = float(solution.fun)
    gap = float(solution.mip_gap) if getattr(solution, "mip_gap", None) is not None else float("nan")

    used = np.flatnonzero(headcount > 0)
    schedule = pd.DataFrame(
        {
            COLUMN_TEMPLATE: [templates[columns.template[j]].name for j in used],
            COLUMN_DAY: columns.day[used],
            COLUMN_START: [_clock(int(start_minute + columns.start[j] * minutes)) for j in used],
            COLUMN_END: [_clock(int(start_minute + columns.start[j] * minutes + templates[columns.template[j]].length_minutes)) for j in used],
            COLUMN_START_INTERVAL: columns.start[used],
            COLUMN_BREAK_START: [
                "" if columns.break_offset[j] < 0 else _clock(int(start_minute + (columns.start[j] + columns.break_offset[j]) * minutes))
                for j in used
            ],
            COLUMN_PART_TIME: part_time[used],
            COLUMN_HEADCOUNT: headcount[used],
            COLUMN_PAID_HOURS: headcount[used] * np.array([templates[columns.template[j]].paid_hours for j in used], dtype=float),
            COLUMN_COST: headcount[used] * column_cost[used],
        },
        columns=list(SCHEDULE_COLUMNS),
    ).sort_values([COLUMN_DAY, COLUMN_START_INTERVAL, COLUMN_TEMPLATE], kind="stable").reset_index(drop=True)
    clock_minutes = start_minute + np.arange(intervals) * minutes
    table = pd.DataFrame(
        {
            COLUMN_INTERVAL: np.arange(intervals),
            COLUMN_DAY: (clock_minutes // MINUTES_PER_DAY).astype(int),
            COLUMN_TIME: [_clock(int(value)) for value in clock_minutes],
            COLUMN_REQUIRED: required,
            COLUMN_STAFFED: staffed,
            COLUMN_BURST: burst_agents,
            COLUMN_OVER: over,
            COLUMN_UNDER: under,
            COLUMN_SEAT_EXCESS: seat_excess,
            COLUMN_REASON: reasons,
        },
        columns=list(INTERVAL_COLUMNS),
    )
    return ScheduleResult(
        schedule=schedule,
        intervals=table,
        interval_minutes=minutes,
        paid_hours=float(schedule[COLUMN_PAID_HOURS].sum()),
        shift_cost=shift_cost,
        burst_cost=burst_cost,
        cost=shift_cost + burst_cost,
        penalty=penalty,
        objective=objective,
        shortfall_agent_hours=float(under.sum() * hours),
        status="optimal" if solution.status == 0 else "time limit",
        mip_gap=gap,
        solve_seconds=elapsed,
        columns=n_columns,
        templates=templates,
    )


def _shortfall_reasons(under, staffed, burst_agents, columns, headcount, templates, seat_cap, soft_seats,
                       burst, burst_max_agents, share_row, values, penalty_hour) -> list[str]:
    """Why each understaffed interval is short (empty string where it is covered)."""
    reasons = [""] * under.size
    short = np.flatnonzero(under > 0)
    if not short.size:
        return reasons
    group_total = np.bincount(columns.group, weights=headcount, minlength=columns.group_template.size)
    group_max = np.array([np.inf if templates[k].max_agents is None else templates[k].max_agents for k in columns.group_template])
    share_binds = share_row is not None and float(share_row @ values) > -0.5
    matrix = columns.matrix.tocsr()
    binding_hits = np.zeros(columns.template.size)
    binding = np.zeros(under.size, dtype=bool)
    if seat_cap is not None and not soft_seats:
        binding = staffed >= seat_cap - _TOLERANCE
        binding_hits = columns.matrix.T @ binding.astype(float)  # capped intervals each column works in
    for t in short:
        why = []
        covering_columns = matrix.indices[matrix.indptr[t]:matrix.indptr[t + 1]]
        if binding[t]:
            why.append(f"seat cap binds ({seat_cap:g} seats)")
        elif covering_columns.size and (binding_hits[covering_columns] > 0).all():
            column = columns.matrix[:, int(covering_columns[0])].indices
            first = int(column[binding[column]][0])
            why.append(f"seat cap binds in overlapping intervals (e.g. interval {first}): every shift covering it would exceed it")
        if burst and burst_max_agents is not None and burst_agents[t] >= burst_max_agents - _TOLERANCE:
            why.append(f"burst capacity at its limit ({burst_max_agents:g} agents)")
        covering = np.unique(columns.group[covering_columns])
        if covering.size and (group_total[covering] >= group_max[covering] - _TOLERANCE).all():
            why.append("every template covering it is at max_agents")
        if share_binds:
            why.append("part-time share cap binds")
        if not why:
            why.append(f"an extra shift costs more than the understaffing penalty ({penalty_hour:g} per agent-hour)")
        reasons[t] = "; ".join(why)
    return reasons
