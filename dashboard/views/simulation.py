"""Simulation view: run the SimPy model with a progress bar; KPIs with confidence bands.

The run's parameters (setup, replications, seed) come from a form; results are cached by
:func:`dashboard.compute.simulation_tables`, so returning to the view shows the last run at once.
The view opens on a run with the scenario's own replications and seed.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import compute
from dashboard.state import ScenarioState
from scenarios import AS_GIVEN, SETUP_CHOICES
from scenarios.report import charts
from scenarios.report.kpis import SUMMARY_VIEW_KPIS, is_share

from ._common import csv_download, fmt_number, metric_rows, show_figure, with_ci

__all__ = ["render", "SETUP_CHOICES", "summary_wide"]


_PARAMS_KEY = "simulation.params"
_CANCELLED_KEY = "simulation.cancelled"


def summary_wide(summary: pd.DataFrame) -> pd.DataFrame:
    """The simulator's summary (channel x KPI rows) as one row per KPI, ``mean ± ci95`` per channel."""
    rows = summary[summary["kpi"].isin(SUMMARY_VIEW_KPIS)].copy()
    rows["value"] = [with_ci(m, h, share=is_share(k), digits=1)
                     for m, h, k in zip(rows["mean"], rows["ci95"], rows["kpi"], strict=True)]
    wide = rows.pivot(index="kpi", columns="channel", values="value")
    order = [k for k in SUMMARY_VIEW_KPIS if k in wide.index]
    return wide.loc[order, list(dict.fromkeys(rows["channel"]))].reset_index()


def render(state: ScenarioState) -> None:
    """Draw the Simulation view."""
    scenario = state.scenario
    scenario_json = scenario.to_canonical_json()
    default_setup = scenario.setup.kind if scenario.setup is not None else AS_GIVEN
    defaults = {"setup": default_setup, "replications": int(scenario.replications),
                "seed": int(scenario.seed if scenario.seed is not None else 1)}
    params = st.session_state.get(_PARAMS_KEY)
    if params is None or params.get("scenario") != scenario_json:
        params = {**defaults, "scenario": scenario_json}
    with st.form("simulation-form"):
        cols = st.columns(3)
        setup = cols[0].selectbox("Setup", SETUP_CHOICES, index=SETUP_CHOICES.index(params["setup"]), key="simulation.setup")
        replications = cols[1].number_input("Replications", value=params["replications"], step=1,
                                            key="simulation.replications")
        seed = cols[2].number_input("Seed", value=params["seed"], step=1, key="simulation.seed")
        submitted = st.form_submit_button("Run simulation", type="primary")
    if submitted:
        params = {"setup": setup, "replications": int(replications), "seed": int(seed), "scenario": scenario_json}
        st.session_state[_PARAMS_KEY] = params
    if submitted:
        st.session_state.pop(_CANCELLED_KEY, None)
    if st.button("Cancel", key="simulation.cancel", help="Stops the run at its next replication."):
        st.session_state[_CANCELLED_KEY] = scenario_json
    if st.session_state.get(_CANCELLED_KEY) == scenario_json:
        st.warning("Simulation cancelled. Press **Run simulation** to start again.")
        return
    result = compute.simulation_tables(scenario_json, params["replications"], params["seed"], params["setup"],
                                       show_progress=True)
    st.caption(f"{result['replications']} replications, seed {result['seed']}, setup {result['setup']}")

    summary = result["summary"]
    channels = list(dict.fromkeys(summary["channel"]))
    headline = []
    for channel in channels:
        rows = summary[summary["channel"] == channel].set_index("kpi")
        headline.append((f"{channel}: service level",
                         with_ci(rows.at["service_level", "mean"], rows.at["service_level", "ci95"], share=True), None))
    cost = result["costs"]
    headline.append((f"Cost per contact ({cost['currency']})",
                     with_ci(cost["cost_per_contact"]["mean"] or float("nan"), cost["cost_per_contact"]["ci95"] or float("nan"),
                             digits=2), None))
    metric_rows(headline)
    for note in result["notes"]:
        st.info(note)
    show_figure(charts.kpi_bands_figure(result["interval_summary"]))
    show_figure(charts.queue_backlog_figure(result["interval_summary"]))
    st.markdown("**Summary over the horizon** (mean ± 95 % confidence half-width over replications)")
    wide = summary_wide(summary)
    st.dataframe(wide, hide_index=True, width="stretch")
    cols = st.columns(4)
    with cols[3]:
        st.download_button("Download as Excel (.xlsx)", result["xlsx"], file_name="simulation.xlsx", key="simulation.xlsx", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    with cols[0]:
        csv_download(summary, "simulation_summary.csv", label="Download summary CSV", key="simulation.summary_csv")
    with cols[1]:
        csv_download(result["intervals"], "simulation_intervals.csv", label="Download per-interval CSV",
                     key="simulation.intervals_csv")
    with cols[2]:
        st.caption(f"Total cost over the horizon: {fmt_number(cost['total']['mean'] or float('nan'), 0)} {cost['currency']}")
