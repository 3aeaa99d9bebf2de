"""The three ways of organising a centre: in-house, virtual and cloud.

Each setup is a documented set of assumptions applied to the *same demand* (every value can be
overridden in the scenario's ``setup:`` block or in ``setups:``). They form a discriminated union
on ``kind``; each kind carries only its own fields.

in-house (:class:`InHouseSetup`)
    Agents work on site. ``seats`` caps the agents on site at once: the scheduled headcount of
    every interval is clipped to the seats (groups lose agents in proportion to their headcount)
    and the compiled scenario reports the shortfall per interval. Each seat costs
    ``seat_cost_per_month``. Extra agents need ``hiring_lead_time_weeks`` of hiring and training,
    so there is no same-day scaling: the schedule is run as given.
virtual (:class:`VirtualSetup`)
    Agents work from home: no seat cap and no rent, a home-working allowance per agent per month,
    handle times multiplied by ``aht_factor`` (less floor support) and every group's shrinkage
    changed by ``shrinkage_change`` (less commuting absence). Shorter or split shifts are allowed:
    ``schedules`` may replace a group's per-interval headcount by one that follows the demand.
cloud (:class:`CloudSetup`)
    A cloud platform with remote agents: elastic ``burst`` capacity (agents who join when the
    queue or expected wait crosses a threshold, after a start-up lag, up to a cap, billed per
    minute), proactive IVR/SMS ``notifications`` that deflect a share of contacts during declared
    incident windows, and ``callbacks`` (virtual hold) on voice.

What a setup *does* to the engines' inputs (seat clipping, handle-time factor, shrinkage change,
notification thinning, callbacks, burst capacity) is decided in one place,
:mod:`scenarios.bridge.effects`, used by the simulation model and the analytic requirement alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Final, Literal, get_args

from pydantic import Field, model_validator

from scenarios.document.clock import format_clock
from scenarios.document.fields import ClockTime, FieldIssue, PerIntervalCount, StrictModel

__all__ = [
    "SetupArg",
    "SETUP_KINDS",
    "InHouseSetup",
    "VirtualSetup",
    "CloudSetup",
    "BurstPolicy",
    "Incident",
    "NotificationPolicy",
    "CallbackPolicy",
    "Setup",
    "default_setup",
    "setup_choice_label",
    "AS_GIVEN",
    "SetupKind",
    "SetupChoice",
    "SETUP_CHOICES",
]

SetupKind = Literal["in-house", "virtual", "cloud"]
"""Type of a setup kind."""

SETUP_KINDS: tuple[str, ...] = get_args(SetupKind)
"""Setup kinds, in the order ``ccplan compare`` shows them."""

AS_GIVEN: Final = "as-given"
"""How ccplan names "no setup applied": the scenario as written (its own ``setup``, possibly none)."""

SetupChoice = Literal["as-given", "in-house", "virtual", "cloud"]
"""Type of what a user may choose to run: the scenario as given or one of the setup kinds."""

SETUP_CHOICES: tuple[str, ...] = get_args(SetupChoice)
"""The values of :data:`SetupChoice`: :data:`AS_GIVEN` first, then :data:`SETUP_KINDS`."""


class InHouseSetup(StrictModel):
    """Agents on site: seats cap the headcount, seats are rented, no same-day scaling."""

    kind: Literal["in-house"] = Field("in-house", description="Setup kind.")
    seats: int | None = Field(
        None, ge=0, le=1_000_000,
        description="Seats on site (agents at once). The scheduled headcount of each interval is clipped "
                    "to it and the shortfall is reported. Default: no cap (seats = peak headcount for costs).")
    seat_cost_per_month: float = Field(
        450.0, ge=0, le=1e6,
        description="Seat/facility cost per seat per month (currency units; rent, desk, equipment). Default 450.")
    hiring_lead_time_weeks: float = Field(
        8.0, ge=0, le=520,
        description="Weeks to hire and train an extra agent (documentation of the assumption: no same-day "
                    "scaling, the schedule is run as given). Default 8.")


class VirtualSetup(StrictModel):
    """Remote agents: no seat cap or rent, home allowance, AHT and shrinkage effects, split shifts."""

    kind: Literal["virtual"] = Field("virtual", description="Setup kind.")
    home_working_allowance_per_agent_month: float = Field(
        35.0, ge=0, le=1e6, description="Home-working allowance per agent per month (currency units). Default 35.")
    aht_factor: float = Field(
        1.05, gt=0, le=10,
        description="Multiplier on every channel's handle time (remote agents have less floor support). "
                    "Default 1.05.")
    shrinkage_change: float = Field(
        -0.03, ge=-1, le=1,
        description="Added to every group's shrinkage (fraction; negative = less absence without a commute), "
                    "clipped to [0, 0.95]. Default -0.03.")
    schedules: dict[str, PerIntervalCount] = Field(
        default_factory=dict,
        description="Optional shorter/split-shift schedules: staff group name -> agents per interval "
                    "(one number or one value per interval), replacing that group's `agents`.")


class BurstPolicy(StrictModel):
    """Elastic capacity of the cloud setup, simulated as an elastic agent group (see compile)."""

    trigger: Literal["expected_wait", "queue_length"] = Field(
        "expected_wait",
        description="What starts a burst: the expected wait of a new arrival (seconds) or the number "
                    "waiting (contacts). Default expected_wait.")
    threshold: float = Field(
        60.0, gt=0, le=86_400,
        description="Threshold of the trigger: seconds of expected wait, or contacts waiting. Default 60.")
    startup_lag_seconds: float = Field(
        180.0, ge=0, le=86_400, description="Seconds between the trigger and a burst agent taking contacts. Default 180.")
    max_agents: int = Field(10, ge=0, le=100_000, description="Cap on burst agents at once. Default 10.")
    price_per_minute: float = Field(
        0.75, ge=0, le=1e4, description="Price per burst agent-minute (currency units), billed while logged in. Default 0.75.")
    min_session_minutes: float = Field(
        15.0, ge=0, le=1440, description="Minimum time a burst agent stays logged in once started (minutes). Default 15.")
    channels: tuple[str, ...] | None = Field(
        None, min_length=1, description="Channels burst agents serve, in priority order. Default: every voice channel.")


class Incident(StrictModel):
    """A declared incident window during which notifications deflect contacts."""

    start: ClockTime = Field(description="Start clock time 'HH:MM' of the window.")
    end: ClockTime = Field(description="End clock time 'HH:MM' of the window (after start; '24:00' = midnight).")
    day: int = Field(0, ge=0, le=3660, description="Day of the horizon (0 = the day the horizon starts). Default 0.")
    description: str = Field("", description="What happened (free text).")

    @model_validator(mode="after")
    def _check_window(self) -> Incident:
        if self.end <= self.start:
            raise FieldIssue("end", f"must be after start ({format_clock(self.start)}), got {format_clock(self.end)}")
        return self


class NotificationPolicy(StrictModel):
    """Proactive IVR/SMS notifications during declared incidents."""

    deflected_share: float = Field(
        0.3, ge=0, le=1,
        description="Share of would-be contacts in an incident window that the notification answers "
                    "(they never contact). Default 0.3.")
    channels: tuple[str, ...] | None = Field(
        None, min_length=1, description="Channels affected. Default: every voice channel.")
    incidents: tuple[Incident, ...] = Field((), description="Declared incident windows.")
    price_per_notification: float = Field(
        0.02, ge=0, le=1e4, description="Cost per deflected contact's notification (SMS), currency units. Default 0.02.")


class CallbackPolicy(StrictModel):
    """Callbacks (virtual hold): a caller facing a long wait is called back, keeping the place."""

    enabled: bool = Field(True, description="Offer callbacks. Default true.")
    threshold_seconds: float = Field(
        90.0, ge=0, le=86_400, description="Offer a callback when the expected wait at arrival exceeds this (seconds). Default 90.")
    channels: tuple[str, ...] | None = Field(
        None, min_length=1, description="Channels offering callbacks (voice/chat). Default: every voice channel.")


class CloudSetup(StrictModel):
    """Cloud platform, remote agents: bursting, incident notifications, callbacks."""

    kind: Literal["cloud"] = Field("cloud", description="Setup kind.")
    home_working_allowance_per_agent_month: float = Field(
        35.0, ge=0, le=1e6, description="Home-working allowance per (remote) agent per month, currency units. Default 35.")
    burst: BurstPolicy | None = Field(
        default_factory=BurstPolicy,
        description="Elastic burst capacity (burst agents log in after a start-up lag when the trigger "
                    "exceeds its threshold, billed per minute logged in); null to switch off.")
    notifications: NotificationPolicy = Field(
        default_factory=NotificationPolicy, description="Proactive IVR/SMS notifications during incidents.")
    callbacks: CallbackPolicy = Field(default_factory=CallbackPolicy, description="Callbacks (virtual hold).")


Setup = Annotated[InHouseSetup | VirtualSetup | CloudSetup, Field(discriminator="kind")]

SetupArg = InHouseSetup | VirtualSetup | CloudSetup | str | None
"""What a function takes as a setup: a setup object, a kind, ``"as-given"`` or None (the scenario as given)."""
"""Any setup, chosen by its ``kind``."""


def setup_choice_label(choice: str, own_kind: str | Sequence[str | None] | None = None) -> str:
    """Words for a setup choice in menus: the kind, or what :data:`AS_GIVEN` means for the scenario.

    Parameters
    ----------
    choice : str
        :data:`AS_GIVEN` or a setup kind.
    own_kind : str, sequence of (str or None), or None
        The kind of the scenario's own ``setup`` (None: the file has none). For a choice applied
        to several scenarios at once, their kinds (None for a scenario without a setup).

    Returns
    -------
    str
        ``"cloud"`` for a kind; for :data:`AS_GIVEN` ``"as given (the file's setup: cloud)"``,
        ``"as given (no setup)"``, or for several scenarios ``"as given (each file's own setup:
        cloud, none)"``.
    """
    if choice != AS_GIVEN:
        return choice
    if own_kind is None or isinstance(own_kind, str):
        return f"as given (the file's setup: {own_kind})" if own_kind else "as given (no setup)"
    kinds = list(dict.fromkeys(kind or "none" for kind in own_kind))
    if len(kinds) == 1:
        return setup_choice_label(choice, None if kinds[0] == "none" else kinds[0])
    return f"as given (each file's own setup: {', '.join(kinds)})"


def default_setup(kind: str) -> InHouseSetup | VirtualSetup | CloudSetup:
    """The documented default assumptions of a setup ``kind`` (one of :data:`SETUP_KINDS`)."""
    classes = {"in-house": InHouseSetup, "virtual": VirtualSetup, "cloud": CloudSetup}
    if kind not in classes:
        raise ValueError(f"setup kind must be one of {', '.join(SETUP_KINDS)}, got {kind!r}")
    return classes[kind]()
