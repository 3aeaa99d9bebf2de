"""Issue 14, sweep limits left over: a per-run memory limit, the time limit on Dask (thread) workers,
resume that sees files named by parameter values, and a lost Dask scheduler (kind: unit and end-to-end)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from scenarios.errors import CcplanError
from scenarios.report.tables import STATUS_FAILED, STATUS_OK
from scenarios.studies.sweep import ENV_RUN_MEMORY_LIMIT, ENV_RUN_TIME_LIMIT, sweep
from scenarios.studies.sweep.execute import RunTask, execute

ROOT = Path(__file__).resolve().parents[2]


def _base(intervals: int = 2, arrivals: float = 50) -> dict:
    return {"name": "x", "interval_minutes": 30, "intervals": intervals, "seed": 3, "replications": 2,
            "channels": {"voice": {"arrivals_per_interval": arrivals, "aht_seconds": 180, "patience_seconds": 120}},
            "staff": [{"name": "a", "channels": ["voice"], "agents": 10}]}


@pytest.mark.slow
def test_a_run_over_the_memory_limit_is_recorded_as_failed_with_the_limit_named(tmp_path):
    """1 MB of address space beyond what the process holds: the run cannot allocate its arrays. In a
    fresh process (``ccplan sweep``): a long-lived one may serve the run from memory it freed earlier."""
    spec = tmp_path / "sweep.yaml"
    spec.write_text(yaml.safe_dump({"base": _base(intervals=48, arrivals=400), "out": "out",
                                    "parameters": {"staff[0].agents": [60, 61]}}))
    command = [sys.executable, "-m", "scenarios.cli", "sweep", str(spec), "--quiet"]
    limited = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120,
                             env={**os.environ, ENV_RUN_MEMORY_LIMIT: "1"})
    assert limited.returncode == 1 and "2 of 2 runs failed" in limited.stderr, limited.stderr[-2000:]
    assert limited.stdout.count(f"memory limit of 1 MB per run (environment variable {ENV_RUN_MEMORY_LIMIT}") >= 1
    unlimited = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120,
                               env={**os.environ, ENV_RUN_MEMORY_LIMIT: "0"})
    assert unlimited.returncode == 0, unlimited.stderr[-2000:]


def test_the_memory_cap_stops_an_allocation_beyond_it_and_is_lifted_after_the_run():
    """The cap each run gets in its process (the sweep's own or a local worker's main thread):
    64 MB more than the process holds fails under a 1 MB cap and succeeds once the run is over.

    A whole run is not used here: the simulator's memory is flat and small, so whether a run
    needs address space beyond what a warm worker already reserved depends on the allocator.
    """
    code = (
        "from scenarios.studies.sweep.execute import _memory_cap\n"
        "with _memory_cap(1) as capped:\n"
        "    assert capped\n"
        "    try:\n"
        "        bytearray(64 * 2**20)\n"
        "    except MemoryError:\n"
        "        print('refused')\n"
        "bytearray(64 * 2**20)\n"
        "print('lifted')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["refused", "lifted"]


@pytest.mark.parametrize("value", ["-1", "lots", "inf"])
def test_a_bad_limit_in_the_environment_names_the_variable(monkeypatch, value):
    monkeypatch.setenv(ENV_RUN_MEMORY_LIMIT, value)
    with pytest.raises(CcplanError, match=ENV_RUN_MEMORY_LIMIT):
        sweep(base=_base(), parameters={"staff[0].agents": [10]})


def _task(intervals: int, time_limit: float | None) -> RunTask:
    return RunTask(_base(intervals=intervals, arrivals=400), str(ROOT), {}, "as-given", 2, 1, None, time_limit)


def test_the_time_limit_stops_a_run_outside_the_main_thread():
    """A Dask worker runs tasks in threads, where no timer signal can be used: the limit still holds."""
    outcome: list = []
    started = time.monotonic()
    worker = threading.Thread(target=lambda: outcome.append(execute(_task(480, 0.3))))
    worker.start()
    worker.join(60)
    assert time.monotonic() - started < 20  # the unlimited run takes far longer
    assert outcome[0].status == STATUS_FAILED and "time limit of 0.3 s per run" in outcome[0].error
    # the stop does not leak into the thread's next task
    again: list = []
    worker = threading.Thread(target=lambda: again.append(execute(_task(2, 30.0))))
    worker.start()
    worker.join(60)
    assert again[0].status == STATUS_OK, again[0].error


@pytest.mark.slow
def test_the_time_limit_holds_on_a_dask_cluster(monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv(ENV_RUN_TIME_LIMIT, "0.3")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0",
                                  silence_logs=50) as cluster:
        result = sweep(base=_base(intervals=480, arrivals=400), parameters={"staff[0].agents": [60, 61]},
                       scheduler=cluster)
    assert list(result.runs["status"]) == [STATUS_FAILED] * 2
    assert all("time limit of 0.3 s per run" in error for error in result.runs["error"])


def test_resume_sees_a_change_in_a_file_named_by_a_parameter_value(tmp_path):
    """The history CSV is a parameter: changing one of the two files reruns that run only."""
    for name, volume in (("h1.csv", 10), ("h2.csv", 20)):
        (tmp_path / name).write_text(f"timestamp,voice\n2026-01-05 08:00,{volume}\n2026-01-05 08:30,{volume}\n")
    base = _base()
    base["start_time"] = "08:00"
    base["channels"]["voice"] = {"history_csv": "h1.csv", "aht_seconds": 180, "patience_seconds": 120}
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(base))
    spec = tmp_path / "sweep.yaml"
    spec.write_text(yaml.safe_dump({"base": "base.yaml", "out": "out",
                                    "parameters": {"channels.voice.history_csv": ["h1.csv", "h2.csv"]}}))
    first = sweep(spec)
    assert (first.executed, first.resumed) == (2, 0) and list(first.runs["status"]) == [STATUS_OK] * 2
    assert (sweep(spec).executed, sweep(spec).resumed) == (0, 2)
    (tmp_path / "h2.csv").write_text("timestamp,voice\n2026-01-05 08:00,200\n2026-01-05 08:30,200\n")
    third = sweep(spec)
    assert (third.executed, third.resumed) == (1, 1)
    offered = third.summary.set_index("channels.voice.history_csv")["offered_mean"]
    assert offered["h2.csv"] > 5 * offered["h1.csv"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_a_lost_scheduler_is_one_line_and_a_failing_exit(tmp_path):
    """Kill the Dask scheduler mid-sweep: one line on stderr naming the lost scheduler, exit status non-zero."""
    pytest.importorskip("distributed")
    address = f"tcp://127.0.0.1:{_free_port()}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                  "--port", address.rsplit(":", 1)[1], "--dashboard-address", ":0"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
                               "--nworkers", "1", "--no-dashboard"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        base = _base(intervals=96, arrivals=400)
        base["replications"] = 5
        spec = tmp_path / "sweep.yaml"
        spec.write_text(yaml.safe_dump({"base": base, "out": "out", "parameters": {"staff[0].agents": list(range(60, 80))}}))
        process = subprocess.Popen([sys.executable, "-m", "scenarios.cli", "sweep", str(spec), "--scheduler", address,
                                    "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=env)
        runs = tmp_path / "out" / "runs"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not list(runs.glob("*.parquet")) and process.poll() is None:
            time.sleep(0.2)
        assert process.poll() is None, process.communicate()
        scheduler.kill()
        _, err = process.communicate(timeout=120)
        assert process.returncode != 0
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Dask scheduler" in lines[0] and "resume" in lines[0], err[-2000:]
        assert "Traceback" not in err
    finally:
        for child in (worker, scheduler):
            child.kill()
            child.wait(timeout=30)


@pytest.mark.slow
def test_a_local_dask_cluster_gets_the_memory_limit_and_records_a_killed_run(monkeypatch):
    """``scheduler="local"``: ccplan starts a ``LocalCluster`` whose workers are limited to the per-run
    limit plus the worker allowance. With both at (almost) nothing, Dask's nanny ends the worker as
    soon as it runs: the runs fail with the cause and the limit named, and the sweep returns (no hang,
    no retry on the next worker). With the limit off (0), the same sweep succeeds: the failure was the limit."""
    pytest.importorskip("distributed")
    from scenarios.studies.sweep import execute as execute_module

    assert execute_module.dask_worker_memory_limit(None) == 0
    assert execute_module.dask_worker_memory_limit(100) == int((100 + execute_module.DASK_WORKER_BASELINE_MB) * 2**20)
    monkeypatch.setattr(execute_module, "DASK_WORKER_BASELINE_MB", 0.0)
    data = {"base": _base(intervals=8, arrivals=100), "parameters": {"staff[0].agents": [10, 11]}}
    monkeypatch.setenv(ENV_RUN_MEMORY_LIMIT, "1")
    limited = sweep(data, scheduler="local", workers=1)
    assert list(limited.runs["status"]) == [STATUS_FAILED, STATUS_FAILED]
    for error in limited.runs["error"]:
        assert error.startswith("KilledWorker") and "memory limit of 1 MB" in error and ENV_RUN_MEMORY_LIMIT in error
    monkeypatch.setenv(ENV_RUN_MEMORY_LIMIT, "0")
    unlimited = sweep(data, scheduler="local", workers=1)
    assert list(unlimited.runs["status"]) == [STATUS_OK, STATUS_OK]


def test_a_memory_error_on_a_dask_worker_thread_is_recorded_with_the_cause(monkeypatch):
    """Outside the main thread (a Dask worker's task thread) no address-space cap is set; a run that
    still hits MemoryError is recorded as failed with the cause, not a bare exception."""
    from scenarios.studies.sweep import execute as execute_module

    monkeypatch.setattr(execute_module, "_execute_run", lambda task: execute_module.RunOutcome(
        STATUS_FAILED, execute_module.describe(MemoryError()), None))
    outcome: list = []
    thread = threading.Thread(target=lambda: outcome.append(execute(_task(2, None))))
    thread.start()
    thread.join(60)
    assert outcome[0].status == STATUS_FAILED
    assert outcome[0].error.startswith("MemoryError: the run needs more memory than the worker has")
