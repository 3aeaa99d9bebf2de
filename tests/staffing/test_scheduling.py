"""Shift scheduling: coverage, shortfall reporting, optimality against brute force, user errors."""

import itertools

import numpy as np
import pandas as pd
import pytest

from staffing import StaffingInputError
from staffing.scheduling import (
    INTERVAL_COLUMNS,
    SCHEDULE_COLUMNS,
    ShiftTemplate,
    schedule_groups,
    schedule_shifts,
    shift_templates,
    start_times,
)


def day_curve(peak=18.0, base=6.0):
    """A day of 15-minute intervals, open 07:00-21:00 with a midday peak (agents)."""
    hours = np.arange(96) * 0.25
    open_ = (hours >= 7) & (hours < 21)
    return np.where(open_, np.round(base + (peak - base) * np.sin((hours - 7) / 14 * np.pi)), 0.0)


def day_templates(**keywords):
    return shift_templates(
        starts=start_times("06:00", "13:00", 30), lengths_hours=[8.5, 4.0], break_minutes=30,
        break_window_hours=(3.0, 5.0), cost_per_paid_hour=20.0, **keywords,
    )


# --- unit: coverage and shortfall --------------------------------------------------------


def test_schedule_covers_the_requirement_in_every_interval_when_feasible():
    required = day_curve()
    result = schedule_shifts(required, day_templates(), interval_minutes=15)
    table = result.to_frame()
    assert tuple(table.columns) == INTERVAL_COLUMNS
    assert result.status == "optimal"
    assert (table["staffed_agents"] >= table["required_agents"]).all()
    assert result.shortfall_agent_hours == 0.0 and result.shortfall_intervals.empty
    assert (table["overstaffed_agents"] == table["staffed_agents"] - table["required_agents"]).all()
    schedule = result.to_frame("schedule")
    assert tuple(schedule.columns) == SCHEDULE_COLUMNS
    assert result.paid_hours == pytest.approx(schedule["paid_hours"].sum())
    assert result.cost == pytest.approx(20.0 * result.paid_hours)
    # Staffed agents recomputed by hand from the schedule: working minus those on break.
    staffed = np.zeros(96)
    for row in schedule.itertuples():
        length = 34 if row.template.endswith("8.5h") else 16
        start = row.start_interval
        staffed[start:start + length] += row.headcount
        if row.break_start:
            hour, minute = map(int, row.break_start.split(":"))
            at = (hour * 60 + minute) // 15
            staffed[at:at + 2] -= row.headcount
    np.testing.assert_array_equal(staffed, table["staffed_agents"])


def test_seat_cap_binds_and_the_shortfall_is_reported_with_the_reason():
    required = day_curve(peak=18.0)
    cap = 12
    result = schedule_shifts(required, day_templates(), interval_minutes=15, seat_cap=cap)
    table = result.intervals
    assert (table["staffed_agents"] <= cap).all()
    over_cap = table["required_agents"] > cap
    assert (table.loc[over_cap, "understaffed_agents"] >= table.loc[over_cap, "required_agents"] - cap - 1e-9).all()
    short = result.shortfall_intervals
    assert set(table.index[over_cap]) <= set(short["interval"])
    assert short["shortfall_reason"].str.contains("seat cap binds").all()
    assert result.shortfall_agent_hours == pytest.approx(table["understaffed_agents"].sum() * 0.25)


def test_cloud_burst_fills_the_gap_the_seat_cap_leaves_and_is_priced_per_minute():
    required = day_curve(peak=18.0)
    result = schedule_shifts(required, day_templates(), interval_minutes=15, seat_cap=12, burst_cost_per_agent_minute=0.6)
    table = result.intervals
    assert result.shortfall_agent_hours == 0.0
    assert (table["staffed_agents"] + table["burst_agents"] >= table["required_agents"] - 1e-9).all()
    assert table["burst_agents"].sum() > 0
    assert result.burst_cost == pytest.approx(table["burst_agents"].sum() * 15 * 0.6)
    assert result.cost == pytest.approx(result.shift_cost + result.burst_cost)


def test_burst_limit_is_reported_when_it_binds():
    required = day_curve(peak=18.0)
    result = schedule_shifts(required, day_templates(), interval_minutes=15, seat_cap=12,
                             burst_cost_per_agent_minute=0.6, burst_max_agents=2)
    assert (result.intervals["burst_agents"] <= 2 + 1e-9).all()
    reasons = result.shortfall_intervals["shortfall_reason"]
    assert not reasons.empty and reasons.str.contains("burst capacity at its limit").all()


def test_soft_seat_cap_reports_the_excess_instead_of_a_shortfall():
    required = day_curve(peak=18.0)
    result = schedule_shifts(required, day_templates(), interval_minutes=15, seat_cap=12, seat_cap_penalty_per_agent_hour=1.0)
    table = result.intervals
    assert result.shortfall_agent_hours == 0.0
    np.testing.assert_allclose(table["seat_excess_agents"], np.clip(table["staffed_agents"] - 12, 0, None), atol=1e-6)


def test_max_agents_and_part_time_share_are_respected():
    required = day_curve()
    templates = day_templates(max_agents=3)
    result = schedule_shifts(required, templates, interval_minutes=15, max_part_time_share=0.25)
    schedule = result.schedule
    per_template_day = schedule.groupby(["template", "day"])["headcount"].sum()
    assert (per_template_day <= 3).all()
    assert schedule.loc[schedule["part_time"], "headcount"].sum() <= 0.25 * schedule["headcount"].sum()


def test_max_agents_reason_when_no_template_may_grow():
    required = np.full(8, 5.0)
    template = ShiftTemplate("all-day", start_minute=0, length_minutes=120, max_agents=3)
    result = schedule_shifts(required, [template], interval_minutes=15)
    assert result.shortfall_intervals["understaffed_agents"].tolist() == [2.0] * 8
    assert result.shortfall_intervals["shortfall_reason"].str.contains("max_agents").all()


def test_channels_in_columns_are_summed_and_a_week_repeats_the_templates():
    week = np.tile(day_curve(peak=10.0), 7)
    by_channel = pd.DataFrame({"voice": week * 0.6, "chat": week * 0.4})
    result = schedule_shifts(by_channel, day_templates(), interval_minutes=15)
    np.testing.assert_allclose(result.intervals["required_agents"], week)
    assert result.shortfall_agent_hours == 0.0
    assert sorted(result.schedule["day"].unique()) == list(range(7))


def test_cyclic_horizon_lets_a_night_shift_wrap():
    required = np.zeros(96)
    required[:8] = 2.0  # 00:00-02:00
    required[-8:] = 2.0  # 22:00-24:00
    night = ShiftTemplate("night", start_minute=22 * 60, length_minutes=240, cost_per_paid_hour=1.0)
    result = schedule_shifts(required, [night], interval_minutes=15, cyclic=True)
    assert result.shortfall_agent_hours == 0.0
    assert result.schedule["headcount"].sum() == 2
    with pytest.raises(StaffingInputError, match="no shift template fits inside the horizon"):
        schedule_shifts(required, [night], interval_minutes=15)


# --- reference: brute force on a small case ----------------------------------------------


def brute_force_objective(required, matrix, column_costs, penalty_per_interval, max_count=4):
    best = np.inf
    for counts in itertools.product(range(max_count + 1), repeat=matrix.shape[1]):
        counts = np.asarray(counts, dtype=float)
        under = np.clip(required - matrix @ counts, 0, None).sum()
        best = min(best, column_costs @ counts + penalty_per_interval * under)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_cost_is_minimal_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    required = rng.integers(0, 4, size=10).astype(float)
    # Hourly intervals from 08:00; an 8-hour shift with a 1-hour break at 3 or 4 hours in
    # (two columns), and two 4-hour part-time shifts.
    templates = [
        ShiftTemplate("full", start_minute=8 * 60, length_minutes=480, break_minutes=60,
                      break_window_minutes=(180, 240), cost_per_paid_hour=10.0),
        ShiftTemplate("morning", start_minute=8 * 60, length_minutes=240, cost_per_paid_hour=12.0, part_time=True),
        ShiftTemplate("evening", start_minute=14 * 60, length_minutes=240, cost_per_paid_hour=11.0, part_time=True),
    ]
    penalty_hour = 25.0  # low enough that leaving an interval short is sometimes cheapest
    result = schedule_shifts(required, templates, interval_minutes=60, horizon_start_minute="08:00",
                             understaffing_cost_per_agent_hour=penalty_hour)
    matrix = np.zeros((10, 4))
    matrix[[0, 1, 2, 4, 5, 6, 7], 0] = 1  # full, break at 11:00
    matrix[[0, 1, 2, 3, 5, 6, 7], 1] = 1  # full, break at 12:00
    matrix[0:4, 2] = 1  # morning 08-12
    matrix[6:10, 3] = 1  # evening 14-18
    costs = np.array([70.0, 70.0, 48.0, 44.0])
    expected = brute_force_objective(required, matrix, costs, penalty_hour)
    assert result.objective == pytest.approx(expected, abs=1e-6)
    assert result.cost + result.penalty == pytest.approx(expected, abs=1e-6)


# --- unit: user errors -------------------------------------------------------------------


def test_no_template_covering_the_opening_hours_is_a_clear_error():
    required = day_curve()
    late = shift_templates(starts=["10:00"], lengths_hours=[8])
    with pytest.raises(StaffingInputError, match=r"no shift template covers interval 28 \(day 0 07:00\) where .* agents are required"):
        schedule_shifts(required, late, interval_minutes=15)
    # Burst capacity may cover those intervals instead.
    result = schedule_shifts(required, late, interval_minutes=15, burst_cost_per_agent_minute=1.0)
    assert result.shortfall_agent_hours == 0.0


def test_seat_cap_below_a_template_minimum_is_a_clear_error():
    templates = day_templates(min_agents=5)
    with pytest.raises(StaffingInputError, match="seat_cap=4 is below min_agents=5 of shift template"):
        schedule_shifts(day_curve(), templates, interval_minutes=15, seat_cap=4)


def test_contradictory_minimums_are_reported_not_a_solver_traceback():
    required = np.full(8, 1.0)
    templates = [ShiftTemplate(name, start_minute=0, length_minutes=120, min_agents=6) for name in ("a", "b")]
    with pytest.raises(StaffingInputError, match="hard constraints contradict each other"):
        schedule_shifts(required, templates, interval_minutes=15, seat_cap=10)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda t: schedule_shifts([1.0, -2.0], t), "required_agents must be >= 0"),
        (lambda t: schedule_shifts([1.0, np.nan], t), "required_agents must not be NaN"),
        (lambda t: schedule_shifts(np.ones((2, 2, 2)), t), "must be 1-D"),
        (lambda t: schedule_shifts(np.ones(96), []), "templates is empty"),
        (lambda t: schedule_shifts(np.ones(96), t, interval_minutes=7), "not a multiple of interval_minutes"),
        (lambda t: schedule_shifts(np.ones(96), t, seat_cap=-1), "seat_cap must be >= 0"),
        (lambda t: schedule_shifts(np.ones(96), t, max_part_time_share=1.5), "max_part_time_share must be <= 1"),
        (lambda t: schedule_shifts(np.ones(96), t, burst_max_agents=3), "burst_max_agents needs burst_cost_per_agent_minute"),
        (lambda t: schedule_shifts(np.ones(96), t + t), "template names must be unique"),
        (lambda t: schedule_shifts(np.ones(96), [ShiftTemplate("odd", start_minute=10, length_minutes=60)]), "start (10 min) is not a multiple"),
    ],
)
def test_invalid_input_names_the_argument(call, fragment):
    templates = shift_templates(starts=["00:00"], lengths_hours=[24])
    with pytest.raises(StaffingInputError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        call(templates)


@pytest.mark.parametrize(
    ("keywords", "fragment"),
    [
        ({"length_minutes": 0}, "length_minutes must be > 0"),
        ({"break_minutes": 30}, "needs a break_window_minutes"),
        ({"break_minutes": 30, "break_window_minutes": (60, 470)}, "break_window_minutes must satisfy"),
        ({"min_agents": 3, "max_agents": 2}, "max_agents must be a whole number >= min_agents=3"),
        ({"cost_per_paid_hour": -1.0}, "cost_per_paid_hour must be a finite number >= 0"),
        ({"split_gap_minutes": (400, 100)}, "split_gap_minutes"),
    ],
)
def test_invalid_templates_are_refused(keywords, fragment):
    fields = {"name": "t", "start_minute": 480, "length_minutes": 480} | keywords
    with pytest.raises(StaffingInputError, match=fragment):
        ShiftTemplate(**fields)


def test_split_shift_paid_hours_and_gap():
    (split,) = shift_templates(starts=["07:00"], lengths_hours=[11], split_gap_hours=(4, 3), cost_per_paid_hour=10)
    assert split.paid_hours == 8.0 and split.shift_cost == 80.0
    required = np.zeros(96)
    required[28:44] = 1.0  # 07:00-11:00
    required[56:72] = 1.0  # 14:00-18:00
    result = schedule_shifts(required, [split], interval_minutes=15)
    assert result.shortfall_agent_hours == 0.0 and result.cost == 80.0
    assert result.intervals["staffed_agents"].iloc[44:56].eq(0).all()  # the gap is unpaid and unstaffed


# --- several groups: one joint seat cap, deferred work, breaks ---------------------------------


def test_joint_seat_cap_keeps_deferred_work_off_the_voice_peak():
    """Voice needs 10 seats 08:00-12:00 and 4 after; email brings 2 agents' work every interval,
    due within 4 hours. With 10 seats shared by both groups, an up-front split (email's share of
    the peak, e.g. 10 x 2/12 -> 1 seat) would leave voice short at the peak; the joint program
    covers voice fully and does the email work in the afternoon, on time."""
    minutes = 30
    intervals = 20  # 08:00-18:00
    voice = np.array([10.0] * 8 + [4.0] * 12)
    email = np.full(intervals, 2.0)
    templates = shift_templates(starts=start_times("08:00", "16:00", 30), lengths_hours=[2.0], cost_per_paid_hour=10.0)
    results = schedule_groups({"voice": voice, "email": email}, templates, interval_minutes=minutes,
                              horizon_start_minute="08:00", seat_cap=10, deferred_within_intervals={"email": 8})
    voice_staffed = results["voice"].intervals["staffed_agents"].to_numpy()
    email_staffed = results["email"].intervals["staffed_agents"].to_numpy()
    assert (voice_staffed + email_staffed <= 10 + 1e-9).all()
    assert (voice_staffed >= voice - 1e-9).all() and results["voice"].shortfall_agent_hours == 0
    assert (email_staffed[:8] == 0).all()  # no email agent holds a seat at the voice peak
    # The email work is done on time: processed work never falls behind what is due.
    arrived = np.cumsum(email)
    due = np.concatenate([np.zeros(8), arrived[:-8]])
    due[-1] = arrived[-1]
    capacity = np.cumsum(email_staffed)
    backlog = np.zeros(intervals)
    for t in range(intervals):  # first come, first served: work done <= work arrived
        done_before = arrived[t - 1] - backlog[t - 1] if t else 0.0
        done = min(email_staffed[t], arrived[t] - done_before)
        backlog[t] = arrived[t] - done_before - done
        assert arrived[t] - backlog[t] >= due[t] - 1e-6, t
    assert capacity[-1] >= arrived[-1] - 1e-9
    assert results["email"].shortfall_agent_hours == 0


def test_one_group_is_the_same_as_schedule_shifts():
    required = day_curve()
    alone = schedule_shifts(required, day_templates(), interval_minutes=15, seat_cap=15)
    joint = schedule_groups({"team": required}, day_templates(), interval_minutes=15, seat_cap=15)["team"]
    assert joint.cost == pytest.approx(alone.cost)
    np.testing.assert_array_equal(joint.intervals["staffed_agents"], alone.intervals["staffed_agents"])


def test_part_time_share_is_per_group():
    required = day_curve()
    templates = day_templates()
    results = schedule_groups({"a": required, "b": required / 2}, templates, interval_minutes=15, max_part_time_share=0.3)
    for result in results.values():
        schedule = result.schedule
        assert schedule.loc[schedule["part_time"], "headcount"].sum() <= 0.3 * schedule["headcount"].sum() + 1e-9


def test_two_breaks_are_both_placed_and_unpaid():
    template = ShiftTemplate("day", start_minute=8 * 60, length_minutes=8 * 60, break_minutes=30,
                             break_window_minutes=(120, 180), extra_breaks=((15, 240, 330),), cost_per_paid_hour=1.0)
    assert template.paid_hours == pytest.approx(8 - 0.75)
    required = np.zeros(96)
    required[32:64] = 3.0  # 08:00-16:00 in 15-minute intervals
    result = schedule_shifts(required, [template], interval_minutes=15, understaffing_cost_per_agent_hour=1000.0)
    schedule = result.schedule
    assert schedule["headcount"].sum() > 0
    assert (schedule["break_start"].astype(str).str.count(",") == 1).all()
    staffed = result.intervals["staffed_agents"].to_numpy()
    # Every agent is away for 30 + 15 minutes: 3 intervals of 15 minutes each.
    assert staffed[32:64].sum() == schedule["headcount"].sum() * (32 - 3)


@pytest.mark.parametrize("extra", [((15, 100, 200),), ((0, 240, 300),), ((15, 240, 470),)])
def test_extra_breaks_out_of_order_or_outside_the_shift_are_refused(extra):
    with pytest.raises(StaffingInputError, match="break 2"):
        ShiftTemplate("day", start_minute=480, length_minutes=480, break_minutes=30,
                      break_window_minutes=(120, 180), extra_breaks=extra)
