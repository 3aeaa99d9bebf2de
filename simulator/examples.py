"""Reference models for tests, benchmarks and scripting.

:func:`multichannel_day` is the multichannel model the simulator's tests and benchmark use: every
feature at once (retrials, callbacks, forecast error, a bot, self-service, chat concurrency,
email, three agent groups with shrinkage and shift changes).
"""

from __future__ import annotations

import numpy as np

from .model import (
    AgentGroupModel,
    BotModel,
    ChannelModel,
    Distribution,
    RetrialModel,
    SimulationModel,
)

__all__ = ["multichannel_day"]


def multichannel_day(days: int = 1, contacts_per_day: float = 5000.0) -> SimulationModel:
    """Voice (retrials, callback, forecast error) + chat (bot, self-service, concurrency 3) + email,
    three groups with a daily profile, shrinkage and shift changes, 30-minute intervals.

    Parameters
    ----------
    days : int
        Horizon in days (48 half-hour intervals each).
    contacts_per_day : float
        Expected would-be contacts per day, all channels (55 % voice, 35 % chat, 10 % email).
    """
    distribution = Distribution
    n = 48 * days
    t = (np.arange(n) % 48) / 48.0
    profile = np.where((t >= 0.3) & (t < 0.85), np.sin(np.pi * (t - 0.3) / 0.55) + 0.2, 0.02)
    profile = profile / profile[:48].sum()
    voice_calls = 0.55 * contacts_per_day * profile
    chat_contacts = 0.35 * contacts_per_day * profile
    email_contacts = 0.10 * contacts_per_day * profile
    voice = ChannelModel(
        "voice", "voice", voice_calls, distribution.lognormal(240, 0.8),
        patience=distribution.exponential(150), retrial=RetrialModel(0.3, 600),
        callback_threshold_seconds=240, after_contact_work_seconds=20, forecast_error_cv=0.1)
    chat = ChannelModel(
        "chat", "chat", chat_contacts, distribution.lognormal(420, 0.9), patience=distribution.weibull(300, 0.8),
        bot=BotModel(0.3, distribution.lognormal(90, 0.5), 0.8), concurrency=3, concurrency_stretch=0.25,
        self_service_share=0.1)
    email = ChannelModel("email", "email", email_contacts, distribution.lognormal(360, 1.0), response_target_hours=8)
    voice_load = voice_calls * 260 / 1800
    chat_load = chat_contacts * 0.9 * 0.7 * 420 * 0.8 * 1.5 / 3 / 1800
    email_load = np.full(n, email_contacts.mean() * 360 / 1800)
    groups = (
        AgentGroupModel("voice team", ("voice",), np.ceil(voice_load + 2).astype(int), shrinkage=0.1),
        AgentGroupModel("digital team", ("chat", "email"), np.ceil((chat_load + email_load) / 0.75 + 2).astype(int), shrinkage=0.1),
        AgentGroupModel("blended", ("voice", "chat", "email"), np.ceil(0.15 * voice_load + 1).astype(int), shrinkage=0.1),
    )
    return SimulationModel(1800, n, (voice, chat, email), groups)
