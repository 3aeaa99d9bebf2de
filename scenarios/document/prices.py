"""Prices shared by every setup: the scenario file's ``costs:`` block.

Prices that belong to one setup (seat rent, home-working allowance, burst minutes,
notifications) live in that setup (:mod:`scenarios.document.setups`); the estimate of a run's
cost is :func:`scenarios.studies.costs.estimate_costs`.
"""

from __future__ import annotations

from pydantic import Field

from scenarios.document.fields import StrictModel

__all__ = ["CostModel"]


class CostModel(StrictModel):
    """Prices shared by every setup (the scenario's ``costs:`` block)."""

    currency: str = Field("EUR", description="Currency label of every price (display only). Default EUR.")
    agent_hourly_cost: float = Field(
        30.0, ge=0, le=1e4, description="Loaded cost per paid agent-hour (wage, taxes, benefits, supervision). Default 30.")
    telephony_per_minute: float = Field(
        0.012, ge=0, le=1e3, description="Telephony price per voice minute (talk and queue time). Default 0.012.")
    chat_session_cost: float = Field(0.05, ge=0, le=1e4, description="Price per chat session handled by agents. Default 0.05.")
    bot_session_cost: float = Field(0.10, ge=0, le=1e4, description="Price per bot session (chatbot/voicebot). Default 0.10.")
    licence_per_agent_month: float = Field(
        110.0, ge=0, le=1e6, description="Software licences per agent on payroll per month. Default 110.")
    operating_days_per_month: float = Field(
        22.0, gt=0, le=31, description="Days per month the centre operates; monthly costs are spread over them. Default 22.")
    paid_hours_per_agent_day: float = Field(
        7.5, gt=0, le=24, description="Paid hours per agent per day, to turn agent-hours into agents on payroll. Default 7.5.")
