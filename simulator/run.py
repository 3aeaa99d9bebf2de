"""The public entry point :func:`simulate`: replications (fixed or to a precision target), seeds, workers."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
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
    campaign_replication_summary,
    campaign_summary_table,
    campaign_table,
    group_table,
    interval_table,
    replication_summary,
    summary_table,
)
from .model import SimulationModel
from .precision import (
    PrecisionReport,
    PrecisionTarget,
    apply_to_summary,
    control_set,
    headline_precision,
    next_batch,
)
from .results import SimulationResult

__all__ = ["simulate"]


def _run_one(arguments) -> ReplicationOutput:
    model, replication, seed, keep_records = arguments
    return run_replication(model, replication, seed, keep_records)


def _check_arguments(model, seed, workers, progress) -> None:
    if not isinstance(model, SimulationModel):
        raise ModelError(f"model must be a SimulationModel, got {type(model).__name__}")
    if isinstance(workers, bool) or not isinstance(workers, int | np.integer) or workers < 1:
        raise ModelError(f"workers must be a whole number >= 1, got {workers!r}")
    if seed is not None and not isinstance(seed, np.random.SeedSequence):
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            raise ModelError(f"seed must be a whole number >= 0 or None, got {seed!r}")
    if progress is not None and not callable(progress):
        raise ModelError(f"progress must be callable or None, got {progress!r}")


def _run_batch(model: SimulationModel, root: np.random.SeedSequence, first: int, count: int, keep_records: bool,
               workers: int, progress, total: int, outputs: list[ReplicationOutput], interval_progress=None) -> None:
    """Run replications ``first .. first + count - 1`` and append them to ``outputs`` in order.

    Replication ``r`` always gets the ``r``-th child of ``root`` (``root.spawn`` continues its
    count), so a run grown batch by batch equals a fixed-``R`` run with the same seed.
    """
    seeds = root.spawn(count)
    tasks = [(model, first + k, seeds[k], keep_records) for k in range(count)]
    if progress is not None and not outputs:
        progress(0, total)  # before the first replication: a bar can show the elapsed time from now
    if workers == 1 or count == 1:
        for task in tasks:
            on_interval = None
            if interval_progress is not None:
                done = len(outputs)
                on_interval = lambda fraction, done=done: interval_progress(done + fraction, total)  # noqa: E731
            outputs.append(run_replication(*task, on_interval=on_interval))
            if progress is not None:
                progress(len(outputs), total)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, count), mp_context=context) as executor:
        for output in executor.map(_run_one, tasks):
            outputs.append(output)
            if progress is not None:
                progress(len(outputs), total)


def _seed_echo(root: np.random.SeedSequence) -> int | tuple[int, ...]:
    """The root's entropy as given: an int, or a tuple of ints when the seed was a sequence."""
    entropy = root.entropy
    if isinstance(entropy, int | np.integer):
        return int(entropy)
    return tuple(int(e) for e in entropy or ())


def _root(seed) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    return np.random.SeedSequence(None if seed is None else int(seed))


def simulate(
    model: SimulationModel,
    replications: int | None = 10,
    seed: int | np.random.SeedSequence | None = None,
    *,
    warmup_seconds: float | None = None,
    keep_records: bool = False,
    progress: Callable[[int, int], None] | None = None,
    interval_progress: Callable[[float, int], None] | None = None,
    workers: int = 1,
    precision: PrecisionTarget | None = None,
    control_variates: bool | Sequence[str] = False,
) -> SimulationResult:
    """Simulate independent replications of ``model``: a fixed number, or until a precision target.

    Parameters
    ----------
    model : SimulationModel
        The validated, frozen model (per-interval arrays already resolved).
    replications : int or None
        Number of independent replications (>= 1; confidence intervals need >= 3). Ignored (may
        be None) when ``precision`` is given.
    seed : int or numpy.random.SeedSequence, optional
        Root seed. Replication ``r`` uses the ``r``-th child of ``SeedSequence(seed)``, which
        spawns the named streams of :data:`simulator.streams.STREAM_NAMES`, whatever the batch
        sizes or the number of workers. ``None`` draws fresh entropy, echoed in ``result.seed``
        so the run can be reproduced.
    warmup_seconds : float, optional
        Overrides ``model.warmup_seconds``: contacts arriving earlier are simulated, not counted.
    keep_records : bool
        Keep one :class:`ContactRecord` per counted contact in ``result.records`` (memory grows
        with the number of contacts; off by default).
    progress : callable, optional
        Called as ``progress(0, planned)`` before the first replication, then as
        ``progress(done, planned)`` after each replication (in order); with a precision target
        ``planned`` grows batch by batch.
    interval_progress : callable, optional
        Progress within a replication: called as ``interval_progress(done, planned)`` at each
        interval boundary of a replication run in this process, ``done`` being the replications
        finished plus the simulated-time fraction of the current one (a float, ending at the whole
        number when it finishes). It is called from the engine's interval-boundary process (no
        event per contact) and does not change the results. Replications run in worker processes
        (``workers > 1``) report through ``progress`` only.
    workers : int
        Processes to run replications in parallel (``concurrent.futures.ProcessPoolExecutor``,
        spawn context). Results are combined in replication order, so they are identical for any
        number of workers. As with any spawn-based pool, a script that calls this with
        ``workers > 1`` must guard its entry point with ``if __name__ == "__main__":``.
    precision : simulator.precision.PrecisionTarget, optional
        Run replications in batches (the first ``min_replications``, then as many as the
        half-widths reached suggest, see :func:`simulator.precision.next_batch`) until every
        headline KPI (service level, abandon rate, ASA per channel over the horizon) has a 95 %
        half-width within the target, or ``max_replications`` is reached.
        ``result.precision`` says what was reached.
    control_variates : bool or sequence of str
        Estimate the headline KPIs with control variates (arrivals, offered work and agents on
        duty after the shrinkage draw, whose means are known exactly; :mod:`simulator.precision`);
        ``summary_table`` then carries the adjusted mean and interval for them and ``estimator`` /
        ``variance_ratio`` columns. ``True`` uses every control of
        :data:`simulator.precision.CONTROLS`; a sequence of their names uses only those.

    Returns
    -------
    SimulationResult
        Tidy tables, the summary with 95 % confidence intervals and ``precision`` (a
        :class:`simulator.precision.PrecisionReport`).

    Raises
    ------
    ModelError
        If an argument is out of range (before anything runs).
    """
    _check_arguments(model, seed, workers, progress)
    if interval_progress is not None and not callable(interval_progress):
        raise ModelError(f"interval_progress must be callable or None, got {interval_progress!r}")
    if precision is not None and not isinstance(precision, PrecisionTarget):
        raise ModelError(f"precision must be a PrecisionTarget or None, got {precision!r}")
    control_variates = control_set(control_variates)
    fixed_replications = 0  # the run length when no precision target decides it
    if precision is None:
        if isinstance(replications, bool) or not isinstance(replications, int | np.integer) or replications < 1:
            raise ModelError(f"replications must be a whole number >= 1, got {replications!r}")
        fixed_replications = int(replications)
    if warmup_seconds is not None:
        model = model.with_warmup(warmup_seconds)
    root = _root(seed)
    outputs: list[ReplicationOutput] = []
    if precision is None:
        _run_batch(model, root, 0, fixed_replications, keep_records, workers, progress, fixed_replications, outputs,
                   interval_progress)
        table = headline_precision(model, replication_summary(model, outputs), control_variates=control_variates)
    else:
        batch = int(precision.min_replications)
        while True:
            _run_batch(model, root, len(outputs), batch, keep_records, workers, progress, len(outputs) + batch, outputs,
                       interval_progress)
            table = headline_precision(model, replication_summary(model, outputs), control_variates=control_variates,
                                       target=precision)
            batch = next_batch(table, len(outputs), precision, workers)
            if batch == 0:
                break
    report = PrecisionReport(precision, len(outputs), bool(control_variates), table)
    return _assemble(model, outputs, root, keep_records, report)


def _assemble(model: SimulationModel, outputs: list[ReplicationOutput], root: np.random.SeedSequence,
              keep_records: bool, report: PrecisionReport) -> SimulationResult:
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
        replications=len(outputs),
        seed=_seed_echo(root),
        warmup_seconds=model.warmup_seconds,
        intervals=interval_table(model, outputs),
        groups=group_table(model, outputs),
        per_replication=per_replication,
        summary_table=apply_to_summary(summary_table(per_replication), report.table)
        if report.control_variates else summary_table(per_replication),
        group_summary=pd.DataFrame(group_rows),
        records=records,
        events=sum(output.events for output in outputs),
        precision=report,
        **_campaign_tables(model, outputs),
    )


def _campaign_tables(model: SimulationModel, outputs: list[ReplicationOutput]) -> dict:
    """The campaign tables of the result (none without campaigns)."""
    if not model.campaigns:
        return {}
    return {"campaigns": campaign_table(model, outputs),
            "campaign_summary": campaign_summary_table(campaign_replication_summary(model, outputs))}
