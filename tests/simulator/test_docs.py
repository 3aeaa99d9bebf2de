"""The examples in the simulator's docstrings run and print what they say."""

from __future__ import annotations

import doctest

import simulator


def test_package_docstring_example_runs():
    failures, attempted = doctest.testmod(simulator, verbose=False, report=True)
    assert attempted > 0
    assert failures == 0
