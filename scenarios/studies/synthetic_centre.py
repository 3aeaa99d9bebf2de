"""A realistic synthetic contact centre month: a contact log with known truth, for tests and benchmarks.

The log is made by its own queue model, independent of :mod:`simulator` (so a backtest of the
calibrated simulation against it is not the simulator checked against itself), with the features
that make real logs hard to calibrate:

* weekdays only, with a weekday factor (Monday busiest) and a day-level volume noise
  (gamma, CV :attr:`SyntheticCentre.day_noise_cv`); a double-peaked intraday profile;
  non-homogeneous Poisson arrivals (rate constant within each interval);
* handle times from a two-component lognormal mixture (short routine calls and long complex
  ones; overall CV about 1.6) whose mean follows a daily pattern
  (:meth:`SyntheticCentre.handle_mean_seconds`);
* patience as a mixture: a mass of short abandons (uniform on 0-``short_patience_seconds``)
  plus a Weibull with shape < 1 (decreasing hazard): neither exponential nor one of the fitted
  families;
* agents on staggered 8-hour shifts that start anywhere within an interval, with two 15-minute
  breaks and a 30-minute lunch (logged in, not available), planned below the load at the peaks
  so that 25-30 % of queued calls abandon; an agent can be on duty for a whole interval without
  answering a call (a long call, a break, a quiet interval), so "agents who answered a call in
  the interval" is not the staffing;
* after each call a not-ready pause (wrap-up, sometimes a longer "aux" pause) that the log does
  not show, so agents are logged in and not handling while calls wait;
* first come, first served; an arriving call goes to the agent idle the longest.

The queue model: calls are taken in arrival order; call ``i`` would be answered at
``T = min_j earliest_j(max(t_i, free_j))`` (``earliest_j(x)``: the first moment ``>= x`` inside one
of agent ``j``'s availability windows; ``free_j`` the end of their last call); it abandons when
``T - t_i`` exceeds its patience (keeping no agent), else agent ``j`` is busy until
``T + handle``. With FCFS this is exact: answer times are non-decreasing in arrival order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SyntheticCentre", "SyntheticMonth", "synthetic_month"]

_WEEKDAY_FACTOR = (1.15, 1.05, 1.0, 0.97, 0.88)  # Mon..Fri


@dataclass(frozen=True)
class SyntheticCentre:
    """Parameters of the synthetic centre (times in seconds, volumes per day).

    Attributes
    ----------
    days : int
        Weekdays in the month (from Monday ``first_day``).
    calls_per_day : float
        Mean calls offered to the queue on an average weekday.
    open_hour, close_hour : int
        Opening hours (arrivals between them; agents may finish calls after).
    interval_minutes : float
        Planning interval (staffing is planned per interval; shifts start anywhere within one).
    handle_mean_seconds_base : float
        Daily mean handle time (the intraday pattern multiplies it by 0.85-1.2).
    long_call_share, long_call_factor : float
        Share of calls in the long lognormal component and its mean relative to the short one.
    short_abandon_share, short_patience_seconds : float
        Share of callers who abandon within ``short_patience_seconds`` (uniform).
    patience_shape, patience_mean_seconds : float
        Weibull patience of the others.
    staffing_factor : float
        Agents planned per interval = ``staffing_factor`` x offered load (Erlangs) at the time.
    wrap_mean_seconds, aux_share, aux_mean_seconds : float
        After each call the agent is not ready for an exponential wrap-up (mean
        ``wrap_mean_seconds``) and, after a share ``aux_share`` of calls, an extra exponential
        "aux" pause (mean ``aux_mean_seconds``): neither is in the log, as often in real exports.
    """

    days: int = 22
    first_day: str = "2024-03-04"
    calls_per_day: float = 1850.0
    open_hour: int = 8
    close_hour: int = 20
    interval_minutes: float = 30.0
    handle_mean_seconds_base: float = 330.0
    long_call_share: float = 0.18
    long_call_factor: float = 5.0
    short_cv: float = 0.8
    long_cv: float = 1.0
    short_abandon_share: float = 0.12
    short_patience_seconds: float = 12.0
    patience_shape: float = 0.75
    patience_mean_seconds: float = 180.0
    staffing_factor: float = 0.78
    wrap_mean_seconds: float = 25.0
    aux_share: float = 0.06
    aux_mean_seconds: float = 240.0
    day_noise_cv: float = 0.06

    @property
    def intervals(self) -> int:
        """Intervals per open day."""
        return int(round((self.close_hour - self.open_hour) * 60 / self.interval_minutes))

    def profile(self) -> np.ndarray:
        """Share of the day's calls per interval: a morning peak at 10:30, an afternoon one at 14:30."""
        hours = self.open_hour + (np.arange(self.intervals) + 0.5) * self.interval_minutes / 60
        shape = 0.35 + np.exp(-0.5 * ((hours - 10.5) / 1.3) ** 2) + 0.8 * np.exp(-0.5 * ((hours - 14.5) / 1.6) ** 2)
        return shape / shape.sum()

    def handle_mean_seconds(self, hours_of_day) -> np.ndarray:
        """Mean handle time (seconds) at a clock time (hours): longest mid-morning, shortest at the close."""
        hours = np.asarray(hours_of_day, dtype=float)
        return self.handle_mean_seconds_base * (1.0 + 0.2 * np.exp(-0.5 * ((hours - 10.0) / 1.5) ** 2)
                                                 - 0.15 * np.clip((hours - 16.0) / 4.0, 0.0, 1.0))

    def patience_mean_seconds_true(self) -> float:
        """Mean patience of the mixture (seconds)."""
        return (self.short_abandon_share * self.short_patience_seconds / 2
                + (1 - self.short_abandon_share) * self.patience_mean_seconds)

    def handle_cv_true(self) -> float:
        """Coefficient of variation of the handle-time mixture at a fixed clock time."""
        p, f = self.long_call_share, self.long_call_factor
        short_mean = 1.0 / (1 - p + p * f)
        means = np.array([short_mean, short_mean * f])
        second = means ** 2 * (1 + np.array([self.short_cv, self.long_cv]) ** 2)
        weights = np.array([1 - p, p])
        mean = float(weights @ means)
        return math.sqrt(float(weights @ second) - mean ** 2) / mean


@dataclass(frozen=True, eq=False)
class SyntheticMonth:
    """The generated month: the log (canonical columns), the true sessions and availability.

    ``log`` has ``arrived_at, outcome, wait_seconds, handle_seconds, channel, agent, customer_id``;
    ``sessions`` ``agent, start, end`` (shifts, breaks included: logged in); ``available`` the
    availability windows (shifts minus breaks) as ``agent, start, end``; ``planned`` the agents
    planned per day and interval.
    """

    centre: SyntheticCentre
    log: pd.DataFrame
    sessions: pd.DataFrame
    available: pd.DataFrame
    planned: pd.DataFrame


def _lognormal(rng, mean, cv, size):
    sigma2 = math.log(1 + cv * cv)
    return rng.lognormal(np.log(mean) - sigma2 / 2, math.sqrt(sigma2), size)


def _handle_times(centre: SyntheticCentre, rng, hours) -> np.ndarray:
    mean = centre.handle_mean_seconds(hours)
    p, f = centre.long_call_share, centre.long_call_factor
    short_mean = mean / (1 - p + p * f)
    long = rng.random(hours.size) < p
    out = _lognormal(rng, 1.0, centre.short_cv, hours.size) * short_mean
    out[long] = _lognormal(rng, 1.0, centre.long_cv, int(long.sum())) * short_mean[long] * f
    return np.maximum(out, 1.0)


def _patience(centre: SyntheticCentre, rng, size) -> np.ndarray:
    scale = centre.patience_mean_seconds / math.gamma(1 + 1 / centre.patience_shape)
    out = scale * rng.weibull(centre.patience_shape, size)
    short = rng.random(size) < centre.short_abandon_share
    out[short] = rng.uniform(0.0, centre.short_patience_seconds, int(short.sum()))
    return out


def _agent_windows(centre: SyntheticCentre, rng, planned: np.ndarray):
    """Shifts giving at least the planned agents at each interval's midpoint.

    Going through the day, while fewer agents are on duty at interval ``i``'s midpoint than planned,
    a shift starts at a uniform time in the half interval before that midpoint (at the opening for
    the first) and lasts 8 hours (to the close at most), with breaks at about 25 %, 50 % (lunch) and
    75 % of it. Returns ``(shift start, shift end, availability windows)`` per agent (seconds of day).
    """
    dt = centre.interval_minutes * 60.0
    day_start, close = centre.open_hour * 3600.0, centre.close_hour * 3600.0
    middles = day_start + (np.arange(planned.size) + 0.5) * dt
    agents = []
    on_duty = np.zeros(planned.size, dtype=int)
    for i in range(planned.size):
        while on_duty[i] < planned[i]:
            start = max(day_start, middles[i] - rng.uniform(0, dt / 2))
            end = min(start + 8 * 3600.0, close)
            on_duty += (middles >= start) & (middles < end)
            length = end - start
            breaks = [(start + length * rng.uniform(0.2, 0.3), 900.0), (start + length * rng.uniform(0.45, 0.55), 1800.0),
                      (start + length * rng.uniform(0.7, 0.8), 900.0)]
            windows, cursor = [], start
            for moment, duration in breaks:
                windows.append((cursor, moment))
                cursor = moment + duration
            windows.append((cursor, end))
            agents.append((start, end, [(a, b) for a, b in windows if b > a]))
    return agents


def synthetic_month(centre: SyntheticCentre | None = None, seed: int = 1) -> SyntheticMonth:
    """Generate a month of weekdays of a heavily loaded centre (see the module docstring).

    Parameters
    ----------
    centre : SyntheticCentre, optional
        The parameters (default: about 40 000 calls, 25-30 % abandonment, handle-time CV ~1.6).
    seed : int
        Root seed of the random numbers (the month is a function of ``(centre, seed)``).

    Returns
    -------
    SyntheticMonth
    """
    import pandas as pd

    centre = centre or SyntheticCentre()
    rng = np.random.default_rng(seed)
    dt = centre.interval_minutes * 60.0
    profile = centre.profile()
    first = pd.Timestamp(centre.first_day)
    day = first
    logs: list[pd.DataFrame] = []
    sessions: list[tuple] = []
    available: list[tuple] = []
    planned_rows: list[tuple] = []
    for _ in range(centre.days):
        while day.weekday() >= 5:
            day += pd.Timedelta(days=1)
        volume = centre.calls_per_day * _WEEKDAY_FACTOR[day.weekday()] * rng.gamma(
            1 / centre.day_noise_cv ** 2, centre.day_noise_cv ** 2)
        counts = rng.poisson(volume * profile)
        starts = centre.open_hour * 3600.0 + dt * np.arange(profile.size)
        arrivals = np.sort(np.concatenate([rng.uniform(s, s + dt, c) for s, c in zip(starts, counts, strict=True)]))
        hours = arrivals / 3600.0
        handle = _handle_times(centre, rng, hours)
        patience = _patience(centre, rng, arrivals.size)
        not_ready = rng.exponential(centre.wrap_mean_seconds, arrivals.size)
        aux = rng.random(arrivals.size) < centre.aux_share
        not_ready[aux] += rng.exponential(centre.aux_mean_seconds, int(aux.sum()))
        # plan on the expected load (Erlangs) of an average day of this weekday, not the day's noise
        mid_hours = (starts + dt / 2) / 3600.0
        load = centre.calls_per_day * _WEEKDAY_FACTOR[day.weekday()] * profile * centre.handle_mean_seconds(mid_hours) / dt
        planned = np.maximum(np.rint(centre.staffing_factor * load), 2).astype(int)
        agents = _agent_windows(centre, rng, planned)
        free = np.array([a[0] for a in agents])
        windows = [a[2] for a in agents]
        outcome = np.empty(arrivals.size, dtype=object)
        wait = np.empty(arrivals.size)
        who = np.full(arrivals.size, -1)
        for i, t in enumerate(arrivals):
            best, best_time, best_free = -1, math.inf, math.inf
            for j, agent_windows in enumerate(windows):
                x = free[j] if free[j] > t else t
                for a, b in agent_windows:
                    if b > x:
                        x = a if a > x else x
                        break
                else:
                    continue
                if x < best_time or (x == best_time and free[j] < best_free):
                    best, best_time, best_free = j, x, free[j]
            if best < 0 or best_time - t > patience[i]:
                outcome[i], wait[i] = "abandoned", patience[i]
            else:
                outcome[i], wait[i], who[i] = "answered", best_time - t, best
                free[best] = best_time + handle[i] + not_ready[i]
        date = day.strftime("%Y%m%d")
        logs.append(pd.DataFrame({
            "arrived_at": day + pd.to_timedelta(arrivals, unit="s"),
            "outcome": outcome.astype(str),
            "wait_seconds": np.round(wait, 3),
            "handle_seconds": np.where(who >= 0, np.round(handle, 3), np.nan),
            "channel": "voice",
            "agent": np.where(who >= 0, np.char.add(f"{date}-a", who.astype(str)), np.array(None)),
            "customer_id": [f"{date}-c{k}" for k in range(arrivals.size)],
        }))
        for j, (start, end, agent_windows) in enumerate(agents):
            sessions.append((f"{date}-a{j}", day + pd.Timedelta(seconds=start), day + pd.Timedelta(seconds=end)))
            available.extend((f"{date}-a{j}", day + pd.Timedelta(seconds=a), day + pd.Timedelta(seconds=b))
                             for a, b in agent_windows)
        planned_rows.extend((day, i, int(n)) for i, n in enumerate(planned))
        day += pd.Timedelta(days=1)
    return SyntheticMonth(
        centre,
        pd.concat(logs, ignore_index=True),
        pd.DataFrame(sessions, columns=["agent", "start", "end"]),
        pd.DataFrame(available, columns=["agent", "start", "end"]),
        pd.DataFrame(planned_rows, columns=["day", "interval", "agents"]),
    )
