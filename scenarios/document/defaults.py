"""Defaults a scenario (or a command) takes when a value is not given: one home for each.

This module imports nothing, so the command line can show these defaults in ``--help`` without
loading the scenario models.
"""

from __future__ import annotations

__all__ = ["DEFAULT_TARGET_SECONDS", "DEFAULT_SERVICE_LEVEL_GOAL", "DEFAULT_RESPONSE_TARGET_HOURS",
           "DEFAULT_PRECISION_SHARE_POINTS", "DEFAULT_PRECISION_ASA_SECONDS", "DEFAULT_MIN_REPLICATIONS",
           "DEFAULT_MAX_REPLICATIONS"]

DEFAULT_TARGET_SECONDS = 20.0
"""Answer-time target (seconds) of a voice/chat channel without a ``service_level`` block."""

DEFAULT_SERVICE_LEVEL_GOAL = 0.8
"""Share answered within the target that sizing aims at when a channel states no goal."""

DEFAULT_RESPONSE_TARGET_HOURS = 24.0
"""Response target (hours) of an email channel without ``response_target_hours``."""

DEFAULT_PRECISION_SHARE_POINTS = 1.0
"""Precision target when a run states neither replications nor a precision: the 95 % half-width of
every channel's service level and abandon rate over the horizon, in percentage points."""

DEFAULT_PRECISION_ASA_SECONDS = 2.0
"""Precision target of the average speed of answer over the horizon: 95 % half-width, seconds."""

DEFAULT_MIN_REPLICATIONS = 5
"""Replications of the first batch of a run to a precision target."""

DEFAULT_MAX_REPLICATIONS = 200
"""A run to a precision target stops here even if the target is not met (and says so)."""
