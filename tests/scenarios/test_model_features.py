"""Issue 12 fields in scenario files: distributions, trunks, queue limits, routing policies and
delayed overflow compile to the simulator's model; bad values are one-line errors naming the field."""

from __future__ import annotations

from importlib import resources

import pytest

import simulator as sim
from scenarios import compile_scenario, load_scenario, parse_scenario
from scenarios.errors import ScenarioError

FOLDER = resources.files("scenarios") / "examples"


def with_features(data: dict) -> dict:
    voice = data["channels"]["voice"]
    voice.pop("aht_seconds")
    voice["handle_time"] = {"kind": "triangular", "low_seconds": 60, "mode_seconds": 120, "high_seconds": 420}
    voice["patience"] = {"kind": "gamma", "cv": 0.5}
    voice["after_contact_work_seconds"] = 20
    voice["after_contact_work"] = {"kind": "constant"}
    voice["queue_capacity"] = 12
    voice["bot"] = {"resolved_share": 0.2, "bot_time": {"kind": "uniform", "low_seconds": 10, "high_seconds": 50}}
    voice["retrial"] = {"probability": 0.4, "delay": {"kind": "empirical", "samples_seconds": [60, 120, 600]},
                        "patience": "keep"}
    voice["routing"] = ["voice team", {"group": "backup", "after_seconds": 30}]
    data["staff"].append({"name": "backup", "channels": ["voice"], "agents": 3, "handle_time_factor": {"voice": 1.2},
                          "routing_policy": {"contact_selection": "longest_waiting"}})
    data["trunks"] = 40
    data["routing_policy"] = {"agent_selection": "random"}
    return data


def test_feature_fields_compile_to_the_model(minimal_data):
    compiled = compile_scenario(parse_scenario(with_features(minimal_data)))
    model = compiled.model
    voice = model.channel("voice")
    assert voice.handle_time.kind == "triangular" and voice.aht_seconds == pytest.approx(200.0)
    assert (voice.patience.kind, voice.patience.cv, voice.patience.mean_seconds) == ("gamma", 0.5, 120.0)
    assert voice.after_contact_work.kind == "constant" and voice.after_contact_work_seconds == 20.0
    assert voice.queue_capacity == 12 and model.trunks == 40
    assert voice.bot.bot_time.kind == "uniform" and voice.bot.bot_time.mean_seconds == 30.0
    assert voice.retrial.delay.kind == "empirical" and voice.retrial.patience == "keep"
    assert model.routing["voice"] == ("voice team", "backup") and model.routing_delays["voice"] == (0.0, 30.0)
    backup = model.groups[1]
    assert backup.factor("voice") == 1.2 and backup.contact_selection == "longest_waiting"
    assert (model.contact_selection, model.agent_selection) == ("priority", "random")
    result = sim.simulate(model, replications=2, seed=3)
    assert result.kpi("voice", "offered")[0] > 0


def test_plain_routing_list_and_old_forms_keep_working(minimal_data):
    minimal_data["channels"]["voice"]["routing"] = ["voice team"]
    minimal_data["channels"]["voice"]["handle_time"] = {"kind": "lognormal", "cv": 0.6}
    model = compile_scenario(parse_scenario(minimal_data)).model
    assert model.routing_delays["voice"] == (0.0,)
    assert model.channel("voice").handle_time.kind == "lognormal" and model.trunks is None


@pytest.mark.parametrize(("edit", "path", "fragment"), [
    (lambda d: d["channels"]["voice"].update(handle_time={"kind": "uniform", "low_seconds": 100, "high_seconds": 50}),
     "channels.voice.handle_time.high_seconds", "must be > low_seconds"),
    (lambda d: d["channels"]["voice"].update(handle_time={"kind": "uniform", "low_seconds": 10, "high_seconds": 50}),
     "channels.voice.aht_seconds", "remove it"),
    (lambda d: d["channels"]["voice"].update(handle_time={"kind": "triangular", "low_seconds": 10, "mode_seconds": 90,
                                                          "high_seconds": 50}),
     "channels.voice.handle_time.mode_seconds", "must be >= low_seconds (10) and <= high_seconds (50)"),
    (lambda d: d["channels"]["voice"].update(queue_capacity=-1), "channels.voice.queue_capacity", "greater than or equal to 0"),
    (lambda d: d.update(trunks=0), "trunks", "greater than or equal to 1"),
    (lambda d: d["channels"]["voice"].update(routing=[{"group": "voice team", "after_seconds": -5}]),
     "channels.voice.routing[0].after_seconds", "greater than or equal to 0"),
    (lambda d: d["channels"]["voice"].update(routing=[{"group": "nobody"}]), "channels.voice.routing", "'nobody'"),
    (lambda d: d["staff"][0].update(handle_time_factor={"chat": 0.8}), "staff[0].handle_time_factor.chat",
     "not a channel of this group"),
    (lambda d: d["staff"][0].update(handle_time_factor=0), "staff[0].handle_time_factor", "> 0"),
    (lambda d: d.update(routing_policy={"contact_selection": "fifo"}), "routing_policy.contact_selection", "priority"),
    (lambda d: d["channels"]["voice"].update(retrial={"probability": 0.3, "delay": {"kind": "gamma", "cv": 1}}),
     "channels.voice.retrial.mean_delay_seconds", "is required"),
])
def test_bad_feature_values_name_the_field(minimal_data, edit, path, fragment):
    edit(minimal_data)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(minimal_data)
    assert caught.value.field_path == path, str(caught.value)
    assert fragment in str(caught.value)


def test_multiskill_example_tells_its_story():
    """The worked example: delayed overflow to generalists, 45 trunks that bind at the peak,
    longest-waiting generalists; a short run shows blocking and claims answered by generalists."""
    compiled = compile_scenario(load_scenario(FOLDER / "multiskill_overflow.yaml"))
    model = compiled.model
    assert model.trunks == 45 and model.routing_delays["claims"] == (0.0, 30.0)
    assert model.groups[2].contact_selection == "longest_waiting"
    result = sim.simulate(model, replications=2, seed=1, keep_records=True)
    assert result.kpi("claims", "blocked")[0] > 0
    answered = result.records[(result.records["outcome"] == "answered") & (result.records["channel"] == "claims")]
    waits = answered.loc[answered["group"] == "generalists", "wait_seconds"]
    assert len(waits) > 0 and (waits >= 30.0 - 1e-9).all()  # generalists take claims only after 30 s


def test_max_wait_closed_queue_and_drain_compile(minimal_data):
    voice = minimal_data["channels"]["voice"]
    voice.update(max_wait_seconds=90, on_max_wait="message", closed_queue="clear")
    minimal_data["drain"] = True
    model = compile_scenario(parse_scenario(minimal_data)).model
    channel = model.channel("voice")
    assert (channel.max_wait_seconds, channel.on_max_wait, channel.closed_queue, model.drain) == (90.0, "message", "clear", True)
    result = sim.simulate(model, replications=2, seed=1)
    assert result.kpi("voice", "in_system_end")[0] == 0.0


@pytest.mark.parametrize(("edit", "path", "fragment"), [
    (lambda d: d["channels"]["voice"].update(on_max_wait="callback"), "channels.voice.on_max_wait", "needs max_wait_seconds"),
    (lambda d: d["channels"]["voice"].update(max_wait_seconds=0), "channels.voice.max_wait_seconds", "greater than 0"),
    (lambda d: d["channels"]["voice"].update(max_wait_seconds=1e6), "channels.voice.max_wait_seconds", "less than or equal to 86400"),
    (lambda d: d["channels"]["voice"].update(closed_queue="drop"), "channels.voice.closed_queue", "'keep'"),
    (lambda d: d["channels"]["voice"].update(queue_capacity=10**7), "channels.voice.queue_capacity", "less than or equal to"),
    (lambda d: d.update(trunks=10**7), "trunks", "less than or equal to"),
])
def test_bad_max_wait_values_name_the_field(minimal_data, edit, path, fragment):
    edit(minimal_data)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(minimal_data)
    assert caught.value.field_path == path, str(caught.value)
    assert fragment in str(caught.value)


def test_new_fields_document_units_and_ranges():
    from scenarios.document.scenario import scenario_json_schema

    channel = scenario_json_schema()["$defs"]["Channel"]["properties"]
    assert "seconds" in channel["max_wait_seconds"]["description"] and "Range: (0, 86400]" in channel["max_wait_seconds"]["description"]
    for name in ("on_max_wait", "closed_queue"):
        assert "Default" in channel[name]["description"]


def test_per_interval_means_and_busyness_compile(minimal_data):
    """A list as aht_seconds / patience_seconds is one mean per interval (the field keeps the
    average); busyness and start_time reach the model (day boundary at midnight); empirical
    patience (calibration's Kaplan-Meier output) is accepted."""
    n = minimal_data["intervals"]
    voice = minimal_data["channels"]["voice"]
    voice["aht_seconds"] = [150 + 10 * k for k in range(n)]
    minimal_data["busyness"] = {"cv": 0.1}
    minimal_data["start_time"] = "08:00"
    scenario = parse_scenario(minimal_data)
    assert scenario.channels["voice"].aht_seconds == pytest.approx(150 + 5 * (n - 1))
    model = compile_scenario(scenario).model
    assert model.handle_mean_per_interval("voice").tolist() == [150 + 10 * k for k in range(n)]
    assert (model.busyness_cv, model.start_seconds_of_day) == (0.1, 8 * 3600.0)
    again = parse_scenario(scenario.model_dump(mode="json"))  # the dump reads back
    assert again.channels["voice"].aht_seconds_per_interval == scenario.channels["voice"].aht_seconds_per_interval
    voice["patience_seconds"] = None
    voice.pop("patience_seconds")
    voice["patience"] = {"kind": "empirical", "samples_seconds": [20, 45, 80, 300]}
    assert compile_scenario(parse_scenario(minimal_data)).model.channel("voice").patience.kind == "empirical"


@pytest.mark.parametrize(("edit", "path", "fragment"), [
    (lambda d: d["channels"]["voice"].update(aht_seconds=[100, 200]), "channels.voice.aht_seconds",
     "must have one value per interval"),
    (lambda d: d["channels"]["voice"].update(patience_seconds=[100, 200]), "channels.voice.patience_seconds",
     "must have one value per interval"),
    (lambda d: d.update(busyness={"cv": 3}), "busyness.cv", "less than or equal to 2"),
])
def test_bad_interval_parameters_name_the_field(minimal_data, edit, path, fragment):
    edit(minimal_data)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(minimal_data)
    assert caught.value.field_path == path, str(caught.value)
    assert fragment in str(caught.value)
