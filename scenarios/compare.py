"""Run one scenario under several setups with common random numbers and compare service and cost.

Every setup is simulated with the *same* root seed. The simulator derives each replication's
streams from that seed and keys each channel's streams by the channel's name, so the same demand
meets the same customers (arrival times, handle-time draws, patience) in every setup; only the
setup's levers differ. Exceptions, stated in :mod:`scenarios.compile`: a virtual ``aht_factor``
scales the same draws, and cloud notifications thin the incident intervals' arrivals (customers
after the first incident interval are redrawn).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator import SimulationResult, ci95_half_width, simulate

from .compile import CompiledScenario, compile_scenario
from .costs import CostBreakdown, estimate_costs
from .errors import ScenarioError
from .schema import Scenario
from .setups import SETUP_KINDS

__all__ = ["SetupRun", "Comparison", "compare", "run_setup", "COMPARISON_COLUMNS"]

COMPARISON_COLUMNS = ("setup", "metric", "mean", "ci95")
"""Columns of :meth:`Comparison.to_frame` (one row per setup x metric)."""


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


@dataclass(frozen=True, eq=False)
class Comparison:
    """Results of :func:`compare`: one :class:`SetupRun` per setup, same seed and replications."""

    scenario: Scenario
    runs: tuple[SetupRun, ...]
    replications: int
    seed: int

    def run(self, kind: str) -> SetupRun:
        """The run of setup ``kind``."""
        for run in self.runs:
            if run.kind == kind:
                return run
        raise KeyError(f"no setup {kind!r} in this comparison ({', '.join(r.kind for r in self.runs)})")

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per setup x metric with ``mean`` and ``ci95``."""
        rows = [{"setup": run.kind, "metric": metric, "mean": mean, "ci95": half}
                for run in self.runs for metric, (mean, half) in run.metrics().items()]
        return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))

    def table(self) -> pd.DataFrame:
        """Side-by-side means: one row per metric, one column per setup."""
        frame = self.to_frame()
        wide = frame.pivot(index="metric", columns="setup", values="mean")
        order = list(dict.fromkeys(frame["metric"]))
        return wide.loc[order, [run.kind for run in self.runs]]

    def to_json_dict(self) -> dict:
        """``{"scenario", "replications", "seed", "setups": {kind: {"metrics": {m: {mean, ci95}}, "costs", "notes"}}}``."""
        def number(value: float) -> float | None:
            return None if value is None or math.isnan(value) or math.isinf(value) else float(value)

        return {
            "scenario": self.scenario.name,
            "replications": self.replications,
            "seed": self.seed,
            "setups": {
                run.kind: {
                    "metrics": {m: {"mean": number(a), "ci95": number(b)} for m, (a, b) in run.metrics().items()},
                    "costs": run.costs.to_json_dict(),
                    "seat_shortfall_per_interval": [int(x) for x in run.compiled.seat_shortfall],
                    "notes": list(run.costs.notes),
                }
                for run in self.runs
            },
        }


def run_setup(scenario: Scenario, setup, replications: int, seed: int, *, warmup_minutes: float | None = None,
              workers: int = 1, progress: Callable[[int, int], None] | None = None) -> SetupRun:
    """Compile, simulate and cost ``scenario`` under one ``setup`` (see :func:`compile_scenario`)."""
    compiled = compile_scenario(scenario, setup, warmup_minutes=warmup_minutes)
    result = simulate(compiled.model, replications, seed, progress=progress, workers=workers)
    return SetupRun(compiled, result, estimate_costs(compiled, result))


def compare(scenario: Scenario, setups: Sequence = SETUP_KINDS, replications: int | None = None,
            seed: int | None = None, *, warmup_minutes: float | None = None, workers: int = 1,
            progress: Callable[[int, int], None] | None = None) -> Comparison:
    """Simulate ``scenario`` under each setup with common random numbers.

    Parameters
    ----------
    scenario : Scenario
        The validated scenario (its ``setups``/``setup`` blocks override each kind's defaults).
    setups : sequence of str or setup objects
        Kinds (``"in-house"``, ``"virtual"``, ``"cloud"``) or setup objects. Default all three.
    replications : int, optional
        Replications per setup (default: the scenario's ``replications``).
    seed : int, optional
        Root seed shared by every setup (default: the scenario's, else fresh entropy, echoed).
    warmup_minutes : float, optional
        Overrides the scenario's warm-up.
    workers : int
        Processes per simulation (results do not depend on it).
    progress : callable, optional
        ``progress(done, total)`` over all setups' replications.

    Returns
    -------
    Comparison
    """
    if not setups:
        raise ScenarioError("setups must name at least one setup")
    kinds = [s if isinstance(s, str) else s.kind for s in setups]
    for kind in kinds:
        if kind not in SETUP_KINDS:
            raise ScenarioError(f"unknown setup {kind!r}; setups are {', '.join(SETUP_KINDS)}")
    if len(set(kinds)) != len(kinds):
        raise ScenarioError(f"setups must not repeat a kind, got {', '.join(kinds)}")
    replications = scenario.replications if replications is None else replications
    seed = scenario.seed if seed is None else seed
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))
    total = replications * len(kinds)
    runs = []
    for index, setup in enumerate(setups):
        done_before = index * replications
        callback = None if progress is None else (lambda done, _r, base=done_before: progress(base + done, total))
        runs.append(run_setup(scenario, setup, replications, seed, warmup_minutes=warmup_minutes,
                              workers=workers, progress=callback))
    return Comparison(scenario, tuple(runs), replications, int(seed))
