"""Analytic staffing: exact queueing formulas and workload-based requirements.

All functions are pure and NumPy-vectorised (scalars or arrays broadcast together). Times are in
seconds unless a name says otherwise; traffic is in Erlangs (arrival rate x mean handle time).

Supported ranges of the queueing formulas: offered load ``0 <= traffic <= 1e7`` Erlangs
(:data:`MAX_TRAFFIC_ERLANGS`), whole agents ``0 <= agents <= 1e9`` (:data:`MAX_AGENTS`), Erlang A
patience ``0 < patience <= 1e12 x AHT`` (:data:`MAX_PATIENCE_RATIO`) or ``inf``. Anything else, and
strings, booleans, NaN and (unless documented) infinities, is refused with
:class:`StaffingInputError` naming the argument and the allowed range.

The public names are loaded on first use (PEP 562), so ``import staffing`` followed by an Erlang
formula imports neither pandas nor ``scipy.stats`` / ``scipy.optimize`` nor statsmodels.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

#: Public name -> submodule defining it.
_SOURCES: dict[str, str] = {
    "StaffingInputError": "_validate",
    "StaffingWarning": "_validate",
    "MAX_TRAFFIC_ERLANGS": "_validate",
    "MAX_AGENTS": "_validate",
    "MAX_PATIENCE_RATIO": "_validate",
    "erlang_b": "erlang",
    "erlang_c": "erlang",
    "service_level": "erlang",
    "average_speed_of_answer": "erlang",
    "occupancy": "erlang",
    "required_agents": "sizing",
    "square_root_staffing": "sizing",
    "erlang_a": "erlang_a",
    "ErlangAResult": "erlang_a",
    "required_agents_erlang_a": "erlang_a",
    "HIGH_ABANDON_THRESHOLD": "erlang_a",
    "CHAT_METHODS": "chat",
    "DEFAULT_CONCURRENCY_STRETCH": "chat",
    "ChatResult": "chat",
    "chat_handle_time": "chat",
    "chat_metrics": "chat",
    "chat_required_agents": "chat",
    "DeferredResult": "deferred",
    "deferred_requirements": "deferred",
    "evaluate_deferred": "deferred",
    "deadline_offset_intervals": "deferred",
    "SHRINKAGE_METHODS": "shrinkage",
    "Shrinkage": "shrinkage",
    "total_shrinkage": "shrinkage",
    "scheduled_agents": "shrinkage",
    "full_time_equivalents": "shrinkage",
    "CHANNELS": "requirements",
    "REQUIREMENT_COLUMNS": "requirements",
    "VoiceSettings": "requirements",
    "ChatSettings": "requirements",
    "EmailSettings": "requirements",
    "interval_requirements": "requirements",
    "ShiftTemplate": "scheduling",
    "ScheduleResult": "scheduling",
    "shift_templates": "scheduling",
    "start_times": "scheduling",
    "schedule_shifts": "scheduling",
    "schedule_groups": "scheduling",
    "FORECAST_METHODS": "forecast",
    "Forecast": "forecast",
    "seasonal_forecast": "forecast",
    "Workforce": "seasonal",
    "CapacityOptions": "seasonal",
    "CapacityPlan": "seasonal",
    "CapacityComparison": "seasonal",
    "required_fte": "seasonal",
    "evaluate_capacity_plan": "seasonal",
    "plan_capacity": "seasonal",
    "compare_capacity_options": "seasonal",
}

__all__ = [
    "StaffingInputError",
    "StaffingWarning",
    "MAX_TRAFFIC_ERLANGS",
    "MAX_AGENTS",
    "MAX_PATIENCE_RATIO",
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
    "HIGH_ABANDON_THRESHOLD",
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
    "schedule_groups",
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

if TYPE_CHECKING:
    from ._validate import (
        MAX_AGENTS,
        MAX_PATIENCE_RATIO,
        MAX_TRAFFIC_ERLANGS,
        StaffingInputError,
        StaffingWarning,
    )
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
    from .erlang_a import (
        HIGH_ABANDON_THRESHOLD,
        ErlangAResult,
        erlang_a,
        required_agents_erlang_a,
    )
    from .forecast import (
        FORECAST_METHODS,
        Forecast,
        seasonal_forecast,
    )
    from .requirements import (
        CHANNELS,
        REQUIREMENT_COLUMNS,
        ChatSettings,
        EmailSettings,
        VoiceSettings,
        interval_requirements,
    )
    from .scheduling import (
        ScheduleResult,
        ShiftTemplate,
        schedule_groups,
        schedule_shifts,
        shift_templates,
        start_times,
    )
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
    from .sizing import (
        required_agents,
        square_root_staffing,
    )


def __getattr__(name: str) -> Any:
    """Import the submodule defining ``name`` on first access (PEP 562)."""
    module = _SOURCES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """The package module: a submodule import must not shadow the public function of that name.

    ``staffing.erlang_a`` is both a submodule and its main function; the import system binds the
    submodule on the package when it is first imported (by anyone), which would hide the
    function. The function wins, as it did when every name was imported eagerly.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and name in _SOURCES:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
