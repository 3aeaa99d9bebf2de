"""Defaults a scenario (or a command) takes when a value is not given: one home for each.

This module imports nothing, so the command line can show these defaults in ``--help`` without
loading the scenario models.
"""

from __future__ import annotations

__all__ = ["DEFAULT_TARGET_SECONDS", "DEFAULT_SERVICE_LEVEL_GOAL", "DEFAULT_RESPONSE_TARGET_HOURS"]

DEFAULT_TARGET_SECONDS = 20.0
"""Answer-time target (seconds) of a voice/chat channel without a ``service_level`` block."""

DEFAULT_SERVICE_LEVEL_GOAL = 0.8
"""Share answered within the target that sizing aims at when a channel states no goal."""

DEFAULT_RESPONSE_TARGET_HOURS = 24.0
"""Response target (hours) of an email channel without ``response_target_hours``."""
