"""Simulation view: run the SimPy model with a progress bar; KPIs with confidence bands.

The run's parameters (setup; run length: a precision target in points, the product's default, or
a fixed number of replications; seed) come from a form; results are cached by
:func:`dashboard.compute.simulation_tables`, so returning to the view shows the last run at once.
The view runs when asked (a precision run takes seconds to a minute), by default to the product's
precision target with the scenario's seed; it shows
the replications used and the precision reached, and never an interval from fewer than 3
replications (``n/a (R replications)``).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import compute
from dashboard.state import ScenarioState
from scenarios import AS_GIVEN, SETUP_CHOICES
from scenarios.document.setups import setup_choice_label
from scenarios.report import charts
from scenarios.report.kpis import (
    CAMPAIGN_VIEW_KPIS,
    SUMMARY_VIEW_KPIS,
    definition,
    display_scale,
    is_share,
    kpi_label,
)
from scenarios.report.text import format_estimate
from scenarios.studies.run import precision_target

from ._common import csv_download, fmt_number, metric_rows, show_figure, with_ci, xlsx_download

__all__ = ["render", "SETUP_CHOICES", "summary_wide", "campaign_wide", "RUN_LENGTHS", "SERVICE_LEVEL_CONVENTIONS",
           "default_precision_points"]


_PARAMS_KEY = "simulation.params"
_CANCELLED_KEY = "simulation.cancelled"

PRECISION, FIXED = "precision target", "fixed replications"
RUN_LENGTHS = (PRECISION, FIXED)
"""How long a run is: to a precision target (the product's default) or a fixed number of replications."""

SERVICE_LEVEL_CONVENTIONS = ("service_level", "service_level_excluding_short_abandons", "service_level_of_answered")
"""The three service-level conventions a planner meets, shown side by side with their definitions."""


def default_precision_points(scenario) -> float:
    """The product's precision target on shares, points: the file's ``precision:`` block, else the default."""
    return float(precision_target(scenario.precision).share_half_width * 100.0)


def _estimate(row, kpi: str) -> str:
    """A summary row's mean with its 95 % interval (``n/a (R replications)`` below 3), in the KPI's display unit."""
    replications = int(row["replications"]) if "replications" in row and pd.notna(row["replications"]) else None
    return format_estimate(row["mean"], row.get("ci95_low"), row.get("ci95_high"), share=is_share(kpi),
                           replications=replications, spec=",.1f" if not display_scale(kpi) < 1 else ",.2f",
                           scale=display_scale(kpi))


def summary_wide(summary: pd.DataFrame) -> pd.DataFrame:
    """The simulator's summary (channel x KPI rows) as one row per KPI, ``mean ± ci95`` per channel.

    Values are in each KPI's display unit (:func:`scenarios.report.kpis.display_unit`: response
    times in hours); the ``KPI`` column names it with its unit and ``definition`` says what it counts.
    """
    return _wide(summary, SUMMARY_VIEW_KPIS, "channel")


def campaign_wide(summary: pd.DataFrame) -> pd.DataFrame:
    """The outbound campaigns' summary (campaign x KPI rows) as one row per KPI, ``mean ± ci95`` per campaign."""
    return _wide(summary, CAMPAIGN_VIEW_KPIS, "campaign")


def _wide(summary: pd.DataFrame, kpis: tuple[str, ...], column: str) -> pd.DataFrame:
    """Rows ``kpis`` of a long summary as one row per KPI (label, one ``mean ± ci95`` per ``column``, definition)."""
    rows = summary[summary["kpi"].isin(kpis)].copy()
    rows["value"] = [_estimate(row, row["kpi"]) for _, row in rows.iterrows()]
    wide = rows.pivot(index="kpi", columns=column, values="value").fillna("")
    order = [k for k in kpis if k in wide.index]
    wide = wide.loc[order, list(dict.fromkeys(rows[column]))]
    wide.insert(0, "KPI", [kpi_label(k) for k in order])
    wide["definition"] = [definition(k) for k in order]
    return wide.reset_index(drop=True)


def _form(scenario, scenario_json: str, params: dict) -> dict | None:
    own = scenario.setup.kind if scenario.setup is not None else None
    with st.form("simulation-form"):
        cols = list(st.columns(5))
        setup = cols[0].selectbox("Setup", SETUP_CHOICES, index=SETUP_CHOICES.index(params["setup"]),
                                  format_func=lambda choice: setup_choice_label(choice, own), key="simulation.setup")
        mode = cols[1].radio("Run length", RUN_LENGTHS, index=RUN_LENGTHS.index(params["mode"]), key="simulation.mode",
                             help="A precision target adds replications until the 95 % half-widths of service level "
                                  "and abandon rate (and ASA) are reached.")
        points = cols[2].number_input("Precision target (points)", value=params["precision_points"], min_value=0.1,
                                      max_value=50.0, step=0.5, key="simulation.precision_points",
                                      help="95 % half-width on service level and abandon rate, percentage points.")
        replications = cols[3].number_input("Fixed replications", value=params["replications"], min_value=1, step=1,
                                            key="simulation.replications")
        seed = cols[4].number_input("Seed", value=params["seed"], step=1, key="simulation.seed")
        submitted = st.form_submit_button("Run simulation", type="primary")
    if not submitted:
        return None
    return {"setup": setup, "mode": mode, "precision_points": float(points), "replications": int(replications),
            "seed": int(seed), "scenario": scenario_json}


def render(state: ScenarioState) -> None:
    """Draw the Simulation view."""
    scenario = state.scenario
    scenario_json = scenario.to_canonical_json()
    default_setup = scenario.setup.kind if scenario.setup is not None else AS_GIVEN
    defaults = {"setup": default_setup, "mode": PRECISION, "precision_points": default_precision_points(scenario),
                "replications": int(scenario.replications),
                "seed": int(scenario.seed if scenario.seed is not None else 1)}
    saved_params: dict | None = st.session_state.get(_PARAMS_KEY)
    requested = saved_params is not None and saved_params.get("scenario") == scenario_json
    params: dict = saved_params if saved_params is not None and requested else {**defaults, "scenario": scenario_json}
    submitted = _form(scenario, scenario_json, params)
    if submitted is not None:
        params = submitted
        st.session_state[_PARAMS_KEY] = params
        st.session_state.pop(_CANCELLED_KEY, None)
    elif not requested:
        st.info(f"Press **Run simulation**: by default the run adds replications until the 95 % half-width of "
                f"service level and abandon rate is ±{defaults['precision_points']:g} points (a few seconds to a "
                f"minute), or choose a fixed number of replications.")
        return
    if st.button("Cancel", key="simulation.cancel", help="Stops the run at its next replication."):
        st.session_state[_CANCELLED_KEY] = scenario_json
    if st.session_state.get(_CANCELLED_KEY) == scenario_json:
        st.warning("Simulation cancelled. Press **Run simulation** to start again.")
        return
    fixed = params["mode"] == FIXED
    result = compute.simulation_tables(scenario_json, params["replications"] if fixed else None,
                                       None if fixed else params["precision_points"], params["seed"], params["setup"],
                                       show_progress=True)
    how = "" if fixed else f" (run {result['run_length']})"
    st.caption(f"{result['replications']} replications{how}, seed {result['seed']}, setup {result['setup']}")
    for line in result["precision"]:
        st.caption(line[0].upper() + line[1:])

    summary = result["summary"]
    table = summary.set_index(["channel", "kpi"])
    channels = list(dict.fromkeys(summary["channel"]))
    headline: list[tuple[str, str, str | None]] = [("Replications used", str(result["replications"]),
                 {None: "A fixed number of replications.", True: "The precision target is met.",
                  False: "The precision target is NOT met within the most replications."}[result["precision_met"]])]
    for channel in channels:
        if (channel, "service_level") in table.index:
            headline.append((f"{channel}: service level", _estimate(table.loc[(channel, "service_level")], "service_level"),
                             definition("service_level")))
    cost = result["costs"]
    headline.append((f"Cost per contact ({cost['currency']})",
                     with_ci(cost["cost_per_contact"]["mean"] or float("nan"), cost["cost_per_contact"]["ci95"] or float("nan"),
                             digits=2), None))
    metric_rows(headline)
    for note in result["notes"]:
        st.info(note)
    show_figure(charts.kpi_bands_figure(result["interval_summary"]))
    show_figure(charts.queue_backlog_figure(result["interval_summary"]))
    st.markdown("**Three service-level conventions** (mean ± 95 % half-width in points)")
    conventions = summary_wide(summary[summary["kpi"].isin(SERVICE_LEVEL_CONVENTIONS)])
    st.dataframe(conventions, hide_index=True, width="stretch")
    st.markdown("**Summary over the horizon** (mean ± 95 % confidence half-width over replications; "
                "no interval below 3 replications)")
    wide = summary_wide(summary)
    st.dataframe(wide, hide_index=True, width="stretch")
    if result.get("campaigns") is not None:
        st.markdown("**Outbound campaigns** (blended: inbound first, attempts only while each campaign's reserve "
                    "of idle agents is kept; mean ± 95 % confidence half-width over replications)")
        st.dataframe(campaign_wide(result["campaigns"]), hide_index=True, width="stretch")
        csv_download(result["campaign_intervals"], "simulation_outbound_intervals.csv",
                     label="Download outbound per-interval CSV", key="simulation.outbound_csv")
    cols = list(st.columns(4))
    with cols[3]:
        xlsx_download(result["xlsx"], "simulation.xlsx", key="simulation.xlsx")
    with cols[0]:
        csv_download(summary, "simulation_summary.csv", label="Download summary CSV", key="simulation.summary_csv")
    with cols[1]:
        csv_download(result["intervals"], "simulation_intervals.csv", label="Download per-interval CSV",
                     key="simulation.intervals_csv")
    with cols[2]:
        st.caption(f"Total cost over the horizon: {fmt_number(cost['total']['mean'] or float('nan'), 0)} {cost['currency']}")
