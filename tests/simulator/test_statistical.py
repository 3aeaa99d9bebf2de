"""Statistical tests: the simulator against exact queueing theory from :mod:`staffing`.

Each test simulates a stationary queue (constant rate and staffing, Poisson arrivals, exponential
handle times and patience) over ``R`` independent replications with a fixed seed, and checks for
every KPI that

    |simulated mean - exact value| <= 2 * ci95 + allowance

where ``ci95`` is the half-width of the Student-t 95 % confidence interval over the replications
(so 2 * ci95 is about 4 standard errors: a correct simulator fails with probability < 1e-4 per
check) and ``allowance`` covers the bias of starting empty (the warm-up removes most of it) and of
ratio estimators over finite runs: 0.01 for probabilities, 2 % + 0.5 s for waits, 2 % + 0.05 for a
queue length. A power check asserts that each ``ci95`` is small enough for the test to mean
something. Exact values: Erlang C (Erlang 1917; Gans, Koole & Mandelbaum 2003, section 4.1) and
Erlang A (Palm 1943; Garnett, Mandelbaum & Reiman 2002; Mandelbaum & Zeltyn 2007).
"""

from __future__ import annotations

import pytest

import simulator as sim
import staffing

PROBABILITY_ALLOWANCE = 0.01


def wait_allowance(value: float) -> float:
    return 0.02 * value + 0.5


def check(result: sim.SimulationResult, kpi: str, exact: float, allowance: float, power: float) -> None:
    mean, ci95 = result.kpi("queue", kpi)
    assert ci95 < power, f"{kpi}: ci95 {ci95:.4g} too wide for a meaningful test (power bound {power})"
    tolerance = 2.0 * ci95 + allowance
    assert abs(mean - float(exact)) <= tolerance, (
        f"{kpi}: simulated {mean:.5g} +/- {ci95:.3g} vs exact {float(exact):.5g} (tolerance {tolerance:.3g})")


MMN_CASES = {
    # name: (arrival rate per hour, agents, hours per replication, warm-up hours, replications,
    #        power bound of the ASA ci95 relative to the exact ASA)
    "small n=7": (84.0, 7, 60.0, 2.0, 16, 0.35),      # a = 5.6 Erlangs, rho = 0.80
    "large n=400": (5700.0, 400, 12.0, 1.0, 10, 0.5),  # a = 380 Erlangs, rho = 0.95 (QED regime)
}


@pytest.mark.slow
@pytest.mark.statistical
@pytest.mark.parametrize("case", list(MMN_CASES))
def test_mmn_matches_erlang_c(case, make_single_queue):
    """M/M/n (no abandonment), AHT 240 s, target 20 s: P(wait), service level, ASA vs Erlang C.

    Near-critical large systems have slow queue fluctuations: at n = 400 the ASA of a 12-hour
    replication still varies by about +/- 40 % (that is why the issue asks for honest intervals
    over replications), so its power bound is looser than for the probabilities."""
    rate, agents, hours, warmup_hours, replications, asa_power = MMN_CASES[case]
    aht, target = 240.0, 20.0
    traffic = rate * aht / 3600.0
    model = make_single_queue(rate_per_hour=rate, aht_seconds=aht, agents=agents, hours=hours + warmup_hours,
                              warmup_seconds=warmup_hours * 3600.0, target_seconds=target)
    result = sim.simulate(model, replications=replications, seed=20240601)
    p_wait = staffing.erlang_c(traffic, agents)
    check(result, "p_wait", p_wait, PROBABILITY_ALLOWANCE, power=0.08)
    check(result, "service_level", staffing.service_level(traffic, agents, aht, target), PROBABILITY_ALLOWANCE, power=0.06)
    asa = staffing.average_speed_of_answer(traffic, agents, aht)  # mean wait over all arrivals
    check(result, "asa_seconds", asa, wait_allowance(asa), power=asa_power * asa)
    check(result, "mean_wait_seconds", asa, wait_allowance(asa), power=asa_power * asa)
    check(result, "occupancy", traffic / agents, PROBABILITY_ALLOWANCE, power=0.02)


MMNM_CASES = {
    # name: (arrival rate per hour, agents, hours per replication, warm-up hours, replications)
    "small n=7": (105.0, 7, 60.0, 2.0, 16),      # a = 7 Erlangs = n: stable only thanks to abandonment
    "large n=410": (6000.0, 410, 8.0, 1.0, 10),  # the benchmark case: 100 calls/min, AHT 240 s
}


@pytest.mark.slow
@pytest.mark.statistical
@pytest.mark.parametrize("case", list(MMNM_CASES))
def test_mmnm_matches_erlang_a(case, make_single_queue):
    """M/M/n+M, AHT 240 s, mean patience 180 s, target 20 s: P(abandon), service level, ASA (answered),
    P(wait) and mean queue length vs Erlang A."""
    rate, agents, hours, warmup_hours, replications = MMNM_CASES[case]
    aht, patience, target = 240.0, 180.0, 20.0
    model = make_single_queue(rate_per_hour=rate, aht_seconds=aht, agents=agents, hours=hours + warmup_hours,
                              warmup_seconds=warmup_hours * 3600.0, patience_seconds=patience, target_seconds=target)
    result = sim.simulate(model, replications=replications, seed=20240602)
    exact = staffing.erlang_a(rate, aht, patience, agents, target)
    check(result, "abandon_rate", exact.p_abandon, PROBABILITY_ALLOWANCE / 2, power=0.02)
    check(result, "service_level", exact.service_level, PROBABILITY_ALLOWANCE, power=0.05)
    check(result, "p_wait", exact.p_wait, PROBABILITY_ALLOWANCE, power=0.08)
    check(result, "asa_seconds", exact.asa_seconds, wait_allowance(float(exact.asa_seconds)), power=0.35 * float(exact.asa_seconds))
    queue = float(exact.average_queue_length)
    check(result, "mean_queue_length", queue, 0.02 * queue + 0.05, power=0.35 * queue)
    check(result, "occupancy", exact.occupancy, PROBABILITY_ALLOWANCE, power=0.02)


@pytest.mark.statistical
@pytest.mark.slow
def test_chat_concurrency_without_stretch_is_mmc(make_single_queue):
    """One agent holding up to 3 chats with no stretch is an M/M/3 queue for the chats:
    P(wait) and ASA vs Erlang C with 3 servers; occupancy (slot utilisation) vs a / 3 and
    agents_busy_share vs P(at least one chat in hand) = 1 - P0 of M/M/3 (same tolerance rule)."""
    rate, aht = 36.0, 240.0  # a = 2.4 Erlangs on 3 chat slots
    model = make_single_queue(rate_per_hour=rate, aht_seconds=aht, agents=1, hours=102, warmup_seconds=2 * 3600,
                              kind="chat", concurrency=3, concurrency_stretch=0.0)
    result = sim.simulate(model, replications=12, seed=20240603)
    traffic = rate * aht / 3600.0
    check(result, "p_wait", staffing.erlang_c(traffic, 3), PROBABILITY_ALLOWANCE, power=0.05)
    asa = staffing.average_speed_of_answer(traffic, 3, aht)
    check(result, "asa_seconds", asa, wait_allowance(asa), power=0.35 * asa)
    check(result, "occupancy", traffic / 3, PROBABILITY_ALLOWANCE, power=0.02)
    p0 = 1.0 / (1.0 + traffic + traffic**2 / 2.0 + traffic**3 / 6.0 / (1.0 - traffic / 3.0))
    check(result, "agents_busy_share", 1.0 - p0, PROBABILITY_ALLOWANCE, power=0.02)


@pytest.mark.statistical
@pytest.mark.slow
def test_lognormal_patience_and_weibull_run_and_order(make_single_queue):
    """Non-exponential patience with the same mean: abandonment differs in the expected direction
    (a Weibull with shape < 1 has many very impatient customers, so more abandon early)."""
    base = {"rate_per_hour": 105.0, "aht_seconds": 240.0, "agents": 7, "hours": 40, "warmup_seconds": 7200}
    exponential = sim.simulate(make_single_queue(patience=sim.Distribution.exponential(180), **base), 8, seed=5)
    weibull = sim.simulate(make_single_queue(patience=sim.Distribution.weibull(180, 0.5), **base), 8, seed=5)
    steady = sim.simulate(make_single_queue(patience=sim.Distribution.lognormal(180, 0.3), **base), 8, seed=5)
    rate = {name: result.kpi("queue", "abandon_rate")[0] for name, result in
            (("exponential", exponential), ("weibull", weibull), ("lognormal", steady))}
    assert rate["lognormal"] < rate["exponential"] < rate["weibull"], rate
