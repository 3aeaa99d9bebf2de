"""Chat staffing: slots model = Erlang C on concurrency x agents slots; stretch model exact.

Kinds: reference (hand-computed birth-death; an independent mpmath implementation), unit
(validation messages), metamorphic (stretch 0 == slots; more agents never lower the SL; more
stretch never fewer agents), minimality of the requirement.
"""

import math

import mpmath
import numpy as np
import pytest

from staffing import (
    StaffingInputError,
    average_speed_of_answer,
    chat_handle_time,
    chat_metrics,
    chat_required_agents,
    erlang_c,
    occupancy,
    required_agents,
    service_level,
)

CASES = [  # (chats per hour, aht_seconds, concurrency, target_seconds)
    (12.0, 300.0, 1, 30.0),
    (60.0, 300.0, 2, 30.0),
    (240.0, 480.0, 3, 60.0),
    (1500.0, 600.0, 2, 45.0),
    (30.0, 900.0, 4, 0.0),
]


@pytest.mark.parametrize(("rate", "aht", "concurrency", "target"), CASES)
@pytest.mark.parametrize("agents", [1, 3, 8, 40])
def test_slots_is_erlang_c_on_concurrency_times_agents_servers(rate, aht, concurrency, target, agents):
    result = chat_metrics(rate, aht, concurrency, agents, target, method="slots")
    traffic = rate * aht / 3600.0
    slots = concurrency * agents
    assert float(result.traffic) == pytest.approx(traffic)
    assert float(result.p_wait) == pytest.approx(erlang_c(traffic, slots), rel=1e-12)
    assert float(result.service_level) == pytest.approx(service_level(traffic, slots, aht, target), rel=1e-12)
    assert float(result.occupancy) == pytest.approx(occupancy(traffic, slots), rel=1e-12)
    expected_asa = average_speed_of_answer(traffic, slots, aht)
    if math.isinf(expected_asa):
        assert math.isinf(float(result.asa_seconds))
    else:
        assert float(result.asa_seconds) == pytest.approx(expected_asa, rel=1e-12)


@pytest.mark.parametrize(("rate", "aht", "concurrency", "target"), CASES)
def test_slots_requirement_is_slots_over_concurrency_rounded_up(rate, aht, concurrency, target):
    traffic = rate * aht / 3600.0
    slots = int(required_agents(traffic, aht, target, 0.8))
    result = chat_required_agents(rate, aht, concurrency, target, 0.8, method="slots")
    assert int(result.agents) == math.ceil(slots / concurrency)


@pytest.mark.parametrize(("rate", "aht", "concurrency", "target"), CASES)
@pytest.mark.parametrize("agents", [2, 5, 30])
def test_stretch_zero_is_exactly_the_slots_model(rate, aht, concurrency, target, agents):
    stretch = chat_metrics(rate, aht, concurrency, agents, target, concurrency_stretch=0.0)
    slots = chat_metrics(rate, aht, concurrency, agents, target, method="slots")
    for name in ("p_wait", "service_level", "occupancy"):
        assert float(getattr(stretch, name)) == pytest.approx(float(getattr(slots, name)), rel=1e-9, abs=1e-300)
    if math.isinf(float(slots.asa_seconds)):
        assert math.isinf(float(stretch.asa_seconds))
    else:
        assert float(stretch.asa_seconds) == pytest.approx(float(slots.asa_seconds), rel=1e-9, abs=1e-300)
    same = chat_required_agents(rate, aht, concurrency, target, 0.8, concurrency_stretch=0.0)
    assert int(same.agents) == int(chat_required_agents(rate, aht, concurrency, target, 0.8, method="slots").agents)


def test_stretch_hand_computed_single_agent_two_chats():
    # One agent, concurrency 2, stretch 0.5, aht 100 s, 36 chats/h (0.01 per second).
    # Rates: 1 chat -> 1/100, 2 chats -> 2/150. pi0 = 1, pi1 = 1, pi2 = 0.75, tail = 0.75 / (1 - 0.75) = 3.
    # Z = 5: P(wait) = 3/5; M - lambda = 2/150 - 1/100 = 1/300; ASA = 0.6 * 300 = 180 s;
    # mean busy slots = (1*1 + 2*3) / 5 = 1.4 -> occupancy 0.7.
    result = chat_metrics(36.0, 100.0, 2, 1, 60.0, concurrency_stretch=0.5)
    assert float(result.p_wait) == pytest.approx(0.6, rel=1e-12)
    assert float(result.asa_seconds) == pytest.approx(180.0, rel=1e-12)
    assert float(result.service_level) == pytest.approx(1 - 0.6 * math.exp(-60.0 / 300.0), rel=1e-12)
    assert float(result.occupancy) == pytest.approx(0.7, rel=1e-12)
    assert float(result.agent_load) == pytest.approx(0.01 * 150.0 / 2)


def _mpmath_stretch(rate_per_hour, aht, concurrency, stretch, agents, target):
    """Independent high-precision birth-death solution of the stretch model (plain loops)."""
    mpmath.mp.dps = 40
    lam = mpmath.mpf(rate_per_hour) / 3600

    def agent_rate(k):
        return mpmath.mpf(0) if k == 0 else mpmath.mpf(k) / (aht * (1 + mpmath.mpf(stretch) * (k - 1)))

    weights = [mpmath.mpf(1)]
    for j in range(1, agents * concurrency + 1):
        loads = [j // agents + (1 if i < j % agents else 0) for i in range(agents)]
        weights.append(weights[-1] * lam / sum(agent_rate(k) for k in loads))
    full = agents * agent_rate(concurrency)
    tail = weights[-1] / (1 - lam / full)
    norm = sum(weights[:-1]) + tail
    p_wait = tail / norm
    level = 1 - p_wait * mpmath.exp(-(full - lam) * target)
    asa = p_wait / (full - lam)
    busy = (sum(j * w for j, w in enumerate(weights[:-1])) + agents * concurrency * tail) / norm
    return p_wait, level, asa, busy / (agents * concurrency)


@pytest.mark.parametrize(
    ("rate", "aht", "concurrency", "stretch", "agents", "target"),
    [
        (100.0, 400.0, 3, 0.3, 7, 30.0),
        (20.0, 600.0, 2, 0.25, 3, 60.0),
        (400.0, 300.0, 4, 0.1, 11, 20.0),
        (5.0, 900.0, 2, 1.0, 2, 0.0),
    ],
)
def test_stretch_matches_independent_mpmath_reference(rate, aht, concurrency, stretch, agents, target):
    expected = _mpmath_stretch(rate, aht, concurrency, stretch, agents, target)
    result = chat_metrics(rate, aht, concurrency, agents, target, concurrency_stretch=stretch)
    got = (result.p_wait, result.service_level, result.asa_seconds, result.occupancy)
    for value, reference in zip(got, expected, strict=True):
        assert float(value) == pytest.approx(float(reference), rel=1e-9)


@pytest.mark.parametrize("method", ["stretch", "slots"])
@pytest.mark.parametrize(("rate", "aht", "concurrency", "target"), CASES)
def test_requirement_is_the_smallest_staffing_meeting_the_goal(method, rate, aht, concurrency, target):
    goal = 0.85
    result = chat_required_agents(rate, aht, concurrency, target, goal, method=method)
    agents = int(result.agents)
    assert float(result.service_level) >= goal
    below = chat_metrics(rate, aht, concurrency, agents - 1, target, method=method)
    if method == "stretch":
        assert float(below.service_level) < goal
    else:  # slots: agents - 1 gives too few slots
        assert (agents - 1) * concurrency < int(required_agents(rate * aht / 3600, aht, target, goal))


def test_more_stretch_never_needs_fewer_agents_and_more_agents_never_lower_the_service_level():
    stretches = [0.0, 0.1, 0.25, 0.5, 1.0]
    needed = [int(chat_required_agents(300.0, 480.0, 3, 60.0, 0.8, concurrency_stretch=s).agents) for s in stretches]
    assert needed == sorted(needed)
    assert needed[-1] > needed[0]
    levels = chat_metrics(300.0, 480.0, 3, np.arange(14, 40), 60.0).service_level
    assert np.all(np.diff(levels) >= -1e-15)


def test_vectorised_and_zero_arrivals_need_no_agents():
    result = chat_required_agents(np.array([0.0, 60.0, 600.0]), 300.0, [[1], [2]], 30.0, 0.8)
    assert result.agents.shape == (2, 3)
    assert result.agents[:, 0].tolist() == [0, 0]
    assert result.service_level[:, 0].tolist() == [1.0, 1.0]
    assert np.all(result.agents[1] <= result.agents[0])
    frame = result.to_frame()
    assert len(frame) == 6 and set(frame["method"]) == {"stretch"}


def test_overloaded_stretch_queue():
    result = chat_metrics(3600.0, 100.0, 2, 1, 20.0, concurrency_stretch=0.0)  # 100 Erlangs on 2 slots
    assert float(result.p_wait) == 1.0
    assert float(result.service_level) == 0.0
    assert math.isinf(float(result.asa_seconds))


def test_chat_handle_time():
    assert float(chat_handle_time(300.0, 1, 0.25)) == 300.0
    assert float(chat_handle_time(300.0, 3, 0.25)) == pytest.approx(450.0)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"concurrency": 0}, "concurrency must be a whole number >= 1"),
        ({"concurrency": 1.5}, "concurrency must be whole numbers"),
        ({"arrival_rate_per_hour": -1.0}, "arrival_rate_per_hour must be >= 0"),
        ({"service_level_goal": 1.0}, "service_level_goal must be in the open interval (0, 1)"),
        ({"aht_seconds": 0.0}, "aht_seconds must be > 0"),
        ({"concurrency_stretch": -0.1}, "concurrency_stretch must be >= 0"),
        ({"method": "pooled"}, "method must be one of stretch, slots"),
        ({"target_seconds": float("nan")}, "target_seconds must not be NaN"),
    ],
)
def test_bad_input_names_the_argument_and_range(kwargs, fragment):
    arguments = {
        "arrival_rate_per_hour": 60.0,
        "aht_seconds": 300.0,
        "concurrency": 2,
        "target_seconds": 30.0,
        "service_level_goal": 0.8,
    }
    method = kwargs.pop("method", "stretch")
    stretch = kwargs.pop("concurrency_stretch", 0.25)
    arguments.update(kwargs)
    with pytest.raises(StaffingInputError) as error:
        chat_required_agents(**arguments, method=method, concurrency_stretch=stretch)
    assert fragment in str(error.value)
