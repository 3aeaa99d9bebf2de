"""Saved scenarios, bundles, the comparison of several scenarios and the re-sizing what-if
(kind: unit tests of scenarios.studies and dashboard.library, plus AppTest of the views).

What they prove: a bundle downloads and uploads back to equal scenarios, and a bad file in a
bundle is refused with its name; ``compare_scenarios`` puts KPIs, cost and staffing of each
scenario side by side and a scenario with 10 % more volume needs more agent-hours and answers
fewer calls within the target with the same roster and customers; the re-sizing what-if saves
agent-hours as the bot resolves more chats (the requirement falls monotonically) and costs
them at the hourly rate; the Saved scenarios and Sensitivity views show these numbers.
"""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest

from dashboard.library import bundle_bytes, file_name, read_bundle
from dashboard.state import DEFAULT_LABEL, load_example, scenario_data
from scenarios import ScenarioError
from scenarios.studies.compare import STAFFING_METRICS, compare_scenarios
from scenarios.studies.sensitivity import (
    resized_roster,
    resized_sensitivity_table,
    variant_scenario,
)

from .conftest import click, errors, metrics, show

RETAIL = "example: retail_inhouse_monday.yaml"


def test_bundle_round_trip_and_names():
    scenarios = {"base": load_example(DEFAULT_LABEL), "retail / peak": load_example(RETAIL)}
    back = read_bundle(bundle_bytes(scenarios))
    assert set(back) == {"base", "retail - peak"} and file_name("retail / peak") == "retail - peak.yaml"
    assert back["base"].to_canonical_json() == scenarios["base"].to_canonical_json()
    assert back["retail - peak"].to_canonical_json() == scenarios["retail / peak"].to_canonical_json()


def test_bad_bundles_are_named():
    with pytest.raises(ScenarioError, match="b.zip: not a zip"):
        read_bundle(b"hello", "b.zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("good.yaml", bundle_and_text()["good.yaml"])
        archive.writestr("bad.yaml", "name: x\nintervals: 0\n")
    with pytest.raises(ScenarioError, match="b.zip/bad.yaml"):
        read_bundle(buffer.getvalue(), "b.zip")


def bundle_and_text() -> dict[str, str]:
    from dashboard.state import scenario_to_yaml

    return {"good.yaml": scenario_to_yaml(load_example(DEFAULT_LABEL))}


def test_compare_scenarios_kpis_cost_and_staffing():
    base = load_example(DEFAULT_LABEL)
    more = variant_scenario(scenario_data(base), "volume_change_percent", 10.0)
    comparison = compare_scenarios({"base": base, "more": more}, 3, 11)
    table = comparison.table()
    assert list(table.columns) == ["base", "more"]
    assert set(STAFFING_METRICS) <= set(table.index) and "cost_per_contact" in table.index
    assert table.at["required_agent_hours", "more"] > table.at["required_agent_hours", "base"]
    assert table.at["scheduled_agent_hours", "more"] == table.at["scheduled_agent_hours", "base"]  # same roster
    assert table.at["voice.offered", "more"] > table.at["voice.offered", "base"]
    assert table.at["voice.service_level", "more"] < table.at["voice.service_level", "base"]
    with pytest.raises(ScenarioError, match="at least two"):
        compare_scenarios({"base": base}, 2, 1)


def test_resized_what_if_saves_agents_as_the_bot_resolves_more():
    base = load_example(DEFAULT_LABEL)
    today_share = base.channels["chat"].bot.resolved_share
    values = tuple(sorted({0.0, today_share, 0.5, 0.8}))
    table = resized_sensitivity_table(scenario_data(base), "bot_resolved_share", values)
    hours = table["required_agent_hours"].to_numpy()
    assert np.all(np.diff(hours) < 0)  # fewer chats reach agents: fewer agent-hours at every step
    today = table.set_index("value").loc[today_share]
    assert today["agent_hours_saved"] == 0 and today["staff_cost_saved"] == 0
    row = table.set_index("value").loc[0.5]
    assert row["agent_hours_saved"] > 0
    assert row["staff_cost_saved"] == pytest.approx(row["agent_hours_saved"] * base.costs.agent_hourly_cost)


def test_resized_roster_meets_the_requirement_per_interval():
    from scenarios.bridge.requirements import scenario_requirements
    from scenarios.document.loader import parse_scenario

    base = load_example(DEFAULT_LABEL)
    resized = parse_scenario(resized_roster(base))
    required = scenario_requirements(base).groupby("interval")["scheduled_agents"].sum().to_numpy()
    total = sum(np.asarray(g.agents) if len(g.agents) > 1 else np.full(base.intervals, g.agents[0]) for g in resized.staff)
    assert np.all(total >= required) and np.all(total <= required + len(base.staff))  # rounded up per group


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_saved_scenarios_view_compares_two(app):
    show(app, "Saved scenarios")
    click(app, "Save")
    app.text_input(key=f"library.name.{app.session_state['ccplan_scenario_state'].revision}").set_value("second")
    click(app, "Save")
    assert set(app.session_state["ccplan_saved_scenarios"]) == {"Example weekday, multichannel", "second"}
    click(app, "Compare scenarios")
    assert errors(app) == []
    shown = metrics(app)
    assert shown["second: cost per contact (EUR)"] == shown["Example weekday, multichannel: cost per contact (EUR)"]
    assert app.dataframe and app.get("image")


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_sensitivity_view_resizes_by_default(app):
    show(app, "Sensitivity")
    assert errors(app) == []
    shown = metrics(app)
    assert "Most agent-hours saved" in shown and float(shown["Most agent-hours saved"].replace(",", "")) >= 0
