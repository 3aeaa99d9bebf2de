"""Simulation-checked staffing: analytic requirement -> shifts -> simulation -> decide -> adjust, repeated.

:func:`plan_staffing` closes the loop for one scenario (under one setup):

1. **Analytic requirement.** :func:`scenarios.bridge.requirements.scenario_requirements` gives each
   channel's agents per interval (``required_agents``: Erlang A for voice with patience, else
   Erlang C, both honouring the channel's ``max_occupancy``; the concurrency model for chat).
2. **Per staff group.** The plan staffs the scenario's agent *groups*. A channel's requirement
   goes to its *primary* groups, the groups that list it first in ``channels`` (their main
   skill); a channel nobody lists first goes to every group serving it. Several such groups
   share it in proportion to their headcount in the file (mean ``agents``; equal shares if all
   are 0). A group's target headcount per interval is
   ``ceil(sum over channels of share x required_agents / (1 - shrinkage))``: the simulator
   removes the group's shrinkage itself, so the plan passes *scheduled* headcount. A group whose
   primary channels are all email (deferred work) gets no per-interval target: its arriving
   work (traffic in Erlangs / ``max_occupancy`` / (1 - shrinkage), agents) must be done within
   the response target, and by the horizon's end at the latest.
3. **Shifts.** All groups are scheduled together, at minimum cost, by one integer program
   (:func:`staffing.scheduling.schedule_groups`, HiGHS) under the planner's :class:`RosterRules`:
   shift lengths, breaks (count, length, window), start-time step, a part-time share cap per
   group (default at most 30 % of a group's shifts part-time) and the seats. The seats (the
   in-house setup's ``seats``, or ``RosterRules.seats``) bound the agents of *all* groups at their
   desks together in each interval: a deferred (email) group works where seats are free, never
   taking a seat at the voice peak that the voice team needs. The staffed curve (agents on shift
   and not on a break) becomes the group's ``agents`` in a copy of the scenario (a virtual
   setup's own ``schedules`` are dropped so the plan's schedule is what runs).
   The *first* schedule aims higher than the analytic requirement: per interval, the fewest extra
   agents (at most ``max_step_agents``) with which the analytic service level clears the goal by
   :data:`START_MARGIN_POINTS` (5 points). The goal rule calls an interval met only when its
   simulated level is above the goal by its half-width (often 4-8 points per interval at 30
   replications), so a schedule right at the goal leaves most intervals undecided; starting above
   it and trimming (step 6) takes fewer simulated iterations (example day: 2 instead of 5).
4. **Simulation, sequential.** The copy is simulated under the setup with the *same seed in every
   iteration* (common random numbers: a change between iterations is due to staffing, not to
   different customers), ``replications`` at first, then in further batches of the same
   replication streams (replication ``k`` is always the same customers) while some interval
   is still undecided (step 5), its projected need ``r x (half-width / |mean - goal|)^2`` is
   within ``max_replications`` and its mean is more than the precision ``H`` (``precision``,
   default 1 point) from the goal: replications are spent only where more of them can settle a
   decision. They stop at once when an interval is decided *missed* (outside the seat cap): that
   schedule cannot meet every goal, and undecided intervals that could still be decided are
   then left as they are (neither added to nor trimmed). A schedule simulated before (the same
   staffed headcounts) is not simulated again: with the same seed its replications would be the
   same, so they are kept and only extended.
5. **Decide**, per interval and channel with a service-level goal, with :func:`goal_decision`
   (:data:`GOAL_RULE`): *met* when the 95 % confidence interval of the simulated service level
   lies above the goal, *missed* when it lies below, else *undecided* (counted as not met).
6. **Adjust.** Where a goal is missed or undecided, the channel's primary group gets ``k`` more
   agents than it had, ``k`` the smallest number (1 to ``max_step_agents``) for which the lower
   confidence bound plus the analytic gain ``SL_a(n + k) - SL_a(n)`` clears the goal (the analytic
   model supplies the slope, the simulation the level). Only in an iteration where every goal is
   met (apart from intervals where the seats bind) do agents come off, where every channel of a group meets
   its goal with slack (mean - 2 x half-width above the goal) and the predicted lower bound at
   ``k`` agents fewer, ``mean - half-width - (SL_a(n) - SL_a(n - k))``, still clears it, the
   target drops by ``k`` (1 to ``max_step_agents``). A target never drops back to a level that
   once was not met (no oscillation). An interval where a goal is not met while the seats bind
   gets no extra agents and is *locked*: no agent is added or removed there in later iterations
   (counted as ``blocked``), so the loop does not oscillate at the seat cap.
7. **Stop** when every goal is met and nothing can be removed (``converged``), when the next
   schedule's shift cost is no lower than the cheapest iteration meeting every goal (it cannot be
   cheaper: not simulated; ``converged``), when an iteration changes nothing, or after
   ``max_iterations`` simulations. The plan returned is
   the cheapest iteration meeting every goal (the later one on a tie), else the last one.

Email channels have no service-level goal in the simulation; the report shows their simulated
service level within the response target.

References: Gans, Koole & Mandelbaum (2003), "Telephone call centers: tutorial, review, and
research prospects", *MSOM* 5(2), section 4.4 (simulation-based staffing corrections);
Atlason, Epelman & Henderson (2004), "Call center staffing with simulation and cutting plane
methods", *Annals of OR* 127 (the simulate-then-adjust loop with common random numbers);
Law (2015), *Simulation Modeling and Analysis*, 5th ed., section 9.4.1 (sequential procedure for
a confidence interval of given half-width).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from scenarios.bridge.compile import CompiledScenario, compile_scenario
from scenarios.bridge.effects import resolve_setup, setup_effects
from scenarios.bridge.requirements import (
    agent_workload,
    channel_order,
    scenario_requirements,
)
from scenarios.document import clock
from scenarios.document.scenario import Scenario
from scenarios.document.setups import VirtualSetup
from scenarios.errors import ScenarioError
from scenarios.report.stats import interval_mean_ci, mean_ci
from scenarios.studies.run import resolve_seed, run_compiled
from staffing import (
    ScheduleResult,
    ShiftTemplate,
    chat_metrics,
    erlang_a,
    schedule_groups,
    service_level,
)

__all__ = [
    "GOAL_RULE",
    "DECISIONS",
    "PLAN_COLUMNS",
    "GROUP_COLUMNS",
    "ITERATION_COLUMNS",
    "WHY_LABELS",
    "DEFAULT_MAX_PART_TIME_SHARE",
    "DEFAULT_PLAN_PRECISION_POINTS",
    "DEFAULT_PLAN_MIP_GAP",
    "START_MARGIN_POINTS",
    "PlanResult",
    "RosterRules",
    "default_plan_templates",
    "goal_decision",
    "plan_staffing",
]

GOAL_RULE = ("an interval meets its service-level goal only when the 95% confidence interval of its simulated "
             "service level (mean ± Student t half-width over the replications) lies above the goal "
             "(mean - half-width > goal); it misses when the interval lies below (mean + half-width < goal); "
             "otherwise it is undecided and counts as not met. Replications are added in batches (same streams) "
             "while an undecided interval could still be decided within the maximum and its mean is more than the "
             "precision H from the goal; they stop at the first interval decided missed")
"""The plan's goal rule in words (echoed in reports); :func:`goal_decision` applies it."""

DECISIONS = ("met", "missed", "undecided")
"""The decisions of :func:`goal_decision`."""

DEFAULT_PLAN_PRECISION_POINTS = 1.0
"""Default precision ``H`` of :func:`plan_staffing`, percentage points of service level: an undecided
interval within ``H`` of its goal (or with a half-width at most ``H``) gets no more replications."""

DEFAULT_PLAN_MIP_GAP = 0.005
"""Default relative MIP gap of the plan's shift schedules (0.5 %): HiGHS stops once the schedule's
cost is proven within this share of the minimum (on insurer_virtual the default 1e-4 of
:func:`staffing.schedule_groups` took 10x longer for the same cost)."""

START_MARGIN_POINTS = 5.0
"""The first schedule aims the analytic service level this many points above the goal."""

DEFAULT_MAX_PART_TIME_SHARE = 0.3
"""Default cap on the share of a group's shifts that are part-time (at most 30 %)."""

#: Columns of :attr:`PlanResult.intervals` (one row per interval x channel).
PLAN_COLUMNS = (
    "interval", "start", "channel", "kind", "groups", "goal", "erlang_c", "erlang_a", "analytic_agents",
    "first_schedule_agents", "simulated_requirement_agents", "final_schedule_agents",
    "service_level", "service_level_ci95", "abandon_rate", "abandon_rate_ci95", "replications", "decision", "met",
    "why",
)
#: Columns of :attr:`PlanResult.groups` (one row per interval x group; headcounts before shrinkage).
GROUP_COLUMNS = ("interval", "start", "group", "analytic_headcount", "first_staffed", "final_target",
                 "final_staffed", "seat_shortfall", "schedule_shortfall")
#: Columns of :attr:`PlanResult.iterations` (one row per simulated iteration).
ITERATION_COLUMNS = ("iteration", "replications", "simulated_replications", "replications_stop", "schedule_gap",
                     "schedule_seconds", "cost", "paid_hours", "burst_cost", "missed_intervals",
                     "undecided_intervals", "agents_added", "agents_removed", "blocked_intervals", "goal_met")

#: The "why" labels of :attr:`PlanResult.intervals`, with what each means.
WHY_LABELS = {
    "abandonment": "Erlang A below Erlang C: callers who abandon relieve the queue",
    "concurrency": "chat agents hold several chats at once",
    "multiskill pooling": "a shared group (or several groups) lets fewer agents than the analytic sum suffice",
    "shift granularity": "more agents staffed than the simulated requirement: shifts cannot follow the curve",
    "email backlog": "deferred work: email may wait within its response target, so the requirement follows the backlog",
    "simulation above analytic": "the simulation needs more than the analytic model (non-exponential times, retrials, routing...)",
    "simulation below analytic": "the simulation needs fewer than the analytic model",
    "seat cap": "the seats bind: every seat is taken in this interval (or agents were clipped to them)",
}

_EPS = 1e-9
_SCREENED = ("missed",)
_FULL_DAY_HOURS = 24.0


# --------------------------------------------------------------------------- the goal rule
def goal_decision(mean: float, half_width: float, goal: float) -> str | None:
    """The plan's goal rule for one interval (:data:`GOAL_RULE`).

    An interval *meets* its service-level goal only when the 95 % confidence interval of the
    simulated service level lies above it, ``mean - half_width > goal``; it *misses* when the
    interval lies below, ``mean + half_width < goal``; otherwise (including a half-width that
    is undefined, e.g. one replication) it is *undecided*, which counts as not met.

    Parameters
    ----------
    mean : float
        Mean simulated service level over replications (share, 0-1); NaN when no contact.
    half_width : float
        95 % Student t half-width of that mean (:func:`scenarios.report.stats.mean_ci`).
    goal : float
        The channel's service-level goal (share, 0-1).

    Returns
    -------
    str or None
        ``"met"``, ``"missed"`` or ``"undecided"``; None when ``mean`` is NaN (nothing to decide).
    """
    if math.isnan(mean):
        return None
    if math.isnan(half_width):
        return "undecided"
    if mean - half_width > goal + _EPS:
        return "met"
    if mean + half_width < goal - _EPS:
        return "missed"
    return "undecided"


# --------------------------------------------------------------------------- roster rules
def _number_error(name: str, flag: str, allowed: str, value: object) -> ScenarioError:
    return ScenarioError(f"plan: {name} ({flag}) must be {allowed}, got {value!r}")


def _finite_in(value: object, name: str, flag: str, low: float, high: float, *, low_open: bool = False) -> float:
    allowed = f"a finite number in {'(' if low_open else '['}{low:g}, {high:g}]"
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise _number_error(name, flag, allowed, value)
    number = float(value)
    if not math.isfinite(number) or number > high or number < low or (low_open and number <= low):
        raise _number_error(name, flag, allowed, value)
    return number


def _whole_in(value: object, name: str, flag: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= value <= high:
        raise _number_error(name, flag, f"a whole number in [{low}, {high}]", value)
    return int(value)


@dataclass(frozen=True)
class RosterRules:
    """The roster rules a planner sets for :func:`plan_staffing` (validated on creation).

    Attributes
    ----------
    shift_hours : tuple of float
        Full-time shift spans allowed, hours, each in (0, 24], breaks included (default 8).
        CLI ``--shift-hours`` (repeatable).
    part_time_hours : tuple of float
        Part-time shift spans allowed, hours, each in (0, 24] (default 4; empty: none). Every
        shift of these lengths counts as part-time. CLI ``--part-time-hours`` (0 = none).
    max_part_time_share : float or None
        Largest share of a group's shifts that are part-time, in [0, 1] (default 0.3:
        :data:`DEFAULT_MAX_PART_TIME_SHARE`; None: no cap). Not applied to a horizon where no
        full-time shift fits. CLI ``--max-part-time-share``.
    break_count : int
        Breaks per shift of at least ``break_from_hours``, 0 to 4 (default 1). CLI ``--breaks``.
    break_minutes : int
        Length of each break, minutes, 0 to 240 (default 30; unpaid), rounded up to the
        interval grid. CLI ``--break-minutes``.
    break_window_hours : tuple of float
        ``(earliest, latest)`` start of the breaks, hours after the shift start (default 3 to 5);
        with several breaks the window is split into equal consecutive parts, one per break, and
        clipped so the last break ends an hour before the shift does. CLI ``--break-window``.
    break_from_hours : float
        Shifts shorter than this have no break (default 6, in (0, 24]).
    start_step_minutes : int
        Minutes between shift start times, 1 to 1440 (default 30), rounded up to the grid.
        CLI ``--start-step-minutes``.
    seats : int or None
        Most agents of all groups at their desks at once (>= 0). Default: the in-house setup's
        ``seats`` (none for other setups). CLI ``--seats``.
    """

    shift_hours: tuple[float, ...] = (8.0,)
    part_time_hours: tuple[float, ...] = (4.0,)
    max_part_time_share: float | None = DEFAULT_MAX_PART_TIME_SHARE
    break_count: int = 1
    break_minutes: int = 30
    break_window_hours: tuple[float, float] = (3.0, 5.0)
    break_from_hours: float = 6.0
    start_step_minutes: int = 30
    seats: int | None = None

    def __post_init__(self) -> None:
        for name, flag in (("shift_hours", "--shift-hours"), ("part_time_hours", "--part-time-hours")):
            values = getattr(self, name)
            values = (values,) if isinstance(values, int | float) else tuple(values)
            object.__setattr__(self, name, tuple(_finite_in(v, name, flag, 0.0, _FULL_DAY_HOURS, low_open=True)
                                                 for v in values))
        if not self.shift_hours and not self.part_time_hours:
            raise ScenarioError("plan: shift_hours (--shift-hours) and part_time_hours (--part-time-hours) "
                                "must allow at least one shift length")
        if self.max_part_time_share is not None:
            object.__setattr__(self, "max_part_time_share", _finite_in(
                self.max_part_time_share, "max_part_time_share", "--max-part-time-share", 0.0, 1.0))
        _whole_in(self.break_count, "break_count", "--breaks", 0, 4)
        _whole_in(self.break_minutes, "break_minutes", "--break-minutes", 0, 240)
        window = tuple(self.break_window_hours)
        if len(window) != 2:
            raise _number_error("break_window_hours", "--break-window", "two hours (earliest, latest)", window)
        earliest = _finite_in(window[0], "break_window_hours", "--break-window", 0.0, _FULL_DAY_HOURS, low_open=True)
        latest = _finite_in(window[1], "break_window_hours", "--break-window", earliest, _FULL_DAY_HOURS)
        object.__setattr__(self, "break_window_hours", (earliest, latest))
        _finite_in(self.break_from_hours, "break_from_hours", "--break-from-hours", 0.0, _FULL_DAY_HOURS, low_open=True)
        _whole_in(self.start_step_minutes, "start_step_minutes", "--start-step-minutes", 1, 1440)
        if self.seats is not None:
            _whole_in(self.seats, "seats", "--seats", 0, 10**9)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The rule names (the keyword arguments :func:`plan_staffing` accepts for them)."""
        return tuple(f.name for f in fields(cls))


def _break_windows(rules: RosterRules, length_minutes: int, grid: int) -> list[tuple[int, int, int]]:
    """Each break's ``(minutes, earliest, latest)`` on the grid for a shift of ``length_minutes``."""
    if rules.break_count == 0 or rules.break_minutes == 0 or length_minutes < rules.break_from_hours * 60 - _EPS:
        return []
    brk = grid * math.ceil(rules.break_minutes / grid)
    earliest = grid * math.ceil(rules.break_window_hours[0] * 60 / grid)
    latest_start = min(grid * math.floor(rules.break_window_hours[1] * 60 / grid), length_minutes - brk - 60)
    # Consecutive equal parts of [earliest, latest_start + brk], one break in each.
    part = (latest_start + brk - earliest) / rules.break_count
    windows = []
    for k in range(rules.break_count):
        low = grid * math.ceil((earliest + k * part) / grid)
        high = grid * math.floor((earliest + (k + 1) * part - brk) / grid)
        if high < low:
            raise ScenarioError(
                f"plan: break_window_hours (--break-window) {rules.break_window_hours[0]:g}-{rules.break_window_hours[1]:g} h "
                f"has no room for {rules.break_count} break(s) of {brk} minutes in a {length_minutes / 60:g}-hour shift")
        windows.append((brk, low, high))
    return windows


def default_plan_templates(
    scenario: Scenario,
    rules: RosterRules | None = None,
    *,
    cost_per_paid_hour: float | None = None,
) -> list[ShiftTemplate]:
    """The plan's shift templates for ``scenario``'s horizon under ``rules``.

    Parameters
    ----------
    scenario : Scenario
        Gives the interval grid, the horizon and ``costs.agent_hourly_cost``.
    rules : RosterRules, optional
        Shift lengths, breaks and start step (default :class:`RosterRules`: 8-hour shifts with
        one unpaid 30-minute break starting 3 to 5 hours in, 4-hour part-time shifts, a start
        every 30 minutes). Starts run from the horizon's first interval to the last at which the
        shortest shift still fits.
    cost_per_paid_hour : float, optional
        Default: the scenario's ``costs.agent_hourly_cost``.

    Raises
    ------
    ScenarioError
        If the interval grid does not divide a day, no shift fits in the horizon, a length is
        not a whole number of intervals or the breaks do not fit.
    """
    rules = rules or RosterRules()
    minutes = float(scenario.interval_minutes)
    if 1440 % minutes or scenario.start_time % minutes:
        raise ScenarioError(f"plan: shifts need interval_minutes dividing the day and start_time on the grid "
                            f"(interval {minutes:g} min, start minute {scenario.start_time})")
    grid = int(minutes)
    step = grid * math.ceil(rules.start_step_minutes / grid)
    lengths = [(float(h), False) for h in rules.shift_hours] + [(float(h), True) for h in rules.part_time_hours]
    lengths = [(h, part) for h, part in lengths if h * 60 <= scenario.horizon_minutes + _EPS]
    if not lengths:
        raise ScenarioError(f"plan: no shift fits in the {scenario.horizon_minutes / 60:g}-hour horizon; "
                            "use shorter --shift-hours/--part-time-hours")
    for hours, _ in lengths:
        if abs(hours * 60 / grid - round(hours * 60 / grid)) > _EPS:
            raise ScenarioError(f"plan: a {hours:g}-hour shift is not a whole number of {grid}-minute intervals")
    shortest = min(hours for hours, _ in lengths) * 60
    last = scenario.start_time + scenario.horizon_minutes - shortest
    starts = sorted({int(m % 1440) for m in np.arange(scenario.start_time, last + _EPS, step)})
    cost = scenario.costs.agent_hourly_cost if cost_per_paid_hour is None else float(cost_per_paid_hour)
    templates = []
    for hours, part_time in lengths:
        length = int(round(hours * 60))
        windows = _break_windows(rules, length, grid)
        for start in starts:
            templates.append(ShiftTemplate(
                name=f"{clock.format_clock(start)}-{hours:g}h", start_minute=start, length_minutes=length,
                break_minutes=windows[0][0] if windows else 0,
                break_window_minutes=(windows[0][1], windows[0][2]) if windows else None,
                extra_breaks=tuple(windows[1:]), cost_per_paid_hour=cost, part_time=part_time,
            ))
    return templates


# --------------------------------------------------------------------------- the result
@dataclass(frozen=True, eq=False)
class PlanResult:
    """The outcome of :func:`plan_staffing`.

    Attributes
    ----------
    scenario : Scenario
        The input scenario.
    planned : Scenario
        The scenario with every group's ``agents`` replaced by the chosen schedule's staffed
        headcount per interval.
    setup_kind : str
        ``in-house``, ``virtual``, ``cloud`` or ``as-given``.
    intervals : pandas.DataFrame
        One row per interval x channel (:data:`PLAN_COLUMNS`). Agent columns are agents
        *available* (after shrinkage), comparable with Erlang C/A. Service level and abandon
        rate are means over the chosen iteration's ``replications`` with 95 % half-widths;
        ``decision`` is :func:`goal_decision`'s (``met``/``missed``/``undecided``; empty without
        a goal) and ``met`` is True only for ``met``.
    groups : pandas.DataFrame
        One row per interval x group (:data:`GROUP_COLUMNS`), headcounts before shrinkage.
    iterations : pandas.DataFrame
        One row per simulated iteration (:data:`ITERATION_COLUMNS`); ``cost`` in the scenario's
        currency: shift cost plus ``burst_cost`` (mean simulated cloud burst cost).
    schedules : dict of str to ScheduleResult
        The chosen iteration's shift schedule per group.
    horizon : pandas.DataFrame
        The chosen iteration's horizon service level, abandon rate and ASA per channel (mean,
        ci95), with the goal rule's decision on the service-level goal and, where the channel
        states them, on ``asa_goal_seconds`` and ``max_abandon_rate`` (``asa_decision``,
        ``abandon_decision``: met when the interval lies below the goal). These two goals are
        honoured by the analytic start (the requirement meets every goal) and checked here over
        the horizon; the per-interval corrections follow the service level.
    chosen_iteration : int
    converged : bool
        Every goal met and no agent removable in the last iteration, or the next schedule's shifts
        no cheaper than the cheapest iteration meeting every goal.
    goal_met : bool
        Every interval with a goal decided ``met`` in the chosen iteration.
    replications : int
        Replications of the chosen iteration (the first batch is ``min_replications``).
    min_replications, max_replications : int
        The sequential design: first batch and most replications per iteration.
    precision : float
        The precision ``H``, percentage points (see :func:`plan_staffing`).
    mip_rel_gap : float
        The shift schedules' stated MIP gap (cost within this share of the minimum).
    seed : int
        The same in every iteration.
    max_iterations : int
    currency : str
    rules : RosterRules
    seats : int or None
        Seats shared by all groups in the scheduler (None: no cap).
    notes : tuple of str
    """

    scenario: Scenario
    planned: Scenario
    setup_kind: str
    intervals: pd.DataFrame
    groups: pd.DataFrame
    iterations: pd.DataFrame
    schedules: dict
    horizon: pd.DataFrame
    chosen_iteration: int
    converged: bool
    goal_met: bool
    replications: int
    min_replications: int
    max_replications: int
    seed: int
    max_iterations: int
    currency: str
    rules: RosterRules = field(default_factory=RosterRules)
    seats: int | None = None
    precision: float = DEFAULT_PLAN_PRECISION_POINTS
    mip_rel_gap: float = DEFAULT_PLAN_MIP_GAP
    notes: tuple[str, ...] = ()

    @property
    def rule(self) -> str:
        """The goal rule in words (:data:`GOAL_RULE`)."""
        return GOAL_RULE

    @property
    def cost(self) -> float:
        """Cost of the chosen iteration: its shifts plus the mean burst cost (currency units)."""
        return float(self._chosen_row()["cost"])

    @property
    def paid_hours(self) -> float:
        """Paid hours of the chosen schedule."""
        return float(self._chosen_row()["paid_hours"])

    @property
    def total_replications(self) -> int:
        """Replications simulated over all iterations (a schedule simulated before is extended, never re-run)."""
        return int(self.iterations["simulated_replications"].sum())

    def _chosen_row(self) -> pd.Series:
        return self.iterations.loc[self.iterations["iteration"] == self.chosen_iteration].iloc[0]

    def to_frame(self) -> pd.DataFrame:
        """A copy of the per interval x channel table."""
        return self.intervals.copy()

    def to_json_dict(self) -> dict:
        """Plain-JSON summary: design, rules, outcome, iterations, per-interval rows, groups and shifts."""
        def records(frame: pd.DataFrame) -> list[dict]:
            return [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]

        return {
            "scenario": self.scenario.name,
            "setup": self.setup_kind,
            "replications": self.replications,
            "min_replications": self.min_replications,
            "max_replications": self.max_replications,
            "precision_points": self.precision,
            "mip_rel_gap": self.mip_rel_gap,
            "total_replications": self.total_replications,
            "seed": self.seed,
            "max_iterations": self.max_iterations,
            "rule": GOAL_RULE,
            "roster_rules": {name: _json_value(getattr(self.rules, name)) for name in RosterRules.names()},
            "seats": self.seats,
            "converged": self.converged,
            "goal_met": self.goal_met,
            "chosen_iteration": self.chosen_iteration,
            "cost": self.cost,
            "paid_hours": self.paid_hours,
            "currency": self.currency,
            "iterations": records(self.iterations),
            "horizon": records(self.horizon),
            "intervals": records(self.intervals),
            "groups": records(self.groups),
            "schedules": {name: records(result.schedule) for name, result in self.schedules.items()},
            "notes": list(self.notes),
        }


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if value is pd.NA:
        return None
    return value


# --------------------------------------------------------------------------- loop state
@dataclass(frozen=True)
class _Options:
    """The loop's design (validated)."""

    min_replications: int
    max_replications: int
    seed: int
    max_iterations: int
    max_step_agents: int
    warmup_minutes: float | None
    time_limit_seconds: float
    workers: int
    precision: float = 0.0
    mip_rel_gap: float = DEFAULT_PLAN_MIP_GAP  # share (0-1): undecided intervals at or below this half-width are not chased


@dataclass
class _Context:
    """Everything fixed across iterations: the scenario's analytic picture, per channel and group."""

    scenario: Scenario
    setup: Any
    kind: str
    labels: list[str]
    channels: list[str]
    group_names: list[str]
    goals: dict[str, float]
    by_channel: dict[str, pd.DataFrame]
    shares: dict[str, dict[str, float]]
    shrink: dict[str, float]
    primary_of: dict[str, list[str]]
    channel_part: dict[tuple[str, str], np.ndarray]
    analytic_target: dict[str, np.ndarray]
    deferred: dict[str, int]  # email groups: work done within this many intervals
    rates: dict[str, np.ndarray]
    handles: dict[str, float]
    templates: list[ShiftTemplate]
    rules: RosterRules
    part_time_share: float | None
    seats: int | None

    @property
    def n(self) -> int:
        return self.scenario.intervals


@dataclass
class _Estimate:
    """One iteration's simulation: per-interval and horizon means with 95 % half-widths."""

    compiled: CompiledScenario
    replications: int
    sl_mean: dict[str, np.ndarray]
    sl_ci: dict[str, np.ndarray]
    ab_mean: dict[str, np.ndarray]
    ab_ci: dict[str, np.ndarray]
    decisions: dict[str, list[str | None]]
    horizon: pd.DataFrame
    burst_cost: float


@dataclass
class _Iteration:
    """One pass of the loop: targets, schedule, estimate, and what the adjustment did."""

    index: int
    targets: dict[str, np.ndarray]
    schedules: dict[str, ScheduleResult | None]
    staffed: dict[str, np.ndarray]
    seat_bound: np.ndarray
    estimate: _Estimate
    cost: float
    paid_hours: float
    simulated: int = 0
    stopped: str = ""
    met_outside_seats: bool = False  # every goal met apart from intervals where the seats bind
    added: int = 0
    removed: int = 0
    blocked: int = 0

    @property
    def seat_shortfall(self) -> np.ndarray:
        return np.asarray(self.estimate.compiled.seat_shortfall)

    def count(self, decision: str) -> int:
        return sum(d == decision for values in self.estimate.decisions.values() for d in values)

    @property
    def goal_met(self) -> bool:
        return self.count("missed") == 0 and self.count("undecided") == 0

    @property
    def screened(self) -> bool:
        """The replications stopped early because this schedule cannot meet every goal."""
        return self.stopped in _SCREENED

    def not_met(self, channel: str, t: int) -> bool:
        decision = self.estimate.decisions.get(channel)
        return decision is not None and decision[t] in ("missed", "undecided")


# --------------------------------------------------------------------------- helpers
def _resolve_setup(scenario: Scenario, setup: Any) -> Any:
    """The setup planned for; a virtual setup's own ``schedules`` are dropped (the plan makes the schedule)."""
    setup = resolve_setup(scenario, setup)
    if isinstance(setup, VirtualSetup) and setup.schedules:
        setup = setup.model_copy(update={"schedules": {}})
    return setup


def _shares(scenario: Scenario) -> dict[str, dict[str, float]]:
    """Channel -> {primary group: share of the channel's requirement} (see the module docstring)."""
    out = {}
    for name in scenario.channels:
        primary = [g for g in scenario.staff if g.channels[0] == name] or [g for g in scenario.staff if name in g.channels]
        weights = np.array([float(np.mean(g.agents)) for g in primary])
        if weights.sum() <= 0:
            weights = np.ones(len(primary))
        out[name] = {g.name: float(w / weights.sum()) for g, w in zip(primary, weights, strict=True)}
    return out


def _analytic_sl(channel: Any, kind: str, rate: float, handle: float, agents: np.ndarray) -> np.ndarray:
    """Analytic service level of one interval of ``channel`` (``rate`` per hour, ``handle`` seconds)
    for each number of available ``agents``: Erlang A with patience, Erlang C without, the chat
    concurrency-stretch model for chat (the models of :func:`scenario_requirements`)."""
    target = channel.target_seconds
    agents = np.clip(np.asarray(agents), 0, None).astype(int)
    if kind == "chat":
        return np.asarray(chat_metrics(rate, handle, channel.concurrency, agents, target,
                                       concurrency_stretch=channel.concurrency_stretch).service_level, dtype=float)
    if channel.mean_patience_seconds is not None:
        return np.asarray(erlang_a(rate, handle, channel.mean_patience_seconds, agents, target).service_level, dtype=float)
    return np.asarray(service_level(rate * handle / 3600.0, agents, handle, target), dtype=float)


def _check_options(replications: Any, max_replications: Any, max_iterations: Any, max_step_agents: Any,
                   seed: Any) -> None:
    for label, value, low in (("replications", replications, 2), ("max_iterations", max_iterations, 1),
                              ("max_step_agents", max_step_agents, 1)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
            raise ScenarioError(f"plan: {label} must be a whole number >= {low}, got {value!r}")
    if max_replications is not None and (isinstance(max_replications, bool) or not isinstance(max_replications, int | np.integer)
                                         or not replications <= max_replications <= 10_000):
        raise ScenarioError(f"plan: max_replications must be a whole number in [replications={replications}, 10000], "
                            f"got {max_replications!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0):
        raise ScenarioError(f"plan: seed must be a whole number >= 0 or None, got {seed!r}")


def _rules(rules: RosterRules | None, roster: dict[str, Any]) -> RosterRules:
    unknown = sorted(set(roster) - set(RosterRules.names()))
    if unknown:
        raise ScenarioError(f"plan: unknown option(s) {', '.join(unknown)}; roster rules are {', '.join(RosterRules.names())}")
    return replace(rules or RosterRules(), **roster)


# --------------------------------------------------------------------------- step 1-2: the analytic picture
def _prepare(scenario: Scenario, setup: Any, rules: RosterRules, templates: Sequence[ShiftTemplate] | None,
             notes: list[str]) -> _Context:
    """The fixed inputs of the loop: requirements, shares, group targets, templates, seats."""
    n = scenario.intervals
    analytic = scenario_requirements(scenario, setup)
    channels = channel_order(scenario)
    shares = _shares(scenario)
    effects = setup_effects(scenario, setup)
    shrink = {g.name: effects.shrinkage(g) for g in scenario.staff}
    group_names = [g.name for g in scenario.staff]
    kinds = {c: scenario.channel_kind(c) for c in channels}
    goals = {c: goal.goal for c in channels
             if (goal := scenario.channels[c].service_level) is not None and kinds[c] != "email"}
    by_channel = {c: analytic[analytic["channel"] == c].sort_values("interval") for c in channels}
    required = {c: by_channel[c]["required_agents"].to_numpy(dtype=float) for c in channels}
    rates, handles = {}, {}
    for c in channels:
        to_agents, handles[c] = agent_workload(scenario, c, setup)
        rates[c] = to_agents * 60.0 / scenario.interval_minutes
    primary_of = {g: [c for c in channels if g in shares[c]] for g in group_names}
    deferred = {}
    for g in group_names:
        if primary_of[g] and all(kinds[c] == "email" for c in primary_of[g]):
            deferred[g] = min(int(math.floor(scenario.channels[c].response_target_hours_or_default * 60
                                             / scenario.interval_minutes)) for c in primary_of[g])
            for c in primary_of[g]:  # the arriving work, agents (the deferred model decides when to do it)
                required[c] = (by_channel[c]["traffic_erlangs"].to_numpy(dtype=float)
                               / (scenario.channels[c].max_occupancy or 1.0))
    workload = {g: {c: shares[c][g] * required[c] for c in primary_of[g]} for g in group_names}
    analytic_target = {}
    for g in group_names:
        total = sum(workload[g].values(), np.zeros(n)) / (1.0 - shrink[g])
        analytic_target[g] = total if g in deferred else np.ceil(total - 1e-6).clip(0).astype(int)
    channel_part = {}
    for g in group_names:
        total = sum(workload[g].values(), np.zeros(n))
        for c in primary_of[g]:
            channel_part[(g, c)] = np.where(total > 0, workload[g][c] / np.where(total > 0, total, 1.0),
                                            1.0 / max(len(primary_of[g]), 1))
    templates = list(templates) if templates is not None else default_plan_templates(scenario, rules)
    part_time_share = rules.max_part_time_share
    if part_time_share is not None and all(t.part_time for t in templates):
        notes.append("every shift that fits the horizon is part-time: the part-time share cap does not apply")
        part_time_share = None
    seats = rules.seats if rules.seats is not None else effects.seats
    return _Context(scenario, setup, effects.kind, scenario.interval_labels(), channels, group_names, goals, by_channel,
                    shares, shrink, primary_of, channel_part, analytic_target, deferred, rates, handles, templates,
                    rules, part_time_share, seats)


def _start_targets(ctx: _Context, opts: _Options) -> dict[str, np.ndarray]:
    """The first iteration's targets: the analytic headcount plus, per interval, the fewest agents
    (at most ``max_step_agents``) with which the analytic service level of every primary channel
    clears its goal by ``START_MARGIN_POINTS`` (the goal rule needs the simulated level above the
    goal by its half-width, so a schedule right at the goal is rarely decided met)."""
    targets = {g: np.asarray(t).copy() for g, t in ctx.analytic_target.items()}
    margin = START_MARGIN_POINTS / 100.0
    if margin <= 0:
        return targets
    for g in ctx.group_names:
        checked = [c for c in ctx.primary_of[g] if c in ctx.goals]
        if g in ctx.deferred or not checked:
            continue
        shrink = ctx.shrink[g]
        for t in range(ctx.n):
            available = targets[g][t] * (1.0 - shrink)
            extra = 0
            for c in checked:
                agents_c = int(round(available * ctx.channel_part[(g, c)][t]))
                if ctx.rates[c][t] <= 0:
                    continue
                curve = _analytic_sl(ctx.scenario.channels[c], ctx.scenario.channel_kind(c), ctx.rates[c][t],
                                     ctx.handles[c], agents_c + np.arange(opts.max_step_agents + 1))
                goal = min(ctx.goals[c] + margin, 1.0 - _EPS)
                ok = np.flatnonzero(curve >= goal)
                k = int(ok[0]) if ok.size else opts.max_step_agents
                extra = max(extra, math.ceil(k / (1.0 - shrink) - 1e-6))
            targets[g][t] = targets[g][t] + extra
    return targets


# --------------------------------------------------------------------------- step 3: shifts
def _schedule(ctx: _Context, targets: dict[str, np.ndarray], time_limit_seconds: float,
              mip_rel_gap: float = DEFAULT_PLAN_MIP_GAP) -> tuple[dict[str, ScheduleResult | None], dict[str, np.ndarray], np.ndarray]:
    """One joint schedule of every group; the staffed headcount per group and where the seats bind."""
    n = ctx.n
    required = {g: targets[g].astype(float) for g in ctx.group_names if targets[g].sum() > 0}
    schedules: dict[str, ScheduleResult | None] = dict.fromkeys(ctx.group_names)
    staffed = {g: np.zeros(n, dtype=int) for g in ctx.group_names}
    if required:
        solved = schedule_groups(
            required, ctx.templates, interval_minutes=ctx.scenario.interval_minutes,
            horizon_start_minute=int(ctx.scenario.start_time % 1440), seat_cap=ctx.seats,
            max_part_time_share=ctx.part_time_share,
            deferred_within_intervals={g: w for g, w in ctx.deferred.items() if g in required},
            time_limit_seconds=time_limit_seconds, mip_rel_gap=mip_rel_gap,
        )
        for g, result in solved.items():
            schedules[g] = result
            staffed[g] = np.round(result.intervals["staffed_agents"].to_numpy(dtype=float)).astype(int)
    total = sum(staffed.values(), np.zeros(n, dtype=int))
    seat_bound = total >= ctx.seats if ctx.seats is not None else np.zeros(n, dtype=bool)
    return schedules, staffed, seat_bound


# --------------------------------------------------------------------------- steps 4-5: simulate and decide
def _summarise(ctx: _Context, compiled: CompiledScenario, intervals: pd.DataFrame, per_replication: pd.DataFrame,
               replications: int, burst_cost: float) -> _Estimate:
    """Means, half-widths (:mod:`scenarios.report.stats`) and decisions (:func:`goal_decision`)."""
    sl_mean, sl_ci, ab_mean, ab_ci, decisions = {}, {}, {}, {}, {}
    horizon_rows = []
    for c in ctx.channels:
        sl_mean[c], sl_ci[c] = interval_mean_ci(intervals, c, "service_level", ctx.n)
        ab_mean[c], ab_ci[c] = interval_mean_ci(intervals, c, "abandon_rate", ctx.n)
        rows = per_replication[per_replication["channel"] == c]
        h_sl, h_sl_ci = mean_ci(rows["service_level"].to_numpy(dtype=float))
        h_ab, h_ab_ci = mean_ci(rows["abandon_rate"].to_numpy(dtype=float))
        h_asa, h_asa_ci = mean_ci(rows["asa_seconds"].dropna().to_numpy(dtype=float))
        goal = ctx.goals.get(c, math.nan)
        spec = ctx.scenario.channels[c]
        asa_goal, abandon_goal = spec.asa_goal_seconds, spec.max_abandon_rate
        horizon_rows.append({"channel": c, "goal": goal, "service_level": h_sl, "service_level_ci95": h_sl_ci,
                             "abandon_rate": h_ab, "abandon_rate_ci95": h_ab_ci,
                             "decision": goal_decision(h_sl, h_sl_ci, goal) if c in ctx.goals else None,
                             "asa_seconds": h_asa, "asa_seconds_ci95": h_asa_ci,
                             # an upper bound is met when the interval lies below it: the rule on the negated values
                             "asa_goal_seconds": math.nan if asa_goal is None else asa_goal,
                             "asa_decision": None if asa_goal is None else goal_decision(-h_asa, h_asa_ci, -asa_goal),
                             "max_abandon_rate": math.nan if abandon_goal is None else abandon_goal,
                             "abandon_decision": None if abandon_goal is None else goal_decision(-h_ab, h_ab_ci, -abandon_goal)})
        if c in ctx.goals:
            decisions[c] = [goal_decision(float(m), float(h), goal) for m, h in zip(sl_mean[c], sl_ci[c], strict=True)]
    return _Estimate(compiled, replications, sl_mean, sl_ci, ab_mean, ab_ci, decisions, pd.DataFrame(horizon_rows),
                     burst_cost)


def _projected_need(estimate: _Estimate, goal: float, c: str, t: int, opts: _Options) -> int | None:
    """Replications projected to decide undecided interval ``t`` of ``c``, or None when it cannot be
    decided within ``max_replications`` or lies within the precision ``H`` of the goal.

    The half-width shrinks like ``1 / sqrt(r)``: an undecided interval with mean ``m`` and
    half-width ``h`` after ``r`` replications is projected to need ``r x (h / |m - goal|)^2``. An
    interval whose mean is within ``H`` (``opts.precision``) of the goal, or whose half-width is
    already at most ``H``, is not chased: it is too close to call at the plan's precision.
    """
    done = estimate.replications
    half = estimate.sl_ci[c][t]
    if math.isnan(half):
        return min(done + 1, opts.max_replications) if done < opts.max_replications else None
    gap = abs(estimate.sl_mean[c][t] - goal)
    if half <= opts.precision + _EPS or gap <= max(opts.precision, _EPS):
        return None
    need = math.ceil(done * (half / gap) ** 2) + 1
    return need if need <= opts.max_replications else None


def _replications_needed(ctx: _Context, estimate: _Estimate, opts: _Options,
                         fixed: np.ndarray | None = None) -> tuple[int, str]:
    """Total replications worth running for this schedule, and why the sequential design stops.

    Returns ``(wanted, reason)``; ``wanted <= estimate.replications`` means stop, with ``reason``:

    - ``"decided"``: every interval with a goal is decided;
    - ``"missed"``: some interval is decided *missed*: this schedule cannot meet every goal
      whatever more replications show, so it is corrected at once;
    - ``"projection"``: no undecided interval is projected to be decided within
      ``max_replications`` or each is within the precision ``H`` of the goal (:func:`_projected_need`);
    - ``"max"``: ``max_replications`` reached.

    Intervals where ``fixed`` is True (the seats bind: no agent can be added there) never stop
    the replications early: their miss is reported, and the other intervals are still decided.
    """
    done = estimate.replications
    fixed = np.zeros(ctx.n, dtype=bool) if fixed is None else fixed
    if any(d == "missed" and not fixed[t] for decisions in estimate.decisions.values() for t, d in enumerate(decisions)):
        return done, "missed"
    needs, undecided = [], 0
    for c, decisions in estimate.decisions.items():
        for t, decision in enumerate(decisions):
            if decision != "undecided":
                continue
            undecided += 1
            need = _projected_need(estimate, ctx.goals[c], c, t, opts)
            if need is not None:
                needs.append(need)
    if not undecided:
        return done, "decided"
    if done >= opts.max_replications or not needs:
        return done, "max" if done >= opts.max_replications else "projection"
    return min(max(needs), opts.max_replications), ""


@dataclass
class _Run:
    """The replications simulated so far for one staffed schedule (common random numbers: the
    same schedule and the same seed give the same replications, so they are kept and extended)."""

    compiled: CompiledScenario
    root: np.random.SeedSequence
    elastic: bool
    interval_frames: list[pd.DataFrame] = field(default_factory=list)
    replication_frames: list[pd.DataFrame] = field(default_factory=list)
    done: int = 0
    burst_total: float = 0.0
    estimate: _Estimate | None = None


def _schedule_key(ctx: _Context, staffed: dict[str, np.ndarray]) -> tuple:
    return tuple(tuple(int(x) for x in staffed[g]) for g in ctx.group_names)


def _simulate(ctx: _Context, opts: _Options, staffed: dict[str, np.ndarray], runs: dict[tuple, _Run],
              seat_bound: np.ndarray) -> tuple[_Estimate, int, str]:
    """Simulate the staffed schedule sequentially (same streams every iteration) and decide every interval.

    Returns the estimate, the replications simulated by this call (0 when a schedule simulated
    before already has them: ``runs`` keeps every schedule's replications) and why the
    replications stopped (:func:`_replications_needed`).
    """
    key = _schedule_key(ctx, staffed)
    run = runs.get(key)
    if run is None:
        candidate = ctx.scenario.model_copy(update={"staff": tuple(
            group.model_copy(update={"agents": tuple(int(x) for x in staffed[group.name])}) for group in ctx.scenario.staff)})
        compiled = compile_scenario(candidate, ctx.setup, warmup_minutes=opts.warmup_minutes)
        # SeedSequence(seed).spawn continues where the previous batch stopped: replication k is the
        # same customers in every batch design and every iteration (common random numbers).
        run = runs[key] = _Run(compiled, np.random.SeedSequence(opts.seed),
                               any(group.elastic is not None for group in compiled.model.groups))
    fresh = 0
    batch = opts.min_replications - run.done
    while True:
        if batch > 0:
            batch_run = run_compiled(run.compiled, batch, run.root, workers=opts.workers, control_variates=False)
            result = batch_run.result
            run.interval_frames.append(result.intervals.assign(replication=result.intervals["replication"] + run.done))
            run.replication_frames.append(
                result.per_replication.assign(replication=result.per_replication["replication"] + run.done))
            if run.elastic:
                run.burst_total += batch_run.costs.mean("burst") * batch
            run.done += batch
            fresh += batch
            run.estimate = _summarise(ctx, run.compiled, pd.concat(run.interval_frames, ignore_index=True),
                                      pd.concat(run.replication_frames, ignore_index=True), run.done,
                                      run.burst_total / run.done)
        assert run.estimate is not None
        fixed = np.asarray(seat_bound, dtype=bool) | (np.asarray(run.compiled.seat_shortfall) > 0)
        wanted, reason = _replications_needed(ctx, run.estimate, opts, fixed)
        if wanted <= run.done:
            return run.estimate, fresh, reason
        batch = wanted - run.done


# --------------------------------------------------------------------------- step 6: adjust
def _adjust_interval(ctx: _Context, opts: _Options, it: _Iteration, g: str, t: int) -> tuple[int, int]:
    """(agents to add, agents available that every channel of ``g`` can spare) in interval ``t``."""
    estimate, shrink = it.estimate, ctx.shrink[g]
    checked = [c for c in ctx.primary_of[g] if c in ctx.goals]
    need = 0
    removable = bool(checked) and len(checked) == len(ctx.primary_of[g])
    max_step = opts.max_step_agents
    removal = max_step
    available = it.staffed[g][t] * (1.0 - shrink)
    for c in checked:
        mean = estimate.sl_mean[c][t]
        if math.isnan(mean):
            continue
        half = 0.0 if math.isnan(estimate.sl_ci[c][t]) else float(estimate.sl_ci[c][t])
        agents_c = int(round(available * ctx.channel_part[(g, c)][t]))
        spec, kind, goal = ctx.scenario.channels[c], ctx.scenario.channel_kind(c), ctx.goals[c]
        if (it.screened and it.estimate.decisions[c][t] == "undecided"
                and _projected_need(estimate, goal, c, t, opts) is not None):
            removable = False  # could still be decided: the replications stopped at a miss elsewhere
        elif it.not_met(c, t):
            removable = False
            curve = _analytic_sl(spec, kind, ctx.rates[c][t], ctx.handles[c], agents_c + np.arange(max_step + 1))
            ok = np.flatnonzero(mean - half + (curve[1:] - curve[0]) > goal + _EPS)
            k = int(ok[0]) + 1 if ok.size else max_step
            need = max(need, math.ceil(k / (1.0 - shrink) - 1e-6))
        elif removable:
            if agents_c < 1 or not mean - 2.0 * half > goal + _EPS:
                removable = False
                continue
            fewer = np.clip(agents_c - np.arange(max_step + 1), 0, None)
            curve = _analytic_sl(spec, kind, ctx.rates[c][t], ctx.handles[c], fewer)
            spare = np.flatnonzero(mean - half - (curve[0] - curve) > goal + _EPS)
            removal = min(removal, int(spare.max()) if spare.size else 0, agents_c)
            if removal < 1:
                removable = False
    return need, (removal if removable else 0)


def _adjust(ctx: _Context, opts: _Options, it: _Iteration, targets: dict[str, np.ndarray],
            floors: dict[str, np.ndarray], locked: np.ndarray) -> dict[str, np.ndarray]:
    """The next targets (see the module docstring, step 6); counts added/removed/blocked on ``it``.

    ``locked`` (updated in place) marks the intervals where a goal was not met while the seats
    bound: from then on no agent is added or removed there (no oscillation at the seat cap); they
    are counted as blocked by the seats.
    """
    new_targets = {g: t.copy() for g, t in targets.items()}
    # Agents come off only when every goal is met, apart from intervals locked at the seat cap:
    # adding here and removing there in one step makes the loop oscillate.
    trim = it.met_outside_seats = all(
        not it.not_met(c, t) or locked[t] or it.seat_bound[t] or it.seat_shortfall[t] > 0
        for c in it.estimate.decisions for t in range(ctx.n))
    for g in ctx.group_names:
        if g in ctx.deferred:
            continue
        shrink = ctx.shrink[g]
        for t in range(ctx.n):
            need, removal = _adjust_interval(ctx, opts, it, g, t)
            if not trim:
                removal = 0
            if locked[t]:
                it.blocked += int(need > 0)
                continue
            if need:
                if it.seat_shortfall[t] > 0 or it.seat_bound[t]:
                    it.blocked += 1
                    locked[t] = True
                    continue
                new_value = it.staffed[g][t] + need
                it.added += int(max(new_value - targets[g][t], 0))
                new_targets[g][t] = max(new_value, targets[g][t])
                floors[g][t] = max(floors[g][t], it.staffed[g][t] + 1)  # never back to a level not met
            elif removal and it.staffed[g][t] > floors[g][t]:
                headcount = max(int(math.floor(removal / (1.0 - shrink) + 1e-6)), 1)
                new_value = max(int(it.staffed[g][t]) - headcount, int(floors[g][t]))
                if new_value < targets[g][t]:  # else shifts, not the target, keep the agent
                    it.removed += int(targets[g][t] - new_value)
                    new_targets[g][t] = new_value
    return new_targets


# --------------------------------------------------------------------------- the loop
def plan_staffing(
    scenario: Scenario,
    setup: Any = None,
    *,
    replications: int = 5,
    max_replications: int | None = None,
    precision: float | None = None,
    seed: int | None = None,
    max_iterations: int = 6,
    templates: Sequence[ShiftTemplate] | None = None,
    rules: RosterRules | None = None,
    max_step_agents: int = 5,
    warmup_minutes: float | None = None,
    time_limit_seconds: float = 30.0,
    mip_rel_gap: float = DEFAULT_PLAN_MIP_GAP,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    **roster: Any,
) -> PlanResult:
    """Staff ``scenario``'s groups with shifts checked (and corrected) by simulation.

    See the module docstring for the algorithm and :func:`goal_decision` for the goal rule.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario; its groups' ``agents`` only weigh how a channel served by several
        primary groups is shared (they are replaced by the plan).
    setup : InHouseSetup, VirtualSetup, CloudSetup, str or None
        Setup to plan for (a kind takes the file's configuration of it; None: the file's
        ``setup``). A virtual setup's ``schedules`` are ignored (the plan makes the schedule).
    replications : int
        First batch of replications per simulated iteration (default 5, >= 2).
    max_replications : int, optional
        Most replications per iteration (default ``max(30, replications)``): batches are added
        while an undecided interval is projected to be decided within this many.
    precision : float, optional
        The plan's precision ``H``, percentage points of service level, in [0, 50] (default
        :data:`DEFAULT_PLAN_PRECISION_POINTS`; CLI ``--precision``). Replications are added for
        an undecided interval only while its 95 % half-width is above ``H`` and its mean is more
        than ``H`` from the goal (and it is projected to be decided within ``max_replications``):
        an interval within ``H`` of its goal is too close to call at this precision, stays
        undecided and counts as not met, so it gets agents. ``H`` never relaxes the goal rule
        (met only when the whole confidence interval is above the goal); a smaller ``H`` spends
        more replications near the goal, a larger one adds agents sooner.
    seed : int, optional
        Root seed, the same in every iteration (common random numbers). Default: the
        scenario's ``seed``, else fresh entropy (echoed in the result).
    max_iterations : int
        Most simulations of a schedule (default 6).
    templates : sequence of ShiftTemplate, optional
        Shift templates for every group (default :func:`default_plan_templates` under ``rules``).
    rules : RosterRules, optional
        The roster rules (default :class:`RosterRules`).
    max_step_agents : int
        Most agents added to one group in one interval per iteration (default 5).
    warmup_minutes : float, optional
        Overrides the scenario's warm-up.
    time_limit_seconds : float
        Solver time limit per schedule (default 30 s).
    mip_rel_gap : float
        HiGHS stops once a schedule's cost is proven within this share of the minimum, in [0, 1]
        (default :data:`DEFAULT_PLAN_MIP_GAP`, 0.5 %); the gap reached is reported per iteration.
    workers : int
        Parallel simulation processes (same results).
    progress : callable, optional
        ``progress(iteration, max_iterations)`` after each simulated iteration.
    **roster
        Any :class:`RosterRules` field (``shift_hours``, ``part_time_hours``,
        ``max_part_time_share``, ``break_count``, ``break_minutes``, ``break_window_hours``,
        ``break_from_hours``, ``start_step_minutes``, ``seats``), overriding ``rules``.

    Returns
    -------
    PlanResult

    Raises
    ------
    ScenarioError
        For bad options, roster rules out of range or shift templates that do not fit the horizon.
    staffing.StaffingInputError
        When no template covers an interval with a requirement (message from the scheduler).
    """
    _check_options(replications, max_replications, max_iterations, max_step_agents, seed)
    points = DEFAULT_PLAN_PRECISION_POINTS if precision is None else precision
    if isinstance(points, bool) or not isinstance(points, int | float | np.integer | np.floating) \
            or not 0.0 <= float(points) <= 50.0:
        raise ScenarioError(f"plan: precision (--precision) must be a number of percentage points in [0, 50], "
                            f"got {points!r}")
    if isinstance(mip_rel_gap, bool) or not isinstance(mip_rel_gap, int | float | np.integer | np.floating) \
            or not 0.0 <= float(mip_rel_gap) <= 1.0:
        raise ScenarioError(f"plan: mip_rel_gap (--mip-gap) must be a share in [0, 1], got {mip_rel_gap!r}")
    rules = _rules(rules, roster)
    if seed is None:
        seed = resolve_seed(None, scenario)
    opts = _Options(int(replications), int(max_replications if max_replications is not None else max(30, replications)),
                    int(seed), int(max_iterations), int(max_step_agents), warmup_minutes, float(time_limit_seconds),
                    workers, float(points) / 100.0, float(mip_rel_gap))
    notes: list[str] = []
    ctx = _prepare(scenario, _resolve_setup(scenario, setup), rules, templates, notes)
    targets = _start_targets(ctx, opts)
    floors = {g: np.zeros(ctx.n, dtype=int) for g in ctx.group_names}
    history: list[_Iteration] = []
    runs: dict[tuple, _Run] = {}
    locked = np.zeros(ctx.n, dtype=bool)
    converged = False
    best: _Iteration | None = None  # the cheapest iteration meeting every goal so far
    for index in range(1, opts.max_iterations + 1):
        schedules, staffed, seat_bound = _schedule(ctx, targets, opts.time_limit_seconds, opts.mip_rel_gap)
        shift_cost = sum(s.cost for s in schedules.values() if s is not None)
        if best is not None and shift_cost >= best.cost - 1e-6:
            # Burst cost is never negative: this schedule cannot be cheaper than the one kept.
            notes.append(f"after iteration {index - 1} the fewer agents gave shifts no cheaper than iteration "
                         f"{best.index}; stopped without simulating them")
            converged = True
            break
        estimate, simulated, stopped = _simulate(ctx, opts, staffed, runs, seat_bound)
        cost = shift_cost + estimate.burst_cost
        paid = sum(s.paid_hours for s in schedules.values() if s is not None)
        it = _Iteration(index, {g: np.asarray(t).copy() for g, t in targets.items()}, schedules, staffed, seat_bound,
                        estimate, float(cost), float(paid), simulated, stopped)
        history.append(it)
        if progress is not None:
            progress(index, opts.max_iterations)
        new_targets = _adjust(ctx, opts, it, targets, floors, locked)
        if it.met_outside_seats and (best is None or it.cost <= best.cost + 1e-6):
            best = it
        if it.met_outside_seats and it.removed == 0:
            converged = it.goal_met
            if not it.goal_met:
                notes.append(f"iteration {index} meets every goal except where the seats bind and nothing more can "
                             "be removed; stopped")
            break
        if not any(not np.array_equal(new_targets[g], targets[g]) for g in ctx.group_names):
            notes.append(f"iteration {index} changed nothing (every adjustment blocked or at its floor); stopped")
            break
        targets = new_targets
    chosen = _choose(history, notes)
    return _build_result(ctx, opts, history, chosen, converged, notes)


def _choose(history: list[_Iteration], notes: list[str]) -> _Iteration:
    """The cheapest iteration meeting every goal (the later on a tie); else the cheapest meeting every
    goal outside the intervals where the seats bind; else the last."""
    if history[-1].blocked:
        notes.append(f"{history[-1].blocked} interval(s) not meeting a goal could get no more agents: the seats bind there")
    met = [it for it in history if it.goal_met]
    if not met:
        seated = [it for it in history if it.met_outside_seats]
        if seated:
            best = min(seated, key=lambda it: (round(it.cost, 6), -it.index))
            notes.append(f"no iteration met every goal: the seats bind where goals are missed; iteration {best.index}, "
                         "the cheapest meeting every goal elsewhere, is reported")
            return best
        notes.append(f"no iteration met every goal within {len(history)} iteration(s); the last is reported")
        return history[-1]
    return min(met, key=lambda it: (round(it.cost, 6), -it.index))


# --------------------------------------------------------------------------- the report
def _why(ctx: _Context, c: str, t: int, first: _Iteration, chosen: _Iteration, table: pd.DataFrame) -> list[str]:
    kind = ctx.scenario.channel_kind(c)
    groups_c = list(ctx.shares[c])
    erlang_c, erlang_a_value = (float(x) if not pd.isna(x) else math.nan
                                for x in (table["required_erlang_c"].iloc[t], table["required_erlang_a"].iloc[t]))
    why = []
    if kind == "voice" and not math.isnan(erlang_a_value) and not math.isnan(erlang_c) and erlang_a_value < erlang_c:
        why.append("abandonment")
    if kind == "chat" and ctx.scenario.channels[c].concurrency > 1:
        why.append("concurrency")
    if kind == "email":
        why.append("email backlog")
    multi_group = len([g for g in ctx.scenario.staff if c in g.channels]) > 1
    shared = {g.name: len(g.channels) > 1 for g in ctx.scenario.staff}
    pooled = multi_group or any(shared[g] for g in groups_c)
    above = any(chosen.targets[g][t] > ctx.analytic_target[g][t] for g in groups_c if g not in ctx.deferred)
    below = any(chosen.targets[g][t] < ctx.analytic_target[g][t] for g in groups_c if g not in ctx.deferred)
    if pooled and below:
        why.append("multiskill pooling")
    elif c in ctx.goals and above:
        why.append("simulation above analytic")
    elif c in ctx.goals and below:
        why.append("simulation below analytic")
    if any(chosen.staffed[g][t] > chosen.targets[g][t] for g in groups_c if g not in ctx.deferred):
        why.append("shift granularity")
    if chosen.seat_shortfall[t] > 0 or chosen.seat_bound[t]:
        why.append("seat cap")
    return why


def _interval_rows(ctx: _Context, first: _Iteration, chosen: _Iteration) -> pd.DataFrame:
    rows = []
    estimate = chosen.estimate
    for c in ctx.channels:
        table = ctx.by_channel[c]
        kind = ctx.scenario.channel_kind(c)
        groups_c = list(ctx.shares[c])

        def share_of(values: dict[str, np.ndarray], t: int, g_list: list[str] = groups_c, channel: str = c) -> float:
            return float(sum(values[g][t] * (1.0 - ctx.shrink[g]) * ctx.channel_part[(g, channel)][t] for g in g_list))

        for t in range(ctx.n):
            erlang_c, erlang_a_value = (float(x) if not pd.isna(x) else math.nan
                                        for x in (table["required_erlang_c"].iloc[t], table["required_erlang_a"].iloc[t]))
            decision = estimate.decisions[c][t] if c in estimate.decisions else None
            rows.append({
                "interval": t, "start": ctx.labels[t], "channel": c, "kind": kind, "groups": "+".join(groups_c),
                "goal": ctx.goals.get(c, math.nan), "erlang_c": erlang_c, "erlang_a": erlang_a_value,
                "analytic_agents": float(table["required_agents"].iloc[t]),
                "first_schedule_agents": round(share_of(first.staffed, t), 2),
                "simulated_requirement_agents": round(share_of(chosen.targets, t), 2),
                "final_schedule_agents": round(share_of(chosen.staffed, t), 2),
                "service_level": estimate.sl_mean[c][t], "service_level_ci95": estimate.sl_ci[c][t],
                "abandon_rate": estimate.ab_mean[c][t] if kind != "email" else math.nan,
                "abandon_rate_ci95": estimate.ab_ci[c][t] if kind != "email" else math.nan,
                "replications": estimate.replications, "decision": decision or "",
                "met": None if decision is None else decision == "met",
                "why": ", ".join(_why(ctx, c, t, first, chosen, table)),
            })
    return pd.DataFrame(rows, columns=list(PLAN_COLUMNS))


def _group_rows(ctx: _Context, first: _Iteration, chosen: _Iteration) -> pd.DataFrame:
    rows = []
    for g in ctx.group_names:
        schedule = chosen.schedules[g]
        under = (schedule.intervals["understaffed_agents"].to_numpy(dtype=float) if schedule is not None
                 else np.zeros(ctx.n))
        target = ctx.analytic_target[g]
        for t in range(ctx.n):
            rows.append({
                "interval": t, "start": ctx.labels[t], "group": g,
                "analytic_headcount": int(math.ceil(target[t] - 1e-6)), "first_staffed": int(first.staffed[g][t]),
                "final_target": int(math.ceil(chosen.targets[g][t] - 1e-6)), "final_staffed": int(chosen.staffed[g][t]),
                "seat_shortfall": int(chosen.seat_shortfall[t]), "schedule_shortfall": float(under[t]),
            })
    return pd.DataFrame(rows, columns=list(GROUP_COLUMNS))


def _build_result(ctx: _Context, opts: _Options, history: list[_Iteration], chosen: _Iteration, converged: bool,
                  notes: list[str]) -> PlanResult:
    """The :class:`PlanResult` of the chosen iteration, with the history of all of them."""
    first = history[0]
    iterations = pd.DataFrame([{
        "iteration": it.index, "replications": it.estimate.replications, "simulated_replications": it.simulated,
        "replications_stop": it.stopped,
        "schedule_gap": max((s.mip_gap for s in it.schedules.values() if s is not None), default=0.0),
        "schedule_seconds": max((s.solve_seconds for s in it.schedules.values() if s is not None), default=0.0),
        "cost": it.cost, "paid_hours": it.paid_hours,
        "burst_cost": it.estimate.burst_cost, "missed_intervals": it.count("missed"),
        "undecided_intervals": it.count("undecided"), "agents_added": it.added, "agents_removed": it.removed,
        "blocked_intervals": it.blocked, "goal_met": it.goal_met,
    } for it in history], columns=list(ITERATION_COLUMNS))
    scenario = ctx.scenario
    planned = scenario.model_copy(update={"staff": tuple(
        group.model_copy(update={"agents": tuple(int(x) for x in chosen.staffed[group.name])}) for group in scenario.staff)})
    if not ctx.goals:
        notes.append("no channel has a service-level goal: the plan is the analytic schedule, simulated once")
    undecided = chosen.count("undecided")
    if undecided:
        notes.append(f"{undecided} interval(s) stayed undecided after {chosen.estimate.replications} replications "
                     f"(at most {opts.max_replications}): not counted as met")
    return PlanResult(
        scenario=scenario, planned=planned, setup_kind=ctx.kind, intervals=_interval_rows(ctx, first, chosen),
        groups=_group_rows(ctx, first, chosen), iterations=iterations,
        schedules={g: s for g, s in chosen.schedules.items() if s is not None}, horizon=chosen.estimate.horizon,
        chosen_iteration=chosen.index, converged=converged, goal_met=chosen.goal_met,
        replications=chosen.estimate.replications, min_replications=opts.min_replications,
        max_replications=opts.max_replications, seed=opts.seed, max_iterations=opts.max_iterations,
        currency=scenario.costs.currency, rules=ctx.rules, seats=ctx.seats, precision=opts.precision * 100.0, mip_rel_gap=opts.mip_rel_gap,
        notes=tuple(notes),
    )
