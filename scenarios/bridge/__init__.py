"""How a scenario becomes engine input: setup effects, the simulation model, the analytic requirement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scenarios._lazy import lazy_exports

_EXPORTS = {
    "SetupEffects": "scenarios.bridge.effects",
    "setup_effects": "scenarios.bridge.effects",
    "resolve_setup": "scenarios.bridge.effects",
    "clip_to_seats": "scenarios.bridge.effects",
    "incident_mask": "scenarios.bridge.effects",
    "CompiledScenario": "scenarios.bridge.compile",
    "compile_scenario": "scenarios.bridge.compile",
    "compile_model": "scenarios.bridge.compile",
    "BURST_GROUP": "scenarios.bridge.compile",
    "scenario_requirements": "scenarios.bridge.requirements",
    "agent_workload": "scenarios.bridge.requirements",
    "channel_order": "scenarios.bridge.requirements",
    "compile_seasonal": "scenarios.bridge.seasonal",
}

if not TYPE_CHECKING:  # type checkers read the names from the eager imports below
    __all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # the same names, eagerly, for type checkers and IDEs
    from scenarios.bridge.compile import (  # noqa: F401
        BURST_GROUP,
        CompiledScenario,
        compile_model,
        compile_scenario,
    )
    from scenarios.bridge.effects import (  # noqa: F401
        SetupEffects,
        clip_to_seats,
        incident_mask,
        resolve_setup,
        setup_effects,
    )
    from scenarios.bridge.requirements import (  # noqa: F401
        agent_workload,
        channel_order,
        scenario_requirements,
    )
    from scenarios.bridge.seasonal import compile_seasonal  # noqa: F401
