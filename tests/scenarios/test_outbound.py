"""Outbound campaigns in scenario files: load, validate (one-line errors), schema, compile, CLI output."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from scenarios import compile_scenario, load_scenario
from scenarios.document.scenario import scenario_json_schema
from scenarios.errors import ScenarioError
from scenarios.report.kpis import CAMPAIGN_VIEW_KPIS, KPIS, applies_to
from simulator.kpis import CAMPAIGN_KPIS

EXAMPLE = str(resources.files("scenarios") / "examples" / "blended_outbound.yaml")


def campaign(**fields) -> dict:
    return {"name": "renewals", "groups": ["voice team"], "contact_rate": 0.4, "aht_seconds": 300, **fields}


def test_campaign_compiles_to_the_engine_campaign(minimal_data, write_file):
    minimal_data["start_time"] = "08:00"
    minimal_data["outbound"] = [campaign(dial_seconds=20, reserve=2, records_per_interval=50,
                                         handle_time={"kind": "gamma", "cv": 0.5}, after_contact_work_seconds=45,
                                         calling_hours={"open": "10:00", "close": "12:00"})]
    model = compile_scenario(load_scenario(write_file("blend.yaml", minimal_data))).model
    (engine,) = model.campaigns
    assert engine.groups == ("voice team",) and engine.reserve == 2 and engine.contact_rate == 0.4
    assert engine.handle_time.kind == "gamma" and engine.handle_time.mean_seconds == 300
    assert engine.dial_time is not None and engine.dial_time.is_constant and engine.dial_time.mean_seconds == 20
    assert engine.after_contact_work_seconds == 45
    np.testing.assert_array_equal(model.campaign_records_per_interval(0), [50] * 16)
    opened = model.campaign_open_per_interval(0)  # 30-minute intervals from 08:00: 10:00-12:00 is intervals 4-7
    assert list(np.flatnonzero(opened)) == [4, 5, 6, 7]


def test_power_dialling_compiles_with_its_lines(minimal_data, write_file):
    minimal_data["outbound"] = [campaign(dialling="power", lines_per_agent=3, dial_seconds=20)]
    (engine,) = compile_scenario(load_scenario(write_file("power.yaml", minimal_data))).model.campaigns
    assert engine.dialling == "power" and engine.lines_per_agent == 3


def test_setup_aht_factor_applies_to_outbound_talk(minimal_data, write_file):
    minimal_data["outbound"] = [campaign()]
    minimal_data["setup"] = {"kind": "virtual", "aht_factor": 1.1}
    compiled = compile_scenario(load_scenario(write_file("blend.yaml", minimal_data)))
    assert compiled.model.campaigns[0].handle_time.mean_seconds == pytest.approx(300 * 1.1)


CASES = [
    ("contact rate above one", {"contact_rate": 1.2}, "outbound[0].contact_rate", "less than or equal to 1"),
    ("negative reserve", {"reserve": -1}, "outbound[0].reserve", "greater than or equal to 0"),
    ("unknown group", {"groups": ["night team"]}, "outbound[0].groups", "unknown staff group 'night team'"),
    ("unknown dialling", {"dialling": "predictive"}, "outbound[0].dialling", "'progressive', 'preview' or 'power'"),
    ("preview time without preview", {"preview_seconds": 20}, "outbound[0].preview_seconds", "preview only"),
    ("records of wrong length", {"records_per_interval": [10] * 5}, "outbound[0].records_per_interval", "16 values"),
    ("dial family without a mean", {"dial_time": {"kind": "exponential"}}, "outbound[0].dial_seconds", "must be > 0"),
    ("missing talk time", {"aht_seconds": None}, "outbound[0].aht_seconds", "is required"),
    ("unknown key", {"reserv": 2}, "outbound[0].reserv", "unknown key"),
    ("lines without power dialling", {"lines_per_agent": 2}, "outbound[0].lines_per_agent", "power only"),
    ("too many lines", {"dialling": "power", "lines_per_agent": 11}, "outbound[0].lines_per_agent", "less than or equal to 10"),
]


@pytest.mark.parametrize(("fields", "field", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_campaign_is_one_line_naming_the_field(minimal_data, write_file, run_cli, fields, field, fragment):
    spec = campaign(**fields)
    spec = {key: value for key, value in spec.items() if value is not None}
    minimal_data["outbound"] = [spec]
    path = write_file("bad.yaml", minimal_data)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.field_path == field, str(caught.value)
    assert fragment in caught.value.reason, str(caught.value)
    status, out, err = run_cli("simulate", path, "--quiet")
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"ccplan simulate: error: {path}: outbound \"renewals\""), err


def test_a_group_in_two_campaigns_and_duplicate_names_are_refused(minimal_data, write_file):
    minimal_data["outbound"] = [campaign(), campaign(name="collections")]
    with pytest.raises(ScenarioError, match="already works campaign 'renewals'"):
        load_scenario(write_file("two.yaml", minimal_data))
    minimal_data["outbound"] = [campaign(), campaign()]
    with pytest.raises(ScenarioError, match="must be unique"):
        load_scenario(write_file("dup.yaml", minimal_data))
    minimal_data["outbound"] = [campaign(name="voice")]
    with pytest.raises(ScenarioError, match="must differ from every channel name"):
        load_scenario(write_file("clash.yaml", minimal_data))


def test_schema_documents_outbound():
    schema = scenario_json_schema()
    assert "outbound" in schema["properties"]
    spec = schema["$defs"]["OutboundCampaignSpec"]["properties"]
    for name in ("groups", "contact_rate", "reserve", "dialling", "dial_seconds", "aht_seconds", "records_per_interval",
                 "calling_hours"):
        assert spec[name].get("description"), name
    assert "Range: [0, 1]" in spec["contact_rate"]["description"]


def test_campaign_kpis_have_labels_and_apply_to_no_channel():
    assert set(CAMPAIGN_VIEW_KPIS) == set(CAMPAIGN_KPIS)
    for name in CAMPAIGN_VIEW_KPIS:
        assert KPIS[name].meaning or KPIS[name].label
        assert not any(applies_to(name, kind) for kind in ("voice", "chat", "email"))


def test_example_runs_and_reports_both_directions(run_cli, tmp_path):
    """The bundled example through ``ccplan simulate``: text, ``--json`` and ``--intervals``."""
    status, out, err = run_cli("simulate", EXAMPLE, "--replications", 3, "--seed", 2, "--quiet", "--intervals")
    assert status == 0, err
    assert "outbound (blended)" in out and "right-party contacts" in out and "renewals.dials" in out
    status, out, err = run_cli("simulate", EXAMPLE, "--replications", 3, "--seed", 2, "--json", "--intervals")
    assert status == 0, err
    payload = json.loads(out)
    renewals = payload["campaigns"]["renewals"]
    assert set(renewals) == set(CAMPAIGN_KPIS)
    assert renewals["dials"]["mean"] > 0 and 0 < renewals["outbound_share"]["mean"] < 1
    assert payload["definitions"]["connects"]
    assert "renewals.connects" in payload["intervals"][0]
    # dials by interval follow the calling hours (10:00-16:30): none before 10:00
    assert payload["intervals"][0]["renewals.dials"] == 0 and payload["intervals"][2]["renewals.dials"] > 0
    workbook = tmp_path / "run.xlsx"
    status, _, err = run_cli("simulate", EXAMPLE, "--replications", 2, "--seed", 2, "--quiet", "--xlsx", workbook)
    assert status == 0, err
    from scenarios.report.excel import read_xlsx

    assert "outbound" in read_xlsx(workbook)


def test_outbound_line_minutes_are_priced_as_telephony():
    """The campaign's agent time on outbound (dialling and talking) is charged at the telephony
    price per minute: the cost with the campaign's table minus the cost of the same run without it
    is exactly that price x the simulated outbound minutes, per replication."""
    import dataclasses

    from scenarios.studies.costs import estimate_costs
    from scenarios.studies.run import run_setup

    scenario = load_scenario(resources.files("scenarios") / "examples" / "blended_outbound.yaml")
    run = run_setup(scenario, None, 3, 7)
    with_outbound = estimate_costs(run.compiled, run.result).per_replication.set_index("replication")
    inbound_only = estimate_costs(run.compiled, dataclasses.replace(run.result, campaigns=None)).per_replication
    minutes = run.result.campaigns.groupby("replication")["outbound_agent_hours"].sum() * 60.0
    assert (minutes > 0).all()
    expected = inbound_only.set_index("replication")["telephony"] + scenario.costs.telephony_per_minute * minutes
    assert np.allclose(with_outbound["telephony"], expected)


def test_comparison_of_setups_shows_the_campaign_beside_the_channels():
    """``compare`` (text, CSV and JSON go through ``SetupRun.metrics``) has each campaign's dials,
    connects, agent-hours and outbound share per setup, equal to the campaign summary of that run,
    with shares printed as percentages like every other share."""
    from scenarios import compare
    from scenarios.report.text import format_comparison

    scenario = load_scenario(EXAMPLE)
    comparison = compare(scenario, ["in-house", "cloud"], 3, 5)
    for run in comparison.runs:
        metrics = run.metrics()
        summary = run.result.campaign_summary.set_index(["campaign", "kpi"])
        for kpi in ("dials", "connects", "outbound_agent_hours", "outbound_share"):
            assert metrics[f"renewals.{kpi}"][0] == pytest.approx(summary.loc[("renewals", kpi), "mean"])
    text = format_comparison(comparison)
    line = next(row for row in text.splitlines() if row.startswith("renewals.outbound_share"))
    assert "%" in line
