"""Blended outbound benchmark (issue 12): the cost of a campaign on the large M/M/n+M case.

Run with ``python bench/bench_blend.py`` (``--quick`` for a smoke run). Prints one table for the
case (a) queue of ``bench_simulator.py`` (100 calls/min, AHT 240 s, 410 agents, mean patience
180 s), run without a campaign and with an outbound campaign on the same agents at a few blend
reserves (contact rate 0.3, 20 s dial time, 300 s talk, unlimited list): contacts and attempts
per second of wall time and of CPU time, and SimPy events per contact and per attempt. The blend
is checked only when an agent becomes idle and at interval boundaries, so events per attempt
should be 1 and events per inbound contact unchanged. Without a campaign the engine takes the
same path as before the feature (``bench_simulator.py`` case (a) reports the same number).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_simulator import case_a_model  # noqa: E402

import simulator as sim  # noqa: E402


def with_campaign(model: sim.SimulationModel, reserve: int) -> sim.SimulationModel:
    campaign = sim.OutboundCampaign("sales", [model.groups[0].name], sim.Distribution.exponential(300.0),
                                    contact_rate=0.3, dial_time=sim.Distribution.constant(20.0), reserve=reserve)
    return sim.SimulationModel(model.interval_seconds, model.intervals, model.channels, model.groups,
                               campaigns=[campaign])


def measure(model: sim.SimulationModel, repeat: int) -> tuple[float, float, sim.SimulationResult]:
    """Best wall and CPU seconds of ``repeat`` runs and the last result."""
    best_wall, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = sim.simulate(model, replications=1, seed=1)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    assert result is not None
    return best_wall, best_cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs (smoke test of the benchmark)")
    parser.add_argument("--repeat", type=int, default=3, help="timed repetitions; the best is reported")
    arguments = parser.parse_args()
    calls = 20_000 if arguments.quick else 200_000
    repeat = 1 if arguments.quick else arguments.repeat
    base = case_a_model(calls)
    cases = [("(a) no campaign", base)] + [(f"(a) + campaign, reserve {r}", with_campaign(base, r)) for r in (0, 5, 20)]
    print(f"{'case':<30} {'contacts':>9} {'attempts':>9} {'wall s':>7} {'CPU s':>7} {'contacts/s':>11} "
          f"{'work/CPU s':>11} {'events/item':>12}")
    print("-" * 104)
    for name, model in cases:
        wall, cpu, result = measure(model, repeat)
        contacts = int(result.intervals["offered"].sum())
        attempts = 0 if result.campaigns is None else int(result.campaigns["dials"].sum())
        items = contacts + attempts
        print(f"{name:<30} {contacts:>9,} {attempts:>9,} {wall:>7.2f} {cpu:>7.2f} {contacts / wall:>11,.0f} "
              f"{items / cpu:>11,.0f} {result.events / items:>12.3f}")
    print("-" * 104)
    print("contacts/s: inbound contacts per wall second; work/CPU s: contacts + outbound attempts per CPU second;\n"
          "events/item: SimPy events per inbound contact or outbound attempt (answered contacts cost 2: join, end).")


if __name__ == "__main__":
    main()
