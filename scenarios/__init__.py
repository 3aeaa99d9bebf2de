"""Scenario files, setups and studies (compare, plan, sweep, seasonal) and the ``ccplan`` CLI.

The pipeline, one sub-package per step (see ``docs/architecture.md``):

* :mod:`scenarios.document` -- files in, validated :class:`Scenario` objects (:func:`load_scenario`);
* :mod:`scenarios.bridge` -- a scenario under a setup becomes engine input (:func:`compile_scenario`,
  :func:`scenario_requirements`; setup effects in one place);
* :mod:`scenarios.studies` -- runs of the engines (:func:`run_setup`, :func:`compare`,
  :func:`plan_staffing`, :func:`sweep`, :func:`run_seasonal`);
* :mod:`scenarios.report` -- KPI names, confidence intervals, tables, text and charts;
* :mod:`scenarios.cli` -- the ``ccplan`` command line.

Names load on first use, so ``import scenarios`` is instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scenarios._lazy import lazy_exports

_EXPORTS = {
    "CcplanError": "scenarios.errors",
    "InputError": "scenarios.errors",
    "ScenarioError": "scenarios.errors",
    "Scenario": "scenarios.document.scenario",
    "Channel": "scenarios.document.scenario",
    "StaffGroup": "scenarios.document.scenario",
    "Segment": "scenarios.document.scenario",
    "SegmentedDemand": "scenarios.document.scenario",
    "scenario_json_schema": "scenarios.document.scenario",
    "load_scenario": "scenarios.document.loader",
    "parse_scenario": "scenarios.document.loader",
    "PROFILE_NAMES": "scenarios.document.profiles",
    "IntradayProfile": "scenarios.document.profiles",
    "load_profile": "scenarios.document.profiles",
    "format_clock": "scenarios.document.clock",
    "parse_clock": "scenarios.document.clock",
    "SETUP_KINDS": "scenarios.document.setups",
    "AS_GIVEN": "scenarios.document.setups",
    "SETUP_CHOICES": "scenarios.document.setups",
    "Setup": "scenarios.document.setups",
    "InHouseSetup": "scenarios.document.setups",
    "VirtualSetup": "scenarios.document.setups",
    "CloudSetup": "scenarios.document.setups",
    "BurstPolicy": "scenarios.document.setups",
    "NotificationPolicy": "scenarios.document.setups",
    "Incident": "scenarios.document.setups",
    "CallbackPolicy": "scenarios.document.setups",
    "default_setup": "scenarios.document.setups",
    "CostModel": "scenarios.document.prices",
    "SweepFile": "scenarios.document.sweep_file",
    "SweepSpec": "scenarios.document.sweep_file",
    "load_sweep": "scenarios.document.sweep_file",
    "parse_sweep": "scenarios.document.sweep_file",
    "SetupEffects": "scenarios.bridge.effects",
    "setup_effects": "scenarios.bridge.effects",
    "CompiledScenario": "scenarios.bridge.compile",
    "compile_scenario": "scenarios.bridge.compile",
    "compile_model": "scenarios.bridge.compile",
    "scenario_requirements": "scenarios.bridge.requirements",
    "agent_workload": "scenarios.bridge.requirements",
    "channel_order": "scenarios.bridge.requirements",
    "interval_labels": "scenarios.bridge.requirements",
    "compile_seasonal": "scenarios.bridge.seasonal",
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

__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # the same names, eagerly, for type checkers and IDEs
    from scenarios.bridge.compile import CompiledScenario, compile_model, compile_scenario  # noqa: F401
    from scenarios.bridge.effects import SetupEffects, setup_effects  # noqa: F401
    from scenarios.bridge.requirements import (  # noqa: F401
        agent_workload,
        channel_order,
        interval_labels,
        scenario_requirements,
    )
    from scenarios.bridge.seasonal import compile_seasonal  # noqa: F401
    from scenarios.document.clock import format_clock, parse_clock  # noqa: F401
    from scenarios.document.loader import load_scenario, parse_scenario  # noqa: F401
    from scenarios.document.prices import CostModel  # noqa: F401
    from scenarios.document.profiles import PROFILE_NAMES, IntradayProfile, load_profile  # noqa: F401
    from scenarios.document.scenario import (  # noqa: F401
        Channel,
        Scenario,
        Segment,
        SegmentedDemand,
        StaffGroup,
        scenario_json_schema,
    )
    from scenarios.document.setups import (  # noqa: F401
        AS_GIVEN,
        SETUP_CHOICES,
        SETUP_KINDS,
        BurstPolicy,
        CallbackPolicy,
        CloudSetup,
        Incident,
        InHouseSetup,
        NotificationPolicy,
        Setup,
        VirtualSetup,
        default_setup,
    )
    from scenarios.document.sweep_file import SweepFile, SweepSpec, load_sweep, parse_sweep  # noqa: F401
    from scenarios.errors import CcplanError, InputError, ScenarioError  # noqa: F401
    from scenarios.studies.compare import Comparison, compare  # noqa: F401
    from scenarios.studies.costs import COST_ITEMS, CostBreakdown, estimate_costs  # noqa: F401
    from scenarios.studies.plan import PlanResult, default_plan_templates, plan_staffing  # noqa: F401
    from scenarios.studies.run import SetupRun, run_setup  # noqa: F401
    from scenarios.studies.seasonal import SeasonalReport, run_seasonal  # noqa: F401
    from scenarios.studies.sweep import SweepResult, sweep  # noqa: F401
