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
from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from scenarios.compare import compare, run_setup
from scenarios.compile import compile_scenario
from scenarios.costs import estimate_costs
from scenarios.demand import resolve_arrivals
from scenarios.loader import parse_scenario
from scenarios.requirements import (
    agent_workload,
    channel_order,
    interval_labels,
    scenario_requirements,
)
from scenarios.schema import Scenario
from scenarios.seasonal import compile_seasonal
from scenarios.seasonal_file import parse_seasonal
from simulator import ci95_half_width, simulate
from staffing import erlang_a, seasonal
from staffing import requirements as req

__all__ = [
    "SENSITIVITY_PARAMETERS",
    "INTERVAL_KPIS",
    "scenario_from_json",
    "interval_labels",
    "channel_order",
    "arrivals_table",
    "staffing_tables",
    "simulation_tables",
    "comparison_tables",
    "variant_json",
    "sensitivity_table",
    "seasonal_plan",
]

_CACHE = {"show_spinner": False, "max_entries": 128}

SENSITIVITY_PARAMETERS = {
    "volume_change_percent": ("Volume change (%)", (-20.0, -10.0, 0.0, 10.0, 20.0)),
    "bot_resolved_share": ("Bot deflection (share resolved by the bot)", (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)),
    "aht_change_seconds": ("AHT change (seconds)", (-40.0, -20.0, 0.0, 20.0, 40.0)),
    "agents_change_percent": ("Staff change (% of scheduled agents)", (-20.0, -10.0, 0.0, 10.0, 20.0)),
}
"""What-if parameters: key -> (label with unit, default values)."""

INTERVAL_KPIS = ("service_level", "asa_seconds", "abandon_rate", "occupancy", "mean_queue_length", "backlog_end",
                 "offered", "answered", "abandoned")
"""Per-interval simulation KPIs summarised over replications (mean and 95 % half-width)."""


# --------------------------------------------------------------------------- helpers
def scenario_from_json(scenario_json: str) -> Scenario:
    """Rebuild a :class:`Scenario` from its canonical JSON (validated again, cheaply)."""
    return parse_scenario(json.loads(scenario_json), source="<dashboard scenario>")


def _agents(group, intervals: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(group.agents, dtype=float), (intervals,))


# --------------------------------------------------------------------------- scenario view
@st.cache_data(**_CACHE)
def arrivals_table(scenario_json: str) -> pd.DataFrame:
    """Would-be contacts per interval and channel (the intraday curve), tidy.

    Returns
    -------
    pandas.DataFrame
        Columns ``interval``, ``interval_start``, ``channel``, ``kind``, ``arrivals``.
    """
    scenario = scenario_from_json(scenario_json)
    labels = interval_labels(scenario)
    frames = []
    for name in channel_order(scenario):
        frames.append(pd.DataFrame({
            "interval": np.arange(scenario.intervals), "interval_start": labels, "channel": name,
            "kind": scenario.channel_kind(name), "arrivals": resolve_arrivals(scenario, name),
        }))
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------- staffing view
@st.cache_data(**_CACHE)
def staffing_tables(scenario_json: str) -> dict[str, pd.DataFrame]:
    """Analytic staffing of every channel, the schedule, and voice performance at the schedule.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``requirements``: :data:`staffing.REQUIREMENT_COLUMNS` plus ``kind``, one row per
        interval x channel (the channel column holds the scenario's channel name).
        ``schedule``: per interval, ``interval_start``, ``required_scheduled`` (agents to schedule
        after shrinkage, all channels) and ``scheduled`` (the scenario's headcount, all groups),
        plus ``scheduled:<channel>`` and ``available:<channel>`` (net of shrinkage, whole agents) for
        channels served by dedicated groups.
        ``at_schedule``: Erlang A performance of voice channels served by dedicated groups at the
        scheduled agents net of shrinkage (``channel``, ``interval_start``, ``available_agents``,
        ``service_level``, ``asa_seconds``, ``abandon_rate``, ``occupancy``).
    """
    scenario = scenario_from_json(scenario_json)
    labels = interval_labels(scenario)
    n = scenario.intervals
    hours = scenario.interval_minutes / 60.0
    at_schedule = []
    schedule = pd.DataFrame({"interval": np.arange(n), "interval_start": labels})
    requirements = scenario_requirements(scenario)
    for name in channel_order(scenario):
        dedicated = [g for g in scenario.staff if tuple(g.channels) == (name,)]
        if not dedicated:
            continue
        schedule[f"scheduled:{name}"] = sum(_agents(g, n) for g in dedicated)
        available = np.floor(sum(_agents(g, n) * (1.0 - g.shrinkage) for g in dedicated) + 1e-9)
        schedule[f"available:{name}"] = available
        channel = scenario.channels[name]
        if scenario.channel_kind(name) == "voice":
            to_agents, handle = agent_workload(scenario, name)
            rate = to_agents / hours
            patience = channel.patience_seconds if channel.patience_seconds is not None else math.inf
            target = channel.service_level.target_seconds if channel.service_level else 20.0
            result = erlang_a(rate, handle, patience, available, target)
            at_schedule.append(pd.DataFrame({
                "channel": name, "interval": np.arange(n), "interval_start": labels, "available_agents": available,
                "service_level": result.service_level, "asa_seconds": result.asa_seconds,
                "abandon_rate": result.p_abandon, "occupancy": result.occupancy,
            }))
    schedule["required_scheduled"] = (
        requirements.groupby(req.COLUMN_INTERVAL)[req.COLUMN_SCHEDULED_AGENTS].sum().reindex(range(n)).to_numpy(dtype=float))
    schedule["scheduled"] = sum(_agents(g, n) for g in scenario.staff)
    columns = ["channel", "interval", "interval_start", "available_agents", "service_level", "asa_seconds",
               "abandon_rate", "occupancy"]
    return {
        "requirements": requirements,
        "schedule": schedule,
        "at_schedule": pd.concat(at_schedule, ignore_index=True) if at_schedule else pd.DataFrame(columns=columns),
    }


# --------------------------------------------------------------------------- simulation view
def _progress_bar(show: bool, what: str) -> Callable[[int, int], None] | None:
    """A ``progress(done, total)`` callback drawing an ``st.progress`` bar (created here, see above)."""
    if not show:
        return None
    bar = st.progress(0.0, text=f"{what}...")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"{what}: {done} of {total} replications")

    return progress


def _interval_summary(intervals: pd.DataFrame, labels: list[str], kinds: dict[str, str]) -> pd.DataFrame:
    """Mean and 95 % half-width over replications of :data:`INTERVAL_KPIS`, per interval x channel."""
    rows = []
    for (channel, interval), frame in intervals.groupby(["channel", "interval"], sort=False):
        for kpi in INTERVAL_KPIS:
            values = frame[kpi].to_numpy(dtype=float)
            finite = values[~np.isnan(values)]
            rows.append({"channel": channel, "kind": kinds[channel], "interval": int(interval),
                         "interval_start": labels[int(interval)], "kpi": kpi,
                         "mean": float(finite.mean()) if finite.size else math.nan, "ci95": ci95_half_width(finite)})
    return pd.DataFrame(rows)


@st.cache_data(**_CACHE)
def simulation_tables(scenario_json: str, replications: int, seed: int, setup_kind: str, *,
                      show_progress: bool = False) -> dict:
    """Simulate the scenario (compiled under ``setup_kind``) and collect its tables.

    Parameters
    ----------
    scenario_json : str
        Canonical JSON of the scenario.
    replications : int
        Independent replications (>= 1).
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
        ``summary`` (channel x KPI with mean and ci95), ``intervals`` (tidy, per replication),
        ``interval_summary`` (per interval x channel x KPI: kind, mean and ci95), ``groups``, ``costs``
        (item -> mean), ``cost_per_contact`` and ``total_cost`` ((mean, ci95)), ``notes``,
        ``seed``, ``replications``, ``setup``.
    """
    scenario = scenario_from_json(scenario_json)
    compiled = compile_scenario(scenario, None if setup_kind == "as-given" else setup_kind)
    result = simulate(compiled.model, replications, seed, progress=_progress_bar(show_progress, "Simulating"))
    costs = estimate_costs(compiled, result)
    labels = interval_labels(scenario)
    intervals = result.intervals.copy()
    intervals.insert(2, "interval_start", [labels[i] for i in intervals["interval"]])
    return {
        "summary": result.summary().copy(),
        "intervals": intervals,
        "interval_summary": _interval_summary(result.intervals, labels,
                                              {name: scenario.channel_kind(name) for name in scenario.channels}),
        "groups": result.groups.copy(),
        "costs": costs.to_json_dict(),
        "notes": list(costs.notes),
        "seed": result.seed,
        "replications": result.replications,
        "setup": compiled.setup_kind,
    }


# --------------------------------------------------------------------------- compare view
@st.cache_data(**_CACHE)
def comparison_tables(scenario_json: str, replications: int, seed: int, *, show_progress: bool = False) -> dict:
    """:func:`scenarios.compare.compare` over in-house, virtual and cloud (common random numbers).

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
        "notes": notes,
        "currency": scenario.costs.currency,
        "seed": comparison.seed,
        "replications": comparison.replications,
    }


# --------------------------------------------------------------------------- sensitivity view
def _scaled(values, factor: float):
    return [v * factor for v in values] if isinstance(values, list) else values * factor


def _variant(data: dict, parameter: str, value: float) -> dict:
    """The scenario data with one parameter changed (see :data:`SENSITIVITY_PARAMETERS`)."""
    data = json.loads(json.dumps(data))
    channels = data["channels"]
    if parameter == "volume_change_percent":
        factor = 1.0 + value / 100.0
        for channel in channels.values():
            for key in ("arrivals_per_interval", "daily_total"):
                if channel.get(key) is not None:
                    channel[key] = _scaled(channel[key], factor)
        if data.get("demand"):
            data["demand"]["daily_total"] *= factor
    elif parameter == "bot_resolved_share":
        with_bot = [c for c in channels.values() if c.get("bot")]
        if not with_bot:  # no bot yet: put one in front of every chat channel
            with_bot = [c for name, c in channels.items() if (c.get("kind") or name) == "chat"]
            for channel in with_bot:
                channel["bot"] = {"resolved_share": 0.0, "bot_time_seconds": 60.0}
        for channel in with_bot:
            channel["bot"]["resolved_share"] = value
    elif parameter == "aht_change_seconds":
        for channel in channels.values():
            if channel.get("aht_seconds") is not None:
                channel["aht_seconds"] = max(1.0, channel["aht_seconds"] + value)
    elif parameter == "agents_change_percent":
        factor = 1.0 + value / 100.0
        for group in data["staff"]:
            group["agents"] = [int(round(a * factor)) for a in group["agents"]]
    else:
        raise ValueError(f"unknown what-if parameter {parameter!r}; parameters are {', '.join(SENSITIVITY_PARAMETERS)}")
    return data


@st.cache_data(**_CACHE)
def variant_json(scenario_json: str, parameter: str, value: float) -> str:
    """Canonical JSON of the scenario with one what-if parameter changed (validated like a file).

    ``value`` 0 returns the scenario unchanged (every parameter of
    :data:`SENSITIVITY_PARAMETERS` except ``bot_resolved_share`` is a change).
    """
    if value == 0 and parameter != "bot_resolved_share":
        return scenario_json
    variant = parse_scenario(_variant(json.loads(scenario_json), parameter, float(value)),
                             source=f"what-if {parameter}={value:g}")
    return variant.to_canonical_json()


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
    data = json.loads(scenario_json)
    rows = []
    for value in values:
        variant = parse_scenario(_variant(data, parameter, float(value)), source=f"what-if {parameter}={value:g}")
        run = run_setup(variant, None if setup_kind == "as-given" else setup_kind, replications, seed)
        for metric, (mean, half) in run.metrics().items():
            if metric.endswith((".service_level", ".abandon_rate", ".asa_seconds")) or metric == "cost_per_contact":
                rows.append({"value": float(value), "metric": metric, "mean": mean, "ci95": half})
    return pd.DataFrame(rows, columns=["value", "metric", "mean", "ci95"])


# --------------------------------------------------------------------------- seasonal view
@st.cache_data(**_CACHE)
def seasonal_plan(plan_json: str, base_dir: str) -> dict:
    """Required FTE per period and a least-cost hiring plan per setup, from a seasonal-plan file.

    Parameters
    ----------
    plan_json : str
        JSON of a seasonal-plan file's data (schema: :mod:`scenarios.seasonal_file`).
    base_dir : str
        Folder the file's history CSV is relative to.

    Returns
    -------
    dict
        ``name``, ``periods``; ``required`` (tidy: period, channel, volume, required_fte);
        ``forecast_methods`` (channel -> method); ``plans`` (setup -> per-period table,
        :data:`staffing.seasonal.CAPACITY_COLUMNS`); ``comparison`` (one row per setup).
    """
    plan = parse_seasonal(json.loads(plan_json), source="seasonal plan")
    by_channel, total, workforce, options, methods, settings = compile_seasonal(plan, base_dir=base_dir)
    comparison = seasonal.compare_capacity_options(total, workforce, options, **settings)
    return {
        "name": plan.name,
        "periods": list(settings["periods"]),
        "required": by_channel,
        "forecast_methods": dict(methods),
        "plans": {name: result.to_frame() for name, result in comparison.plans.items()},
        "comparison": comparison.to_frame(),
    }
