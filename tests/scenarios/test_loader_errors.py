"""Malformed scenario files are refused before any run: file + field path + reason, CLI exit 2.

Each case edits the valid minimal scenario in one place, so the test also proves that the
message points at *that* place.
"""

from __future__ import annotations

import numpy as np
import pytest

from scenarios import load_scenario, parse_scenario
from scenarios.errors import ScenarioError


def _set(data: dict, path: tuple, value) -> None:
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


# (id, edit path, new value, expected field path, reason fragment)
CASES = [
    ("wrong type", ("channels", "voice", "aht_seconds"), "three minutes", "channels.voice.aht_seconds", "must be a number, got 'three minutes'"),
    ("unknown key", ("channels", "voice", "patiense_seconds"), 90, "channels.voice.patiense_seconds", "unknown key"),
    ("unknown top-level key", ("replicatons",), 5, "replicatons", "unknown key"),
    ("negative volume", ("channels", "voice", "arrivals_per_interval"), [240] * 15 + [-1], "channels.voice.arrivals_per_interval", ">= 0"),
    ("list of wrong length", ("channels", "voice", "arrivals_per_interval"), [240] * 15, "channels.voice.arrivals_per_interval", "16 values"),
    ("agents of wrong length", ("staff", 0, "agents"), [26] * 17, "staff[0].agents", "16 values"),
    ("fractional agents", ("staff", 0, "agents"), 25.5, "staff[0].agents", "whole number"),
    ("patience zero", ("channels", "voice", "patience_seconds"), 0, "channels.voice.patience_seconds", "greater than 0"),
    ("patience negative", ("channels", "voice", "patience_seconds"), -30, "channels.voice.patience_seconds", "greater than 0"),
    ("concurrency zero", ("channels", "voice", "concurrency"), 0, "channels.voice.concurrency", "greater than or equal to 1"),
    ("concurrency on voice", ("channels", "voice", "concurrency"), 2, "channels.voice.concurrency", "only chat is concurrent"),
    ("negative cost", ("costs",), {"agent_hourly_cost": -5}, "costs.agent_hourly_cost", "greater than or equal to 0"),
    ("negative seat cost", ("setup",), {"kind": "in-house", "seat_cost_per_month": -1}, "setup.seat_cost_per_month", "greater than or equal to 0"),
    ("unknown setup kind", ("setup",), {"kind": "offshore"}, "setup", "does not match any of the expected tags"),
    ("key of another setup", ("setup",), {"kind": "virtual", "seats": 10}, "setup.seats", "unknown key"),
    ("goal above one", ("channels", "voice", "service_level"), {"target_seconds": 20, "goal": 1.5}, "channels.voice.service_level.goal", "less than 1"),
    ("shrinkage one", ("staff", 0, "shrinkage"), 1.0, "staff[0].shrinkage", "less than 1"),
    ("bad distribution", ("channels", "voice", "handle_time"), {"kind": "lognormal"}, "channels.voice.handle_time.cv", "is required"),
    ("bad clock", ("start_time",), "25:00", "start_time", "between 00:00 and 24:00"),
    ("two demand sources", ("channels", "voice", "daily_total"), 100, "channels.voice.daily_total", "only one demand source"),
    ("warm-up too long", ("warmup_minutes",), 480, "warmup_minutes", "must be < the horizon"),
    ("routing to a non-serving group", ("channels", "voice", "routing"), ["night team"], "channels.voice.routing", "not a staff group serving"),
]


#: How a message shows a field path that goes through a named list (the minimal scenario's group is "voice team").
SHOWN = {"staff[0].agents": 'staff "voice team" agents', "staff[0].shrinkage": 'staff "voice team" shrinkage'}


@pytest.mark.parametrize(("edit", "value", "field", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_file_is_refused_with_file_path_and_reason(minimal_data, write_file, run_cli, edit, value, field, fragment):
    _set(minimal_data, edit, value)
    path = write_file("bad.yaml", minimal_data)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    error = caught.value
    assert error.file == path
    assert error.field_path == field, str(error)
    assert fragment in error.reason, str(error)
    shown = SHOWN.get(field, field)  # list items by name in the message (issue 11); the machine path in field_path
    assert str(error).startswith(f"{path}: {shown}: ")
    status, out, err = run_cli("simulate", path, "--quiet")
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"ccplan simulate: error: {path}: {shown}: ")


def test_channel_nobody_serves(minimal_data, write_file, run_cli):
    minimal_data["channels"]["email"] = {"arrivals_per_interval": 20, "aht_seconds": 300}
    path = write_file("orphan.yaml", minimal_data)
    status, _, err = run_cli("simulate", path)
    assert status == 2
    assert err.strip() == (f"ccplan simulate: error: {path}: channels.email: is served by no staff group; "
                           "add 'email' to some staff[...].channels")


def test_unknown_profile(minimal_data):
    voice = minimal_data["channels"]["voice"]
    del voice["arrivals_per_interval"]
    voice.update(daily_total=3000, profile="tuesday-ish")
    with pytest.raises(ScenarioError, match=r"channels\.voice\.profile: must be a bundled profile \(.*weekday.*\) or a \.csv path"):
        parse_scenario(minimal_data)


def test_staff_naming_an_unknown_channel(minimal_data):
    minimal_data["staff"][0]["channels"] = ["voice", "chat"]
    with pytest.raises(ScenarioError, match=r"^<scenario>: staff \"voice team\" channels: names an unknown channel 'chat'"):
        parse_scenario(minimal_data)


def test_segments_must_sum_to_one(minimal_data):
    del minimal_data["channels"]["voice"]["arrivals_per_interval"]
    minimal_data["demand"] = {"daily_total": 100, "segments": [
        {"name": "a", "share": 0.5, "channel_mix": {"voice": 1.0}},
        {"name": "b", "share": 0.4, "channel_mix": {"voice": 1.0}}]}
    with pytest.raises(ScenarioError, match=r"demand\.segments: shares must sum to 1, got 0\.9"):
        parse_scenario(minimal_data)


def test_email_specific_rules(minimal_data):
    minimal_data["channels"]["email"] = {"arrivals_per_interval": 5, "aht_seconds": 300, "patience_seconds": 600}
    minimal_data["staff"][0]["channels"] = ["voice", "email"]
    with pytest.raises(ScenarioError, match=r"channels\.email\.patience_seconds: does not apply to an email channel"):
        parse_scenario(minimal_data)


def test_cloud_setup_naming_an_unknown_channel(minimal_data):
    minimal_data["setup"] = {"kind": "cloud", "notifications": {"channels": ["sms"]}}
    with pytest.raises(ScenarioError, match=r"setup\.notifications\.channels: names an unknown channel 'sms'"):
        parse_scenario(minimal_data)


def test_virtual_schedule_of_wrong_length(minimal_data):
    minimal_data["setups"] = [{"kind": "virtual", "schedules": {"voice team": [20, 30]}}]
    with pytest.raises(ScenarioError, match=r"setups \"virtual\" schedules\.voice team: must have one value per interval"):
        parse_scenario(minimal_data)


def test_yaml_syntax_error_has_line_and_column(write_file, run_cli, minimal_yaml):
    broken = minimal_yaml.replace("aht_seconds: 180", "aht_seconds: [180")
    path = write_file("broken.yaml", broken)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.field_path.startswith("line ") and ", column " in caught.value.field_path
    assert "YAML syntax error" in caught.value.reason
    status, _, err = run_cli("simulate", path)
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert f"{path}: line " in err


def test_yaml_duplicate_key_is_refused(write_file, minimal_yaml):
    path = write_file("twice.yaml", minimal_yaml.replace("intervals: 16", "intervals: 16\nintervals: 8"))
    with pytest.raises(ScenarioError, match=r"line 4, column 1: YAML syntax error: key 'intervals' appears twice"):
        load_scenario(path)


TOML_MINIMAL = """\
name = "Single voice queue"
interval_minutes = 30
intervals = 16

[channels.voice]
arrivals_per_interval = 240
aht_seconds = 180
patience_seconds = 120
service_level = { target_seconds = 20, goal = 0.8 }

[[staff]]
name = "voice team"
channels = ["voice"]
agents = 26
"""


def test_toml_scenario_is_read(write_file):
    scenario = load_scenario(write_file("single.toml", TOML_MINIMAL))
    assert scenario.channels["voice"].aht_seconds == 180 and scenario.staff[0].agents == (26,)


def test_toml_errors(write_file, run_cli):
    path = write_file("bad.toml", TOML_MINIMAL.replace("aht_seconds = 180", "aht_seconds = -180"))
    status, _, err = run_cli("simulate", path)
    assert status == 2
    assert err.strip().startswith(f"ccplan simulate: error: {path}: channels.voice.aht_seconds: ")
    path = write_file("syntax.toml", TOML_MINIMAL.replace('name = "Single voice queue"', "name = Single"))
    with pytest.raises(ScenarioError, match=r"TOML syntax error: .*line 1"):
        load_scenario(path)


@pytest.mark.parametrize(("name", "content", "fragment"), [
    ("empty.yaml", "", "the file is empty"),
    ("list.yaml", "- 1\n- 2\n", "must be a mapping"),
    ("scenario.json", "{}", "unsupported file type '.json'"),
])
def test_other_bad_files(write_file, run_cli, name, content, fragment):
    path = write_file(name, content)
    status, _, err = run_cli("simulate", path)
    assert status == 2 and fragment in err and len(err.strip().splitlines()) == 1


def test_missing_file(run_cli, tmp_path):
    status, _, err = run_cli("simulate", tmp_path / "nowhere.yaml")
    assert status == 2 and "file not found" in err


def test_several_problems_are_counted(minimal_data):
    minimal_data["channels"]["voice"]["aht_seconds"] = "x"
    minimal_data["intervals"] = 0
    with pytest.raises(ScenarioError, match=r"\(and 1 more problem\)$"):
        parse_scenario(minimal_data)


def test_unknown_key_suggests_the_closest_allowed_key(minimal_data):
    minimal_data["staff"][0]["shrinkag"] = 0.1
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(minimal_data)
    assert caught.value.field_path == "staff[0].shrinkag"
    assert caught.value.reason == "unknown key; did you mean 'shrinkage'? allowed here: agents, channels, handle_time_factor, name, routing_policy, shrinkage"
    minimal_data["staff"][0].pop("shrinkag")
    minimal_data["setup"] = {"kind": "cloud", "burst": {"max_agent": 3}}
    with pytest.raises(ScenarioError, match=r"setup\.burst\.max_agent: unknown key; did you mean 'max_agents'\?"):
        parse_scenario(minimal_data)


def test_history_and_profile_file_problems(minimal_data, write_file, tmp_path):
    voice = minimal_data["channels"]["voice"]
    del voice["arrivals_per_interval"]
    voice["history_csv"] = "missing.csv"
    path = write_file("history.yaml", minimal_data)
    with pytest.raises(ScenarioError, match=r"channels\.voice\.history_csv: history file not found: .*missing\.csv"):
        load_scenario(path)
    write_file("missing.csv", "timestamp,voice\n2026-11-02 08:00,12\n2026-11-02 08:30,many\n")
    with pytest.raises(ScenarioError, match=r"channels\.voice\.history_csv: history file .* row 3: voice must be a number >= 0 and <= 1e\+07, got 'many'"):
        load_scenario(path)
    minimal_data["interval_minutes"] = 7
    with pytest.raises(ScenarioError, match=r"channels\.voice\.history_csv: needs interval_minutes dividing the day"):
        load_scenario(write_file("history7.yaml", minimal_data))
    del voice["history_csv"]
    minimal_data["interval_minutes"] = 30
    voice.update(daily_total=1000, profile="shape.csv")
    write_file("shape.csv", "time,share\n00:00,1\n12:00,-1\n")
    with pytest.raises(ScenarioError, match=r"channels\.voice\.profile: profile 'shape\.csv' column share must hold numbers >= 0"):
        load_scenario(write_file("profile.yaml", minimal_data))


def test_custom_profile_csv_relative_to_the_file(minimal_data, write_file):
    from scenarios.document.demand import resolve_arrivals

    voice = minimal_data["channels"]["voice"]
    del voice["arrivals_per_interval"]
    voice.update(daily_total=1200, profile="mornings.csv")
    minimal_data["intervals"] = 48
    write_file("mornings.csv", "# all calls in the morning\ntime,share\n00:00,0\n06:00,1\n12:00,0\n18:00,0\n")
    scenario = load_scenario(write_file("custom.yaml", minimal_data))
    arrivals = resolve_arrivals(scenario, "voice")
    np.testing.assert_allclose(arrivals[12:24], 100.0)
    assert arrivals.sum() == pytest.approx(1200) and arrivals[:12].sum() == arrivals[24:].sum() == 0


def test_channel_with_demand_but_no_agents(minimal_data):
    minimal_data["staff"][0]["agents"] = 0
    with pytest.raises(ScenarioError, match=r"channels\.voice: has demand but every staff group serving it \(voice team\) has 0 agents"):
        parse_scenario(minimal_data)


def test_messages_name_list_items_in_the_users_words(minimal_data):
    """Issue 11: ``staff "voice team" agents``, not ``staff[0].agents``; unnamed items 1-based."""
    from scenarios.document.loader import readable_path

    minimal_data["staff"].append({"name": "back office", "channels": ["voice"], "agents": [1] * 3})
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(minimal_data)
    assert caught.value.field_path == "staff[1].agents"
    assert str(caught.value).startswith('<scenario>: staff "back office" agents: ')
    data = {"setup": {"kind": "cloud", "notifications": {"incidents": [{}, {}]}}, "setups": [{"kind": "virtual"}]}
    assert readable_path("setup.notifications.incidents[1].day", data) == "setup.notifications.incidents item 2 day"
    assert readable_path("setups[0].aht_factor", data) == 'setups "virtual" aht_factor'
