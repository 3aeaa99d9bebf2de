"""The typed result of :func:`simulator.simulate`."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .kpis import CHANNEL, CI95, GROUP, KPI, MEAN, OCCUPANCY, REPLICATION, ci95_half_width
from .model import SimulationModel

__all__ = ["SimulationResult", "JSON_KPIS"]

JSON_KPIS = ("offered", "deflected_self_service", "deflected_notification", "deflected_bot", "answered", "abandoned",
             "in_system_end", "p_wait", "service_level", "asa_seconds", "mean_wait_seconds", "p90_wait_seconds",
             "abandon_rate", "occupancy")
"""KPIs reported per channel by :meth:`SimulationResult.to_json_dict` (email adds backlog and response)."""

_EMAIL_JSON_KPIS = ("backlog_end", "mean_queue_length", "mean_response_seconds", "p50_response_seconds",
                    "p90_response_seconds")


def _json_number(value: float) -> float | None:
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Results of ``replications`` independent replications of a :class:`SimulationModel`.

    Attributes
    ----------
    model : SimulationModel
        The simulated model (warm-up as used).
    replications : int
        Number of replications.
    seed : int
        Root entropy of the ``numpy.random.SeedSequence``: ``simulate(model, R, seed)`` reproduces
        the run exactly (with any number of workers).
    warmup_seconds : float
        Contacts arriving before this time were simulated but not counted.
    intervals : pandas.DataFrame
        Tidy KPIs, one row per replication x interval x channel (columns in :mod:`simulator.kpis`).
    groups : pandas.DataFrame
        Agent groups, one row per replication x interval x group (scheduled, available and busy
        agents, occupancy).
    per_replication : pandas.DataFrame
        Horizon KPIs after warm-up, one row per replication x channel.
    summary_table : pandas.DataFrame
        Mean and 95 % CI half-width over replications, one row per channel x KPI.
    group_summary : pandas.DataFrame
        Horizon occupancy per group and replication (after warm-up).
    records : pandas.DataFrame or None
        Per-contact records (``keep_records=True`` only), see :class:`simulator.ContactRecord`.
    events : int
        SimPy events scheduled for contacts (arrivals, services, retrials), summed over replications.
    """

    model: SimulationModel
    replications: int
    seed: int
    warmup_seconds: float
    intervals: pd.DataFrame
    groups: pd.DataFrame
    per_replication: pd.DataFrame
    summary_table: pd.DataFrame
    group_summary: pd.DataFrame
    records: pd.DataFrame | None
    events: int

    def to_frame(self) -> pd.DataFrame:
        """The tidy per replication x interval x channel table."""
        return self.intervals

    def summary(self) -> pd.DataFrame:
        """Per-channel horizon KPIs: rows channel x KPI, columns ``mean`` and ``ci95`` (and more)."""
        return self.summary_table

    def kpi(self, channel: str, kpi: str) -> tuple[float, float]:
        """``(mean, ci95)`` of one horizon KPI of one channel over the replications."""
        row = self.summary_table[(self.summary_table[CHANNEL] == channel) & (self.summary_table[KPI] == kpi)]
        if row.empty:
            raise KeyError(f"no KPI {kpi!r} for channel {channel!r}")
        return float(row[MEAN].iloc[0]), float(row[CI95].iloc[0])

    def backlog(self) -> pd.DataFrame:
        """Email backlog per replication x interval: joins, pick-ups and backlog at the interval end."""
        email = [c.name for c in self.model.channels if c.kind == "email"]
        columns = [REPLICATION, "interval", "interval_start_seconds", CHANNEL, "queue_joins", "picked_up",
                   "backlog_end", "mean_queue_length", "p50_response_seconds", "p90_response_seconds"]
        return self.intervals.loc[self.intervals[CHANNEL].isin(email), columns].reset_index(drop=True)

    def to_json_dict(self) -> dict:
        """The ``ccplan simulate --json`` object.

        ``{"replications": R, "seed": S, "warmup_seconds": W, "horizon_seconds": T,
        "channels": {name: {kpi: {"mean": x, "ci95": h}}}, "groups": {name: {"occupancy": ...}}}``;
        undefined values (a KPI with no contacts, a CI with one replication) are ``null``.
        """
        channels: dict[str, dict] = {}
        table = self.summary_table
        for channel in self.model.channels:
            rows = table[table[CHANNEL] == channel.name].set_index(KPI)
            names = JSON_KPIS + (_EMAIL_JSON_KPIS if channel.kind == "email" else ())
            channels[channel.name] = {
                name: {"mean": _json_number(rows.at[name, MEAN]), "ci95": _json_number(rows.at[name, CI95])}
                for name in names
            }
        groups = {}
        for name, frame in self.group_summary.groupby(GROUP, sort=False):
            values = frame[OCCUPANCY].to_numpy(dtype=float)
            finite = values[~np.isnan(values)]
            groups[name] = {OCCUPANCY: {"mean": _json_number(finite.mean()) if finite.size else None,
                                        "ci95": _json_number(ci95_half_width(finite))}}
        return {
            "replications": self.replications,
            "seed": self.seed,
            "warmup_seconds": self.warmup_seconds,
            "horizon_seconds": self.model.horizon_seconds,
            "channels": channels,
            "groups": groups,
        }
