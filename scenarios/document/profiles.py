"""Intraday profiles: how a day's volume spreads over the clock.

A profile is a CSV with the columns ``time`` (``HH:MM``, equally spaced slots covering the day
from 00:00) and ``share`` (>= 0; normalised to sum to 1 when read); lines starting with ``#``
are comments. Bundled profiles (``scenarios/profiles/*.csv``, 15-minute slots) are named by
their file stem: see :data:`PROFILE_NAMES`. A scenario may also give the path of its own CSV.

Volume is taken to be uniform within a slot, so a profile resamples exactly to any interval
length: the share of ``[a, b)`` is ``F(b) - F(a)`` with ``F`` the piecewise-linear cumulative
share over the day.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from scenarios.document.csv_rows import field_count_error
from scenarios.document.fields import parse_clock
from scenarios.document.files import FileRoot, bounded_text, excerpt, resolve_file

__all__ = ["PROFILE_NAMES", "IntradayProfile", "load_profile", "bundled_profile_names"]

MINUTES_PER_DAY = 1440


def bundled_profile_names() -> tuple[str, ...]:
    """Names of the bundled profiles (file stems in ``scenarios/profiles/``), sorted."""
    folder = resources.files("scenarios") / "profiles"
    return tuple(sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".csv")))


PROFILE_NAMES = bundled_profile_names()
"""Bundled profiles: ``flat``, ``monday-peak``, ``retail-peak-day``, ``weekday``, ``weekend``."""


@dataclass(frozen=True, eq=False)
class IntradayProfile:
    """Share of a day's volume per clock slot.

    Attributes
    ----------
    name : str
        Bundled name or file path.
    slot_minutes : float
        Length of a slot (minutes); ``len(shares) * slot_minutes == 1440``.
    shares : numpy.ndarray
        Share per slot from 00:00, summing to 1 (read-only).
    """

    name: str
    slot_minutes: float
    shares: np.ndarray

    def cumulative(self, minutes: np.ndarray) -> np.ndarray:
        """Share of the day's volume before clock time ``minutes`` (any real; whole days add 1)."""
        minutes = np.asarray(minutes, dtype=float)
        days = np.floor(minutes / MINUTES_PER_DAY)
        within = minutes - days * MINUTES_PER_DAY
        knots = np.arange(self.shares.size + 1) * self.slot_minutes
        cumulative = np.concatenate([[0.0], np.cumsum(self.shares)])
        return days + np.interp(within, knots, cumulative)

    def shares_for(self, *, intervals: int, interval_minutes: float, start_minute: float = 0.0) -> np.ndarray:
        """Share of a day's volume falling in each interval of a horizon.

        Parameters
        ----------
        intervals : int
            Number of intervals in the horizon.
        interval_minutes : float
            Interval length (minutes).
        start_minute : float
            Clock time at which the horizon starts (minutes after midnight).

        Returns
        -------
        numpy.ndarray
            ``intervals`` shares; a horizon of exactly one day starting anywhere sums to 1.
        """
        edges = start_minute + np.arange(intervals + 1) * interval_minutes
        return np.diff(self.cumulative(edges))


def _cache_key(path: str) -> tuple:
    """Path plus size and modification time, so an edited file is read again."""
    try:
        stat = Path(path).stat()
    except OSError:
        return (0, 0)
    return (stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _read(path: str, name: str, stamp: tuple = ()) -> IntradayProfile:
    del stamp  # part of the cache key only
    shown = excerpt(name)
    shape = field_count_error(path, comment="#")
    if shape is not None:
        raise ValueError(f"profile {shown} is not a readable CSV: {shape}")
    try:
        frame = pd.read_csv(path, comment="#", skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"profile {shown} is not a readable CSV: {bounded_text(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 120)}") from None
    missing = {"time", "share"} - set(frame.columns)
    if missing:
        raise ValueError(f"profile {shown} needs the columns time and share, missing {sorted(missing)}")
    try:
        minutes = np.array([parse_clock(str(value)) for value in frame["time"]], dtype=float)
    except ValueError as exc:
        raise ValueError(f"profile {shown} column time {bounded_text(exc, 120)}") from None
    shares = pd.to_numeric(frame["share"], errors="coerce").to_numpy(dtype=float)
    if frame.empty or not np.isfinite(shares).all() or (shares < 0).any() or not 0 < shares.sum() < np.inf:
        raise ValueError(f"profile {shown} column share must hold numbers >= 0 (finite) with a positive sum")
    slot = MINUTES_PER_DAY / minutes.size
    expected = np.arange(minutes.size) * slot
    if not np.allclose(minutes, expected):
        raise ValueError(f"profile {shown} must list equally spaced slots from 00:00 covering the day "
                         f"({minutes.size} rows -> every {slot:g} minutes)")
    shares = shares / shares.sum()
    shares.setflags(write=False)
    return IntradayProfile(name, slot, shares)


def load_profile(name_or_path: str, *, base_dir: str | Path | None = None, name: str | None = None) -> IntradayProfile:
    """Load a bundled profile by name, or a profile CSV by path.

    Parameters
    ----------
    name_or_path : str
        A name of :data:`PROFILE_NAMES`, or a path ending in ``.csv`` (relative paths are taken
        from ``base_dir``, the scenario file's folder). Scenario files resolve their paths with
        :func:`scenarios.document.files.resolve_file` first.
    base_dir : str or pathlib.Path, optional
        Folder for relative paths (default: the current directory).
    name : str, optional
        The profile's name in messages (default ``name_or_path``).

    Raises
    ------
    ValueError
        Unknown name, missing file or malformed CSV (the message says which).
    """
    if name_or_path in PROFILE_NAMES:
        path = resources.files("scenarios") / "profiles" / f"{name_or_path}.csv"
        return _read(str(path), name_or_path)
    if not str(name_or_path).lower().endswith(".csv"):
        raise ValueError(f"must be a bundled profile ({', '.join(PROFILE_NAMES)}) or a .csv path, got {excerpt(name_or_path)}")
    path = resolve_file(str(name_or_path), FileRoot.local(base_dir or "."), what="profile file")
    return _read(str(path), str(name or name_or_path), _cache_key(str(path)))
