"""Issue 12: transfers between channels and messages as work items of a deferred channel.

Kinds: validation (one-line ``ModelError`` naming the field and what is allowed); exact results
(a Jackson network: Burke's theorem makes the transferred stream of an M/M/n1 station Poisson, so
the target is an M/M/n2 queue, compared with Erlang C, and the end-to-end time is the sum of the
stations' mean sojourn times; messages of a closed channel are a Poisson stream, so the email
queue they join is Erlang C); conservation of outcomes on every channel with transfers, trunks,
retrials, max-wait messages and a closed queue; metamorphic tests under common random numbers
(a larger transfer share transfers a superset of contacts and never lowers the target's load or
ASA; ``messages_to`` raises the email channel's offered by exactly the messages); and an exact
trunk check (a transferred call holds its line to the end of its second talk).
"""

from __future__ import annotations

import numpy as np
import pandas.testing
import pytest

import simulator as sim
import staffing
from simulator import Distribution, ModelError, TransferModel

OUTCOMES = ["deflected_self_service", "deflected_notification", "deflected_bot", "answered", "abandoned", "blocked",
            "messages", "disconnected", "in_system_end"]


def two_voice(share: float, *, hours: int = 4, source_agents=30, target_agents=10, warmup_seconds=0.0,
              trunks=None, **source) -> sim.SimulationModel:
    """Source ``a`` (300 calls/h, AHT 300 s) transferring ``share`` to ``b`` (no own calls, AHT 240 s)."""
    a = sim.ChannelModel("a", "voice", [300.0], Distribution.exponential(300.0),
                         transfer=TransferModel(share, "b"), **source)
    b = sim.ChannelModel("b", "voice", [0.0], Distribution.exponential(240.0))
    groups = [sim.AgentGroupModel("ga", ["a"], [source_agents]), sim.AgentGroupModel("gb", ["b"], [target_agents])]
    return sim.SimulationModel(3600.0, hours, [a, b], groups, warmup_seconds=warmup_seconds, trunks=trunks)


def voice_and_email(messages_to: str | None, **voice) -> sim.SimulationModel:
    settings = {"patience": Distribution.exponential(200.0), "max_wait_seconds": 60.0, "on_max_wait": "message",
                "closed_queue": "message"}
    settings.update(voice)
    channels = [sim.ChannelModel("voice", "voice", [220, 260, 240, 200, 230, 150], Distribution.exponential(300.0),
                                 messages_to=messages_to, **settings),
                sim.ChannelModel("email", "email", [20.0], Distribution.exponential(400.0))]
    groups = [sim.AgentGroupModel("phones", ["voice"], [34, 36, 35, 0, 33, 30]),
              sim.AgentGroupModel("back office", ["email"], [7])]
    return sim.SimulationModel(1800.0, 6, channels, groups, warmup_seconds=600.0)


def email_channel(per_interval: float = 5.0):
    return sim.ChannelModel("email", "email", [per_interval], Distribution.exponential(600.0))


@pytest.mark.parametrize(("build", "fragment"), [
    (lambda: TransferModel(1.5, "b").validate("channels.a.transfer", "a"),
     r"channels\.a\.transfer\.share must be >= 0 and <= 1, got 1\.5"),
    (lambda: sim.ChannelModel("a", "voice", [1.0], Distribution.exponential(60), transfer=TransferModel(0.2, "a")),
     r"channels\.a\.transfer\.to must name another channel than 'a'"),
    (lambda: sim.ChannelModel("email", "email", [5.0], Distribution.exponential(600), transfer=TransferModel(0.2, "a")),
     r"channels\.email\.transfer must be None for an email channel"),
    (lambda: sim.SimulationModel(1800, 1, [sim.ChannelModel("a", "voice", [5.0], Distribution.exponential(60),
                                                            transfer=TransferModel(0.2, "nowhere"))],
                                 [sim.AgentGroupModel("g", ["a"], [3])]),
     r"channels\.a\.transfer\.to names an unknown channel 'nowhere'; channels are \['a'\]"),
    (lambda: sim.SimulationModel(1800, 1, [sim.ChannelModel("a", "voice", [5.0], Distribution.exponential(60),
                                                            transfer=TransferModel(0.2, "email")), email_channel()],
                                 [sim.AgentGroupModel("g", ["a", "email"], [3])]),
     r"channels\.a\.transfer\.to must name a voice or chat channel, got 'email' \(email\)"),
    (lambda: sim.SimulationModel(1800, 1, [sim.ChannelModel("a", "voice", [5.0], Distribution.exponential(60),
                                                            messages_to="b"),
                                           sim.ChannelModel("b", "voice", [5.0], Distribution.exponential(60))],
                                 [sim.AgentGroupModel("g", ["a", "b"], [3])]),
     r"channels\.a\.messages_to must name an email \(deferred\) channel, got 'b' \(voice\)"),
    (lambda: sim.SimulationModel(1800, 1, [sim.ChannelModel("a", "voice", [5.0], Distribution.exponential(60),
                                                            messages_to="mail")],
                                 [sim.AgentGroupModel("g", ["a"], [3])]),
     r"channels\.a\.messages_to names an unknown channel 'mail'"),
    (lambda: sim.ChannelModel("email", "email", [5.0], Distribution.exponential(600), messages_to="email"),
     r"channels\.email\.messages_to must be None for an email channel"),
    (lambda: sim.SimulationModel(1800, 1, [sim.ChannelModel("a", "voice", [5.0], Distribution.exponential(60),
                                                            messages_to="email"), email_channel(0.0)],
                                 [sim.AgentGroupModel("g", ["a"], [3]), sim.AgentGroupModel("h", ["email"], [0])]),
     r"channels\.a\.messages_to names 'email', whose routing has 0 agents in every interval"),
    (lambda: TransferModel(0.2, "b", group="esc").validate("channels.a.transfer", "a"),
     r"channels\.a\.transfer\.to must be left out with group"),
    (lambda: sim.SimulationModel(1800, 1, [sim.ChannelModel("a", "voice", [5.0], Distribution.exponential(60),
                                                            transfer=TransferModel(0.2, group="esc"))],
                                 [sim.AgentGroupModel("g", ["a"], [3])]),
     r"channels\.a\.transfer\.group names an unknown group 'esc'; groups are \['g'\]"),
    (lambda: sim.SimulationModel(1800, 1, [sim.ChannelModel("a", "chat", [5.0], Distribution.exponential(60),
                                                            transfer=TransferModel(0.2, group="g"))],
                                 [sim.AgentGroupModel("g", ["a"], [3])]),
     r"channels\.a\.transfer\.group applies to voice channels, got a chat channel"),
])
def test_bad_values_name_the_field(build, fragment):
    with pytest.raises(ModelError, match=fragment):
        build()


@pytest.mark.slow
def test_transfer_target_is_erlang_c_and_end_to_end_is_the_jackson_sum():
    """Exact: source M/M/30 (300 calls/h, AHT 300 s, 25 erlangs), no abandonment, transfers 30 %
    of its calls to an M/M/10 station (AHT 240 s). Burke's theorem: the source's departures are
    Poisson in steady state, and independent thinning keeps them Poisson, so the target is an
    M/M/10 queue with 90 calls/h (6 erlangs): its P(wait), ASA and service level are Erlang C's
    (``staffing.erlang_c``). Jackson network: mean end-to-end time of a transferred caller is
    W1 + W2, of all answered callers W1 + 0.3 W2, with W = ASA + AHT per station.

    12 replications of 22 h after a 2 h warm-up (seed 3); each check is
    ``|simulated - exact| <= 2 * ci95 + allowance`` (2 ci95 is about 4 standard errors), with the
    allowances of tests/simulator/test_statistical.py (0.01 for probabilities, 2 % + 0.5 s for
    times) for the start-up and ratio-estimator bias; ci95 must be small enough (power checks)."""
    result = sim.simulate(two_voice(0.3, hours=24, warmup_seconds=7200.0), replications=12, seed=3)
    w1 = float(staffing.average_speed_of_answer(25.0, 30, 300.0)) + 300.0
    w2 = float(staffing.average_speed_of_answer(6.0, 10, 240.0)) + 240.0
    checks = [
        ("b", "p_wait", float(staffing.erlang_c(6.0, 10)), 0.01, 0.03),
        ("b", "service_level", float(staffing.service_level(6.0, 10, 240.0, 20.0)), 0.01, 0.03),
        ("b", "asa_seconds", float(staffing.average_speed_of_answer(6.0, 10, 240.0)), None, 3.0),
        ("a", "end_to_end_transferred_seconds", w1 + w2, None, 15.0),
        ("a", "end_to_end_seconds", w1 + 0.3 * w2, None, 8.0),
    ]
    for channel, kpi, exact, allowance, power in checks:
        mean, ci95 = result.kpi(channel, kpi)
        allowance = 0.02 * exact + 0.5 if allowance is None else allowance
        assert ci95 < power, f"{channel}.{kpi}: ci95 {ci95:.3g} too wide (power bound {power})"
        assert abs(mean - exact) <= 2 * ci95 + allowance, f"{channel}.{kpi}: {mean:.4g} +/- {ci95:.3g} vs exact {exact:.4g}"
    summary = result.per_replication.set_index("channel")
    assert (summary.loc["a", "transferred"].to_numpy() == summary.loc["b", "transferred_in"].to_numpy()).all()
    assert (summary.loc["b", "offered"].to_numpy() == summary.loc["b", "transferred_in"].to_numpy()).all()


@pytest.mark.parametrize("drain", [False, True])
def test_conservation_with_transfers_messages_trunks_and_retrials(drain):
    """Every attempt has exactly one outcome on every channel, per interval: offered = deflected +
    answered + abandoned + blocked + messages + disconnected + still in system, transferred-in
    contacts and message items included; the source's transfers equal the target's
    transferred-in contacts, the voice channels' messages equal email's message items (totals per
    replication), and records agree."""
    channels = [
        sim.ChannelModel("front", "voice", [150, 190, 40, 170], Distribution.exponential(240.0),
                         patience=Distribution.exponential(150.0), max_wait_seconds=90.0, on_max_wait="message",
                         closed_queue="message", messages_to="email", retrial=sim.RetrialModel(0.3, 120.0),
                         transfer=TransferModel(0.3, "billing"), self_service_share=0.05),
        sim.ChannelModel("billing", "voice", [30.0], Distribution.exponential(300.0),
                         patience=Distribution.exponential(200.0), queue_capacity=6, closed_queue="message",
                         messages_to="email", transfer=TransferModel(0.1, "front")),
        sim.ChannelModel("email", "email", [15.0], Distribution.exponential(500.0)),
    ]
    groups = [sim.AgentGroupModel("front team", ["front"], [20, 24, 0, 22]),
              sim.AgentGroupModel("billing team", ["billing"], [8, 9, 0, 8]),
              sim.AgentGroupModel("back office", ["email"], [5])]
    model = sim.SimulationModel(1800.0, 4, channels, groups, trunks=45, warmup_seconds=300.0, drain=drain)
    result = sim.simulate(model, replications=3, seed=8, keep_records=True)
    table = result.intervals
    assert (table["offered"] == table[OUTCOMES].sum(axis=1)).all()
    totals = table.groupby(["replication", "channel"])[["transferred", "transferred_in", "messages", "messages_in",
                                                          "blocked", "offered"]].sum()
    for replication in range(3):
        rows = totals.loc[replication]
        assert rows.loc["front", "transferred"] == rows.loc["billing", "transferred_in"] > 0
        assert rows.loc["billing", "transferred"] == rows.loc["front", "transferred_in"] > 0
        assert rows.loc["front", "messages"] + rows.loc["billing", "messages"] == rows.loc["email", "messages_in"] > 0
    assert totals["blocked"].sum() > 0
    if drain:
        assert table["in_system_end"].sum() == 0
    records = result.records
    counted = table.groupby("channel")["offered"].sum() - table.groupby("channel")[
        ["deflected_self_service", "deflected_notification", "deflected_bot"]].sum().sum(axis=1)
    by_channel = records[~records["outcome"].str.startswith("deflected")].groupby("channel").size()
    assert (by_channel.reindex(counted.index) == counted).all()


def test_larger_transfer_share_transfers_a_superset_and_loads_the_target_more():
    """Metamorphic, common random numbers: the transfer decision of each arrival is ``u < share``
    with one uniform per arrival, and transfers (without trunks) leave the source untouched, so
    with share 0.35 instead of 0.2 the source is identical and, per replication and interval, at
    least as many contacts are transferred. The target's load then rises (4 -> 7 erlangs on 10
    agents): its mean occupancy and ASA with share 0.35 exceed those with share 0.2 (paired over
    12 replications, seed 2: the 95 % Student-t interval of the paired differences must lie above
    0, i.e. the mean difference exceeds its ci95 half-width)."""
    low = sim.simulate(two_voice(0.2, hours=6), replications=12, seed=2)
    high = sim.simulate(two_voice(0.35, hours=6), replications=12, seed=2)
    lo, hi = low.intervals, high.intervals
    source_lo, source_hi = lo[lo["channel"] == "a"], hi[hi["channel"] == "a"]
    for column in ("offered", "answered", "answered_within_target", "asa_seconds"):
        assert np.allclose(source_lo[column], source_hi[column], equal_nan=True), column
    assert (source_hi["transferred"].to_numpy() >= source_lo["transferred"].to_numpy()).all()
    assert source_hi["transferred"].sum() > source_lo["transferred"].sum()
    per_lo = low.per_replication.set_index("channel").loc["b"]
    per_hi = high.per_replication.set_index("channel").loc["b"]
    for kpi in ("occupancy", "asa_seconds"):
        difference = per_hi[kpi].to_numpy() - per_lo[kpi].to_numpy()
        assert difference.mean() > sim.ci95_half_width(difference), (kpi, difference)


def test_messages_to_adds_exactly_the_messages_to_the_email_channel():
    """Metamorphic, common random numbers: the voice channel is the same with and without
    ``messages_to`` (its own streams; a message is left at the max wait either way), so per
    replication and interval email's offered with ``messages_to`` is its offered without it plus
    the message items of that interval, and over the run those items are exactly the voice
    channel's messages (max-wait exits and the closed interval 3)."""
    without = sim.simulate(voice_and_email(None), replications=3, seed=6).intervals
    with_items = sim.simulate(voice_and_email("email"), replications=3, seed=6).intervals
    voice_without, voice_with = without[without["channel"] == "voice"], with_items[with_items["channel"] == "voice"]
    for column in ("offered", "answered", "abandoned", "messages", "max_wait_exits", "asa_seconds"):
        assert np.allclose(voice_without[column], voice_with[column], equal_nan=True), column
    email_without, email_with = without[without["channel"] == "email"], with_items[with_items["channel"] == "email"]
    added = email_with["offered"].to_numpy() - email_without["offered"].to_numpy()
    assert (added == email_with["messages_in"].to_numpy()).all()
    assert email_without["messages_in"].sum() == 0
    for replication in range(3):
        assert (voice_with[voice_with["replication"] == replication]["messages"].sum()
                == email_with[email_with["replication"] == replication]["messages_in"].sum() > 0)
    assert email_with["answered"].sum() > email_without["answered"].sum()  # the items are real work


def test_a_transferred_call_holds_its_line_to_the_end_of_its_second_talk():
    """Exact, constant times: one trunk line, 12 calls at uniform times over 4 hours (exact
    arrivals), 600 s talks on both channels, agents always free, every call transferred. A call is
    blocked iff it arrives while the line is held, which is for 1200 s after the last admitted
    call's arrival (600 s without transfers): replayed from the records' arrival times."""
    def run(share: float):
        a = sim.ChannelModel("a", "voice", [3.0], Distribution.constant(600.0), exact_arrivals=True,
                             transfer=TransferModel(share, "b"))
        b = sim.ChannelModel("b", "voice", [0.0], Distribution.constant(600.0))
        model = sim.SimulationModel(3600.0, 4, [a, b], [sim.AgentGroupModel("g", ["a", "b"], [4])], trunks=1)
        return sim.simulate(model, replications=2, seed=4, keep_records=True).records

    for share, held in ((1.0, 1200.0), (0.0, 600.0)):
        records = run(share)
        first_legs = records[records["channel"] == "a"].sort_values(["replication", "arrival_seconds"])
        for _, calls in first_legs.groupby("replication"):
            free_at = -np.inf
            expected = []
            for arrival in calls["arrival_seconds"]:
                blocked = arrival < free_at
                expected.append(blocked)
                if not blocked:
                    free_at = arrival + held
            assert (calls["outcome"].eq("blocked").to_numpy() == np.array(expected)).all(), share
            assert any(expected) or share == 0.0


def test_transfers_raise_blocking_when_lines_are_few():
    """With 36 lines for a 30-agent source (25 erlangs), transferred calls keep their line through
    the target queue and talk, so blocking rises with the transfer share: paired over 6
    replications (seed 9), the block rate with share 0.5 exceeds that with share 0 by more than
    2 ci95 of the differences."""
    none = sim.simulate(two_voice(0.0, hours=4, trunks=36), replications=6, seed=9).per_replication
    half = sim.simulate(two_voice(0.5, hours=4, trunks=36), replications=6, seed=9).per_replication
    difference = (half[half["channel"] == "a"]["block_rate"].to_numpy()
                  - none[none["channel"] == "a"]["block_rate"].to_numpy())
    assert difference.mean() > 2 * sim.ci95_half_width(difference), difference


def test_a_zero_transfer_share_changes_nothing():
    """A transfer with share 0 gives, seed for seed, the same table as the same model without a
    transfer: the transfer stream is a stream of its own and no contact is transferred."""
    def model(transfer):
        a = sim.ChannelModel("a", "voice", [300.0], Distribution.exponential(300.0),
                             patience=Distribution.exponential(200.0), transfer=transfer)
        b = sim.ChannelModel("b", "voice", [60.0], Distribution.exponential(240.0))
        return sim.SimulationModel(3600.0, 3, [a, b], [sim.AgentGroupModel("ga", ["a"], [26]),
                                                       sim.AgentGroupModel("gb", ["b"], [5])])

    plain = sim.simulate(model(None), replications=2, seed=1).intervals
    zero = sim.simulate(model(TransferModel(0.0, "b")), replications=2, seed=1).intervals
    assert plain["answered"].sum() > 0
    pandas.testing.assert_frame_equal(plain, zero)


@pytest.mark.slow
def test_messages_of_a_closed_channel_make_the_email_queue_erlang_c():
    """Exact: the voice channel is staffed only in hour 0 (which has no calls) and closed after
    (``closed_queue: message``), so every later call leaves a message the moment it arrives: a
    Poisson stream of 100 items/h into email, on top of email's own 44/h. By superposition email
    is then an M/M/16 queue with 144 items/h and AHT 300 s (12 erlangs): its P(wait) and ASA are
    Erlang C's, and the message items per replication have mean 100 x 12 h (Poisson).

    32 replications of 12 h after a 2 h warm-up (seed 12); each check is
    ``|simulated - exact| <= 2 * ci95 + allowance`` (2 ci95 is about 4 standard errors; allowance
    0.01 for P(wait), 2 % + 0.5 s for the ASA, 0 for the count), with power checks on ci95."""
    hours = 14
    voice = sim.ChannelModel("voice", "voice", [0.0] + [100.0] * (hours - 1), Distribution.exponential(200.0),
                             closed_queue="message", messages_to="email")
    email = sim.ChannelModel("email", "email", [44.0], Distribution.exponential(300.0))
    model = sim.SimulationModel(3600.0, hours, [voice, email],
                                [sim.AgentGroupModel("phones", ["voice"], [1] + [0] * (hours - 1)),
                                 sim.AgentGroupModel("back office", ["email"], [16])], warmup_seconds=7200.0)
    result = sim.simulate(model, replications=32, seed=12)
    checks = [("p_wait", float(staffing.erlang_c(12.0, 16)), 0.01, 0.04),
              ("asa_seconds", float(staffing.average_speed_of_answer(12.0, 16, 300.0)), None, 6.0),
              ("messages_in", 100.0 * (hours - 2), 0.0, 40.0)]
    for kpi, exact, allowance, power in checks:
        mean, ci95 = result.kpi("email", kpi)
        allowance = 0.02 * exact + 0.5 if allowance is None else allowance
        assert ci95 < power, f"email.{kpi}: ci95 {ci95:.3g} too wide (power bound {power})"
        assert abs(mean - exact) <= 2 * ci95 + allowance, f"email.{kpi}: {mean:.4g} +/- {ci95:.3g} vs exact {exact:.4g}"
    assert result.kpi("voice", "answered")[0] == 0 and result.kpi("voice", "messages")[0] == result.kpi("email", "messages_in")[0]


def to_group(share: float, *, hours: int, escalation_agents=10, warmup_seconds=0.0, trunks=None, **source):
    """Source ``a`` (300 calls/h, AHT 300 s, 30 agents) transferring ``share`` to the group ``esc``,
    whose only channel is an idle email channel: esc takes nothing but its transfer queue."""
    a = sim.ChannelModel("a", "voice", [300.0], Distribution.exponential(300.0),
                         transfer=TransferModel(share, group="esc"), **source)
    admin = sim.ChannelModel("admin", "email", [0.0], Distribution.exponential(300.0))
    groups = [sim.AgentGroupModel("ga", ["a"], [30] * hours),
              sim.AgentGroupModel("esc", ["admin"], [escalation_agents] if isinstance(escalation_agents, int)
                                  else list(escalation_agents))]
    return sim.SimulationModel(3600.0, hours, [a, admin], groups, warmup_seconds=warmup_seconds, trunks=trunks)


@pytest.mark.slow
def test_transfer_to_a_group_is_a_jackson_network():
    """Exact: 30 % of an M/M/30 station's calls (300/h, AHT 300 s) go to the transfer queue of a
    10-agent group taking nothing else: by Burke's theorem an M/M/10 queue with 90 calls/h and the
    channel's AHT (7.5 erlangs). The group's occupancy is 0.75 and the mean end-to-end time of a
    transferred call is W1 + W2 (W = Erlang C ASA + AHT), of all calls W1 + 0.3 W2.

    12 replications of 22 h after a 2 h warm-up (seed 3); ``|simulated - exact| <= 2 * ci95 +
    allowance`` (0.01 for the occupancy, 2 % + 0.5 s for times), with power checks on ci95."""
    result = sim.simulate(to_group(0.3, hours=24, warmup_seconds=7200.0), replications=12, seed=3)
    w1 = float(staffing.average_speed_of_answer(25.0, 30, 300.0)) + 300.0
    w2 = float(staffing.average_speed_of_answer(7.5, 10, 300.0)) + 300.0
    for kpi, exact, power in (("end_to_end_transferred_seconds", w1 + w2, 20.0), ("end_to_end_seconds", w1 + 0.3 * w2, 10.0)):
        mean, ci95 = result.kpi("a", kpi)
        assert ci95 < power and abs(mean - exact) <= 2 * ci95 + 0.02 * exact + 0.5, (kpi, mean, ci95, exact)
    occupancy = result.group_summary[result.group_summary["group"] == "esc"]["occupancy"].to_numpy()
    assert abs(occupancy.mean() - 0.75) <= 2 * sim.ci95_half_width(occupancy) + 0.01
    summary = result.per_replication.set_index("channel").loc["a"]
    assert (summary["transferred"] == summary["transferred_in"]).all()


@pytest.mark.parametrize("drain", [False, True])
def test_conservation_with_a_group_transfer_max_wait_closing_and_trunks(drain):
    """A transfer to a group with a max wait (messages to email), a closing rule (the group is
    off in interval 2, legs waiting then leave as messages), patience and few trunks: on every
    channel offered = answered + abandoned + blocked + messages + disconnected + still in system
    per interval; transferred == transferred_in; messages == email's message items."""
    a = sim.ChannelModel("a", "voice", [260, 300, 200, 240], Distribution.exponential(240.0),
                         patience=Distribution.exponential(300.0), max_wait_seconds=120.0, on_max_wait="message",
                         closed_queue="message", messages_to="email", transfer=TransferModel(0.4, group="esc"))
    email = sim.ChannelModel("email", "email", [10.0], Distribution.exponential(400.0))
    groups = [sim.AgentGroupModel("ga", ["a"], [36, 38, 30, 34]), sim.AgentGroupModel("esc", ["email"], [6, 7, 0, 6]),
              sim.AgentGroupModel("back office", ["email"], [3])]
    model = sim.SimulationModel(1800.0, 4, [a, email], groups, trunks=60, warmup_seconds=300.0, drain=drain)
    result = sim.simulate(model, replications=3, seed=21, keep_records=True)
    table = result.intervals
    assert (table["offered"] == table[OUTCOMES].sum(axis=1)).all()
    totals = table.groupby(["replication", "channel"])[["transferred", "transferred_in", "messages", "messages_in",
                                                          "abandoned", "blocked"]].sum()
    for replication in range(3):
        rows = totals.loc[replication]
        assert rows.loc["a", "transferred"] == rows.loc["a", "transferred_in"] > 0
        assert rows.loc["a", "messages"] == rows.loc["email", "messages_in"] > 0
    assert totals["abandoned"].sum() > 0 and totals["blocked"].sum() > 0
    if drain:
        assert table["in_system_end"].sum() == 0
    answered = result.records[(result.records["channel"] == "a") & (result.records["outcome"] == "answered")]
    legs = answered[answered["group"] == "esc"].set_index(["replication", "customer"]).index
    first_talks = answered[answered["group"] == "ga"].set_index(["replication", "customer"]).index
    assert len(legs) > 0 and legs.isin(first_talks).all()  # every leg esc answered is a call ga answered first
    assert len(legs) <= totals["transferred_in"].sum()


def test_a_group_takes_its_transfer_queue_first():
    """Priority of transferred calls in a group: a group serving channel ``a`` as well takes a
    waiting transferred call before a waiting ``a`` call, so with the same seed its transferred
    calls wait less than when they queue with the ``a`` calls (transfer to channel ``b`` served by
    the same agents): paired over 6 replications, the end-to-end time of transferred calls minus
    that of all calls is smaller (by more than 2 ci95 of the differences)."""
    def run(transfer):
        a = sim.ChannelModel("a", "voice", [330.0], Distribution.exponential(300.0), transfer=transfer)
        b = sim.ChannelModel("b", "voice", [0.0], Distribution.exponential(300.0))
        groups = [sim.AgentGroupModel("g", ["a", "b"], [30])]
        result = sim.simulate(sim.SimulationModel(3600.0, 6, [a, b], groups, routing={"a": ["g"], "b": ["g"]}),
                              replications=6, seed=13)
        table = result.per_replication.set_index("channel").loc["a"]
        return (table["end_to_end_transferred_seconds"] - table["end_to_end_seconds"]).to_numpy()

    queued = run(TransferModel(0.2, "b"))
    first = run(TransferModel(0.2, group="g"))
    difference = queued - first
    assert difference.mean() > 2 * sim.ci95_half_width(difference), difference
