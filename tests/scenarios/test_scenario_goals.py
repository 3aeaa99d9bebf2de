"""ASA and abandonment goals as scenario fields (issue 10): ``asa_goal_seconds`` and
``max_abandon_rate`` beside ``max_occupancy`` on a voice channel.

The analytic requirement (``ccplan staff``, ``ccplan plan``'s first schedule, the dashboard's
Staffing view) is the smallest headcount meeting every goal the channel states, computed by the
staffing API (``staffing.required_agents_erlang_a``); the requirement table's ``binding_goal``
says which goal sets it; ``ccplan simulate`` reports each goal against the simulated KPI.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import staffing
from scenarios.bridge.requirements import agent_workload, scenario_requirements
from scenarios.document.loader import load_scenario, parse_scenario
from scenarios.errors import ScenarioError

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios" / "examples"
RETAIL = EXAMPLES / "retail_inhouse_monday.yaml"
INSURER = EXAMPLES / "insurer_virtual.yaml"


def _with(path: Path, channel: str, **fields):
    document = load_scenario(path).model_dump(mode="json", exclude_unset=True)
    for key, value in fields.items():
        if value is None:
            document["channels"][channel].pop(key, None)
        else:
            document["channels"][channel][key] = value
    return parse_scenario(document, base_dir=path.parent)


def _voice_rows(scenario, channel: str):
    table = scenario_requirements(scenario)
    return table[table["channel"] == channel].sort_values("interval").reset_index(drop=True)


def _staffing_answer(scenario, channel: str, **goals) -> np.ndarray:
    """The staffing API called directly with the channel's inputs and goals."""
    spec = scenario.channels[channel]
    to_agents, handle = agent_workload(scenario, channel)
    rate = to_agents * 60.0 / scenario.interval_minutes
    return np.asarray(staffing.required_agents_erlang_a(
        rate, handle, spec.mean_patience_seconds, spec.target_seconds, spec.goal_or_default,
        max_occupancy=spec.max_occupancy, **goals), dtype=float)


def test_an_asa_goal_binds_on_the_retail_day_and_equals_the_staffing_answer():
    """Retail voice (80/20, occupancy cap 90 %, patience 150 s) with ASA <= 2 s: the requirement
    rises over the file's goals (and over SL alone) in most intervals, where the binding goal is
    ``asa``, and equals ``staffing.required_agents_erlang_a`` with the same goals interval by interval."""
    given = load_scenario(RETAIL)
    sl_only = _voice_rows(_with(RETAIL, "voice", max_occupancy=None), "voice")
    before = _voice_rows(given, "voice")
    scenario = _with(RETAIL, "voice", asa_goal_seconds=2.0)
    after = _voice_rows(scenario, "voice")
    required = after["required_agents"].to_numpy(dtype=float)
    assert (required >= before["required_agents"].to_numpy()).all()
    assert (required >= sl_only["required_agents"].to_numpy()).all()
    rose = required > before["required_agents"].to_numpy()
    assert rose.sum() >= len(required) // 2
    assert (after.loc[rose, "binding_goal"] == "asa").all()
    assert (after.loc[after["volume"] > 0, "asa_seconds"] <= 2.0 + 1e-9).all()
    np.testing.assert_array_equal(required, _staffing_answer(scenario, "voice", asa_goal_seconds=2.0))
    assert (before["binding_goal"] != "asa").all()


def test_an_abandonment_goal_binds_with_patience_on_the_insurer_day():
    """Insurer claims line (Erlang A, mean patience 180 s) with at most 1 % abandoning: the
    requirement rises over the service-level one where abandonment binds and equals the staffing
    answer; the abandon rate at the requirement is at most 1 %."""
    before = _voice_rows(load_scenario(INSURER), "claims")
    scenario = _with(INSURER, "claims", max_abandon_rate=0.01)
    after = _voice_rows(scenario, "claims")
    required = after["required_agents"].to_numpy(dtype=float)
    rose = required > before["required_agents"].to_numpy()
    assert rose.any() and (required >= before["required_agents"].to_numpy()).all()
    assert (after.loc[rose, "binding_goal"] == "abandon").all()
    assert (after.loc[after["volume"] > 0, "abandon_rate"] <= 0.01 + 1e-9).all()
    np.testing.assert_array_equal(required, _staffing_answer(scenario, "claims", max_abandon_rate=0.01))


@pytest.mark.parametrize(("channel", "fields", "path", "fragment"), [
    ("voice", {"asa_goal_seconds": 0}, "channels.voice.asa_goal_seconds", "greater than 0"),
    ("voice", {"asa_goal_seconds": 90000}, "channels.voice.asa_goal_seconds", "less than or equal to 86400"),
    ("voice", {"max_abandon_rate": 1.0}, "channels.voice.max_abandon_rate", "less than 1"),
    ("voice", {"max_abandon_rate": 0.05, "patience_seconds": None, "retrial": None}, "channels.voice.max_abandon_rate",
     "needs patience_seconds"),
    ("chat", {"asa_goal_seconds": 30}, "channels.chat.asa_goal_seconds", "applies to voice channels only"),
    ("chat", {"max_abandon_rate": 0.05}, "channels.chat.max_abandon_rate", "applies to voice channels only"),
])
def test_bad_goal_fields_name_the_field_and_range(channel, fields, path, fragment):
    with pytest.raises(ScenarioError) as caught:
        _with(RETAIL, channel, **fields)
    assert caught.value.field_path == path and fragment in caught.value.reason, (caught.value.field_path, caught.value.reason)


def test_goal_fields_are_in_the_json_schema_and_round_trip():
    """The schema documents both fields with their ranges; a scenario with them validates against
    the schema, and its canonical JSON parses back to the same scenario."""
    import jsonschema

    from scenarios.document.scenario import scenario_json_schema

    schema = scenario_json_schema()
    channel = schema["$defs"]["Channel"]["properties"]
    asa = next(option for option in channel["asa_goal_seconds"]["anyOf"] if option.get("type") == "number")
    abandon = next(option for option in channel["max_abandon_rate"]["anyOf"] if option.get("type") == "number")
    assert asa["exclusiveMinimum"] == 0 and asa["maximum"] == 86400
    assert abandon["exclusiveMinimum"] == 0 and abandon["exclusiveMaximum"] == 1
    assert "seconds" in channel["asa_goal_seconds"]["description"]
    scenario = _with(RETAIL, "voice", asa_goal_seconds=15.0, max_abandon_rate=0.03)
    document = json.loads(scenario.to_canonical_json())
    jsonschema.validate(document, schema)
    again = parse_scenario(document, base_dir=RETAIL.parent)
    assert again.to_canonical_json() == scenario.to_canonical_json()
    assert again.channels["voice"].asa_goal_seconds == 15.0 and again.channels["voice"].max_abandon_rate == 0.03


def test_staff_prints_the_binding_goal_and_refuses_a_bad_goal(run_cli, write_file):
    document = load_scenario(RETAIL).model_dump(mode="json", exclude_unset=True)
    document["channels"]["voice"]["asa_goal_seconds"] = 2.0
    document["channels"]["voice"].pop("history_csv", None)
    path = write_file("retail.yaml", document)
    status, out, err = run_cli("staff", path)
    assert status == 0, err
    header = next(line for line in out.splitlines() if line.startswith("start"))
    assert "binds" in header.split()
    assert any(line.split()[1] == "voice" and "asa" in line.split() for line in out.splitlines()
               if line[:2].isdigit())
    document["channels"]["voice"]["asa_goal_seconds"] = -1
    status, out, err = run_cli("staff", write_file("bad.yaml", document))
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert "asa_goal_seconds" in err and "greater than 0" in err and "Traceback" not in err


def test_simulate_reports_the_asa_and_abandonment_goals(run_cli, write_file):
    """``ccplan simulate`` states each goal against the simulated KPI (text and ``--json``): a goal
    far above what the single queue reaches is met, one far below is missed."""
    document = load_scenario(EXAMPLES / "single_queue.yaml").model_dump(mode="json", exclude_unset=True)
    document["channels"]["voice"].update({"asa_goal_seconds": 3600.0, "max_abandon_rate": 0.0001})
    path = write_file("goals.yaml", document)
    status, out, err = run_cli("simulate", path, "--replications", "3", "--seed", "1")
    assert status == 0, err
    assert "goal voice: ASA <= 3600 s: met" in out
    assert "goal voice: abandon rate <= 0.01%: EXCEEDED" in out
    status, out, err = run_cli("simulate", path, "--replications", "3", "--seed", "1", "--json")
    goals = json.loads(out)["goals"]["voice"]
    assert goals["asa_goal_seconds"] == {"goal": 3600.0, "met": True}
    assert goals["max_abandon_rate"] == {"goal": 0.0001, "met": False}


@pytest.mark.slow
def test_plan_starts_from_the_requirement_meeting_every_goal_and_checks_asa_and_abandonment():
    """``plan_staffing``'s analytic start is the requirement meeting every goal (the
    ``analytic_agents`` column equals ``scenario_requirements``, where the abandonment goal, then
    the ASA goal, binds), and its horizon table and report decide the ASA and abandonment goals
    with the goal rule on the upper bound: staffed for at most 0.01 % abandoning, the simulated
    abandon rate's interval lies below it (met), as does the ASA's below a 1-hour goal."""
    from scenarios.report.text import format_plan
    from scenarios.studies.plan import plan_staffing

    document = load_scenario(EXAMPLES / "single_queue.yaml").model_dump(mode="json", exclude_unset=True)
    document["channels"]["voice"].update({"asa_goal_seconds": 3600.0, "max_abandon_rate": 0.0001})
    loose = parse_scenario(document)
    plan = plan_staffing(loose, replications=3, max_replications=3, seed=1, max_iterations=1)
    horizon = plan.horizon.set_index("channel").loc["voice"]
    assert horizon["asa_decision"] == "met" and horizon["abandon_decision"] == "met"
    text = format_plan(plan)
    assert "(goal <= 3600 s: met)" in text and "(goal <= 0.01%: met)" in text
    required = scenario_requirements(loose)
    assert (required["binding_goal"] == "abandon").all()
    np.testing.assert_array_equal(plan.intervals.sort_values("interval")["analytic_agents"].to_numpy(dtype=float),
                                  required.sort_values("interval")["required_agents"].to_numpy(dtype=float))

    document["channels"]["voice"].update({"asa_goal_seconds": 2.0})
    del document["channels"]["voice"]["max_abandon_rate"]
    tight = parse_scenario(document)
    plan = plan_staffing(tight, replications=3, max_replications=3, seed=1, max_iterations=1)
    required = scenario_requirements(tight)
    assert (required["binding_goal"] == "asa").any()
    np.testing.assert_array_equal(plan.intervals.sort_values("interval")["analytic_agents"].to_numpy(dtype=float),
                                  required.sort_values("interval")["required_agents"].to_numpy(dtype=float))
