"""What a setup does to the engines' inputs: the one place in-house / virtual / cloud take effect.

The simulation model (:mod:`scenarios.bridge.compile`), the analytic requirement
(:mod:`scenarios.bridge.requirements`), the staffing plan and every view of the dashboard ask
:func:`setup_effects` and apply what it says, so a setup means the same thing everywhere:

* in-house: each interval's scheduled headcount is clipped to ``seats`` agents on site at once
  (:func:`clip_to_seats`; the shortfall is reported per interval);
* virtual: handle times x ``aht_factor``; every group's shrinkage + ``shrinkage_change``
  (clipped to [0, 0.95]); split-shift ``schedules`` replace groups' headcounts;
* cloud: proactive notifications deflect ``deflected_share`` of the would-be contacts of the
  notified channels in incident intervals (:func:`incident_mask`); callbacks on the named
  channels (a channel's own threshold wins); burst capacity for the burst channels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scenarios.document.scenario import Scenario

from scenarios.document.setups import (
    AS_GIVEN,
    BurstPolicy,
    CloudSetup,
    Incident,
    InHouseSetup,
    SetupArg,
    VirtualSetup,
)

__all__ = ["SetupEffects", "resolve_setup", "setup_effects", "clip_to_seats", "incident_mask",
           "MAX_SHRINKAGE"]

MAX_SHRINKAGE = 0.95
"""Upper clip of a group's shrinkage after a setup's change (fraction)."""


def resolve_setup(scenario: Scenario, setup: SetupArg) -> InHouseSetup | VirtualSetup | CloudSetup | None:
    """The setup object meant by ``setup``.

    Parameters
    ----------
    scenario : Scenario
        The validated scenario.
    setup : InHouseSetup, VirtualSetup, CloudSetup, str or None
        A setup object (taken as is); a kind (``"in-house"``, ``"virtual"``, ``"cloud"``: the
        file's configuration of it, else its defaults); ``"as-given"`` or None: the scenario's
        own ``setup`` (possibly none).
    """
    if setup is None or setup == AS_GIVEN:
        return scenario.setup
    if isinstance(setup, str):
        return scenario.setup_for(setup)
    return setup


@dataclass(frozen=True, eq=False)
class SetupEffects:
    """The changes a setup makes to a scenario's inputs (see the module docstring).

    Attributes
    ----------
    setup : InHouseSetup, VirtualSetup, CloudSetup or None
        The setup applied (None: the scenario as given, without a setup).
    aht_factor : float
        Multiplier on every channel's handle time.
    shrinkage_change : float
        Added to every group's shrinkage before clipping to [0, :data:`MAX_SHRINKAGE`].
    seats : int or None
        Agents on site at once (in-house), None for no cap.
    schedules : mapping of str to per-interval headcount
        Groups whose headcount the setup replaces (virtual split shifts).
    notification_share : mapping of str to numpy.ndarray
        Channel -> share of would-be contacts deflected by notifications, per interval.
    callback_threshold_seconds : mapping of str to float
        Channel -> expected wait (seconds) above which callbacks are offered, from the setup.
    burst : BurstPolicy or None
        Elastic burst capacity (cloud), None when off.
    burst_channels : tuple of str
        Channels the burst agents serve, in priority order.
    """

    setup: InHouseSetup | VirtualSetup | CloudSetup | None
    aht_factor: float = 1.0
    shrinkage_change: float = 0.0
    seats: int | None = None
    schedules: Mapping[str, object] = field(default_factory=dict)
    notification_share: Mapping[str, np.ndarray] = field(default_factory=dict)
    callback_threshold_seconds: Mapping[str, float] = field(default_factory=dict)
    burst: BurstPolicy | None = None
    burst_channels: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """``in-house``, ``virtual``, ``cloud`` or ``as-given``."""
        return self.setup.kind if self.setup is not None else AS_GIVEN

    def shrinkage(self, group) -> float:
        """Shrinkage of staff ``group`` under the setup (fraction in [0, :data:`MAX_SHRINKAGE`])."""
        return float(np.clip(group.shrinkage + self.shrinkage_change, 0.0, MAX_SHRINKAGE))

    def scheduled_agents(self, scenario) -> dict[str, np.ndarray]:
        """Group name -> scheduled headcount per interval (virtual ``schedules`` replace ``agents``)."""
        n = scenario.intervals
        return {group.name: np.broadcast_to(np.asarray(self.schedules.get(group.name, group.agents),
                                                       dtype=np.int64), (n,)).copy()
                for group in scenario.staff}

    def seated_agents(self, scenario) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Group name -> agents on site per interval after the seat cap, and the shortfall per interval.

        Returns
        -------
        seated : dict of str to numpy.ndarray
            Agents per group and interval who have a seat (all of them without a cap).
        shortfall : numpy.ndarray
            Agents scheduled but without a seat, per interval.
        """
        scheduled = self.scheduled_agents(scenario)
        matrix = np.vstack([scheduled[group.name] for group in scenario.staff])
        seated, shortfall = clip_to_seats(matrix, self.seats)
        return {group.name: seated[index] for index, group in enumerate(scenario.staff)}, shortfall

    def available_agents(self, scenario) -> dict[str, np.ndarray]:
        """Group name -> agents seated and not lost to shrinkage per interval (expected, not rounded)."""
        seated, _ = self.seated_agents(scenario)
        return {group.name: seated[group.name] * (1.0 - self.shrinkage(group)) for group in scenario.staff}


def setup_effects(scenario: Scenario, setup: SetupArg = None) -> SetupEffects:
    """The :class:`SetupEffects` of ``setup`` (resolved by :func:`resolve_setup`) on ``scenario``."""
    setup = resolve_setup(scenario, setup)
    if isinstance(setup, InHouseSetup):
        return SetupEffects(setup, seats=setup.seats)
    if isinstance(setup, VirtualSetup):
        return SetupEffects(setup, aht_factor=setup.aht_factor, shrinkage_change=setup.shrinkage_change,
                            schedules=dict(setup.schedules))
    if isinstance(setup, CloudSetup):
        voice = tuple(name for name in scenario.channels if scenario.channel_kind(name) == "voice")
        policy = setup.notifications
        shares = {}
        if policy.deflected_share > 0:
            mask = incident_mask(policy.incidents, intervals=scenario.intervals,
                                 interval_minutes=scenario.interval_minutes, start_minute=scenario.start_time)
            if mask.any():
                shares = {name: mask * policy.deflected_share for name in (policy.channels or voice)}
        callbacks = {}
        if setup.callbacks.enabled:
            callbacks = dict.fromkeys(setup.callbacks.channels or voice, setup.callbacks.threshold_seconds)
        burst = setup.burst
        channels = tuple(burst.channels or voice) if burst is not None else ()
        if burst is None or burst.max_agents <= 0 or not channels:
            burst, channels = None, ()
        return SetupEffects(setup, notification_share=shares, callback_threshold_seconds=callbacks,
                            burst=burst, burst_channels=channels)
    return SetupEffects(None)


def clip_to_seats(agents: np.ndarray, seats: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Clip a groups x intervals headcount to ``seats`` agents on site at once.

    Parameters
    ----------
    agents : numpy.ndarray of int, shape (groups, intervals)
        Scheduled agents per group and interval.
    seats : int or None
        Seats on site; ``None`` means no cap.

    Returns
    -------
    seated : numpy.ndarray of int, shape (groups, intervals)
        Agents on site. In an interval over the cap, each group keeps
        ``floor(seats * share)`` of its agents (share = its part of the headcount) and the seats
        left are given by largest remainder, ties to the group listed first.
    shortfall : numpy.ndarray of int, shape (intervals,)
        Scheduled minus seated agents per interval (>= 0).
    """
    agents = np.asarray(agents, dtype=np.int64)
    if seats is None:
        return agents.copy(), np.zeros(agents.shape[1], dtype=np.int64)
    seated = agents.copy()
    totals = agents.sum(axis=0)
    for i in np.flatnonzero(totals > seats):
        exact = agents[:, i] * (seats / totals[i])
        base = np.floor(exact).astype(np.int64)
        left = int(seats - base.sum())
        order = sorted(range(len(base)), key=lambda g: (-(exact[g] - base[g]), g))
        for g in order[:left]:
            base[g] += 1
        seated[:, i] = base
    return seated, totals - seated.sum(axis=0)


def incident_mask(incidents: Sequence[Incident], *, intervals: int, interval_minutes: float, start_minute: float) -> np.ndarray:
    """Boolean mask of the intervals whose midpoint falls in an incident window.

    Parameters
    ----------
    incidents : sequence of Incident
        Windows as clock times on a day of the horizon.
    intervals : int
        Number of intervals in the horizon.
    interval_minutes : float
        Interval length in minutes.
    start_minute : float
        Clock time (minutes after midnight) at which the horizon starts.
    """
    mids = start_minute + (np.arange(intervals) + 0.5) * interval_minutes  # minutes since day 0 midnight
    mask = np.zeros(intervals, dtype=bool)
    for incident in incidents:
        low = incident.day * 1440 + incident.start
        high = incident.day * 1440 + incident.end
        mask |= (mids >= low) & (mids < high)
    return mask
