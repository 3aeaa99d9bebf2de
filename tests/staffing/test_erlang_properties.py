"""Property tests (hypothesis): probabilities in [0, 1], monotone in agents, Erlang A -> Erlang C.

Kind: property. Each property is a law of the M/M/n and M/M/n+M queues that must hold for
every input, not only for the reference grid.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import staffing

traffic_st = st.floats(min_value=1e-6, max_value=5e4, allow_nan=False)
aht_st = st.floats(min_value=10.0, max_value=3600.0)
target_st = st.floats(min_value=0.0, max_value=600.0)
patience_st = st.floats(min_value=1.0, max_value=3600.0)
fraction_st = st.floats(min_value=-3.0, max_value=6.0)


def agents_near(traffic: float, offset: float) -> int:
    return max(1, int(np.ceil(traffic + offset * np.sqrt(traffic))))


@settings(max_examples=150, deadline=None)
@given(traffic_st, fraction_st, aht_st, target_st)
def test_erlang_c_family_bounds_and_monotone_in_agents(traffic, offset, aht, target):
    """Monotone up to a few ulps of rounding (values near 1 carry ~1e-16 noise)."""
    n = agents_near(traffic, offset)
    agents = np.array([n, n + 1, n + 5])
    b = staffing.erlang_b(traffic, agents)
    c = staffing.erlang_c(traffic, agents)
    sl = staffing.service_level(traffic, agents, aht, target)
    asa = staffing.average_speed_of_answer(traffic, agents, aht)
    for p in (b, c, sl):
        assert np.all((p >= 0) & (p <= 1))
    assert np.all(c >= b - 4e-15)  # waiting is at least as likely as blocking
    assert np.all(np.diff(b) <= 4e-15)
    assert np.all(np.diff(c) <= 4e-15)
    assert np.all(np.diff(sl) >= -4e-15)
    assert np.all(asa[1:] <= asa[:-1] * (1 + 1e-12))  # inf <= inf holds for unstable queues


@settings(max_examples=150, deadline=None)
@given(traffic_st, fraction_st, aht_st, patience_st, target_st)
def test_erlang_a_bounds_and_monotone_in_agents(traffic, offset, aht, patience, target):
    n = agents_near(traffic, offset)
    lam_h = traffic / aht * 3600
    r = staffing.erlang_a(lam_h, aht, patience, np.array([max(n - 2, 1), n, n + 3]), target)
    for p in (r.p_wait, r.p_abandon, r.service_level, r.occupancy):
        assert np.all(np.isfinite(p))
        assert np.all((p >= 0) & (p <= 1))
    assert np.all(r.p_abandon <= r.p_wait + 1e-12)
    assert np.all(np.diff(r.p_wait) <= 1e-12)
    assert np.all(np.diff(r.p_abandon) <= 1e-12)
    assert np.all(np.diff(r.service_level) >= -1e-12)
    assert np.all(r.asa_seconds >= 0)


@settings(max_examples=80, deadline=None)
@given(st.floats(min_value=0.05, max_value=2000.0), st.floats(min_value=0.2, max_value=4.0), aht_st, target_st)
def test_erlang_a_tends_to_erlang_c_as_patience_grows(traffic, offset, aht, target):
    n = agents_near(traffic, offset)
    if n <= traffic:
        n = int(np.floor(traffic)) + 1
    lam_h = traffic / aht * 3600
    patient = staffing.erlang_a(lam_h, aht, aht * 1e7, n, target)
    assert abs(patient.p_wait - staffing.erlang_c(traffic, n)) < 1e-3
    assert abs(patient.service_level - staffing.service_level(traffic, n, aht, target)) < 1e-3
    assert patient.p_abandon < 1e-3
    infinite = staffing.erlang_a(lam_h, aht, np.inf, n, target)
    # Infinite patience is Erlang C itself (up to the rate -> traffic round trip).
    assert abs(infinite.p_wait - staffing.erlang_c(traffic, n)) <= 1e-12
    assert abs(infinite.service_level - staffing.service_level(traffic, n, aht, target)) <= 1e-12


@settings(max_examples=100, deadline=None)
@given(traffic_st, aht_st, target_st, st.floats(min_value=0.05, max_value=0.99))
def test_required_agents_is_the_smallest_meeting_the_goal(traffic, aht, target, goal):
    n = staffing.required_agents(traffic, aht, target, goal)
    assert staffing.service_level(traffic, n, aht, target) >= goal
    assert n == 1 or staffing.service_level(traffic, n - 1, aht, target) < goal


@settings(max_examples=60, deadline=None)
@given(traffic_st, aht_st, patience_st, target_st, st.floats(min_value=0.05, max_value=0.99))
def test_required_agents_erlang_a_is_the_smallest_meeting_the_goal(traffic, aht, patience, target, goal):
    lam_h = traffic / aht * 3600
    n = staffing.required_agents_erlang_a(lam_h, aht, patience, target, goal)
    assert staffing.erlang_a(lam_h, aht, patience, n, target).service_level >= goal
    assert n == 0 or staffing.erlang_a(lam_h, aht, patience, n - 1, target).service_level < goal
