"""Issue 12: a channel's maximum wait (message, callback, disconnect), closed queues and drain.

Kinds: validation (one-line ``ModelError`` naming the field and range), an exact coupling (a
disconnection at a fixed max wait is, customer for customer, the same event as abandonment with a
constant patience of that length under common random numbers), conservation of outcomes per
interval (with and without drain), deterministic closed-queue checks, and a metamorphic test
(under common random numbers a smaller max wait never gives fewer max-wait exits).
"""

from __future__ import annotations

import numpy as np
import pytest

import simulator as sim
from simulator import Distribution, ModelError

OUTCOMES = ["deflected_self_service", "deflected_notification", "deflected_bot", "answered", "abandoned", "blocked",
            "messages", "disconnected", "in_system_end"]


def voice(**changes) -> sim.ChannelModel:
    settings = {"name": "voice", "kind": "voice", "arrivals_per_interval": [220, 260, 200, 180],
                "handle_time": Distribution.exponential(240)}
    settings.update(changes)
    return sim.ChannelModel(**settings)


def model(channel: sim.ChannelModel, agents=(28, 30, 26, 24), **changes) -> sim.SimulationModel:
    return sim.SimulationModel(1800, len(agents), [channel], [sim.AgentGroupModel("team", ["voice"], list(agents))],
                               **changes)


@pytest.mark.parametrize(("build", "fragment"), [
    (lambda: voice(max_wait_seconds=0), r"channels\.voice\.max_wait_seconds must be > 0"),
    (lambda: voice(max_wait_seconds=float("nan")), r"channels\.voice\.max_wait_seconds must be a finite number"),
    (lambda: voice(max_wait_seconds=60, on_max_wait="voicemail"),
     r"channels\.voice\.on_max_wait must be one of message, callback, disconnect"),
    (lambda: voice(closed_queue="drop"), r"channels\.voice\.closed_queue must be one of keep, clear, message"),
    (lambda: sim.ChannelModel("email", "email", [5], Distribution.exponential(600), max_wait_seconds=3600),
     r"channels\.email\.max_wait_seconds must be None for an email channel"),
])
def test_bad_values_name_the_field_and_range(build, fragment):
    with pytest.raises(ModelError, match=fragment):
        build()


def test_disconnect_at_max_wait_is_abandonment_at_a_constant_patience():
    """Exact coupling: without patience, ``max_wait_seconds = 45`` with ``disconnect`` removes each
    waiting customer at join + 45 s, which is what a constant 45 s patience does. Same seed, same
    customers: disconnected == abandoned and every other count is equal, per interval; neither run
    counts the other's outcome."""
    limited = sim.simulate(model(voice(max_wait_seconds=45)), replications=3, seed=11).intervals
    patient = sim.simulate(model(voice(patience=Distribution.constant(45))), replications=3, seed=11).intervals
    assert limited["disconnected"].sum() > 50
    assert (limited["disconnected"] == patient["abandoned"]).all()
    assert (limited["max_wait_exits"] == limited["disconnected"]).all()
    assert limited["abandoned"].sum() == 0 and patient["disconnected"].sum() == 0
    for column in ("answered", "answered_within_target", "waited", "mean_wait_seconds"):
        assert np.allclose(limited[column], patient[column], equal_nan=True), column


@pytest.mark.parametrize("outcome", ["message", "callback", "disconnect"])
@pytest.mark.parametrize("drain", [False, True])
def test_conservation_of_outcomes_with_max_wait_closed_queue_and_drain(outcome, drain):
    """Every attempt has exactly one outcome, per interval: offered = deflected + answered +
    abandoned + blocked + messages + disconnected + still in system; with drain (agents in the
    last interval) nobody is still in the system. Records agree with the counts."""
    channel = voice(patience=Distribution.exponential(150), max_wait_seconds=60, on_max_wait=outcome,
                    queue_capacity=15, retrial=sim.RetrialModel(0.4, 90), self_service_share=0.05,
                    closed_queue="message", arrivals_per_interval=[260, 300, 40, 260])
    result = sim.simulate(model(channel, agents=(26, 28, 0, 25), drain=drain, warmup_seconds=300), replications=3,
                          seed=5, keep_records=True)
    table = result.intervals
    assert (table["offered"] == table[OUTCOMES].sum(axis=1)).all()
    assert table["max_wait_exits"].sum() > 0 and table["abandoned"].sum() > 0
    assert table["messages"].sum() > 0  # closed in interval 2: waiting and arriving contacts leave a message
    if outcome == "callback":
        assert (table["callbacks"] == table["max_wait_exits"]).all()
    if drain:
        assert table["in_system_end"].sum() == 0
    records = result.records
    counted = records.groupby(["replication", "outcome"]).size()
    totals = table.groupby("replication")[["answered", "abandoned", "messages", "disconnected"]].sum()
    names = {"answered": "answered", "abandoned": "abandoned", "messages": "message", "disconnected": "disconnected"}
    for replication, row in totals.iterrows():
        for column, outcome_name in names.items():
            assert counted.get((replication, outcome_name), 0) == row[column], (column, replication)


def test_drain_serves_everyone_and_keeps_time_averages_on_the_horizon():
    """A queue still long at the horizon: without drain contacts are left in the system; with
    drain they are all answered (no patience), the arrivals are the same customers (same offered
    counts) and the time-weighted KPIs cover the horizon only (agents present never exceed the
    schedule)."""
    channel = voice(arrivals_per_interval=[300, 300])
    plain = sim.simulate(model(channel, agents=(30, 30)), replications=2, seed=3)
    drained = sim.simulate(model(channel, agents=(30, 30), drain=True), replications=2, seed=3)
    assert plain.intervals["in_system_end"].sum() > 0
    assert drained.intervals["in_system_end"].sum() == 0
    assert (drained.intervals["offered"] == plain.intervals["offered"]).all()
    assert (drained.intervals["answered"] == drained.intervals["offered"]).all()
    assert (drained.groups["available_agents"] <= 30 + 1e-9).all()


@pytest.mark.parametrize(("rule", "column"), [("clear", "disconnected"), ("message", "messages")])
def test_closed_queue_empties_the_queue_at_closing(rule, column):
    """Deterministic: 3 agents, 200 contacts of 10 minutes in the first half hour, nobody after:
    at closing (interval 1 has no agent) every contact waiting at the end of interval 0 (the
    backlog snapshot) leaves with the rule's outcome; with ``keep`` they all stay in the system."""
    channel = voice(arrivals_per_interval=[200, 0], handle_time=Distribution.constant(600), closed_queue=rule)
    result = sim.simulate(model(channel, agents=(3, 0)), replications=2, seed=1)
    first = result.intervals[result.intervals["interval"] == 0]
    assert (first[column] == first["backlog_end"]).all() and first[column].min() > 150
    assert result.intervals["in_system_end"].sum() == 0
    kept = sim.simulate(model(voice(arrivals_per_interval=[200, 0], handle_time=Distribution.constant(600)),
                              agents=(3, 0)), replications=2, seed=1).intervals
    assert (kept.loc[kept["interval"] == 0, "in_system_end"].to_numpy() == first["backlog_end"].to_numpy()).all()


def test_smaller_max_wait_never_gives_fewer_max_wait_exits():
    """Metamorphic, common random numbers: over 4 replications the total max-wait exits never fall
    as the max wait shrinks (each contact reaches a shorter limit sooner; the coupling noise of the
    changed queue is far smaller than the steps tested)."""
    previous = -1.0
    for limit in (240, 120, 60, 30, 10):
        channel = voice(patience=Distribution.exponential(200), max_wait_seconds=limit, on_max_wait="message")
        exits = sim.simulate(model(channel), replications=4, seed=2).intervals["max_wait_exits"].sum()
        assert exits >= previous, (limit, exits, previous)
        previous = exits
    assert previous > 0
