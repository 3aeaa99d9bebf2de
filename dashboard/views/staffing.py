"""Staffing view: analytic requirements per interval (Erlang C vs Erlang A vs scheduled), instant.

The view applies the same setup as the Simulation view (the scenario's own by default, or the
one chosen here) through :func:`scenarios.bridge.effects.setup_effects`: the schedule checked
is the one the simulation runs (virtual split shifts replace the groups' headcounts, the in-house
seat cap leaves agents without a seat), and handle times and shrinkage change as the setup says.
Two quick what-ifs (volume change, AHT change) re-run the cached analytic calculation on a
variant of the scenario without changing it.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from dashboard import compute
from dashboard.state import ScenarioState
from scenarios import AS_GIVEN, SETUP_CHOICES
from scenarios.document.setups import setup_choice_label
from scenarios.report import charts

from ._common import csv_download, fmt_number, fmt_share, metric_rows, show_figure, xlsx_download

__all__ = ["render"]

_CHARTS = ("Agents required: Erlang C vs Erlang A vs scheduled", "Service level, ASA, abandon rate", "Occupancy")


def render(state: ScenarioState) -> None:
    """Draw the Staffing view."""
    scenario = state.scenario
    scenario_json = scenario.to_canonical_json()
    default_setup = scenario.setup.kind if scenario.setup is not None else AS_GIVEN
    cols = list(st.columns(3))
    setup = cols[0].selectbox("Setup (as in the Simulation view)", SETUP_CHOICES, index=SETUP_CHOICES.index(default_setup),
                              format_func=lambda choice: setup_choice_label(choice, scenario.setup.kind if scenario.setup else None),
                              key=f"staffing.setup.{state.revision}",
                              help="The schedule, seats, handle times and shrinkage in force under this setup.")
    volume = cols[1].number_input("What-if: volume change (%)", value=0.0, step=5.0, key="staffing.volume_change_percent",
                                  help="Applied to every channel's demand, for this view only.")
    aht = cols[2].number_input("What-if: AHT change (seconds)", value=0.0, step=5.0, key="staffing.aht_change_seconds",
                               help="Added to every channel's mean handle time, for this view only.")
    variant = compute.variant_json(scenario_json, "volume_change_percent", float(volume))
    variant = compute.variant_json(variant, "aht_change_seconds", float(aht))
    tables = compute.staffing_tables(variant, setup)
    requirements, schedule, at_schedule = tables["requirements"], tables["schedule"], tables["at_schedule"]

    required = schedule["required_scheduled"].to_numpy(dtype=float)
    scheduled = schedule["scheduled"].to_numpy(dtype=float)
    seated = schedule["seated"].to_numpy(dtype=float)
    without_seat = schedule["seat_shortfall"].to_numpy(dtype=float)
    cols = list(st.columns(5))
    cols[0].metric("Peak agents to schedule", fmt_number(required.max(), 0),
                   help="All channels: agents required on the queues after shrinkage, at the busiest interval.")
    cols[1].metric("Peak agents on site", fmt_number(seated.max(), 0),
                   help=f"Rostered agents who have a seat (peak rostered: {fmt_number(scheduled.max(), 0)}); "
                        "the schedule in force under the setup.")
    cols[2].metric("Intervals short of agents", f"{int(np.sum(seated < required))} of {len(required)}",
                   help="Intervals where the agents on site (seated) are fewer than the agents to schedule.")
    cols[3].metric("Agents without a seat (peak)", fmt_number(without_seat.max(), 0),
                   help=f"Rostered agents above the in-house seat cap; {int(np.sum(without_seat > 0))} intervals "
                        "have agents without a seat.")
    cols[4].metric("Required FTE (paid days)", fmt_number(float(requirements["fte"].sum()), 1),
                   help="Agent-hours to schedule / paid hours per agent-day.")
    if not at_schedule.empty:
        headline = []
        for channel, frame in at_schedule.groupby("channel", sort=False):
            volumes = requirements.loc[requirements["channel"] == channel, "volume"].to_numpy(dtype=float)
            weights = volumes if volumes.sum() > 0 else None
            level = float(np.average(frame["service_level"].to_numpy(dtype=float), weights=weights))
            headline.append((f"{channel}: SL at the schedule", fmt_share(level),
                             "Expected service level of the seated schedule (Erlang A; Erlang C without patience), "
                             "weighted by volume."))
        metric_rows(headline)
    cols = list(st.columns([3, 1]))
    chart = cols[0].radio("Chart", _CHARTS, horizontal=True, key="staffing.chart", label_visibility="collapsed")
    if chart == _CHARTS[0]:
        names = sorted(set(requirements["channel"]), key=lambda name: (name != "voice", name))
        channel = cols[1].selectbox("Channel", names, key="staffing.channel", label_visibility="collapsed")
        show_figure(charts.requirements_figure(requirements, schedule, [channel]))
    elif chart == _CHARTS[1]:
        show_figure(charts.service_figure(requirements, at_schedule))
    else:
        show_figure(charts.occupancy_figure(requirements, at_schedule))
    st.markdown("**Requirements per interval and channel** (agents on the queue before shrinkage; "
                "`scheduled_agents` after shrinkage)")
    st.dataframe(requirements, hide_index=True, width="stretch")
    cols = list(st.columns(2))
    with cols[0]:
        csv_download(requirements, "staffing_requirements.csv", key="staffing.csv")
    with cols[1]:
        xlsx_download(compute.staffing_xlsx(variant, setup), "staffing.xlsx", key="staffing.xlsx")
