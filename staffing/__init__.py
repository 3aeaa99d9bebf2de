"""Analytic staffing: exact queueing formulas and workload-based requirements.

All functions are pure and NumPy-vectorised (scalars or arrays broadcast together). Times are in
seconds unless a name says otherwise; traffic is in Erlangs (arrival rate x mean handle time).
"""

from ._validate import StaffingInputError
from .chat import (
    CHAT_METHODS,
    DEFAULT_CONCURRENCY_STRETCH,
    ChatResult,
    chat_handle_time,
    chat_metrics,
    chat_required_agents,
)
from .deferred import (
    DeferredResult,
    deadline_offset_intervals,
    deferred_requirements,
    evaluate_deferred,
)
from .erlang import (
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    occupancy,
    service_level,
)
from .erlang_a import ErlangAResult, erlang_a, required_agents_erlang_a
from .forecast import FORECAST_METHODS, Forecast, seasonal_forecast
from .requirements import (
    CHANNELS,
    REQUIREMENT_COLUMNS,
    ChatSettings,
    EmailSettings,
    VoiceSettings,
    interval_requirements,
)
from .scheduling import ScheduleResult, ShiftTemplate, schedule_shifts, shift_templates, start_times
from .seasonal import (
    CapacityComparison,
    CapacityOptions,
    CapacityPlan,
    Workforce,
    compare_capacity_options,
    evaluate_capacity_plan,
    plan_capacity,
    required_fte,
)
from .shrinkage import (
    SHRINKAGE_METHODS,
    Shrinkage,
    full_time_equivalents,
    scheduled_agents,
    total_shrinkage,
)
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
    "CHAT_METHODS",
    "DEFAULT_CONCURRENCY_STRETCH",
    "ChatResult",
    "chat_handle_time",
    "chat_metrics",
    "chat_required_agents",
    "DeferredResult",
    "deferred_requirements",
    "evaluate_deferred",
    "deadline_offset_intervals",
    "SHRINKAGE_METHODS",
    "Shrinkage",
    "total_shrinkage",
    "scheduled_agents",
    "full_time_equivalents",
    "CHANNELS",
    "REQUIREMENT_COLUMNS",
    "VoiceSettings",
    "ChatSettings",
    "EmailSettings",
    "interval_requirements",
    "ShiftTemplate",
    "ScheduleResult",
    "shift_templates",
    "start_times",
    "schedule_shifts",
    "FORECAST_METHODS",
    "Forecast",
    "seasonal_forecast",
    "Workforce",
    "CapacityOptions",
    "CapacityPlan",
    "CapacityComparison",
    "required_fte",
    "evaluate_capacity_plan",
    "plan_capacity",
    "compare_capacity_options",
]
