"""The public entry point :func:`simulate`: replications, seeds, parallel workers."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from .engine import ContactRecord, ReplicationOutput, run_replication
from .errors import ModelError
from .kpis import (
    AGENTS_BUSY_SHARE,
    GROUP,
    OCCUPANCY,
    REPLICATION,
    group_table,
    interval_table,
    replication_summary,
    summary_table,
)
from .model import SimulationModel
from .results import SimulationResult
from .streams import replication_seeds

__all__ = ["simulate"]


def _run_one(arguments) -> ReplicationOutput:
    model, replication, seed, keep_records = arguments
    return run_replication(model, replication, seed, keep_records)


def simulate(
    model: SimulationModel,
    replications: int = 10,
    seed: int | np.random.SeedSequence | None = None,
    *,
    warmup_seconds: float | None = None,
    keep_records: bool = False,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
) -> SimulationResult:
    """Simulate ``replications`` independent replications of ``model``.

    Parameters
    ----------
    model : SimulationModel
        The validated, frozen model (per-interval arrays already resolved).
    replications : int
        Number of independent replications (>= 1). Confidence intervals need >= 2.
    seed : int or numpy.random.SeedSequence, optional
        Root seed. ``SeedSequence(seed).spawn(replications)`` gives one sequence per replication,
        which spawns the named streams of :data:`simulator.streams.STREAM_NAMES`. ``None`` draws
        fresh entropy, echoed in ``result.seed`` so the run can be reproduced.
    warmup_seconds : float, optional
        Overrides ``model.warmup_seconds``: contacts arriving earlier are simulated, not counted.
    keep_records : bool
        Keep one :class:`ContactRecord` per counted contact in ``result.records`` (memory grows
        with the number of contacts; off by default).
    progress : callable, optional
        Called as ``progress(done, replications)`` after each replication (in order).
    workers : int
        Processes to run replications in parallel (``concurrent.futures.ProcessPoolExecutor``,
        spawn context). Results are combined in replication order, so they are identical for any
        number of workers. As with any spawn-based pool, a script that calls this with
        ``workers > 1`` must guard its entry point with ``if __name__ == "__main__":``.

    Returns
    -------
    SimulationResult
        Tidy tables and the summary with 95 % confidence intervals.

    Raises
    ------
    ModelError
        If an argument is out of range (before anything runs).
    """
    if not isinstance(model, SimulationModel):
        raise ModelError(f"model must be a SimulationModel, got {type(model).__name__}")
    if isinstance(replications, bool) or not isinstance(replications, int | np.integer) or replications < 1:
        raise ModelError(f"replications must be a whole number >= 1, got {replications!r}")
    if isinstance(workers, bool) or not isinstance(workers, int | np.integer) or workers < 1:
        raise ModelError(f"workers must be a whole number >= 1, got {workers!r}")
    if seed is not None and not isinstance(seed, np.random.SeedSequence):
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            raise ModelError(f"seed must be a whole number >= 0 or None, got {seed!r}")
    if progress is not None and not callable(progress):
        raise ModelError(f"progress must be callable or None, got {progress!r}")
    if warmup_seconds is not None:
        model = model.with_warmup(warmup_seconds)
    replications = int(replications)
    entropy, seeds = replication_seeds(None if seed is None else (seed if isinstance(seed, np.random.SeedSequence) else int(seed)), replications)
    tasks = [(model, r, seeds[r], keep_records) for r in range(replications)]
    outputs: list[ReplicationOutput] = []
    if workers == 1 or replications == 1:
        for task in tasks:
            outputs.append(_run_one(task))
            if progress is not None:
                progress(len(outputs), replications)
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(workers, replications), mp_context=context) as executor:
            for output in executor.map(_run_one, tasks):
                outputs.append(output)
                if progress is not None:
                    progress(len(outputs), replications)
    per_replication = replication_summary(model, outputs)
    group_rows = []
    for r, output in enumerate(outputs):
        for g, group in enumerate(model.groups):
            busy, present = output.busy_area_counted[g], output.present_area_counted[g]
            load = output.load_area_counted[g]
            group_rows.append({REPLICATION: r, GROUP: group.name,
                               OCCUPANCY: float(load / present) if present > 0 else float("nan"),
                               AGENTS_BUSY_SHARE: float(busy / present) if present > 0 else float("nan")})
    records = None
    if keep_records:
        records = pd.DataFrame([record for output in outputs for record in output.records or []],
                               columns=list(ContactRecord._fields))
    return SimulationResult(
        model=model,
        replications=replications,
        seed=int(entropy) if seed is None or isinstance(seed, np.random.SeedSequence) else int(seed),
        warmup_seconds=model.warmup_seconds,
        intervals=interval_table(model, outputs),
        groups=group_table(model, outputs),
        per_replication=per_replication,
        summary_table=summary_table(per_replication),
        group_summary=pd.DataFrame(group_rows),
        records=records,
        events=sum(output.events for output in outputs),
    )
