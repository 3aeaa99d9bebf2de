"""Input validation and supported ranges of every public numeric function in :mod:`staffing`.

Kind: unit + property. Every public function that takes numbers refuses strings, booleans,
NaN, infinities (unless documented) and values outside the documented range with a
:class:`staffing.StaffingInputError` naming the argument, never a ``RuntimeError``, a plain
``ValueError``, a NaN or a NumPy/SciPy traceback. Inside the documented ranges the results are
finite, and probabilities are in [0, 1] (hypothesis).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import staffing
from ccplan_errors import InputError

# One valid call per public numeric function: (name, callable taking keyword arguments, valid
# keyword arguments, the numeric arguments to corrupt).
CASES = [
    ("erlang_b", staffing.erlang_b, {"traffic": 10.0, "agents": 12}, ["traffic", "agents"]),
    ("erlang_c", staffing.erlang_c, {"traffic": 10.0, "agents": 12}, ["traffic", "agents"]),
    (
        "service_level",
        staffing.service_level,
        {"traffic": 10.0, "agents": 12, "aht_seconds": 180.0, "target_seconds": 20.0},
        ["traffic", "agents", "aht_seconds", "target_seconds"],
    ),
    (
        "average_speed_of_answer",
        staffing.average_speed_of_answer,
        {"traffic": 10.0, "agents": 12, "aht_seconds": 180.0},
        ["traffic", "agents", "aht_seconds"],
    ),
    ("occupancy", staffing.occupancy, {"traffic": 10.0, "agents": 12}, ["traffic", "agents"]),
    (
        "required_agents",
        staffing.required_agents,
        {
            "traffic": 10.0,
            "aht_seconds": 180.0,
            "target_seconds": 20.0,
            "service_level_goal": 0.8,
            "max_occupancy": 0.9,
            "asa_goal_seconds": 30.0,
        },
        ["traffic", "aht_seconds", "target_seconds", "service_level_goal", "max_occupancy", "asa_goal_seconds"],
    ),
    (
        "square_root_staffing",
        staffing.square_root_staffing,
        {"traffic": 10.0, "aht_seconds": 180.0, "target_seconds": 20.0, "service_level_goal": 0.8},
        ["traffic", "aht_seconds", "target_seconds", "service_level_goal"],
    ),
    (
        "erlang_a",
        staffing.erlang_a,
        {"arrival_rate_per_hour": 1200.0, "aht_seconds": 180.0, "patience_seconds": 120.0, "agents": 62, "target_seconds": 20.0},
        ["arrival_rate_per_hour", "aht_seconds", "patience_seconds", "agents", "target_seconds"],
    ),
    (
        "required_agents_erlang_a",
        staffing.required_agents_erlang_a,
        {
            "arrival_rate_per_hour": 1200.0,
            "aht_seconds": 180.0,
            "patience_seconds": 120.0,
            "target_seconds": 20.0,
            "service_level_goal": 0.8,
            "max_abandon_rate": 0.05,
            "max_occupancy": 0.95,
            "asa_goal_seconds": 60.0,
        },
        [
            "arrival_rate_per_hour",
            "aht_seconds",
            "patience_seconds",
            "target_seconds",
            "service_level_goal",
            "max_abandon_rate",
            "max_occupancy",
            "asa_goal_seconds",
        ],
    ),
    (
        "chat_handle_time",
        staffing.chat_handle_time,
        {"aht_seconds": 300.0, "concurrency": 2, "concurrency_stretch": 0.25},
        ["aht_seconds", "concurrency", "concurrency_stretch"],
    ),
    (
        "chat_metrics",
        staffing.chat_metrics,
        {"arrival_rate_per_hour": 60.0, "aht_seconds": 300.0, "concurrency": 2, "agents": 5, "target_seconds": 30.0, "concurrency_stretch": 0.25},
        ["arrival_rate_per_hour", "aht_seconds", "concurrency", "agents", "target_seconds", "concurrency_stretch"],
    ),
    (
        "chat_required_agents",
        staffing.chat_required_agents,
        {"arrival_rate_per_hour": 120.0, "aht_seconds": 600.0, "concurrency": 2, "target_seconds": 60.0, "service_level_goal": 0.8},
        ["arrival_rate_per_hour", "aht_seconds", "concurrency", "target_seconds", "service_level_goal"],
    ),
    (
        "deferred_requirements",
        staffing.deferred_requirements,
        {"arrivals": [10.0, 20.0, 5.0, 0.0], "aht_seconds": 360.0, "response_target_hours": 1.0, "interval_minutes": 30.0, "initial_backlog_items": 2.0, "max_occupancy": 0.9},
        ["arrivals", "aht_seconds", "response_target_hours", "interval_minutes", "initial_backlog_items", "max_occupancy"],
    ),
    (
        "evaluate_deferred",
        staffing.evaluate_deferred,
        {"arrivals": [10.0, 20.0, 5.0, 0.0], "agents": [2, 3, 3, 1], "aht_seconds": 360.0, "response_target_hours": 1.0, "interval_minutes": 30.0},
        ["arrivals", "agents", "aht_seconds", "response_target_hours", "interval_minutes"],
    ),
    (
        "deadline_offset_intervals",
        staffing.deadline_offset_intervals,
        {"response_target_hours": 4.0, "interval_minutes": 30.0},
        ["response_target_hours", "interval_minutes"],
    ),
    ("total_shrinkage", staffing.total_shrinkage, {"shrinkage": 0.3}, ["shrinkage"]),
    ("scheduled_agents", staffing.scheduled_agents, {"required_agents": 10, "shrinkage": 0.3}, ["required_agents", "shrinkage"]),
    (
        "full_time_equivalents",
        staffing.full_time_equivalents,
        {"agent_hours": 120.0, "paid_hours_per_fte": 8.0},
        ["agent_hours", "paid_hours_per_fte"],
    ),
    (
        "required_fte",
        staffing.required_fte,
        {"volume": [10_000.0, 12_000.0], "aht_seconds": 360.0, "paid_hours_per_fte": 160.0, "occupancy": 0.8, "shrinkage": 0.2},
        ["volume", "aht_seconds", "paid_hours_per_fte", "occupancy", "shrinkage"],
    ),
    (
        "seasonal_forecast",
        staffing.seasonal_forecast,
        {"history": [float(v) for v in range(10, 34)], "horizon": 6, "season_length": 12, "method": "seasonal-naive"},
        ["history", "horizon", "season_length"],
    ),
    (
        "interval_requirements",
        staffing.interval_requirements,
        {"volumes": {"voice": [100.0, 150.0]}, "interval_minutes": 30.0, "paid_hours_per_fte": 8.0},
        ["interval_minutes", "paid_hours_per_fte"],
    ),
]

OPTIONAL = {"max_occupancy", "asa_goal_seconds", "max_abandon_rate"}

BAD_VALUES = [
    pytest.param("12", "must be a number", id="string"),
    pytest.param(True, "must be a number", id="bool"),
    pytest.param(float("nan"), "NaN", id="nan"),
    pytest.param(float("-inf"), "", id="-inf"),
    pytest.param(1 + 2j, "must be a number", id="complex"),
    pytest.param(None, "must be a number", id="None"),
    pytest.param(10**400, "", id="beyond-float"),
]


def _param_cases():
    for name, func, kwargs, numeric in CASES:
        for arg in numeric:
            for bad in BAD_VALUES:
                value, message = bad.values
                if value is None and arg in OPTIONAL:
                    continue  # None is the documented "no goal" value of an optional goal
                yield pytest.param(func, kwargs, arg, value, message, id=f"{name}-{arg}-{bad.id}")


def _call(func, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", staffing.StaffingWarning)
        return func(**kwargs)


@pytest.mark.parametrize(("name", "func", "kwargs", "numeric"), CASES, ids=[c[0] for c in CASES])
def test_the_valid_baseline_calls_succeed(name, func, kwargs, numeric):
    """The baselines below are valid, so a refusal in the bad-input test is due to the bad value."""
    _call(func, kwargs)


@pytest.mark.parametrize(("func", "kwargs", "arg", "value", "message"), list(_param_cases()))
def test_bad_values_are_refused_naming_the_argument(func, kwargs, arg, value, message):
    bad = dict(kwargs, **{arg: value})
    with pytest.raises(staffing.StaffingInputError) as info:
        _call(func, bad)
    text = str(info.value)
    label = arg if arg != "required_agents" or func is not staffing.required_agents else "traffic"
    assert label in text, text
    assert message in text, text
    assert isinstance(info.value, InputError)


def test_positive_infinity_is_refused_except_for_patience():
    with pytest.raises(staffing.StaffingInputError, match="traffic must be finite"):
        staffing.erlang_c(math.inf, 3)
    with pytest.raises(staffing.StaffingInputError, match="aht_seconds must be finite"):
        staffing.service_level(2.0, 3, math.inf, 20)
    # Infinite patience is documented: Erlang C.
    assert staffing.erlang_a(1200, 180, math.inf, 62, 20).p_wait == pytest.approx(staffing.erlang_c(60.0, 62), rel=1e-12)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: staffing.erlang_c(10, 1e308), "agents must be <= 1e+09"),
        (lambda: staffing.erlang_b(10, 1e308), "agents must be <= 1e+09"),
        (lambda: staffing.erlang_c(10, np.iinfo(np.int64).max), "agents must be <= 1e+09"),
        (lambda: staffing.erlang_c(1e12, 1e12 + 1e6), "traffic must be <= 1e+07"),
        (lambda: staffing.erlang_c(1e7 * (1 + 1e-15), 2e7), "traffic must be <= 1e+07"),
        (lambda: staffing.required_agents(1e308, 180, 20, 0.8), "traffic must be <= 1e+07"),
        (lambda: staffing.required_agents(1e12, 180, 20, 0.8), "traffic must be <= 1e+07"),
        (lambda: staffing.erlang_a(1e308, 180, 120, 10, 20), "offered load"),
        (lambda: staffing.erlang_a(3600, 1e-3, 1e10, 10, 20), "patience_seconds / aht_seconds must be <= 1e+12"),
        (lambda: staffing.required_agents(1e6, 180, 20, 0.8, max_occupancy=1e-4), "no staffing up to 1e+09 agents"),
        (lambda: staffing.required_agents(10, 180, 20, 0.8, max_occupancy=1.5), "max_occupancy must be <= 1"),
        (lambda: staffing.required_agents(10, 180, 20, 0.8, max_occupancy=0.0), "max_occupancy must be > 0"),
        (lambda: staffing.required_agents_erlang_a(1200, 180, 120, 20, 0.8, max_abandon_rate=1.0), "max_abandon_rate"),
        (lambda: staffing.chat_metrics(60, 300, 2, 1e7, 30), "agents must be <= 1e+06"),
        (lambda: staffing.chat_metrics(60, 300, 1000, 5, 30), "concurrency must be <= 100"),
    ],
)
def test_values_beyond_the_supported_range_are_refused(call, message):
    with pytest.raises(staffing.StaffingInputError) as info:
        call()
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("call", "names"),
    [
        (lambda: staffing.erlang_c([1.0, 2.0], [1, 2, 3]), ["traffic (2,)", "agents (3,)"]),
        (lambda: staffing.erlang_b([1.0, 2.0], [1, 2, 3]), ["traffic (2,)", "agents (3,)"]),
        (lambda: staffing.service_level([1.0, 2.0], 3, [180.0, 200.0, 240.0], 20), ["traffic (2,)", "aht_seconds (3,)"]),
        (lambda: staffing.average_speed_of_answer([1.0, 2.0], [3, 4, 5], 180), ["agents (3,)"]),
        (lambda: staffing.occupancy([1.0, 2.0], [3, 4, 5]), ["agents (3,)"]),
        (lambda: staffing.required_agents([1.0, 2.0], [180.0, 200.0, 240.0], 20, 0.8), ["aht_seconds (3,)"]),
        (lambda: staffing.required_agents([1.0, 2.0], 180, 20, 0.8, max_occupancy=[0.8, 0.9, 0.95]), ["max_occupancy (3,)"]),
        (lambda: staffing.square_root_staffing([1.0, 2.0], 180, [20, 30, 40], 0.8), ["target_seconds (3,)"]),
        (lambda: staffing.erlang_a([100.0, 200.0], 180, [60.0, 90.0, 120.0], 3, 20), ["patience_seconds (3,)"]),
        (lambda: staffing.required_agents_erlang_a([100.0, 200.0], 180, 60, 20, [0.7, 0.8, 0.9]), ["service_level_goal (3,)"]),
        (lambda: staffing.chat_metrics([60.0, 90.0], 300, 2, [4, 5, 6], 30), ["agents (3,)"]),
        (lambda: staffing.chat_required_agents([60.0, 90.0], 300, 2, [30, 40, 50], 0.8), ["target_seconds (3,)"]),
    ],
)
def test_arrays_that_do_not_broadcast_name_the_arguments(call, names):
    with pytest.raises(staffing.StaffingInputError) as info:
        call()
    text = str(info.value)
    assert "broadcast" in text
    for name in names:
        assert name in text, text


def test_results_at_the_edges_of_the_range_are_finite():
    assert staffing.erlang_c(10, 1e9) == 0.0
    assert staffing.erlang_b(1e7, 1e9) == 0.0
    assert staffing.service_level(1e-300, 1, 180, 20) == pytest.approx(1.0)
    assert staffing.erlang_c(1e7, 1e7 + 3163) == pytest.approx(0.2234, abs=2e-3)  # Halfin-Whitt beta = 1
    n = staffing.required_agents(1e7, 180, 20, 0.8)
    assert 1e7 < n < 1e7 + 1e4
    assert staffing.service_level(1e7, n, 180, 20) >= 0.8 > staffing.service_level(1e7, n - 1, 180, 20)


# --- property: finite results within the documented ranges ------------------------------------

log_traffic = st.floats(min_value=-6.0, max_value=7.0)
log_ratio = st.floats(min_value=-3.0, max_value=12.0)  # log10(patience / AHT)
aht_st = st.floats(min_value=1.0, max_value=3600.0)
target_st = st.floats(min_value=0.0, max_value=3600.0)
offset_st = st.floats(min_value=-30.0, max_value=30.0)


def _agents(traffic: float, offset: float) -> float:
    return float(min(1e9, max(0.0, math.ceil(traffic + offset * math.sqrt(traffic) + (offset > 25) * 1e3 * traffic))))


@settings(max_examples=200, deadline=None)
@given(log_traffic, offset_st, aht_st, target_st)
def test_erlang_c_family_is_finite_and_bounded_in_range(lt, offset, aht, target):
    traffic = 10.0**lt
    n = _agents(traffic, offset)
    for p in (
        staffing.erlang_b(traffic, n),
        staffing.erlang_c(traffic, n),
        staffing.service_level(traffic, n, aht, target),
        staffing.occupancy(traffic, n),
    ):
        assert math.isfinite(p) and 0.0 <= p <= 1.0
    asa = staffing.average_speed_of_answer(traffic, n, aht)
    assert asa >= 0.0 and (math.isfinite(asa) or n <= traffic)


@settings(max_examples=200, deadline=None)
@given(log_traffic, offset_st, aht_st, log_ratio, target_st)
def test_erlang_a_is_finite_and_bounded_in_range(lt, offset, aht, lr, target):
    traffic = 10.0**lt
    n = _agents(traffic, offset)
    patience = aht * 10.0**lr
    result = staffing.erlang_a(traffic / aht * 3600.0, aht, patience, n, target)
    for p in (result.p_wait, result.p_abandon, result.service_level, result.occupancy):
        assert math.isfinite(p) and 0.0 <= p <= 1.0, result.to_dict()
    assert math.isfinite(result.average_queue_length) and result.average_queue_length >= 0.0
    assert result.p_abandon <= result.p_wait + 1e-12
    if n > 0:
        assert math.isfinite(result.asa_seconds) and result.asa_seconds >= 0.0


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=-3.0, max_value=6.0), aht_st, target_st, st.floats(min_value=0.05, max_value=0.99))
def test_requirements_are_whole_and_meet_the_goal_in_range(lt, aht, target, goal):
    traffic = 10.0**lt
    n = staffing.required_agents(traffic, aht, target, goal)
    assert isinstance(n, int) and 0 < n <= 1e9
    assert staffing.service_level(traffic, n, aht, target) >= goal
