"""Deferred work (email): hand-computed requirements, conservation, deadlines, validation."""

import math

import numpy as np
import pytest

from staffing import (
    StaffingInputError,
    deadline_offset_intervals,
    deferred_requirements,
    evaluate_deferred,
)


def test_hand_computed_single_burst():
    # 10 items x 360 s = 1 h of work at 08:00; target 2 h = 4 intervals of 30 min.
    # Interval 0: lowest constant rate to finish by the end of interval 3 is 0.25 h/interval ->
    # 1 agent (0.5 h) does 5 items; interval 1: 0.5 h left over 3 intervals -> 1 agent finishes.
    result = deferred_requirements([10, 0, 0, 0], 360, 2.0, 30)
    assert result.agents.tolist() == [1, 1, 0, 0]
    assert result.backlog_items.tolist() == [5.0, 0.0, 0.0, 0.0]
    assert result.backlog_workload_hours.tolist() == [0.5, 0.0, 0.0, 0.0]
    assert result.work_done_items.tolist() == [5.0, 5.0, 0.0, 0.0]
    assert result.target_met and result.first_missed_interval is None


def test_target_of_one_interval_is_plain_workload():
    arrivals = np.array([12, 30, 7, 0, 44])
    result = deferred_requirements(arrivals, 300, 0.5, 30, max_occupancy=0.8)
    expected = [math.ceil(n * 300 / 3600 / (0.5 * 0.8) - 1e-12) for n in arrivals]
    assert result.agents.tolist() == expected
    assert np.all(result.backlog_items == 0)


def test_long_target_spreads_the_work_evenly():
    # 10 items (1 h of work) every 30 min for 12 h; 24 h target, cleared by the end of the day:
    # 24 h of work over 24 half-hours is 2 agents in every interval and never a backlog.
    result = deferred_requirements(np.full(24, 10.0), 360, 24.0, 30)
    assert result.agents.tolist() == [2] * 24
    assert np.allclose(result.backlog_items, 0.0)


def test_carry_over_leaves_work_due_after_the_horizon_as_backlog():
    arrivals = np.full(8, 10.0)  # 1 h of work per interval, 2 h target = 4 intervals
    kept = deferred_requirements(arrivals, 360, 2.0, 30, clear_by_end=False)
    cleared = deferred_requirements(arrivals, 360, 2.0, 30, clear_by_end=True)
    assert kept.backlog_items[-1] > 0
    assert cleared.backlog_items[-1] == 0
    assert kept.target_met and cleared.target_met
    assert kept.agents.sum() < cleared.agents.sum()


@pytest.mark.parametrize("clear_by_end", [True, False])
def test_conservation_of_items_and_work(clear_by_end):
    rng = np.random.default_rng(7)
    arrivals = rng.integers(0, 60, size=40).astype(float)
    result = deferred_requirements(arrivals, 420, 3.0, 15, initial_backlog_items=25, clear_by_end=clear_by_end)
    arrived = np.cumsum(arrivals) + 25
    completed = np.cumsum(result.work_done_items)
    assert np.allclose(arrived - completed, result.backlog_items)
    assert np.allclose(result.backlog_workload_hours, result.backlog_items * 420 / 3600)
    assert np.allclose(result.work_done_hours, result.work_done_items * 420 / 3600)
    assert result.arrivals.tolist() == arrivals.tolist()


def test_requirement_meets_every_deadline_and_evaluation_agrees():
    rng = np.random.default_rng(11)
    arrivals = rng.integers(0, 80, size=48).astype(float)
    aht = rng.uniform(200, 600, size=48)
    plan = deferred_requirements(arrivals, aht, 2.5, 30, initial_backlog_items=40)
    check = evaluate_deferred(arrivals, plan.agents, aht, 2.5, 30, initial_backlog_items=40)
    assert check.target_met
    assert np.allclose(check.backlog_items, plan.backlog_items)
    assert np.allclose(check.overdue_items, 0.0)
    # Capacity covers all the work and never more than one agent per interval of slack in total.
    assert plan.agents.sum() * 0.5 >= (arrivals * aht).sum() / 3600 + 40 * aht[0] / 3600 - 1e-9


def test_understaffing_is_reported_with_the_first_missed_interval():
    # Each interval brings 1 h of work due by its own end (target 30 min): 2 agents needed.
    check = evaluate_deferred([10, 10, 10, 0], [2, 1, 2, 2], 360, 0.5, 30)
    assert not check.target_met
    assert check.first_missed_interval == 1
    assert check.overdue_items.tolist() == [0.0, 5.0, 5.0, 0.0]
    assert check.backlog_items.tolist() == [0.0, 5.0, 5.0, 0.0]


def test_items_due_after_the_horizon_are_never_overdue():
    check = evaluate_deferred([10, 10], [0, 0], 360, 8.0, 30)
    assert check.target_met
    assert check.backlog_items.tolist() == [10.0, 20.0]


@pytest.mark.parametrize(
    ("target_hours", "minutes", "expected"),
    [(4.0, 30, 8), (0.25, 30, 1), (1.75, 30, 3), (24.0, 15, 96), (0.5, 30, 1)],
)
def test_deadline_offset(target_hours, minutes, expected):
    assert deadline_offset_intervals(target_hours, minutes) == expected


def test_to_frame_has_one_row_per_interval():
    frame = deferred_requirements([5, 5, 5], 300, 1.0, 30).to_frame()
    assert list(frame["interval"]) == [0, 1, 2]
    assert {"agents", "backlog_items", "backlog_workload_hours", "overdue_items"} <= set(frame.columns)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: deferred_requirements([1, -2], 300, 4, 30), "arrivals must be >= 0"),
        (lambda: deferred_requirements([1, 2], 300, 0, 30), "response_target_hours must be > 0"),
        (lambda: deferred_requirements([1, 2], 300, 4, 0), "interval_minutes must be > 0"),
        (lambda: deferred_requirements([1, 2], -1, 4, 30), "aht_seconds must be > 0"),
        (lambda: deferred_requirements([1, 2], [300, 300, 300], 4, 30), "aht_seconds must be one value or one per interval"),
        (lambda: deferred_requirements([1, 2], 300, 4, 30, max_occupancy=1.5), "max_occupancy must be <= 1"),
        (lambda: deferred_requirements([], 300, 4, 30), "arrivals is empty"),
        (lambda: deferred_requirements([[1, 2]], 300, 4, 30), "arrivals must be a 1-D sequence"),
        (lambda: evaluate_deferred([1, 2], [1, 0.5], 300, 4, 30), "agents must be whole numbers"),
        (lambda: evaluate_deferred([1, 2], [1], 300, 4, 30), "agents must have one value per interval (2)"),
        (lambda: deferred_requirements([1, float("nan")], 300, 4, 30), "arrivals must not be NaN"),
    ],
)
def test_bad_input_names_the_argument_and_range(call, fragment):
    with pytest.raises(StaffingInputError) as error:
        call()
    assert fragment in str(error.value)


@pytest.mark.parametrize("seed", range(40))
def test_peak_staffing_is_the_smallest_any_plan_can_have(seed):
    # Any plan must do D(k) - A(j - 1) hours in intervals j..k (work due by k minus work that
    # could have been done before j), so the peak is at least the largest such average; the
    # taut-string plan reaches that bound (after rounding up to whole agents).
    rng = np.random.default_rng(seed)
    count = int(rng.integers(2, 40))
    arrivals = rng.integers(0, 80, size=count).astype(float)
    aht, target, minutes = float(rng.uniform(100, 900)), float(rng.uniform(0.3, 8)), float(rng.choice([15, 30, 60]))
    clear = bool(seed % 2)
    plan = deferred_requirements(arrivals, aht, target, minutes, clear_by_end=clear)
    work = arrivals * aht / 3600
    offset = deadline_offset_intervals(target, minutes)
    due = np.arange(count) + offset - 1
    if clear:
        due = np.minimum(due, count - 1)
    inside = due < count
    cumulative_due = np.cumsum(np.bincount(due[inside], weights=work[inside], minlength=count))
    arrived_before = np.concatenate(([0.0], np.cumsum(work)[:-1]))
    bound = max(
        (cumulative_due[k] - arrived_before[j]) / (k - j + 1) for j in range(count) for k in range(j, count)
    )
    assert plan.agents.max() == math.ceil(bound / (minutes / 60) - 1e-9)
    assert plan.target_met
