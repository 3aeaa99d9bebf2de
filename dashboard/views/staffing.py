"""Staffing view: analytic requirements per interval (Erlang C vs Erlang A vs scheduled), instant.

Two quick what-ifs (volume change, AHT change) re-run the cached analytic calculation on a
variant of the scenario without changing it.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from dashboard import compute
from dashboard.state import ScenarioState
from scenarios.report import charts

from ._common import csv_download, fmt_number, fmt_share, show_figure

__all__ = ["render"]

_CHARTS = ("Agents required: Erlang C vs Erlang A vs scheduled", "Service level, ASA, abandon rate", "Occupancy")


def render(state: ScenarioState) -> None:
    """Draw the Staffing view."""
    scenario_json = state.scenario.to_canonical_json()
    cols = st.columns(2)
    volume = cols[0].number_input("What-if: volume change (%)", value=0.0, step=5.0, key="staffing.volume_change_percent",
                                  help="Applied to every channel's demand, for this view only.")
    aht = cols[1].number_input("What-if: AHT change (seconds)", value=0.0, step=5.0, key="staffing.aht_change_seconds",
                               help="Added to every channel's mean handle time, for this view only.")
    variant = compute.variant_json(scenario_json, "volume_change_percent", float(volume))
    variant = compute.variant_json(variant, "aht_change_seconds", float(aht))
    tables = compute.staffing_tables(variant)
    requirements, schedule, at_schedule = tables["requirements"], tables["schedule"], tables["at_schedule"]

    required = schedule["required_scheduled"].to_numpy(dtype=float)
    scheduled = schedule["scheduled"].to_numpy(dtype=float)
    cols = st.columns(4)
    cols[0].metric("Peak agents to schedule (all channels)", fmt_number(required.max(), 0),
                   help="Agents required on the queues after shrinkage, at the busiest interval.")
    cols[1].metric("Peak scheduled agents", fmt_number(scheduled.max(), 0))
    cols[2].metric("Intervals short of agents", f"{int(np.sum(scheduled < required))} of {len(required)}")
    cols[3].metric("Required FTE (paid days)", fmt_number(float(requirements["fte"].sum()), 1),
                   help="Agent-hours to schedule / paid hours per agent-day.")
    if not at_schedule.empty:
        cols = st.columns(max(1, at_schedule["channel"].nunique()))
        for col, (channel, frame) in zip(cols, at_schedule.groupby("channel", sort=False), strict=False):
            volumes = requirements.loc[requirements["channel"] == channel, "volume"].to_numpy(dtype=float)
            weights = volumes if volumes.sum() > 0 else None
            level = float(np.average(frame["service_level"].to_numpy(dtype=float), weights=weights))
            col.metric(f"{channel}: expected service level at the schedule (Erlang A)", fmt_share(level))
    cols = st.columns([3, 1])
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
    csv_download(requirements, "staffing_requirements.csv", key="staffing.csv")
