"""Sensitivity view: a one-parameter what-if as a curve of simulated service level and cost.

Each value of the parameter is a variant of the scenario (validated like a file) simulated with
the same seed (common random numbers) through :func:`dashboard.compute.sensitivity_table`.
"""

from __future__ import annotations

import streamlit as st

from dashboard import compute
from dashboard.state import ScenarioState
from scenarios import AS_GIVEN
from scenarios.report import charts

from ._common import csv_download, show_figure
from .scenario import format_numbers, parse_numbers
from .simulation import SETUP_CHOICES

__all__ = ["render"]


def render(state: ScenarioState) -> None:
    """Draw the Sensitivity view."""
    scenario = state.scenario
    scenario_json = scenario.to_canonical_json()
    parameters = compute.SENSITIVITY_PARAMETERS
    with st.form("sensitivity-form"):
        cols = st.columns([2, 2, 1, 1])
        parameter = cols[0].selectbox("Parameter", list(parameters), format_func=lambda key: parameters[key][0],
                                      key="sensitivity.parameter")
        values_text = cols[1].text_input("Values (comma-separated; empty = the parameter's defaults)", value="",
                                         key="sensitivity.values")
        replications = cols[2].number_input("Replications", value=min(int(scenario.replications), 5), step=1,
                                            key="sensitivity.replications")
        default_setup = scenario.setup.kind if scenario.setup is not None else AS_GIVEN
        setup = cols[3].selectbox("Setup", SETUP_CHOICES, index=SETUP_CHOICES.index(default_setup), key="sensitivity.setup")
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
    with st.spinner(f"Simulating {len(values)} variants..."):
        table = compute.sensitivity_table(scenario_json, parameter, tuple(values), int(replications), seed, setup)
    service = [m for m in dict.fromkeys(table["metric"]) if m.endswith(".service_level")]
    show_figure(charts.sensitivity_figure(table, parameter_label=label, service_metrics=service,
                                          currency=scenario.costs.currency))
    wide = table.pivot(index="value", columns="metric", values="mean").reset_index().rename(columns={"value": label})
    st.dataframe(wide, hide_index=True, width="stretch")
    csv_download(table, f"sensitivity_{parameter}.csv", key="sensitivity.csv")
