"""Limits on the work one run may ask for, checked before it starts.

A scenario's fields each have a documented range (see the JSON Schema, ``ccplan schema``); this
module bounds what those ranges allow *together*: the contacts a simulation will generate
(expected contacts in the horizon x replications) and the size of a per-interval table
(intervals x channels). A run above a limit is refused with one line naming the limit, the
run's size and how to raise the limit deliberately.

Limits of the command line come from environment variables (the one mechanism, documented in the
README under "Limits"):

* ``CCPLAN_MAX_CONTACTS``: contacts x replications of one simulated run (default 50 000 000);
* ``CCPLAN_MAX_INTERVAL_CELLS``: intervals x channels of one scenario (default 2 000 000).

The dashboard runs with tighter limits (:data:`DASHBOARD_LIMITS`) through :func:`limits_in_force`,
the same check with another parameter.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scenarios.errors import CcplanError

if TYPE_CHECKING:
    from scenarios.document.scenario import Scenario

__all__ = [
    "RunLimits",
    "RunTooLarge",
    "DEFAULT_LIMITS",
    "DASHBOARD_LIMITS",
    "ENV_MAX_CONTACTS",
    "ENV_MAX_INTERVAL_CELLS",
    "current_limits",
    "limits_in_force",
    "check_run_size",
    "check_scenario_size",
    "expected_contacts",
]

EARLIEST_DATE = "1900-01-01"
"""Earliest timestamp of a history CSV, contact log, sessions file or interval report."""

LATEST_DATE = "2199-12-31"
"""Latest day of a history CSV, contact log, sessions file or interval report."""

ENV_MAX_CONTACTS = "CCPLAN_MAX_CONTACTS"
"""Environment variable raising (or lowering) the contacts x replications limit."""

ENV_MAX_INTERVAL_CELLS = "CCPLAN_MAX_INTERVAL_CELLS"
"""Environment variable raising (or lowering) the intervals x channels limit."""


class RunTooLarge(CcplanError):
    """A run would exceed a limit (the message names it and how to raise it)."""


@dataclass(frozen=True)
class RunLimits:
    """Most work one run may ask for.

    Attributes
    ----------
    max_contacts : float
        Expected contacts in the horizon (all channels) x replications.
    max_interval_cells : int
        Intervals x channels.
    how_to_raise : str
        What the message tells the user to do to go beyond.
    """

    max_contacts: float = 50_000_000
    max_interval_cells: int = 2_000_000
    how_to_raise: str = (f"set the environment variable {ENV_MAX_CONTACTS} (contacts) or "
                         f"{ENV_MAX_INTERVAL_CELLS} (intervals x channels) to raise it deliberately")

    @classmethod
    def from_environment(cls) -> RunLimits:
        """The command line's limits: the defaults, or the environment variables' values.

        Raises
        ------
        CcplanError
            A variable that is not a positive number.
        """
        base = cls()
        return cls(_env_number(ENV_MAX_CONTACTS, base.max_contacts),
                   int(_env_number(ENV_MAX_INTERVAL_CELLS, base.max_interval_cells)))


def _env_number(name: str, default: float) -> float:
    text = os.environ.get(name)
    if text is None or not text.strip():
        return default
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise CcplanError(f"environment variable {name} must be a number > 0, got {text[:40]!r}")
    return value


DEFAULT_LIMITS = RunLimits()
"""The command line's limits when no environment variable is set."""

DASHBOARD_LIMITS = RunLimits(
    max_contacts=2_000_000, max_interval_cells=20_000,
    how_to_raise="the dashboard keeps runs small; run larger scenarios with the ccplan command line")
"""The dashboard's tighter limits (a run answers in seconds to a minute on a small server)."""

_IN_FORCE: contextvars.ContextVar[RunLimits | None] = contextvars.ContextVar("ccplan_run_limits", default=None)


def current_limits() -> RunLimits:
    """The limits in force: those of :func:`limits_in_force`, else the environment's."""
    return _IN_FORCE.get() or RunLimits.from_environment()


@contextlib.contextmanager
def limits_in_force(limits: RunLimits) -> Iterator[RunLimits]:
    """Use ``limits`` for every run checked inside the ``with`` block (the dashboard's)."""
    token = _IN_FORCE.set(limits)
    try:
        yield limits
    finally:
        _IN_FORCE.reset(token)


def check_run_size(*, contacts: float, replications: int, intervals: int, channels: int,
                   what: str = "this run", limits: RunLimits | None = None) -> None:
    """Refuse a run whose expected size exceeds ``limits`` (default: :func:`current_limits`).

    Parameters
    ----------
    contacts : float
        Expected contacts in the horizon, all channels (one replication).
    replications : int
        Replications (1 for an analytic computation).
    intervals, channels : int
        The per-interval table's size.
    what : str
        The run, for the message.
    limits : RunLimits, optional

    Raises
    ------
    RunTooLarge
        One line: the size, the limit and how to raise it.
    """
    limits = limits or current_limits()
    cells = int(intervals) * int(channels)
    if cells > limits.max_interval_cells:
        raise RunTooLarge(f"{what} has {intervals:,} intervals x {channels} channel(s) = {cells:,} cells, above the "
                          f"limit of {limits.max_interval_cells:,}; {limits.how_to_raise}")
    work = float(contacts) * int(replications)
    if not work <= limits.max_contacts:
        raise RunTooLarge(f"{what} expects {contacts:,.0f} contacts x {replications} replication(s) = {work:,.0f} "
                          f"simulated contacts, above the limit of {limits.max_contacts:,.0f}; {limits.how_to_raise}")


def expected_contacts(scenario: Scenario) -> float:
    """Expected would-be contacts in a scenario's horizon, all channels (one replication)."""
    from scenarios.document.demand import resolve_arrivals

    return float(sum(resolve_arrivals(scenario, name).sum() for name in scenario.channels))


def check_scenario_size(scenario: Scenario, replications: int | None = None, *, limits: RunLimits | None = None,
                        what: str | None = None) -> None:
    """:func:`check_run_size` of a validated scenario (``replications``: default the scenario's).

    Raises
    ------
    RunTooLarge
        One line: the size, the limit and how to raise it.
    """
    name = scenario.name if len(scenario.name) <= 60 else scenario.name[:57] + "..."
    check_run_size(contacts=expected_contacts(scenario), replications=int(replications or scenario.replications),
                   intervals=scenario.intervals, channels=len(scenario.channels),
                   what=what or f"scenario {name!r}", limits=limits)
