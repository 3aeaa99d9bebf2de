"""Planning a sweep's runs: digests, seeds and the keys that decide whether a finished run can be reused."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from scenarios.document.files import files_digest
from scenarios.document.setups import AS_GIVEN
from scenarios.document.sweep_file import SweepSpec
from scenarios.errors import ScenarioError

if TYPE_CHECKING:
    from simulator import PrecisionTarget

__all__ = ["SweepRun", "plan_runs", "run_digest", "run_seed", "sweep_key", "run_files_key", "resolve_seed",
           "canonical", "FORMAT"]

FORMAT = 1
"""Version of the run files and of the sweep key (a change makes earlier run files stale)."""

_FILE_KEYS = ("history_csv", "profile")
"""Scenario fields whose value may name a CSV file."""


def canonical(value: Any) -> str:
    """Canonical JSON of ``value`` (sorted keys, no spaces, no NaN)."""
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
    return hashlib.sha256(canonical(payload).encode("utf-8")).hexdigest()


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
    runs: list[SweepRun] = []
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


def _names_a_file(key: str, value: Any) -> bool:
    return key in _FILE_KEYS and isinstance(value, str) and value.lower().endswith(".csv")


def referenced_files(document: Any) -> list[str]:
    """Paths of the CSV files a scenario document (or a part of one) names (history CSVs, profile CSVs)."""
    found = []
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if _names_a_file(key, item):
                    found.append(item)
                else:
                    stack.append(item)
        elif isinstance(value, list | tuple):
            stack.extend(value)
    return found


def _digest_of_files(files: list[str], base_dir: str | Path) -> str | None:
    paths = [path if Path(path).is_absolute() else str(Path(base_dir) / path) for path in files]
    return files_digest(paths) if paths else None


def sweep_key(base_document: dict, replications: int | PrecisionTarget, seed: int, warmup_minutes: float | None,
              base_dir: str | Path = ".") -> str:
    """Digest of what makes runs comparable: the base scenario, the *contents* of the files it names, the run
    length (a fixed count, or a precision target: its half-widths and replication limits), seed, warm-up.

    A fixed count digests as the number itself (the key of a sweep written before precision targets
    existed is unchanged); a target as ``{"precision": PrecisionTarget.to_json_dict()}``, so a run
    made to another target, or to a fixed count, is not reused on resume.
    """
    # (simulator is not imported here: a sweep of fixed counts loads it only inside its runs)
    length = (int(replications) if isinstance(replications, int | np.integer)
              else {"precision": replications.to_json_dict()})
    payload = {"format": FORMAT, "base": base_document, "replications": length, "seed": seed,
               "warmup_minutes": warmup_minutes, "files": _digest_of_files(referenced_files(base_document), base_dir)}
    return hashlib.sha256(canonical(payload).encode("utf-8")).hexdigest()


def run_files_key(parameters: Mapping[str, Any], base_dir: str | Path = ".") -> str | None:
    """Digest of the contents of the files a run's *parameter values* name, or None when they name none.

    A value names a file when its path ends in ``history_csv`` or ``profile`` and it is a ``.csv``
    path, or when it is a block (a channel, the demand) holding such a field. Relative paths are
    taken from ``base_dir`` (the base scenario's folder), as the run itself reads them.
    """
    files = []
    for path, value in parameters.items():
        last = path.rsplit(".", 1)[-1]
        if _names_a_file(last, value):
            files.append(value)
        else:
            files.extend(referenced_files(value))
    return _digest_of_files(files, base_dir)


def resolve_seed(seed, spec_seed, base_seed, out: Path | None, base_key: str, resume: bool) -> tuple[int, bool]:
    """The sweep seed and whether it was drawn: the first given of ``seed``, the sweep file's and the base
    scenario's; else, when resuming, the drawn seed kept in ``OUT/sweep.json`` for the same base; else fresh entropy."""
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
    entropy = np.random.SeedSequence().entropy
    assert isinstance(entropy, int)  # a SeedSequence made without entropy draws a 128-bit int
    return int(entropy % (2**63)), True
