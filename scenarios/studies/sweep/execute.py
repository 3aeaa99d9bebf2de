"""Executing a sweep's runs: one run (validate, compile, simulate, cost) under its time and memory
limits, and the three executors (this process, local worker processes, a Dask cluster)."""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from scenarios.document.sweep_file import parse_path, set_path
from scenarios.errors import CcplanError, ScenarioError
from scenarios.report.kpis import HEADLINE_KPIS
from scenarios.report.tables import CHANNEL, STATUS_FAILED, STATUS_OK

if TYPE_CHECKING:
    from simulator import PrecisionTarget

__all__ = [
    "COST_METRICS", "ENV_RUN_TIME_LIMIT", "DEFAULT_RUN_TIME_LIMIT_SECONDS", "ENV_RUN_MEMORY_LIMIT",
    "DEFAULT_RUN_MEMORY_LIMIT_MB", "NO_WORKERS_TIMEOUT_SECONDS", "run_time_limit", "run_memory_limit", "RunTask",
    "RunOutcome", "execute", "run_in_process", "run_in_processes", "run_on_dask", "run_on_local_dask",
    "LOCAL_SCHEDULER", "DASK_WORKER_BASELINE_MB", "dask_worker_memory_limit",
]

COST_METRICS = ("total_cost", "cost_per_contact", "cost_per_answered")
"""Run-level costs of the summary table (currency units over the horizon; per contact)."""

_COST_ITEMS = {"total_cost": "total", "cost_per_contact": "cost_per_contact", "cost_per_answered": "cost_per_answered"}

ENV_RUN_TIME_LIMIT = "CCPLAN_RUN_TIME_LIMIT_SECONDS"
"""Environment variable: the time limit of one sweep run in seconds (default 3600; 0 = none)."""

DEFAULT_RUN_TIME_LIMIT_SECONDS = 3600.0
"""A sweep run still going after this many seconds is stopped and recorded as failed."""

ENV_RUN_MEMORY_LIMIT = "CCPLAN_RUN_MEMORY_LIMIT_MB"
"""Environment variable: the memory limit of one sweep run in MB (default 8192; 0 = none)."""

DEFAULT_RUN_MEMORY_LIMIT_MB = 8192.0
"""Address space (MB) a sweep run may add to its process before it is stopped and recorded as failed."""

LOCAL_SCHEDULER = "local"
"""The ``scheduler`` (``--scheduler``) that makes the sweep start its own Dask ``LocalCluster``."""

DASK_WORKER_BASELINE_MB = 1024.0
"""Memory (MB) a worker of the ``LocalCluster`` ccplan starts may hold besides one run: its imports
(NumPy, pandas, SimPy, distributed) and bookkeeping. The worker's limit is this plus the per-run
limit :data:`ENV_RUN_MEMORY_LIMIT` (each worker runs one run at a time)."""

NO_WORKERS_TIMEOUT_SECONDS = 60.0
"""A Dask sweep with no worker for this long stops with a message (the finished runs are kept)."""


def _limit_from_environment(name: str, default: float, unit: str) -> float | None:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < math.inf:
        raise CcplanError(f"environment variable {name} must be a number of {unit} >= 0, got {text[:40]!r}")
    return value or None


def run_time_limit() -> float | None:
    """The time limit of one sweep run (seconds), from :data:`ENV_RUN_TIME_LIMIT`; None for no limit."""
    return _limit_from_environment(ENV_RUN_TIME_LIMIT, DEFAULT_RUN_TIME_LIMIT_SECONDS, "seconds")


def run_memory_limit() -> float | None:
    """The memory limit of one sweep run (MB), from :data:`ENV_RUN_MEMORY_LIMIT`; None for no limit."""
    return _limit_from_environment(ENV_RUN_MEMORY_LIMIT, DEFAULT_RUN_MEMORY_LIMIT_MB, "MB")


# --------------------------------------------------------------------------- one run
@dataclass(frozen=True)
class RunTask:
    """What a worker needs for one run (picklable: sent to worker processes and Dask workers)."""

    base_document: dict
    base_dir: str
    parameters: Mapping[str, Any]
    setup: str
    replications: int | PrecisionTarget
    seed: int
    warmup_minutes: float | None
    time_limit_seconds: float | None = None
    memory_limit_mb: float | None = None


@dataclass(frozen=True)
class RunOutcome:
    """A run's status, error message, interval rows, per-channel summary rows and precision reached.

    ``precision`` (successful runs): ``{"replications": used, "met": True/False or None for a fixed
    count, "share_half_width_points": largest half-width of service level and abandon rate over the
    channels, "asa_half_width_seconds": largest half-width of ASA}`` (None where no interval).
    """

    status: str
    error: str
    intervals: pd.DataFrame | None
    summary: list[dict] = field(default_factory=list)
    precision: dict | None = None


def describe(exc: BaseException) -> str:
    """A failed run's one-line message."""
    if isinstance(exc, ScenarioError) and exc.reason:
        message = f"{exc.field_path}: {exc.reason}" if exc.field_path else exc.reason
    else:
        message = f"{type(exc).__name__}: {exc}"
    return " ".join(message.split())


class _RunTimeout(BaseException):
    """A run took longer than the sweep's time limit per run (a BaseException: the run cannot swallow it)."""


def _on_alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _RunTimeout


def _timeout_outcome(task: RunTask) -> RunOutcome:
    return RunOutcome(STATUS_FAILED, f"stopped after the time limit of {task.time_limit_seconds:g} s per run "
                                     f"(environment variable {ENV_RUN_TIME_LIMIT} raises it)", None, [])


def _memory_outcome(task: RunTask, capped: bool = True) -> RunOutcome:
    if task.memory_limit_mb is not None and capped:
        return RunOutcome(STATUS_FAILED, f"MemoryError: the run needs more than the memory limit of "
                                         f"{task.memory_limit_mb:g} MB per run (environment variable "
                                         f"{ENV_RUN_MEMORY_LIMIT} raises it); or lower its size (intervals, "
                                         "volume, replications)", None, [])
    return RunOutcome(STATUS_FAILED, "MemoryError: the run needs more memory than the worker has; "
                                     "lower its size (intervals, volume, replications)", None, [])


def execute(task: RunTask) -> RunOutcome:
    """Validate, compile, simulate and cost one run; every exception becomes a failed outcome.

    Time limit: in the main thread of a process (local workers, the sweep's own process) a timer
    signal stops the run; in another thread (a Dask worker's task thread) a timer thread raises
    the stop in the run's thread at its next Python instruction. Memory limit: in the main thread
    of a process, the run's address space is capped with ``resource.setrlimit(RLIMIT_AS)`` at what
    the process holds when the run starts plus the limit, and restored afterwards; a Dask worker
    runs tasks in threads of one process and keeps its own memory limit (``dask worker --memory-limit``;
    the ``LocalCluster`` ccplan starts sets it, see :func:`run_on_local_dask`); a MemoryError there is
    recorded with the cause.
    """
    import threading

    main = threading.current_thread() is threading.main_thread()
    with _memory_cap(task.memory_limit_mb if main else None) as capped:
        if task.time_limit_seconds is None:
            outcome = _execute_run(task)
        elif main:
            outcome = _with_alarm(task)
        else:
            outcome = _with_thread_timer(task)
    if outcome.status == STATUS_FAILED and outcome.error.startswith("MemoryError"):
        outcome = _memory_outcome(task, capped)
    return outcome


class _memory_cap:  # noqa: N801 - used as a context manager
    """Cap the process's address space (``RLIMIT_AS``) at its current size plus ``limit_mb`` MB."""

    def __init__(self, limit_mb: float | None) -> None:
        self.limit_mb = limit_mb
        self.previous: tuple[int, int] | None = None

    def __enter__(self) -> bool:
        if self.limit_mb is None:
            return False
        try:
            import resource

            current = _address_space_bytes()
            if current is None:
                return False
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            cap = current + int(self.limit_mb * 2**20)
            if hard != resource.RLIM_INFINITY:
                cap = min(cap, hard)
            if soft != resource.RLIM_INFINITY and soft <= cap:
                return False  # a tighter limit is already in force
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
            self.previous = (soft, hard)
            return True
        except (ImportError, OSError, ValueError):  # pragma: no cover - no resource module (Windows)
            return False

    def __exit__(self, *exc_info) -> None:
        if self.previous is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, self.previous)


def _address_space_bytes() -> int | None:
    """The process's current address space (``VmSize`` of ``/proc/self/status``), None where unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _with_alarm(task: RunTask) -> RunOutcome:
    import signal

    if not hasattr(signal, "setitimer"):  # pragma: no cover - Windows
        return _execute_run(task)
    limit = task.time_limit_seconds
    assert limit is not None  # execute() calls this only for a task with a time limit
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    outcome = _timeout_outcome(task)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, float(limit))
            outcome = _execute_run(task)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _RunTimeout:
        outcome = _timeout_outcome(task)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return outcome


def _with_thread_timer(task: RunTask) -> RunOutcome:
    """Run ``task`` in this (non-main) thread; a watcher thread raises :class:`_RunTimeout` in it at the limit.

    The stop is raised again every :data:`_RESTOP_SECONDS` until the run ends: a stop delivered
    while the thread runs a callback that swallows exceptions (a garbage-collector callback of
    ``distributed``) is not lost.
    """
    import ctypes
    import threading

    thread_id = threading.get_ident()
    lock = threading.Lock()
    finished = threading.Event()
    state = {"fired": False}
    limit = task.time_limit_seconds
    assert limit is not None  # execute() calls this only for a task with a time limit

    def watch() -> None:
        delay = float(limit)
        while not finished.wait(delay):
            with lock:
                if finished.is_set():
                    return
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(_RunTimeout))
            delay = _RESTOP_SECONDS

    watcher = threading.Thread(target=watch, name="ccplan-run-time-limit", daemon=True)
    outcome = _timeout_outcome(task)
    try:
        watcher.start()
        try:
            outcome = _execute_run(task)
        finally:
            with lock:
                finished.set()
    except _RunTimeout:
        outcome = _timeout_outcome(task)
    if state["fired"]:  # raised but maybe not delivered yet: clear it so it cannot hit the worker's next task
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
    return outcome


_RESTOP_SECONDS = 0.5
"""After the time limit, how often the stop is raised again in a run's thread until it ends (seconds)."""


def _execute_run(task: RunTask) -> RunOutcome:
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
        return RunOutcome(STATUS_OK, "", result.intervals, rows, _precision_reached(result.precision))
    except MemoryError:
        return _memory_outcome(task)
    except Exception as exc:  # noqa: BLE001 - a failed run is recorded, the sweep goes on
        return RunOutcome(STATUS_FAILED, describe(exc), None, [])


def _largest(values) -> float | None:
    finite = [float(v) for v in values if v == v]
    return max(finite) if finite else None


def _precision_reached(report) -> dict:
    """What a run's :class:`simulator.precision.PrecisionReport` reached, in the units of the runs table."""
    from simulator.kpis import ASA_SECONDS

    table = report.table
    shares = table[table["kpi"] != ASA_SECONDS]["half_width"]
    asa = table[table["kpi"] == ASA_SECONDS]["half_width"]
    share = _largest(shares)
    return {"replications": int(report.replications), "met": report.met,
            "share_half_width_points": None if share is None else share * 100.0,
            "asa_half_width_seconds": _largest(asa)}


# --------------------------------------------------------------------------- executors
OnDone = Callable[[int, RunOutcome], None]
"""Called in the sweep's process as ``on_done(run index, outcome)`` when a run finishes."""

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


def run_in_process(tasks: list[tuple[int, RunTask]], on_done: OnDone) -> None:
    """Run ``tasks`` one after the other in this process."""
    for index, task in tasks:
        on_done(index, execute(task))


_WORKER_DIED = ("the worker process running this run died (killed by the system, most often for lack of memory, "
                "or by a signal); the run is recorded as failed")


def _new_pool(workers: int, tasks: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=max(1, min(workers, tasks)), mp_context=context,
                               initializer=_die_with_parent, initargs=(os.getpid(),))


def run_in_processes(tasks: list[tuple[int, RunTask]], workers: int, on_done: OnDone) -> None:
    """Run ``tasks`` in a pool of worker processes that die with this process.

    When a worker dies (killed for memory, a signal), the pool breaks and every run it held fails
    with ``BrokenProcessPool``; those runs are retried one at a time in a fresh process, so the run
    that kills its worker again is recorded as failed with the cause, and the others finish.
    """
    suspects: list[tuple[int, RunTask]] = []
    by_index = dict(tasks)
    executor = _new_pool(workers, len(tasks))
    try:
        pending = {executor.submit(execute, task): index for index, task in tasks}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=pending.__getitem__):
                index = pending.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    suspects.append((index, by_index[index]))
                    continue
                except Exception as exc:  # noqa: BLE001 - a failed run is recorded, the sweep goes on
                    outcome = RunOutcome(STATUS_FAILED, describe(exc), None)
                on_done(index, outcome)
            if suspects and pending:  # the pool is broken: what is left goes to a fresh pool
                rest = [(pending[f], by_index[pending[f]]) for f in pending]
                executor.shutdown(wait=False, cancel_futures=True)
                executor = _new_pool(workers, len(rest))
                pending = {executor.submit(execute, task): index for index, task in rest}
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    for index, task in suspects:
        single = _new_pool(1, 1)
        try:
            outcome = single.submit(execute, task).result()
        except BrokenProcessPool:
            outcome = RunOutcome(STATUS_FAILED, _WORKER_DIED, None)
        except Exception as exc:  # noqa: BLE001
            outcome = RunOutcome(STATUS_FAILED, describe(exc), None)
        finally:
            single.shutdown(wait=True, cancel_futures=True)
        on_done(index, outcome)


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise CcplanError("running on a Dask cluster needs dask and distributed: pip install 'ccplan[dist]'") from None
    return distributed


def _lost_scheduler(exc: BaseException) -> CcplanError:
    return CcplanError(f"lost the Dask scheduler ({type(exc).__name__}: {str(exc)[:160]}); finished runs are kept, "
                       "run the same command to resume")


def dask_worker_memory_limit(memory_limit_mb: float | None) -> int:
    """Memory limit (bytes) of a worker of the ``LocalCluster`` ccplan starts; 0 for none.

    The per-run limit (:func:`run_memory_limit`, MB) plus :data:`DASK_WORKER_BASELINE_MB`: a
    worker runs one run at a time, so its limit bounds the run as the address-space cap does for
    a local process. Over it, Dask's nanny ends the worker and the run is recorded as failed.
    """
    if memory_limit_mb is None:
        return 0
    return int((float(memory_limit_mb) + DASK_WORKER_BASELINE_MB) * 2**20)


def _killed_message(memory_limit_bytes: int | None) -> str:
    """A failed run's error when Dask ended the worker running it."""
    if memory_limit_bytes:
        return (f"KilledWorker: the Dask worker running this run was ended, most often for going over its memory "
                f"limit of {memory_limit_bytes / 2**20:,.0f} MB ({ENV_RUN_MEMORY_LIMIT} plus "
                f"{DASK_WORKER_BASELINE_MB:g} MB for the worker itself); raise {ENV_RUN_MEMORY_LIMIT} or lower the "
                "run's size (intervals, volume, replications)")
    return ("KilledWorker: the Dask worker running this run was ended, most often for going over its memory limit "
            "(dask worker --memory-limit); give the workers more memory or lower the run's size "
            "(intervals, volume, replications)")


def run_on_local_dask(tasks: list[tuple[int, RunTask]], workers: int, on_done: OnDone,
                      memory_limit_mb: float | None) -> None:
    """Run ``tasks`` on a Dask ``LocalCluster`` started here and closed afterwards.

    ``workers`` worker processes of one thread each, each with the memory limit
    :func:`dask_worker_memory_limit` (``memory_limit_mb`` is the per-run limit; None: no limit).
    A worker ended for memory fails its run at once (``allowed-failures`` 0: the run is not
    retried on the next worker), recorded with the cause like a local run.

    Raises
    ------
    CcplanError
        dask is missing or the cluster cannot start.
    """
    distributed = _import_distributed()
    import dask

    limit = dask_worker_memory_limit(memory_limit_mb)
    quiet = _QuietDistributedLogs()
    quiet.__enter__()
    try:
        with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
            cluster = distributed.LocalCluster(n_workers=int(workers), threads_per_worker=1, processes=True,
                                               memory_limit=limit, dashboard_address=None)
    except (OSError, TimeoutError, ValueError) as exc:
        quiet.__exit__()
        raise CcplanError(f"cannot start a local Dask cluster: {str(exc)[:160]}") from None
    try:
        with distributed.Client(cluster, set_as_default=False) as client:
            run_on_dask(tasks, client, on_done, memory_limit_bytes=limit)
    finally:
        cluster.close()
        quiet.__exit__()


def run_on_dask(tasks: list[tuple[int, RunTask]], scheduler, on_done: OnDone, *,
                memory_limit_bytes: int | None = None) -> None:
    """Run ``tasks`` on a Dask cluster (an address, a ``distributed.Client`` or a cluster object).

    The workers keep their own memory limit (``dask worker --memory-limit``); a run whose worker
    is ended (for memory, most often) is recorded as failed with that cause.
    ``memory_limit_bytes``: the workers' limit when known (a cluster ccplan started), for the message.

    Raises
    ------
    CcplanError
        The scheduler cannot be reached or is lost, or the cluster has no worker for
        :data:`NO_WORKERS_TIMEOUT_SECONDS` (finished runs are kept either way).
    """
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
    quiet = _QuietDistributedLogs()
    quiet.__enter__()
    lost: type[BaseException] | None = None
    try:
        for index, task in tasks:
            futures[client.submit(execute, task, pure=False, key=f"ccplan-sweep-{index}-{os.urandom(6).hex()}")] = index
        _collect_dask(client, futures, on_done, _killed_message(memory_limit_bytes))
    except CcplanError:
        lost = CcplanError
        raise
    except (OSError, TimeoutError, distributed.TimeoutError) as exc:
        lost = type(exc)
        raise _lost_scheduler(exc) from None
    except Exception as exc:
        lost = type(exc)
        if type(exc).__module__.split(".")[0] in ("distributed", "tornado", "asyncio"):
            raise _lost_scheduler(exc) from None
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
        quiet.__exit__(lost)


class _QuietDistributedLogs:
    """While a sweep runs on Dask, the client's own log records (tracebacks when the scheduler goes away)
    are not printed: what went wrong is said once, by the sweep's error. After a lost scheduler they stay
    off (the client keeps trying to reconnect in the background until the process ends)."""

    _NAMES = ("distributed", "distributed.client", "distributed.core", "distributed.comm")

    def __enter__(self) -> None:
        import logging

        self.loggers = [logging.getLogger(name) for name in self._NAMES]
        self.levels = [logger.level for logger in self.loggers]
        for logger in self.loggers:
            logger.setLevel(logging.CRITICAL + 1)

    def __exit__(self, exc_type=None, *exc_info) -> None:
        if exc_type is not None:
            return
        for logger, level in zip(self.loggers, self.levels, strict=True):
            logger.setLevel(level)


def _scheduler_lost(client, exc: BaseException) -> bool:
    """Whether a future failed because the scheduler went away (not because its run failed)."""
    name = type(exc).__name__
    return "Cancelled" in name or name == "CommClosedError" or getattr(client, "status", "running") != "running"


def _collect_dask(client, futures: dict, on_done: OnDone, killed: str = "") -> None:
    """Hand finished futures to ``on_done`` in run order as they finish; watch that workers remain."""
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
        for future in sorted(done, key=futures.__getitem__):
            try:
                outcome = future.result()
            except BaseException as exc:  # noqa: BLE001 - a killed worker fails its run; a lost scheduler stops
                if _scheduler_lost(client, exc):
                    raise _lost_scheduler(exc) from None
                if not isinstance(exc, Exception):
                    raise
                outcome = RunOutcome(STATUS_FAILED, killed if type(exc).__name__ == "KilledWorker" and killed
                                     else describe(exc), None)
            on_done(futures[future], outcome)
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
