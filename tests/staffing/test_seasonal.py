"""Seasonal capacity plans and forecasts: hand-computed arithmetic, brute-force optimality, sanity."""

import itertools

import numpy as np
import pytest

from staffing import StaffingInputError
from staffing import forecast as fc
from staffing.seasonal import (
    CAPACITY_COLUMNS,
    CapacityOptions,
    Workforce,
    compare_capacity_options,
    evaluate_capacity_plan,
    new_hire_productivity,
    plan_capacity,
    required_fte,
)

# --- unit: hand-computable arithmetic ----------------------------------------------------


def test_required_fte_is_workload_over_occupancy_and_productive_hours():
    # 10 000 contacts x 6 min = 1000 h of work; / 0.8 occupancy = 1250 h; / (160 h x 0.8) = 9.765625
    assert float(required_fte(10_000, 360, paid_hours_per_fte=160, occupancy=0.8, shrinkage=0.2)) == pytest.approx(9.765625)
    np.testing.assert_allclose(required_fte([0, 3600], 3600, paid_hours_per_fte=100, occupancy=1.0), [0.0, 36.0])


def test_new_hire_productivity_training_then_ramp():
    # 6 weeks of training in 4-week periods: 1.5 periods. Period 1 is half training, half at ramp[0].
    productive, training = new_hire_productivity(5, training_weeks=6, weeks_per_period=4, ramp=[0.5, 0.8])
    np.testing.assert_allclose(training, [1.0, 0.5, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(productive, [0.0, 0.25, 0.8, 1.0, 1.0])
    productive, training = new_hire_productivity(3, training_weeks=0, weeks_per_period=1, ramp=[])
    np.testing.assert_allclose(productive, [1.0, 1.0, 1.0])


def test_attrition_lead_time_training_and_ramp_by_hand():
    workforce = Workforce(headcount=100, attrition_rate=0.10, cost_per_fte_period=1000)
    options = CapacityOptions(name="hand", lead_time_periods=2, training_weeks=4, ramp=(0.5, 0.8), cost_per_hire=300)
    hires = [0, 0, 10, 0, 0, 0]
    plan = evaluate_capacity_plan(np.zeros(6), workforce, options, hires, weeks_per_period=4)
    table = plan.to_frame()
    assert tuple(table.columns) == CAPACITY_COLUMNS
    # Existing staff: 100, 90, 81, 72.9, 65.61, 59.049. Ten hires start in period 2 (decided in 0),
    # train through period 2 (4 weeks = 1 period), then 0.5, 0.8, 1.0; they leave at 10 % too.
    np.testing.assert_allclose(table["headcount"], [100, 90, 91, 81.9, 73.71, 66.339])
    np.testing.assert_allclose(table["productive_fte"], [100, 90, 81, 72.9 + 4.5, 65.61 + 8.1 * 0.8, 59.049 + 7.29])
    np.testing.assert_allclose(table["in_training"], [0, 0, 10, 0, 0, 0])
    np.testing.assert_allclose(table["leavers"], [10, 9, 9.1, 8.19, 7.371, 6.6339])
    np.testing.assert_allclose(table["hires_decided"], [10, 0, 0, 0, 0, 0])
    np.testing.assert_allclose(table["hires_started"], hires)
    # Next period's headcount = headcount - leavers + hires starting.
    np.testing.assert_allclose(table["headcount"].to_numpy()[1:], (table["headcount"] - table["leavers"]).to_numpy()[:-1] + hires[1:])
    np.testing.assert_allclose(table["cost"], 1000 * table["headcount"] + 300 * np.array(hires))
    assert plan.total_hires == 10 and plan.status == "given"


def test_levers_fill_the_gap_cheapest_first_within_limits():
    workforce = Workforce(headcount=100, attrition_rate=0.0, cost_per_fte_period=1000)
    options = CapacityOptions(
        name="levers", lead_time_periods=0, overtime_limit=0.1, overtime_cost_per_fte_period=1500,
        temp_limit_fte=5, temp_cost_per_fte_period=1400, burst_price_per_hour=20, burst_limit_fte=8,
    )
    # Burst costs 20 x 100 h = 2000 per FTE-period: temps (1400), then overtime (1500), then burst.
    plan = evaluate_capacity_plan([125.0], workforce, options, [0], productive_hours_per_fte_period=100)
    row = plan.table.iloc[0]
    assert (row["temp_fte"], row["overtime_fte"], row["burst_fte"]) == pytest.approx((5.0, 10.0, 8.0))
    assert row["shortfall_fte"] == pytest.approx(2.0)
    assert row["available_fte"] == pytest.approx(123.0)
    assert row["cost"] == pytest.approx(100_000 + 5 * 1400 + 10 * 1500 + 8 * 2000)
    assert plan.service == pytest.approx(1 - 2 / 125)


# --- reference: the optimiser against brute force ----------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_plan_capacity_is_optimal_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    required = 20 + rng.integers(0, 8, size=5).astype(float)
    workforce = Workforce(headcount=20, attrition_rate=0.05, cost_per_fte_period=100)
    options = CapacityOptions(
        name="small", lead_time_periods=1, training_weeks=2, ramp=(0.5,), cost_per_hire=30,
        max_hires_per_period=4, overtime_limit=0.1, overtime_cost_per_fte_period=160,
        temp_limit_fte=1, temp_cost_per_fte_period=140,
    )
    keywords = {"weeks_per_period": 4.0, "productive_hours_per_fte_period": 100.0}
    penalty = 1000.0
    plan = plan_capacity(required, workforce, options, shortfall_cost_per_fte_period=penalty, **keywords)
    best = np.inf
    for hires in itertools.product(range(5), repeat=4):
        candidate = evaluate_capacity_plan(required, workforce, options, [0, *hires], **keywords)
        best = min(best, candidate.total_cost + penalty * candidate.shortfall_fte_periods)
    assert plan.total_cost + penalty * plan.shortfall_fte_periods == pytest.approx(best, rel=1e-9, abs=1e-6)


def test_lead_time_leaves_an_early_jump_short_and_later_periods_covered():
    workforce = Workforce(headcount=50, attrition_rate=0.0, cost_per_fte_period=100)
    required = [50, 60, 60, 60, 60]
    slow = CapacityOptions(name="slow", lead_time_periods=2, training_weeks=0, ramp=())
    plan = plan_capacity(required, workforce, slow, weeks_per_period=1)
    np.testing.assert_allclose(plan.table["shortfall_fte"], [0, 10, 0, 0, 0])  # hires start in period 2 at the earliest
    assert plan.table["hires_started"].tolist() == [0, 0, 10, 0, 0]
    assert plan.table["hires_decided"].tolist() == [10, 0, 0, 0, 0]
    fast = CapacityOptions(name="fast", lead_time_periods=1, training_weeks=0, ramp=())
    burst = CapacityOptions(name="burst", lead_time_periods=2, training_weeks=0, ramp=(), burst_price_per_hour=1.0)
    comparison = compare_capacity_options(required, workforce, [slow, fast, burst], weeks_per_period=1)
    summary = comparison.to_frame().set_index("setup")
    assert summary.loc["slow", "shortfall_fte_periods"] == pytest.approx(10)
    assert summary.loc["fast", "shortfall_fte_periods"] == pytest.approx(0)
    assert summary.loc["burst", "shortfall_fte_periods"] == pytest.approx(0)
    assert summary.loc["burst", "burst_fte_periods"] >= 10 - 1e-9


def test_ramp_up_makes_early_hiring_necessary():
    # Hires are only half productive in their first period: covering +10 in period 3 needs hires by period 2.
    workforce = Workforce(headcount=40, attrition_rate=0.0, cost_per_fte_period=100)
    options = CapacityOptions(name="ramp", lead_time_periods=0, training_weeks=0, ramp=(0.5,))
    plan = plan_capacity([40, 40, 40, 50], workforce, options, weeks_per_period=1)
    assert plan.shortfall_fte_periods == pytest.approx(0)
    table = plan.table
    assert table["hires_started"].iloc[3] * 0.5 + table["hires_started"].iloc[:3].sum() >= 10


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: Workforce(headcount=10, attrition_rate=-0.1, cost_per_fte_period=1), "attrition_rate must be >= 0"),
        (lambda: Workforce(headcount=-1, attrition_rate=0.1, cost_per_fte_period=1), "headcount must be >= 0"),
        (lambda: CapacityOptions(attrition_rate=1.5), "attrition_rate must be <="),
        (lambda: CapacityOptions(lead_time_periods=-1), "lead_time_periods must be a whole number >= 0"),
        (lambda: CapacityOptions(ramp=(0.5, 1.2)), "ramp must be <= 1"),
        (lambda: CapacityOptions(overtime_limit=2), "overtime_limit must be <= 1"),
        (lambda: CapacityOptions(burst_limit_fte=3), "burst_limit_fte needs burst_price_per_hour"),
        (lambda: required_fte(10, 300, paid_hours_per_fte=0), "paid_hours_per_fte must be > 0"),
        (lambda: required_fte(10, 300, paid_hours_per_fte=160, shrinkage=1.0), "shrinkage must be in"),
        (lambda: evaluate_capacity_plan([1, 1, 1], Workforce(1, 0, 1), CapacityOptions(lead_time_periods=2), [1, 0, 0]),
         "hires_started must be 0 in the first lead_time_periods=2"),
        (lambda: plan_capacity([1, -1], Workforce(1, 0, 1), CapacityOptions()), "required_fte must be >= 0"),
        (lambda: plan_capacity([1, 1], Workforce(1, 0, 1), CapacityOptions(), periods=["a"]), "periods has 1 labels"),
    ],
)
def test_invalid_plan_input_names_the_argument(build, fragment):
    with pytest.raises(StaffingInputError, match=fragment):
        build()


# --- sanity: forecasts recover a synthetic seasonal series -------------------------------


def synthetic(months, growth_per_month=0.01, noise=0.0, seed=0):
    steps = np.arange(months)
    season = 1 + 0.25 * np.sin(2 * np.pi * steps / 12) + 0.6 * (steps % 12 == 11)  # a December peak
    values = 1000 * (1 + growth_per_month) ** steps * season
    return values * (1 + noise * np.random.default_rng(seed).standard_normal(months))


def test_seasonal_naive_is_exact_for_a_constant_growth_seasonal_series():
    history, future = synthetic(36), synthetic(60)[36:]
    forecast = fc.seasonal_forecast(history, 24, method="seasonal-naive")
    assert forecast.method == "seasonal-naive"
    assert forecast.growth_per_season == pytest.approx(1.01 ** 12)
    np.testing.assert_allclose(forecast.values, future, rtol=1e-12)


def test_holt_winters_recovers_a_noisy_seasonal_series():
    history, future = synthetic(48, noise=0.02), synthetic(60)[48:]
    forecast = fc.seasonal_forecast(history, 12, method="holt-winters")
    assert forecast.method == "holt-winters"
    assert np.max(np.abs(forecast.values / future - 1)) < 0.08
    assert int(np.argmax(forecast.values)) == 11  # the December peak is where it belongs


def test_auto_never_changes_method_with_what_is_installed(monkeypatch):
    """The same history gives the same method on every machine: without statsmodels, 'auto' with two
    seasons refuses (naming the extra to install) instead of silently falling back."""
    assert fc.seasonal_forecast(synthetic(36), 12).method == "holt-winters"
    monkeypatch.setattr(fc, "holt_winters_available", lambda: False)
    for method in ("auto", "holt-winters"):
        with pytest.raises(StaffingInputError, match=r"ccplan\[forecast\]"):
            fc.seasonal_forecast(synthetic(36), 12, method=method)
    assert fc.seasonal_forecast(synthetic(36), 12, method="seasonal-naive").method == "seasonal-naive"


def test_auto_uses_seasonal_naive_with_a_single_season():
    forecast = fc.seasonal_forecast(synthetic(12), 12)
    assert forecast.method == "seasonal-naive" and forecast.growth_per_season == 1.0
    np.testing.assert_allclose(forecast.values, synthetic(12))


@pytest.mark.parametrize(
    ("keywords", "fragment"),
    [
        ({"history": np.ones(6), "horizon": 3}, "at least one season"),
        ({"history": np.ones(12), "horizon": 0}, "horizon must be a whole number >= 1"),
        ({"history": -np.ones(12), "horizon": 3}, "history must be >= 0"),
        ({"history": np.ones(12), "horizon": 3, "method": "arima"}, "method must be one of"),
        ({"history": np.ones(12), "horizon": 3, "method": "holt-winters"}, "two full seasons"),
    ],
)
def test_invalid_forecast_input(keywords, fragment):
    with pytest.raises(StaffingInputError, match=fragment):
        fc.seasonal_forecast(**keywords)
