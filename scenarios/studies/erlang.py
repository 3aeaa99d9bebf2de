"""One interval's staffing by Erlang C (and Erlang A with patience), with the metrics around it.

:func:`erlang_report` returns plain data (``ccplan erlang`` prints it as a table or JSON).
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from scenarios.errors import ScenarioError
from staffing import erlang as erl
from staffing._validate import StaffingWarning
from staffing.erlang_a import erlang_a, required_agents_erlang_a
from staffing.sizing import required_agents, square_root_staffing

__all__ = ["erlang_report"]


_ROWS_BELOW = 2  # rows shown below a requirement


_ROWS_ABOVE = 3  # rows shown above it


def erlang_report(
    calls: float,
    interval_minutes: float,
    aht_seconds: float,
    target_seconds: float,
    service_level_goal: float,
    patience_seconds: float | None = None,
    *,
    max_occupancy: float | None = None,
    max_abandon_rate: float | None = None,
    asa_goal_seconds: float | None = None,
) -> dict:
    """Requirements and a table of metrics at ``n - 2 .. n + 3`` agents (around each requirement).

    Parameters
    ----------
    calls : float
        Calls offered in the interval (>= 0).
    interval_minutes : float
        Interval length, minutes (> 0).
    aht_seconds, target_seconds : float
        Handle time and service-level target, seconds.
    service_level_goal : float
        Goal for the share answered within the target, in (0, 1).
    patience_seconds : float, optional
        Mean patience; adds the Erlang A requirement and columns.
    max_occupancy : float, optional
        Highest allowed occupancy, in (0, 1] (``--max-occupancy``); both requirements honour it.
    max_abandon_rate : float, optional
        Highest allowed share of callers abandoning, in (0, 1) (``--max-abandon``; needs a patience).
    asa_goal_seconds : float, optional
        Highest allowed average speed of answer, seconds (``--asa``; Erlang C: all calls,
        Erlang A: answered calls).

    Returns
    -------
    dict
        ``inputs``, ``traffic_erlangs``, ``required_agents`` (``erlang_c``,
        ``square_root_estimate``, ``square_root_agents`` and, with a patience, ``erlang_a``),
        ``rows`` (one dict per agent count; ``None`` for an infinite ASA) and ``warnings`` (the
        :class:`staffing.StaffingWarning` texts, e.g. high abandonment without ``--max-abandon``).
    """
    if not math.isfinite(interval_minutes) or interval_minutes <= 0:
        raise ScenarioError(f"--interval-minutes must be > 0, got {interval_minutes:g}")
    if not math.isfinite(calls) or calls < 0:
        raise ScenarioError(f"--calls must be a finite number >= 0, got {calls:g}")
    if patience_seconds is not None and not (patience_seconds > 0 and not math.isnan(patience_seconds)):
        raise ScenarioError(f"--patience must be > 0 seconds, got {patience_seconds:g}")
    if max_occupancy is not None and not (math.isfinite(max_occupancy) and 0 < max_occupancy <= 1):
        raise ScenarioError(f"--max-occupancy must be in (0, 1], got {max_occupancy:g}")
    if max_abandon_rate is not None:
        if patience_seconds is None:
            raise ScenarioError("--max-abandon needs --patience (abandonment is an Erlang A goal)")
        if not (math.isfinite(max_abandon_rate) and 0 < max_abandon_rate < 1):
            raise ScenarioError(f"--max-abandon must be in (0, 1), got {max_abandon_rate:g}")
    if asa_goal_seconds is not None and not (math.isfinite(asa_goal_seconds) and asa_goal_seconds > 0):
        raise ScenarioError(f"--asa must be a finite number of seconds > 0, got {asa_goal_seconds:g}")
    goals = {"max_occupancy": max_occupancy, "asa_goal_seconds": asa_goal_seconds}
    rate_per_hour = calls * 60.0 / interval_minutes
    traffic = rate_per_hour * aht_seconds / 3600.0 if aht_seconds > 0 else 0.0
    needed_c = int(required_agents(traffic, aht_seconds, target_seconds, service_level_goal, **goals))
    estimate = float(square_root_staffing(traffic, aht_seconds, target_seconds, service_level_goal))
    notes: list[str] = []
    needed = {"erlang_c": needed_c, "square_root_estimate": estimate, "square_root_agents": math.ceil(estimate - 1e-9)}
    centres = [needed_c]
    if patience_seconds is not None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", StaffingWarning)
            needed_a = int(required_agents_erlang_a(rate_per_hour, aht_seconds, patience_seconds, target_seconds,
                                                    service_level_goal, max_abandon_rate=max_abandon_rate, **goals))
        notes += [str(w.message) for w in caught if issubclass(w.category, StaffingWarning)]
        needed["erlang_a"] = needed_a
        centres.append(needed_a)
    agents = sorted({n for centre in centres for n in range(centre - _ROWS_BELOW, centre + _ROWS_ABOVE + 1) if n >= 1})
    staffing = np.asarray(agents, dtype=float)
    columns = {
        "agents": agents,
        "service_level": erl.service_level(traffic, staffing, aht_seconds, target_seconds),
        "asa_seconds": erl.average_speed_of_answer(traffic, staffing, aht_seconds),
        "p_wait": erl.erlang_c(traffic, staffing),
        "occupancy": erl.occupancy(traffic, staffing),
    }
    if patience_seconds is not None:
        result = erlang_a(rate_per_hour, aht_seconds, patience_seconds, staffing, target_seconds)
        columns |= {
            "service_level_erlang_a": result.service_level,
            "asa_seconds_erlang_a": result.asa_seconds,
            "p_wait_erlang_a": result.p_wait,
            "abandon_rate": result.p_abandon,
            "occupancy_erlang_a": result.occupancy,
        }
    rows = []
    for position, count in enumerate(agents):
        row: dict[str, float | int | None] = {"agents": count}
        for name, values in columns.items():
            if name == "agents":
                continue
            value = float(np.ravel(values)[position])
            row[name] = value if math.isfinite(value) else None
        rows.append(row)
    return {
        "inputs": {
            "calls": calls,
            "interval_minutes": interval_minutes,
            "aht_seconds": aht_seconds,
            "target_seconds": target_seconds,
            "service_level_goal": service_level_goal,
            "patience_seconds": patience_seconds,
            "max_occupancy": max_occupancy,
            "max_abandon_rate": max_abandon_rate,
            "asa_goal_seconds": asa_goal_seconds,
        },
        "arrival_rate_per_hour": rate_per_hour,
        "traffic_erlangs": traffic,
        "required_agents": needed,
        "rows": rows,
        "warnings": notes,
    }
