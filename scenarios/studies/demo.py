"""The product's showcase on its embedded default, the bundled example day.

The example day (``scenarios/examples/example_day.yaml``: a weekday of 30-minute intervals from
08:00 to 20:00 with voice, chat behind a bot and email, two agent groups, and in-house /
virtual / cloud setups) is read with :mod:`importlib.resources`, so the demo works from an
installed package too. :func:`run_demo` computes, in order:

1. the analytic staffing table (:func:`scenarios.bridge.requirements.scenario_requirements`);
2. a simulation of the file's schedule, with voice's Erlang C and Erlang A service level at the
   scheduled agents (net of shrinkage) beside the simulated one, per interval;
3. the comparison of the three setups with common random numbers (:func:`scenarios.studies.compare.compare`).

``ccplan demo`` (:mod:`scenarios.cli.demo`) prints it and draws the comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from scenarios.bridge.requirements import (
    agent_workload,
    performance_at_schedule,
    scenario_requirements,
)
from scenarios.document.loader import load_scenario
from scenarios.document.scenario import Scenario
from scenarios.document.setups import AS_GIVEN
from scenarios.report.stats import interval_mean_ci
from scenarios.studies.compare import Comparison, compare
from scenarios.studies.run import run_setup

__all__ = ["EXAMPLE_DAY", "CHART_METRICS", "DemoResult", "load_example_day", "run_demo"]

#: The bundled example day, relative to the ``scenarios`` package.
EXAMPLE_DAY = "examples/example_day.yaml"

#: Metrics drawn in the demo's chart.
CHART_METRICS = ("voice.service_level", "voice.abandon_rate", "chat.service_level", "email.service_level",
                 "voice.occupancy", "cost_per_contact")


@dataclass(frozen=True)
class DemoResult:
    """What the demo computed.

    Attributes
    ----------
    scenario : Scenario
        The example day.
    requirements : pandas.DataFrame
        Analytic requirements, one row per interval x channel.
    voice : pandas.DataFrame
        Per interval: calls, scheduled voice agents net of shrinkage, Erlang C and Erlang A
        service level at those agents, simulated service level (mean, 95 % half-width) and
        abandon rate.
    comparison : Comparison
        The three setups side by side.
    """

    scenario: Scenario
    requirements: pd.DataFrame
    voice: pd.DataFrame
    comparison: Comparison


def load_example_day() -> Scenario:
    """The bundled example day as a validated scenario."""
    return load_scenario(Path(str(resources.files("scenarios").joinpath(EXAMPLE_DAY))))


def _voice_beside_erlang(scenario: Scenario, replications: int, seed: int, progress) -> pd.DataFrame:
    """Voice per interval: Erlang C / Erlang A at the scheduled agents beside the simulation.

    The analytic side is :func:`~scenarios.bridge.requirements.performance_at_schedule` (the
    same schedule, seats and setup effects as the simulation); the simulated service level is
    the mean over replications with its Student-t 95 % half-width
    (:func:`~scenarios.report.stats.interval_mean_ci`).
    """
    n = scenario.intervals
    analytic = performance_at_schedule(scenario)
    voice = analytic[analytic["channel"] == "voice"].sort_values("interval")
    calls, _ = agent_workload(scenario, "voice")
    run = run_setup(scenario, AS_GIVEN, replications, seed, progress=progress)
    sl_mean, sl_half = interval_mean_ci(run.result.intervals, "voice", "service_level", n)
    abandon_mean, _ = interval_mean_ci(run.result.intervals, "voice", "abandon_rate", n)
    return pd.DataFrame({
        "interval_start": scenario.interval_labels(),
        "calls": calls,
        "agents_net": voice["available_agents"].to_numpy(),
        "erlang_c_sl": voice["erlang_c_service_level"].to_numpy(),
        "erlang_a_sl": voice["service_level"].to_numpy(),
        "simulated_sl": sl_mean,
        "simulated_sl_ci95": sl_half,
        "simulated_abandon_rate": abandon_mean,
    })


def run_demo(replications: int = 5, seed: int = 2026, *, progress=None) -> DemoResult:
    """Compute the demo (see the module docstring).

    Parameters
    ----------
    replications : int
        Replications per simulation (>= 2 for confidence intervals).
    seed : int
        Root seed, shared by every setup (common random numbers).
    progress : callable, optional
        ``progress(done, total)`` after each replication.
    """
    scenario = load_example_day()
    requirements = scenario_requirements(scenario)
    voice = _voice_beside_erlang(scenario, replications, seed, progress)
    comparison = compare(scenario, replications=replications, seed=seed, progress=progress)
    return DemoResult(scenario, requirements, voice, comparison)
