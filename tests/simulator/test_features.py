"""Issue 12 modelling features: distributions, trunks and queue limits, routing policies, delayed overflow.

Statistical tests compare with exact results (birth-death chains solved here with NumPy, Erlang
B/C/A from :mod:`staffing`) under the rule of ``test_statistical.py``: fixed seeds, and
``|simulated mean - exact| <= 2 * ci95 + allowance`` where ``ci95`` is the Student-t 95 %
half-width over independent replications (about 4 standard errors) and the allowance (0.01 for
probabilities, 2 % + 0.5 s for waits) covers the start-empty and ratio-estimator bias. Metamorphic
tests compare configurations under common random numbers (same seed, same customers).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import simulator as sim
import staffing
from simulator import Distribution, ModelError

PROBABILITY_ALLOWANCE = 0.01


def check(result, channel, kpi, exact, allowance, power):
    mean, ci95 = result.kpi(channel, kpi)
    assert ci95 < power, f"{kpi}: ci95 {ci95:.4g} too wide for a meaningful test (power bound {power})"
    tolerance = 2.0 * ci95 + allowance
    assert abs(mean - float(exact)) <= tolerance, (
        f"{channel} {kpi}: simulated {mean:.5g} +/- {ci95:.3g} vs exact {float(exact):.5g} (tolerance {tolerance:.3g})")


# ----------------------------------------------------------------------------- distributions
FAMILIES = {
    "gamma": (Distribution.gamma(100, 0.5), 100.0, 50.0),
    "weibull": (Distribution.weibull(100, 2.0), 100.0, 100.0 * math.sqrt(math.gamma(2.0) / math.gamma(1.5) ** 2 - 1.0)),
    "uniform": (Distribution.uniform(40, 160), 100.0, 120.0 / math.sqrt(12.0)),
    "triangular": (Distribution.triangular(30, 60, 210), 100.0,
                   math.sqrt((30**2 + 60**2 + 210**2 - 30 * 60 - 30 * 210 - 60 * 210) / 18.0)),
    "lognormal": (Distribution.lognormal(100, 0.8), 100.0, 80.0),
    "constant": (Distribution.constant(100), 100.0, 0.0),
}


@pytest.mark.parametrize("name", list(FAMILIES))
def test_distribution_family_mean_and_spread(name):
    """200 000 draws: the sample mean lies within 4 standard errors of the exact mean, and the
    sample standard deviation within 3 % of the exact one (the standard error of a standard
    deviation over 200 000 draws is far below 1 % for these families)."""
    distribution, mean, sd = FAMILIES[name]
    distribution.validate("x")
    assert distribution.mean_seconds == pytest.approx(mean)
    draws = distribution.sample(np.random.default_rng(7), 200_000)
    assert abs(draws.mean() - mean) <= 4.0 * sd / math.sqrt(draws.size) + 1e-9
    assert draws.std() == pytest.approx(sd, rel=0.03, abs=1e-9)
    assert (draws >= 0).all()


def test_bounded_families_stay_in_their_bounds_and_scale():
    rng = np.random.default_rng(3)
    for distribution, low, high in ((Distribution.uniform(40, 160), 40, 160), (Distribution.triangular(30, 60, 210), 30, 210)):
        distribution.validate("x")
        draws = distribution.sample(rng, 10_000)
        assert draws.min() >= low and draws.max() <= high
        scaled = distribution.scaled(0.5)
        scaled.validate("x")
        assert scaled.mean_seconds == pytest.approx(distribution.mean_seconds * 0.5)
        assert scaled.sample(rng, 10_000).max() <= high * 0.5
    gamma = Distribution.gamma(100, 0.5).scaled(2.0)
    gamma.validate("x")
    assert (gamma.mean_seconds, gamma.cv) == (200.0, 0.5)


@pytest.mark.parametrize(("distribution", "fragment"), [
    (Distribution.uniform(100, 50), "x.high_seconds must be > low_seconds"),
    (Distribution.uniform(-1, 50), "x.low_seconds must be >= 0"),
    (Distribution.triangular(10, 80, 50), "x.mode_seconds must be >= 10 and <= 50"),
    (Distribution.gamma(100, 0), "x.cv must be > 0"),
    (Distribution("pareto", 1.0), "x.kind must be one of"),
])
def test_distribution_errors_name_field_and_range(distribution, fragment):
    with pytest.raises(ModelError, match=fragment.replace(".", r"\.")):
        distribution.validate("x")


@pytest.mark.statistical
def test_random_after_contact_work_and_group_factor_load_the_agents(make_single_queue):
    """M/G/n without abandonment (uniform handle time, triangular after-contact work, a group
    handle-time factor of 0.8): by Little's law the mean number of busy agents is
    rate x (0.8 x E[handle] + E[wrap]), so occupancy = that / n, exactly, for any distributions."""
    rate, agents = 60.0, 8  # per hour
    handle, wrap = Distribution.uniform(120, 360), Distribution.triangular(0, 30, 90)
    channel = sim.ChannelModel("queue", "voice", [rate / 2], handle, after_contact_work=wrap)
    group = sim.AgentGroupModel("agents", ["queue"], [agents], handle_time_factor={"queue": 0.8})
    model = sim.SimulationModel(1800, 42, [channel], [group], warmup_seconds=7200)
    assert channel.after_contact_work_seconds == pytest.approx(40.0)
    result = sim.simulate(model, replications=8, seed=11)
    load = rate / 3600.0 * (0.8 * 240.0 + 40.0)
    check(result, "queue", "occupancy", load / agents, PROBABILITY_ALLOWANCE, power=0.02)


def test_retrial_delay_distribution_and_validation():
    retrial = sim.RetrialModel(0.5, delay=Distribution.uniform(60, 120), patience="keep")
    retrial.validate("r")
    assert retrial.mean_delay_seconds == pytest.approx(90.0)
    with pytest.raises(ModelError, match=r"r\.patience must be one of redraw, keep"):
        sim.RetrialModel(0.5, 60, patience="new").validate("r")
    with pytest.raises(ModelError, match=r"r\.mean_delay_seconds must be given"):
        sim.RetrialModel(0.5).validate("r")


# ----------------------------------------------------------------------------- queue limits and trunks
def mmnk_exact(rate, mean_service, agents, capacity):
    """Stationary M/M/n/K (K waiting places): blocking probability and mean queue length, from the
    birth-death chain on 0..n+K solved as a linear system (balance equations + normalisation)."""
    states = agents + capacity + 1
    mu = 1.0 / mean_service
    generator = np.zeros((states, states))
    for k in range(states):
        if k + 1 < states:
            generator[k, k + 1] = rate
        if k > 0:
            generator[k, k - 1] = min(k, agents) * mu
        generator[k, k] = -generator[k].sum()
    system = np.vstack([generator.T, np.ones(states)])
    rhs = np.zeros(states + 1)
    rhs[-1] = 1.0
    p = np.linalg.lstsq(system, rhs, rcond=None)[0]
    queue = sum(p[k] * max(k - agents, 0) for k in range(states))
    return p[-1], queue


def single(kind="voice", *, rate_per_hour, aht, agents, hours=42, warmup=7200, trunks=None, **options):
    channel = sim.ChannelModel("queue", kind, [rate_per_hour / 2], Distribution.exponential(aht), **options)
    group = sim.AgentGroupModel("agents", ["queue"], [agents])
    return sim.SimulationModel(1800, int(hours * 2), [channel], [group], warmup_seconds=warmup, trunks=trunks)


@pytest.mark.statistical
@pytest.mark.parametrize(("agents", "capacity"), [(3, 2), (4, 0)])
def test_queue_capacity_matches_mmnk(agents, capacity):
    """queue_capacity K on M/M/n: blocking (PASTA: the chain's probability of n + K in system) and
    mean queue length vs the exact finite birth-death chain; K = 0 is Erlang B."""
    rate, aht = 40.0, 270.0  # 3 Erlangs
    result = sim.simulate(single(rate_per_hour=rate, aht=aht, agents=agents, queue_capacity=capacity), 10, seed=21)
    block, queue = mmnk_exact(rate / 3600.0, aht, agents, capacity)
    if capacity == 0:
        assert block == pytest.approx(float(staffing.erlang_b(rate * aht / 3600.0, agents)))
    check(result, "queue", "block_rate", block, PROBABILITY_ALLOWANCE, power=0.03)
    check(result, "queue", "mean_queue_length", queue, 0.02 * queue + 0.02, power=0.1 + 0.3 * queue)


@pytest.mark.statistical
def test_trunks_without_queue_are_erlang_b_on_the_lines():
    """5 lines, 10 agents (never a queue), a voicebot of 60 s in front: a call holds its line for
    bot time + talk, so the lines are an M/G/5/5 loss system with mean holding 60 + 180 s and
    blocking is Erlang B on the lines (insensitive to the holding-time distribution)."""
    rate, aht, bot = 60.0, 180.0, 60.0
    channel = sim.ChannelModel("voice", "voice", [rate / 2], Distribution.exponential(aht),
                               bot=sim.BotModel(0.25, Distribution.constant(bot)))
    model = sim.SimulationModel(1800, 84, [channel], [sim.AgentGroupModel("agents", ["voice"], [10])],
                                warmup_seconds=3600, trunks=5)
    result = sim.simulate(model, replications=8, seed=5)
    # bot-resolved calls hold their line for the bot time only
    holding = bot + 0.75 * aht
    check(result, "voice", "block_rate", staffing.erlang_b(rate * holding / 3600.0, 5), PROBABILITY_ALLOWANCE, power=0.03)
    wait, _ = result.kpi("voice", "mean_wait_seconds")
    assert wait == 0.0  # 10 agents for 5 lines: nobody waits


def test_conservation_with_blocking_retrials_bot_and_lines():
    """Every attempt has exactly one outcome, per interval: offered = deflected (self-service,
    bot) + answered + abandoned + blocked + still in system; retrials are offered attempts too."""
    voice = sim.ChannelModel("voice", "voice", [150, 300, 150], Distribution.lognormal(200, 0.7),
                             patience=Distribution.weibull(120, 0.8), self_service_share=0.1,
                             bot=sim.BotModel(0.2, Distribution.uniform(20, 60)), queue_capacity=6,
                             retrial=sim.RetrialModel(0.6, delay=Distribution.gamma(120, 0.5), patience="keep"),
                             after_contact_work=Distribution.constant(15))
    chat = sim.ChannelModel("chat", "chat", [80], Distribution.exponential(300), patience=Distribution.exponential(200),
                            concurrency=2, queue_capacity=4, retrial=sim.RetrialModel(0.3, 60))
    groups = [sim.AgentGroupModel("a", ["voice", "chat"], [10, 12, 8]), sim.AgentGroupModel("b", ["chat"], [3])]
    model = sim.SimulationModel(1800, 3, [voice, chat], groups, trunks=14, warmup_seconds=600)
    result = sim.simulate(model, replications=3, seed=8, keep_records=True)
    table = result.intervals
    outcomes = ["deflected_self_service", "deflected_notification", "deflected_bot", "answered", "abandoned", "blocked",
                "in_system_end"]
    assert (table["offered"] == table[outcomes].sum(axis=1)).all()
    assert table["blocked"].sum() > 0 and table["retrials"].sum() > 0
    records = result.records
    counted = records.groupby(["replication", "channel", "outcome"]).size()
    totals = table.groupby(["replication", "channel"])[["blocked", "answered", "deflected_bot"]].sum()
    for (replication, channel), row in totals.iterrows():
        for outcome in ("blocked", "answered", "deflected_bot"):
            assert counted.get((replication, channel, outcome), 0) == row[outcome], (channel, outcome)


def test_more_lines_never_increase_blocking():
    """Metamorphic, common random numbers: the total blocked over 6 replications never rises as
    lines are added (checked on the sum, with an allowance of 2 x its ci95 for the coupling noise
    of abandonment and retrials)."""
    previous = None
    for lines in (3, 5, 8, 12, 40):
        model = single(rate_per_hour=120, aht=180, agents=6, hours=6, warmup=0, trunks=lines,
                       patience=Distribution.exponential(90), retrial=sim.RetrialModel(0.5, 120), queue_capacity=None)
        result = sim.simulate(model, replications=6, seed=4)
        mean, ci95 = result.kpi("queue", "blocked")
        if previous is not None:
            assert mean <= previous[0] + 2.0 * max(ci95, previous[1]), (lines, mean, previous)
        previous = (mean, ci95)
    assert previous[0] < 0.5  # 40 lines for 6 agents and 6 Erlangs: (almost) never blocked


def test_limit_fields_are_validated():
    with pytest.raises(ModelError, match=r"channels\.queue\.queue_capacity must be a whole number >= 0"):
        single(rate_per_hour=1, aht=1, agents=1, queue_capacity=-1)
    with pytest.raises(ModelError, match=r"^trunks must be a whole number >= 1"):
        single(rate_per_hour=1, aht=1, agents=1, trunks=0)
    with pytest.raises(ModelError, match=r"channels\.queue\.after_contact_work_seconds must be 0"):
        single(rate_per_hour=1, aht=1, agents=1, after_contact_work_seconds=10,
               after_contact_work=Distribution.constant(20))


# ----------------------------------------------------------------------------- routing
@pytest.mark.statistical
@pytest.mark.slow
def test_longest_waiting_across_two_identical_queues_is_one_pooled_queue():
    """Two channels of rate 42/h each, one group of 7 agents taking the contact that waited
    longest: one FIFO queue of rate 84/h, so each channel's P(wait) and ASA are Erlang C with
    n = 7 (PASTA). Under ``priority`` the first channel would wait far less than the second."""
    rate, aht, agents = 42.0, 240.0, 7
    channels = [sim.ChannelModel(name, "voice", [rate / 2], Distribution.exponential(aht)) for name in ("a", "b")]
    model = sim.SimulationModel(1800, 124, channels, [sim.AgentGroupModel("team", ["a", "b"], [agents])],
                                warmup_seconds=7200, contact_selection="longest_waiting")
    result = sim.simulate(model, replications=12, seed=31)
    traffic = 2 * rate * aht / 3600.0
    asa = staffing.average_speed_of_answer(traffic, agents, aht)
    for name in ("a", "b"):
        check(result, name, "p_wait", staffing.erlang_c(traffic, agents), PROBABILITY_ALLOWANCE, power=0.06)
        check(result, name, "asa_seconds", asa, 0.02 * asa + 0.5, power=0.35 * asa)


@pytest.mark.statistical
def test_delayed_overflow_is_a_shifted_poisson_stream():
    """A channel whose first group has no agent and overflows after 45 s to a group of 4: the
    stream reaching the second group is the Poisson stream delayed by 45 s, thinned by the
    customers (exponential patience, mean 300 s) who gave up meanwhile (probability
    1 - exp(-45/300)), so the second group is an exact M/M/4+M queue of rate
    rate x exp(-45/300) (memoryless patience) — Erlang A — and the answered wait is 45 s more."""
    rate, aht, patience, after, agents = 60.0, 200.0, 300.0, 45.0, 4
    channel = sim.ChannelModel("claims", "voice", [rate / 2], Distribution.exponential(aht),
                               patience=Distribution.exponential(patience), service_level_target_seconds=65)
    groups = [sim.AgentGroupModel("front", ["claims"], [0]), sim.AgentGroupModel("back", ["claims"], [agents])]
    model = sim.SimulationModel(1800, 84, [channel], groups, routing={"claims": ["front", ("back", after)]},
                                warmup_seconds=3600)
    result = sim.simulate(model, replications=10, seed=13)
    survive = math.exp(-after / patience)
    exact = staffing.erlang_a(rate * survive, aht, patience, agents, 20)
    abandon = 1.0 - survive * (1.0 - float(exact.p_abandon))
    check(result, "claims", "abandon_rate", abandon, PROBABILITY_ALLOWANCE, power=0.03)
    asa = after + float(exact.asa_seconds)
    check(result, "claims", "asa_seconds", asa, 0.02 * asa + 0.5, power=0.3 * asa)
    # service level within 65 s = answered within 20 s of reaching the back group
    check(result, "claims", "service_level", survive * float(exact.service_level), PROBABILITY_ALLOWANCE, power=0.04)


def overflow_share(after_seconds, seed=3):
    claims = sim.ChannelModel("claims", "voice", [60], Distribution.exponential(300), patience=Distribution.exponential(240))
    general = sim.ChannelModel("general", "voice", [60], Distribution.exponential(240), patience=Distribution.exponential(240))
    groups = [sim.AgentGroupModel("claims team", ["claims"], [9]),
              sim.AgentGroupModel("generalists", ["general", "claims"], [10])]
    model = sim.SimulationModel(1800, 8, [claims, general], groups,
                                routing={"claims": ["claims team", ("generalists", after_seconds)]})
    result = sim.simulate(model, replications=4, seed=seed, keep_records=True)
    answered = result.records[(result.records["channel"] == "claims") & (result.records["outcome"] == "answered")]
    return float((answered["group"] == "generalists").mean())


def test_larger_after_seconds_never_increases_the_overflow_share():
    """Metamorphic: the share of claims answered by generalists falls as the overflow delay grows
    (same customers); 0 s is immediate overflow, 10 000 s is none (the check allows 0.01 of
    coupling noise between neighbours)."""
    shares = [overflow_share(after) for after in (0.0, 10.0, 30.0, 90.0, 10_000.0)]
    for shorter, longer in zip(shares, shares[1:], strict=False):
        assert longer <= shorter + 0.01, shares
    assert shares[0] > 0.1 and shares[-1] == 0.0, shares


@pytest.mark.parametrize("selection", ["longest_idle", "random"])
def test_agent_selection_spreads_work_over_groups(selection):
    """With ``ordered`` the first group takes every contact it can; ``longest_idle`` and ``random``
    send about half to the second of two identical groups."""
    channel = sim.ChannelModel("voice", "voice", [40], Distribution.exponential(180))
    groups = [sim.AgentGroupModel(name, ["voice"], [5]) for name in ("first", "second")]
    shares = {}
    for policy in ("ordered", selection):
        model = sim.SimulationModel(1800, 8, [channel], groups, agent_selection=policy)
        records = sim.simulate(model, replications=2, seed=9, keep_records=True).records
        shares[policy] = float((records.loc[records["outcome"] == "answered", "group"] == "second").mean())
    # ordered: the second group gets only the first group's overflow, Erlang B(4 Erlangs, 5) ~ 0.2
    assert shares["ordered"] < 0.3 and 0.4 < shares[selection] < 0.6, shares


def test_routing_fields_are_validated():
    channel = sim.ChannelModel("voice", "voice", [1], Distribution.exponential(1))
    group = sim.AgentGroupModel("g", ["voice"], [1])
    with pytest.raises(ModelError, match=r"routing\.voice\[0\]\.after_seconds must be >= 0"):
        sim.SimulationModel(60, 1, [channel], [group], routing={"voice": [("g", -1)]})
    with pytest.raises(ModelError, match=r"^agent_selection must be one of ordered, longest_idle, random"):
        sim.SimulationModel(60, 1, [channel], [group], agent_selection="fastest")
    with pytest.raises(ModelError, match=r"groups\.g\.handle_time_factor\.voice must be > 0"):
        sim.AgentGroupModel("g", ["voice"], [1], handle_time_factor={"voice": 0})
    with pytest.raises(ModelError, match=r"groups\.g\.handle_time_factor names channel 'chat'"):
        sim.AgentGroupModel("g", ["voice"], [1], handle_time_factor={"chat": 2})
    with pytest.raises(ModelError, match=r"groups\.g\.contact_selection must be one of"):
        sim.AgentGroupModel("g", ["voice"], [1], contact_selection="fifo")
