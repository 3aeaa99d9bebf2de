"""Shared helpers of the dashboard tests: the app under ``streamlit.testing.v1.AppTest``."""

from __future__ import annotations

from pathlib import Path

import pytest

import dashboard

APP_FILE = Path(dashboard.__file__).resolve().parent / "app.py"
"""The Streamlit entry point under test."""

#: Generous per-run timeout (seconds): the first run imports and computes everything.
RUN_TIMEOUT = 120


@pytest.fixture
def app():
    """The app after its first run on the embedded default scenario."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP_FILE), default_timeout=RUN_TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def show(at, view: str):
    """Switch to ``view`` and run the app."""
    at.radio(key="view").set_value(view).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at) -> dict[str, str]:
    """Label -> shown value of every ``st.metric``."""
    return {m.label: m.value for m in at.metric}


def errors(at) -> list[str]:
    """Messages of every ``st.error``."""
    return [e.value for e in at.error]


def click(at, label: str):
    """Click the (form submit) button labelled ``label`` and run the app."""
    buttons = [b for b in at.button if b.label == label]
    assert buttons, f"no button {label!r}; buttons are {[b.label for b in at.button]}"
    buttons[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def edit_key(at, *parts) -> str:
    """Key of the Scenario form's widget for a field path, for the scenario now in the session."""
    from dashboard.views.scenario import form_key

    return form_key(at.session_state["ccplan_scenario_state"].revision, *parts)


def run_simulation(at, *, replications: int | None = None, points: float | None = None, seed: int | None = None):
    """On the Simulation view: run with a fixed number of ``replications`` or to ``points`` (precision target)."""
    if replications is not None:
        at.radio(key="simulation.mode").set_value("fixed replications")
        at.number_input(key="simulation.replications").set_value(replications)
    else:
        at.radio(key="simulation.mode").set_value("precision target")
        if points is not None:
            at.number_input(key="simulation.precision_points").set_value(points)
    if seed is not None:
        at.number_input(key="simulation.seed").set_value(seed)
    return click(at, "Run simulation")
