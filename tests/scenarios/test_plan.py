"""Tests of the simulation-checked staffing loop (:mod:`scenarios.studies.plan`).

Kinds: **statistical / end to end** (the loop meets the simulated goal on the bundled examples,
with a stated criterion and fixed seeds), **unit** (report columns, iteration limit, templates,
validation messages), **metamorphic** (a harder queue than the analytic model assumes gets more
agents, never fewer).

The goal criterion checked is the plan's own (``criterion="ci"``, see
:data:`scenarios.studies.plan.CRITERIA`): every interval's simulated service level is not significantly
below the goal (mean + 95 % CI half-width >= goal) *and* each channel's horizon service level
(mean over replications) is >= the goal. With ``criterion="mean"`` every interval's mean must
reach the goal. Replications are few (3-5) to keep the suite fast; the seeds are fixed, so
each assertion is about one reproducible sample.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import scenarios
from scenarios.document.loader import load_scenario, parse_scenario
from scenarios.errors import ScenarioError
from scenarios.studies.plan import (
    CRITERIA,
    GROUP_COLUMNS,
    ITERATION_COLUMNS,
    PLAN_COLUMNS,
    WHY_LABELS,
    default_plan_templates,
    plan_staffing,
)

EXAMPLES = Path(scenarios.__file__).parent / "examples"


def _assert_goal_met(plan, criterion: str = "ci") -> None:
    """The stated criterion, checked from the report (not from the plan's own flag)."""
    rows = plan.intervals[plan.intervals["goal"].notna() & plan.intervals["service_level"].notna()]
    assert len(rows) > 0
    ci = rows["service_level_ci95"].fillna(0.0)
    if criterion == "ci":
        assert (rows["service_level"] + ci >= rows["goal"] - 1e-9).all(), rows[["start", "channel", "service_level"]]
    else:
        assert (rows["service_level"] >= rows["goal"] - 1e-9).all()
    horizon = plan.horizon[plan.horizon["goal"].notna()]
    assert (horizon["service_level"] >= horizon["goal"]).all()
    assert plan.goal_met
    assert rows["met"].all()


def _retrial_heavy() -> scenarios.Scenario:
    """A queue the analytic core under-staffs: every abandoning caller calls back within a minute."""
    return parse_scenario({
        "name": "impatient callers who retry",
        "interval_minutes": 30,
        "intervals": 16,
        "channels": {"voice": {"arrivals_per_interval": 240, "aht_seconds": 180, "patience_seconds": 120,
                               "retrial": {"probability": 1.0, "mean_delay_seconds": 60},
                               "service_level": {"target_seconds": 20, "goal": 0.8}}},
        "staff": [{"name": "team", "channels": ["voice"], "agents": 26}],
    })


# --------------------------------------------------------------------------- the bundled examples
def test_single_queue_meets_the_simulated_goal():
    plan = plan_staffing(load_scenario(EXAMPLES / "single_queue.yaml"), replications=5, seed=1)
    _assert_goal_met(plan)
    assert plan.converged
    assert len(plan.iterations) <= 6
    # Erlang A (26) below Erlang C (29): abandonment explains the difference in every interval.
    assert (plan.intervals["erlang_c"] == 29).all() and (plan.intervals["erlang_a"] == 26).all()
    assert plan.intervals["why"].str.contains("abandonment").all()
    # The chosen plan is the cheapest iteration that met the goal.
    met = plan.iterations[plan.iterations["goal_met"]]
    assert plan.cost == pytest.approx(met["cost"].min())


def test_single_queue_meets_the_strict_mean_criterion():
    plan = plan_staffing(load_scenario(EXAMPLES / "single_queue.yaml"), replications=5, seed=1, criterion="mean")
    _assert_goal_met(plan, "mean")


def test_multichannel_cloud_example_meets_the_simulated_goal():
    """Voice, chat (concurrency 3), SMS and email; messaging serves chat and SMS together."""
    scenario = load_scenario(EXAMPLES / "ecommerce_cloud_peak.yaml")
    plan = plan_staffing(scenario, replications=3, seed=3)
    _assert_goal_met(plan)
    assert set(plan.intervals["channel"]) == set(scenario.channels)
    chat = plan.intervals[plan.intervals["channel"] == "chat"]
    assert chat["why"].str.contains("concurrency").all()
    email = plan.intervals[plan.intervals["channel"] == "email"]
    assert email["why"].str.contains("email backlog").all()
    assert email["met"].isna().all()  # email has no service-level goal to check
    # Every group is staffed, the email back office included.
    assert (plan.groups.groupby("group")["final_staffed"].sum() > 0).all()
    # The cloud setup's burst minutes are priced into each iteration's cost, beside the shifts.
    chosen = plan.iterations[plan.iterations["iteration"] == plan.chosen_iteration].iloc[0]
    shifts = sum(schedule.cost for schedule in plan.schedules.values() if schedule is not None)
    assert chosen["burst_cost"] >= 0
    assert plan.cost == pytest.approx(shifts + chosen["burst_cost"])


def test_pooled_groups_need_fewer_agents_than_the_analytic_sum():
    """Insurer: two teams each serve both voice lines, so the simulation lets the plan remove agents."""
    plan = plan_staffing(load_scenario(EXAMPLES / "insurer_virtual.yaml"), replications=3, seed=11)
    _assert_goal_met(plan)
    first, chosen = plan.iterations["cost"].iloc[0], plan.cost
    assert chosen < first
    assert plan.intervals["why"].str.contains("multiskill pooling").any()
    voice = plan.intervals[plan.intervals["kind"] == "voice"]
    assert (voice["simulated_requirement_agents"] < voice["analytic_agents"]).any()


def test_seat_cap_blocks_extra_agents_and_says_so():
    """Retail in-house: 110 seats cannot hold the peak, so the plan reports the miss, not a fix."""
    plan = plan_staffing(load_scenario(EXAMPLES / "retail_inhouse_monday.yaml"), replications=3, seed=7)
    assert not plan.goal_met
    assert plan.iterations["blocked_intervals"].iloc[-1] > 0
    assert any("seat cap" in note for note in plan.notes)
    assert plan.intervals["why"].str.contains("seat cap").any()
    # The schedule hires nobody without a seat: the shortfall is the scheduler's, against the target.
    assert (plan.groups["seat_shortfall"] == 0).all()
    assert (plan.groups["schedule_shortfall"] > 0).any()
    peak = plan.groups.groupby("interval")["final_staffed"].sum().max()
    assert peak <= 110


def test_the_same_centre_without_a_seat_cap_meets_the_goal():
    """Retail under the virtual setup (no seats): voice, chat and email, three groups."""
    plan = plan_staffing(load_scenario(EXAMPLES / "retail_inhouse_monday.yaml"), "virtual", replications=3, seed=7)
    _assert_goal_met(plan)
    assert plan.setup_kind == "virtual"
    assert (plan.groups["seat_shortfall"] == 0).all()


def test_a_channel_shared_by_primary_groups_is_split_by_headcount(minimal_data):
    """Two groups list voice first, with 30 and 10 agents in the file: they take 3/4 and 1/4."""
    minimal_data["staff"] = [{"name": "big", "channels": ["voice"], "agents": 30},
                             {"name": "small", "channels": ["voice"], "agents": 10, "shrinkage": 0.2}]
    plan = plan_staffing(parse_scenario(minimal_data), replications=2, seed=1, max_iterations=1)
    required = 26  # Erlang A for 240 calls / 30 min, AHT 180 s, patience 120 s, 80/20
    by_group = plan.groups.groupby("group")["analytic_headcount"].first()
    assert by_group["big"] == math.ceil(0.75 * required)
    assert by_group["small"] == math.ceil(0.25 * required / (1 - 0.2))


# --------------------------------------------------------------------------- the loop itself
def test_loop_adds_agents_where_the_analytic_model_understaffs():
    plan = plan_staffing(_retrial_heavy(), replications=5, seed=1)
    first = plan.iterations.iloc[0]
    assert not first["goal_met"] and first["missed_intervals"] > 0 and first["agents_added"] > 0
    _assert_goal_met(plan)
    assert plan.cost > first["cost"]
    assert (plan.groups["final_target"] >= plan.groups["analytic_headcount"]).all()  # metamorphic: never fewer
    assert plan.intervals["why"].str.contains("simulation above analytic").any()


def test_iteration_limit_stops_the_loop_and_reports_the_miss():
    plan = plan_staffing(_retrial_heavy(), replications=5, seed=1, max_iterations=1)
    assert len(plan.iterations) == 1
    assert not plan.goal_met and not plan.converged
    assert plan.chosen_iteration == 1
    assert any("no iteration met every goal" in note for note in plan.notes)
    assert (plan.intervals["met"] == False).any()  # noqa: E712 - pandas element-wise comparison


def test_common_random_numbers_make_the_plan_reproducible():
    scenario = load_scenario(EXAMPLES / "single_queue.yaml")
    one = plan_staffing(scenario, replications=3, seed=5)
    two = plan_staffing(scenario, replications=3, seed=5)
    assert one.iterations.equals(two.iterations)
    assert one.intervals.equals(two.intervals)


# --------------------------------------------------------------------------- report shape
def test_report_columns_and_json():
    plan = plan_staffing(load_scenario(EXAMPLES / "sweep_base.yaml"), replications=3, seed=2024)
    assert tuple(plan.intervals.columns) == PLAN_COLUMNS
    assert tuple(plan.groups.columns) == GROUP_COLUMNS
    assert tuple(plan.iterations.columns) == ITERATION_COLUMNS
    assert len(plan.intervals) == 8 * 2 and len(plan.groups) == 8 * 2
    labels = {label for why in plan.intervals["why"] for label in why.split(", ") if label}
    assert labels <= set(WHY_LABELS)
    # A flat 4-hour shift cannot follow the curve: staffed above the requirement off-peak.
    assert plan.intervals["why"].str.contains("shift granularity").any()
    payload = plan.to_json_dict()
    assert payload["criterion"] == "ci" and payload["criterion_text"] == CRITERIA["ci"]
    assert payload["goal_met"] is True and len(payload["intervals"]) == 16
    assert set(payload["schedules"]) == {"voice team", "chat team"}
    assert all(v is None or not (isinstance(v, float) and math.isnan(v)) for row in payload["intervals"] for v in row.values())
    # The planned scenario carries the chosen schedule's staffed headcount.
    staffed = plan.groups[plan.groups["group"] == "voice team"]["final_staffed"].to_numpy()
    assert np.array_equal(np.asarray(plan.planned.staff[0].agents), staffed)


# --------------------------------------------------------------------------- templates and validation
def test_default_templates_cover_the_horizon():
    scenario = load_scenario(EXAMPLES / "ecommerce_cloud_peak.yaml")  # 07:00-23:00, 30-minute intervals
    templates = default_plan_templates(scenario)
    full = [t for t in templates if t.length_minutes == 480]
    part = [t for t in templates if t.length_minutes == 240]
    assert full and part and len(full) + len(part) == len(templates)
    assert all(t.break_minutes == 30 and not t.part_time for t in full)
    assert all(t.break_minutes == 0 and t.part_time for t in part)
    assert min(t.start_minute for t in templates) == 7 * 60
    assert max(t.start_minute for t in part) == 19 * 60  # the last 4-hour shift ends at 23:00
    assert all(t.cost_per_paid_hour == scenario.costs.agent_hourly_cost for t in templates)


def test_templates_that_do_not_fit_the_horizon_are_a_user_error():
    scenario = load_scenario(EXAMPLES / "sweep_base.yaml")  # a 4-hour horizon
    with pytest.raises(ScenarioError, match="no shift fits"):
        default_plan_templates(scenario, shift_hours=8, part_time_hours=None)


@pytest.mark.parametrize(("options", "message"), [
    ({"replications": 0}, "replications must be a whole number >= 1"),
    ({"max_iterations": 0}, "max_iterations must be a whole number >= 1"),
    ({"criterion": "median"}, "criterion must be one of ci, mean"),
    ({"seed": -1}, "seed must be a whole number >= 0"),
])
def test_bad_options_are_named(options, message):
    with pytest.raises(ScenarioError, match=message):
        plan_staffing(load_scenario(EXAMPLES / "single_queue.yaml"), **options)
