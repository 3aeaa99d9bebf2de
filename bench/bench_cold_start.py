"""Cold-start benchmark: how long the ``ccplan`` command takes to start, next to a bare interpreter.

Run with ``python bench/bench_cold_start.py`` (``--repeat 7`` for more rounds). Each round runs,
in fresh processes and in turn: ``python -c pass`` (the interpreter alone), ``ccplan --help``,
``ccplan erlang --calls 100 --aht 180``, and the import of a sweep worker's modules
(``scenarios.studies.run``: what each worker process loads before its first run). The table shows
the median wall time of each and its excess over the bare interpreter measured in the same
rounds, against the targets: ``--help`` within 0.15 s, ``erlang`` within 0.4 s.

The commands run as ``python -m scenarios.cli ...`` with this interpreter (the console script
adds only its own tiny launcher), so the benchmark measures the same code wherever ccplan is
installed. They run with byte-code caching on (``PYTHONDONTWRITEBYTECODE`` removed from their
environment, and a warm-up round first), as an installed package runs. Two rows show the floor
that ccplan's own code cannot go below: importing NumPy, and NumPy with ``scipy.special`` (the
Erlang functions' incomplete gamma and Kummer functions; SciPy 1.17 loads its array-API layer with
it, which imports ``numpy.testing`` and ``numpy.f2py``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

CASES = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "ccplan --help": [sys.executable, "-m", "scenarios.cli", "--help"],
    "ccplan erlang --calls 100 --aht 180": [sys.executable, "-m", "scenarios.cli", "erlang", "--calls", "100",
                                            "--aht", "180"],
    "sweep worker imports": [sys.executable, "-c", "import scenarios.studies.run"],
    "floor: import numpy": [sys.executable, "-c", "import numpy"],
    "floor: import numpy, scipy.special": [sys.executable, "-c", "import numpy, scipy.special"],
}
TARGETS = {"ccplan --help": 0.15, "ccplan erlang --calls 100 --aht 180": 0.4}
"""Targets: seconds above the bare interpreter."""


_ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_ENVIRONMENT)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds (default 5); medians are reported")
    args = parser.parse_args(argv)
    for command in CASES.values():  # warm the file cache once
        _time(command)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.repeat):
        for name, command in CASES.items():
            times[name].append(_time(command))
    bare = statistics.median(times["python -c pass"])
    print(f"{'command':40s} {'median s':>9s} {'over bare s':>12s} {'target s':>9s}  verdict")
    for name, values in times.items():
        median = statistics.median(values)
        excess = median - bare
        target = TARGETS.get(name)
        verdict = "" if target is None else ("meets" if excess <= target else "MISSES")
        shown_target = "" if target is None else f"{target:.2f}"
        print(f"{name:40s} {median:9.3f} {excess:12.3f} {shown_target:>9s}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
