"""Analytic staffing requirements of a whole scenario (the bridge to :mod:`staffing`).

:func:`scenario_requirements` maps every channel of a :class:`~scenarios.schema.Scenario` onto
:func:`staffing.interval_requirements` and returns one tidy table (one row per interval x
channel). The mapping is the documented, simple one:

* contacts reaching agents = would-be contacts x (1 - self-service share) x (1 - bot resolved
  share); the handle time is the channel's mean handle time x the bot's escalated-handle-time
  factor (escalated contacts only) + after-contact work (agents are busy during wrap-up);
* voice: Erlang C and, when a mean patience is given, Erlang A (the staffing used); chat: the
  concurrency-stretch model with the channel's concurrency and stretch; email: the deferred-work
  plan within ``response_target_hours`` (backlog carried over, not forced to clear by the end);
* shrinkage: the headcount-weighted mean shrinkage of the groups serving the channel; paid
  hours per FTE: ``costs.paid_hours_per_agent_day``;
* a setup changes the inputs as it changes the simulation: virtual multiplies handle times by
  ``aht_factor`` and adds ``shrinkage_change``; cloud removes the expected notification
  deflections of incident intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from staffing import ChatSettings, EmailSettings, VoiceSettings, interval_requirements
from staffing import requirements as req

from .demand import resolve_arrivals
from .schema import Scenario
from .setups import CloudSetup, VirtualSetup, incident_mask

__all__ = ["KIND_COLUMN", "channel_order", "interval_labels", "agent_workload", "scenario_requirements"]

KIND_COLUMN = "kind"
"""Column of :func:`scenario_requirements` holding the channel kind (voice, chat, email)."""

_KIND_ORDER = ("voice", "chat", "email")


def interval_labels(scenario: Scenario) -> list[str]:
    """Clock label ``HH:MM`` of each interval start (``+1d`` after the first midnight)."""
    labels = []
    for i in range(scenario.intervals):
        minute = int(round(scenario.start_time + i * scenario.interval_minutes))
        day, clock = divmod(minute, 1440)
        labels.append(f"{clock // 60:02d}:{clock % 60:02d}" + (f"+{day}d" if day else ""))
    return labels


def channel_order(scenario: Scenario) -> list[str]:
    """Channel names in display order: voice, chat, then email kinds, each by name."""
    return sorted(scenario.channels, key=lambda name: (_KIND_ORDER.index(scenario.channel_kind(name)), name))


def _resolve_setup(scenario: Scenario, setup):
    if isinstance(setup, str):
        return scenario.setup_for(setup)
    return scenario.setup if setup is None else setup


def _notified_share(scenario: Scenario, setup) -> dict[str, np.ndarray]:
    if not isinstance(setup, CloudSetup) or setup.notifications.deflected_share <= 0:
        return {}
    policy = setup.notifications
    mask = incident_mask(policy.incidents, intervals=scenario.intervals,
                         interval_minutes=scenario.interval_minutes, start_minute=scenario.start_time)
    voice = [name for name in scenario.channels if scenario.channel_kind(name) == "voice"]
    return {name: mask * policy.deflected_share for name in (policy.channels or voice)}


def agent_workload(scenario: Scenario, name: str, setup=None) -> tuple[np.ndarray, float]:
    """Contacts of channel ``name`` reaching agents per interval, and their handle time.

    Returns
    -------
    to_agents : numpy.ndarray
        Expected contacts per interval after notifications (cloud), self-service and the bot.
    handle_seconds : float
        Agent time per contact in seconds: mean handle time (x the virtual ``aht_factor``, x the
        bot's escalated factor) + after-contact work.
    """
    setup = _resolve_setup(scenario, setup)
    channel = scenario.channels[name]
    arrivals = resolve_arrivals(scenario, name) * (1.0 - _notified_share(scenario, setup).get(name, 0.0))
    to_agents = arrivals * (1.0 - channel.self_service_share)
    handle = channel.mean_handle_seconds * (setup.aht_factor if isinstance(setup, VirtualSetup) else 1.0)
    if channel.bot is not None:
        to_agents = to_agents * (1.0 - channel.bot.resolved_share)
        handle = handle * channel.bot.escalated_handle_time_factor
    return to_agents, handle + channel.after_contact_work_seconds


def scenario_requirements(scenario: Scenario, setup=None) -> pd.DataFrame:
    """Per-interval analytic requirements of every channel of ``scenario``.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.
    setup : InHouseSetup, VirtualSetup, CloudSetup, str or None
        Setup whose assumptions change the inputs (see the module docstring); a kind takes the
        file's configuration of that kind; ``None`` takes the scenario's own ``setup``.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`staffing.REQUIREMENT_COLUMNS` (the channel column holds the
        scenario's channel name) plus :data:`KIND_COLUMN`; one row per interval x channel, in
        :func:`channel_order`.
    """
    setup = _resolve_setup(scenario, setup)
    shrinkage_change = setup.shrinkage_change if isinstance(setup, VirtualSetup) else 0.0
    labels = interval_labels(scenario)
    tables = []
    for name in channel_order(scenario):
        channel = scenario.channels[name]
        kind = scenario.channel_kind(name)
        to_agents, handle = agent_workload(scenario, name, setup)
        goal = channel.service_level
        target = goal.target_seconds if goal is not None else 20.0
        level = goal.goal if goal is not None else 0.8
        serving = [g for g in scenario.staff if name in g.channels]
        weights = np.array([float(np.mean(g.agents)) for g in serving])
        shrinkages = np.clip([g.shrinkage + shrinkage_change for g in serving], 0.0, 0.95)
        shrinkage = float(np.average(shrinkages, weights=weights)) if weights.sum() > 0 else 0.0
        settings = {
            "voice": VoiceSettings(aht_seconds=handle, target_seconds=target, service_level_goal=level,
                                   patience_seconds=channel.patience_seconds),
            "chat": ChatSettings(aht_seconds=handle, target_seconds=target, service_level_goal=level,
                                 concurrency=channel.concurrency, concurrency_stretch=channel.concurrency_stretch),
            "email": EmailSettings(aht_seconds=handle, response_target_hours=channel.response_target_hours or 24.0,
                                   max_occupancy=channel.max_occupancy or 1.0, clear_by_end=False),
        }
        table = interval_requirements(
            {kind: to_agents}, interval_minutes=scenario.interval_minutes, shrinkage=shrinkage,
            paid_hours_per_fte=scenario.costs.paid_hours_per_agent_day, interval_starts=labels,
            **{kind: settings[kind]},
        )
        table[req.COLUMN_CHANNEL] = name
        table.insert(3, KIND_COLUMN, kind)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)
