"""Clock times: the one place ccplan parses ``"HH:MM"`` and formats minutes and interval labels.

Every clock time a user writes or reads (scenario files, interval-volume CSVs, tables, charts,
error messages) goes through these functions, so a time is written the same way everywhere.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["MINUTES_PER_DAY", "parse_clock", "format_clock", "interval_label", "interval_labels"]

MINUTES_PER_DAY = 1440
"""Minutes in a calendar day."""

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def parse_clock(value: Any) -> int:
    """``"HH:MM"`` -> minutes after midnight (0..1440).

    A whole number 0..1440 is taken as minutes after midnight (the Python form of a validated
    value, and what YAML 1.1 makes of an unquoted ``10:00``; :mod:`scenarios.document.loader` reads such
    times as text anyway).
    """
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1440:
        return value
    if not isinstance(value, str):
        raise ValueError(f"must be a clock time 'HH:MM', got {value!r}")
    match = _CLOCK.match(value)
    if not match:
        raise ValueError(f"must be a clock time 'HH:MM', got {value!r}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    total = hours * 60 + minutes
    if minutes >= 60 or total > 1440:
        raise ValueError(f"must be a clock time between 00:00 and 24:00, got {value!r}")
    return total


def format_clock(minutes: float) -> str:
    """Minutes after midnight -> ``"HH:MM"``."""
    minutes = int(round(minutes))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def interval_label(minute: float) -> str:
    """Label of an interval starting ``minute`` minutes after the first midnight.

    ``"HH:MM"``, with a day offset ``+Nd`` after each midnight (``"00:30+1d"``). The minute is
    rounded to the nearest whole minute first (so 7.999999 min labels as 00:08).
    """
    whole = int(round(minute))
    day, clock = divmod(whole, MINUTES_PER_DAY)
    return format_clock(clock) + (f"+{day}d" if day else "")


def interval_labels(start_minute: float, interval_minutes: float, count: int) -> list[str]:
    """Labels (:func:`interval_label`) of ``count`` intervals of ``interval_minutes`` from ``start_minute``."""
    return [interval_label(start_minute + i * interval_minutes) for i in range(count)]

