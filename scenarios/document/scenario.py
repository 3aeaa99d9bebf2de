"""The scenario file schema: pydantic v2 models, validated at the boundary, then frozen.

Every model refuses unknown keys (``extra="forbid"``) and is frozen. Every field documents its
unit and default (``Field(description=...)``), so :func:`scenario_json_schema` doubles as the
reference for editors (``ccplan schema``).

Top-level keys of a scenario (:class:`Scenario`): ``name``, ``description``,
``interval_minutes``, ``intervals``, ``start_time``, ``start_date``, ``warmup_minutes``,
``replications``, ``precision`` (:class:`PrecisionSpec`), ``seed``, ``channels`` (name -> :class:`Channel`), ``demand``
(:class:`SegmentedDemand`), ``staff`` (list of :class:`StaffGroup`), ``outbound`` (list of
:class:`OutboundCampaignSpec`: calling campaigns blended with inbound), ``email_after_realtime``,
``costs`` (:class:`scenarios.studies.costs.CostModel`), ``setup`` and ``setups`` (see
:mod:`scenarios.document.setups`).

The minimal single-queue form of issue 3 is valid as written::

    name: Single voice queue
    interval_minutes: 30
    intervals: 16
    channels:
      voice:
        arrivals_per_interval: 240
        aht_seconds: 180
        patience_seconds: 120
        service_level: {target_seconds: 20, goal: 0.8}
    staff:
      - name: voice team
        channels: [voice]
        agents: 26

Cross-field rules (lengths of per-interval lists, a channel nobody serves, kind-specific fields...)
are checked by the models' ``after`` validators, which raise :class:`scenarios.document.fields.FieldIssue`
with the path of the offending field; :mod:`scenarios.document.loader` turns them into
:class:`scenarios.errors.ScenarioError` with the file name.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Annotated, Literal, cast, get_args, overload

from pydantic import (
    BeforeValidator,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from scenarios.document import clock
from scenarios.document.defaults import (
    DEFAULT_MAX_REPLICATIONS,
    DEFAULT_MIN_REPLICATIONS,
    DEFAULT_PRECISION_ASA_SECONDS,
    DEFAULT_PRECISION_SHARE_POINTS,
    DEFAULT_RESPONSE_TARGET_HOURS,
    DEFAULT_SERVICE_LEVEL_GOAL,
    DEFAULT_TARGET_SECONDS,
)
from scenarios.document.demand import WEEKDAYS, Weekday, resolve_arrivals
from scenarios.document.fields import (
    ClockTime,
    FieldIssue,
    PerInterval,
    PerIntervalCount,
    StrictModel,
    format_clock,
)
from scenarios.document.files import FileRoot, excerpt, resolve_file
from scenarios.document.prices import CostModel
from scenarios.document.profiles import PROFILE_NAMES, load_profile
from scenarios.document.setups import SETUP_KINDS, CloudSetup, Setup, VirtualSetup, default_setup
from staffing.defaults import DEFAULT_CONCURRENCY_STRETCH

__all__ = [
    "CHANNEL_KINDS",
    "ExponentialTime",
    "LognormalTime",
    "GammaTime",
    "ConstantTime",
    "UniformTime",
    "TriangularTime",
    "TimeDistribution",
    "RoutingStep",
    "RoutingPolicy",
    "GroupRoutingPolicy",
    "WeibullTime",
    "GammaTime",
    "EmpiricalTime",
    "HandleTimeDistribution",
    "PatienceDistribution",
    "ServiceLevelGoal",
    "PrecisionSpec",
    "BotSpec",
    "RetrialSpec",
    "BusynessSpec",
    "OpeningHours",
    "Channel",
    "StaffGroup",
    "OutboundCampaignSpec",
    "Segment",
    "SegmentedDemand",
    "Scenario",
    "scenario_json_schema",
]

MAX_SECONDS = 86_400.0
"""Longest handle time, wrap-up, target, bot time or delay a scenario may give (seconds: one day)."""

MAX_PATIENCE_SECONDS = 1e6
"""Longest mean patience (seconds)."""

MAX_DAILY_TOTAL = 1e8
"""Most would-be contacts per day of one channel or of the demand block."""

MAX_INTERVALS = 100_000
"""Most intervals in a horizon (over 2 years of 15-minute intervals)."""

MAX_REPLICATIONS = 10_000
"""Most replications of one simulated run."""

MAX_CONCURRENCY = 20
"""Most chats one agent holds at once."""

ChannelKind = Literal["voice", "chat", "email"]
"""How a channel is handled: real-time (voice, chat) or deferred (email)."""

MAX_PLACES = 1_000_000
"""Most waiting places of a queue or telephone lines of a centre."""

CHANNEL_KINDS: tuple[ChannelKind, ...] = get_args(ChannelKind)
"""Channel kinds; a channel named after a kind has that kind unless ``kind`` says otherwise."""


# --------------------------------------------------------------------------- distributions
class ExponentialTime(StrictModel):
    """Exponential durations (coefficient of variation 1); the mean comes from the channel."""

    kind: Literal["exponential"] = Field(description="Distribution family.")


class LognormalTime(StrictModel):
    """Lognormal durations with a coefficient of variation; the mean comes from the channel."""

    kind: Literal["lognormal"] = Field(description="Distribution family.")
    cv: float = Field(gt=0, le=10, description="Coefficient of variation (standard deviation / mean), in (0, 10].")


class WeibullTime(StrictModel):
    """Weibull durations with shape k; the mean comes from the channel (scale = mean / Gamma(1 + 1/k))."""

    kind: Literal["weibull"] = Field(description="Distribution family.")
    shape: float = Field(ge=0.1, le=100, description="Weibull shape k in [0.1, 100] (< 1 = many early abandonments).")


class EmpiricalTime(StrictModel):
    """Observed durations resampled with replacement; the mean is theirs."""

    kind: Literal["empirical"] = Field(description="Distribution family.")
    samples_seconds: tuple[Annotated[float, Field(gt=0, le=MAX_SECONDS)], ...] = Field(
        min_length=1, max_length=1_000_000, description="Observed durations in seconds (each in (0, 86400]).")


class GammaTime(StrictModel):
    """Gamma durations with a coefficient of variation; the mean comes from the channel (shape 1/cv^2)."""

    kind: Literal["gamma"] = Field(description="Distribution family.")
    cv: float = Field(gt=0, le=10, description="Coefficient of variation (standard deviation / mean), in (0, 10].")


class ConstantTime(StrictModel):
    """Every duration equal to the mean given by the channel."""

    kind: Literal["constant"] = Field(description="Distribution family.")


class UniformTime(StrictModel):
    """Uniform durations between two bounds; the mean is their midpoint (no separate mean field)."""

    kind: Literal["uniform"] = Field(description="Distribution family.")
    low_seconds: float = Field(ge=0, le=MAX_SECONDS, description="Lowest duration in seconds, [0, 86400].")
    high_seconds: float = Field(gt=0, le=MAX_SECONDS, description="Highest duration in seconds (> low_seconds, <= 86400).")

    @model_validator(mode="after")
    def _check(self) -> UniformTime:
        if self.high_seconds <= self.low_seconds:
            raise FieldIssue("high_seconds", f"must be > low_seconds ({self.low_seconds:g}), got {self.high_seconds:g}")
        return self


class TriangularTime(StrictModel):
    """Triangular durations (low, mode, high); the mean is (low + mode + high) / 3."""

    kind: Literal["triangular"] = Field(description="Distribution family.")
    low_seconds: float = Field(ge=0, le=MAX_SECONDS, description="Lowest duration in seconds, [0, 86400].")
    mode_seconds: float = Field(ge=0, le=MAX_SECONDS, description="Most likely duration in seconds (low <= mode <= high).")
    high_seconds: float = Field(gt=0, le=MAX_SECONDS, description="Highest duration in seconds (> low_seconds, <= 86400).")

    @model_validator(mode="after")
    def _check(self) -> TriangularTime:
        if self.high_seconds <= self.low_seconds:
            raise FieldIssue("high_seconds", f"must be > low_seconds ({self.low_seconds:g}), got {self.high_seconds:g}")
        if not self.low_seconds <= self.mode_seconds <= self.high_seconds:
            raise FieldIssue("mode_seconds", f"must be >= low_seconds ({self.low_seconds:g}) and <= high_seconds "
                                             f"({self.high_seconds:g}), got {self.mode_seconds:g}")
        return self


TimeDistribution = Annotated[
    ExponentialTime | LognormalTime | GammaTime | WeibullTime | ConstantTime | UniformTime | TriangularTime | EmpiricalTime,
    Field(discriminator="kind"),
]
"""A duration distribution, tagged by ``kind``. exponential, lognormal (cv), gamma (cv), weibull
(shape) and constant take their mean from the field beside them (``aht_seconds``,
``patience_seconds``, ``after_contact_work_seconds``, ``bot_time_seconds``,
``mean_delay_seconds``); uniform (low_seconds, high_seconds), triangular (low_seconds,
mode_seconds, high_seconds) and empirical (samples_seconds) carry their own mean, and that field
is then left out."""

SELF_MEANED = ("uniform", "triangular", "empirical")
"""Distribution kinds whose mean comes from their own parameters."""

HandleTimeDistribution = TimeDistribution
"""Handle-time distribution (any :data:`TimeDistribution`)."""

PatienceDistribution = TimeDistribution
"""Patience distribution (any :data:`TimeDistribution`)."""


@overload
def distribution_mean(spec, mean: float) -> float: ...
@overload
def distribution_mean(spec, mean: float | None) -> float | None: ...
def distribution_mean(spec, mean: float | None) -> float | None:
    """Mean in seconds of a distribution spec (its own for self-meaned kinds, else ``mean``)."""
    if spec is None or spec.kind not in SELF_MEANED:
        return mean
    if spec.kind == "empirical":
        return float(sum(spec.samples_seconds) / len(spec.samples_seconds))
    if spec.kind == "uniform":
        return (spec.low_seconds + spec.high_seconds) / 2.0
    return (spec.low_seconds + spec.mode_seconds + spec.high_seconds) / 3.0


def check_mean_pair(spec, mean: float | None, spec_field: str, mean_field: str, *, required: bool) -> None:
    """Raise :class:`FieldIssue` unless exactly the right one of a distribution and its mean is given."""
    if spec is not None and spec.kind in SELF_MEANED:
        if mean is not None:
            raise FieldIssue(mean_field, f"remove it: the mean comes from {spec_field} ({spec.kind})")
    elif mean is None and (required or spec is not None):
        raise FieldIssue(mean_field, f"is required (mean in seconds, > 0){f' with {spec_field}' if spec is not None else ''}")


# --------------------------------------------------------------------------- channel parts
class ServiceLevelGoal(StrictModel):
    """Service-level goal of a real-time channel: ``goal`` of contacts answered within ``target_seconds``."""

    target_seconds: float = Field(gt=0, le=MAX_SECONDS, description="Answer-time target in seconds, in (0, 86400], e.g. 20.")
    goal: float = Field(0.8, gt=0, lt=1, description="Share answered within the target, in (0, 1): 1 is not reachable (Erlang sizing never meets it). Default 0.8.")


class BotSpec(StrictModel):
    """A chatbot / voicebot in front of the agent queue."""

    resolved_share: float = Field(ge=0, le=1, description="Share of contacts reaching the bot that it resolves [0, 1].")
    bot_time_seconds: float | None = Field(
        None, gt=0, le=MAX_SECONDS, description="Mean time with the bot (seconds, in (0, 86400]; exponential unless bot_time says otherwise), "
                                "resolved or escalated. Required unless bot_time carries its own mean.")
    bot_time: TimeDistribution | None = Field(
        None, description="Bot-time distribution {kind: ...} (see handle_time). Default exponential.")
    escalated_handle_time_factor: float = Field(
        1.0, gt=0, le=10, description="Multiplier (0, 10] on the agent handle time of escalated contacts (context gathered). Default 1.")

    @model_validator(mode="after")
    def _check(self) -> BotSpec:
        check_mean_pair(self.bot_time, self.bot_time_seconds, "bot_time", "bot_time_seconds", required=True)
        return self


class TransferGroupTarget(StrictModel):
    """A transfer to a named staff group (voice): the group's own transfer queue."""

    group: str = Field(min_length=1, description="The staff group whose own transfer queue a transferred call joins "
                                                 "(taken by its agents before their other work; the call stays a "
                                                 "contact of its channel, with that channel's handle time and patience).")


class TransferSpec(StrictModel):
    """Transfers: a share of a channel's answered contacts needs a second service elsewhere."""

    share: float = Field(ge=0, le=1, description="Share of answered contacts transferred after their first talk.")
    to: str | TransferGroupTarget = Field(
        description="A voice or chat channel (not this one) whose queue a transferred contact joins, holding its line, "
                    "for a second service with that channel's handle time and patience; or {group: <staff group>} "
                    "(voice): that group's own transfer queue. At most one transfer per contact (a transferred contact "
                    "is not transferred again).")

    @field_validator("to", mode="before")
    @classmethod
    def _channel_or_group(cls, value):
        if (isinstance(value, str) and value) or (isinstance(value, dict) and set(value) == {"group"}):
            return value
        raise ValueError(f"must be a channel name or {{group: <staff group>}}, got {excerpt(value)}")

    @property
    def to_channel(self) -> str | None:
        """The target channel's name, or None for a transfer to a staff group."""
        return self.to if isinstance(self.to, str) else None

    @property
    def to_group(self) -> str | None:
        """The target staff group's name, or None for a transfer to a channel."""
        return None if isinstance(self.to, str) else self.to.group


class RetrialSpec(StrictModel):
    """Customers who abandon (or are blocked) and try again."""

    probability: float = Field(ge=0, le=1, description="Probability an abandoning or blocked customer retries [0, 1].")
    mean_delay_seconds: float | None = Field(
        None, gt=0, le=MAX_SECONDS, description="Mean delay before the retry (seconds, in (0, 86400]; exponential unless delay says otherwise). "
                                "Required unless delay carries its own mean.")
    delay: TimeDistribution | None = Field(None, description="Retrial-delay distribution {kind: ...}. Default exponential.")
    patience: Literal["redraw", "keep"] = Field(
        "redraw", description="Patience of the new attempt: redraw (a new draw, default) or keep (the first attempt's).")

    @model_validator(mode="after")
    def _check(self) -> RetrialSpec:
        check_mean_pair(self.delay, self.mean_delay_seconds, "delay", "mean_delay_seconds", required=True)
        return self


class RoutingStep(StrictModel):
    """One entry of a channel's routing: a staff group, optionally reached only after a wait."""

    group: str = Field(min_length=1, description="Staff group name.")
    after_seconds: float = Field(
        0.0, ge=0, le=MAX_SECONDS, description="Delayed overflow: the contact becomes eligible for this group once it has waited "
                               "this many seconds (>= 0). Default 0 (at once).")


RoutingEntry = Annotated[
    RoutingStep,
    BeforeValidator(lambda value: {"group": value} if isinstance(value, str) else value),
    WithJsonSchema({"anyOf": [
        {"type": "string", "minLength": 1, "description": "Staff group name (eligible at once)."},
        {"type": "object", "additionalProperties": False, "required": ["group"],
         "properties": {"group": {"type": "string", "minLength": 1, "description": "Staff group name."},
                        "after_seconds": {"type": "number", "minimum": 0, "default": 0,
                                          "description": "Seconds waited before this group may take the contact."}}},
    ]}),
]
"""A routing entry: a group name, or ``{group, after_seconds}`` (stored as :class:`RoutingStep`)."""


class RoutingPolicy(StrictModel):
    """How agents and waiting contacts are matched."""

    contact_selection: Literal["priority", "longest_waiting"] = Field(
        "priority", description="A freed agent takes: priority = the first of its channels (staff order) with a "
                                "waiting contact; longest_waiting = the contact that has waited longest across its "
                                "channels. Default priority.")
    agent_selection: Literal["ordered", "longest_idle", "random"] = Field(
        "ordered", description="A new contact goes to: ordered = the first group of its routing with a free agent; "
                               "longest_idle = the agent idle longest across those groups; random = a group drawn "
                               "with probability proportional to its free agents. Default ordered.")


class GroupRoutingPolicy(StrictModel):
    """A staff group's own contact selection (overrides the scenario's routing_policy)."""

    contact_selection: Literal["priority", "longest_waiting"] = Field(
        description="priority or longest_waiting (see the scenario's routing_policy).")


class OpeningHours(StrictModel):
    """When a channel takes contacts; outside these hours its arrivals are zero."""

    open: ClockTime = Field(description="Opening clock time 'HH:MM'.")
    close: ClockTime = Field(description="Closing clock time 'HH:MM' ('24:00' = midnight; before open = overnight).")
    days: tuple[Weekday, ...] = Field(
        WEEKDAYS, min_length=1, description="Open days (mon..sun). Default every day. Needs the scenario's start_date.")
    holidays: tuple[dt.date, ...] = Field((), description="Closed dates (YYYY-MM-DD). Needs the scenario's start_date.")

    @model_validator(mode="after")
    def _check(self) -> OpeningHours:
        if self.open == self.close:
            raise FieldIssue("close", f"must differ from open ({format_clock(self.open)}); use '24/7' for always open")
        return self


def _opening_hours(value):
    if value is None or (isinstance(value, str) and value.strip().lower() in ("24/7", "24x7", "always")):
        return None
    return value


def _mean_or_list_schema(high: float) -> WithJsonSchema:
    """JSON Schema of a mean in seconds given as one number or one number per interval."""
    number = {"type": "number", "exclusiveMinimum": 0, "maximum": high}
    return WithJsonSchema({"anyOf": [number, {"type": "array", "items": number, "minItems": 1, "maxItems": MAX_INTERVALS},
                                     {"type": "null"}]})


class BusynessSpec(StrictModel):
    """A busyness factor shared by every channel: one Gamma(mean 1) multiplier per calendar day."""

    cv: float = Field(ge=0, le=2, description="Coefficient of variation in [0, 2] of the daily factor (0: none), e.g. "
                                              "0.1 for days 10 % busier or quieter than forecast on every channel at once.")


# --------------------------------------------------------------------------- channel
class Channel(StrictModel):
    """One contact channel: demand, handle time, customer behaviour and service goals."""

    kind: ChannelKind | None = Field(
        None, description="voice, chat (real-time, concurrent) or email (deferred). Default: the channel's name "
                          "if it is one of these (required for other names, e.g. sms: chat).")
    arrivals_per_interval: PerInterval | None = Field(
        None, description="Would-be contacts per interval (>= 0): one number, or a list with one value per interval.")
    daily_total: float | None = Field(
        None, ge=0, le=MAX_DAILY_TOTAL, description="Would-be contacts per day in [0, 1e8], spread by `profile` over the open intervals.")
    profile: str | None = Field(
        None, description=f"Intraday profile for daily_total/segments: a bundled name ({', '.join(PROFILE_NAMES)}) "
                          "or a CSV path (columns time,share). Default flat (or the demand block's profile).")
    history_csv: str | None = Field(
        None, description="CSV of past volumes (timestamp + a column named after the channel or 'volume'), "
                          "averaged by interval of day. Relative to the scenario file.")
    opening_hours: Annotated[OpeningHours | None, Field(
        description="'24/7' (default) or {open, close, days, holidays}; closed intervals get no arrivals.")] = None
    aht_seconds: Annotated[float | None, _mean_or_list_schema(MAX_SECONDS)] = Field(
        None, gt=0, le=MAX_SECONDS, description="Mean handle (talk) time in seconds, in (0, 86400], without after-contact work: "
                                "one number, or a list with one value per interval (each contact's handle time is drawn "
                                "with the mean of its arrival interval, same shape; the list moves to "
                                "aht_seconds_per_interval and this holds its plain average). Required unless handle_time "
                                "is uniform, triangular or empirical.")
    aht_seconds_per_interval: tuple[Annotated[float, Field(gt=0, le=MAX_SECONDS)], ...] | None = Field(
        None, min_length=1, max_length=MAX_INTERVALS, description="Mean handle time in seconds per interval, each in "
                                                                  "(0, 86400] (written by giving a list as aht_seconds).")
    handle_time: HandleTimeDistribution | None = Field(
        None, description="Handle-time distribution: {kind: exponential} (default), {kind: lognormal, cv}, "
                          "{kind: gamma, cv}, {kind: weibull, shape}, {kind: constant} (mean aht_seconds), or "
                          "{kind: uniform, low_seconds, high_seconds}, {kind: triangular, low_seconds, mode_seconds, "
                          "high_seconds}, {kind: empirical, samples_seconds} (own mean; leave aht_seconds out).")
    after_contact_work_seconds: float = Field(
        0.0, ge=0, le=MAX_SECONDS, description="Mean wrap-up seconds after each contact (agent busy, [0, 86400]; constant unless "
                                "after_contact_work says otherwise). Default 0.")
    after_contact_work: TimeDistribution | None = Field(
        None, description="Wrap-up time distribution {kind: ...} (see handle_time). Default constant.")
    patience_seconds: Annotated[float | None, _mean_or_list_schema(MAX_PATIENCE_SECONDS)] = Field(
        None, gt=0, le=MAX_PATIENCE_SECONDS, description="Mean patience in seconds, in (0, 1e6] (exponential unless `patience` says otherwise): "
                                "one number, or a list with one value per interval (as aht_seconds). "
                                "Omit for no abandonment. Not for email.")
    patience_seconds_per_interval: tuple[Annotated[float, Field(gt=0, le=MAX_PATIENCE_SECONDS)], ...] | None = Field(
        None, min_length=1, max_length=MAX_INTERVALS, description="Mean patience in seconds per interval, each in (0, 1e6] "
                                                                  "(written by giving a list as patience_seconds).")
    patience: PatienceDistribution | None = Field(
        None, description="Patience distribution {kind: ...} (see handle_time); mean patience_seconds for the "
                          "families that take a mean.")
    queue_capacity: int | None = Field(
        None, ge=0, le=MAX_PLACES, description="Waiting places (>= 0): a contact finding this many waiting is blocked (busy "
                                "signal), counted as blocked, and may retry. Default unlimited.")
    service_level: ServiceLevelGoal | None = Field(
        None, description="Voice/chat goal {target_seconds, goal}. Default target 20 s (no goal checked).")
    response_target_hours: float | None = Field(
        None, gt=0, le=8760, description="Email response-time target in hours, in (0, 8760], arrival to end of handling. Default 24.")
    max_occupancy: float | None = Field(
        None, gt=0, le=1, description="Occupancy ceiling goal (0-1] reported against the simulated occupancy.")
    asa_goal_seconds: float | None = Field(
        None, gt=0, le=MAX_SECONDS, description=(
            "Average-speed-of-answer goal (voice), seconds, in (0, 86400]: the analytic requirement is the smallest "
            "headcount whose ASA (Erlang A: mean wait of answered calls; Erlang C without patience: of all calls) is at "
            "most this, besides the service-level goal and max_occupancy; reported against the simulated ASA. Default none."))
    max_abandon_rate: float | None = Field(
        None, gt=0, lt=1, description=(
            "Abandonment goal (voice with patience), share of calls offered to agents, in (0, 1): the analytic requirement "
            "is the smallest headcount whose Erlang A abandon rate is at most this, besides the other goals; reported "
            "against the simulated abandon rate. Default none."))
    self_service_share: float = Field(
        0.0, ge=0, le=1, description="Share of would-be contacts resolved by self-service/knowledge base [0, 1]. Default 0.")
    bot: BotSpec | None = Field(None, description="Chatbot/voicebot in front of the queue (voice and chat).")
    concurrency: int = Field(1, ge=1, le=MAX_CONCURRENCY, description="Contacts an agent holds at once, 1..20 (> 1 for chat only). Default 1.")
    concurrency_stretch: float = Field(
        DEFAULT_CONCURRENCY_STRETCH, ge=0, le=10,
        description="Handle-time stretch per additional concurrent chat, in [0, 10]: a chat started while the agent "
                    "holds k-1 others lasts aht x (1 + stretch x (k-1)). Default 0.25 (the same in the analytic "
                    "chat model and the simulation).")
    retrial: RetrialSpec | None = Field(None, description="Retrials of abandoning customers (needs patience_seconds).")
    callback_threshold_seconds: float | None = Field(
        None, ge=0, le=MAX_SECONDS, description="Offer a callback (virtual hold) when the expected wait exceeds this (seconds, [0, 86400]).")
    forecast_error_cv: float = Field(
        0.0, ge=0, le=2, description="CV in [0, 2] of a gamma multiplier (mean 1) per calendar day on the volume "
                                     "(forecast risk; days start at midnight). Default 0.")
    max_wait_seconds: float | None = Field(
        None, gt=0, le=MAX_SECONDS, description="Longest wait in the queue in seconds, in (0, 86400] (voice, chat): a "
                                                "contact still waiting then leaves with the on_max_wait outcome, counted "
                                                "in max_wait_exits, not as abandoned. Default no limit.")
    on_max_wait: Literal["message", "callback", "disconnect"] | None = Field(
        None, description="What a contact reaching max_wait_seconds does: message (leaves a message, counted "
                          "`messages`), callback (keeps its place as a callback and is answered later, counted in "
                          "`callbacks`), disconnect (counted `disconnected`). Needs max_wait_seconds. Default disconnect.")
    closed_queue: Literal["keep", "clear", "message"] = Field(
        "keep", description="Contacts waiting when no staff group of the channel's routing is scheduled (closing "
                            "time), and contacts arriving then: keep (wait for the next agent), clear (disconnected) "
                            "or message (counted `messages`). Default keep.")
    routing: tuple[RoutingEntry, ...] | None = Field(
        None, min_length=1, description="Staff groups to try in order: names, or {group, after_seconds} for delayed "
                                        "overflow. Default: groups serving the channel, in staff order.")
    transfer: TransferSpec | None = Field(
        None, description="Voice/chat: {share, to}: after their first talk a share of the answered contacts joins the "
                          "queue of channel `to` (voice or chat), or of staff group `to: {group}` (voice), for a second "
                          "service, holding the line; counted `transferred` here and `transferred_in` (part of "
                          "offered) on the channel they join. Default none.")
    messages_to: str | None = Field(
        None, min_length=1, description="Voice/chat: the email channel that receives this channel's messages "
                                        "(on_max_wait: message, closed_queue: message) as work items, handled by its "
                                        "agents against its response target. Default none: messages are only counted.")

    @model_validator(mode="before")
    @classmethod
    def _means_per_interval(cls, data):
        """A list given as aht_seconds / patience_seconds becomes ``*_per_interval`` (the field keeps its average)."""
        if not isinstance(data, dict):
            return data
        for name in ("aht_seconds", "patience_seconds"):
            value = data.get(name)
            if isinstance(value, list | tuple):
                data = dict(data)
                data[f"{name}_per_interval"] = value
                numbers = [v for v in value if isinstance(v, int | float) and not isinstance(v, bool)]
                data[name] = sum(numbers) / len(numbers) if value and len(numbers) == len(value) else value
        return data

    @field_validator("opening_hours", mode="before")
    @classmethod
    def _always_open(cls, value):
        return _opening_hours(value)

    @field_validator("history_csv", mode="after")
    @classmethod
    def _resolve_history(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        return str(resolve_file(value, file_root(info), what="history file"))

    @field_validator("profile", mode="after")
    @classmethod
    def _resolve_profile(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _check_profile(value, info)

    @model_validator(mode="after")
    def _check(self) -> Channel:
        sources = [name for name in ("arrivals_per_interval", "daily_total", "history_csv") if getattr(self, name) is not None]
        if len(sources) > 1:
            raise FieldIssue(sources[1], f"give only one demand source, got both {sources[0]} and {sources[1]}")
        if self.profile is not None and sources and sources[0] != "daily_total":
            raise FieldIssue("profile", f"applies to daily_total or demand segments, not to {sources[0]}")
        check_mean_pair(self.handle_time, self.aht_seconds, "handle_time", "aht_seconds", required=True)
        if self.patience is not None and self.patience.kind not in SELF_MEANED and self.patience_seconds is None:
            raise FieldIssue("patience", "needs patience_seconds (the mean patience in seconds)")
        check_mean_pair(self.patience, self.patience_seconds, "patience", "patience_seconds", required=False)
        if self.after_contact_work is not None:
            check_mean_pair(self.after_contact_work, self.after_contact_work_seconds or None, "after_contact_work",
                            "after_contact_work_seconds", required=True)
        for name in ("aht_seconds", "patience_seconds"):
            means = getattr(self, f"{name}_per_interval")
            if means is not None and not math.isclose(getattr(self, name) or 0.0, sum(means) / len(means), rel_tol=1e-9):
                raise FieldIssue(name, f"must be the average of {name}_per_interval; give one number or a list")
        if self.on_max_wait is not None and self.max_wait_seconds is None:
            raise FieldIssue("on_max_wait", "needs max_wait_seconds (the longest wait in seconds)")
        if self.retrial is not None and self.mean_patience_seconds is None and self.queue_capacity is None:
            raise FieldIssue("retrial", "needs patience_seconds (abandonment) or queue_capacity (blocking): "
                                        "otherwise nobody retries")
        return self

    @property
    def mean_handle_seconds(self) -> float:
        """Mean handle time in seconds (from aht_seconds or the distribution's own parameters)."""
        mean = distribution_mean(self.handle_time, self.aht_seconds)
        if mean is None:  # excluded by the validator: aht_seconds is required unless the distribution has its own mean
            raise ValueError("a channel needs aht_seconds or a self-meaned handle_time")
        return float(mean)

    @property
    def mean_after_contact_work_seconds(self) -> float:
        """Mean wrap-up time in seconds (after_contact_work_seconds or the distribution's own)."""
        return float(distribution_mean(self.after_contact_work, self.after_contact_work_seconds))

    @property
    def mean_patience_seconds(self) -> float | None:
        """Mean patience in seconds (patience_seconds or the distribution's own), None: no abandonment."""
        return distribution_mean(self.patience, self.patience_seconds)

    @property
    def routing_groups(self) -> tuple[str, ...] | None:
        """The routing's group names, in order (None: the default routing)."""
        if self.routing is None:
            return None
        return tuple(step.group for step in self.routing)

    @property
    def target_seconds(self) -> float:
        """Answer-time target in seconds: the ``service_level`` block's, else :data:`DEFAULT_TARGET_SECONDS`."""
        return self.service_level.target_seconds if self.service_level is not None else DEFAULT_TARGET_SECONDS

    @property
    def goal_or_default(self) -> float:
        """Service-level goal sized for: the ``service_level`` block's, else :data:`DEFAULT_SERVICE_LEVEL_GOAL`."""
        return self.service_level.goal if self.service_level is not None else DEFAULT_SERVICE_LEVEL_GOAL

    @property
    def response_target_hours_or_default(self) -> float:
        """Email response target in hours, else :data:`DEFAULT_RESPONSE_TARGET_HOURS`."""
        return self.response_target_hours if self.response_target_hours is not None else DEFAULT_RESPONSE_TARGET_HOURS


def file_root(info: ValidationInfo) -> FileRoot:
    """The :class:`FileRoot` of a validation (context ``files``, else ``base_dir`` read locally)."""
    context = info.context or {}
    root = context.get("files")
    return root if isinstance(root, FileRoot) else FileRoot.local(context.get("base_dir", "."))


@overload
def _check_profile(value: str, info: ValidationInfo) -> str: ...
@overload
def _check_profile(value: str | None, info: ValidationInfo) -> str | None: ...
def _check_profile(value: str | None, info: ValidationInfo) -> str | None:
    if value is None:
        return None
    if value in PROFILE_NAMES:
        return value
    if not str(value).lower().endswith(".csv"):
        raise ValueError(f"must be a bundled profile ({', '.join(PROFILE_NAMES)}) or a .csv path, got {excerpt(value)}")
    path = resolve_file(value, file_root(info), what="profile file")
    load_profile(str(path), name=value)  # ValueError names the problem
    return str(path)


# --------------------------------------------------------------------------- staff and demand
class StaffGroup(StrictModel):
    """A group of interchangeable agents with the channels they serve."""

    name: str = Field(min_length=1, max_length=100, description="Unique group name (1..100 characters).")
    channels: tuple[str, ...] = Field(min_length=1, description="Channels served, in priority order (skills).")
    agents: PerIntervalCount = Field(description="Scheduled agents: one whole number, or one per interval (>= 0).")
    shrinkage: float = Field(
        0.0, ge=0, lt=1, description="Share of scheduled time unavailable (breaks, meetings, absence) [0, 1). Default 0.")
    handle_time_factor: float | dict[str, Annotated[float, Field(gt=0)]] = Field(
        1.0, description="Multiplier (> 0) on the handle time of contacts this group takes: one number, or channel -> "
                         "factor (e.g. specialists 0.75). Default 1.")
    routing_policy: GroupRoutingPolicy | None = Field(
        None, description="{contact_selection: priority | longest_waiting} for this group's agents; default the "
                          "scenario's routing_policy.")

    @field_validator("handle_time_factor", mode="after")
    @classmethod
    def _positive_factor(cls, value):
        if not isinstance(value, dict) and not value > 0:
            raise ValueError(f"must be > 0 (a multiplier on handle time), got {value!r}")
        return value


DIALLING_RULES = ("progressive", "preview", "power")
"""Outbound dialling rules (the same words as :data:`simulator.model.DIALLING_RULES`)."""


class OutboundCampaignSpec(StrictModel):
    """An outbound calling campaign worked by some staff groups between their inbound contacts.

    Inbound always comes first: an agent of the campaign's groups who becomes free takes a waiting
    inbound contact; with none waiting it dials the next record only if at least ``reserve`` agents
    of those groups stay idle for inbound (the blend threshold).
    """

    name: str = Field(min_length=1, max_length=100, description="Unique campaign name (1..100 characters).")
    groups: tuple[str, ...] = Field(min_length=1, description="Staff groups that work the campaign (each in at most "
                                                              "one campaign).")
    contact_rate: float = Field(ge=0, le=1, description="Probability an attempt reaches the right person [0, 1].")
    aht_seconds: float | None = Field(
        None, gt=0, le=MAX_SECONDS, description="Mean talk time of a connected call in seconds, (0, 86400]. Required "
                                                "unless handle_time carries its own mean.")
    handle_time: HandleTimeDistribution | None = Field(
        None, description="Talk-time distribution {kind: ...} (the vocabulary of channels' handle_time). Default "
                          "exponential.")
    after_contact_work_seconds: float = Field(
        0.0, ge=0, le=MAX_SECONDS, description="Wrap-up after a connected call in seconds [0, 86400]. Default 0.")
    dial_seconds: float = Field(
        0.0, ge=0, le=MAX_SECONDS, description="Mean agent time of every attempt before talking (dialling, ringing, "
                                               "no answer) in seconds [0, 86400]. Default 0.")
    dial_time: TimeDistribution | None = Field(
        None, description="Distribution {kind: ...} of that time (mean dial_seconds, or its own). Default constant.")
    reserve: int = Field(0, ge=0, le=MAX_PLACES, description="Blend threshold: agents of the campaign's groups kept "
                                                             "idle for inbound before anyone dials, >= 0. Default 0.")
    dialling: Literal["progressive", "preview", "power"] = Field(
        "progressive", description="progressive: a free agent dials at once; preview: the agent first reads the "
                                   "record for preview_seconds; power: a free agent dials lines_per_agent records at "
                                   "once and talks to the first reached (a later one goes to another idle agent above "
                                   "the reserve, else is dropped). Default progressive.")
    lines_per_agent: int = Field(1, ge=1, le=10, description="Records dialled at once per free agent (power "
                                                             "dialling's pacing ratio), 1..10. Default 1.")
    preview_seconds: float = Field(
        0.0, ge=0, le=MAX_SECONDS, description="Record reading time before each attempt (preview only), seconds [0, 86400].")
    records_per_interval: PerIntervalCount | None = Field(
        None, description="Records added to the calling list at each interval start (one number, or one per "
                          "interval); undialled records carry over. Default: unlimited.")
    calling_hours: Annotated[OpeningHours | None, Field(
        description="When attempts may start {open, close, days, holidays}, or '24/7' (default).")] = None

    @field_validator("calling_hours", mode="before")
    @classmethod
    def _always_open(cls, value):
        return _opening_hours(value)

    @model_validator(mode="after")
    def _check(self) -> OutboundCampaignSpec:
        check_mean_pair(self.handle_time, self.aht_seconds, "handle_time", "aht_seconds", required=True)
        if self.dial_time is not None and self.dial_time.kind not in SELF_MEANED and self.dial_seconds == 0:
            raise FieldIssue("dial_seconds", f"must be > 0 with a {self.dial_time.kind} dial_time (its mean in seconds)")
        if self.dial_time is not None and self.dial_time.kind in SELF_MEANED and self.dial_seconds:
            raise FieldIssue("dial_seconds", f"remove it: the mean comes from dial_time ({self.dial_time.kind})")
        if self.preview_seconds and self.dialling != "preview":
            raise FieldIssue("preview_seconds", "applies to dialling: preview only")
        if self.lines_per_agent > 1 and self.dialling != "power":
            raise FieldIssue("lines_per_agent", "applies to dialling: power only (1 otherwise)")
        if len(set(self.groups)) != len(self.groups):
            raise FieldIssue("groups", f"must not repeat a group, got {list(self.groups)}")
        return self

    @property
    def mean_talk_seconds(self) -> float:
        """Mean talk time of a connected call (seconds)."""
        mean = distribution_mean(self.handle_time, self.aht_seconds)
        if mean is None:  # excluded by the validator
            raise ValueError("a campaign needs aht_seconds or a self-meaned handle_time")
        return mean


class Segment(StrictModel):
    """A customer segment: its share of the demand and how it spreads over channels."""

    name: str = Field(min_length=1, description="Segment name, e.g. under-35.")
    share: float = Field(ge=0, le=1, description="Share of all customers' contacts [0, 1]; segments sum to 1.")
    channel_mix: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(
        min_length=1, description="Channel name -> share of this segment's contacts [0, 1]; sums to 1.")


class SegmentedDemand(StrictModel):
    """Customer demand split by segment and channel preference (shift shares for what-ifs)."""

    daily_total: float = Field(ge=0, le=MAX_DAILY_TOTAL, description="Would-be contacts per day over all channels, [0, 1e8].")
    profile: str = Field("flat", description="Intraday profile (bundled name or CSV path). Default flat.")
    segments: tuple[Segment, ...] = Field(min_length=1, description="Customer segments.")

    @field_validator("profile", mode="after")
    @classmethod
    def _resolve_profile(cls, value: str, info: ValidationInfo) -> str:
        return _check_profile(value, info)

    @model_validator(mode="after")
    def _check(self) -> SegmentedDemand:
        total = sum(s.share for s in self.segments)
        if not math.isclose(total, 1.0, abs_tol=1e-6):
            raise FieldIssue("segments", f"shares must sum to 1, got {total:g}")
        names = [s.name for s in self.segments]
        for index, segment in enumerate(self.segments):
            if segment.name in names[:index]:
                raise FieldIssue(f"segments[{index}].name", f"must be unique, got {segment.name!r} twice")
            mix = sum(segment.channel_mix.values())
            if not math.isclose(mix, 1.0, abs_tol=1e-6):
                raise FieldIssue(f"segments[{index}].channel_mix", f"shares must sum to 1, got {mix:g}")
        return self


# --------------------------------------------------------------------------- precision
class PrecisionSpec(StrictModel):
    """Run replications until the headline KPIs (per channel over the horizon: service level,
    abandon rate, ASA) have 95 % confidence half-widths within these targets, or a cap is reached."""

    share_points: float = Field(DEFAULT_PRECISION_SHARE_POINTS, gt=0, le=50, description=(
        "Target 95 % half-width of service level and abandon rate, percentage points (0 < x <= 50). "
        f"Default {DEFAULT_PRECISION_SHARE_POINTS:g}."))
    asa_seconds: float = Field(DEFAULT_PRECISION_ASA_SECONDS, gt=0, le=MAX_SECONDS, description=(
        f"Target 95 % half-width of the average speed of answer, seconds, (0, 86400]. Default {DEFAULT_PRECISION_ASA_SECONDS:g}."))
    min_replications: int = Field(DEFAULT_MIN_REPLICATIONS, ge=3, le=MAX_REPLICATIONS, description=(
        f"Replications of the first batch, 3..10000. Default {DEFAULT_MIN_REPLICATIONS}."))
    max_replications: int = Field(DEFAULT_MAX_REPLICATIONS, ge=3, le=MAX_REPLICATIONS, description=(
        f"Stop here even if the target is not met (>= min_replications, <= 10000). Default {DEFAULT_MAX_REPLICATIONS}."))

    @model_validator(mode="after")
    def _cap_above_first_batch(self) -> PrecisionSpec:
        if self.max_replications < self.min_replications:
            raise FieldIssue("max_replications", f"must be >= min_replications ({self.min_replications}), "
                             f"got {self.max_replications}")
        return self


# --------------------------------------------------------------------------- scenario
class Scenario(StrictModel):
    """A whole contact-centre scenario: horizon, channels, staff, demand, costs and setups."""

    name: str = Field(min_length=1, max_length=200, description="Scenario name (shown in reports), 1..200 characters.")
    description: str = Field("", max_length=10_000, description="Free text, at most 10,000 characters.")
    interval_minutes: float = Field(30.0, ge=1, le=1440, description="Planning interval length in minutes, 1..1440. Default 30.")
    intervals: int = Field(ge=1, le=MAX_INTERVALS, description="Number of intervals in the horizon, 1..100000.")
    start_time: ClockTime = Field(0, description="Clock time of the first interval 'HH:MM'. Default 00:00.")
    start_date: dt.date | None = Field(
        None, description="Date of the first interval (YYYY-MM-DD): needed for open days and holidays.")
    warmup_minutes: float = Field(0.0, ge=0, le=1e7, description="Contacts arriving before this are simulated, not counted. Default 0.")
    replications: int = Field(10, ge=1, le=MAX_REPLICATIONS, description=(
        "A fixed number of independent replications, 1..10000 (CLI --replications overrides). When the file sets "
        "neither this nor `precision`, `ccplan simulate`, `compare` and `sweep` run to the default precision "
        "target; other uses default to 10."))
    precision: PrecisionSpec | None = Field(None, description=(
        "Run replications until the headline KPIs are this precise (CLI --precision overrides; "
        "--replications forces a fixed count). Default: the default target when `replications` is not set."))
    seed: int | None = Field(None, ge=0, le=2**63 - 1, description="Root random seed (CLI --seed overrides). Default: fresh entropy.")
    channels: dict[str, Channel] = Field(min_length=1, max_length=50, description="Channels by name (voice, chat, email, sms...), 1..50.")
    demand: SegmentedDemand | None = Field(
        None, description="Customer demand by segment, for channels without their own demand source.")
    staff: tuple[StaffGroup, ...] = Field(min_length=1, max_length=200, description="Agent groups, 1..200.")
    outbound: tuple[OutboundCampaignSpec, ...] = Field(
        (), max_length=50, description="Outbound calling campaigns blended with the inbound work of their staff "
                                       "groups (inbound first, a reserve of idle agents kept). Default none.")
    email_after_realtime: bool = Field(
        True, description="Agents take email only when no voice/chat they serve waits. Default true.")
    trunks: int | None = Field(
        None, ge=1, le=MAX_PLACES, description="Telephone lines shared by voice channels (>= 1): a call holds a line from arrival "
                                "(IVR/bot and queue included) to the end of its talk; a call finding every line busy "
                                "is blocked. Default unlimited.")
    busyness: BusynessSpec | None = Field(
        None, description="{cv}: one Gamma(mean 1) factor per calendar day (midnight of start_time starts a day) "
                          "multiplying every channel's arrivals. Default none.")
    drain: bool = Field(
        False, description="Keep serving after the horizon, with no new arrivals and the last interval's staff, until "
                           "every contact has left, so every contact's outcome is in the KPIs. Default false.")
    routing_policy: RoutingPolicy = Field(
        default_factory=RoutingPolicy, description="{contact_selection, agent_selection}: how agents and waiting "
                                                   "contacts are matched. Default priority / ordered.")
    costs: CostModel = Field(default_factory=CostModel, description="Prices (defaults are documented assumptions).")
    setup: Setup | None = Field(
        None, description="The setup `ccplan simulate` applies (kind: in-house | virtual | cloud). Default none: as given.")
    setups: tuple[Setup, ...] = Field(
        (), description="Per-kind overrides used by `ccplan compare` (at most one per kind).")

    @property
    def horizon_minutes(self) -> float:
        """Length of the horizon in minutes."""
        return self.interval_minutes * self.intervals

    def interval_labels(self) -> list[str]:
        """Clock label ``HH:MM`` of each interval start (``+1d`` after the first midnight)."""
        return clock.interval_labels(self.start_time, self.interval_minutes, self.intervals)

    def channel_kind(self, name: str) -> ChannelKind:
        """The kind of channel ``name`` (explicit, or inferred from the name)."""
        kind = self.channels[name].kind
        # without an explicit kind the validator requires the name to be a kind
        return kind if kind is not None else cast(ChannelKind, name)

    def setup_for(self, kind: str):
        """The setup of ``kind`` as configured in the file (``setups``, then ``setup``), else its defaults."""
        for candidate in self.setups:
            if candidate.kind == kind:
                return candidate
        if self.setup is not None and self.setup.kind == kind:
            return self.setup
        return default_setup(kind)

    def with_segment_shares(self, shares: dict[str, float]) -> Scenario:
        """A what-if: the same scenario with some customer segments' shares changed.

        Parameters
        ----------
        shares : mapping of str to float
            Segment name -> new share of the demand, in [0, 1]. The other segments keep their
            proportions among themselves and are rescaled so the shares still sum to 1.

        Returns
        -------
        Scenario
            A new validated scenario (this one is frozen and unchanged).

        Raises
        ------
        ValueError
            Without a ``demand`` block, for an unknown segment, or shares that cannot sum to 1.
        """
        if self.demand is None:
            raise ValueError("the scenario has no demand.segments to shift")
        names = [segment.name for segment in self.demand.segments]
        unknown = sorted(set(shares) - set(names))
        if unknown:
            raise ValueError(f"unknown segment {excerpt(unknown[0])}; segments are {names}")
        fixed = sum(float(v) for v in shares.values())
        rest = [seg for seg in self.demand.segments if seg.name not in shares]
        rest_total = sum(seg.share for seg in rest)
        if fixed > 1 + 1e-9 or (not rest and not math.isclose(fixed, 1.0, abs_tol=1e-9)) or (rest and rest_total == 0 and fixed < 1 - 1e-9):
            raise ValueError(f"segment shares cannot sum to 1 with {dict(shares)}")
        data = self.model_dump(mode="json")
        for segment in data["demand"]["segments"]:
            if segment["name"] in shares:
                segment["share"] = float(shares[segment["name"]])
            elif rest_total > 0:
                segment["share"] = segment["share"] * (1.0 - fixed) / rest_total
        return Scenario.model_validate(data)

    def to_canonical_json(self) -> str:
        """Canonical JSON (sorted keys, no spaces): reproducible echo and digest of the scenario."""
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))

    @model_validator(mode="after")
    def _check(self) -> Scenario:
        n = self.intervals
        names = list(self.channels)
        for name, channel in self.channels.items():
            self._check_channel(name, channel)
        if self.warmup_minutes >= self.horizon_minutes:
            raise FieldIssue("warmup_minutes", f"must be < the horizon ({self.horizon_minutes:g} minutes), got {self.warmup_minutes:g}")
        uses_days = [name for name, c in self.channels.items()
                     if c.opening_hours is not None and (set(c.opening_hours.days) != set(WEEKDAYS) or c.opening_hours.holidays)]
        if uses_days and self.start_date is None:
            raise FieldIssue(f"channels.{uses_days[0]}.opening_hours", "open days and holidays need start_date (YYYY-MM-DD)")
        for index, group in enumerate(self.staff):
            if isinstance(group.handle_time_factor, dict):
                for channel_name in group.handle_time_factor:
                    if channel_name not in group.channels:
                        raise FieldIssue(f"staff[{index}].handle_time_factor.{channel_name}",
                                         f"is not a channel of this group; its channels are {list(group.channels)}")
        if self.demand is not None:
            for index, segment in enumerate(self.demand.segments):
                for channel_name, share in segment.channel_mix.items():
                    if channel_name not in self.channels:
                        raise FieldIssue(f"demand.segments[{index}].channel_mix.{channel_name}",
                                         f"is not a channel; channels are {names}")
                    own = self.channels[channel_name]
                    if share > 0 and any(getattr(own, k) is not None for k in ("arrivals_per_interval", "daily_total", "history_csv")):
                        raise FieldIssue(f"demand.segments[{index}].channel_mix.{channel_name}",
                                         f"channel {channel_name!r} has its own demand source; remove it from the mix or remove the source")
        volumes: dict[str, float] = {}
        for name, channel in self.channels.items():
            if channel.arrivals_per_interval is None and channel.daily_total is None and channel.history_csv is None:
                in_mix = self.demand is not None and any(s.channel_mix.get(name, 0) > 0 for s in self.demand.segments)
                if not in_mix:
                    raise FieldIssue(f"channels.{name}", "has no demand: give arrivals_per_interval, daily_total, "
                                                         "history_csv, or a share in demand.segments")
            if channel.history_csv is not None and (1440 % self.interval_minutes or self.start_time % self.interval_minutes):
                raise FieldIssue(f"channels.{name}.history_csv",
                                 f"needs interval_minutes dividing the day and start_time on an interval boundary "
                                 f"(interval {self.interval_minutes:g} min, start {format_clock(self.start_time)})")
            try:
                volumes[name] = float(resolve_arrivals(self, name).sum())
            except ValueError as exc:
                field = "arrivals_per_interval" if channel.arrivals_per_interval is not None else \
                    "history_csv" if channel.history_csv is not None else "profile"
                raise FieldIssue(f"channels.{name}.{field}", str(exc)) from None
        group_names = [g.name for g in self.staff]
        for index, group in enumerate(self.staff):
            if group.name in group_names[:index]:
                raise FieldIssue(f"staff[{index}].name", f"must be unique, got {group.name!r} twice")
            for channel_name in group.channels:
                if channel_name not in self.channels:
                    raise FieldIssue(f"staff[{index}].channels", f"names an unknown channel {excerpt(channel_name)}; channels are {names}")
            if len(set(group.channels)) != len(group.channels):
                raise FieldIssue(f"staff[{index}].channels", f"must not repeat a channel, got {list(group.channels)}")
            if len(group.agents) not in (1, n):
                raise FieldIssue(f"staff[{index}].agents", f"must have one value per interval ({n} values, or a single number), got {len(group.agents)}")
        for name, channel in self.channels.items():
            serving = [g.name for g in self.staff if name in g.channels]
            if not serving:
                raise FieldIssue(f"channels.{name}", f"is served by no staff group; add {name!r} to some staff[...].channels")
            for group_name in channel.routing_groups or ():
                if group_name not in serving:
                    raise FieldIssue(f"channels.{name}.routing", f"names {excerpt(group_name)}, which is not a staff group serving {name!r} (serving: {serving})")
            routed = channel.routing_groups or serving
            if volumes[name] > 0 and sum(sum(g.agents) for g in self.staff if g.name in routed) == 0:
                raise FieldIssue(f"channels.{name}", f"has demand but every staff group serving it ({', '.join(routed)}) has 0 agents in every interval")
        self._check_setups()
        self._check_outbound(group_names)
        return self

    def _check_outbound(self, group_names: list[str]) -> None:
        owner: dict[str, str] = {}
        names = [campaign.name for campaign in self.outbound]
        for index, campaign in enumerate(self.outbound):
            path = f"outbound[{index}]"
            if campaign.name in names[:index]:
                raise FieldIssue(f"{path}.name", f"must be unique, got {campaign.name!r} twice")
            if campaign.name in self.channels:  # tables name columns <channel>.<kpi> and <campaign>.<kpi>
                raise FieldIssue(f"{path}.name", f"must differ from every channel name, got {campaign.name!r}")
            for group_name in campaign.groups:
                if group_name not in group_names:
                    raise FieldIssue(f"{path}.groups", f"names an unknown staff group {group_name!r}; groups are {group_names}")
                if group_name in owner:
                    raise FieldIssue(f"{path}.groups", f"names {group_name!r}, which already works campaign "
                                                       f"{owner[group_name]!r} (a group works at most one campaign)")
                owner[group_name] = campaign.name
            records = campaign.records_per_interval
            if records is not None and len(records) not in (1, self.intervals):
                raise FieldIssue(f"{path}.records_per_interval", f"must have one value per interval ({self.intervals} "
                                                                 f"values, or a single number), got {len(records)}")
            hours = campaign.calling_hours
            if hours is not None and (set(hours.days) != set(WEEKDAYS) or hours.holidays) and self.start_date is None:
                raise FieldIssue(f"{path}.calling_hours", "calling days and holidays need start_date (YYYY-MM-DD)")

    def _check_channel(self, name: str, channel: Channel) -> None:
        path = f"channels.{name}"
        if not name or "." in name or len(name) > 64:
            raise FieldIssue("channels", f"channel names must be 1..64 characters without dots, got {excerpt(name)}")
        kind: str | None = channel.kind
        if kind is None:
            if name not in CHANNEL_KINDS:
                raise FieldIssue(f"{path}.kind", f"is required for a channel not named voice, chat or email (one of {', '.join(CHANNEL_KINDS)})")
            kind = name
        if kind == "email":
            for field in ("patience_seconds", "patience", "service_level", "bot", "callback_threshold_seconds", "retrial",
                          "max_wait_seconds"):
                if getattr(channel, field) is not None:
                    raise FieldIssue(f"{path}.{field}", "does not apply to an email channel (deferred, no abandonment); use response_target_hours")
            if channel.closed_queue != "keep":
                raise FieldIssue(f"{path}.closed_queue", "must be keep for an email channel (deferred work waits for the next agent)")
        elif channel.response_target_hours is not None:
            raise FieldIssue(f"{path}.response_target_hours", f"applies to email only; use service_level for {kind}")
        for field in ("asa_goal_seconds", "max_abandon_rate"):
            if getattr(channel, field) is not None and kind != "voice":
                raise FieldIssue(f"{path}.{field}", f"applies to voice channels only (the analytic {kind} model has no "
                                                    f"{'ASA' if field.startswith('asa') else 'abandonment'} goal), got a {kind} channel")
        if channel.max_abandon_rate is not None and channel.mean_patience_seconds is None:
            raise FieldIssue(f"{path}.max_abandon_rate", "needs patience_seconds (Erlang A: callers who abandon); "
                                                         "without patience nobody abandons")
        self._check_transfer_and_messages(name, channel, kind)
        if channel.concurrency > 1 and kind != "chat":
            raise FieldIssue(f"{path}.concurrency", f"must be 1 for a {kind} channel (only chat is concurrent), got {channel.concurrency}")
        for field in ("aht_seconds_per_interval", "patience_seconds_per_interval"):
            means = getattr(channel, field)
            if means is not None and len(means) not in (1, self.intervals):
                raise FieldIssue(f"{path}.{field.removesuffix('_per_interval')}",
                                 f"must have one value per interval ({self.intervals} values, or a single number), got {len(means)}")
        if channel.arrivals_per_interval is not None and len(channel.arrivals_per_interval) not in (1, self.intervals):
            raise FieldIssue(f"{path}.arrivals_per_interval",
                             f"must have one value per interval ({self.intervals} values, or a single number), got {len(channel.arrivals_per_interval)}")

    def _check_transfer_and_messages(self, name: str, channel: Channel, kind: str) -> None:
        """``transfer.to`` names another voice/chat channel; ``messages_to`` an email channel."""
        path = f"channels.{name}"
        kinds = {other: self.channel_kind(other) for other in self.channels}
        if channel.transfer is not None and channel.transfer.to_group is not None:
            group = channel.transfer.to_group
            groups = [g.name for g in self.staff]
            if group not in groups:
                raise FieldIssue(f"{path}.transfer.to.group", f"names an unknown staff group {excerpt(group)}; groups are {', '.join(groups)}")
            if kind != "voice":
                raise FieldIssue(f"{path}.transfer.to.group", f"applies to voice channels (a transfer to a staff group), got {kind}")
        elif channel.transfer is not None:
            target = channel.transfer.to
            if kind == "email":
                raise FieldIssue(f"{path}.transfer", "does not apply to an email channel (transfers are of voice and chat contacts)")
            if target not in kinds:
                raise FieldIssue(f"{path}.transfer.to", f"names an unknown channel {excerpt(target)}; channels are {', '.join(kinds)}")
            if target == name:
                raise FieldIssue(f"{path}.transfer.to", f"must name another channel than {name!r} (a second service elsewhere)")
            if kinds[target] == "email":
                raise FieldIssue(f"{path}.transfer.to", f"must name a voice or chat channel, got {target!r} (email)")
        if channel.messages_to is not None:
            target = channel.messages_to
            if kind == "email":
                raise FieldIssue(f"{path}.messages_to", "does not apply to an email channel (it leaves no messages)")
            if target not in kinds:
                raise FieldIssue(f"{path}.messages_to", f"names an unknown channel {excerpt(target)}; channels are {', '.join(kinds)}")
            if kinds[target] != "email":
                raise FieldIssue(f"{path}.messages_to", f"must name an email (deferred) channel, got {target!r} ({kinds[target]})")

    def _check_setups(self) -> None:
        kinds = [s.kind for s in self.setups]
        for index, kind in enumerate(kinds):
            if kind in kinds[:index]:
                raise FieldIssue(f"setups[{index}].kind", f"at most one setup per kind ({', '.join(SETUP_KINDS)}), got {kind!r} twice")
        located = [(f"setups[{i}]", s) for i, s in enumerate(self.setups)]
        if self.setup is not None:
            located.insert(0, ("setup", self.setup))
        group_names = [g.name for g in self.staff]
        for path, setup in located:
            if isinstance(setup, VirtualSetup):
                for group_name, agents in setup.schedules.items():
                    if group_name not in group_names:
                        raise FieldIssue(f"{path}.schedules.{group_name}", f"is not a staff group; groups are {group_names}")
                    if len(agents) not in (1, self.intervals):
                        raise FieldIssue(f"{path}.schedules.{group_name}", f"must have one value per interval ({self.intervals} values, or a single number), got {len(agents)}")
            if isinstance(setup, CloudSetup):
                parts = [("notifications.channels", setup.notifications.channels), ("callbacks.channels", setup.callbacks.channels)]
                if setup.burst is not None:
                    parts.append(("burst.channels", setup.burst.channels))
                for field, channels in parts:
                    for channel_name in channels or ():
                        if channel_name not in self.channels:
                            raise FieldIssue(f"{path}.{field}", f"names an unknown channel {excerpt(channel_name)}; channels are {list(self.channels)}")
                for channel_name in setup.callbacks.channels or ():
                    if setup.callbacks.enabled and self.channel_kind(channel_name) == "email":
                        raise FieldIssue(f"{path}.callbacks.channels", f"callbacks apply to voice/chat, not to email channel {channel_name!r}")
                days = math.ceil((self.start_time + self.horizon_minutes) / 1440)
                for index, incident in enumerate(setup.notifications.incidents):
                    if incident.day >= days:
                        raise FieldIssue(f"{path}.notifications.incidents[{index}].day", f"must be within the horizon (0..{days - 1}), got {incident.day}")


def scenario_json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a scenario file, for editors and ``ccplan schema``."""
    schema = Scenario.model_json_schema(mode="validation")
    hours = schema["$defs"]["Channel"]["properties"]["opening_hours"]
    hours["anyOf"].insert(0, {"const": "24/7", "description": "Always open."})
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ccplan scenario"
    for definition in [schema, *schema["$defs"].values()]:
        for prop in definition.get("properties", {}).values():
            _describe_range(prop)
    return schema


def _describe_range(prop: dict) -> None:
    """Append ``Range: [lo, hi].`` to a property's description from its bounds (documented ranges)."""
    bounds = prop
    for option in prop.get("anyOf", ()):
        if any(key in option for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")):
            bounds = option
            break
    low = bounds.get("minimum", bounds.get("exclusiveMinimum"))
    high = bounds.get("maximum", bounds.get("exclusiveMaximum"))
    if high is None or "Range:" in prop.get("description", ""):
        return
    left = "(" if "exclusiveMinimum" in bounds else "["
    right = ")" if "exclusiveMaximum" in bounds else "]"
    low_text = "-inf" if low is None else f"{low:g}"
    prop["description"] = f"{prop.get('description', '')} Range: {left}{low_text}, {high:g}{right}.".strip()
