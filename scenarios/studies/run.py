"""Run one setup: compile the scenario under it, simulate, cost. The one path every study takes.

:func:`run_setup` is what ``ccplan simulate``, ``compare``, ``plan``, ``sweep``, the demo and
every dashboard view call to get a simulated, costed run, so a run means the same thing
everywhere (same compile, same seed handling, same costs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scenarios.bridge.compile import CompiledScenario, compile_scenario
from scenarios.document.defaults import (
    DEFAULT_MAX_REPLICATIONS,
    DEFAULT_MIN_REPLICATIONS,
    DEFAULT_PRECISION_ASA_SECONDS,
    DEFAULT_PRECISION_SHARE_POINTS,
)
from scenarios.document.limits import check_scenario_size
from scenarios.document.scenario import PrecisionSpec, Scenario
from scenarios.document.setups import SetupArg
from scenarios.errors import ScenarioError
from scenarios.report.kpis import CAMPAIGN_INTERVAL_KPIS, COMPARED_CAMPAIGN_KPIS
from scenarios.studies.costs import CostBreakdown, estimate_costs
from simulator import PrecisionTarget, SimulationResult, ci95_half_width, simulate

__all__ = ["SetupRun", "run_setup", "run_compiled", "resolve_seed", "RunLength", "run_length", "precision_target",
           "describe_run_length"]

RunLength = int | PrecisionTarget
"""How long a study simulates: a fixed number of replications, or until a precision target."""


def precision_target(spec: PrecisionSpec | None = None, *, share_points: float | None = None) -> PrecisionTarget:
    """The simulator's target from a scenario's ``precision:`` block (or the defaults), with
    ``share_points`` (the ``--precision`` flag, percentage points) overriding its share target.

    Raises
    ------
    ScenarioError
        If ``share_points`` is not in (0, 50].
    """
    if share_points is not None and not 0.0 < float(share_points) <= 50.0:
        raise ScenarioError(f"--precision must be > 0 and <= 50 percentage points, got {share_points:g}")
    points = share_points if share_points is not None else (
        spec.share_points if spec is not None else DEFAULT_PRECISION_SHARE_POINTS)
    return PrecisionTarget(
        share_half_width=float(points) / 100.0,
        asa_half_width_seconds=spec.asa_seconds if spec is not None else DEFAULT_PRECISION_ASA_SECONDS,
        min_replications=spec.min_replications if spec is not None else DEFAULT_MIN_REPLICATIONS,
        max_replications=spec.max_replications if spec is not None else DEFAULT_MAX_REPLICATIONS)


def run_length(scenario: Scenario, *, replications: int | None = None, precision_points: float | None = None) -> RunLength:
    """The run length a command uses, decided once for ``simulate``, ``compare`` and ``sweep``.

    In order: ``--replications N`` (a fixed count), ``--precision H`` (the precision target with
    H points on shares, the rest from the file's ``precision:`` block or the defaults), the
    file's ``precision:`` block, the file's ``replications:`` when it sets it, else the default
    precision target (:mod:`scenarios.document.defaults`: 1 point on service level and abandon
    rate, 2 s on ASA, 5 to 200 replications).

    Raises
    ------
    ScenarioError
        If both ``replications`` and ``precision_points`` are given, or either is out of range.
    """
    if replications is not None and precision_points is not None:
        raise ScenarioError("--replications and --precision exclude each other: give a fixed count or a target")
    if replications is not None:
        if replications < 1:
            raise ScenarioError(f"--replications must be >= 1, got {replications}")
        return int(replications)
    if precision_points is not None or scenario.precision is not None:
        return precision_target(scenario.precision, share_points=precision_points)
    if "replications" in scenario.model_fields_set:
        return int(scenario.replications)
    return precision_target()


def describe_run_length(length: RunLength) -> str:
    """``"10 replications"`` or ``"to ±1 point (SL, abandon rate), ±2 s (ASA); 5-200 replications"``."""
    if isinstance(length, PrecisionTarget):
        return (f"to ±{length.share_half_width * 100:g} point(s) on service level and abandon rate, "
                f"±{length.asa_half_width_seconds:g} s on ASA (95 %), {length.min_replications}-"
                f"{length.max_replications} replications")
    return f"{int(length)} replications"


@dataclass(frozen=True, eq=False)
class SetupRun:
    """One setup's compiled model, simulation and costs."""

    compiled: CompiledScenario
    result: SimulationResult
    costs: CostBreakdown

    @property
    def kind(self) -> str:
        """The setup kind (``as-given`` when no setup applies)."""
        return self.compiled.setup_kind

    def metrics(self) -> dict[str, tuple[float, float]]:
        """Metric name -> (mean, ci95) over replications, in display order.

        Per real-time channel ``C``: ``C.offered``, ``C.service_level``,
        ``C.service_level_excluding_short_abandons``, ``C.service_level_of_answered``,
        ``C.asa_seconds``, ``C.abandon_rate``, ``C.occupancy``; per email channel:
        ``C.offered``, ``C.service_level`` (within the response target, open-not-due items left
        out), ``C.service_level_of_answered``, ``C.p90_response_hours``, ``C.occupancy``
        (definitions: :data:`scenarios.report.kpis.KPIS`). Per outbound campaign ``K``:
        ``K.dials``, ``K.connects``, ``K.outbound_agent_hours``, ``K.outbound_share``. Then
        ``seat_shortfall_agent_hours``,
        ``notification_deflected`` (simulated, all channels), ``total_cost``, ``cost_per_contact``,
        ``cost_per_answered``.
        """
        out: dict[str, tuple[float, float]] = {}
        model = self.compiled.model
        for channel in model.channels:
            name = channel.name
            out[f"{name}.offered"] = self.result.kpi(name, "offered")
            out[f"{name}.service_level"] = self.result.kpi(name, "service_level")
            if channel.is_realtime:
                out[f"{name}.service_level_excluding_short_abandons"] = self.result.kpi(
                    name, "service_level_excluding_short_abandons")
            out[f"{name}.service_level_of_answered"] = self.result.kpi(name, "service_level_of_answered")
            if channel.is_realtime:
                out[f"{name}.asa_seconds"] = self.result.kpi(name, "asa_seconds")
                out[f"{name}.abandon_rate"] = self.result.kpi(name, "abandon_rate")
            else:
                mean, half = self.result.kpi(name, "p90_response_seconds")
                out[f"{name}.p90_response_hours"] = (mean / 3600.0, half / 3600.0)
            out[f"{name}.occupancy"] = self.result.kpi(name, "occupancy")
        if self.result.campaign_summary is not None:
            table = self.result.campaign_summary.set_index(["campaign", "kpi"])
            for campaign in model.campaigns:
                for kpi in COMPARED_CAMPAIGN_KPIS:
                    row = table.loc[(campaign.name, kpi)]
                    out[f"{campaign.name}.{kpi}"] = (float(row["mean"]), float(row["ci95"]))
        interval_hours = model.interval_seconds / 3600.0
        out["seat_shortfall_agent_hours"] = (float(self.compiled.seat_shortfall.sum()) * interval_hours, 0.0)
        per_replication = self.result.per_replication.groupby("replication")["deflected_notification"].sum()
        out["notification_deflected"] = (float(per_replication.mean()), ci95_half_width(per_replication.to_numpy(dtype=float)))
        out["total_cost"] = (self.costs.total, self.costs.ci95("total"))
        out["cost_per_contact"] = (self.costs.cost_per_contact, self.costs.ci95("cost_per_contact"))
        out["cost_per_answered"] = (self.costs.cost_per_answered, self.costs.ci95("cost_per_answered"))
        return out

    def metric_bounds(self) -> dict[str, tuple[float, float]]:
        """Metric name -> the 95 % interval (low, high) of the simulated KPIs of :meth:`metrics`
        (inside [0, 1] for shares; NaN when there is none, e.g. too few replications). Costs and
        counts not in the simulator's summary are left out (their interval is ``mean ± ci95``)."""
        table = self.result.summary_table
        out: dict[str, tuple[float, float]] = {}
        for row in table.itertuples():
            out[f"{row.channel}.{row.kpi}"] = (float(row.ci95_low), float(row.ci95_high))
        if self.result.campaign_summary is not None:
            for row in self.result.campaign_summary.itertuples():
                out[f"{row.campaign}.{row.kpi}"] = (float(row.ci95_low), float(row.ci95_high))
            if row.kpi == "p90_response_seconds":
                out[f"{row.channel}.p90_response_hours"] = (float(row.ci95_low) / 3600.0, float(row.ci95_high) / 3600.0)
        return out

    def interval_summary(self) -> pd.DataFrame:
        """Per interval: clock label, each channel's mean offered / the three service levels
        (``service_level``, ``service_level_excluding_short_abandons`` for voice and chat,
        ``service_level_of_answered``) / abandon rate / ASA over replications, and the headcount
        (``scheduled_agents``: the roster; seated; shortfall: agents without a seat); with outbound
        campaigns also ``<campaign>.dials``, ``.connects`` and ``.outbound_share``
        (:data:`scenarios.report.kpis.CAMPAIGN_INTERVAL_KPIS`).

        Pooled per interval as the engine defines them per replication, then averaged over
        replications (a ratio's mean, not a ratio of sums).
        """
        compiled = self.compiled
        kpis = ("offered", "service_level", "service_level_excluding_short_abandons", "service_level_of_answered",
                "abandon_rate", "asa_seconds")
        means = self.result.intervals.groupby(["interval", "channel"], sort=True)[list(kpis)].mean()
        frame = pd.DataFrame({"interval": np.arange(compiled.scenario.intervals),
                              "start": compiled.scenario.interval_labels()})
        for channel in compiled.model.channels:
            rows = means.xs(channel.name, level="channel").reindex(frame["interval"])
            for kpi in kpis:
                if not channel.is_realtime and kpi in ("abandon_rate", "asa_seconds",
                                                       "service_level_excluding_short_abandons"):
                    continue
                frame[f"{channel.name}.{kpi}"] = rows[kpi].to_numpy()
        campaigns = self.result.campaigns
        if campaigns is not None:
            campaign_means = campaigns.groupby(["interval", "campaign"], sort=True)[list(CAMPAIGN_INTERVAL_KPIS)].mean()
            for campaign in compiled.model.campaigns:
                rows = campaign_means.xs(campaign.name, level="campaign").reindex(frame["interval"])
                for kpi in CAMPAIGN_INTERVAL_KPIS:
                    frame[f"{campaign.name}.{kpi}"] = rows[kpi].to_numpy()
        scheduled = sum(compiled.scheduled_agents.values())
        seated = sum(compiled.model.agents_per_interval(g) for g in range(len(compiled.model.groups)))
        frame["scheduled_agents"] = np.asarray(scheduled, dtype=int)
        frame["seated_agents"] = np.asarray(seated, dtype=int)
        frame["seat_shortfall"] = np.asarray(compiled.seat_shortfall, dtype=int)
        return frame


def run_setup(scenario: Scenario, setup: SetupArg, replications: RunLength, seed: int | None, *,
              warmup_minutes: float | None = None, workers: int = 1,
              progress: Callable[[float, int], None] | None = None, control_variates: bool = True,
              keep_records: bool = False) -> SetupRun:
    """Compile, simulate and cost ``scenario`` under one ``setup`` (see :func:`compile_scenario`).

    ``replications`` is a fixed count or a :class:`simulator.PrecisionTarget` (see
    :func:`run_length`). Control variates (arrivals and offered work, with exactly known means;
    :mod:`simulator.precision`) sharpen the headline KPIs' estimates where they help; the run's
    ``result.precision`` reports the half-widths reached and the variance ratio. The run's
    expected size (contacts x replications, intervals x channels; the target's maximum
    replications) is checked first against the limits in force (:mod:`scenarios.document.limits`):
    a run above them raises :class:`~scenarios.document.limits.RunTooLarge` before anything is
    simulated. ``keep_records`` keeps one record per contact in ``result.records`` (for a contact log).
    ``progress(done, total)`` is called after each replication and, within a replication run in
    this process, at each interval boundary, ``done`` then being a float (the replications
    finished plus the simulated-time fraction of the current one; see :func:`simulator.simulate`).
    """
    most = replications.max_replications if isinstance(replications, PrecisionTarget) else replications
    check_scenario_size(scenario, int(most))
    compiled = compile_scenario(scenario, setup, warmup_minutes=warmup_minutes)
    return run_compiled(compiled, replications, seed, workers=workers, progress=progress,
                        control_variates=control_variates, keep_records=keep_records)


def run_compiled(compiled: CompiledScenario, replications: RunLength, seed: int | np.random.SeedSequence | None, *,
                 workers: int = 1, progress: Callable[[float, int], None] | None = None,
                 control_variates: bool = True, keep_records: bool = False) -> SetupRun:
    """Simulate and cost a scenario already compiled under its setup: the second half of :func:`run_setup`.

    For studies that simulate the same compiled scenario in several batches (the staffing plan
    adds replications while an interval's goal is undecided): ``seed`` may be the study's root
    :class:`numpy.random.SeedSequence`, whose children continue where the previous batch stopped.
    """
    if isinstance(replications, PrecisionTarget):
        result = simulate(compiled.model, None, seed, progress=progress, interval_progress=progress, workers=workers,
                          precision=replications,
                          control_variates=control_variates, keep_records=keep_records)
    else:
        result = simulate(compiled.model, replications, seed, progress=progress, interval_progress=progress,
                          workers=workers, control_variates=control_variates, keep_records=keep_records)
    return SetupRun(compiled, result, estimate_costs(compiled, result))


def resolve_seed(seed: int | None, scenario: Scenario | None = None) -> int:
    """The root seed of a study: ``seed``, else the scenario's ``seed``, else fresh entropy.

    A drawn seed is a whole number below 2**63, echoed in every result so the run can be repeated.
    """
    if seed is None and scenario is not None:
        seed = scenario.seed
    if seed is None:
        entropy = np.random.SeedSequence().entropy
        return int(entropy) % (2**63) if isinstance(entropy, int) else 0
    return int(seed)
