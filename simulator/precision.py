"""Precision of the headline KPIs: targets, control variates, and what a run reached.

Headline KPIs
-------------
Per channel over the horizon (after warm-up): ``service_level``, ``abandon_rate`` and
``asa_seconds`` for voice and chat; ``service_level`` (within the response target) for email.
These are the KPIs a :class:`PrecisionTarget` is judged on and the ones control variates adjust.

Control variates (Law, *Simulation Modeling and Analysis*, 5th ed., 2015, section 11.3;
Nelson, "Control variate remedies", *Operations Research* 38, 1990)
---------------------------------------------------------------------------------------------
Per replication and channel the engine records three quantities whose expectations are known
exactly from the model:

* ``first_attempt_arrivals``: counted first attempts (``offered - retrials``). Its mean is
  ``sum_i rate_i * f_i``, where ``rate_i`` is the channel's ``arrivals_per_interval`` and ``f_i``
  the share of interval ``i`` after the warm-up. Self-service, notification and bot deflection
  thin *who reaches an agent*, not who arrives, so they do not change it; the day-level forecast
  error multiplier is a gamma with mean 1, so ``forecast_error_cv`` does not change it either.
* ``offered_work_seconds``: the handle times drawn for those arrivals (before any bot factor),
  with mean ``E[arrivals] x handle_time.mean_seconds`` (draws independent of the count).
* ``on_duty_agent_seconds``: the agents on duty after the shrinkage draw, times the counted
  seconds of each interval, summed over the intervals and the groups serving the channel
  (``sum_g sum_i on_duty_gi * f_i * interval_seconds``). Each scheduled agent is on duty with
  probability ``1 - shrinkage``, independently, so ``on_duty_gi`` is binomial with mean
  ``scheduled_gi x (1 - shrinkage_g)``; elastic groups (no shrinkage, no schedule) add 0. This is
  the control that explains the spread due to the headcount draws (a group without shrinkage
  gives a constant, which is dropped).

A headline KPI ``Y`` of channel ``c`` is regressed on the channel's controls ``C`` (``q`` <= 3:
a control with no spread, e.g. the headcount without shrinkage, or collinear with the ones before
it, e.g. the work with a deterministic handle time, is dropped):
``Y_r = b0 + b' (C_r - mu) + e_r``, fitted by least squares over the ``R`` replications. The
control-variate estimator is the intercept ``b0 = Ybar - b' (Cbar - mu)``; its standard error is
the regression's (``s_e^2 [(X'X)^-1]_00``, ``s_e^2 = RSS / (R - q - 1)``) and the interval uses
Student t with ``R - q - 1`` degrees of freedom (Law 2015, eq. 11.7 and the multiple-control
version; exact under joint normality, Nelson 1990). Shares get the interval on the logit scale
(:func:`simulator.kpis.interval_from_standard_error`), so it stays inside (0, 1).

The estimator falls back to the plain mean (``estimator = "mean"``) when it cannot help or is
not defined: fewer than :data:`MIN_CONTROL_VARIATE_DOF` residual degrees of freedom, controls
with no spread, a share estimate outside (0, 1), a KPI undefined in some replication, or an
estimated variance ratio of 1 or more (the controls do not explain enough to pay for the degrees
of freedom they cost; choosing on the estimate is a pre-test, whose bias is of order 1/R).

Where they help: when the spread between replications comes from how many contacts arrive and
how much work they bring (a stationary M/M/n+M queue: variance ratio about 0.25, four times
fewer replications), and, with the headcount control, when it comes from the shrinkage draws (the
bundled example day, 30 % shrinkage: the arrival and work controls alone give a ratio of 0.7 on
voice and none on chat; with the headcount about 0.3 and 0.65, see ``bench/bench_precision.py``).
``variance_ratio`` = (estimated variance of the control-variate estimator) / (``s^2 / R``, the
variance of the plain mean): below 1 means the controls helped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import ModelError
from .kpis import (
    ABANDON_RATE,
    ASA_SECONDS,
    CHANNEL,
    FIRST_ATTEMPT_ARRIVALS,
    KPI,
    OFFERED_WORK_SECONDS,
    ON_DUTY_AGENT_SECONDS,
    SERVICE_LEVEL,
    SHARE_KPIS,
    confidence_interval,
    counted_seconds_per_interval,
    interval_from_standard_error,
)
from .model import SimulationModel

__all__ = [
    "HEADLINE_KPIS",
    "CONTROLS",
    "DEMAND_CONTROLS",
    "control_set",
    "MIN_CONTROL_VARIATE_DOF",
    "PrecisionTarget",
    "PrecisionReport",
    "PRECISION_COLUMNS",
    "headline_kpis",
    "control_means",
    "control_variate_estimate",
    "headline_precision",
    "next_batch",
    "apply_to_summary",
]

HEADLINE_KPIS = (SERVICE_LEVEL, ABANDON_RATE, ASA_SECONDS)
"""KPIs a precision target is judged on (email: service level only)."""

CONTROLS = (FIRST_ATTEMPT_ARRIVALS, OFFERED_WORK_SECONDS, ON_DUTY_AGENT_SECONDS)
"""Per-replication control columns of ``per_replication`` with exactly known means."""

DEMAND_CONTROLS = (FIRST_ATTEMPT_ARRIVALS, OFFERED_WORK_SECONDS)
"""The arrival and work controls alone (without the headcount), e.g. to measure what it adds."""

MIN_CONTROL_VARIATE_DOF = 8
"""Residual degrees of freedom (``R - q - 1``) needed before control variates are used."""

PRECISION_COLUMNS = ("channel", "kpi", "estimate", "ci95_low", "ci95_high", "half_width", "target", "met",
                     "replications", "estimator", "variance_ratio", "reason")
"""Columns of :attr:`PrecisionReport.table` (one row per channel x headline KPI)."""


def _json_number(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


@dataclass(frozen=True)
class PrecisionTarget:
    """Run replications until the headline KPIs are this precise (95 % half-width), or stop at a cap.

    Parameters
    ----------
    share_half_width : float
        Target half-width of service level and abandon rate, as a share (0.01 = 1 percentage
        point); in (0, 0.5].
    asa_half_width_seconds : float
        Target half-width of the average speed of answer, seconds (> 0).
    min_replications : int
        Replications of the first batch (>= 3: an interval needs at least 3).
    max_replications : int
        Stop here even if the target is not met (>= ``min_replications``, <= 100000).

    The half-width of a share is the larger side of its [0, 1]-respecting interval. The
    product's defaults (1 point, 2 s, 5 to 200 replications) live in
    ``scenarios.document.defaults``; the engine takes explicit values.
    """

    share_half_width: float
    asa_half_width_seconds: float
    min_replications: int
    max_replications: int

    def __post_init__(self) -> None:
        share = self.share_half_width
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0.0 < float(share) <= 0.5:
            raise ModelError(f"precision share_half_width must be > 0 and <= 0.5 (a share; 0.01 = 1 point), got {share!r}")
        asa = self.asa_half_width_seconds
        if isinstance(asa, bool) or not isinstance(asa, int | float) or not 0.0 < float(asa) < math.inf:
            raise ModelError(f"precision asa_half_width_seconds must be > 0 seconds, got {asa!r}")
        low, high = self.min_replications, self.max_replications
        if isinstance(low, bool) or not isinstance(low, int | np.integer) or low < 3:
            raise ModelError(f"precision min_replications must be a whole number >= 3, got {low!r}")
        if isinstance(high, bool) or not isinstance(high, int | np.integer) or not low <= high <= 100_000:
            raise ModelError(f"precision max_replications must be a whole number >= min_replications ({low}) "
                             f"and <= 100000, got {high!r}")

    def target_for(self, kpi: str) -> float:
        """The half-width target of a headline KPI (share or seconds)."""
        return float(self.asa_half_width_seconds if kpi == ASA_SECONDS else self.share_half_width)

    def to_json_dict(self) -> dict:
        return {"share_half_width": float(self.share_half_width),
                "asa_half_width_seconds": float(self.asa_half_width_seconds),
                "min_replications": int(self.min_replications), "max_replications": int(self.max_replications)}


def headline_kpis(kind: str) -> tuple[str, ...]:
    """Headline KPIs of a channel kind (email: service level only)."""
    return (SERVICE_LEVEL,) if kind == "email" else HEADLINE_KPIS


def control_means(model: SimulationModel) -> dict[str, dict[str, float]]:
    """Exact expectations of the :data:`CONTROLS` per channel (see the module docstring)."""
    counted_seconds = counted_seconds_per_interval(model)
    counted_share = counted_seconds / model.interval_seconds
    group_index = {group.name: g for g, group in enumerate(model.groups)}
    on_duty = [np.zeros(model.intervals) if group.elastic is not None else
               np.asarray(model.agents_per_interval(g), dtype=float) * (1.0 - group.shrinkage)
               for g, group in enumerate(model.groups)]
    means = {}
    for c, channel in enumerate(model.channels):
        counted_arrivals = np.asarray(model.arrivals_per_interval(c), dtype=float) * counted_share
        members = [group_index[name] for name in model.routing_groups[channel.name]]
        means[channel.name] = {FIRST_ATTEMPT_ARRIVALS: float(counted_arrivals.sum()),
                               OFFERED_WORK_SECONDS: float(counted_arrivals @ model.handle_mean_per_interval(c)),
                               ON_DUTY_AGENT_SECONDS: float(sum(on_duty[g] @ counted_seconds for g in members))}
    return means


def control_set(control_variates) -> tuple[str, ...]:
    """The controls asked for: ``True`` all :data:`CONTROLS`, ``False`` none, or a sequence of names.

    Raises
    ------
    ModelError
        If a name is not one of :data:`CONTROLS`.
    """
    if isinstance(control_variates, bool | np.bool_):
        return CONTROLS if control_variates else ()
    if isinstance(control_variates, str) or not hasattr(control_variates, "__iter__"):
        raise ModelError(f"control_variates must be True, False or a sequence of {', '.join(CONTROLS)}; "
                         f"got {control_variates!r}")
    names = tuple(control_variates)
    unknown = [name for name in names if name not in CONTROLS]
    if unknown:
        raise ModelError(f"control_variates: unknown control {unknown[0]!r}; allowed: {', '.join(CONTROLS)}")
    return tuple(name for name in CONTROLS if name in names)


def control_variate_estimate(values, controls, means) -> tuple[float, float, int] | None:
    """Regression-adjusted (control-variate) estimate of a mean.

    Parameters
    ----------
    values : array_like, shape (R,)
        The KPI per replication (all finite).
    controls : array_like, shape (R, q)
        The controls per replication.
    means : array_like, shape (q,)
        Their exact expectations.

    Returns
    -------
    (estimate, standard_error, dof) or None
        None when fewer than :data:`MIN_CONTROL_VARIATE_DOF` residual degrees of freedom remain
        or the controls have no spread (rank-deficient design).
    """
    y = np.asarray(values, dtype=float)
    centred = np.asarray(controls, dtype=float).reshape(y.size, -1) - np.asarray(means, dtype=float)
    q = centred.shape[1]
    dof = y.size - q - 1
    if dof < MIN_CONTROL_VARIATE_DOF or not np.isfinite(y).all() or not np.isfinite(centred).all():
        return None
    scale = centred.std(axis=0)
    if (scale == 0).any():
        return None
    design = np.column_stack([np.ones(y.size), centred / scale])
    if np.linalg.matrix_rank(design) < q + 1:
        return None
    coefficients, *_ = np.linalg.lstsq(design, y, rcond=None)
    residuals = y - design @ coefficients
    variance = float(residuals @ residuals) / dof
    inverse = np.linalg.inv(design.T @ design)
    return float(coefficients[0]), math.sqrt(max(variance * float(inverse[0, 0]), 0.0)), int(dof)


def _channel_controls(frame: pd.DataFrame, means: dict[str, float],
                      names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The channel's control matrix and means (columns in ``names`` order), without a control that
    has no spread or is collinear with the ones kept before it (shape (R, 0) when none is left)."""
    kept: list[np.ndarray] = []
    standardised: list[np.ndarray] = []
    kept_means: list[float] = []
    for name in names:
        column = frame[name].to_numpy(dtype=float)
        spread = float(column.std())
        if not np.isfinite(spread) or spread <= 1e-12 * max(1.0, float(np.abs(column).max(initial=0.0))):
            continue  # no spread (e.g. the headcount of a group without shrinkage)
        trial = np.column_stack([*standardised, (column - column.mean()) / spread])
        if np.linalg.matrix_rank(trial, tol=1e-9 * math.sqrt(trial.shape[0])) == len(kept) + 1:
            kept.append(column)
            standardised.append(trial[:, -1])
            kept_means.append(means[name])
    if not kept:
        return np.empty((len(frame), 0)), np.empty(0)
    return np.column_stack(kept), np.array(kept_means)


def _half_width(estimate: float, low: float, high: float) -> float:
    if math.isnan(low) or math.isnan(high):
        return math.nan
    return max(high - estimate, estimate - low)


def headline_precision(model: SimulationModel, per_replication: pd.DataFrame, *, control_variates,
                       target: PrecisionTarget | None = None) -> pd.DataFrame:
    """Estimate and 95 % interval of every headline KPI, with or without control variates.

    ``control_variates`` is ``True`` (all :data:`CONTROLS`), ``False`` or a sequence of control
    names (see :func:`control_set`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PRECISION_COLUMNS`: ``estimate`` and ``ci95_low``/``ci95_high`` (inside
        [0, 1] for shares), ``half_width`` (the larger side of the interval), ``target`` (NaN
        without a target), ``met``, ``replications``, ``estimator`` (``"control_variates"`` or
        ``"mean"``), ``variance_ratio`` (NaN for the plain mean) and ``reason`` (why there is no
        interval, else empty).
    """
    names = control_set(control_variates)
    means = control_means(model) if names else {}
    rows = []
    for channel in model.channels:
        frame = per_replication[per_replication[CHANNEL] == channel.name]
        for kpi in headline_kpis(channel.kind):
            values = frame[kpi].to_numpy(dtype=float)
            finite = values[~np.isnan(values)]
            share = kpi in SHARE_KPIS
            estimate, low, high = confidence_interval(finite, share=share)
            estimator, ratio, reason = "mean", math.nan, ""
            if names and finite.size == values.size and finite.size:
                controls, control_mean = _channel_controls(frame, means[channel.name], names)
                fitted = (control_variate_estimate(finite, controls, control_mean) if controls.shape[1] else None)
                if fitted is not None and (not share or 0.0 < fitted[0] < 1.0):
                    cv_estimate, standard_error, dof = fitted
                    cv_low, cv_high = interval_from_standard_error(cv_estimate, standard_error, dof, share=share)
                    plain_variance = float(finite.var(ddof=1)) / finite.size
                    ratio_estimate = standard_error**2 / plain_variance if plain_variance > 0.0 else math.inf
                    if not math.isnan(cv_low) and ratio_estimate < 1.0:
                        estimate, low, high = cv_estimate, cv_low, cv_high
                        estimator, ratio = "control_variates", ratio_estimate
            half = _half_width(estimate, low, high)
            if finite.size == 0:
                reason = "no contacts"
            elif math.isnan(half):
                reason = (f"too few replications ({finite.size})" if finite.size < 3 or not share
                          else f"same value in every replication; an interval needs {30} replications")
            goal = target.target_for(kpi) if target is not None else math.nan
            rows.append({"channel": channel.name, "kpi": kpi, "estimate": estimate, "ci95_low": low, "ci95_high": high,
                         "half_width": half, "target": goal,
                         "met": bool(half <= goal) if target is not None and not math.isnan(half) else
                         (None if target is None or finite.size == 0 else False),
                         "replications": int(finite.size), "estimator": estimator, "variance_ratio": ratio,
                         "reason": reason})
    return pd.DataFrame(rows, columns=list(PRECISION_COLUMNS))


def next_batch(table: pd.DataFrame, replications: int, target: PrecisionTarget, workers: int = 1) -> int:
    """How many more replications to run (0: the target is met or the cap reached).

    For each headline KPI short of its target the replications it needs are estimated from the
    half-width reached, ``R x (h / H)^2`` (the half-width falls as ``1 / sqrt(R)``), plus one;
    KPIs without an interval yet ask for one more replication. The batch is the largest need,
    at most doubling the run (the estimate is noisy), at least ``workers``, within the cap.
    """
    room = target.max_replications - replications
    if room <= 0:
        return 0
    pending = table[(table["met"] == False) | table["met"].isna() & (table["replications"] > 0)]  # noqa: E712
    if pending.empty:
        return 0
    needed = replications + 1
    for row in pending.itertuples():
        if math.isnan(row.half_width) or row.target <= 0:
            continue
        needed = max(needed, math.ceil(replications * (row.half_width / row.target) ** 2) + 1)
    batch = min(needed - replications, replications)
    return int(min(max(batch, workers, 1), room))


@dataclass(frozen=True, eq=False)
class PrecisionReport:
    """What a run reached on its headline KPIs.

    Attributes
    ----------
    target : PrecisionTarget or None
        The target run to (None: a fixed number of replications).
    replications : int
        Replications used.
    control_variates : bool
        Whether control variates were applied (where they help, see ``table.estimator``).
    table : pandas.DataFrame
        One row per channel x headline KPI, columns :data:`PRECISION_COLUMNS`.
    """

    target: PrecisionTarget | None
    replications: int
    control_variates: bool
    table: pd.DataFrame

    @property
    def met(self) -> bool | None:
        """Whether every headline KPI with contacts reached its target (None without a target)."""
        if self.target is None:
            return None
        rows = self.table[self.table["replications"] > 0]
        return bool((rows["met"] == True).all())  # noqa: E712

    def to_json_dict(self) -> dict:
        """``{"target": {...} or null, "replications", "met", "control_variates", "kpis": {channel:
        {kpi: {"estimate", "ci95_low", "ci95_high", "half_width", "target", "met", "estimator",
        "variance_ratio", "reason"}}}}``; undefined numbers are ``null`` with a ``reason``."""
        kpis: dict[str, dict] = {}
        for row in self.table.itertuples():
            kpis.setdefault(row.channel, {})[row.kpi] = {
                "estimate": _json_number(row.estimate), "ci95_low": _json_number(row.ci95_low),
                "ci95_high": _json_number(row.ci95_high), "half_width": _json_number(row.half_width),
                "target": _json_number(row.target), "met": None if row.met is None or pd.isna(row.met) else bool(row.met),
                "estimator": row.estimator, "variance_ratio": _json_number(row.variance_ratio),
                "reason": row.reason or None,
            }
        return {"target": None if self.target is None else self.target.to_json_dict(), "replications": self.replications,
                "met": self.met, "control_variates": self.control_variates, "kpis": kpis}


def apply_to_summary(summary: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The summary table with the headline rows' mean and interval from ``table`` (control variates).

    Adds ``estimator`` and ``variance_ratio`` columns (``"mean"`` / NaN for the other rows);
    ``ci95`` of an adjusted row is its half-width (larger side of the interval).
    """
    summary = summary.copy()
    summary["estimator"] = "mean"
    summary["variance_ratio"] = math.nan
    index = {(row.channel, row.kpi): row for row in table.itertuples()}
    for position, (channel, kpi) in enumerate(zip(summary[CHANNEL], summary[KPI], strict=True)):
        row = index.get((channel, kpi))
        if row is None or row.estimator != "control_variates":
            continue
        label = summary.index[position]
        summary.loc[label, ["mean", "ci95", "ci95_low", "ci95_high", "estimator", "variance_ratio"]] = [
            row.estimate, row.half_width, row.ci95_low, row.ci95_high, row.estimator, row.variance_ratio]
    return summary
