"""Schedule view: the simulation-checked staffing plan (``ccplan plan``) of the current scenario.

The planner sets the roster rules (full-time and part-time shift lengths, the part-time share
cap, breaks: count, length and window, start-time step, seats shared by all groups) and the run
(setup, first batch and most replications, seed, iterations) in a form; "Make the schedule" runs
:func:`scenarios.studies.plan.plan_staffing` through :func:`dashboard.compute.schedule_plan`
with a progress bar and a Cancel button. The result: cost and paid hours, the goal decision of
every interval (met / missed / undecided, with the replications it took), the shifts as a Gantt
chart (breaks placed), coverage vs requirement per interval (Erlang C, Erlang A, simulated), why
each interval differs, and every table as CSV or one Excel workbook.

Each control maps to one field of :class:`scenarios.studies.plan.RosterRules` (:data:`ROSTER_RULES`),
so a new roster rule of the planner is wired here by adding a row.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ccplan_errors import InputError
from dashboard import compute
from dashboard.state import ScenarioState, error_message
from scenarios import AS_GIVEN, SETUP_CHOICES
from scenarios.document.setups import setup_choice_label
from scenarios.errors import ScenarioError
from scenarios.report import charts
from scenarios.studies.plan import RosterRules

from ._common import csv_download, fmt_number, show_figure, xlsx_download

__all__ = ["render", "ROSTER_RULES", "PARAMS_KEY", "RosterControl", "parse_rule"]

PARAMS_KEY = "schedule.params"
"""Session key of the parameters of the last requested plan (None: no plan requested)."""


@dataclass(frozen=True)
class RosterControl:
    """One roster-rule control: its label and how its text is read.

    ``kind``: ``"hours"`` (comma-separated hours, empty = none), ``"share"`` (0-1, empty = no
    limit), ``"whole"`` (a whole number), ``"window"`` (two hours, ``3-5``), ``"seats"`` (a whole
    number, empty = the setup's seats).
    """

    label: str
    kind: str
    help: str = ""


ROSTER_RULES = {
    # RosterRules field: its control
    "shift_hours": RosterControl("Full-time shift lengths (hours, comma-separated)", "hours",
                                 "Spans with the breaks included, e.g. 8, 10."),
    "part_time_hours": RosterControl("Part-time shift lengths (hours; empty = none)", "hours",
                                     "Every shift of these lengths counts as part-time."),
    "max_part_time_share": RosterControl("Most part-time shifts (share of a group's shifts; empty = no limit)", "share"),
    "break_count": RosterControl("Breaks per shift of 6 hours or more", "whole"),
    "break_minutes": RosterControl("Length of each unpaid break (minutes)", "whole"),
    "break_window_hours": RosterControl("Break window (hours after the shift start, earliest-latest)", "window",
                                        "Several breaks split the window into equal parts, one break in each."),
    "start_step_minutes": RosterControl("Minutes between shift starts", "whole"),
    "seats": RosterControl("Seats shared by all groups (empty = the in-house setup's seats)", "seats",
                           "Most agents of all groups at their desks at once, in one schedule for all groups."),
}
"""The roster rules a planner sets here: :class:`scenarios.studies.plan.RosterRules` field -> its control."""


def _default_text(field: str) -> str:
    value = getattr(compute.ROSTER_DEFAULTS, field)
    if value is None:
        return ""
    if field == "break_window_hours":
        return f"{value[0]:g}-{value[1]:g}"
    if isinstance(value, tuple):
        return ", ".join(f"{v:g}" for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def parse_rule(field: str, text: str):
    """The value of roster rule ``field`` typed as ``text`` (see :class:`RosterControl`).

    Raises
    ------
    ScenarioError
        With a one-line message naming the control and what it accepts.
    """
    control = ROSTER_RULES[field]
    text = text.strip()
    try:
        if control.kind == "hours":
            return tuple(float(part) for part in text.replace(";", ",").split(",") if part.strip())
        if control.kind == "share":
            return None if not text else float(text)
        if control.kind == "seats":
            return None if not text else int(text)
        if control.kind == "window":
            low, high = (float(part) for part in text.replace(",", "-").split("-"))
            return (low, high)
        return int(text)
    except ValueError:
        allowed = {"hours": "hours separated by commas, e.g. 8, 10", "share": "a share between 0 and 1, or empty",
                   "seats": "a whole number of seats, or empty", "window": "two hours, e.g. 3-5",
                   "whole": "a whole number"}[control.kind]
        raise ScenarioError(f"{control.label}: give {allowed}, got {text[:40]!r}") from None


def _params_form(state: ScenarioState) -> dict | None:
    scenario = state.scenario
    default_setup = scenario.setup.kind if scenario.setup is not None else AS_GIVEN
    setup_kind = scenario.setup.kind if scenario.setup is not None else None
    with st.form(f"schedule-form-{state.revision}"):
        st.markdown("**Roster rules**")
        texts = {}
        fields = list(ROSTER_RULES)
        for row in (fields[:4], fields[4:]):
            cols = list(st.columns(len(row)))
            for col, field in zip(cols, row, strict=True):
                control = ROSTER_RULES[field]
                texts[field] = col.text_input(control.label, value=_default_text(field), key=f"schedule.{field}",
                                              help=control.help or None)
        st.markdown("**Run**")
        cols = list(st.columns(5))
        setup = cols[0].selectbox("Setup", SETUP_CHOICES, index=SETUP_CHOICES.index(default_setup),
                                  format_func=lambda choice: setup_choice_label(choice, setup_kind),
                                  key=f"schedule.setup.{state.revision}")
        replications = cols[1].number_input("First replications per iteration", value=5, min_value=2, step=1,
                                            key="schedule.replications",
                                            help="Batches are added while an interval's goal is undecided.")
        max_replications = cols[2].number_input("Most replications per iteration", value=30, min_value=2, step=1,
                                                key="schedule.max_replications")
        seed = cols[3].number_input("Seed (the same in every iteration)", value=int(scenario.seed or 1), min_value=0,
                                    step=1, key="schedule.seed")
        iterations = cols[4].number_input("Most iterations", value=4, min_value=1, max_value=20, step=1,
                                          key="schedule.max_iterations")
        submitted = st.form_submit_button("Make the schedule", type="primary")
    if not submitted:
        return None
    try:
        rules = {field: parse_rule(field, text) for field, text in texts.items()}
        RosterRules(**rules)  # the planner's own range checks, before anything runs
    except InputError as exc:
        st.error(error_message(exc))
        return None
    if int(max_replications) < int(replications):
        st.error(f"Most replications per iteration: give at least the first replications ({int(replications)}), "
                 f"got {int(max_replications)}")
        return None
    return {"setup_kind": setup, "replications": int(replications), "max_replications": int(max_replications),
            "seed": int(seed), "max_iterations": int(iterations), **rules}


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


def _decision_counts(intervals: pd.DataFrame) -> dict[str, int]:
    """Intervals with a goal per decision (met / missed / undecided)."""
    decided = intervals["decision"].fillna("")
    return {decision: int((decided == decision).sum()) for decision in compute.DECISIONS}


def _show(result: dict) -> None:
    currency = result["currency"]
    intervals = result["intervals"]
    counts = _decision_counts(intervals)
    with_goal = sum(counts.values())
    cols = list(st.columns(4))
    cols[0].metric(f"Cost ({currency})", fmt_number(result["cost"], 0), help="Paid shift hours x hourly cost, plus burst minutes.")
    cols[1].metric("Paid hours", fmt_number(result["paid_hours"], 1))
    cols[2].metric("Shifts", fmt_number(float(result["shifts"]["headcount"].sum()), 0) if not result["shifts"].empty else "0")
    cols[3].metric("Seats shared by all groups", "no cap" if result["seats"] is None else f"{int(result['seats']):,}")
    cols = list(st.columns(4))
    cols[0].metric("Intervals meeting the goal", f"{counts['met']} of {with_goal}", help=result["rule"])
    cols[1].metric("Intervals missing the goal", f"{counts['missed']} of {with_goal}", help=result["rule"])
    cols[2].metric("Intervals undecided", f"{counts['undecided']} of {with_goal}",
                   help="The 95 % interval of the simulated service level straddles the goal within the most "
                        "replications; counted as not met.")
    cols[3].metric("Replications (chosen iteration)", str(int(result["replications"])),
                   help=f"{int(result['total_replications'])} replications over all iterations.")
    st.caption(f"Iteration {result['chosen_iteration']} chosen; "
               + ("converged." if result["converged"] else "not converged within the iterations.")
               + ("" if result["goal_met"] else " Some goals are missed or undecided.")
               + f" Goal rule: {result['rule']}.")
    for note in result["notes"]:
        st.info(note)
    show_figure(charts.shifts_gantt_figure(result["shifts"], result["labels"]))
    show_figure(charts.plan_coverage_figure(intervals))
    st.markdown("**Goal decision per interval** (met / missed / undecided, with the replications it took)")
    decisions = intervals[intervals["decision"].fillna("") != ""]
    st.dataframe(decisions[["start", "channel", "goal", "service_level", "service_level_ci95", "replications",
                            "decision", "why"]],
                 hide_index=True, width="stretch")
    st.markdown("**Why the numbers differ per interval**")
    st.dataframe(pd.DataFrame({"reason": list(compute.WHY_LABELS), "meaning": list(compute.WHY_LABELS.values())}),
                 hide_index=True, width="stretch")
    st.dataframe(intervals, hide_index=True, width="stretch")
    st.markdown("**Shifts** (one row per group and shift kind, start and break positions)")
    shifts = result["shifts"]
    st.dataframe(shifts.drop(columns=[c for c in ("length_intervals", "breaks") if c in shifts]),
                 hide_index=True, width="stretch")
    st.markdown("**Iterations**")
    st.dataframe(result["iterations"], hide_index=True, width="stretch")
    cols = list(st.columns(3))
    with cols[0]:
        xlsx_download(result["xlsx"], "schedule.xlsx", label="Download the plan as Excel (.xlsx)", key="schedule.xlsx")
    with cols[1]:
        csv_download(intervals, "schedule_intervals.csv", label="Per-interval CSV", key="schedule.intervals_csv")
    with cols[2]:
        csv_download(shifts.drop(columns=["length_intervals", "breaks"], errors="ignore"), "schedule_shifts.csv",
                     label="Shifts CSV", key="schedule.shifts_csv")
