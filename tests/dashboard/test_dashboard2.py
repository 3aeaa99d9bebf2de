"""AppTests of the dashboard's second pass on issue 11 (kind: UI behaviour through Streamlit's test runner).

What they prove: the Schedule view passes every roster rule of
:class:`scenarios.studies.plan.RosterRules` to the planner (shift lengths, part-time cap, breaks,
start step, shared seats) and shows each interval's goal decision with the replications used; the
Simulation view runs to a precision target by default (replications added until the 95 %
half-widths are reached) or a fixed count, shows the precision reached, never an interval from
fewer than 3 replications, response times in hours and the three service-level conventions with
their definitions; the Scenario form draws a channel's intraday profile from an uploaded CSV and
edits patience parameters, queue capacity, routing with delayed overflow, trunks and the routing
policy; setup menus say what "as given" means for the scenario.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from dashboard import compute
from dashboard.state import load_example
from dashboard.views.schedule import parse_rule
from dashboard.views.simulation import SERVICE_LEVEL_CONVENTIONS
from scenarios import AS_GIVEN
from scenarios.document.setups import setup_choice_label
from scenarios.report.kpis import definition, kpi_label
from scenarios.studies.plan import DEFAULT_MAX_PART_TIME_SHARE

from .conftest import click, edit_key, errors, metrics, run_simulation, show

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning")]

RETAIL = "example: retail_inhouse_monday.yaml"


def _scenario(at):
    return at.session_state["ccplan_scenario_state"].scenario


# --------------------------------------------------------------------------- item 4: "as given" says what it is
def test_as_given_label_names_the_files_own_setup():
    assert setup_choice_label(AS_GIVEN, "cloud") == "as given (the file's setup: cloud)"
    assert setup_choice_label(AS_GIVEN, None) == "as given (no setup)"
    assert setup_choice_label("virtual", "cloud") == "virtual"
    assert setup_choice_label(AS_GIVEN, ["in-house", None]) == "as given (each file's own setup: in-house, none)"
    assert setup_choice_label(AS_GIVEN, ["cloud", "cloud"]) == "as given (the file's setup: cloud)"


@pytest.mark.slow
def test_setup_menus_name_the_loaded_scenarios_setup(app):
    app.selectbox(key="sidebar.example").set_value(RETAIL)
    click(app, "Load example")
    show(app, "Staffing")
    revision = app.session_state["ccplan_scenario_state"].revision
    assert "as given (the file's setup: in-house)" in app.selectbox(key=f"staffing.setup.{revision}").options


# --------------------------------------------------------------------------- item 1: roster rules
def test_roster_rule_text_is_read_or_named_in_the_error():
    assert parse_rule("shift_hours", "8, 10") == (8.0, 10.0)
    assert parse_rule("part_time_hours", "") == ()
    assert parse_rule("max_part_time_share", "") is None
    assert parse_rule("break_window_hours", "2.5-4") == (2.5, 4.0)
    assert parse_rule("seats", "") is None and parse_rule("seats", "40") == 40
    with pytest.raises(ValueError, match="Break window"):
        parse_rule("break_window_hours", "3")
    with pytest.raises(ValueError, match="Full-time shift lengths"):
        parse_rule("shift_hours", "eight")


@pytest.mark.slow
def test_schedule_view_applies_every_roster_rule_and_shows_decisions(app):
    """Rules typed in the form reach the plan: only 8- and 6-hour full-time shifts (no part-time),
    two breaks in 8-hour shifts, starts on the hour, a shared seat cap; every interval with a goal
    shows its decision and replications."""
    show(app, "Schedule")
    assert app.text_input(key="schedule.max_part_time_share").value == f"{DEFAULT_MAX_PART_TIME_SHARE:g}"
    for key, value in (("shift_hours", "8, 6"), ("part_time_hours", ""), ("break_count", "2"),
                       ("break_minutes", "15"), ("break_window_hours", "2-6"), ("start_step_minutes", "60"),
                       ("seats", "60")):
        app.text_input(key=f"schedule.{key}").set_value(value)
    app.number_input(key="schedule.replications").set_value(3)
    app.number_input(key="schedule.max_replications").set_value(6)
    app.number_input(key="schedule.max_iterations").set_value(1)
    click(app, "Make the schedule")
    assert errors(app) == []
    params = app.session_state["schedule.params"]
    assert params["shift_hours"] == (8.0, 6.0) and params["part_time_hours"] == () and params["break_count"] == 2
    assert params["break_window_hours"] == (2.0, 6.0) and params["seats"] == 60
    result = compute.schedule_plan(params["scenario"], **{k: v for k, v in params.items() if k != "scenario"})
    shifts = result["shifts"]
    assert set(shifts["length_intervals"]) <= {16.0, 12.0}  # 8 h and 6 h on the 30-minute grid
    assert not shifts["part_time"].any()
    assert all(start.endswith(":00") for start in shifts["start"])
    assert all(len(breaks) == 2 for breaks in shifts["breaks"])  # both shift lengths are >= 6 hours
    assert result["seats"] == 60
    seated = result["groups"].groupby("interval")["final_staffed"].sum()
    assert seated.max() <= 60
    intervals = result["intervals"]
    decided = intervals[intervals["decision"].fillna("") != ""]
    assert set(decided["decision"]) <= {"met", "missed", "undecided"}
    assert (decided["replications"] >= 3).all() and (decided["replications"] <= 6).all()
    shown = metrics(app)
    for label, decision in (("Intervals meeting the goal", "met"), ("Intervals missing the goal", "missed"),
                            ("Intervals undecided", "undecided")):
        assert shown[label] == f"{int((decided['decision'] == decision).sum())} of {len(decided)}"
    assert shown["Replications (chosen iteration)"] == str(result["replications"])
    table = app.dataframe[0].value
    assert {"decision", "replications"} <= set(table.columns) and len(table) == len(decided)
    assert app.get("progress"), "no progress bar"


@pytest.mark.slow
def test_schedule_view_refuses_a_rule_out_of_range_before_planning(app):
    show(app, "Schedule")
    app.text_input(key="schedule.max_part_time_share").set_value("1.5")
    click(app, "Make the schedule")
    assert any("max_part_time_share" in message for message in errors(app)), errors(app)
    assert "schedule.params" not in app.session_state
    app.text_input(key="schedule.max_part_time_share").set_value("0.3")
    app.text_input(key="schedule.break_window_hours").set_value("three")
    click(app, "Make the schedule")
    assert any(message.startswith("Break window") for message in errors(app)), errors(app)


# --------------------------------------------------------------------------- item 2: precision
@pytest.mark.slow
def test_simulation_runs_to_a_precision_target_and_says_what_it_reached(app):
    """A 3-point target: the run stops once every headline share's 95 % half-width is within 3 points
    (the simulator's stopping rule), and the view shows the replications and the precision reached."""
    show(app, "Simulation")
    assert not app.metric and app.info  # runs when asked
    assert app.radio(key="simulation.mode").value == "precision target"
    assert app.number_input(key="simulation.precision_points").value == 1.0  # the product default
    run_simulation(app, points=3.0)
    assert errors(app) == []
    params = app.session_state["simulation.params"]
    result = compute.simulation_tables(params["scenario"], None, 3.0, params["seed"], params["setup"])
    assert result["precision_met"] is True and result["replications"] >= 5
    summary = result["summary"]
    shares = summary[summary["kpi"].isin(["service_level", "abandon_rate"]) & summary["ci95"].notna()]
    assert (shares["ci95"] <= 0.03 + 1e-9).all()
    shown = metrics(app)
    assert shown["Replications used"] == str(result["replications"])
    captions = " ".join(c.value for c in app.caption)
    assert "Precision target" in captions and "met with" in captions and "Precision reached" in captions


@pytest.mark.slow
def test_simulation_never_shows_an_interval_below_three_replications(app):
    show(app, "Simulation")
    run_simulation(app, replications=2)
    shown = metrics(app)
    assert shown["voice: service level"].endswith("n/a (2 replications)")
    wide = app.dataframe[1].value
    cells = wide["voice"].tolist()
    assert all("±" not in c or "n/a (2 replications)" in c for c in cells if c)


@pytest.mark.slow
def test_simulation_shows_response_times_in_hours_and_three_service_levels(app):
    show(app, "Simulation")
    run_simulation(app, replications=3)
    params = app.session_state["simulation.params"]
    result = compute.simulation_tables(params["scenario"], 3, None, params["seed"], params["setup"])
    summary = result["summary"].set_index(["channel", "kpi"])
    wide = app.dataframe[1].value.set_index("KPI")
    hours = summary.at[("email", "mean_response_seconds"), "mean"] / 3600.0
    assert kpi_label("mean_response_seconds").endswith("(hours)")
    assert wide.at[kpi_label("mean_response_seconds"), "email"].startswith(f"{hours:.2f}")
    conventions = app.dataframe[0].value
    assert list(conventions["KPI"]) == [kpi_label(k) for k in SERVICE_LEVEL_CONVENTIONS]
    assert list(conventions["definition"]) == [definition(k) for k in SERVICE_LEVEL_CONVENTIONS]
    assert all(conventions["definition"].str.len() > 0)


# --------------------------------------------------------------------------- item 3: scenario form
@pytest.mark.slow
def test_profile_csv_upload_draws_the_intraday_curve(app):
    """An uploaded time,share CSV becomes the voice profile: arrivals per interval follow its shares
    (the daily total spread by them), kept through the dashboard's upload path."""
    scenario = _scenario(app)
    assert scenario.interval_minutes == 30
    first = scenario.start_time // 30  # the horizon's first half-hour of the day
    rows = ["time,share"] + [f"{slot // 2:02d}:{30 * (slot % 2):02d},{3 if first <= slot < first + 4 else 1}"
                             for slot in range(48)]  # the whole day from 00:00, three times the share in 4 slots
    app.file_uploader(key=edit_key(app, "channels", "voice", "profile_csv")).set_value(
        ("morning.csv", "\n".join(rows).encode(), "text/csv"))
    click(app, "Apply changes")
    assert errors(app) == []
    edited = _scenario(app)
    assert edited.channels["voice"].profile.endswith("morning.csv")
    state = app.session_state["ccplan_scenario_state"]
    assert state.files is not None and state.files.confined
    arrivals = compute.arrivals_table(edited.to_canonical_json())
    voice = arrivals[arrivals["channel"] == "voice"]["arrivals"].to_numpy(dtype=float)
    weights = np.array([3.0 if i < 4 else 1.0 for i in range(scenario.intervals)])
    open_ = voice > 0
    ratio = voice[open_] / weights[open_]
    assert np.allclose(ratio, ratio[0], rtol=1e-9)
    assert voice[:4].sum() > 0


@pytest.mark.slow
def test_form_edits_patience_parameters_queue_routing_trunks_and_policy(app):
    app.selectbox(key=edit_key(app, "channels", "voice", "patience_kind")).set_value("weibull")
    app.number_input(key=edit_key(app, "channels", "voice", "patience_shape")).set_value(0.7)
    app.selectbox(key=edit_key(app, "channels", "chat", "patience_kind")).set_value("lognormal")
    app.number_input(key=edit_key(app, "channels", "chat", "patience_cv")).set_value(0.5)
    app.text_input(key=edit_key(app, "channels", "voice", "queue_capacity")).set_value("25")
    app.text_input(key=edit_key(app, "trunks")).set_value("80")
    app.selectbox(key=edit_key(app, "routing_policy", "contact_selection")).set_value("longest_waiting")
    app.selectbox(key=edit_key(app, "routing_policy", "agent_selection")).set_value("longest_idle")
    click(app, "Apply changes")
    assert errors(app) == []
    scenario = _scenario(app)
    voice, chat = scenario.channels["voice"], scenario.channels["chat"]
    assert voice.patience.kind == "weibull" and voice.patience.shape == 0.7
    assert chat.patience.kind == "lognormal" and chat.patience.cv == 0.5
    assert voice.queue_capacity == 25 and scenario.trunks == 80
    assert scenario.routing_policy.contact_selection == "longest_waiting"
    assert scenario.routing_policy.agent_selection == "longest_idle"
    serving = [g.name for g in scenario.staff if "voice" in g.channels]
    routing = ", ".join([serving[0]] + [f"{name}@45" for name in serving[1:]])
    app.text_input(key=edit_key(app, "channels", "voice", "routing")).set_value(routing)
    click(app, "Apply changes")
    assert errors(app) == []
    steps = _scenario(app).channels["voice"].routing
    assert [s.group for s in steps] == serving and [s.after_seconds for s in steps] == [0.0] + [45.0] * (len(serving) - 1)
    app.text_input(key=edit_key(app, "trunks")).set_value("0")
    click(app, "Apply changes")
    assert any("trunks" in message for message in errors(app)), errors(app)
    assert _scenario(app).trunks == 80  # the last good scenario is kept


def test_load_example_still_loads_the_retail_setup():
    """The example the setup-label AppTest loads has its own in-house setup (so the label test can fail)."""
    assert load_example(RETAIL).setup.kind == "in-house"


# --------------------------------------------------------------------------- item 5: seasonal speed-ups keep results
@pytest.mark.slow
def test_seasonal_view_shows_the_plan_of_the_file_unchanged(app):
    """The cached chart and the background import change no number: the view's comparison is
    :func:`scenarios.studies.seasonal.run_seasonal` of the bundled file, and the chart is the one
    drawn from that plan."""
    from dashboard.views._common import figure_png
    from dashboard.views.seasonal import bundled_seasonal_files, seasonal_png
    from scenarios.report import charts
    from scenarios.studies.seasonal import run_seasonal

    show(app, "Seasonal plan")
    assert errors(app) == []
    label = app.selectbox(key="seasonal.example").value
    report = run_seasonal(bundled_seasonal_files()[label])
    expected = report.comparison.to_frame().reset_index(drop=True)
    shown = app.dataframe[0].value.reset_index(drop=True)
    assert list(shown["setup"]) == list(expected["setup"])
    assert np.allclose(shown["total_cost"].to_numpy(dtype=float), expected["total_cost"].to_numpy(dtype=float))
    current = app.session_state["seasonal.plan"]
    plan_json = json.dumps(current["data"], sort_keys=True)
    result = compute.seasonal_plan(plan_json, current["base_dir"], current.get("confined", False))
    assert seasonal_png(plan_json, current["base_dir"], current.get("confined", False)) == figure_png(
        charts.seasonal_figure(result["required"], result["plans"]))
