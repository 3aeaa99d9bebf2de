"""Scenario (+ setup) -> the simulator's frozen :class:`simulator.SimulationModel`.

Compiling resolves everything the engine must not know about: demand sources and opening hours
(:mod:`scenarios.document.demand`), distributions from the file's shorthand, and the setup's
effects (:mod:`scenarios.bridge.effects`, shared with the analytic requirement). How the engine
receives them:

* seat cap: each group's per-interval headcount after :func:`~scenarios.bridge.effects.clip_to_seats`
  (``seat_shortfall`` per interval);
* handle-time factor and shrinkage change: applied to the distributions and groups;
* notifications: a per-interval deflection share (``deflected_share`` in incident intervals, 0
  elsewhere) that the engine draws for every would-be arrival from its own random stream, so the
  customers are the same as in the other setups (common random numbers) and the deflected count
  is simulated (``notification_deflected`` keeps the expected count for reference);
* burst capacity: an elastic agent group (:class:`simulator.ElasticPolicy`) named
  :data:`BURST_GROUP`, tried after every scheduled group of its channels;
* outbound campaigns (``outbound:``): :class:`simulator.OutboundCampaign` objects, the talk time
  scaled by the setup's handle-time factor like inbound work, the calling hours as a per-interval
  open flag (:func:`scenarios.document.demand.calling_mask`), the dial time constant unless a
  ``dial_time`` family is given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from scenarios.bridge.effects import SetupEffects, setup_effects
from scenarios.document.demand import calling_mask, resolve_arrivals
from scenarios.document.scenario import Scenario
from scenarios.document.setups import AS_GIVEN, CloudSetup, InHouseSetup, SetupArg, VirtualSetup
from scenarios.errors import ScenarioError
from simulator import (
    AgentGroupModel,
    BotModel,
    ChannelModel,
    Distribution,
    ElasticPolicy,
    ModelError,
    OutboundCampaign,
    RetrialModel,
    SimulationModel,
    TransferModel,
)

__all__ = ["CompiledScenario", "compile_scenario", "compile_model", "to_distribution"]


@dataclass(frozen=True, eq=False)
class CompiledScenario:
    """A scenario compiled under one setup.

    Attributes
    ----------
    scenario : Scenario
        The validated scenario.
    setup : InHouseSetup, VirtualSetup, CloudSetup or None
        The setup applied (None: the scenario as given).
    model : simulator.SimulationModel
        The engine's input.
    scheduled_agents : mapping of str to numpy.ndarray
        Headcount per group and interval before the seat cap (after virtual schedules).
    seat_shortfall : numpy.ndarray
        Agents scheduled but without a seat, per interval (zeros except in-house with seats).
    notification_deflected : mapping of str to numpy.ndarray
        Expected contacts per channel and interval answered by a proactive notification (cloud
        incidents); the simulated count is the ``deflected_notification`` KPI.
    """

    scenario: Scenario
    setup: InHouseSetup | VirtualSetup | CloudSetup | None
    model: SimulationModel
    scheduled_agents: Mapping[str, np.ndarray]
    seat_shortfall: np.ndarray
    notification_deflected: Mapping[str, np.ndarray] = field(default_factory=dict)
    effects: SetupEffects | None = None

    @property
    def setup_kind(self) -> str:
        """``in-house``, ``virtual``, ``cloud`` or ``as-given``."""
        return self.effects.kind if self.effects is not None else AS_GIVEN


def to_distribution(spec, mean_seconds: float | None) -> Distribution:
    """The simulator's :class:`simulator.Distribution` of a file's distribution spec.

    ``spec`` is one of the tagged forms of :data:`scenarios.document.scenario.TimeDistribution`
    (``None``: exponential); ``mean_seconds`` is the mean of the families that take one.
    """
    kind = "exponential" if spec is None else spec.kind
    if kind == "empirical":
        return Distribution.empirical(np.asarray(spec.samples_seconds, dtype=float))
    if kind == "uniform":
        return Distribution.uniform(spec.low_seconds, spec.high_seconds)
    if kind == "triangular":
        return Distribution.triangular(spec.low_seconds, spec.mode_seconds, spec.high_seconds)
    if mean_seconds is None:  # excluded by the scenario's validator (check_mean_pair): the other families take a mean
        raise ValueError(f"a {kind} distribution needs its mean in seconds")
    if kind == "lognormal":
        return Distribution.lognormal(mean_seconds, spec.cv)
    if kind == "gamma":
        return Distribution.gamma(mean_seconds, spec.cv)
    if kind == "weibull":
        return Distribution.weibull(mean_seconds, spec.shape)
    if kind == "constant":
        return Distribution.constant(mean_seconds)
    return Distribution.exponential(mean_seconds)


def _handle_time(channel, factor: float) -> Distribution:
    distribution = to_distribution(channel.handle_time, channel.aht_seconds)
    return distribution if factor == 1.0 else distribution.scaled(factor)


def _patience(channel) -> Distribution | None:
    if channel.mean_patience_seconds is None:
        return None
    return to_distribution(channel.patience, channel.patience_seconds)


def _after_contact_work(channel) -> Distribution | None:
    if channel.after_contact_work is None:
        return None
    return to_distribution(channel.after_contact_work, channel.after_contact_work_seconds or None)


def _per_interval(means, factor: float) -> np.ndarray | None:
    """Per-interval means in seconds (times the setup's factor), or None."""
    return None if means is None else np.asarray(means, dtype=float) * factor


def _campaigns(scenario: Scenario, aht_factor: float) -> tuple[OutboundCampaign, ...]:
    """The file's outbound campaigns as engine campaigns (talk time times the setup's AHT factor)."""
    campaigns = []
    for index, spec in enumerate(scenario.outbound):
        talk = to_distribution(spec.handle_time, spec.aht_seconds)
        dial = None
        if spec.dial_time is not None:
            dial = to_distribution(spec.dial_time, spec.dial_seconds or None)
        elif spec.dial_seconds > 0:
            dial = Distribution.constant(spec.dial_seconds)
        campaigns.append(OutboundCampaign(
            spec.name, spec.groups, talk if aht_factor == 1.0 else talk.scaled(aht_factor),
            contact_rate=spec.contact_rate, dial_time=dial, reserve=spec.reserve, dialling=spec.dialling,
            preview_seconds=spec.preview_seconds, after_contact_work_seconds=spec.after_contact_work_seconds,
            records_per_interval=None if spec.records_per_interval is None else np.asarray(spec.records_per_interval),
            open_per_interval=calling_mask(scenario, index), lines_per_agent=spec.lines_per_agent))
    return tuple(campaigns)


def _routing_entry(step) -> tuple[str, float]:
    return step.group, step.after_seconds


BURST_GROUP = "cloud burst"
"""Name of the elastic group that carries a cloud setup's burst agents."""


def _burst_group_name(scenario: Scenario) -> str:
    taken = {group.name for group in scenario.staff}
    name = BURST_GROUP
    while name in taken:
        name += "'"
    return name


def compile_scenario(scenario: Scenario, setup: SetupArg = None, *, warmup_minutes: float | None = None) -> CompiledScenario:
    """Compile ``scenario`` under ``setup`` into the simulator's input.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.
    setup : InHouseSetup, VirtualSetup, CloudSetup, str or None
        The setup to apply; a kind (``"in-house"``, ``"virtual"``, ``"cloud"``) takes the file's
        configuration of that kind (``setups``, then ``setup``) or its documented defaults;
        ``None`` takes the scenario's ``setup`` (which may be absent: the scenario as given).
    warmup_minutes : float, optional
        Overrides the scenario's ``warmup_minutes``.

    Returns
    -------
    CompiledScenario

    Raises
    ------
    ScenarioError
        If the engine refuses the compiled model (e.g. a seat cap leaves a channel with no agent):
        the engine's message in the scenario's words (``staff "voice team" agents``,
        ``channels.voice.aht_seconds``), without a file (the command adds it).
    """
    try:
        return _compile(scenario, setup, warmup_minutes)
    except ModelError as exc:
        raise ScenarioError(reason=in_scenario_words(str(exc))) from None


#: Engine field names -> the scenario file's words (the engine names its own model's fields).
_ENGINE_WORDS = (
    (re.compile(r"\(groups \[([^\]]*)\]\.agents_per_interval\)"), r"(staff \1: agents)"),
    (re.compile(r"\bgroups\.([^.\s]+(?: [^.\s]+)*?)\.agents_per_interval\b"), r'staff "\1" agents'),
    (re.compile(r"\bgroups\.([^.\s]+(?: [^.\s]+)*?)\."), r'staff "\1" '),
    (re.compile(r"\.handle_time\.mean_seconds\b"), ".aht_seconds"),
    (re.compile(r"\.patience\.mean_seconds\b"), ".patience_seconds"),
    (re.compile(r"\.handle_time\b"), ".handle_time"),
    (re.compile(r"\binterval_seconds\b"), "interval_minutes (in seconds)"),
    (re.compile(r"\bwarmup_seconds\b"), "warmup_minutes (in seconds)"),
)


def in_scenario_words(message: str) -> str:
    """An engine (:class:`simulator.ModelError`) message with its field names as the scenario file says them."""
    for pattern, words in _ENGINE_WORDS:
        message = pattern.sub(words, message)
    return message


def _compile(scenario: Scenario, setup: SetupArg, warmup_minutes: float | None) -> CompiledScenario:
    effects = setup_effects(scenario, setup)
    setup = effects.setup
    n = scenario.intervals
    arrivals = {name: resolve_arrivals(scenario, name) for name in scenario.channels}
    notification_share = dict(effects.notification_share)
    notified = {name: arrivals[name] * share for name, share in notification_share.items()}
    callbacks = effects.callback_threshold_seconds
    burst_group = None
    if effects.burst is not None:
        burst = effects.burst
        burst_group = AgentGroupModel(
            _burst_group_name(scenario), effects.burst_channels, np.zeros(1, dtype=int),
            elastic=ElasticPolicy(trigger=burst.trigger, threshold=burst.threshold,
                                  startup_lag_seconds=burst.startup_lag_seconds, max_agents=burst.max_agents,
                                  min_session_seconds=burst.min_session_minutes * 60.0),
        )

    channels = []
    for name, spec in scenario.channels.items():
        kind = scenario.channel_kind(name)
        bot = None
        if spec.bot is not None:
            bot = BotModel(spec.bot.resolved_share, to_distribution(spec.bot.bot_time, spec.bot.bot_time_seconds),
                           spec.bot.escalated_handle_time_factor)
        retrial = None
        if spec.retrial is not None:
            retrial = RetrialModel(spec.retrial.probability,
                                   delay=to_distribution(spec.retrial.delay, spec.retrial.mean_delay_seconds),
                                   patience=spec.retrial.patience)
        acw = _after_contact_work(spec)
        threshold = spec.callback_threshold_seconds
        if threshold is None and name in callbacks:
            threshold = callbacks[name]
        channels.append(ChannelModel(
            name=name, kind=kind, arrivals_per_interval=arrivals[name],
            handle_time=_handle_time(spec, effects.aht_factor), patience=_patience(spec),
            service_level_target_seconds=spec.target_seconds,
            response_target_hours=spec.response_target_hours, self_service_share=spec.self_service_share,
            bot=bot, concurrency=spec.concurrency, concurrency_stretch=spec.concurrency_stretch,
            retrial=retrial, callback_threshold_seconds=threshold, forecast_error_cv=spec.forecast_error_cv,
            after_contact_work_seconds=0.0 if acw is not None else spec.after_contact_work_seconds,
            after_contact_work=acw, queue_capacity=spec.queue_capacity,
            max_wait_seconds=spec.max_wait_seconds, on_max_wait=spec.on_max_wait or "disconnect",
            closed_queue=spec.closed_queue,
            handle_mean_per_interval=_per_interval(spec.aht_seconds_per_interval, effects.aht_factor),
            patience_mean_per_interval=_per_interval(spec.patience_seconds_per_interval, 1.0),
            notification_share_per_interval=notification_share.get(name),
            transfer=None if spec.transfer is None else TransferModel(spec.transfer.share, spec.transfer.to_channel,
                                                                      spec.transfer.to_group),
            messages_to=spec.messages_to,
        ))

    scheduled = effects.scheduled_agents(scenario)
    seated, shortfall = effects.seated_agents(scenario)
    groups = tuple(
        AgentGroupModel(group.name, group.channels, seated[group.name], shrinkage=effects.shrinkage(group),
                        handle_time_factor=group.handle_time_factor,
                        contact_selection=group.routing_policy.contact_selection if group.routing_policy else None)
        for group in scenario.staff
    )
    routing: dict[str, tuple[str | tuple[str, float], ...]] = {
        name: tuple(_routing_entry(step) for step in spec.routing)
        for name, spec in scenario.channels.items() if spec.routing is not None}
    if burst_group is not None:
        groups = (*groups, burst_group)
        for name in burst_group.channels:  # explicit routings try burst agents last
            if name in routing:
                routing[name] = (*routing[name], burst_group.name)
    warmup = scenario.warmup_minutes if warmup_minutes is None else warmup_minutes
    model = SimulationModel(
        interval_seconds=scenario.interval_minutes * 60.0, intervals=n, channels=tuple(channels),
        groups=groups, routing=routing or None, warmup_seconds=warmup * 60.0,
        email_after_realtime=scenario.email_after_realtime, trunks=scenario.trunks,
        contact_selection=scenario.routing_policy.contact_selection,
        agent_selection=scenario.routing_policy.agent_selection, drain=scenario.drain,
        busyness_cv=scenario.busyness.cv if scenario.busyness is not None else 0.0,
        start_seconds_of_day=(scenario.start_time * 60.0) % 86400.0,
        campaigns=_campaigns(scenario, effects.aht_factor),
    )
    for array in scheduled.values():
        array.setflags(write=False)
    shortfall.setflags(write=False)
    return CompiledScenario(scenario, setup, model, scheduled, shortfall, notified, effects)


def compile_model(scenario: Scenario, setup: SetupArg = None, *, warmup_minutes: float | None = None) -> SimulationModel:
    """The :class:`simulator.SimulationModel` of ``scenario`` under ``setup`` (see :func:`compile_scenario`)."""
    return compile_scenario(scenario, setup, warmup_minutes=warmup_minutes).model
