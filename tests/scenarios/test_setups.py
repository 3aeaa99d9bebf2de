"""The setups' levers, applied at compile time to the same demand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios import (
    CloudSetup,
    InHouseSetup,
    VirtualSetup,
    compile_scenario,
    default_setup,
    parse_scenario,
)
from scenarios.bridge.effects import clip_to_seats, incident_mask


@given(st.lists(st.lists(st.integers(0, 60), min_size=5, max_size=5), min_size=1, max_size=4),
       st.integers(0, 150))
def test_clip_to_seats_properties(rows, seats):
    """Property: never more than the seats, never more than scheduled, shortfall = the difference,
    and intervals under the cap are untouched."""
    agents = np.array(rows)
    seated, shortfall = clip_to_seats(agents, seats)
    assert (seated.sum(axis=0) <= seats).all()
    assert (seated <= agents).all() and (seated >= 0).all()
    np.testing.assert_array_equal(shortfall, agents.sum(axis=0) - seated.sum(axis=0))
    under = agents.sum(axis=0) <= seats
    np.testing.assert_array_equal(seated[:, under], agents[:, under])
    over = ~under
    assert (seated.sum(axis=0)[over] == seats).all()  # every seat used when the cap binds


def test_clip_to_seats_shares_in_proportion():
    seated, shortfall = clip_to_seats(np.array([[60, 10], [30, 10], [10, 10]]), 50)
    np.testing.assert_array_equal(seated[:, 0], [30, 15, 5])
    np.testing.assert_array_equal(seated[:, 1], [10, 10, 10])
    np.testing.assert_array_equal(shortfall, [50, 0])
    assert clip_to_seats(np.array([[5, 6]]), None)[1].tolist() == [0, 0]


def test_incident_mask():
    incident = CloudSetup.model_validate({"notifications": {"incidents": [{"start": "10:00", "end": "11:00"}]}}).notifications.incidents
    mask = incident_mask(incident, intervals=8, interval_minutes=30, start_minute=8 * 60)
    assert mask.tolist() == [False, False, False, False, True, True, False, False]


@pytest.fixture
def peak(minimal_data):
    minimal_data["staff"][0]["agents"] = [20] * 4 + [40] * 8 + [20] * 4
    minimal_data["staff"].append({"name": "support", "channels": ["voice"], "agents": 10, "shrinkage": 0.1})
    return parse_scenario(minimal_data)


def test_in_house_seats_clip_the_headcount_and_report_the_shortfall(peak):
    compiled = compile_scenario(peak, InHouseSetup(seats=40))
    total = compiled.model.agents_per_interval("voice team") + compiled.model.agents_per_interval("support")
    assert total.max() == 40
    assert compiled.seat_shortfall.tolist() == [0] * 4 + [10] * 8 + [0] * 4
    np.testing.assert_array_equal(compiled.scheduled_agents["voice team"], [20] * 4 + [40] * 8 + [20] * 4)
    assert compile_scenario(peak, "in-house").seat_shortfall.sum() == 0  # default: no cap


def test_virtual_changes_handle_time_shrinkage_and_schedule(peak):
    setup = VirtualSetup(aht_factor=1.1, shrinkage_change=-0.05, schedules={"support": [5] * 8 + [15] * 8})
    model = compile_scenario(peak, setup).model
    assert model.channel("voice").aht_seconds == pytest.approx(198.0)
    assert model.groups[0].shrinkage == 0.0  # clipped at 0
    assert model.groups[1].shrinkage == pytest.approx(0.05)
    np.testing.assert_array_equal(model.agents_per_interval("support"), [5] * 8 + [15] * 8)
    np.testing.assert_array_equal(model.agents_per_interval("voice team"), [20] * 4 + [40] * 8 + [20] * 4)


def test_cloud_notifications_and_burst_compile_into_the_engine(peak):
    setup = CloudSetup.model_validate({"notifications": {"deflected_share": 0.25, "incidents": [{"start": "02:00", "end": "03:00"}]},
                                       "callbacks": {"threshold_seconds": 40},
                                       "burst": {"threshold": 45, "startup_lag_seconds": 240, "max_agents": 7,
                                                 "min_session_minutes": 20}})
    compiled = compile_scenario(peak, setup)
    # Demand is unchanged: the engine deflects a share of each incident interval's arrivals.
    np.testing.assert_allclose(compiled.model.arrivals_per_interval("voice"), np.full(16, 240.0))
    share = np.zeros(16)
    share[4:6] = 0.25
    np.testing.assert_allclose(compiled.model.notification_share_per_interval("voice"), share)
    np.testing.assert_allclose(compiled.notification_deflected["voice"].sum(), 120.0)
    assert compiled.model.channel("voice").callback_threshold_seconds == 40
    burst = compiled.model.groups[-1]
    assert burst.elastic is not None and burst.channels == ("voice",)
    assert (burst.elastic.threshold, burst.elastic.startup_lag_seconds, burst.elastic.max_agents,
            burst.elastic.min_session_seconds) == (45, 240, 7, 1200)
    assert compiled.model.routing["voice"][-1] == burst.name


def test_channel_callback_threshold_wins_over_the_setup(minimal_data):
    minimal_data["channels"]["voice"]["callback_threshold_seconds"] = 10
    compiled = compile_scenario(parse_scenario(minimal_data), "cloud")
    assert compiled.model.channel("voice").callback_threshold_seconds == 10


def test_setup_kinds_take_the_file_configuration_then_defaults(minimal_data):
    minimal_data["setup"] = {"kind": "in-house", "seats": 20}
    minimal_data["setups"] = [{"kind": "virtual", "aht_factor": 1.2}]
    scenario = parse_scenario(minimal_data)
    assert scenario.setup_for("in-house").seats == 20
    assert scenario.setup_for("virtual").aht_factor == 1.2
    assert scenario.setup_for("cloud") == default_setup("cloud")
    assert compile_scenario(scenario).setup_kind == "in-house"
    assert compile_scenario(scenario).seat_shortfall.max() == 6


def test_default_assumptions_are_documented():
    for kind in ("in-house", "virtual", "cloud"):
        setup = default_setup(kind)
        assert setup.kind == kind
        for name, field in type(setup).model_fields.items():
            assert field.description, (kind, name)
    with pytest.raises(ValueError, match="setup kind must be one of"):
        default_setup("offshore")
