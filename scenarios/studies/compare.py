"""Compare with common random numbers: one scenario under several setups, or several scenarios.

:func:`compare` runs one scenario under several setups; :func:`compare_scenarios` runs two or
more named scenarios (the planner's saved variants) under one setup, adding their staffing
(roster and analytic requirement) to the KPIs and costs.

Every setup is simulated with the *same* root seed. The simulator derives each replication's
streams from that seed and keys each channel's streams by the channel's name, so the same demand
meets the same customers (arrival times, handle-time draws, patience) in every setup; only the
setup's levers differ. Exceptions, stated in :mod:`scenarios.bridge.compile`: a virtual ``aht_factor``
scales the same draws, and cloud notifications thin the incident intervals' arrivals (customers
after the first incident interval are redrawn).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scenarios.document.scenario import Scenario
from scenarios.document.setups import AS_GIVEN, SETUP_KINDS
from scenarios.errors import ScenarioError
from scenarios.studies.run import RunLength, SetupRun, resolve_seed, run_length, run_setup

__all__ = ["Comparison", "compare", "COMPARISON_COLUMNS", "ScenarioComparison", "compare_scenarios",
           "SCENARIO_COMPARISON_COLUMNS", "STAFFING_METRICS"]

COMPARISON_COLUMNS = ("setup", "metric", "mean", "ci95")
"""Columns of :meth:`Comparison.to_frame` (one row per setup x metric)."""


@dataclass(frozen=True, eq=False)
class Comparison:
    """Results of :func:`compare`: one :class:`SetupRun` per setup, same seed (common random numbers).

    ``replications`` is the largest number any setup used; ``length`` the run length asked for (a
    fixed count, or a precision target, when each setup runs until its own KPIs reach it).
    """

    scenario: Scenario
    runs: tuple[SetupRun, ...]
    replications: int
    seed: int
    length: RunLength | None = None

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
        """``{"scenario", "replications", "seed", "setups": {kind: {"replications", "metrics": {m: {mean, ci95}},
        "precision", "costs", "notes"}}}``; ``precision`` is the run's
        :meth:`simulator.PrecisionReport.to_json_dict` (half-widths reached, target met, variance ratio)."""
        def number(value: float) -> float | None:
            return None if value is None or math.isnan(value) or math.isinf(value) else float(value)

        return {
            "scenario": self.scenario.name,
            "replications": self.replications,
            "seed": self.seed,
            "setups": {
                run.kind: {
                    "replications": run.result.replications,
                    "metrics": {m: {"mean": number(a), "ci95": number(b)} for m, (a, b) in run.metrics().items()},
                    "precision": None if run.result.precision is None else run.result.precision.to_json_dict(),
                    "costs": run.costs.to_json_dict(),
                    "seat_shortfall_per_interval": [int(x) for x in run.compiled.seat_shortfall],
                    "notes": list(run.costs.notes),
                }
                for run in self.runs
            },
        }


def compare(scenario: Scenario, setups: Sequence = SETUP_KINDS, replications: RunLength | None = None,
            seed: int | None = None, *, warmup_minutes: float | None = None, workers: int = 1,
            progress: Callable[[int, int], None] | None = None) -> Comparison:
    """Simulate ``scenario`` under each setup with common random numbers.

    Parameters
    ----------
    scenario : Scenario
        The validated scenario (its ``setups``/``setup`` blocks override each kind's defaults).
    setups : sequence of str or setup objects
        Kinds (``"in-house"``, ``"virtual"``, ``"cloud"``) or setup objects. Default all three.
    replications : int or simulator.PrecisionTarget, optional
        Replications per setup, or a precision target each setup runs to (default:
        :func:`scenarios.studies.run.run_length` of the scenario).
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
    length = run_length(scenario) if replications is None else replications
    seed = resolve_seed(seed, scenario)
    runs: list[SetupRun] = []
    for index, setup in enumerate(setups):
        done_before = sum(run.result.replications for run in runs)
        left = len(kinds) - index

        def callback(done, planned, base=done_before, left=left):
            progress(base + done, base + planned * left)

        runs.append(run_setup(scenario, setup, length, seed, warmup_minutes=warmup_minutes,
                              workers=workers, progress=None if progress is None else callback))
    return Comparison(scenario, tuple(runs), max(run.result.replications for run in runs), int(seed), length)


# --------------------------------------------------------------------------- several scenarios
SCENARIO_COMPARISON_COLUMNS = ("scenario", "metric", "mean", "ci95")
"""Columns of :meth:`ScenarioComparison.to_frame` (one row per scenario x metric)."""

STAFFING_METRICS = ("scheduled_agent_hours", "peak_scheduled_agents", "required_agent_hours", "required_fte")
"""Staffing metrics of :func:`compare_scenarios`, besides the simulated KPIs and costs."""


@dataclass(frozen=True, eq=False)
class ScenarioComparison:
    """Results of :func:`compare_scenarios`: one simulated run per named scenario, same seed and replications.

    Attributes
    ----------
    names : tuple of str
        The scenarios' names, in the order given.
    runs : tuple of SetupRun
        One run per scenario, under the setup asked for.
    staffing : pandas.DataFrame
        One row per scenario x staffing metric (:data:`STAFFING_METRICS`): the roster in force
        under the setup (agent-hours, peak headcount) and the analytic requirement (agents to
        schedule after shrinkage, in agent-hours and in FTE of paid days).
    replications, seed : int
    setup : str
    """

    names: tuple[str, ...]
    runs: tuple[SetupRun, ...]
    staffing: pd.DataFrame
    replications: int
    seed: int
    setup: str

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per scenario x metric (KPIs, costs, staffing) with ``mean`` and ``ci95``."""
        rows = [{"scenario": name, "metric": metric, "mean": mean, "ci95": half}
                for name, run in zip(self.names, self.runs, strict=True) for metric, (mean, half) in run.metrics().items()]
        frame = pd.DataFrame(rows, columns=list(SCENARIO_COMPARISON_COLUMNS))
        return pd.concat([frame, self.staffing], ignore_index=True)

    def table(self) -> pd.DataFrame:
        """Side-by-side means: one row per metric, one column per scenario (metrics missing in one are NaN)."""
        frame = self.to_frame()
        wide = frame.pivot(index="metric", columns="scenario", values="mean")
        return wide.loc[list(dict.fromkeys(frame["metric"])), list(self.names)]


def _staffing_rows(name: str, scenario: Scenario, setup) -> list[dict]:
    from scenarios.bridge.effects import setup_effects
    from scenarios.bridge.requirements import scenario_requirements

    effects = setup_effects(scenario, setup)
    hours = scenario.interval_minutes / 60.0
    scheduled = sum(effects.scheduled_agents(scenario).values())
    requirements = scenario_requirements(scenario, effects.setup)
    required = requirements.groupby("interval")["scheduled_agents"].sum().to_numpy(dtype=float)
    values = {
        "scheduled_agent_hours": float(np.sum(scheduled)) * hours,
        "peak_scheduled_agents": float(np.max(scheduled)),
        "required_agent_hours": float(required.sum()) * hours,
        "required_fte": float(requirements["fte"].sum()),
    }
    return [{"scenario": name, "metric": metric, "mean": values[metric], "ci95": 0.0} for metric in STAFFING_METRICS]


def compare_scenarios(scenarios: Mapping[str, Scenario], replications: int, seed: int, setup: str = AS_GIVEN, *,
                      progress: Callable[[int, int], None] | None = None) -> ScenarioComparison:
    """Simulate two or more named scenarios side by side: KPIs, cost and staffing.

    Every scenario runs :func:`scenarios.studies.run.run_setup` with the same replications and
    root seed; channels of the same name meet the same customer streams where their demand is
    the same (common random numbers, as in :func:`compare`), so differences come from what the
    scenarios change.

    Parameters
    ----------
    scenarios : mapping of str to Scenario
        Name -> validated scenario (at least two).
    replications : int
        Replications per scenario (>= 1).
    seed : int
        Root seed shared by every scenario (>= 0).
    setup : str
        ``"as-given"`` (each scenario's own setup) or a kind applied to every scenario.
    progress : callable, optional
        ``progress(done, total)`` over all scenarios' replications.

    Raises
    ------
    ScenarioError
        Fewer than two scenarios, replications < 1 or a negative seed.
    """
    if len(scenarios) < 2:
        raise ScenarioError(f"compare at least two scenarios, got {len(scenarios)}")
    if isinstance(replications, bool) or int(replications) != replications or replications < 1:
        raise ScenarioError(f"replications must be a whole number >= 1, got {replications!r}")
    if seed is None or int(seed) < 0:
        raise ScenarioError(f"seed must be a whole number >= 0, got {seed!r}")
    names = tuple(scenarios)
    total = int(replications) * len(names)
    runs, staffing = [], []
    for index, name in enumerate(names):
        base = index * int(replications)
        callback = None if progress is None else (lambda done, _r, base=base: progress(base + done, total))
        runs.append(run_setup(scenarios[name], setup, int(replications), int(seed), progress=callback))
        staffing += _staffing_rows(name, scenarios[name], setup)
    return ScenarioComparison(names, tuple(runs), pd.DataFrame(staffing, columns=list(SCENARIO_COMPARISON_COLUMNS)),
                              int(replications), int(seed), setup)
