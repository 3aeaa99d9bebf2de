"""Benchmark of ``ccplan plan`` on the bundled examples: run time and replications; prints a table.

Run: ``python bench/bench_plan.py`` (a few minutes on a 2-core machine; ``--quick`` for two
examples). For each bundled example with a service-level goal, :func:`plan_staffing` runs with
its defaults (first batch of 5 replications, at most 30 per iteration, at most 6 iterations,
default roster rules) and a fixed seed. Reported per example: wall time and process time,
iterations, replications of the chosen iteration, replications over all iterations, intervals
decided met / missed / undecided in the chosen iteration, whether every goal is met, and the
cost. Targets: the example day under 10 s wall time (issue 11's Schedule view asks under 15 s),
every bundled example under 60 s.

``--compare FILE`` also prints a before/after table against a saved run of this script
(``bench/bench_plan_before.txt`` holds the run before the plan-speed changes, measured on the
same 2-core machine while other work ran on it: wall times depend on the load, process times
less so; ``bench/bench_plan_after.txt`` is the run after them, with this comparison).
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


def _read_table(path: Path) -> dict[str, dict[str, str]]:
    """A saved output of this script: example -> column -> cell."""
    lines = [line.split() for line in path.read_text().splitlines() if line.strip()]
    header = next(line for line in lines if line and line[0] == "example")
    return {line[0]: dict(zip(header, line, strict=True)) for line in lines
            if len(line) == len(header) and line[0] != "example"}


def _compare(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> None:
    header = ("example", "wall_s before", "wall_s after", "cpu_s before", "cpu_s after", "reps before", "reps after",
              "goal met before", "goal met after", "cost before", "cost after")
    rows = [(name, b["wall_s"], a["wall_s"], b["cpu_s"], a["cpu_s"], b["reps_total"], a["reps_total"], b["goal_met"],
             a["goal_met"], b["cost"], a["cost"]) for name, a in after.items() if (b := before.get(name))]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)] if rows else [len(h) for h in header]
    print()
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))


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
    if "--compare" in sys.argv:
        after = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
        _compare(_read_table(Path(sys.argv[sys.argv.index("--compare") + 1])), after)


if __name__ == "__main__":
    main()
