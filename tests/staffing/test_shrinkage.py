"""Shrinkage and FTE arithmetic (hand-computed) and validation messages."""

import numpy as np
import pytest

from staffing import (
    Shrinkage,
    StaffingInputError,
    full_time_equivalents,
    scheduled_agents,
    total_shrinkage,
)


def test_multiplicative_and_additive_totals():
    components = {"breaks": 0.10, "training": 0.05, "absence": 0.10}
    assert Shrinkage(components).total == pytest.approx(1 - 0.9 * 0.95 * 0.9, abs=1e-12)  # 0.2305
    assert Shrinkage(components, method="additive").total == pytest.approx(0.25, abs=1e-12)
    assert Shrinkage().total == 0.0
    assert Shrinkage.single(0.3).total == pytest.approx(0.3)


def test_multiplicative_total_does_not_depend_on_order():
    forward = Shrinkage({"a": 0.2, "b": 0.15, "c": 0.05})
    backward = Shrinkage({"c": 0.05, "b": 0.15, "a": 0.2})
    assert forward.total == backward.total


@pytest.mark.parametrize(
    ("required", "shrinkage", "expected"),
    [
        (10, 0.3, 15),  # 10 / 0.7 = 14.29
        (14, 0.3, 20),  # exactly 20: float noise must not make it 21
        (0, 0.3, 0),
        (7, 0.0, 7),
        (21, 0.25, 28),
        (12.5, 0.5, 25),
    ],
)
def test_scheduled_agents_arithmetic(required, shrinkage, expected):
    assert int(scheduled_agents(required, shrinkage)) == expected


def test_scheduled_agents_accepts_components_and_arrays():
    shrinkage = Shrinkage({"breaks": 0.1, "absence": 0.1})  # total 0.19
    result = scheduled_agents(np.array([0, 10, 81]), shrinkage)
    assert result.tolist() == [0, 13, 100]  # 10 / 0.81 = 12.3; 81 / 0.81 = 100
    assert scheduled_agents(10, {"breaks": 0.1, "absence": 0.1}).tolist() == 13
    assert total_shrinkage({"breaks": 0.1, "absence": 0.1}) == pytest.approx(0.19)


def test_full_time_equivalents():
    assert float(full_time_equivalents(120, 8)) == 15.0
    # 20 agents for every half hour of a 12-hour day = 240 agent-hours = 30 FTE of 8 h.
    assert float(full_time_equivalents(np.full(24, 20) * 0.5, 8).sum()) == pytest.approx(30.0)


def test_components_are_read_only():
    shrinkage = Shrinkage({"breaks": 0.1})
    with pytest.raises(TypeError):
        shrinkage.components["breaks"] = 0.5  # type: ignore[index]


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: Shrinkage({"breaks": 1.0}), "shrinkage component 'breaks' must be in [0, 1)"),
        (lambda: Shrinkage({"breaks": -0.1}), "shrinkage component 'breaks' must be >= 0"),
        (lambda: Shrinkage({"a": 0.6, "b": 0.5}, method="additive"), "total shrinkage must be in [0, 1)"),
        (lambda: Shrinkage({"a": 0.1}, method="sum"), "shrinkage method must be one of multiplicative, additive"),
        (lambda: scheduled_agents(10, 1.0), "shrinkage must be in [0, 1)"),
        (lambda: scheduled_agents(-1, 0.2), "required_agents must be >= 0"),
        (lambda: full_time_equivalents(10, 0), "paid_hours_per_fte must be > 0"),
        (lambda: full_time_equivalents(-1, 8), "agent_hours must be >= 0"),
    ],
)
def test_bad_input_names_the_argument_and_range(call, fragment):
    with pytest.raises(StaffingInputError) as error:
        call()
    assert fragment in str(error.value)
