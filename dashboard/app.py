"""The ccplan dashboard (Streamlit entry point): ``ccplan dashboard`` or ``streamlit run dashboard/app.py``.

A thin layer: the sidebar chooses the scenario (the embedded default, a bundled example or an
upload) and downloads it back as YAML; the selected view draws tables from
:mod:`dashboard.compute` (cached calls into the engines) with :mod:`dashboard.charts`. Bad input
never replaces the last good scenario and never shows a traceback: the message, with the field
path, is shown inline.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

try:  # run as a file by `streamlit run`: make the package importable from a source checkout
    import dashboard  # noqa: F401
except ImportError:  # pragma: no cover - the installed package is importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard import state as app_state  # noqa: E402
from dashboard.views import VIEWS  # noqa: E402
from dashboard.views.seasonal import warm_forecast_imports_once  # noqa: E402

st.set_page_config(page_title="ccplan dashboard", page_icon=":telephone_receiver:", layout="wide")
try:  # errors reach the user as one-line messages (see state.guarded), never as a traceback
    st.set_option("client.showErrorDetails", "none")
except Exception:  # noqa: BLE001, S110 - older Streamlit: only `ccplan dashboard` sets it  # pragma: no cover
    pass


def _sidebar() -> None:
    """Scenario source (example picker, upload) and the YAML download."""
    current = app_state.current()
    st.sidebar.header("Scenario")
    examples = list(app_state.bundled_examples())
    with st.sidebar.form("example-form", border=False):
        label = st.selectbox("Bundled example", examples, key="sidebar.example")
        if st.form_submit_button("Load example"):
            try:
                app_state.accept(app_state.load_example(label), label)
            except app_state.USER_ERRORS as exc:
                app_state.reject(f"Example not loaded: {app_state.error_message(exc)}. The last good scenario is kept.")
    uploads = st.sidebar.file_uploader(
        "Upload a scenario (YAML or TOML) with the CSV files it names, or a .zip", type=["yaml", "yml", "toml", "csv", "zip"],
        accept_multiple_files=True, key="sidebar.upload",
        help=f"Files the scenario names (history_csv, profile CSVs) must be uploaded with it; at most "
             f"{app_state.MAX_UPLOAD_FILES} files, {app_state.MAX_UPLOAD_BYTES // 1_000_000} MB.")
    upload_id = tuple(upload.file_id for upload in uploads or ())
    if upload_id and st.session_state.get("sidebar.upload_id") != upload_id:
        st.session_state["sidebar.upload_id"] = upload_id
        names = ", ".join(upload.name for upload in uploads)
        try:
            scenario, files = app_state.parse_upload([(upload.name, upload.getvalue()) for upload in uploads])
        except app_state.USER_ERRORS as exc:
            app_state.reject(f"Upload rejected: {app_state.error_message(exc)}. The last good scenario is kept.")
        else:
            app_state.accept(scenario, names, files)
    current = app_state.current()
    st.sidebar.caption(f"Current: **{current.scenario.name}** (from {current.source})")
    st.sidebar.download_button(
        "Download scenario YAML", app_state.scenario_to_yaml(current.scenario, current.file_root).encode("utf-8"),
        file_name="scenario.yaml", mime="application/x-yaml", key="sidebar.download", on_click="ignore")


def main() -> None:
    """Draw the app."""
    warm_forecast_imports_once()
    try:
        app_state.init_state()
    except app_state.USER_ERRORS as exc:  # the embedded default no longer matches the schema
        st.error(f"The default scenario could not be loaded: {app_state.error_message(exc)}")
        st.stop()
    app_state.guarded(_sidebar, what="Scenario")
    st.title("ccplan: contact-centre planner")
    banner = st.container()
    view = st.radio("View", list(VIEWS), horizontal=True, key="view", label_visibility="collapsed")
    state = app_state.current()
    app_state.guarded(lambda: VIEWS[view](state), what=view)
    error = app_state.current().error
    if error:
        banner.error(error)


main()
