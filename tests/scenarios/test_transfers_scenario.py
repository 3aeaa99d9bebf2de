"""Issue 12: transfers and messages as deferred work in scenario files.

The fields compile to the simulator's model; bad values are one-line ``ScenarioError``s naming
the field and what is allowed (unknown channel names named); the JSON Schema documents them; the
bundled example tells its story through ``ccplan simulate``.
"""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

import simulator as sim
from scenarios import compile_scenario, load_scenario, parse_scenario
from scenarios.document.scenario import scenario_json_schema
from scenarios.errors import ScenarioError

EXAMPLE = str(resources.files("scenarios") / "examples" / "transfers_and_messages.yaml")


def with_transfer_and_messages(data: dict) -> dict:
    """The minimal scenario plus a billing channel taking 20 % of voice by transfer and an email
    channel receiving voice's voicemails."""
    voice = data["channels"]["voice"]
    voice.update(transfer={"share": 0.2, "to": "billing"}, max_wait_seconds=15, on_max_wait="message",
                 messages_to="email")
    data["channels"]["billing"] = {"kind": "voice", "arrivals_per_interval": 10, "aht_seconds": 300}
    data["channels"]["email"] = {"arrivals_per_interval": 5, "aht_seconds": 400}
    data["staff"] += [{"name": "billing team", "channels": ["billing"], "agents": 8},
                      {"name": "back office", "channels": ["email"], "agents": 3}]
    return data


def test_transfer_and_messages_compile_and_run(minimal_data):
    model = compile_scenario(parse_scenario(with_transfer_and_messages(minimal_data))).model
    voice = model.channel("voice")
    assert (voice.transfer.share, voice.transfer.to, voice.messages_to) == (0.2, "billing", "email")
    assert model.channel("billing").transfer is None and model.channel("billing").messages_to is None
    result = sim.simulate(model, replications=2, seed=1)
    table = result.per_replication.set_index("channel")
    assert (table.loc["voice", "transferred"].to_numpy() == table.loc["billing", "transferred_in"].to_numpy()).all()
    assert (table.loc["voice", "messages"].to_numpy() == table.loc["email", "messages_in"].to_numpy()).all()
    assert table.loc["billing", "transferred_in"].sum() > 0 and table.loc["email", "messages_in"].sum() > 0


@pytest.mark.parametrize(("edit", "path", "fragment"), [
    (lambda d: d["channels"]["voice"]["transfer"].update(share=1.5), "channels.voice.transfer.share",
     "less than or equal to 1"),
    (lambda d: d["channels"]["voice"]["transfer"].update(to="sales"), "channels.voice.transfer.to",
     "names an unknown channel 'sales'; channels are voice, billing, email"),
    (lambda d: d["channels"]["voice"]["transfer"].update(to="voice"), "channels.voice.transfer.to",
     "must name another channel than 'voice'"),
    (lambda d: d["channels"]["voice"]["transfer"].update(to="email"), "channels.voice.transfer.to",
     "must name a voice or chat channel, got 'email' (email)"),
    (lambda d: d["channels"]["voice"]["transfer"].pop("to"), "channels.voice.transfer.to", "required"),
    (lambda d: d["channels"]["voice"]["transfer"].update(to={"group": "supervisors"}), "channels.voice.transfer.to.group",
     "names an unknown staff group 'supervisors'; groups are voice team, billing team, back office"),
    (lambda d: d["channels"]["voice"]["transfer"].update(to={"team": "billing team"}), "channels.voice.transfer.to",
     "must be a channel name or {group: <staff group>}"),
    (lambda d: d["channels"]["voice"]["transfer"].update(to=""), "channels.voice.transfer.to",
     "must be a channel name or {group: <staff group>}"),
    (lambda d: d["channels"]["voice"].update(messages_to="mailbox"), "channels.voice.messages_to",
     "names an unknown channel 'mailbox'"),
    (lambda d: d["channels"]["voice"].update(messages_to="billing"), "channels.voice.messages_to",
     "must name an email (deferred) channel, got 'billing' (voice)"),
    (lambda d: d["channels"]["email"].update(transfer={"share": 0.1, "to": "voice"}), "channels.email.transfer",
     "does not apply to an email channel"),
    (lambda d: d["channels"]["email"].update(messages_to="email"), "channels.email.messages_to",
     "does not apply to an email channel"),
])
def test_bad_transfer_and_messages_values_name_the_field(minimal_data, edit, path, fragment):
    data = with_transfer_and_messages(minimal_data)
    edit(data)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    assert caught.value.field_path == path, str(caught.value)
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)


def test_cli_error_is_one_line_and_exits_2(minimal_data, write_file, run_cli):
    data = with_transfer_and_messages(minimal_data)
    data["channels"]["voice"]["transfer"]["to"] = "sales"
    status, out, err = run_cli("simulate", write_file("bad.yaml", data), "--replications", 2)
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "transfer.to" in err and "'sales'" in err


def test_json_schema_documents_the_fields(run_cli):
    status, out, _ = run_cli("schema")
    assert status == 0
    schema = json.loads(out)
    channel = schema["$defs"]["Channel"]["properties"]
    assert "email" in channel["messages_to"]["description"] and "counted" in channel["messages_to"]["description"]
    transfer = schema["$defs"]["TransferSpec"]["properties"]
    assert (transfer["share"]["minimum"], transfer["share"]["maximum"]) == (0, 1)
    assert "description" in transfer["to"]
    assert schema == scenario_json_schema()


def test_example_tells_its_story(run_cli):
    """The bundled example: front-line calls are transferred to billing (part of billing's
    offered), voicemails become email items, and the text report says both."""
    scenario = load_scenario(EXAMPLE)
    model = compile_scenario(scenario).model
    assert model.channel("frontline").transfer.to == "billing" and model.trunks == 60
    status, out, err = run_cli("simulate", EXAMPLE, "--replications", 3, "--seed", 2, "--json")
    assert status == 0, err
    channels = json.loads(out)["channels"]
    assert channels["frontline"]["transferred"]["mean"] > 0 and channels["billing"]["transferred"]["mean"] > 0
    assert channels["billing"]["transferred_in"]["mean"] == pytest.approx(  # escalations stay on billing
        channels["frontline"]["transferred"]["mean"] + channels["billing"]["transferred"]["mean"])
    assert channels["email"]["messages_in"]["mean"] == pytest.approx(
        channels["frontline"]["messages"]["mean"] + channels["billing"]["messages"]["mean"])
    assert channels["frontline"]["end_to_end_transferred_seconds"]["mean"] > channels["frontline"]["end_to_end_seconds"]["mean"]
    status, out, err = run_cli("simulate", EXAMPLE, "--replications", 3, "--seed", 2)
    assert status == 0, err
    assert "transfers frontline -> billing (25% of answered)" in out and "messages frontline -> email" in out
    assert "transfers billing -> group supervisors (5% of answered)" in out


def test_costs_count_a_transferred_customer_and_a_message_once():
    """Cost per contact divides by customers: offered minus transferred-in contacts and message
    items (second legs and voicemail items are not new contacts), replication by replication."""
    from scenarios.studies.run import run_setup

    run = run_setup(load_scenario(EXAMPLE), None, 2, 5)
    table = run.result.per_replication
    expected = (table.groupby("replication")["offered"].sum() - table.groupby("replication")["transferred_in"].sum()
                - table.groupby("replication")["messages_in"].sum())
    contacts = run.costs.per_replication.set_index("replication")["contacts"]
    assert (table["transferred_in"].sum() > 0) and (table["messages_in"].sum() > 0)
    assert (contacts.sort_index().to_numpy() == expected.sort_index().to_numpy()).all()


def test_analytic_workload_of_a_transfer_target_includes_the_transferred_share(minimal_data):
    """The analytic requirement of the target counts ``share`` x the source's contacts reaching
    agents (same interval, the target's handle time); the source's own workload is unchanged."""
    from scenarios.bridge.requirements import agent_workload, scenario_requirements

    data = with_transfer_and_messages(minimal_data)
    scenario = parse_scenario(data)
    data["channels"]["voice"].pop("transfer")
    plain = parse_scenario(data)
    voice, _ = agent_workload(scenario, "voice")
    billing, handle = agent_workload(scenario, "billing")
    billing_alone, handle_alone = agent_workload(plain, "billing")
    assert handle == handle_alone == 300.0
    assert np.allclose(billing, billing_alone + 0.2 * voice) and np.allclose(voice, agent_workload(plain, "voice")[0])
    required = scenario_requirements(scenario).set_index(["channel", "interval"])
    required_alone = scenario_requirements(plain).set_index(["channel", "interval"])
    assert (required.loc["billing", "required_agents"] > required_alone.loc["billing", "required_agents"]).all()


def test_toml_scenario_with_transfer_and_messages(write_file):
    """The same fields in a TOML file (inline table for the transfer)."""
    text = "\n".join([
        'name = "TOML transfers"', "interval_minutes = 30", "intervals = 4",
        "[channels.voice]", "arrivals_per_interval = 200", "aht_seconds = 240", 'messages_to = "email"',
        'closed_queue = "message"', 'transfer = { share = 0.3, to = "billing" }',
        "[channels.billing]", 'kind = "voice"', "arrivals_per_interval = 10", "aht_seconds = 300",
        "[channels.email]", "arrivals_per_interval = 10", "aht_seconds = 400",
        "[[staff]]", 'name = "phones"', 'channels = ["voice"]', "agents = 26",
        "[[staff]]", 'name = "billing team"', 'channels = ["billing"]', "agents = 12",
        "[[staff]]", 'name = "back office"', 'channels = ["email"]', "agents = 4", ""])
    model = compile_scenario(load_scenario(write_file("transfers.toml", text))).model
    voice = model.channel("voice")
    assert (voice.transfer.share, voice.transfer.to, voice.messages_to, voice.closed_queue) == (0.3, "billing", "email", "message")
    with pytest.raises(ScenarioError, match=r"channels\.voice\.transfer\.share"):
        load_scenario(write_file("bad.toml", text.replace("share = 0.3", "share = -0.1")))


def test_transfer_to_a_staff_group_compiles_and_runs(minimal_data):
    """``to: {group: ...}`` compiles to a transfer to that group's own queue on the same channel."""
    data = with_transfer_and_messages(minimal_data)
    data["channels"]["voice"]["transfer"] = {"share": 0.3, "to": {"group": "supervisors"}}
    data["staff"].append({"name": "supervisors", "channels": ["email"], "agents": 4})
    model = compile_scenario(parse_scenario(data)).model
    transfer = model.channel("voice").transfer
    assert (transfer.share, transfer.to, transfer.group) == (0.3, "voice", "supervisors")
    table = sim.simulate(model, replications=2, seed=2).per_replication.set_index("channel").loc["voice"]
    assert (table["transferred"] == table["transferred_in"]).all() and table["transferred"].sum() > 0
    data["channels"]["voice"]["kind"] = "chat"
    with pytest.raises(ScenarioError, match=r"channels\.voice\.transfer\.to\.group: applies to voice channels"):
        parse_scenario(data)
