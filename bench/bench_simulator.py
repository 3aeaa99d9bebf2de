"""Simulator benchmark: contacts per second and peak memory (issue 3).

Run with ``python bench/bench_simulator.py`` (add ``--quick`` for a smaller smoke run). Prints one
table:

* (a) the large M/M/n+M queue: 100 calls/min, AHT 240 s, 410 agents, mean patience 180 s,
  200 000 calls, with the full simulator (all KPI bookkeeping) and with a minimal idiomatic SimPy
  model of the same queue (``Resource`` plus one process per call racing
  ``yield req | env.timeout(patience)``), and their speed ratio;
* (b) a multichannel day: voice (retrials, callbacks) + chat (bot, self-service, concurrency 3)
  + email, three agent groups with shrinkage and shift changes, 50 000 contacts;
* (c) three voice queues and three groups with longest-waiting selection and delayed overflow
  (specialists at once, generalists after 20 s), as many contacts as (a);
* (b) over 1, 7 and 30 days: peak memory must stay under 500 MB and flat in the horizon.

Speed is measured without tracing; peak memory in a second run under ``tracemalloc`` (Python
and NumPy allocations made during the run, the interpreter's baseline excluded); "result MB" is
what the returned result still holds (its tables have one row per interval, so they grow with the
horizon while the simulation's working memory does not).
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc

import numpy as np
import simpy

import simulator as sim
from simulator.examples import multichannel_day

CALLS_PER_MINUTE = 100.0
AHT_SECONDS = 240.0
AGENTS = 410
PATIENCE_SECONDS = 180.0


def minimal_simpy_case_a(calls: int, seed: int = 1) -> dict[str, int]:
    """The reference: a minimal idiomatic SimPy M/M/n+M model (one process per call)."""
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(60.0 / CALLS_PER_MINUTE, calls).tolist()
    services = rng.exponential(AHT_SECONDS, calls).tolist()
    patiences = rng.exponential(PATIENCE_SECONDS, calls).tolist()
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=AGENTS)
    counts = {"answered": 0, "abandoned": 0}
    waits = []

    def call(env, index):
        arrived = env.now
        with agents.request() as request:
            outcome = yield request | env.timeout(patiences[index])
            if request in outcome:
                waits.append(env.now - arrived)
                counts["answered"] += 1
                yield env.timeout(services[index])
            else:
                counts["abandoned"] += 1

    def source(env):
        for index in range(calls):
            yield env.timeout(gaps[index])
            env.process(call(env, index))

    env.process(source(env))
    env.run()
    counts["events"] = next(env._eid)  # events scheduled (SimPy's internal event counter)
    return counts


def ciw_case_a(calls: int, seed: int = 1) -> int:
    """Case (a) in Ciw (``pip install -e ".[bench]"``): the same M/M/n+M queue; returns records."""
    import ciw

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=CALLS_PER_MINUTE / 60.0)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / AHT_SECONDS)],
        number_of_servers=[AGENTS],
        reneging_time_distributions=[ciw.dists.Exponential(rate=1.0 / PATIENCE_SECONDS)],
    )
    ciw.seed(seed)  # Ciw's random state is global
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_customers(calls, method="Arrive")
    return len(simulation.get_all_records())


def case_a_model(calls: int) -> sim.SimulationModel:
    interval_seconds = 1800.0
    intervals = int(np.ceil(calls / (CALLS_PER_MINUTE * 30.0)))
    channel = sim.ChannelModel(
        "voice", "voice", [CALLS_PER_MINUTE * 30.0] * intervals, sim.Distribution.exponential(AHT_SECONDS),
        patience=sim.Distribution.exponential(PATIENCE_SECONDS))
    return sim.SimulationModel(interval_seconds, intervals, [channel], [sim.AgentGroupModel("agents", ["voice"], [AGENTS])])


def case_b_model(days: int = 1, contacts_per_day: float = 50_000.0) -> sim.SimulationModel:
    """Voice + chat with bot + email, three groups, 30-minute intervals, daily profile."""
    return multichannel_day(days, contacts_per_day)


def case_c_model(contacts: int) -> sim.SimulationModel:
    """Three voice queues, three groups: each queue's specialists at once, the generalists after
    20 s (delayed overflow), every group taking the longest-waiting contact (issue 12)."""
    names = ("claims", "policy", "billing")
    per_interval = contacts / 3 / 16
    channels = [sim.ChannelModel(name, "voice", [per_interval] * 16, sim.Distribution.exponential(240),
                                 patience=sim.Distribution.exponential(180)) for name in names]
    agents = int(per_interval * 240 / 1800)  # each queue's load, in Erlangs
    groups = [sim.AgentGroupModel(f"{name} team", [name], [max(1, int(0.85 * agents))]) for name in names[:2]]
    groups.append(sim.AgentGroupModel("generalists", list(names), [max(1, int(0.3 * agents))]))
    routing = {name: [f"{name} team", ("generalists", 20.0)] for name in names[:2]}
    routing["billing"] = ["generalists"]
    return sim.SimulationModel(1800, 16, channels, groups, routing=routing, contact_selection="longest_waiting")


def timed(function, repeat: int = 1):
    """Best wall time of ``repeat`` runs (seconds) and the last return value."""
    best, value = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        value = function()
        best = min(best, time.perf_counter() - start)
    return best, value


def peak_megabytes(function) -> tuple[float, float]:
    """Peak traced memory during ``function()`` and the memory its result still holds (MB)."""
    gc.collect()
    tracemalloc.start()
    try:
        value = function()
        gc.collect()
        retained, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del value
    return peak / 1e6, retained / 1e6


def offered(result: sim.SimulationResult) -> int:
    return int(result.intervals["offered"].sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs (smoke test of the benchmark)")
    parser.add_argument("--repeat", type=int, default=3, help="timed repetitions; the best is reported")
    arguments = parser.parse_args()
    calls = 20_000 if arguments.quick else 200_000
    month_days = 7 if arguments.quick else 30
    repeat = 1 if arguments.quick else arguments.repeat

    rows = []
    model_a = case_a_model(calls)
    seconds, counts = timed(lambda: minimal_simpy_case_a(calls), repeat)
    minimal_events_per_call = counts["events"] / calls
    memory, retained = peak_megabytes(lambda: minimal_simpy_case_a(calls))
    minimal_rate = calls / seconds
    rows.append(("(a) minimal SimPy M/M/n+M (reference)", calls, seconds, minimal_rate, memory, retained))
    seconds, result = timed(lambda: sim.simulate(model_a, replications=1, seed=1), repeat)
    contacts = offered(result)
    engine_rate = contacts / seconds
    memory, retained = peak_megabytes(lambda: sim.simulate(model_a, replications=1, seed=1))
    rows.append(("(a) ccplan simulator M/M/n+M", contacts, seconds, engine_rate, memory, retained))
    events_per_contact = result.events / contacts

    model_b = case_b_model(1)
    seconds, result = timed(lambda: sim.simulate(model_b, replications=1, seed=1), repeat)
    contacts = offered(result)
    memory, retained = peak_megabytes(lambda: sim.simulate(model_b, replications=1, seed=1))
    rows.append(("(b) multichannel day, 3 groups", contacts, seconds, contacts / seconds, memory, retained))

    model_c = case_c_model(calls)
    seconds, result = timed(lambda: sim.simulate(model_c, replications=1, seed=1), repeat)
    contacts = offered(result)
    memory, retained = peak_megabytes(lambda: sim.simulate(model_c, replications=1, seed=1))
    rows.append(("(c) 3 queues, longest-waiting + overflow", contacts, seconds, contacts / seconds, memory, retained))

    horizon_memory = []
    for days in sorted({1, 7, month_days}):
        model = case_b_model(days)
        seconds, result = timed(lambda model=model: sim.simulate(model, replications=1, seed=1))
        contacts = offered(result)
        memory, retained = peak_megabytes(lambda model=model: sim.simulate(model, replications=1, seed=1))
        horizon_memory.append((days, memory, retained))
        rows.append((f"(b) {days}-day horizon", contacts, seconds, contacts / seconds, memory, retained))

    print()
    print(f"{'case':<40} {'contacts':>10} {'seconds':>9} {'contacts/s':>12} {'peak MB':>9} {'result MB':>10}")
    print("-" * 95)
    for name, contacts, seconds, rate, memory, retained in rows:
        print(f"{name:<40} {contacts:>10,} {seconds:>9.2f} {rate:>12,.0f} {memory:>9.1f} {retained:>10.1f}")
    print("-" * 95)
    ratio = engine_rate / minimal_rate
    print(f"speed ratio, simulator / minimal SimPy on (a): {ratio:.2f}x (target >= 1.0)")
    print(f"SimPy events per contact in the simulator on (a): {events_per_contact:.2f} "
          f"(minimal SimPy model: {minimal_events_per_call:.2f} per call)")
    first_days, first_memory, first_retained = horizon_memory[0]
    last_days, last_memory, last_retained = horizon_memory[-1]
    verdict = "OK" if last_memory < 500 else "OVER BUDGET"
    print(f"peak memory {first_days} day: {first_memory:.1f} MB, {last_days} days: {last_memory:.1f} MB "
          f"(budget 500 MB: {verdict}); working memory beyond the result tables: "
          f"{first_memory - first_retained:.1f} MB vs {last_memory - last_retained:.1f} MB "
          f"for x{last_days / first_days:.0f} the horizon (the tables hold one row per interval)")
    try:
        import ciw  # noqa: F401
    except ImportError:
        print("Ciw is not installed (pip install -e \".[bench]\" adds it). Reference from issue 3, measured elsewhere on\n"
              "  case (a): minimal SimPy ~70 000 calls/s, 17 MB; Ciw ~17 000 calls/s, 225 MB. Target: >= 4x Ciw.")
    else:
        ciw_calls = min(calls, 50_000)  # Ciw keeps every customer and is slow: a quarter of case (a)
        seconds, _ = timed(lambda: ciw_case_a(ciw_calls), 1)
        memory, _ = peak_megabytes(lambda: ciw_case_a(ciw_calls))
        ciw_rate = ciw_calls / seconds
        print(f"Ciw {ciw.__version__} on case (a), {ciw_calls:,} calls: {ciw_rate:,.0f} calls/s, peak {memory:.0f} MB; "
              f"simulator / Ciw = {engine_rate / ciw_rate:.1f}x (target >= 4)")
    print("Peak MB: tracemalloc peak of allocations made during the run (interpreter baseline excluded).")


if __name__ == "__main__":
    main()
