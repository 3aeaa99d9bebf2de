"""Backtest: simulate each day of a contact log with its observed arrivals and staffing, compare.

Each day is compiled from the calibrated (or given) scenario with that day's first-attempt
arrivals per interval replayed exactly (:attr:`simulator.ChannelModel.exact_arrivals`: the
observed count at uniform times within the interval) and that day's agents on duty, plus
:data:`DRAIN_INTERVALS` closing intervals without arrivals so every contact leaves the queue. The
simulated contacts are written in the log format (:func:`records_to_log`) and measured by the same
function as the observed log (:func:`log_kpis`), so observed and simulated mean the same thing.

The 95 % prediction interval of a KPI in an interval is the 2.5-97.5 % quantile range of its
values over the replications; an observation is *inside* when within it (bounds included).
Summary per KPI: mean absolute error and bias of the replications' mean against the observation,
and the share of observations inside their prediction interval (coverage).
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scenarios.bridge.compile import compile_scenario
from scenarios.document.scenario import Scenario
from scenarios.errors import ScenarioError
from scenarios.studies.calibrate import Calibration, scenario_data
from simulator import SimulationModel, simulate

__all__ = ["BACKTEST_KPIS", "DRAIN_INTERVALS", "Backtest", "records_to_log", "log_kpis", "run_backtest",
           "daily_abandonment_error"]

BACKTEST_KPIS = ("offered", "answered", "abandoned", "abandon_rate", "service_level", "asa_seconds", "occupancy")
"""KPIs compared per interval and per day (rates are shares 0-1, ASA in seconds)."""

DRAIN_INTERVALS = 4
"""Intervals without arrivals appended to a simulated day so every contact leaves the queue."""

_OUTCOMES = {"answered": "answered", "abandoned": "abandoned", "deflected_self_service": "self_service",
             "deflected_bot": "bot_resolved"}


def records_to_log(records: pd.DataFrame, start: pd.Timestamp, *, day_per_replication: bool = True) -> pd.DataFrame:
    """The simulator's contact records (``keep_records=True``) as a contact log (canonical columns).

    Replication ``r`` becomes day ``start + r days``; ``arrived_at`` is when the contact joined the
    agent queue; contacts still waiting at the end of the horizon (``in_system``) and notification
    deflections are left out. ``customer_id`` and ``agent`` are unique per replication.
    """
    frame = records[records["outcome"].isin(list(_OUTCOMES))]
    day = pd.to_timedelta(frame["replication"] if day_per_replication else 0, unit="D")
    joined = frame["queue_join_seconds"].where(frame["queue_join_seconds"].notna(), frame["arrival_seconds"])
    out = pd.DataFrame({
        "arrived_at": start + day + pd.to_timedelta(joined, unit="s"),
        "outcome": frame["outcome"].map(_OUTCOMES),
        "wait_seconds": frame["wait_seconds"],
        "handle_seconds": frame["handle_seconds"],
        "channel": frame["channel"],
        "agent": np.where(frame["agent"] >= 0, frame["group"].astype(str) + "#" + frame["replication"].astype(str)
                          + "-" + frame["agent"].astype(str), None),
        "customer_id": frame["replication"].astype(str) + "-" + frame["customer"].astype(str),
    })
    return out.sort_values("arrived_at", kind="stable").reset_index(drop=True)


def log_kpis(frame: pd.DataFrame, first_interval: int, intervals: int, interval_minutes: float,
             agents: pd.DataFrame, targets: dict[str, float], acw_seconds: dict[str, float] | None = None) -> pd.DataFrame:
    """KPIs per day, interval and channel of a contact log (queue rows), and per day (``interval`` -1).

    Parameters
    ----------
    agents : pandas.DataFrame
        ``day, interval, agents`` (all groups summed): agents on duty, for the occupancy.
    targets : dict of str to float
        Channel -> service-level answer target in seconds.

    Returns
    -------
    pandas.DataFrame
        ``day, interval, channel`` and the :data:`BACKTEST_KPIS` (``occupancy`` is per day and
        interval over all channels, repeated on each channel's row).
    """
    dt = interval_minutes * 60.0
    data = frame[frame["outcome"].isin(("answered", "abandoned"))].copy()
    data["day"] = data["arrived_at"].dt.normalize()
    seconds = (data["arrived_at"] - data["day"]).dt.total_seconds()
    data["interval"] = np.floor(seconds / dt).astype(int) - first_interval
    data = data[(data["interval"] >= 0) & (data["interval"] < intervals)]
    data["is_answered"] = data["outcome"] == "answered"
    data["is_abandoned"] = ~data["is_answered"]
    data["within"] = data["is_answered"] & (data["wait_seconds"] <= data["channel"].map(targets).fillna(20.0))
    data["answered_wait"] = data["wait_seconds"].where(data["is_answered"])
    grouped = data.groupby(["day", "interval", "channel"])
    table = grouped.agg(offered=("outcome", "size"), answered=("is_answered", "sum"), abandoned=("is_abandoned", "sum"),
                        within=("within", "sum"), asa_seconds=("answered_wait", "mean")).reset_index()
    daily = data.groupby(["day", "channel"]).agg(offered=("outcome", "size"), answered=("is_answered", "sum"),
                                                abandoned=("is_abandoned", "sum"), within=("within", "sum"),
                                                asa_seconds=("answered_wait", "mean")).reset_index()
    daily["interval"] = -1
    # occupancy: handling seconds inside each interval / (agents on duty x interval length)
    answered = data[data["is_answered"]]
    acw = answered["channel"].map(acw_seconds or {}).astype(float).fillna(0.0)
    start = (answered["arrived_at"] - answered["day"]).dt.total_seconds() + answered["wait_seconds"] - first_interval * dt
    end = start + answered["handle_seconds"].fillna(0.0) + acw
    busy_rows = []
    for day, s, e in zip(answered["day"], start.to_numpy(), end.to_numpy(), strict=False):
        first, last = int(s // dt), int(min(e, intervals * dt - 1e-9) // dt)
        for i in range(max(first, 0), min(last, intervals - 1) + 1):
            busy_rows.append((day, i, min(e, (i + 1) * dt) - max(s, i * dt)))
    busy = pd.DataFrame(busy_rows, columns=["day", "interval", "busy"]).groupby(["day", "interval"])["busy"].sum()
    staffed = agents.groupby(["day", "interval"])["agents"].sum()
    joined = pd.concat([busy, staffed], axis=1).fillna(0.0).astype(float)  # float even when nothing was answered
    joined["occupancy"] = np.where(joined["agents"] > 0, joined["busy"] / (joined["agents"] * dt), np.nan)
    per_day = joined.groupby(level="day")[["busy", "agents"]].sum()
    per_day["occupancy"] = np.where(per_day["agents"] > 0, per_day["busy"] / (per_day["agents"] * dt), np.nan)
    table = table.merge(joined["occupancy"].reset_index(), on=["day", "interval"], how="left")
    daily = daily.merge(per_day["occupancy"].reset_index(), on="day", how="left")
    out = pd.concat([table, daily], ignore_index=True)
    out["abandon_rate"] = out["abandoned"] / out["offered"]
    out["service_level"] = out["within"] / out["offered"]
    return out.drop(columns=["within"])[["day", "interval", "channel", *BACKTEST_KPIS]]


@dataclass(frozen=True, eq=False)
class Backtest:
    """Observed vs simulated per day, interval (-1 = whole day), channel and KPI, and the summary.

    ``table`` columns: ``day, interval, start, channel, kpi, observed, simulated, low, high,
    inside``; ``summary``: ``level`` (interval/day), ``kpi``, ``n``, ``mae``, ``bias``,
    ``coverage``.
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    replications: int
    seed: int
    scenario: Scenario


def _day_model(scenario: Scenario, calibration: Calibration, day) -> SimulationModel:
    data = scenario.model_dump(mode="json", exclude_none=True)
    n = calibration.intervals
    data["intervals"] = n + DRAIN_INTERVALS
    for name, channel in data["channels"].items():
        retrials = "retrial" in channel
        arrivals = calibration.day_arrivals(day, name, fresh=retrials) if name in calibration.channels else np.zeros(n)
        channel["arrivals_per_interval"] = [float(v) for v in arrivals] + [0.0] * DRAIN_INTERVALS
        for key in ("daily_total", "history_csv", "profile", "opening_hours", "forecast_error_cv"):
            channel.pop(key, None)
    data.pop("demand", None)
    for group in data["staff"]:
        if group["name"] in calibration.groups:
            agents = calibration.day_staffing(day, group["name"])
        else:
            agents = np.resize(np.asarray(group["agents"], dtype=int), n)
        tail = int(agents[-1]) if agents.size else 0
        group["agents"] = [int(a) for a in agents] + [max(tail, 1)] * DRAIN_INTERVALS
    for field in ("setup", "setups", "start_date"):
        data.pop(field, None)
    data["warmup_minutes"] = 0
    day_scenario = Scenario.model_validate(data)
    model = compile_scenario(day_scenario).model
    channels = tuple(dataclasses.replace(c, exact_arrivals=True) for c in model.channels)
    return SimulationModel(model.interval_seconds, model.intervals, channels, model.groups, routing=model.routing,
                           warmup_seconds=0.0, email_after_realtime=model.email_after_realtime)


def run_backtest(calibration: Calibration, log_frame: pd.DataFrame | None, scenario: Scenario | None = None,
                 days=None, replications: int = 60, seed: int = 1, progress=None, observed=None) -> Backtest:
    """Simulate each day of the log and compare with what happened (see the module docstring).

    Parameters
    ----------
    calibration : Calibration
        The log's calibration (its per-day arrivals and staffing drive every simulated day).
    log_frame : pandas.DataFrame
        The log's rows (``ContactLog.frame``).
    scenario : Scenario, optional
        Distributions, retrials and targets to use; default the calibrated scenario.
    days : sequence of dates, optional
        Days to backtest (default every day of the log).
    replications : int
        Replications per day (>= 20: the 95 % interval needs the 2.5 % and 97.5 % quantiles).
    observed : pandas.DataFrame, optional
        The observed KPIs in :func:`log_kpis`' layout when they come from elsewhere (an interval
        report: :func:`scenarios.studies.calibrate.report_kpis`); ``log_frame`` is then unused.
        KPIs the source lacks (NaN) are left out of the comparison.
    """
    from scenarios.document.clock import interval_labels

    if replications < 20:
        raise ScenarioError(f"--replications must be >= 20 for a 95 % prediction interval, got {replications}")
    if scenario is None:
        scenario = Scenario.model_validate(scenario_data(calibration))
    chosen = calibration.days if days is None else tuple(pd.Timestamp(d) for d in days)
    unknown = [d for d in chosen if d not in calibration.days]
    if unknown:
        raise ScenarioError(f"--days: {unknown[0].date()} is not a day of the log "
                         f"({calibration.days[0].date()} .. {calibration.days[-1].date()})")
    targets = {name: channel.target_seconds for name, channel in scenario.channels.items()}
    acw = {name: channel.after_contact_work_seconds for name, channel in scenario.channels.items()}
    staffing = calibration.staffing.copy()
    staffing["agents"] = np.rint(staffing["agents"])
    if observed is None:
        observed = log_kpis(log_frame, calibration.first_interval, calibration.intervals, calibration.interval_minutes,
                            staffing, targets, acw)
    rows = []
    for k, day in enumerate(chosen):
        model = _day_model(scenario, calibration, day)
        result = simulate(model, replications, seed + k, keep_records=True)
        base = pd.Timestamp(day) + pd.Timedelta(minutes=calibration.start_minutes)
        simulated_log = records_to_log(result.records, base)
        day_agents = staffing[staffing["day"] == day]
        sim_agents = pd.concat([day_agents.assign(day=pd.Timestamp(day) + pd.Timedelta(days=r)) for r in range(replications)])
        sim = log_kpis(simulated_log, calibration.first_interval, calibration.intervals, calibration.interval_minutes,
                       sim_agents, targets, acw)
        sim["replication"] = (sim["day"] - pd.Timestamp(day)).dt.days
        obs = observed[observed["day"] == day]
        for kpi in BACKTEST_KPIS:
            values = sim.pivot_table(index=["interval", "channel"], columns="replication", values=kpi, dropna=False)
            values = values.reindex(columns=range(replications))
            if kpi in ("offered", "answered", "abandoned"):
                values = values.fillna(0.0)
            matrix = values.to_numpy(dtype=float)
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                mean = np.nanmean(matrix, axis=1)
                low = np.nanquantile(matrix, 0.025, axis=1)
                high = np.nanquantile(matrix, 0.975, axis=1)
            sim_table = pd.DataFrame({"interval": values.index.get_level_values(0), "channel": values.index.get_level_values(1),
                                      "simulated": mean, "low": low, "high": high})
            merged = obs[["interval", "channel", kpi]].rename(columns={kpi: "observed"}).merge(
                sim_table, on=["interval", "channel"], how="outer")
            merged["day"] = day
            merged["kpi"] = kpi
            rows.append(merged)
        if progress is not None:
            progress(k + 1, len(chosen))
    table = pd.concat(rows, ignore_index=True)
    count_kpis = table["kpi"].isin(["offered", "answered", "abandoned"])
    table.loc[count_kpis, "observed"] = table.loc[count_kpis, "observed"].fillna(0.0)
    table = table[table["observed"].notna() & table["simulated"].notna()].copy()
    table["inside"] = (table["observed"] >= table["low"] - 1e-12) & (table["observed"] <= table["high"] + 1e-12)
    labels = interval_labels(calibration.start_minutes, calibration.interval_minutes, calibration.intervals)
    table["start"] = [labels[i] if i >= 0 else "day" for i in table["interval"]]
    table = table[["day", "interval", "start", "channel", "kpi", "observed", "simulated", "low", "high", "inside"]]
    table = table.sort_values(["day", "channel", "kpi", "interval"]).reset_index(drop=True)
    return Backtest(table, summarise(table), replications, seed, scenario)


def summarise(table: pd.DataFrame) -> pd.DataFrame:
    """MAE, bias (simulated - observed) and coverage per level (interval / day) and KPI."""
    table = table.assign(level=np.where(table["interval"] < 0, "day", "interval"),
                         error=table["simulated"] - table["observed"])
    summary = table.groupby(["level", "kpi"], sort=False).agg(
        n=("error", "size"), mae=("error", lambda e: float(np.abs(e).mean())), bias=("error", "mean"),
        coverage=("inside", "mean")).reset_index()
    order = {k: i for i, k in enumerate(BACKTEST_KPIS)}
    return summary.sort_values(["level", "kpi"], key=lambda s: s.map(order) if s.name == "kpi" else s,
                               ascending=[False, True]).reset_index(drop=True)


def daily_abandonment_error(backtest: Backtest, channel: str | None = None) -> tuple[float, float]:
    """Mean absolute error and bias (points of percentage) of the daily abandon rate."""
    rows = backtest.table[(backtest.table["interval"] < 0) & (backtest.table["kpi"] == "abandon_rate")]
    if channel is not None:
        rows = rows[rows["channel"] == channel]
    error = 100.0 * (rows["simulated"] - rows["observed"])
    return float(error.abs().mean()), float(error.mean())
