"""Blended outbound campaigns (issue 12): exact chain, reserve edge cases, metamorphic, conservation.

Statistical checks follow :mod:`tests.simulator.test_statistical`: a stationary model is simulated
over ``R`` independent replications with a fixed seed, and each KPI must satisfy

    |simulated mean - exact value| <= 2 * ci95 + allowance

with ``ci95`` the Student-t 95 % half-width over the replications (2 * ci95 is about 4 standard
errors: a correct simulator fails a check with probability < 1e-4) and a small allowance for the
bias of starting empty and of ratio estimators (0.01 for probabilities, 2 % for rates and waits).
A power bound on each ``ci95`` makes sure the check can fail.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.sparse import lil_matrix
from scipy.sparse.linalg import expm_multiply

import simulator as sim
from simulator.kpis import CAMPAIGN_KPIS

PROBABILITY_ALLOWANCE = 0.01


def blend_model(*, agents: int, rate_per_hour: float, aht_seconds: float, outbound_seconds: float, reserve: int,
                hours: float, warmup_hours: float = 0.0, contact_rate: float = 1.0, dial_time=None,
                campaigns: bool = True, target_seconds: float = 20.0, **campaign_options) -> sim.SimulationModel:
    """One voice queue (Poisson arrivals, exponential handle, no abandonment) and one group that
    also works an outbound campaign with exponential talk time."""
    intervals = int(round(hours))
    voice = sim.ChannelModel("voice", "voice", [rate_per_hour], sim.Distribution.exponential(aht_seconds),
                             service_level_target_seconds=target_seconds)
    team = sim.AgentGroupModel("team", ["voice"], [agents])
    campaign = sim.OutboundCampaign("sales", ["team"], sim.Distribution.exponential(outbound_seconds),
                                    contact_rate=contact_rate, dial_time=dial_time, reserve=reserve, **campaign_options)
    return sim.SimulationModel(3600.0, intervals, [voice], [team], warmup_seconds=warmup_hours * 3600.0,
                               campaigns=[campaign] if campaigns else [])


def blend_chain(agents: int, rate: float, mu: float, nu: float, reserve: int, target: float, queue_cap: int = 200):
    """Exact stationary KPIs of the blend chain (rates per second).

    State ``(b, o, q)``: inbound in service, outbound in progress, inbound waiting. Inbound has
    priority; outbound attempts start (instantly) while more than ``reserve`` agents are idle, so
    ``idle = n - b - o <= reserve`` in every reachable state, and ``q > 0`` only when no agent is
    idle. Transitions: an arrival takes an idle agent or waits; an inbound completion serves the
    next waiting contact, else frees its agent, who dials if then more than ``reserve`` are idle;
    an outbound completion's agent takes a waiting contact, else dials again if the reserve allows
    (no change of state), else goes idle. The queue is truncated at ``queue_cap`` (probability
    there is below 1e-15 at the loads used).

    Returns P(wait), service level P(W <= target) (FIFO; the waiting time is phase-type: while a
    contact waits all agents are busy, each inbound end moves the queue by one and each outbound
    end does too, the agent then taking inbound work), mean wait (Little) and outbound attempts per
    second.
    """
    states = [(b, o, 0) for b in range(agents + 1) for o in range(agents + 1 - b) if agents - b - o <= reserve]
    states += [(b, agents - b, q) for b in range(agents + 1) for q in range(1, queue_cap + 1)]
    index = {state: k for k, state in enumerate(states)}
    generator = np.zeros((len(states), len(states)))

    def add(source, target_state, value):
        if value > 0 and target_state != source:
            generator[index[source], index[target_state]] += value

    for state in states:
        b, o, q = state
        idle = agents - b - o
        add(state, (b + 1, o, 0) if idle else (b, o, min(q + 1, queue_cap)), rate)
        if b:
            if q:
                add(state, (b, o, q - 1), b * mu)
            else:
                add(state, (b - 1, o + 1, 0) if idle + 1 > reserve else (b - 1, o, 0), b * mu)
        if o:
            if q:
                add(state, (b + 1, o - 1, q - 1), o * nu)
            elif idle + 1 <= reserve:
                add(state, (b, o - 1, 0), o * nu)
    np.fill_diagonal(generator, -generator.sum(axis=1))
    system = generator.T.copy()
    system[-1, :] = 1.0  # replace one balance equation by the normalisation
    right = np.zeros(len(states))
    right[-1] = 1.0
    pi = np.linalg.solve(system, right)
    p_wait = sum(pi[index[s]] for s in states if agents - s[0] - s[1] == 0)
    mean_queue = sum(pi[index[s]] * s[2] for s in states)
    outbound_per_second = nu * sum(pi[index[s]] * s[1] for s in states)
    # waiting time: phases (o, position k >= 1) of a tagged contact; absorbed when served
    positions = queue_cap + 1
    phases = [(o, k) for o in range(agents + 1) for k in range(1, positions + 1)]
    phase_index = {phase: m for m, phase in enumerate(phases)}
    transient = lil_matrix((len(phases), len(phases)))
    for (o, k), m in phase_index.items():
        inbound_ends, outbound_ends = (agents - o) * mu, o * nu
        transient[m, m] = -(inbound_ends + outbound_ends)
        if k > 1:
            transient[m, phase_index[(o, k - 1)]] += inbound_ends
            if o:
                transient[m, phase_index[(o - 1, k - 1)]] += outbound_ends
    initial = np.zeros(len(phases))
    for state in states:
        b, o, q = state
        if agents - b - o == 0 and q < queue_cap:
            initial[phase_index[(o, q + 1)]] += pi[index[state]]
    still_waiting = float(expm_multiply(transient.T.tocsc() * target, initial).sum())
    return {"p_wait": p_wait, "service_level": 1.0 - still_waiting, "mean_wait_seconds": mean_queue / rate,
            "outbound_per_second": outbound_per_second}


def check(mean: float, ci95: float, exact: float, allowance: float, power: float, name: str) -> None:
    assert ci95 < power, f"{name}: ci95 {ci95:.4g} too wide for a meaningful test (power bound {power})"
    tolerance = 2.0 * ci95 + allowance
    assert abs(mean - exact) <= tolerance, f"{name}: simulated {mean:.5g} +/- {ci95:.3g} vs exact {exact:.5g}"


def test_chain_solver_without_outbound_is_erlang_c():
    """The chain with a reserve >= n never dials: it must be M/M/n (Erlang C), which checks the
    solver itself (P(wait), service level and mean wait to 1e-9)."""
    import staffing

    exact = blend_chain(5, 60.0 / 3600.0, 1.0 / 240.0, 1.0 / 300.0, reserve=5, target=20.0)
    traffic = 60.0 * 240.0 / 3600.0
    assert exact["outbound_per_second"] == pytest.approx(0.0, abs=1e-12)
    assert exact["p_wait"] == pytest.approx(staffing.erlang_c(traffic, 5), abs=1e-9)
    assert exact["service_level"] == pytest.approx(staffing.service_level(traffic, 5, 240.0, 20.0), abs=1e-9)
    assert exact["mean_wait_seconds"] == pytest.approx(staffing.average_speed_of_answer(traffic, 5, 240.0), rel=1e-8)


@pytest.mark.slow
@pytest.mark.statistical
@pytest.mark.parametrize("reserve", [0, 2])
def test_blend_matches_the_exact_chain(reserve):
    """n = 6, 60 calls/h, AHT 240 s (4 Erlangs), outbound talk 300 s, contact rate 1, no dial
    time: P(wait), service level (20 s), mean wait and outbound attempts per hour against the
    exact 2-D chain (:func:`blend_chain`), 16 replications of 60 h after a 2 h warm-up."""
    agents, rate, aht, talk = 6, 60.0, 240.0, 300.0
    model = blend_model(agents=agents, rate_per_hour=rate, aht_seconds=aht, outbound_seconds=talk, reserve=reserve,
                        hours=62, warmup_hours=2)
    result = sim.simulate(model, replications=16, seed=20261201)
    exact = blend_chain(agents, rate / 3600.0, 1.0 / aht, 1.0 / talk, reserve, 20.0)
    for kpi, allowance, power in (("p_wait", PROBABILITY_ALLOWANCE, 0.05), ("service_level", PROBABILITY_ALLOWANCE, 0.05)):
        mean, ci95 = result.kpi("voice", kpi)
        check(mean, ci95, exact[kpi], allowance, power, kpi)
    mean, ci95 = result.kpi("voice", "mean_wait_seconds")
    wait = exact["mean_wait_seconds"]
    check(mean, ci95, wait, 0.02 * wait + 0.5, 0.3 * wait + 1.0, "mean_wait_seconds")
    per_hour = result.campaign_summary.set_index("kpi")
    hours = 60.0
    dials = per_hour.at["dials", "mean"] / hours
    dials_ci = per_hour.at["dials", "ci95"] / hours
    outbound = exact["outbound_per_second"] * 3600.0
    check(dials, dials_ci, outbound, 0.02 * outbound, 0.05 * outbound, "outbound attempts per hour")


def test_reserve_at_least_the_headcount_means_no_outbound_and_identical_inbound():
    """A reserve >= the number of agents never dials: inbound KPIs equal, to the last bit, those
    of the same model without a campaign (same seed: common random numbers)."""
    options = dict(agents=5, rate_per_hour=60.0, aht_seconds=240.0, outbound_seconds=300.0, hours=8)
    blended = sim.simulate(blend_model(reserve=5, **options), replications=3, seed=7)
    plain = sim.simulate(blend_model(reserve=5, campaigns=False, **options), replications=3, seed=7)
    assert blended.campaign_summary.set_index("kpi").at["dials", "mean"] == 0
    assert (blended.campaigns["dials"] == 0).all()
    assert plain.campaigns is None and "campaigns" not in plain.to_json_dict()
    columns = [c for c in plain.intervals.columns if c != "p90_wait_seconds"]
    assert blended.intervals[columns].equals(plain.intervals[columns])
    np.testing.assert_array_equal(blended.intervals["p90_wait_seconds"], plain.intervals["p90_wait_seconds"])
    assert blended.groups.equals(plain.groups)


@pytest.mark.slow
def test_a_larger_reserve_never_lowers_inbound_service_nor_raises_outbound_connects():
    """Metamorphic (common random numbers: same customers, same attempt draws): reserve 0, 1, 2, 3
    on the same seed. Each step up must not lower the inbound service level beyond noise and must
    not raise connects. The service-level step is checked on paired replications: the mean paired
    difference must be >= -2 x its 95 % half-width (a real loss would show up as a clearly negative
    difference), and the reserve 3 vs 0 gain must be positive beyond its interval (power)."""
    options = dict(agents=8, rate_per_hour=90.0, aht_seconds=240.0, outbound_seconds=240.0, hours=10, warmup_hours=1,
                   contact_rate=0.4, dial_time=sim.Distribution.constant(20.0))
    levels, connects = [], []
    for reserve in (0, 1, 2, 3):
        result = sim.simulate(blend_model(reserve=reserve, **options), replications=12, seed=99)
        levels.append(result.per_replication["service_level"].to_numpy())
        connects.append(result.campaign_summary.set_index("kpi").at["connects", "mean"])
    for low, high in zip(levels, levels[1:], strict=False):
        difference = high - low
        assert difference.mean() >= -2.0 * sim.ci95_half_width(difference)
    gain = levels[-1] - levels[0]
    assert gain.mean() > 2.0 * sim.ci95_half_width(gain)
    assert all(later <= earlier for earlier, later in zip(connects, connects[1:], strict=False))
    assert connects[-1] < connects[0]


def test_conservation_for_both_directions():
    """Inbound: offered = answered + abandoned + blocked + messages + disconnected + deflected +
    in system (per interval and replication). Outbound: dials = completed + unreached + attempts in
    progress at the end, connects <= dials, and connects = completed + connected attempts still in
    progress (so completed <= connects <= completed + in progress)."""
    voice = sim.ChannelModel("voice", "voice", [60, 150, 70, 40], sim.Distribution.exponential(200),
                             patience=sim.Distribution.exponential(120), queue_capacity=3)
    team = sim.AgentGroupModel("team", ["voice"], [14, 14, 16, 10], shrinkage=0.1)
    campaign = sim.OutboundCampaign("renewals", ["team"], sim.Distribution.lognormal(260, 0.8), contact_rate=0.35,
                                    dial_time=sim.Distribution.uniform(10, 40), reserve=2, dialling="preview",
                                    preview_seconds=15, after_contact_work_seconds=30,
                                    records_per_interval=[60, 0, 0, 50], open_per_interval=[True, True, False, True])
    model = sim.SimulationModel(1800, 4, [voice], [team], campaigns=[campaign])
    result = sim.simulate(model, replications=4, seed=3)
    rows = result.intervals
    outcomes = (rows["answered"] + rows["abandoned"] + rows["blocked"] + rows["messages"] + rows["disconnected"]
                + rows["deflected_self_service"] + rows["deflected_notification"] + rows["deflected_bot"]
                + rows["in_system_end"])
    assert (rows["offered"] == outcomes).all()
    assert rows["blocked"].sum() > 0 and rows["abandoned"].sum() > 0
    table = result.campaigns
    assert (table["dials"] == table["completed"] + table["unreached"] + table["dropped"]
            + table["attempts_in_progress_end"]).all()
    assert (table["completed"] <= table["connects"]).all()
    assert (table["connects"] <= table["completed"] + table["attempts_in_progress_end"]).all()
    assert table["dials"].sum() > 0
    # the closed interval starts no attempt; the list never hands out more records than released
    assert (table.loc[table["interval"] == 2, "dials"] == 0).all()
    first_two = table[table["interval"] <= 1].groupby("replication")["dials"].sum()
    assert (first_two == 60).all()  # the first 60 records are used up before interval 3
    assert (table.groupby("replication")["dials"].sum() <= 110).all()
    # after a warm-up, attempts started before it are simulated but not counted
    later = sim.simulate(model.with_warmup(1800.0), replications=4, seed=3).campaigns
    assert (later.loc[later["interval"] == 0, "dials"] == 0).all()
    assert later.loc[later["interval"] == 1, "dials"].sum() == table.loc[table["interval"] == 1, "dials"].sum()
    assert list(result.campaign_summary["kpi"].unique()) == list(CAMPAIGN_KPIS)


@pytest.mark.parametrize("contact_rate, dial_seconds, preview_seconds", [(1.0, None, 0.0), (0.3, 25.0, 0.0),
                                                                       (0.5, 15.0, 40.0)])
def test_without_inbound_traffic_throughput_is_renewal_theory(contact_rate, dial_seconds, preview_seconds):
    """No inbound arrivals, reserve 0: every agent dials back to back, a renewal process per agent,
    so attempts per hour = agents x 3600 / mean time per attempt (preview + dial + contact rate x
    talk), and
    the outbound share of agent time is 1 (up to the attempt cut at each end of the horizon).
    20 replications of 8 h with 10 agents; tolerance 2 x ci95 + 1 % (the horizon cut)."""
    dial = None if dial_seconds is None else sim.Distribution.exponential(dial_seconds)
    agents, hours = 10, 8
    model = blend_model(agents=agents, rate_per_hour=0.0, aht_seconds=240.0, outbound_seconds=300.0, reserve=0,
                        hours=hours, contact_rate=contact_rate, dial_time=dial,
                        dialling="preview" if preview_seconds else "progressive", preview_seconds=preview_seconds)
    result = sim.simulate(model, replications=20, seed=11)
    summary = result.campaign_summary.set_index("kpi")
    mean_attempt = model.campaigns[0].mean_attempt_seconds
    assert mean_attempt == pytest.approx(preview_seconds + (dial_seconds or 0.0) + contact_rate * 300.0)
    exact = agents * hours * 3600.0 / mean_attempt
    check(summary.at["dials", "mean"], summary.at["dials", "ci95"], exact, 0.01 * exact, 0.05 * exact, "dials")
    assert summary.at["outbound_share", "mean"] == pytest.approx(1.0, abs=1e-9)
    assert summary.at["outbound_agent_hours", "mean"] == pytest.approx(agents * hours, rel=1e-9)
    occupancy = result.group_summary["occupancy"].to_numpy()
    np.testing.assert_allclose(occupancy, 1.0)  # outbound work counts as busy
    if contact_rate < 1:
        check(summary.at["connect_rate", "mean"], summary.at["connect_rate", "ci95"], contact_rate, 0.0, 0.05,
              "connect_rate")


def test_campaign_kpis_in_json_and_interval_table():
    model = blend_model(agents=6, rate_per_hour=60.0, aht_seconds=240.0, outbound_seconds=300.0, reserve=1, hours=4)
    result = sim.simulate(model, replications=3, seed=5)
    payload = result.to_json_dict()["campaigns"]["sales"]
    assert set(payload) == set(CAMPAIGN_KPIS)
    assert payload["dials"]["mean"] > 0 and payload["dials"]["low"] <= payload["dials"]["mean"] <= payload["dials"]["high"]
    assert len(result.campaigns) == 3 * 4
    hours = result.campaigns.groupby("replication")["outbound_agent_hours"].sum()
    assert (hours > 0).all() and (hours <= 6 * 4).all()


def test_events_per_attempt_is_one():
    """Each attempt costs one event, so events = inbound contacts (one join + one service each
    when answered) + dials; without inbound, exactly the dials (+ nothing polling)."""
    model = blend_model(agents=4, rate_per_hour=0.0, aht_seconds=240.0, outbound_seconds=120.0, reserve=0, hours=2)
    result = sim.simulate(model, replications=1, seed=1)
    table = result.campaigns
    assert result.events == int(table["dials"].sum())


@pytest.mark.parametrize("field, options, message", [
    ("contact_rate", {"contact_rate": 1.5}, "campaigns.sales.contact_rate must be >= 0 and <= 1"),
    ("reserve", {"reserve": -1}, "campaigns.sales.reserve must be a whole number >= 0"),
    ("dialling", {"dialling": "predictive"}, "campaigns.sales.dialling must be one of progressive, preview"),
    ("preview_seconds", {"preview_seconds": 10.0}, "campaigns.sales.preview_seconds must be 0 unless dialling is preview"),
    ("records", {"records_per_interval": [-3]}, "campaigns.sales.records_per_interval must be >= 0"),
    ("handle", {"handle_time": sim.Distribution.exponential(-1)}, "campaigns.sales.handle_time.mean_seconds must be > 0"),
])
def test_bad_campaign_values_are_named(field, options, message):
    arguments = {"handle_time": sim.Distribution.exponential(200.0), **options}
    with pytest.raises(sim.ModelError, match="^" + message.replace("(", r"\(")):
        sim.OutboundCampaign("sales", ["team"], **arguments)


def test_campaign_groups_are_checked_against_the_model():
    voice = sim.ChannelModel("voice", "voice", [10], sim.Distribution.exponential(200))
    team = sim.AgentGroupModel("team", ["voice"], [3])
    campaign = sim.OutboundCampaign("sales", ["nobody"], sim.Distribution.exponential(200))
    with pytest.raises(sim.ModelError, match="campaigns.sales.groups names an unknown group 'nobody'"):
        sim.SimulationModel(1800, 2, [voice], [team], campaigns=[campaign])
    twice = [sim.OutboundCampaign(name, ["team"], sim.Distribution.exponential(200)) for name in ("a", "b")]
    with pytest.raises(sim.ModelError, match="works at most one campaign"):
        sim.SimulationModel(1800, 2, [voice], [team], campaigns=twice)
    window = sim.OutboundCampaign("sales", ["team"], sim.Distribution.exponential(200), open_per_interval=[True] * 3)
    with pytest.raises(sim.ModelError, match="campaigns.sales.open_per_interval must have one value per interval"):
        sim.SimulationModel(1800, 2, [voice], [team], campaigns=[window])
    assert math.isclose(sim.SimulationModel(1800, 2, [voice], [team], campaigns=[campaign.__class__(
        "sales", ["team"], sim.Distribution.exponential(200))]).with_warmup(60).campaigns[0].handle_time.mean_seconds, 200)


def test_power_dialling_without_inbound_matches_its_renewal_formula():
    """Power dialling, no inbound, reserve 0, k = 3 lines per agent, constant 20 s dial time,
    contact rate p = 0.3, exponential 300 s talk: each agent repeats batches lasting
    20 + (1 - (1 - p)^k) x 300 s on average, with k dials each, so dials per hour =
    agents x k x 3600 / that; no agent is ever idle, so every connect after a batch's first is
    dropped: drop rate = 1 - (1 - (1 - p)^k) / (k p). 20 replications of 8 h with 10 agents;
    tolerance 2 x ci95 + 1 % (the horizon cut) for dials, 2 x ci95 for the drop rate. Conservation
    per interval: dials = completed + unreached + dropped + in progress."""
    agents, hours, lines, p, dial, talk = 10, 8, 3, 0.3, 20.0, 300.0
    model = blend_model(agents=agents, rate_per_hour=0.0, aht_seconds=240.0, outbound_seconds=talk, reserve=0,
                        hours=hours, contact_rate=p, dial_time=sim.Distribution.constant(dial), dialling="power",
                        lines_per_agent=lines)
    result = sim.simulate(model, replications=20, seed=17)
    summary = result.campaign_summary.set_index("kpi")
    reached = 1.0 - (1.0 - p) ** lines
    exact_dials = agents * lines * hours * 3600.0 / (dial + reached * talk)
    check(summary.at["dials", "mean"], summary.at["dials", "ci95"], exact_dials, 0.01 * exact_dials, 0.05 * exact_dials,
          "dials")
    exact_drop = 1.0 - reached / (lines * p)
    check(summary.at["drop_rate", "mean"], summary.at["drop_rate", "ci95"], exact_drop, 0.0, 0.05, "drop_rate")
    table = result.campaigns
    assert (table["dials"] == table["completed"] + table["unreached"] + table["dropped"]
            + table["attempts_in_progress_end"]).all()
    # one event per line and one per talk: at most 2 per dial, at least 1
    assert table["dials"].sum() <= result.events <= table["dials"].sum() + table["connects"].sum()


def test_more_lines_per_agent_dial_more_and_drop_more():
    """Metamorphic (same seed, same inbound customers): power dialling with 1, 2, 3 lines per agent
    on a blended team. More lines dial more and reach more customers, and drop a larger share of
    them; one line drops nothing (the agent is always there for its own line)."""
    options = dict(agents=10, rate_per_hour=60.0, aht_seconds=240.0, outbound_seconds=240.0, hours=6, reserve=1,
                   contact_rate=0.3, dial_time=sim.Distribution.exponential(20.0), dialling="power")
    dials, drop_rates = [], []
    for lines in (1, 2, 3):
        result = sim.simulate(blend_model(lines_per_agent=lines, **options), replications=5, seed=23)
        summary = result.campaign_summary.set_index("kpi")
        dials.append(summary.at["dials", "mean"])
        drop_rates.append(summary.at["drop_rate", "mean"])
    assert dials[0] < dials[1] < dials[2]
    assert drop_rates[0] == 0.0 and 0.0 < drop_rates[1] < drop_rates[2]


def test_lines_per_agent_needs_power_dialling():
    with pytest.raises(sim.ModelError, match="^campaigns.sales.lines_per_agent must be 1 unless dialling is power"):
        sim.OutboundCampaign("sales", ["team"], sim.Distribution.exponential(200.0), lines_per_agent=2)
    with pytest.raises(sim.ModelError, match="^campaigns.sales.lines_per_agent must be a whole number >= 1"):
        sim.OutboundCampaign("sales", ["team"], sim.Distribution.exponential(200.0), dialling="power", lines_per_agent=0)


@pytest.mark.parametrize("reserve, completed, dropped", [(0, 2, 1), (1, 1, 2)])
def test_power_dialled_connects_go_to_an_idle_agent_above_the_reserve(reserve, completed, dropped):
    """Two agents, no inbound, a list of exactly 3 records, power dialling 3 lines, every attempt
    connects after a constant 20 s. The first agent dials all 3 records; at 20 s the first connect
    is its own, the second goes to the other (idle) agent if more than ``reserve`` agents are idle,
    and the rest are dropped: reserve 0 -> 2 talks and 1 drop, reserve 1 -> 1 talk and 2 drops."""
    voice = sim.ChannelModel("voice", "voice", [0], sim.Distribution.exponential(200))
    team = sim.AgentGroupModel("team", ["voice"], [2])
    campaign = sim.OutboundCampaign("sales", ["team"], sim.Distribution.constant(100.0), contact_rate=1.0,
                                    dial_time=sim.Distribution.constant(20.0), reserve=reserve, dialling="power",
                                    lines_per_agent=3, records_per_interval=[3, 0])
    model = sim.SimulationModel(1800, 2, [voice], [team], campaigns=[campaign])
    result = sim.simulate(model, replications=1, seed=1)
    totals = result.campaigns[["dials", "connects", "completed", "dropped", "unreached"]].sum()
    assert totals.to_dict() == {"dials": 3, "connects": 3, "completed": completed, "dropped": dropped, "unreached": 0}
    hours = result.campaigns["outbound_agent_hours"].sum()
    assert hours == pytest.approx((20.0 + 100.0 * completed) / 3600.0)  # the dialler waited 20 s, each talk 100 s
