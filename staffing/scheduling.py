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

import itertools
import math
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import sparse

from ._validate import StaffingInputError, as_float_array

__all__ = [
    "ShiftTemplate",
    "ScheduleResult",
    "shift_templates",
    "start_times",
    "schedule_shifts",
    "schedule_groups",
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
    extra_breaks : tuple of (int, int, int)
        Further breaks after the first, each ``(minutes, earliest, latest)``: its length and the
        window of its start, minutes after the shift start (paid like the first, see
        ``paid_break``). Windows must follow each other: a break's earliest start is at or
        after the previous break's latest end, so any choice of positions is a valid shift.
        The model chooses every break's position. Default none (needs ``break_minutes > 0``).
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
    extra_breaks: tuple[tuple[int, int, int], ...] = ()
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
        self._check_extra_breaks(label)
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

    def _check_extra_breaks(self, label: str) -> None:
        if not self.extra_breaks:
            return
        if self.break_minutes <= 0:
            raise StaffingInputError(f"{label}: extra_breaks need a first break (break_minutes > 0)")
        previous_end = (self.break_window_minutes or (0, 0))[1] + self.break_minutes
        for number, rule in enumerate(self.extra_breaks, start=2):
            if len(rule) != 3:
                raise StaffingInputError(f"{label}: extra_breaks entries must be (minutes, earliest, latest), got {rule!r}")
            minutes, earliest, latest = rule
            if not (minutes > 0 and previous_end <= earliest <= latest and latest + minutes < self.length_minutes):
                raise StaffingInputError(
                    f"{label}: break {number} (minutes, earliest, latest)={rule!r} must have minutes > 0 and "
                    f"{previous_end} <= earliest <= latest < {self.length_minutes} - minutes (after the previous break)"
                )
            previous_end = latest + minutes

    @property
    def breaks(self) -> tuple[tuple[int, int, int], ...]:
        """Every break as ``(minutes, earliest, latest)`` minutes after the shift start (empty: none)."""
        if self.break_minutes <= 0:
            return ()
        earliest, latest = self.break_window_minutes or (0, 0)
        first = (int(self.break_minutes), int(earliest), int(latest))
        return (first, *((int(m), int(e), int(latest)) for m, e, latest in self.extra_breaks))

    @property
    def paid_hours(self) -> float:
        """Paid hours of one shift: the span minus unpaid breaks and a split gap."""
        unpaid = 0 if self.paid_break else sum(rule[0] for rule in self.breaks)
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
    break_offset: np.ndarray  # first break start, intervals after the start (-1: none)
    break_offsets: tuple[tuple[int, ...], ...]  # every break's start per column (empty: none)
    group: np.ndarray  # (template, day) instance per column
    group_template: np.ndarray  # template index per instance


def _on_grid(minutes: float, interval_minutes: float, what: str) -> int:
    steps = minutes / interval_minutes
    if abs(steps - round(steps)) > 1e-9:
        raise StaffingInputError(f"{what} ({minutes:g} min) is not a multiple of interval_minutes={interval_minutes:g}")
    return int(round(steps))


def _break_positions(template: ShiftTemplate, interval_minutes: float) -> tuple[list[tuple[int, ...]], list[int]]:
    """Every combination of break starts (intervals after the shift start) and the breaks' lengths."""
    label = f"shift template {template.name!r}"
    lengths, choices = [], []
    for number, (minutes, earliest, latest) in enumerate(template.breaks, start=1):
        what = f"{label}: break" if number == 1 else f"{label}: break {number}"
        lengths.append(_on_grid(minutes, interval_minutes, what))
        first = _on_grid(earliest, interval_minutes, f"{what} window start")
        choices.append(range(first, int(latest // interval_minutes) + 1))
    if not lengths:
        return [()], []
    combos = [combo for combo in itertools.product(*choices)
              if all(combo[k] + lengths[k] <= combo[k + 1] for k in range(len(combo) - 1))]
    return combos, lengths


def _columns(templates: Sequence[ShiftTemplate], intervals: int, interval_minutes: float, horizon_start_minute: int, cyclic: bool) -> _Columns:
    rows, cols = [], []
    template_of: list[int] = []
    day_of: list[int] = []
    start_of: list[int] = []
    breaks_of: list[tuple[int, ...]] = []
    group_of: list[int] = []
    group_template: list[int] = []
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
        combos, break_lengths = _break_positions(template, interval_minutes)
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
            for combo in combos:
                pattern = work.copy()
                for offset, break_length in zip(combo, break_lengths, strict=True):
                    pattern[offset:offset + break_length] = False
                covered = (start + np.flatnonzero(pattern)) % intervals
                rows.extend(covered.tolist())
                cols.extend([column] * covered.size)
                template_of.append(index)
                day_of.append(day)
                start_of.append(start)
                breaks_of.append(tuple(int(b) for b in combo))
                group_of.append(group)
                column += 1
    matrix = sparse.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(intervals, column))
    matrix.sum_duplicates()
    return _Columns(
        matrix=matrix,
        template=np.asarray(template_of, dtype=int),
        day=np.asarray(day_of, dtype=int),
        start=np.asarray(start_of, dtype=int),
        break_offset=np.asarray([b[0] if b else -1 for b in breaks_of], dtype=int),
        break_offsets=tuple(breaks_of),
        group=np.asarray(group_of, dtype=int),
        group_template=np.asarray(group_template, dtype=int),
    )


def _required(required_agents, name: str = "required_agents") -> np.ndarray:
    if isinstance(required_agents, pd.DataFrame):
        required_agents = required_agents.to_numpy(dtype=float)
    array = as_float_array(required_agents, name, minimum=0.0)
    if array.ndim == 2:  # intervals x channels: a blended pool covers their sum
        array = array.sum(axis=1)
    if array.ndim != 1:
        raise StaffingInputError(
            f"{name} must be 1-D (one value per interval) or 2-D (intervals x channels), got shape {array.shape}"
        )
    return array


# --------------------------------------------------------------------------- the integer program
class _LinearModel:
    """Variables in named blocks and sparse constraint rows, solved by HiGHS (:func:`scipy.optimize.milp`)."""

    def __init__(self) -> None:
        self.cost: list[np.ndarray] = []
        self.lower: list[np.ndarray] = []
        self.upper: list[np.ndarray] = []
        self.integer: list[np.ndarray] = []
        self.size = 0
        self.rows: list[tuple[list[tuple[slice, sparse.spmatrix]], np.ndarray, np.ndarray]] = []

    def add(self, cost, lower=0.0, upper=np.inf, *, integer: bool = False) -> slice:
        """A block of variables with these costs and bounds; returns its slice of the vector."""
        cost = np.asarray(cost, dtype=float)
        count = cost.size
        self.cost.append(cost)
        self.lower.append(np.broadcast_to(np.asarray(lower, dtype=float), count).copy())
        self.upper.append(np.broadcast_to(np.asarray(upper, dtype=float), count).copy())
        self.integer.append(np.full(count, 1 if integer else 0))
        block = slice(self.size, self.size + count)
        self.size += count
        return block

    def constrain(self, parts: list[tuple[slice, sparse.spmatrix]], lower, upper) -> None:
        """``lower <= sum of matrix @ variables[block] <= upper`` over ``parts``."""
        rows = parts[0][1].shape[0]
        self.rows.append((parts, np.broadcast_to(np.asarray(lower, dtype=float), rows),
                          np.broadcast_to(np.asarray(upper, dtype=float), rows)))

    def solve(self, time_limit_seconds: float, mip_rel_gap: float):
        from scipy.optimize import Bounds, LinearConstraint, milp
        constraints = []
        for parts, lower, upper in self.rows:
            rows = parts[0][1].shape[0]
            pieces = [sparse.coo_matrix(matrix) for _, matrix in parts]
            matrix = sparse.csr_matrix(
                (np.concatenate([p.data for p in pieces]),
                 (np.concatenate([p.row for p in pieces]),
                  np.concatenate([p.col + block.start for (block, _), p in zip(parts, pieces, strict=True)]))),
                shape=(rows, self.size))
            constraints.append(LinearConstraint(matrix, lower, upper))
        return milp(
            np.concatenate(self.cost), integrality=np.concatenate(self.integer),
            bounds=Bounds(np.concatenate(self.lower), np.concatenate(self.upper)), constraints=constraints,
            options={"time_limit": float(time_limit_seconds), "mip_rel_gap": float(mip_rel_gap)},
        )


@dataclass
class _Group:
    """One staff group in the joint model: its requirement, columns and variable blocks."""

    name: str
    required: np.ndarray
    templates: tuple[ShiftTemplate, ...]
    columns: _Columns
    column_cost: np.ndarray
    part_time: np.ndarray
    deferred_intervals: int | None = None  # deferred work: done within this many intervals
    x: slice = field(default_factory=lambda: slice(0))
    under: slice = field(default_factory=lambda: slice(0))  # real-time: agents short; deferred: overdue backlog
    burst: slice | None = None
    processed: slice | None = None  # deferred: work done per interval
    backlog: slice | None = None  # deferred: work waiting at each interval's end
    share_row: np.ndarray | None = None


def _label(name: str) -> str:
    return f"group {name!r}: " if name else ""


def _check_templates(templates, name: str) -> tuple[ShiftTemplate, ...]:
    templates = tuple(templates)
    if not templates:
        raise StaffingInputError(f"{_label(name)}templates is empty; give at least one ShiftTemplate (see shift_templates)")
    if not all(isinstance(template, ShiftTemplate) for template in templates):
        raise StaffingInputError(f"{_label(name)}templates must be ShiftTemplate objects (see shift_templates)")
    names = [template.name for template in templates]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise StaffingInputError(f"{_label(name)}template names must be unique; repeated: {', '.join(duplicates[:3])}")
    return templates


def _check_options(seat_cap, seat_cap_penalty_per_agent_hour, max_part_time_share, burst_cost_per_agent_minute,
                   burst_max_agents, time_limit_seconds, mip_rel_gap) -> None:
    if seat_cap is not None:
        as_float_array(seat_cap, "seat_cap", minimum=0.0)
        if seat_cap_penalty_per_agent_hour is not None:
            as_float_array(seat_cap_penalty_per_agent_hour, "seat_cap_penalty_per_agent_hour", minimum=0.0)
    if max_part_time_share is not None:
        as_float_array(max_part_time_share, "max_part_time_share", minimum=0.0, maximum=1.0)
    if burst_cost_per_agent_minute is not None:
        as_float_array(burst_cost_per_agent_minute, "burst_cost_per_agent_minute", minimum=0.0)
    if burst_max_agents is not None:
        if burst_cost_per_agent_minute is None:
            raise StaffingInputError("burst_max_agents needs burst_cost_per_agent_minute (burst capacity is off)")
        as_float_array(burst_max_agents, "burst_max_agents", minimum=0.0)
    as_float_array(time_limit_seconds, "time_limit_seconds", minimum=0.0, allow_equal_minimum=False)
    as_float_array(mip_rel_gap, "mip_rel_gap", minimum=0.0, maximum=1.0)


def _prepare_group(name, required, templates, deferred_intervals, minutes, start_minute, cyclic, burst_reach,
                   seat_cap, hard_seats) -> _Group:
    """Columns of one group, checked: every interval with a requirement can be covered."""
    if hard_seats:
        for template in templates:
            if template.min_agents > seat_cap:
                raise StaffingInputError(
                    f"seat_cap={seat_cap:g} is below min_agents={template.min_agents} of shift template {template.name!r}; "
                    "raise the seat cap, lower min_agents or make the cap soft (seat_cap_penalty_per_agent_hour)"
                )
    intervals = required.size
    columns = _columns(templates, intervals, minutes, start_minute, cyclic)
    if columns.template.size == 0:
        raise StaffingInputError(
            f"{_label(name)}no shift template fits inside the horizon ({intervals} intervals of {minutes:g} min from "
            f"{_clock(start_minute)}); check the start times and lengths, or pass cyclic=True"
        )
    if deferred_intervals is None:
        coverage = np.asarray(columns.matrix.sum(axis=1)).ravel()
        uncovered = np.flatnonzero((coverage == 0) & (required > burst_reach + _TOLERANCE))
        if uncovered.size:
            first = int(uncovered[0])
            day, clock = divmod(start_minute + first * minutes, MINUTES_PER_DAY)
            raise StaffingInputError(
                f"{_label(name)}no shift template covers interval {first} (day {int(day)} {_clock(int(clock))}) where "
                f"{required[first]:g} agents are required ({uncovered.size} such intervals); add templates covering the "
                "opening hours" + ("" if burst_reach else " or allow burst capacity")
            )
    shift_costs = np.array([template.shift_cost for template in templates])
    part_time = np.array([templates[k].part_time for k in columns.template], dtype=bool)
    return _Group(name, required, templates, columns, shift_costs[columns.template], part_time,
                  None if deferred_intervals is None else int(deferred_intervals))


def _due_backlog(required: np.ndarray, within: int) -> np.ndarray:
    """Most work (agent-intervals) that may still wait at each interval's end: arrived, not yet due.

    Work arriving in interval ``a`` is due by the end of interval ``min(a + within, T - 1)``.
    """
    intervals = required.size
    arrived = np.cumsum(required)
    due_at = np.minimum(np.arange(intervals) + within, intervals - 1)
    due = np.zeros(intervals)
    np.add.at(due, due_at, required)
    return np.clip(arrived - np.cumsum(due), 0.0, None)


def _build_model(groups: list[_Group], *, minutes, penalty_hour, seat_cap, seat_penalty, max_part_time_share,
                 burst_cost_per_agent_minute, burst_max_agents) -> tuple[_LinearModel, slice | None]:
    """The joint integer program of every group (see the module docstring)."""
    hours = minutes / 60.0
    model = _LinearModel()
    intervals = groups[0].required.size
    identity = sparse.identity(intervals, format="csr")
    for group in groups:
        group.x = model.add(group.column_cost, integer=True)
        group.under = model.add(np.full(intervals, penalty_hour * hours))
        if burst_cost_per_agent_minute is not None:
            group.burst = model.add(np.full(intervals, float(burst_cost_per_agent_minute) * minutes), 0.0,
                                    np.inf if burst_max_agents is None else float(burst_max_agents))
        if group.deferred_intervals is None:
            # Coverage: A x + burst + u >= required.
            parts = [(group.x, group.columns.matrix), (group.under, identity)]
            if group.burst is not None:
                parts.append((group.burst, identity))
            model.constrain(parts, group.required, np.inf)
        else:
            # Deferred work (fluid, first come first served): processed p <= A x + burst; backlog
            # B_t = B_(t-1) + work_t - p_t >= 0; B_t <= work arrived but not yet due + overdue u_t.
            group.processed = model.add(np.zeros(intervals))
            group.backlog = model.add(np.zeros(intervals))
            parts = [(group.x, group.columns.matrix), (group.processed, -identity)]
            if group.burst is not None:
                parts.append((group.burst, identity))
            model.constrain(parts, 0.0, np.inf)
            shift = sparse.eye(intervals, k=-1, format="csr")
            model.constrain([(group.backlog, identity - shift), (group.processed, identity)], group.required, group.required)
            model.constrain([(group.backlog, identity), (group.under, -identity)], -np.inf,
                            _due_backlog(group.required, group.deferred_intervals))
        # Per template and day: min_agents <= sum over break positions <= max_agents.
        columns, templates = group.columns, group.templates
        n_instances, n_columns = columns.group_template.size, columns.template.size
        group_min = np.array([templates[k].min_agents for k in columns.group_template], dtype=float)
        group_max = np.array([np.inf if templates[k].max_agents is None else templates[k].max_agents
                              for k in columns.group_template], dtype=float)
        if (group_min > 0).any() or np.isfinite(group_max).any():
            instances = sparse.csr_matrix((np.ones(n_columns), (columns.group, np.arange(n_columns))),
                                          shape=(n_instances, n_columns))
            model.constrain([(group.x, instances)], group_min, group_max)
        # Part-time share of the group's shifts: sum_pt x - share * sum x <= 0.
        if max_part_time_share is not None and group.part_time.any():
            group.share_row = group.part_time.astype(float) - float(max_part_time_share)
            model.constrain([(group.x, sparse.csr_matrix(group.share_row[np.newaxis, :]))], -np.inf, 0.0)
    excess = None
    if seat_cap is not None:
        # Joint seat cap: agents at their desks in every group together, sum_g A_g x_g (- e) <= cap.
        parts = [(group.x, group.columns.matrix) for group in groups]
        if seat_penalty is not None:
            excess = model.add(np.full(intervals, float(seat_penalty) * hours))
            parts.append((excess, -identity))
        model.constrain(parts, -np.inf, float(seat_cap))
    return model, excess


def _solve(model: _LinearModel, time_limit_seconds: float, mip_rel_gap: float):
    """Solve, or raise a :class:`StaffingInputError` saying why there is no schedule."""
    started = time.perf_counter()
    solution = model.solve(time_limit_seconds, mip_rel_gap)
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
    return solution, elapsed


def _schedule_table(group: _Group, headcount: np.ndarray, start_minute: int, minutes: float) -> pd.DataFrame:
    columns, templates = group.columns, group.templates
    used = [int(j) for j in np.flatnonzero(headcount > 0)]

    def clock_at(j: int, offset: int) -> str:
        return _clock(int(start_minute + (columns.start[j] + offset) * minutes))

    return pd.DataFrame(
        {
            COLUMN_TEMPLATE: [templates[columns.template[j]].name for j in used],
            COLUMN_DAY: columns.day[used],
            COLUMN_START: [clock_at(j, 0) for j in used],
            COLUMN_END: [_clock(int(start_minute + columns.start[j] * minutes + templates[columns.template[j]].length_minutes)) for j in used],
            COLUMN_START_INTERVAL: columns.start[used],
            COLUMN_BREAK_START: [",".join(clock_at(j, b) for b in columns.break_offsets[j]) for j in used],
            COLUMN_PART_TIME: group.part_time[used],
            COLUMN_HEADCOUNT: headcount[used],
            COLUMN_PAID_HOURS: headcount[used] * np.array([templates[columns.template[j]].paid_hours for j in used], dtype=float),
            COLUMN_COST: headcount[used] * group.column_cost[used],
        },
        columns=list(SCHEDULE_COLUMNS),
    ).sort_values([COLUMN_DAY, COLUMN_START_INTERVAL, COLUMN_TEMPLATE], kind="stable").reset_index(drop=True)


def _group_result(group: _Group, values: np.ndarray, seated_total: np.ndarray, seat_excess: np.ndarray, *,
                  solution, elapsed, minutes, start_minute, penalty_hour, seat_cap, seat_penalty,
                  burst_cost_per_agent_minute, burst_max_agents) -> ScheduleResult:
    """One group's :class:`ScheduleResult` from the joint solution."""
    hours = minutes / 60.0
    intervals = group.required.size
    headcount = np.round(values[group.x]).astype(int)
    staffed = group.columns.matrix @ headcount.astype(float)
    burst_agents = np.zeros(intervals) if group.burst is None else np.clip(values[group.burst], 0.0, None)
    if group.deferred_intervals is None:
        # Recompute the shortfall from the rounded headcount (the solver's u can carry 1e-9 noise).
        under = np.clip(group.required - staffed - burst_agents, 0.0, None)
    else:
        under = np.clip(values[group.under], 0.0, None)  # overdue backlog, agent-intervals of work
    under[under < _TOLERANCE] = 0.0
    over = np.clip(staffed + burst_agents - group.required, 0.0, None)
    over[over < _TOLERANCE] = 0.0
    reasons = _shortfall_reasons(group, under, headcount, seated_total, burst_agents, seat_cap,
                                 seat_penalty is not None, burst_max_agents, values, penalty_hour)
    shift_cost = float(group.column_cost @ headcount)
    burst_cost = float(burst_agents.sum() * minutes * burst_cost_per_agent_minute) if group.burst is not None else 0.0
    penalty = float(under.sum() * hours * penalty_hour)
    if seat_penalty is not None:
        penalty += float(seat_excess.sum() * hours * seat_penalty)
    schedule = _schedule_table(group, headcount, start_minute, minutes)
    clock_minutes = start_minute + np.arange(intervals) * minutes
    table = pd.DataFrame(
        {
            COLUMN_INTERVAL: np.arange(intervals),
            COLUMN_DAY: (clock_minutes // MINUTES_PER_DAY).astype(int),
            COLUMN_TIME: [_clock(int(value)) for value in clock_minutes],
            COLUMN_REQUIRED: group.required,
            COLUMN_STAFFED: staffed,
            COLUMN_BURST: burst_agents,
            COLUMN_OVER: over,
            COLUMN_UNDER: under,
            COLUMN_SEAT_EXCESS: seat_excess,
            COLUMN_REASON: reasons,
        },
        columns=list(INTERVAL_COLUMNS),
    )
    gap = float(solution.mip_gap) if getattr(solution, "mip_gap", None) is not None else float("nan")
    return ScheduleResult(
        schedule=schedule, intervals=table, interval_minutes=minutes,
        paid_hours=float(schedule[COLUMN_PAID_HOURS].sum()), shift_cost=shift_cost, burst_cost=burst_cost,
        cost=shift_cost + burst_cost, penalty=penalty, objective=float(solution.fun),
        shortfall_agent_hours=float(under.sum() * hours), status="optimal" if solution.status == 0 else "time limit",
        mip_gap=gap, solve_seconds=elapsed, columns=int(group.columns.template.size), templates=group.templates,
    )


def schedule_groups(
    required_agents: Mapping[str, object],
    templates: Sequence[ShiftTemplate] | Mapping[str, Sequence[ShiftTemplate]],
    *,
    interval_minutes: float = 15.0,
    horizon_start_minute: int | str = 0,
    cyclic: bool = False,
    seat_cap: float | None = None,
    seat_cap_penalty_per_agent_hour: float | None = None,
    max_part_time_share: float | None = None,
    deferred_within_intervals: Mapping[str, int] | None = None,
    burst_cost_per_agent_minute: float | None = None,
    burst_max_agents: float | None = None,
    understaffing_cost_per_agent_hour: float | None = None,
    time_limit_seconds: float = 60.0,
    mip_rel_gap: float = 1e-4,
) -> dict[str, ScheduleResult]:
    """Shifts for several staff groups at once, at minimum total cost, with one seat cap for all.

    The groups share nothing but the seats: ``seat_cap`` bounds the agents of *every* group at
    their desks together in each interval (a joint constraint of one integer program), so the
    optimum puts a group whose work can wait (``deferred_within_intervals``) where seats are free
    instead of splitting the seats between groups in advance.

    Parameters
    ----------
    required_agents : mapping of str to array_like
        Group name -> agents needed per interval, shape ``(T,)`` or ``(T, channels)`` (summed),
        the same ``T`` for every group. For a deferred group: the work arriving per interval,
        in agents busy for one interval.
    templates : sequence of ShiftTemplate, or mapping of str to sequence
        The same templates for every group, or per group.
    interval_minutes, horizon_start_minute, cyclic
        As in :func:`schedule_shifts`.
    seat_cap : float, optional
        Most agents of all groups working at once (hard unless a penalty is given).
    seat_cap_penalty_per_agent_hour : float, optional
        Makes the seat cap soft (per agent-hour above it; the excess is joint and shown in every
        group's table).
    max_part_time_share : float, optional
        Largest share of part-time shifts among each group's shifts, in [0, 1].
    deferred_within_intervals : mapping of str to int, optional
        Groups whose work may wait: work arriving in interval ``a`` must be done (first come,
        first served, as a fluid) by the end of interval ``a + within`` and at the latest by the
        horizon's end. Their ``understaffed_agents`` is the overdue backlog (agent-intervals of
        work) and ``required_agents`` the arriving work.
    burst_cost_per_agent_minute, burst_max_agents, understaffing_cost_per_agent_hour
        As in :func:`schedule_shifts`, per group.
    time_limit_seconds, mip_rel_gap
        Solver limits for the joint program.

    Returns
    -------
    dict of str to ScheduleResult
        One result per group; ``objective``, ``status``, ``mip_gap`` and ``solve_seconds`` are
        the joint program's.

    Raises
    ------
    StaffingInputError
        As :func:`schedule_shifts`, naming the group.
    """
    if not isinstance(required_agents, Mapping) or not required_agents:
        raise StaffingInputError("required_agents must map at least one group name to its requirement per interval")
    names = list(required_agents)
    required = {name: _required(required_agents[name], f"required_agents[{name!r}]" if name else "required_agents")
                for name in names}
    sizes = {array.size for array in required.values()}
    if len(sizes) > 1:
        raise StaffingInputError(f"required_agents: every group needs the same number of intervals, got {sorted(sizes)}")
    by_group = ({name: _check_templates(templates.get(name, ()), name) for name in names} if isinstance(templates, Mapping)
                else dict.fromkeys(names, _check_templates(templates, "")))
    deferred = dict(deferred_within_intervals or {})
    for name, within in deferred.items():
        if name not in required:
            raise StaffingInputError(f"deferred_within_intervals names {name!r}, which has no requirement")
        if isinstance(within, bool) or int(within) != within or within < 0:
            raise StaffingInputError(f"deferred_within_intervals[{name!r}] must be a whole number >= 0, got {within!r}")
    minutes = float(as_float_array(interval_minutes, "interval_minutes", minimum=0.0, allow_equal_minimum=False))
    _on_grid(MINUTES_PER_DAY, minutes, "a day")
    start_minute = _minutes(horizon_start_minute, "horizon_start_minute")
    _on_grid(start_minute, minutes, "horizon_start_minute")
    _check_options(seat_cap, seat_cap_penalty_per_agent_hour, max_part_time_share, burst_cost_per_agent_minute,
                   burst_max_agents, time_limit_seconds, mip_rel_gap)
    seat_penalty = seat_cap_penalty_per_agent_hour if seat_cap is not None else None
    burst = burst_cost_per_agent_minute is not None
    burst_reach = (burst_max_agents if burst_max_agents is not None else np.inf) if burst else 0.0
    groups = [_prepare_group(name, required[name], by_group[name], deferred.get(name), minutes, start_minute, cyclic,
                             burst_reach, None if seat_cap is None else float(seat_cap),
                             seat_cap is not None and seat_penalty is None) for name in names]
    most_expensive = max(float(group.column_cost.max()) for group in groups)
    if understaffing_cost_per_agent_hour is None:
        penalty_hour = 10.0 * max(most_expensive, 1.0) / (minutes / 60.0)
    else:
        penalty_hour = float(as_float_array(understaffing_cost_per_agent_hour, "understaffing_cost_per_agent_hour", minimum=0.0))
    model, excess = _build_model(groups, minutes=minutes, penalty_hour=penalty_hour, seat_cap=seat_cap,
                                 seat_penalty=seat_penalty, max_part_time_share=max_part_time_share,
                                 burst_cost_per_agent_minute=burst_cost_per_agent_minute, burst_max_agents=burst_max_agents)
    solution, elapsed = _solve(model, time_limit_seconds, mip_rel_gap)
    values = solution.x
    seated_total = sum(group.columns.matrix @ np.round(values[group.x]) for group in groups)
    seat_excess = np.zeros(groups[0].required.size) if excess is None else np.clip(values[excess], 0.0, None)
    return {group.name: _group_result(group, values, seated_total, seat_excess, solution=solution, elapsed=elapsed,
                                      minutes=minutes, start_minute=start_minute, penalty_hour=penalty_hour,
                                      seat_cap=seat_cap, seat_penalty=seat_penalty,
                                      burst_cost_per_agent_minute=burst_cost_per_agent_minute,
                                      burst_max_agents=burst_max_agents)
            for group in groups}


def schedule_shifts(
    required_agents: ArrayLike,
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

    The one-group case of :func:`schedule_groups`.

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
    return schedule_groups(
        {"": required_agents}, templates, interval_minutes=interval_minutes, horizon_start_minute=horizon_start_minute,
        cyclic=cyclic, seat_cap=seat_cap, seat_cap_penalty_per_agent_hour=seat_cap_penalty_per_agent_hour,
        max_part_time_share=max_part_time_share, burst_cost_per_agent_minute=burst_cost_per_agent_minute,
        burst_max_agents=burst_max_agents, understaffing_cost_per_agent_hour=understaffing_cost_per_agent_hour,
        time_limit_seconds=time_limit_seconds, mip_rel_gap=mip_rel_gap,
    )[""]


def _shortfall_reasons(group: _Group, under, headcount, seated_total, burst_agents, seat_cap, soft_seats,
                       burst_max_agents, values, penalty_hour) -> list[str]:
    """Why each understaffed interval of ``group`` is short (empty string where it is covered)."""
    reasons = [""] * under.size
    short = np.flatnonzero(under > 0)
    if not short.size:
        return reasons
    columns, templates = group.columns, group.templates
    group_total = np.bincount(columns.group, weights=headcount, minlength=columns.group_template.size)
    group_max = np.array([np.inf if templates[k].max_agents is None else templates[k].max_agents for k in columns.group_template])
    share_binds = group.share_row is not None and float(group.share_row @ values[group.x]) > -0.5
    matrix = columns.matrix.tocsr()
    binding_hits = np.zeros(columns.template.size)
    binding = np.zeros(under.size, dtype=bool)
    if seat_cap is not None and not soft_seats:
        binding = seated_total >= seat_cap - _TOLERANCE
        binding_hits = columns.matrix.T @ binding.astype(float)  # capped intervals each column works in
    for t in short:
        why = []
        covering_columns = matrix.indices[matrix.indptr[t]:matrix.indptr[t + 1]]
        if group.deferred_intervals is not None:
            why.append("deferred work overdue")
        if binding[t]:
            why.append(f"seat cap binds ({seat_cap:g} seats)")
        elif covering_columns.size and (binding_hits[covering_columns] > 0).all():
            column = columns.matrix[:, int(covering_columns[0])].indices
            first = int(column[binding[column]][0])
            why.append(f"seat cap binds in overlapping intervals (e.g. interval {first}): every shift covering it would exceed it")
        if group.burst is not None and burst_max_agents is not None and burst_agents[t] >= burst_max_agents - _TOLERANCE:
            why.append(f"burst capacity at its limit ({burst_max_agents:g} agents)")
        covering = np.unique(columns.group[covering_columns])
        if covering.size and (group_total[covering] >= group_max[covering] - _TOLERANCE).all():
            why.append("every template covering it is at max_agents")
        if share_binds:
            why.append("part-time share cap binds")
        if len(why) == (group.deferred_intervals is not None):
            why.append(f"an extra shift costs more than the understaffing penalty ({penalty_hour:g} per agent-hour)")
        reasons[t] = "; ".join(why)
    return reasons
