"""Every bundled example scenario validates and runs (a couple of replications each)."""

from __future__ import annotations

import json
from importlib import resources

import pytest
import yaml

from scenarios import compare, compile_scenario, load_scenario

EXAMPLES = ("single_queue.yaml", "retail_inhouse_monday.yaml", "insurer_virtual.yaml", "ecommerce_cloud_peak.yaml",
            "multiskill_overflow.yaml", "blended_outbound.yaml", "transfers_and_messages.yaml")
FOLDER = resources.files("scenarios") / "examples"


def test_single_queue_example_is_the_issue_3_form(minimal_yaml):
    bundled = yaml.safe_load((FOLDER / "single_queue.yaml").read_text())
    assert bundled == yaml.safe_load(minimal_yaml)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_validates_and_runs(name, run_cli):
    path = str(FOLDER / name)
    scenario = load_scenario(path)
    compiled = compile_scenario(scenario)
    assert compiled.model.intervals == scenario.intervals
    status, out, err = run_cli("simulate", path, "--replications", 2, "--seed", 1, "--json")
    assert status == 0, err
    payload = json.loads(out)
    assert set(payload["channels"]) == set(scenario.channels)
    for channel, kpis in payload["channels"].items():
        assert kpis["offered"]["mean"] > 0, channel


def test_examples_tell_their_story():
    retail = compile_scenario(load_scenario(FOLDER / "retail_inhouse_monday.yaml"))
    assert retail.setup_kind == "in-house" and retail.seat_shortfall.max() > 0  # the 110 seats bind at the peak
    insurer = compile_scenario(load_scenario(FOLDER / "insurer_virtual.yaml"))
    assert insurer.setup_kind == "virtual"
    assert insurer.model.channel("claims").aht_seconds == pytest.approx(420 * 1.04)
    cloud = compile_scenario(load_scenario(FOLDER / "ecommerce_cloud_peak.yaml"))
    assert cloud.setup_kind == "cloud" and cloud.notification_deflected["voice"].sum() > 0
    assert cloud.model.channel("voice").callback_threshold_seconds == 60
    assert cloud.model.arrivals_per_interval("email").sum() > 0  # from the history CSV


@pytest.mark.slow
def test_ecommerce_compare_runs_all_setups():
    comparison = compare(load_scenario(FOLDER / "ecommerce_cloud_peak.yaml"), replications=2, seed=1)
    table = comparison.table()
    assert table.loc["seat_shortfall_agent_hours", "in-house"] > 0
    assert table.loc["notification_deflected", "cloud"] > 0
