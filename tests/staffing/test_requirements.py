"""Interval requirements table: shape, agreement with the engines it combines, arithmetic."""

import math

import numpy as np
import pandas as pd
import pytest

from staffing import (
    CHANNELS,
    REQUIREMENT_COLUMNS,
    ChatSettings,
    EmailSettings,
    Shrinkage,
    StaffingInputError,
    VoiceSettings,
    chat_required_agents,
    deferred_requirements,
    erlang_a,
    interval_requirements,
    required_agents,
    required_agents_erlang_a,
    service_level,
    square_root_staffing,
)
from staffing import requirements as req

VOLUMES = {
    "email": [20, 30, 0, 12],
    "voice": [100, 180, 0, 60],
    "chat": [15, 40, 0, 8],
}


@pytest.fixture(scope="module")
def table():
    return interval_requirements(VOLUMES, interval_minutes=30, shrinkage=0.25, interval_starts=["08:00", "08:30", "09:00", "09:30"])


def _channel(table, channel):
    return table[table[req.COLUMN_CHANNEL] == channel].reset_index(drop=True)


def test_columns_and_row_order(table):
    assert tuple(table.columns) == REQUIREMENT_COLUMNS
    assert len(table) == 4 * 3
    assert table[req.COLUMN_CHANNEL].tolist() == list(CHANNELS) * 4
    assert table[req.COLUMN_INTERVAL].tolist() == [i for i in range(4) for _ in CHANNELS]
    assert table[req.COLUMN_INTERVAL_START].tolist()[:3] == ["08:00"] * 3
    assert table[req.COLUMN_REQUIRED_AGENTS].dtype == "Int64"


def test_voice_matches_erlang_c_and_erlang_a(table):
    voice = _channel(table, "voice")
    settings = VoiceSettings()
    rate = np.array(VOLUMES["voice"], dtype=float) * 2  # per hour
    traffic = rate * settings.aht_seconds / 3600
    assert np.allclose(voice[req.COLUMN_TRAFFIC], traffic)
    busy = traffic > 0
    expected_c = required_agents(traffic[busy], settings.aht_seconds, settings.target_seconds, settings.service_level_goal)
    assert voice[req.COLUMN_REQUIRED_ERLANG_C].to_numpy()[busy].tolist() == list(expected_c)
    expected_a = required_agents_erlang_a(rate[busy], settings.aht_seconds, settings.patience_seconds, settings.target_seconds, settings.service_level_goal)
    assert voice[req.COLUMN_REQUIRED_ERLANG_A].to_numpy()[busy].tolist() == list(expected_a)
    estimate = square_root_staffing(traffic[busy], settings.aht_seconds, settings.target_seconds, settings.service_level_goal)
    assert voice[req.COLUMN_REQUIRED_SQUARE_ROOT].to_numpy()[busy].tolist() == [math.ceil(x) for x in np.atleast_1d(estimate)]
    # With a patience the staffing used is Erlang A, and the metrics are Erlang A's at it.
    assert voice[req.COLUMN_REQUIRED_AGENTS].tolist() == voice[req.COLUMN_REQUIRED_ERLANG_A].tolist()
    staffed = voice[req.COLUMN_REQUIRED_AGENTS].to_numpy(dtype=float)[busy]
    result = erlang_a(rate[busy], settings.aht_seconds, settings.patience_seconds, staffed, settings.target_seconds)
    assert np.allclose(voice[req.COLUMN_SERVICE_LEVEL].to_numpy()[busy], result.service_level)
    assert np.allclose(voice[req.COLUMN_ABANDON_RATE].to_numpy()[busy], result.p_abandon)
    assert np.allclose(voice[req.COLUMN_ASA].to_numpy()[busy], result.asa_seconds)
    assert np.all(voice[req.COLUMN_SERVICE_LEVEL].to_numpy()[busy] >= settings.service_level_goal)


def test_voice_without_patience_uses_erlang_c():
    table = interval_requirements({"voice": [100, 150]}, voice=VoiceSettings(patience_seconds=None))
    assert table[req.COLUMN_REQUIRED_ERLANG_A].isna().all()
    assert table[req.COLUMN_ABANDON_RATE].isna().all()
    assert table[req.COLUMN_REQUIRED_AGENTS].tolist() == table[req.COLUMN_REQUIRED_ERLANG_C].tolist()
    traffic = np.array([100, 150]) * 2 * 240 / 3600
    expected = service_level(traffic, table[req.COLUMN_REQUIRED_AGENTS].to_numpy(dtype=float), 240, 20)
    assert np.allclose(table[req.COLUMN_SERVICE_LEVEL], expected)


def test_chat_uses_stretch_and_reports_slots_in_the_erlang_c_column(table):
    chat = _channel(table, "chat")
    settings = ChatSettings()
    rate = np.array(VOLUMES["chat"], dtype=float) * 2
    stretch = chat_required_agents(rate, settings.aht_seconds, settings.concurrency, settings.target_seconds, settings.service_level_goal)
    slots = chat_required_agents(rate, settings.aht_seconds, settings.concurrency, settings.target_seconds, settings.service_level_goal, method="slots")
    assert chat[req.COLUMN_REQUIRED_AGENTS].tolist() == stretch.agents.tolist()
    assert chat[req.COLUMN_REQUIRED_ERLANG_C].tolist() == slots.agents.tolist()
    assert np.allclose(chat[req.COLUMN_SERVICE_LEVEL], stretch.service_level)
    assert chat[req.COLUMN_REQUIRED_ERLANG_A].isna().all()


def test_email_is_the_deferred_requirement(table):
    email = _channel(table, "email")
    settings = EmailSettings()
    plan = deferred_requirements(VOLUMES["email"], settings.aht_seconds, settings.response_target_hours, 30)
    assert email[req.COLUMN_REQUIRED_AGENTS].tolist() == plan.agents.tolist()
    assert np.allclose(email[req.COLUMN_BACKLOG_ITEMS], plan.backlog_items)
    assert email[req.COLUMN_SERVICE_LEVEL].isna().all()
    assert np.allclose(email[req.COLUMN_TRAFFIC], np.array(VOLUMES["email"]) * settings.aht_seconds / 1800)


def test_scheduled_agents_and_fte_arithmetic(table):
    required = table[req.COLUMN_REQUIRED_AGENTS].to_numpy(dtype=float)
    scheduled = table[req.COLUMN_SCHEDULED_AGENTS].to_numpy(dtype=float)
    assert scheduled.tolist() == [math.ceil(r / 0.75 - 1e-9) for r in required]
    assert np.allclose(table[req.COLUMN_FTE], scheduled * 0.5 / 8.0)


def test_hand_computed_voice_row():
    # 100 calls / 30 min, AHT 180 s: 10 Erlangs; Erlang C 80/20 needs 14 agents (SL 88.8 %);
    # shrinkage 30 % -> ceil(14 / 0.7) = 20 scheduled; 20 x 0.5 h / 8 h = 1.25 FTE.
    table = interval_requirements(
        {"voice": [100]}, voice=VoiceSettings(aht_seconds=180, patience_seconds=None), shrinkage=Shrinkage.single(0.3)
    )
    row = table.iloc[0]
    assert row[req.COLUMN_TRAFFIC] == pytest.approx(10.0)
    assert row[req.COLUMN_REQUIRED_AGENTS] == 14
    assert row[req.COLUMN_SCHEDULED_AGENTS] == 20
    assert row[req.COLUMN_FTE] == pytest.approx(1.25)
    assert row[req.COLUMN_OCCUPANCY] == pytest.approx(10 / 14)


def test_zero_volume_needs_nobody(table):
    quiet = table[table[req.COLUMN_INTERVAL] == 2]
    assert quiet[req.COLUMN_REQUIRED_AGENTS].tolist()[:2] == [0, 0]
    assert quiet[req.COLUMN_SERVICE_LEVEL].tolist()[:2] == [1.0, 1.0]


def test_accepts_a_dataframe_and_only_given_channels():
    table = interval_requirements(pd.DataFrame({"chat": [10, 20]}), interval_minutes=15)
    assert set(table[req.COLUMN_CHANNEL]) == {"chat"}
    assert table[req.COLUMN_INTERVAL_START].isna().all()


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: interval_requirements({"fax": [1]}), "unknown channel 'fax'; allowed channels: voice, chat, email"),
        (lambda: interval_requirements({"voice": [1, -2]}), "volumes['voice'] must be >= 0"),
        (lambda: interval_requirements({"voice": [1, 2], "chat": [1]}), "same number of intervals"),
        (lambda: interval_requirements({}), "volumes must map at least one channel"),
        (lambda: interval_requirements({"voice": [1]}, interval_minutes=0), "interval_minutes must be > 0"),
        (lambda: interval_requirements({"voice": [1]}, shrinkage=1.0), "shrinkage must be in [0, 1)"),
        (lambda: interval_requirements({"voice": [1]}, voice=VoiceSettings(service_level_goal=1.2)), "voice service_level_goal must be in the open interval (0, 1)"),
        (lambda: interval_requirements({"voice": [1]}, voice=VoiceSettings(patience_seconds=None, model="erlang_a")), "erlang_a needs patience_seconds"),
        (lambda: interval_requirements({"chat": [1]}, chat=ChatSettings(concurrency=0)), "concurrency must be a whole number >= 1"),
        (lambda: interval_requirements({"voice": [1]}, interval_starts=["08:00", "08:30"]), "interval_starts must have one label per interval (1)"),
    ],
)
def test_bad_input_names_the_argument_and_range(call, fragment):
    with pytest.raises(StaffingInputError) as error:
        call()
    assert fragment in str(error.value)
