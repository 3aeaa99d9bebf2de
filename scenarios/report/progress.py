"""A small progress bar on stderr for long runs (items done, elapsed, remaining), drawn only on a terminal.

The simulator reports progress after each replication and, within a replication, at each
interval boundary (``done`` is then a float: replications finished plus the simulated-time
fraction of the current one; see :func:`simulator.simulate`), so the bar advances during the
first replication too. Between reports the bar is redrawn once a second with the elapsed time
and the estimate of the time left (time per item so far x items left), counting down.

On a stream that is not a terminal (a file, a pipe, a CI log) nothing is drawn: no carriage
returns, no partial lines.
"""

from __future__ import annotations

import math
import sys
import threading
import time
from typing import TextIO

__all__ = ["ProgressBar", "progress_enabled", "is_terminal"]

TICK_SECONDS = 1.0
"""How often the bar is redrawn between reports (seconds)."""

MIN_REDRAW_SECONDS = 0.1
"""Progress within a replication (interval boundaries) redraws the bar at most this often (seconds)."""


def is_terminal(stream) -> bool:
    """Whether ``stream`` is an interactive terminal (``isatty()``; False when it cannot say)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def progress_enabled(*, quiet: bool, json_output: bool, stdout: TextIO | None = None) -> bool:
    """Whether to draw progress: not under ``--quiet``, nor under ``--json`` when stdout is not a terminal."""
    stdout = sys.stdout if stdout is None else stdout
    if quiet:
        return False
    if json_output and not is_terminal(stdout):
        return False
    return True


class ProgressBar:
    """Callable ``(done, total)`` drawing ``[#####-----] 5/10 replications | 2.0 s elapsed | ~2.0 s left``.

    ``done`` may be a float (a replication under way counts by its simulated-time fraction): the
    bar and the estimate advance with it, the count shows the replications finished.

    Nothing is drawn when the stream is not a terminal (a file, a pipe, a captured stream). Calling
    it with ``done = 0`` (or :meth:`start`) starts a ticker thread that redraws the elapsed time
    every :data:`TICK_SECONDS` until the last item or :meth:`close`.

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
        self.enabled = enabled and is_terminal(self.stream)
        self.width = width
        self.started = time.perf_counter()
        self._drawn = False
        self._drawn_at = -math.inf  # when progress within a replication was last drawn
        self._done: float = 0
        self._total = 0
        self._done_at = 0.0  # elapsed seconds when the last item finished
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def start(self, total: int) -> None:
        """Draw ``0/total`` and keep the elapsed time ticking until the first item is done."""
        self(0, total)

    def __call__(self, done: float, total: int) -> None:
        if not self.enabled:
            return
        if done >= total and (done, total) == (self._done, self._total):
            return  # the end, reported again (within the last replication, then after it): drawn once
        if done != int(done):  # within a replication: at most one redraw per MIN_REDRAW_SECONDS
            now = time.perf_counter()
            if now - self._drawn_at < MIN_REDRAW_SECONDS:
                return
            self._drawn_at = now
        with self._lock:
            if done != self._done or total != self._total:
                self._done_at = time.perf_counter() - self.started
            self._done, self._total = done, total
            self._draw()
        if done >= total:
            self.close()
        elif self._ticker is None or not self._ticker.is_alive():
            self._stop.clear()
            self._ticker = threading.Thread(target=self._tick, name="ccplan-progress", daemon=True)
            self._ticker.start()

    def line(self) -> str:
        """The bar's current text (without the carriage return)."""
        done, total = self._done, self._total
        elapsed = time.perf_counter() - self.started
        if done:
            remaining = f"~{max(0.0, self._done_at / done * total - elapsed):.1f} s left"
        else:
            remaining = f"first {self.label.rstrip('s')} running"
        filled = min(self.width, int(self.width * done / total)) if total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        return f"[{bar}] {int(done)}/{total} {self.label} | {elapsed:.1f} s elapsed | {remaining} "

    def _draw(self) -> None:
        self.stream.write("\r" + self.line())
        self.stream.flush()
        self._drawn = True

    def _tick(self) -> None:
        while not self._stop.wait(TICK_SECONDS):
            with self._lock:
                if self._stop.is_set():
                    return
                self._draw()

    def close(self) -> None:
        """Stop the ticker and end the bar's line (once)."""
        self._stop.set()
        with self._lock:
            if self.enabled and self._drawn:
                self.stream.write("\n")
                self.stream.flush()
                self._drawn = False
