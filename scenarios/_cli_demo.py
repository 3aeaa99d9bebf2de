"""``ccplan demo``: the product's showcase on its embedded default, the bundled example day.

The example day (``scenarios/examples/example_day.yaml``: a weekday of 30-minute intervals from
08:00 to 20:00 with voice, chat behind a bot and email, two agent groups, and in-house /
virtual / cloud setups) is read with :mod:`importlib.resources`, so the demo works from an
installed package too. :func:`run_demo` computes, in order:

1. the analytic staffing table (:func:`scenarios.requirements.scenario_requirements`);
2. a simulation of the file's schedule, with voice's Erlang C and Erlang A service level at the
   scheduled agents (net of shrinkage) beside the simulated one, per interval;
3. the comparison of the three setups with common random numbers (:func:`scenarios.compare.compare`),
   printed as a table and drawn as a matplotlib PNG.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from simulator import simulate
from staffing import erlang_a, service_level

from ._cli_compare import format_comparison
from ._output import write_output
from ._progress import ProgressBar
from .charts import comparison_figure
from .compare import Comparison, compare
from .compile import compile_scenario
from .loader import load_scenario
from .requirements import agent_workload, interval_labels, scenario_requirements
from .schema import Scenario

__all__ = ["EXAMPLE_DAY", "DemoResult", "load_example_day", "run_demo", "register"]

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
    """Voice per interval: Erlang C / Erlang A at the scheduled agents beside the simulation."""
    group = next(g for g in scenario.staff if tuple(g.channels) == ("voice",))
    channel = scenario.channels["voice"]
    n = scenario.intervals
    agents = np.broadcast_to(np.asarray(group.agents, dtype=float), (n,))
    available = np.floor(agents * (1.0 - group.shrinkage) + 1e-9)
    calls, handle = agent_workload(scenario, "voice", setup=None)
    rate_per_hour = calls * 60.0 / scenario.interval_minutes
    traffic = rate_per_hour * handle / 3600.0
    target = channel.service_level.target_seconds
    compiled = compile_scenario(scenario, None)
    result = simulate(compiled.model, replications, seed, progress=progress)
    table = result.intervals[result.intervals["channel"] == "voice"]
    by_interval = table.groupby("interval")
    simulated = by_interval["service_level"].agg(["mean", "std", "count"])
    half = 1.96 * simulated["std"] / np.sqrt(simulated["count"])
    return pd.DataFrame({
        "interval_start": interval_labels(scenario),
        "calls": calls,
        "agents_net": available,
        "erlang_c_sl": service_level(traffic, available, handle, target),
        "erlang_a_sl": erlang_a(rate_per_hour, handle, channel.patience_seconds, available, target).service_level,
        "simulated_sl": simulated["mean"].to_numpy(),
        "simulated_sl_ci95": half.to_numpy(),
        "simulated_abandon_rate": by_interval["abandon_rate"].mean().to_numpy(),
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


def _format_staffing(result: DemoResult) -> str:
    table = result.requirements
    wide = table.pivot(index="interval_start", columns="channel", values="required_agents")
    voice = table[table["channel"] == "voice"].set_index("interval_start")
    lines = ["start   calls  ErlC  ErlA  | required agents:  voice  chat  email  | to schedule (after shrinkage)"]
    scheduled = table.groupby("interval_start", sort=False)["scheduled_agents"].sum()
    for label in voice.index:
        row = voice.loc[label]
        lines.append(f"{label}  {row['volume']:6.0f}  {int(row['required_erlang_c']):4d}  {int(row['required_erlang_a']):4d}  |"
                     f"                  {int(wide.loc[label, 'voice']):5d}  {int(wide.loc[label, 'chat']):4d}  "
                     f"{int(wide.loc[label, 'email']):5d}  | {int(scheduled.loc[label]):5d}")
    return "\n".join(lines)


def _format_voice(result: DemoResult) -> str:
    lines = ["start   calls  agents(net)  Erlang C SL  Erlang A SL  simulated SL        abandon"]
    for row in result.voice.itertuples():
        lines.append(f"{row.interval_start}  {row.calls:6.0f}  {row.agents_net:11.0f}  {row.erlang_c_sl:11.1%}  "
                     f"{row.erlang_a_sl:11.1%}  {row.simulated_sl:6.1%} ± {row.simulated_sl_ci95:5.1%}  "
                     f"{row.simulated_abandon_rate:7.1%}")
    return "\n".join(lines)


def _handle(args) -> int:
    progress = None if args.quiet else ProgressBar("replications")
    result = run_demo(args.replications, args.seed, progress=progress)
    scenario = result.scenario
    print(f"ccplan demo: {scenario.name} (scenarios/{EXAMPLE_DAY}), {scenario.intervals} x "
          f"{scenario.interval_minutes:g} min from {interval_labels(scenario)[0]}")
    print()
    print("1. Analytic staffing (Erlang C / Erlang A for voice; chat with concurrency; email within its response target)")
    print(_format_staffing(result))
    print()
    print(f"2. The file's schedule simulated ({args.replications} replications, seed {args.seed}) beside "
          "Erlang C and Erlang A at the same agents (voice)")
    print(_format_voice(result))
    print()
    print("3. The same day under the three setups")
    print(format_comparison(result.comparison))
    figure = comparison_figure(result.comparison.to_frame(), CHART_METRICS, currency=scenario.costs.currency)
    figure.suptitle(f"{scenario.name}: in-house vs virtual vs cloud (95 % CI over {args.replications} replications)")
    write_output("--png", args.png, lambda p: figure.savefig(p, dpi=100))
    print()
    print(f"wrote {args.png}")
    return 0


def register(subparsers) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="showcase on the bundled example day: staffing, simulation, setup comparison, chart",
        description=("Staffing table, simulation beside Erlang C / Erlang A, and the in-house / virtual / cloud "
                     "comparison of the bundled example weekday; writes a PNG chart."),
    )
    parser.add_argument("--replications", type=int, default=5, metavar="N", help="replications per simulation (default 5)")
    parser.add_argument("--seed", type=int, default=2026, metavar="S", help="root random seed (default 2026)")
    parser.add_argument("--png", default="ccplan-demo.png", metavar="OUT", help="chart file (default ccplan-demo.png)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=_handle)
