"""The entry point :func:`sweep` and its result :class:`SweepResult`.

:func:`sweep` goes through named steps: read the sweep (:func:`_read_sweep`), settle its options
(:func:`_settle`: replications, warm-up, output folder, seed, runs, keys), open the output folder
and find finished runs (:func:`_open_output`), execute what is left (:func:`_execute`, the loop
state in :class:`_Progress`), then assemble and write the tables (:func:`_finish`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from scenarios.document.sweep_file import SweepFile, SweepSpec, load_sweep, parse_sweep
from scenarios.errors import CcplanError, ScenarioError
from scenarios.report.progress import ProgressBar
from scenarios.report.tables import (
    CHANNEL,
    RUN,
    RUN_ID,
    RUN_SEED,
    SETUP_KIND,
    STATUS,
    STATUS_FAILED,
)
from scenarios.studies.sweep.execute import (
    LOCAL_SCHEDULER,
    RunOutcome,
    RunTask,
    run_in_process,
    run_in_processes,
    run_memory_limit,
    run_on_dask,
    run_on_local_dask,
    run_time_limit,
)
from scenarios.studies.sweep.runs import SweepRun, plan_runs, resolve_seed, run_files_key, sweep_key
from scenarios.studies.sweep.store import (
    assemble,
    atomic_write,
    failed_count,
    read_run_file,
    remove_stale_temporaries,
    run_table,
    version,
    write_json,
    write_tables,
)

if TYPE_CHECKING:  # simulator is loaded inside the runs only (a run's memory cap counts what it loads)
    from scenarios.studies.run import RunLength
    from simulator import PrecisionTarget

__all__ = ["SweepResult", "sweep"]


@dataclass(frozen=True, eq=False)
class SweepResult:
    """Results of :func:`sweep`.

    Attributes
    ----------
    name : str
        The sweep's name.
    runs : pandas.DataFrame
        One row per run (run columns, ``replications``, ``status``, ``error``).
    intervals : pandas.DataFrame
        One row per run x replication x interval x channel (successful runs).
    summary : pandas.DataFrame
        One row per run x channel: means and 95 % CI half-widths (a failed run: one row).
    parameters : tuple of str
        The parameter paths (also column names), in file order.
    seed : int
        The sweep seed.
    replications : int or None
        Replications per run (None: each run ran to :attr:`precision`; the ``replications``
        column of :attr:`runs` says how many each used).
    precision : simulator.PrecisionTarget or None
        The precision target each run ran to (None: a fixed number of replications).
    out : pathlib.Path or None
        The output folder (None: nothing written).
    executed : int
        Runs simulated by this call.
    resumed : int
        Runs read back from a previous, interrupted call.
    elapsed_seconds : float
        Wall time of this call (seconds).
    """

    name: str
    runs: pd.DataFrame
    intervals: pd.DataFrame
    summary: pd.DataFrame
    parameters: tuple[str, ...]
    seed: int
    replications: int | None
    out: Path | None
    executed: int
    resumed: int
    elapsed_seconds: float
    precision: PrecisionTarget | None = None

    def to_frame(self) -> pd.DataFrame:
        """The tidy run x replication x interval x channel table."""
        return self.intervals

    @property
    def failed(self) -> pd.DataFrame:
        """The failed runs (rows of :attr:`runs`) with their error messages."""
        return self.runs[self.runs[STATUS] == STATUS_FAILED].reset_index(drop=True)

    def interval_means(self) -> pd.DataFrame:
        """Mean over replications: one row per run x interval x channel (numeric KPI columns)."""
        keys = [RUN, RUN_ID, SETUP_KIND, *self.parameters, RUN_SEED, "interval", "interval_start_seconds", CHANNEL]
        values = [c for c in self.intervals.columns if c not in keys and c != "replication"]
        return self.intervals.groupby(keys, sort=False, dropna=False)[values].mean().reset_index()


# --------------------------------------------------------------------------- steps
@dataclass(frozen=True)
class _Settled:
    """A sweep's settled options: everything fixed before any run starts."""

    sweep_file: SweepFile
    spec: SweepSpec
    length: int | PrecisionTarget
    warmup_minutes: float | None
    out_dir: Path | None
    seed: int
    seed_drawn: bool
    base_key: str
    sweep_key: str
    runs: list[SweepRun]
    files_keys: dict[int, str | None]

    @property
    def paths(self) -> list[str]:
        return list(self.spec.parameters)

    @property
    def replications(self) -> int | None:
        """The fixed count per run, or None under a precision target."""
        return int(self.length) if isinstance(self.length, int) else None

    @property
    def precision(self) -> PrecisionTarget | None:
        return None if isinstance(self.length, int) else self.length

    def manifest(self, **extra) -> dict:
        """The content of ``OUT/sweep.json``."""
        return {"name": self.spec.name, "seed": self.seed, "seed_drawn": self.seed_drawn,
                "replications": self.replications,
                "precision": None if self.precision is None else self.precision.to_json_dict(), "base_key": self.base_key, "sweep_key": self.sweep_key,
                "runs": len(self.runs), "ccplan_version": version(), **extra}


@dataclass
class _Progress:
    """Loop state while runs execute: the run tables gathered so far and the progress report."""

    settled: _Settled
    runs_dir: Path | None
    tables: dict[int, pa.Table]
    total: int
    report: Callable[[int, int], None] | None
    done: int = 0
    by_index: dict[int, SweepRun] = field(default_factory=dict)

    def on_done(self, index: int, outcome: RunOutcome) -> None:
        """Keep a finished run (written to its run file at once), then report progress."""
        run = self.by_index[index]
        table = run_table(run, outcome, self.settled.sweep_key, self.settled.files_keys[index])
        if self.runs_dir is not None:
            atomic_write(self.runs_dir / f"{run.digest}.parquet", lambda p: pq.write_table(table, p))
        self.tables[index] = table
        self.done += 1
        if self.report is not None:
            self.report(self.done, self.total)


def _read_sweep(spec, base, keywords: dict) -> SweepFile:
    if spec is None:
        if base is None:
            raise ScenarioError(file="<sweep>", reason="give a sweep file (spec) or base= with parameters=")
        document = {"base": dict(base) if isinstance(base, Mapping) else os.fspath(base), **keywords}
        return parse_sweep(document, source="<sweep>", base_dir=".")
    if base is not None or keywords:
        given = ", ".join(sorted({"base", *keywords} if base is not None else keywords))
        raise ScenarioError(file="<sweep>", reason=f"{given}: give these without a sweep file (spec), or edit the file")
    if isinstance(spec, SweepFile):
        return spec
    if isinstance(spec, str | os.PathLike):
        return load_sweep(spec)
    if isinstance(spec, Mapping):
        return parse_sweep(dict(spec))
    raise ScenarioError(file="<sweep>", reason=f"a sweep is a sweep file path, a mapping or a SweepFile, got {type(spec).__name__}")


def _check_options(workers, replications, warmup_minutes, precision=None) -> None:
    if isinstance(workers, bool) or not isinstance(workers, int | np.integer) or workers < 1:
        raise CcplanError(f"workers must be a whole number >= 1, got {workers!r}")
    if replications is not None and (isinstance(replications, bool) or not isinstance(replications, int | np.integer)
                                     or replications < 1):
        raise CcplanError(f"replications must be a whole number >= 1, got {replications!r}")
    if warmup_minutes is not None and not (isinstance(warmup_minutes, int | float) and warmup_minutes >= 0):
        raise CcplanError(f"warmup_minutes must be a number >= 0, got {warmup_minutes!r}")
    if precision is not None and (isinstance(precision, bool) or not isinstance(precision, int | float)
                                  or not 0.0 < float(precision) <= 50.0):
        raise CcplanError(f"precision must be > 0 and <= 50 percentage points, got {precision!r}")
    if replications is not None and precision is not None:
        raise CcplanError("replications and precision exclude each other: give a fixed count or a target")


def _run_length(sweep_file: SweepFile, replications: int | None, precision: float | None) -> RunLength:
    """A sweep's run length, in order: ``replications`` (a fixed count), ``precision`` (points; the
    rest of the target from the sweep file's ``precision`` block, else the base scenario's, else the
    defaults), the sweep file's ``precision`` block, its ``replications``, the base scenario's
    ``precision`` block, else the base scenario's ``replications`` (default 10)."""
    spec, base = sweep_file.spec, sweep_file.base
    if replications is not None:
        return int(replications)
    if precision is None and spec.precision is None and (spec.replications is not None or base.precision is None):
        return int(spec.replications or base.replications)
    from scenarios.studies.run import (
        precision_target,  # only for a target: see the TYPE_CHECKING import
    )

    if precision is not None:
        return precision_target(spec.precision or base.precision, share_points=precision)
    return precision_target(spec.precision or base.precision)


def _settle(sweep_file: SweepFile, spec, replications, seed, warmup_minutes, out, resume: bool,
            precision: float | None = None) -> _Settled:
    spec_model = sweep_file.spec
    length = _run_length(sweep_file, replications, precision)
    warmup = warmup_minutes if warmup_minutes is not None else spec_model.warmup_minutes
    if out is not None:
        out_dir: Path | None = Path(out)
    elif spec_model.out is not None:
        out_dir = sweep_file.base_dir / spec_model.out
    elif isinstance(spec, str | os.PathLike):
        out_dir = Path(f"{Path(spec).stem}_results")
    else:
        out_dir = None
    base_key = sweep_key(sweep_file.base_document, length, -1, warmup, sweep_file.base_dir)
    sweep_seed, seed_drawn = resolve_seed(seed, spec_model.seed, sweep_file.base.seed, out_dir, base_key, resume)
    try:
        runs = plan_runs(spec_model, sweep_seed)
    except ScenarioError as exc:
        raise ScenarioError(file=sweep_file.source, field_path=exc.field_path, reason=exc.reason) from None
    files_keys = {run.index: run_files_key(run.parameters, sweep_file.base_dir) for run in runs}
    return _Settled(sweep_file, spec_model, length, warmup, out_dir, sweep_seed, seed_drawn, base_key,
                    sweep_key(sweep_file.base_document, length, sweep_seed, warmup, sweep_file.base_dir),
                    runs, files_keys)


def _open_output(settled: _Settled, resume: bool) -> tuple[Path | None, dict[int, pa.Table]]:
    """Create ``OUT/runs``, write a first manifest, clean a killed sweep's temporaries, read finished runs."""
    if settled.out_dir is None:
        return None, {}
    runs_dir = settled.out_dir / "runs"
    try:
        runs_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CcplanError(f"cannot create the output folder {settled.out_dir}: {exc.strerror or exc}") from None
    write_json(settled.out_dir / "sweep.json", settled.manifest(finished=False))
    remove_stale_temporaries(settled.out_dir)
    tables = {}
    if resume:
        for run in settled.runs:
            table = read_run_file(runs_dir / f"{run.digest}.parquet", settled.sweep_key, run.seed,
                                  settled.files_keys[run.index])
            if table is not None:
                tables[run.index] = table
    return runs_dir, tables


def _execute(state: _Progress, tasks: list[tuple[int, RunTask]], workers: int, scheduler) -> None:
    if not tasks:
        return
    if isinstance(scheduler, str) and scheduler == LOCAL_SCHEDULER:
        run_on_local_dask(tasks, int(workers), state.on_done, tasks[0][1].memory_limit_mb)
    elif scheduler is not None:
        run_on_dask(tasks, scheduler, state.on_done)
    elif workers > 1 and len(tasks) > 1:
        run_in_processes(tasks, int(workers), state.on_done)
    else:
        run_in_process(tasks, state.on_done)


def _finish(settled: _Settled, runs_dir: Path | None, tables: dict[int, pa.Table]):
    """Assemble the tables (from the run files when there is an output folder) and write them with the manifest."""
    if runs_dir is not None:  # assemble from the files: a resumed sweep equals an uninterrupted one
        tables = {run.index: pq.read_table(runs_dir / f"{run.digest}.parquet") for run in settled.runs}
    intervals, summary, runs_frame = assemble(settled.runs, settled.paths, settled.replications, tables)
    if settled.out_dir is not None:
        write_tables(settled.out_dir, {"intervals": intervals, "summary": summary, "runs": runs_frame})
        spec = settled.spec
        write_json(settled.out_dir / "sweep.json", settled.manifest(
            description=spec.description, source=settled.sweep_file.source, warmup_minutes=settled.warmup_minutes,
            combine=spec.combine, setups=list(spec.setups), parameters=settled.paths,
            common_random_numbers=spec.common_random_numbers, failed=failed_count(runs_frame), finished=True,
            base_scenario=settled.sweep_file.base.to_canonical_json()))
    return intervals, summary, runs_frame


# --------------------------------------------------------------------------- entry point
def sweep(
    spec: str | os.PathLike | Mapping | SweepFile | None = None,
    *,
    base: str | os.PathLike | Mapping | None = None,
    parameters: Mapping[str, Any] | None = None,
    combine: str | None = None,
    setups: str | Iterable[str] | None = None,
    common_random_numbers: bool | None = None,
    replications: int | None = None,
    precision: float | None = None,
    seed: int | None = None,
    warmup_minutes: float | None = None,
    out: str | os.PathLike | None = None,
    workers: int = 1,
    scheduler: object = None,
    resume: bool = True,
    progress: bool | Callable[[int, int], None] | None = None,
) -> SweepResult:
    """Run a parameter sweep over a base scenario.

    Parameters
    ----------
    spec : path, mapping or SweepFile, optional
        A sweep file (see :mod:`scenarios.document.sweep_file`), its content as a mapping (relative paths
        from the current folder), or a loaded :class:`~scenarios.document.sweep_file.SweepFile`. Omit it
        to give the sweep with the keywords below.
    base : path or mapping, optional
        Base scenario file or inline scenario mapping (with ``parameters``, instead of ``spec``).
    parameters : mapping, optional
        Dotted scenario path -> list of values or ``{"start", "stop", "step" | "num"}``.
    combine : {"grid", "zip"}, optional
        How parameters combine (default grid).
    setups : str or sequence of str, optional
        Setup kinds to run each combination under (``as-given``, ``in-house``, ``virtual``,
        ``cloud``; default as-given).
    common_random_numbers : bool, optional
        Every run uses the sweep seed itself (default False: per-run seeds from the digest).
    replications : int, optional
        A fixed number of replications per run; overrides the file (default: the sweep file's
        ``precision`` block, its ``replications``, the base scenario's ``precision`` block, else
        the base scenario's ``replications``).
    precision : float, optional
        Run each run's replications until its headline KPIs (service level and abandon rate per
        channel; ASA too) have a 95 % half-width of at most this many percentage points (0 < H
        <= 50), or the target's ``max_replications`` is reached; ASA target and replication limits
        from the sweep file's ``precision`` block, else the base scenario's, else the defaults
        (2 s, 5-200). Excludes ``replications``. The ``runs`` table records per run the
        replications used, ``precision_target`` (``met`` / ``not met``) and the largest
        half-widths reached (``share_half_width_points``, ``asa_half_width_seconds``).
    seed : int, optional
        Sweep seed (>= 0); overrides the file (default: the file's, the base scenario's, else
        fresh entropy, echoed in ``result.seed`` and kept in ``OUT/sweep.json`` for resuming).
    warmup_minutes : float, optional
        Warm-up in minutes; overrides the file and the base scenario.
    out : path, optional
        Output folder (run files and tables); overrides the file's ``out`` (relative to the sweep
        file). Default for a sweep file without ``out``: ``<file stem>_results`` in the current
        folder; for a mapping or keyword sweep without ``out``: nothing is written (no resume).
    workers : int
        Local worker processes (>= 1); 1 runs in this process.
    scheduler : str, distributed.Client or cluster, optional
        Run on a Dask cluster instead: a scheduler address (``tcp://host:port``), a client, or a
        cluster object (``distributed.LocalCluster``); or ``"local"`` to start a ``LocalCluster`` of
        ``workers`` worker processes here, each limited to the per-run memory limit
        (``CCPLAN_RUN_MEMORY_LIMIT_MB``) plus what the worker itself needs
        (:data:`~scenarios.studies.sweep.execute.DASK_WORKER_BASELINE_MB`). The workers of a cluster
        you start keep their own limit (``dask worker --memory-limit``). A run whose worker is ended
        for memory is recorded as failed with the cause. Needs ``ccplan[dist]``.
    resume : bool
        Skip runs already finished in ``out`` by an earlier call of the same sweep (default
        True). False recomputes every run.
    progress : bool or callable, optional
        True draws a bar on stderr when it is a terminal (runs done/total, elapsed, remaining); a
        callable is called as ``progress(done, total)`` after each run.

    Returns
    -------
    SweepResult

    Raises
    ------
    ScenarioError
        A malformed sweep (unknown keys, empty lists, a path that is not a field of the base
        scenario, unequal zip lengths) or an invalid base scenario, before anything runs.
    CcplanError
        Bad execution options or limits, dask missing or the scheduler unreachable or lost.

    Examples
    --------
    >>> result = sweep("scenarios/examples/sweep_bot_deflection.yaml", workers=2, progress=True)  # doctest: +SKIP
    >>> result.summary[["channels.chat.bot.resolved_share", "channel", "service_level_mean"]]  # doctest: +SKIP
    """
    started = time.perf_counter()
    keywords = {"parameters": parameters, "combine": combine, "common_random_numbers": common_random_numbers,
                "setups": [setups] if isinstance(setups, str) else (list(setups) if setups is not None else None)}
    sweep_file = _read_sweep(spec, base, {key: value for key, value in keywords.items() if value is not None})
    _check_options(workers, replications, warmup_minutes, precision)
    settled = _settle(sweep_file, spec, replications, seed, warmup_minutes, out, resume, precision)
    runs_dir, tables = _open_output(settled, resume)
    resumed = len(tables)
    time_limit, memory_limit = run_time_limit(), run_memory_limit()
    base_dir = str(Path(sweep_file.base_dir).resolve())
    tasks = [(run.index, RunTask(sweep_file.base_document, base_dir, run.parameters, run.setup, settled.length,
                                 run.seed, settled.warmup_minutes, time_limit, memory_limit))
             for run in settled.runs if run.index not in tables]

    bar = ProgressBar("runs") if progress is True else None
    report = bar if bar is not None else (progress if callable(progress) else None)
    state = _Progress(settled, runs_dir, tables, len(tasks), report, by_index={run.index: run for run in settled.runs})
    try:
        if bar is not None and tasks:
            bar.start(len(tasks))
        _execute(state, tasks, workers, scheduler)
    finally:
        if bar is not None:
            bar.close()

    intervals, summary, runs_frame = _finish(settled, runs_dir, state.tables)
    return SweepResult(
        name=settled.spec.name, runs=runs_frame, intervals=intervals, summary=summary, parameters=tuple(settled.paths),
        seed=settled.seed, replications=settled.replications, out=settled.out_dir, executed=len(tasks),
        resumed=resumed, elapsed_seconds=time.perf_counter() - started, precision=settled.precision,
    )
