"""Saved scenarios view: keep named scenarios in the session and compare two or more side by side.

The current scenario is saved under a name; a saved one can be made current again or deleted;
all of them download as one bundle (a zip of YAML files) and a bundle uploads back. Two or more
saved scenarios are simulated with the same seed and replications by
:func:`scenarios.studies.compare.compare_scenarios` (through
:func:`dashboard.compute.scenario_comparison`): KPIs, cost and staffing side by side.
"""

from __future__ import annotations

import streamlit as st

from dashboard import compute, library
from dashboard.state import USER_ERRORS, ScenarioState, accept, error_message
from scenarios import AS_GIVEN, SETUP_CHOICES
from scenarios.document.setups import setup_choice_label
from scenarios.report import charts
from scenarios.report.kpis import is_share

from ._common import csv_download, show_figure, with_ci, xlsx_download
from .compare import default_metrics

__all__ = ["render"]

_STAFFING = ("scheduled_agent_hours", "peak_scheduled_agents", "required_agent_hours", "required_fte", "total_cost")


def _manage(state: ScenarioState) -> None:
    cols = list(st.columns([2, 1]))
    name = cols[0].text_input("Save the current scenario as", value=state.scenario.name,
                              key=f"library.name.{state.revision}")
    if cols[1].button("Save", key="library.save", type="primary"):
        try:
            library.save(name, state.scenario)
        except USER_ERRORS as exc:
            st.error(error_message(exc))
        else:
            st.success(f"Saved as {name.strip()!r}.")
    saved = library.saved()
    if saved:
        cols = list(st.columns([2, 1, 1]))
        chosen = cols[0].selectbox("Saved scenarios", list(saved), key="library.chosen")
        if cols[1].button("Make current", key="library.load"):
            accept(saved[chosen], f"saved scenario {chosen!r}")
            st.rerun()
        if cols[2].button("Delete", key="library.delete"):
            library.delete(chosen)
            st.rerun()
        st.download_button("Download all saved scenarios (zip bundle)", library.bundle_bytes(saved),
                           file_name="ccplan-scenarios.zip", mime="application/zip", key="library.bundle",
                           on_click="ignore")
    upload = st.file_uploader("Upload a bundle (zip of scenario files)", type=["zip"], key="library.upload")
    if upload is not None and st.session_state.get("library.upload_id") != upload.file_id:
        st.session_state["library.upload_id"] = upload.file_id
        try:
            bundle = library.read_bundle(upload.getvalue(), upload.name)
        except USER_ERRORS as exc:
            st.error(f"Bundle not loaded: {error_message(exc)}. The saved scenarios are kept.")
        else:
            for bundle_name, scenario in bundle.items():
                library.save(bundle_name, scenario)
            st.success(f"{len(bundle)} scenarios loaded from {upload.name}.")
            st.rerun()


def render(state: ScenarioState) -> None:
    """Draw the Saved scenarios view."""
    _manage(state)
    saved = library.saved()
    if len(saved) < 2:
        st.info("Save two or more scenarios (for example the current one, then an edited copy) to compare them.")
        return
    with st.form("scenarios-compare-form"):
        chosen = st.multiselect("Scenarios to compare (two or more)", list(saved), default=list(saved)[:4],
                                key="library.compare")
        cols = list(st.columns(3))
        replications = cols[0].number_input("Replications per scenario", value=5, min_value=1, step=1,
                                            key="library.replications")
        seed = cols[1].number_input("Seed (shared)", value=1, min_value=0, step=1, key="library.seed")
        setup = cols[2].selectbox("Setup", list(SETUP_CHOICES), index=SETUP_CHOICES.index(AS_GIVEN),
                                  format_func=lambda choice: setup_choice_label(
                                      choice, [(setup.kind if (setup := saved[n].setup) is not None else None) for n in saved]),
                                  key="library.setup")
        submitted = st.form_submit_button("Compare scenarios", type="primary")
    if not submitted and "library.last" not in st.session_state:
        return
    if submitted:
        if len(chosen) < 2:
            st.error("Scenarios to compare: choose at least two.")
            return
        st.session_state["library.last"] = (tuple((n, saved[n].to_canonical_json()) for n in chosen),
                                            int(replications), int(seed), setup)
    named, replications, seed, setup = st.session_state["library.last"]
    result = compute.scenario_comparison(named, replications, seed, setup, show_progress=True)
    tidy = result["tidy"]
    st.caption(f"{replications} replications per scenario, seed {seed} (common random numbers), setup {setup}")
    cost = tidy[tidy["metric"] == "cost_per_contact"].set_index("scenario")
    cols = list(st.columns(min(4, len(cost))))
    for index, (name, row) in enumerate(cost.iterrows()):
        cols[index % len(cols)].metric(f"{name}: cost per contact ({result['currency']})",
                                       with_ci(row["mean"], row["ci95"], digits=2))
    metrics = list(dict.fromkeys(tidy["metric"]))
    defaults = default_metrics(metrics) + [m for m in ("required_agent_hours", "scheduled_agent_hours") if m in metrics]
    shown = st.multiselect("Metrics in the chart", metrics, default=defaults, key="library.metrics")
    show_figure(charts.comparison_figure(tidy, shown, currency=result["currency"], by="scenario"))
    wide = tidy.copy()
    wide["value"] = [with_ci(m, h, share=is_share(k), digits=2) for m, h, k in zip(wide["mean"], wide["ci95"], wide["metric"], strict=True)]
    table = wide.pivot(index="metric", columns="scenario", values="value").loc[metrics, [n for n, _ in named]].reset_index()
    st.markdown("**Scenarios side by side** (KPIs and costs: mean ± 95 % half-width; staffing: "
                + ", ".join(_STAFFING[:4]) + ")")
    st.dataframe(table, hide_index=True, width="stretch")
    cols = list(st.columns(2))
    with cols[0]:
        csv_download(tidy, "scenario_comparison.csv", key="library.csv")
    with cols[1]:
        xlsx_download(result["xlsx"], "scenario_comparison.xlsx", key="library.xlsx")
