"""Simulation-checked staffing: analytic requirement -> shifts -> simulation -> adjust, repeated.

:func:`plan_staffing` closes the loop of issue 5 for one scenario (under one setup):

1. **Analytic requirement.** :func:`scenarios.bridge.requirements.scenario_requirements` gives each
   channel's agents per interval (``required_agents``: Erlang A for voice with patience, else
   Erlang C; the concurrency model for chat; the deferred-work plan for email).
2. **Per staff group.** The plan staffs the scenario's agent *groups*. A channel's requirement
   goes to its *primary* groups, the groups that list it first in ``channels`` (their main
   skill); a channel nobody lists first goes to every group serving it. Several such groups
   share it in proportion to their headcount in the file (mean ``agents``; equal shares if all
   are 0). A group's target headcount per interval is
   ``ceil(sum over channels of share x required_agents / (1 - shrinkage))``: the simulator
   removes the group's shrinkage itself, so the plan passes *scheduled* headcount.
3. **Shifts.** Each group's target is covered at minimum cost by
   :func:`staffing.scheduling.schedule_shifts` (HiGHS) with :func:`default_plan_templates`
   (8-hour shifts with a 30-minute unpaid break, 4-hour part-time shifts, starting every 30
   minutes) or the caller's templates, priced at ``costs.agent_hourly_cost`` per paid hour.
   An in-house setup with ``seats`` below the groups' total target gives each group a hard
   seat cap in the scheduler: its share of the seats in proportion to its target at the
   interval where the total target peaks (rounded down, so the caps sum to at most the seats):
   the schedule then hires nobody who would have no seat, and the scheduler reports the
   shortfall. The staffed curve (agents on shift and not on their scheduled break) becomes the group's
   ``agents`` in a copy of the scenario (a virtual setup's own ``schedules`` are dropped so
   the plan's schedule is what runs).
4. **Simulation** of that copy under the setup with ``replications`` replications and the
   *same seed in every iteration* (common random numbers: a change between iterations is due
   to staffing, not to different customers).
5. **Check and adjust**, per interval and channel with a service-level goal (see
   :data:`CRITERIA`): where the goal is missed, the channel's primary group gets ``k``
   more agents than it had, ``k`` the smallest number (1 to ``max_step_agents``) for which the
   simulated SL plus the analytic gain ``SL_a(n + k) - SL_a(n)`` reaches the goal (the
   analytic model supplies the slope, the simulation the level). Where every channel of a
   group beats its goal with slack (simulated SL - 2 x CI above the goal) and the predicted SL
   at ``k`` agents fewer, ``SL - CI - (SL_a(n) - SL_a(n - k))``, still meets it, the target drops
   to ``k`` agents (1 to ``max_step_agents``, the largest such ``k`` over all the group's
   channels) below what was simulated. A target never drops back to a staffing level that
   once missed (no oscillation). Intervals where a group is at its seat share (below) get no
   extra agents: they could not sit down. Then back to 3.
6. **Stop** when every goal is met and nothing can be removed (``converged``), when an
   iteration changes nothing, or after ``max_iterations`` simulations. The plan returned is
   the cheapest iteration meeting every goal (the later one on a tie), else the last one.

Email channels have no service-level goal in the simulation; their groups keep the analytic
requirement and the report shows the simulated service level within the response target. That
requirement is the deferred-work plan's, but at least the interval's workload (traffic in
Erlangs / ``max_occupancy``): when the response target is longer than the horizon the deferred
plan may carry all the work past the horizon's end, and a plan should at least keep up with the
arriving work.

References: Gans, Koole & Mandelbaum (2003), "Telephone call centers: tutorial, review, and
research prospects", *MSOM* 5(2), section 4.4 (simulation-based staffing corrections);
Atlason, Epelman & Henderson (2004), "Call center staffing with simulation and cutting plane
methods", *Annals of OR* 127 (the simulate-then-adjust loop with common random numbers).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scenarios.bridge.compile import compile_scenario
from scenarios.bridge.effects import resolve_setup, setup_effects
from scenarios.bridge.requirements import (
    agent_workload,
    channel_order,
    interval_labels,
    scenario_requirements,
)
from scenarios.document.scenario import Scenario
from scenarios.document.setups import InHouseSetup, VirtualSetup
from scenarios.errors import ScenarioError
from scenarios.report.stats import interval_mean_ci
from scenarios.studies.costs import estimate_costs
from simulator import simulate
from staffing import (
    ScheduleResult,
    ShiftTemplate,
    chat_metrics,
    erlang_a,
    schedule_shifts,
    service_level,
    shift_templates,
)

__all__ = [
    "CRITERIA",
    "GOAL_CRITERION",
    "PLAN_COLUMNS",
    "GROUP_COLUMNS",
    "ITERATION_COLUMNS",
    "WHY_LABELS",
    "PlanResult",
    "default_plan_templates",
    "plan_staffing",
]

CRITERIA = {
    "ci": "an interval meets its goal when its simulated service level is not significantly below it "
          "(mean + 95% CI half-width >= goal) and the channel's service level over the horizon meets it "
          "(mean >= goal); if the horizon misses, every interval whose mean is below the goal counts as missed",
    "mean": "an interval meets its goal when its mean simulated service level over the replications is >= the goal",
}
"""Goal criteria of the loop (``criterion=`` of :func:`plan_staffing`), in words (echoed in reports)."""

GOAL_CRITERION = CRITERIA["ci"]
"""The default criterion, in words."""

#: Columns of :attr:`PlanResult.intervals` (one row per interval x channel).
PLAN_COLUMNS = (
    "interval", "start", "channel", "kind", "groups", "goal", "erlang_c", "erlang_a", "analytic_agents",
    "first_schedule_agents", "simulated_requirement_agents", "final_schedule_agents",
    "service_level", "service_level_ci95", "abandon_rate", "abandon_rate_ci95", "met", "why",
)
#: Columns of :attr:`PlanResult.groups` (one row per interval x group; headcounts before shrinkage).
GROUP_COLUMNS = ("interval", "start", "group", "analytic_headcount", "first_staffed", "final_target",
                 "final_staffed", "seat_shortfall", "schedule_shortfall")
#: Columns of :attr:`PlanResult.iterations` (one row per simulated iteration).
ITERATION_COLUMNS = ("iteration", "cost", "paid_hours", "burst_cost", "missed_intervals", "agents_added",
                     "agents_removed", "blocked_intervals", "goal_met")

#: The "why" labels of :attr:`PlanResult.intervals`, with what each means.
WHY_LABELS = {
    "abandonment": "Erlang A below Erlang C: callers who abandon relieve the queue",
    "concurrency": "chat agents hold several chats at once",
    "multiskill pooling": "a shared group (or several groups) lets fewer agents than the analytic sum suffice",
    "shift granularity": "more agents staffed than the simulated requirement: shifts cannot follow the curve",
    "email backlog": "deferred work: email may wait within its response target, so the requirement follows the backlog",
    "simulation above analytic": "the simulation needs more than the analytic model (non-exponential times, retrials, routing...)",
    "simulation below analytic": "the simulation needs fewer than the analytic model",
    "seat cap": "the in-house seat cap binds: the group is at its share of the seats (or was clipped to them)",
}

_EPS = 1e-9


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
        *available* (after shrinkage), comparable with Erlang C/A: ``first_schedule_agents`` and
        ``final_schedule_agents`` are the channel's share of its primary groups' staffed agents,
        ``simulated_requirement_agents`` its share of their final targets. Service level and
        abandon rate are means over replications with 95 % CI half-widths.
    groups : pandas.DataFrame
        One row per interval x group (:data:`GROUP_COLUMNS`), headcounts before shrinkage.
    iterations : pandas.DataFrame
        One row per simulated iteration (:data:`ITERATION_COLUMNS`); ``cost`` in the scenario's
        currency: shift cost (paid hours x ``agent_hourly_cost``) plus ``burst_cost``, the mean
        simulated cost of cloud burst minutes (0 without bursting).
    schedules : dict of str to ScheduleResult
        The chosen iteration's shift schedule per group.
    horizon : pandas.DataFrame
        The chosen iteration's horizon service level and abandon rate per channel (mean, ci95).
    chosen_iteration : int
        The iteration reported (the cheapest meeting every goal, the later on a tie; else the last).
    converged : bool
        Every goal met and no agent removable in the last iteration.
    goal_met : bool
        Every goal met in the chosen iteration (see :data:`CRITERIA`).
    replications, seed : int
        Simulation design (the same seed in every iteration).
    max_iterations : int
    currency : str
    criterion : str
        ``"ci"`` or ``"mean"`` (:data:`CRITERIA`).
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
    seed: int
    max_iterations: int
    currency: str
    criterion: str = "ci"
    notes: tuple[str, ...] = ()

    @property
    def criterion_description(self) -> str:
        """The goal criterion in words (:data:`CRITERIA`)."""
        return CRITERIA[self.criterion]

    @property
    def cost(self) -> float:
        """Cost of the chosen iteration: its shifts plus the mean burst cost (currency units)."""
        return float(self.iterations.loc[self.iterations["iteration"] == self.chosen_iteration, "cost"].iloc[0])

    @property
    def paid_hours(self) -> float:
        """Paid hours of the chosen schedule."""
        return float(self.iterations.loc[self.iterations["iteration"] == self.chosen_iteration, "paid_hours"].iloc[0])

    def to_frame(self) -> pd.DataFrame:
        """A copy of the per interval x channel table."""
        return self.intervals.copy()

    def to_json_dict(self) -> dict:
        """Plain-JSON summary: design, outcome, iterations, per-interval rows, groups and shifts."""
        def records(frame: pd.DataFrame) -> list[dict]:
            out = []
            for row in frame.to_dict(orient="records"):
                out.append({k: _json_value(v) for k, v in row.items()})
            return out

        return {
            "scenario": self.scenario.name,
            "setup": self.setup_kind,
            "replications": self.replications,
            "seed": self.seed,
            "max_iterations": self.max_iterations,
            "criterion": self.criterion,
            "criterion_text": CRITERIA[self.criterion],
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


def _json_value(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if value is pd.NA:
        return None
    return value


# --------------------------------------------------------------------------- templates
def default_plan_templates(
    scenario: Scenario,
    *,
    shift_hours: float = 8.0,
    part_time_hours: float | None = 4.0,
    break_minutes: int = 30,
    start_step_minutes: int = 30,
    cost_per_paid_hour: float | None = None,
) -> list[ShiftTemplate]:
    """The plan's default shift templates for ``scenario``'s horizon.

    Parameters
    ----------
    scenario : Scenario
        Gives the interval grid, the horizon and ``costs.agent_hourly_cost``.
    shift_hours : float
        Full shift span, hours, including the unpaid break (default 8).
    part_time_hours : float or None
        Part-time shift span, hours, without a break (default 4; None: no part-time shifts).
    break_minutes : int
        Unpaid break of full shifts, minutes (default 30), rounded up to the interval grid; it
        starts 3 to 5 hours into the shift (the scheduler chooses).
    start_step_minutes : int
        Minutes between start times (default 30), rounded up to the interval grid; starts run
        from the horizon's first interval to the last at which the shortest shift still fits.
    cost_per_paid_hour : float, optional
        Default: the scenario's ``costs.agent_hourly_cost``.

    Raises
    ------
    ScenarioError
        If the interval grid does not divide a day or no template fits in the horizon.
    """
    minutes = float(scenario.interval_minutes)
    if 1440 % minutes or scenario.start_time % minutes:
        raise ScenarioError(f"plan: shifts need interval_minutes dividing the day and start_time on the grid "
                            f"(interval {minutes:g} min, start minute {scenario.start_time})")
    grid = int(minutes)
    if shift_hours <= 0 or (part_time_hours is not None and part_time_hours <= 0):
        raise ScenarioError(f"plan: shift lengths must be > 0 hours, got {shift_hours:g} and {part_time_hours}")
    if start_step_minutes <= 0 or break_minutes < 0:
        raise ScenarioError(f"plan: start step must be > 0 and break >= 0 minutes, got {start_step_minutes} and {break_minutes}")
    step = grid * math.ceil(start_step_minutes / grid)
    brk = grid * math.ceil(break_minutes / grid) if break_minutes else 0
    lengths = [float(shift_hours)] + ([float(part_time_hours)] if part_time_hours else [])
    lengths = [length for length in lengths if length * 60 <= scenario.horizon_minutes + _EPS]
    if not lengths:
        raise ScenarioError(f"plan: no shift fits in the {scenario.horizon_minutes / 60:g}-hour horizon; "
                            "use shorter --shift-hours/--part-time-hours")
    for length in lengths:
        if abs(length * 60 / grid - round(length * 60 / grid)) > _EPS:
            raise ScenarioError(f"plan: a {length:g}-hour shift is not a whole number of {grid}-minute intervals")
    shortest = min(lengths) * 60
    last = scenario.start_time + scenario.horizon_minutes - shortest
    starts = sorted({int(m % 1440) for m in np.arange(scenario.start_time, last + _EPS, step)})
    cost = scenario.costs.agent_hourly_cost if cost_per_paid_hour is None else float(cost_per_paid_hour)
    templates = []
    for length in lengths:
        with_break = brk > 0 and length >= 6.0
        templates += shift_templates(
            starts=starts, lengths_hours=[length], break_minutes=brk if with_break else 0,
            break_window_hours=(3.0, 5.0) if with_break else None, cost_per_paid_hour=cost,
        )
    return templates


# --------------------------------------------------------------------------- helpers
def _resolve_setup(scenario: Scenario, setup):
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


def _shrinkages(scenario: Scenario, setup) -> dict[str, float]:
    effects = setup_effects(scenario, setup)
    return {g.name: effects.shrinkage(g) for g in scenario.staff}


def _analytic_sl(channel, kind: str, rate: float, handle: float, agents: np.ndarray) -> np.ndarray:
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


def _seat_caps(setup, targets: dict[str, np.ndarray], group_names: list[str]) -> dict[str, int]:
    """Per-group seat caps of an in-house setup whose seats the targets exceed (see the module docstring)."""
    if not isinstance(setup, InHouseSetup) or setup.seats is None:
        return {}
    total = sum(targets.values())
    if total.max() <= setup.seats:
        return {}
    peak = int(np.argmax(total))
    return {g: int(math.floor(setup.seats * targets[g][peak] / total[peak])) for g in group_names}


@dataclass
class _Iteration:
    index: int
    targets: dict[str, np.ndarray]
    schedules: dict[str, ScheduleResult]
    staffed: dict[str, np.ndarray]
    seat_shortfall: np.ndarray
    seat_bound: dict[str, np.ndarray]
    sl_mean: dict[str, np.ndarray]
    sl_ci: dict[str, np.ndarray]
    ab_mean: dict[str, np.ndarray]
    ab_ci: dict[str, np.ndarray]
    horizon: pd.DataFrame
    missed: dict[str, np.ndarray]
    cost: float
    paid_hours: float
    burst_cost: float
    goal_met: bool
    added: int = 0
    removed: int = 0
    blocked: int = 0


def _check_options(replications, max_iterations, max_step_agents, seed) -> None:
    for label, value, low in (("replications", replications, 1), ("max_iterations", max_iterations, 1),
                              ("max_step_agents", max_step_agents, 1)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
            raise ScenarioError(f"plan: {label} must be a whole number >= {low}, got {value!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0):
        raise ScenarioError(f"plan: seed must be a whole number >= 0 or None, got {seed!r}")


# --------------------------------------------------------------------------- the loop
def plan_staffing(
    scenario: Scenario,
    setup=None,
    *,
    replications: int = 5,
    seed: int | None = None,
    max_iterations: int = 6,
    criterion: str = "ci",
    templates: Sequence[ShiftTemplate] | None = None,
    max_step_agents: int = 5,
    warmup_minutes: float | None = None,
    max_part_time_share: float | None = None,
    time_limit_seconds: float = 30.0,
    workers: int = 1,
    progress=None,
) -> PlanResult:
    """Staff ``scenario``'s groups with shifts checked (and corrected) by simulation.

    See the module docstring for the algorithm and :data:`CRITERIA` for the goal criteria.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario; its groups' ``agents`` only weigh how a channel served by several
        primary groups is shared (they are replaced by the plan).
    setup : InHouseSetup, VirtualSetup, CloudSetup, str or None
        Setup to plan for (a kind takes the file's configuration of it; None: the file's
        ``setup``). A virtual setup's ``schedules`` are ignored (the plan makes the schedule).
    replications : int
        Replications per simulated iteration (default 5; >= 2 for confidence intervals).
    seed : int, optional
        Root seed, the same in every iteration (common random numbers). Default: the
        scenario's ``seed``, else fresh entropy (echoed in the result).
    max_iterations : int
        Most simulations of a schedule (default 6).
    criterion : {"ci", "mean"}
        When an interval meets its goal (:data:`CRITERIA`): ``"ci"`` (default) not
        significantly below it and the horizon at or above it; ``"mean"`` the interval's mean
        at or above it (stricter; with few replications it staffs for the sample's noise).
    templates : sequence of ShiftTemplate, optional
        Shift templates for every group (default :func:`default_plan_templates`).
    max_step_agents : int
        Most agents added to one group in one interval per iteration (default 5).
    warmup_minutes : float, optional
        Overrides the scenario's warm-up.
    max_part_time_share : float, optional
        Cap on the share of part-time shifts per group (default none).
    time_limit_seconds : float
        Solver time limit per schedule (default 30 s).
    workers : int
        Parallel simulation processes (same results).
    progress : callable, optional
        ``progress(iteration, max_iterations)`` after each simulated iteration.

    Returns
    -------
    PlanResult

    Raises
    ------
    ScenarioError
        For bad options or shift templates that do not fit the horizon.
    staffing.StaffingInputError
        When no template covers an interval with a requirement (message from the scheduler).
    """
    _check_options(replications, max_iterations, max_step_agents, seed)
    if criterion not in CRITERIA:
        raise ScenarioError(f"plan: criterion must be one of {', '.join(CRITERIA)}, got {criterion!r}")
    if seed is None:
        seed = scenario.seed if scenario.seed is not None else int(np.random.SeedSequence().entropy % (2**63))
    seed = int(seed)
    setup = _resolve_setup(scenario, setup)
    templates = list(templates) if templates is not None else default_plan_templates(scenario)
    n = scenario.intervals
    labels = interval_labels(scenario)
    analytic = scenario_requirements(scenario, setup)
    channels = channel_order(scenario)
    shares = _shares(scenario)
    shrink = _shrinkages(scenario, setup)
    group_names = [g.name for g in scenario.staff]
    goals = {c: scenario.channels[c].service_level.goal for c in channels
             if scenario.channels[c].service_level is not None and scenario.channel_kind(c) != "email"}
    by_channel = {c: analytic[analytic["channel"] == c].sort_values("interval") for c in channels}
    required = {c: by_channel[c]["required_agents"].to_numpy(dtype=float) for c in channels}
    for c in channels:  # email: at least keep up with the arriving work (see the module docstring)
        if scenario.channel_kind(c) == "email":
            keep_up = by_channel[c]["traffic_erlangs"].to_numpy(dtype=float) / (scenario.channels[c].max_occupancy or 1.0)
            required[c] = np.maximum(required[c], keep_up)

    specs = {c: scenario.channels[c] for c in channels}
    kinds = {c: scenario.channel_kind(c) for c in channels}
    rates, handles = {}, {}
    for c in channels:
        to_agents, handles[c] = agent_workload(scenario, c, setup)
        rates[c] = to_agents * 60.0 / scenario.interval_minutes

    # Per group: the channels it is primary for, and its available-agent requirement per channel.
    primary_of = {g: [c for c in channels if g in shares[c]] for g in group_names}
    workload = {g: {c: shares[c][g] * required[c] for c in primary_of[g]} for g in group_names}
    analytic_target = {
        g: np.ceil(sum(workload[g].values(), np.zeros(n)) / (1.0 - shrink[g]) - 1e-6).clip(0).astype(int)
        for g in group_names
    }
    # A channel's share of its group's available agents (for the per-channel agent columns).
    channel_part = {}
    for g in group_names:
        total = sum(workload[g].values(), np.zeros(n))
        for c in primary_of[g]:
            channel_part[(g, c)] = np.where(total > 0, workload[g][c] / np.where(total > 0, total, 1.0),
                                            1.0 / max(len(primary_of[g]), 1))

    targets = {g: analytic_target[g].copy() for g in group_names}
    floors = {g: np.zeros(n, dtype=int) for g in group_names}
    history: list[_Iteration] = []
    converged = False
    notes: list[str] = []
    for index in range(1, max_iterations + 1):
        schedules = {}
        staffed = {}
        seat_caps = _seat_caps(setup, targets, group_names)
        for g in group_names:
            if targets[g].sum() == 0:
                schedules[g] = None
                staffed[g] = np.zeros(n, dtype=int)
                continue
            schedules[g] = schedule_shifts(
                targets[g].astype(float), templates, interval_minutes=scenario.interval_minutes,
                horizon_start_minute=int(scenario.start_time % 1440), max_part_time_share=max_part_time_share,
                time_limit_seconds=time_limit_seconds, seat_cap=seat_caps.get(g),
            )
            staffed[g] = np.round(schedules[g].intervals["staffed_agents"].to_numpy(dtype=float)).astype(int)
        seat_bound = {g: (staffed[g] >= seat_caps[g]) & (targets[g] > staffed[g]) if g in seat_caps
                      else np.zeros(n, dtype=bool) for g in group_names}
        candidate = scenario.model_copy(update={"staff": tuple(
            group.model_copy(update={"agents": tuple(int(x) for x in staffed[group.name])}) for group in scenario.staff)})
        compiled = compile_scenario(candidate, setup, warmup_minutes=warmup_minutes)
        result = simulate(compiled.model, replications, seed, workers=workers)
        frame = result.intervals
        sl_mean, sl_ci, ab_mean, ab_ci, missed = {}, {}, {}, {}, {}
        horizon_rows = []
        for c in channels:
            sl_mean[c], sl_ci[c] = interval_mean_ci(frame, c, "service_level", n)
            ab_mean[c], ab_ci[c] = interval_mean_ci(frame, c, "abandon_rate", n)
            h_sl, h_sl_ci = result.kpi(c, "service_level")
            h_ab, h_ab_ci = result.kpi(c, "abandon_rate")
            horizon_rows.append({"channel": c, "goal": goals.get(c, math.nan), "service_level": h_sl,
                                 "service_level_ci95": h_sl_ci, "abandon_rate": h_ab, "abandon_rate_ci95": h_ab_ci,
                                 "met": bool(h_sl >= goals[c] - _EPS) if c in goals and not math.isnan(h_sl) else None})
            if c in goals:
                goal = goals[c]
                ci = np.nan_to_num(sl_ci[c], nan=0.0)
                defined = ~np.isnan(sl_mean[c])
                if criterion == "mean":
                    miss = defined & (sl_mean[c] < goal - _EPS)
                else:
                    miss = defined & (sl_mean[c] + ci < goal - _EPS)
                if not math.isnan(h_sl) and h_sl < goal - _EPS:
                    miss |= defined & (sl_mean[c] < goal - _EPS)
                missed[c] = miss
        shift_cost = sum(s.cost for s in schedules.values() if s is not None)
        burst_cost = (estimate_costs(compiled, result).mean("burst")
                      if any(group.elastic is not None for group in compiled.model.groups) else 0.0)
        paid = sum(s.paid_hours for s in schedules.values() if s is not None)
        goal_met = not any(m.any() for m in missed.values())
        it = _Iteration(index, {g: t.copy() for g, t in targets.items()}, schedules, staffed,
                        np.asarray(compiled.seat_shortfall), seat_bound, sl_mean, sl_ci, ab_mean, ab_ci,
                        pd.DataFrame(horizon_rows), missed, float(shift_cost + burst_cost), float(paid), float(burst_cost), goal_met)
        history.append(it)
        if progress is not None:
            progress(index, max_iterations)

        # ---- adjust the targets
        new_targets = {g: t.copy() for g, t in targets.items()}
        for g in group_names:
            available = staffed[g] * (1.0 - shrink[g])
            checked = [c for c in primary_of[g] if c in goals]
            for t in range(n):
                need = 0
                removable = bool(checked) and len(checked) == len(primary_of[g]) and staffed[g][t] > floors[g][t]
                removal = max_step_agents  # agents available that every channel of the group can spare
                for c in checked:
                    mean = sl_mean[c][t]
                    if math.isnan(mean):
                        continue
                    ci = 0.0 if math.isnan(sl_ci[c][t]) else sl_ci[c][t]
                    agents_c = int(round(available[t] * channel_part[(g, c)][t]))
                    if missed[c][t]:
                        removable = False
                        curve = _analytic_sl(specs[c], kinds[c], rates[c][t], handles[c], agents_c + np.arange(max_step_agents + 1))
                        gain = curve - curve[0]
                        ok = np.flatnonzero(mean + gain[1:] >= goals[c] - _EPS)
                        k = int(ok[0]) + 1 if ok.size else max_step_agents
                        need = max(need, math.ceil(k / (1.0 - shrink[g]) - 1e-6))
                    elif removable:
                        if agents_c < 1 or not mean - 2.0 * ci > goals[c] + _EPS:
                            removable = False
                            continue
                        fewer = np.clip(agents_c - np.arange(max_step_agents + 1), 0, None)
                        curve = _analytic_sl(specs[c], kinds[c], rates[c][t], handles[c], fewer)
                        spare = np.flatnonzero(mean - ci - (curve[0] - curve) >= goals[c] - _EPS)
                        spare_k = int(spare.max()) if spare.size else 0  # curve[0] is n itself: k = 0 always fits
                        removal = min(removal, spare_k, agents_c)
                        if removal < 1:
                            removable = False
                if need:
                    if it.seat_shortfall[t] > 0 or seat_bound[g][t]:
                        it.blocked += 1
                        continue
                    new_value = staffed[g][t] + need
                    it.added += int(max(new_value - targets[g][t], 0))
                    new_targets[g][t] = max(new_value, targets[g][t])
                    floors[g][t] = max(floors[g][t], staffed[g][t] + 1)  # never back to a level that missed
                elif removable:
                    headcount = max(int(math.floor(removal / (1.0 - shrink[g]) + 1e-6)), 1)
                    new_value = max(int(staffed[g][t]) - headcount, int(floors[g][t]))
                    if new_value < targets[g][t]:  # else shifts, not the target, keep the agent
                        it.removed += int(targets[g][t] - new_value)
                        new_targets[g][t] = new_value
        changed = any(not np.array_equal(new_targets[g], targets[g]) for g in group_names)
        if goal_met and it.removed == 0:
            converged = True
            break
        if not changed:
            notes.append(f"iteration {index} changed nothing (every adjustment blocked or at its floor); stopped")
            break
        targets = new_targets

    if history[-1].blocked:
        notes.append(f"{history[-1].blocked} interval(s) missing a goal could get no more agents: the in-house seat cap binds there")
    met_iterations = [it for it in history if it.goal_met]
    # Cheapest meeting every goal; on a tie the later one (same cost, targets checked further).
    chosen = min(met_iterations, key=lambda it: (round(it.cost, 6), -it.index)) if met_iterations else history[-1]
    if not met_iterations:
        notes.append(f"no iteration met every goal within {len(history)} iteration(s); the last is reported")
    first = history[0]
    return _build_result(scenario, setup, setup_effects(scenario, setup).kind, labels, channels, group_names, goals, analytic,
                         by_channel, shares, shrink, primary_of, channel_part, analytic_target, history, first,
                         chosen, converged, replications, seed, max_iterations, notes, criterion)


def _build_result(scenario, setup, kind, labels, channels, group_names, goals, analytic, by_channel, shares, shrink,
                  primary_of, channel_part, analytic_target, history, first, chosen, converged, replications, seed,
                  max_iterations, notes, criterion) -> PlanResult:
    n = scenario.intervals
    multi_group_channel = {c: len([g for g in scenario.staff if c in g.channels]) > 1 for c in channels}
    shared_group = {g.name: len(g.channels) > 1 for g in scenario.staff}
    rows = []
    for c in channels:
        table = by_channel[c]
        kind_c = scenario.channel_kind(c)
        spec = scenario.channels[c]
        groups_c = list(shares[c])

        def share_of(values: dict[str, np.ndarray], t: int, g_list=groups_c, channel=c) -> float:
            return float(sum(values[g][t] * (1.0 - shrink[g]) * channel_part[(g, channel)][t] for g in g_list))

        for t in range(n):
            erlang_c = table["required_erlang_c"].iloc[t]
            erlang_a_value = table["required_erlang_a"].iloc[t]
            erlang_c = math.nan if pd.isna(erlang_c) else float(erlang_c)
            erlang_a_value = math.nan if pd.isna(erlang_a_value) else float(erlang_a_value)
            analytic_agents = float(table["required_agents"].iloc[t])
            first_agents = share_of(first.staffed, t)
            final_req = share_of(chosen.targets, t)
            final_agents = share_of(chosen.staffed, t)
            why = []
            if kind_c == "voice" and not math.isnan(erlang_a_value) and not math.isnan(erlang_c) and erlang_a_value < erlang_c:
                why.append("abandonment")
            if kind_c == "chat" and spec.concurrency > 1:
                why.append("concurrency")
            if kind_c == "email":
                why.append("email backlog")
            pooled = multi_group_channel[c] or any(shared_group[g] for g in groups_c)
            above = any(chosen.targets[g][t] > analytic_target[g][t] for g in groups_c)
            below = any(chosen.targets[g][t] < analytic_target[g][t] for g in groups_c)
            if pooled and below:
                why.append("multiskill pooling")
            elif c in goals and above:
                why.append("simulation above analytic")
            elif c in goals and below:
                why.append("simulation below analytic")
            if any(chosen.staffed[g][t] > chosen.targets[g][t] for g in groups_c):
                why.append("shift granularity")
            if chosen.seat_shortfall[t] > 0 or any(chosen.seat_bound[g][t] for g in groups_c):
                why.append("seat cap")
            met = None
            if c in goals and not math.isnan(chosen.sl_mean[c][t]):
                met = not bool(chosen.missed[c][t])
            rows.append({
                "interval": t, "start": labels[t], "channel": c, "kind": kind_c, "groups": "+".join(groups_c),
                "goal": goals.get(c, math.nan), "erlang_c": erlang_c, "erlang_a": erlang_a_value,
                "analytic_agents": analytic_agents, "first_schedule_agents": round(first_agents, 2),
                "simulated_requirement_agents": round(final_req, 2), "final_schedule_agents": round(final_agents, 2),
                "service_level": chosen.sl_mean[c][t], "service_level_ci95": chosen.sl_ci[c][t],
                "abandon_rate": chosen.ab_mean[c][t] if kind_c != "email" else math.nan,
                "abandon_rate_ci95": chosen.ab_ci[c][t] if kind_c != "email" else math.nan,
                "met": met, "why": ", ".join(why),
            })
    intervals = pd.DataFrame(rows, columns=list(PLAN_COLUMNS))
    group_rows = []
    for g in group_names:
        schedule = chosen.schedules[g]
        under = (schedule.intervals["understaffed_agents"].to_numpy(dtype=float) if schedule is not None
                 else np.zeros(n))
        for t in range(n):
            group_rows.append({
                "interval": t, "start": labels[t], "group": g, "analytic_headcount": int(analytic_target[g][t]),
                "first_staffed": int(first.staffed[g][t]), "final_target": int(chosen.targets[g][t]),
                "final_staffed": int(chosen.staffed[g][t]), "seat_shortfall": int(chosen.seat_shortfall[t]),
                "schedule_shortfall": float(under[t]),
            })
    groups = pd.DataFrame(group_rows, columns=list(GROUP_COLUMNS))
    iterations = pd.DataFrame([{
        "iteration": it.index, "cost": it.cost, "paid_hours": it.paid_hours, "burst_cost": it.burst_cost,
        "missed_intervals": int(sum(m.sum() for m in it.missed.values())), "agents_added": it.added,
        "agents_removed": it.removed, "blocked_intervals": it.blocked, "goal_met": it.goal_met,
    } for it in history], columns=list(ITERATION_COLUMNS))
    planned = scenario.model_copy(update={"staff": tuple(
        group.model_copy(update={"agents": tuple(int(x) for x in chosen.staffed[group.name])}) for group in scenario.staff)})
    if not goals:
        notes.append("no channel has a service-level goal: the plan is the analytic schedule, simulated once")
    if replications < 2:
        notes.append("one replication: no confidence intervals, the criterion uses the mean alone")
    schedules = {g: s for g, s in chosen.schedules.items() if s is not None}
    return PlanResult(
        scenario=scenario, planned=planned, setup_kind=kind, intervals=intervals, groups=groups,
        iterations=iterations, schedules=schedules, horizon=chosen.horizon, chosen_iteration=chosen.index,
        converged=converged, goal_met=chosen.goal_met, replications=replications, seed=seed,
        max_iterations=max_iterations, currency=scenario.costs.currency, criterion=criterion, notes=tuple(notes),
    )
