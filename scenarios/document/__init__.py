"""The file formats: scenario, sweep and seasonal-plan files, interval volumes, profiles, clock times.

Everything a user writes is read and validated here into frozen pydantic models; nothing here
runs an engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scenarios._lazy import lazy_exports

_EXPORTS = {
    "Scenario": "scenarios.document.scenario",
    "Channel": "scenarios.document.scenario",
    "StaffGroup": "scenarios.document.scenario",
    "Segment": "scenarios.document.scenario",
    "SegmentedDemand": "scenarios.document.scenario",
    "CHANNEL_KINDS": "scenarios.document.scenario",
    "scenario_json_schema": "scenarios.document.scenario",
    "SETUP_KINDS": "scenarios.document.setups",
    "AS_GIVEN": "scenarios.document.setups",
    "SETUP_CHOICES": "scenarios.document.setups",
    "DEFAULT_TARGET_SECONDS": "scenarios.document.defaults",
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
    "load_scenario": "scenarios.document.loader",
    "parse_scenario": "scenarios.document.loader",
    "read_document": "scenarios.document.loader",
    "PROFILE_NAMES": "scenarios.document.profiles",
    "IntradayProfile": "scenarios.document.profiles",
    "load_profile": "scenarios.document.profiles",
    "resolve_arrivals": "scenarios.document.demand",
    "parse_clock": "scenarios.document.clock",
    "format_clock": "scenarios.document.clock",
    "interval_label": "scenarios.document.clock",
    "interval_labels": "scenarios.document.clock",
    "SweepFile": "scenarios.document.sweep_file",
    "SweepSpec": "scenarios.document.sweep_file",
    "load_sweep": "scenarios.document.sweep_file",
    "parse_sweep": "scenarios.document.sweep_file",
    "SeasonalFile": "scenarios.document.seasonal_file",
    "load_seasonal_file": "scenarios.document.seasonal_file",
    "parse_seasonal": "scenarios.document.seasonal_file",
}

if not TYPE_CHECKING:  # type checkers read the names from the eager imports below
    __all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # the same names, eagerly, for type checkers and IDEs
    from scenarios.document.clock import format_clock, interval_label, interval_labels, parse_clock  # noqa: F401
    from scenarios.document.defaults import DEFAULT_TARGET_SECONDS  # noqa: F401
    from scenarios.document.demand import resolve_arrivals  # noqa: F401
    from scenarios.document.loader import load_scenario, parse_scenario, read_document  # noqa: F401
    from scenarios.document.prices import CostModel  # noqa: F401
    from scenarios.document.profiles import PROFILE_NAMES, IntradayProfile, load_profile  # noqa: F401
    from scenarios.document.scenario import (  # noqa: F401
        CHANNEL_KINDS,
        Channel,
        Scenario,
        Segment,
        SegmentedDemand,
        StaffGroup,
        scenario_json_schema,
    )
    from scenarios.document.seasonal_file import SeasonalFile, load_seasonal_file, parse_seasonal  # noqa: F401
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
