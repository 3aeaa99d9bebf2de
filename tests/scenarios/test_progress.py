"""The progress bar (:mod:`scenarios.report.progress`): drawn on a terminal only, ticking before the first item."""

import io
import time

from scenarios.report import progress as progress_module
from scenarios.report.progress import ProgressBar


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_nothing_is_drawn_on_a_stream_that_is_not_a_terminal():
    stream = io.StringIO()
    bar = ProgressBar("runs", stream=stream)
    bar.start(3)
    bar(1, 3)
    bar(3, 3)
    assert stream.getvalue() == ""


def test_on_a_terminal_the_bar_counts_estimates_and_ends_its_line():
    stream = Terminal()
    bar = ProgressBar("replications", stream=stream)
    bar(1, 4)
    bar(2, 4)
    bar(4, 4)
    text = stream.getvalue()
    assert "1/4 replications" in text and "2/4 replications" in text and "4/4 replications" in text
    assert "s left" in text and text.endswith("\n") and text.count("\n") == 1


def test_before_the_first_item_the_elapsed_time_ticks(monkeypatch):
    """A long first replication: the bar is redrawn with a growing elapsed time before any item finishes."""
    monkeypatch.setattr(progress_module, "TICK_SECONDS", 0.05)
    stream = Terminal()
    bar = ProgressBar("replications", stream=stream)
    bar.start(2)
    time.sleep(0.4)
    drawn = stream.getvalue().count("\r")
    bar.close()
    assert drawn >= 3  # the start and at least two ticks
    assert "0/2 replications" in stream.getvalue() and "first replication running" in stream.getvalue()
    after = stream.getvalue()
    time.sleep(0.2)
    assert stream.getvalue() == after  # closed: the ticker has stopped


def test_the_estimate_counts_down_between_items(monkeypatch):
    stream = Terminal()
    bar = ProgressBar("runs", stream=stream)
    clock = iter([0.0, 10.0, 10.0, 15.0])  # started, 1st done at 10 s, drawn at 10 s, redrawn at 15 s
    monkeypatch.setattr(progress_module.time, "perf_counter", lambda: next(clock))
    bar.started = 0.0
    next(clock)
    bar._done_at = 0.0
    bar._stop.set()  # no ticker thread in this test
    bar._ticker = type("Alive", (), {"is_alive": lambda self: True})()
    bar(1, 3)  # 10 s per run, 2 runs left: ~20 s left
    assert "~20.0 s left" in stream.getvalue()
    assert "~15.0 s left" in bar.line()  # 5 s later
