"""Shrinkage and full-time equivalents: from agents needed on the phones to agents and FTE paid.

Shrinkage is the share of paid time in which a scheduled agent is not available to handle
contacts: breaks, training and coaching, meetings, absence and sickness, holidays. Each is a
named component; :class:`Shrinkage` combines them in one of two documented ways:

``"multiplicative"`` (default)
    ``total = 1 - prod(1 - s_i)``. Each component is a share of the time *left after* the
    ones before it, which is how they are usually measured: absence as a share of rostered
    time, breaks and training as shares of the time actually at work. The order does not
    matter, and the total is always below 1.
``"additive"``
    ``total = sum(s_i)``. Each component is a share of *paid* time, as in a WFM report that
    splits paid hours into categories. Must stay below 1.

Scheduled agents are ``ceil(required / (1 - total))`` (the smallest whole number of agents
whose available share covers the requirement), and ``FTE = agent-hours / paid hours per FTE``
over the period the paid hours refer to (for example 8 h for a one-day plan, 37.5 h for a
week). See Cleveland, *Call Center Management on Fast Forward* (3rd ed., 2012), ch. 7.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike

from ._validate import ArrayOrFloat, StaffingInputError, as_float_array

__all__ = [
    "ShrinkageLike",
    "SHRINKAGE_METHODS",
    "Shrinkage",
    "total_shrinkage",
    "scheduled_agents",
    "full_time_equivalents",
]

#: The allowed ways to combine shrinkage components.
SHRINKAGE_METHODS = ("multiplicative", "additive")

_RELATIVE_EPSILON = 1e-9  # required / (1 - s) landing a hair above an integer is that integer


@dataclass(frozen=True)
class Shrinkage:
    """Named shrinkage components and how they combine.

    Parameters
    ----------
    components : Mapping[str, float]
        Component name -> share in [0, 1), for example ``{"breaks": 0.10, "absence": 0.08}``.
    method : {"multiplicative", "additive"}
        How the components combine (see the module docstring). Default multiplicative.

    Examples
    --------
    >>> Shrinkage({"breaks": 0.1, "absence": 0.1}).total
    0.19
    >>> Shrinkage({"breaks": 0.1, "absence": 0.1}, method="additive").total
    0.2
    """

    components: Mapping[str, float] = field(default_factory=dict)
    method: Literal["multiplicative", "additive"] = "multiplicative"

    def __post_init__(self) -> None:
        if self.method not in SHRINKAGE_METHODS:
            raise StaffingInputError(
                f"shrinkage method must be one of {', '.join(SHRINKAGE_METHODS)}, got {self.method!r}"
            )
        if not isinstance(self.components, Mapping):
            raise StaffingInputError(
                f"shrinkage components must be a mapping of name -> share, got {self.components!r}"
            )
        checked = {}
        for name, share in self.components.items():
            label = "shrinkage" if name == "total" else f"shrinkage component {name!r}"
            value = float(as_float_array(share, label, minimum=0.0))
            if value >= 1.0:
                raise StaffingInputError(f"{label} must be in [0, 1), got {value!r}")
            checked[str(name)] = value
        object.__setattr__(self, "components", MappingProxyType(checked))
        total = self.total
        if total >= 1.0:
            raise StaffingInputError(
                f"total shrinkage must be in [0, 1), got {total:g} ({self.method} of {dict(checked)})"
            )

    @classmethod
    def single(cls, share: float) -> Shrinkage:
        """One overall shrinkage share in [0, 1), stored as the component ``"total"``."""
        return cls({"total": share})

    @property
    def total(self) -> float:
        """Combined share of paid time not available for contacts, in [0, 1)."""
        shares = list(self.components.values())
        if self.method == "additive":
            return round(math.fsum(shares), 12)
        return round(1.0 - math.prod(1.0 - share for share in shares), 12)


ShrinkageLike: TypeAlias = "Shrinkage | Mapping[str, float] | float"
"""A shrinkage: a :class:`Shrinkage`, components by name (fractions), or one total fraction."""


def total_shrinkage(shrinkage: ShrinkageLike) -> float:
    """Combined shrinkage share in [0, 1).

    Parameters
    ----------
    shrinkage : float or Mapping[str, float] or Shrinkage
        A total share, a mapping of named components (combined multiplicatively) or a
        :class:`Shrinkage`.

    Returns
    -------
    float
        The total share of paid time not available for contacts.
    """
    if isinstance(shrinkage, Shrinkage):
        return shrinkage.total
    if isinstance(shrinkage, Mapping):
        return Shrinkage(shrinkage).total
    value = float(as_float_array(shrinkage, "shrinkage", minimum=0.0))
    if value >= 1.0:
        raise StaffingInputError(f"shrinkage must be in [0, 1), got {value!r}")
    return value


def scheduled_agents(required_agents: ArrayLike, shrinkage: ShrinkageLike) -> ArrayOrFloat:
    """Agents to schedule so that, after shrinkage, ``required_agents`` are available.

    Parameters
    ----------
    required_agents : array_like
        Agents needed to handle contacts (>= 0; fractional values allowed, e.g. workload).
    shrinkage : float or Mapping[str, float] or Shrinkage
        Total share in [0, 1), a mapping of components (combined multiplicatively) or a
        :class:`Shrinkage`.

    Returns
    -------
    numpy.ndarray
        ``ceil(required_agents / (1 - shrinkage))`` as integers (0-d for scalar input).

    Examples
    --------
    >>> int(scheduled_agents(10, 0.3))  # 10 / 0.7 = 14.29
    15
    >>> int(scheduled_agents(14, 0.3))  # 14 / 0.7 = 20 exactly
    20
    """
    required = as_float_array(required_agents, "required_agents", minimum=0.0)
    available_share = 1.0 - total_shrinkage(shrinkage)
    raw = required / available_share
    return np.ceil(raw * (1.0 - _RELATIVE_EPSILON)).astype(int)


def full_time_equivalents(agent_hours: ArrayLike, paid_hours_per_fte: ArrayLike) -> ArrayOrFloat:
    """Full-time equivalents that cover ``agent_hours`` of scheduled time.

    Parameters
    ----------
    agent_hours : array_like
        Scheduled agent-hours over a period (>= 0), e.g. scheduled agents x interval hours.
    paid_hours_per_fte : float
        Paid hours of one full-time agent over the same period (> 0).

    Returns
    -------
    numpy.ndarray
        ``agent_hours / paid_hours_per_fte``.

    Examples
    --------
    >>> float(full_time_equivalents(120, 8))
    15.0
    """
    hours = as_float_array(agent_hours, "agent_hours", minimum=0.0)
    paid = as_float_array(paid_hours_per_fte, "paid_hours_per_fte", minimum=0.0, allow_equal_minimum=False)
    return hours / paid
