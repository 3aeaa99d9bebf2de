"""Scenario state helpers and cached computations without a browser (kind: unit).

What they prove: every scenario the app offers survives the download/upload round trip
unchanged; uploads get the loader's messages with the upload's name; edits are validated like a
file; the analytic and what-if tables are consistent with the engines they call.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from dashboard import compute
from dashboard.state import (
    DEFAULT_LABEL,
    EXAMPLES_FOLDER,
    bundled_examples,
    error_message,
    load_example,
    parse_scenario_text,
    parse_upload,
    scenario_data,
    scenario_from_data,
    scenario_to_yaml,
)
from dashboard.views.scenario import format_numbers, parse_numbers
from scenarios import ScenarioError
from scenarios.document.demand import resolve_arrivals

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.parametrize("label", list(bundled_examples()))
def test_download_then_upload_gives_the_same_scenario(label):
    """The downloaded YAML names its CSV files by name; uploaded with them, it is the same scenario."""
    scenario = load_example(label)
    text = scenario_to_yaml(scenario)
    assert str(EXAMPLES_FOLDER) not in text  # no server path in a download
    companions = [(p.name, p.read_bytes()) for p in sorted(EXAMPLES_FOLDER.glob("*.csv")) if p.name in text]
    uploaded, _ = parse_upload([("scenario.yaml", text.encode()), *companions])
    assert _files_as_names(uploaded) == _files_as_names(scenario)


def _files_as_names(scenario) -> str:
    """Canonical JSON with file paths reduced to their names (uploads live in their own folder)."""
    data = json.loads(scenario.to_canonical_json())
    for channel in data["channels"].values():
        for key in ("history_csv", "profile"):
            if isinstance(channel.get(key), str) and channel[key].endswith(".csv"):
                channel[key] = Path(channel[key]).name
    return json.dumps(data, sort_keys=True)


def test_default_scenario_is_first_and_valid():
    examples = bundled_examples()
    assert next(iter(examples)) == DEFAULT_LABEL
    scenario = load_example(DEFAULT_LABEL)
    assert set(scenario.channels) == {"voice", "chat", "email"}
    # the default runs to a precision target (issue 10), not a handful of replications
    assert scenario.precision is not None and "replications" not in scenario.model_fields_set


def test_edit_is_validated_like_a_file_and_named():
    data = scenario_data(load_example(DEFAULT_LABEL))
    data["channels"]["voice"]["daily_total"] = -5
    with pytest.raises(ScenarioError, match=r"edited scenario: channels\.voice\.daily_total: .*greater than or equal to 0"):
        scenario_from_data(data)
    data["channels"]["voice"]["daily_total"] = 3500
    edited = scenario_from_data(data)
    assert "daily_total: 3500" in scenario_to_yaml(edited)
    assert "start_time: 08:00" in scenario_to_yaml(edited) or "start_time: '08:00'" in scenario_to_yaml(edited)


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("name: [", "mine.yaml", "mine.yaml: line 1, column 8: YAML syntax error"),
    ("name: a\nname: b\n", "dup.yaml", "dup.yaml: line 2, column 1: YAML syntax error: key 'name' appears twice"),
    ("name = 'x'\nintervals = 1\n", "plan.toml", "plan.toml: channels: is required"),
    ("whatever", "notes.txt", "notes.txt: unsupported file type '.txt'"),
    ("- 1\n- 2\n", "list.yaml", "list.yaml: the scenario must be a mapping"),
    ("", "empty.yaml", "empty.yaml: the file is empty"),
])
def test_upload_errors_name_the_upload(text, name, expected):
    with pytest.raises(ScenarioError) as info:
        parse_scenario_text(text, name)
    assert error_message(info.value).startswith(expected), error_message(info.value)
    assert "ccplan-upload-" not in str(info.value)  # the temporary file never shows


def test_parse_numbers_keeps_bad_items_for_the_schema():
    assert parse_numbers("10, 12 14") == [10, 12, 14]
    assert parse_numbers("7") == 7
    assert parse_numbers("1.5; x") == [1.5, "x"]
    assert format_numbers([10, 12.5]) == "10, 12.5"


def test_staffing_tables_follow_the_engines():
    scenario = load_example(DEFAULT_LABEL)
    tables = compute.staffing_tables(scenario.to_canonical_json())
    requirements = tables["requirements"]
    assert set(requirements["channel"]) == set(scenario.channels)
    voice = requirements[requirements["channel"] == "voice"]
    np.testing.assert_allclose(voice["volume"].to_numpy(dtype=float), resolve_arrivals(scenario, "voice"))
    chat = requirements[requirements["channel"] == "chat"]
    bot = scenario.channels["chat"].bot
    np.testing.assert_allclose(chat["volume"].to_numpy(dtype=float),
                               resolve_arrivals(scenario, "chat") * (1 - bot.resolved_share))
    # Erlang A (patience given) never needs more agents than Erlang C
    assert (voice["required_erlang_a"] <= voice["required_erlang_c"]).all()
    schedule = tables["schedule"]
    assert (schedule["scheduled"] == sum(np.asarray(g.agents) for g in scenario.staff)).all()
    assert not tables["at_schedule"].empty


def test_what_if_variants_move_the_requirements_the_right_way():
    base = load_example(DEFAULT_LABEL).to_canonical_json()
    more = compute.variant_json(base, "volume_change_percent", 20.0)
    slower = compute.variant_json(base, "aht_change_seconds", 30.0)
    assert compute.variant_json(base, "volume_change_percent", 0.0) == base
    peak = {name: compute.staffing_tables(j)["schedule"]["required_scheduled"].sum()
            for name, j in (("base", base), ("more", more), ("slower", slower))}
    assert peak["more"] > peak["base"] and peak["slower"] > peak["base"]
    bots = json.loads(compute.variant_json(base, "bot_resolved_share", 0.4))
    assert bots["channels"]["chat"]["bot"]["resolved_share"] == 0.4
    with pytest.raises(ScenarioError):
        compute.variant_json(base, "volume_change_percent", -150.0)  # negative volume: refused like a file


def test_sensitivity_table_has_service_and_cost_per_value():
    base = load_example(DEFAULT_LABEL).to_canonical_json()
    table = compute.sensitivity_table(base, "agents_change_percent", (-10.0, 10.0), 2, 5, "as-given")
    assert set(table["value"]) == {-10.0, 10.0}
    voice = table[table["metric"] == "voice.service_level"].set_index("value")["mean"]
    assert voice[10.0] > voice[-10.0]  # more agents, same customers (common random numbers)
    assert (table["metric"] == "cost_per_contact").sum() == 2


def test_schedule_plan_applies_the_roster_rules_of_the_view():
    """Regression (mypy, issue 9): ``schedule_plan`` called removed keywords of ``default_plan_templates``.

    Every shift of the plan must have the one full-time length asked for (no part-time when 0),
    and the criterion shown is the plan's goal rule.
    """
    from scenarios.document.loader import load_scenario
    from scenarios.studies.plan import GOAL_RULE

    scenario = load_scenario(Path(__file__).parents[2] / "scenarios" / "examples" / "single_queue.yaml")
    result = compute.schedule_plan(scenario.to_canonical_json(), "as-given", replications=2, max_replications=2, seed=3,
                                   max_iterations=1, shift_hours=(6.0,), part_time_hours=(), max_part_time_share=None,
                                   break_count=1, break_minutes=30, break_window_hours=(3.0, 5.0),
                                   start_step_minutes=60, seats=None)
    shifts = result["shifts"]
    assert len(shifts) > 0
    assert set(shifts["length_intervals"]) == {6 * 60 / scenario.interval_minutes}
    assert result["rule"] == GOAL_RULE
    assert result["cost"] > 0
