"""Schedule view: the simulation-checked staffing plan (``ccplan plan``) of the current scenario.

The planner sets the roster rules (shift lengths, break, start-time step, part-time share) and
the run (setup, replications, seed, iterations) in a form; "Make the schedule" runs
:func:`scenarios.studies.plan.plan_staffing` through :func:`dashboard.compute.schedule_plan`
with a progress bar and a Cancel button. The result: cost and paid hours, the shifts as a Gantt
chart (breaks placed), coverage vs requirement per interval (Erlang C, Erlang A, simulated),
why each interval differs, and every table as CSV or one Excel workbook.

Each control maps to one keyword argument of ``default_plan_templates`` / ``plan_staffing``
(:data:`ROSTER_RULES`), so new roster rules of the planner are wired here by adding a row.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import compute
from dashboard.state import ScenarioState
from scenarios import AS_GIVEN, SETUP_CHOICES
from scenarios.document.setups import setup_choice_label
from scenarios.report import charts

from ._common import csv_download, fmt_number, show_figure

__all__ = ["render", "ROSTER_RULES", "PARAMS_KEY"]

PARAMS_KEY = "schedule.params"
"""Session key of the parameters of the last requested plan (None: no plan requested)."""

ROSTER_RULES = {
    # control key: (label, default, step, keyword argument of schedule_plan)
    "shift_hours": ("Full shift (hours, with the unpaid break)", 8.0, 0.5, "shift_hours"),
    "part_time_hours": ("Part-time shift (hours; 0 = none)", 4.0, 0.5, "part_time_hours"),
    "break_minutes": ("Unpaid break of full shifts (minutes, 3-5 h in)", 30, 15, "break_minutes"),
    "start_step_minutes": ("Minutes between shift starts", 30, 15, "start_step_minutes"),
    "max_part_time_share": ("Most part-time shifts (share of shifts; 1 = no limit)", 0.5, 0.05, "max_part_time_share"),
}
"""The roster rules a planner sets here, with the keyword of :func:`dashboard.compute.schedule_plan` each sets."""


def _params_form(state: ScenarioState) -> dict | None:
    scenario = state.scenario
    default_setup = scenario.setup.kind if scenario.setup is not None else AS_GIVEN
    with st.form(f"schedule-form-{state.revision}"):
        st.markdown("**Roster rules**")
        cols = st.columns(len(ROSTER_RULES))
        rules = {}
        for col, (key, (label, default, step, _)) in zip(cols, ROSTER_RULES.items(), strict=True):
            rules[key] = col.number_input(label, value=default, step=step, key=f"schedule.{key}")
        st.markdown("**Run**")
        cols = st.columns(4)
        setup = cols[0].selectbox("Setup", SETUP_CHOICES, index=SETUP_CHOICES.index(default_setup),
                                  format_func=setup_choice_label, key=f"schedule.setup.{state.revision}")
        replications = cols[1].number_input("Replications per iteration", value=min(5, int(scenario.replications)),
                                            min_value=1, step=1, key="schedule.replications")
        seed = cols[2].number_input("Seed (the same in every iteration)", value=int(scenario.seed or 1), min_value=0,
                                    step=1, key="schedule.seed")
        iterations = cols[3].number_input("Most iterations", value=4, min_value=1, max_value=20, step=1,
                                          key="schedule.max_iterations")
        submitted = st.form_submit_button("Make the schedule", type="primary")
    if not submitted:
        return None
    share = float(rules["max_part_time_share"])
    if not 0 <= share <= 1:
        st.error(f"Most part-time shifts: give a share between 0 and 1, got {share:g}")
        return None
    return {
        "setup_kind": setup, "replications": int(replications), "seed": int(seed), "max_iterations": int(iterations),
        "shift_hours": float(rules["shift_hours"]), "part_time_hours": float(rules["part_time_hours"]),
        "break_minutes": int(rules["break_minutes"]), "start_step_minutes": int(rules["start_step_minutes"]),
        "max_part_time_share": None if share >= 1 else share,
    }


def render(state: ScenarioState) -> None:
    """Draw the Schedule view."""
    scenario_json = state.scenario.to_canonical_json()
    st.caption("Shifts from the analytic requirement, checked by simulation and corrected where an interval misses "
               "(or beats) its goal, as `ccplan plan` does. A plan takes a few seconds per iteration.")
    params = _params_form(state)
    if params is not None:
        st.session_state[PARAMS_KEY] = {**params, "scenario": scenario_json}
    requested = st.session_state.get(PARAMS_KEY)
    if requested is None or requested.get("scenario") != scenario_json:
        st.info("Set the roster rules and press **Make the schedule**.")
        return
    if st.button("Cancel", key="schedule.cancel", help="Stops the plan at its next iteration."):
        st.session_state.pop(PARAMS_KEY, None)
        st.warning("Plan cancelled.")
        return
    kwargs = {k: v for k, v in requested.items() if k != "scenario"}
    result = compute.schedule_plan(scenario_json, **kwargs, show_progress=True)
    _show(result)


def _show(result: dict) -> None:
    currency = result["currency"]
    intervals = result["intervals"]
    goals = intervals[intervals["goal"].notna()]
    missed = int((goals["met"] == False).sum())  # noqa: E712 - a pandas column of booleans and None
    cols = st.columns(4)
    cols[0].metric(f"Cost ({currency})", fmt_number(result["cost"], 0), help="Paid shift hours x hourly cost, plus burst minutes.")
    cols[1].metric("Paid hours", fmt_number(result["paid_hours"], 1))
    cols[2].metric("Shifts", fmt_number(float(result["shifts"]["headcount"].sum()), 0) if not result["shifts"].empty else "0")
    cols[3].metric("Intervals missing the goal", f"{missed} of {len(goals)}",
                   help=result["criterion"])
    st.caption(f"Iteration {result['chosen_iteration']} chosen; "
               + ("converged." if result["converged"] else "not converged within the iterations.")
               + ("" if result["goal_met"] else " Some goals are missed."))
    for note in result["notes"]:
        st.info(note)
    show_figure(charts.shifts_gantt_figure(result["shifts"], result["labels"]))
    show_figure(charts.plan_coverage_figure(intervals))
    st.markdown("**Why the numbers differ per interval**")
    st.dataframe(pd.DataFrame({"reason": list(compute.WHY_LABELS), "meaning": list(compute.WHY_LABELS.values())}),
                 hide_index=True, width="stretch")
    st.dataframe(intervals, hide_index=True, width="stretch")
    st.markdown("**Shifts** (one row per group, start and break position)")
    shifts = result["shifts"]
    st.dataframe(shifts.drop(columns=[c for c in ("length_intervals", "break_offset_intervals", "break_intervals")
                                      if c in shifts]), hide_index=True, width="stretch")
    st.markdown("**Iterations**")
    st.dataframe(result["iterations"], hide_index=True, width="stretch")
    cols = st.columns(3)
    with cols[0]:
        st.download_button("Download the plan as Excel (.xlsx)", result["xlsx"], file_name="schedule.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="schedule.xlsx", on_click="ignore")
    with cols[1]:
        csv_download(intervals, "schedule_intervals.csv", label="Per-interval CSV", key="schedule.intervals_csv")
    with cols[2]:
        csv_download(shifts, "schedule_shifts.csv", label="Shifts CSV", key="schedule.shifts_csv")
