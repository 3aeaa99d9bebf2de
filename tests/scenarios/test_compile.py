"""Scenario -> simulator.SimulationModel: every file field lands in the engine's input."""

from __future__ import annotations

import numpy as np
import pytest

from scenarios import compile_model, compile_scenario, parse_scenario
from simulator import SimulationModel


def test_minimal_scenario_compiles_to_the_expected_model(minimal_data):
    model = compile_model(parse_scenario(minimal_data))
    assert isinstance(model, SimulationModel)
    assert (model.interval_seconds, model.intervals, model.warmup_seconds) == (1800.0, 16, 0.0)
    voice = model.channel("voice")
    assert voice.kind == "voice"
    np.testing.assert_array_equal(model.arrivals_per_interval("voice"), np.full(16, 240.0))
    assert (voice.handle_time.kind, voice.handle_time.mean_seconds) == ("exponential", 180.0)
    assert (voice.patience.kind, voice.patience.mean_seconds) == ("exponential", 120.0)
    assert voice.service_level_target_seconds == 20.0
    (group,) = model.groups
    assert group.name == "voice team" and group.channels == ("voice",) and group.shrinkage == 0.0
    np.testing.assert_array_equal(model.agents_per_interval("voice team"), np.full(16, 26))


def test_no_patience_compiles_to_no_abandonment(minimal_data):
    del minimal_data["channels"]["voice"]["patience_seconds"]
    assert compile_model(parse_scenario(minimal_data)).channel("voice").patience is None


def test_every_channel_option_reaches_the_engine(minimal_data):
    minimal_data["channels"]["voice"].update(
        handle_time={"kind": "lognormal", "cv": 0.6}, patience={"kind": "weibull", "shape": 0.8},
        after_contact_work_seconds=15, retrial={"probability": 0.4, "mean_delay_seconds": 300},
        callback_threshold_seconds=45, forecast_error_cv=0.1, self_service_share=0.05,
        bot={"resolved_share": 0.2, "bot_time_seconds": 50, "escalated_handle_time_factor": 0.9},
    )
    minimal_data["channels"]["chat"] = {
        "arrivals_per_interval": 30, "aht_seconds": 500, "concurrency": 3, "concurrency_stretch": 0.2,
        "handle_time": {"kind": "empirical", "samples_seconds": [400, 500, 600]}, "patience_seconds": 300,
        "patience": {"kind": "lognormal", "cv": 1.2}, "routing": ["chat team", "voice team"],
    }
    del minimal_data["channels"]["chat"]["aht_seconds"]
    minimal_data["channels"]["email"] = {"arrivals_per_interval": 10, "aht_seconds": 300, "response_target_hours": 4}
    minimal_data["staff"][0]["channels"] = ["voice", "chat"]
    minimal_data["staff"].append({"name": "chat team", "channels": ["chat", "email"], "agents": 5, "shrinkage": 0.2})
    minimal_data.update(warmup_minutes=30, email_after_realtime=False)
    model = compile_model(parse_scenario(minimal_data))
    voice, chat, email = model.channel("voice"), model.channel("chat"), model.channel("email")
    assert (voice.handle_time.kind, voice.handle_time.cv) == ("lognormal", 0.6)
    assert (voice.patience.kind, voice.patience.shape, voice.patience.mean_seconds) == ("weibull", 0.8, 120.0)
    assert voice.after_contact_work_seconds == 15
    assert (voice.retrial.probability, voice.retrial.mean_delay_seconds) == (0.4, 300)
    assert voice.callback_threshold_seconds == 45 and voice.forecast_error_cv == 0.1
    assert voice.self_service_share == 0.05
    assert (voice.bot.resolved_share, voice.bot.bot_time.mean_seconds, voice.bot.escalated_handle_time_factor) == (0.2, 50, 0.9)
    assert (chat.kind, chat.concurrency, chat.concurrency_stretch) == ("chat", 3, 0.2)
    assert chat.handle_time.kind == "empirical" and chat.handle_time.mean_seconds == 500
    assert (chat.patience.kind, chat.patience.cv) == ("lognormal", 1.2)
    assert email.kind == "email" and email.response_target_hours == 4 and email.patience is None
    assert model.routing["chat"] == ("chat team", "voice team")
    assert model.routing["voice"] == ("voice team",)
    assert model.groups[1].shrinkage == 0.2
    assert model.warmup_seconds == 1800 and model.email_after_realtime is False


def test_warmup_override(minimal_data):
    scenario = parse_scenario(minimal_data)
    assert compile_model(scenario, warmup_minutes=60).warmup_seconds == 3600


def test_interval_labels(minimal_data):
    minimal_data.update(start_time="22:00", intervals=6)
    labels = compile_scenario(parse_scenario(minimal_data)).scenario.interval_labels()
    assert labels == ["22:00", "22:30", "23:00", "23:30", "00:00+1d", "00:30+1d"]


def test_compiled_model_is_frozen(minimal_data):
    compiled = compile_scenario(parse_scenario(minimal_data))
    with pytest.raises(ValueError, match="read-only"):
        compiled.model.arrivals_per_interval("voice")[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        compiled.scheduled_agents["voice team"][0] = 1
