"""Scenario files, setups and orchestration (compare, plan, sweep) and the ``ccplan`` CLI.

Files in, validated :class:`Scenario` objects (:func:`load_scenario`), compiled into the
simulator's input (:func:`compile_scenario`, :func:`compile_model`) under a setup
(:class:`InHouseSetup`, :class:`VirtualSetup`, :class:`CloudSetup`), simulated and costed
(:func:`run_setup`, :func:`estimate_costs`) and compared with common random numbers
(:func:`compare`).
"""

from .compare import Comparison, SetupRun, compare, run_setup
from .compile import CompiledScenario, compile_model, compile_scenario
from .costs import COST_ITEMS, CostBreakdown, CostModel, estimate_costs
from .errors import CcplanError, ScenarioError
from .loader import load_scenario, parse_scenario
from .plan import PlanResult, default_plan_templates, plan_staffing
from .profiles import PROFILE_NAMES, IntradayProfile, load_profile
from .requirements import agent_workload, channel_order, interval_labels, scenario_requirements
from .schema import Channel, Scenario, Segment, SegmentedDemand, StaffGroup, scenario_json_schema
from .seasonal import SeasonalReport, compile_seasonal, run_seasonal
from .setups import (
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
from .sweep import SweepResult, sweep
from .sweep_file import SweepFile, SweepSpec, load_sweep, parse_sweep

__all__ = [
    "CcplanError",
    "ScenarioError",
    "Scenario",
    "Channel",
    "StaffGroup",
    "Segment",
    "SegmentedDemand",
    "scenario_json_schema",
    "load_scenario",
    "parse_scenario",
    "PROFILE_NAMES",
    "IntradayProfile",
    "load_profile",
    "SETUP_KINDS",
    "Setup",
    "InHouseSetup",
    "VirtualSetup",
    "CloudSetup",
    "BurstPolicy",
    "NotificationPolicy",
    "Incident",
    "CallbackPolicy",
    "default_setup",
    "CompiledScenario",
    "compile_scenario",
    "compile_model",
    "CostModel",
    "CostBreakdown",
    "COST_ITEMS",
    "estimate_costs",
    "scenario_requirements",
    "SeasonalReport",
    "compile_seasonal",
    "run_seasonal",
    "agent_workload",
    "channel_order",
    "interval_labels",
    "SetupRun",
    "Comparison",
    "run_setup",
    "compare",
    "PlanResult",
    "plan_staffing",
    "default_plan_templates",
    "sweep",
    "SweepResult",
    "SweepSpec",
    "SweepFile",
    "load_sweep",
    "parse_sweep",
]
