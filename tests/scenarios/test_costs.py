"""Cost estimates: each item's arithmetic on a small run, and the per-contact ratios."""

from __future__ import annotations

import math

import pytest

from scenarios import COST_ITEMS, compile_scenario, estimate_costs, parse_scenario
from simulator import simulate


def _costs(scenario, setup=None, replications=3):
    compiled = compile_scenario(scenario, setup)
    result = simulate(compiled.model, replications, 5)
    return compiled, result, estimate_costs(compiled, result)


@pytest.fixture
def priced(minimal_data):
    # 26 agents x 8 hours = 208 paid agent-hours; payroll = ceil(208 / 7.5) = 28 agents
    minimal_data["costs"] = {"agent_hourly_cost": 30, "licence_per_agent_month": 110, "operating_days_per_month": 22,
                             "paid_hours_per_agent_day": 7.5, "telephony_per_minute": 0.01}
    return parse_scenario(minimal_data)


def test_fixed_items(priced):
    _, _, costs = _costs(priced)
    assert costs.mean("agents") == pytest.approx(30 * 208)
    assert costs.mean("licences") == pytest.approx(110 * 28 / 22)
    assert costs.mean("seats") == 0 and costs.mean("home_working") == 0
    assert list(costs.per_replication.columns[1:len(COST_ITEMS) + 1]) == list(COST_ITEMS)


def test_setup_items(priced):
    _, _, in_house = _costs(priced, "in-house")
    assert in_house.mean("seats") == pytest.approx(450 * 26 / 22)  # default price, seats = peak headcount
    assert in_house.notes == ("in-house without a seat cap: seat cost on the peak headcount (26 seats)",)
    from scenarios import CloudSetup, InHouseSetup, VirtualSetup

    _, _, capped = _costs(priced, InHouseSetup(seats=30, seat_cost_per_month=440))
    assert capped.mean("seats") == pytest.approx(440 * 30 / 22)
    _, _, virtual = _costs(priced, VirtualSetup(home_working_allowance_per_agent_month=44))
    assert virtual.mean("home_working") == pytest.approx(44 * 28 / 22) and virtual.mean("seats") == 0
    cloud = CloudSetup.model_validate({"notifications": {"deflected_share": 0.5, "price_per_notification": 0.1,
                                                         "incidents": [{"start": "01:00", "end": "02:00"}]}})
    compiled, result, cloud_costs = _costs(priced, cloud)
    assert compiled.notification_deflected["voice"].sum() == pytest.approx(240)  # expected count
    notified = result.per_replication.groupby("replication")["deflected_notification"].sum()
    assert notified.mean() > 0
    assert cloud_costs.mean("notifications") == pytest.approx(0.1 * notified.mean())  # simulated count
    groups = result.groups[result.groups["group"] == compiled.model.groups[-1].name]
    minutes = groups.groupby("replication")["available_agents"].sum() * compiled.model.interval_seconds / 60
    assert cloud_costs.mean("burst") == pytest.approx(cloud.burst.price_per_minute * minutes.mean())


def test_telephony_and_ratios(priced):
    compiled, result, costs = _costs(priced)
    table = result.per_replication.set_index("replication")
    for replication, row in costs.per_replication.set_index("replication").iterrows():
        kpis = table.loc[replication]
        minutes = (kpis["answered"] * 180 + kpis["offered_to_agents"] * kpis["mean_wait_seconds"]) / 60
        assert row["telephony"] == pytest.approx(0.01 * minutes)
        assert row["total"] == pytest.approx(sum(row[item] for item in COST_ITEMS))
        assert row["cost_per_contact"] == pytest.approx(row["total"] / kpis["offered"])
        assert row["cost_per_answered"] == pytest.approx(row["total"] / kpis["answered"])
    payload = costs.to_json_dict()
    assert payload["currency"] == "EUR" and set(payload["items"]) == set(COST_ITEMS)
    assert payload["total"]["mean"] == pytest.approx(costs.total) and not math.isnan(payload["total"]["ci95"])


def test_chat_and_bot_sessions(minimal_data):
    minimal_data["channels"]["chat"] = {"arrivals_per_interval": 50, "aht_seconds": 300, "concurrency": 2,
                                        "bot": {"resolved_share": 0.5, "bot_time_seconds": 30}}
    minimal_data["staff"][0]["channels"] = ["voice", "chat"]
    minimal_data["costs"] = {"chat_session_cost": 0.5, "bot_session_cost": 0.2}
    _, result, costs = _costs(parse_scenario(minimal_data))
    chat = result.per_replication[result.per_replication["channel"] == "chat"].set_index("replication")
    for replication, row in costs.per_replication.set_index("replication").iterrows():
        assert row["chat_sessions"] == pytest.approx(0.5 * chat.loc[replication, "offered_to_agents"])
        assert row["bot_sessions"] == pytest.approx(0.2 * chat.loc[replication, "offered"])
