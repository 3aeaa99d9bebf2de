"""Calibrate a scenario from a contact log: the estimators and the scenario they make.

Pure estimator functions (each testable alone):

* :func:`kaplan_meier` -- survival curve of patience from right-censored waits
  (``scipy.stats.ecdf`` on ``scipy.stats.CensoredData``): an abandoned contact's wait is an
  observed patience, an answered contact's wait a censored one (its patience was longer);
* :func:`fit_patience` -- exponential, Weibull and lognormal fitted by censored maximum likelihood
  (``scipy.stats.<dist>.fit`` on ``CensoredData``, location fixed at 0), chosen by how closely
  each follows Kaplan-Meier over the range of waits observed (the simplest family within a point
  of the closest; then AIC, ``2 k - 2 log L``); the exponential MLE is ``abandonments / total
  waiting time``; whether the mean is identified or extrapolated is stated;
* :func:`fit_handle_time` -- lognormal, gamma, Weibull and exponential by maximum likelihood,
  chosen by AIC; the empirical distribution when the AIC-best family still misses the data by
  more than :data:`EMPIRICAL_KS_LIMIT` in Kolmogorov-Smirnov distance;
* :func:`estimate_retrials` -- share of abandoned contacts followed by another contact of the same
  customer, and the exponential delay, by maximum likelihood with the end of the day as censoring;
* :func:`infer_staffing` -- agents on duty per day, interval and group without a sessions file
  (method below), with a low-high range; :func:`staffing_from_sessions` with one.

Staffing inference without sessions: whenever a contact waits, every available agent who can take
it is busy (a work-conserving queue). So while a contact of the group's channels waits, the
agents on duty and available are the contacts in handling (answered, not yet finished,
after-contact work included). Queues form when agents are away (breaks, unlogged pauses), so the
count while contacts wait undercounts the rest of the interval; without a queue, the agents are
at least the busy count and at least the mean count while contacts waited. The estimate is the
time-weighted mean over the interval of the busy count while contacts wait and of the larger of
the busy count and that queue-time mean otherwise. An interval with a queue for at least
:data:`IDENTIFIED_QUEUE_SECONDS` is *identified*; its range is the busy count's 10-90 %
time-weighted quantiles over the queue time. Otherwise only a lower bound is known (the most
contacts in handling at once); the estimate is the larger of that and the number of distinct agents
who answered a contact in the interval (when the log has ``agent``), and the range is that lower
bound to the number of distinct agents active in the interval or the one before.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from scenarios.errors import ScenarioError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "EMPIRICAL_KS_LIMIT",
    "PATIENCE_MIN_AT_RISK",
    "PATIENCE_KM_TOLERANCE",
    "PATIENCE_KM_RELATIVE_TOLERANCE",
    "PATIENCE_IDENTIFIED_SURVIVAL",
    "IDENTIFIED_QUEUE_SECONDS",
    "DistributionFit",
    "PatienceEstimate",
    "HandleTimeEstimate",
    "RetrialEstimate",
    "HANDLE_VARIATION_P",
    "handle_time_by_interval",
    "kaplan_meier",
    "exponential_patience_mle",
    "fit_patience",
    "fit_handle_time",
    "estimate_retrials",
    "interval_grid",
    "busy_and_queue",
    "infer_staffing",
    "staffing_from_sessions",
    "skill_groups",
    "calibrate_log",
    "naive_calibrate_log",
    "weekday_profiles",
    "calibrate_interval_report",
    "report_patience_seconds",
    "report_kpis",
    "WEEKDAY_NAMES",
]

EMPIRICAL_KS_LIMIT = 0.03
"""Kolmogorov-Smirnov distance above which the AIC-best handle-time family is replaced by the data."""

IDENTIFIED_QUEUE_SECONDS = 120.0
"""Queue time (seconds) in an interval above which its agents on duty are read off the busy count."""

EMPIRICAL_POINTS = 1000
"""Quantiles kept to describe an empirical handle-time distribution in the scenario file."""


@dataclass(frozen=True)
class DistributionFit:
    """One fitted family: name, scipy parameters, log-likelihood, AIC, mean and CV (seconds)."""

    family: str
    params: tuple[float, ...]
    log_likelihood: float
    aic: float
    mean_seconds: float
    cv: float
    shape: float = float("nan")


def _frozen(family: str, params):
    from scipy import stats

    return {"exponential": stats.expon, "weibull": stats.weibull_min, "lognormal": stats.lognorm,
            "gamma": stats.gamma}[family](*params)


def _describe(family: str, params, log_likelihood: float, k: int) -> DistributionFit:
    dist = _frozen(family, params)
    mean, var = (float(v) for v in dist.stats("mv"))
    shape = float(params[0]) if family in ("weibull", "gamma") else float("nan")
    return DistributionFit(family, tuple(float(p) for p in params), float(log_likelihood),
                           float(2 * k - 2 * log_likelihood), mean, math.sqrt(var) / mean if mean > 0 else float("nan"), shape)


def kaplan_meier(waits_seconds, abandoned) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan-Meier survival curve of patience.

    Parameters
    ----------
    waits_seconds : array_like
        Wait of each contact in seconds (>= 0).
    abandoned : array_like of bool
        True where the contact abandoned (its wait is its patience), False where answered (its
        patience is longer than its wait: right-censored).

    Returns
    -------
    times_seconds, survival : numpy.ndarray
        Distinct abandonment times and ``P(patience > t)`` just after each.
    """
    from scipy import stats

    waits = np.asarray(waits_seconds, dtype=float)
    observed = np.asarray(abandoned, dtype=bool)
    data = stats.CensoredData(uncensored=waits[observed], right=waits[~observed])
    sf = stats.ecdf(data).sf
    return np.asarray(sf.quantiles, dtype=float), np.asarray(sf.probabilities, dtype=float)


def exponential_patience_mle(waits_seconds, abandoned) -> float:
    """Exponential mean patience by MLE under censoring: total waiting time / abandonments (seconds)."""
    waits = np.asarray(waits_seconds, dtype=float)
    count = int(np.asarray(abandoned, dtype=bool).sum())
    return float(waits.sum() / count) if count else float("inf")


@dataclass(frozen=True)
class PatienceEstimate:
    """Patience of one channel: censored fits, the choice, the Kaplan-Meier curve.

    Attributes
    ----------
    fits : tuple of DistributionFit
        Every family fitted (censored maximum likelihood).
    best : DistributionFit
        The chosen family (see :func:`fit_patience`).
    km_distance : dict of str to float
        Family -> largest gap between its survival curve and Kaplan-Meier over the identified range.
    identified_seconds : float
        End of the identified range: the longest wait with at least :data:`PATIENCE_MIN_AT_RISK`
        contacts still waiting (Kaplan-Meier is reliable up to there, and only up to there).
    survival_at_end : float
        Kaplan-Meier ``P(patience > identified_seconds)``.
    """

    fits: tuple[DistributionFit, ...]
    best: DistributionFit
    km_times_seconds: np.ndarray
    km_survival: np.ndarray
    contacts: int
    abandoned: int
    km_distance: dict = field(default_factory=dict)
    identified_seconds: float = float("nan")
    survival_at_end: float = float("nan")

    @property
    def censored_share(self) -> float:
        """Share of patience observations that are censored (answered contacts)."""
        return 1.0 - self.abandoned / self.contacts if self.contacts else float("nan")

    @property
    def km_restricted_mean_seconds(self) -> float:
        """Area under the Kaplan-Meier curve up to the end of the identified range (seconds).

        The mean patience restricted to ``identified_seconds``: ``E[min(patience, t)]``; a lower
        bound of the mean, and equal to it within ``survival_at_end x`` the mean residual patience.
        """
        end = self.identified_seconds if math.isfinite(self.identified_seconds) else float(self.km_times_seconds[-1])
        times = np.concatenate([[0.0], self.km_times_seconds[self.km_times_seconds < end], [end]])
        survival = np.concatenate([[1.0], self.km_survival[self.km_times_seconds < end]])
        return float(np.sum(np.diff(times) * survival))

    @property
    def mean_identified(self) -> bool:
        """True when Kaplan-Meier falls to :data:`PATIENCE_IDENTIFIED_SURVIVAL` or below within the
        identified range, so the mean depends little on the fitted tail."""
        return bool(self.survival_at_end <= PATIENCE_IDENTIFIED_SURVIVAL)


PATIENCE_MIN_AT_RISK = 100
"""Contacts still waiting below which the Kaplan-Meier curve is no longer used to judge fits."""

PATIENCE_KM_TOLERANCE = 0.01
"""Survival-curve gap (1 point) within which a simpler patience family is preferred to a closer one."""

PATIENCE_KM_RELATIVE_TOLERANCE = 1.5
"""... or within this factor of the closest gap (when no family fits well, they miss in different places)."""

PATIENCE_IDENTIFIED_SURVIVAL = 0.05
"""Kaplan-Meier survival at the end of the identified range at or below which the mean is identified."""

_PARAMETERS = {"exponential": 1, "weibull": 2, "lognormal": 2, "gamma": 2}
_TAIL_ORDER = {"exponential": 0, "weibull": 1, "lognormal": 2}  # lighter tail first


def fit_patience(waits_seconds, abandoned, families=("exponential", "weibull", "lognormal")) -> PatienceEstimate:
    """Fit patience by censored maximum likelihood and choose the family on the identified range.

    Answered contacts' waits are right-censored patience observations; contacts answered at once
    (wait 0) carry no information and are left out; abandonments at 0 s are counted at 0.5 s.

    The choice: the waits only show patience up to the longest waits, so a family is judged by
    how well it follows the Kaplan-Meier curve there: ``km_distance`` is the largest gap between
    the fitted survival and Kaplan-Meier at the abandonment times up to ``identified_seconds``
    (while at least :data:`PATIENCE_MIN_AT_RISK` contacts wait). Families within
    :data:`PATIENCE_KM_TOLERANCE` of the smallest gap, or within
    :data:`PATIENCE_KM_RELATIVE_TOLERANCE` times it, are acceptable; of those the one with the
    fewest parameters is chosen (exponential before Weibull and lognormal), then, when the mean is
    identified (Kaplan-Meier down to :data:`PATIENCE_IDENTIFIED_SURVIVAL` within the range), the
    lowest AIC (``2 k - 2 log L``), and when it is not, the lighter tail (Weibull before
    lognormal): the data do not tell the tails apart, and the lighter one is the smaller
    extrapolation (more abandonment in what-ifs with longer waits, the cautious side). AIC alone
    over-rewards a family that fits the many very short abandons and lets its tail, which no wait
    observed, run wild (a lognormal with a mean four times the truth); the identified-range gap
    does not.

    Returns
    -------
    PatienceEstimate
    """
    from scipy import stats

    waits = np.asarray(waits_seconds, dtype=float)
    observed = np.asarray(abandoned, dtype=bool)
    contacts, count = waits.size, int(observed.sum())
    times, survival = kaplan_meier(waits, observed)
    uncensored = np.maximum(waits[observed], 0.5)
    right = waits[~observed & (waits > 0)]
    data = stats.CensoredData(uncensored=uncensored, right=right)
    fits = []
    for family in families:
        if count == 0:
            break
        if family == "exponential":
            scale = (uncensored.sum() + right.sum()) / count
            params = (0.0, scale)
        else:
            dist = {"weibull": stats.weibull_min, "lognormal": stats.lognorm}[family]
            params = dist.fit(data, floc=0)
        frozen = _frozen(family, params)
        log_likelihood = float(frozen.logpdf(uncensored).sum() + frozen.logsf(right).sum())
        fits.append(_describe(family, params, log_likelihood, _PARAMETERS[family]))
    if not fits:
        raise ScenarioError("no abandonment in the log: patience cannot be estimated")
    ordered = np.sort(waits)
    at_risk = ordered.size - np.searchsorted(ordered, times, side="left")
    judged = (at_risk >= PATIENCE_MIN_AT_RISK) & np.isin(times, waits[observed])
    if not judged.any():
        judged = np.isin(times, waits[observed])
    end = float(times[judged].max())
    survival_at_end = float(survival[times <= end][-1])
    distance = {f.family: float(np.abs(_frozen(f.family, f.params).sf(times[judged]) - survival[judged]).max())
                for f in fits}
    closest = min(distance.values())
    acceptable = [f for f in fits
                  if distance[f.family] <= max(closest + PATIENCE_KM_TOLERANCE, PATIENCE_KM_RELATIVE_TOLERANCE * closest)]
    identified = survival_at_end <= PATIENCE_IDENTIFIED_SURVIVAL
    best = min(acceptable, key=lambda f: (_PARAMETERS[f.family], f.aic if identified else _TAIL_ORDER[f.family], f.aic))
    return PatienceEstimate(tuple(fits), best, times, survival, contacts, count, distance, end, survival_at_end)


@dataclass(frozen=True)
class HandleTimeEstimate:
    """Handle time of one channel: fits, the AIC choice, and whether the data were kept instead."""

    fits: tuple[DistributionFit, ...]
    best: DistributionFit
    ks_distance: float
    empirical: bool
    mean_seconds: float
    cv: float
    count: int
    quantiles_seconds: np.ndarray = field(default_factory=lambda: np.empty(0))


def fit_handle_time(samples_seconds, families=("lognormal", "gamma", "weibull", "exponential")) -> HandleTimeEstimate:
    """Fit handle times by maximum likelihood, choose by AIC, fall back to the data if none fits.

    Returns
    -------
    HandleTimeEstimate
        ``empirical`` is True when the AIC-best family's Kolmogorov-Smirnov distance exceeds
        :data:`EMPIRICAL_KS_LIMIT`; ``quantiles_seconds`` then holds :data:`EMPIRICAL_POINTS`
        mid-quantiles rescaled to the sample mean.
    """
    from scipy import stats

    x = np.asarray(samples_seconds, dtype=float)
    x = x[x > 0]
    if x.size < 2:
        raise ScenarioError("fewer than 2 answered contacts with a handle time > 0")
    mean = float(x.mean())
    cv = float(x.std(ddof=1) / mean)
    quantiles = np.quantile(x, (np.arange(EMPIRICAL_POINTS) + 0.5) / EMPIRICAL_POINTS)
    quantiles = quantiles * (mean / quantiles.mean())
    fits = []
    for family in families:
        if family == "exponential":
            params = (0.0, float(x.mean()))
            k = 1
        elif x.std() == 0:
            continue  # no spread: two-parameter families have no maximum-likelihood fit
        else:
            dist = {"lognormal": stats.lognorm, "gamma": stats.gamma, "weibull": stats.weibull_min}[family]
            try:
                params = dist.fit(x, floc=0)
            except (ValueError, RuntimeError, FloatingPointError):
                continue
            k = 2
        fits.append(_describe(family, params, float(_frozen(family, params).logpdf(x).sum()), k))
    best = min(fits, key=lambda f: f.aic)
    ks = float(stats.kstest(x, _frozen(best.family, best.params).cdf).statistic)
    return HandleTimeEstimate(tuple(fits), best, ks, ks > EMPIRICAL_KS_LIMIT, mean, cv, int(x.size), quantiles)


HANDLE_VARIATION_P = 0.001
"""Kruskal-Wallis p-value below which the handle time is said to vary through the day."""


def handle_time_by_interval(interval_index, handle_seconds, intervals: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Mean handle time per interval of the day and whether it varies through the day.

    Parameters
    ----------
    interval_index : array_like of int
        Interval of the day (0-based on the calibration grid) of each answered contact's arrival.
    handle_seconds : array_like
        Its handle time in seconds (> 0; others are left out).
    intervals : int
        Intervals on the grid.

    Returns
    -------
    means_seconds, counts : numpy.ndarray
        Mean handle time (NaN where no contact) and contacts per interval, over all days.
    p_value : float
        Kruskal-Wallis test of equal handle-time distributions across the intervals holding at
        least 20 contacts (``scipy.stats.kruskal``); below :data:`HANDLE_VARIATION_P` the handle
        time varies through the day. NaN with fewer than two such intervals.
    """
    from scipy import stats

    index = np.asarray(interval_index, dtype=int)
    x = np.asarray(handle_seconds, dtype=float)
    keep = (x > 0) & (index >= 0) & (index < intervals)
    index, x = index[keep], x[keep]
    counts = np.bincount(index, minlength=intervals).astype(float)
    sums = np.bincount(index, weights=x, minlength=intervals)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    groups = [x[index == i] for i in range(intervals) if counts[i] >= 20]
    p_value = float(stats.kruskal(*groups).pvalue) if len(groups) >= 2 else float("nan")
    return means, counts, p_value


@dataclass(frozen=True)
class RetrialEstimate:
    """Retrials: probability an abandoning customer tries again, and the mean delay (seconds)."""

    probability: float
    mean_delay_seconds: float
    abandoned: int
    followed: int
    retrial_contacts: np.ndarray  # bool per log row: this contact is a retrial


def estimate_retrials(frame) -> RetrialEstimate | None:
    """Retrials from ``customer_id``: each abandoned contact followed, the same day, by another
    contact of the same customer is retried; the delay runs from the abandonment to that contact.

    ``probability`` and the exponential ``mean_delay_seconds`` are maximum-likelihood estimates
    where the end of the day (last arrival of the day) censors the delay: a retried contact adds
    ``log(p f(t))``, an unretried one ``log(1 - p F(c))`` with ``c`` the time left in the day.

    Returns
    -------
    RetrialEstimate or None
        None without a ``customer_id`` column or without abandonment.
    """
    from scipy import optimize

    if "customer_id" not in frame.columns or not (frame["outcome"] == "abandoned").any():
        return None
    data = frame.loc[frame["customer_id"].notna(), ["arrived_at", "outcome", "wait_seconds", "customer_id"]].copy()
    data["day"] = data["arrived_at"].dt.normalize()
    data = data.sort_values(["customer_id", "arrived_at"], kind="stable")
    following = data.groupby(["customer_id", "day"], sort=False)["arrived_at"].shift(-1)
    ended_at = data["arrived_at"] + _seconds(data["wait_seconds"])
    day_end = data.groupby("day")["arrived_at"].transform("max")
    abandoned = (data["outcome"] == "abandoned").to_numpy()
    delay = ((following - ended_at).dt.total_seconds()).to_numpy()[abandoned]
    followed = ~np.isnan(delay)
    delay = np.maximum(delay[followed], 0.0)
    left = np.maximum((day_end - ended_at).dt.total_seconds().to_numpy()[abandoned][~followed], 0.0)
    next_row = data.index.to_series().groupby([data["customer_id"], data["day"]], sort=False).shift(-1)
    is_retrial = np.zeros(len(frame), dtype=bool)
    retried = next_row.to_numpy()[abandoned][followed]
    is_retrial[frame.index.get_indexer(retried.astype(frame.index.dtype))] = True
    n_followed = int(followed.sum())
    total = int(abandoned.sum())
    if n_followed == 0:
        return RetrialEstimate(0.0, float("nan"), total, 0, is_retrial)

    def negative_log_likelihood(theta):
        p = 1.0 / (1.0 + math.exp(-theta[0]))
        mean = math.exp(theta[1])
        value = n_followed * math.log(p) - n_followed * math.log(mean) - delay.sum() / mean
        value += np.log1p(-p * (-np.expm1(-left / mean))).sum()
        return -value

    start = [math.log(n_followed / max(total - n_followed, 1) + 1e-9), math.log(max(delay.mean(), 1.0))]
    result = optimize.minimize(negative_log_likelihood, start, method="Nelder-Mead", options={"xatol": 1e-6, "fatol": 1e-9})
    p = 1.0 / (1.0 + math.exp(-result.x[0]))
    return RetrialEstimate(float(p), float(math.exp(result.x[1])), total, n_followed, is_retrial)


def _seconds(values):
    import pandas as pd

    return pd.to_timedelta(values.fillna(0.0), unit="s")


def interval_grid(frame, interval_minutes: float) -> tuple[int, int]:
    """First interval of the day holding a contact and the number of intervals up to the last one."""
    minutes = frame["arrived_at"].dt.hour * 60 + frame["arrived_at"].dt.minute + frame["arrived_at"].dt.second / 60
    index = (minutes // interval_minutes).astype(int)
    return int(index.min()), int(index.max() - index.min() + 1)


def skill_groups(frame) -> dict[str, tuple[str, ...]]:
    """Agent -> the channels they answered (their skills), from the log's ``agent`` column."""
    if "agent" not in frame.columns:
        return {}
    answered = frame.loc[(frame["outcome"] == "answered") & frame["agent"].notna(), ["agent", "channel"]]
    order = {name: k for k, name in enumerate(dict.fromkeys(frame["channel"]))}
    return {str(agent): tuple(sorted(set(channels), key=lambda channel: order[channel]))
            for agent, channels in answered.groupby("agent")["channel"]}


def _group_name(channels: tuple[str, ...]) -> str:
    return "+".join(channels) + " team"


def busy_and_queue(starts, ends, queue_starts, queue_ends, grid_start: float, interval_seconds: float, intervals: int):
    """Step functions of contacts in handling and contacts waiting, cut at interval boundaries.

    All times in seconds from midnight of the day. Returns arrays per segment: ``interval``,
    ``duration_seconds``, ``busy``, ``waiting``.
    """
    edges = grid_start + interval_seconds * np.arange(intervals + 1)
    times = np.concatenate([starts, ends, queue_starts, queue_ends, edges])
    busy_step = np.concatenate([np.ones(len(starts)), -np.ones(len(ends)), np.zeros(len(queue_starts) * 2 + edges.size)])
    wait_step = np.concatenate([np.zeros(len(starts) * 2), np.ones(len(queue_starts)), -np.ones(len(queue_ends)),
                                np.zeros(edges.size)])
    order = np.argsort(times, kind="stable")
    times, busy, waiting = times[order], np.cumsum(busy_step[order]), np.cumsum(wait_step[order])
    duration = np.diff(times)
    middle = times[:-1] + duration / 2
    interval = np.floor((middle - grid_start) / interval_seconds).astype(int)
    keep = (duration > 0) & (interval >= 0) & (interval < intervals)
    return interval[keep], duration[keep], busy[:-1][keep], waiting[:-1][keep]


def _weighted_quantile(values, weights, q):
    order = np.argsort(values)
    values, weights = values[order], weights[order]
    cumulative = np.cumsum(weights) / weights.sum()
    return float(values[min(int(np.searchsorted(cumulative, q)), values.size - 1)])


def infer_staffing(frame, groups: dict[str, tuple[str, ...]], agent_group: dict[str, str],
                   first_interval: int, intervals: int, interval_minutes: float):
    """Agents on duty per day, interval and group, inferred from activity (see the module docstring).

    Parameters
    ----------
    frame : pandas.DataFrame
        Queue rows of the log (answered and abandoned).
    groups : dict of str to tuple of str
        Group name -> channels it serves.
    agent_group : dict of str to str
        Agent -> group (empty without an ``agent`` column: then there must be one group).

    Returns
    -------
    pandas.DataFrame
        ``day, interval, group, agents, low, high, identified, queue_seconds``.
    """
    import pandas as pd

    dt = interval_minutes * 60.0
    grid_start = first_interval * dt
    rows = []
    frame = frame.assign(day=frame["arrived_at"].dt.normalize())
    for day, data in frame.groupby("day", sort=True):
        seconds = (data["arrived_at"] - day).dt.total_seconds().to_numpy()
        wait = data["wait_seconds"].to_numpy()
        answered = (data["outcome"] == "answered").to_numpy()
        start = seconds + wait
        end = start + data["handle_seconds"].fillna(0).to_numpy() + data["acw_seconds"].fillna(0).to_numpy()
        interval_of = np.floor((start - grid_start) / dt).astype(int)
        for name, channels in groups.items():
            in_channels = data["channel"].isin(channels).to_numpy()
            if agent_group and "agent" in data:
                mine = answered & data["agent"].map(agent_group).eq(name).to_numpy()
            else:
                mine = answered & in_channels
            waited = in_channels & (wait > 0)
            interval, duration, busy, waiting = busy_and_queue(
                start[mine], end[mine], seconds[waited], seconds[waited] + wait[waited], grid_start, dt, intervals)
            active = {}
            if "agent" in data:
                agents = data["agent"].to_numpy()
                for i in range(intervals):
                    inside = mine & (interval_of == i)
                    active[i] = set(agents[inside])
            for i in range(intervals):
                here = interval == i
                queued = here & (waiting > 0)
                queue_seconds = float(duration[queued].sum())
                peak = float(busy[here].max()) if here.any() else 0.0
                distinct = len(active.get(i, ())) if active else 0
                if queue_seconds >= IDENTIFIED_QUEUE_SECONDS:
                    during_queue = float(np.average(busy[queued], weights=duration[queued]))
                    # without a queue the agents on duty are at least those busy, and at least as many
                    # as while contacts waited (queues form when agents are away: reading the count
                    # only then would undercount the interval)
                    estimate = float(np.average(np.where(waiting[here] > 0, busy[here],
                                                         np.maximum(busy[here], during_queue)),
                                                weights=duration[here]))
                    low = min(_weighted_quantile(busy[queued], duration[queued], 0.1), estimate)
                    high = max(_weighted_quantile(busy[queued], duration[queued], 0.9), estimate)
                    identified = True
                else:
                    estimate = max(peak, distinct)
                    low = peak
                    high = max(peak, distinct, len(active.get(i, set()) | active.get(i - 1, set())) if active else peak)
                    identified = False
                rows.append((day, i, name, estimate, low, high, identified, queue_seconds))
    return pd.DataFrame(rows, columns=["day", "interval", "group", "agents", "low", "high", "identified", "queue_seconds"])


def staffing_from_sessions(sessions, agent_group: dict[str, str], groups: list[str], days,
                           first_interval: int, intervals: int, interval_minutes: float):
    """Agents on duty per day, interval and group from logged-in sessions (time-average, agents).

    The rule for an agent's group, when the log has several: their skill group when the agent
    answered contacts in the log (its ``agent`` column); else the session's ``group`` column when
    it names a group of the calibration; else the first group, the one serving the most channels
    (an agent the log never saw handle a contact is assumed to be able to take all of them; the
    calibration header counts such agents). With one group every session counts in it. Returns
    ``day, interval, group, agents, low, high, identified``.
    """
    import pandas as pd

    dt = interval_minutes * 60.0
    fallback = groups[0]
    rows = []
    for day in days:
        day = pd.Timestamp(day)
        begin = day + pd.to_timedelta(first_interval * dt, unit="s")
        edges = begin + pd.to_timedelta(dt * np.arange(intervals + 1), unit="s")
        totals = {g: np.zeros(intervals) for g in groups}
        for agent, start, end, group in sessions[["agent", "start", "end", "group"]].itertuples(index=False):
            name = agent_group.get(str(agent)) or (group if isinstance(group, str) and group in totals else fallback)
            lo = np.maximum(edges[:-1].to_numpy(), np.datetime64(start))
            hi = np.minimum(edges[1:].to_numpy(), np.datetime64(end))
            overlap = (hi - lo) / np.timedelta64(1, "s")
            totals[name] += np.maximum(overlap, 0.0) / dt
        for name, values in totals.items():
            for i, value in enumerate(values):
                rows.append((day, i, name, float(value), float(math.floor(value)), float(math.ceil(value)), True, float("nan")))
    return pd.DataFrame(rows, columns=["day", "interval", "group", "agents", "low", "high", "identified", "queue_seconds"])


# --------------------------------------------------------------------------- the whole calibration
@dataclass(frozen=True, eq=False)
class ChannelCalibration:
    """What was estimated for one channel."""

    name: str
    kind: str
    contacts: int
    handle: HandleTimeEstimate | None
    patience: PatienceEstimate | None
    retrial: RetrialEstimate | None
    acw_seconds: float
    handle_by_interval_seconds: np.ndarray = field(default_factory=lambda: np.empty(0))  # NaN: < 20 answered
    handle_variation_p: float = float("nan")
    from_report: tuple[str, ...] = ()  # how each estimate was made from an interval report (else empty)

    @property
    def handle_varies(self) -> bool:
        """True when the handle time varies through the day (see :func:`handle_time_by_interval`)."""
        return bool(self.handle_variation_p < HANDLE_VARIATION_P)


@dataclass(frozen=True, eq=False)
class Calibration:
    """A calibrated centre: per-channel estimates, per-day arrivals and staffing, the grid.

    Attributes
    ----------
    arrivals : pandas.DataFrame
        ``day, interval, channel, contacts, fresh`` (all queue contacts / first attempts) per
        interval of each day in the log.
    staffing : pandas.DataFrame
        ``day, interval, group, agents, low, high, identified`` (see :func:`infer_staffing`).
    groups : dict of str to tuple of str
        Agent groups and the channels they serve.
    """

    source: str
    interval_minutes: float
    first_interval: int
    intervals: int
    channels: dict[str, ChannelCalibration]
    arrivals: pd.DataFrame
    staffing: pd.DataFrame
    groups: dict[str, tuple[str, ...]]
    staffing_source: str
    odd_rows: dict[str, int]
    other_outcomes: dict[str, int]
    days: tuple

    @property
    def start_minutes(self) -> float:
        """Clock time of the first interval, minutes after midnight."""
        return self.first_interval * self.interval_minutes

    def mean_arrivals(self, channel: str, fresh: bool = True) -> np.ndarray:
        """Mean contacts per interval over the log's days (first attempts when retrials are modelled)."""
        table = self.arrivals[self.arrivals["channel"] == channel].pivot(index="day", columns="interval",
                                                                           values="fresh" if fresh else "contacts")
        return table.reindex(columns=range(self.intervals), fill_value=0).fillna(0).to_numpy().mean(axis=0)

    def mean_staffing(self, group: str) -> np.ndarray:
        """Mean agents on duty per interval over the log's days."""
        table = self.staffing[self.staffing["group"] == group].pivot(index="day", columns="interval", values="agents")
        return table.reindex(columns=range(self.intervals), fill_value=0).fillna(0).to_numpy().mean(axis=0)

    def day_arrivals(self, day, channel: str, fresh: bool = True) -> np.ndarray:
        """Contacts per interval of one ``day`` of the log."""
        rows = self.arrivals[(self.arrivals["day"] == day) & (self.arrivals["channel"] == channel)]
        out = np.zeros(self.intervals)
        out[rows["interval"].to_numpy()] = rows["fresh" if fresh else "contacts"].to_numpy()
        return out

    def day_staffing(self, day, group: str) -> np.ndarray:
        """Agents on duty per interval of one ``day`` (rounded to whole agents)."""
        rows = self.staffing[(self.staffing["day"] == day) & (self.staffing["group"] == group)]
        out = np.zeros(self.intervals)
        out[rows["interval"].to_numpy()] = rows["agents"].to_numpy()
        return np.rint(out).astype(int)

    def staffing_uncertainty(self) -> dict[str, float]:
        """Share of staffed intervals identified, mean half-width of their agent range, agent-hours low / estimate / high."""
        table = self.staffing
        hours = self.interval_minutes / 60.0
        staffed = table[table["agents"] > 0]
        half = (staffed["high"] - staffed["low"]) / 2
        return {
            "identified_share": float(staffed["identified"].mean()) if len(staffed) else float("nan"),
            "mean_half_range_agents": float(half.mean()) if len(staffed) else float("nan"),
            "agent_hours": float(table["agents"].sum() * hours),
            "agent_hours_low": float(table["low"].sum() * hours),
            "agent_hours_high": float(table["high"].sum() * hours),
        }


def calibrate_log(log, sessions=None, interval_minutes: float = 30.0) -> Calibration:
    """Estimate a scenario's parameters from a :class:`scenarios.document.contact_log.ContactLog`.

    Parameters
    ----------
    log : ContactLog
        The validated log.
    sessions : pandas.DataFrame, optional
        Agent sessions (:func:`scenarios.document.contact_log.read_sessions`); without them the
        staffing is inferred from activity (:func:`infer_staffing`).
    interval_minutes : float
        Interval length in minutes (> 0, dividing the day).

    Returns
    -------
    Calibration

    Raises
    ------
    ValueError
        If the interval does not divide the day.
    """
    import pandas as pd

    if interval_minutes <= 0 or 1440 % interval_minutes:
        raise ScenarioError(f"--interval-minutes must be > 0 and divide the day (1440 minutes), got {interval_minutes:g}")
    queue = log.queue.copy()
    first, intervals = interval_grid(queue, interval_minutes)
    retrials = estimate_retrials(queue.reset_index(drop=True))
    queue = queue.reset_index(drop=True)
    queue["retrial"] = retrials.retrial_contacts if retrials is not None else False
    queue["day"] = queue["arrived_at"].dt.normalize()
    minutes = queue["arrived_at"].dt.hour * 60 + queue["arrived_at"].dt.minute + queue["arrived_at"].dt.second / 60
    queue["interval"] = (minutes // interval_minutes).astype(int) - first
    arrivals = (queue.assign(fresh=~queue["retrial"]).groupby(["day", "interval", "channel"])
                .agg(contacts=("outcome", "size"), fresh=("fresh", "sum")).reset_index())
    channels = {}
    for name in log.channels:
        rows = queue[queue["channel"] == name]
        if rows.empty:
            continue
        kind = log.channel_kind(name)
        answered = rows[rows["outcome"] == "answered"]
        handle = fit_handle_time(answered["handle_seconds"].to_numpy()) if (answered["handle_seconds"] > 0).sum() >= 2 else None
        patience = None
        if kind != "email" and (rows["outcome"] == "abandoned").any():
            patience = fit_patience(rows["wait_seconds"].to_numpy(), (rows["outcome"] == "abandoned").to_numpy())
        retrial = None
        if retrials is not None and patience is not None:
            retrial = estimate_retrials(rows.drop(columns=["retrial", "day", "interval"]).reset_index(drop=True))
        acw = float(answered["acw_seconds"].mean()) if answered["acw_seconds"].notna().any() else 0.0
        by_interval, by_interval_counts, variation_p = handle_time_by_interval(answered["interval"].to_numpy(),
                                                              answered["handle_seconds"].to_numpy(), intervals)
        channels[name] = ChannelCalibration(name, kind, len(rows), handle, patience, retrial, acw,
                                            np.where(by_interval_counts >= 20, by_interval, np.nan), variation_p)
    skills = skill_groups(queue)
    if skills:
        signatures = list(dict.fromkeys(sorted(skills.values(), key=lambda c: (-len(c), c))))
        groups = {_group_name(sig): sig for sig in signatures}
        agent_group = {agent: _group_name(sig) for agent, sig in skills.items()}
        uncovered = [c for c in channels if not any(c in sig for sig in groups.values())]
        for name in uncovered:
            groups[_group_name((name,))] = (name,)
    else:
        groups = {_group_name(tuple(channels)): tuple(channels)}
        agent_group = {}
    days = tuple(sorted(queue["day"].unique()))
    if sessions is not None:
        staffing = staffing_from_sessions(sessions, agent_group, list(groups), days, first, intervals, interval_minutes)
        source = f"sessions file ({sessions['agent'].nunique()} agents, {len(sessions)} sessions)"
        named = sessions["group"].where(sessions["group"].isin(list(groups))) if "group" in sessions else None
        unplaced = sessions.loc[~sessions["agent"].astype(str).isin(agent_group)
                                & (named.isna() if named is not None else True), "agent"].nunique()
        if unplaced and len(groups) > 1:
            source += (f"; {unplaced} session agent(s) neither in the log's agent column nor with a known group "
                       f"counted in {next(iter(groups))} (the group serving the most channels)")
    else:
        staffing = infer_staffing(queue, groups, agent_group, first, intervals, interval_minutes)
        source = "inferred from activity (no sessions file)"
    return Calibration(log.source, float(interval_minutes), first, intervals, channels, arrivals, staffing, groups,
                       source, dict(log.odd_rows), dict(log.other_outcomes), tuple(pd.Timestamp(d) for d in days))


def _exponential_fit(mean_seconds: float) -> DistributionFit:
    return DistributionFit("exponential", (0.0, float(mean_seconds)), float("nan"), float("nan"), float(mean_seconds), 1.0)


def report_patience_seconds(offered, abandoned, agents, aht_seconds, interval_minutes: float,
                            expected_offered=None) -> float:
    """Exponential mean patience (seconds) making Erlang A's abandonments match an interval report's.

    Each interval is an M/M/n+M queue (:func:`staffing.erlang_a`) at its agents, mean handle time
    and arrival rate, the rate being ``expected_offered`` per interval (default the offered count
    itself); its predicted abandon share times the offered count, summed over the intervals, must
    equal the observed abandoned total; the mean patience solving this is found by
    ``scipy.optimize.brentq`` on a log scale between 1 s and 1e6 s (the total falls as patience
    grows). Pass the expected rate (e.g. the mean offered at that time of day over the days): the
    abandon share is convex in the rate, so the Poisson noise of one interval's count would
    inflate the prediction (by about 9 % at 100 calls per interval near full load) and the patience
    with it.

    Raises
    ------
    ValueError
        If no interval has agents and offered contacts, or no patience reproduces the total.
    """
    from scipy import optimize

    from staffing import erlang_a

    offered, abandoned = np.asarray(offered, dtype=float), np.asarray(abandoned, dtype=float)
    agents, aht = np.asarray(agents, dtype=float), np.asarray(aht_seconds, dtype=float)
    use = (offered > 0) & (agents > 0) & (aht > 0)
    if not use.any():
        raise ScenarioError("the interval report needs intervals with offered > 0, agents > 0 and aht_seconds > 0")
    expected = offered if expected_offered is None else np.asarray(expected_offered, dtype=float)
    rate = expected[use] * 60.0 / interval_minutes
    target = float(abandoned.sum())

    def excess(log_patience: float) -> float:
        result = erlang_a(rate, aht[use], math.exp(log_patience), np.rint(agents[use]), 20.0)
        return float((np.asarray(result.p_abandon) * offered[use]).sum() + (abandoned.sum() - abandoned[use].sum()) - target)

    low, high = math.log(1.0), math.log(1e6)
    if excess(high) > 0:
        raise ScenarioError(f"Erlang A predicts more than the report's {target:.0f} abandoned contacts even with a patience "
                         "of 1e6 s: the agents column looks too low for the offered contacts and AHT")
    if excess(low) < 0:
        raise ScenarioError(f"Erlang A predicts fewer than the report's {target:.0f} abandoned contacts even with a patience "
                         "of 1 s: the agents column looks too high for the offered contacts and AHT")
    return float(math.exp(optimize.brentq(excess, low, high, xtol=1e-6)))


def calibrate_interval_report(report, interval_minutes: float = 30.0, source: str = "interval report") -> Calibration:
    """Estimate a scenario from an interval report (:func:`scenarios.document.contact_log.read_interval_report`).

    What an interval report allows (it has no contact-level waits or handle times):

    * arrivals: the offered contacts per day, interval and channel, exactly;
    * handle time per channel: the answered-weighted mean of ``aht_seconds``, exponential (the
      distribution cannot be seen in interval totals: assumed, and said so);
    * patience per channel: exponential, its mean from :func:`report_patience_seconds` (Erlang A
      at the channel's mean AHT and the mean offered at each time of day over the days, matched to
      the abandoned total); none when nothing was abandoned.
      Totals identify patience only where abandonment depends on it: near or above full load the
      abandonments are set by the missing capacity and hardly by patience;
    * agents: the report's ``agents`` per day and interval, one group per channel
      (``<channel> team``), as reported (no range).

    Raises
    ------
    ValueError
        Without ``agents`` or ``aht_seconds`` columns, or timestamps off the interval grid.
    """
    import pandas as pd

    for column in ("agents", "aht_seconds"):
        if column not in report.columns or report[column].isna().all():
            raise ScenarioError(f"the interval report needs a {column!r} column to calibrate and backtest")
    if interval_minutes <= 0 or 1440 % interval_minutes:
        raise ScenarioError(f"--interval-minutes must be > 0 and divide the day (1440 minutes), got {interval_minutes:g}")
    frame = report.copy()
    frame["day"] = frame["interval_start"].dt.normalize()
    minutes = (frame["interval_start"] - frame["day"]).dt.total_seconds() / 60.0
    if (minutes % interval_minutes > 1e-6).any():
        row = int((minutes % interval_minutes > 1e-6).to_numpy().argmax())
        raise ScenarioError(f"interval_start {frame['interval_start'].iloc[row]} is not on the {interval_minutes:g}-minute grid "
                         "(give --interval-minutes)")
    index = np.rint(minutes / interval_minutes).astype(int)
    first = int(index.min())
    frame["interval"] = index - first
    intervals = int(index.max() - first + 1)
    arrivals = frame.groupby(["day", "interval", "channel"]).agg(contacts=("offered", "sum")).reset_index()
    arrivals["fresh"] = arrivals["contacts"]
    channels: dict[str, ChannelCalibration] = {}
    groups: dict[str, tuple[str, ...]] = {}
    staffing_rows: list[tuple] = []
    for name, rows in frame.groupby("channel", sort=False):
        answered = rows["answered"].to_numpy(dtype=float)
        aht = rows["aht_seconds"].to_numpy(dtype=float)
        known = np.isfinite(aht) & (answered > 0)
        mean_aht = float(np.average(aht[known], weights=answered[known])) if known.any() else float("nan")
        if not math.isfinite(mean_aht):
            raise ScenarioError(f"channel {name}: no interval with answered contacts and an aht_seconds")
        handle = HandleTimeEstimate((_exponential_fit(mean_aht),), _exponential_fit(mean_aht), float("nan"), False,
                                    mean_aht, 1.0, int(answered.sum()))
        notes = [f"handle time: mean {mean_aht:.1f} s (aht_seconds weighted by answered); exponential assumed "
                 "(an interval report does not show the distribution)"]
        patience = None
        abandoned = int(rows["abandoned"].sum())
        if abandoned:
            # the channel's mean AHT in every interval: an interval's own AHT is the mean of a few dozen
            # calls, and Erlang A near full load magnifies that noise into the abandonments
            theta = report_patience_seconds(rows["offered"], rows["abandoned"], rows["agents"].fillna(0),
                                            np.full(len(rows), mean_aht), interval_minutes,
                                            expected_offered=rows.groupby("interval")["offered"].transform("mean"))
            fit = _exponential_fit(theta)
            patience = PatienceEstimate((fit,), fit, np.empty(0), np.empty(0), int(rows["offered"].sum()), abandoned)
            notes.append(f"patience: exponential, mean {theta:.1f} s: Erlang A per interval (offered, AHT, agents) "
                         f"reproduces the {abandoned} abandoned contacts (waits per contact unknown: family assumed)")
        channels[name] = ChannelCalibration(name, name if name in ("voice", "chat", "email") else "voice",
                                            int(rows["offered"].sum()), handle, patience, None, 0.0,
                                            from_report=tuple(notes))
        group = _group_name((name,))
        groups[group] = (name,)
        for (day, i), agents in rows.groupby(["day", "interval"])["agents"].sum().items():
            staffing_rows.append((day, int(i), group, float(agents), float(agents), float(agents), True, float("nan")))
    staffing = pd.DataFrame(staffing_rows, columns=["day", "interval", "group", "agents", "low", "high", "identified",
                                                    "queue_seconds"])
    days = tuple(pd.Timestamp(d) for d in sorted(frame["day"].unique()))
    return Calibration(source, float(interval_minutes), first, intervals, channels, arrivals, staffing, groups,
                       "interval report (agents column, as reported)", {}, {}, days)


def report_kpis(report, calibration: Calibration):
    """Observed KPIs of an interval report in :func:`scenarios.studies.backtest.log_kpis`' layout.

    Per day, interval and channel, and per day (``interval`` -1): offered, answered, abandoned,
    abandon rate (of offered), service level (the report's share, taken as of offered; daily:
    offered-weighted), ASA (daily: answered-weighted); occupancy is not in a report (NaN).
    """
    import pandas as pd

    frame = report.copy()
    frame["day"] = frame["interval_start"].dt.normalize()
    minutes = (frame["interval_start"] - frame["day"]).dt.total_seconds() / 60.0
    frame["interval"] = np.rint(minutes / calibration.interval_minutes).astype(int) - calibration.first_interval
    for column in ("service_level", "asa_seconds"):
        if column not in frame:
            frame[column] = np.nan
    frame["within"] = frame["service_level"] * frame["offered"]
    frame["wait_total"] = frame["asa_seconds"] * frame["answered"]
    keys = ["day", "interval", "channel"]
    table = frame.groupby(keys).agg(offered=("offered", "sum"), answered=("answered", "sum"),
                                    abandoned=("abandoned", "sum"), within=("within", "sum"),
                                    wait_total=("wait_total", "sum"),
                                    sl_known=("service_level", "count"), asa_known=("asa_seconds", "count")).reset_index()
    daily = table.groupby(["day", "channel"]).agg(offered=("offered", "sum"), answered=("answered", "sum"),
                                                 abandoned=("abandoned", "sum"), within=("within", "sum"),
                                                 wait_total=("wait_total", "sum"), sl_known=("sl_known", "sum"),
                                                 asa_known=("asa_known", "sum")).reset_index()
    daily["interval"] = -1
    out = pd.concat([table, daily], ignore_index=True)
    out["abandon_rate"] = out["abandoned"] / out["offered"]
    out["service_level"] = np.where(out["sl_known"] > 0, out["within"] / out["offered"], np.nan)
    out["asa_seconds"] = np.where((out["asa_known"] > 0) & (out["answered"] > 0), out["wait_total"] / out["answered"], np.nan)
    out["occupancy"] = np.nan
    return out[["day", "interval", "channel", "offered", "answered", "abandoned", "abandon_rate", "service_level",
                "asa_seconds", "occupancy"]]


def _handle_spec(estimate: HandleTimeEstimate) -> tuple[dict, dict]:
    if estimate.empirical:
        return {}, {"kind": "empirical", "samples_seconds": [round(float(v), 3) for v in estimate.quantiles_seconds]}
    best = estimate.best
    mean = {"aht_seconds": round(estimate.mean_seconds, 3)}
    if best.family == "exponential":
        return mean, {"kind": "exponential"}
    if best.family == "weibull":
        return mean, {"kind": "weibull", "shape": round(best.shape, 4)}
    return mean, {"kind": best.family, "cv": round(best.cv, 4)}


def scenario_data(calibration: Calibration, name: str | None = None, service_levels: dict | None = None,
                  fresh: bool = True) -> dict:
    """The scenario (a plain dict, valid for :class:`scenarios.document.scenario.Scenario`).

    Arrivals are the mean per interval over the log's days (first attempts when retrials are
    modelled), agents the mean on duty rounded to whole agents (at least 1 where contacts came).
    """
    from scenarios.document.clock import format_clock

    channels = {}
    for ch in calibration.channels.values():
        arrivals = calibration.mean_arrivals(ch.name, fresh=fresh and ch.retrial is not None)
        spec: dict = {"kind": ch.kind, "arrivals_per_interval": [round(float(v), 4) for v in arrivals]}
        if ch.handle is not None:
            mean, dist = _handle_spec(ch.handle)
            spec.update(mean)
            spec["handle_time"] = dist
        else:
            spec["aht_seconds"] = 1.0
        if ch.acw_seconds > 0:
            spec["after_contact_work_seconds"] = round(ch.acw_seconds, 3)
        if ch.patience is not None:
            best = ch.patience.best
            spec["patience_seconds"] = round(best.mean_seconds, 3)
            if best.family == "weibull":
                spec["patience"] = {"kind": "weibull", "shape": round(best.shape, 4)}
            elif best.family == "lognormal":
                spec["patience"] = {"kind": "lognormal", "cv": round(best.cv, 4)}
            else:
                spec["patience"] = {"kind": "exponential"}
            if ch.retrial is not None and ch.retrial.followed > 0:
                spec["retrial"] = {"probability": round(ch.retrial.probability, 4),
                                   "mean_delay_seconds": round(ch.retrial.mean_delay_seconds, 3)}
        if service_levels and ch.name in service_levels and ch.kind != "email":
            spec["service_level"] = {"target_seconds": service_levels[ch.name][0], "goal": service_levels[ch.name][1]}
        channels[ch.name] = spec
    staff: list[dict] = []
    for group, served in calibration.groups.items():
        agents = np.rint(calibration.mean_staffing(group)).astype(int)
        staff.append({"name": group, "channels": list(served), "agents": [int(a) for a in agents]})
    for channel in channels:  # a channel with contacts needs someone in some interval
        serving = [g for g in staff if channel in g["channels"]]
        if serving and sum(sum(g["agents"]) for g in serving) == 0:
            serving[0]["agents"] = [1] * calibration.intervals
    return {
        "name": name or f"Calibrated from {calibration.source}",
        "interval_minutes": calibration.interval_minutes,
        "intervals": calibration.intervals,
        "start_time": format_clock(calibration.start_minutes),
        "channels": channels,
        "staff": staff,
    }


def header_lines(calibration: Calibration) -> list[str]:
    """The comment header of a calibrated scenario: what was estimated, from what, how well it fits."""
    from scenarios.document.clock import interval_labels

    lines = [f"Calibrated by `ccplan calibrate` from {calibration.source}",
             f"{len(calibration.days)} day(s), {calibration.intervals} intervals of {calibration.interval_minutes:g} min "
             f"from the first to the last interval with a contact; arrivals = mean per interval over the days."]
    for ch in calibration.channels.values():
        lines.append(f"channel {ch.name} ({ch.kind}): {ch.contacts} queue contacts")
        if ch.from_report:
            lines.extend(f"  {line}" for line in ch.from_report)
            continue
        if ch.handle is not None:
            h = ch.handle
            fits = ", ".join(f"{f.family} {f.aic:.1f}" for f in sorted(h.fits, key=lambda f: f.aic))
            chosen = f"empirical (best family's KS distance > {EMPIRICAL_KS_LIMIT:.2f})" if h.empirical else h.best.family
            lines.append(f"  handle time: {h.count} answered, mean {h.mean_seconds:.1f} s, CV {h.cv:.2f}; AIC {fits}; "
                         f"chosen {chosen} (KS distance {h.ks_distance:.3f})")
            means = ch.handle_by_interval_seconds
            if means.size and np.isfinite(means).any():
                low, high = int(np.nanargmin(means)), int(np.nanargmax(means))
                labels = interval_labels(calibration.start_minutes, calibration.interval_minutes, calibration.intervals)
                verdict = ("varies through the day" if ch.handle_varies else "no significant change through the day")
                lines.append(f"  handle time by interval: {verdict} (Kruskal-Wallis p = {ch.handle_variation_p:.2g}); "
                             f"mean {means[low]:.0f} s at {labels[low]} to {means[high]:.0f} s at {labels[high]}"
                             + ("; the scenario holds the daily mean (per-interval means in the .days.csv)"
                                if ch.handle_varies else ""))
        if ch.patience is not None:
            p = ch.patience
            fits = ", ".join(f"{f.family} {f.aic:.1f} (mean {f.mean_seconds:.0f} s)" for f in sorted(p.fits, key=lambda f: f.aic))
            lines.append(f"  patience: {p.abandoned} abandoned, {p.censored_share:.0%} censored (answered); censored MLE, "
                         f"AIC {fits}")
            gaps = ", ".join(f"{f} {d:.3f}" for f, d in sorted(p.km_distance.items(), key=lambda kv: kv[1]))
            lines.append(f"  patience choice: largest gap to Kaplan-Meier up to {p.identified_seconds:.0f} s {gaps}; chosen "
                         f"{p.best.family} (the simplest within {PATIENCE_KM_TOLERANCE:.2f} or {PATIENCE_KM_RELATIVE_TOLERANCE:g}x of "
                         "the closest; then "
                         f"{'AIC' if p.mean_identified else 'the lighter tail'}), "
                         f"mean {p.best.mean_seconds:.1f} s")
            if p.mean_identified:
                lines.append(f"  patience mean identified: Kaplan-Meier falls to {p.survival_at_end:.2f} by "
                             f"{p.identified_seconds:.0f} s (restricted mean {p.km_restricted_mean_seconds:.1f} s)")
            else:
                lines.append(f"  patience mean NOT identified: {p.survival_at_end:.0%} of callers were still waiting at "
                             f"{p.identified_seconds:.0f} s, the longest waits seen; mean up to there "
                             f"{p.km_restricted_mean_seconds:.1f} s (Kaplan-Meier); beyond it the {p.best.family} tail "
                             "is an extrapolation")
            grid = [30, 60, 120, 300]
            km = [float(p.km_survival[np.searchsorted(p.km_times_seconds, t, side='right') - 1])
                  if np.searchsorted(p.km_times_seconds, t, side='right') > 0 else 1.0 for t in grid]
            lines.append("  Kaplan-Meier P(patience > t): " + ", ".join(f"{t} s {v:.2f}" for t, v in zip(grid, km, strict=False)))
        if ch.retrial is not None and ch.retrial.followed == 0:
            lines.append(f"  retrials: none of {ch.retrial.abandoned} abandoned contacts followed by the same customer "
                         "the same day (no retrials modelled)")
        elif ch.retrial is not None:
            r = ch.retrial
            lines.append(f"  retrials: {r.followed} of {r.abandoned} abandoned contacts followed by the same customer; "
                         f"probability {r.probability:.3f}, mean delay {r.mean_delay_seconds:.0f} s (MLE, end of day censors)")
    profiles = weekday_profiles(calibration)
    if not profiles.empty:
        totals = profiles.drop_duplicates(["weekday", "channel"])
        for channel, rows in totals.groupby("channel", sort=False):
            lines.append(f"day types ({channel}, mean contacts per day over the dates of each weekday; profiles in "
                         "the .weekdays.csv): " + ", ".join(f"{w} {t:.0f} ({n} days)" for w, t, n in
                                                           zip(rows["weekday"], rows["daily_total"], rows["days"], strict=True)))
    lines.append(f"staff: {calibration.staffing_source}; groups " +
                 "; ".join(f"{g} = {', '.join(c)}" for g, c in calibration.groups.items()))
    u = calibration.staffing_uncertainty()
    if "inferred" in calibration.staffing_source:
        lines.append(f"  staffing uncertainty: {u['identified_share']:.0%} of staffed interval-days identified (a queue "
                     f">= {IDENTIFIED_QUEUE_SECONDS:.0f} s); agent-hours {u['agent_hours']:.0f} "
                     f"(range {u['agent_hours_low']:.0f}-{u['agent_hours_high']:.0f}); per staffed interval the agents "
                     f"on duty are uncertain by +/- {u['mean_half_range_agents']:.1f} on average (10-90 % of the busy "
                     "count while contacts waited; lower bound to agents seen active where no queue formed)")
    if calibration.odd_rows:
        lines.append("odd rows (kept): " + "; ".join(f"{k}: {v}" for k, v in calibration.odd_rows.items()))
    if calibration.other_outcomes:
        lines.append("other outcomes (not queued): " + ", ".join(f"{k} {v}" for k, v in calibration.other_outcomes.items()))
    lines.append("service-level targets: defaults unless given (--service-level).")
    return lines


def write_calibrated_scenario(calibration: Calibration, path, name: str | None = None,
                              service_levels: dict | None = None) -> dict:
    """Write the scenario YAML with its comment header, and ``<stem>.days.csv`` beside it.

    The CSV holds, per day, interval and channel, the contacts and first attempts, and per day,
    interval and group the agents on duty with their range (for backtests). Returns the data.
    """
    from pathlib import Path

    import pandas as pd
    import yaml

    path = Path(path)
    data = scenario_data(calibration, name, service_levels)
    header = "".join(f"# {line}\n" for line in header_lines(calibration))
    body = yaml.safe_dump(data, sort_keys=False, default_flow_style=None, width=120)
    path.write_text(header + body, encoding="utf-8")
    days = calibration.arrivals.merge(calibration.staffing, on=["day", "interval"], how="outer")
    handle = [(name, i, float(v)) for name, ch in calibration.channels.items()
              for i, v in enumerate(ch.handle_by_interval_seconds) if np.isfinite(v)]
    if handle:
        handle_frame = pd.DataFrame(handle, columns=["channel", "interval", "mean_handle_seconds"])
        days = days.merge(handle_frame, on=["channel", "interval"], how="left")
    days.to_csv(path.with_suffix(".days.csv"), index=False)
    profiles = weekday_profiles(calibration)
    if not profiles.empty:
        profiles.to_csv(path.with_suffix(".weekdays.csv"), index=False)
    return data


WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekday_profiles(calibration: Calibration):
    """Day-type profiles: per weekday and channel, the mean daily total and each interval's share.

    Only weekdays seen on at least two dates (a log of several weeks) are profiled; a weekday seen
    once is one day, not a type.

    Returns
    -------
    pandas.DataFrame
        ``weekday`` (mon..sun), ``channel``, ``days`` (dates averaged), ``daily_total`` (mean
        contacts per day), ``interval``, ``start`` (HH:MM), ``share`` (of the daily total; the
        shares of a weekday and channel sum to 1). Empty when no weekday repeats.
    """
    import pandas as pd

    from scenarios.document.clock import interval_labels

    arrivals = calibration.arrivals
    labels = interval_labels(calibration.start_minutes, calibration.interval_minutes, calibration.intervals)
    days = pd.Series(pd.to_datetime(list(calibration.days)))
    rows = []
    for weekday in range(7):
        dates = days[days.dt.day_of_week == weekday]
        if len(dates) < 2:
            continue
        for channel in calibration.channels:
            table = arrivals[(arrivals["channel"] == channel) & arrivals["day"].isin(dates)]
            counts = (table.groupby("interval")["contacts"].sum().reindex(range(calibration.intervals), fill_value=0)
                      / len(dates))
            total = float(counts.sum())
            for i, value in enumerate(counts.to_numpy()):
                rows.append((WEEKDAY_NAMES[weekday], channel, len(dates), total, i, labels[i],
                             float(value / total) if total > 0 else 0.0))
    return pd.DataFrame(rows, columns=["weekday", "channel", "days", "daily_total", "interval", "start", "share"])


def naive_calibrate_log(log, interval_minutes: float = 30.0) -> Calibration:
    """The naive calibration, a documented baseline to measure :func:`calibrate_log` against.

    What a planner does by hand from a log without a sessions file:

    * patience: one exponential, mean = total waiting time / abandonments (the censored MLE);
    * handle time: one lognormal fitted by maximum likelihood (never the data themselves);
    * agents on duty per day and interval = the number of distinct agents who answered a call in
      that interval (by answer time, arrival + wait); needs the log's ``agent`` column;
    * arrivals per day and interval as counted (the same as :func:`calibrate_log`); no retrials.

    Returns
    -------
    Calibration
        Usable wherever a calibration is (``scenario_data``, ``run_backtest``); its
        ``staffing_source`` says it is the naive baseline.

    Raises
    ------
    ValueError
        Without an ``agent`` column, or if the interval does not divide the day.
    """
    import dataclasses

    import pandas as pd

    if "agent" not in log.frame.columns:
        raise ScenarioError("the naive baseline counts agents who answered: the log needs an 'agent' column")
    full = calibrate_log(log, None, interval_minutes)
    channels = {}
    for name, ch in full.channels.items():
        rows = log.queue[log.queue["channel"] == name]
        handle = None
        if ch.handle is not None:
            answered = rows.loc[rows["outcome"] == "answered", "handle_seconds"].to_numpy()
            handle = dataclasses.replace(fit_handle_time(answered, families=("lognormal",)), empirical=False)
        patience = None
        if ch.patience is not None:
            patience = fit_patience(rows["wait_seconds"].to_numpy(), (rows["outcome"] == "abandoned").to_numpy(),
                                    families=("exponential",))
        channels[name] = dataclasses.replace(ch, handle=handle, patience=patience, retrial=None)
    queue = log.queue
    answered = queue[(queue["outcome"] == "answered") & queue["agent"].notna()]
    answer_at = answered["arrived_at"] + pd.to_timedelta(answered["wait_seconds"], unit="s")
    day = answer_at.dt.normalize()
    minutes = (answer_at - day).dt.total_seconds() / 60.0
    interval = (minutes // interval_minutes).astype(int) - full.first_interval
    counted = (pd.DataFrame({"day": day, "interval": interval, "agent": answered["agent"]})
               .groupby(["day", "interval"])["agent"].nunique())
    rows = []
    for group in full.groups:
        for d in full.days:
            for i in range(full.intervals):
                n = float(counted.get((d, i), 0))
                rows.append((d, i, group, n, n, n, False, float("nan")))
    staffing = pd.DataFrame(rows, columns=["day", "interval", "group", "agents", "low", "high", "identified", "queue_seconds"])
    arrivals = full.arrivals.assign(fresh=full.arrivals["contacts"])
    return dataclasses.replace(full, channels=channels, staffing=staffing, arrivals=arrivals,
                               staffing_source="naive baseline: agents who answered a call in the interval")
