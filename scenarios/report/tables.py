"""Column names of the tables ccplan writes (CSV, Parquet, JSON), defined once.

The sweep's tables (:mod:`scenarios.studies.sweep`): ``intervals`` (run x replication x interval
x channel), ``summary`` (run x channel) and ``runs`` (one row per run with its status).
"""

from __future__ import annotations

__all__ = ["RUN", "RUN_ID", "SETUP_KIND", "RUN_SEED", "REPLICATIONS", "STATUS", "ERROR", "CHANNEL", "STATUS_OK",
           "STATUS_FAILED"]

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
