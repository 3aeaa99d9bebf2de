"""Interval-volume CSV files: one row per interval, one volume column per channel kind.

``interval_start`` (optional, ``HH:MM``) labels the rows and implies the interval length; the
volume columns are ``voice``, ``chat`` and ``email`` (contacts per interval, numbers >= 0).
Errors name the file, the line and the column.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

from scenarios.document.clock import MINUTES_PER_DAY, format_clock, parse_clock
from scenarios.document.csv_rows import field_count_error
from scenarios.errors import ScenarioError
from staffing import requirements as req

__all__ = ["INTERVAL_START_COLUMN", "ALLOWED_COLUMNS", "IntervalVolumes", "load_interval_volumes", "read_volume_csv",
           "read_volume_text"]


INTERVAL_START_COLUMN = "interval_start"


#: Columns a volume CSV may have.
ALLOWED_COLUMNS = (INTERVAL_START_COLUMN, *req.CHANNELS)






@dataclass(frozen=True)
class IntervalVolumes:
    """Per-interval volumes read from a file.

    Attributes
    ----------
    volumes : dict[str, numpy.ndarray]
        Channel -> contacts per interval (only the channels in the file).
    interval_starts : tuple[str, ...] or None
        ``HH:MM`` labels when the file has an ``interval_start`` column.
    interval_minutes : float or None
        Interval length implied by ``interval_start`` (None without it or with one row).
    source : str
        The file name, for messages.
    """

    volumes: dict[str, np.ndarray]
    interval_starts: tuple[str, ...] | None
    interval_minutes: float | None
    source: str


def load_interval_volumes(path: str | Path) -> IntervalVolumes:
    """Read per-interval volumes from ``path`` (a ``.csv`` file; other formats to follow).

    Raises
    ------
    ScenarioError
        The file cannot be read or is malformed; the message names the file, the column or
        row and the allowed values.
    """
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".txt"):
        raise ScenarioError(f"{path}: unsupported file type {path.suffix or '(none)'!r}; expected a .csv file of per-interval volumes")
    if not path.exists():
        raise FileNotFoundError(2, "No such file", str(path))
    if path.is_dir():
        raise ScenarioError(f"{path}: is a directory; expected a .csv file")
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as stream:
            return read_volume_csv(stream, source=str(path))
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: not a UTF-8 text file ({exc.reason} at byte {exc.start})") from exc
    except PermissionError as exc:
        raise ScenarioError(f"{path}: cannot be read ({exc.strerror})") from exc


def read_volume_csv(stream: TextIO, *, source: str) -> IntervalVolumes:
    """Parse and validate a volume CSV from an open text stream (see the module docstring)."""
    expected = f"expected a header row with {', '.join(ALLOWED_COLUMNS)} and one row per interval"
    text = io.StringIO(stream.read())
    shape = field_count_error(text)
    if shape is not None:
        raise ScenarioError(f"{source}: not a valid CSV file ({shape})")
    try:
        frame = pd.read_csv(text, dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.EmptyDataError as exc:
        raise ScenarioError(f"{source}: the file is empty; {expected}") from exc
    except (pd.errors.ParserError, ValueError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ScenarioError(f"{source}: not a valid CSV file ({detail})") from exc

    names = [str(column).strip().lower() for column in frame.columns]
    for name in names:  # pandas renames a repeated header "voice" to "voice.1"
        base, dot, suffix = name.rpartition(".")
        if dot and suffix.isdigit() and base in ALLOWED_COLUMNS and base in names:
            raise ScenarioError(f"{source}: column {base!r} appears more than once")
    unknown = [original for original, name in zip(frame.columns, names, strict=True) if name not in ALLOWED_COLUMNS]
    if unknown:
        raise ScenarioError(f"{source}: unknown column {str(unknown[0])!r}; allowed columns: {', '.join(ALLOWED_COLUMNS)}")
    if len(set(names)) != len(names):  # the same name in different case or spacing
        duplicate = next(name for name in names if names.count(name) > 1)
        raise ScenarioError(f"{source}: column {duplicate!r} appears more than once")
    frame.columns = names
    channels = [name for name in req.CHANNELS if name in names]
    if not channels:
        raise ScenarioError(f"{source}: no volume column; give at least one of {', '.join(req.CHANNELS)}")
    if frame.empty:
        raise ScenarioError(f"{source}: the file has a header but no interval rows; {expected}")

    volumes = {channel: _volume_column(frame[channel], channel, source) for channel in channels}
    starts, minutes = None, None
    if INTERVAL_START_COLUMN in names:
        starts, minutes = _interval_starts(frame[INTERVAL_START_COLUMN], source)
    return IntervalVolumes(volumes=volumes, interval_starts=starts, interval_minutes=minutes, source=source)


def _volume_column(column: pd.Series, channel: str, source: str) -> np.ndarray:
    values = np.empty(len(column))
    for position, text in enumerate(column.tolist()):
        line = position + 2  # the header is line 1
        text = str(text).strip()
        if not text:
            raise ScenarioError(f"{source}: line {line}, column {channel!r}: missing volume; allowed: a number >= 0")
        try:
            value = float(text)
        except ValueError:
            raise ScenarioError(f"{source}: line {line}, column {channel!r}: {text!r} is not a number; allowed: a number >= 0") from None
        if not math.isfinite(value) or value < 0:
            raise ScenarioError(f"{source}: line {line}, column {channel!r}: volume {text} is out of range; allowed: a finite number >= 0")
        values[position] = value
    return values


def _interval_starts(column: pd.Series, source: str) -> tuple[tuple[str, ...], float | None]:
    minutes_of_day = []
    labels = []
    for position, text in enumerate(column.tolist()):
        line = position + 2
        try:
            minute = parse_clock(str(text))
        except ValueError:
            minute = None
        if minute is None or minute >= MINUTES_PER_DAY:
            raise ScenarioError(f"{source}: line {line}, column 'interval_start': {str(text)!r} is not a time; allowed: HH:MM from 00:00 to 23:59")
        minutes_of_day.append(minute)
        labels.append(format_clock(minute))
    if len(minutes_of_day) < 2:
        return tuple(labels), None
    steps = [(after - before) % MINUTES_PER_DAY for before, after in zip(minutes_of_day, minutes_of_day[1:], strict=False)]
    if steps[0] == 0 or any(step != steps[0] for step in steps):
        bad = next(i for i, step in enumerate(steps) if step != steps[0] or step == 0)
        raise ScenarioError(
            f"{source}: line {bad + 3}, column 'interval_start': {labels[bad + 1]} after {labels[bad]} breaks the "
            f"spacing of {steps[0]} minutes; allowed: equally spaced, increasing times"
        )
    return tuple(labels), float(steps[0])


def read_volume_text(text: str, *, source: str) -> IntervalVolumes:
    """Parse volume CSV text (for bundled resources)."""
    return read_volume_csv(io.StringIO(text), source=source)
