"""A small progress bar on stderr for long runs (replications done, elapsed, remaining)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["ProgressBar", "progress_enabled"]


def progress_enabled(*, quiet: bool, json_output: bool, stdout: TextIO | None = None) -> bool:
    """Whether to draw progress: not under ``--quiet``, nor under ``--json`` when stdout is not a terminal."""
    stdout = sys.stdout if stdout is None else stdout
    if quiet:
        return False
    if json_output and not (hasattr(stdout, "isatty") and stdout.isatty()):
        return False
    return True


class ProgressBar:
    """Callable ``(done, total)`` drawing ``[#####-----] 5/10 replications | 2.0 s elapsed | ~2.0 s left``.

    Parameters
    ----------
    label : str
        What is counted (``"replications"``).
    stream : file, optional
        Where to draw (default ``sys.stderr``).
    enabled : bool
        Draw nothing when False.
    width : int
        Characters of the bar.
    """

    def __init__(self, label: str = "replications", *, stream: TextIO | None = None, enabled: bool = True,
                 width: int = 24) -> None:
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        self.enabled = enabled
        self.width = width
        self.started = time.perf_counter()
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.started
        remaining = elapsed / done * (total - done) if done else float("nan")
        filled = int(self.width * done / total) if total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} {self.label} | {elapsed:.1f} s elapsed | ~{remaining:.1f} s left ")
        self.stream.flush()
        self._drawn = True
        if done >= total:
            self.close()

    def close(self) -> None:
        """End the bar's line (once)."""
        if self.enabled and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
