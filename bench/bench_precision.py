"""Replications needed for a 95 % half-width of 1 point on service level: no control variates, the arrival and
work controls, and those plus the headcount control.

Runs ``simulator.simulate`` with a precision target (1 point on service level and abandon rate;
the ASA target is set out of the way, so service level decides) on

* the bundled example day (``scenarios/examples/example_day.yaml``, as given: voice, chat behind
  a bot, email; 30 % shrinkage), and
* the stationary M/M/n+M queue of the statistical tests (7 agents, 105 calls per hour, AHT
  240 s, patience 180 s, 1 h warm-up, 4 h counted),

each with plain means, with the arrival and work controls (``DEMAND_CONTROLS``, the controls before
the headcount one) and with every control (``CONTROLS``: plus the agents on duty after the
shrinkage draw; see :mod:`simulator.precision`), same seed, at most 400 replications. Prints one row per case:
replications used, whether the target was met, the half-width reached per channel's service
level, the variance ratio of the control variates and the run time.

Usage: ``python bench/bench_precision.py [--seed S] [--max-replications M]``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import simulator as sim
from scenarios.bridge.compile import compile_scenario
from scenarios.document.loader import load_scenario
from simulator.precision import CONTROLS, DEMAND_CONTROLS, PrecisionTarget

CASES = (("off", False), ("arrivals + work", DEMAND_CONTROLS), ("+ headcount", CONTROLS))

ROOT = Path(__file__).resolve().parents[1]


def _mmnm() -> sim.SimulationModel:
    channel = sim.ChannelModel("voice", "voice", arrivals_per_interval=[52.5],
                               handle_time=sim.Distribution.exponential(240),
                               patience=sim.Distribution.exponential(180), service_level_target_seconds=20)
    group = sim.AgentGroupModel("agents", ["voice"], [7])
    return sim.SimulationModel(1800, 10, [channel], [group], warmup_seconds=3600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--max-replications", type=int, default=400)
    args = parser.parse_args()
    day = compile_scenario(load_scenario(ROOT / "scenarios" / "examples" / "example_day.yaml"), None).model
    target = PrecisionTarget(share_half_width=0.01, asa_half_width_seconds=1e9, min_replications=5,
                             max_replications=args.max_replications)
    header = f"{'case':<22} {'control variates':>16} {'replications':>12} {'met':>4} {'seconds':>8}  SL half-width (points) / variance ratio"
    print(header)
    print("-" * len(header))
    for name, model in (("example day", day), ("M/M/7+M, 105 calls/h", _mmnm())):
        for label, control in CASES:
            start = time.perf_counter()
            result = sim.simulate(model, seed=args.seed, precision=target, control_variates=control)
            elapsed = time.perf_counter() - start
            table = result.precision.table
            rows = table[table["kpi"] == "service_level"]
            parts = []
            for row in rows.itertuples():
                half = "n/a" if row.half_width != row.half_width else f"{row.half_width * 100:.2f}"
                ratio = "" if row.variance_ratio != row.variance_ratio else f" / {row.variance_ratio:.2f}"
                parts.append(f"{row.channel} {half}{ratio}")
            print(f"{name:<22} {label:>16} {result.replications:>12} "
                  f"{'yes' if result.precision.met else 'no':>4} {elapsed:>8.1f}  {', '.join(parts)}")
    print()
    print("example day: email service level is 100 % in every replication, so its interval needs 30 replications "
          "(a share equal in every replication gets no interval before that); voice and chat decide beyond.")


if __name__ == "__main__":
    main()
