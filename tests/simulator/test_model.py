"""Unit tests: the input model refuses bad values before any run, naming the field path."""

from __future__ import annotations

import numpy as np
import pytest

import simulator as sim
from simulator import AgentGroupModel, ChannelModel, Distribution, ModelError, SimulationModel


def voice(**options) -> ChannelModel:
    values = {"name": "voice", "kind": "voice", "arrivals_per_interval": [100, 120],
              "handle_time": Distribution.exponential(180)}
    values.update(options)
    return ChannelModel(**values)


def team(**options) -> AgentGroupModel:
    values = {"name": "team", "channels": ["voice"], "agents_per_interval": [10, 12]}
    values.update(options)
    return AgentGroupModel(**values)


def centre(channels=None, groups=None, **options) -> SimulationModel:
    return SimulationModel(1800, 2, channels or [voice()], groups or [team()], **options)


def test_valid_model_is_frozen_and_resolved():
    model = centre()
    assert model.horizon_seconds == 3600
    assert model.routing == {"voice": ("team",)}
    assert model.channel("voice").aht_seconds == 180
    with pytest.raises(AttributeError):
        model.intervals = 3
    with pytest.raises(ValueError):
        model.arrivals_per_interval(0)[0] = 1.0  # read-only array


def test_single_values_broadcast_to_every_interval():
    model = SimulationModel(1800, 4, [voice(arrivals_per_interval=50)], [team(agents_per_interval=[7])])
    assert model.arrivals_per_interval("voice").tolist() == [50.0] * 4
    assert model.agents_per_interval("team").tolist() == [7] * 4


@pytest.mark.parametrize(
    ("build", "fragments"),
    [
        (lambda: voice(arrivals_per_interval=[100, -5]), ["channels.voice.arrivals_per_interval", ">= 0", "-5"]),
        (lambda: voice(arrivals_per_interval=[100, float("nan")]), ["channels.voice.arrivals_per_interval", "finite"]),
        (lambda: voice(patience=Distribution.exponential(0)), ["channels.voice.patience.mean_seconds", "> 0", "0"]),
        (lambda: voice(patience=Distribution.exponential(-3)), ["channels.voice.patience.mean_seconds", "-3"]),
        (lambda: voice(handle_time=Distribution.lognormal(180, 0)), ["channels.voice.handle_time.cv", "> 0"]),
        (lambda: voice(handle_time=Distribution.empirical([10, -1])), ["channels.voice.handle_time.samples_seconds", ">= 0"]),
        (lambda: voice(kind="fax"), ["channels.voice.kind", "voice, chat, email", "fax"]),
        (lambda: voice(kind="chat", concurrency=0), ["channels.voice.concurrency", ">= 1", "0"]),
        (lambda: voice(concurrency=2), ["channels.voice.concurrency", "must be 1 for a voice channel"]),
        (lambda: voice(self_service_share=1.5), ["channels.voice.self_service_share", "<= 1", "1.5"]),
        (lambda: voice(service_level_target_seconds=0), ["channels.voice.service_level_target_seconds", "> 0"]),
        (lambda: voice(kind="email", patience=Distribution.exponential(60)), ["channels.voice.patience", "email"]),
        (lambda: voice(kind="email", response_target_hours=-1), ["channels.voice.response_target_hours", "> 0"]),
        (lambda: voice(retrial=sim.RetrialModel(0.5, 60)), ["channels.voice.retrial", "patience"]),
        (lambda: voice(patience=Distribution.exponential(60), retrial=sim.RetrialModel(2, 60)), ["channels.voice.retrial.probability", "<= 1"]),
        (lambda: voice(bot=sim.BotModel(0.3, Distribution.exponential(-1))), ["channels.voice.bot.bot_time.mean_seconds", "> 0"]),
        (lambda: voice(forecast_error_cv=-0.1), ["channels.voice.forecast_error_cv", ">= 0"]),
        (lambda: voice(after_contact_work_seconds=-1), ["channels.voice.after_contact_work_seconds", ">= 0"]),
        (lambda: team(agents_per_interval=[10, -1]), ["groups.team.agents_per_interval", ">= 0", "-1"]),
        (lambda: team(agents_per_interval=[10, 2.5]), ["groups.team.agents_per_interval", "whole", "2.5"]),
        (lambda: team(shrinkage=1.0), ["groups.team.shrinkage", "< 1", "1.0"]),
        (lambda: team(channels=[]), ["groups.team.channels", "at least one"]),
        (lambda: centre(groups=[team(agents_per_interval=[1, 2, 3])]), ["groups.team.agents_per_interval", "2 values", "got 3"]),
        (lambda: centre(channels=[voice(arrivals_per_interval=[1, 2, 3])]), ["channels.voice.arrivals_per_interval", "2 values", "got 3"]),
        (lambda: centre(channels=[voice(), voice(name="chat", kind="chat")]), ["channels.chat", "served by no agent group"]),
        (lambda: centre(groups=[team(channels=["voice", "sms"])]), ["groups.team.channels", "unknown channel", "sms"]),
        (lambda: centre(groups=[team(agents_per_interval=[0, 0])]), ["channels.voice", "0 agents"]),
        (lambda: centre(routing={"voice": ["nobody"]}), ["routing.voice", "unknown group", "nobody"]),
        (lambda: centre(warmup_seconds=3600), ["warmup_seconds", "< the horizon", "3600"]),
        (lambda: centre(warmup_seconds=-1), ["warmup_seconds", ">= 0"]),
        (lambda: SimulationModel(0, 2, [voice()], [team()]), ["interval_seconds", "> 0"]),
        (lambda: SimulationModel(1800, 0, [voice()], [team()]), ["intervals", ">= 1"]),
        (lambda: centre(channels=[voice(), voice()]), ["channels names must be unique", "voice"]),
    ],
)
def test_bad_models_are_refused_naming_the_field(build, fragments):
    with pytest.raises(ModelError) as error:
        build()
    message = str(error.value)
    for fragment in fragments:
        assert fragment in message, message


def test_model_error_is_a_value_error():
    assert issubclass(ModelError, ValueError)


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [({"replications": 0}, "replications"), ({"workers": 0}, "workers"), ({"seed": -1}, "seed"),
     ({"warmup_seconds": -5}, "warmup_seconds"), ({"progress": 3}, "progress")],
)
def test_simulate_refuses_bad_arguments_before_running(arguments, fragment):
    with pytest.raises(ModelError, match=fragment):
        sim.simulate(centre(), **arguments)


def test_distribution_means():
    rng = np.random.default_rng(1)
    for distribution in (Distribution.exponential(100), Distribution.lognormal(100, 0.5),
                         Distribution.weibull(100, 1.7), Distribution.deterministic(100)):
        distribution.validate("x")
        sample = distribution.sample(rng, 200_000)
        assert sample.mean() == pytest.approx(100, rel=0.01)
        assert (sample > 0).all()
    lognormal = Distribution.lognormal(100, 0.5).sample(rng, 200_000)
    assert lognormal.std() / lognormal.mean() == pytest.approx(0.5, rel=0.03)
    empirical = Distribution.empirical([10, 20, 60])
    empirical.validate("x")
    assert empirical.mean_seconds == pytest.approx(30)
    assert set(empirical.sample(rng, 100).tolist()) <= {10.0, 20.0, 60.0}
