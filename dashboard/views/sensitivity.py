"""Sensitivity view: a one-parameter what-if, staff re-sized at each point or kept fixed.

Each value of the parameter is a variant of the scenario (validated like a file). "Re-size the
staff" (the default) answers "how many agents does this save?": each point's analytic
requirement, agents and staff cost saved against the scenario as it is, optionally checked by
simulation with the re-sized roster (:func:`dashboard.compute.resized_table`). "Keep the roster"
simulates every variant with the same staff and seed (common random numbers) and shows service
level and cost per contact (:func:`dashboard.compute.sensitivity_table`).
"""

from __future__ import annotations

import streamlit as st

from dashboard import compute
from dashboard.state import ScenarioState
from scenarios import AS_GIVEN
from scenarios.report import charts
from scenarios.report.kpis import kpi_label

from ._common import csv_download, show_figure
from .scenario import format_numbers, parse_numbers
from .simulation import SETUP_CHOICES

__all__ = ["render"]

_MODES = ("Re-size the staff (agents and cost saved)", "Keep the roster (service and cost)")


def _resized(scenario, scenario_json: str, parameter: str, label: str, values: tuple[float, ...], setup: str,
             check: int, seed: int) -> None:
    """Agents and staff cost saved per what-if point (the staff re-sized to each point's requirement)."""
    table = compute.resized_table(scenario_json, parameter, values, setup, check, seed)
    currency = scenario.costs.currency
    best = table.loc[table["agent_hours_saved"].idxmax()]
    cols = list(st.columns(3))
    cols[0].metric("Most agent-hours saved", f"{best['agent_hours_saved']:,.1f}", help=f"at {label} = {best['value']:g}")
    cols[1].metric("Peak agents saved", f"{best['agents_saved_peak']:,.0f}")
    cols[2].metric(f"Staff cost saved ({currency})", f"{best['staff_cost_saved']:,.0f}")
    show_figure(charts.resized_figure(table, parameter_label=label, currency=currency))
    shown = table.rename(columns={"value": label, **{c: kpi_label(c) for c in table.columns if c != "value"}})
    if check == 0:
        shown = shown.drop(columns=[kpi_label("service_level_checked"), kpi_label("service_level_checked_ci95")])
    st.dataframe(shown, hide_index=True, width="stretch")
    csv_download(table, f"resized_{parameter}.csv", key="sensitivity.resized_csv")


def render(state: ScenarioState) -> None:
    """Draw the Sensitivity view."""
    scenario = state.scenario
    scenario_json = scenario.to_canonical_json()
    parameters = compute.SENSITIVITY_PARAMETERS
    with st.form("sensitivity-form"):
        cols = list(st.columns([2, 2, 1, 1]))
        parameter = cols[0].selectbox("Parameter", list(parameters), format_func=lambda key: parameters[key][0],
                                      key="sensitivity.parameter")
        values_text = cols[1].text_input("Values (comma-separated; empty = the parameter's defaults)", value="",
                                         key="sensitivity.values")
        replications = cols[2].number_input("Replications", value=min(int(scenario.replications), 5), step=1,
                                            key="sensitivity.replications")
        default_setup = scenario.setup.kind if scenario.setup is not None else AS_GIVEN
        setup = cols[3].selectbox("Setup", SETUP_CHOICES, index=SETUP_CHOICES.index(default_setup), key="sensitivity.setup")
        mode = st.radio("Staff at each point", _MODES, horizontal=True, key="sensitivity.mode")
        check = st.number_input("Check the re-sized staff by simulation (replications; 0 = analytic only)", value=0,
                                min_value=0, max_value=20, step=1, key="sensitivity.check_replications")
        st.form_submit_button("Run what-if", type="primary")
    label, defaults = parameters[parameter]
    values = defaults
    if values_text.strip():
        parsed = parse_numbers(values_text)
        parsed = parsed if isinstance(parsed, list) else [parsed]
        bad = [v for v in parsed if isinstance(v, str)]
        if bad:
            st.error(f"Values: {bad[0]!r} is not a number; give numbers separated by commas, e.g. {format_numbers(list(defaults))}")
            return
        values = tuple(float(v) for v in parsed)
    seed = int(scenario.seed if scenario.seed is not None else 1)
    if mode == _MODES[0]:
        _resized(scenario, scenario_json, parameter, label, tuple(values), setup, int(check), seed)
        return
    with st.spinner(f"Simulating {len(values)} variants..."):
        table = compute.sensitivity_table(scenario_json, parameter, tuple(values), int(replications), seed, setup)
    service = [m for m in dict.fromkeys(table["metric"]) if m.endswith(".service_level")]
    show_figure(charts.sensitivity_figure(table, parameter_label=label, service_metrics=service,
                                          currency=scenario.costs.currency))
    wide = table.pivot(index="value", columns="metric", values="mean").reset_index().rename(columns={"value": label})
    st.dataframe(wide, hide_index=True, width="stretch")
    csv_download(table, f"sensitivity_{parameter}.csv", key="sensitivity.csv")
