"""The dashboard's progress bars advance within a replication (issue 14, part 2) (kind: unit).

What they prove: the ``progress`` callback the dashboard hands to a simulation moves its
``st.progress`` bar during the first replication (a fraction strictly between 0 and 1/R), counts
finished replications only in its text, and reaches 1.0 at the end.
"""

from __future__ import annotations

import pytest

from dashboard import compute
from dashboard.state import DEFAULT_LABEL, load_example
from scenarios.document.setups import AS_GIVEN
from scenarios.studies.run import run_setup

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class _Bar:
    def __init__(self, calls):
        self.calls = calls

    def progress(self, value, text=None):
        self.calls.append((value, text))


def test_the_simulation_progress_bar_moves_within_the_first_replication(monkeypatch):
    calls: list[tuple[float, str]] = []
    monkeypatch.setattr(compute.st, "progress", lambda value, text=None: _Bar(calls))
    monkeypatch.setattr(compute, "_WITHIN_REPLICATION_SECONDS", 0.0)  # a replication here is shorter than the throttle
    callback = compute._progress_bar(True, "Simulating")
    scenario = load_example(DEFAULT_LABEL)
    run_setup(scenario, AS_GIVEN, 2, 1, progress=callback)
    values = [value for value, _ in calls]
    assert any(0 < value < 0.5 for value in values), values  # during the first of two replications
    assert values == sorted(values) and values[-1] == 1.0
    assert all(text.startswith("Simulating: 0 of 2") for value, text in calls if value < 0.5)
