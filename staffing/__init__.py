"""Analytic staffing: exact queueing formulas and workload-based requirements.

All functions are pure and NumPy-vectorised (scalars or arrays broadcast together). Times are in
seconds unless a name says otherwise; traffic is in Erlangs (arrival rate x mean handle time).
"""

from ._validate import StaffingInputError
from .erlang import (
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    occupancy,
    service_level,
)
from .erlang_a import ErlangAResult, erlang_a, required_agents_erlang_a
from .sizing import required_agents, square_root_staffing

__all__ = [
    "StaffingInputError",
    "erlang_b",
    "erlang_c",
    "service_level",
    "average_speed_of_answer",
    "occupancy",
    "required_agents",
    "square_root_staffing",
    "erlang_a",
    "ErlangAResult",
    "required_agents_erlang_a",
]
