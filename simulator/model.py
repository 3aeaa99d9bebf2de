"""The simulator's own input: frozen, fully validated model objects.

The scenario layer (``scenarios/``) compiles a user's file into these objects; the engine never
reads files. Every object validates itself at construction and raises :class:`ModelError` with the
field path (``channels.voice.patience``), the offending value and the allowed range, so a bad model
is refused before any simulation starts.

Units: the simulator's clock is in seconds. Volumes are expected contacts *per interval*;
headcounts are agents *per interval*; shares are fractions in [0, 1].

Classes
-------
Distribution
    A random duration (handle time, patience, bot time, after-contact work, retrial delay):
    exponential, lognormal or gamma with a coefficient of variation, Weibull, uniform, triangular,
    constant or empirical samples.
BotModel, RetrialModel
    Optional behaviour of a channel (chatbot/voicebot resolution, retrials after abandonment).
ChannelModel
    One contact channel (voice, chat or email) with its demand and customer behaviour.
AgentGroupModel
    One agent group: skills in priority order, headcount per interval, shrinkage.
OutboundCampaign
    Outbound work blended with inbound: who dials, the dialling rule, contact rate, blend reserve.
SimulationModel
    The whole centre: interval grid, channels, groups, routing, warm-up, email priority rule.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from .errors import ModelError

__all__ = [
    "CHANNEL_KINDS",
    "DISTRIBUTION_KINDS",
    "Distribution",
    "BotModel",
    "RetrialModel",
    "TransferModel",
    "ChannelModel",
    "ElasticPolicy",
    "ELASTIC_TRIGGERS",
    "CONTACT_SELECTIONS",
    "AGENT_SELECTIONS",
    "RETRIAL_PATIENCE",
    "MAX_WAIT_OUTCOMES",
    "CLOSED_QUEUE_RULES",
    "AgentGroupModel",
    "SimulationModel",
    "OutboundCampaign",
    "DIALLING_RULES",
]

CHANNEL_KINDS = ("voice", "chat", "email")
"""Channel kinds: ``voice`` and ``chat`` are real-time, ``email`` is deferred (no abandonment)."""

DISTRIBUTION_KINDS = ("exponential", "lognormal", "gamma", "weibull", "uniform", "triangular", "constant",
                      "deterministic", "empirical")
"""Supported duration distributions (see :class:`Distribution`)."""

ChannelKind = Literal["voice", "chat", "email"]
DistributionKind = Literal["exponential", "lognormal", "gamma", "weibull", "uniform", "triangular", "constant",
                           "deterministic", "empirical"]


def _check_number(path: str, value, *, low: float | None = None, high: float | None = None,
                  low_open: bool = False, allow_inf: bool = False) -> float:
    """Return ``value`` as a float after checking it is a finite number in range."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ModelError(f"{path} must be a number, got {value!r}") from None
    if math.isnan(number) or (math.isinf(number) and not allow_inf):
        raise ModelError(f"{path} must be a finite number, got {value!r}")
    if low is not None and (number <= low if low_open else number < low):
        relation = ">" if low_open else ">="
        rng = f"{relation} {low:g}" + (f" and <= {high:g}" if high is not None else "")
        raise ModelError(f"{path} must be {rng}, got {value!r}")
    if high is not None and number > high:
        rng = (f">= {low:g} and " if low is not None else "") + f"<= {high:g}"
        raise ModelError(f"{path} must be {rng}, got {value!r}")
    return number


def _check_count(path: str, value, *, low: int) -> int:
    """Return ``value`` as an int after checking it is a whole number >= ``low``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise ModelError(f"{path} must be a whole number >= {low}, got {value!r}")
    return int(value)


def _check_share(path: str, value) -> float:
    return _check_number(path, value, low=0.0, high=1.0)


def _as_readonly_array(path: str, value, *, integer: bool = False) -> np.ndarray:
    try:
        array = np.array(value, dtype=float, copy=True)
    except (TypeError, ValueError):
        raise ModelError(f"{path} must be a list of numbers, got {value!r}") from None
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim != 1 or array.size == 0:
        raise ModelError(f"{path} must be a non-empty one-dimensional list of numbers, got shape {array.shape}")
    if not np.isfinite(array).all():
        bad = array[~np.isfinite(array)]
        raise ModelError(f"{path} must contain finite numbers, got {bad[:3].tolist()}")
    if (array < 0).any():
        bad = array[array < 0]
        raise ModelError(f"{path} must be >= 0 in every interval, got {bad[:3].tolist()} (first at index {int(np.argmax(array < 0))})")
    if integer:
        if (array != np.floor(array)).any():
            index = int(np.argmax(array != np.floor(array)))
            raise ModelError(f"{path} must hold whole numbers of agents, got {array[index]!r} at index {index}")
        array = array.astype(np.int64)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Distribution:
    """A non-negative random duration in seconds.

    Parameters
    ----------
    kind : {"exponential", "lognormal", "gamma", "weibull", "uniform", "triangular", "constant", "deterministic", "empirical"}
        Family of the distribution (``deterministic`` is another name of ``constant``).
    mean_seconds : float
        Mean in seconds (> 0). For ``uniform``, ``triangular`` and ``empirical`` it is computed
        from their own parameters.
    cv : float
        Coefficient of variation (standard deviation / mean, > 0) of the ``lognormal`` and the
        ``gamma`` (gamma shape ``1 / cv**2``, scale ``mean * cv**2``).
    shape : float
        Weibull shape parameter ``k`` (> 0); the scale is ``mean / Gamma(1 + 1/k)``.
    low_seconds, mode_seconds, high_seconds : float, optional
        Bounds (``uniform``: low < high, both >= 0) and mode (``triangular``: low <= mode <= high,
        low < high) in seconds.
    samples_seconds : array_like, optional
        Observed durations for ``empirical`` (sampled uniformly with replacement, each > 0).

    Notes
    -----
    Lognormal with mean ``m`` and coefficient of variation ``c``: ``sigma**2 = log(1 + c**2)`` and
    ``mu = log(m) - sigma**2 / 2``. Use the class methods (``Distribution.exponential(180)``) rather
    than the constructor. A distribution is validated by the object that holds it
    (:class:`ChannelModel`, :class:`BotModel`), so the error names the full field path, e.g.
    ``channels.voice.patience.mean_seconds``. Draws are vectorised (:meth:`sample`): the engine
    draws a whole interval's contacts at once.
    """

    kind: DistributionKind
    mean_seconds: float
    cv: float = 1.0
    shape: float = 1.0
    samples_seconds: np.ndarray | None = None
    low_seconds: float | None = None
    mode_seconds: float | None = None
    high_seconds: float | None = None

    def validate(self, path: str) -> None:
        """Raise :class:`ModelError` naming ``path`` if the parameters are out of range."""
        if self.kind not in DISTRIBUTION_KINDS:
            raise ModelError(f"{path}.kind must be one of {', '.join(DISTRIBUTION_KINDS)}, got {self.kind!r}")
        if self.kind == "empirical":
            if self.samples_seconds is None:
                raise ModelError(f"{path}.samples_seconds must be given for an empirical distribution")
            samples = _as_readonly_array(f"{path}.samples_seconds", self.samples_seconds)
            if not (samples > 0).all():
                raise ModelError(f"{path}.samples_seconds must all be > 0 seconds, got {samples[samples <= 0][:3].tolist()}")
            object.__setattr__(self, "samples_seconds", samples)
            object.__setattr__(self, "mean_seconds", float(samples.mean()))
        if self.kind in ("uniform", "triangular"):
            low = _check_number(f"{path}.low_seconds", self.low_seconds, low=0.0)
            high = _check_number(f"{path}.high_seconds", self.high_seconds, low=0.0)
            if high <= low:
                raise ModelError(f"{path}.high_seconds must be > low_seconds ({low:g}), got {self.high_seconds!r}")
            object.__setattr__(self, "low_seconds", low)
            object.__setattr__(self, "high_seconds", high)
            if self.kind == "triangular":
                mode = _check_number(f"{path}.mode_seconds", self.mode_seconds, low=low, high=high)
                object.__setattr__(self, "mode_seconds", mode)
                object.__setattr__(self, "mean_seconds", (low + mode + high) / 3.0)
            else:
                object.__setattr__(self, "mean_seconds", (low + high) / 2.0)
        object.__setattr__(self, "mean_seconds", _check_number(f"{path}.mean_seconds", self.mean_seconds, low=0.0, low_open=True))
        object.__setattr__(self, "cv", _check_number(f"{path}.cv", self.cv, low=0.0, low_open=True))
        object.__setattr__(self, "shape", _check_number(f"{path}.shape", self.shape, low=0.0, low_open=True))

    @classmethod
    def exponential(cls, mean_seconds: float) -> Distribution:
        """Exponential duration with the given mean (seconds)."""
        return cls("exponential", mean_seconds)

    @classmethod
    def lognormal(cls, mean_seconds: float, cv: float) -> Distribution:
        """Lognormal duration with the given mean (seconds) and coefficient of variation."""
        return cls("lognormal", mean_seconds, cv=cv)

    @classmethod
    def gamma(cls, mean_seconds: float, cv: float) -> Distribution:
        """Gamma duration with the given mean (seconds) and coefficient of variation (shape ``1/cv**2``)."""
        return cls("gamma", mean_seconds, cv=cv)

    @classmethod
    def weibull(cls, mean_seconds: float, shape: float) -> Distribution:
        """Weibull duration with the given mean (seconds) and shape ``k``."""
        return cls("weibull", mean_seconds, shape=shape)

    @classmethod
    def uniform(cls, low_seconds: float, high_seconds: float) -> Distribution:
        """Uniform duration on ``[low, high]`` seconds."""
        return cls("uniform", 1.0, low_seconds=low_seconds, high_seconds=high_seconds)

    @classmethod
    def triangular(cls, low_seconds: float, mode_seconds: float, high_seconds: float) -> Distribution:
        """Triangular duration on ``[low, high]`` seconds with the given mode."""
        return cls("triangular", 1.0, low_seconds=low_seconds, mode_seconds=mode_seconds, high_seconds=high_seconds)

    @classmethod
    def constant(cls, seconds: float) -> Distribution:
        """A fixed duration (seconds)."""
        return cls("constant", seconds)

    @classmethod
    def deterministic(cls, seconds: float) -> Distribution:
        """A fixed duration (seconds); the same as :meth:`constant`."""
        return cls("deterministic", seconds)

    @classmethod
    def empirical(cls, samples_seconds: Sequence[float] | np.ndarray) -> Distribution:
        """Resample observed durations (seconds) uniformly with replacement."""
        return cls("empirical", 1.0, samples_seconds=np.asarray(samples_seconds, dtype=float))

    @property
    def is_constant(self) -> bool:
        """True for ``constant``/``deterministic`` (every draw is the mean)."""
        return self.kind in ("constant", "deterministic")

    def scaled(self, factor: float) -> Distribution:
        """The same family with every duration multiplied by ``factor`` (> 0): mean x factor, same cv."""
        factor = float(factor)

        def times(value):
            return None if value is None else value * factor

        samples = None if self.samples_seconds is None else np.asarray(self.samples_seconds) * factor
        return Distribution(self.kind, self.mean_seconds * factor, cv=self.cv, shape=self.shape, samples_seconds=samples,
                            low_seconds=times(self.low_seconds), mode_seconds=times(self.mode_seconds),
                            high_seconds=times(self.high_seconds))

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw ``size`` durations in seconds from ``rng`` (vectorised)."""
        mean = self.mean_seconds
        kind = self.kind
        if kind == "exponential":
            return rng.exponential(mean, size)
        if kind == "lognormal":
            sigma2 = math.log1p(self.cv * self.cv)
            return rng.lognormal(math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2), size)
        if kind == "gamma":
            shape = 1.0 / (self.cv * self.cv)
            return rng.gamma(shape, mean / shape, size)
        if kind == "weibull":
            scale = mean / math.gamma(1.0 + 1.0 / self.shape)
            return scale * rng.weibull(self.shape, size)
        if kind == "uniform":
            low, high = self.low_seconds, self.high_seconds
            assert low is not None and high is not None  # set by validate() for a uniform distribution
            return rng.uniform(low, high, size)
        if kind == "triangular":
            low, mode, high = self.low_seconds, self.mode_seconds, self.high_seconds
            assert low is not None and mode is not None and high is not None  # set by validate() for a triangular one
            return rng.triangular(low, mode, high, size)
        if kind in ("constant", "deterministic"):
            return np.full(size, mean)
        samples = self.samples_seconds
        assert samples is not None  # set by validate() for an empirical distribution
        return samples[rng.integers(0, samples.size, size)]


@dataclass(frozen=True, eq=False)
class BotModel:
    """A chatbot (or voicebot/IVR) in front of the agent queue.

    Parameters
    ----------
    resolved_share : float
        Share of contacts reaching the bot that it resolves fully (in [0, 1]); they are reported as
        ``deflected_bot`` and never reach an agent.
    bot_time : Distribution
        Time spent with the bot in seconds, for resolved and escalated contacts alike.
    escalated_handle_time_factor : float
        Multiplier (> 0, usually <= 1) on the agent handle time of escalated contacts, because the
        bot already gathered context.

    Validated by its :class:`ChannelModel` (field path ``channels.<name>.bot``).
    """

    resolved_share: float
    bot_time: Distribution
    escalated_handle_time_factor: float = 1.0

    def validate(self, path: str) -> None:
        """Raise :class:`ModelError` naming ``path`` if a value is out of range."""
        object.__setattr__(self, "resolved_share", _check_share(f"{path}.resolved_share", self.resolved_share))
        if not isinstance(self.bot_time, Distribution):
            raise ModelError(f"{path}.bot_time must be a Distribution, got {self.bot_time!r}")
        self.bot_time.validate(f"{path}.bot_time")
        object.__setattr__(self, "escalated_handle_time_factor", _check_number(
            f"{path}.escalated_handle_time_factor", self.escalated_handle_time_factor, low=0.0, low_open=True))


@dataclass(frozen=True, eq=False)
class TransferModel:
    """Transfers: after its first service, a share of a channel's contacts needs a second one.

    Parameters
    ----------
    share : float
        Probability (in [0, 1]) that an answered contact of the channel is transferred (decided once
        per arrival from the ``transfer`` stream, so a larger share transfers a superset of the
        contacts under common random numbers).
    to : str
        The real-time channel (voice or chat, not the channel itself) whose queue the transferred
        contact joins at the end of its first talk (the first agent then does the after-contact
        work). There it is a contact of that channel with that channel's handle time, after-contact
        work and patience (it may abandon; it does not retry), routing, max wait and closing rule,
        and it keeps its trunk line (if any) until its second talk ends. A transferred contact is
        never transferred again (at most one transfer per customer), so transfer loops cannot
        arise and ``a -> b`` with ``b -> a`` is allowed. It waits in the target's queue in arrival
        order with the target's own contacts (no priority). Leave it out (or give the channel
        itself) with ``group``.
    group : str, optional
        Voice channels: transfer to a named agent group instead (an escalation team). The
        transferred contact stays a contact of its own channel (second handle time, wrap-up and
        patience drawn from the channel's distributions; counted in its ``offered`` and
        ``transferred_in``) and waits in the group's own transfer queue, which only that group's
        agents take, before any other queue of theirs (a priority for transferred contacts). That
        queue has no capacity limit, no callback offer and no overflow; the channel's max wait
        applies, and its ``closed_queue`` rule applies when the group has no agent scheduled.
        The group need not serve the channel; when its transfer queue is empty its agents take
        the channels they serve, as usual.

    Validated by its :class:`ChannelModel` (field path ``channels.<name>.transfer``); the target is
    checked by :class:`SimulationModel`.
    """

    share: float
    to: str | None = None
    group: str | None = None

    def validate(self, path: str, channel: str) -> None:
        """Raise :class:`ModelError` naming ``path`` if a value is out of range."""
        object.__setattr__(self, "share", _check_share(f"{path}.share", self.share))
        if self.group is not None:
            if not isinstance(self.group, str) or not self.group:
                raise ModelError(f"{path}.group must be an agent group name, got {self.group!r}")
            if self.to not in (None, channel):
                raise ModelError(f"{path}.to must be left out with group (a transfer to a group stays on {channel!r}), "
                                 f"got {self.to!r}")
            object.__setattr__(self, "to", channel)
            return
        if not isinstance(self.to, str) or not self.to:
            raise ModelError(f"{path}.to must be a channel name (or give group), got {self.to!r}")
        if self.to == channel:
            raise ModelError(f"{path}.to must name another channel than {channel!r} (a second service elsewhere)")


RETRIAL_PATIENCE = ("redraw", "keep")
"""Patience of a retrial attempt: a new draw from the channel's patience, or the first attempt's."""


@dataclass(frozen=True, eq=False)
class RetrialModel:
    """Customers who abandon (or are blocked) and try again.

    Parameters
    ----------
    probability : float
        Probability (in [0, 1]) that a customer who abandons or is blocked tries again (decided
        once per arrival, and again for each further attempt).
    mean_delay_seconds : float, optional
        Mean (> 0) of an exponential delay between abandonment/blocking and the new attempt, in
        seconds. Give this or ``delay``.
    delay : Distribution, optional
        Distribution of that delay (seconds), any family of :class:`Distribution`.
    patience : {"redraw", "keep"}
        ``redraw`` (default): the new attempt draws a new patience; ``keep``: it has the same
        patience as the first attempt.

    Validated by its :class:`ChannelModel` (field path ``channels.<name>.retrial``).
    """

    probability: float
    mean_delay_seconds: float | None = None
    delay: Distribution | None = None
    patience: Literal["redraw", "keep"] = "redraw"

    def validate(self, path: str) -> None:
        """Raise :class:`ModelError` naming ``path`` if a value is out of range."""
        object.__setattr__(self, "probability", _check_share(f"{path}.probability", self.probability))
        delay = self.delay
        if delay is None:
            if self.mean_delay_seconds is None:
                raise ModelError(f"{path}.mean_delay_seconds must be given (> 0 seconds), or a delay distribution")
            mean = _check_number(f"{path}.mean_delay_seconds", self.mean_delay_seconds, low=0.0, low_open=True)
            delay = Distribution.exponential(mean)
            object.__setattr__(self, "delay", delay)
        elif not isinstance(delay, Distribution):
            raise ModelError(f"{path}.delay must be a Distribution, got {delay!r}")
        elif self.mean_delay_seconds is not None and not math.isclose(float(self.mean_delay_seconds), delay.mean_seconds):
            raise ModelError(f"{path}.mean_delay_seconds must be left out when delay is given (its mean is the delay's)")
        delay.validate(f"{path}.delay")
        object.__setattr__(self, "mean_delay_seconds", delay.mean_seconds)
        if self.patience not in RETRIAL_PATIENCE:
            raise ModelError(f"{path}.patience must be one of {', '.join(RETRIAL_PATIENCE)}, got {self.patience!r}")


@dataclass(frozen=True, eq=False)
class ChannelModel:
    """One contact channel: demand, handle time and customer behaviour.

    Parameters
    ----------
    name : str
        Unique channel name (``"voice"``); also keys its random streams (common random numbers).
    kind : {"voice", "chat", "email"}
        ``voice`` and ``chat`` are real-time; ``email`` is deferred (no abandonment, backlog carried
        over intervals and days, taken by agents only when no real-time contact waits, see
        :attr:`SimulationModel.email_after_realtime`).
    arrivals_per_interval : array_like
        Expected would-be contacts per interval (>= 0), one value per interval. Arrivals are a
        non-homogeneous Poisson process with this piecewise-constant rate.
    handle_time : Distribution
        Agent handle (talk) time in seconds, excluding after-contact work.
    patience : Distribution, optional
        Time a waiting customer accepts to wait before abandoning (seconds); ``None`` means no
        abandonment. Not allowed for email.
    service_level_target_seconds : float
        Answer-time target of the service level (seconds, > 0), for voice and chat.
    response_target_hours : float, optional
        Email response-time target (hours, > 0): arrival to the end of handling. Defaults to 24 h
        for email.
    self_service_share : float
        Share of would-be contacts resolved by self-service/knowledge base (in [0, 1]); they never
        arrive and are reported as ``deflected_self_service``.
    bot : BotModel, optional
        Bot in front of the queue (chat, or voice as a voicebot/IVR).
    concurrency : int
        Maximum number of chats an agent holds at once when taking a contact of this channel
        (>= 1; > 1 only for chat). An agent holding chats takes no voice or email. When chat-like
        channels with different limits share agents, a contact of channel ``c`` is taken only while
        the agent holds fewer than ``c.concurrency`` chats of any chat channel.
    concurrency_stretch : float
        Handle-time stretch per additional concurrent chat (>= 0, dimensionless): a chat started
        while the agent already holds ``k - 1`` chats lasts
        ``handle_time * (1 + concurrency_stretch * (k - 1))`` seconds. Default 0.25, the same as
        ``staffing.DEFAULT_CONCURRENCY_STRETCH``, so simulation and staffing formulas agree; set 0
        for the pure slots model (an agent with concurrency ``L`` is then ``L`` parallel servers).
    retrial : RetrialModel, optional
        Retrials of abandoning customers (real-time channels with patience).
    callback_threshold_seconds : float, optional
        Offer a callback (virtual hold) when the expected wait at arrival exceeds this many seconds;
        the customer then keeps the place in the queue without abandoning.
    forecast_error_cv : float
        Coefficient of variation (>= 0) of a day-level gamma multiplier on the arrival rate
        (gamma-Poisson overdispersion: the risk of a wrong forecast). 0 means a perfect forecast.
    after_contact_work_seconds : float
        Fixed wrap-up time after each contact (seconds, >= 0) during which the agent stays busy.
    notification_share_per_interval : array_like, optional
        Share of would-be contacts of each interval (in [0, 1]) answered beforehand by a proactive
        notification (IVR/SMS during a declared incident): they never contact and are reported as
        ``deflected_notification``. One value per interval (or one value). Default none.
    exact_arrivals : bool
        If True, ``arrivals_per_interval`` are exact counts (rounded), not Poisson means: each
        interval gets exactly that many would-be contacts at uniform times (a backtest replaying an
        observed day's arrivals). Default False.
    after_contact_work : Distribution, optional
        Random wrap-up time (seconds) instead of the fixed ``after_contact_work_seconds`` (then 0);
        ``after_contact_work_seconds`` becomes its mean.
    queue_capacity : int, optional
        Waiting places of the channel's queue (>= 0): a contact finding this many waiting is
        blocked (counted ``blocked``; it retries under ``retrial``). ``None``: unlimited.
    max_wait_seconds : float, optional
        Longest wait in the queue (seconds, > 0; voice and chat): a contact still waiting then
        (and not yet abandoned) leaves the queue with the ``on_max_wait`` outcome, counted in
        ``max_wait_exits`` and never as abandoned. ``None``: no limit.
    on_max_wait : {"message", "callback", "disconnect"}
        What a contact reaching ``max_wait_seconds`` does: leaves a message (deferred work,
        counted ``messages``), asks for a callback (it keeps its place, stops abandoning, is
        counted in ``callbacks`` and is answered later, its wait counted in full: virtual hold from
        that moment; a voice call releases its line), or is disconnected (counted
        ``disconnected``). Default ``disconnect``.
    closed_queue : {"keep", "clear", "message"}
        What happens to contacts waiting when no agent of the channel's routing is scheduled (at
        an interval boundary where the routing's scheduled headcount becomes 0, e.g. closing
        time), and to contacts joining the queue while it is so closed: ``keep`` (default) leaves
        them waiting, ``clear`` disconnects them (``disconnected``), ``message`` turns them into
        messages (``messages``). A routing with an elastic group is never closed.
    handle_mean_per_interval : array_like, optional
        Mean handle time (seconds, > 0) of contacts *arriving* in each interval (one value per
        interval, or one value): the draw from ``handle_time`` is scaled by this mean over
        ``handle_time.mean_seconds`` (shape parameters such as the cv unchanged). ``None``: the
        distribution's mean in every interval.
    patience_mean_per_interval : array_like, optional
        The same for the patience (needs ``patience``).
    transfer : TransferModel, optional
        Voice and chat: a share of the answered contacts is transferred to another real-time
        channel for a second service (see :class:`TransferModel`). ``None``: no transfers.
    messages_to : str, optional
        Voice and chat: the email (deferred) channel that receives this channel's messages
        (``on_max_wait`` message, ``closed_queue`` message). Each message becomes, at the moment it
        is left, an item of that channel: handled by its agents with its handle time and response
        target, counted in its ``offered``, ``offered_to_agents``, backlog and service level, by the
        interval of that moment, and in its ``messages_in``. ``None`` (default): messages are only
        counted (``messages``) and create no work.
    """

    name: str
    kind: ChannelKind
    arrivals_per_interval: np.ndarray
    handle_time: Distribution
    patience: Distribution | None = None
    service_level_target_seconds: float = 20.0
    response_target_hours: float | None = None
    self_service_share: float = 0.0
    bot: BotModel | None = None
    concurrency: int = 1
    concurrency_stretch: float = 0.25
    retrial: RetrialModel | None = None
    callback_threshold_seconds: float | None = None
    forecast_error_cv: float = 0.0
    after_contact_work_seconds: float = 0.0
    notification_share_per_interval: np.ndarray | None = None
    exact_arrivals: bool = False
    after_contact_work: Distribution | None = None
    queue_capacity: int | None = None
    max_wait_seconds: float | None = None
    on_max_wait: Literal["message", "callback", "disconnect"] = "disconnect"
    closed_queue: Literal["keep", "clear", "message"] = "keep"
    handle_mean_per_interval: np.ndarray | None = None
    patience_mean_per_interval: np.ndarray | None = None
    transfer: TransferModel | None = None
    messages_to: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ModelError(f"channels name must be a non-empty string, got {self.name!r}")
        path = f"channels.{self.name}"
        if self.kind not in CHANNEL_KINDS:
            raise ModelError(f"{path}.kind must be one of {', '.join(CHANNEL_KINDS)}, got {self.kind!r}")
        object.__setattr__(self, "arrivals_per_interval",
                           _as_readonly_array(f"{path}.arrivals_per_interval", self.arrivals_per_interval))
        if not isinstance(self.handle_time, Distribution):
            raise ModelError(f"{path}.handle_time must be a Distribution, got {self.handle_time!r}")
        self.handle_time.validate(f"{path}.handle_time")
        if self.patience is not None:
            if not isinstance(self.patience, Distribution):
                raise ModelError(f"{path}.patience must be a Distribution or None, got {self.patience!r}")
            if self.kind == "email":
                raise ModelError(f"{path}.patience must be None for an email channel (email does not abandon), got {self.patience.kind} with mean {self.patience.mean_seconds:g} s")
            self.patience.validate(f"{path}.patience")
        object.__setattr__(self, "service_level_target_seconds", _check_number(
            f"{path}.service_level_target_seconds", self.service_level_target_seconds, low=0.0, low_open=True))
        target = self.response_target_hours
        if target is None and self.kind == "email":
            target = 24.0
        if target is not None:
            target = _check_number(f"{path}.response_target_hours", target, low=0.0, low_open=True)
        object.__setattr__(self, "response_target_hours", target)
        object.__setattr__(self, "self_service_share", _check_share(f"{path}.self_service_share", self.self_service_share))
        if self.bot is not None:
            if not isinstance(self.bot, BotModel):
                raise ModelError(f"{path}.bot must be a BotModel or None, got {self.bot!r}")
            if self.kind == "email":
                raise ModelError(f"{path}.bot must be None for an email channel (bots serve voice and chat)")
            self.bot.validate(f"{path}.bot")
        if isinstance(self.concurrency, bool) or not isinstance(self.concurrency, int | np.integer) or self.concurrency < 1:
            raise ModelError(f"{path}.concurrency must be a whole number >= 1, got {self.concurrency!r}")
        object.__setattr__(self, "concurrency", int(self.concurrency))
        if self.concurrency > 1 and self.kind != "chat":
            raise ModelError(f"{path}.concurrency must be 1 for a {self.kind} channel (only chat is concurrent), got {self.concurrency}")
        object.__setattr__(self, "concurrency_stretch", _check_number(
            f"{path}.concurrency_stretch", self.concurrency_stretch, low=0.0))
        if self.retrial is not None:
            if not isinstance(self.retrial, RetrialModel):
                raise ModelError(f"{path}.retrial must be a RetrialModel or None, got {self.retrial!r}")
            if self.patience is None and self.queue_capacity is None:
                raise ModelError(f"{path}.retrial needs {path}.patience (abandonment) or {path}.queue_capacity "
                                 "(blocking): otherwise nobody retries")
            self.retrial.validate(f"{path}.retrial")
        if self.callback_threshold_seconds is not None:
            if self.kind == "email":
                raise ModelError(f"{path}.callback_threshold_seconds must be None for an email channel")
            object.__setattr__(self, "callback_threshold_seconds", _check_number(
                f"{path}.callback_threshold_seconds", self.callback_threshold_seconds, low=0.0))
        object.__setattr__(self, "forecast_error_cv", _check_number(f"{path}.forecast_error_cv", self.forecast_error_cv, low=0.0))
        object.__setattr__(self, "after_contact_work_seconds", _check_number(
            f"{path}.after_contact_work_seconds", self.after_contact_work_seconds, low=0.0))
        if self.notification_share_per_interval is not None:
            shares = _as_readonly_array(f"{path}.notification_share_per_interval", self.notification_share_per_interval)
            if (shares > 1.0).any():
                raise ModelError(f"{path}.notification_share_per_interval must be in [0, 1] in every interval, "
                                 f"got {shares[shares > 1.0][:3].tolist()}")
            object.__setattr__(self, "notification_share_per_interval", shares)
        if self.after_contact_work is not None:
            if not isinstance(self.after_contact_work, Distribution):
                raise ModelError(f"{path}.after_contact_work must be a Distribution or None, got {self.after_contact_work!r}")
            self.after_contact_work.validate(f"{path}.after_contact_work")
            given = self.after_contact_work_seconds
            if given and not math.isclose(given, self.after_contact_work.mean_seconds):
                raise ModelError(f"{path}.after_contact_work_seconds must be 0 when after_contact_work (a distribution) "
                                 f"is given, got {given!r}")
            object.__setattr__(self, "after_contact_work_seconds", self.after_contact_work.mean_seconds)
        if self.queue_capacity is not None:
            object.__setattr__(self, "queue_capacity", _check_count(f"{path}.queue_capacity", self.queue_capacity, low=0))
        if self.max_wait_seconds is not None:
            if self.kind == "email":
                raise ModelError(f"{path}.max_wait_seconds must be None for an email channel (deferred work has a "
                                 "response target instead)")
            object.__setattr__(self, "max_wait_seconds", _check_number(
                f"{path}.max_wait_seconds", self.max_wait_seconds, low=0.0, low_open=True))
        if self.on_max_wait not in MAX_WAIT_OUTCOMES:
            raise ModelError(f"{path}.on_max_wait must be one of {', '.join(MAX_WAIT_OUTCOMES)}, got {self.on_max_wait!r}")
        if self.closed_queue not in CLOSED_QUEUE_RULES:
            raise ModelError(f"{path}.closed_queue must be one of {', '.join(CLOSED_QUEUE_RULES)}, got {self.closed_queue!r}")
        if self.closed_queue != "keep" and self.kind == "email":
            raise ModelError(f"{path}.closed_queue must be keep for an email channel (deferred work waits), "
                             f"got {self.closed_queue!r}")
        for field_name, distribution in (("handle_mean_per_interval", self.handle_time),
                                         ("patience_mean_per_interval", self.patience)):
            means = getattr(self, field_name)
            if means is None:
                continue
            if distribution is None:
                raise ModelError(f"{path}.{field_name} needs {path}.patience (a patience distribution)")
            array = _as_readonly_array(f"{path}.{field_name}", means)
            if not (array > 0).all():
                raise ModelError(f"{path}.{field_name} must be > 0 seconds in every interval, got "
                                 f"{array[array <= 0][:3].tolist()} (first at index {int(np.argmax(array <= 0))})")
            object.__setattr__(self, field_name, array)
        self._validate_transfer_and_messages(path)

    def _validate_transfer_and_messages(self, path: str) -> None:
        """Check ``transfer`` and ``messages_to`` (their targets are checked by :class:`SimulationModel`)."""
        if self.transfer is not None:
            if not isinstance(self.transfer, TransferModel):
                raise ModelError(f"{path}.transfer must be a TransferModel or None, got {self.transfer!r}")
            if self.kind == "email":
                raise ModelError(f"{path}.transfer must be None for an email channel (transfers are of real-time contacts)")
            self.transfer.validate(f"{path}.transfer", self.name)
        if self.messages_to is not None:
            if not isinstance(self.messages_to, str) or not self.messages_to:
                raise ModelError(f"{path}.messages_to must be an email channel name or None, got {self.messages_to!r}")
            if self.kind == "email":
                raise ModelError(f"{path}.messages_to must be None for an email channel (it leaves no messages)")

    @property
    def aht_seconds(self) -> float:
        """Mean handle time in seconds (without after-contact work)."""
        return self.handle_time.mean_seconds

    @property
    def is_realtime(self) -> bool:
        """True for voice and chat (customers wait on line), False for email."""
        return self.kind != "email"


MAX_WAIT_OUTCOMES = ("message", "callback", "disconnect")
"""What a contact reaching its channel's ``max_wait_seconds`` does (see :class:`ChannelModel`)."""

CLOSED_QUEUE_RULES = ("keep", "clear", "message")
"""What happens to a channel's waiting contacts while no agent of its routing is scheduled."""

CONTACT_SELECTIONS = ("priority", "longest_waiting")
"""Which waiting contact a freed agent takes: the first queue of its channel order with a
contact (``priority``), or the contact that has waited longest across its queues."""

AGENT_SELECTIONS = ("ordered", "longest_idle", "random")
"""Which free agent a new contact goes to when several groups of its routing have one: the first
group of the routing (``ordered``), the agent idle longest across them (``longest_idle``), or a
group drawn with probability proportional to its free agents (``random``)."""

ELASTIC_TRIGGERS = ("expected_wait", "queue_length")
"""What starts an elastic (burst) agent: the expected wait of a new contact or the queue length."""


@dataclass(frozen=True, eq=False)
class ElasticPolicy:
    """Elastic (cloud burst) capacity of an agent group: agents who log in when demand needs them.

    Parameters
    ----------
    trigger : {"expected_wait", "queue_length"}
        Checked each time a contact of one of the group's channels joins the queue without being
        answered at once: ``expected_wait`` is that contact's expected wait in seconds,
        ``(position in queue) x AHT / agents present on the channel's routing`` (the estimate of the
        callback offer); ``queue_length`` is the number of contacts waiting.
    threshold : float
        A burst agent is requested when the trigger exceeds this (seconds or contacts, > 0).
    startup_lag_seconds : float
        Seconds between the request and the agent taking contacts (>= 0).
    max_agents : int
        Cap on burst agents logged in or starting up at once (>= 1).
    min_session_seconds : float
        A burst agent stays logged in at least this long (>= 0); after that it logs off as soon as
        it is idle (no waiting contact it can take). Billing is per agent-second logged in, reported
        as the group's available agent-seconds.

    Validated by its :class:`AgentGroupModel` (field path ``groups.<name>.elastic``).
    """

    trigger: Literal["expected_wait", "queue_length"] = "expected_wait"
    threshold: float = 60.0
    startup_lag_seconds: float = 180.0
    max_agents: int = 10
    min_session_seconds: float = 900.0

    def validate(self, path: str) -> None:
        """Raise :class:`ModelError` naming ``path`` if a value is out of range."""
        if self.trigger not in ELASTIC_TRIGGERS:
            raise ModelError(f"{path}.trigger must be one of {', '.join(ELASTIC_TRIGGERS)}, got {self.trigger!r}")
        object.__setattr__(self, "threshold", _check_number(f"{path}.threshold", self.threshold, low=0.0, low_open=True))
        object.__setattr__(self, "startup_lag_seconds", _check_number(
            f"{path}.startup_lag_seconds", self.startup_lag_seconds, low=0.0))
        if isinstance(self.max_agents, bool) or not isinstance(self.max_agents, int | np.integer) or self.max_agents < 1:
            raise ModelError(f"{path}.max_agents must be a whole number >= 1, got {self.max_agents!r}")
        object.__setattr__(self, "max_agents", int(self.max_agents))
        object.__setattr__(self, "min_session_seconds", _check_number(
            f"{path}.min_session_seconds", self.min_session_seconds, low=0.0))


@dataclass(frozen=True, eq=False)
class AgentGroupModel:
    """One group of interchangeable agents.

    Parameters
    ----------
    name : str
        Unique group name; also keys the group's shrinkage random stream.
    channels : sequence of str
        Channel names the group serves, in priority order (the first is taken first when an agent
        frees). With :attr:`SimulationModel.email_after_realtime`, email channels are taken only
        after every real-time channel of the group, whatever their place here.
    agents_per_interval : array_like of int
        Scheduled headcount per interval (whole numbers >= 0). Headcount changes at interval
        boundaries; an agent leaving at a shift end first finishes the contact(s) in hand.
    shrinkage : float
        Share of scheduled agents unavailable (breaks, meetings, absence), in [0, 1). Modelled as
        per-interval binomial thinning: in each interval every scheduled agent is independently
        available with probability ``1 - shrinkage``.
    elastic : ElasticPolicy, optional
        Makes this an elastic (cloud burst) group: it has no schedule (``agents_per_interval`` all
        0, ``shrinkage`` 0) and its agents log in and out with demand (see :class:`ElasticPolicy`).
        Put it last in the routing so scheduled agents are tried first.
    handle_time_factor : float or mapping of str to float
        Multiplier (> 0) on the handle time of contacts this group's agents take: one number for
        every channel, or channel name -> factor (channels left out: 1). E.g. 0.75 for
        specialists. Default 1.
    contact_selection : {"priority", "longest_waiting"}, optional
        Which waiting contact a freed agent of this group takes; ``None`` (default): the model's
        :attr:`SimulationModel.contact_selection`.
    """

    name: str
    channels: tuple[str, ...]
    agents_per_interval: np.ndarray
    shrinkage: float = 0.0
    elastic: ElasticPolicy | None = None
    handle_time_factor: float | Mapping[str, float] = 1.0
    contact_selection: Literal["priority", "longest_waiting"] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ModelError(f"groups name must be a non-empty string, got {self.name!r}")
        path = f"groups.{self.name}"
        channels = (self.channels,) if isinstance(self.channels, str) else tuple(self.channels)
        if not channels:
            raise ModelError(f"{path}.channels must name at least one channel, got []")
        if len(set(channels)) != len(channels):
            raise ModelError(f"{path}.channels must not repeat a channel, got {list(channels)}")
        object.__setattr__(self, "channels", channels)
        object.__setattr__(self, "agents_per_interval",
                           _as_readonly_array(f"{path}.agents_per_interval", self.agents_per_interval, integer=True))
        shrinkage = _check_number(f"{path}.shrinkage", self.shrinkage, low=0.0)
        if shrinkage >= 1.0:
            raise ModelError(f"{path}.shrinkage must be >= 0 and < 1, got {self.shrinkage!r}")
        object.__setattr__(self, "shrinkage", shrinkage)
        if self.elastic is not None:
            if not isinstance(self.elastic, ElasticPolicy):
                raise ModelError(f"{path}.elastic must be an ElasticPolicy or None, got {self.elastic!r}")
            self.elastic.validate(f"{path}.elastic")
            if self.agents_per_interval.any():
                raise ModelError(f"{path}.agents_per_interval must be 0 in every interval for an elastic group "
                                 "(burst agents come and go with demand)")
            if shrinkage:
                raise ModelError(f"{path}.shrinkage must be 0 for an elastic group, got {shrinkage!r}")
        factor = self.handle_time_factor
        if isinstance(factor, Mapping):
            factors = {}
            for channel_name, value in factor.items():
                if channel_name not in channels:
                    raise ModelError(f"{path}.handle_time_factor names channel {channel_name!r}, which the group does not "
                                     f"serve; its channels are {list(channels)}")
                factors[channel_name] = _check_number(f"{path}.handle_time_factor.{channel_name}", value, low=0.0, low_open=True)
        else:
            number = _check_number(f"{path}.handle_time_factor", factor, low=0.0, low_open=True)
            factors = {channel_name: number for channel_name in channels}
        object.__setattr__(self, "handle_time_factor", {name: factors.get(name, 1.0) for name in channels})
        if self.contact_selection is not None and self.contact_selection not in CONTACT_SELECTIONS:
            raise ModelError(f"{path}.contact_selection must be one of {', '.join(CONTACT_SELECTIONS)} or None, "
                             f"got {self.contact_selection!r}")

    def factor(self, channel: str) -> float:
        """Handle-time multiplier of this group on ``channel`` (1 if it has none)."""
        factors = self.handle_time_factor
        assert isinstance(factors, Mapping)  # __post_init__ stores channel name -> factor
        return factors.get(channel, 1.0)


DIALLING_RULES = ("progressive", "preview", "power")
"""Outbound dialling rules: ``progressive`` (a free agent dials the next record at once),
``preview`` (the agent first reads the record for ``preview_seconds``, then dials) and ``power``
(a free agent dials ``lines_per_agent`` records at once; see :class:`OutboundCampaign`)."""


@dataclass(frozen=True, eq=False)
class OutboundCampaign:
    """Outbound work (a calling campaign) blended with the inbound work of some agent groups.

    Inbound always has priority. An agent of the campaign's groups who becomes free takes a
    waiting inbound contact if there is one; otherwise it goes idle, and then, while more than
    ``reserve`` agents of the campaign's groups are idle (so at least ``reserve`` remain idle for
    inbound after one of them dials), the campaign is open and records are left, an idle agent
    (the one who became free last) starts an outbound attempt. The check runs only when an agent
    becomes idle or at an interval boundary (the idle count cannot rise otherwise), so the blend
    costs no polling events: one event per attempt.

    An attempt takes ``preview_seconds`` (``preview`` rule) plus a ``dial_time`` draw (ringing,
    no answer, wrong number); with probability ``contact_rate`` it reaches the right party and
    then also takes a ``handle_time`` draw plus ``after_contact_work_seconds``. Each attempt uses
    one record of the list. The agent is busy (for group occupancy) for the whole attempt.

    Parameters
    ----------
    name : str
        Unique campaign name; also keys the campaign's random stream (``outbound``).
    groups : sequence of str
        Agent groups that work the campaign (at least one; not elastic groups). An agent group
        works at most one campaign.
    handle_time : Distribution
        Talk time of a connected call in seconds.
    contact_rate : float
        Probability (in [0, 1]) that an attempt reaches the right party.
    dial_time : Distribution, optional
        Agent time of every attempt before talking (dialling, ringing) in seconds; ``None``: 0.
    reserve : int
        Blend threshold (>= 0): an agent starts an outbound attempt only if at least ``reserve``
        agents of the campaign's groups stay idle for inbound. A reserve at least the campaign's
        largest headcount means no outbound call at all.
    dialling : {"progressive", "preview", "power"}
        Dialling rule, see :data:`DIALLING_RULES` (default ``progressive``). ``power``: the agent
        starts ``lines_per_agent`` attempts at once and waits (busy) while they ring; the first to
        reach a customer is the agent's; a later one goes to another idle agent of the campaign's
        groups if more than ``reserve`` are idle, else it is dropped (a nuisance call, counted
        ``dropped``); the agent is free again when every line failed or the talk ended.
    preview_seconds : float
        Time (seconds, >= 0) an agent reads the record before dialling, ``preview`` rule only.
    lines_per_agent : int
        Records dialled at once per free agent (>= 1; > 1 only with ``power``; the pacing ratio).
    after_contact_work_seconds : float
        Wrap-up after a connected call (seconds, >= 0).
    records_per_interval : array_like, optional
        Records (whole numbers >= 0) added to the calling list at the start of each interval (one
        value per interval, or one value for all); records not dialled carry over. ``None``
        (default): an unlimited list.
    open_per_interval : array_like of bool, optional
        Intervals in which the campaign may start attempts (one value per interval, or one);
        ``None`` (default): open in every interval. An attempt in progress at closing finishes.
    """

    name: str
    groups: tuple[str, ...]
    handle_time: Distribution
    contact_rate: float = 1.0
    dial_time: Distribution | None = None
    reserve: int = 0
    dialling: Literal["progressive", "preview", "power"] = "progressive"
    preview_seconds: float = 0.0
    after_contact_work_seconds: float = 0.0
    records_per_interval: np.ndarray | None = None
    open_per_interval: np.ndarray | None = None
    lines_per_agent: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ModelError(f"campaigns name must be a non-empty string, got {self.name!r}")
        path = f"campaigns.{self.name}"
        groups = (self.groups,) if isinstance(self.groups, str) else tuple(self.groups)
        if not groups or len(set(groups)) != len(groups):
            raise ModelError(f"{path}.groups must name at least one agent group, each once, got {list(groups)}")
        object.__setattr__(self, "groups", groups)
        if not isinstance(self.handle_time, Distribution):
            raise ModelError(f"{path}.handle_time must be a Distribution, got {self.handle_time!r}")
        self.handle_time.validate(f"{path}.handle_time")
        if self.dial_time is not None:
            if not isinstance(self.dial_time, Distribution):
                raise ModelError(f"{path}.dial_time must be a Distribution or None, got {self.dial_time!r}")
            self.dial_time.validate(f"{path}.dial_time")
        object.__setattr__(self, "contact_rate", _check_share(f"{path}.contact_rate", self.contact_rate))
        object.__setattr__(self, "reserve", _check_count(f"{path}.reserve", self.reserve, low=0))
        if self.dialling not in DIALLING_RULES:
            raise ModelError(f"{path}.dialling must be one of {', '.join(DIALLING_RULES)}, got {self.dialling!r}")
        preview = _check_number(f"{path}.preview_seconds", self.preview_seconds, low=0.0)
        if preview > 0 and self.dialling != "preview":
            raise ModelError(f"{path}.preview_seconds must be 0 unless dialling is preview, got {self.preview_seconds!r}")
        object.__setattr__(self, "preview_seconds", preview)
        lines = _check_count(f"{path}.lines_per_agent", self.lines_per_agent, low=1)
        if lines > 1 and self.dialling != "power":
            raise ModelError(f"{path}.lines_per_agent must be 1 unless dialling is power, got {self.lines_per_agent!r}")
        object.__setattr__(self, "lines_per_agent", lines)
        object.__setattr__(self, "after_contact_work_seconds", _check_number(
            f"{path}.after_contact_work_seconds", self.after_contact_work_seconds, low=0.0))
        if self.records_per_interval is not None:
            object.__setattr__(self, "records_per_interval", _as_readonly_array(
                f"{path}.records_per_interval", self.records_per_interval, integer=True))
        if self.open_per_interval is not None:
            try:
                flags = np.array(self.open_per_interval, dtype=bool).reshape(-1)
            except (TypeError, ValueError):
                raise ModelError(f"{path}.open_per_interval must be a list of true/false values") from None
            if flags.size == 0:
                raise ModelError(f"{path}.open_per_interval must hold one value per interval (or one), got none")
            flags.setflags(write=False)
            object.__setattr__(self, "open_per_interval", flags)

    @property
    def mean_attempt_seconds(self) -> float:
        """Mean agent time per attempt (seconds): preview + dial + contact rate x (talk + wrap-up)."""
        dial = 0.0 if self.dial_time is None else self.dial_time.mean_seconds
        talk = self.handle_time.mean_seconds + self.after_contact_work_seconds
        return self.preview_seconds + dial + self.contact_rate * talk


def _check_unique(field: str, names: list[str]) -> None:
    """Raise :class:`ModelError` if a name of ``field`` (channels, groups, campaigns) appears twice."""
    duplicated = sorted({x for x in names if names.count(x) > 1})
    if duplicated:
        raise ModelError(f"{field} names must be unique, got {duplicated[0]!r} more than once")


@dataclass(frozen=True, eq=False)
class SimulationModel:
    """A whole contact centre over a horizon of equal intervals.

    Parameters
    ----------
    interval_seconds : float
        Length of one planning interval in seconds (e.g. 1800 for 30 minutes).
    intervals : int
        Number of intervals in the horizon (>= 1). Every per-interval array has this length, or
        length 1 (then it is repeated).
    channels : sequence of ChannelModel
        The channels, unique names.
    groups : sequence of AgentGroupModel
        The agent groups, unique names.
    routing : mapping of str to sequence, optional
        For each channel, the groups to try in order (a contact goes to the first group with a free
        agent). Defaults to the groups serving the channel, in the order of ``groups``. An entry is
        a group name or a pair ``(group name, after_seconds)``: delayed overflow, the contact
        becomes eligible for that group only once it has waited ``after_seconds`` (>= 0). Stored
        as group names; the delays are in :attr:`routing_delays` (and the same group names, typed as
        such, in :attr:`routing_groups`).
    warmup_seconds : float
        Contacts arriving before this time are simulated but not counted (>= 0, < horizon).
    email_after_realtime : bool
        Non-preemptive channel priority: an agent takes email only when no voice or chat contact
        it serves is waiting (default True). With False the group's channel order alone decides.
    trunks : int, optional
        Telephone lines shared by all voice channels (>= 1): a voice contact holds a line from
        arrival (bot/IVR time and queue included) to the end of its talk (after-contact work
        excluded); a call finding every line busy is blocked (busy signal). ``None``: unlimited.
    contact_selection : {"priority", "longest_waiting"}
        Default of :attr:`AgentGroupModel.contact_selection` (default ``priority``: the group's
        channel order).
    agent_selection : {"ordered", "longest_idle", "random"}
        Which free agent a new contact goes to, see :data:`AGENT_SELECTIONS` (default ``ordered``).
    drain : bool
        Keep simulating after the horizon, with no new arrivals (and no retrials) and the last
        interval's headcount, until every contact has left, so every counted contact has an
        outcome (``in_system_end`` is then 0 unless the last interval has no agent for a channel).
        Time-weighted KPIs still cover the horizon only. Default False: stop at the horizon.
    busyness_cv : float
        Coefficient of variation (>= 0, <= 2) of a Gamma(mean 1) factor per calendar day that
        multiplies every channel's arrival rate (a busy or quiet day for the whole centre, from
        the ``busyness`` stream), besides each channel's own ``forecast_error_cv``. 0: none.
    start_seconds_of_day : float
        Clock time of the start of the horizon, in seconds after midnight (in [0, 86400)): day-level
        factors (``busyness_cv``, ``forecast_error_cv``) switch at calendar midnights, so day ``d``
        covers simulation times ``[d * 86400 - start, (d + 1) * 86400 - start)``. Default 0.
    campaigns : sequence of OutboundCampaign
        Outbound campaigns blended with the inbound work of their groups (see
        :class:`OutboundCampaign`); default none. Their KPIs are ``result.campaigns``.
    """

    interval_seconds: float
    intervals: int
    channels: tuple[ChannelModel, ...]
    groups: tuple[AgentGroupModel, ...]
    routing: Mapping[str, str | Sequence[str | tuple[str, float]]] | None = None
    warmup_seconds: float = 0.0
    email_after_realtime: bool = True
    trunks: int | None = None
    contact_selection: Literal["priority", "longest_waiting"] = "priority"
    agent_selection: Literal["ordered", "longest_idle", "random"] = "ordered"
    drain: bool = False
    busyness_cv: float = 0.0
    start_seconds_of_day: float = 0.0
    campaigns: tuple[OutboundCampaign, ...] = ()
    routing_delays: Mapping[str, tuple[float, ...]] = field(default_factory=dict, init=False, repr=False)
    routing_groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False)
    _channel_index: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    _arrivals: tuple[np.ndarray, ...] = field(default=(), init=False, repr=False)
    _agents: tuple[np.ndarray, ...] = field(default=(), init=False, repr=False)
    _notifications: tuple[np.ndarray | None, ...] = field(default=(), init=False, repr=False)
    _handle_means: tuple[np.ndarray | None, ...] = field(default=(), init=False, repr=False)
    _patience_means: tuple[np.ndarray | None, ...] = field(default=(), init=False, repr=False)
    _campaign_records: tuple[np.ndarray | None, ...] = field(default=(), init=False, repr=False)
    _campaign_open: tuple[np.ndarray, ...] = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        self.validate()

    @property
    def horizon_seconds(self) -> float:
        """Length of the simulated horizon in seconds."""
        return self.interval_seconds * self.intervals

    def channel(self, name: str) -> ChannelModel:
        """Return the channel called ``name``."""
        return self.channels[self._channel_index[name]]

    def validate(self) -> None:
        """Check cross-field consistency; raise :class:`ModelError` naming the field.

        Called at construction. Checks: positive interval length and count; unique names; every
        per-interval array of length ``intervals`` (or 1, broadcast); every channel served by at
        least one group with agents at some point; groups serving only known channels; routing
        naming known groups that serve the channel; warm-up within the horizon.
        """
        object.__setattr__(self, "interval_seconds", _check_number(
            "interval_seconds", self.interval_seconds, low=0.0, low_open=True))
        if isinstance(self.intervals, bool) or not isinstance(self.intervals, int | np.integer) or self.intervals < 1:
            raise ModelError(f"intervals must be a whole number >= 1, got {self.intervals!r}")
        n = int(self.intervals)
        object.__setattr__(self, "intervals", n)
        channels = tuple(self.channels)
        groups = tuple(self.groups)
        if not channels:
            raise ModelError("channels must hold at least one channel, got none")
        if not groups:
            raise ModelError("groups must hold at least one agent group, got none")
        for index, channel in enumerate(channels):
            if not isinstance(channel, ChannelModel):
                raise ModelError(f"channels[{index}] must be a ChannelModel, got {type(channel).__name__}")
        for index, group in enumerate(groups):
            if not isinstance(group, AgentGroupModel):
                raise ModelError(f"groups[{index}] must be an AgentGroupModel, got {type(group).__name__}")
        names = [c.name for c in channels]
        _check_unique("channels", names)
        group_names = [g.name for g in groups]
        _check_unique("groups", group_names)

        def fit(path: str, array: np.ndarray) -> np.ndarray:
            if array.size == n:
                return array
            if array.size == 1:
                out = np.repeat(array, n)
                out.setflags(write=False)
                return out
            raise ModelError(f"{path} must have one value per interval ({n} values, or a single value), got {array.size}")

        arrivals = tuple(fit(f"channels.{c.name}.arrivals_per_interval", c.arrivals_per_interval) for c in channels)
        agents = tuple(fit(f"groups.{g.name}.agents_per_interval", g.agents_per_interval) for g in groups)
        notifications = tuple(
            None if c.notification_share_per_interval is None
            else fit(f"channels.{c.name}.notification_share_per_interval", c.notification_share_per_interval)
            for c in channels
        )
        for group in groups:
            for name in group.channels:
                if name not in names:
                    raise ModelError(f"groups.{group.name}.channels names an unknown channel {name!r}; channels are {names}")
        routing_in = dict(self.routing or {})
        for name in routing_in:
            if name not in names:
                raise ModelError(f"routing names an unknown channel {name!r}; channels are {names}")
        routing: dict[str, tuple[str, ...]] = {}
        delays: dict[str, tuple[float, ...]] = {}
        for channel in channels:
            serving = [g.name for g in groups if channel.name in g.channels]
            after: tuple[float, ...] = ()
            order: tuple[str, ...]
            if channel.name in routing_in:
                given = routing_in[channel.name]
                steps = (given,) if isinstance(given, str) else tuple(given)
                entries: list[tuple[object, ...]] = [(step, 0.0) if isinstance(step, str) else tuple(step) for step in steps]
                named: list[str] = []
                for index, entry in enumerate(entries):
                    group_name = entry[0] if len(entry) == 2 else None
                    if not isinstance(group_name, str):
                        raise ModelError(f"routing.{channel.name}[{index}] must be a group name or (group name, "
                                         f"after_seconds), got {steps[index]!r}")
                    named.append(group_name)
                order = tuple(named)
                after = tuple(_check_number(f"routing.{channel.name}[{index}].after_seconds", entry[1], low=0.0)
                              for index, entry in enumerate(entries))
                for group_name in order:
                    if group_name not in group_names:
                        raise ModelError(f"routing.{channel.name} names an unknown group {group_name!r}; groups are {group_names}")
                    if group_name not in serving:
                        raise ModelError(f"routing.{channel.name} names group {group_name!r}, which does not serve {channel.name!r} (add it to groups.{group_name}.channels)")
                if len(set(order)) != len(order) or not order:
                    raise ModelError(f"routing.{channel.name} must list distinct groups, got {list(order)}")
            else:
                order = tuple(serving)
            delays[channel.name] = after if after else (0.0,) * len(order)
            if not order:
                raise ModelError(f"channels.{channel.name} is served by no agent group; add {channel.name!r} to some groups[...].channels")
            staffed = sum(int(agents[group_names.index(g)].sum()) + (groups[group_names.index(g)].elastic is not None)
                          for g in order)
            if staffed == 0 and arrivals[names.index(channel.name)].sum() > 0:
                raise ModelError(f"channels.{channel.name} has arrivals but every group routing it has 0 agents in every interval (groups {list(order)}.agents_per_interval)")
            routing[channel.name] = order
        self._validate_targets(channels, agents, routing, group_names)
        object.__setattr__(self, "channels", channels)
        object.__setattr__(self, "groups", groups)
        object.__setattr__(self, "routing", routing)
        object.__setattr__(self, "routing_groups", routing)
        warmup = _check_number("warmup_seconds", self.warmup_seconds, low=0.0)
        if warmup >= self.interval_seconds * n:
            raise ModelError(f"warmup_seconds must be >= 0 and < the horizon ({self.interval_seconds * n:g} s), got {self.warmup_seconds!r}")
        object.__setattr__(self, "warmup_seconds", warmup)
        object.__setattr__(self, "email_after_realtime", bool(self.email_after_realtime))
        object.__setattr__(self, "routing_delays", delays)
        if self.trunks is not None:
            object.__setattr__(self, "trunks", _check_count("trunks", self.trunks, low=1))
        if self.contact_selection not in CONTACT_SELECTIONS:
            raise ModelError(f"contact_selection must be one of {', '.join(CONTACT_SELECTIONS)}, got {self.contact_selection!r}")
        if self.agent_selection not in AGENT_SELECTIONS:
            raise ModelError(f"agent_selection must be one of {', '.join(AGENT_SELECTIONS)}, got {self.agent_selection!r}")
        object.__setattr__(self, "drain", bool(self.drain))
        object.__setattr__(self, "busyness_cv", _check_number("busyness_cv", self.busyness_cv, low=0.0, high=2.0))
        start = _check_number("start_seconds_of_day", self.start_seconds_of_day, low=0.0)
        if start >= 86400.0:
            raise ModelError(f"start_seconds_of_day must be >= 0 and < 86400, got {self.start_seconds_of_day!r}")
        object.__setattr__(self, "start_seconds_of_day", start)
        object.__setattr__(self, "_handle_means", tuple(
            None if c.handle_mean_per_interval is None
            else fit(f"channels.{c.name}.handle_mean_per_interval", c.handle_mean_per_interval) for c in channels))
        object.__setattr__(self, "_patience_means", tuple(
            None if c.patience_mean_per_interval is None
            else fit(f"channels.{c.name}.patience_mean_per_interval", c.patience_mean_per_interval) for c in channels))
        self._validate_campaigns(fit)
        object.__setattr__(self, "_channel_index", {c.name: i for i, c in enumerate(channels)})
        object.__setattr__(self, "_arrivals", arrivals)
        object.__setattr__(self, "_agents", agents)
        object.__setattr__(self, "_notifications", notifications)

    def _validate_campaigns(self, fit) -> None:
        """Check the outbound campaigns against the groups and the interval grid."""
        campaigns = tuple(self.campaigns or ())
        for index, campaign in enumerate(campaigns):
            if not isinstance(campaign, OutboundCampaign):
                raise ModelError(f"campaigns[{index}] must be an OutboundCampaign, got {type(campaign).__name__}")
        names = [c.name for c in campaigns]
        _check_unique("campaigns", names)
        group_names = [g.name for g in self.groups]
        owner: dict[str, str] = {}
        for campaign in campaigns:
            for group_name in campaign.groups:
                if group_name not in group_names:
                    raise ModelError(f"campaigns.{campaign.name}.groups names an unknown group {group_name!r}; "
                                     f"groups are {group_names}")
                if self.groups[group_names.index(group_name)].elastic is not None:
                    raise ModelError(f"campaigns.{campaign.name}.groups names elastic group {group_name!r}; "
                                     "burst agents take no outbound work")
                if group_name in owner:
                    raise ModelError(f"campaigns.{campaign.name}.groups names group {group_name!r}, which already "
                                     f"works campaign {owner[group_name]!r} (a group works at most one campaign)")
                owner[group_name] = campaign.name
        object.__setattr__(self, "campaigns", campaigns)
        object.__setattr__(self, "_campaign_records", tuple(
            None if c.records_per_interval is None else fit(f"campaigns.{c.name}.records_per_interval", c.records_per_interval)
            for c in campaigns))
        opened = []
        for c in campaigns:
            flags = np.ones(self.intervals, dtype=bool) if c.open_per_interval is None else c.open_per_interval
            if flags.size == 1:
                flags = np.repeat(flags, self.intervals)
            elif flags.size != self.intervals:
                raise ModelError(f"campaigns.{c.name}.open_per_interval must have one value per interval "
                                 f"({self.intervals} values, or a single value), got {flags.size}")
            flags.setflags(write=False)
            opened.append(flags)
        object.__setattr__(self, "_campaign_open", tuple(opened))

    def campaign_records_per_interval(self, campaign: int) -> np.ndarray | None:
        """Records added to campaign ``campaign``'s list per interval (``intervals`` long), or None (unlimited)."""
        return self._campaign_records[campaign]

    def campaign_open_per_interval(self, campaign: int) -> np.ndarray:
        """Whether campaign ``campaign`` may start attempts in each interval (``intervals`` booleans)."""
        return self._campaign_open[campaign]

    def _validate_targets(self, channels, agents, routing, group_names) -> None:
        """Transfer targets must be other real-time channels and ``messages_to`` an email channel,
        both staffed at some point (else the work they receive could never be served)."""
        kinds = {c.name: c.kind for c in channels}
        names = list(kinds)

        def staffed(name: str) -> bool:
            return any(agents[group_names.index(g)].sum() > 0 or self.groups[group_names.index(g)].elastic is not None
                       for g in routing[name])

        for channel in channels:
            path = f"channels.{channel.name}"
            if channel.transfer is not None and channel.transfer.group is not None:
                group_name = channel.transfer.group
                if group_name not in group_names:
                    raise ModelError(f"{path}.transfer.group names an unknown group {group_name!r}; groups are {group_names}")
                group = self.groups[group_names.index(group_name)]
                if channel.kind != "voice":
                    raise ModelError(f"{path}.transfer.group applies to voice channels, got a {channel.kind} channel")
                if channel.transfer.share > 0 and agents[group_names.index(group_name)].sum() == 0 and group.elastic is None:
                    raise ModelError(f"{path}.transfer.group names {group_name!r}, which has 0 agents in every interval")
            elif channel.transfer is not None:
                target = channel.transfer.to
                if target not in kinds:
                    raise ModelError(f"{path}.transfer.to names an unknown channel {target!r}; channels are {names}")
                if kinds[target] == "email":
                    raise ModelError(f"{path}.transfer.to must name a voice or chat channel, got {target!r} (email)")
                if channel.transfer.share > 0 and not staffed(target):
                    raise ModelError(f"{path}.transfer.to names {target!r}, whose routing has 0 agents in every interval")
            if channel.messages_to is not None:
                target = channel.messages_to
                if target not in kinds:
                    raise ModelError(f"{path}.messages_to names an unknown channel {target!r}; channels are {names}")
                if kinds[target] != "email":
                    raise ModelError(f"{path}.messages_to must name an email (deferred) channel, got {target!r} "
                                     f"({kinds[target]})")
                if not staffed(target):
                    raise ModelError(f"{path}.messages_to names {target!r}, whose routing has 0 agents in every interval")

    def arrivals_per_interval(self, channel: int | str) -> np.ndarray:
        """Expected would-be contacts per interval of a channel (index or name), ``intervals`` long."""
        index = self._channel_index[channel] if isinstance(channel, str) else channel
        return self._arrivals[index]

    def notification_share_per_interval(self, channel: int | str) -> np.ndarray | None:
        """Per-interval notification deflection share of a channel (index or name), or None."""
        index = self._channel_index[channel] if isinstance(channel, str) else channel
        return self._notifications[index]

    def handle_mean_per_interval(self, channel: int | str) -> np.ndarray:
        """Mean handle time (seconds) of contacts arriving in each interval, ``intervals`` long."""
        index = self._channel_index[channel] if isinstance(channel, str) else channel
        means = self._handle_means[index]
        return np.full(self.intervals, self.channels[index].handle_time.mean_seconds) if means is None else means

    def patience_mean_per_interval(self, channel: int | str) -> np.ndarray | None:
        """Mean patience (seconds) of contacts arriving in each interval, or None without patience."""
        index = self._channel_index[channel] if isinstance(channel, str) else channel
        means = self._patience_means[index]
        patience = self.channels[index].patience
        if means is None:
            return None if patience is None else np.full(self.intervals, patience.mean_seconds)
        return means

    def agents_per_interval(self, group: int | str) -> np.ndarray:
        """Scheduled headcount per interval of a group (index or name), ``intervals`` long."""
        index = [g.name for g in self.groups].index(group) if isinstance(group, str) else group
        return self._agents[index]

    def with_warmup(self, warmup_seconds: float) -> SimulationModel:
        """Return a copy with another warm-up (seconds), validated."""
        routing = {name: tuple(zip(order, self.routing_delays[name], strict=True))
                   for name, order in self.routing_groups.items()}
        return SimulationModel(self.interval_seconds, self.intervals, self.channels, self.groups,
                               routing=routing, warmup_seconds=warmup_seconds,
                               email_after_realtime=self.email_after_realtime, trunks=self.trunks,
                               contact_selection=self.contact_selection, agent_selection=self.agent_selection,
                               drain=self.drain, busyness_cv=self.busyness_cv,
                               start_seconds_of_day=self.start_seconds_of_day, campaigns=self.campaigns)

    def day_index(self, seconds: float) -> int:
        """Calendar day (0 = the day the horizon starts) of simulation time ``seconds``."""
        return int((seconds + self.start_seconds_of_day) // 86400.0)

    @property
    def days(self) -> int:
        """Calendar days the horizon touches (day-level factors drawn per day)."""
        return self.day_index(self.horizon_seconds - 1e-9) + 1 if self.horizon_seconds > 0 else 1

    def has_delays(self, channel: str) -> bool:
        """True if some routing entry of ``channel`` has a positive ``after_seconds``."""
        return any(self.routing_delays[channel])
