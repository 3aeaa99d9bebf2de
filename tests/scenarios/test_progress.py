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


def test_the_bar_advances_within_a_replication():
    """``done`` as a float (a replication under way): the bar fills, the count shows finished replications only."""
    stream = Terminal()
    bar = ProgressBar("replications", stream=stream, width=20)
    bar.start(2)
    bar(0.5, 2)
    assert "[#####---------------] 0/2 replications" in stream.getvalue()
    assert "s left" in bar.line() and "first replication running" not in bar.line()
    bar(1.0, 2)
    bar(1, 2)
    bar(2.0, 2)  # the end within the last replication, then reported again after it: one final line
    bar(2, 2)
    assert stream.getvalue().count("2/2 replications") == 1 and stream.getvalue().endswith("\n")


def test_a_simulation_reports_progress_within_each_replication(write_file, minimal_yaml):
    """Through the scenario layer: ``run_setup`` calls ``progress`` at interval boundaries (floats) and after each replication."""
    from scenarios.document.loader import load_scenario
    from scenarios.document.setups import AS_GIVEN
    from scenarios.studies.run import run_setup

    calls: list[tuple[float, int]] = []
    scenario = load_scenario(write_file("single.yaml", minimal_yaml))
    run_setup(scenario, AS_GIVEN, 2, 1, progress=lambda done, total: calls.append((done, total)))
    fractions = [done for done, _ in calls if done != int(done)]
    assert fractions and all(0 < f < 2 for f in fractions)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1] == (2, 2)


def test_the_cli_draws_no_bar_when_stderr_is_a_pipe(write_file, minimal_yaml):
    """A real process with stderr on a pipe (not a terminal): no carriage return, no bar, nothing at all."""
    import subprocess
    import sys

    path = write_file("single.yaml", minimal_yaml)
    done = subprocess.run([sys.executable, "-m", "scenarios.cli", "simulate", path, "--replications", "2", "--seed", "1"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "\r" not in done.stdout and "[#" not in done.stdout


def test_progress_within_a_replication_is_drawn_a_few_times_a_second_at_most():
    """Many interval boundaries in a short time redraw once; the end of a replication is always drawn."""
    stream = Terminal()
    bar = ProgressBar("replications", stream=stream)
    for k in range(1, 50):
        bar(k / 50, 2)
    assert stream.getvalue().count("\r") == 1
    bar(1, 2)
    assert stream.getvalue().count("\r") == 2 and "1/2 replications" in stream.getvalue()
    bar.close()
