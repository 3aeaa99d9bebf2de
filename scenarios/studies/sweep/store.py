"""A sweep's files: one Parquet file per finished run (resume), the assembled tables and ``sweep.json``."""

from __future__ import annotations

import functools
import json
import math
import os
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from scenarios.report.kpis import HEADLINE_KPIS
from scenarios.report.tables import (
    ASA_HALF_WIDTH_SECONDS,
    CHANNEL,
    ERROR,
    PRECISION_TARGET,
    REPLICATIONS,
    RUN,
    RUN_ID,
    RUN_SEED,
    SETUP_KIND,
    SHARE_HALF_WIDTH_POINTS,
    STATUS,
    STATUS_FAILED,
    STATUS_OK,
    TARGET_MET,
    TARGET_NOT_MET,
)
from scenarios.studies.sweep.execute import COST_METRICS, RunOutcome
from scenarios.studies.sweep.runs import FORMAT, SweepRun, canonical

__all__ = ["TABLES", "read_table", "run_table", "read_run_file", "atomic_write", "remove_stale_temporaries",
           "assemble", "write_tables", "write_json", "version"]

TABLES = ("intervals", "summary", "runs")
"""Tables written to the output folder, each as ``NAME.parquet`` and ``NAME.csv``."""

_METADATA_KEY = b"ccplan.sweep"


# --------------------------------------------------------------------------- run files
def run_table(run: SweepRun, outcome: RunOutcome, sweep_key: str, files_key: str | None = None) -> pa.Table:
    """The run's interval rows as an Arrow table, its summary, status and keys in the schema metadata."""
    frame = outcome.intervals if outcome.intervals is not None else pd.DataFrame()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = {
        "format": FORMAT, "sweep_key": sweep_key, "files_key": files_key, "digest": run.digest,
        "status": outcome.status, "error": outcome.error, "parameters": dict(run.parameters), "setup": run.setup,
        "seed": run.seed, "summary": outcome.summary, "precision": outcome.precision,
    }
    schema_meta = dict(table.schema.metadata or {})
    schema_meta[_METADATA_KEY] = json.dumps(meta, sort_keys=True).encode("utf-8")
    return table.replace_schema_metadata(schema_meta)


def run_meta(table: pa.Table) -> dict:
    """The metadata :func:`run_table` stored in ``table``."""
    return json.loads(table.schema.metadata[_METADATA_KEY])


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write`` on a temporary ``.NAME.PID.tmp`` beside ``path``, then rename it to ``path``."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(out_dir: Path) -> int:
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


def read_run_file(path: Path, sweep_key: str, seed: int, files_key: str | None = None) -> pa.Table | None:
    """The run file's table if it is a finished run of this sweep (same keys and seed), else None."""
    try:
        table = pq.read_table(path)
        meta = run_meta(table)
    except Exception:  # noqa: BLE001 - unreadable or foreign file: the run is redone
        return None
    if meta.get("format") != FORMAT or meta.get("sweep_key") != sweep_key or meta.get("seed") != seed \
            or meta.get("files_key") != files_key or meta.get("status") != STATUS_OK:
        return None
    return table


# --------------------------------------------------------------------------- tables
def _parameter_columns(runs: list[SweepRun], paths: list[str]) -> dict[str, list]:
    columns = {}
    for path in paths:
        values = [run.parameters[path] for run in runs]
        numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        strings = all(isinstance(v, str) for v in values)
        columns[path] = values if numeric or strings else [canonical(v) for v in values]
    return columns


def _precision_columns(replications: int | None, metas: list[dict]) -> dict[str, pd.Series]:
    """Per run: replications used, the precision verdict and the largest half-widths reached.

    A fixed count (``replications`` given) is every run's count, failed or not (also for run files
    written before the precision was recorded); under a precision target a run's own count (0 when
    it failed).
    """
    used, verdicts, shares, asa = [], [], [], []
    for meta in metas:
        reached = meta.get("precision") if meta.get("status") == STATUS_OK else None
        reached = reached or {}
        used.append(int(replications) if replications is not None else int(reached.get("replications") or 0))
        met = reached.get("met")
        verdicts.append("" if met is None else (TARGET_MET if met else TARGET_NOT_MET))
        shares.append(_float(reached.get("share_half_width_points")))
        asa.append(_float(reached.get("asa_half_width_seconds")))
    return {REPLICATIONS: pd.Series(used, dtype="int64"), PRECISION_TARGET: pd.Series(verdicts, dtype="str"),
            SHARE_HALF_WIDTH_POINTS: pd.Series(shares, dtype="float64"),
            ASA_HALF_WIDTH_SECONDS: pd.Series(asa, dtype="float64")}


def _run_frame(runs: list[SweepRun], paths: list[str], replications: int | None, metas: list[dict]) -> pd.DataFrame:
    return pd.DataFrame({
        RUN: pd.Series([r.index for r in runs], dtype="int64"),
        RUN_ID: pd.Series([r.run_id for r in runs], dtype="str"),
        SETUP_KIND: pd.Series([r.setup for r in runs], dtype="str"),
        **_parameter_columns(runs, paths),
        RUN_SEED: pd.Series([r.seed for r in runs], dtype="int64"),
        **_precision_columns(replications, metas),
        STATUS: pd.Series([meta["status"] for meta in metas], dtype="str"),
        ERROR: pd.Series([meta["error"] for meta in metas], dtype="str"),
    })


def _float(value) -> float:
    return math.nan if value is None else float(value)


def assemble(runs: list[SweepRun], paths: list[str], replications: int | None,
             tables: Mapping[int, pa.Table]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The ``intervals``, ``summary`` and ``runs`` tables from the run tables (by run index).

    ``replications`` is the fixed count per run, or None when the runs ran to a precision target
    (each run's count is then read from its file).
    """
    metas = {index: run_meta(table) for index, table in tables.items()}
    runs_frame = _run_frame(runs, paths, replications, [metas[r.index] for r in runs])
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


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as Parquet (no index)."""
    frame.to_parquet(path, index=False)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as CSV with Arrow's C++ writer (several times faster than pandas on the
    intervals table; floats keep their shortest round-trip form, so :func:`read_table` reads the
    same values as from Parquet)."""
    pa_csv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), str(path))


def write_tables(out_dir: Path, frames: Mapping[str, pd.DataFrame]) -> None:
    """Write each table of ``frames`` (name -> frame) as ``OUT/NAME.parquet`` and ``OUT/NAME.csv``."""
    for name, frame in frames.items():
        atomic_write(out_dir / f"{name}.parquet", functools.partial(_write_parquet, frame))
        atomic_write(out_dir / f"{name}.csv", functools.partial(_write_csv, frame))


def failed_count(runs_frame: pd.DataFrame) -> int:
    """How many runs of the ``runs`` table failed."""
    return int((runs_frame[STATUS] == STATUS_FAILED).sum())


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a sweep table written as ``.parquet`` or ``.csv`` with the same dtypes either way.

    CSV cells left empty (a successful run's ``error``, a failed run's ``channel``) read back as
    the empty string and NaN as in the Parquet file; ``run_id`` stays text.
    """
    path = Path(path)
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        for column in (ERROR, PRECISION_TARGET):
            if column in frame:
                frame[column] = frame[column].fillna("")
        return frame
    frame = pd.read_csv(path, dtype={RUN_ID: "str", SETUP_KIND: "str", STATUS: "str", ERROR: "str", CHANNEL: "str",
                                     PRECISION_TARGET: "str"}, keep_default_na=True)
    for column in (ERROR, PRECISION_TARGET):
        if column in frame:
            frame[column] = frame[column].fillna("")
    return frame


def version() -> str:
    """The installed ccplan version (``unknown`` from a source tree)."""
    try:
        return metadata.version("ccplan")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def write_json(path: Path, data: dict) -> None:
    """Write ``data`` as indented JSON, atomically."""
    atomic_write(path, lambda p: p.write_text(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n",
                                              encoding="utf-8"))
