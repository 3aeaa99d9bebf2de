"""Model builders shared by the simulator tests."""

from __future__ import annotations

import pytest

import simulator as sim
from simulator.examples import multichannel_day


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
