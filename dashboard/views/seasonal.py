"""Seasonal plan view: required vs available FTE per month and the hiring plan per setup.

Opens on the bundled seasonal example (``scenarios/examples/seasonal_*.yaml``); another plan
file can be uploaded. A few levers (headcount, attrition, shrinkage, paid hours) are edited in a
form and validated like the file (:func:`scenarios.document.seasonal_file.parse_seasonal`).
"""

from __future__ import annotations

import json
import threading
from importlib import resources
from pathlib import Path

import streamlit as st

from dashboard import compute
from dashboard.state import USER_ERRORS, ScenarioState, error_message, parse_seasonal_upload
from scenarios.document.seasonal_file import load_seasonal_file, parse_seasonal
from scenarios.report import charts

from ._common import csv_download, figure_png, fmt_number, fmt_share

__all__ = ["render", "bundled_seasonal_files", "seasonal_png", "warm_forecast_imports_once"]

_PLAN_KEY = "seasonal.plan"


def bundled_seasonal_files() -> dict[str, Path]:
    """Label -> path of the bundled seasonal-plan examples (``scenarios/examples/seasonal_*.yaml``)."""
    folder = resources.files("scenarios") / "examples"
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except (FileNotFoundError, NotADirectoryError):
        return {}
    return {entry.name: Path(str(entry)) for entry in entries
            if entry.name.startswith("seasonal") and entry.name.endswith((".yaml", ".yml"))}


def _load_plan(files: dict[str, Path], label: str) -> dict:
    path = files[label]
    plan = load_seasonal_file(path)
    return {"data": plan.model_dump(mode="json", exclude_unset=True), "base_dir": str(path.parent), "source": label,
            "error": None}


def _accept_upload(current: dict | None, uploads, upload_id: tuple) -> dict:
    """The uploaded plan (with its history, read from the upload only), or the last good plan with the error."""
    try:
        plan, files, name = parse_seasonal_upload([(upload.name, upload.getvalue()) for upload in uploads])
        data = plan.model_dump(mode="json", exclude_unset=True)
        compute.seasonal_plan(json.dumps(data, sort_keys=True), str(files.folder), True)  # history problems show now
    except USER_ERRORS as exc:
        return {**(current or {}), "upload_id": upload_id, "error": f"{error_message(exc)}. The last good plan is kept."}
    return {"data": data, "base_dir": str(files.folder), "confined": True, "source": name, "upload_id": upload_id, "error": None}


@st.cache_data(show_spinner=False, max_entries=32)
def seasonal_png(plan_json: str, base_dir: str, confined: bool = False) -> bytes:
    """The required-vs-available chart of :func:`dashboard.compute.seasonal_plan` as PNG, drawn once per plan.

    Changing the hiring plan shown (or coming back to the view) re-runs the script; the chart of
    the same plan is not drawn again.
    """
    result = compute.seasonal_plan(plan_json, base_dir, confined)
    return figure_png(charts.seasonal_figure(result["required"], result["plans"]))


def _import_forecasting() -> None:
    try:
        import statsmodels.tsa.holtwinters  # noqa: F401
    except ImportError:  # the `forecast` extra is optional: the plan falls back to a seasonal-naive forecast
        pass


_WARM_UP: list[threading.Thread] = []
_WARM_UP_LOCK = threading.Lock()


def warm_forecast_imports_once() -> None:
    """Start importing the forecasting library (statsmodels' Holt-Winters, about a second on this
    machine) in a background thread, once per server process, so the first Seasonal render does
    not wait for it; the app calls this on every run (the landing view draws meanwhile)."""
    with _WARM_UP_LOCK:
        if not _WARM_UP:
            thread = threading.Thread(target=_import_forecasting, name="ccplan-warm-imports", daemon=True)
            _WARM_UP.append(thread)
            thread.start()



def render(state: ScenarioState) -> None:
    """Draw the Seasonal plan view (independent of the day scenario)."""
    del state  # the seasonal plan has its own file
    files = bundled_seasonal_files()
    if not files:
        st.warning("No bundled seasonal-plan example found (scenarios/examples/seasonal_*.yaml); upload a plan file.")
    current = st.session_state.get(_PLAN_KEY)
    cols = list(st.columns(2))
    with cols[0]:
        if files:
            label = st.selectbox("Seasonal plan example", list(files), key="seasonal.example")
            if current is None or st.session_state.get("seasonal.loaded_example") != label:
                current = _load_plan(files, label)
                st.session_state["seasonal.loaded_example"] = label
    with cols[1]:
        uploads = st.file_uploader("Or upload a seasonal-plan YAML with its history CSV (or a .zip)",
                                   type=["yaml", "yml", "csv", "zip"], accept_multiple_files=True, key="seasonal.upload")
    upload_id = tuple(upload.file_id for upload in uploads or ())
    if upload_id and (current is None or current.get("upload_id") != upload_id):
        current = _accept_upload(current, uploads, upload_id)
    if current is None or "data" not in current:
        return
    st.session_state[_PLAN_KEY] = current
    data = current["data"]
    workforce = data["workforce"]
    with st.form("seasonal-form"):
        cols = list(st.columns(4))
        headcount = cols[0].number_input("Headcount at the start (FTE)", value=float(workforce["headcount"]), step=1.0,
                                         key="seasonal.headcount")
        attrition = cols[1].number_input("Attrition per month (share)", value=float(workforce["attrition_rate_per_month"]),
                                         step=0.005, format="%.3f", key="seasonal.attrition")
        shrinkage = cols[2].number_input("Shrinkage (share)", value=float(data.get("shrinkage", 0.3)), step=0.01,
                                         key="seasonal.shrinkage")
        hours = cols[3].number_input("Paid hours per FTE per week", value=float(data.get("paid_hours_per_fte_week", 37.5)),
                                     step=0.5, key="seasonal.paid_hours")
        submitted = st.form_submit_button("Plan", type="primary")
    if submitted:
        edited = {**data, "workforce": {**workforce, "headcount": headcount, "attrition_rate_per_month": attrition},
                  "shrinkage": shrinkage, "paid_hours_per_fte_week": hours}
        try:
            parse_seasonal(edited, source="edited seasonal plan")
        except USER_ERRORS as exc:
            current = {**current, "error": f"Change not applied: {error_message(exc)}. The last good plan is kept."}
        else:
            current = {**current, "data": edited, "error": None}
        st.session_state[_PLAN_KEY] = current
    if current.get("error"):
        st.error(current["error"])
    result = compute.seasonal_plan(json.dumps(current["data"], sort_keys=True), current["base_dir"], current.get("confined", False))
    st.subheader(result["name"])
    st.caption("Volumes: " + ", ".join(f"{channel} ({method})" for channel, method in result["forecast_methods"].items()))
    comparison = result["comparison"]
    cols = list(st.columns(len(comparison)))
    for col, row in zip(cols, comparison.itertuples(index=False), strict=False):
        col.metric(f"{row.setup}: total cost", fmt_number(row.total_cost, 0),
                   help=f"service {fmt_share(row.service)}, hires {row.hires:.0f}")
    st.image(seasonal_png(json.dumps(current["data"], sort_keys=True), current["base_dir"], current.get("confined", False)),
             width="stretch")
    st.markdown("**Setups compared** (service = share of required FTE-periods covered)")
    st.dataframe(comparison, hide_index=True, width="stretch")
    csv_download(comparison, "seasonal_comparison.csv", label="Download comparison CSV", key="seasonal.comparison_csv")
    setup = st.selectbox("Hiring plan of setup", list(result["plans"]), key="seasonal.setup")
    plan = result["plans"][setup]
    st.dataframe(plan, hide_index=True, width="stretch")
    csv_download(plan, f"seasonal_plan_{setup}.csv", label="Download plan CSV", key="seasonal.plan_csv")
