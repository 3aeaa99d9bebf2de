"""Backtest view: upload a contact log (and a sessions file), see the calibration and the
observed-vs-simulated curves with the simulation's 95 % prediction band.

Opens on the bundled sample log (``scenarios/examples/contact_log.csv``). Everything is computed
by :mod:`scenarios.studies.calibrate` and :mod:`scenarios.studies.backtest`, as ``ccplan
calibrate`` and ``ccplan backtest`` do.
"""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path

import streamlit as st

from dashboard.state import USER_ERRORS, ScenarioState, error_message
from scenarios.errors import ScenarioError
from scenarios.report import charts

from ._common import csv_download, show_figure

__all__ = ["render"]

_RUN_KEY = "backtest.run"
_REQUESTED_KEY = "backtest.requested"


def _sample_log() -> Path:
    return Path(str(resources.files("scenarios") / "examples" / "contact_log.csv"))


@st.cache_data(show_spinner="Calibrating and simulating each day...")
def _backtest(log_bytes: bytes, log_suffix: str, sessions_bytes: bytes | None, interval_minutes: float,
              replications: int):
    from scenarios.document.contact_log import read_contact_log, read_sessions
    from scenarios.studies.backtest import run_backtest
    from scenarios.studies.calibrate import calibrate_log, header_lines

    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder) / f"contact log{log_suffix}"
        log_path.write_bytes(log_bytes)
        try:
            log = read_contact_log(log_path)
            sessions = None
            if sessions_bytes is not None:
                sessions_path = Path(folder) / "sessions.csv"
                sessions_path.write_bytes(sessions_bytes)
                sessions = read_sessions(sessions_path)
            calibration = calibrate_log(log, sessions, interval_minutes)
            result = run_backtest(calibration, log.frame, replications=replications)
        except ScenarioError as exc:  # name the upload, never the server's temporary folder
            raise ScenarioError(str(exc).replace(str(Path(folder)) + "/", "")) from None
    return header_lines(calibration), result.table, result.summary


def render(state: ScenarioState) -> None:  # noqa: ARG001 - the view works on its own upload
    """Draw the Backtest view."""
    st.subheader("Backtest: calibrate from a contact log and compare with what happened")
    log_file = st.file_uploader("Contact log (CSV or Parquet; default: the bundled sample)", type=["csv", "parquet"],
                                key="backtest.log")
    sessions_file = st.file_uploader("Agent sessions (optional: agent,start,end)", type=["csv"], key="backtest.sessions")
    interval_minutes = st.selectbox("Interval (minutes)", [15, 30, 60], index=1, key="backtest.interval")
    replications = st.slider("Replications per day", 20, 200, 40, step=10, key="backtest.replications")
    if log_file is not None:
        log_bytes, suffix = log_file.getvalue(), Path(log_file.name).suffix or ".csv"
    else:
        log_bytes, suffix = _sample_log().read_bytes(), ".csv"
    sessions_bytes = sessions_file.getvalue() if sessions_file is not None else None
    if st.button("Run the backtest", key=_RUN_KEY, type="primary"):
        st.session_state[_REQUESTED_KEY] = True
    if not st.session_state.get(_REQUESTED_KEY):
        st.info("Press **Run the backtest**: it calibrates the log and simulates each of its days "
                "(a few seconds on the bundled sample; once pressed, changes of the inputs re-run it).")
        return
    try:
        lines, table, summary = _backtest(log_bytes, suffix, sessions_bytes, float(interval_minutes), replications)
    except USER_ERRORS as exc:
        st.error(error_message(exc))
        return
    with st.expander("Calibration (what was estimated and how well it fits)", expanded=True):
        st.code("\n".join(lines), language=None)
    st.markdown("**Summary per KPI** (mean absolute error, bias = simulated - observed, share inside the 95 % band)")
    st.dataframe(summary, hide_index=True)
    show_figure(charts.backtest_figure(table, ["abandon_rate", "service_level", "asa_seconds", "occupancy"]))
    csv_download(table, "backtest.csv", label="Download the per-interval table (CSV)", key="backtest.csv")
