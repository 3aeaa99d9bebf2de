"""Setup comparison with common random numbers: each setup's lever moves service the expected way.

A peak day (one voice queue, a midday peak, a schedule that follows it) runs under the three
setups with one seed. To isolate each lever, the virtual setup is neutral here (AHT factor 1,
no shrinkage change), so in-house and virtual differ only by the seat cap, and cloud differs from
virtual only by callbacks / notifications. Differences are judged with a paired 95 % interval
over replications (common random numbers make the pairs comparable); the numbers are in the
assertion messages.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from scenarios import compare, parse_scenario

REPLICATIONS = 8
SEED = 20261127

PEAK = [120, 160, 220, 300, 380, 420, 440, 420, 380, 300, 240, 180, 140, 120, 110, 100]
SCHEDULE = [15, 19, 25, 33, 41, 45, 47, 45, 41, 33, 27, 21, 17, 15, 14, 13]


@pytest.fixture(scope="module")
def peak_day():
    return parse_scenario({
        "name": "Peak day",
        "interval_minutes": 30, "intervals": 16, "start_time": "08:00",
        "channels": {"voice": {"arrivals_per_interval": PEAK, "aht_seconds": 200, "patience_seconds": 90,
                               "service_level": {"target_seconds": 20, "goal": 0.8}}},
        "staff": [{"name": "voice team", "channels": ["voice"], "agents": SCHEDULE}],
        "setups": [
            {"kind": "in-house", "seats": 36},
            {"kind": "virtual", "aht_factor": 1.0, "shrinkage_change": 0.0},
            {"kind": "cloud", "burst": None, "callbacks": {"threshold_seconds": 30}},
        ],
    })


@pytest.fixture(scope="module")
def comparison(peak_day):
    return compare(peak_day, replications=REPLICATIONS, seed=SEED)


def _per_replication(run, kpi):
    table = run.result.per_replication
    return table[table["channel"] == "voice"].sort_values("replication")[kpi].to_numpy(dtype=float)


def _paired(a, b):
    """Mean of a - b and the half-width of its paired 95 % t interval."""
    diff = np.asarray(a) - np.asarray(b)
    half = stats.t.ppf(0.975, diff.size - 1) * diff.std(ddof=1) / np.sqrt(diff.size)
    return float(diff.mean()), float(half)


def test_common_random_numbers_give_the_same_customers(comparison):
    in_house, virtual = comparison.run("in-house"), comparison.run("virtual")
    np.testing.assert_array_equal(_per_replication(in_house, "offered"), _per_replication(virtual, "offered"))
    assert comparison.run("cloud").result.seed == in_house.result.seed == SEED


def test_in_house_seat_cap_binds_on_the_peak(comparison):
    in_house, virtual = comparison.run("in-house"), comparison.run("virtual")
    shortfall = in_house.compiled.seat_shortfall
    assert shortfall.max() == max(SCHEDULE) - 36 and (shortfall > 0).sum() == 5, shortfall.tolist()
    sl_diff, sl_half = _paired(_per_replication(in_house, "service_level"), _per_replication(virtual, "service_level"))
    ab_diff, ab_half = _paired(_per_replication(in_house, "abandon_rate"), _per_replication(virtual, "abandon_rate"))
    message = (f"in-house (36 seats) vs virtual, same schedule: SL {in_house.result.kpi('voice', 'service_level')[0]:.3f} vs "
               f"{virtual.result.kpi('voice', 'service_level')[0]:.3f} (diff {sl_diff:+.3f} ± {sl_half:.3f}); abandon rate "
               f"{in_house.result.kpi('voice', 'abandon_rate')[0]:.3f} vs {virtual.result.kpi('voice', 'abandon_rate')[0]:.3f} "
               f"(diff {ab_diff:+.3f} ± {ab_half:.3f})")
    assert sl_diff + sl_half < 0, message
    assert ab_diff - ab_half > 0, message


def test_cloud_callbacks_lower_abandonment_on_the_peak(comparison):
    cloud, virtual = comparison.run("cloud"), comparison.run("virtual")
    callbacks = cloud.result.kpi("voice", "callbacks")[0]
    diff, half = _paired(_per_replication(cloud, "abandon_rate"), _per_replication(virtual, "abandon_rate"))
    message = (f"cloud (callbacks above 30 s expected wait) vs virtual, same staff: abandon rate "
               f"{cloud.result.kpi('voice', 'abandon_rate')[0]:.3f} vs {virtual.result.kpi('voice', 'abandon_rate')[0]:.3f} "
               f"(diff {diff:+.3f} ± {half:.3f}), {callbacks:.0f} callbacks per replication")
    assert callbacks > 0, message
    assert diff + half < 0, message


def test_cloud_notifications_deflect_calls_during_an_incident(peak_day):
    data = peak_day.model_dump()
    data["setups"] = [{"kind": "cloud", "burst": None, "callbacks": {"enabled": False},
                       "notifications": {"deflected_share": 0.4, "incidents": [{"start": "10:00", "end": "12:00"}]}},
                      {"kind": "virtual", "aht_factor": 1.0, "shrinkage_change": 0.0}]
    scenario = parse_scenario(data)
    result = compare(scenario, ["virtual", "cloud"], replications=REPLICATIONS, seed=SEED)
    cloud, virtual = result.run("cloud"), result.run("virtual")
    expected = 0.4 * sum(PEAK[4:8])
    deflected = cloud.metrics()["notification_deflected"][0]
    offered = (cloud.result.kpi("voice", "offered")[0], virtual.result.kpi("voice", "offered")[0])
    abandon = (cloud.result.kpi("voice", "abandon_rate")[0], virtual.result.kpi("voice", "abandon_rate")[0])
    message = (f"notifications 10:00-12:00 deflect {deflected:.0f} calls (expected {expected:.0f}); offered {offered[0]:.0f} "
               f"vs {offered[1]:.0f}; abandon rate {abandon[0]:.3f} vs {abandon[1]:.3f}")
    # Same customers in both setups (common random numbers): notified calls still count as offered.
    assert offered[0] == offered[1], message
    # Each replication's deflected count is Poisson(expected) (thinning of a Poisson stream), so
    # the mean over the replications is within 4 standard deviations sqrt(expected / R).
    assert abs(deflected - expected) <= 4 * (expected / REPLICATIONS) ** 0.5, message
    assert abandon[0] < abandon[1], message


def test_cloud_bursting_lowers_abandonment_on_the_peak(peak_day):
    data = peak_day.model_dump()
    data["setups"] = [{"kind": "cloud", "callbacks": {"enabled": False},
                       "burst": {"threshold": 20, "startup_lag_seconds": 120, "max_agents": 10}}]
    with_burst = compare(parse_scenario(data), ["cloud"], replications=REPLICATIONS, seed=SEED).run("cloud")
    data["setups"][0]["burst"] = None
    without = compare(parse_scenario(data), ["cloud"], replications=REPLICATIONS, seed=SEED).run("cloud")
    diff, half = _paired(_per_replication(with_burst, "abandon_rate"), _per_replication(without, "abandon_rate"))
    assert diff + half < 0, f"bursting: abandon rate diff {diff:+.3f} ± {half:.3f}"
    assert with_burst.costs.mean("burst") > 0


def test_comparison_costs_follow_the_setups(comparison):
    in_house, virtual, cloud = (comparison.run(k) for k in ("in-house", "virtual", "cloud"))
    assert in_house.costs.mean("seats") > 0 and virtual.costs.mean("seats") == 0
    assert virtual.costs.mean("home_working") > 0 and cloud.costs.mean("home_working") > 0
    # in-house pays fewer agent-hours (the cap removes agents) but rents seats
    assert in_house.costs.mean("agents") < virtual.costs.mean("agents")


def test_comparison_tables(comparison):
    frame = comparison.to_frame()
    assert list(frame.columns) == ["setup", "metric", "mean", "ci95"]
    assert set(frame["setup"]) == {"in-house", "virtual", "cloud"}
    table = comparison.table()
    assert list(table.columns) == ["in-house", "virtual", "cloud"]
    assert {"voice.service_level", "voice.asa_seconds", "voice.abandon_rate", "voice.occupancy", "total_cost",
            "cost_per_contact", "cost_per_answered", "seat_shortfall_agent_hours"} <= set(table.index)
    payload = comparison.to_json_dict()
    assert payload["seed"] == SEED and payload["replications"] == REPLICATIONS
    assert payload["setups"]["in-house"]["seat_shortfall_per_interval"][6] == max(SCHEDULE) - 36
    assert payload["setups"]["cloud"]["notes"] == []


@pytest.mark.slow
def test_comparison_is_reproducible(peak_day, comparison):
    again = compare(peak_day, replications=REPLICATIONS, seed=SEED)
    assert again.to_frame().equals(comparison.to_frame())


def test_compare_refuses_unknown_or_repeated_setups(peak_day):
    from scenarios.errors import ScenarioError

    with pytest.raises(ScenarioError, match="unknown setup 'offshore'"):
        compare(peak_day, ["offshore"], replications=1, seed=1)
    with pytest.raises(ScenarioError, match="must not repeat"):
        compare(peak_day, ["cloud", "cloud"], replications=1, seed=1)
