"""Cached calls into the engines: the scenario's canonical JSON and primitives in, tables out.

Every function takes the scenario as its canonical JSON string (``Scenario.to_canonical_json``)
plus primitives, so ``st.cache_data`` hashes a few kilobytes of text and the same question is
answered once per server. The functions only translate a scenario into the engines' arguments
and collect their tables; the maths lives in :mod:`staffing`, :mod:`simulator` and
:mod:`scenarios`. The simulation functions can draw their own progress bar: Streamlit replays
the elements a cached function drew, which works only for elements it created itself.

Returned values are plain pandas DataFrames or dicts of them (pickled by the cache).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypedDict

import pandas as pd
import streamlit as st

from scenarios import AS_GIVEN, Scenario, parse_scenario, run_setup
from scenarios.bridge import channel_order
from scenarios.bridge.requirements import (
    arrivals_frame,
    performance_at_schedule,
    scenario_requirements,
    schedule_coverage,
)
from scenarios.document import clock, parse_seasonal
from scenarios.document.files import FileRoot
from scenarios.report.excel import comparison_tables as _comparison_sheets
from scenarios.report.excel import plan_tables as _plan_sheets
from scenarios.report.excel import run_tables as _run_sheets
from scenarios.report.excel import workbook_bytes
from scenarios.report.kpis import INTERVAL_KPIS
from scenarios.report.stats import interval_summary
from scenarios.report.text import precision_lines
from scenarios.studies.compare import compare, compare_scenarios
from scenarios.studies.plan import DECISIONS, WHY_LABELS, RosterRules, plan_staffing
from scenarios.studies.run import RunLength, describe_run_length, precision_target, run_length
from scenarios.studies.seasonal import plan_seasonal
from scenarios.studies.sensitivity import (
    SENSITIVITY_PARAMETERS,
    resized_sensitivity_table,
    variant_scenario,
)
from scenarios.studies.sensitivity import sensitivity_table as _sensitivity_table

__all__ = [
    "SENSITIVITY_PARAMETERS",
    "INTERVAL_KPIS",
    "scenario_from_json",
    "channel_order",
    "arrivals_table",
    "staffing_tables",
    "staffing_xlsx",
    "simulation_tables",
    "comparison_tables",
    "variant_json",
    "sensitivity_table",
    "seasonal_plan",
    "schedule_plan",
    "scenario_comparison",
    "resized_table",
    "WHY_LABELS",
    "DECISIONS",
    "ROSTER_DEFAULTS",
]

class _CacheOptions(TypedDict):
    show_spinner: bool
    max_entries: int


_CACHE: _CacheOptions = {"show_spinner": False, "max_entries": 128}


# --------------------------------------------------------------------------- helpers
def scenario_from_json(scenario_json: str) -> Scenario:
    """Rebuild a :class:`Scenario` from its canonical JSON (validated again, cheaply)."""
    return parse_scenario(json.loads(scenario_json), source="<dashboard scenario>")


# --------------------------------------------------------------------------- scenario view
@st.cache_data(**_CACHE)
def arrivals_table(scenario_json: str) -> pd.DataFrame:
    """Would-be contacts per interval and channel (the intraday curve), tidy.

    Returns
    -------
    pandas.DataFrame
        Columns ``interval``, ``interval_start``, ``channel``, ``kind``, ``arrivals``.
    """
    return arrivals_frame(scenario_from_json(scenario_json))


# --------------------------------------------------------------------------- staffing view
@st.cache_data(**_CACHE)
def staffing_tables(scenario_json: str, setup_kind: str = AS_GIVEN) -> dict[str, pd.DataFrame]:
    """Analytic staffing of every channel, the schedule, and voice performance at the schedule.

    Everything is computed under ``setup_kind`` exactly as the simulation compiles it
    (:func:`scenarios.bridge.effects.setup_effects`): virtual split-shift schedules, the in-house
    seat cap, the virtual AHT factor and shrinkage change, cloud notifications.

    Parameters
    ----------
    scenario_json : str
        Canonical JSON of the scenario.
    setup_kind : str
        ``"as-given"`` (the scenario's own ``setup``, possibly none), ``"in-house"``,
        ``"virtual"`` or ``"cloud"``.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``requirements``: :data:`staffing.REQUIREMENT_COLUMNS` plus ``kind``, one row per
        interval x channel (the channel column holds the scenario's channel name).
        ``schedule``: :func:`scenarios.bridge.requirements.schedule_coverage` (scheduled, seated
        and seat shortfall per interval, beside the requirement).
        ``at_schedule``: :func:`scenarios.bridge.requirements.performance_at_schedule` (Erlang C
        and Erlang A of voice channels at the seated schedule).
    """
    scenario = scenario_from_json(scenario_json)
    return {
        "requirements": scenario_requirements(scenario, setup_kind),
        "schedule": schedule_coverage(scenario, setup_kind),
        "at_schedule": performance_at_schedule(scenario, setup_kind),
    }


@st.cache_data(**_CACHE)
def staffing_xlsx(scenario_json: str, setup_kind: str = AS_GIVEN) -> bytes:
    """:func:`staffing_tables` as an Excel workbook (requirements, schedule, at schedule), made once per question."""
    tables = staffing_tables(scenario_json, setup_kind)
    return workbook_bytes({"requirements": tables["requirements"], "schedule": tables["schedule"],
                           "at schedule": tables["at_schedule"]})


# --------------------------------------------------------------------------- simulation view
_WITHIN_REPLICATION_SECONDS = 0.25
"""Progress within a replication updates a dashboard progress bar at most this often (seconds)."""

def _progress_bar(show: bool, what: str, unit: str = "replications") -> Callable[[float, int], None] | None:
    """A ``progress(done, total)`` callback drawing an ``st.progress`` bar (created here, see above).

    Each update is a Streamlit call, so a run whose session reruns (the Cancel button, another
    widget) or disconnects (the tab is closed) stops at its next update instead of running on.
    """
    if not show:
        return None
    bar = st.progress(0.0, text=f"{what}...")
    last = [-math.inf]

    def progress(done: float, total: int) -> None:
        if done != int(done) and time.perf_counter() - last[0] < _WITHIN_REPLICATION_SECONDS:
            return  # within a replication (interval boundaries): at most a few updates a second
        last[0] = time.perf_counter()
        bar.progress(min(1.0, done / total), text=f"{what}: {int(done)} of {total} {unit}")

    return progress


@st.cache_data(**_CACHE)
def simulation_tables(scenario_json: str, replications: int | None, precision_points: float | None, seed: int,
                      setup_kind: str, *, show_progress: bool = False) -> dict:
    """Simulate the scenario (compiled under ``setup_kind``) and collect its tables.

    Parameters
    ----------
    scenario_json : str
        Canonical JSON of the scenario.
    replications : int or None
        A fixed number of independent replications (>= 1); None: run to a precision target.
    precision_points : float or None
        With ``replications`` None: the precision target's 95 % half-width on service level and
        abandon rate, percentage points, in (0, 50] (the rest of the target from the file's
        ``precision:`` block or the defaults: :func:`scenarios.studies.run.precision_target`);
        None: the file's block or the default target. Replications are added until it is met
        (control variates sharpen the estimates, :func:`scenarios.studies.run.run_setup`).
    seed : int
        Root seed.
    setup_kind : str
        ``"as-given"`` (the scenario's own ``setup``, possibly none), ``"in-house"``,
        ``"virtual"`` or ``"cloud"``.
    show_progress : bool
        Draw a progress bar (replications done) where the function is called. The bar is created
        inside the cached function, so a cache hit replays it complete (a bar created outside
        cannot be updated from a cached function: Streamlit could not replay it).

    Returns
    -------
    dict
        ``summary`` (channel x KPI with mean, ci95, ci95_low, ci95_high, replications),
        ``intervals`` (tidy, per replication), ``interval_summary`` (per interval x channel x
        KPI: kind, mean and ci95), ``groups``, ``costs`` (item -> mean), ``cost_per_contact`` and
        ``total_cost`` ((mean, ci95)), ``notes``, ``seed``, ``replications`` (used), ``run_length``
        (the target or count in words), ``precision`` (the lines of
        :func:`scenarios.report.text.precision_lines`: target met or not, half-widths reached,
        control variates), ``precision_met`` (None with a fixed count), ``setup``, ``xlsx`` (the
        tables of ``ccplan simulate --xlsx``), ``campaigns`` (outbound campaign x KPI with mean
        and interval, or None without ``outbound:``) and ``campaign_intervals`` (per replication x
        interval x campaign, or None).
    """
    scenario = scenario_from_json(scenario_json)
    length: RunLength
    if replications is None:
        length = precision_target(scenario.precision, share_points=precision_points)
    else:
        length = run_length(scenario, replications=replications)
    run = run_setup(scenario, setup_kind, length, seed, progress=_progress_bar(show_progress, "Simulating"))
    compiled, result, costs = run.compiled, run.result, run.costs
    labels = scenario.interval_labels()
    intervals = result.intervals.copy()
    intervals.insert(2, "interval_start", [labels[i] for i in intervals["interval"]])
    return {
        "summary": result.summary().copy(),
        "intervals": intervals,
        "interval_summary": interval_summary(result.intervals, labels,
                                             {name: scenario.channel_kind(name) for name in scenario.channels}),
        "groups": result.groups.copy(),
        "costs": costs.to_json_dict(),
        "notes": list(costs.notes),
        "seed": result.seed,
        "replications": result.replications,
        "run_length": describe_run_length(length),
        "precision": precision_lines(result),
        "precision_met": None if result.precision is None else result.precision.met,
        "setup": compiled.setup_kind,
        "xlsx": workbook_bytes(_run_sheets(run)),
        "campaigns": None if result.campaign_summary is None else result.campaign_summary.copy(),
        "campaign_intervals": None if result.campaigns is None else result.campaigns.copy(),
    }


# --------------------------------------------------------------------------- compare view
@st.cache_data(**_CACHE)
def comparison_tables(scenario_json: str, replications: int, seed: int, *, show_progress: bool = False) -> dict:
    """:func:`scenarios.studies.compare.compare` over in-house, virtual and cloud (common random numbers).

    ``show_progress`` draws a progress bar as in :func:`simulation_tables`.

    Returns
    -------
    dict
        ``table`` (metric x setup means), ``tidy`` (setup, metric, mean, ci95), ``notes``
        (setup -> cost notes), ``currency``, ``seed``, ``replications``.
    """
    scenario = scenario_from_json(scenario_json)
    comparison = compare(scenario, replications=replications, seed=seed,
                         progress=_progress_bar(show_progress, "Simulating in-house, virtual and cloud"))
    notes = {run.kind: list(run.costs.notes) for run in comparison.runs}
    return {
        "table": comparison.table(),
        "tidy": comparison.to_frame(),
        "xlsx": workbook_bytes(_comparison_sheets(comparison)),
        "notes": notes,
        "currency": scenario.costs.currency,
        "seed": comparison.seed,
        "replications": comparison.replications,
    }


@st.cache_data(**_CACHE)
def scenario_comparison(named_json: tuple[tuple[str, str], ...], replications: int, seed: int, setup_kind: str, *,
                        show_progress: bool = False) -> dict:
    """:func:`scenarios.studies.compare.compare_scenarios` of saved scenarios (name, canonical JSON) pairs.

    Returns
    -------
    dict
        ``tidy`` (scenario, metric, mean, ci95: KPIs, costs and staffing), ``table`` (metric x
        scenario means), ``currency`` (of the first scenario), ``xlsx`` (both tables as a workbook).
    """
    scenarios = {name: scenario_from_json(text) for name, text in named_json}
    comparison = compare_scenarios(scenarios, replications, seed, setup_kind,
                                   progress=_progress_bar(show_progress, "Simulating the scenarios"))
    tidy, table = comparison.to_frame(), comparison.table().reset_index()
    return {"tidy": tidy, "table": table, "currency": next(iter(scenarios.values())).costs.currency,
            "xlsx": workbook_bytes({"scenarios": table, "tidy": tidy})}


# --------------------------------------------------------------------------- sensitivity view
@st.cache_data(**_CACHE)
def variant_json(scenario_json: str, parameter: str, value: float) -> str:
    """Canonical JSON of the scenario with one what-if parameter changed (validated like a file).

    ``value`` 0 returns the scenario unchanged (every parameter of
    :data:`SENSITIVITY_PARAMETERS` except ``bot_resolved_share`` is a change).
    """
    if value == 0 and parameter != "bot_resolved_share":
        return scenario_json
    return variant_scenario(json.loads(scenario_json), parameter, float(value)).to_canonical_json()


@st.cache_data(**_CACHE)
def sensitivity_table(scenario_json: str, parameter: str, values: tuple[float, ...], replications: int,
                      seed: int, setup_kind: str) -> pd.DataFrame:
    """Simulated service level per channel and cost per contact as one parameter varies.

    Each value is a variant of the scenario, validated like a file and simulated with the same
    seed (common random numbers), under the setup ``setup_kind`` (``"as-given"`` or a kind).

    Returns
    -------
    pandas.DataFrame
        Columns ``value``, ``metric`` (``<channel>.service_level``, ``cost_per_contact``...),
        ``mean``, ``ci95``.
    """
    return _sensitivity_table(json.loads(scenario_json), parameter, values, replications, seed, setup_kind)


# --------------------------------------------------------------------------- schedule view
def _shift_bars(schedules: dict, interval_minutes: float) -> pd.DataFrame:
    """One row per group x shift kind with its position on the interval grid (for the Gantt chart).

    ``breaks`` holds each break as ``(intervals after the shift start, length in intervals)``;
    the scheduler gives every break's start as a clock time (``break_start``, comma-separated).
    """
    frames = []
    for group, result in schedules.items():
        if result is None or result.schedule.empty:
            continue
        table = result.schedule.copy()
        templates = {template.name: template for template in result.templates}
        lengths, breaks = [], []
        for _, row in table.iterrows():
            template = templates[row["template"]]
            lengths.append(template.length_minutes / interval_minutes)
            starts = [part for part in str(row["break_start"] or "").split(",") if part.strip()]
            placed = []
            for part, (minutes, _, _) in zip(starts, template.breaks, strict=False):
                offset = (clock.parse_clock(part.strip()) - template.start_minute) % 1440
                placed.append((offset / interval_minutes, minutes / interval_minutes))
            breaks.append(tuple(placed))
        table.insert(0, "group", group)
        table["length_intervals"] = lengths
        table["breaks"] = breaks
        frames.append(table)
    if not frames:
        return pd.DataFrame(columns=["group", "start", "end", "start_interval", "length_intervals", "breaks",
                                     "headcount"])
    return pd.concat(frames, ignore_index=True)


ROSTER_DEFAULTS = RosterRules()
"""The planner's default roster rules (:class:`scenarios.studies.plan.RosterRules`), the Schedule view's defaults."""


@st.cache_data(**_CACHE)
def schedule_plan(scenario_json: str, setup_kind: str, replications: int, max_replications: int, seed: int,
                  max_iterations: int, *, shift_hours: tuple[float, ...] = ROSTER_DEFAULTS.shift_hours,
                  part_time_hours: tuple[float, ...] = ROSTER_DEFAULTS.part_time_hours,
                  max_part_time_share: float | None = ROSTER_DEFAULTS.max_part_time_share,
                  break_count: int = ROSTER_DEFAULTS.break_count, break_minutes: int = ROSTER_DEFAULTS.break_minutes,
                  break_window_hours: tuple[float, float] = ROSTER_DEFAULTS.break_window_hours,
                  start_step_minutes: int = ROSTER_DEFAULTS.start_step_minutes, seats: int | None = None,
                  show_progress: bool = False) -> dict:
    """The simulation-checked staffing plan (``ccplan plan``) of the scenario, as tables.

    Parameters
    ----------
    scenario_json : str
        Canonical JSON of the scenario.
    setup_kind, replications, max_replications, seed, max_iterations
        As :func:`scenarios.studies.plan.plan_staffing` (``replications`` is the first batch of
        each iteration, ``max_replications`` the most while an interval's goal is undecided).
    shift_hours, part_time_hours, max_part_time_share, break_count, break_minutes, break_window_hours, start_step_minutes, seats
        The roster rules, one to one the fields of :class:`scenarios.studies.plan.RosterRules`
        (validated there: a rule out of range raises a ``ScenarioError`` naming it). ``seats``
        None: the in-house setup's seats (none for other setups), shared by all groups.
    show_progress : bool
        Draw a progress bar of the iterations, as in :func:`simulation_tables`.

    Returns
    -------
    dict
        ``intervals`` (with the goal ``decision`` met / missed / undecided and the
        ``replications`` used per interval), ``groups``, ``iterations``, ``horizon`` (the plan's
        tables), ``shifts`` (one row per group x shift kind, placed on the interval grid),
        ``labels`` (interval clock labels), ``cost``, ``paid_hours``, ``currency``,
        ``converged``, ``goal_met``, ``chosen_iteration``, ``replications`` (of the chosen
        iteration), ``total_replications`` (all iterations), ``seats`` (shared by all groups,
        None: no cap), ``notes``, ``rule`` (the goal rule in words), ``xlsx``
        (every table and each group's shifts as an Excel workbook, :mod:`scenarios.report.excel`).
    """
    scenario = scenario_from_json(scenario_json)
    rules = RosterRules(shift_hours=tuple(shift_hours), part_time_hours=tuple(part_time_hours),
                        max_part_time_share=max_part_time_share, break_count=break_count, break_minutes=break_minutes,
                        break_window_hours=(float(break_window_hours[0]), float(break_window_hours[1])), start_step_minutes=start_step_minutes,
                        seats=seats)
    progress = _progress_bar(show_progress, "Planning: shifts, then simulation", "iterations at most")
    plan = plan_staffing(scenario, setup_kind, replications=replications, max_replications=max_replications, seed=seed,
                         max_iterations=max_iterations, rules=rules, progress=progress)
    return {
        "intervals": plan.intervals.copy(), "groups": plan.groups.copy(), "iterations": plan.iterations.copy(),
        "horizon": plan.horizon.copy(), "shifts": _shift_bars(plan.schedules, scenario.interval_minutes),
        "labels": scenario.interval_labels(), "cost": plan.cost, "paid_hours": plan.paid_hours,
        "currency": plan.currency, "converged": plan.converged, "goal_met": plan.goal_met,
        "chosen_iteration": plan.chosen_iteration, "replications": plan.replications,
        "total_replications": plan.total_replications, "seats": plan.seats, "notes": list(plan.notes),
        "rule": plan.rule, "xlsx": workbook_bytes(_plan_sheets(plan)),
    }


@st.cache_data(**_CACHE)
def resized_table(scenario_json: str, parameter: str, values: tuple[float, ...], setup_kind: str,
                  check_replications: int, seed: int) -> pd.DataFrame:
    """:func:`scenarios.studies.sensitivity.resized_sensitivity_table`: agents and staff cost saved per what-if point."""
    return resized_sensitivity_table(json.loads(scenario_json), parameter, values, setup_kind=setup_kind,
                                     check_replications=check_replications, seed=seed)


# --------------------------------------------------------------------------- seasonal view
@st.cache_data(**_CACHE)
def seasonal_plan(plan_json: str, base_dir: str, confined: bool = False) -> dict:
    """Required FTE per period and a least-cost hiring plan per setup, from a seasonal-plan file.

    Parameters
    ----------
    plan_json : str
        JSON of a seasonal-plan file's data (schema: :mod:`scenarios.document.seasonal_file`).
    base_dir : str
        Folder the file's history CSV is relative to.
    confined : bool
        True for an upload: the history may only be a file of the upload's folder
        (:meth:`scenarios.document.files.FileRoot.upload`).

    Returns
    -------
    dict
        ``name``, ``periods``; ``required`` (tidy: period, channel, volume, required_fte);
        ``forecast_methods`` (channel -> method); ``plans`` (setup -> per-period table,
        :data:`staffing.seasonal.CAPACITY_COLUMNS`); ``comparison`` (one row per setup).
    """
    plan = parse_seasonal(json.loads(plan_json), source="seasonal plan")
    report = plan_seasonal(plan, base_dir=FileRoot(Path(base_dir), confined))
    return {
        "name": report.name,
        "periods": list(report.periods),
        "required": report.required_by_channel,
        "forecast_methods": dict(report.forecast_methods),
        "plans": {name: result.to_frame() for name, result in report.comparison.plans.items()},
        "comparison": report.comparison.to_frame(),
    }
