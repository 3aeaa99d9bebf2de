"""Benchmark of ``ccplan plan`` on the bundled examples: run time and replications; prints a table.

Run: ``python bench/bench_plan.py`` (a few minutes on a 2-core machine; ``--quick`` for two
examples). For each bundled example with a service-level goal, :func:`plan_staffing` runs with
its defaults (first batch of 5 replications, at most 30 per iteration, at most 6 iterations,
default roster rules) and a fixed seed. Reported per example: wall time and process time,
iterations, replications of the chosen iteration, replications over all iterations, intervals
decided met / missed / undecided in the chosen iteration, whether every goal is met, and the
cost. Target for the example day: under 15 s wall time (issue 11's Schedule view).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scenarios.document.loader import load_scenario  # noqa: E402
from scenarios.studies.plan import plan_staffing  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "scenarios" / "examples"
CASES = ("single_queue", "sweep_base", "example_day", "insurer_virtual", "retail_inhouse_monday", "ecommerce_cloud_peak")
QUICK = ("single_queue", "sweep_base")
SEED = 11


def main() -> None:
    cases = QUICK if "--quick" in sys.argv else CASES
    header = ("example", "wall_s", "cpu_s", "iterations", "reps_chosen", "reps_total", "met", "missed", "undecided",
              "goal_met", "cost")
    rows = []
    for name in cases:
        scenario = load_scenario(EXAMPLES / f"{name}.yaml")
        wall, cpu = time.perf_counter(), time.process_time()
        plan = plan_staffing(scenario, seed=SEED)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        decisions = plan.intervals["decision"].value_counts()
        rows.append((name, f"{wall:.1f}", f"{cpu:.1f}", str(len(plan.iterations)), str(plan.replications),
                     str(plan.total_replications), str(decisions.get("met", 0)), str(decisions.get("missed", 0)),
                     str(decisions.get("undecided", 0)), "yes" if plan.goal_met else "no", f"{plan.cost:,.0f}"))
        print(f"done {name}", file=sys.stderr, flush=True)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
