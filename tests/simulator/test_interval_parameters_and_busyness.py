"""Issue 12: per-interval handle-time and patience means, the busyness factor, calendar-day
boundaries of day-level factors, first attempts and the total wait per customer.

Statistical checks use fixed seeds and a tolerance of 4 standard errors of the sample mean (the
sample standard deviation over sqrt(n)); day-boundary checks are deterministic (exact arrival
counts reproduce the drawn factors); the per-customer wait is recomputed from the contact records.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import simulator as sim
from simulator import Distribution, ModelError
from simulator.precision import control_means
from simulator.streams import Streams, replication_seeds


def test_handle_time_follows_the_arrival_interval_mean():
    """Lognormal handle times (cv 0.5) with means 100, 300, 200 s by interval: the answered
    contacts' handle times, grouped by arrival interval, have those means within 4 standard
    errors; the control variate's known mean uses the per-interval means."""
    means = [100.0, 300.0, 200.0]
    channel = sim.ChannelModel("voice", "voice", [400], Distribution.lognormal(150, 0.5), handle_mean_per_interval=means)
    model = sim.SimulationModel(1800, 3, [channel], [sim.AgentGroupModel("team", ["voice"], [80])])
    records = sim.simulate(model, replications=3, seed=4, keep_records=True).records
    answered = records[records["outcome"] == "answered"]
    by_interval = answered.groupby((answered["arrival_seconds"] // 1800).astype(int))["handle_seconds"]
    for interval, values in by_interval:
        error = values.std(ddof=1) / math.sqrt(len(values))
        assert abs(values.mean() - means[interval]) <= 4.0 * error, (interval, values.mean())
        assert values.std(ddof=1) / values.mean() == pytest.approx(0.5, abs=0.06)  # shape unchanged
    assert control_means(model)["voice"]["offered_work_seconds"] == pytest.approx(400 * sum(means))


def test_patience_follows_the_arrival_interval_mean():
    """Deterministic: a constant patience of 30 s then 90 s and one slow agent: every abandoned
    contact waited exactly its interval's patience."""
    channel = sim.ChannelModel("voice", "voice", [60], Distribution.constant(3000), patience=Distribution.constant(50),
                               patience_mean_per_interval=[30, 90])
    model = sim.SimulationModel(1800, 2, [channel], [sim.AgentGroupModel("team", ["voice"], [1])])
    records = sim.simulate(model, replications=2, seed=1, keep_records=True).records
    abandoned = records[records["outcome"] == "abandoned"]
    interval = (abandoned["arrival_seconds"] // 1800).astype(int)
    assert len(abandoned) > 50
    assert np.allclose(abandoned["wait_seconds"], np.where(interval == 0, 30.0, 90.0))


@pytest.mark.parametrize(("build", "fragment"), [
    (lambda: sim.ChannelModel("voice", "voice", [1], Distribution.exponential(60), handle_mean_per_interval=[60, 0]),
     r"channels\.voice\.handle_mean_per_interval must be > 0 seconds in every interval"),
    (lambda: sim.ChannelModel("voice", "voice", [1], Distribution.exponential(60), patience_mean_per_interval=[60]),
     r"channels\.voice\.patience_mean_per_interval needs channels\.voice\.patience"),
    (lambda: sim.SimulationModel(1800, 3, [sim.ChannelModel("voice", "voice", [1], Distribution.exponential(60),
                                                             handle_mean_per_interval=[60, 70])],
                                 [sim.AgentGroupModel("team", ["voice"], [1])]),
     r"channels\.voice\.handle_mean_per_interval must have one value per interval \(3 values"),
    (lambda: sim.SimulationModel(1800, 1, [sim.ChannelModel("voice", "voice", [1], Distribution.exponential(60))],
                                 [sim.AgentGroupModel("team", ["voice"], [1])], busyness_cv=3),
     r"busyness_cv must be >= 0 and <= 2"),
    (lambda: sim.SimulationModel(1800, 1, [sim.ChannelModel("voice", "voice", [1], Distribution.exponential(60))],
                                 [sim.AgentGroupModel("team", ["voice"], [1])], start_seconds_of_day=86400),
     r"start_seconds_of_day must be >= 0 and < 86400"),
])
def test_bad_values_name_the_field(build, fragment):
    with pytest.raises(ModelError, match=fragment):
        build()


def hourly_model(**changes) -> sim.SimulationModel:
    """30 hours of 1-hour intervals from 22:00, exact arrival counts of 1000 per hour, two channels."""
    voice_changes = {key: changes.pop(key) for key in list(changes) if key == "forecast_error_cv"}
    channels = [sim.ChannelModel(name, name, [1000], Distribution.exponential(1), exact_arrivals=True,
                                 self_service_share=1.0, **voice_changes)
                for name in ("voice", "chat")]
    return sim.SimulationModel(3600, 30, channels, [sim.AgentGroupModel("team", ["voice", "chat"], [50])],
                               start_seconds_of_day=22 * 3600, **changes)


def test_calendar_day_index_starts_at_midnight():
    model = hourly_model()
    assert [model.day_index(h * 3600) for h in (0, 1, 2, 25, 26, 29)] == [0, 0, 1, 1, 2, 2]
    assert model.days == 3


@pytest.mark.parametrize("source", ["busyness", "forecast_error"])
def test_day_factor_switches_at_calendar_midnight(source):
    """Deterministic: with exact counts each interval gets round(1000 x factor of its calendar day);
    the factors are the stream's draws, the first switch comes 2 hours after a 22:00 start (not
    24 h), and busyness multiplies both channels by the same factor."""
    model = hourly_model(**({"busyness_cv": 0.3} if source == "busyness" else {"forecast_error_cv": 0.3}))
    result = sim.simulate(model, replications=2, seed=9)
    _, seeds = replication_seeds(9, 2)
    shape = 1.0 / 0.3**2
    for replication, seed in enumerate(seeds):
        table = result.intervals[result.intervals["replication"] == replication]
        for channel in ("voice", "chat"):
            owner = "centre" if source == "busyness" else channel
            factors = Streams(seed).get(source, owner).gamma(shape, 1.0 / shape, model.days)
            expected = [round(1000 * factors[model.day_index(h * 3600)]) for h in range(30)]
            assert table.loc[table["channel"] == channel, "offered"].tolist() == expected
        if source == "busyness":
            assert (table.loc[table["channel"] == "voice", "offered"].to_numpy()
                    == table.loc[table["channel"] == "chat", "offered"].to_numpy()).all()


def test_busyness_day_totals_have_the_given_cv():
    """400 one-day intervals with exact counts of 10 000: the day totals / 10 000 have mean 1 and
    coefficient of variation 0.2 within 4 standard errors (se of the mean 0.2 / sqrt(400) = 0.01;
    of the sample cv about 0.2 / sqrt(800) = 0.007)."""
    channel = sim.ChannelModel("voice", "voice", [10_000], Distribution.exponential(1), exact_arrivals=True,
                               self_service_share=1.0)  # all deflected: counted, never simulated
    model = sim.SimulationModel(86_400, 400, [channel], [sim.AgentGroupModel("team", ["voice"], [5])], busyness_cv=0.2)
    factors = sim.simulate(model, replications=1, seed=2).intervals["offered"].to_numpy() / 10_000
    assert abs(factors.mean() - 1.0) <= 4 * 0.01
    assert abs(factors.std(ddof=1) / factors.mean() - 0.2) <= 4 * 0.2 / math.sqrt(800)


def test_total_wait_per_customer_matches_the_records():
    """With retrials, blocking and drain: mean_total_wait_seconds equals, per replication, the
    waits of every customer's attempts added up (blocked: 0) and averaged over customers whose
    first attempt reached the queue or was blocked; first_attempts = offered - retrials."""
    channel = sim.ChannelModel("voice", "voice", [300, 320], Distribution.exponential(200),
                               patience=Distribution.exponential(60), queue_capacity=10,
                               retrial=sim.RetrialModel(0.6, 120))
    model = sim.SimulationModel(1800, 2, [channel], [sim.AgentGroupModel("team", ["voice"], [32, 30])], drain=True)
    result = sim.simulate(model, replications=3, seed=6, keep_records=True)
    records = result.records
    summary = result.per_replication.set_index("replication")
    for replication, frame in records.groupby("replication"):
        customers = frame.loc[~frame["retrial"], "customer"]
        totals = frame.assign(wait=frame["wait_seconds"].fillna(0.0)).groupby("customer")["wait"].sum()
        expected = totals.loc[customers].mean()
        assert summary.at[replication, "mean_total_wait_seconds"] == pytest.approx(expected, rel=1e-9)
        assert summary.at[replication, "first_attempts"] == len(customers)
        assert summary.at[replication, "retrials"] == int(frame["retrial"].sum()) > 0
    assert (summary["mean_total_wait_seconds"] > summary["mean_wait_seconds"]).all()
