"""Batch runs for researchers: one base scenario, many parameter values, one tidy table.

:func:`sweep` expands a sweep (:mod:`scenarios.document.sweep_file`) into runs. Each run is the base
scenario's document with the run's overrides, validated into a
:class:`~scenarios.document.scenario.Scenario`, compiled under the run's setup and simulated with
``simulate(model, replications, run_seed, workers=1)``; its costs come from
:func:`scenarios.studies.costs.estimate_costs`. Runs execute in this process (``workers=1``), in local
worker processes (``workers=N``, a spawn-context ``ProcessPoolExecutor`` reused across runs) or on
a Dask distributed cluster (``scheduler="tcp://host:port"``, a ``distributed.Client`` or a
``LocalCluster``; dask is the optional extra ``ccplan[dist]``).

Reproducibility (STYLE habit 6)
-------------------------------
A run is identified by its *digest*: SHA-256 of the canonical JSON (sorted keys, no spaces) of
``{"parameters": {path: value}, "setup": kind or null}`` (``as-given`` is null). Its seed is
``SeedSequence([sweep_seed, int(digest, 16)]).generate_state(2, uint32)`` joined into one 63-bit
integer, echoed in the ``run_seed`` column (``simulate(model, replications, run_seed)``
reproduces the run alone). With ``common_random_numbers: true`` every run uses the sweep seed
itself instead: the same customers in every run (the simulator keys its streams by channel name),
so differences between runs are sharper, at the price of runs that are not independent. Either
way, a run's results depend only on the base scenario, its own
parameters, the sweep seed and the replications: not on the worker, the number or kind of
workers, the order of completion, nor on the other runs of the sweep (adding a value to a
parameter leaves every other run unchanged). Rows are sorted by run order (grid: last parameter
fastest, setups outermost).

Robustness
----------
A run that fails (an invalid combination refused by validation, a model the engine refuses, any
exception) is recorded with ``status = "failed"`` and its message in ``error``; the others go
on. With an output folder, each finished run is written atomically to
``OUT/runs/<digest>.parquet`` (its interval rows, with its summary and status in the file's
metadata) by the calling process, so remote workers need no shared disk. Running the same sweep
again resumes: runs whose file exists with the same *sweep key* (base scenario, replications,
seed, warm-up) are not simulated again; failed runs are retried. The final tables are always
assembled from the run files.

Outputs (``OUT/``, each as Parquet and CSV)
-------------------------------------------
* ``intervals``: one row per run x replication x interval x channel: the run columns (``run``,
  ``run_id``, ``setup_kind``, one column per parameter path, ``run_seed``) then the simulator's
  interval KPIs (:mod:`simulator.kpis`). Successful runs only.
* ``summary``: one row per run x channel: run columns, ``replications``, ``status``, ``error``,
  ``channel``, then ``{kpi}_mean`` and ``{kpi}_ci95`` (95 % Student-t half-width over
  replications) for :data:`HEADLINE_KPIS` and :data:`COST_METRICS` (costs are the run's, over the
  horizon, repeated on each channel row). A failed run has one row, ``channel`` empty.
* ``runs``: one row per run: run columns, ``replications``, ``status``, ``error``.
* ``sweep.json``: the sweep's name, seed, replications, sweep key, counts, the base scenario's
  canonical JSON and the ccplan version.

Parameter values that are not scalars (a per-interval list, a block) appear as canonical JSON
strings in the tables.
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from scenarios.document.files import files_digest
from scenarios.document.setups import AS_GIVEN
from scenarios.document.sweep_file import (
    SweepFile,
    SweepSpec,
    load_sweep,
    parse_path,
    parse_sweep,
    set_path,
)
from scenarios.errors import CcplanError, ScenarioError
from scenarios.report.kpis import HEADLINE_KPIS
from scenarios.report.progress import ProgressBar
from scenarios.report.tables import (
    CHANNEL,
    ERROR,
    REPLICATIONS,
    RUN,
    RUN_ID,
    RUN_SEED,
    SETUP_KIND,
    STATUS,
    STATUS_FAILED,
    STATUS_OK,
)

__all__ = [
    "RUN", "RUN_ID", "SETUP_KIND", "RUN_SEED", "REPLICATIONS", "STATUS", "ERROR", "CHANNEL",
    "STATUS_OK", "STATUS_FAILED", "COST_METRICS", "TABLES",
    "SweepRun", "SweepResult", "sweep", "plan_runs", "run_digest", "run_seed", "read_table",
]


COST_METRICS = ("total_cost", "cost_per_contact", "cost_per_answered")
"""Run-level costs of the summary table (currency units over the horizon; per contact)."""

TABLES = ("intervals", "summary", "runs")
"""Tables written to the output folder, each as ``NAME.parquet`` and ``NAME.csv``."""

_FORMAT = 1

ENV_RUN_TIME_LIMIT = "CCPLAN_RUN_TIME_LIMIT_SECONDS"
"""Environment variable: the time limit of one sweep run in seconds (default 3600; 0 = none)."""

DEFAULT_RUN_TIME_LIMIT_SECONDS = 3600.0
"""A sweep run still going after this many seconds is stopped and recorded as failed."""


def run_time_limit() -> float | None:
    """The time limit of one sweep run (seconds), from :data:`ENV_RUN_TIME_LIMIT`; None for no limit."""
    text = os.environ.get(ENV_RUN_TIME_LIMIT, "").strip()
    if not text:
        return DEFAULT_RUN_TIME_LIMIT_SECONDS
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < math.inf:
        raise CcplanError(f"environment variable {ENV_RUN_TIME_LIMIT} must be a number of seconds >= 0, got {text[:40]!r}")
    return value or None
_METADATA_KEY = b"ccplan.sweep"
_COST_ITEMS = {"total_cost": "total", "cost_per_contact": "cost_per_contact", "cost_per_answered": "cost_per_answered"}


# --------------------------------------------------------------------------- digests and seeds
def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


def run_digest(parameters: Mapping[str, Any], setup: str = AS_GIVEN) -> str:
    """SHA-256 (hex) of the canonical JSON of a run's parameter overrides and setup kind.

    Parameters
    ----------
    parameters : mapping of str to value
        Dotted scenario path -> value (JSON values).
    setup : str
        ``as-given`` (digested as null), ``in-house``, ``virtual`` or ``cloud``.
    """
    payload = {"parameters": dict(parameters), "setup": None if setup == AS_GIVEN else setup}
    return hashlib.sha256(_canonical(payload).encode("utf-8")).hexdigest()


def run_seed(sweep_seed: int, digest: str) -> int:
    """The run's root seed (0 <= seed < 2**63) from the sweep seed and the run's digest.

    ``numpy.random.SeedSequence([sweep_seed, int(digest, 16)]).generate_state(2, uint32)``,
    joined high word first and shifted right by one bit. Independent of workers, order and
    Python's ``hash()``.
    """
    words = np.random.SeedSequence([int(sweep_seed), int(digest, 16)]).generate_state(2, np.uint32)
    return ((int(words[0]) << 32) | int(words[1])) >> 1


@dataclass(frozen=True)
class SweepRun:
    """One run of a sweep.

    Attributes
    ----------
    index : int
        Position in run order (0-based).
    parameters : mapping of str to value
        Dotted scenario path -> value of this run.
    setup : str
        Setup kind (``as-given``, ``in-house``, ``virtual``, ``cloud``).
    digest : str
        :func:`run_digest` of ``parameters`` and ``setup``.
    seed : int
        :func:`run_seed` of the sweep seed and ``digest``.
    """

    index: int
    parameters: Mapping[str, Any]
    setup: str
    digest: str
    seed: int

    @property
    def run_id(self) -> str:
        """First 16 hex digits of the digest (the run's name in tables)."""
        return self.digest[:16]


def plan_runs(spec: SweepSpec, sweep_seed: int) -> list[SweepRun]:
    """The runs of ``spec`` in run order: setups outermost, then the combinations.

    Each run's seed is :func:`run_seed` of the sweep seed and its digest, or the sweep seed itself
    when ``spec.common_random_numbers``.
    """
    runs = []
    for setup in spec.setups:
        for parameters in spec.combinations():
            digest = run_digest(parameters, setup)
            seed = int(sweep_seed) if spec.common_random_numbers else run_seed(sweep_seed, digest)
            runs.append(SweepRun(len(runs), parameters, setup, digest, seed))
    digests = [r.digest for r in runs]
    if len(set(digests)) != len(digests):
        duplicate = next(r for r in runs if digests.count(r.digest) > 1)
        raise ScenarioError(file=None, field_path="parameters",
                            reason=f"two runs have the same values {dict(duplicate.parameters)} (setup {duplicate.setup}); "
                                   "remove repeated values")
    return runs


# --------------------------------------------------------------------------- one run (in a worker)
@dataclass(frozen=True)
class _RunTask:
    base_document: dict
    base_dir: str
    parameters: Mapping[str, Any]
    setup: str
    replications: int
    seed: int
    warmup_minutes: float | None
    time_limit_seconds: float | None = None


@dataclass(frozen=True)
class _RunOutcome:
    status: str
    error: str
    intervals: pd.DataFrame | None
    summary: list[dict] = field(default_factory=list)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ScenarioError) and exc.reason:
        message = f"{exc.field_path}: {exc.reason}" if exc.field_path else exc.reason
    else:
        message = f"{type(exc).__name__}: {exc}"
    return " ".join(message.split())


class _RunTimeout(BaseException):
    """A run took longer than the sweep's time limit per run (a BaseException: the run cannot swallow it)."""


def _on_alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _RunTimeout


def _execute(task: _RunTask) -> _RunOutcome:
    """Validate, compile, simulate and cost one run; every exception becomes a failed outcome.

    With a time limit, and where signals can be used (the main thread of a process: local
    workers, or the sweep's own process), the run is stopped when the limit passes and recorded
    as failed.
    """
    import signal
    import threading

    timed = (task.time_limit_seconds is not None and hasattr(signal, "setitimer")
             and threading.current_thread() is threading.main_thread())
    if not timed:
        return _execute_run(task)
    timeout = _RunOutcome(STATUS_FAILED, f"stopped after the time limit of {task.time_limit_seconds:g} s per run "
                                         f"(environment variable {ENV_RUN_TIME_LIMIT} raises it)", None, [])
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    outcome = timeout
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, float(task.time_limit_seconds))
            outcome = _execute_run(task)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _RunTimeout:
        outcome = timeout
    finally:
        signal.signal(signal.SIGALRM, previous)
    return outcome


def _execute_run(task: _RunTask) -> _RunOutcome:
    try:
        from scenarios.document.loader import parse_scenario
        from scenarios.studies.run import run_setup

        document = json.loads(json.dumps(task.base_document))
        for path, value in task.parameters.items():
            set_path(document, parse_path(path), value)
        scenario = parse_scenario(document, source="run", base_dir=task.base_dir)
        run = run_setup(scenario, task.setup, task.replications, task.seed, warmup_minutes=task.warmup_minutes)
        compiled, result, costs = run.compiled, run.result, run.costs
        table = result.summary_table
        cost_values = {}
        for metric, item in _COST_ITEMS.items():
            cost_values[f"{metric}_mean"] = costs.mean(item)
            cost_values[f"{metric}_ci95"] = costs.ci95(item)
        rows = []
        for channel in compiled.model.channels:
            row: dict[str, Any] = {CHANNEL: channel.name}
            kpis = table[table["channel"] == channel.name].set_index("kpi")
            for kpi in HEADLINE_KPIS:
                row[f"{kpi}_mean"] = float(kpis.at[kpi, "mean"])
                row[f"{kpi}_ci95"] = float(kpis.at[kpi, "ci95"])
            row.update(cost_values)
            rows.append(row)
        return _RunOutcome(STATUS_OK, "", result.intervals, rows)
    except MemoryError:
        return _RunOutcome(STATUS_FAILED, "MemoryError: the run needs more memory than the worker has; "
                                          "lower its size (intervals, volume, replications)", None, [])
    except Exception as exc:  # noqa: BLE001 - a failed run is recorded, the sweep goes on
        return _RunOutcome(STATUS_FAILED, _describe(exc), None, [])


# --------------------------------------------------------------------------- run files
def _run_table(run: SweepRun, outcome: _RunOutcome, sweep_key: str) -> pa.Table:
    frame = outcome.intervals if outcome.intervals is not None else pd.DataFrame()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = {
        "format": _FORMAT, "sweep_key": sweep_key, "digest": run.digest, "status": outcome.status,
        "error": outcome.error, "parameters": dict(run.parameters), "setup": run.setup, "seed": run.seed,
        "summary": outcome.summary,
    }
    schema_meta = dict(table.schema.metadata or {})
    schema_meta[_METADATA_KEY] = json.dumps(meta, sort_keys=True).encode("utf-8")
    return table.replace_schema_metadata(schema_meta)


def _run_meta(table: pa.Table) -> dict:
    return json.loads(table.schema.metadata[_METADATA_KEY])


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def _remove_stale_temporaries(out_dir: Path) -> int:
    """Delete ``.NAME.PID.tmp`` files left by a killed sweep whose process is gone; return how many."""
    removed = 0
    for folder in (out_dir, out_dir / "runs"):
        for path in folder.glob(".*.tmp"):
            parts = path.name.rsplit(".", 2)
            try:
                pid = int(parts[1])
            except (IndexError, ValueError):
                continue
            if pid != os.getpid() and _alive(pid):
                continue
            try:
                path.unlink()
                removed += 1
            except OSError:
                pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_run_file(path: Path, sweep_key: str, seed: int) -> pa.Table | None:
    """The run file's table if it is a finished run of this sweep (same key and seed), else None."""
    try:
        table = pq.read_table(path)
        meta = _run_meta(table)
    except Exception:  # noqa: BLE001 - unreadable or foreign file: the run is redone
        return None
    if meta.get("format") != _FORMAT or meta.get("sweep_key") != sweep_key or meta.get("seed") != seed \
            or meta.get("status") != STATUS_OK:
        return None
    return table


# --------------------------------------------------------------------------- executors
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> None:
    """Worker initializer: the worker ends when the sweep process dies, however it dies.

    On Linux the kernel sends SIGKILL to the worker when its parent exits
    (``prctl(PR_SET_PDEATHSIG)``); elsewhere (and as a second guard) a daemon thread checks every
    second that the parent is still the one that started the worker.
    """
    import signal
    import sys
    import threading

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl: the thread below guards
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="ccplan-parent-watch", daemon=True).start()


def _run_in_process(tasks: list[tuple[int, _RunTask]], on_done) -> None:
    for index, task in tasks:
        on_done(index, _execute(task))


_WORKER_DIED = ("the worker process running this run died (killed by the system, most often for lack of memory, "
                "or by a signal); the run is recorded as failed")


def _new_pool(workers: int, tasks: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=max(1, min(workers, tasks)), mp_context=context,
                               initializer=_die_with_parent, initargs=(os.getpid(),))


def _run_in_processes(tasks: list[tuple[int, _RunTask]], workers: int, on_done) -> None:
    """Run ``tasks`` in a pool of worker processes that die with this process.

    When a worker dies (killed for memory, a signal), the pool breaks and every run it held fails
    with ``BrokenProcessPool``; those runs are retried one at a time in a fresh process, so the run
    that kills its worker again is recorded as failed with the cause, and the others finish.
    """
    suspects: list[tuple[int, _RunTask]] = []
    by_index = dict(tasks)
    executor = _new_pool(workers, len(tasks))
    try:
        pending = {executor.submit(_execute, task): index for index, task in tasks}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=pending.get):
                index = pending.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    suspects.append((index, by_index[index]))
                    continue
                except Exception as exc:  # noqa: BLE001 - a failed run is recorded, the sweep goes on
                    outcome = _RunOutcome(STATUS_FAILED, _describe(exc), None)
                on_done(index, outcome)
            if suspects and pending:  # the pool is broken: what is left goes to a fresh pool
                rest = [(pending[f], by_index[pending[f]]) for f in pending]
                executor.shutdown(wait=False, cancel_futures=True)
                executor = _new_pool(workers, len(rest))
                pending = {executor.submit(_execute, task): index for index, task in rest}
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    for index, task in suspects:
        single = _new_pool(1, 1)
        try:
            outcome = single.submit(_execute, task).result()
        except BrokenProcessPool:
            outcome = _RunOutcome(STATUS_FAILED, _WORKER_DIED, None)
        except Exception as exc:  # noqa: BLE001
            outcome = _RunOutcome(STATUS_FAILED, _describe(exc), None)
        finally:
            single.shutdown(wait=True, cancel_futures=True)
        on_done(index, outcome)


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise CcplanError("running on a Dask cluster needs dask and distributed: pip install 'ccplan[dist]'") from None
    return distributed


NO_WORKERS_TIMEOUT_SECONDS = 60.0
"""A Dask sweep with no worker for this long stops with a message (the finished runs are kept)."""


def _run_on_dask(tasks: list[tuple[int, _RunTask]], scheduler, on_done) -> None:
    distributed = _import_distributed()
    own_client = not isinstance(scheduler, distributed.Client)
    if own_client:
        try:
            client = distributed.Client(scheduler, timeout="10s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise CcplanError(f"cannot reach the Dask scheduler {str(scheduler)[:80]!r}: {str(exc)[:160]}") from None
    else:
        client = scheduler
    futures: dict = {}
    try:
        for index, task in tasks:
            futures[client.submit(_execute, task, pure=False, key=f"ccplan-sweep-{index}-{os.urandom(6).hex()}")] = index
        pending = set(futures)
        without_workers = None
        checked = time.monotonic()
        while pending:
            done = {future for future in pending if future.done()}
            pending -= done
            if not done:
                time.sleep(0.05)
                if time.monotonic() - checked < 5:
                    continue
                checked = time.monotonic()
            for future in sorted(done, key=futures.get):
                index = futures[future]
                try:
                    outcome = future.result()
                except Exception as exc:  # noqa: BLE001 - e.g. a killed worker
                    outcome = _RunOutcome(STATUS_FAILED, _describe(exc), None)
                on_done(index, outcome)
            if not done:
                workers = len(client.scheduler_info().get("workers", {}))
                if workers:
                    without_workers = None
                elif without_workers is None:
                    without_workers = time.monotonic()
                elif time.monotonic() - without_workers > NO_WORKERS_TIMEOUT_SECONDS:
                    raise CcplanError(f"the Dask cluster has had no worker for {NO_WORKERS_TIMEOUT_SECONDS:g} s with "
                                      f"{len(pending)} run(s) left; finished runs are kept, start workers and run the "
                                      "same command to resume")
    except CcplanError:
        raise
    except (OSError, TimeoutError, distributed.TimeoutError) as exc:
        raise CcplanError(f"lost the Dask scheduler ({type(exc).__name__}: {str(exc)[:160]}); finished runs are kept, "
                          "run the same command to resume") from None
    except Exception as exc:
        if type(exc).__module__.split(".")[0] in ("distributed", "tornado", "asyncio"):
            raise CcplanError(f"lost the Dask scheduler ({type(exc).__name__}: {str(exc)[:160]}); finished runs are kept, "
                              "run the same command to resume") from None
        raise
    finally:
        try:
            client.cancel([f for f in futures if not f.done()])
        except Exception:  # noqa: BLE001, S110 - the scheduler may be gone already
            pass
        if own_client:
            try:
                client.close(timeout=5)
            except Exception:  # noqa: BLE001, S110
                pass


# --------------------------------------------------------------------------- tables
def _parameter_columns(runs: list[SweepRun], paths: list[str]) -> dict[str, list]:
    columns = {}
    for path in paths:
        values = [run.parameters[path] for run in runs]
        numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        strings = all(isinstance(v, str) for v in values)
        columns[path] = values if numeric or strings else [_canonical(v) for v in values]
    return columns


def _run_frame(runs: list[SweepRun], paths: list[str], replications: int, statuses, errors) -> pd.DataFrame:
    frame = pd.DataFrame({
        RUN: pd.Series([r.index for r in runs], dtype="int64"),
        RUN_ID: pd.Series([r.run_id for r in runs], dtype="str"),
        SETUP_KIND: pd.Series([r.setup for r in runs], dtype="str"),
        **_parameter_columns(runs, paths),
        RUN_SEED: pd.Series([r.seed for r in runs], dtype="int64"),
        REPLICATIONS: pd.Series([replications] * len(runs), dtype="int64"),
        STATUS: pd.Series(statuses, dtype="str"),
        ERROR: pd.Series(errors, dtype="str"),
    })
    return frame


def _assemble(runs: list[SweepRun], paths: list[str], replications: int,
              tables: Mapping[int, pa.Table]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    metas = {index: _run_meta(table) for index, table in tables.items()}
    statuses = [metas[r.index]["status"] for r in runs]
    errors = [metas[r.index]["error"] for r in runs]
    runs_frame = _run_frame(runs, paths, replications, statuses, errors)
    run_columns = [RUN, RUN_ID, SETUP_KIND, *paths, RUN_SEED]

    interval_frames = []
    summary_rows = []
    for position, run in enumerate(runs):
        meta = metas[run.index]
        if meta["status"] == STATUS_OK:
            frame = tables[run.index].to_pandas()
            head = runs_frame.iloc[[position] * len(frame)][run_columns].reset_index(drop=True)
            interval_frames.append(pd.concat([head, frame.reset_index(drop=True)], axis=1))
            for row in meta["summary"]:
                summary_rows.append((position, row))
        else:
            summary_rows.append((position, {CHANNEL: None}))
    if interval_frames:
        intervals = pd.concat(interval_frames, ignore_index=True)
    else:
        intervals = runs_frame.iloc[0:0][run_columns].reset_index(drop=True)

    value_columns = [f"{kpi}_{stat}" for kpi in (*HEADLINE_KPIS, *COST_METRICS) for stat in ("mean", "ci95")]
    positions = [position for position, _ in summary_rows]
    summary = runs_frame.iloc[positions].reset_index(drop=True)
    summary[CHANNEL] = pd.Series([row.get(CHANNEL) for _, row in summary_rows], dtype="str")
    for column in value_columns:
        summary[column] = pd.Series([_float(row.get(column)) for _, row in summary_rows], dtype="float64")
    return intervals, summary, runs_frame


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as CSV with Arrow's C++ writer (several times faster than pandas on the
    intervals table; floats keep their shortest round-trip form, so :func:`read_table` reads the
    same values as from Parquet)."""
    pa_csv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), str(path))


def _float(value) -> float:
    return math.nan if value is None else float(value)


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a sweep table written as ``.parquet`` or ``.csv`` with the same dtypes either way.

    CSV cells left empty (a successful run's ``error``, a failed run's ``channel``) read back as
    the empty string and NaN as in the Parquet file; ``run_id`` stays text.
    """
    path = Path(path)
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        for column in (ERROR,):
            if column in frame:
                frame[column] = frame[column].fillna("")
        return frame
    frame = pd.read_csv(path, dtype={RUN_ID: "str", SETUP_KIND: "str", STATUS: "str", ERROR: "str", CHANNEL: "str"},
                        keep_default_na=True)
    if ERROR in frame:
        frame[ERROR] = frame[ERROR].fillna("")
    return frame


# --------------------------------------------------------------------------- the result
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
    replications : int
        Replications per run.
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
    replications: int
    out: Path | None
    executed: int
    resumed: int
    elapsed_seconds: float

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


# --------------------------------------------------------------------------- entry point
def _resolve_sweep(spec) -> SweepFile:
    if isinstance(spec, SweepFile):
        return spec
    if isinstance(spec, str | os.PathLike):
        return load_sweep(spec)
    if isinstance(spec, Mapping):
        return parse_sweep(dict(spec))
    raise ScenarioError(file="<sweep>", reason=f"a sweep is a sweep file path, a mapping or a SweepFile, got {type(spec).__name__}")


def _referenced_files(document: Any) -> list[str]:
    """Paths of the CSV files a scenario document names (history CSVs, profile CSVs)."""
    found = []
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("history_csv", "profile") and isinstance(item, str) and item.lower().endswith(".csv"):
                    found.append(item)
                else:
                    stack.append(item)
        elif isinstance(value, list | tuple):
            stack.extend(value)
    return found


def _sweep_key(base_document: dict, replications: int, seed: int, warmup_minutes: float | None,
               base_dir: str | Path = ".") -> str:
    """Digest of what makes runs comparable: the base scenario, the *contents* of the files it names, replications, seed, warm-up."""
    files = [path if Path(path).is_absolute() else str(Path(base_dir) / path) for path in _referenced_files(base_document)]
    payload = {"format": _FORMAT, "base": base_document, "replications": replications, "seed": seed,
               "warmup_minutes": warmup_minutes, "files": files_digest(files) if files else None}
    return hashlib.sha256(_canonical(payload).encode("utf-8")).hexdigest()


def _resolve_seed(seed, spec_seed, base_seed, out: Path | None, base_key: str, resume: bool) -> tuple[int, bool]:
    for candidate in (seed, spec_seed, base_seed):
        if candidate is not None:
            if isinstance(candidate, bool) or not isinstance(candidate, int | np.integer) or candidate < 0:
                raise ScenarioError(file=None, field_path="seed", reason=f"must be a whole number >= 0, got {candidate!r}")
            return int(candidate), False
    if out is not None and resume:
        try:
            manifest = json.loads((out / "sweep.json").read_text(encoding="utf-8"))
            if manifest.get("seed_drawn") and manifest.get("base_key") == base_key:
                return int(manifest["seed"]), True
        except (OSError, ValueError, KeyError):
            pass
    return int(np.random.SeedSequence().entropy % (2**63)), True


def _version() -> str:
    try:
        return metadata.version("ccplan")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def _write_json(path: Path, data: dict) -> None:
    _atomic_write(path, lambda p: p.write_text(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"))


def sweep(
    spec: str | os.PathLike | Mapping | SweepFile | None = None,
    *,
    base: str | os.PathLike | Mapping | None = None,
    parameters: Mapping[str, Any] | None = None,
    combine: str | None = None,
    setups: str | Iterable[str] | None = None,
    common_random_numbers: bool | None = None,
    replications: int | None = None,
    seed: int | None = None,
    warmup_minutes: float | None = None,
    out: str | os.PathLike | None = None,
    workers: int = 1,
    scheduler=None,
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
        Replications per run; overrides the file (default: the base scenario's).
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
        cluster object (``distributed.LocalCluster``). Needs ``ccplan[dist]``.
    resume : bool
        Skip runs already finished in ``out`` by an earlier call of the same sweep (default
        True). False recomputes every run.
    progress : bool or callable, optional
        True draws a bar on stderr (runs done/total, elapsed, remaining); a callable is called
        as ``progress(done, total)`` after each run.

    Returns
    -------
    SweepResult

    Raises
    ------
    ScenarioError
        A malformed sweep (unknown keys, empty lists, a path that is not a field of the base
        scenario, unequal zip lengths) or an invalid base scenario, before anything runs.
    CcplanError
        Bad execution options, dask missing or the scheduler unreachable.

    Examples
    --------
    >>> result = sweep("scenarios/examples/sweep_bot_deflection.yaml", workers=2, progress=True)  # doctest: +SKIP
    >>> result.summary[["channels.chat.bot.resolved_share", "channel", "service_level_mean"]]  # doctest: +SKIP
    """
    started = time.perf_counter()
    keywords = {"parameters": parameters, "combine": combine, "common_random_numbers": common_random_numbers,
                "setups": [setups] if isinstance(setups, str) else (list(setups) if setups is not None else None)}
    keywords = {key: value for key, value in keywords.items() if value is not None}
    if spec is None:
        if base is None:
            raise ScenarioError(file="<sweep>", reason="give a sweep file (spec) or base= with parameters=")
        document = {"base": dict(base) if isinstance(base, Mapping) else os.fspath(base), **keywords}
        sweep_file = parse_sweep(document, source="<sweep>", base_dir=".")
    else:
        if base is not None or keywords:
            given = ", ".join(sorted({"base", *keywords} if base is not None else keywords))
            raise ScenarioError(file="<sweep>", reason=f"{given}: give these without a sweep file (spec), or edit the file")
        sweep_file = _resolve_sweep(spec)
    spec_model = sweep_file.spec
    if isinstance(workers, bool) or not isinstance(workers, int | np.integer) or workers < 1:
        raise CcplanError(f"workers must be a whole number >= 1, got {workers!r}")
    if replications is not None and (isinstance(replications, bool) or not isinstance(replications, int | np.integer) or replications < 1):
        raise CcplanError(f"replications must be a whole number >= 1, got {replications!r}")
    if warmup_minutes is not None and not (isinstance(warmup_minutes, int | float) and warmup_minutes >= 0):
        raise CcplanError(f"warmup_minutes must be a number >= 0, got {warmup_minutes!r}")

    replications = int(replications or spec_model.replications or sweep_file.base.replications)
    warmup = warmup_minutes if warmup_minutes is not None else spec_model.warmup_minutes
    if out is not None:
        out_dir: Path | None = Path(out)
    elif spec_model.out is not None:
        out_dir = sweep_file.base_dir / spec_model.out
    elif isinstance(spec, str | os.PathLike):
        out_dir = Path(f"{Path(spec).stem}_results")
    else:
        out_dir = None
    base_key = _sweep_key(sweep_file.base_document, replications, -1, warmup, sweep_file.base_dir)
    sweep_seed, seed_drawn = _resolve_seed(seed, spec_model.seed, sweep_file.base.seed, out_dir, base_key, resume)
    try:
        runs = plan_runs(spec_model, sweep_seed)
    except ScenarioError as exc:
        raise ScenarioError(file=sweep_file.source, field_path=exc.field_path, reason=exc.reason) from None
    sweep_key = _sweep_key(sweep_file.base_document, replications, sweep_seed, warmup, sweep_file.base_dir)
    paths = list(spec_model.parameters)

    tables: dict[int, pa.Table] = {}
    runs_dir = None
    if out_dir is not None:
        runs_dir = out_dir / "runs"
        try:
            runs_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CcplanError(f"cannot create the output folder {out_dir}: {exc.strerror or exc}") from None
        _write_json(out_dir / "sweep.json", {
            "name": spec_model.name, "seed": sweep_seed, "seed_drawn": seed_drawn, "replications": replications,
            "base_key": base_key, "sweep_key": sweep_key, "runs": len(runs), "finished": False,
            "ccplan_version": _version(),
        })
        _remove_stale_temporaries(out_dir)
        if resume:
            for run in runs:
                table = _read_run_file(runs_dir / f"{run.digest}.parquet", sweep_key, run.seed)
                if table is not None:
                    tables[run.index] = table
    resumed = len(tables)
    todo = [run for run in runs if run.index not in tables]
    time_limit = run_time_limit()
    tasks = [(run.index, _RunTask(sweep_file.base_document, str(Path(sweep_file.base_dir).resolve()), run.parameters,
                                  run.setup, replications, run.seed, warmup, time_limit)) for run in todo]

    bar = None
    if progress is True:
        bar = ProgressBar("runs")
        report = bar
    elif callable(progress):
        report = progress
    else:
        report = None
    done_count = 0
    by_index = {run.index: run for run in runs}

    def on_done(index: int, outcome: _RunOutcome) -> None:
        nonlocal done_count
        run = by_index[index]
        table = _run_table(run, outcome, sweep_key)
        if runs_dir is not None:
            _atomic_write(runs_dir / f"{run.digest}.parquet", lambda p: pq.write_table(table, p))
        tables[index] = table
        done_count += 1
        if report is not None:
            report(done_count, len(tasks))

    try:
        if not tasks:
            pass
        elif scheduler is not None:
            _run_on_dask(tasks, scheduler, on_done)
        elif workers > 1 and len(tasks) > 1:
            _run_in_processes(tasks, int(workers), on_done)
        else:
            _run_in_process(tasks, on_done)
    finally:
        if bar is not None:
            bar.close()

    if runs_dir is not None:  # assemble from the files: a resumed sweep equals an uninterrupted one
        tables = {run.index: pq.read_table(runs_dir / f"{run.digest}.parquet") for run in runs}
    intervals, summary, runs_frame = _assemble(runs, paths, replications, tables)
    if out_dir is not None:
        for name, frame in (("intervals", intervals), ("summary", summary), ("runs", runs_frame)):
            _atomic_write(out_dir / f"{name}.parquet", lambda p, f=frame: f.to_parquet(p, index=False))
            _atomic_write(out_dir / f"{name}.csv", lambda p, f=frame: _write_csv(f, p))
        failed = int((runs_frame[STATUS] == STATUS_FAILED).sum())
        _write_json(out_dir / "sweep.json", {
            "name": spec_model.name, "description": spec_model.description, "source": sweep_file.source,
            "seed": sweep_seed, "seed_drawn": seed_drawn, "replications": replications, "warmup_minutes": warmup,
            "combine": spec_model.combine, "setups": list(spec_model.setups), "parameters": paths,
            "common_random_numbers": spec_model.common_random_numbers,
            "base_key": base_key, "sweep_key": sweep_key, "runs": len(runs), "failed": failed, "finished": True,
            "base_scenario": sweep_file.base.to_canonical_json(), "ccplan_version": _version(),
        })
    return SweepResult(
        name=spec_model.name, runs=runs_frame, intervals=intervals, summary=summary, parameters=tuple(paths),
        seed=sweep_seed, replications=replications, out=out_dir, executed=len(tasks), resumed=resumed,
        elapsed_seconds=time.perf_counter() - started,
    )
