"""Unit tests of the sizing searches: extra goals, vectorisation, zero traffic, square-root rule."""

from __future__ import annotations

import numpy as np
import pytest

import staffing


def test_occupancy_and_asa_goals_add_agents_only_when_binding():
    base = staffing.required_agents(100.0, 180.0, 20.0, 0.8)
    capped = staffing.required_agents(100.0, 180.0, 20.0, 0.8, max_occupancy=0.85)
    assert capped == int(np.ceil(100 / 0.85)) > base
    asa = staffing.required_agents(100.0, 180.0, 20.0, 0.8, asa_goal_seconds=2.0)
    assert staffing.average_speed_of_answer(100.0, asa, 180.0) <= 2.0
    assert staffing.average_speed_of_answer(100.0, asa - 1, 180.0) > 2.0
    assert staffing.required_agents(100.0, 180.0, 20.0, 0.8, asa_goal_seconds=1e4) == base


def test_vectorised_requirements_equal_scalar_ones_and_keep_shape():
    rng = np.random.default_rng(7)
    traffic = rng.uniform(0, 300, size=(4, 24))
    traffic[0, :3] = 0.0
    vector = staffing.required_agents(traffic, 240.0, 30.0, 0.85)
    assert vector.shape == (4, 24)
    assert vector.dtype == np.int64
    assert vector[0, 0] == 0
    for idx in [(0, 5), (1, 0), (3, 23), (2, 11)]:
        assert vector[idx] == staffing.required_agents(traffic[idx], 240.0, 30.0, 0.85)


def test_square_root_staffing_is_close_to_exact_for_large_centres():
    traffic = np.array([50.0, 200.0, 1000.0, 5000.0])
    exact = staffing.required_agents(traffic, 300.0, 20.0, 0.8)
    approx = staffing.square_root_staffing(traffic, 300.0, 20.0, 0.8)
    assert np.all(np.abs(exact - approx) <= 2), (exact, approx)


def test_erlang_a_requirement_vectorised_and_zero_volume():
    lam_h = np.array([0.0, 120.0, 2400.0, 36000.0])
    n = staffing.required_agents_erlang_a(lam_h, 240.0, 120.0, 20.0, 0.8)
    assert n[0] == 0
    for rate, agents in zip(lam_h[1:], n[1:], strict=True):
        assert agents == staffing.required_agents_erlang_a(rate, 240.0, 120.0, 20.0, 0.8)
    limited = staffing.required_agents_erlang_a(lam_h[1:], 240.0, 120.0, 20.0, 0.8, max_abandon_rate=0.01)
    assert np.all(limited >= n[1:])
    assert np.all(staffing.erlang_a(lam_h[1:], 240.0, 120.0, limited, 20.0).p_abandon <= 0.01)


def test_zero_traffic_conventions():
    assert staffing.erlang_c(0.0, 3) == 0.0
    assert staffing.service_level(0.0, 0, 180, 20) == 1.0
    assert staffing.average_speed_of_answer(0.0, 2, 180) == 0.0
    assert staffing.required_agents(0.0, 180, 20, 0.8) == 0
    assert staffing.erlang_c(5.0, 5) == 1.0
    assert staffing.service_level(5.0, 4, 180, 20) == 0.0
    assert staffing.average_speed_of_answer(5.0, 5, 180) == np.inf
    assert staffing.occupancy([0.0, 5.0, 5.0], [0, 0, 10]).tolist() == [0.0, 1.0, 0.5]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: staffing.erlang_c(-1.0, 3), "traffic must be >= 0"),
        (lambda: staffing.erlang_c(float("nan"), 3), "traffic must not be NaN"),
        (lambda: staffing.erlang_c(2.0, 3.5), "agents must be whole numbers"),
        (lambda: staffing.erlang_b(2.0, -1), "agents must be >= 0"),
        (lambda: staffing.service_level(2.0, 3, 0.0, 20), "aht_seconds must be > 0"),
        (lambda: staffing.service_level(2.0, 3, 180, -5), "target_seconds must be >= 0"),
        (lambda: staffing.required_agents(2.0, 180, 20, 1.2), "service_level_goal must be in the open interval (0, 1)"),
        (lambda: staffing.required_agents(2.0, 180, 20, 0.0), "service_level_goal must be in the open interval (0, 1)"),
        (lambda: staffing.required_agents(2.0, 180, 20, 0.8, max_occupancy=1.5), "max_occupancy"),
        (lambda: staffing.erlang_a(100, 180, 0, 3, 20), "patience_seconds must be > 0"),
        (lambda: staffing.erlang_a(100, 180, 60, 3, "soon"), "target_seconds must be a number"),
        (lambda: staffing.erlang_c([], 3), "traffic is empty"),
    ],
)
def test_bad_input_names_the_argument_and_range(call, message):
    with pytest.raises(staffing.StaffingInputError) as info:
        call()
    assert message in str(info.value)


def test_docstring_examples_run():
    import doctest
    import importlib

    for name in ("staffing.erlang", "staffing.erlang_a", "staffing.sizing"):
        module = importlib.import_module(name)
        failures, _ = doctest.testmod(module)
        assert failures == 0, name
