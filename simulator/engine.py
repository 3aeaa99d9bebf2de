"""One replication of the contact-centre model on SimPy, with few events per contact.

Design (why it is fast and exact)
---------------------------------
* **Arrivals**: per channel and interval the would-be arrivals are drawn at once with NumPy (a
  Poisson count, sorted uniform times: the exact non-homogeneous Poisson process with a
  piecewise-constant rate), with all their attributes (handle time, patience, deflection, bot,
  retry decision). Deflected and bot-resolved contacts need no event. Every other contact is one
  SimPy ``Timeout`` at the moment it joins the agent queue (arrival, or arrival + bot time),
  scheduled in chunks by a small driver process; its callback routes the contact.
* **Service**: one ``Timeout`` per contact (handle time + after-contact work); its callback frees
  the agent, who pulls the next contact. Agents are plain objects in per-group deques of idle
  agents (longest idle first); a contact goes to the first group of its routing with a free agent.
* **Abandonment is lazy**: a waiting contact carries its deadline (join + patience). When an agent
  pulls from a queue, or a contact joins it, dead contacts at the head are removed and recorded as
  abandoned *at their deadline*. For FIFO queues this is exact for who is served and when, and no
  patience timer is ever scheduled (a SimPy timeout cannot be cancelled, so timers would be dead
  events in the heap). A dead contact may still sit behind a patient one; so that counts are exact,
  at every interval end and at the horizon the whole queue is swept and such contacts are recorded
  as abandoned at their deadline (never as waiting in ``backlog_end`` or ``in_system_end``).
  Only customers who will retry get one event, at ``deadline + retrial delay``.
* **Time-weighted KPIs** (queue length, busy and present agents) are area accumulators, added once
  per waiting contact / busy period / headcount change and split exactly at interval boundaries
  (and at the end of the warm-up).
* **Counts** are attributed to the interval of the contact's arrival; contacts arriving before
  the warm-up ends are simulated but not counted. Per-interval wait percentiles are computed when
  every contact of the interval has left the queue, then the waits are dropped, so memory stays
  flat in the horizon.

Shrinkage is per-interval binomial thinning of the scheduled headcount: in each interval every
scheduled agent is independently unavailable with probability ``shrinkage`` (agent ``k`` of
interval ``i`` always draws the same uniform, so adding agents never removes available ones).
Headcount changes happen at interval boundaries: new agents log in and take waiting contacts in
rounds of one each (waiting chats are spread evenly). A cut takes idle agents first (most recently
idle); then it *marks* chat holders to leave, fewest chats first, who take no new chat and log off
when their last chat ends; any rest is a count of agents to remove, honoured by the next agents
to become fully free (voice/email agents finishing their contact). Only the marked or counted
agents stop taking work: the others keep refilling their chat slots.

Chat concurrency: an agent holds up to ``concurrency`` chats (only chats, never mixed with voice or
email); a chat started while the agent holds ``k - 1`` others lasts
``handle_time * (1 + concurrency_stretch * (k - 1))``. A new chat goes to the least-busy agent of
the first group of its routing that has a free slot: an idle agent first (the one idle longest),
else an agent with the fewest chats in hand, ties broken by the longest time at that number of
chats. Agents holding chats sit in per-group buckets by number of chats (insertion-ordered dicts),
so an assignment costs O(concurrency). An agent whose chat ends takes the next waiting chat
itself: a chat waits only when no agent has a free slot, so that agent is then the least busy.
With ``concurrency=1`` a chat channel behaves exactly like a voice channel.

Callback (virtual hold): a voice/chat contact whose expected wait at joining,
``(queue length + 1) * aht / agents present on its routing``, exceeds the threshold is offered a
callback: it keeps its place, never abandons, and its wait is counted in full. (The queue length
may still hold contacts not yet found to have abandoned, so the estimate errs on the long side.)

Blended outbound (``SimulationModel.campaigns``): agents of a campaign's groups take inbound
first; an agent who becomes free with no inbound waiting goes idle, and then, while more than
``reserve`` agents of the campaign's groups are idle, the campaign is open and records are left,
the most recently idle of them starts an outbound attempt (one ``Timeout``: preview + dial time,
plus talk and wrap-up if it connects; the outcome and durations are drawn up front, in attempt
order, from the campaign's ``outbound`` stream). Power dialling starts ``lines_per_agent`` attempts
at once (one event per line, at the end of its dial time): the first to connect is the agent's
(one more event for the talk), a later one goes to another idle agent of the campaign above the
reserve, else it is dropped; the agent is free when every line failed or the talk ended. The idle count only rises when an agent becomes
idle or logs in, so the blend is checked then and at interval boundaries (records released, the
campaign opening): no polling events. An attempt's end frees its agent through the same path as
a contact's end (busy time, shift ends, the next inbound contact first). Counts are by the
interval the attempt started in (after the warm-up); agent-seconds on outbound by clock time.

Retrials: a customer who abandons tries again with the channel's retrial probability (decided per
arrival, so common random numbers hold) after an exponential delay; the new attempt skips
self-service and the bot, keeps its handle time and draws a new patience. Each attempt is counted
as offered (``retrials`` counts the repeat attempts).

Transfers (``ChannelModel.transfer``): the decision is drawn per arrival (``transfer`` stream); a
contact to be transferred gets one event at the end of its first talk, which creates its second
leg on the target channel (handle time, wrap-up and patience drawn from the target's
distributions, ``transfer_legs`` stream) and joins it to that queue like any contact; the leg
takes over the trunk line, released at the end of the second talk (or when the leg leaves
unanswered). A leg is never transferred again. Messages as deferred work
(``ChannelModel.messages_to``): a contact leaving as a message creates an item of the email
channel at that moment (``message_items`` stream), joining its queue after the current handler;
max-wait exits of such a channel get one exact timer each instead of lazy detection. A transfer
to a named group puts the leg (a contact of its own channel) in that group's transfer queue,
which the group's agents take before any other work. A model using none of these features runs
the same paths as before (a flag tested per join, answer, departure and agent pull).
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import simpy
from simpy.events import Timeout

from .model import Distribution, SimulationModel
from .streams import Streams

__all__ = ["ContactRecord", "ReplicationOutput", "run_replication", "WAIT_BIN_EDGES"]

# SimPy private attributes used here, for speed (each is read once or more per event, and the
# public accessors are Python properties or would need one closure or process per contact):
#   env._now     current simulation time (same value as the ``env.now`` property, without the
#                property call);
#   env._queue   the event heap, a list of (time, priority, id, event) tuples; read once, at the
#                horizon, to find agents still busy (there is no public way to list pending events);
#   event._value the value of a triggered ``Timeout`` (what ``Timeout(env, delay, value)`` was given:
#                the contact or agent the callback is about); the public ``event.value`` property
#                checks the event state on every call.
# Callbacks are attached with the public ``event.callbacks.append``. These names are stable in
# SimPy 4.0 and 4.1 (tested with SimPy 4.1.2); pyproject pins simpy to the tested range, and a
# SimPy upgrade must rerun tests/simulator before the pin is widened.

_CHUNK = 512  # arrivals scheduled per driver wake-up: bounds the event heap
_LEG_BLOCK = 256  # handle/wrap-up/patience draws per block for transferred legs and message items

# Horizon-level wait/response histogram: one bin for exact zeros (answered at once), 0.1 s bins
# up to 600 s, then 1 % wide log bins up to ~1e8 s.
_LINEAR_LIMIT = 600.0
_LINEAR_BINS = 6000
_LOG_STEP = math.log(1.01)
_LOG_BINS = int(math.ceil(math.log(1e8 / _LINEAR_LIMIT) / _LOG_STEP)) + 1
WAIT_BIN_EDGES = np.concatenate([
    [0.0],
    np.linspace(0.0, _LINEAR_LIMIT, _LINEAR_BINS + 1)[:-1],
    _LINEAR_LIMIT * np.exp(_LOG_STEP * np.arange(_LOG_BINS + 1)),
])
"""Edges (seconds) of the histogram of horizon-level wait and response percentiles (bin 0 = [0, 0])."""


def _bin_index(values: np.ndarray) -> np.ndarray:
    linear = np.minimum((values * (_LINEAR_BINS / _LINEAR_LIMIT)).astype(np.int64), _LINEAR_BINS - 1)
    logarithmic = _LINEAR_BINS + np.floor(np.log(np.maximum(values, _LINEAR_LIMIT) / _LINEAR_LIMIT) / _LOG_STEP).astype(np.int64)
    index = 1 + np.clip(np.where(values < _LINEAR_LIMIT, linear, logarithmic), 0, _LINEAR_BINS + _LOG_BINS - 1)
    return np.where(values <= 0.0, 0, index)


class ContactRecord(NamedTuple):
    """One counted contact (only with ``keep_records=True``). Times in seconds from the start."""

    replication: int
    channel: str
    arrival_seconds: float
    queue_join_seconds: float
    outcome: str  # answered | abandoned | message | disconnected | blocked | deflected_* | in_system
    wait_seconds: float
    handle_seconds: float
    group: str
    retrial: bool
    callback: bool
    customer: int = -1  # the same for a customer's first attempt and retrials
    agent: int = -1  # agent who answered (ids unique within a replication), -1 if unanswered


@dataclass(frozen=True)
class ReplicationOutput:
    """Raw accumulators of one replication (arrays; tables are built by :mod:`simulator.kpis`).

    Channel arrays have shape (channels, intervals); group arrays (groups, intervals); the
    ``*_counted`` arrays cover only time after the warm-up; histograms have shape
    (channels, bins) over :data:`WAIT_BIN_EDGES`.
    """

    counts: dict[str, np.ndarray]
    percentiles: dict[str, np.ndarray]
    groups: dict[str, np.ndarray]
    wait_histogram: np.ndarray
    response_histogram: np.ndarray
    queue_area_counted: np.ndarray
    busy_area_counted: np.ndarray
    present_area_counted: np.ndarray
    load_area_counted: np.ndarray
    counted_seconds: float
    events: int
    records: list[ContactRecord] | None
    # CAMPAIGN_FIELDS, shape (campaigns, intervals), and "outbound_area_counted" (campaigns,) after
    # the warm-up; None without campaigns
    campaigns: dict[str, np.ndarray] | None = None


COUNT_FIELDS = (
    "offered", "deflected_self_service", "deflected_notification", "deflected_bot", "offered_to_agents", "answered",
    "answered_within_target", "abandoned", "in_system_end", "retrials", "callbacks", "waited", "blocked",
    "wait_sum_answered", "wait_sum_all", "response_sum",
    # abandoned within the service-level target; email open at the horizon, due or not yet due
    "short_abandons", "open_due", "open_not_due", "open_not_due_age_sum",
    # left the queue at the channel's max wait or when it closed: a message or a disconnection;
    # max_wait_exits counts every max-wait exit (messages, disconnections and callbacks)
    "messages", "disconnected", "max_wait_exits",
    # per customer: first attempts meant for the agent queue (joined it or blocked there), and the
    # waits of retry attempts by their own interval and by the customer's first-attempt interval
    "customers", "retrial_wait_sum", "retrial_wait_by_first",
    # sum of the handle times drawn for counted first attempts (a control variate with a known mean)
    "offered_work_seconds",
    # by clock time (all contacts, warm-up included): queue flow and backlog
    "queue_joins", "picked_up", "queue_end", "queue_area",
    # transfers (by the source contact's arrival interval: transferred; by the interval of the
    # transfer on the target: transferred_in) and messages received as deferred items (messages_in)
    "transferred", "transferred_in", "messages_in",
    # arrival to end of last talk of customers whose last service started (models with transfers only),
    # by the source channel and arrival interval: all of them, and the transferred ones
    "end_to_end_sum", "end_to_end_count", "end_to_end_transferred_sum", "end_to_end_transferred_count",
)
PERCENTILE_FIELDS = ("p90_wait_seconds", "p50_response_seconds", "p90_response_seconds")
CAMPAIGN_FIELDS = (
    # by the interval the attempt started in (after the warm-up): attempts, right-party contacts,
    # connected calls ended, attempts ended without contact, attempts still running at the horizon,
    # talk seconds of the connected calls ended
    "dials", "connects", "completed", "unreached", "in_progress_end", "talk_seconds",
    # power dialling: connects with no agent free for them (nuisance calls)
    "dropped",
    # by clock time (all time, warm-up included, like the group areas): agent-seconds on outbound
    "outbound_area",
)
GROUP_FIELDS = ("scheduled_agents", "on_duty_agents", "busy_area", "present_area", "load_area", "elastic_starts")


_RECORD_OUTCOME = {None: "abandoned", "messages": "message", "disconnected": "disconnected"}


class _Contact:
    __slots__ = ("channel", "interval", "arrival", "join", "deadline", "handle", "retry", "callback", "retrial", "served",
                 "customer", "wrap", "line", "bot_only", "limit", "first", "transfer", "origin", "private")
    channel: int
    interval: int
    arrival: float
    join: float
    deadline: float
    handle: float
    retry: bool
    callback: bool
    retrial: bool
    served: bool
    customer: int
    wrap: float
    line: bool
    bot_only: bool
    limit: bool
    first: int
    transfer: bool
    origin: tuple[int, int, float]
    private: int

    def __init__(self, channel, interval, arrival, handle, patience, retry, retrial, wrap=0.0, customer=-1):
        self.channel = channel
        self.interval = interval  # arrival interval index, or -1 if before the warm-up
        self.arrival = arrival
        self.join = arrival
        self.deadline = patience  # patience until join, then the absolute deadline
        self.handle = handle
        self.retry = retry
        self.callback = False
        self.retrial = retrial
        self.served = False
        self.wrap = wrap  # after-contact work (seconds)
        self.customer = customer  # customer id (a retrial keeps it; records only)
        self.line = False  # holds a trunk line
        self.limit = False  # the deadline is the channel's max wait (not the patience)
        self.first = interval  # the customer's first-attempt interval (a retrial keeps it)
        # bot_only (resolved by the bot) is set only on contacts simulated for their trunk line;
        # transfer (to be transferred after its talk) only on contacts of a channel with a transfer;
        # origin (source channel, interval, arrival) only on the second leg of a transferred contact;
        # private (group index) only on a leg waiting in a group's transfer queue


class _Now:
    """Stands for a triggered event when a handler is called directly (``_value``: its subject)."""

    __slots__ = ("_value",)

    def __init__(self, value):
        self._value = value


class _Agent:
    __slots__ = ("group", "in_hand", "busy_since", "session_start", "chat", "leaving", "bucket", "idle_since", "ident")

    def __init__(self, group, session_start=0.0, ident=-1):
        self.ident = ident
        self.group = group
        self.in_hand = 0
        self.busy_since = 0.0
        self.session_start = session_start  # login time of an elastic (burst) agent
        self.chat = False  # holds chats of a concurrent channel (then ``in_hand`` counts them)
        self.leaving = False  # marked to leave at a headcount cut: takes no new work
        self.bucket = None  # the group's bucket (dict) this chat holder is filed in, or None
        self.idle_since = 0.0


class _Group:
    __slots__ = ("index", "name", "order", "chat_order", "idle", "buckets", "leaving", "present", "to_remove",
                 "last_change", "elastic", "requested", "plain", "tiers", "longest_waiting", "after", "factors")

    def __init__(self, index, name, order, chat_order, max_concurrency, elastic=None):
        self.index = index
        self.name = name
        self.order = order  # channel indices in pull order
        self.chat_order = chat_order  # concurrent chat channel indices in pull order
        self.idle = deque()  # agents holding nothing, longest idle first
        # buckets[k]: agents holding k chats (1 <= k <= max concurrency), not leaving; each an
        # insertion-ordered set (dict), so its first agent has held k chats the longest
        self.buckets = [{} for _ in range(max_concurrency + 1)]
        self.leaving = {}  # chat holders marked to leave once their chats end (insertion-ordered set)
        self.present = 0
        self.to_remove = 0  # further agents to remove: the next ones to become fully free leave
        self.last_change = 0.0
        self.elastic = elastic  # ElasticPolicy of a burst group, else None
        self.requested = 0  # burst agents starting up
        self.plain = True  # priority selection, no overflow delay: the fast pull path
        self.tiers = []  # pull candidates [(channel, after_seconds)], in tiers (real-time, then email)
        self.longest_waiting = False
        self.after = {}  # channel -> seconds a contact must have waited before this group takes it
        self.factors = None  # per-channel handle-time factors, or None if all 1


class _Campaign:
    """Run state of one outbound campaign: list, window, and draws buffered in attempt order."""

    __slots__ = ("index", "name", "groups", "reserve", "contact_rate", "setup", "wrap", "records", "lines",
                 "records_per_interval", "open_per_interval", "rng", "handle_time", "dial_time", "uniforms",
                 "dials", "talks", "next_draw")

    _BLOCK = 256  # attempts drawn at once (the j-th attempt always gets the j-th draws: common random numbers)

    def __init__(self, index, campaign, groups, rng, records_per_interval, open_per_interval):
        self.index = index
        self.name = campaign.name
        self.groups = groups
        self.reserve = campaign.reserve
        self.contact_rate = campaign.contact_rate
        self.setup = campaign.preview_seconds
        self.wrap = campaign.after_contact_work_seconds
        self.lines = campaign.lines_per_agent
        self.records = math.inf if records_per_interval is None else 0
        self.records_per_interval = records_per_interval
        self.open_per_interval = open_per_interval
        self.rng = rng
        self.handle_time = campaign.handle_time
        self.dial_time = campaign.dial_time
        self.uniforms: list[float] = []
        self.dials: list[float] = []
        self.talks: list[float] = []
        self.next_draw = 0

    def draw(self) -> tuple[bool, float, float]:
        """The next attempt's (reaches the customer, dial seconds, talk seconds)."""
        j = self.next_draw
        if j == len(self.uniforms):
            self.refill()
            j = 0
        self.next_draw = j + 1
        return self.uniforms[j] < self.contact_rate, self.dials[j], self.talks[j]

    def refill(self) -> None:
        """Draw the next block of attempts: contact outcome uniform, dial time, talk time."""
        rng, size = self.rng, self._BLOCK
        self.uniforms = rng.random(size).tolist()
        self.dials = [0.0] * size if self.dial_time is None else self.dial_time.sample(rng, size).tolist()
        self.talks = self.handle_time.sample(rng, size).tolist()


class _Batch:
    """The lines one agent power-dials at once."""

    __slots__ = ("agent", "campaign", "interval", "pending", "start", "talking")

    def __init__(self, agent, campaign, interval, lines, start):
        self.agent = agent
        self.campaign = campaign
        self.interval = interval  # start interval, or -1 before the warm-up
        self.pending = lines  # lines still ringing
        self.start = start
        self.talking = False  # the agent talks to a customer of this batch


class _Line:
    """One power-dialled line (the value of its ``Timeout``, at the end of its dial time)."""

    __slots__ = ("batch", "connected", "talk")

    def __init__(self, batch, connected, talk):
        self.batch = batch
        self.connected = connected
        self.talk = talk


class _Attempt:
    """One outbound attempt in progress (the value of its completion ``Timeout``)."""

    __slots__ = ("agent", "campaign", "interval", "connected", "talk", "start")

    def __init__(self, agent, campaign, interval, connected, talk, start):
        self.agent = agent
        self.campaign = campaign
        self.interval = interval  # start interval, or -1 before the warm-up
        self.connected = connected
        self.talk = talk
        self.start = start


class _Replication:
    """State and event handlers of one replication (see the module docstring)."""

    def __init__(self, model: SimulationModel, streams: Streams, replication: int, keep_records: bool,
                 on_interval: Callable[[float], None] | None = None):
        self.model = model
        self.on_interval = on_interval  # called with the simulated-time fraction at each interval boundary
        self.streams = streams
        self.replication = replication
        self.env = simpy.Environment()
        self.events = 0
        n = model.intervals
        dt = model.interval_seconds
        self.dt = dt
        self.horizon = model.horizon_seconds
        self.warmup = model.warmup_seconds
        channels = model.channels
        self.n_channels = len(channels)
        self.names = [c.name for c in channels]
        self.concurrency = [c.concurrency for c in channels]
        self.stretch = [c.concurrency_stretch for c in channels]
        self.acw = [c.after_contact_work_seconds for c in channels]
        self.acw_dist = [c.after_contact_work for c in channels]
        self.capacity = [c.queue_capacity for c in channels]
        # lines shared by voice contacts; inf (no limit) without trunks, when no channel is on a line
        self.trunks: float = math.inf if model.trunks is None else model.trunks
        self.lines_busy = 0
        self.on_line = [model.trunks is not None and c.kind == "voice" for c in channels]
        self.line_channels = [c for c in range(len(channels)) if self.on_line[c]]
        self.is_email = [c.kind == "email" for c in channels]
        self.target: list[float] = []
        for channel_model in channels:
            if channel_model.kind == "email":
                assert channel_model.response_target_hours is not None  # ChannelModel defaults it to 24 h for email
                self.target.append(channel_model.response_target_hours * 3600.0)
            else:
                self.target.append(channel_model.service_level_target_seconds)
        self.callback_threshold = [c.callback_threshold_seconds for c in channels]
        self.aht = [c.aht_seconds for c in channels]
        self.retrial_model = [c.retrial for c in channels]
        # retrial delay of each channel with retrials (RetrialModel.validate fills in the delay)
        self.retrial_delay: dict[int, Distribution] = {}
        for k, channel_model in enumerate(channels):
            if channel_model.retrial is not None:
                assert channel_model.retrial.delay is not None
                self.retrial_delay[k] = channel_model.retrial.delay
        self.patience_dist = [c.patience for c in channels]
        # per-interval mean / distribution mean: the scale of each interval's draws (None: 1)
        self.handle_scale: list[np.ndarray | None] = [
            None if c.handle_mean_per_interval is None else model.handle_mean_per_interval(k) / c.handle_time.mean_seconds
            for k, c in enumerate(channels)]
        self.patience_scale: list[np.ndarray | None] = []
        for k, channel_model in enumerate(channels):
            patience_means = model.patience_mean_per_interval(k)
            if channel_model.patience_mean_per_interval is None:
                self.patience_scale.append(None)
            else:  # ChannelModel requires a patience distribution with patience_mean_per_interval
                assert patience_means is not None and channel_model.patience is not None
                self.patience_scale.append(patience_means / channel_model.patience.mean_seconds)
        self.busyness = None
        if model.busyness_cv > 0:
            shape = 1.0 / model.busyness_cv**2
            self.busyness = streams.get("busyness", "centre").gamma(shape, 1.0 / shape, model.days)
        self.abandons = [c.patience is not None for c in channels]
        self.max_wait = [c.max_wait_seconds for c in channels]
        self.limit_outcome = ["messages" if c.on_max_wait == "message" else "disconnected" for c in channels]
        self.limit_callback = [c.on_max_wait == "callback" for c in channels]
        self.closed_rule = [None if c.closed_queue == "keep" else "messages" if c.closed_queue == "message"
                            else "disconnected" for c in channels]
        self.closed_now = [False] * len(channels)
        self._init_transfers_and_messages(model)
        self.drain = model.drain
        self.end_limit = math.inf if model.drain else self.horizon  # joins at or after it are never simulated
        self.queues: list[deque[_Contact]] = [deque() for _ in channels]
        group_names = [g.name for g in model.groups]
        self.routing: list[list[_Group]] = [[] for _ in channels]
        self.has_elastic = [False] * len(channels)
        self.groups: list[_Group] = []
        for index, group in enumerate(model.groups):
            order = [self.names.index(name) for name in group.channels]
            if model.email_after_realtime:
                order = [c for c in order if not self.is_email[c]] + [c for c in order if self.is_email[c]]
            chat_order = [c for c in order if self.concurrency[c] > 1]
            max_concurrency = max((self.concurrency[c] for c in chat_order), default=1)
            self.groups.append(_Group(index, group.name, order, chat_order, max_concurrency, group.elastic))
        self.agent_selection = model.agent_selection
        self.routing_now: list[list[_Group]] = [[] for _ in channels]  # groups eligible at joining
        self.overflow: list[list[tuple[float, list[_Group]]]] = [[] for _ in channels]  # (after, groups), rising
        for c, channel in enumerate(channels):
            self.routing[c] = [self.groups[group_names.index(g)] for g in model.routing_groups[channel.name]]
            self.has_elastic[c] = any(g.elastic is not None for g in self.routing[c])
            delays = model.routing_delays[channel.name]
            self.routing_now[c] = [g for g, after in zip(self.routing[c], delays, strict=True) if after == 0.0]
            for after in sorted({after for after in delays if after > 0.0}):
                self.overflow[c].append((after, [g for g, d in zip(self.routing[c], delays, strict=True) if d == after]))
                for g, d in zip(self.routing[c], delays, strict=True):
                    if d > 0.0:
                        g.after[c] = d
        for state, group_model in zip(self.groups, model.groups, strict=True):
            selection = group_model.contact_selection or model.contact_selection
            state.longest_waiting = selection == "longest_waiting"
            state.plain = not state.longest_waiting and not state.after
            realtime = [(c, state.after.get(c, 0.0)) for c in state.order if not self.is_email[c]]
            email = [(c, state.after.get(c, 0.0)) for c in state.order if self.is_email[c]]
            state.tiers = [realtime, email] if model.email_after_realtime else [[(c, state.after.get(c, 0.0)) for c in state.order]]
            factors = [group_model.factor(name) for name in self.names]
            state.factors = None if all(f == 1.0 for f in factors) else factors
        # drawn from only with agent_selection "random" (a named stream: creating it shifts no other draw)
        self.rng_routing = streams.get("routing", "agent_selection")
        # interval segments: the interval grid, split at the end of the warm-up
        edges = [i * dt for i in range(n + 1)]
        if self.warmup > 0 and self.warmup not in edges:
            bisect.insort(edges, self.warmup)
        self.real_segments = len(edges) - 1
        if model.drain:  # a last open segment collects time after the horizon (dropped from the output)
            edges.append(math.inf)
        self.edges = edges
        self.segment_interval = [min(int((edges[k] + edges[k + 1]) / 2 // dt), n - 1) for k in range(self.real_segments)]
        self.segment_counted = [edges[k] >= self.warmup for k in range(self.real_segments)]
        n_segments = len(edges) - 1
        self.queue_area = [[0.0] * n_segments for _ in channels]
        self.busy_area = [[0.0] * n_segments for _ in model.groups]
        self.present_area = [[0.0] * n_segments for _ in model.groups]
        self.chat_busy_area = [[0.0] * n_segments for _ in model.groups]  # busy periods holding chats
        self.chat_load_area = [[0.0] * n_segments for _ in model.groups]  # chat-seconds / concurrency
        # per (channel, arrival interval) counters
        self.counts: dict[str, list[list[float]]] = {
            name: [[0] * n for _ in channels] for name in COUNT_FIELDS if name not in ("queue_area",)}
        for name in ("wait_sum_answered", "wait_sum_all", "response_sum", "open_not_due_age_sum", "offered_work_seconds",
                     "retrial_wait_sum", "retrial_wait_by_first", "end_to_end_sum", "end_to_end_transferred_sum"):
            self.counts[name] = [[0.0] * n for _ in channels]
        self.pending = [[0] * n for _ in channels]
        self.picked_up = self.counts["picked_up"]
        self.queue_joins = self.counts["queue_joins"]
        self.waited = self.counts["waited"]
        self.inv_dt = 1.0 / dt
        self.last_interval = n - 1
        # per (channel, interval): waits (seconds) and, for email (other channels: no intervals),
        # responses (seconds) of an interval still open; None once its percentiles are final (Any: the
        # hot path appends without narrowing, only to open intervals)
        self.waits: list[list[Any]] = [[[] for _ in range(n)] for _ in channels]
        self.responses: list[list[Any]] = [[[] for _ in range(n)] if self.is_email[c] else [] for c in range(self.n_channels)]
        self.closed = [0] * self.n_channels  # first interval whose percentiles are not final yet
        self.percentiles = {name: np.full((self.n_channels, n), np.nan) for name in PERCENTILE_FIELDS}
        self.wait_histogram = np.zeros((self.n_channels, WAIT_BIN_EDGES.size - 1), dtype=np.int64)
        self.response_histogram = np.zeros_like(self.wait_histogram)
        self.scheduled = np.zeros((len(model.groups), n), dtype=np.int64)
        # agents on duty after the shrinkage draw (binomial(scheduled, 1 - shrinkage)): a control variate
        self.on_duty = np.zeros((len(model.groups), n), dtype=np.int64)
        self.elastic_starts = np.zeros((len(model.groups), n), dtype=np.int64)
        self.records: list[ContactRecord] | None = [] if keep_records else None
        self.customers = itertools.count()  # customer ids (records only)
        self.agent_ids = itertools.count()  # agent ids, one per login (records only)
        self._init_campaigns(model, streams)

    # ------------------------------------------------------------------ bookkeeping helpers
    def _add_area(self, accumulator: list[float], start: float, end: float, weight: float = 1.0) -> None:
        """Add ``weight * (end - start)`` to the segments it spans (exact split at boundaries)."""
        edges = self.edges
        k = bisect.bisect_right(edges, start) - 1
        last = len(accumulator) - 1
        if k > last:
            return
        while True:
            segment_end = edges[k + 1]
            if end <= segment_end or k == last:
                accumulator[k] += weight * (min(end, segment_end) - start)
                return
            accumulator[k] += weight * (segment_end - start)
            start = segment_end
            k += 1

    def _leave_queue(self, contact: _Contact, left_at: float, answered: bool, group_name: str, handle: float,
                     agent: int = -1, outcome: str | None = None) -> None:
        """Record the queue departure of ``contact`` at ``left_at``.

        Answered, or else ``outcome`` (a count name: ``messages``, ``disconnected``), by default
        abandoned, or the channel's max-wait outcome if the deadline was the max wait."""
        c = contact.channel
        join = contact.join
        wait = left_at - join
        if not answered:
            if contact.line:
                contact.line = False
                self.lines_busy -= 1
            if self.message_items and self.messages_to[c] >= 0 and (
                    outcome == "messages" or (outcome is None and contact.limit and self.limit_outcome[c] == "messages")):
                self._message_item(contact)
        if wait > 0.0:
            edges = self.edges
            k = bisect.bisect_right(edges, join) - 1
            if left_at <= edges[k + 1]:
                self.queue_area[c][k] += wait
            else:
                self._add_area(self.queue_area[c], join, left_at)
        i = contact.interval
        if i < 0:
            return
        counts = self.counts
        counts["wait_sum_all"][c][i] += wait
        self.waits[c][i].append(wait)
        if contact.retrial:
            counts["retrial_wait_sum"][c][i] += wait
            if contact.first >= 0:
                counts["retrial_wait_by_first"][c][contact.first] += wait
        if answered:
            counts["answered"][c][i] += 1
            counts["wait_sum_answered"][c][i] += wait
            if self.is_email[c]:
                response = wait + handle
                counts["response_sum"][c][i] += response
                self.responses[c][i].append(response)
                if response <= self.target[c]:
                    counts["answered_within_target"][c][i] += 1
            elif wait <= self.target[c]:
                counts["answered_within_target"][c][i] += 1
        elif outcome is None and not contact.limit:
            counts["abandoned"][c][i] += 1
            if wait <= self.target[c]:
                counts["short_abandons"][c][i] += 1
        else:
            if outcome is None:
                outcome = self.limit_outcome[c]
                counts["max_wait_exits"][c][i] += 1
            counts[outcome][c][i] += 1
        self.pending[c][i] -= 1
        if self.records is not None:
            self.records.append(ContactRecord(
                self.replication, self.names[c], contact.arrival, contact.join,
                "answered" if answered else _RECORD_OUTCOME[outcome], wait, handle if answered else math.nan,
                group_name, contact.retrial, contact.callback, contact.customer, agent))

    def _purge(self, queue: deque, now: float) -> None:
        """Remove dead contacts (deadline passed) from the head of ``queue`` as abandoned."""
        while queue and queue[0].deadline < now:
            contact = queue[0]
            if contact.limit and self.limit_callback[contact.channel]:
                self._limit_callback(contact)
                continue
            queue.popleft()
            self._leave_queue(contact, contact.deadline, False, "", math.nan)

    def _limit_callback(self, contact: _Contact) -> None:
        """A contact reached the max wait and asked for a callback: it keeps its place and waits on
        without abandoning (virtual hold), a voice call releasing its line."""
        contact.limit = False
        contact.deadline = math.inf
        contact.callback = True
        if contact.line:
            contact.line = False
            self.lines_busy -= 1
        i = contact.interval
        if i >= 0:
            self.counts["callbacks"][contact.channel][i] += 1
            self.counts["max_wait_exits"][contact.channel][i] += 1

    def _purge_all(self, c: int, now: float) -> None:
        """Remove *every* dead contact of channel ``c``'s queue, also those behind a live one.

        Lazy abandonment only looks at the head, so a contact whose patience ran out behind a
        patient one stays in the deque; it can never be served, so removing it here (recorded as
        abandoned at its deadline) changes nothing but the counts, which must be exact at interval
        ends and at the horizon. O(queue length), once per channel and interval boundary.
        """
        queue = self.queues[c]
        self._purge(queue, now)
        if not queue or not (self.abandons[c] or self.max_wait[c] is not None):
            return
        dead = [contact for contact in queue if contact.deadline < now]
        if not dead:
            return
        alive = []
        dead = []
        callback = self.limit_callback[c]
        for contact in queue:
            if contact.deadline >= now:
                alive.append(contact)
            elif contact.limit and callback:
                self._limit_callback(contact)
                alive.append(contact)
            else:
                dead.append(contact)
        queue.clear()
        queue.extend(alive)
        dead.sort(key=lambda contact: contact.deadline)
        for contact in dead:
            self._leave_queue(contact, contact.deadline, False, "", math.nan)

    # ------------------------------------------------------------------ agents and service
    def _start(self, agent: _Agent, contact: _Contact, now: float) -> None:
        """``agent`` starts handling ``contact`` at ``now``: one completion event."""
        c = contact.channel
        contact.served = True
        handle = contact.handle
        group = agent.group
        if group.factors is not None:
            handle *= group.factors[c]
        in_hand = agent.in_hand
        if in_hand:
            handle *= 1.0 + self.stretch[c] * in_hand
        else:
            agent.busy_since = now
        agent.in_hand = in_hand + 1
        duration = handle + contact.wrap
        if self.any_transfer and self._service_end(contact, now, handle):
            pass  # transferred at the end of its talk: the transfer event carries the line on
        elif contact.line:  # the line is held to the end of the talk
            release = Timeout(self.env, handle, contact)
            release.callbacks.append(self._release_line)
            self.events += 1
        limit = self.concurrency[c]
        if limit > 1:
            agent.chat = True
            self._file(agent)
            # each chat occupies 1/concurrency of its agent (slot utilisation)
            self._add_area(self.chat_load_area[group.index], now, now + duration, 1.0 / limit)
        self._leave_queue(contact, now, True, group.name, handle, agent.ident)
        clock_interval = int(now * self.inv_dt)
        self.picked_up[c][clock_interval if clock_interval < self.last_interval else self.last_interval] += 1
        event = Timeout(self.env, duration, agent)
        event.callbacks.append(self._complete)
        self.events += 1

    @staticmethod
    def _file(agent: _Agent) -> None:
        """Put a chat holder in the bucket of its number of chats (or take it out of any bucket)."""
        bucket = agent.bucket
        if bucket is not None:
            del bucket[agent]
        if agent.chat and not agent.leaving:
            bucket = agent.group.buckets[agent.in_hand]
            bucket[agent] = None
            agent.bucket = bucket
        else:
            agent.bucket = None

    def _select(self, group: _Group, now: float) -> int:
        """The channel whose head contact a freed agent of ``group`` takes, or -1 if none may.

        A queue's head has waited longest in it (FIFO), so it is the only candidate of its queue;
        it is eligible once it has waited the group's ``after`` seconds for that channel (delayed
        overflow). ``priority`` takes the first eligible queue of the group's order;
        ``longest_waiting`` the eligible head that joined first, real-time before email when
        email waits for real-time work.
        """
        queues = self.queues
        longest = group.longest_waiting
        for tier in group.tiers:
            best, best_join = -1, math.inf
            for c, after in tier:
                queue = queues[c]
                if queue:
                    self._purge(queue, now)
                    if queue:
                        head = queue[0]
                        if after and now - head.join < after:
                            continue
                        if not longest:
                            return c
                        if head.join < best_join:
                            best, best_join = c, head.join
            if best >= 0:
                return best
        return -1

    def _take_chat(self, agent: _Agent, now: float) -> bool:
        """A chat holder takes one more waiting chat it may take (group order); True if it did."""
        queues = self.queues
        in_hand = agent.in_hand
        after = agent.group.after
        for c in agent.group.chat_order:
            if in_hand < self.concurrency[c]:
                queue = queues[c]
                if queue:
                    self._purge(queue, now)
                    if queue and after and now - queue[0].join < after.get(c, 0.0):
                        continue
                    if queue:
                        self._start(agent, queue.popleft(), now)
                        return True
        return False

    def _pull(self, agent: _Agent, now: float, fill: bool = True) -> bool:
        """A free (or partly free chat) agent takes the next contacts it may, else goes idle.

        With ``fill`` the agent takes waiting chats up to its spare capacity; without, it takes at
        most one contact and returns True if that was a chat (so it may take more in a next round).
        """
        group = agent.group
        if agent.in_hand == 0:
            if self.any_private and self.private_queues[group.index] and self._take_private(agent, now):
                return False  # a transferred contact waiting for this group goes first
            queues = self.queues
            if group.plain:
                for c in group.order:
                    queue = queues[c]
                    if queue:
                        self._purge(queue, now)
                        if queue:
                            self._start(agent, queue.popleft(), now)
                            break
                else:
                    c = -1
            else:
                c = self._select(group, now)
                if c >= 0:
                    self._start(agent, queues[c].popleft(), now)
            if c < 0:
                if group.elastic is not None:
                    self._elastic_idle(agent, now)
                else:
                    agent.idle_since = now
                    group.idle.append(agent)
                    if self.dialling:
                        self._dial_from(group, now)
                return False
            if self.concurrency[c] == 1:
                return False
            if not fill:
                return True
        # the agent holds chats: fill spare chat capacity
        while self._take_chat(agent, now):
            if not fill:
                return True
        return False

    def _complete(self, event: Timeout | _Now) -> None:
        agent = event._value
        now = self.env._now
        agent.in_hand -= 1
        if agent.in_hand:  # a chat ended, others remain
            if not agent.leaving:  # only an agent marked to leave takes no new chat
                self._file(agent)
                self._pull(agent, now)
            return
        group = agent.group
        if agent.chat:
            agent.chat = False
            self._file(agent)
            self._add_area(self.chat_busy_area[group.index], agent.busy_since, now)
        self._add_area(self.busy_area[group.index], agent.busy_since, now)
        if agent.leaving:
            agent.leaving = False
            del group.leaving[agent]
            self._change_present(group, -1, now)
            return
        if group.to_remove:
            group.to_remove -= 1
            self._change_present(group, -1, now)
            return
        self._pull(agent, now)

    def _change_present(self, group: _Group, delta: int, now: float) -> None:
        if now > group.last_change and group.present:
            self._add_area(self.present_area[group.index], group.last_change, now, group.present)
        group.last_change = now
        group.present += delta

    def _find_agent(self, c: int, groups: list[_Group] | None = None) -> _Agent | None:
        """The agent for a new contact of channel ``c`` among ``groups`` (default: those of its
        routing it is eligible for at joining).

        ``ordered``: the first group with a free agent; ``longest_idle``: the agent idle longest
        across the groups; ``random``: a group drawn with probability proportional to its idle
        agents. Within a group: the agent idle the longest; for a chat (concurrency ``L > 1``) with
        no idle agent anywhere, the agent holding the fewest chats (1, ..., ``L - 1``) of the first
        group that has one, and among those the one that has held that many the longest. O(``L``)
        per contact.
        """
        if groups is None:
            groups = self.routing_now[c]
        selection = self.agent_selection
        if selection != "ordered" and len(groups) > 1:
            free = [group for group in groups if group.idle]
            if len(free) > 1:
                if selection == "longest_idle":
                    return min(free, key=lambda group: group.idle[0].idle_since).idle.popleft()
                sizes = np.cumsum([len(group.idle) for group in free])
                pick = int(np.searchsorted(sizes, self.rng_routing.random() * sizes[-1], side="right"))
                return free[min(pick, len(free) - 1)].idle.popleft()
        limit = self.concurrency[c]
        for group in groups:
            if group.idle:
                return group.idle.popleft()
            if limit > 1:
                buckets = group.buckets
                for k in range(1, limit):
                    bucket = buckets[k]
                    if bucket:
                        return next(iter(bucket))
        return None

    def _staff(self, c: int) -> int:
        """Agents present on the routing of channel ``c`` and not due to leave."""
        return sum(g.present - g.to_remove - len(g.leaving) for g in self.routing[c])

    # ------------------------------------------------------------------ blended outbound campaigns
    def _init_campaigns(self, model: SimulationModel, streams: Streams) -> None:
        """Campaign states (``self.dialling`` is False without campaigns: the hot path skips it all)."""
        self.campaign_states: list[_Campaign] = []
        self.group_campaign: list[_Campaign | None] = [None] * len(self.groups)
        group_names = [g.name for g in model.groups]
        n = model.intervals
        for k, campaign in enumerate(model.campaigns):
            groups = [self.groups[group_names.index(name)] for name in campaign.groups]
            state = _Campaign(k, campaign, groups, streams.get("outbound", campaign.name),
                              model.campaign_records_per_interval(k), model.campaign_open_per_interval(k))
            self.campaign_states.append(state)
            for group in groups:
                self.group_campaign[group.index] = state
        self.dialling = bool(self.campaign_states)
        if self.dialling:
            self.campaign_counts: dict[str, list[list[float]]] = {name: [[0] * n for _ in self.campaign_states] for name in CAMPAIGN_FIELDS[:-1]}
            self.campaign_counts["talk_seconds"] = [[0.0] * n for _ in self.campaign_states]
            self.outbound_area = [[0.0] * (len(self.edges) - 1) for _ in self.campaign_states]

    def _campaign_clock(self):
        """Interval-boundary process of the campaigns: release records, then dial from idle agents
        (an interval may open the campaign or bring records)."""
        env = self.env
        dt = self.dt
        for i in range(self.model.intervals):
            start = i * dt
            if env._now < start:
                yield env.timeout(start - env._now)
            for state in self.campaign_states:
                if state.records_per_interval is not None:
                    state.records += int(state.records_per_interval[i])
                for group in state.groups:  # (the window is read from the clock by _dial_from)
                    self._dial_from(group, env._now)

    def _dial_from(self, group: _Group, now: float) -> None:
        """Start outbound attempts from the idle agents of ``group``'s campaign while more than
        ``reserve`` of the campaign's agents are idle (the agent idle the shortest dials first)."""
        state = self.group_campaign[group.index]
        if state is None or now >= self.horizon or not state.open_per_interval[int(now * self.inv_dt)]:
            return
        groups = state.groups
        reserve = state.reserve
        while state.records > 0:
            idle = 0
            for member in groups:
                idle += len(member.idle)
            if idle <= reserve:
                return
            source = group if group.idle else next(member for member in groups if member.idle)
            self._dial(state, source.idle.pop(), now)

    def _dial(self, state: _Campaign, agent: _Agent, now: float) -> None:
        """``agent`` starts one outbound attempt of campaign ``state`` at ``now``: one event
        (``power`` dialling: :meth:`_dial_lines`)."""
        agent.in_hand = 1
        agent.busy_since = now
        interval = -1
        if now >= self.warmup:
            clock_interval = int(now * self.inv_dt)
            interval = clock_interval if clock_interval < self.last_interval else self.last_interval
        if state.lines > 1:
            self._dial_lines(state, agent, now, interval)
            return
        state.records -= 1
        connected, dial, talk = state.draw()
        duration = state.setup + dial + (talk + state.wrap if connected else 0.0)
        if interval >= 0:
            counts = self.campaign_counts
            counts["dials"][state.index][interval] += 1
            if connected:
                counts["connects"][state.index][interval] += 1
        event = Timeout(self.env, duration, _Attempt(agent, state, interval, connected, talk if connected else 0.0, now))
        event.callbacks.append(self._attempt_done)
        self.events += 1

    def _dial_lines(self, state: _Campaign, agent: _Agent, now: float, interval: int) -> None:
        """Power dialling: ``agent`` starts up to ``lines_per_agent`` attempts at once (one event
        per line, at the end of its dial time) and waits for the first to connect."""
        lines = int(min(state.lines, state.records))
        state.records -= lines
        batch = _Batch(agent, state, interval, lines, now)
        counts = self.campaign_counts
        for _ in range(lines):
            connected, dial, talk = state.draw()
            if interval >= 0:
                counts["dials"][state.index][interval] += 1
                if connected:
                    counts["connects"][state.index][interval] += 1
            event = Timeout(self.env, dial, _Line(batch, connected, talk))
            event.callbacks.append(self._line_done)
        self.events += lines

    def _line_done(self, event: Timeout) -> None:
        """A power-dialled line ends: its agent talks to the first customer reached; a later one goes
        to another idle agent of the campaign if more than ``reserve`` are idle, else is dropped."""
        line = event._value
        batch = line.batch
        state = batch.campaign
        now = self.env._now
        batch.pending -= 1
        i = batch.interval
        if line.connected:
            talker = None
            if not batch.talking:
                batch.talking = True
                talker, start = batch.agent, batch.start
            elif now < self.horizon:
                idle = 0
                for member in state.groups:
                    idle += len(member.idle)
                if idle > state.reserve:
                    source = next(member for member in state.groups if member.idle)
                    talker, start = source.idle.pop(), now
                    talker.in_hand = 1
                    talker.busy_since = now
            if talker is not None:
                talk = Timeout(self.env, line.talk + state.wrap, _Attempt(talker, state, i, True, line.talk, start))
                talk.callbacks.append(self._attempt_done)
                self.events += 1
            elif i >= 0:
                self.campaign_counts["dropped"][state.index][i] += 1
        elif i >= 0:
            self.campaign_counts["unreached"][state.index][i] += 1
        if batch.pending == 0 and not batch.talking:  # every line failed: the agent is free
            self._add_area(self.outbound_area[state.index], batch.start, now)
            self._complete(_Now(batch.agent))

    def _attempt_done(self, event: Timeout) -> None:
        """An outbound attempt ends: account for it, then free the agent as after a contact."""
        attempt = event._value
        now = self.env._now
        k = attempt.campaign.index
        self._add_area(self.outbound_area[k], attempt.start, now)
        i = attempt.interval
        if i >= 0:
            counts = self.campaign_counts
            if attempt.connected:
                counts["completed"][k][i] += 1
                counts["talk_seconds"][k][i] += attempt.talk
            else:
                counts["unreached"][k][i] += 1
        self._complete(_Now(attempt.agent))

    def _close_campaigns(self, horizon: float) -> None:
        """At the horizon: busy and outbound time of attempts still running, counted in progress
        (a power-dialled line still ringing counts as an attempt in progress; its agent's time is
        added once, unless the agent already talks to a customer of the batch)."""
        for _time, _, _, event in self.env._queue:
            attempt = event._value
            if isinstance(attempt, _Line):
                batch = attempt.batch
                if batch.interval >= 0:
                    self.campaign_counts["in_progress_end"][batch.campaign.index][batch.interval] += 1
                if not batch.talking and batch.agent.busy_since < horizon:
                    agent = batch.agent
                    self._add_area(self.busy_area[agent.group.index], agent.busy_since, horizon)
                    self._add_area(self.outbound_area[batch.campaign.index], batch.start, horizon)
                    agent.busy_since = horizon
            elif isinstance(attempt, _Attempt) and attempt.start < horizon:
                agent = attempt.agent
                self._add_area(self.busy_area[agent.group.index], agent.busy_since, horizon)
                self._add_area(self.outbound_area[attempt.campaign.index], attempt.start, horizon)
                agent.busy_since = horizon
                if attempt.interval >= 0:
                    self.campaign_counts["in_progress_end"][attempt.campaign.index][attempt.interval] += 1

    def _campaign_output(self, by_interval, real: int) -> dict[str, np.ndarray]:
        """Campaign counts (campaigns x intervals) and outbound agent-seconds per interval."""
        output = {name: np.asarray(values) for name, values in self.campaign_counts.items()}
        area = np.asarray(self.outbound_area, dtype=float)[:, :real]
        output["outbound_area"] = by_interval(area)
        output["outbound_area_counted"] = area @ np.asarray(self.segment_counted, dtype=float)
        return output

    # ------------------------------------------------------------------ elastic (burst) agents
    def _maybe_burst(self, group: _Group, c: int, waiting: int, now: float) -> None:
        """Request a burst agent when channel ``c``'s trigger exceeds the group's threshold.

        Agents already starting up count as capacity on its way: the expected wait is computed
        with them, and each pending agent covers ``threshold`` waiting contacts for the
        queue-length trigger, so one long queue does not request the whole cap at once.
        """
        policy = group.elastic
        if group.present + group.requested >= policy.max_agents:
            return
        if policy.trigger == "queue_length":
            fire = waiting > policy.threshold * (1 + group.requested)
        else:
            staff = self._staff(c) + group.requested
            fire = staff <= 0 or waiting * self.aht[c] / staff > policy.threshold
        if not fire:
            return
        group.requested += 1
        event = Timeout(self.env, policy.startup_lag_seconds, group)
        event.callbacks.append(self._elastic_login)
        self.events += 1

    def _elastic_login(self, event: Timeout) -> None:
        group = event._value
        now = self.env._now
        group.requested -= 1
        interval = min(int(now * self.inv_dt), self.last_interval)
        self.elastic_starts[group.index, interval] += 1
        self._change_present(group, +1, now)
        self._pull(_Agent(group, session_start=now, ident=next(self.agent_ids)), now)

    def _elastic_idle(self, agent: _Agent, now: float) -> None:
        """An idle burst agent logs off once its minimum session is over."""
        group = agent.group
        session_end = agent.session_start + group.elastic.min_session_seconds
        if now >= session_end:
            self._change_present(group, -1, now)
            return
        agent.idle_since = now
        group.idle.append(agent)
        event = Timeout(self.env, session_end - now, agent)
        event.callbacks.append(self._elastic_session_end)
        self.events += 1

    def _elastic_session_end(self, event: Timeout) -> None:
        agent = event._value
        group = agent.group
        if agent.in_hand == 0 and agent in group.idle:
            group.idle.remove(agent)
            self._change_present(group, -1, self.env._now)

    # ------------------------------------------------------------------ contacts
    def _join(self, event: Timeout | _Now) -> None:
        """A contact reaches the agent queue of its channel (``event._value``, at the current time)."""
        contact = event._value
        now = self.env._now
        c = contact.channel
        contact.join = now
        patience = contact.deadline
        contact.deadline = now + patience
        clock_interval = int(now * self.inv_dt)
        self.queue_joins[c][clock_interval if clock_interval < self.last_interval else self.last_interval] += 1
        queue = self.queues[c]
        if queue:
            self._purge(queue, now)
        if not queue:
            agent = self._find_agent(c)
            if agent is not None:
                self._start(agent, contact, now)
                return
        if self.closed_now[c]:
            self._leave_queue(contact, now, False, "", math.nan, outcome=self.closed_rule[c])
            return
        max_wait = self.max_wait[c]
        if max_wait is not None and max_wait <= patience:
            contact.deadline = now + max_wait
            contact.limit = True
        capacity = self.capacity[c]
        if capacity is not None and len(queue) >= capacity:
            self._purge_all(c, now)
            if len(queue) >= capacity:
                self._block(contact, now)
                return
        threshold = self.callback_threshold[c]
        if threshold is not None:
            staff = self._staff(c)
            expected = (len(queue) + 1) * self.aht[c] / staff if staff > 0 else math.inf
            if expected > threshold:
                contact.callback = True
                contact.deadline = math.inf
                contact.limit = False
                if contact.interval >= 0:
                    self.counts["callbacks"][c][contact.interval] += 1
        queue.append(contact)
        if contact.interval >= 0:
            self.waited[c][contact.interval] += 1
        if self.has_elastic[c]:
            for group in self.routing[c]:
                if group.elastic is not None:
                    self._maybe_burst(group, c, len(queue), now)
        overflow = self.overflow[c]
        if overflow:
            for after, groups in overflow:
                if contact.deadline < now + after or now + after >= self.end_limit:
                    break
                event = Timeout(self.env, after, (contact, groups))
                event.callbacks.append(self._overflow)
                self.events += 1
        if contact.retry and contact.deadline < math.inf and not contact.limit:
            self._schedule_retry(contact, contact.deadline - now)
        if contact.limit and self.message_timer[c]:
            event = Timeout(self.env, contact.deadline - now, contact)
            event.callbacks.append(self._max_wait_message)
            self.events += 1

    def _overflow(self, event: Timeout) -> None:
        """A waiting contact has waited long enough for the next groups of its routing."""
        contact, groups = event._value
        now = self.env._now
        if contact.served or contact.deadline < now:
            return
        agent = self._find_agent(contact.channel, groups)
        if agent is not None:
            self.queues[contact.channel].remove(contact)
            self._start(agent, contact, now)

    def _schedule_retry(self, contact: _Contact, after: float) -> None:
        """Schedule the next attempt of ``contact``, ``after`` seconds plus the retrial delay from now."""
        c = contact.channel
        rng = self.streams.get("retrial_events", self.names[c])
        delay = float(self.retrial_delay[c].sample(rng, 1)[0])
        event = Timeout(self.env, after + delay, contact)
        event.callbacks.append(self._retry)
        self.events += 1

    def _block(self, contact: _Contact, now: float, late: bool = False) -> None:
        """``contact`` finds the queue full or every line busy: blocked (may retry).

        ``late``: a line contact that would have reached the queue only after the horizon (it was
        counted as in the system at the end when its interval was drawn)."""
        c = contact.channel
        i = contact.interval
        if contact.line:
            contact.line = False
            self.lines_busy -= 1
        if i >= 0:
            counts = self.counts
            counts["blocked"][c][i] += 1
            if getattr(contact, "bot_only", False):
                counts["deflected_bot"][c][i] -= 1
            elif late:
                counts["in_system_end"][c][i] -= 1
            else:
                counts["offered_to_agents"][c][i] -= 1
                self.pending[c][i] -= 1
            if self.records is not None:
                self.records.append(ContactRecord(self.replication, self.names[c], contact.arrival, math.nan, "blocked",
                                                  math.nan, math.nan, "", contact.retrial, False, contact.customer))
        if contact.retry and self.retrial_model[c] is not None:
            self._schedule_retry(contact, 0.0)

    def _arrive_line(self, event: Timeout) -> None:
        """A voice contact arrives and needs a trunk line (only with ``trunks``)."""
        contact = event._value
        now = self.env._now
        if self.lines_busy >= self.trunks:
            for c in self.line_channels:  # lines of contacts who abandoned unnoticed
                if self.queues[c]:
                    self._purge_all(c, now)
            for queue in self.private_queues:  # (also in groups' transfer queues)
                if queue:
                    self._purge_private(queue, now)
        join_at = contact.join
        if self.lines_busy >= self.trunks:
            contact.join = now
            contact.deadline = now + contact.deadline
            self._block(contact, now, late=join_at >= self.end_limit)
            return
        self.lines_busy += 1
        contact.line = True
        if contact.bot_only or join_at >= self.end_limit:
            if contact.bot_only:
                release = Timeout(self.env, join_at - now, contact)
                release.callbacks.append(self._release_line)
                self.events += 1
            self._record_line_contact(contact)
            return
        if join_at > now:
            later = Timeout(self.env, join_at - now, contact)
            later.callbacks.append(self._join)
            self.events += 1
        else:
            self._join(_Now(contact))

    def _record_line_contact(self, contact: _Contact) -> None:
        """Records of a line contact that never reaches an agent in the run (bot-resolved, or late)."""
        if self.records is None or contact.interval < 0:
            return
        outcome = "deflected_bot" if contact.bot_only else "in_system"
        self.records.append(ContactRecord(self.replication, self.names[contact.channel], contact.arrival,
                                          math.nan if contact.bot_only else contact.join, outcome, math.nan, math.nan,
                                          "", contact.retrial, False, contact.customer))

    def _release_line(self, event: Timeout) -> None:
        contact = event._value
        if contact.line:
            contact.line = False
            self.lines_busy -= 1

    def _retry(self, event: Timeout) -> None:
        """A customer who abandoned or was blocked tries again (unless served in the meantime)."""
        old = event._value
        if old.served:
            return
        now = self.env._now
        c = old.channel
        retrial = self.retrial_model[c]
        rng = self.streams.get("retrial_events", self.names[c])
        i = int(now / self.dt)
        if retrial.patience == "keep" or self.patience_dist[c] is None:
            patience = old.deadline - old.join
        else:
            patience = float(self.patience_dist[c].sample(rng, 1)[0])
            scale = self.patience_scale[c]
            if scale is not None:
                patience *= scale[min(i, self.last_interval)]
        retry_again = bool(rng.random() < retrial.probability)
        if now >= self.horizon:
            return
        interval = i if now >= self.warmup else -1
        contact = _Contact(c, interval, now, old.handle, patience, retry_again, True, old.wrap, old.customer)
        contact.first = old.first
        if self.transfer_to[c] >= 0:
            contact.transfer = getattr(old, "transfer", False)
        if interval >= 0:
            self.counts["offered"][c][i] += 1
            self.counts["offered_to_agents"][c][i] += 1
            self.counts["retrials"][c][i] += 1
            self.pending[c][i] += 1
        event = Timeout(self.env, 0.0, contact)
        if self.on_line[c]:
            contact.bot_only = False
            event.callbacks.append(self._arrive_line)
        else:
            event.callbacks.append(self._join)
        self.events += 1

    # ------------------------------------------------------------------ transfers and message items
    def _init_transfers_and_messages(self, model: SimulationModel) -> None:
        """Per-channel settings of transfers and of messages as deferred work (unused: -1 / False).

        ``any_transfer`` and ``message_items`` are the only flags the common paths test, so a model
        without these features runs the same code as before them.
        """
        channels = model.channels
        index = {c.name: k for k, c in enumerate(channels)}
        # a transfer's ``to`` is set by validation (a group transfer stays on its own channel)
        self.transfer_to = [index[str(c.transfer.to)] if c.transfer is not None else -1 for c in channels]
        self.any_transfer = any(c.transfer is not None and c.transfer.share > 0 for c in channels)
        self.messages_to = [index[c.messages_to] if c.messages_to is not None else -1 for c in channels]
        self.message_items = any(k >= 0 for k in self.messages_to)
        # a max-wait exit that leaves a message for a deferred channel is timed exactly (one event),
        # so the item arrives at the max wait, not when the lazy purge notices the exit
        self.message_timer = [c.max_wait_seconds is not None and c.on_max_wait == "message" and self.messages_to[k] >= 0
                              for k, c in enumerate(channels)]
        # transfers to a named group: its own transfer queue, taken by its agents before anything else
        group_index = {g.name: k for k, g in enumerate(model.groups)}
        self.transfer_group = [group_index[c.transfer.group] if c.transfer is not None and c.transfer.group is not None
                               else -1 for c in channels]
        self.any_private = any(k >= 0 for k in self.transfer_group)
        self.leg_draws: dict[tuple[str, int], list] = {}  # (stream, channel) -> [handles, wraps, patiences, next]
        self.private_queues: list[deque[_Contact]] = [deque() for _ in model.groups] if self.any_private else []

    def _schedule_transferring(self, c: int, i: int, acw: float, times_list, join_list, handle_list, patience_list,
                               retry_list, counted_list, wrap_list, bot_list, transfer_list):
        """Driver loop of one interval's contacts of a channel with transfers (as the plain loops of
        :meth:`_arrivals`, and each contact carries its transfer decision)."""
        env = self.env
        on_line = self.on_line[c]
        handler = self._arrive_line if on_line else self._join
        for first in range(0, len(times_list), _CHUNK):
            if first:
                wake = times_list[first]
                if wake > env._now:
                    yield env.timeout(wake - env._now)
            now = env._now
            for k in range(first, min(first + _CHUNK, len(times_list))):
                contact = _Contact(c, i if counted_list[k] else -1, times_list[k], handle_list[k], patience_list[k],
                                   retry_list[k], False, wrap_list[k] if wrap_list is not None else acw,
                                   next(self.customers))
                contact.transfer = transfer_list[k]
                if on_line:
                    contact.join = join_list[k]
                    contact.bot_only = bot_list[k]
                event = Timeout(env, (times_list[k] if on_line else join_list[k]) - now, contact)
                event.callbacks.append(handler)
        self.events += len(times_list)

    def _draw_leg(self, stream: str, target: int, interval: int) -> tuple[float, float, float]:
        """Handle time, wrap-up and patience (seconds) of a contact created in the run on channel
        ``target`` (a transferred leg or a message item), from the target's distributions scaled to
        ``interval``; drawn from ``stream`` in blocks of :data:`_LEG_BLOCK` (vectorised), used in
        event order."""
        key = (stream, target)
        block = self.leg_draws.get(key)
        if block is None or block[3] == len(block[0]):
            channel = self.model.channels[target]
            rng = self.streams.get(stream, self.names[target])
            handles = channel.handle_time.sample(rng, _LEG_BLOCK).tolist()
            wraps = (channel.after_contact_work.sample(rng, _LEG_BLOCK).tolist()
                     if channel.after_contact_work is not None else None)
            patiences = channel.patience.sample(rng, _LEG_BLOCK).tolist() if channel.patience is not None else None
            block = [handles, wraps, patiences, 0]
            self.leg_draws[key] = block
        handles, wraps, patiences, k = block
        block[3] = k + 1
        handle = handles[k]
        scale = self.handle_scale[target]
        if scale is not None:
            handle *= scale[interval]
        wrap = self.acw[target] if wraps is None else wraps[k]
        patience = math.inf
        if patiences is not None:
            patience = patiences[k]
            pscale = self.patience_scale[target]
            if pscale is not None:
                patience *= pscale[interval]
        return handle, wrap, patience

    def _new_contact_in_run(self, target: int, counted: bool, now: float, stream: str, kind: str,
                            customer: int) -> _Contact:
        """A contact created during the run on channel ``target`` (transferred leg or message item),
        counted (if ``counted``) in the target's offered, offered_to_agents and ``kind`` by the
        interval of ``now``."""
        # the interval of ``now`` (never one whose percentiles are final already: at a boundary the
        # new interval, whatever the rounding)
        clock_interval = max(min(int(now // self.dt), self.last_interval), min(self.closed[target], self.last_interval))
        handle, wrap, patience = self._draw_leg(stream, target, clock_interval)
        i = clock_interval if counted else -1
        contact = _Contact(target, i, now, handle, patience, False, False, wrap, customer)
        if i >= 0:
            counts = self.counts
            for name in ("offered", "offered_to_agents", "customers", kind):
                counts[name][target][i] += 1
            self.pending[target][i] += 1
        return contact

    def _service_end(self, contact: _Contact, now: float, handle: float) -> bool:
        """Bookkeeping at the start of a talk ending at ``now + handle`` (models with transfers).

        A contact to be transferred gets its transfer event at the end of the talk (True: the
        event carries its line on); else the customer's last service ends then: its end-to-end
        time (arrival, of the first leg for a transferred one, to that end) is added to its source
        channel and arrival interval.
        """
        origin = getattr(contact, "origin", None)
        end = now + handle
        counts = self.counts
        if origin is not None:  # the second leg of a transferred contact
            source, interval, arrival = origin
            if interval >= 0:
                counts["end_to_end_sum"][source][interval] += end - arrival
                counts["end_to_end_count"][source][interval] += 1
                counts["end_to_end_transferred_sum"][source][interval] += end - arrival
                counts["end_to_end_transferred_count"][source][interval] += 1
            return False
        if getattr(contact, "transfer", False):
            event = Timeout(self.env, handle, contact)
            event.callbacks.append(self._transfer)
            self.events += 1
            return True
        i = contact.interval
        if i >= 0:
            counts["end_to_end_sum"][contact.channel][i] += end - contact.arrival
            counts["end_to_end_count"][contact.channel][i] += 1
        return False

    def _transfer(self, event: Timeout) -> None:
        """The first talk of a transferred contact ends: it joins the target channel's queue,
        holding its line (if any) until its second talk ends."""
        old = event._value
        now = self.env._now
        c = old.channel
        leg = self._new_contact_in_run(self.transfer_to[c], old.interval >= 0, now, "transfer_legs", "transferred_in",
                                       old.customer)
        leg.origin = (c, old.interval, old.arrival)
        leg.line = old.line
        old.line = False
        if old.interval >= 0:
            self.counts["transferred"][c][old.interval] += 1
        group = self.transfer_group[c]
        if group >= 0:
            leg.private = group
            self._join_private(leg, group)
        else:
            self._join(_Now(leg))

    def _join_private(self, leg: _Contact, g: int) -> None:
        """A leg transferred to group ``g`` reaches that group's transfer queue (at the current time)."""
        now = self.env._now
        c = leg.channel
        leg.join = now
        patience = leg.deadline
        leg.deadline = now + patience
        self.queue_joins[c][min(int(now // self.dt), self.last_interval)] += 1
        queue = self.private_queues[g]
        if queue:
            self._purge(queue, now)
        if not queue:
            agent = self._find_agent(c, [self.groups[g]])
            if agent is not None:
                self._start(agent, leg, now)
                return
        if self.closed_rule[c] is not None and self._group_closed(g, now):
            self._leave_queue(leg, now, False, "", math.nan, outcome=self.closed_rule[c])
            return
        max_wait = self.max_wait[c]
        if max_wait is not None and max_wait <= patience:
            leg.deadline = now + max_wait
            leg.limit = True
        queue.append(leg)
        if leg.interval >= 0:
            self.waited[c][leg.interval] += 1
        if leg.limit and self.message_timer[c]:
            event = Timeout(self.env, leg.deadline - now, leg)
            event.callbacks.append(self._max_wait_message)
            self.events += 1

    def _group_closed(self, g: int, now: float) -> bool:
        """True if group ``g`` (not elastic) has no agent scheduled in the interval of ``now``."""
        interval = min(int(now // self.dt), self.last_interval)
        return self.model.groups[g].elastic is None and self.model.agents_per_interval(g)[interval] == 0

    def _take_private(self, agent: _Agent, now: float) -> bool:
        """A free agent takes the head of its group's transfer queue, if any; True if it did."""
        queue = self.private_queues[agent.group.index]
        self._purge(queue, now)
        if queue:
            self._start(agent, queue.popleft(), now)
            return True
        return False

    def _purge_private(self, queue: deque, now: float) -> None:
        """Remove every dead leg of a group's transfer queue (as :meth:`_purge_all` for a channel)."""
        alive, dead = [], []
        for leg in queue:
            if leg.deadline >= now:
                alive.append(leg)
            elif leg.limit and self.limit_callback[leg.channel]:
                self._limit_callback(leg)
                alive.append(leg)
            else:
                dead.append(leg)
        if dead:
            queue.clear()
            queue.extend(alive)
            dead.sort(key=lambda leg: leg.deadline)
            for leg in dead:
                self._leave_queue(leg, leg.deadline, False, "", math.nan)

    def _private_boundaries(self):
        """Process: at each interval boundary a group with no agent scheduled applies its legs'
        channel ``closed_queue`` rule to its transfer queue."""
        env = self.env
        for i in range(1, self.model.intervals):
            yield env.timeout(i * self.dt - env._now)
            now = env._now
            for g, queue in enumerate(self.private_queues):
                if queue and self._group_closed(g, now):
                    self._purge_private(queue, now)
                    staying = [leg for leg in queue if self.closed_rule[leg.channel] is None]
                    leaving = [leg for leg in queue if self.closed_rule[leg.channel] is not None]
                    queue.clear()
                    queue.extend(staying)
                    for leg in leaving:
                        self._leave_queue(leg, now, False, "", math.nan, outcome=self.closed_rule[leg.channel])

    def _end_private(self, end: float) -> None:
        """At the end: dead legs of the transfer queues abandon, the others are still in the system."""
        horizon = self.horizon
        for queue in self.private_queues:
            self._purge_private(queue, end)
            for leg in queue:
                c, i = leg.channel, leg.interval
                if leg.join < horizon:
                    self._add_area(self.queue_area[c], leg.join, horizon)
                if i >= 0:
                    self.counts["in_system_end"][c][i] += 1
                    self.pending[c][i] -= 1
                    if self.records is not None:
                        self.records.append(ContactRecord(
                            self.replication, self.names[c], leg.arrival, leg.join, "in_system", horizon - leg.join,
                            math.nan, "", False, False, leg.customer))
            queue.clear()

    def _message_item(self, contact: _Contact) -> None:
        """``contact`` leaves a message now: it becomes an item of its channel's ``messages_to``."""
        now = self.env._now
        item = self._new_contact_in_run(self.messages_to[contact.channel], contact.interval >= 0, now, "message_items",
                                        "messages_in", contact.customer)
        self.events += 1
        event = Timeout(self.env, 0.0, item)  # joins after the current handler, so no queue is mid-update
        event.callbacks.append(self._join)

    def _max_wait_message(self, event: Timeout) -> None:
        """A contact reaches its channel's max wait and leaves a message for a deferred channel
        (unless answered, turned into a callback or gone already)."""
        contact = event._value
        if contact.served or not contact.limit:
            return
        private = getattr(contact, "private", -1)
        queue = self.private_queues[private] if private >= 0 else self.queues[contact.channel]
        try:
            queue.remove(contact)
        except ValueError:  # left already (the channel closed)
            return
        self._leave_queue(contact, self.env._now, False, "", math.nan)

    # ------------------------------------------------------------------ processes
    def _arrivals(self, c: int):
        """Driver process of channel ``c``: draws each interval's arrivals and schedules joins."""
        env = self.env
        model = self.model
        channel = model.channels[c]
        name = channel.name
        streams = self.streams
        rng_arrivals = streams.get("arrivals", name)
        rng_handling = streams.get("handling", name)
        rng_patience = streams.get("patience", name)
        rng_deflection = streams.get("deflection", name)
        rng_bot = streams.get("bot", name)
        rng_retrial = streams.get("retrial", name)
        notification_share = model.notification_share_per_interval(c)
        rng_notification = streams.get("notification", name) if notification_share is not None else None
        dt = self.dt
        rates = model.arrivals_per_interval(c)
        day_factor = None
        if channel.forecast_error_cv > 0:
            shape = 1.0 / channel.forecast_error_cv**2
            day_factor = streams.get("forecast_error", name).gamma(shape, 1.0 / shape, model.days)
        busyness = self.busyness
        handle_scale = self.handle_scale[c]
        patience_scale = self.patience_scale[c]
        counts = self.counts
        join = self._join
        warmup = self.warmup
        retry_probability = channel.retrial.probability if channel.retrial is not None else 0.0
        on_line = self.on_line[c]
        acw_dist = channel.after_contact_work
        rng_acw = streams.get("after_contact", name) if acw_dist is not None else None
        acw = channel.after_contact_work_seconds
        transfer_share = channel.transfer.share if channel.transfer is not None else 0.0
        rng_transfer = streams.get("transfer", name) if channel.transfer is not None else None
        for i in range(model.intervals):
            start = i * dt
            if env._now < start:
                yield env.timeout(start - env._now)
            rate = rates[i]
            if day_factor is not None or busyness is not None:
                day = model.day_index(start)  # calendar day of the interval's start
                if day_factor is not None:
                    rate *= day_factor[day]
                if busyness is not None:
                    rate *= busyness[day]
            count = int(round(rate)) if channel.exact_arrivals else int(rng_arrivals.poisson(rate))
            if count == 0:
                continue
            times = start + np.sort(rng_arrivals.random(count)) * dt
            handle = channel.handle_time.sample(rng_handling, count)
            if handle_scale is not None:
                handle *= handle_scale[i]
            drawn_handle = handle  # before any bot factor: its expectation is count x handle_time mean
            patience = channel.patience.sample(rng_patience, count) if channel.patience is not None else np.full(count, math.inf)
            if patience_scale is not None:
                patience *= patience_scale[i]
            deflected = rng_deflection.random(count) < channel.self_service_share if channel.self_service_share > 0 else np.zeros(count, dtype=bool)
            notified = np.zeros(count, dtype=bool)
            if rng_notification is not None and notification_share is not None:  # both set or neither
                notified = rng_notification.random(count) < notification_share[i]
                deflected &= ~notified
            join_times = times
            bot_resolved = np.zeros(count, dtype=bool)
            if channel.bot is not None:
                bot_resolved = rng_bot.random(count) < channel.bot.resolved_share
                join_times = times + channel.bot.bot_time.sample(rng_bot, count)
                handle = handle * channel.bot.escalated_handle_time_factor
            retry = rng_retrial.random(count) < retry_probability if retry_probability > 0 else np.zeros(count, dtype=bool)
            wrap = acw_dist.sample(rng_acw, count) if acw_dist is not None and rng_acw is not None else None
            transfer = rng_transfer.random(count) < transfer_share if rng_transfer is not None else None
            counted = times >= warmup
            bot_resolved &= ~(deflected | notified)
            to_agents = ~(deflected | notified | bot_resolved)
            counted_total = int(counted.sum())
            if counted_total:
                counts["offered"][c][i] += counted_total
                counts["offered_work_seconds"][c][i] += float(drawn_handle[counted].sum())
                counts["deflected_self_service"][c][i] += int((deflected & counted).sum())
                counts["deflected_notification"][c][i] += int((notified & counted).sum())
                counts["deflected_bot"][c][i] += int((bot_resolved & counted).sum())
                joining = int((to_agents & counted).sum())
                counts["offered_to_agents"][c][i] += joining
                counts["customers"][c][i] += joining
                self.pending[c][i] += joining
                late = to_agents & counted & (join_times >= self.end_limit)
                counts["in_system_end"][c][i] += int(late.sum())
                self.pending[c][i] -= int(late.sum())
                if self.records is not None:
                    for r in np.flatnonzero(counted & ~to_agents & ~bot_resolved if on_line else counted & ~to_agents):
                        outcome = ("deflected_self_service" if deflected[r]
                                   else "deflected_notification" if notified[r] else "deflected_bot")
                        self.records.append(ContactRecord(self.replication, name, float(times[r]), math.nan, outcome, math.nan, math.nan, "", False, False))
                    for r in (() if on_line else np.flatnonzero(late)):
                        self.records.append(ContactRecord(self.replication, name, float(times[r]), float(join_times[r]), "in_system", math.nan, math.nan, "", False, False))
            if on_line:  # every contact reaching the IVR/bot or the queue needs a line from arrival
                keep = np.flatnonzero(to_agents | bot_resolved)
            else:
                keep = np.flatnonzero(to_agents & (join_times < self.end_limit))
            if keep.size == 0:
                continue
            times_list = times[keep].tolist()
            join_list = join_times[keep].tolist()
            handle_list = handle[keep].tolist()
            patience_list = patience[keep].tolist()
            retry_list = retry[keep].tolist()
            counted_list = counted[keep].tolist()
            wrap_list = wrap[keep].tolist() if wrap is not None else None
            bot_list: list[bool] = bot_resolved[keep].tolist() if on_line else []  # read only on a line
            if transfer is not None:  # a channel with transfers: its own loop, the others stay lean
                yield from self._schedule_transferring(c, i, acw, times_list, join_list, handle_list, patience_list,
                                                       retry_list, counted_list, wrap_list, bot_list, transfer[keep].tolist())
                continue
            for first in range(0, len(times_list), _CHUNK):
                if first:
                    wake = times_list[first]
                    if wake > env._now:
                        yield env.timeout(wake - env._now)
                now = env._now
                if on_line:
                    arrive = self._arrive_line
                    for k in range(first, min(first + _CHUNK, len(times_list))):
                        contact = _Contact(c, i if counted_list[k] else -1, times_list[k], handle_list[k], patience_list[k],
                                           retry_list[k], False, wrap_list[k] if wrap_list is not None else acw,
                                           next(self.customers))
                        contact.join = join_list[k]  # the time it will reach the queue (or leave the bot)
                        contact.bot_only = bot_list[k]
                        event = Timeout(env, times_list[k] - now, contact)
                        event.callbacks.append(arrive)
                elif wrap_list is None:
                    for k in range(first, min(first + _CHUNK, len(times_list))):
                        contact = _Contact(c, i if counted_list[k] else -1, times_list[k], handle_list[k], patience_list[k], retry_list[k], False, acw,
                                           next(self.customers))
                        event = Timeout(env, join_list[k] - now, contact)
                        event.callbacks.append(join)
                else:
                    for k in range(first, min(first + _CHUNK, len(times_list))):
                        contact = _Contact(c, i if counted_list[k] else -1, times_list[k], handle_list[k], patience_list[k], retry_list[k], False, wrap_list[k],
                                           next(self.customers))
                        event = Timeout(env, join_list[k] - now, contact)
                        event.callbacks.append(join)
            self.events += len(times_list)

    def _staffing(self):
        """Interval-boundary process: headcount (with shrinkage), backlog snapshots, percentiles."""
        env = self.env
        model = self.model
        dt = self.dt
        for i in range(model.intervals):
            start = i * dt
            if env._now < start:
                yield env.timeout(start - env._now)
            now = env._now
            if i > 0:
                self._close_interval(i - 1, now)
                if self.on_interval is not None:
                    self.on_interval(i / model.intervals)
            for g, group_model in enumerate(model.groups):
                if group_model.elastic is not None:
                    continue  # burst agents follow demand, not a schedule
                scheduled = int(model.agents_per_interval(g)[i])
                self.scheduled[g, i] = scheduled
                target = scheduled
                if group_model.shrinkage > 0 and scheduled > 0:
                    uniforms = self.streams.for_interval("shrinkage", group_model.name, i).random(scheduled)
                    target = int((uniforms >= group_model.shrinkage).sum())
                self.on_duty[g, i] = target
                self._set_headcount(self.groups[g], target, now)
            for c, rule in enumerate(self.closed_rule):
                if rule is not None:
                    closed = not self.has_elastic[c] and not any(self.scheduled[g.index, i] for g in self.routing[c])
                    self.closed_now[c] = closed
                    if closed and self.queues[c]:
                        self._clear_queue(c, now, rule)

    def _clear_queue(self, c: int, now: float, outcome: str) -> None:
        """The channel closed: every contact waiting leaves now as ``outcome`` (after the dead are
        recorded as abandoned at their deadlines)."""
        queue = self.queues[c]
        self._purge_all(c, now)
        while queue:
            self._leave_queue(queue.popleft(), now, False, "", math.nan, outcome=outcome)

    def _set_headcount(self, group: _Group, target: int, now: float) -> None:
        """Bring the group's headcount (not counting agents due to leave) to ``target`` at ``now``.

        A cut removes idle agents first (most recently idle); then it marks chat holders to leave,
        fewest chats first (they are free soonest), who take no new chat and leave when their last
        chat ends; any rest is a count of agents to remove: the next agents to become fully free
        (voice and email agents finishing their contact) leave. Only marked or counted agents stop
        taking work. A rise cancels pending removals first, then new agents log in and take
        waiting contacts in rounds of one contact each, so waiting chats are spread evenly.
        """
        effective = group.present - group.to_remove - len(group.leaving)
        if target > effective:
            extra = target - effective
            cancelled = min(extra, group.to_remove)
            group.to_remove -= cancelled
            extra -= cancelled
            while extra and group.leaving:
                agent = next(iter(group.leaving))
                del group.leaving[agent]
                agent.leaving = False
                self._file(agent)
                self._pull(agent, now)
                extra -= 1
            hungry = []
            for _ in range(extra):
                self._change_present(group, +1, now)
                agent = _Agent(group, ident=next(self.agent_ids))
                if self._pull(agent, now, fill=False):
                    hungry.append(agent)
            while hungry:
                hungry = [agent for agent in hungry if self._pull(agent, now, fill=False)]
        elif target < effective:
            surplus = effective - target
            while surplus and group.idle:
                group.idle.pop()
                self._change_present(group, -1, now)
                surplus -= 1
            buckets = group.buckets
            for k in range(1, len(buckets)):
                bucket = buckets[k]
                while surplus and bucket:
                    agent = next(iter(bucket))
                    agent.leaving = True
                    self._file(agent)
                    group.leaving[agent] = None
                    surplus -= 1
            group.to_remove += surplus

    def _close_interval(self, i: int, now: float) -> None:
        """Snapshot backlogs at the end of interval ``i`` and finalise ready percentiles."""
        for c in range(self.n_channels):
            queue = self.queues[c]
            if queue:
                self._purge_all(c, now)
            self.counts["queue_end"][c][i] = len(queue)
            self._finalise(c, i + 1)

    def _finalise(self, c: int, up_to: int, force: bool = False) -> None:
        """Compute percentiles of intervals < ``up_to`` whose contacts all left the queue."""
        pointer = self.closed[c]
        while pointer < up_to and (force or self.pending[c][pointer] == 0):
            waits = self.waits[c][pointer]
            if waits:
                values = np.asarray(waits)
                self.percentiles["p90_wait_seconds"][c, pointer] = np.percentile(values, 90)
                self.wait_histogram[c] += np.bincount(_bin_index(values), minlength=self.wait_histogram.shape[1])
            self.waits[c][pointer] = None
            if self.is_email[c]:
                responses = self.responses[c][pointer]
                if responses:
                    values = np.asarray(responses)
                    self.percentiles["p50_response_seconds"][c, pointer] = np.percentile(values, 50)
                    self.percentiles["p90_response_seconds"][c, pointer] = np.percentile(values, 90)
                    self.response_histogram[c] += np.bincount(_bin_index(values), minlength=self.response_histogram.shape[1])
                self.responses[c][pointer] = None
            pointer += 1
        self.closed[c] = pointer

    def run(self) -> ReplicationOutput:
        env = self.env
        for c in range(self.n_channels):
            env.process(self._arrivals(c))
        env.process(self._staffing())
        if self.dialling:
            env.process(self._campaign_clock())
        if self.any_private:
            env.process(self._private_boundaries())
        horizon = self.horizon
        env.run(until=horizon)
        n = self.model.intervals
        counts = self.counts
        for c in range(self.n_channels):
            self._purge_all(c, horizon)
            counts["queue_end"][c][n - 1] = len(self.queues[c])
        end = horizon
        if self.drain:  # no new arrivals: serve until the event heap is empty
            env.run()
            end = math.inf  # abandonments still due happen, at their deadlines
        # the end: abandon the dead, count the rest as still in the system
        if self.any_private:
            self._end_private(end)
        for c in range(self.n_channels):
            queue = self.queues[c]
            self._purge_all(c, end)
            email = self.is_email[c]
            for contact in queue:
                if contact.join < horizon:
                    self._add_area(self.queue_area[c], contact.join, horizon)
                i = contact.interval
                if i >= 0:
                    counts["in_system_end"][c][i] += 1
                    self.pending[c][i] -= 1
                    if email:  # open email: due (missed) or not yet due at the horizon
                        if contact.arrival + self.target[c] <= horizon:
                            counts["open_due"][c][i] += 1
                        else:
                            counts["open_not_due"][c][i] += 1
                            counts["open_not_due_age_sum"][c][i] += horizon - contact.arrival
                    if self.records is not None:
                        self.records.append(ContactRecord(
                            self.replication, self.names[c], contact.arrival, contact.join, "in_system",
                            horizon - contact.join, math.nan, "", contact.retrial, contact.callback, contact.customer))
            queue.clear()
            self._finalise(c, n, force=True)
        for group in self.groups:
            self._change_present(group, 0, max(horizon, env._now))
        if self.dialling:
            self._close_campaigns(horizon)
        for _time, _, _, event in env._queue:
            agent = event._value
            if isinstance(agent, _Agent) and agent.in_hand and agent.busy_since < horizon:
                self._add_area(self.busy_area[agent.group.index], agent.busy_since, horizon)
                if agent.chat:
                    self._add_area(self.chat_busy_area[agent.group.index], agent.busy_since, horizon)
                agent.busy_since = horizon  # count each busy agent once
        output = self._output()
        if self.on_interval is not None:
            self.on_interval(1.0)
        return output

    def _output(self) -> ReplicationOutput:
        n = self.model.intervals
        segment_interval = np.asarray(self.segment_interval)

        def by_interval(areas: np.ndarray) -> np.ndarray:
            return np.stack([np.bincount(segment_interval, weights=row, minlength=n) for row in areas]) if len(areas) else areas

        counted = np.asarray(self.segment_counted, dtype=float)
        counts = {name: np.asarray(values) for name, values in self.counts.items()}
        real = self.real_segments  # (a drained run's segment after the horizon is dropped)
        queue_area = np.asarray(self.queue_area, dtype=float)[:, :real]
        counts["queue_area"] = by_interval(queue_area)
        busy = np.asarray(self.busy_area, dtype=float)[:, :real]
        present = np.asarray(self.present_area, dtype=float)[:, :real]
        # load: a voice/email contact occupies its agent fully, a chat 1/concurrency of it
        load = busy - np.asarray(self.chat_busy_area, dtype=float)[:, :real] + np.asarray(self.chat_load_area, dtype=float)[:, :real]
        segment_lengths = np.diff(self.edges[:real + 1])
        return ReplicationOutput(
            counts=counts,
            percentiles=self.percentiles,
            groups={"scheduled_agents": self.scheduled, "on_duty_agents": self.on_duty, "busy_area": by_interval(busy), "present_area": by_interval(present),
                    "load_area": by_interval(load), "elastic_starts": self.elastic_starts},
            wait_histogram=self.wait_histogram,
            response_histogram=self.response_histogram,
            queue_area_counted=queue_area @ counted,
            busy_area_counted=busy @ counted,
            load_area_counted=load @ counted,
            present_area_counted=present @ counted,
            counted_seconds=float(segment_lengths @ counted),
            events=self.events,
            records=self.records,
            campaigns=self._campaign_output(by_interval, real) if self.dialling else None,
        )


def run_replication(model: SimulationModel, replication: int, seed: np.random.SeedSequence,
                    keep_records: bool = False, on_interval: Callable[[float], None] | None = None) -> ReplicationOutput:
    """Simulate one replication of ``model`` with the streams spawned from ``seed``.

    ``on_interval``, if given, is called with the simulated-time fraction of the horizon at each
    interval boundary (``1/n, 2/n, ...``) and with ``1.0`` when the replication is done. It is
    called from the interval-boundary process that already runs, so it adds no event per contact
    and does not change the result.
    """
    return _Replication(model, Streams(seed), replication, keep_records, on_interval).run()
