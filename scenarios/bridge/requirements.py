"""Analytic staffing requirements of a whole scenario (the bridge to :mod:`staffing`).

:func:`scenario_requirements` maps every channel of a :class:`~scenarios.document.scenario.Scenario` onto
:func:`staffing.interval_requirements` and returns one tidy table (one row per interval x
channel). The mapping is the documented, simple one:

* contacts reaching agents = would-be contacts x (1 - self-service share) x (1 - bot resolved
  share), plus the share transferred in from other channels (see :func:`agent_workload`); the handle time is the channel's mean handle time x the bot's escalated-handle-time
  factor (escalated contacts only) + after-contact work (agents are busy during wrap-up);
* voice: Erlang C and, when a mean patience is given, Erlang A (the staffing used), both
  honouring every goal the channel states: the service level, ``max_occupancy``,
  ``asa_goal_seconds`` and (Erlang A) ``max_abandon_rate``; the requirement is the smallest
  headcount meeting all of them (:func:`staffing.interval_requirements`) and the
  ``binding_goal`` column says which goal sets the number; chat: the
  concurrency-stretch model with the channel's concurrency and stretch; email: the deferred-work
  plan within ``response_target_hours`` (backlog carried over, not forced to clear by the end);
* shrinkage: the headcount-weighted mean shrinkage of the groups serving the channel; paid
  hours per FTE: ``costs.paid_hours_per_agent_day``;
* a setup changes the inputs as it changes the simulation: virtual multiplies handle times by
  ``aht_factor`` and adds ``shrinkage_change``; cloud removes the expected notification
  deflections of incident intervals.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from scenarios.bridge.effects import setup_effects
from scenarios.document.demand import resolve_arrivals
from scenarios.document.scenario import Scenario
from scenarios.document.setups import SetupArg
from staffing import (
    ChatSettings,
    EmailSettings,
    VoiceSettings,
    erlang_a,
    interval_requirements,
    service_level,
)
from staffing import requirements as req

__all__ = ["KIND_COLUMN", "AT_SCHEDULE_COLUMNS", "channel_order", "agent_workload",
           "scenario_requirements", "schedule_coverage", "performance_at_schedule", "arrivals_frame"]

KIND_COLUMN = "kind"
"""Column of :func:`scenario_requirements` holding the channel kind (voice, chat, email)."""

_KIND_ORDER = ("voice", "chat", "email")


def channel_order(scenario: Scenario) -> list[str]:
    """Channel names in display order: voice, chat, then email kinds, each by name."""
    return sorted(scenario.channels, key=lambda name: (_KIND_ORDER.index(scenario.channel_kind(name)), name))


def agent_workload(scenario: Scenario, name: str, setup: SetupArg = None) -> tuple[np.ndarray, float]:
    """Contacts of channel ``name`` reaching agents per interval, and their handle time.

    Returns
    -------
    to_agents : numpy.ndarray
        Expected contacts per interval after notifications (cloud), self-service and the bot,
        plus the contacts transferred in from other channels (``transfer.share`` x their
        contacts reaching agents, in the same interval; abandonment before the first service is
        ignored, so this errs on the high side; transfers to a staff group are that group's work,
        not the channel's). Message items (``messages_to``) are not included:
        how many calls reach the max wait is known only by simulation.
    handle_seconds : float
        Agent time per contact in seconds: mean handle time (x the virtual ``aht_factor``, x the
        bot's escalated factor) + after-contact work.
    """
    effects = setup_effects(scenario, setup)
    to_agents, handle = _own_workload(scenario, name, effects)
    channel = scenario.channels[name]
    # transferred-in contacts: the target's handle time without a bot factor (they skip its bot),
    # added as contacts of the same workload (x leg handle / channel handle)
    leg_handle = channel.mean_handle_seconds * effects.aht_factor + channel.mean_after_contact_work_seconds
    for source_name, source in scenario.channels.items():
        if source.transfer is not None and source.transfer.to_channel == name:
            transferred = source.transfer.share * _own_workload(scenario, source_name, effects)[0]
            to_agents = to_agents + transferred * (leg_handle / handle)
    return to_agents, handle


def _own_workload(scenario: Scenario, name: str, effects) -> tuple[np.ndarray, float]:
    """:func:`agent_workload` without transferred-in contacts."""
    channel = scenario.channels[name]
    arrivals = resolve_arrivals(scenario, name) * (1.0 - effects.notification_share.get(name, 0.0))
    to_agents = arrivals * (1.0 - channel.self_service_share)
    handle = channel.mean_handle_seconds * effects.aht_factor
    if channel.bot is not None:
        to_agents = to_agents * (1.0 - channel.bot.resolved_share)
        handle = handle * channel.bot.escalated_handle_time_factor
    return to_agents, handle + channel.mean_after_contact_work_seconds


def scenario_requirements(scenario: Scenario, setup: SetupArg = None) -> pd.DataFrame:
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
    effects = setup_effects(scenario, setup)
    labels = scenario.interval_labels()
    tables = []
    for name in channel_order(scenario):
        channel = scenario.channels[name]
        kind = scenario.channel_kind(name)
        to_agents, handle = agent_workload(scenario, name, effects.setup)
        target = channel.target_seconds
        level = channel.goal_or_default
        serving = [g for g in scenario.staff if name in g.channels]
        weights = np.array([float(np.mean(g.agents)) for g in serving])
        shrinkages = [effects.shrinkage(g) for g in serving]
        shrinkage = float(np.average(shrinkages, weights=weights)) if weights.sum() > 0 else 0.0
        # only the settings of ``kind`` (the one channel in the volumes) are used
        voice = VoiceSettings(aht_seconds=handle, target_seconds=target, service_level_goal=level,
                              patience_seconds=channel.mean_patience_seconds, max_occupancy=channel.max_occupancy,
                              asa_goal_seconds=channel.asa_goal_seconds, max_abandon_rate=channel.max_abandon_rate)
        chat = ChatSettings(aht_seconds=handle, target_seconds=target, service_level_goal=level,
                            concurrency=channel.concurrency, concurrency_stretch=channel.concurrency_stretch)
        email = EmailSettings(aht_seconds=handle, response_target_hours=channel.response_target_hours_or_default,
                              max_occupancy=channel.max_occupancy or 1.0, clear_by_end=False)
        table = interval_requirements(
            {kind: to_agents}, interval_minutes=scenario.interval_minutes, shrinkage=shrinkage,
            paid_hours_per_fte=scenario.costs.paid_hours_per_agent_day, interval_starts=labels,
            voice=voice, chat=chat, email=email,
        )
        table[req.COLUMN_CHANNEL] = name
        table.insert(3, KIND_COLUMN, kind)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)


def arrivals_frame(scenario: Scenario) -> pd.DataFrame:
    """Would-be contacts per interval and channel (the intraday curves), tidy.

    Returns
    -------
    pandas.DataFrame
        Columns ``interval``, ``interval_start``, ``channel``, ``kind``, ``arrivals`` (contacts per
        interval, before self-service, bot and notifications), channels in :func:`channel_order`.
    """
    labels = scenario.interval_labels()
    return pd.concat([pd.DataFrame({
        "interval": np.arange(scenario.intervals), "interval_start": labels, "channel": name,
        "kind": scenario.channel_kind(name), "arrivals": resolve_arrivals(scenario, name),
    }) for name in channel_order(scenario)], ignore_index=True)


AT_SCHEDULE_COLUMNS = ("channel", "interval", "interval_start", "available_agents", "erlang_c_service_level",
                       "service_level", "asa_seconds", "abandon_rate", "occupancy")
"""Columns of :func:`performance_at_schedule`."""


def _dedicated_groups(scenario: Scenario, name: str) -> list:
    return [group for group in scenario.staff if tuple(group.channels) == (name,)]


def schedule_coverage(scenario: Scenario, setup: SetupArg = None) -> pd.DataFrame:
    """The schedule in force under ``setup`` beside the analytic requirement, per interval.

    The schedule is the one the simulation runs (:func:`scenarios.bridge.effects.setup_effects`):
    virtual split-shift ``schedules`` replace groups' headcounts and an in-house seat cap clips
    the agents on site.

    Returns
    -------
    pandas.DataFrame
        ``interval``, ``interval_start``; ``required_scheduled`` (agents to schedule after
        shrinkage, all channels); ``scheduled`` (the roster, all groups); ``seated`` (agents on
        site after the seat cap) and ``seat_shortfall`` (rostered agents without a seat); for
        each channel served by dedicated groups, ``scheduled:<channel>`` (seated headcount) and
        ``available:<channel>`` (net of shrinkage, whole agents).
    """
    effects = setup_effects(scenario, setup)
    n = scenario.intervals
    requirements = scenario_requirements(scenario, effects.setup)
    scheduled = effects.scheduled_agents(scenario)
    seated, shortfall = effects.seated_agents(scenario)
    table = pd.DataFrame({"interval": np.arange(n), "interval_start": scenario.interval_labels()})
    table["required_scheduled"] = (requirements.groupby(req.COLUMN_INTERVAL)[req.COLUMN_SCHEDULED_AGENTS]
                                   .sum().reindex(range(n)).to_numpy(dtype=float))
    table["scheduled"] = np.sum(list(scheduled.values()), axis=0, dtype=float)
    table["seated"] = np.sum(list(seated.values()), axis=0, dtype=float)
    table["seat_shortfall"] = shortfall.astype(float)
    for name in channel_order(scenario):
        dedicated = _dedicated_groups(scenario, name)
        if dedicated:
            table[f"scheduled:{name}"] = np.sum([seated[g.name] for g in dedicated], axis=0, dtype=float)
            table[f"available:{name}"] = _available(effects, seated, dedicated)
    return table


def _available(effects, seated, groups) -> np.ndarray:
    """Whole agents available (seated, net of shrinkage) in ``groups``, per interval."""
    return np.floor(sum(seated[g.name] * (1.0 - effects.shrinkage(g)) for g in groups) + 1e-9)


def performance_at_schedule(scenario: Scenario, setup: SetupArg = None) -> pd.DataFrame:
    """Erlang C and Erlang A performance of each voice channel at the schedule in force, per interval.

    For voice channels served by dedicated groups only: the available agents are the groups'
    seated headcount under ``setup`` (:func:`schedule_coverage`) net of shrinkage, rounded down;
    the load is :func:`agent_workload` under the same setup. ``erlang_c_service_level`` ignores
    abandonment; ``service_level``, ``asa_seconds``, ``abandon_rate`` and ``occupancy`` are Erlang A
    with the channel's mean patience (Erlang C when it has none).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`AT_SCHEDULE_COLUMNS`, one row per voice channel x interval.
    """
    effects = setup_effects(scenario, setup)
    n = scenario.intervals
    labels = scenario.interval_labels()
    seated, _ = effects.seated_agents(scenario)
    hours = scenario.interval_minutes / 60.0
    frames = []
    for name in channel_order(scenario):
        dedicated = _dedicated_groups(scenario, name)
        if not dedicated or scenario.channel_kind(name) != "voice":
            continue
        channel = scenario.channels[name]
        available = _available(effects, seated, dedicated)
        to_agents, handle = agent_workload(scenario, name, effects.setup)
        rate = to_agents / hours
        patience = channel.mean_patience_seconds if channel.mean_patience_seconds is not None else math.inf
        result = erlang_a(rate, handle, patience, available, channel.target_seconds)
        frames.append(pd.DataFrame({
            "channel": name, "interval": np.arange(n), "interval_start": labels, "available_agents": available,
            "erlang_c_service_level": service_level(rate * handle / 3600.0, available, handle, channel.target_seconds),
            "service_level": result.service_level, "asa_seconds": result.asa_seconds,
            "abandon_rate": result.p_abandon, "occupancy": result.occupancy,
        }))
    if not frames:
        return pd.DataFrame(columns=list(AT_SCHEDULE_COLUMNS))
    return pd.concat(frames, ignore_index=True)[list(AT_SCHEDULE_COLUMNS)]
