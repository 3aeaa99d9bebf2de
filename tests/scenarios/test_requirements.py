"""Analytic requirements of a whole scenario (scenarios.bridge.requirements) and ``ccplan staff FILE.yaml``.

Kind: unit. Each test checks one documented mapping from the scenario onto staffing's
interval requirements against a value computed by hand or with staffing directly.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import staffing
from scenarios.bridge.requirements import agent_workload, scenario_requirements
from scenarios.document.loader import parse_scenario


def test_single_queue_matches_staffing_directly(minimal_data):
    table = scenario_requirements(parse_scenario(minimal_data))
    assert len(table) == 16 and set(table["channel"]) == {"voice"}
    # 240 calls per 30 min at 180 s = 24 Erlangs; Erlang A with 120 s patience is the staffing used.
    assert table["traffic_erlangs"].iloc[0] == pytest.approx(24.0)
    assert table["required_erlang_c"].iloc[0] == staffing.required_agents(24.0, 180, 20, 0.8)
    expected_a = staffing.required_agents_erlang_a(480.0, 180, 120, 20, 0.8)
    assert table["required_erlang_a"].iloc[0] == expected_a == table["required_agents"].iloc[0]


def test_bot_self_service_and_wrap_up_change_the_workload(minimal_data):
    minimal_data["channels"]["voice"].update(
        self_service_share=0.1, after_contact_work_seconds=30,
        bot={"resolved_share": 0.25, "bot_time_seconds": 60, "escalated_handle_time_factor": 0.8})
    scenario = parse_scenario(minimal_data)
    to_agents, handle = agent_workload(scenario, "voice")
    np.testing.assert_allclose(to_agents, 240 * 0.9 * 0.75)
    assert handle == pytest.approx(180 * 0.8 + 30)
    table = scenario_requirements(scenario)
    assert table["traffic_erlangs"].iloc[0] == pytest.approx(240 * 0.9 * 0.75 * (180 * 0.8 + 30) / 1800)


def test_setups_change_the_inputs_as_they_change_the_simulation(minimal_data):
    minimal_data["setups"] = [
        {"kind": "virtual", "aht_factor": 1.1, "shrinkage_change": 0.05},
        {"kind": "cloud", "notifications": {"deflected_share": 0.5, "incidents": [{"start": "01:00", "end": "02:00"}]}},
    ]
    scenario = parse_scenario(minimal_data)
    base = scenario_requirements(scenario)
    virtual = scenario_requirements(scenario, "virtual")
    assert virtual["traffic_erlangs"].iloc[0] == pytest.approx(1.1 * base["traffic_erlangs"].iloc[0])
    assert (virtual["required_agents"] >= base["required_agents"]).all()
    cloud = scenario_requirements(scenario, "cloud")
    assert cloud["volume"].tolist()[2:4] == [120.0, 120.0]  # 01:00-02:00 halved by notifications
    assert cloud["volume"].iloc[0] == 240.0


def test_cli_staff_reads_scenario_files(run_cli, write_file, minimal_data):
    path = write_file("scenario.yaml", minimal_data)
    status, out, err = run_cli("staff", path)
    assert status == 0 and err == ""
    assert "Interval requirements for Single voice queue" in out
    status, out, _ = run_cli("staff", path, "--json", "--setup", "virtual")
    payload = json.loads(out)
    assert status == 0 and payload["setup"] == "virtual" and len(payload["rows"]) == 16
    minimal_data["channels"]["voice"]["aht_seconds"] = -5
    status, out, err = run_cli("staff", write_file("bad.yaml", minimal_data))
    assert status == 2 and out == ""
    assert "channels.voice.aht_seconds" in err and len(err.strip().splitlines()) == 1
