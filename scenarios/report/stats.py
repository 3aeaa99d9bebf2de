"""Means and confidence intervals over replications, per interval: one implementation for every report.

Every confidence interval ccplan prints comes from the simulator's one function
(:func:`simulator.ci95_half_width`: Student t over independent replications). This module applies
it per interval and channel, for the dashboard, the staffing plan, the demo and the CLI tables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from scenarios.report.kpis import INTERVAL_KPIS
from simulator import ci95_half_width

__all__ = ["mean_ci", "interval_mean_ci", "interval_summary", "INTERVAL_SUMMARY_COLUMNS"]

INTERVAL_SUMMARY_COLUMNS = ("channel", "kind", "interval", "interval_start", "kpi", "mean", "ci95")
"""Columns of :func:`interval_summary` (one row per channel x interval x KPI)."""


def mean_ci(values: npt.ArrayLike) -> tuple[float, float]:
    """Mean and 95 % half-width of ``values`` over replications (NaN values, i.e. undefined, left out)."""
    array = np.asarray(values, dtype=float)
    finite = array[~np.isnan(array)]
    if finite.size == 0:
        return math.nan, math.nan
    return float(finite.mean()), ci95_half_width(finite)


def interval_mean_ci(intervals: pd.DataFrame, channel: str, kpi: str, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Per interval of ``channel``: mean and 95 % half-width of ``kpi`` over replications.

    Parameters
    ----------
    intervals : pandas.DataFrame
        The simulator's tidy interval table (:attr:`simulator.SimulationResult.intervals`).
    channel, kpi : str
        Channel name and KPI column.
    count : int
        Intervals in the horizon (intervals without data get NaN).

    Returns
    -------
    mean, half_width : numpy.ndarray
    """
    mean = np.full(count, np.nan)
    half = np.full(count, np.nan)
    rows = intervals[intervals["channel"] == channel]
    for interval, group in rows.groupby("interval"):
        mean[int(interval)], half[int(interval)] = mean_ci(group[kpi].to_numpy(dtype=float))
    return mean, half


def interval_summary(intervals: pd.DataFrame, labels: Sequence[str], kinds: Mapping[str, str],
                     kpis: Sequence[str] = INTERVAL_KPIS) -> pd.DataFrame:
    """Mean and 95 % half-width over replications of ``kpis``, per interval x channel (tidy).

    Parameters
    ----------
    intervals : pandas.DataFrame
        The simulator's tidy interval table.
    labels : sequence of str
        Clock label of each interval.
    kinds : mapping of str to str
        Channel name -> kind.
    kpis : sequence of str
        KPI columns to summarise.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`INTERVAL_SUMMARY_COLUMNS`.
    """
    rows = []
    for (channel, interval), frame in intervals.groupby(["channel", "interval"], sort=False):
        for kpi in kpis:
            mean, half = mean_ci(frame[kpi].to_numpy(dtype=float))
            rows.append({"channel": channel, "kind": kinds[channel], "interval": int(interval),
                         "interval_start": labels[int(interval)], "kpi": kpi, "mean": mean, "ci95": half})
    return pd.DataFrame(rows, columns=list(INTERVAL_SUMMARY_COLUMNS))
