"""Benchmark of the analytic staffing core; prints a table.

Run: ``python bench/bench_staffing.py`` (about half a minute). Each vectorised measurement is
compared in the same run with a straightforward per-case loop (the textbook Erlang B recursion
and a birth-death summation for Erlang A, one case at a time, staffing searched upward from 1
agent), so the ratio is visible. Targets (2-core machine): >= 5 million Erlang C evaluations/s,
96 x 1 000 Erlang C requirement solve < 1 s, >= 200 000 Erlang A evaluations/s, Erlang A
96-interval day < 50 ms.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np
from scipy.special import betainc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import staffing  # noqa: E402


def best_of(func, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


# --- straightforward per-case references ------------------------------------------------------


def loop_erlang_c(a: float, n: int) -> float:
    """Textbook Erlang B recursion, then Erlang C; one case at a time."""
    if a >= n:
        return 1.0
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return n * b / (n - a * (1 - b))


def loop_service_level(a, n, aht, t):
    if a >= n:
        return 0.0
    return 1 - loop_erlang_c(a, n) * math.exp(-(n - a) * t / aht)


def loop_required(a, aht, t, goal):
    n = 1
    while loop_service_level(a, n, aht, t) < goal:
        n += 1
    return n


def loop_erlang_a(lam_h, aht, patience, n, t):
    """Birth-death chain summed term by term (floats), service level by the tagged customer."""
    lam, mu, theta = lam_h / 3600, 1 / aht, 1 / patience
    # pi_j / pi_0 for j <= n, then the queue part, in a running scale to avoid overflow
    probs = [1.0]
    for j in range(1, n + 1):
        probs.append(probs[-1] * lam / (j * mu))
    k = 0
    while True:
        k += 1
        nxt = probs[-1] * lam / (n * mu + k * theta)
        probs.append(nxt)
        if nxt < 1e-16 * probs[n] and k > lam / theta:
            break
    total = sum(probs)
    p = [x / total for x in probs]
    p_wait = sum(p[n:])
    queue = sum(i * p[n + i] for i in range(len(p) - n))
    p_ab = theta * queue / lam
    # answered within t: no wait, or served (probability s/(s+i+1) with i ahead) within t, whose
    # exp(-theta T) is Beta(s + 1, i + 1) distributed
    s = n * mu / theta
    u = math.exp(-theta * t)
    served_fast = 1 - p_wait
    for i in range(len(p) - n):
        served_fast += p[n + i] * s / (s + i + 1) * (1 - betainc(s + 1, i + 1, u))
    return p_wait, p_ab, served_fast


def loop_required_erlang_a(lam_h, aht, patience, t, goal):
    n = 1
    while loop_erlang_a(lam_h, aht, patience, n, t)[2] < goal:
        n += 1
    return n


# --- workloads -----------------------------------------------------------------------------------


def day_profile(intervals: int = 96, peak: float = 600.0) -> np.ndarray:
    """Calls per 15-minute interval: a morning and an afternoon peak, quiet nights."""
    hours = (np.arange(intervals) + 0.5) * 24 / intervals
    shape = np.exp(-0.5 * ((hours - 10.5) / 1.8) ** 2) + 0.8 * np.exp(-0.5 * ((hours - 15.5) / 2.2) ** 2)
    shape = 0.02 + shape
    return peak * shape / shape.max()


def main() -> None:
    rng = np.random.default_rng(20261125)
    rows = []

    # 1. Erlang C evaluations per second on 1e6 (traffic, agents) pairs.
    traffic = rng.uniform(0.5, 2000.0, 1_000_000)
    agents = np.ceil(traffic + rng.uniform(-0.5, 3.0, traffic.size) * np.sqrt(traffic))
    staffing.erlang_c(traffic[:1000], agents[:1000])
    seconds = best_of(lambda: staffing.erlang_c(traffic, agents))
    subset = 300
    loop_seconds = best_of(lambda: [loop_erlang_c(a, int(n)) for a, n in zip(traffic[:subset], agents[:subset], strict=True)], 1)
    rate, loop_rate = traffic.size / seconds, subset / loop_seconds
    rows.append(("Erlang C evaluations / s (1e6 pairs)", f"{rate:,.0f}", f"{loop_rate:,.0f}", f"{rate / loop_rate:,.0f}x", ">= 5,000,000", rate >= 5e6))

    # 2. required_agents for 96 intervals x 1 000 scenarios.
    volumes = day_profile()[None, :] * rng.uniform(0.2, 1.5, (1000, 1))  # calls per 15 min
    aht = rng.uniform(180, 420, (1000, 1))
    load = volumes * aht / 900.0
    seconds = best_of(lambda: staffing.required_agents(load, aht, 20.0, 0.8))
    subset_cases = list(zip(load[:2].ravel(), np.broadcast_to(aht[:2], (2, 96)).ravel(), strict=True))
    loop_seconds = best_of(lambda: [loop_required(a, h, 20.0, 0.8) for a, h in subset_cases], 1)
    loop_full = loop_seconds * load.size / len(subset_cases)
    rows.append(("Erlang C requirement, 96 x 1 000 (s)", f"{seconds:.3f}", f"{loop_full:.1f} (est.)", f"{loop_full / seconds:,.0f}x", "< 1 s", seconds < 1.0))

    # 2b. The same solve with an occupancy cap of 0.85 (binds in most intervals).
    seconds = best_of(lambda: staffing.required_agents(load, aht, 20.0, 0.8, max_occupancy=0.85))
    rows.append(("  the same with max_occupancy=0.85 (s)", f"{seconds:.3f}", "", "", "< 1 s", seconds < 1.0))

    # 3. Erlang A evaluations per second on 1e5 (load, agents, patience) triples.
    traffic = rng.uniform(0.5, 2000.0, 100_000)
    aht_a = rng.uniform(120, 600, traffic.size)
    patience = rng.uniform(30, 600, traffic.size)
    agents = np.maximum(1, np.ceil(traffic + rng.uniform(-2.0, 3.0, traffic.size) * np.sqrt(traffic)))
    lam_h = traffic / aht_a * 3600
    staffing.erlang_a(lam_h[:100], aht_a[:100], patience[:100], agents[:100], 20.0)
    seconds = best_of(lambda: staffing.erlang_a(lam_h, aht_a, patience, agents, 20.0))
    subset = 40
    small = np.argsort(traffic)[:subset * 50:50]  # loop cost grows with size: use smaller cases
    loop_seconds = best_of(lambda: [loop_erlang_a(lam_h[i], aht_a[i], patience[i], int(agents[i]), 20.0) for i in small], 1)
    rate, loop_rate = traffic.size / seconds, subset / loop_seconds
    rows.append(("Erlang A evaluations / s (1e5 triples)", f"{rate:,.0f}", f"{loop_rate:,.0f}", f"{rate / loop_rate:,.0f}x", ">= 200,000", rate >= 2e5))
    seconds = best_of(lambda: staffing.erlang_a(lam_h, aht_a, patience, agents, 20.0).asa_seconds)
    rate = traffic.size / seconds
    rows.append(("  the same, also computing ASA (quadrature)", f"{rate:,.0f}", "", "", "", None))

    # 4. Erlang A requirement for a 96-interval day peaking at 600 calls / 15 min.
    day = day_profile()
    day_rate = day * 4.0  # calls per hour
    staffing.required_agents_erlang_a(day_rate, 240.0, 120.0, 20.0, 0.8)
    seconds = best_of(lambda: staffing.required_agents_erlang_a(day_rate, 240.0, 120.0, 20.0, 0.8), 5)
    sample = [0, 20, 40]
    loop_seconds = best_of(lambda: [loop_required_erlang_a(day_rate[i], 240.0, 120.0, 20.0, 0.8) for i in sample], 1)
    loop_full = loop_seconds * 96 / len(sample)
    erlang_c_day = staffing.required_agents(day_rate * 240 / 3600, 240.0, 20.0, 0.8)
    erlang_a_day = staffing.required_agents_erlang_a(day_rate, 240.0, 120.0, 20.0, 0.8)
    rows.append(("Erlang A requirement, 96-interval day (ms)", f"{seconds * 1e3:.1f}", f"{loop_full * 1e3:,.0f} (est.)", f"{loop_full / seconds:,.0f}x", "< 50 ms", seconds < 0.05))

    header = ("measure", "ccplan", "per-case loop", "ratio", "target", "met")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        cells = [*row[:5], "" if row[5] is None else ("yes" if row[5] else "NO")]
        print(" | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)))
    print()
    print(f"Peak day: Erlang C needs {erlang_c_day.max()} agents at the peak, Erlang A {erlang_a_day.max()} "
          f"(patience 120 s lets fewer agents than the {day.max() * 240 / 900:.0f}-Erlang load meet 80/20).")


if __name__ == "__main__":
    main()
