"""Compare setups view: in-house, virtual and cloud side by side (common random numbers).

Calls :func:`scenarios.studies.compare.compare` (through :func:`dashboard.compute.comparison_tables`):
every setup is simulated with the same seed and replications, and costed.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import compute
from dashboard.state import ScenarioState
from scenarios.report import charts
from scenarios.report.kpis import is_share

from ._common import csv_download, show_figure, with_ci, xlsx_download

__all__ = ["render", "default_metrics", "comparison_display"]



def default_metrics(metrics: list[str]) -> list[str]:
    """SL, ASA, abandon rate and occupancy of voice (else the first real-time channel), email response, cost per contact."""
    chosen = []
    realtime = sorted((m.rpartition(".")[0] for m in metrics if m.endswith(".asa_seconds")), key=lambda c: c != "voice")
    if realtime:
        chosen += [f"{realtime[0]}.{k}" for k in ("service_level", "asa_seconds", "abandon_rate", "occupancy")]
    chosen += [m for m in metrics if m.endswith(".p90_response_hours")][:1]
    chosen.append("cost_per_contact")
    return [m for m in chosen if m in metrics]


def comparison_display(tidy: pd.DataFrame) -> pd.DataFrame:
    """One row per metric, ``mean ± ci95`` per setup (shares as percentages)."""
    frame = tidy.copy()
    frame["value"] = [with_ci(m, h, share=is_share(metric), digits=2)
                      for m, h, metric in zip(frame["mean"], frame["ci95"], frame["metric"], strict=True)]
    wide = frame.pivot(index="metric", columns="setup", values="value")
    order = list(dict.fromkeys(frame["metric"]))
    return wide.loc[order, list(dict.fromkeys(frame["setup"]))].reset_index()


_REQUESTED_KEY = "compare.requested"


def render(state: ScenarioState) -> None:
    """Draw the Compare setups view."""
    scenario = state.scenario
    scenario_json = scenario.to_canonical_json()
    with st.form("compare-form"):
        cols = list(st.columns(2))
        replications = cols[0].number_input("Replications per setup", value=int(scenario.replications), step=1,
                                            key="compare.replications")
        seed = cols[1].number_input("Seed (shared by every setup)", value=int(scenario.seed if scenario.seed is not None else 1),
                                    step=1, key="compare.seed")
        if st.form_submit_button("Compare setups", type="primary"):
            st.session_state[_REQUESTED_KEY] = True
    if not st.session_state.get(_REQUESTED_KEY):
        st.info("Press **Compare setups**: it simulates the scenario under the in-house, virtual and cloud "
                "setups with the same customers (a few seconds; once pressed, changes re-run it).")
        return
    result = compute.comparison_tables(scenario_json, int(replications), int(seed), show_progress=True)
    st.caption(f"{result['replications']} replications per setup, seed {result['seed']} (common random numbers)")
    tidy = result["tidy"]
    metrics = list(dict.fromkeys(tidy["metric"]))
    currency = result["currency"]
    cost = tidy[tidy["metric"] == "cost_per_contact"].set_index("setup")
    cols = list(st.columns(len(cost)))
    for col, (setup, row) in zip(cols, cost.iterrows(), strict=False):
        col.metric(f"{setup}: cost per contact ({currency})", with_ci(row["mean"], row["ci95"], digits=2))
    chosen = st.multiselect("Metrics in the chart", metrics, default=default_metrics(metrics), key="compare.metrics")
    show_figure(charts.comparison_figure(tidy, chosen, currency=currency))
    st.markdown("**Setups side by side** (mean ± 95 % confidence half-width)")
    st.dataframe(comparison_display(tidy), hide_index=True, width="stretch")
    cols = list(st.columns(2))
    with cols[0]:
        csv_download(tidy, "setup_comparison.csv", key="compare.csv")
    with cols[1]:
        xlsx_download(result["xlsx"], "setup_comparison.xlsx", key="compare.xlsx")
    for setup, notes in result["notes"].items():
        for note in notes:
            st.info(f"{setup}: {note}")
