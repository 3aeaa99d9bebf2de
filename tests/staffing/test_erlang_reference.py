"""Reference tests: the Erlang functions against independent high-precision values (mpmath).

Kind: reference. The reference values are computed here with mpmath at 40 significant digits
from the textbook definitions (Erlang B as a Poisson pmf over a Poisson cdf; Erlang A from the
stationary distribution of the M/M/n+M birth-death chain), over a grid from tiny to huge loads
(0.01 to 50 000 Erlangs) with agents around the required level. Tolerance: relative error
<= 1e-9 (the issue's requirement); values that underflow double precision (< 1e-300) are skipped
because no float can represent them.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

import staffing

mp.mp.dps = 40
LOADS = [0.01, 1.0, 10.0, 100.0, 1000.0, 10000.0, 50000.0]
AHT = 180.0
TARGET = 20.0
REL_TOL = 1e-9


def ref_erlang_b(a, n):
    a = mp.mpf(a)
    n = int(n)
    cdf = mp.gammainc(n + 1, a, mp.inf, regularized=True)
    pmf = mp.exp(n * mp.log(a) - a - mp.loggamma(n + 1))
    return pmf / cdf


def ref_erlang_c(a, n):
    a = mp.mpf(a)
    if a >= n:
        return mp.mpf(1)
    b = ref_erlang_b(a, n)
    return n * b / (n - a * (1 - b))


def ref_service_level(a, n, aht, t):
    a = mp.mpf(a)
    if a >= n:
        return mp.mpf(0)
    return 1 - ref_erlang_c(a, n) * mp.exp(-(n - a) * mp.mpf(t) / aht)


def ref_asa(a, n, aht):
    a = mp.mpf(a)
    if a >= n:
        return mp.inf
    return ref_erlang_c(a, n) * aht / (n - a)


def grid():
    """(traffic, agents) pairs: agents around the Erlang C requirement, plus the edge n = ceil(a)."""
    cases = []
    for a in LOADS:
        required = staffing.required_agents(a, AHT, TARGET, 0.8)
        agents = {max(1, required + d) for d in (-2, -1, 0, 1, 3)} | {math.ceil(a) + 1}
        cases += [(a, n) for n in sorted(agents)]
    return cases


def assert_close(value, reference, label):
    reference = float(reference) if mp.isfinite(reference) else math.inf
    if reference == math.inf:
        assert value == math.inf, label
        return
    if abs(reference) < 1e-300:
        return  # below double precision
    rel = abs(value - reference) / abs(reference)
    assert rel <= REL_TOL, f"{label}: got {value!r}, reference {reference!r}, relative error {rel:.2e}"


@pytest.mark.parametrize(("traffic", "agents"), grid())
def test_erlang_b_c_sl_asa_match_mpmath(traffic, agents):
    label = f"a={traffic}, n={agents}"
    assert_close(staffing.erlang_b(traffic, agents), ref_erlang_b(traffic, agents), "erlang_b " + label)
    assert_close(staffing.erlang_c(traffic, agents), ref_erlang_c(traffic, agents), "erlang_c " + label)
    assert_close(
        staffing.service_level(traffic, agents, AHT, TARGET),
        ref_service_level(traffic, agents, AHT, TARGET),
        "service_level " + label,
    )
    assert_close(
        staffing.average_speed_of_answer(traffic, agents, AHT), ref_asa(traffic, agents, AHT), "asa " + label
    )


def test_vectorised_call_equals_scalar_calls():
    cases = grid()
    traffic = np.array([a for a, _ in cases])
    agents = np.array([n for _, n in cases])
    vector = staffing.erlang_c(traffic, agents)
    scalars = [staffing.erlang_c(a, n) for a, n in cases]
    assert vector.tolist() == scalars


def test_extreme_sizes_are_finite_and_fast_enough_to_return():
    """Loads up to 1e5 Erlangs and 2e5 agents: no overflow, no NaN (and no hang)."""
    traffic = np.array([1e-6, 1e-6, 1e5, 1e5, 1e5, 2e5 - 1, 1e5])
    agents = np.array([0, 1, 100_001, 100_500, 200_000, 200_000, 10])
    for values in (
        staffing.erlang_b(traffic, agents),
        staffing.erlang_c(traffic, agents),
        staffing.service_level(traffic, agents, AHT, TARGET),
    ):
        assert np.all(np.isfinite(values))
        assert np.all((values >= 0) & (values <= 1))
    # Heavy overload: B tends to 1 - n/a.
    assert staffing.erlang_b(1e5, 10) == pytest.approx(1 - 10 / 1e5, rel=1e-6)


# --- Erlang A ---------------------------------------------------------------------------------


def ref_erlang_a(lam_h, aht, patience, n, t):
    """Erlang A measures from the M/M/n+M chain in mpmath.

    J = sum_k q_k and K = sum_k k q_k are the queue-part sums of the stationary distribution
    (q_k = prod x / (s + i)), taken as mpmath's exact hypergeometric series; the service level
    sums, over the number k of callers ahead, the probability of being served (s / (s + k + 1))
    within t (a Beta(s + 1, k + 1) tail), in closed form via mpmath's incomplete gamma.
    """
    lam = mp.mpf(lam_h) / 3600
    mu = 1 / mp.mpf(aht)
    theta = 1 / mp.mpf(patience)
    a = lam / mu
    x = lam / theta
    s = n * mu / theta
    inv_b = 1 / ref_erlang_b(a, n)
    log_f = s * mp.log(x) - x - mp.loggamma(s + 1)  # log of x^s e^-x / Gamma(s + 1)
    if x <= s:
        j = mp.hyp1f1(1, s + 1, x)
        k = x / (s + 1) * mp.hyp1f1(2, s + 2, x)
    else:
        j = mp.gammainc(s, 0, x, regularized=True) / mp.exp(log_f)
        k = s + (x - s) * j
    pi_n = 1 / (inv_b + j - 1)
    u = mp.exp(-theta * t)
    waited = (s / x) * (
        mp.gammainc(s + 1, x * u, x, regularized=True)
    ) / mp.exp(log_f)
    return {
        "p_wait": pi_n * j,
        "p_abandon": pi_n * k / x,
        "service_level": pi_n * (inv_b - 1) + pi_n * waited,
    }


def ref_erlang_a_by_summation(lam_h, aht, patience, n, t):
    """Brute-force version for small systems: explicit terms, service level term by term."""
    lam = mp.mpf(lam_h) / 3600
    theta = 1 / mp.mpf(patience)
    mu = 1 / mp.mpf(aht)
    x, s = lam / theta, n * mu / theta
    inv_b = 1 / ref_erlang_b(lam / mu, n)
    q = [mp.mpf(1)]
    while len(q) < 20 or q[-1] > mp.mpf(10) ** -45 * sum(q):
        q.append(q[-1] * x / (s + len(q)))
    pi_n = 1 / (inv_b + mp.fsum(q) - 1)
    u = mp.exp(-theta * t)
    waited = mp.fsum(
        qk * s / (s + k + 1) * (1 - mp.betainc(s + 1, k + 1, 0, u, regularized=True)) for k, qk in enumerate(q)
    )
    return {
        "p_wait": pi_n * mp.fsum(q),
        "p_abandon": pi_n * mp.fsum(k * qk for k, qk in enumerate(q)) / x,
        "service_level": pi_n * (inv_b - 1) + pi_n * waited,
    }


def erlang_a_grid():
    cases = []
    for a in LOADS:
        for patience in (0.5 * AHT, 2 * AHT):
            lam_h = a / AHT * 3600
            required = staffing.required_agents_erlang_a(lam_h, AHT, patience, TARGET, 0.8)
            for n in sorted({max(1, required + d) for d in (-2, 0, 2)} | {math.ceil(a) + 1}):
                cases.append((lam_h, AHT, patience, n, TARGET))
    return cases


@pytest.mark.parametrize("case", erlang_a_grid(), ids=lambda c: f"lam={c[0]:.4g}/h,pat={c[2]:g},n={c[3]}")
def test_erlang_a_matches_mpmath(case):
    result = staffing.erlang_a(*case)
    reference = ref_erlang_a(*case)
    for name, ref_value in reference.items():
        assert_close(getattr(result, name), ref_value, f"{name} {case}")


@pytest.mark.parametrize(
    "case",
    [(1200, 180, 120, 62, 20), (36, 180, 60, 1, 20), (3600, 300, 30, 80, 10), (100, 180, 600, 3, 0), (9000, 240, 120, 545, 20)],
)
def test_erlang_a_closed_form_matches_brute_force_chain(case):
    """The closed-form reference itself agrees with term-by-term summation of the chain."""
    closed = ref_erlang_a(*case)
    brute = ref_erlang_a_by_summation(*case)
    ours = staffing.erlang_a(*case)
    for name in closed:
        assert abs(closed[name] - brute[name]) <= mp.mpf(10) ** -25 * abs(brute[name])
        assert_close(getattr(ours, name), brute[name], f"{name} {case}")


def test_erlang_a_asa_of_answered_calls_matches_chain():
    """E[W | answered] = sum_k q_k s/(s+k+1) (psi(s+k+2) - psi(s+1)) / theta / P(answered)."""
    for lam_h, aht, patience, n, t in [(1200, 180, 120, 62, 20), (3600, 300, 30, 80, 10), (9000, 240, 120, 545, 20)]:
        lam = mp.mpf(lam_h) / 3600
        theta = 1 / mp.mpf(patience)
        x, s = lam / theta, n * theta**-1 / aht
        inv_b = 1 / ref_erlang_b(lam * aht, n)
        q = [mp.mpf(1)]
        while len(q) < 20 or q[-1] > mp.mpf(10) ** -40 * sum(q):
            q.append(q[-1] * x / (s + len(q)))
        pi_n = 1 / (inv_b + mp.fsum(q) - 1)
        p_ab = pi_n * mp.fsum(k * qk for k, qk in enumerate(q)) / x
        wait_served = pi_n * mp.fsum(
            qk * s / (s + k + 1) * (mp.digamma(s + k + 2) - mp.digamma(s + 1)) for k, qk in enumerate(q)
        ) / theta
        reference = wait_served / (1 - p_ab)
        value = staffing.erlang_a(lam_h, aht, patience, n, t).asa_seconds
        assert abs(value - float(reference)) <= 1e-9 * float(reference), (value, reference)


def test_erlang_a_staffing_goes_below_the_offered_load():
    """600 Erlangs, AHT 240 s, patience 120 s: 80/20 over all arrivals needs fewer than 600 agents.

    The exact answer (verified against the chain above) is 545: at 545 agents the service level
    is >= 0.8 and at 544 it is below.
    """
    lam_h = 600 / 240 * 3600
    n = staffing.required_agents_erlang_a(lam_h, 240, 120, 20, 0.8)
    assert n < 560
    assert staffing.erlang_a(lam_h, 240, 120, n, 20).service_level >= 0.8
    assert staffing.erlang_a(lam_h, 240, 120, n - 1, 20).service_level < 0.8
    reference = ref_erlang_a(lam_h, 240, 120, n - 1, 20)["service_level"]
    assert reference < 0.8
