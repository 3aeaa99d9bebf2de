"""Interval requirements: per-interval staffing for voice, chat and email in one tidy table.

:func:`interval_requirements` takes per-interval volumes for any of the three channels and
returns one row per interval x channel with the offered traffic, the requirement by each
model, the expected performance at the staffing used, occupancy, the agents to schedule after
shrinkage and the FTE they represent. Models per channel:

* voice: Erlang C (:func:`staffing.required_agents`), Erlang A with exponential patience
  (:func:`staffing.required_agents_erlang_a`) and the square-root (Halfin-Whitt) estimate;
  the staffing used is Erlang A when a patience is given (real callers abandon, and Erlang C
  then over-staffs), otherwise Erlang C.
* chat: :func:`staffing.chat_required_agents`, with the slots answer (Erlang C on
  ``concurrency x agents`` slots) in the Erlang C column; the staffing used follows
  ``ChatSettings.method`` (default ``"stretch"``).
* email: :func:`staffing.deferred_requirements` (workload within a response target, backlog
  carried between intervals).

Values that do not apply to a channel (Erlang A for chat, service level for email...) are
missing (``NaN`` / ``<NA>``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ._validate import StaffingInputError, as_float_array, as_probability
from .chat import DEFAULT_CONCURRENCY_STRETCH, chat_required_agents
from .deferred import deferred_requirements
from .erlang import average_speed_of_answer, occupancy, service_level
from .erlang_a import erlang_a, erlang_a_requirement, warn_high_abandonment
from .shrinkage import Shrinkage, full_time_equivalents, scheduled_agents, total_shrinkage
from .sizing import erlang_c_requirement, square_root_staffing

__all__ = [
    "VOICE",
    "CHAT",
    "EMAIL",
    "CHANNELS",
    "COLUMN_INTERVAL",
    "COLUMN_INTERVAL_START",
    "COLUMN_CHANNEL",
    "COLUMN_VOLUME",
    "COLUMN_TRAFFIC",
    "COLUMN_REQUIRED_ERLANG_C",
    "COLUMN_REQUIRED_ERLANG_A",
    "COLUMN_REQUIRED_SQUARE_ROOT",
    "COLUMN_REQUIRED_AGENTS",
    "COLUMN_BINDING_GOAL",
    "COLUMN_SERVICE_LEVEL",
    "COLUMN_ASA",
    "COLUMN_ABANDON_RATE",
    "COLUMN_OCCUPANCY",
    "COLUMN_BACKLOG_ITEMS",
    "COLUMN_SCHEDULED_AGENTS",
    "COLUMN_FTE",
    "REQUIREMENT_COLUMNS",
    "VoiceSettings",
    "ChatSettings",
    "EmailSettings",
    "DEFAULT_PAID_HOURS_PER_FTE",
    "interval_requirements",
]

VOICE = "voice"
CHAT = "chat"
EMAIL = "email"
#: The channels, in the order rows appear within an interval.
CHANNELS = (VOICE, CHAT, EMAIL)

COLUMN_INTERVAL = "interval"  #: interval index, 0-based
COLUMN_INTERVAL_START = "interval_start"  #: label such as "08:00", or <NA>
COLUMN_CHANNEL = "channel"  #: voice, chat or email
COLUMN_VOLUME = "volume"  #: contacts (items) arriving in the interval
COLUMN_TRAFFIC = "traffic_erlangs"  #: offered load, arrival rate x AHT (Erlangs)
COLUMN_REQUIRED_ERLANG_C = "required_erlang_c"  #: voice: Erlang C; chat: slots model
COLUMN_REQUIRED_ERLANG_A = "required_erlang_a"  #: voice with patience only
COLUMN_REQUIRED_SQUARE_ROOT = "required_square_root"  #: Halfin-Whitt estimate, rounded up
COLUMN_REQUIRED_AGENTS = "required_agents"  #: the staffing used for the metrics and schedule
#: voice and chat: the goal that sets required_agents ("service_level", "occupancy", "asa" or
#: "abandon": the first goal, in that order, missed with one agent fewer); <NA> without traffic
#: and for email
COLUMN_BINDING_GOAL = "binding_goal"
COLUMN_SERVICE_LEVEL = "service_level"  #: expected P(answered within target) at required_agents
COLUMN_ASA = "asa_seconds"  #: expected mean wait (Erlang A: of answered calls), seconds
COLUMN_ABANDON_RATE = "abandon_rate"  #: expected share of callers who abandon (Erlang A)
COLUMN_OCCUPANCY = "occupancy"  #: share of available agent time busy with contacts
COLUMN_BACKLOG_ITEMS = "backlog_items"  #: email: items not completed at the end of the interval
COLUMN_SCHEDULED_AGENTS = "scheduled_agents"  #: ceil(required / (1 - shrinkage))
COLUMN_FTE = "fte"  #: scheduled agent-hours of the interval / paid hours per FTE

#: All columns of :func:`interval_requirements`, in order.
REQUIREMENT_COLUMNS = (
    COLUMN_INTERVAL,
    COLUMN_INTERVAL_START,
    COLUMN_CHANNEL,
    COLUMN_VOLUME,
    COLUMN_TRAFFIC,
    COLUMN_REQUIRED_ERLANG_C,
    COLUMN_REQUIRED_ERLANG_A,
    COLUMN_REQUIRED_SQUARE_ROOT,
    COLUMN_REQUIRED_AGENTS,
    COLUMN_BINDING_GOAL,
    COLUMN_SERVICE_LEVEL,
    COLUMN_ASA,
    COLUMN_ABANDON_RATE,
    COLUMN_OCCUPANCY,
    COLUMN_BACKLOG_ITEMS,
    COLUMN_SCHEDULED_AGENTS,
    COLUMN_FTE,
)
_AGENT_COLUMNS = (
    COLUMN_REQUIRED_ERLANG_C,
    COLUMN_REQUIRED_ERLANG_A,
    COLUMN_REQUIRED_SQUARE_ROOT,
    COLUMN_REQUIRED_AGENTS,
    COLUMN_SCHEDULED_AGENTS,
)

#: Paid hours of one FTE per day: the FTE column of a one-day table sums to the day's FTE.
DEFAULT_PAID_HOURS_PER_FTE = 8.0

_SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True)
class VoiceSettings:
    """Voice queue parameters.

    Attributes
    ----------
    aht_seconds : float
        Average handle time, seconds. Default 240 (talk plus wrap-up of a typical service call).
    target_seconds : float
        Service-level target, seconds. Default 20 (the common 80/20 goal).
    service_level_goal : float
        Required share answered within the target, in (0, 1). Default 0.8.
    patience_seconds : float or None
        Mean caller patience for Erlang A, seconds; ``None`` for Erlang C only. Default 180.
    model : {"erlang_a", "erlang_c"} or None
        Which requirement staffs the queue; ``None`` (default) means Erlang A when a patience is
        given, else Erlang C.
    max_occupancy : float or None
        Highest allowed occupancy (share of agent time busy), in (0, 1]; ``None`` (default)
        for no cap. Applies to the Erlang C and Erlang A requirements.
    asa_goal_seconds : float or None
        Highest allowed average speed of answer, seconds (> 0); ``None`` (default) for none.
        Erlang C: mean wait of all calls; Erlang A: mean wait of answered calls.
    max_abandon_rate : float or None
        Highest allowed share of callers who abandon, in (0, 1), Erlang A only; ``None``
        (default) for none, and then a :class:`staffing.StaffingWarning` is issued when the
        Erlang A staffing used lets more than 10 % abandon.
    """

    aht_seconds: float = 240.0
    target_seconds: float = 20.0
    service_level_goal: float = 0.8
    patience_seconds: float | None = 180.0
    model: Literal["erlang_a", "erlang_c"] | None = None
    max_occupancy: float | None = None
    asa_goal_seconds: float | None = None
    max_abandon_rate: float | None = None


@dataclass(frozen=True)
class ChatSettings:
    """Chat queue parameters.

    Attributes
    ----------
    aht_seconds : float
        Handle time of a chat handled alone, seconds. Default 480.
    target_seconds : float
        Service-level target for a chat to be accepted, seconds. Default 60.
    service_level_goal : float
        Required share accepted within the target, in (0, 1). Default 0.8.
    concurrency : int
        Most chats per agent. Default 2.
    concurrency_stretch : float
        Per-extra-chat slow-down (see :mod:`staffing.chat`). Default 0.25.
    method : {"stretch", "slots"}
        Model that staffs the queue. Default ``"stretch"``.
    """

    aht_seconds: float = 480.0
    target_seconds: float = 60.0
    service_level_goal: float = 0.8
    concurrency: int = 2
    concurrency_stretch: float = DEFAULT_CONCURRENCY_STRETCH
    method: Literal["stretch", "slots"] = "stretch"


@dataclass(frozen=True)
class EmailSettings:
    """Email (deferred work) parameters.

    Attributes
    ----------
    aht_seconds : float
        Handle time of an email, seconds. Default 360.
    response_target_hours : float
        Every email answered within this many business hours. Default 4.
    max_occupancy : float
        Share of an agent's interval spent on emails, in (0, 1]. Default 1.0.
    clear_by_end : bool
        Finish every email by the end of the last interval. Default true.
    """

    aht_seconds: float = 360.0
    response_target_hours: float = 4.0
    max_occupancy: float = 1.0
    clear_by_end: bool = True


def interval_requirements(
    volumes: Mapping[str, ArrayLike],
    *,
    interval_minutes: float = 30.0,
    voice: VoiceSettings = VoiceSettings(),  # noqa: B008 - frozen, so a shared default is safe
    chat: ChatSettings = ChatSettings(),  # noqa: B008
    email: EmailSettings = EmailSettings(),  # noqa: B008
    shrinkage: float | Mapping[str, float] | Shrinkage = 0.0,
    paid_hours_per_fte: float = DEFAULT_PAID_HOURS_PER_FTE,
    interval_starts: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per-interval, per-channel staffing requirements as a tidy DataFrame.

    Parameters
    ----------
    volumes : Mapping[str, array_like] or pandas.DataFrame
        Contacts arriving per interval for any of ``"voice"``, ``"chat"``, ``"email"``
        (1-D, equal lengths, >= 0). Only the channels given appear in the table.
    interval_minutes : float
        Interval length in minutes (> 0). Default 30.
    voice, chat, email : VoiceSettings, ChatSettings, EmailSettings
        Channel parameters (see their defaults).
    shrinkage : float or Mapping[str, float] or Shrinkage
        Share of paid time not available for contacts, in [0, 1); see
        :mod:`staffing.shrinkage`. Default 0.
    paid_hours_per_fte : float
        Paid hours of one FTE over the period the intervals cover (> 0). Default 8 (a day).
    interval_starts : Sequence[str], optional
        Labels of the intervals (e.g. ``"08:00"``), one per interval.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REQUIREMENT_COLUMNS`; one row per interval x channel, intervals in
        order and channels in the order of :data:`CHANNELS`. Agent columns are nullable
        integers.

    Examples
    --------
    >>> table = interval_requirements({"voice": [100, 150]}, voice=VoiceSettings(patience_seconds=None))
    >>> table[COLUMN_REQUIRED_AGENTS].tolist()
    [17, 25]
    """
    series = _check_volumes(volumes)
    count = next(iter(series.values())).size
    minutes = float(as_float_array(interval_minutes, "interval_minutes", minimum=0.0, allow_equal_minimum=False))
    paid = float(as_float_array(paid_hours_per_fte, "paid_hours_per_fte", minimum=0.0, allow_equal_minimum=False))
    total_shrinkage(shrinkage)  # validates a share or the components before any maths runs
    if interval_starts is not None:
        labels = [str(label) for label in interval_starts]
        if len(labels) != count:
            raise StaffingInputError(f"interval_starts must have one label per interval ({count}), got {len(labels)}")
    else:
        labels = [pd.NA] * count

    builders: dict[str, Callable[..., pd.DataFrame]] = {VOICE: _voice_rows, CHAT: _chat_rows, EMAIL: _email_rows}
    settings = {VOICE: voice, CHAT: chat, EMAIL: email}
    frames = []
    for channel in CHANNELS:
        if channel not in series:
            continue
        try:
            frame = builders[channel](series[channel], minutes, settings[channel])
        except StaffingInputError as exc:
            message = str(exc)
            raise StaffingInputError(message if message.startswith(channel) else f"{channel} {message}") from None
        frame[COLUMN_INTERVAL] = np.arange(count)
        frame[COLUMN_INTERVAL_START] = pd.array(labels, dtype="string")
        frame[COLUMN_CHANNEL] = channel
        frame[COLUMN_VOLUME] = series[channel]
        required = frame[COLUMN_REQUIRED_AGENTS].to_numpy(dtype=float)
        scheduled = np.atleast_1d(scheduled_agents(required, shrinkage))
        frame[COLUMN_SCHEDULED_AGENTS] = scheduled
        frame[COLUMN_FTE] = full_time_equivalents(scheduled * minutes / 60.0, paid)
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    channel_order = table[COLUMN_CHANNEL].map({channel: rank for rank, channel in enumerate(CHANNELS)})
    table = table.assign(_rank=channel_order).sort_values([COLUMN_INTERVAL, "_rank"], kind="stable")
    table = table.drop(columns="_rank").reset_index(drop=True)
    for column in _AGENT_COLUMNS:
        table[column] = pd.array(table[column].to_numpy(dtype=float), dtype="Float64").round().astype("Int64")
    return table[list(REQUIREMENT_COLUMNS)]


# --- internals ---------------------------------------------------------------------------


def _check_volumes(volumes) -> dict[str, np.ndarray]:
    if isinstance(volumes, pd.DataFrame):
        volumes = {str(column): volumes[column].to_numpy() for column in volumes.columns}
    if not isinstance(volumes, Mapping) or not volumes:
        raise StaffingInputError(
            f"volumes must map at least one channel ({', '.join(CHANNELS)}) to per-interval volumes"
        )
    unknown = [str(name) for name in volumes if name not in CHANNELS]
    if unknown:
        raise StaffingInputError(
            f"volumes has unknown channel {unknown[0]!r}; allowed channels: {', '.join(CHANNELS)}"
        )
    series = {}
    for channel, values in volumes.items():
        array = as_float_array(values, f"volumes[{channel!r}]", minimum=0.0)
        if array.ndim != 1:
            raise StaffingInputError(f"volumes[{channel!r}] must be 1-D (one value per interval), got shape {array.shape}")
        series[channel] = array
    lengths = {channel: array.size for channel, array in series.items()}
    if len(set(lengths.values())) > 1:
        raise StaffingInputError(f"volumes must have the same number of intervals per channel, got {lengths}")
    return series


def _empty(count: int) -> dict[str, np.ndarray]:
    nan = np.full(count, np.nan)
    return {
        COLUMN_REQUIRED_ERLANG_C: nan.copy(),
        COLUMN_REQUIRED_ERLANG_A: nan.copy(),
        COLUMN_REQUIRED_SQUARE_ROOT: nan.copy(),
        COLUMN_SERVICE_LEVEL: nan.copy(),
        COLUMN_ASA: nan.copy(),
        COLUMN_ABANDON_RATE: nan.copy(),
        COLUMN_BACKLOG_ITEMS: nan.copy(),
        COLUMN_BINDING_GOAL: pd.array([pd.NA] * count, dtype="string"),
    }


def _voice_rows(volume: np.ndarray, minutes: float, settings: VoiceSettings) -> pd.DataFrame:
    aht = float(as_float_array(settings.aht_seconds, "voice aht_seconds", minimum=0.0, allow_equal_minimum=False))
    target = float(as_float_array(settings.target_seconds, "voice target_seconds", minimum=0.0))
    goal = float(as_probability(settings.service_level_goal, "voice service_level_goal"))
    patience = settings.patience_seconds
    if patience is not None:
        patience = float(as_float_array(patience, "voice patience_seconds", minimum=0.0, allow_equal_minimum=False, allow_inf=True))
    model = settings.model or ("erlang_a" if patience is not None else "erlang_c")
    if model not in ("erlang_a", "erlang_c"):
        raise StaffingInputError(f"voice model must be erlang_a or erlang_c, got {model!r}")
    if model == "erlang_a" and patience is None:
        raise StaffingInputError("voice model erlang_a needs patience_seconds (> 0)")

    count = volume.size
    rate = volume * 60.0 / minutes  # calls per hour
    traffic = rate / _SECONDS_PER_HOUR * aht
    columns = _empty(count)
    columns[COLUMN_TRAFFIC] = traffic
    busy = traffic > 0
    required_c = np.zeros(count)
    required_a = np.zeros(count) if patience is not None else np.full(count, np.nan)
    square_root = np.zeros(count)
    binding_c = np.full(count, "", dtype=object)
    binding_a = np.full(count, "", dtype=object)
    abandon_a = np.zeros(count)
    goals = {"max_occupancy": settings.max_occupancy, "asa_goal_seconds": settings.asa_goal_seconds}
    max_abandon = settings.max_abandon_rate
    if busy.any():
        required_c[busy], binding_c[busy] = erlang_c_requirement(traffic[busy], aht, target, goal, **_named(goals))
        square_root[busy] = np.ceil(np.asarray(square_root_staffing(traffic[busy], aht, target, goal), dtype=float) - 1e-9)
        if patience is not None:
            required_a[busy], binding_a[busy], abandon_a[busy] = erlang_a_requirement(
                rate[busy], aht, patience, target, goal, max_abandon_rate=max_abandon, **_named(goals)
            )
    columns[COLUMN_REQUIRED_ERLANG_C] = required_c
    columns[COLUMN_REQUIRED_ERLANG_A] = required_a
    columns[COLUMN_REQUIRED_SQUARE_ROOT] = square_root
    staffed = required_a if model == "erlang_a" else required_c
    binding = binding_a if model == "erlang_a" else binding_c
    if model == "erlang_a" and max_abandon is None:
        warn_high_abandonment(abandon_a, "interval_requirements (voice, Erlang A)", stacklevel=4)
    columns[COLUMN_BINDING_GOAL] = pd.array([b or pd.NA for b in binding], dtype="string")
    columns[COLUMN_REQUIRED_AGENTS] = staffed

    level = np.ones(count)
    asa = np.zeros(count)
    abandon = np.zeros(count) if model == "erlang_a" else np.full(count, np.nan)
    busy_share = np.zeros(count)
    if busy.any():
        if model == "erlang_a":
            assert patience is not None  # checked above: erlang_a needs patience
            result = erlang_a(rate[busy], aht, patience, staffed[busy], target)
            level[busy] = result.service_level
            asa[busy] = result.asa_seconds
            abandon[busy] = result.p_abandon
            busy_share[busy] = result.occupancy
        else:
            level[busy] = service_level(traffic[busy], staffed[busy], aht, target)
            asa[busy] = average_speed_of_answer(traffic[busy], staffed[busy], aht)
            busy_share[busy] = occupancy(traffic[busy], staffed[busy])
    columns[COLUMN_SERVICE_LEVEL] = level
    columns[COLUMN_ASA] = asa
    columns[COLUMN_ABANDON_RATE] = abandon
    columns[COLUMN_OCCUPANCY] = busy_share
    return pd.DataFrame(columns)


def _named(goals: dict) -> dict:
    """The optional goals that are set (errors get the channel prefix from the caller)."""
    return {name: value for name, value in goals.items() if value is not None}


def _chat_rows(volume: np.ndarray, minutes: float, settings: ChatSettings) -> pd.DataFrame:
    rate = volume * 60.0 / minutes
    common = (rate, settings.aht_seconds, settings.concurrency, settings.target_seconds, settings.service_level_goal)
    chosen = chat_required_agents(*common, concurrency_stretch=settings.concurrency_stretch, method=settings.method)
    slots = chosen if settings.method == "slots" else chat_required_agents(*common, method="slots")
    count = volume.size
    columns = _empty(count)
    columns[COLUMN_TRAFFIC] = np.broadcast_to(chosen.traffic, (count,))
    columns[COLUMN_REQUIRED_ERLANG_C] = np.broadcast_to(slots.agents, (count,))
    traffic = columns[COLUMN_TRAFFIC]
    busy = traffic > 0
    square_root = np.zeros(count)
    if busy.any():
        estimate = np.asarray(
            square_root_staffing(traffic[busy], settings.aht_seconds, settings.target_seconds, settings.service_level_goal),
            dtype=float,
        )
        square_root[busy] = np.ceil(np.ceil(estimate - 1e-9) / settings.concurrency - 1e-9)
    columns[COLUMN_REQUIRED_SQUARE_ROOT] = square_root
    columns[COLUMN_REQUIRED_AGENTS] = np.broadcast_to(chosen.agents, (count,))
    columns[COLUMN_BINDING_GOAL] = pd.array(
        ["service_level" if n > 0 else pd.NA for n in columns[COLUMN_REQUIRED_AGENTS]], dtype="string"
    )
    columns[COLUMN_SERVICE_LEVEL] = np.broadcast_to(chosen.service_level, (count,))
    columns[COLUMN_ASA] = np.broadcast_to(chosen.asa_seconds, (count,))
    columns[COLUMN_OCCUPANCY] = np.broadcast_to(chosen.occupancy, (count,))
    return pd.DataFrame(columns)


def _email_rows(volume: np.ndarray, minutes: float, settings: EmailSettings) -> pd.DataFrame:
    result = deferred_requirements(
        volume,
        settings.aht_seconds,
        settings.response_target_hours,
        minutes,
        max_occupancy=settings.max_occupancy,
        clear_by_end=settings.clear_by_end,
    )
    columns = _empty(volume.size)
    columns[COLUMN_TRAFFIC] = volume * float(settings.aht_seconds) / (minutes * 60.0)
    columns[COLUMN_REQUIRED_AGENTS] = result.agents.astype(float)
    columns[COLUMN_OCCUPANCY] = result.occupancy
    columns[COLUMN_BACKLOG_ITEMS] = result.backlog_items
    return pd.DataFrame(columns)
