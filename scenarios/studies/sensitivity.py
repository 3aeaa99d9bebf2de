"""What-if studies: one parameter of a scenario varied, each variant validated like a file and simulated.

Each variant is the scenario's data with one parameter changed (:data:`SENSITIVITY_PARAMETERS`),
validated by the same loader as a file, and run by :func:`scenarios.studies.run.run_setup` with
the same seed (common random numbers), so the curves show the parameter's effect and not new
customers.
"""

from __future__ import annotations

import json

import pandas as pd

from scenarios.document.loader import parse_scenario
from scenarios.document.setups import AS_GIVEN
from scenarios.errors import ScenarioError
from scenarios.studies.run import run_setup

__all__ = ["SENSITIVITY_PARAMETERS", "SENSITIVITY_COLUMNS", "variant_data", "variant_scenario", "sensitivity_table"]

SENSITIVITY_PARAMETERS = {
    "volume_change_percent": ("Volume change (%)", (-20.0, -10.0, 0.0, 10.0, 20.0)),
    "bot_resolved_share": ("Bot deflection (share resolved by the bot)", (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)),
    "aht_change_seconds": ("AHT change (seconds)", (-40.0, -20.0, 0.0, 20.0, 40.0)),
    "agents_change_percent": ("Staff change (% of scheduled agents)", (-20.0, -10.0, 0.0, 10.0, 20.0)),
}
"""What-if parameters: key -> (label with unit, default values)."""

SENSITIVITY_COLUMNS = ("value", "metric", "mean", "ci95")
"""Columns of :func:`sensitivity_table`."""


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
    rows = []
    for value in values:
        run = run_setup(variant_scenario(scenario_data, parameter, value), setup_kind, replications, seed)
        for metric, (mean, half) in run.metrics().items():
            if metric.endswith((".service_level", ".abandon_rate", ".asa_seconds")) or metric == "cost_per_contact":
                rows.append({"value": float(value), "metric": metric, "mean": mean, "ci95": half})
    return pd.DataFrame(rows, columns=list(SENSITIVITY_COLUMNS))
