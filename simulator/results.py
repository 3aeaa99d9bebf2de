"""The typed result of :func:`simulator.simulate`."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .kpis import (
    AGENTS_BUSY_SHARE,
    CHANNEL,
    CI95,
    CI95_HIGH,
    CI95_LOW,
    GROUP,
    KPI,
    MEAN,
    MIN_REPLICATIONS_CONSTANT_SHARE,
    MIN_REPLICATIONS_INTERVAL,
    OCCUPANCY,
    REPLICATION,
    REPLICATIONS,
    ci95_half_width,
    confidence_interval,
)
from .model import SimulationModel
from .precision import PrecisionReport

__all__ = ["SimulationResult", "JSON_KPIS"]

JSON_KPIS = ("offered", "deflected_self_service", "deflected_notification", "deflected_bot", "answered", "abandoned",
             "in_system_end", "p_wait", "service_level", "service_level_excluding_short_abandons",
             "service_level_of_answered", "asa_seconds", "mean_wait_seconds", "p90_wait_seconds",
             "abandon_rate", "occupancy", "agents_busy_share")
"""KPIs reported per channel by :meth:`SimulationResult.to_json_dict` (email adds backlog and response)."""

_EMAIL_JSON_KPIS = ("backlog_end", "mean_queue_length", "mean_response_seconds", "p50_response_seconds",
                    "p90_response_seconds", "open_not_due", "open_not_due_age_seconds")


def _feature_json_kpis(model: SimulationModel, channel) -> tuple[str, ...]:
    """KPIs added to a channel's JSON when the model uses transfers or messages as deferred work:
    transfer counts and end-to-end times on real-time channels of a model with transfers, message
    counts on channels sending messages, ``messages_in`` on email channels receiving them."""
    names: tuple[str, ...] = ()
    if channel.kind != "email" and any(c.transfer is not None for c in model.channels):
        names += ("transferred", "transferred_in", "end_to_end_seconds", "end_to_end_transferred_seconds")
    if channel.messages_to is not None:
        names += ("messages",)
    if any(c.messages_to == channel.name for c in model.channels):
        names += ("messages_in",)
    return names


def _no_interval_reason(replications: int) -> str:
    """Why a KPI with a mean has no 95 % interval (see :func:`simulator.kpis.confidence_interval`)."""
    if replications < MIN_REPLICATIONS_INTERVAL:
        return f"too few replications ({replications}; an interval needs {MIN_REPLICATIONS_INTERVAL})"
    return (f"same value in every replication ({replications}); an interval needs "
            f"{MIN_REPLICATIONS_CONSTANT_SHARE} replications")


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
    seed : int or tuple of int
        Root entropy of the ``numpy.random.SeedSequence`` (a tuple when the seed given was a
        ``SeedSequence`` built from a sequence of ints): ``simulate(model, R, seed)`` reproduces
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
        Mean, 95 % CI half-width and 95 % CI bounds (``ci95_low``, ``ci95_high``, inside [0, 1] for
        shares) over replications, one row per channel x KPI.
    group_summary : pandas.DataFrame
        Horizon occupancy (load share) and agents busy share per group and replication (after
        warm-up).
    records : pandas.DataFrame or None
        Per-contact records (``keep_records=True`` only), see :class:`simulator.ContactRecord`.
    events : int
        SimPy events scheduled for contacts (arrivals, services, retrials), summed over replications.
    campaigns : pandas.DataFrame or None
        Outbound campaigns per interval, one row per replication x interval x campaign
        (:data:`simulator.kpis.CAMPAIGN_KPIS`); None when the model has no campaign.
    campaign_summary : pandas.DataFrame or None
        Horizon campaign KPIs after warm-up: mean, 95 % CI per campaign x KPI (the columns of
        ``summary_table`` with ``campaign`` for ``channel``); None without campaigns.
    precision : simulator.precision.PrecisionReport or None
        The headline KPIs' estimates, intervals, half-widths reached (against the target, if the
        run had one), estimator and variance ratio of the control variates.
    """

    model: SimulationModel
    replications: int
    seed: int | tuple[int, ...]
    warmup_seconds: float
    intervals: pd.DataFrame
    groups: pd.DataFrame
    per_replication: pd.DataFrame
    summary_table: pd.DataFrame
    group_summary: pd.DataFrame
    records: pd.DataFrame | None
    events: int
    precision: PrecisionReport | None = None
    campaigns: pd.DataFrame | None = None
    campaign_summary: pd.DataFrame | None = None

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
        "channels": {name: {kpi: {"mean": x, "ci95": h}}},
        "groups": {name: {"occupancy": {...}, "agents_busy_share": {...}}},
        "confidence_intervals": {"level": 0.95, "channels": {name: {kpi: {"low": l, "high": u}}},
        "groups": {...}}, "precision": {...}}``. ``ci95`` is the half-width (the symmetric
        Student-t one; for a control-variate estimate the larger side of its interval);
        With outbound campaigns a ``"campaigns"`` key adds ``{campaign: {kpi: {"mean", "ci95",
        "low", "high"}}}`` (:data:`simulator.kpis.CAMPAIGN_KPIS`).
        ``low``/``high`` are the interval to report (logit scale for shares, so inside [0, 1], see
        :func:`simulator.kpis.confidence_interval`). Undefined values are ``null``; an interval
        that is ``null`` while the mean is not carries ``"reason"`` (too few replications, a share
        equal in every replication). ``precision`` is
        :meth:`simulator.precision.PrecisionReport.to_json_dict` (replications used, half-width
        reached per headline KPI, target met, estimator and variance ratio). A model with transfers
        adds ``transferred``, ``transferred_in`` and the end-to-end times to its voice and chat
        channels; ``messages_to`` adds ``messages`` to the sending and ``messages_in`` to the
        receiving channel.
        """
        channels: dict[str, dict] = {}
        bounds: dict[str, dict] = {}
        table = self.summary_table
        for channel in self.model.channels:
            rows = table[table[CHANNEL] == channel.name].set_index(KPI)
            names = JSON_KPIS + (_EMAIL_JSON_KPIS if channel.kind == "email" else ()) + _feature_json_kpis(self.model, channel)
            channels[channel.name] = {}
            bounds[channel.name] = {}
            for name in names:
                mean = _json_number(rows.at[name, MEAN])
                low, high = _json_number(rows.at[name, CI95_LOW]), _json_number(rows.at[name, CI95_HIGH])
                entry: dict[str, float | str | None] = {"mean": mean, "ci95": None if low is None else _json_number(rows.at[name, CI95])}
                interval: dict[str, float | str | None] = {"low": low, "high": high}
                if mean is not None and low is None:
                    entry["reason"] = interval["reason"] = _no_interval_reason(int(rows.at[name, REPLICATIONS]))
                channels[channel.name][name] = entry
                bounds[channel.name][name] = interval
        groups: dict[str, dict] = {}
        group_bounds: dict[str, dict] = {}
        for name, frame in self.group_summary.groupby(GROUP, sort=False):
            groups[name], group_bounds[name] = {}, {}
            for kpi in (OCCUPANCY, AGENTS_BUSY_SHARE):
                values = frame[kpi].to_numpy(dtype=float)
                finite = values[~np.isnan(values)]
                mean, low, high = confidence_interval(finite, share=True)
                groups[name][kpi] = {"mean": _json_number(mean),
                                     "ci95": None if math.isnan(low) else _json_number(ci95_half_width(finite))}
                group_bounds[name][kpi] = {"low": _json_number(low), "high": _json_number(high)}
                if not math.isnan(mean) and math.isnan(low):
                    groups[name][kpi]["reason"] = group_bounds[name][kpi]["reason"] = _no_interval_reason(finite.size)
        return {
            "replications": self.replications,
            "seed": self.seed,
            "warmup_seconds": self.warmup_seconds,
            "horizon_seconds": self.model.horizon_seconds,
            "channels": channels,
            "groups": groups,
            "confidence_intervals": {"level": 0.95, "channels": bounds, "groups": group_bounds},
            "precision": None if self.precision is None else self.precision.to_json_dict(),
            **({"campaigns": self._campaigns_json()} if self.campaign_summary is not None else {}),
        }

    def _campaigns_json(self) -> dict:
        """``{campaign: {kpi: {"mean": x, "ci95": h, "low": l, "high": u}}}`` (``null`` when undefined)."""
        out: dict[str, dict] = {}
        table = self.campaign_summary
        assert table is not None
        for row in table.itertuples(index=False):
            entry: dict[str, float | str | None] = {
                "mean": _json_number(row.mean), "ci95": _json_number(row.ci95),
                "low": _json_number(row.ci95_low), "high": _json_number(row.ci95_high)}
            if entry["mean"] is not None and entry["low"] is None:
                entry["ci95"] = None
                entry["reason"] = _no_interval_reason(int(row.replications))
            out.setdefault(row.campaign, {})[row.kpi] = entry
        return out
