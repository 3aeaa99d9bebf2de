"""Deferred work (email, back-office cases): staffing to a response target of hours.

Deferred items do not abandon and need not be answered at once; each must be *worked before
its deadline*. The model is workload-based and deterministic (a fluid model, the standard
treatment of back-office work; see Koole, *Call Center Optimization*, 2013, ch. 9):

* Time is a sequence of intervals of ``interval_minutes``. The response target is counted on
  that sequence only (business hours: the intervals given are the hours the centre works).
* Items arriving in interval ``i`` are available from the start of interval ``i`` and are due
  ``response_target_hours`` after that start, rounded down to an interval boundary: by the end
  of interval ``i + d - 1`` with ``d = max(1, floor(response_target_hours x 60 /
  interval_minutes))``. This is conservative (it treats every item as if it arrived at the
  start of its interval) and exact when the target is a whole number of intervals.
* Work is done first-in first-out, which for a common target is also earliest-deadline-first,
  so the target is met in every interval exactly when the cumulative work done by the end of
  interval ``k`` is at least the cumulative work due by then, ``D(k)``. An agent supplies
  ``interval_minutes / 60 x max_occupancy`` hours of work per interval; nothing can be worked
  before it arrives, and the unworked part carries to the next interval as backlog.

The requirement (:func:`deferred_requirements`) is the *smoothest* staffing that meets every
deadline: the cumulative work done must stay between the cumulative work due ``D(k)`` (lower
curve) and the cumulative work arrived ``A(k)`` (upper curve), and the shortest path between
the two curves (the "taut string") is the fluid schedule that minimises the peak staffing and
every convex cost of it (Barlow, Bartholomew, Bremner & Brunk 1972; the same construction
smooths production plans and video streams). In each interval the rule staffs
``ceil(slope / hours per agent)`` agents, where ``slope`` is the first segment of the taut
string from the work actually done so far (found with the funnel algorithm), does the work
they can (never more than has arrived), and re-plans from there. Every deadline is met (the
slope is at least ``D(j) - done``) and rounding up only moves work earlier.
:func:`evaluate_deferred` runs the same FIFO bookkeeping for any given
staffing and reports the backlog and whether and when the target is missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    import pandas as pd

from ._validate import StaffingInputError, as_agents_array, as_float_array

__all__ = [
    "DeferredResult",
    "deferred_requirements",
    "evaluate_deferred",
    "deadline_offset_intervals",
]

_SECONDS_PER_HOUR = 3600.0
_MINUTES_PER_HOUR = 60.0
_TOLERANCE_HOURS = 1e-9  # work below this (about 4 microseconds) is rounding noise


@dataclass(frozen=True)
class DeferredResult:
    """Per-interval staffing and backlog of a deferred-work queue (1-D arrays, one per interval).

    Attributes
    ----------
    agents : numpy.ndarray
        Agents working the queue in each interval (whole numbers).
    arrivals : numpy.ndarray
        Items arriving in each interval (without the initial backlog).
    work_done_hours : numpy.ndarray
        Hours of work done in each interval.
    work_done_items : numpy.ndarray
        Items completed in each interval (FIFO; fractional when an item is part-worked).
    backlog_items : numpy.ndarray
        Items arrived and not yet completed at the end of each interval.
    backlog_workload_hours : numpy.ndarray
        Hours of work still to do on those items at the end of each interval.
    overdue_items : numpy.ndarray
        Items past their deadline and not completed at the end of each interval.
    interval_minutes : float
        Interval length in minutes.
    response_target_hours : float
        Response target in (business) hours.
    deadline_offset_intervals : int
        ``d``: items arriving in interval ``i`` are due by the end of interval ``i + d - 1``.
    """

    agents: np.ndarray
    arrivals: np.ndarray
    work_done_hours: np.ndarray
    work_done_items: np.ndarray
    backlog_items: np.ndarray
    backlog_workload_hours: np.ndarray
    overdue_items: np.ndarray
    interval_minutes: float
    response_target_hours: float
    deadline_offset_intervals: int

    @property
    def target_met(self) -> bool:
        """Whether every item due within the horizon was completed by its deadline."""
        return self.first_missed_interval is None

    @property
    def first_missed_interval(self) -> int | None:
        """Index of the first interval that ends with overdue items, or ``None``."""
        missed = np.flatnonzero(self.overdue_items > 1e-9)
        return int(missed[0]) if missed.size else None

    @property
    def occupancy(self) -> np.ndarray:
        """Share of the agents' working time spent on items (0 where no agents)."""
        capacity = self.agents * self.interval_minutes / _MINUTES_PER_HOUR
        return np.divide(self.work_done_hours, capacity, out=np.zeros_like(capacity, dtype=float), where=capacity > 0)

    def to_frame(self) -> pd.DataFrame:
        """One row per interval: agents, arrivals, work done, backlog and overdue items."""
        import pandas as pd

        return pd.DataFrame(
            {
                "interval": np.arange(self.agents.size),
                "agents": self.agents.astype(int),
                "arrivals": self.arrivals,
                "work_done_items": self.work_done_items,
                "work_done_hours": self.work_done_hours,
                "backlog_items": self.backlog_items,
                "backlog_workload_hours": self.backlog_workload_hours,
                "overdue_items": self.overdue_items,
                "occupancy": self.occupancy,
            }
        )


def deadline_offset_intervals(response_target_hours: float, interval_minutes: float) -> int:
    """``d = max(1, floor(response_target_hours x 60 / interval_minutes))``.

    Items arriving in interval ``i`` are due by the end of interval ``i + d - 1``.
    """
    target = float(as_float_array(response_target_hours, "response_target_hours", minimum=0.0, allow_equal_minimum=False))
    minutes = float(as_float_array(interval_minutes, "interval_minutes", minimum=0.0, allow_equal_minimum=False))
    return max(1, int(np.floor(target * _MINUTES_PER_HOUR / minutes + 1e-9)))


def deferred_requirements(
    arrivals: ArrayLike,
    aht_seconds: ArrayLike,
    response_target_hours: float,
    interval_minutes: float,
    *,
    initial_backlog_items: float = 0.0,
    max_occupancy: float = 1.0,
    clear_by_end: bool = True,
) -> DeferredResult:
    """Agents per interval that work every item before its deadline, with the backlog curve.

    Parameters
    ----------
    arrivals : array_like
        Items arriving in each interval (1-D, >= 0).
    aht_seconds : array_like
        Handle time of an item, seconds (> 0): one value or one per interval.
    response_target_hours : float
        Response target in hours counted over the given intervals (> 0).
    interval_minutes : float
        Interval length in minutes (> 0).
    initial_backlog_items : float, optional
        Items waiting at the start of the first interval (>= 0); they are due with the first
        interval's arrivals and take the first interval's handle time.
    max_occupancy : float, optional
        Share of an agent's interval spent working items, in (0, 1]. Default 1.0 (deferred
        work can always be picked up, so agents need no idle margin).
    clear_by_end : bool, optional
        If true (default), items whose deadline falls after the last interval must still be
        finished by its end, so the plan leaves no backlog to an unplanned period. If false,
        they are left as backlog (pass ``backlog_items[-1]`` to the next period's call).

    Returns
    -------
    DeferredResult
        Agents (the requirement) and the backlog curve they produce.

    Examples
    --------
    Ten 6-minute items at 08:00, a 2-hour target, 30-minute intervals: one agent clears half
    in the first interval and the rest in the second.

    >>> result = deferred_requirements([10, 0, 0, 0], 360, 2.0, 30)
    >>> result.agents.tolist(), result.backlog_items.tolist()
    ([1, 1, 0, 0], [5.0, 0.0, 0.0, 0.0])
    """
    arrived, items, work, minutes, offset, occupancy_share = _prepare(
        arrivals, aht_seconds, response_target_hours, interval_minutes, initial_backlog_items, max_occupancy
    )
    count = items.size
    due_index = np.arange(count) + offset - 1
    if clear_by_end:
        due_index = np.minimum(due_index, count - 1)
    due_work = np.bincount(due_index[due_index < count], weights=work[due_index < count], minlength=count)
    cumulative_due = np.cumsum(due_work)
    cumulative_arrived = np.cumsum(work)
    hours_per_agent = minutes / _MINUTES_PER_HOUR * occupancy_share

    agents = np.zeros(count)
    done = np.zeros(count)
    done_before = 0.0
    for interval in range(count):
        rate = _first_slope(done_before, cumulative_due[interval:], cumulative_arrived[interval:])
        agents[interval] = np.ceil(rate / hours_per_agent - 1e-9) if rate > _TOLERANCE_HOURS else 0.0
        available = cumulative_arrived[interval] - done_before
        done[interval] = min(agents[interval] * hours_per_agent, available)
        done_before += done[interval]
    return _bookkeeping(arrived, items, work, agents, done, minutes, response_target_hours, offset)


def evaluate_deferred(
    arrivals: ArrayLike,
    agents: ArrayLike,
    aht_seconds: ArrayLike,
    response_target_hours: float,
    interval_minutes: float,
    *,
    initial_backlog_items: float = 0.0,
    max_occupancy: float = 1.0,
) -> DeferredResult:
    """Backlog curve and deadline misses of a deferred-work queue under a given staffing.

    Parameters
    ----------
    arrivals : array_like
        Items arriving in each interval (1-D, >= 0).
    agents : array_like
        Agents working the queue in each interval (whole numbers >= 0, same length).
    aht_seconds, response_target_hours, interval_minutes, initial_backlog_items, max_occupancy
        As in :func:`deferred_requirements`.

    Returns
    -------
    DeferredResult
        ``target_met`` and ``first_missed_interval`` say whether and when the target is missed;
        items due after the last interval are never counted as overdue.
    """
    arrived, items, work, minutes, offset, occupancy_share = _prepare(
        arrivals, aht_seconds, response_target_hours, interval_minutes, initial_backlog_items, max_occupancy
    )
    staff = as_agents_array(agents, "agents")
    if staff.ndim != 1 or staff.size != items.size:
        raise StaffingInputError(
            f"agents must have one value per interval ({items.size}), got shape {staff.shape}"
        )
    capacity = staff * minutes / _MINUTES_PER_HOUR * occupancy_share
    done = np.zeros(items.size)
    cumulative_arrived = np.cumsum(work)
    done_before = 0.0
    for interval in range(items.size):
        done[interval] = min(capacity[interval], cumulative_arrived[interval] - done_before)
        done_before += done[interval]
    return _bookkeeping(arrived, items, work, staff, done, minutes, response_target_hours, offset)


# --- internals ---------------------------------------------------------------------------


def _first_slope(done_before: float, lower: np.ndarray, upper: np.ndarray) -> float:
    """Slope (hours per interval) of the first segment of the taut string from ``done_before``.

    ``lower[i]`` / ``upper[i]`` bound the cumulative work done by the end of the ``i``-th
    interval from now (work due / work arrived). The funnel algorithm: the string keeps one
    slope while some slope satisfies every bound seen so far; when a lower bound needs more
    than an earlier upper bound allows, the string first runs along that upper bound (slope
    ``min_hi``), and when an upper bound allows less than an earlier lower bound needs, it
    runs along that lower bound (slope ``max_lo``). At the end, the lowest feasible slope.
    """
    steps = np.arange(1, lower.size + 1)
    low = (lower - done_before) / steps
    high = (upper - done_before) / steps
    max_low = np.maximum.accumulate(low)
    min_high = np.minimum.accumulate(high)
    # First i >= 1 whose lower bound exceeds an earlier upper bound, or vice versa.
    up_blocked = np.flatnonzero(low[1:] > min_high[:-1] + 1e-12)
    down_blocked = np.flatnonzero(high[1:] < max_low[:-1] - 1e-12)
    first_up = up_blocked[0] if up_blocked.size else lower.size
    first_down = down_blocked[0] if down_blocked.size else lower.size
    if first_up < first_down:
        slope = min_high[first_up]
    elif first_down < first_up:
        slope = max_low[first_down]
    else:
        slope = max_low[-1]
    return max(float(slope), 0.0)


def _prepare(arrivals, aht_seconds, response_target_hours, interval_minutes, initial_backlog_items, max_occupancy):
    items = as_float_array(arrivals, "arrivals", minimum=0.0)
    if items.ndim != 1:
        raise StaffingInputError(f"arrivals must be a 1-D sequence (one value per interval), got shape {items.shape}")
    aht = as_float_array(aht_seconds, "aht_seconds", minimum=0.0, allow_equal_minimum=False)
    if aht.ndim > 1 or (aht.ndim == 1 and aht.size not in (1, items.size)):
        raise StaffingInputError(f"aht_seconds must be one value or one per interval ({items.size}), got shape {aht.shape}")
    aht = np.broadcast_to(aht.reshape(-1) if aht.ndim else aht, items.shape).astype(float)
    backlog = float(as_float_array(initial_backlog_items, "initial_backlog_items", minimum=0.0))
    share = float(as_float_array(max_occupancy, "max_occupancy", minimum=0.0, allow_equal_minimum=False, maximum=1.0))
    offset = deadline_offset_intervals(response_target_hours, interval_minutes)
    cohorts = items.copy()
    cohorts[0] += backlog
    work = cohorts * aht / _SECONDS_PER_HOUR
    return items, cohorts, work, float(interval_minutes), offset, share


def _bookkeeping(arrived, items, work, agents, done, minutes, response_target_hours, offset) -> DeferredResult:
    count = items.size
    cumulative_items = np.concatenate(([0.0], np.cumsum(items)))
    cumulative_work = np.concatenate(([0.0], np.cumsum(work)))
    cumulative_done = np.cumsum(done)
    # FIFO: the cumulative items completed follow the cumulative work, linearly within a cohort.
    items_done = np.interp(cumulative_done, cumulative_work, cumulative_items)
    arrived_items = cumulative_items[1:]
    backlog_items = np.maximum(arrived_items - items_done, 0.0)
    backlog_hours = np.maximum(cumulative_work[1:] - cumulative_done, 0.0)
    backlog_items[backlog_hours <= _TOLERANCE_HOURS] = 0.0
    backlog_hours[backlog_hours <= _TOLERANCE_HOURS] = 0.0
    # Items due by the end of interval k: those of cohorts i <= k - offset + 1.
    due_cohorts = np.arange(count) - offset + 1
    items_due = np.where(due_cohorts >= 0, cumulative_items[np.clip(due_cohorts + 1, 0, count)], 0.0)
    work_due = np.where(due_cohorts >= 0, cumulative_work[np.clip(due_cohorts + 1, 0, count)], 0.0)
    late = (work_due - cumulative_done) > _TOLERANCE_HOURS
    overdue = np.where(late, np.maximum(items_due - items_done, 0.0), 0.0)
    return DeferredResult(
        agents=np.asarray(agents).astype(int),
        arrivals=arrived,
        work_done_hours=done,
        work_done_items=np.diff(np.concatenate(([0.0], items_done))),
        backlog_items=backlog_items,
        backlog_workload_hours=backlog_hours,
        overdue_items=overdue,
        interval_minutes=minutes,
        response_target_hours=float(response_target_hours),
        deadline_offset_intervals=offset,
    )
