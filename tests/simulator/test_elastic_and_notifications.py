"""Elastic (cloud burst) agents and proactive-notification deflection in the engine.

Kinds: unit (validation, caps, lags, sessions, conservation) and metamorphic (bursting never
raises abandonment on the same customers; notifications leave the other customers unchanged).
"""

from __future__ import annotations

import numpy as np
import pytest

import simulator as sim
from simulator import kpis

INTERVAL = 1800.0


def peak_model(*, elastic: sim.ElasticPolicy | None, notification=None, agents=8, calls=(60, 160, 160, 60, 20, 10)):
    """Six half-hours with a peak in intervals 1-2: 8 agents cannot carry it (AHT 240 s)."""
    voice = sim.ChannelModel(
        "voice", "voice", list(calls), sim.Distribution.exponential(240.0),
        patience=sim.Distribution.exponential(120.0), notification_share_per_interval=notification,
    )
    groups = [sim.AgentGroupModel("team", ["voice"], [agents])]
    if elastic is not None:
        groups.append(sim.AgentGroupModel("burst", ["voice"], [0], elastic=elastic))
    return sim.SimulationModel(INTERVAL, len(calls), [voice], groups)


POLICY = sim.ElasticPolicy(trigger="expected_wait", threshold=30.0, startup_lag_seconds=300.0,
                           max_agents=6, min_session_seconds=900.0)


@pytest.fixture(scope="module")
def pair():
    without = sim.simulate(peak_model(elastic=None), replications=6, seed=11)
    with_burst = sim.simulate(peak_model(elastic=POLICY), replications=6, seed=11)
    return without, with_burst


def test_bursting_lowers_abandonment_on_the_same_customers(pair):
    without, with_burst = pair
    a = without.per_replication.set_index("replication")
    b = with_burst.per_replication.set_index("replication")
    assert (a[kpis.OFFERED] == b[kpis.OFFERED]).all(), "common random numbers: same arrivals"
    assert (b[kpis.ABANDON_RATE] < a[kpis.ABANDON_RATE]).all(), (a[kpis.ABANDON_RATE].tolist(), b[kpis.ABANDON_RATE].tolist())
    assert (b[kpis.SERVICE_LEVEL] > a[kpis.SERVICE_LEVEL]).all()


def test_burst_agents_respect_cap_lag_and_minimum_session(pair):
    _, with_burst = pair
    groups = with_burst.groups
    burst = groups[groups[kpis.GROUP] == "burst"]
    assert (burst[kpis.SCHEDULED_AGENTS] == 0).all()
    assert (burst[kpis.AVAILABLE_AGENTS] <= POLICY.max_agents + 1e-9).all()
    assert (burst[kpis.BUSY_AGENTS] <= burst[kpis.AVAILABLE_AGENTS] + 1e-9).all()
    starts = burst.groupby(kpis.REPLICATION)[kpis.ELASTIC_STARTS].sum()
    assert (starts > 0).all()
    # Every started agent stays logged in at least the minimum session (the horizon ends
    # long after the peak, so no session is cut short).
    logged_in = burst.groupby(kpis.REPLICATION)[kpis.AVAILABLE_AGENTS].sum() * INTERVAL
    assert (logged_in >= starts * POLICY.min_session_seconds - 1e-6).all(), (logged_in.tolist(), starts.tolist())
    # Nobody logs in before the lag: interval 0 holds at most (1800 - 300) s per agent.
    first = burst[burst[kpis.INTERVAL] == 0][kpis.AVAILABLE_AGENTS]
    assert (first <= POLICY.max_agents * (INTERVAL - POLICY.startup_lag_seconds) / INTERVAL + 1e-9).all()
    # After the peak the burst group empties: the last interval has no one logged in.
    last = burst[burst[kpis.INTERVAL] == 5][kpis.AVAILABLE_AGENTS]
    assert (last == 0).all(), last.tolist()


def test_no_burst_without_demand():
    quiet = sim.simulate(peak_model(elastic=POLICY, calls=(5, 5, 5, 5, 5, 5)), replications=2, seed=3)
    burst = quiet.groups[quiet.groups[kpis.GROUP] == "burst"]
    assert burst[kpis.ELASTIC_STARTS].sum() == 0
    assert burst[kpis.AVAILABLE_AGENTS].sum() == 0


@pytest.mark.slow
def test_queue_length_trigger_and_determinism():
    policy = sim.ElasticPolicy(trigger="queue_length", threshold=5, startup_lag_seconds=120.0, max_agents=3,
                               min_session_seconds=600.0)
    one = sim.simulate(peak_model(elastic=policy), replications=2, seed=5)
    two = sim.simulate(peak_model(elastic=policy), replications=2, seed=5, workers=2)
    assert one.groups.equals(two.groups)
    burst = one.groups[one.groups[kpis.GROUP] == "burst"]
    assert burst[kpis.ELASTIC_STARTS].sum() > 0
    assert (burst[kpis.AVAILABLE_AGENTS] <= 3 + 1e-9).all()


def test_notifications_deflect_their_share_only_where_declared():
    share = [0.0, 0.5, 0.5, 0.0, 0.0, 0.0]
    base = sim.simulate(peak_model(elastic=None), replications=8, seed=21)
    notified = sim.simulate(peak_model(elastic=None, notification=share), replications=8, seed=21)
    t = notified.intervals
    assert (t[kpis.OFFERED].to_numpy() == base.intervals[kpis.OFFERED].to_numpy()).all()
    quiet = t[t[kpis.INTERVAL].isin([0, 3, 4, 5])]
    assert quiet[kpis.DEFLECTED_NOTIFICATION].sum() == 0
    incident = t[t[kpis.INTERVAL].isin([1, 2])]
    deflected, offered = incident[kpis.DEFLECTED_NOTIFICATION].sum(), incident[kpis.OFFERED].sum()
    # Binomial(offered, 0.5): 4 standard deviations either side.
    assert abs(deflected - 0.5 * offered) <= 4 * np.sqrt(offered * 0.25), (deflected, offered)
    total = (t[kpis.DEFLECTED_SELF_SERVICE] + t[kpis.DEFLECTED_NOTIFICATION] + t[kpis.DEFLECTED_BOT]
             + t[kpis.ANSWERED] + t[kpis.ABANDONED] + t[kpis.IN_SYSTEM_END])
    assert (t[kpis.OFFERED] == total).all()
    assert notified.kpi("voice", kpis.ABANDON_RATE)[0] < base.kpi("voice", kpis.ABANDON_RATE)[0]


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: sim.AgentGroupModel("burst", ["voice"], [2], elastic=POLICY), "groups.burst.agents_per_interval"),
        (lambda: sim.AgentGroupModel("burst", ["voice"], [0], shrinkage=0.1, elastic=POLICY), "groups.burst.shrinkage"),
        (lambda: sim.AgentGroupModel("burst", ["voice"], [0], elastic=sim.ElasticPolicy(max_agents=0)),
         "groups.burst.elastic.max_agents"),
        (lambda: sim.AgentGroupModel("burst", ["voice"], [0], elastic=sim.ElasticPolicy(trigger="mood")),
         "groups.burst.elastic.trigger"),
        (lambda: sim.AgentGroupModel("burst", ["voice"], [0], elastic=sim.ElasticPolicy(threshold=0)),
         "groups.burst.elastic.threshold"),
        (lambda: peak_model(elastic=None, notification=[0, 1.5, 0, 0, 0, 0]), "channels.voice.notification_share_per_interval"),
        (lambda: peak_model(elastic=None, notification=[0, 0.5]), "channels.voice.notification_share_per_interval"),
    ],
)
def test_bad_elastic_and_notification_fields_are_named(build, field):
    with pytest.raises(sim.ModelError) as info:
        build()
    assert field in str(info.value)


def test_elastic_group_alone_counts_as_serving_a_channel():
    voice = sim.ChannelModel("voice", "voice", [30], sim.Distribution.exponential(200.0))
    model = sim.SimulationModel(INTERVAL, 1, [voice], [sim.AgentGroupModel("burst", ["voice"], [0], elastic=POLICY)])
    result = sim.simulate(model, replications=1, seed=1)
    assert result.kpi("voice", kpis.ANSWERED)[0] > 0
