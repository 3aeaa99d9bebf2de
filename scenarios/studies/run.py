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
from scenarios.document.limits import check_scenario_size
from scenarios.document.scenario import Scenario
from scenarios.studies.costs import CostBreakdown, estimate_costs
from simulator import SimulationResult, ci95_half_width, simulate

__all__ = ["SetupRun", "run_setup", "resolve_seed"]


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

        Per real-time channel ``C``: ``C.service_level``, ``C.asa_seconds``, ``C.abandon_rate``,
        ``C.occupancy``; per email channel: ``C.service_level`` (within the response target),
        ``C.p90_response_hours``, ``C.occupancy``. Then ``seat_shortfall_agent_hours``,
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
                out[f"{name}.asa_seconds"] = self.result.kpi(name, "asa_seconds")
                out[f"{name}.abandon_rate"] = self.result.kpi(name, "abandon_rate")
            else:
                mean, half = self.result.kpi(name, "p90_response_seconds")
                out[f"{name}.p90_response_hours"] = (mean / 3600.0, half / 3600.0)
            out[f"{name}.occupancy"] = self.result.kpi(name, "occupancy")
        interval_hours = model.interval_seconds / 3600.0
        out["seat_shortfall_agent_hours"] = (float(self.compiled.seat_shortfall.sum()) * interval_hours, 0.0)
        per_replication = self.result.per_replication.groupby("replication")["deflected_notification"].sum()
        out["notification_deflected"] = (float(per_replication.mean()), ci95_half_width(per_replication.to_numpy(dtype=float)))
        out["total_cost"] = (self.costs.total, self.costs.ci95("total"))
        out["cost_per_contact"] = (self.costs.cost_per_contact, self.costs.ci95("cost_per_contact"))
        out["cost_per_answered"] = (self.costs.cost_per_answered, self.costs.ci95("cost_per_answered"))
        return out


    def interval_summary(self) -> pd.DataFrame:
        """Per interval: clock label, each channel's mean offered / SL / abandon rate / ASA over
        replications, and the headcount (scheduled, seated, shortfall: agents without a seat).

        Pooled per interval as the engine defines them per replication, then averaged over
        replications (a ratio's mean, not a ratio of sums).
        """
        compiled = self.compiled
        means = (self.result.intervals.groupby(["interval", "channel"], sort=True)
                 [["offered", "service_level", "abandon_rate", "asa_seconds"]].mean())
        frame = pd.DataFrame({"interval": np.arange(compiled.scenario.intervals),
                              "start": compiled.interval_labels()})
        for channel in compiled.model.channels:
            rows = means.xs(channel.name, level="channel").reindex(frame["interval"])
            for kpi in ("offered", "service_level", "abandon_rate", "asa_seconds"):
                if kpi in ("abandon_rate", "asa_seconds") and not channel.is_realtime:
                    continue
                frame[f"{channel.name}.{kpi}"] = rows[kpi].to_numpy()
        scheduled = sum(compiled.scheduled_agents.values())
        seated = sum(compiled.model.agents_per_interval(g) for g in range(len(compiled.model.groups)))
        frame["scheduled_agents"] = np.asarray(scheduled, dtype=int)
        frame["seated_agents"] = np.asarray(seated, dtype=int)
        frame["seat_shortfall"] = np.asarray(compiled.seat_shortfall, dtype=int)
        return frame


def run_setup(scenario: Scenario, setup, replications: int, seed: int, *, warmup_minutes: float | None = None,
              workers: int = 1, progress: Callable[[int, int], None] | None = None,
              keep_records: bool = False) -> SetupRun:
    """Compile, simulate and cost ``scenario`` under one ``setup`` (see :func:`compile_scenario`).

    The run's expected size (contacts x replications, intervals x channels) is checked first
    against the limits in force (:mod:`scenarios.document.limits`); a run above them raises
    :class:`~scenarios.document.limits.RunTooLarge` before anything is simulated.
    ``keep_records`` keeps one record per contact in ``result.records`` (for a contact log).
    """
    check_scenario_size(scenario, replications)
    compiled = compile_scenario(scenario, setup, warmup_minutes=warmup_minutes)
    result = simulate(compiled.model, replications, seed, progress=progress, workers=workers, keep_records=keep_records)
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
