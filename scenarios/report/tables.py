"""Column names of the tables ccplan writes (CSV, Parquet, JSON), defined once.

The sweep's tables (:mod:`scenarios.studies.sweep`): ``intervals`` (run x replication x interval
x channel), ``summary`` (run x channel) and ``runs`` (one row per run with its status).
"""

from __future__ import annotations

__all__ = ["RUN", "RUN_ID", "SETUP_KIND", "RUN_SEED", "REPLICATIONS", "STATUS", "ERROR", "CHANNEL", "STATUS_OK",
           "STATUS_FAILED", "PRECISION_TARGET", "SHARE_HALF_WIDTH_POINTS", "ASA_HALF_WIDTH_SECONDS", "TARGET_MET",
           "TARGET_NOT_MET"]

RUN = "run"
RUN_ID = "run_id"
SETUP_KIND = "setup_kind"
RUN_SEED = "run_seed"
REPLICATIONS = "replications"
STATUS = "status"
ERROR = "error"
CHANNEL = "channel"
STATUS_OK = "ok"
STATUS_FAILED = "failed"
PRECISION_TARGET = "precision_target"
"""A run's precision verdict: ``met``, ``not met`` (stopped at max_replications), empty for a fixed count or a failed run."""
TARGET_MET = "met"
TARGET_NOT_MET = "not met"
SHARE_HALF_WIDTH_POINTS = "share_half_width_points"
"""The largest 95 % half-width a run reached on service level and abandon rate over its channels (percentage points)."""
ASA_HALF_WIDTH_SECONDS = "asa_half_width_seconds"
"""The largest 95 % half-width a run reached on ASA over its real-time channels (seconds)."""
