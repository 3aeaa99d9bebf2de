"""KPI tables built once, after the run, from the raw accumulators of each replication.

Definitions (per channel; counts by the interval of the contact's *arrival*, after warm-up):

* ``offered``: would-be contacts that arrived (including retrial attempts and deflected ones).
* ``deflected_self_service``, ``deflected_notification`` (answered beforehand by a proactive
  IVR/SMS notification), ``deflected_bot``: resolved without an agent.
* ``offered_to_agents`` = offered - deflected: contacts that reached the agent queue.
* ``answered`` (picked up by an agent), ``abandoned``, ``in_system_end`` (still waiting or with the
  bot at the end of the horizon; 0 with ``drain`` unless a channel has no agent in the last
  interval). Conservation: ``offered = deflected_self_service + deflected_notification +
  deflected_bot + answered + abandoned + blocked + messages + disconnected + in_system_end``.
* ``messages`` and ``disconnected``: contacts that left the queue, without abandoning, at the
  channel's ``max_wait_seconds`` (``on_max_wait`` message or disconnect) or because the channel
  closed (``closed_queue`` message or clear). ``max_wait_exits`` counts every contact that
  reached the max wait (messages, disconnections and callbacks; a callback stays in the queue,
  is counted in ``callbacks`` and ends answered).
* ``first_attempts`` = offered - ``retrials`` - ``transferred_in`` - ``messages_in`` (a
  customer's first attempt; ``retrials`` are its retries after abandoning or being blocked).
* Transfers (``ChannelModel.transfer``): ``transferred`` counts, on the source channel by the
  arrival interval of the contact, answered contacts whose first talk ended and who joined the
  target's queue. On the target a transferred contact is an ordinary contact of that channel:
  it is part of its ``offered`` and ``offered_to_agents`` (and of its answered, abandoned,
  waits, service level, ...) in the interval of the transfer, and is also counted in
  ``transferred_in``; so conservation holds on every channel as stated above.
  ``end_to_end_seconds``: per customer whose last service started, the time from the arrival of
  the answered attempt to the end of its last talk (after-contact work excluded): the end of the
  second talk for a transferred contact, of the first for the others; by the source channel and
  the arrival interval; ``end_to_end_transferred_seconds`` the same over transferred contacts only
  (a transferred contact who abandons the target queue has no end-to-end time). Both NaN in a
  model without transfers.
* Messages as deferred work (``ChannelModel.messages_to``): each message of such a channel
  becomes an item of the named email channel at the moment it is left, counted there in
  ``offered``, ``offered_to_agents`` and ``messages_in`` by the interval of that moment (if the
  message's contact was counted), so the messages of the source channels equal the target's
  ``messages_in``. Without ``messages_to`` a message is only counted.
* ``mean_total_wait_seconds``: per customer, the waits of all its attempts added up (blocked
  attempts wait 0), averaged over the customers whose first attempt arrived after the warm-up and
  was meant for the agent queue (joined it or was blocked there; by the interval of that first
  attempt). Attempts still waiting at the end add nothing (none with ``drain``). Without retrials
  it equals ``mean_wait_seconds`` when everyone left the queue.
* ``blocked``: attempts refused because the channel's queue was full (``queue_capacity``) or
  every trunk line was busy (``trunks``, voice); they are not in ``offered_to_agents``.
  ``block_rate`` = blocked / offered (each attempt counts, retrials included).
* ``waited``: contacts that found no free agent and joined the queue; ``p_wait`` = waited /
  ``offered_to_agents`` (the Erlang C probability of waiting).
* ``service_level`` (voice, chat) = answered within the target / ``offered_to_agents``: every
  contact offered to the queue is in the denominator, abandoned ones (also those who abandon
  within the target) count as missed, as in :func:`staffing.erlang_a`.
  ``service_level_excluding_short_abandons`` leaves contacts that abandoned within the target
  (``short_abandons``) out of the denominator; ``service_level_of_answered`` = answered within the
  target / answered.
* Email (deferred work) is measured against the response target (arrival to the end of handling,
  ``response_target_hours``). An item still open at the horizon whose due time (arrival + target)
  has not passed is *not* missed: ``service_level`` = answered within target / (answered + items
  that became due unanswered); open-not-due items are reported separately as ``open_not_due``
  (count at the horizon) and ``open_not_due_age_seconds`` (their mean age at the horizon, seconds).
  Per interval, items count in their arrival interval, so the last intervals' service level is
  not dragged to 0 by items that still have time. The email queue persists across intervals and
  days (closed hours included): whatever is open at an interval end waits for the next agent.
* ``asa_seconds``: mean wait of answered contacts. ``mean_wait_seconds`` and
  ``p90_wait_seconds``: over every contact that left the queue (answered, abandoned, message or
  disconnected; an abandoned contact waited its patience), so Little's law reads
  ``mean_queue_length = arrival rate x mean_wait_seconds``.
* ``abandon_rate`` = abandoned / ``offered_to_agents``.
* ``mean_queue_length``: time-average number waiting (seconds of waiting / seconds elapsed);
  for email this is the mean backlog. ``backlog_end``: contacts waiting at the interval end (by
  clock time; contacts whose patience ran out count as abandoned, never as waiting), with
  ``queue_joins`` and ``picked_up`` by clock time, so for email
  ``backlog_end[i] = backlog_end[i-1] + queue_joins[i] - picked_up[i]``.
* ``occupancy`` (groups and channels alike): the share of agent capacity in use, time-averaged:
  ``load-seconds / agent-seconds present``, where an agent holding a voice or email contact
  (after-contact work included) is fully loaded and each chat in hand loads its agent by
  ``1 / concurrency``. For a chat-only group this is slot utilisation, chats in progress /
  (agents x concurrency); for voice it is the classical busy share. Channel occupancy pools the
  groups routing the channel. ``agents_busy_share``: share of present agents holding at least one
  contact (the classical occupancy for voice; for chat it counts an agent with one chat as busy).

Outbound campaigns (``SimulationModel.campaigns``; one row per campaign, by the interval an
attempt *started* in, after warm-up):

* ``dials`` (attempts), ``connects`` (right-party contacts), ``completed`` (connected calls that
  ended), ``unreached`` (attempts that ended without contact), ``dropped`` (power dialling:
  customers reached with no agent free for them), ``attempts_in_progress_end`` (attempts still
  running at the horizon). Conservation: ``dials = completed + unreached + dropped +
  attempts_in_progress_end``; ``connects`` = ``completed`` + ``dropped`` + connected attempts
  still running.
* ``connect_rate`` = connects / dials; ``drop_rate`` = dropped / connects (the nuisance-call
  rate regulators cap); ``mean_handle_seconds``: mean talk time of the completed calls
  (after-contact work excluded).
* ``outbound_agent_hours``: agent time on outbound attempts (preview, dialling, talk, wrap-up),
  by clock time; ``outbound_share`` = that time / agent time present in the campaign's groups.
  Group ``occupancy`` and ``agents_busy_share`` count outbound work as busy; inbound KPIs keep
  their meaning.

Confidence intervals are over independent replications (:func:`confidence_interval`): the
Student-t interval ``mean +/- t(0.975, R - 1) * s / sqrt(R)`` (Law, *Simulation Modeling and
Analysis*, 5th ed., 2015, section 9.4.1), for shares on the logit scale so it stays inside [0, 1].
``ci95`` in the tables is the symmetric half-width (:func:`ci95_half_width`); ``ci95_low`` and
``ci95_high`` are the interval to report (NaN: too few replications). Horizon-level p90 and
response percentiles come from a fine histogram (0.1 s bins below 600 s, 1 % wide above).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

from .engine import WAIT_BIN_EDGES, ReplicationOutput
from .errors import ModelError
from .model import SimulationModel

__all__ = [
    "REPLICATION", "INTERVAL", "INTERVAL_START_SECONDS", "CHANNEL", "GROUP", "KPI", "MEAN", "CI95",
    "STD", "REPLICATIONS", "OFFERED", "DEFLECTED_SELF_SERVICE", "DEFLECTED_NOTIFICATION", "DEFLECTED_BOT", "OFFERED_TO_AGENTS", "ANSWERED",
    "ANSWERED_WITHIN_TARGET", "ABANDONED", "IN_SYSTEM_END", "RETRIALS", "CALLBACKS", "WAITED", "P_WAIT",
    "SERVICE_LEVEL", "ASA_SECONDS", "MEAN_WAIT_SECONDS", "P90_WAIT_SECONDS", "ABANDON_RATE",
    "MEAN_QUEUE_LENGTH", "QUEUE_JOINS", "PICKED_UP", "BACKLOG_END", "MEAN_RESPONSE_SECONDS",
    "P50_RESPONSE_SECONDS", "P90_RESPONSE_SECONDS", "OCCUPANCY", "SCHEDULED_AGENTS",
    "AVAILABLE_AGENTS", "BUSY_AGENTS", "ELASTIC_STARTS", "SUMMARY_KPIS", "ci95_half_width", "interval_table",
    "group_table", "counted_seconds_per_interval", "replication_summary", "summary_table", "SHORT_ABANDONS", "SERVICE_LEVEL_EXCLUDING_SHORT_ABANDONS",
    "SERVICE_LEVEL_OF_ANSWERED", "OPEN_NOT_DUE", "OPEN_NOT_DUE_AGE_SECONDS", "AGENTS_BUSY_SHARE", "CI95_LOW",
    "CI95_HIGH", "BLOCKED", "BLOCK_RATE", "SHARE_KPIS", "MIN_REPLICATIONS_CONSTANT_SHARE", "confidence_interval",
    "FIRST_ATTEMPT_ARRIVALS", "OFFERED_WORK_SECONDS", "ON_DUTY_AGENT_SECONDS", "interval_from_standard_error", "MIN_REPLICATIONS_INTERVAL",
    "MESSAGES", "DISCONNECTED", "MAX_WAIT_EXITS", "FIRST_ATTEMPTS", "MEAN_TOTAL_WAIT_SECONDS",
    "CAMPAIGN", "DIALS", "CONNECTS", "COMPLETED", "UNREACHED", "DROPPED", "DROP_RATE", "ATTEMPTS_IN_PROGRESS_END", "CONNECT_RATE",
    "MEAN_HANDLE_SECONDS", "OUTBOUND_AGENT_HOURS", "OUTBOUND_SHARE", "CAMPAIGN_KPIS", "campaign_table",
    "campaign_replication_summary", "campaign_summary_table",
    "TRANSFERRED", "TRANSFERRED_IN", "MESSAGES_IN", "END_TO_END_SECONDS", "END_TO_END_TRANSFERRED_SECONDS",
]

REPLICATION = "replication"
INTERVAL = "interval"
INTERVAL_START_SECONDS = "interval_start_seconds"
CHANNEL = "channel"
GROUP = "group"
KPI = "kpi"
MEAN = "mean"
CI95 = "ci95"
STD = "std"
REPLICATIONS = "replications"
OFFERED = "offered"
DEFLECTED_SELF_SERVICE = "deflected_self_service"
DEFLECTED_NOTIFICATION = "deflected_notification"
DEFLECTED_BOT = "deflected_bot"
OFFERED_TO_AGENTS = "offered_to_agents"
ANSWERED = "answered"
ANSWERED_WITHIN_TARGET = "answered_within_target"
ABANDONED = "abandoned"
IN_SYSTEM_END = "in_system_end"
RETRIALS = "retrials"
CALLBACKS = "callbacks"
WAITED = "waited"
P_WAIT = "p_wait"
SERVICE_LEVEL = "service_level"
ASA_SECONDS = "asa_seconds"
MEAN_WAIT_SECONDS = "mean_wait_seconds"
P90_WAIT_SECONDS = "p90_wait_seconds"
ABANDON_RATE = "abandon_rate"
MEAN_QUEUE_LENGTH = "mean_queue_length"
QUEUE_JOINS = "queue_joins"
PICKED_UP = "picked_up"
BACKLOG_END = "backlog_end"
MEAN_RESPONSE_SECONDS = "mean_response_seconds"
P50_RESPONSE_SECONDS = "p50_response_seconds"
P90_RESPONSE_SECONDS = "p90_response_seconds"
OCCUPANCY = "occupancy"
SCHEDULED_AGENTS = "scheduled_agents"
AVAILABLE_AGENTS = "available_agents"
BUSY_AGENTS = "busy_agents"
ELASTIC_STARTS = "elastic_starts"
SHORT_ABANDONS = "short_abandons"
SERVICE_LEVEL_EXCLUDING_SHORT_ABANDONS = "service_level_excluding_short_abandons"
SERVICE_LEVEL_OF_ANSWERED = "service_level_of_answered"
OPEN_NOT_DUE = "open_not_due"
OPEN_NOT_DUE_AGE_SECONDS = "open_not_due_age_seconds"
AGENTS_BUSY_SHARE = "agents_busy_share"
FIRST_ATTEMPT_ARRIVALS = "first_attempt_arrivals"
OFFERED_WORK_SECONDS = "offered_work_seconds"
ON_DUTY_AGENT_SECONDS = "on_duty_agent_seconds"
CI95_LOW = "ci95_low"
CI95_HIGH = "ci95_high"
BLOCKED = "blocked"
BLOCK_RATE = "block_rate"
MESSAGES = "messages"
DISCONNECTED = "disconnected"
MAX_WAIT_EXITS = "max_wait_exits"
FIRST_ATTEMPTS = "first_attempts"
MEAN_TOTAL_WAIT_SECONDS = "mean_total_wait_seconds"
CAMPAIGN = "campaign"
DIALS = "dials"
CONNECTS = "connects"
COMPLETED = "completed"
UNREACHED = "unreached"
DROPPED = "dropped"
DROP_RATE = "drop_rate"
ATTEMPTS_IN_PROGRESS_END = "attempts_in_progress_end"
CONNECT_RATE = "connect_rate"
MEAN_HANDLE_SECONDS = "mean_handle_seconds"
OUTBOUND_AGENT_HOURS = "outbound_agent_hours"
OUTBOUND_SHARE = "outbound_share"

CAMPAIGN_KPIS = (DIALS, CONNECTS, COMPLETED, UNREACHED, DROPPED, ATTEMPTS_IN_PROGRESS_END, CONNECT_RATE, DROP_RATE,
                 MEAN_HANDLE_SECONDS, OUTBOUND_AGENT_HOURS, OUTBOUND_SHARE)
"""KPIs of an outbound campaign (per interval and over the horizon), in display order."""

_CAMPAIGN_SHARES = frozenset({CONNECT_RATE, DROP_RATE, OUTBOUND_SHARE})
TRANSFERRED = "transferred"
TRANSFERRED_IN = "transferred_in"
MESSAGES_IN = "messages_in"
END_TO_END_SECONDS = "end_to_end_seconds"
END_TO_END_TRANSFERRED_SECONDS = "end_to_end_transferred_seconds"

_COUNT_COLUMNS = (OFFERED, DEFLECTED_SELF_SERVICE, DEFLECTED_NOTIFICATION, DEFLECTED_BOT, OFFERED_TO_AGENTS, ANSWERED,
                  ANSWERED_WITHIN_TARGET, ABANDONED, IN_SYSTEM_END, RETRIALS, CALLBACKS, WAITED, SHORT_ABANDONS,
                  OPEN_NOT_DUE, BLOCKED, MESSAGES, DISCONNECTED, MAX_WAIT_EXITS, TRANSFERRED, TRANSFERRED_IN, MESSAGES_IN)

SUMMARY_KPIS = (OFFERED, DEFLECTED_SELF_SERVICE, DEFLECTED_NOTIFICATION, DEFLECTED_BOT, OFFERED_TO_AGENTS, ANSWERED, ABANDONED,
                IN_SYSTEM_END, RETRIALS, CALLBACKS, WAITED, P_WAIT, SERVICE_LEVEL, SERVICE_LEVEL_EXCLUDING_SHORT_ABANDONS,
                SERVICE_LEVEL_OF_ANSWERED, ASA_SECONDS, MEAN_WAIT_SECONDS,
                P90_WAIT_SECONDS, ABANDON_RATE, MEAN_QUEUE_LENGTH, OCCUPANCY, AGENTS_BUSY_SHARE, BACKLOG_END,
                MEAN_RESPONSE_SECONDS, P50_RESPONSE_SECONDS, P90_RESPONSE_SECONDS, SHORT_ABANDONS, OPEN_NOT_DUE,
                OPEN_NOT_DUE_AGE_SECONDS, BLOCKED, BLOCK_RATE, MESSAGES, DISCONNECTED, MAX_WAIT_EXITS, FIRST_ATTEMPTS,
                MEAN_TOTAL_WAIT_SECONDS, TRANSFERRED, TRANSFERRED_IN, MESSAGES_IN, END_TO_END_SECONDS,
                END_TO_END_TRANSFERRED_SECONDS)
"""KPIs of the horizon summary, in display order."""

SHARE_KPIS = frozenset({P_WAIT, SERVICE_LEVEL, SERVICE_LEVEL_EXCLUDING_SHORT_ABANDONS, SERVICE_LEVEL_OF_ANSWERED,
                        ABANDON_RATE, OCCUPANCY, AGENTS_BUSY_SHARE, BLOCK_RATE})
"""KPIs that are shares in [0, 1]: their confidence intervals are computed on the logit scale."""

MIN_REPLICATIONS_CONSTANT_SHARE = 30
"""A share equal in every replication gets a (degenerate) interval only from this many replications on."""

MIN_REPLICATIONS_INTERVAL = 3
"""Fewest replications for a confidence interval: with 2 the t quantile is 12.7 and the interval
says nothing (a 57.6 % service level "± 107 points"), so it is reported as missing instead."""
"""A share equal in every replication gets a (degenerate) interval only from this many replications on."""


def _ratio(numerator, denominator):
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), np.nan)


@functools.lru_cache(maxsize=256)
def _t_quantile(level: float, dof: int) -> float:
    """Two-sided Student-t quantile ``t((1 + level) / 2, dof)`` (scipy imported on first use only)."""
    from scipy import stats

    return float(stats.t.ppf(0.5 + level / 2.0, dof))


def _finite(values) -> np.ndarray:
    array = np.asarray(values, dtype=float).reshape(-1)
    return array[~np.isnan(array)]


def ci95_half_width(values: npt.ArrayLike) -> float:
    """Half-width of the Student-t 95 % confidence interval of the mean of ``values``.

    ``t(0.975, R - 1) * s / sqrt(R)`` over the ``R`` non-NaN values (NaN: a KPI undefined in a
    replication); fewer than :data:`MIN_REPLICATIONS_INTERVAL` (3) values give NaN. Symmetric, so for a share it may reach outside
    [0, 1]: report :func:`confidence_interval` bounds for shares.
    """
    array = _finite(values)
    if array.size < MIN_REPLICATIONS_INTERVAL:
        return math.nan
    return float(_t_quantile(0.95, array.size - 1) * array.std(ddof=1) / math.sqrt(array.size))


def confidence_interval(values: npt.ArrayLike, *, share: bool, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and confidence interval of the mean of independent replication values.

    Parameters
    ----------
    values : array_like
        One value per replication (NaN values, a KPI undefined in a replication, are ignored).
        Shares must lie in [0, 1].
    share : bool
        True for a share (service level, abandon rate, occupancy, P(wait)): the interval is the
        Student-t interval of the mean built on the logit scale with the delta method,
        ``expit(logit(m) +/- t * s / (sqrt(R) * m * (1 - m)))``, so it stays inside (0, 1) and is
        asymmetric near 0 and 1. False: the plain Student-t interval ``m +/- t * s / sqrt(R)``.
    level : float
        Confidence level in (0, 1), default 0.95.

    Returns
    -------
    mean, low, high : float
        In the unit of ``values``. ``low`` and ``high`` are NaN ("too few replications") with fewer
        than :data:`MIN_REPLICATIONS_INTERVAL` (3) values, and for a share equal in every replication (zero spread, e.g. every
        replication met 100 %) with fewer than :data:`MIN_REPLICATIONS_CONSTANT_SHARE` values; from
        that many on such a share gets the degenerate interval ``[m, m]``.

    Raises
    ------
    ModelError
        If ``level`` is not in (0, 1) or a share lies outside [0, 1].
    """
    level = float(level)
    if not 0.0 < level < 1.0:
        raise ModelError(f"level must be > 0 and < 1, got {level!r}")
    array = _finite(values)
    if array.size == 0:
        return math.nan, math.nan, math.nan
    if share:  # shares summed from time areas may miss [0, 1] by rounding (1 + 2e-16): clip those
        tolerance = 1e-9
        if ((array < -tolerance) | (array > 1.0 + tolerance)).any():
            bad = array[(array < -tolerance) | (array > 1.0 + tolerance)]
            raise ModelError(f"values must be shares in [0, 1] when share=True, got {bad[:3].tolist()}")
        array = np.clip(array, 0.0, 1.0)
    mean = float(array.mean())
    if array.size < MIN_REPLICATIONS_INTERVAL:
        return mean, math.nan, math.nan
    sd = float(array.std(ddof=1))
    if share and (sd == 0.0 or mean <= 0.0 or mean >= 1.0):
        if array.size < MIN_REPLICATIONS_CONSTANT_SHARE:
            return mean, math.nan, math.nan
        return mean, mean, mean
    low, high = interval_from_standard_error(mean, sd / math.sqrt(array.size), array.size - 1, share=share, level=level)
    return mean, low, high


def interval_from_standard_error(estimate: float, standard_error: float, dof: int, *, share: bool,
                                 level: float = 0.95) -> tuple[float, float]:
    """The Student-t interval ``estimate +/- t((1 + level) / 2, dof) * standard_error``.

    The one construction behind :func:`confidence_interval` (standard error ``s / sqrt(R)``,
    ``R - 1`` degrees of freedom) and the control-variate estimator of :mod:`simulator.precision`
    (the regression's standard error, ``R - q - 1`` degrees of freedom).

    Parameters
    ----------
    estimate, standard_error : float
        Point estimate and its standard error (same unit).
    dof : int
        Degrees of freedom of the t quantile (>= 1).
    share : bool
        Build the interval on the logit scale (delta method) so it stays inside (0, 1); needs
        ``0 < estimate < 1`` (else NaN bounds).
    level : float
        Confidence level in (0, 1).

    Returns
    -------
    low, high : float
        NaN when ``dof < 1`` or the standard error is not finite.
    """
    if dof < 1 or not math.isfinite(standard_error) or not math.isfinite(estimate):
        return math.nan, math.nan
    half = _t_quantile(level, int(dof)) * standard_error
    if not share:
        return estimate - half, estimate + half
    if not 0.0 < estimate < 1.0:
        return math.nan, math.nan
    centre = math.log(estimate / (1.0 - estimate))
    spread = half / (estimate * (1.0 - estimate))
    return 1.0 / (1.0 + math.exp(-(centre - spread))), 1.0 / (1.0 + math.exp(-(centre + spread)))


def _first_attempts(counts):
    """Offered contacts that are a customer's first attempt: not a retry, a transferred contact or a
    message item (arrays or totals)."""
    return counts[OFFERED] - counts[RETRIALS] - counts[TRANSFERRED_IN] - counts[MESSAGES_IN]


def _customer_wait(counts) -> np.ndarray:
    """Waits of all attempts of the customers whose first attempt arrived in each interval."""
    return counts["wait_sum_all"] - counts["retrial_wait_sum"] + counts["retrial_wait_by_first"]


def _histogram_quantile(histogram: np.ndarray, q: float) -> float:
    total = histogram.sum()
    if total == 0:
        return math.nan
    cumulative = np.cumsum(histogram)
    rank = q * total
    k = int(np.searchsorted(cumulative, rank, side="left"))
    below = cumulative[k - 1] if k else 0
    fraction = (rank - below) / histogram[k] if histogram[k] else 0.0
    return float(WAIT_BIN_EDGES[k] + fraction * (WAIT_BIN_EDGES[k + 1] - WAIT_BIN_EDGES[k]))


def _routing(model: SimulationModel) -> Mapping[str, tuple[str, ...]]:
    """The model's routing, always filled in (every channel) by ``SimulationModel.__post_init__``."""
    if model.routing is None:
        raise ValueError("SimulationModel.routing is unset: the model was not validated")
    return model.routing_groups


def interval_table(model: SimulationModel, outputs: list[ReplicationOutput]) -> pd.DataFrame:
    """Tidy KPIs: one row per replication x interval x channel."""
    n_channels, n = len(model.channels), model.intervals
    frames = []
    routing = _routing(model)
    routing_groups = [[[g.name for g in model.groups].index(name) for name in routing[c.name]] for c in model.channels]
    for r, output in enumerate(outputs):
        counts = output.counts
        columns: dict[str, np.ndarray] = {
            REPLICATION: np.full(n_channels * n, r),
            INTERVAL: np.tile(np.arange(n), n_channels),
            INTERVAL_START_SECONDS: np.tile(np.arange(n) * model.interval_seconds, n_channels),
            CHANNEL: np.repeat([c.name for c in model.channels], n),
        }
        for name in _COUNT_COLUMNS:
            columns[name] = counts[name].reshape(-1).astype(np.int64)
        answered = counts[ANSWERED]
        left = answered + counts[ABANDONED] + counts[MESSAGES] + counts[DISCONNECTED]
        columns[P_WAIT] = _ratio(counts[WAITED], counts[OFFERED_TO_AGENTS]).reshape(-1)
        email_rows = np.array([c.kind == "email" for c in model.channels])[:, None]
        within = counts[ANSWERED_WITHIN_TARGET]
        base = np.where(email_rows, answered + counts["open_due"], counts[OFFERED_TO_AGENTS])
        columns[SERVICE_LEVEL] = _ratio(within, base).reshape(-1)
        columns[SERVICE_LEVEL_EXCLUDING_SHORT_ABANDONS] = _ratio(within, base - counts[SHORT_ABANDONS]).reshape(-1)
        columns[SERVICE_LEVEL_OF_ANSWERED] = _ratio(within, answered).reshape(-1)
        columns[OPEN_NOT_DUE_AGE_SECONDS] = _ratio(counts["open_not_due_age_sum"], counts[OPEN_NOT_DUE]).reshape(-1)
        columns[ASA_SECONDS] = _ratio(counts["wait_sum_answered"], answered).reshape(-1)
        columns[MEAN_WAIT_SECONDS] = _ratio(counts["wait_sum_all"], left).reshape(-1)
        columns[P90_WAIT_SECONDS] = output.percentiles[P90_WAIT_SECONDS].reshape(-1)
        columns[ABANDON_RATE] = _ratio(counts[ABANDONED], counts[OFFERED_TO_AGENTS]).reshape(-1)
        columns[BLOCK_RATE] = _ratio(counts[BLOCKED], counts[OFFERED]).reshape(-1)
        columns[FIRST_ATTEMPTS] = _first_attempts(counts).reshape(-1).astype(np.int64)
        columns[END_TO_END_SECONDS] = _ratio(counts["end_to_end_sum"], counts["end_to_end_count"]).reshape(-1)
        columns[END_TO_END_TRANSFERRED_SECONDS] = _ratio(counts["end_to_end_transferred_sum"],
                                                         counts["end_to_end_transferred_count"]).reshape(-1)
        columns[MEAN_TOTAL_WAIT_SECONDS] = _ratio(_customer_wait(counts), counts["customers"]).reshape(-1)
        columns[MEAN_QUEUE_LENGTH] = (counts["queue_area"] / model.interval_seconds).reshape(-1)
        columns[QUEUE_JOINS] = counts["queue_joins"].reshape(-1).astype(np.int64)
        columns[PICKED_UP] = counts["picked_up"].reshape(-1).astype(np.int64)
        columns[BACKLOG_END] = counts["queue_end"].reshape(-1).astype(np.int64)
        columns[MEAN_RESPONSE_SECONDS] = _ratio(counts["response_sum"], answered).reshape(-1)
        is_email = np.repeat([c.kind == "email" for c in model.channels], n)
        columns[MEAN_RESPONSE_SECONDS] = np.where(is_email, columns[MEAN_RESPONSE_SECONDS], np.nan)
        columns[P50_RESPONSE_SECONDS] = output.percentiles[P50_RESPONSE_SECONDS].reshape(-1)
        columns[P90_RESPONSE_SECONDS] = output.percentiles[P90_RESPONSE_SECONDS].reshape(-1)
        busy = output.groups["busy_area"]
        present = output.groups["present_area"]
        load = output.groups["load_area"]
        columns[OCCUPANCY] = np.concatenate([
            _ratio(load[rows].sum(axis=0), present[rows].sum(axis=0)) for rows in routing_groups
        ])
        columns[AGENTS_BUSY_SHARE] = np.concatenate([
            _ratio(busy[rows].sum(axis=0), present[rows].sum(axis=0)) for rows in routing_groups
        ])
        frames.append(pd.DataFrame(columns))
    return pd.concat(frames, ignore_index=True)


def group_table(model: SimulationModel, outputs: list[ReplicationOutput]) -> pd.DataFrame:
    """Agent groups per interval: one row per replication x interval x group.

    ``available_agents`` and ``busy_agents`` are time averages over the interval (agents present
    after shrinkage, including leaving agents finishing a contact; agents holding >= 1 contact).
    ``occupancy`` is load over presence (a chat loads its agent by 1 / concurrency, see the module
    docstring) and ``agents_busy_share`` = ``busy_agents / available_agents``.
    For an elastic (burst) group, ``available_agents x interval seconds`` is the agent-seconds
    logged in (what is billed) and ``elastic_starts`` counts burst agents logging in.
    """
    n_groups, n = len(model.groups), model.intervals
    frames = []
    for r, output in enumerate(outputs):
        busy = output.groups["busy_area"]
        present = output.groups["present_area"]
        load = output.groups["load_area"]
        frames.append(pd.DataFrame({
            REPLICATION: np.full(n_groups * n, r),
            INTERVAL: np.tile(np.arange(n), n_groups),
            INTERVAL_START_SECONDS: np.tile(np.arange(n) * model.interval_seconds, n_groups),
            GROUP: np.repeat([g.name for g in model.groups], n),
            SCHEDULED_AGENTS: output.groups["scheduled_agents"].reshape(-1),
            AVAILABLE_AGENTS: (present / model.interval_seconds).reshape(-1),
            BUSY_AGENTS: (busy / model.interval_seconds).reshape(-1),
            OCCUPANCY: _ratio(load, present).reshape(-1),
            AGENTS_BUSY_SHARE: _ratio(busy, present).reshape(-1),
            ELASTIC_STARTS: output.groups["elastic_starts"].reshape(-1),
        }))
    return pd.concat(frames, ignore_index=True)


def counted_seconds_per_interval(model: SimulationModel) -> np.ndarray:
    """Seconds of each interval after the warm-up (``interval_seconds`` or less), shape (intervals,)."""
    dt = model.interval_seconds
    starts = np.arange(model.intervals) * dt
    return np.clip(starts + dt - model.warmup_seconds, 0.0, dt)


def replication_summary(model: SimulationModel, outputs: list[ReplicationOutput]) -> pd.DataFrame:
    """Horizon KPIs after warm-up: one row per replication x channel (wide, one column per KPI)."""
    group_names = [g.name for g in model.groups]
    routing = _routing(model)
    counted_interval_seconds = counted_seconds_per_interval(model)
    rows = []
    for r, output in enumerate(outputs):
        counts = output.counts
        for c, channel in enumerate(model.channels):
            total = {name: float(counts[name][c].sum()) for name in counts}
            left = total[ANSWERED] + total[ABANDONED] + total[MESSAGES] + total[DISCONNECTED]
            members = [group_names.index(name) for name in routing[channel.name]]
            busy = float(output.busy_area_counted[members].sum())
            present = float(output.present_area_counted[members].sum())
            load = float(output.load_area_counted[members].sum())
            is_email = channel.kind == "email"
            within = total[ANSWERED_WITHIN_TARGET]
            base = total[ANSWERED] + total["open_due"] if is_email else total[OFFERED_TO_AGENTS]
            row = {
                REPLICATION: r,
                CHANNEL: channel.name,
                **{name: total[name] for name in _COUNT_COLUMNS},
                P_WAIT: float(_ratio(total[WAITED], total[OFFERED_TO_AGENTS])),
                SERVICE_LEVEL: float(_ratio(within, base)),
                SERVICE_LEVEL_EXCLUDING_SHORT_ABANDONS: float(_ratio(within, base - total[SHORT_ABANDONS])),
                SERVICE_LEVEL_OF_ANSWERED: float(_ratio(within, total[ANSWERED])),
                ASA_SECONDS: float(_ratio(total["wait_sum_answered"], total[ANSWERED])),
                MEAN_WAIT_SECONDS: float(_ratio(total["wait_sum_all"], left)),
                P90_WAIT_SECONDS: _histogram_quantile(output.wait_histogram[c], 0.9),
                ABANDON_RATE: float(_ratio(total[ABANDONED], total[OFFERED_TO_AGENTS])),
                BLOCK_RATE: float(_ratio(total[BLOCKED], total[OFFERED])),
                FIRST_ATTEMPTS: float(_first_attempts(total)),
                END_TO_END_SECONDS: float(_ratio(total["end_to_end_sum"], total["end_to_end_count"])),
                END_TO_END_TRANSFERRED_SECONDS: float(_ratio(total["end_to_end_transferred_sum"],
                                                             total["end_to_end_transferred_count"])),
                MEAN_TOTAL_WAIT_SECONDS: float(_ratio(_customer_wait(counts)[c].sum(), total["customers"])),
                MEAN_QUEUE_LENGTH: float(output.queue_area_counted[c] / output.counted_seconds),
                OCCUPANCY: float(_ratio(load, present)),
                AGENTS_BUSY_SHARE: float(_ratio(busy, present)),
                OPEN_NOT_DUE_AGE_SECONDS: float(_ratio(total["open_not_due_age_sum"], total[OPEN_NOT_DUE])),
                # control variates (simulator.precision): counted first attempts and their drawn handle time
                FIRST_ATTEMPT_ARRIVALS: float(_first_attempts(total)),
                OFFERED_WORK_SECONDS: total[OFFERED_WORK_SECONDS],
                # agents on duty after the shrinkage draw x counted seconds, over the channel's groups
                ON_DUTY_AGENT_SECONDS: float((output.groups["on_duty_agents"][members] @ counted_interval_seconds).sum()),
                BACKLOG_END: float(counts["queue_end"][c][-1]),
                MEAN_RESPONSE_SECONDS: float(_ratio(total["response_sum"], total[ANSWERED])) if is_email else math.nan,
                P50_RESPONSE_SECONDS: _histogram_quantile(output.response_histogram[c], 0.5) if is_email else math.nan,
                P90_RESPONSE_SECONDS: _histogram_quantile(output.response_histogram[c], 0.9) if is_email else math.nan,
            }
            rows.append(row)
    return pd.DataFrame(rows)


def summary_table(per_replication: pd.DataFrame) -> pd.DataFrame:
    """Mean, 95 % CI half-width, standard deviation and 95 % CI bounds over replications.

    One row per channel x KPI; columns ``channel, kpi, mean, ci95, std, replications, ci95_low,
    ci95_high``. The bounds come from :func:`confidence_interval` (logit scale for the
    :data:`SHARE_KPIS`); NaN bounds mean too few replications.
    """
    rows = []
    for channel, frame in per_replication.groupby(CHANNEL, sort=False):
        for kpi in SUMMARY_KPIS:
            finite = _finite(frame[kpi].to_numpy(dtype=float))
            mean, low, high = confidence_interval(finite, share=kpi in SHARE_KPIS)
            rows.append({
                CHANNEL: channel,
                KPI: kpi,
                MEAN: mean,
                CI95: ci95_half_width(finite),
                STD: float(finite.std(ddof=1)) if finite.size > 1 else math.nan,
                REPLICATIONS: int(finite.size),
                CI95_LOW: low,
                CI95_HIGH: high,
            })
    return pd.DataFrame(rows)


def _campaign_members(model: SimulationModel) -> list[list[int]]:
    group_names = [g.name for g in model.groups]
    return [[group_names.index(name) for name in campaign.groups] for campaign in model.campaigns]


def _campaign_columns(counts: Mapping[str, np.ndarray | float], outbound_seconds: np.ndarray | float,
                      present_seconds: np.ndarray | float) -> dict:
    """Campaign KPI columns from count arrays and agent-seconds (any matching shapes)."""
    return {
        DIALS: counts["dials"],
        CONNECTS: counts["connects"],
        COMPLETED: counts["completed"],
        UNREACHED: counts["unreached"],
        DROPPED: counts["dropped"],
        ATTEMPTS_IN_PROGRESS_END: counts["in_progress_end"],
        CONNECT_RATE: _ratio(counts["connects"], counts["dials"]),
        DROP_RATE: _ratio(counts["dropped"], counts["connects"]),
        MEAN_HANDLE_SECONDS: _ratio(counts["talk_seconds"], counts["completed"]),
        OUTBOUND_AGENT_HOURS: outbound_seconds / 3600.0,
        OUTBOUND_SHARE: _ratio(outbound_seconds, present_seconds),
    }


def campaign_table(model: SimulationModel, outputs: list[ReplicationOutput]) -> pd.DataFrame:
    """Outbound campaigns per interval: one row per replication x interval x campaign (empty without campaigns)."""
    n, n_campaigns = model.intervals, len(model.campaigns)
    columns_out = [REPLICATION, INTERVAL, INTERVAL_START_SECONDS, CAMPAIGN, *CAMPAIGN_KPIS]
    if not n_campaigns:
        return pd.DataFrame(columns=columns_out)
    members = _campaign_members(model)
    frames = []
    for r, output in enumerate(outputs):
        raw = output.campaigns
        assert raw is not None  # the engine fills it whenever the model has campaigns
        present = np.stack([output.groups["present_area"][rows].sum(axis=0) for rows in members])
        columns = _campaign_columns(raw, raw["outbound_area"], present)
        frames.append(pd.DataFrame({
            REPLICATION: np.full(n_campaigns * n, r),
            INTERVAL: np.tile(np.arange(n), n_campaigns),
            INTERVAL_START_SECONDS: np.tile(np.arange(n) * model.interval_seconds, n_campaigns),
            CAMPAIGN: np.repeat([c.name for c in model.campaigns], n),
            **{name: np.asarray(values).reshape(-1) for name, values in columns.items()},
        }))
    return pd.concat(frames, ignore_index=True)[columns_out]


def campaign_replication_summary(model: SimulationModel, outputs: list[ReplicationOutput]) -> pd.DataFrame:
    """Horizon KPIs of each campaign after warm-up: one row per replication x campaign."""
    members = _campaign_members(model)
    rows = []
    for r, output in enumerate(outputs):
        raw = output.campaigns
        if raw is None:
            continue
        for k, campaign in enumerate(model.campaigns):
            totals = {name: float(np.asarray(values)[k].sum()) for name, values in raw.items() if name != "outbound_area_counted"}
            present = float(output.present_area_counted[members[k]].sum())
            columns = _campaign_columns(totals, float(raw["outbound_area_counted"][k]), present)
            rows.append({REPLICATION: r, CAMPAIGN: campaign.name, **{name: float(value) for name, value in columns.items()}})
    return pd.DataFrame(rows, columns=[REPLICATION, CAMPAIGN, *CAMPAIGN_KPIS])


def campaign_summary_table(per_replication: pd.DataFrame) -> pd.DataFrame:
    """Mean, 95 % CI half-width and bounds over replications, one row per campaign x KPI
    (the columns of :func:`summary_table`, with ``campaign`` instead of ``channel``)."""
    rows = []
    for campaign, frame in per_replication.groupby(CAMPAIGN, sort=False):
        for kpi in CAMPAIGN_KPIS:
            finite = _finite(frame[kpi].to_numpy(dtype=float))
            mean, low, high = confidence_interval(finite, share=kpi in _CAMPAIGN_SHARES)
            rows.append({CAMPAIGN: campaign, KPI: kpi, MEAN: mean, CI95: ci95_half_width(finite),
                         STD: float(finite.std(ddof=1)) if finite.size > 1 else math.nan,
                         REPLICATIONS: int(finite.size), CI95_LOW: low, CI95_HIGH: high})
    return pd.DataFrame(rows, columns=[CAMPAIGN, KPI, MEAN, CI95, STD, REPLICATIONS, CI95_LOW, CI95_HIGH])
