"""Sequential replications to a precision target and control variates (issue 10, "Precision by design").

The statistical tests compare with exact Erlang A values (:func:`staffing.erlang_a`) on the
M/M/n+M queue of ``test_coverage.py`` (7 agents, 105 calls per hour, AHT 240 s, mean patience
180 s, target 20 s, 1 h warm-up then 4 h counted), with fixed seeds and tolerances derived from
confidence intervals, as each docstring states.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import simulator as sim
import staffing
from simulator import kpis
from simulator.precision import (
    CONTROLS,
    PrecisionTarget,
    control_means,
    control_variate_estimate,
    headline_precision,
)

RATE, AHT, PATIENCE, AGENTS, TARGET = 105.0, 240.0, 180.0, 7, 20.0


@pytest.fixture(scope="module")
def erlang_a_model(make_single_queue):
    return make_single_queue(rate_per_hour=RATE, aht_seconds=AHT, agents=AGENTS, hours=5.0,
                             patience_seconds=PATIENCE, warmup_seconds=3600.0, target_seconds=TARGET)


@pytest.fixture(scope="module")
def small_model(make_single_queue):
    return make_single_queue(rate_per_hour=60, aht_seconds=200, agents=4, hours=2, patience_seconds=120)


def test_sequential_run_equals_a_fixed_run_with_the_same_replications(small_model):
    """Batches 3 + 3 + 3 (an unreachable target, cap 9): replication r keeps its seed stream, so the
    per-replication KPIs equal those of ``simulate(model, 9, seed)``."""
    target = PrecisionTarget(share_half_width=1e-6, asa_half_width_seconds=1e-6, min_replications=3, max_replications=9)
    batches = []
    grown = sim.simulate(small_model, seed=11, precision=target, progress=lambda done, planned: batches.append(planned))
    fixed = sim.simulate(small_model, 9, seed=11)
    assert grown.replications == 9 and sorted(set(batches)) == [3, 6, 9]
    pd.testing.assert_frame_equal(grown.per_replication, fixed.per_replication)
    pd.testing.assert_frame_equal(grown.intervals, fixed.intervals)
    report = grown.precision
    assert report.replications == 9 and report.met is False
    assert set(report.table["kpi"]) == {kpis.SERVICE_LEVEL, kpis.ABANDON_RATE, kpis.ASA_SECONDS}
    assert (report.table["met"] == False).all()  # noqa: E712


@pytest.mark.slow
def test_sequential_run_with_workers_equals_the_fixed_run(small_model):
    """Same as above with 2 worker processes (batches of at least 2)."""
    target = PrecisionTarget(share_half_width=1e-6, asa_half_width_seconds=1e-6, min_replications=3, max_replications=8)
    grown = sim.simulate(small_model, seed=4, precision=target, workers=2)
    fixed = sim.simulate(small_model, grown.replications, seed=4)
    assert grown.replications == 8
    pd.testing.assert_frame_equal(grown.per_replication, fixed.per_replication)


def test_loose_target_stops_at_the_first_batch(small_model):
    target = PrecisionTarget(share_half_width=0.5, asa_half_width_seconds=1e6, min_replications=4, max_replications=50)
    result = sim.simulate(small_model, seed=2, precision=target)
    assert result.replications == 4 and result.precision.met is True
    document = result.to_json_dict()["precision"]
    assert document["replications"] == 4 and document["met"] is True
    assert document["target"]["max_replications"] == 50
    assert document["kpis"]["queue"]["service_level"]["half_width"] <= 0.5


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"share_half_width": 0.0}, "share_half_width"),
    ({"share_half_width": 0.6}, "share_half_width"),
    ({"asa_half_width_seconds": -1.0}, "asa_half_width_seconds"),
    ({"min_replications": 2}, "min_replications"),
    ({"min_replications": 10, "max_replications": 5}, "max_replications"),
])
def test_precision_target_refuses_bad_values(kwargs, fragment):
    with pytest.raises(sim.ModelError, match=fragment):
        PrecisionTarget(**({"share_half_width": 0.01, "asa_half_width_seconds": 2.0, "min_replications": 5,
                            "max_replications": 200} | kwargs))


def test_two_replications_give_no_interval_and_say_why(small_model):
    result = sim.simulate(small_model, 2, seed=1)
    entry = result.to_json_dict()["channels"]["queue"]["service_level"]
    assert entry["ci95"] is None and entry["mean"] is not None and "too few replications (2" in entry["reason"]
    assert result.precision.table.set_index("kpi").at["service_level", "reason"].startswith("too few replications")


@pytest.mark.slow
def test_control_means_are_exact_under_warmup_thinning_forecast_error_and_retrials():
    """The controls' known means (arrivals after a warm-up ending mid-interval, times the mean
    handle time) hold with forecast error (day factor, mean 1), self-service, notification and
    bot deflection and retrials: over 300 replications the sample means lie inside their 99.9 %
    Student-t intervals (a wrong expectation, e.g. thinned by self-service, 30 % off, would be
    tens of half-widths away)."""
    channel = sim.ChannelModel(
        "chat", "chat", arrivals_per_interval=[20, 40, 30], handle_time=sim.Distribution.lognormal(300, 0.8),
        patience=sim.Distribution.exponential(60), self_service_share=0.3, forecast_error_cv=0.2,
        notification_share_per_interval=[0.0, 0.5, 0.2],
        bot=sim.BotModel(resolved_share=0.4, bot_time=sim.Distribution.exponential(30), escalated_handle_time_factor=0.5),
        retrial=sim.RetrialModel(probability=0.5, mean_delay_seconds=60), concurrency=2)
    group = sim.AgentGroupModel("team", ["chat"], [3])
    model = sim.SimulationModel(1800, 3, [channel], [group], warmup_seconds=900)
    means = control_means(model)["chat"]
    assert means[kpis.FIRST_ATTEMPT_ARRIVALS] == pytest.approx(20 * 0.5 + 40 + 30)
    assert means[kpis.OFFERED_WORK_SECONDS] == pytest.approx(80 * 300)
    table = sim.simulate(model, 300, seed=3).per_replication
    assert table[kpis.RETRIALS].sum() > 0
    for name in CONTROLS:
        values = table[name].to_numpy(dtype=float)
        from scipy import stats

        half = stats.t.ppf(0.9995, values.size - 1) * values.std(ddof=1) / math.sqrt(values.size)
        assert abs(values.mean() - means[name]) <= half, name


def test_control_variate_estimator_is_ordinary_least_squares_intercept():
    """The estimator equals the OLS intercept at the known control mean, and its degrees of
    freedom are R - q - 1; with too few replications it declines."""
    rng = np.random.default_rng(0)
    controls = rng.normal(10.0, 2.0, size=(30, 2))
    values = 3.0 + controls @ np.array([0.5, -0.2]) + rng.normal(0, 0.1, 30)
    estimate, standard_error, dof = control_variate_estimate(values, controls, [10.0, 10.0])
    assert estimate == pytest.approx(3.0 + 5.0 - 2.0, abs=0.1)
    assert dof == 27 and 0 < standard_error < values.std(ddof=1) / math.sqrt(30)
    assert control_variate_estimate(values[:9], controls[:9], [10.0, 10.0]) is None


@pytest.mark.slow
def test_control_variates_stay_unbiased_and_reduce_variance_against_erlang_a(erlang_a_model):
    """M/M/n+M with exact Erlang A answers. 30 fixed seeds x 20 replications: for SL, abandon
    rate and ASA the mean of the 30 control-variate estimates lies within the 99 % Student-t
    interval of that mean around the exact value (plus the O(1/contacts) ratio bias, 0.1 % of the
    value), and the spread of the 30 estimates is below 0.6 x that of the plain means (measured
    ratio about 0.25; for a true ratio of 0.25 the 99 % quantile of the F(29, 29) ratio of sample
    variances gives 0.6)."""
    from scipy import stats

    exact = staffing.erlang_a(RATE, AHT, PATIENCE, AGENTS, TARGET)
    truth = {kpis.SERVICE_LEVEL: float(exact.service_level), kpis.ABANDON_RATE: float(exact.p_abandon),
             kpis.ASA_SECONDS: float(exact.asa_seconds)}
    adjusted = {name: [] for name in truth}
    plain = {name: [] for name in truth}
    for seed in range(30):
        result = sim.simulate(erlang_a_model, 20, seed=500 + seed, control_variates=True)
        table = result.precision.table.set_index("kpi")
        for name in truth:
            assert table.at[name, "estimator"] == "control_variates"
            adjusted[name].append(table.at[name, "estimate"])
            plain[name].append(result.per_replication[name].mean())
            summary = result.summary().set_index(kpis.KPI)
            assert summary.at[name, kpis.MEAN] == table.at[name, "estimate"]
    for name, value in truth.items():
        estimates = np.asarray(adjusted[name])
        half = stats.t.ppf(0.995, estimates.size - 1) * estimates.std(ddof=1) / math.sqrt(estimates.size)
        assert abs(estimates.mean() - value) <= half + 1e-3 * value, (name, estimates.mean(), value, half)
        assert estimates.var(ddof=1) < 0.6 * np.var(plain[name], ddof=1), name


@pytest.mark.slow
def test_precision_target_needs_fewer_replications_with_control_variates(erlang_a_model):
    """Target ±2 points on SL and abandon rate, ±3 s on ASA: with control variates the run
    stops with fewer replications than without (variance ratio about 0.25, so about a quarter),
    and both meet the target."""
    target = PrecisionTarget(share_half_width=0.02, asa_half_width_seconds=3.0, min_replications=5, max_replications=200)
    with_cv = sim.simulate(erlang_a_model, seed=9, precision=target, control_variates=True)
    without = sim.simulate(erlang_a_model, seed=9, precision=target)
    assert with_cv.precision.met and without.precision.met
    assert with_cv.replications < without.replications
    table = headline_precision(erlang_a_model, with_cv.per_replication, control_variates=True, target=target)
    assert (table["variance_ratio"] < 1).all()


def _shrinkage_queue() -> sim.SimulationModel:
    """Voice M/M/n+M over four half-hours, 8-10 agents scheduled, 20 % shrinkage drawn per interval."""
    channel = sim.ChannelModel("voice", "voice", arrivals_per_interval=[45, 55, 60, 50],
                               handle_time=sim.Distribution.exponential(240), patience=sim.Distribution.exponential(180),
                               service_level_target_seconds=20)
    group = sim.AgentGroupModel("team", ["voice"], [8, 9, 10, 9], shrinkage=0.2)
    return sim.SimulationModel(1800, 4, [channel], [group], warmup_seconds=900)


@pytest.mark.slow
def test_on_duty_control_mean_is_scheduled_times_one_minus_shrinkage():
    """The headcount control's known mean: scheduled x (1 - shrinkage) x counted seconds, over the
    channel's groups (a warm-up ending mid-interval counts half of it; an elastic group adds 0);
    a group without shrinkage gives a constant control, which is dropped (the others still work)."""
    model = _shrinkage_queue()
    expected = 0.8 * (8 * 900 + 9 * 1800 + 10 * 1800 + 9 * 1800)
    assert control_means(model)["voice"][kpis.ON_DUTY_AGENT_SECONDS] == pytest.approx(expected)
    table = sim.simulate(model, 200, seed=4).per_replication
    values = table[kpis.ON_DUTY_AGENT_SECONDS].to_numpy(dtype=float)
    from scipy import stats

    # binomial draws: the sample mean lies in its 99.9 % Student-t interval around the exact mean
    half = stats.t.ppf(0.9995, values.size - 1) * values.std(ddof=1) / math.sqrt(values.size)
    assert values.std() > 0 and abs(values.mean() - expected) <= half
    no_shrinkage = sim.SimulationModel(1800, 4, list(model.channels),
                                       [sim.AgentGroupModel("team", ["voice"], [8, 9, 10, 9])], warmup_seconds=900)
    result = sim.simulate(no_shrinkage, 12, seed=4, control_variates=True)
    assert result.per_replication[kpis.ON_DUTY_AGENT_SECONDS].nunique() == 1
    assert (result.precision.table["estimator"] == "control_variates").any()


def test_control_variates_accept_a_subset_and_refuse_unknown_names(small_model):
    """``control_variates`` takes True/False or names from CONTROLS; an unknown name is refused
    with the allowed names."""
    result = sim.simulate(small_model, 12, seed=2, control_variates=("first_attempt_arrivals",))
    assert result.precision.control_variates is True
    with pytest.raises(sim.ModelError, match="unknown control 'headcount'; allowed: first_attempt_arrivals"):
        sim.simulate(small_model, 3, seed=2, control_variates=("headcount",))


@pytest.mark.slow
def test_headcount_control_stays_unbiased_and_cuts_variance_under_shrinkage():
    """Shrinkage drawn per interval (20 %): 30 fixed seeds x 20 replications. The control-variate
    estimate with the headcount control minus the plain mean of the same replications (which is
    unbiased) averages to 0 within its 99 % Student-t interval (plus the O(1/R) regression bias,
    0.2 % of the value), for SL, abandon rate and ASA; and the spread of the 30 estimates is below
    0.6 x that of the plain means, and below that of the arrival/work controls alone (measured
    ratios about 0.25 and 0.7 on SL)."""
    from scipy import stats

    from simulator.precision import DEMAND_CONTROLS

    model = _shrinkage_queue()
    names = (kpis.SERVICE_LEVEL, kpis.ABANDON_RATE, kpis.ASA_SECONDS)
    adjusted = {name: [] for name in names}
    demand = {name: [] for name in names}
    plain = {name: [] for name in names}
    for seed in range(30):
        result = sim.simulate(model, 20, seed=900 + seed, control_variates=True)
        table = result.precision.table.set_index("kpi")
        other = headline_precision(model, result.per_replication, control_variates=DEMAND_CONTROLS).set_index("kpi")
        for name in names:
            adjusted[name].append(table.at[name, "estimate"])
            demand[name].append(other.at[name, "estimate"])
            plain[name].append(result.per_replication[name].mean())
    for name in names:
        estimates, means = np.asarray(adjusted[name]), np.asarray(plain[name])
        difference = estimates - means
        half = stats.t.ppf(0.995, difference.size - 1) * difference.std(ddof=1) / math.sqrt(difference.size)
        assert abs(difference.mean()) <= half + 2e-3 * abs(means.mean()), (name, difference.mean(), half)
        assert estimates.var(ddof=1) < 0.6 * means.var(ddof=1), name
        assert estimates.var(ddof=1) < np.var(demand[name], ddof=1), name
