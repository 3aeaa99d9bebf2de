"""Per-interval demand of each channel, resolved from a scenario's demand description.

A channel's would-be contacts per interval come from exactly one source:

1. ``arrivals_per_interval``: one number (every interval) or one value per interval;
2. ``daily_total`` x an intraday ``profile`` (bundled name or CSV, default ``flat``);
3. ``history_csv``: past per-interval volumes (a ``timestamp`` column and a column named after
   the channel, or ``volume``), summed per date and interval of day, then averaged over the
   dates in the file;
4. the scenario's ``demand`` block: a daily total of customer demand split by ``segments``
   (share of customers x their channel mix) and spread by the channel's profile (or the demand's).

Opening hours then apply: an interval is open when its midpoint falls inside the channel's
hours on an open day that is not a holiday; closed intervals get zero arrivals. For daily totals
(sources 2 and 4) the profile is renormalised over the open intervals of each day, so the daily
total is kept (a horizon covering only part of an open day gets that part of the total); for lists
and history the closed intervals are simply zeroed.

Everything here is a pure function of the (validated) scenario; errors are ``ValueError`` naming
the problem, turned into field-path errors by the schema.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

import numpy as np
import pandas as pd

from scenarios.document.csv_rows import field_count_error
from scenarios.document.files import bounded_text, excerpt
from scenarios.document.limits import EARLIEST_DATE, LATEST_DATE
from scenarios.document.profiles import MINUTES_PER_DAY, load_profile

if TYPE_CHECKING:
    from scenarios.document.scenario import Scenario

__all__ = ["WEEKDAYS", "Weekday", "open_mask", "calling_mask", "channel_daily_total", "resolve_arrivals", "read_history", "volume_outside_horizon"]

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
"""A day name of opening hours."""

WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)
"""Day names used by opening hours, Monday first (``datetime.date.weekday()`` order)."""


def _is_open(hours, start_date: dt.date | None, minutes: np.ndarray) -> np.ndarray:
    """Open flags at absolute times ``minutes`` (minutes since midnight of the horizon's first day)."""
    minutes = np.asarray(minutes, dtype=float)
    if hours is None:
        return np.ones(minutes.shape, dtype=bool)
    days = np.floor(minutes / MINUTES_PER_DAY).astype(int)
    clock = minutes - days * MINUTES_PER_DAY
    if hours.open < hours.close:
        within = (clock >= hours.open) & (clock < hours.close)
    else:  # overnight, e.g. 20:00-02:00
        within = (clock >= hours.open) | (clock < hours.close)
    if start_date is None:
        return within
    open_day = {}
    for day in np.unique(days):
        date = start_date + dt.timedelta(days=int(day))
        open_day[int(day)] = WEEKDAYS[date.weekday()] in hours.days and date not in hours.holidays
    return within & np.array([open_day[int(d)] for d in days], dtype=bool)


def open_mask(scenario: Scenario, channel_name: str) -> np.ndarray:
    """Boolean per interval: is the channel open at the interval's midpoint?"""
    channel = scenario.channels[channel_name]
    mids = scenario.start_time + (np.arange(scenario.intervals) + 0.5) * scenario.interval_minutes
    return _is_open(channel.opening_hours, scenario.start_date, mids)


def calling_mask(scenario: Scenario, campaign_index: int) -> np.ndarray:
    """Boolean per interval: may outbound campaign ``campaign_index`` start attempts (its calling hours
    at the interval's midpoint)?"""
    campaign = scenario.outbound[campaign_index]
    mids = scenario.start_time + (np.arange(scenario.intervals) + 0.5) * scenario.interval_minutes
    return _is_open(campaign.calling_hours, scenario.start_date, mids)


def channel_daily_total(scenario: Scenario, channel_name: str) -> float | None:
    """Daily would-be contacts of a channel from ``daily_total`` or the segments (None otherwise)."""
    channel = scenario.channels[channel_name]
    if channel.daily_total is not None:
        return float(channel.daily_total)
    if scenario.demand is None:
        return None
    share = sum(s.share * s.channel_mix.get(channel_name, 0.0) for s in scenario.demand.segments)
    if share <= 0:
        return None
    return float(scenario.demand.daily_total) * share


def _spread_daily_total(scenario, channel_name: str, total: float, profile_name: str) -> np.ndarray:
    channel = scenario.channels[channel_name]
    profile = load_profile(profile_name)
    step = scenario.interval_minutes
    edges = scenario.start_time + np.arange(scenario.intervals + 1) * step
    shares = np.diff(profile.cumulative(edges))
    mids = (edges[:-1] + edges[1:]) / 2
    is_open = _is_open(channel.opening_hours, scenario.start_date, mids)
    days = np.floor(mids / MINUTES_PER_DAY).astype(int)
    offset = scenario.start_time % step
    out = np.zeros(scenario.intervals)
    for day in np.unique(days):
        # the whole day on the horizon's interval grid, to renormalise over its open intervals
        low = day * MINUTES_PER_DAY + offset - step
        grid = low + np.arange(int(math.ceil((MINUTES_PER_DAY + 2 * step) / step)) + 1) * step
        grid = np.clip(grid, day * MINUTES_PER_DAY, (day + 1) * MINUTES_PER_DAY)
        grid = np.unique(grid)
        day_shares = np.diff(profile.cumulative(grid))
        day_open = _is_open(channel.opening_hours, scenario.start_date, (grid[:-1] + grid[1:]) / 2)
        norm = float((day_shares * day_open).sum())
        here = days == day
        if norm > 0:
            out[here] = total * shares[here] * is_open[here] / norm
    return out


@functools.lru_cache(maxsize=32)
def _history_frame(path: str, stamp: tuple = ()) -> pd.DataFrame:
    del stamp  # part of the cache key only (size, modification time)
    name = Path(path).name
    shape = field_count_error(path, comment="#")
    if shape is not None:
        raise ValueError(f"history file {name} is not a readable CSV: {shape}")
    try:
        frame = pd.read_csv(path, comment="#", skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValueError(f"history file {name} is not a readable CSV: {bounded_text(first, 120)}") from None
    if "timestamp" not in frame.columns:
        raise ValueError(f"history file {name} needs a timestamp column (YYYY-MM-DD HH:MM), has {excerpt(list(frame.columns))}")
    if frame.empty:
        raise ValueError(f"history file {name} has a header but no rows of volumes")
    stamps = pd.to_datetime(frame["timestamp"], errors="coerce", format="mixed")
    if stamps.isna().any():
        row = int(stamps.isna().to_numpy().argmax())
        raise ValueError(f"history file {name} row {row + 2}: timestamp {excerpt(frame['timestamp'].iloc[row])} is not a date and time")
    outside = (stamps < pd.Timestamp(EARLIEST_DATE)) | (stamps >= pd.Timestamp(LATEST_DATE) + pd.Timedelta(days=1))
    if outside.any():
        row = int(outside.to_numpy().argmax())
        raise ValueError(f"history file {name} row {row + 2}: timestamp {excerpt(frame['timestamp'].iloc[row])} must be "
                         f"between {EARLIEST_DATE} and {LATEST_DATE}")
    frame = frame.assign(timestamp=stamps)
    return frame


_MAX_HISTORY_VOLUME = 1e7
"""Largest volume one history row may hold (contacts in its interval)."""


def read_history(path: str | Path, channel_name: str, interval_minutes: float) -> np.ndarray:
    """Expected volume per interval of day from a history CSV.

    Parameters
    ----------
    path : str or pathlib.Path
        CSV with a ``timestamp`` column and a volume column named ``channel_name`` or ``volume``
        (each value a number in [0, 1e7] contacts).
    channel_name : str
        The channel whose column is read.
    interval_minutes : float
        Interval length; must divide the day (1440 minutes).

    Returns
    -------
    numpy.ndarray
        ``1440 / interval_minutes`` values from 00:00: the volume of each interval of day summed
        per date, averaged over the dates in the file (a date with no row for an interval counts
        as zero).
    """
    stat = Path(path).stat() if Path(path).exists() else None
    frame = _history_frame(str(path), (stat.st_size, stat.st_mtime_ns) if stat else ())
    name = Path(path).name
    column = channel_name if channel_name in frame.columns else "volume" if "volume" in frame.columns else None
    if column is None:
        raise ValueError(f"history file {name} has no column {excerpt(channel_name)} or 'volume' (columns {excerpt(list(frame.columns))})")
    volumes = pd.to_numeric(frame[column], errors="coerce")
    bad = volumes.isna() | (volumes < 0) | (volumes > _MAX_HISTORY_VOLUME)
    if bad.any():
        row = int(bad.to_numpy().argmax())
        raise ValueError(f"history file {name} row {row + 2}: {column[:64]} must be a number >= 0 and <= {_MAX_HISTORY_VOLUME:g}, "
                         f"got {excerpt(frame[column].iloc[row])}")
    stamps = frame["timestamp"]
    minute = stamps.dt.hour * 60 + stamps.dt.minute
    slots = (minute // interval_minutes).astype(int).to_numpy()
    per_day = int(round(MINUTES_PER_DAY / interval_minutes))
    dates = stamps.dt.date.to_numpy()
    sums = np.zeros(per_day)
    np.add.at(sums, slots, volumes.to_numpy(dtype=float))
    return sums / len(set(dates))


def resolve_arrivals(scenario: Scenario, channel_name: str) -> np.ndarray:
    """Would-be contacts per interval of a channel (``intervals`` values, closed intervals zero).

    Raises
    ------
    ValueError
        A profile or history file cannot be read, or a list has the wrong length.
    """
    channel = scenario.channels[channel_name]
    n = scenario.intervals
    is_open = open_mask(scenario, channel_name)
    if channel.arrivals_per_interval is not None:
        values = np.asarray(channel.arrivals_per_interval, dtype=float)
        if values.size not in (1, n):
            raise ValueError(f"must have one value per interval ({n} values, or a single value), got {values.size}")
        return np.broadcast_to(values, (n,)) * is_open
    if channel.history_csv is not None:
        per_slot = read_history(channel.history_csv, channel_name, scenario.interval_minutes)
        starts = scenario.start_time + np.arange(n) * scenario.interval_minutes
        slot = ((starts % MINUTES_PER_DAY) // scenario.interval_minutes).astype(int)
        return per_slot[slot] * is_open
    total = channel_daily_total(scenario, channel_name)
    if total is None:
        return np.zeros(n)
    # without its own daily_total the channel's total comes from the segmented demand (not None here)
    demand = scenario.demand
    profile = channel.profile or (demand.profile if channel.daily_total is None and demand is not None else "flat")
    return _spread_daily_total(scenario, channel_name, total, profile)


def volume_outside_horizon(scenario: Scenario) -> dict[str, tuple[float, float]]:
    """Daily-total demand that falls outside the horizon, per channel: ``{name: (daily volume, in the horizon)}``.

    A ``daily_total`` (own or from the demand segments) is spread by the profile over the open
    intervals of each calendar day the horizon touches; the part of those days outside the
    horizon's intervals is not simulated. Channels where it is (almost) all inside, and channels
    without a daily total, are left out; a day that is closed all day counts as outside.

    Returns
    -------
    dict of str to (float, float)
        Channel -> (daily volume x calendar days touched, would-be contacts in the horizon).
    """
    days = len({int(d) for d in np.floor((scenario.start_time + (np.arange(scenario.intervals) + 0.5)
                                          * scenario.interval_minutes) / MINUTES_PER_DAY)})
    out = {}
    for name, channel in scenario.channels.items():
        if channel.arrivals_per_interval is not None or channel.history_csv is not None:
            continue
        daily = channel_daily_total(scenario, name)
        if daily is None:
            continue
        expected = daily * days
        inside = float(resolve_arrivals(scenario, name).sum())
        if expected - inside > max(0.5, 1e-6 * expected):
            out[name] = (expected, inside)
    return out
