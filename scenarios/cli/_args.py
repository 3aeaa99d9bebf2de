"""Argument types with documented ranges: every numeric ``ccplan`` flag is parsed by :func:`ranged`.

A value outside its range, not finite (``nan``, ``inf``) or not a number is a usage error:
one line naming the flag and the allowed range, exit status 2 (argparse prints
``argument --flag: must be ...``). :func:`range_text` writes the same range into the flag's help.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

__all__ = ["ranged", "range_text", "REPLICATIONS", "SEED", "WORKERS", "WARMUP_MINUTES"]


def range_text(low: float, high: float, *, integer: bool = False, low_open: bool = False, high_open: bool = False) -> str:
    """``"1..10000"`` for whole numbers, ``"(0, 86400]"`` for real numbers."""
    if integer:
        return f"{low:g}..{high:g}" if high < 1e15 else f">= {low:g}"
    return f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"


def ranged(low: float, high: float, *, integer: bool = False, low_open: bool = False,
           high_open: bool = False) -> Callable[[str], float]:
    """An argparse ``type`` accepting numbers in the range (whole numbers when ``integer``).

    Parameters
    ----------
    low, high : float
        Bounds of the range.
    integer : bool
        Whole numbers only (``2.5`` is refused; ``1e3`` is read as 1000).
    low_open, high_open : bool
        Exclude the bound itself.
    """
    allowed = range_text(low, high, integer=integer, low_open=low_open, high_open=high_open)
    kind = "a whole number" if integer else "a number"
    allowed = allowed if allowed.startswith(">=") else f"in {allowed}"

    def parse(text: str):
        try:
            value = float(text.strip().replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {kind} {allowed}, got {text[:40]!r}") from None
        bad = (not math.isfinite(value) or value < low or value > high
               or (low_open and value == low) or (high_open and value == high)
               or (integer and value != math.floor(value)))
        if bad:
            raise argparse.ArgumentTypeError(f"must be {kind} {allowed}, got {text[:40]!r}")
        return int(value) if integer else value

    parse.__name__ = "number"  # argparse names the type in some messages
    return parse


REPLICATIONS = ranged(1, 10_000, integer=True)
"""``--replications``: 1..10000."""

SEED = ranged(0, 2**63 - 1, integer=True)
"""``--seed``: a whole number >= 0."""

WORKERS = ranged(1, 256, integer=True)
"""``--workers``: 1..256."""

WARMUP_MINUTES = ranged(0, 1e7)
"""``--warmup-minutes``: [0, 1e7]."""
