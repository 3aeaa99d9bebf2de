"""Model builders shared by the simulator tests."""

from __future__ import annotations

import numpy as np
import pytest

import simulator as sim


def single_queue(
    *,
    rate_per_hour: float,
    aht_seconds: float,
    agents: int,
    hours: float,
    patience_seconds: float | None = None,
    kind: str = "voice",
    name: str = "queue",
    interval_seconds: float = 1800.0,
    warmup_seconds: float = 0.0,
    target_seconds: float = 20.0,
    handle_time: sim.Distribution | None = None,
    patience: sim.Distribution | None = None,
    **channel_options,
) -> sim.SimulationModel:
    """A stationary single-channel, single-group model (M/M/n or M/M/n+M by default)."""
    intervals = int(round(hours * 3600.0 / interval_seconds))
    if patience is None and patience_seconds is not None:
        patience = sim.Distribution.exponential(patience_seconds)
    channel = sim.ChannelModel(
        name=name,
        kind=kind,
        arrivals_per_interval=[rate_per_hour * interval_seconds / 3600.0],
        handle_time=handle_time or sim.Distribution.exponential(aht_seconds),
        patience=patience,
        service_level_target_seconds=target_seconds,
        **channel_options,
    )
    group = sim.AgentGroupModel("agents", [name], [agents])
    return sim.SimulationModel(interval_seconds, intervals, [channel], [group], warmup_seconds=warmup_seconds)


def multichannel_day(days: int = 1, contacts_per_day: float = 5000.0) -> sim.SimulationModel:
    """Voice (retrials, callback, forecast error) + chat (bot, self-service, concurrency 3) + email,
    three groups with a daily profile, shrinkage and shift changes, 30-minute intervals."""
    distribution = sim.Distribution
    n = 48 * days
    t = (np.arange(n) % 48) / 48.0
    profile = np.where((t >= 0.3) & (t < 0.85), np.sin(np.pi * (t - 0.3) / 0.55) + 0.2, 0.02)
    profile = profile / profile[:48].sum()
    voice_calls = 0.55 * contacts_per_day * profile
    chat_contacts = 0.35 * contacts_per_day * profile
    email_contacts = 0.10 * contacts_per_day * profile
    voice = sim.ChannelModel(
        "voice", "voice", voice_calls, distribution.lognormal(240, 0.8),
        patience=distribution.exponential(150), retrial=sim.RetrialModel(0.3, 600),
        callback_threshold_seconds=240, after_contact_work_seconds=20, forecast_error_cv=0.1)
    chat = sim.ChannelModel(
        "chat", "chat", chat_contacts, distribution.lognormal(420, 0.9), patience=distribution.weibull(300, 0.8),
        bot=sim.BotModel(0.3, distribution.lognormal(90, 0.5), 0.8), concurrency=3, concurrency_stretch=0.25,
        self_service_share=0.1)
    email = sim.ChannelModel("email", "email", email_contacts, distribution.lognormal(360, 1.0), response_target_hours=8)
    voice_load = voice_calls * 260 / 1800
    chat_load = chat_contacts * 0.9 * 0.7 * 420 * 0.8 * 1.5 / 3 / 1800
    email_load = np.full(n, email_contacts.mean() * 360 / 1800)
    groups = [
        sim.AgentGroupModel("voice team", ["voice"], np.ceil(voice_load + 2).astype(int), shrinkage=0.1),
        sim.AgentGroupModel("digital team", ["chat", "email"], np.ceil((chat_load + email_load) / 0.75 + 2).astype(int), shrinkage=0.1),
        sim.AgentGroupModel("blended", ["voice", "chat", "email"], np.ceil(0.15 * voice_load + 1).astype(int), shrinkage=0.1),
    ]
    return sim.SimulationModel(1800, n, [voice, chat, email], groups)


@pytest.fixture(scope="session")
def day_model() -> sim.SimulationModel:
    return multichannel_day()


@pytest.fixture(scope="session")
def day_result(day_model) -> sim.SimulationResult:
    return sim.simulate(day_model, replications=3, seed=2024, keep_records=True)


@pytest.fixture(scope="session")
def make_single_queue():
    """The :func:`single_queue` builder (fixtures, because tests import no sibling modules)."""
    return single_queue


@pytest.fixture(scope="session")
def make_day_model():
    """The :func:`multichannel_day` builder."""
    return multichannel_day
