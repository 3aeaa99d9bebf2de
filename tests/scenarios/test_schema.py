"""Unit tests of the scenario schema: the minimal form, defaults, demand resolution, JSON Schema."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pydantic
import pytest
import yaml

from scenarios import PROFILE_NAMES, Scenario, load_profile, parse_scenario, scenario_json_schema
from scenarios.document.demand import open_mask, resolve_arrivals
from scenarios.errors import ScenarioError


def test_minimal_form_is_accepted_as_written(write_file, minimal_yaml):
    from scenarios import load_scenario

    scenario = load_scenario(write_file("single.yaml", minimal_yaml))
    voice = scenario.channels["voice"]
    assert scenario.name == "Single voice queue"
    assert (scenario.interval_minutes, scenario.intervals) == (30, 16)
    assert voice.arrivals_per_interval == (240.0,)
    assert (voice.aht_seconds, voice.patience_seconds) == (180.0, 120.0)
    assert (voice.service_level.target_seconds, voice.service_level.goal) == (20.0, 0.8)
    assert scenario.channel_kind("voice") == "voice"
    assert scenario.staff[0].name == "voice team"
    assert scenario.staff[0].channels == ("voice",)
    assert scenario.staff[0].agents == (26,)
    assert scenario.setup is None
    np.testing.assert_array_equal(resolve_arrivals(scenario, "voice"), np.full(16, 240.0))


def test_per_interval_lists_are_accepted(minimal_data):
    minimal_data["channels"]["voice"]["arrivals_per_interval"] = list(range(16))
    minimal_data["staff"][0]["agents"] = [20] * 8 + [30] * 8
    scenario = parse_scenario(minimal_data)
    assert scenario.channels["voice"].arrivals_per_interval == tuple(float(x) for x in range(16))
    assert scenario.staff[0].agents == (20,) * 8 + (30,) * 8


def test_omitting_patience_means_no_abandonment(minimal_data):
    del minimal_data["channels"]["voice"]["patience_seconds"]
    assert parse_scenario(minimal_data).channels["voice"].patience_seconds is None


def test_scenario_is_frozen(minimal_data):
    scenario = parse_scenario(minimal_data)
    with pytest.raises(pydantic.ValidationError):
        scenario.intervals = 3


def test_canonical_json_round_trips(minimal_data):
    minimal_data["start_time"] = "08:30"
    scenario = parse_scenario(minimal_data)
    again = parse_scenario(json.loads(scenario.to_canonical_json()))
    assert again.to_canonical_json() == scenario.to_canonical_json()
    assert again.start_time == 8 * 60 + 30


def test_channel_kind_inferred_from_name_or_required(minimal_data):
    minimal_data["channels"]["sms"] = {"arrivals_per_interval": 5, "aht_seconds": 300, "concurrency": 2}
    minimal_data["staff"][0]["channels"] = ["voice", "sms"]
    with pytest.raises(ScenarioError, match=r"channels\.sms\.kind: is required"):
        parse_scenario(minimal_data)
    minimal_data["channels"]["sms"]["kind"] = "chat"
    assert parse_scenario(minimal_data).channel_kind("sms") == "chat"


def test_distribution_options_are_accepted(minimal_data):
    voice = minimal_data["channels"]["voice"]
    voice["handle_time"] = {"kind": "lognormal", "cv": 0.8}
    voice["patience"] = {"kind": "weibull", "shape": 0.7}
    scenario = parse_scenario(minimal_data)
    assert scenario.channels["voice"].handle_time.cv == 0.8
    assert scenario.channels["voice"].patience.shape == 0.7
    del voice["aht_seconds"]
    voice["handle_time"] = {"kind": "empirical", "samples_seconds": [100, 200, 300]}
    assert parse_scenario(minimal_data).channels["voice"].mean_handle_seconds == 200.0


def test_bundled_profiles_sum_to_one_and_resample_exactly():
    assert {"weekday", "monday-peak", "weekend", "retail-peak-day", "flat"} <= set(PROFILE_NAMES)
    for name in PROFILE_NAMES:
        profile = load_profile(name)
        assert profile.shares.sum() == pytest.approx(1.0)
        for minutes in (5, 15, 30, 60):
            shares = profile.shares_for(intervals=1440 // minutes, interval_minutes=minutes)
            assert shares.sum() == pytest.approx(1.0), (name, minutes)
        # two 15-minute slots make the 30-minute interval
        half_hours = profile.shares_for(intervals=48, interval_minutes=30)
        np.testing.assert_allclose(half_hours, profile.shares[0::2] + profile.shares[1::2])


def test_daily_total_is_kept_over_the_open_hours(minimal_data):
    # a full day of 30-minute intervals; voice open 08:00-20:00: all 2400 calls in those 24 intervals
    minimal_data["intervals"] = 48
    voice = minimal_data["channels"]["voice"]
    del voice["arrivals_per_interval"]
    voice.update(daily_total=2400, profile="weekday", opening_hours={"open": "08:00", "close": "20:00"})
    scenario = parse_scenario(minimal_data)
    arrivals = resolve_arrivals(scenario, "voice")
    assert arrivals.sum() == pytest.approx(2400)
    assert (arrivals[:16] == 0).all() and (arrivals[40:] == 0).all()
    assert (arrivals[16:40] > 0).all()
    # a horizon covering only 08:00-12:00 gets the profile's part of the total, not all of it
    minimal_data.update(intervals=8, start_time="08:00")
    part = resolve_arrivals(parse_scenario(minimal_data), "voice")
    np.testing.assert_allclose(part, arrivals[16:24])


def test_open_days_and_holidays_close_the_channel(minimal_data):
    minimal_data.update(intervals=96, start_date=dt.date(2026, 12, 24))  # Thu 24, Fri 25 December
    minimal_data["channels"]["voice"]["opening_hours"] = {
        "open": "08:00", "close": "20:00", "days": ["mon", "tue", "wed", "thu", "fri"], "holidays": ["2026-12-25"]}
    scenario = parse_scenario(minimal_data)
    mask = open_mask(scenario, "voice")
    assert mask[:48].sum() == 24 and mask[48:].sum() == 0
    arrivals = resolve_arrivals(scenario, "voice")
    assert arrivals[~mask].sum() == 0 and arrivals[mask].min() == 240


def test_opening_days_need_a_start_date(minimal_data):
    minimal_data["channels"]["voice"]["opening_hours"] = {"open": "08:00", "close": "20:00", "days": ["mon"]}
    with pytest.raises(ScenarioError, match=r"channels\.voice\.opening_hours: open days and holidays need start_date"):
        parse_scenario(minimal_data)


def test_twenty_four_seven_string(minimal_data):
    minimal_data["channels"]["voice"]["opening_hours"] = "24/7"
    scenario = parse_scenario(minimal_data)
    assert scenario.channels["voice"].opening_hours is None
    assert open_mask(scenario, "voice").all()


def test_segments_split_a_total_demand(minimal_data):
    minimal_data["intervals"] = 48
    minimal_data["channels"] = {
        "voice": {"aht_seconds": 180},
        "chat": {"aht_seconds": 400, "concurrency": 2},
        "email": {"aht_seconds": 300},
    }
    minimal_data["staff"][0]["channels"] = ["voice", "chat", "email"]
    minimal_data["demand"] = {"daily_total": 1000, "profile": "weekday", "segments": [
        {"name": "under-35", "share": 0.4, "channel_mix": {"voice": 0.3, "chat": 0.6, "email": 0.1}},
        {"name": "35-plus", "share": 0.6, "channel_mix": {"voice": 0.7, "chat": 0.2, "email": 0.1}},
    ]}
    scenario = parse_scenario(minimal_data)
    totals = {name: resolve_arrivals(scenario, name).sum() for name in scenario.channels}
    assert totals == pytest.approx({"voice": 540, "chat": 360, "email": 100})
    # a what-if: younger customers become 70 % of the demand -> more chat, less voice
    minimal_data["demand"]["segments"][0]["share"] = 0.7
    minimal_data["demand"]["segments"][1]["share"] = 0.3
    shifted = parse_scenario(minimal_data)
    assert resolve_arrivals(shifted, "chat").sum() == pytest.approx(1000 * (0.7 * 0.6 + 0.3 * 0.2))
    assert resolve_arrivals(shifted, "voice").sum() < totals["voice"]


def test_history_csv_is_averaged_by_interval_of_day(minimal_data, tmp_path, write_file):
    rows = ["timestamp,voice"]
    for day, level in ((1, 10), (2, 30)):  # two days: 10 and 30 calls in every half hour
        for k in range(48):
            rows.append(f"2026-11-0{day} {k // 2:02d}:{(k % 2) * 30:02d},{level}")
    write_file("history.csv", "\n".join(rows) + "\n")
    del minimal_data["channels"]["voice"]["arrivals_per_interval"]
    minimal_data["channels"]["voice"]["history_csv"] = "history.csv"
    scenario = parse_scenario(minimal_data, base_dir=tmp_path)
    np.testing.assert_allclose(resolve_arrivals(scenario, "voice"), np.full(16, 20.0))


def test_json_schema_documents_every_field():
    schema = scenario_json_schema()
    assert set(schema["properties"]) >= {"name", "interval_minutes", "intervals", "channels", "staff", "demand",
                                          "costs", "setup", "setups"}
    undocumented = [f"Scenario.{key}" for key, value in schema["properties"].items() if "description" not in value]
    for model, definition in schema["$defs"].items():
        undocumented += [f"{model}.{key}" for key, value in definition.get("properties", {}).items()
                         if "description" not in value]
    assert undocumented == []
    setup = schema["properties"]["setup"]["anyOf"][0]
    assert setup["discriminator"]["propertyName"] == "kind"
    assert set(setup["discriminator"]["mapping"]) == {"in-house", "virtual", "cloud"}


@pytest.mark.slow
def test_bundled_examples_validate_against_the_json_schema():
    from importlib import resources

    import jsonschema

    schema = scenario_json_schema()
    folder = resources.files("scenarios") / "examples"
    checked = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".yaml"):
            continue
        data = yaml.safe_load(path.read_text())
        if not ("channels" in data and "staff" in data):  # sweep or seasonal files, not scenarios
            continue
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)
        checked.append(path.name)
    assert {"single_queue.yaml", "retail_inhouse_monday.yaml", "insurer_virtual.yaml",
            "ecommerce_cloud_peak.yaml"} <= set(checked)


def test_models_forbid_extra_keys_everywhere():
    import scenarios.document.scenario as schema_module
    import scenarios.document.setups as setups_module
    from scenarios.document.prices import CostModel

    models = [CostModel] + [getattr(m, n) for m in (schema_module, setups_module) for n in m.__all__
                            if isinstance(getattr(m, n), type) and issubclass(getattr(m, n), pydantic.BaseModel)]
    for model in models:
        assert model.model_config.get("extra") == "forbid", model
        assert model.model_config.get("frozen") is True, model


def test_scenario_class_is_the_public_one():
    assert Scenario.__module__ == "scenarios.document.scenario"


def test_unquoted_clock_times_read_as_clock_times(write_file, minimal_yaml):
    """YAML 1.1 would read an unquoted 10:30 as the base-60 integer 630; the loader reads text."""
    from scenarios import load_scenario

    text = minimal_yaml.replace("intervals: 16", "intervals: 16\nstart_time: 10:30")
    text = text.replace("aht_seconds: 180", "aht_seconds: 180\n    opening_hours: {open: 08:00, close: 19:30}")
    scenario = load_scenario(write_file("clock.yaml", text))
    assert scenario.start_time == 10 * 60 + 30
    assert scenario.channels["voice"].opening_hours.close == 19 * 60 + 30
    dumped = json.loads(scenario.to_canonical_json())
    assert dumped["start_time"] == "10:30" and dumped["channels"]["voice"]["opening_hours"]["open"] == "08:00"


def test_segment_shares_shift_as_a_what_if(minimal_data):
    minimal_data["intervals"] = 48
    minimal_data["channels"] = {"voice": {"aht_seconds": 180}, "chat": {"aht_seconds": 400, "concurrency": 2}}
    minimal_data["staff"][0]["channels"] = ["voice", "chat"]
    minimal_data["demand"] = {"daily_total": 1000, "segments": [
        {"name": "under-35", "share": 0.4, "channel_mix": {"voice": 0.2, "chat": 0.8}},
        {"name": "35-64", "share": 0.4, "channel_mix": {"voice": 0.6, "chat": 0.4}},
        {"name": "65-plus", "share": 0.2, "channel_mix": {"voice": 1.0}}]}
    scenario = parse_scenario(minimal_data)
    shifted = scenario.with_segment_shares({"under-35": 0.6})
    assert [s.share for s in shifted.demand.segments] == pytest.approx([0.6, 0.4 * 0.4 / 0.6, 0.2 * 0.4 / 0.6])
    assert resolve_arrivals(shifted, "chat").sum() > resolve_arrivals(scenario, "chat").sum()
    assert scenario.demand.segments[0].share == 0.4  # the original is unchanged
    with pytest.raises(ValueError, match="unknown segment 'teens'"):
        scenario.with_segment_shares({"teens": 0.1})
