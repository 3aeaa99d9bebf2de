"""What runs the engines: one setup, comparisons, staffing plans, sweeps, seasonal plans, what-ifs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scenarios._lazy import lazy_exports

_EXPORTS = {
    "SetupRun": "scenarios.studies.run",
    "run_setup": "scenarios.studies.run",
    "COST_ITEMS": "scenarios.studies.costs",
    "CostBreakdown": "scenarios.studies.costs",
    "estimate_costs": "scenarios.studies.costs",
    "Comparison": "scenarios.studies.compare",
    "compare": "scenarios.studies.compare",
    "PlanResult": "scenarios.studies.plan",
    "plan_staffing": "scenarios.studies.plan",
    "default_plan_templates": "scenarios.studies.plan",
    "SweepResult": "scenarios.studies.sweep",
    "sweep": "scenarios.studies.sweep",
    "SeasonalReport": "scenarios.studies.seasonal",
    "run_seasonal": "scenarios.studies.seasonal",
}

if not TYPE_CHECKING:  # type checkers read the names from the eager imports below
    __all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # the same names, eagerly, for type checkers and IDEs
    from scenarios.studies.compare import Comparison, compare  # noqa: F401
    from scenarios.studies.costs import COST_ITEMS, CostBreakdown, estimate_costs  # noqa: F401
    from scenarios.studies.plan import PlanResult, default_plan_templates, plan_staffing  # noqa: F401
    from scenarios.studies.run import SetupRun, run_setup  # noqa: F401
    from scenarios.studies.seasonal import SeasonalReport, run_seasonal  # noqa: F401
    from scenarios.studies.sweep import SweepResult, sweep  # noqa: F401
