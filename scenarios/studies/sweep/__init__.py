"""Batch runs for researchers: one base scenario, many parameter values, one tidy table.

:func:`sweep` expands a sweep (:mod:`scenarios.document.sweep_file`) into runs. Each run is the base
scenario's document with the run's overrides, validated into a
:class:`~scenarios.document.scenario.Scenario`, compiled under the run's setup and simulated with
``simulate(model, replications, run_seed, workers=1)`` (or, under a precision target,
``simulate(model, None, run_seed, precision=target)``: replications in batches until the run's
headline KPIs are within the target or its ``max_replications`` is reached); its costs come from
:func:`scenarios.studies.costs.estimate_costs`. Runs execute in this process (``workers=1``), in local
worker processes (``workers=N``, a spawn-context ``ProcessPoolExecutor`` reused across runs) or on
a Dask distributed cluster (``scheduler="tcp://host:port"``, a ``distributed.Client`` or a
``LocalCluster``; dask is the optional extra ``ccplan[dist]``).

Modules: :mod:`.runs` (planning runs, digests, seeds, resume keys), :mod:`.execute` (one run
under its limits, local workers, Dask), :mod:`.store` (run files, tables, resume), :mod:`.api`
(:func:`sweep`, :class:`SweepResult`). Every public name is importable from this package.

Reproducibility
-------------------------------
A run is identified by its *digest*: SHA-256 of the canonical JSON (sorted keys, no spaces) of
``{"parameters": {path: value}, "setup": kind or null}`` (``as-given`` is null). Its seed is
``SeedSequence([sweep_seed, int(digest, 16)]).generate_state(2, uint32)`` joined into one 63-bit
integer, echoed in the ``run_seed`` column (``simulate(model, replications, run_seed)``
reproduces the run alone). With ``common_random_numbers: true`` every run uses the sweep seed
itself instead: the same customers in every run (the simulator keys its streams by channel name),
so differences between runs are sharper, at the price of runs that are not independent. Either
way, a run's results depend only on the base scenario, its own
parameters, the sweep seed and the run length (replications or precision target): not on the worker, the number or kind of
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
again resumes: runs whose file exists with the same *sweep key* (base scenario, replications or
precision target (half-widths and replication limits), seed, warm-up, and the contents of the CSV files the base scenario and the run's own parameter
values name) are not simulated again; failed runs are retried. The final tables are always
assembled from the run files.

Each run has a time limit (environment variable ``CCPLAN_RUN_TIME_LIMIT_SECONDS``, default 3600,
0 for none) in this process, in local workers and on Dask workers, and, in this process and in
local workers, a memory limit (``CCPLAN_RUN_MEMORY_LIMIT_MB``, default 8192 MB of address space
beyond what the process holds when the run starts, 0 for none); a run over either is recorded as
failed with the limit named.

Outputs (``OUT/``, each as Parquet and CSV)
-------------------------------------------
* ``intervals``: one row per run x replication x interval x channel: the run columns (``run``,
  ``run_id``, ``setup_kind``, one column per parameter path, ``run_seed``) then the simulator's
  interval KPIs (:mod:`simulator.kpis`). Successful runs only.
* ``summary``: one row per run x channel: run columns, ``replications``, ``status``, ``error``,
  ``channel``, then ``{kpi}_mean`` and ``{kpi}_ci95`` (95 % Student-t half-width over
  replications) for :data:`HEADLINE_KPIS` and :data:`COST_METRICS` (costs are the run's, over the
  horizon, repeated on each channel row). A failed run has one row, ``channel`` empty.
* ``runs``: one row per run: run columns, ``replications`` (used: the fixed count, or where the
  run stopped under a precision target, 0 for a failed run), ``precision_target`` (``met``,
  ``not met`` when the run stopped at ``max_replications``; empty for a fixed count),
  ``share_half_width_points`` and ``asa_half_width_seconds`` (the largest 95 % half-width the run
  reached on service level and abandon rate, resp. ASA, over its channels), ``status``, ``error``.
  The ``summary`` rows carry the same run columns.

The per-run seed does not depend on the run length: replication ``r`` of a run is the same
whether the run has a fixed count or a precision target, so a target only decides how many of
the same replications are used.
* ``sweep.json``: the sweep's name, seed, replications, sweep key, counts, the base scenario's
  canonical JSON and the ccplan version.

Parameter values that are not scalars (a per-interval list, a block) appear as canonical JSON
strings in the tables.
"""

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
from scenarios.studies.sweep.api import SweepResult, sweep
from scenarios.studies.sweep.execute import (
    COST_METRICS,
    DEFAULT_RUN_MEMORY_LIMIT_MB,
    DEFAULT_RUN_TIME_LIMIT_SECONDS,
    ENV_RUN_MEMORY_LIMIT,
    ENV_RUN_TIME_LIMIT,
    NO_WORKERS_TIMEOUT_SECONDS,
    run_memory_limit,
    run_time_limit,
)
from scenarios.studies.sweep.runs import SweepRun, plan_runs, run_digest, run_seed
from scenarios.studies.sweep.store import TABLES, read_table

__all__ = [
    "RUN", "RUN_ID", "SETUP_KIND", "RUN_SEED", "REPLICATIONS", "STATUS", "ERROR", "CHANNEL",
    "STATUS_OK", "STATUS_FAILED", "COST_METRICS", "TABLES",
    "SweepRun", "SweepResult", "sweep", "plan_runs", "run_digest", "run_seed", "read_table",
    "ENV_RUN_TIME_LIMIT", "DEFAULT_RUN_TIME_LIMIT_SECONDS", "ENV_RUN_MEMORY_LIMIT", "DEFAULT_RUN_MEMORY_LIMIT_MB",
    "NO_WORKERS_TIMEOUT_SECONDS", "run_time_limit", "run_memory_limit",
]
