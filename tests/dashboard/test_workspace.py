"""AppTest regressions of issue 11 (kind: UI behaviour through Streamlit's test runner).

What they prove: the Scenario form is rebuilt for every accepted scenario (defect 1: no widget
key of the previous scenario's form survives a load, and the form shows the loaded file's
values); every form widget's key and label name its channel or group (defect 2); the Staffing
view checks the schedule the simulation runs, with the scenario's setup, seats and setup
effects (defect 3: retail_inhouse_monday's agents without a seat are the compiled model's seat
shortfall); the Schedule view makes a plan with a Gantt chart, a coverage chart, cost and an
Excel download, and its Cancel button drops the run.
"""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.state import EDIT_PREFIX, load_example
from scenarios.bridge.compile import compile_scenario
from scenarios.bridge.requirements import performance_at_schedule, schedule_coverage
from scenarios.report.excel import read_xlsx

from .conftest import click, edit_key, errors, metrics, show

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.slow]

RETAIL = "example: retail_inhouse_monday.yaml"


def _load(at, label: str):
    at.selectbox(key="sidebar.example").set_value(label)
    return click(at, "Load example")


def _form_keys(at) -> set[str]:
    widgets = list(at.number_input) + list(at.text_input) + list(at.multiselect) + list(at.selectbox)
    return {w.key for w in widgets if w.key and w.key.startswith(EDIT_PREFIX)}


def test_loading_an_example_rebuilds_the_form_with_its_values(app):
    """Defect 1: the form shows the loaded scenario (AHT 300 / patience 150 / chat AHT 540), not the last one."""
    before = _form_keys(app)
    app.number_input(key=edit_key(app, "channels", "voice", "aht_seconds")).set_value(250.0)  # typed, not applied
    _load(app, RETAIL)
    after = _form_keys(app)
    assert before and after and not before & after  # every widget is new: no stale browser value can be sent
    scenario = load_example(RETAIL)
    for channel in ("voice", "chat"):
        shown = app.number_input(key=edit_key(app, "channels", channel, "aht_seconds")).value
        assert shown == scenario.channels[channel].aht_seconds
    assert app.number_input(key=edit_key(app, "channels", "voice", "patience_seconds")).value == 150.0
    for group in scenario.staff:
        text = app.text_input(key=edit_key(app, "staff", group.name, "agents")).value
        assert len(text.split(",")) == len(group.agents)
    click(app, "Apply changes")  # the loaded scenario's own form: nothing to refuse
    assert errors(app) == [] and [i.value for i in app.info] == ["Nothing changed."]


def test_form_widgets_name_their_channel_or_group(app):
    """Defect 2: a value typed into a field belongs to one field of one channel (stable, unique keys and labels)."""
    scenario = app.session_state["ccplan_scenario_state"].scenario
    widgets = [w for w in list(app.number_input) + list(app.text_input) if w.key and w.key.startswith(EDIT_PREFIX)]
    keys = [w.key for w in widgets]
    assert len(keys) == len(set(keys))
    for widget in widgets:
        path = widget.key.split(".")
        if path[2] == "channels":
            assert widget.label.startswith(f"{path[3]}:"), (widget.key, widget.label)
        elif path[2] == "staff":
            assert widget.label.startswith(f"{path[3]}:"), (widget.key, widget.label)
    voice = app.number_input(key=edit_key(app, "channels", "voice", "daily_total"))
    email_before = app.number_input(key=edit_key(app, "channels", "email", "daily_total")).value
    voice.set_value(4100.0)
    click(app, "Apply changes")
    scenario = app.session_state["ccplan_scenario_state"].scenario
    assert scenario.channels["voice"].daily_total == 4100.0
    assert scenario.channels["email"].daily_total == email_before


def test_staffing_view_checks_the_simulated_schedule_with_its_seats(app):
    """Defect 3: retail_inhouse_monday's seat cap: the view's shortfall is the simulation's."""
    _load(app, RETAIL)
    show(app, "Staffing")
    assert errors(app) == []
    scenario = load_example(RETAIL)
    compiled = compile_scenario(scenario)
    shown = metrics(app)
    assert int(shown["Agents without a seat (peak)"]) == int(np.max(compiled.seat_shortfall)) > 0
    coverage = schedule_coverage(scenario, "in-house")
    short = int((coverage["seated"] < coverage["required_scheduled"]).sum())
    assert short > 0 and shown["Intervals short of agents"] == f"{short} of {scenario.intervals}"
    assert int(shown["Peak agents on site"].replace(",", "")) == scenario.setup.seats
    at_schedule = performance_at_schedule(scenario, "in-house")
    voice = at_schedule[at_schedule["channel"] == "voice"]
    from dashboard.compute import staffing_tables

    volumes = staffing_tables(scenario.to_canonical_json(), "in-house")["requirements"]
    weights = volumes.loc[volumes["channel"] == "voice", "volume"].to_numpy(dtype=float)
    level = float(np.average(voice["service_level"].to_numpy(dtype=float), weights=weights))
    assert shown["voice: SL at the schedule"] == f"{level:.1%}"
    # the same scenario without its setup has no seat cap: the view follows the setup chosen
    app.selectbox(key=f"staffing.setup.{app.session_state['ccplan_scenario_state'].revision}").set_value("virtual").run()
    assert metrics(app)["Agents without a seat (peak)"] == "0"


def test_schedule_view_makes_a_plan_with_gantt_coverage_and_xlsx(app):
    show(app, "Schedule")
    assert not app.get("image")
    click(app, "Make the schedule")
    assert errors(app) == []
    shown = metrics(app)
    assert float(shown["Cost (EUR)"].replace(",", "")) > 0 and float(shown["Shifts"]) > 0
    assert len(app.get("image")) >= 2  # the Gantt chart and the coverage chart
    download = [b for b in app.get("download_button") if b.proto.label.startswith("Download the plan as Excel")]
    assert download
    state = app.session_state["schedule.params"]
    from dashboard import compute

    kwargs = {k: v for k, v in state.items() if k != "scenario"}
    book = read_xlsx(compute.schedule_plan(state["scenario"], **kwargs)["xlsx"])
    assert {"intervals", "iterations", "shifts voice team", "coverage voice team"} <= set(book)
    click(app, "Cancel")
    assert "schedule.params" not in app.session_state
    assert any("cancelled" in w.value for w in app.warning)


def test_form_edits_opening_hours_retrials_distributions_and_burst(app):
    """Whole-scenario editing: the form reaches opening hours, retrials, distributions and cloud burst."""
    app.checkbox(key=edit_key(app, "channels", "voice", "always_open")).uncheck()
    app.text_input(key=edit_key(app, "channels", "voice", "close")).set_value("18:00")
    app.number_input(key=edit_key(app, "channels", "voice", "retrial_probability")).set_value(0.3)
    app.selectbox(key=edit_key(app, "channels", "voice", "handle_time")).set_value("lognormal")
    app.number_input(key=edit_key(app, "channels", "voice", "handle_cv")).set_value(0.6)
    app.number_input(key=edit_key(app, "setup", "burst_max_agents")).set_value(7)
    click(app, "Apply changes")
    assert errors(app) == []
    voice = app.session_state["ccplan_scenario_state"].scenario.channels["voice"]
    assert voice.opening_hours.close == 18 * 60 and voice.retrial.probability == 0.3
    assert voice.handle_time.kind == "lognormal" and voice.handle_time.cv == 0.6
    assert app.session_state["ccplan_scenario_state"].scenario.setup_for("cloud").burst.max_agents == 7
    app.text_input(key=edit_key(app, "channels", "voice", "close")).set_value("25:99")
    click(app, "Apply changes")
    assert any("channels.voice.opening_hours" in message for message in errors(app)), errors(app)


def test_yaml_editor_adds_a_channel_and_a_group(app):
    """Whole-scenario editing: channels and groups are added (and a bad edit refused) in the YAML editor."""
    state = app.session_state["ccplan_scenario_state"]
    text = app.text_area(key=f"yaml.{state.revision}").value
    text = text.replace("channels:\n", "channels:\n  sms:\n    kind: chat\n    arrivals_per_interval: 5\n    aht_seconds: 200\n", 1)
    text = text.replace("staff:\n", "staff:\n- name: sms team\n  channels: [sms]\n  agents: 2\n", 1)
    app.text_area(key=f"yaml.{state.revision}").set_value(text)
    click(app, "Apply YAML")
    assert errors(app) == []
    scenario = app.session_state["ccplan_scenario_state"].scenario
    assert "sms" in scenario.channels and scenario.staff[0].name == "sms team"
    assert app.number_input(key=edit_key(app, "channels", "sms", "aht_seconds")).value == 200.0  # the form follows
    state = app.session_state["ccplan_scenario_state"]
    app.text_area(key=f"yaml.{state.revision}").set_value(text.replace("agents: 2", "agents: -2"))
    click(app, "Apply YAML")
    assert any("edited YAML.yaml" in m and "agents" in m for m in errors(app)), errors(app)
    assert "sms" in app.session_state["ccplan_scenario_state"].scenario.channels


def test_scenario_view_reports_volume_outside_the_horizon(app):
    """Readable results: 3 000 calls a day, 2 799 in the 08:00-20:00 horizon: the 201 others are reported."""
    assert any("voice: 3,000 contacts a day, 2,799 in the horizon" in w.value and "201 fall outside" in w.value
               for w in app.warning), [w.value for w in app.warning]
