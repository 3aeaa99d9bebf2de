"""What-if studies: one parameter of a scenario varied, each variant validated like a file and simulated.

Each variant is the scenario's data with one parameter changed (:data:`SENSITIVITY_PARAMETERS`),
validated by the same loader as a file, and run by :func:`scenarios.studies.run.run_setup` with
the same seed (common random numbers), so the curves show the parameter's effect and not new
customers. :func:`sensitivity_table` keeps the roster fixed (what happens to service);
:func:`resized_sensitivity_table` re-sizes the staff at each point (how many agents and how much
staff cost the change saves), optionally checked by simulation.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from scenarios.bridge.effects import setup_effects
from scenarios.bridge.requirements import scenario_requirements
from scenarios.document.loader import parse_scenario
from scenarios.document.setups import AS_GIVEN
from scenarios.errors import ScenarioError
from scenarios.studies.run import run_setup

__all__ = ["SENSITIVITY_PARAMETERS", "MAX_WHAT_IF_VALUES", "SENSITIVITY_COLUMNS", "RESIZE_COLUMNS", "variant_data", "variant_scenario",
           "sensitivity_table", "resized_roster", "resized_sensitivity_table"]

SENSITIVITY_PARAMETERS = {
    "volume_change_percent": ("Volume change (%)", (-20.0, -10.0, 0.0, 10.0, 20.0)),
    "bot_resolved_share": ("Bot deflection (share resolved by the bot)", (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)),
    "aht_change_seconds": ("AHT change (seconds)", (-40.0, -20.0, 0.0, 20.0, 40.0)),
    "agents_change_percent": ("Staff change (% of scheduled agents)", (-20.0, -10.0, 0.0, 10.0, 20.0)),
}
"""What-if parameters: key -> (label with unit, default values)."""

MAX_WHAT_IF_VALUES = 50
"""Most values one what-if curve may have (each is a scenario variant; simulated ones are whole runs)."""

SENSITIVITY_COLUMNS = ("value", "metric", "mean", "ci95")
"""Columns of :func:`sensitivity_table`."""


def _check_values(values) -> None:
    if not 1 <= len(values) <= MAX_WHAT_IF_VALUES:
        raise ScenarioError(f"values: give 1..{MAX_WHAT_IF_VALUES} what-if values, got {len(values)}")


def _scaled(values, factor: float):
    return [v * factor for v in values] if isinstance(values, list) else values * factor


def variant_data(data: dict, parameter: str, value: float) -> dict:
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
        raise ScenarioError(f"unknown what-if parameter {parameter!r}; parameters are {', '.join(SENSITIVITY_PARAMETERS)}")
    return data


def variant_scenario(scenario_data: dict, parameter: str, value: float):
    """The validated :class:`~scenarios.document.scenario.Scenario` of one what-if point."""
    return parse_scenario(variant_data(scenario_data, parameter, float(value)), source=f"what-if {parameter}={value:g}")


def sensitivity_table(scenario_data: dict, parameter: str, values: tuple[float, ...], replications: int,
                      seed: int, setup_kind: str = AS_GIVEN) -> pd.DataFrame:
    """Simulated service level per channel and cost per contact as one parameter varies.

    Each value is a variant of the scenario, validated like a file and simulated with the same
    seed (common random numbers), under the setup ``setup_kind`` (``"as-given"`` or a kind).

    Returns
    -------
    pandas.DataFrame
        Columns ``value``, ``metric`` (``<channel>.service_level``, ``cost_per_contact``...),
        ``mean``, ``ci95``.
    """
    _check_values(values)
    rows = []
    for value in values:
        run = run_setup(variant_scenario(scenario_data, parameter, value), setup_kind, replications, seed)
        for metric, (mean, half) in run.metrics().items():
            if metric.endswith((".service_level", ".abandon_rate", ".asa_seconds")) or metric == "cost_per_contact":
                rows.append({"value": float(value), "metric": metric, "mean": mean, "ci95": half})
    return pd.DataFrame(rows, columns=list(SENSITIVITY_COLUMNS))


RESIZE_COLUMNS = ("value", "required_agent_hours", "peak_required_agents", "agents_saved_peak", "agent_hours_saved",
                  "staff_cost", "staff_cost_saved", "service_level_checked", "service_level_checked_ci95")
"""Columns of :func:`resized_sensitivity_table`."""


def _required_agents(scenario, setup_kind: str) -> np.ndarray:
    """Agents to schedule (after shrinkage, all channels) per interval: the analytic requirement."""
    table = scenario_requirements(scenario, setup_kind)
    return table.groupby("interval")["scheduled_agents"].sum().reindex(range(scenario.intervals)).to_numpy(dtype=float)


def resized_roster(scenario, setup_kind: str = AS_GIVEN) -> dict:
    """The scenario's data with every group's agents re-sized to the analytic requirement.

    Per interval, each group's scheduled agents are multiplied by the requirement (agents to
    schedule after shrinkage, all channels, :func:`scenarios.bridge.requirements.scenario_requirements`
    under ``setup_kind``) over the roster in force, and rounded up; a group keeps its share of
    the roster. Intervals without any roster get the requirement on the first group.
    """
    effects = setup_effects(scenario, setup_kind)
    required = _required_agents(scenario, setup_kind)
    scheduled = effects.scheduled_agents(scenario)
    total = np.sum(list(scheduled.values()), axis=0, dtype=float)
    data = scenario.model_dump(mode="json", exclude_unset=True)
    for index, group in enumerate(scenario.staff):
        agents = scheduled[group.name].astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            resized = np.where(total > 0, np.ceil(agents * required / np.where(total > 0, total, 1.0) - 1e-9),
                               required if index == 0 else 0.0)
        data["staff"][index]["agents"] = [int(max(0, v)) for v in resized]
    for entry in [data.get("setup"), *data.get("setups", [])]:
        if entry and entry.get("kind") == "virtual":
            entry.pop("schedules", None)  # the re-sized roster replaces the split shifts
    return data


def resized_sensitivity_table(scenario_data: dict, parameter: str, values: tuple[float, ...], *,
                              setup_kind: str = AS_GIVEN, check_replications: int = 0, seed: int = 1) -> pd.DataFrame:
    """How many agents (and how much staff cost) each what-if point saves, the staff re-sized each time.

    For each value the variant's analytic requirement (agents to schedule after shrinkage, all
    channels, per interval) is computed under ``setup_kind``; "saved" is the requirement of the
    scenario as it is (the parameter's neutral point) minus the variant's. The staff cost is the
    requirement's agent-hours x ``costs.agent_hourly_cost``. With ``check_replications`` > 0,
    each variant is simulated with its roster re-sized to that requirement (:func:`resized_roster`)
    and the service level of the first real-time channel is reported (mean and 95 % half-width;
    the same seed for every point).

    Returns
    -------
    pandas.DataFrame
        :data:`RESIZE_COLUMNS`, one row per value. Positive ``*_saved`` means fewer agents than today.
    """
    _check_values(values)
    base = parse_scenario(json.loads(json.dumps(scenario_data)), source="what-if base")
    hours = base.interval_minutes / 60.0
    base_required = _required_agents(base, setup_kind)
    rows = []
    for value in values:
        variant = variant_scenario(scenario_data, parameter, value)
        required = _required_agents(variant, setup_kind)
        level, half = float("nan"), float("nan")
        if check_replications > 0:
            checked = parse_scenario(resized_roster(variant, setup_kind), source=f"what-if {parameter}={value:g} re-sized")
            run = run_setup(checked, setup_kind, int(check_replications), int(seed))
            realtime = [m for m in run.metrics() if m.endswith(".asa_seconds")]
            if realtime:
                level, half = run.metrics()[realtime[0].replace(".asa_seconds", ".service_level")]
        agent_hours = float(required.sum()) * hours
        saved_hours = float(base_required.sum()) * hours - agent_hours
        rate = variant.costs.agent_hourly_cost
        rows.append({"value": float(value), "required_agent_hours": agent_hours,
                     "peak_required_agents": float(required.max()),
                     "agents_saved_peak": float(base_required.max() - required.max()),
                     "agent_hours_saved": saved_hours, "staff_cost": agent_hours * rate,
                     "staff_cost_saved": saved_hours * rate,
                     "service_level_checked": level, "service_level_checked_ci95": half})
    return pd.DataFrame(rows, columns=list(RESIZE_COLUMNS))
