"""Cost estimates of a simulated run, from the prices in the scenario file.

The ``costs:`` block (:class:`scenarios.document.prices.CostModel`) holds the prices shared by every setup; prices that
belong to one setup (seat rent, home-working allowance, burst minutes, notifications) live in
that setup (:mod:`scenarios.document.setups`). :func:`estimate_costs` turns a compiled scenario and its
:class:`simulator.SimulationResult` into a :class:`CostBreakdown`, per replication, then the mean
and 95 % half-width over replications.

Cost items over the simulated horizon (currency units):

* ``agents``: loaded hourly cost x paid agent-hours = agents on the compiled schedule (after
  the seat cap, shrinkage included: shrinkage is paid time) x interval hours.
* ``seats`` (in-house): seats x seat cost per month x horizon days / operating days per month;
  seats = the setup's ``seats`` or, without a cap, the peak headcount.
* ``licences``: licence per agent per month x agents on payroll x horizon days / operating days
  per month. Agents on payroll = ceil(paid agent-hours / (paid hours per agent-day x horizon
  days)).
* ``home_working`` (virtual, cloud): allowance per agent per month, same pro-rating.
* ``telephony``: price per minute x voice minutes (answered x mean handle time + contacts
  offered to agents x mean wait, i.e. talk plus queue time) on voice channels, plus the
  outbound campaigns' line minutes (the agent time spent dialling and talking on outbound,
  ``outbound_agent_hours``; power dialling's extra lines that reach nobody are not counted).
* ``chat_sessions``: price per session x chats offered to agents; ``bot_sessions``: price per
  session x contacts that reached a bot.
* ``notifications`` (cloud): price per notification x contacts deflected by them (simulated
  ``deflected_notification``).
* ``burst`` (cloud): price per burst agent-minute x minutes burst agents were logged in
  (simulated: the elastic group's available agent-seconds over the horizon).

Horizon days = ceil(horizon / 24 h): an 8-hour opening day counts as one day.
``cost_per_contact`` = total / contacts offered (deflected ones included; a transferred contact's
second leg and a message item are not new contacts); ``cost_per_answered`` = total / contacts
answered by agents (a transferred contact's two services count twice, as two answers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scenarios.document.setups import CloudSetup, InHouseSetup, VirtualSetup

if TYPE_CHECKING:
    from scenarios.bridge.compile import CompiledScenario
    from simulator import SimulationResult

from simulator import ci95_half_width

__all__ = ["CostBreakdown", "COST_ITEMS", "estimate_costs"]

COST_ITEMS = ("agents", "seats", "licences", "home_working", "telephony", "chat_sessions",
              "bot_sessions", "notifications", "burst")
"""Cost items, in the order they are reported."""


@dataclass(frozen=True, eq=False)
class CostBreakdown:
    """Estimated cost of a run over the simulated horizon.

    Attributes
    ----------
    currency : str
        Currency label.
    per_replication : pandas.DataFrame
        One row per replication: every item of :data:`COST_ITEMS`, ``total``, ``contacts``,
        ``answered``, ``cost_per_contact``, ``cost_per_answered``.
    notes : tuple of str
        Assumptions behind the estimate worth stating (e.g. seats taken as the peak headcount).
    """

    currency: str
    per_replication: pd.DataFrame
    notes: tuple[str, ...] = field(default=())

    def mean(self, item: str) -> float:
        """Mean over replications of an item, ``total``, ``cost_per_contact`` or ``cost_per_answered``."""
        return float(self.per_replication[item].mean())

    def ci95(self, item: str) -> float:
        """95 % confidence half-width over replications (NaN with one replication)."""
        return float(ci95_half_width(self.per_replication[item].to_numpy(dtype=float)))

    @property
    def total(self) -> float:
        """Mean total cost over the horizon (currency units)."""
        return self.mean("total")

    @property
    def cost_per_contact(self) -> float:
        """Mean total cost / offered contacts (including those deflected by notifications)."""
        return self.mean("cost_per_contact")

    @property
    def cost_per_answered(self) -> float:
        """Mean total cost / contacts answered by agents."""
        return self.mean("cost_per_answered")

    def to_json_dict(self) -> dict:
        """``{"currency": ..., "items": {item: mean}, "total": {"mean", "ci95"}, ...}`` (NaN -> null)."""
        def number(value: float) -> float | None:
            return None if math.isnan(value) or math.isinf(value) else round(value, 6)

        return {
            "currency": self.currency,
            "items": {item: number(self.mean(item)) for item in COST_ITEMS},
            **{key: {"mean": number(self.mean(key)), "ci95": number(self.ci95(key))}
               for key in ("total", "cost_per_contact", "cost_per_answered")},
            "notes": list(self.notes),
        }


def estimate_costs(compiled: CompiledScenario, result: SimulationResult) -> CostBreakdown:
    """Estimate the costs of a simulated compiled scenario.

    Parameters
    ----------
    compiled : scenarios.bridge.compile.CompiledScenario
        The compiled scenario (prices, setup, schedule actually run).
    result : simulator.SimulationResult
        Its simulation.

    Returns
    -------
    CostBreakdown
        Costs per replication over the horizon (see the module docstring for each item).
    """
    scenario, setup, model = compiled.scenario, compiled.setup, compiled.model
    prices = scenario.costs
    interval_hours = model.interval_seconds / 3600.0
    horizon_days = max(1, math.ceil(model.horizon_seconds / 86400.0 - 1e-9))
    month_share = horizon_days / prices.operating_days_per_month
    headcount = np.vstack([model.agents_per_interval(g) for g in range(len(model.groups))])
    agent_hours = float(headcount.sum()) * interval_hours
    peak = int(headcount.sum(axis=0).max())
    payroll = math.ceil(agent_hours / (prices.paid_hours_per_agent_day * horizon_days) - 1e-9)
    fixed = dict.fromkeys(COST_ITEMS, 0.0)
    fixed["agents"] = prices.agent_hourly_cost * agent_hours
    fixed["licences"] = prices.licence_per_agent_month * payroll * month_share
    notes: list[str] = []
    if isinstance(setup, InHouseSetup):
        seats = setup.seats if setup.seats is not None else peak
        if setup.seats is None:
            notes.append(f"in-house without a seat cap: seat cost on the peak headcount ({peak} seats)")
        fixed["seats"] = setup.seat_cost_per_month * seats * month_share
    if isinstance(setup, (VirtualSetup, CloudSetup)):
        fixed["home_working"] = setup.home_working_allowance_per_agent_month * payroll * month_share
    burst_price = 0.0
    burst_groups: list[str] = []
    if isinstance(setup, CloudSetup):
        burst_groups = [g.name for g in model.groups if g.elastic is not None]
        if setup.burst is not None:
            burst_price = setup.burst.price_per_minute
    groups = result.groups
    burst_seconds = (
        groups[groups["group"].isin(burst_groups)].groupby("replication")["available_agents"].sum()
        * model.interval_seconds
    )

    outbound_minutes = (result.campaigns.groupby("replication")["outbound_agent_hours"].sum() * 60.0
                        if result.campaigns is not None else None)
    table = result.per_replication
    rows = []
    for replication, frame in table.groupby("replication", sort=True):
        frame = frame.set_index("channel")
        costs = dict(fixed)
        costs["burst"] = burst_price * float(burst_seconds.get(replication, 0.0)) / 60.0
        if outbound_minutes is not None:
            costs["telephony"] += prices.telephony_per_minute * float(outbound_minutes.get(replication, 0.0))
        contacts = 0.0
        answered = 0.0
        for channel in model.channels:
            kpis = frame.loc[channel.name]
            # transferred-in contacts and message items are part of offered but are no new contacts
            offered = float(kpis["offered"]) - float(kpis["transferred_in"]) - float(kpis["messages_in"])
            to_agents = float(kpis["offered_to_agents"])
            answered_here = float(kpis["answered"])
            contacts += offered
            answered += answered_here
            if channel.kind == "voice":
                handle = channel.aht_seconds * (channel.bot.escalated_handle_time_factor if channel.bot else 1.0)
                wait = float(kpis["mean_wait_seconds"])
                wait = 0.0 if math.isnan(wait) else wait
                costs["telephony"] += prices.telephony_per_minute * (answered_here * handle + to_agents * wait) / 60.0
            if channel.kind == "chat":
                costs["chat_sessions"] += prices.chat_session_cost * to_agents
            if isinstance(setup, CloudSetup):
                costs["notifications"] += setup.notifications.price_per_notification * float(kpis["deflected_notification"])
            if channel.bot is not None:
                costs["bot_sessions"] += prices.bot_session_cost * (
                    offered - float(kpis["deflected_self_service"]) - float(kpis["deflected_notification"]))
        total = sum(costs.values())
        rows.append({"replication": int(replication), **costs, "total": total, "contacts": contacts,
                     "answered": answered,
                     "cost_per_contact": total / contacts if contacts > 0 else math.nan,
                     "cost_per_answered": total / answered if answered > 0 else math.nan})
    return CostBreakdown(prices.currency, pd.DataFrame(rows), tuple(notes))
