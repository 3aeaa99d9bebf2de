"""Progress within a replication (issue 14, part 2) (kind: unit).

What they prove: the engine's interval-boundary hook is called once per interval with strictly
increasing simulated-time fractions ending at exactly 1 in every replication; ``simulate``'s
``interval_progress`` counts finished replications plus that fraction, ending at the whole
number; and a run with the hooks gives exactly the same tables as a run without them (the hook
adds no event and draws no random number).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import simulator as sim
from simulator.engine import run_replication


def test_the_hook_reports_increasing_fractions_ending_at_one(make_single_queue):
    model = make_single_queue(rate_per_hour=120, aht_seconds=180, agents=8, hours=3, patience_seconds=120)
    seen: list[float] = []
    run_replication(model, 0, np.random.SeedSequence(5), on_interval=seen.append)
    assert len(seen) == model.intervals
    assert seen == sorted(set(seen)) and seen[-1] == 1.0 and seen[0] == pytest.approx(1 / model.intervals)


@pytest.mark.parametrize("precision", [False, True])
def test_interval_progress_counts_replications_plus_the_fraction(make_single_queue, precision):
    model = make_single_queue(rate_per_hour=120, aht_seconds=180, agents=8, hours=2, patience_seconds=120)
    within: list[tuple[float, int]] = []
    kwargs = ({"precision": sim.PrecisionTarget(share_half_width=0.001, asa_half_width_seconds=0.01, min_replications=3,
                                                max_replications=5)} if precision else {"replications": 3})
    result = sim.simulate(model, seed=3, interval_progress=lambda done, total: within.append((done, total)), **kwargs)
    done = [d for d, _ in within]
    assert done == sorted(done) and len(set(done)) == len(done)  # strictly increasing
    assert len(done) == model.intervals * result.replications
    for r in range(1, result.replications + 1):  # every replication ends at its whole number
        assert r in done
    assert done[-1] == result.replications


def test_results_are_identical_with_and_without_the_hooks(day_model):
    plain = sim.simulate(day_model, replications=2, seed=77)
    hooked = sim.simulate(day_model, replications=2, seed=77, progress=lambda *_: None,
                          interval_progress=lambda *_: None)
    pd.testing.assert_frame_equal(plain.summary(), hooked.summary())
    pd.testing.assert_frame_equal(plain.intervals, hooked.intervals)


def test_a_hook_that_is_not_callable_is_refused(make_single_queue):
    model = make_single_queue(rate_per_hour=60, aht_seconds=180, agents=3, hours=1)
    with pytest.raises(sim.ModelError, match="interval_progress must be callable"):
        sim.simulate(model, replications=1, interval_progress=5)
