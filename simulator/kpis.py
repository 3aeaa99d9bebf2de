"""KPI tables built once, after the run, from the raw accumulators of each replication.

Definitions (per channel; counts by the interval of the contact's *arrival*, after warm-up):

* ``offered``: would-be contacts that arrived (including retrial attempts and deflected ones).
* ``deflected_self_service``, ``deflected_notification`` (answered beforehand by a proactive
  IVR/SMS notification), ``deflected_bot``: resolved without an agent.
* ``offered_to_agents`` = offered - deflected: contacts that reached the agent queue.
* ``answered`` (picked up by an agent), ``abandoned``, ``in_system_end`` (still waiting or with the
  bot at the end of the horizon). Conservation: ``offered = deflected_self_service +
  deflected_notification + deflected_bot + answered + abandoned + in_system_end``.
* ``waited``: contacts that found no free agent and joined the queue; ``p_wait`` = waited /
  ``offered_to_agents`` (the Erlang C probability of waiting).
* ``service_level`` = answered within the target / ``offered_to_agents`` (abandoned contacts
  count as missed, as in :func:`staffing.erlang_a`). For email the target is the response target
  (arrival to the end of handling, ``response_target_hours``).
* ``asa_seconds``: mean wait of answered contacts. ``mean_wait_seconds`` and
  ``p90_wait_seconds``: over every contact that left the queue (answered or abandoned; an
  abandoned contact waited its patience), so Little's law reads
  ``mean_queue_length = arrival rate x mean_wait_seconds``.
* ``abandon_rate`` = abandoned / ``offered_to_agents``.
* ``mean_queue_length``: time-average number waiting (seconds of waiting / seconds elapsed);
  for email this is the mean backlog. ``backlog_end``: contacts waiting at the interval end (by
  clock time), with ``queue_joins`` and ``picked_up`` by clock time, so
  ``backlog_end[i] = backlog_end[i-1] + queue_joins[i] - picked_up[i] - abandoned by clock``.
* ``occupancy``: agent-seconds busy (holding at least one contact, after-contact work included) /
  agent-seconds present, pooled over the groups routing the channel; per group in the group table.

Confidence intervals are over independent replications: the half-width of the Student-t 95 %
interval, ``t(0.975, R - 1) * s / sqrt(R)`` (Law, *Simulation Modeling and Analysis*, 5th ed.,
2015, section 9.4.1). Horizon-level p90 and response percentiles come from a fine histogram
(0.1 s bins below 600 s, 1 % wide above).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from .engine import WAIT_BIN_EDGES, ReplicationOutput
from .model import SimulationModel

__all__ = [
    "REPLICATION", "INTERVAL", "INTERVAL_START_SECONDS", "CHANNEL", "GROUP", "KPI", "MEAN", "CI95",
    "STD", "REPLICATIONS", "OFFERED", "DEFLECTED_SELF_SERVICE", "DEFLECTED_NOTIFICATION", "DEFLECTED_BOT", "OFFERED_TO_AGENTS", "ANSWERED",
    "ANSWERED_WITHIN_TARGET", "ABANDONED", "IN_SYSTEM_END", "RETRIALS", "CALLBACKS", "WAITED", "P_WAIT",
    "SERVICE_LEVEL", "ASA_SECONDS", "MEAN_WAIT_SECONDS", "P90_WAIT_SECONDS", "ABANDON_RATE",
    "MEAN_QUEUE_LENGTH", "QUEUE_JOINS", "PICKED_UP", "BACKLOG_END", "MEAN_RESPONSE_SECONDS",
    "P50_RESPONSE_SECONDS", "P90_RESPONSE_SECONDS", "OCCUPANCY", "SCHEDULED_AGENTS",
    "AVAILABLE_AGENTS", "BUSY_AGENTS", "ELASTIC_STARTS", "SUMMARY_KPIS", "ci95_half_width", "interval_table",
    "group_table", "replication_summary", "summary_table",
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

_COUNT_COLUMNS = (OFFERED, DEFLECTED_SELF_SERVICE, DEFLECTED_NOTIFICATION, DEFLECTED_BOT, OFFERED_TO_AGENTS, ANSWERED,
                  ANSWERED_WITHIN_TARGET, ABANDONED, IN_SYSTEM_END, RETRIALS, CALLBACKS, WAITED)

SUMMARY_KPIS = (OFFERED, DEFLECTED_SELF_SERVICE, DEFLECTED_NOTIFICATION, DEFLECTED_BOT, OFFERED_TO_AGENTS, ANSWERED, ABANDONED,
                IN_SYSTEM_END, RETRIALS, CALLBACKS, WAITED, P_WAIT, SERVICE_LEVEL, ASA_SECONDS, MEAN_WAIT_SECONDS,
                P90_WAIT_SECONDS, ABANDON_RATE, MEAN_QUEUE_LENGTH, OCCUPANCY, BACKLOG_END,
                MEAN_RESPONSE_SECONDS, P50_RESPONSE_SECONDS, P90_RESPONSE_SECONDS)
"""KPIs of the horizon summary, in display order."""


def _ratio(numerator, denominator):
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), np.nan)


def ci95_half_width(values) -> float:
    """Half-width of the Student-t 95 % confidence interval of the mean of ``values``.

    NaN values (a KPI undefined in a replication) are ignored; fewer than two values give NaN.
    """
    array = np.asarray(values, dtype=float)
    array = array[~np.isnan(array)]
    if array.size < 2:
        return math.nan
    return float(stats.t.ppf(0.975, array.size - 1) * array.std(ddof=1) / math.sqrt(array.size))


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


def interval_table(model: SimulationModel, outputs: list[ReplicationOutput]) -> pd.DataFrame:
    """Tidy KPIs: one row per replication x interval x channel."""
    n_channels, n = len(model.channels), model.intervals
    frames = []
    routing_groups = [[[g.name for g in model.groups].index(name) for name in model.routing[c.name]] for c in model.channels]
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
        left = answered + counts[ABANDONED]
        columns[P_WAIT] = _ratio(counts[WAITED], counts[OFFERED_TO_AGENTS]).reshape(-1)
        columns[SERVICE_LEVEL] = _ratio(counts[ANSWERED_WITHIN_TARGET], counts[OFFERED_TO_AGENTS]).reshape(-1)
        columns[ASA_SECONDS] = _ratio(counts["wait_sum_answered"], answered).reshape(-1)
        columns[MEAN_WAIT_SECONDS] = _ratio(counts["wait_sum_all"], left).reshape(-1)
        columns[P90_WAIT_SECONDS] = output.percentiles[P90_WAIT_SECONDS].reshape(-1)
        columns[ABANDON_RATE] = _ratio(counts[ABANDONED], counts[OFFERED_TO_AGENTS]).reshape(-1)
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
        columns[OCCUPANCY] = np.concatenate([
            _ratio(busy[rows].sum(axis=0), present[rows].sum(axis=0)) for rows in routing_groups
        ])
        frames.append(pd.DataFrame(columns))
    return pd.concat(frames, ignore_index=True)


def group_table(model: SimulationModel, outputs: list[ReplicationOutput]) -> pd.DataFrame:
    """Agent groups per interval: one row per replication x interval x group.

    ``available_agents`` and ``busy_agents`` are time averages over the interval (agents present
    after shrinkage, including leaving agents finishing a contact; agents holding >= 1 contact).
    For an elastic (burst) group, ``available_agents x interval seconds`` is the agent-seconds
    logged in (what is billed) and ``elastic_starts`` counts burst agents logging in.
    """
    n_groups, n = len(model.groups), model.intervals
    frames = []
    for r, output in enumerate(outputs):
        busy = output.groups["busy_area"]
        present = output.groups["present_area"]
        frames.append(pd.DataFrame({
            REPLICATION: np.full(n_groups * n, r),
            INTERVAL: np.tile(np.arange(n), n_groups),
            INTERVAL_START_SECONDS: np.tile(np.arange(n) * model.interval_seconds, n_groups),
            GROUP: np.repeat([g.name for g in model.groups], n),
            SCHEDULED_AGENTS: output.groups["scheduled_agents"].reshape(-1),
            AVAILABLE_AGENTS: (present / model.interval_seconds).reshape(-1),
            BUSY_AGENTS: (busy / model.interval_seconds).reshape(-1),
            OCCUPANCY: _ratio(busy, present).reshape(-1),
            ELASTIC_STARTS: output.groups["elastic_starts"].reshape(-1),
        }))
    return pd.concat(frames, ignore_index=True)


def replication_summary(model: SimulationModel, outputs: list[ReplicationOutput]) -> pd.DataFrame:
    """Horizon KPIs after warm-up: one row per replication x channel (wide, one column per KPI)."""
    group_names = [g.name for g in model.groups]
    rows = []
    for r, output in enumerate(outputs):
        counts = output.counts
        for c, channel in enumerate(model.channels):
            total = {name: float(counts[name][c].sum()) for name in counts}
            left = total[ANSWERED] + total[ABANDONED]
            members = [group_names.index(name) for name in model.routing[channel.name]]
            busy = float(output.busy_area_counted[members].sum())
            present = float(output.present_area_counted[members].sum())
            is_email = channel.kind == "email"
            row = {
                REPLICATION: r,
                CHANNEL: channel.name,
                **{name: total[name] for name in _COUNT_COLUMNS},
                P_WAIT: float(_ratio(total[WAITED], total[OFFERED_TO_AGENTS])),
                SERVICE_LEVEL: float(_ratio(total[ANSWERED_WITHIN_TARGET], total[OFFERED_TO_AGENTS])),
                ASA_SECONDS: float(_ratio(total["wait_sum_answered"], total[ANSWERED])),
                MEAN_WAIT_SECONDS: float(_ratio(total["wait_sum_all"], left)),
                P90_WAIT_SECONDS: _histogram_quantile(output.wait_histogram[c], 0.9),
                ABANDON_RATE: float(_ratio(total[ABANDONED], total[OFFERED_TO_AGENTS])),
                MEAN_QUEUE_LENGTH: float(output.queue_area_counted[c] / output.counted_seconds),
                OCCUPANCY: float(_ratio(busy, present)),
                BACKLOG_END: float(counts["queue_end"][c][-1]),
                MEAN_RESPONSE_SECONDS: float(_ratio(total["response_sum"], total[ANSWERED])) if is_email else math.nan,
                P50_RESPONSE_SECONDS: _histogram_quantile(output.response_histogram[c], 0.5) if is_email else math.nan,
                P90_RESPONSE_SECONDS: _histogram_quantile(output.response_histogram[c], 0.9) if is_email else math.nan,
            }
            rows.append(row)
    return pd.DataFrame(rows)


def summary_table(per_replication: pd.DataFrame) -> pd.DataFrame:
    """Mean, standard deviation and 95 % CI half-width over replications: one row per channel x KPI."""
    rows = []
    for channel, frame in per_replication.groupby(CHANNEL, sort=False):
        for kpi in SUMMARY_KPIS:
            values = frame[kpi].to_numpy(dtype=float)
            finite = values[~np.isnan(values)]
            rows.append({
                CHANNEL: channel,
                KPI: kpi,
                MEAN: float(finite.mean()) if finite.size else math.nan,
                CI95: ci95_half_width(finite),
                STD: float(finite.std(ddof=1)) if finite.size > 1 else math.nan,
                REPLICATIONS: int(finite.size),
            })
    return pd.DataFrame(rows)
