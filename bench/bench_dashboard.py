"""Benchmark of the dashboard's interactive speed; prints a table.

Run: ``python bench/bench_dashboard.py`` (a few minutes). Cases:

* Every view's first render: a fresh AppTest session with ``st.cache_data`` cleared switches to
  the view on the example day (the Scenario view is the landing view). Target < 2 s (issue 11).
* What-ifs: the Staffing view's volume and AHT what-ifs (new values, analytic) and each point of
  the Sensitivity view's re-sized what-if (analytic requirement per point). Target < 2 s each.
* The Schedule view's plan (``ccplan plan`` with the form's defaults) on the example day. Target < 15 s.
* The Simulation view's default run (to the product's precision target, ±1 point; it runs when
  asked, so it is not part of the view's first render), with the replications it used. No target.

* Staffing view, change re-render: the app runs under ``streamlit.testing.v1.AppTest`` on the
  embedded default scenario; on the Staffing view the what-if volume is set to a value not seen
  before and the whole script re-runs (widgets, the analytic calculation for the new variant,
  the chart drawn and encoded as PNG). Target < 1 s per change. The same for a cached value
  (going back to a value seen before) is shown for reference.
* Simulation, one day, one replication of the default scenario (24 half-hour intervals, voice,
  chat with a bot, email): compile the scenario and run :func:`simulator.simulate`. Target < 5 s.

Times are wall-clock on this machine (the median of several changes / runs and the worst).
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scenarios.bridge.compile import compile_scenario  # noqa: E402
from simulator import simulate  # noqa: E402

APP_FILE = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
DEFAULT_SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "examples" / "example_day.yaml"


def staffing_rerender(changes: int = 6) -> tuple[list[float], list[float]]:
    """Seconds per re-run after a new (uncached) and a repeated (cached) what-if change."""
    from streamlit.testing.v1 import AppTest  # noqa: TID251 - the benchmark drives the app through Streamlit's test runner

    at = AppTest.from_file(str(APP_FILE), default_timeout=120)
    at.run()
    at.radio(key="view").set_value("Staffing").run()
    widget = "staffing.volume_change_percent"
    new, cached = [], []
    for step in range(1, changes + 1):
        value = 1.0 + step * 1.7 + time.time() % 1  # never seen before: a cache miss
        at.number_input(key=widget).set_value(value)
        start = time.perf_counter()
        at.run()
        new.append(time.perf_counter() - start)
        if at.exception or at.error:
            raise RuntimeError(f"the Staffing view failed: {[e.value for e in at.exception or at.error]}")
        at.number_input(key=widget).set_value(0.0)
        start = time.perf_counter()
        at.run()
        cached.append(time.perf_counter() - start)
    return new, cached


def view_first_renders() -> list[tuple[str, list[float]]]:
    """Seconds of each view's first render in a fresh session (new process cache: ``st.cache_data`` cleared)."""
    import streamlit as st  # noqa: TID251 - to clear the data cache between sessions
    from streamlit.testing.v1 import AppTest  # noqa: TID251 - the benchmark drives the app through Streamlit's test runner

    from dashboard.views import VIEWS

    out = []
    for view in VIEWS:
        times = []
        for _ in range(2):
            st.cache_data.clear()
            at = AppTest.from_file(str(APP_FILE), default_timeout=300)
            at.run()
            start = time.perf_counter()
            at.radio(key="view").set_value(view).run()
            times.append(time.perf_counter() - start)
            if at.exception or at.error:
                raise RuntimeError(f"the {view} view failed: {[e.value for e in at.exception or at.error]}")
        out.append((view, times))
    return out


def what_ifs() -> list[tuple[str, list[float]]]:
    """Seconds per what-if re-run: Staffing (volume, AHT; new values) and Sensitivity (each re-sized point)."""
    from streamlit.testing.v1 import AppTest  # noqa: TID251

    at = AppTest.from_file(str(APP_FILE), default_timeout=300)
    at.run()
    at.radio(key="view").set_value("Staffing").run()
    out = []
    for widget in ("staffing.volume_change_percent", "staffing.aht_change_seconds"):
        times = []
        for step in range(1, 4):
            at.number_input(key=widget).set_value(2.0 + step * 3.1 + time.time() % 1)
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        at.number_input(key=widget).set_value(0.0).run()
        out.append((f"Staffing what-if {widget.split('.')[-1]} (new value)", times))
    at.radio(key="view").set_value("Sensitivity").run()
    from dashboard.compute import SENSITIVITY_PARAMETERS

    for parameter in SENSITIVITY_PARAMETERS:
        at.selectbox(key="sensitivity.parameter").set_value(parameter)
        start = time.perf_counter()
        [b for b in at.button if b.label == "Run what-if"][0].click().run()
        elapsed = time.perf_counter() - start
        points = len(SENSITIVITY_PARAMETERS[parameter][1])
        out.append((f"Sensitivity re-sized {parameter} (per point, {points} pts)", [elapsed / points]))
    return out


def schedule_plan(runs: int = 2) -> list[float]:
    """Seconds of the Schedule view's plan on the example day (default roster rules, form defaults)."""
    import streamlit as st  # noqa: TID251 - to clear the data cache between sessions
    from streamlit.testing.v1 import AppTest  # noqa: TID251

    out = []
    for _ in range(runs):
        st.cache_data.clear()
        at = AppTest.from_file(str(APP_FILE), default_timeout=300)
        at.run()
        at.radio(key="view").set_value("Schedule").run()
        start = time.perf_counter()
        [b for b in at.button if b.label == "Make the schedule"][0].click().run()
        out.append(time.perf_counter() - start)
        if at.exception or at.error or not at.get("image"):
            raise RuntimeError("the Schedule view did not draw its plan")
    return out


def simulation_precision_run(runs: int = 2) -> tuple[list[float], int]:
    """Seconds of the Simulation view's default run (to the product's precision target) on the example
    day, from pressing "Run simulation" (cache cleared), and the replications it used."""
    import streamlit as st  # noqa: TID251 - to clear the data cache between sessions
    from streamlit.testing.v1 import AppTest  # noqa: TID251

    out, replications = [], 0
    for _ in range(runs):
        st.cache_data.clear()
        at = AppTest.from_file(str(APP_FILE), default_timeout=300)
        at.run()
        at.radio(key="view").set_value("Simulation").run()
        start = time.perf_counter()
        [b for b in at.button if b.label == "Run simulation"][0].click().run()
        out.append(time.perf_counter() - start)
        shown = {m.label: m.value for m in at.metric}
        if at.exception or at.error or "Replications used" not in shown:
            raise RuntimeError("the Simulation view did not show its run")
        replications = int(shown["Replications used"])
    return out, replications


def one_day_simulation(runs: int = 3) -> list[float]:
    """Seconds to compile and simulate the default scenario once (one replication)."""
    from scenarios.document.loader import load_scenario

    scenario = load_scenario(DEFAULT_SCENARIO)
    out = []
    for seed in range(runs):
        start = time.perf_counter()
        compiled = compile_scenario(scenario)
        simulate(compiled.model, 1, seed)
        out.append(time.perf_counter() - start)
    return out


def main() -> int:
    warnings.simplefilter("ignore")
    rows = []
    for view, times in view_first_renders():
        rows.append((f"First render: {view} view (cold cache)", times, 2.0))
    for name, times in what_ifs():
        rows.append((name, times, 2.0))
    rows.append(("Schedule view: plan of the example day (default rules)", schedule_plan(), 15.0))
    precision, used = simulation_precision_run()
    rows.append((f"Simulation view: run to the default precision ({used} replications)", precision, None))
    new, cached = staffing_rerender()
    rows.append(("Staffing view: re-render after a change (new what-if value)", new, 1.0))
    rows.append(("Staffing view: re-render, value seen before (cached)", cached, None))
    simulation = one_day_simulation()
    rows.append(("Simulation: one day, 1 replication, default scenario", simulation, 5.0))
    print(f"{'case':<62} {'median s':>9} {'worst s':>9} {'target s':>9}  ok")
    rows = [(name[:62], times, target) for name, times, target in rows]
    failed = False
    for name, times, target in rows:
        median, worst = statistics.median(times), max(times)
        ok = "-" if target is None else ("yes" if median < target else "NO")
        failed |= ok == "NO"
        print(f"{name:<62} {median:>9.3f} {worst:>9.3f} {('-' if target is None else f'< {target:g}'):>9}  {ok}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
