"""AppTest tests of the dashboard (kind: UI smoke and behaviour, through Streamlit's test runner).

What they prove, per view: it renders on the embedded default scenario without an exception or
an error message and shows numbers; changing an input changes the numbers shown. For the
scenario: a bad value or a bad upload shows an inline error naming the file/field and keeps
the last good scenario; a good upload replaces it.
"""

from __future__ import annotations

import pytest

from dashboard.state import DEFAULT_LABEL, scenario_to_yaml
from dashboard.views import VIEWS

from .conftest import click, edit_key, errors, metrics, run_simulation, show

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.slow]


def _scenario(at):
    return at.session_state["ccplan_scenario_state"].scenario


#: Views that compute only when asked (a simulation to a precision target, a plan, a comparison of saved
#: scenarios): their first render shows what to do; their runs are tested below, in test_workspace.py,
#: test_dashboard2.py and test_library.py.
ON_REQUEST = {"Schedule", "Saved scenarios", "Simulation", "Backtest", "Compare setups"}


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_view_renders_the_default_scenario(app, view):
    show(app, view)
    assert errors(app) == []
    if view in ON_REQUEST:
        assert app.info and not app.metric, f"{view} should wait to be asked"
        return
    assert app.metric or app.dataframe, f"{view} shows no numbers"
    if view != "Scenario":
        assert app.dataframe, f"{view} shows no table"
    assert _scenario(app).name.startswith("Example weekday, multichannel")


def test_scenario_edit_changes_the_numbers_and_the_download(app):
    before = metrics(app)["voice: contacts in the horizon"]
    app.number_input(key=edit_key(app, "channels", "voice", "daily_total")).set_value(4500.0)
    click(app, "Apply changes")
    assert errors(app) == []
    after = metrics(app)["voice: contacts in the horizon"]
    assert before != after
    assert _scenario(app).channels["voice"].daily_total == 4500.0
    assert "daily_total: 4500.0" in scenario_to_yaml(_scenario(app))
    # the form shows the new scenario's value
    assert app.number_input(key=edit_key(app, "channels", "voice", "daily_total")).value == 4500.0


def test_bad_value_shows_the_field_and_keeps_the_last_good_scenario(app):
    good = _scenario(app).to_canonical_json()
    app.number_input(key=edit_key(app, "channels", "voice", "daily_total")).set_value(-100.0)
    click(app, "Apply changes")
    messages = errors(app)
    assert messages and "channels.voice.daily_total" in messages[0], messages
    assert "last good scenario is kept" in messages[0]
    assert _scenario(app).to_canonical_json() == good
    show(app, "Staffing")  # the other views still work on the kept scenario
    assert "channels.voice.daily_total" in errors(app)[0]
    assert metrics(app)["Peak agents on site"]


def test_bad_agent_list_names_the_group_field(app):
    app.text_input(key=edit_key(app, "staff", "voice team", "agents")).set_value("20, 22, many")
    click(app, "Apply changes")
    assert any('staff "voice team" agents' in message for message in errors(app)), errors(app)


@pytest.mark.parametrize(("content", "expected"), [
    (b"name: [unclosed", "YAML syntax error"),
    (b"name: x\nintervals: 2\nchannels:\n  voice: {arrivals_per_interval: [-5, 3], aht_seconds: 100}\n"
     b"staff: [{name: a, channels: [voice], agents: 3}]\n", "channels.voice.arrivals_per_interval"),
    (b"name: x\nintervals: 1\nreplicatons: 3\nchannels:\n  voice: {arrivals_per_interval: 5, aht_seconds: 100}\n"
     b"staff: [{name: a, channels: [voice], agents: 3}]\n", "replicatons: unknown key"),
])
def test_bad_upload_shows_the_error_and_keeps_the_last_good_scenario(app, content, expected):
    good = _scenario(app).to_canonical_json()
    app.file_uploader(key="sidebar.upload").set_value(("bad.yaml", content, "application/x-yaml"))
    app.run()
    assert not app.exception
    messages = errors(app)
    assert messages and "bad.yaml" in messages[0] and expected in messages[0], messages
    assert _scenario(app).to_canonical_json() == good
    assert metrics(app)["voice: contacts in the horizon"]  # still drawn from the kept scenario


def test_good_upload_replaces_the_scenario(app):
    text = (
        "name: Uploaded single queue\ninterval_minutes: 30\nintervals: 4\nstart_time: '09:00'\nreplications: 2\nseed: 7\n"
        "channels:\n  voice: {arrivals_per_interval: [100, 120, 140, 120], aht_seconds: 200, patience_seconds: 120}\n"
        "staff: [{name: team, channels: [voice], agents: 14}]\n"
    )
    app.file_uploader(key="sidebar.upload").set_value(("queue.yaml", text.encode(), "application/x-yaml"))
    app.run()
    assert errors(app) == []
    assert _scenario(app).name == "Uploaded single queue"
    assert metrics(app)["voice: contacts in the horizon"] == "480"
    show(app, "Simulation")
    run_simulation(app, replications=3)
    assert errors(app) == []
    assert "voice: service level" in metrics(app)


def test_simulation_view_shows_outbound_campaigns(app):
    """A scenario with an ``outbound:`` block: the Simulation view adds the campaign table (dials,
    connects, outbound share with intervals) and its per-interval CSV; without one, no such table."""
    text = (
        "name: Blend\ninterval_minutes: 30\nintervals: 4\nseed: 7\n"
        "channels:\n  voice: {arrivals_per_interval: 60, aht_seconds: 200, patience_seconds: 120}\n"
        "staff: [{name: team, channels: [voice], agents: 12}]\n"
        "outbound: [{name: renewals, groups: [team], contact_rate: 0.4, aht_seconds: 300, dial_seconds: 20, reserve: 2}]\n"
    )
    app.file_uploader(key="sidebar.upload").set_value(("blend.yaml", text.encode(), "application/x-yaml"))
    app.run()
    assert errors(app) == []
    show(app, "Simulation")
    run_simulation(app, replications=3)
    assert errors(app) == []
    assert any("Outbound campaigns" in m.value for m in app.markdown)
    tables = [frame.value for frame in app.dataframe]
    outbound = next(t for t in tables if "renewals" in t.columns)
    assert list(outbound["KPI"])[:2] == ["Dials (calls)", "Right-party contacts (calls)"]
    assert all(outbound["renewals"].str.len() > 0)


def test_scenario_form_edits_the_outbound_reserve(app):
    """The Scenario form shows each outbound campaign's reserve and contact rate; an edit reaches the
    scenario, a bad contact rate is one message naming the field, and the last good scenario is kept."""
    label = next(option for option in app.selectbox(key="sidebar.example").options if "blended_outbound" in option
                 or "Blended" in option)
    app.selectbox(key="sidebar.example").set_value(label)
    click(app, "Load example")
    assert _scenario(app).outbound[0].reserve == 3
    app.number_input(key=edit_key(app, "outbound", "renewals", "reserve")).set_value(0)
    click(app, "Apply changes")
    assert errors(app) == []
    assert _scenario(app).outbound[0].reserve == 0
    app.number_input(key=edit_key(app, "outbound", "renewals", "contact_rate")).set_value(1.5)
    click(app, "Apply changes")
    messages = errors(app)
    assert messages and 'outbound "renewals" contact_rate' in messages[0], messages
    assert _scenario(app).outbound[0].contact_rate == 0.35


def test_example_picker_loads_every_bundled_example(app):
    """Each example loads, its form applies without a spurious change, and the Staffing view works."""
    options = app.selectbox(key="sidebar.example").options
    assert options[0] == DEFAULT_LABEL
    for label in options[1:]:
        app.selectbox(key="sidebar.example").set_value(label)
        click(app, "Load example")
        assert errors(app) == [], label
        assert not _scenario(app).name.startswith("Example weekday, multichannel")
        click(app, "Apply changes")  # the form shows the file's values: nothing changes
        assert errors(app) == [] and [i.value for i in app.info] == ["Nothing changed."], label
        show(app, "Staffing")
        assert errors(app) == [], label
        show(app, "Scenario")


def test_staffing_what_if_changes_the_numbers(app):
    show(app, "Staffing")
    before = metrics(app)["Peak agents to schedule"]
    app.number_input(key="staffing.volume_change_percent").set_value(30.0).run()
    assert errors(app) == []
    after = metrics(app)["Peak agents to schedule"]
    assert int(after) > int(before)
    for chart in app.radio(key="staffing.chart").options:
        app.radio(key="staffing.chart").set_value(chart).run()
        assert not app.exception and errors(app) == []


def test_staffing_what_if_out_of_range_is_an_inline_error(app):
    show(app, "Staffing")
    app.number_input(key="staffing.volume_change_percent").set_value(-150.0).run()
    assert not app.exception
    assert any("daily_total" in message and "what-if" in message for message in errors(app)), errors(app)
    app.number_input(key="staffing.volume_change_percent").set_value(0.0).run()
    assert errors(app) == []


def test_simulation_follows_the_scenario(app):
    show(app, "Simulation")
    run_simulation(app, replications=3)
    before = metrics(app)
    app.radio(key="view").set_value("Scenario").run()
    app.number_input(key=edit_key(app, "channels", "voice", "aht_seconds")).set_value(330.0)
    click(app, "Apply changes")
    show(app, "Simulation")
    assert not app.metric  # a new scenario: the last run is not shown for it
    run_simulation(app, replications=3)
    after = metrics(app)
    assert after["voice: service level"] != before["voice: service level"]
    assert float(after["voice: service level"].split("%")[0]) < float(before["voice: service level"].split("%")[0])


def test_simulation_run_button_uses_the_form(app):
    show(app, "Simulation")
    run_simulation(app, replications=3)
    before = metrics(app)["voice: service level"]
    run_simulation(app, replications=2, seed=99)
    assert metrics(app)["voice: service level"] != before
    assert any("2 replications, seed 99" in caption.value for caption in app.caption)
    assert app.get("progress"), "no progress bar"


def test_compare_shows_three_setups_and_follows_the_scenario(app):
    show(app, "Compare setups")
    assert not metrics(app)  # nothing runs before it is asked for
    click(app, "Compare setups")
    shown = metrics(app)
    assert {label.split(":")[0] for label in shown} == {"in-house", "virtual", "cloud"}
    app.radio(key="view").set_value("Scenario").run()
    app.number_input(key=edit_key(app, "costs", "agent_hourly_cost")).set_value(40.0)
    click(app, "Apply changes")
    show(app, "Compare setups")
    assert metrics(app) != shown


def test_sensitivity_parameter_changes_the_curve(app):
    show(app, "Sensitivity")
    before = app.dataframe[0].value.copy()
    app.selectbox(key="sensitivity.parameter").set_value("bot_resolved_share")
    click(app, "Run what-if")
    after = app.dataframe[0].value
    assert list(after.iloc[:, 0]) == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    assert list(after.columns) != list(before.columns) or not after.equals(before)
    app.text_input(key="sensitivity.values").set_value("0, ten")
    click(app, "Run what-if")
    assert any("'ten' is not a number" in message for message in errors(app))


def test_seasonal_plan_follows_its_inputs_and_rejects_bad_values(app):
    show(app, "Seasonal plan")
    before = metrics(app)
    assert before, "no seasonal numbers"
    app.number_input(key="seasonal.headcount").set_value(60.0)
    click(app, "Plan")
    assert errors(app) == []
    assert metrics(app) != before
    app.number_input(key="seasonal.attrition").set_value(1.5)
    click(app, "Plan")
    assert any("attrition_rate_per_month" in message for message in errors(app)), errors(app)


def test_no_view_has_a_traceback_after_a_rejected_upload(app):
    app.file_uploader(key="sidebar.upload").set_value(("bad.toml", b"name = [", "application/toml"))
    app.run()
    for view in VIEWS:
        show(app, view)
        assert not app.exception


def test_the_same_run_in_a_second_session_replays_from_the_cache(app):
    """A cached simulation drawn again in another session (cache replay) shows its numbers."""
    from streamlit.testing.v1 import AppTest

    from .conftest import APP_FILE, RUN_TIMEOUT

    show(app, "Simulation")
    run_simulation(app, replications=3)
    first = metrics(app)
    other = AppTest.from_file(str(APP_FILE), default_timeout=RUN_TIMEOUT)
    other.run()
    show(other, "Simulation")
    run_simulation(other, replications=3)
    assert errors(other) == []
    assert metrics(other) == first
    show(other, "Compare setups")
    click(other, "Compare setups")
    assert errors(other) == []


def test_backtest_view_shows_the_calibration_and_follows_the_interval(app):
    """The Backtest view calibrates the bundled sample log, shows the header (patience choice,
    staffing uncertainty) and the summary; a 60-minute interval changes the per-interval count."""
    show(app, "Backtest")
    assert errors(app) == [] and not app.code  # nothing runs before it is asked for
    app.button(key="backtest.run").click().run()
    assert errors(app) == []
    header = app.code[0].value
    assert header.startswith("Calibrated by `ccplan calibrate`")
    assert "patience choice" in header and "staffing uncertainty" in header
    summary = app.dataframe[0].value
    assert {"level", "kpi", "mae", "bias", "coverage"} <= set(summary.columns)
    before = int(summary[(summary["level"] == "interval") & (summary["kpi"] == "abandon_rate")]["n"].iloc[0])
    app.selectbox[0].set_value(60).run()
    assert not app.exception and errors(app) == []
    summary = app.dataframe[0].value
    after = int(summary[(summary["level"] == "interval") & (summary["kpi"] == "abandon_rate")]["n"].iloc[0])
    assert after < before


def test_form_goals_reach_the_staffing_requirement(app):
    """The voice channel's ASA goal and abandon-rate cap are form inputs (0 = none): a tight ASA goal
    raises the Staffing view's peak requirement; 0 removes the goal again; an abandon cap above 1 is
    one message naming the field, and the last good scenario is kept."""
    show(app, "Staffing")
    before = metrics(app)["Peak agents to schedule"]
    show(app, "Scenario")
    app.number_input(key=edit_key(app, "channels", "voice", "asa_goal_seconds")).set_value(2.0)
    click(app, "Apply changes")
    assert errors(app) == []
    assert _scenario(app).channels["voice"].asa_goal_seconds == 2.0
    show(app, "Staffing")
    assert int(metrics(app)["Peak agents to schedule"].replace(",", "")) > int(before.replace(",", ""))
    show(app, "Scenario")
    app.number_input(key=edit_key(app, "channels", "voice", "asa_goal_seconds")).set_value(0.0)
    click(app, "Apply changes")
    assert errors(app) == [] and _scenario(app).channels["voice"].asa_goal_seconds is None
    app.number_input(key=edit_key(app, "channels", "voice", "max_abandon_rate")).set_value(1.5)
    click(app, "Apply changes")
    messages = errors(app)
    assert messages and "channels.voice.max_abandon_rate" in messages[0], messages
    assert _scenario(app).channels["voice"].max_abandon_rate is None


def test_scenario_form_edits_transfers_and_the_message_channel(app):
    """The form shows a channel's transfer share and target and the email channel receiving its
    messages; edits reach the scenario, share 0 removes the transfer, and a share above 1 is one
    message naming the field with the last good scenario kept."""
    label = next(option for option in app.selectbox(key="sidebar.example").options if "transfers" in option.lower())
    app.selectbox(key="sidebar.example").set_value(label)
    click(app, "Load example")
    assert errors(app) == []
    front = _scenario(app).channels["frontline"]
    assert front.transfer is not None and front.messages_to is not None
    app.number_input(key=edit_key(app, "channels", "frontline", "transfer_share")).set_value(0.4)
    click(app, "Apply changes")
    assert errors(app) == [] and _scenario(app).channels["frontline"].transfer.share == 0.4
    app.selectbox(key=edit_key(app, "channels", "frontline", "messages_to")).set_value("(counted only)")
    click(app, "Apply changes")
    assert errors(app) == [] and _scenario(app).channels["frontline"].messages_to is None
    app.number_input(key=edit_key(app, "channels", "frontline", "transfer_share")).set_value(0.0)
    click(app, "Apply changes")
    assert errors(app) == [] and _scenario(app).channels["frontline"].transfer is None
    app.number_input(key=edit_key(app, "channels", "frontline", "transfer_share")).set_value(1.5)
    click(app, "Apply changes")
    messages = errors(app)
    assert messages and "channels.frontline.transfer" in messages[0], messages
    assert _scenario(app).channels["frontline"].transfer is None
