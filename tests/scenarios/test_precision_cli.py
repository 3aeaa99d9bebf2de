"""Run length and precision on the command line, and one definition per KPI in the outputs (issue 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from scenarios.document.loader import parse_scenario
from scenarios.studies.run import run_length
from simulator import PrecisionTarget

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
def small_data(minimal_data):
    """The minimal scenario shortened to 4 intervals (fast replications)."""
    minimal_data["intervals"] = 4
    return minimal_data


def test_run_length_precedence(minimal_data):
    default = run_length(parse_scenario(minimal_data))
    assert isinstance(default, PrecisionTarget)
    assert (default.share_half_width, default.asa_half_width_seconds, default.min_replications,
            default.max_replications) == (0.01, 2.0, 5, 200)
    assert run_length(parse_scenario(minimal_data), replications=4) == 4
    assert run_length(parse_scenario(minimal_data), precision_points=3).share_half_width == pytest.approx(0.03)
    assert run_length(parse_scenario(minimal_data | {"replications": 7})) == 7
    with_block = parse_scenario(minimal_data | {"replications": 7, "precision": {"share_points": 2, "asa_seconds": 5}})
    target = run_length(with_block)
    assert target.share_half_width == pytest.approx(0.02) and target.asa_half_width_seconds == 5
    assert run_length(with_block, precision_points=4).asa_half_width_seconds == 5
    assert run_length(with_block, replications=3) == 3


def test_simulate_runs_to_a_precision_target_and_reports_it(write_file, run_cli, small_data):
    path = write_file("small.yaml", small_data)
    status, out, _ = run_cli("simulate", path, "--precision", 4, "--seed", 3, "--json")
    assert status == 0
    payload = json.loads(out)
    precision = payload["precision"]
    assert precision["target"]["share_half_width"] == pytest.approx(0.04) and precision["met"] is True
    assert payload["replications"] == precision["replications"] >= 5
    voice = precision["kpis"]["voice"]
    assert voice["service_level"]["half_width"] <= 0.04 and voice["abandon_rate"]["half_width"] <= 0.04
    assert voice["asa_seconds"]["half_width"] <= 2.0
    for name in ("service_level", "service_level_excluding_short_abandons", "service_level_of_answered"):
        assert payload["channels"]["voice"][name]["mean"] is not None
    assert "short abandons" not in payload["definitions"]["service_level_of_answered"]
    assert "count as missed" in payload["definitions"]["service_level"]
    status, text, _ = run_cli("simulate", path, "--precision", 4, "--seed", 3, "--quiet")
    assert f"{payload['replications']} replications" in text and "precision target" in text and ": met with" in text


def test_too_few_replications_say_so_in_text_and_json(write_file, run_cli, small_data):
    path = write_file("small.yaml", small_data)
    status, text, _ = run_cli("simulate", path, "--replications", 2, "--seed", 1, "--quiet")
    assert status == 0
    assert "± n/a (2 replications)" in text
    payload = json.loads(run_cli("simulate", path, "--replications", 2, "--seed", 1, "--json")[1])
    entry = payload["channels"]["voice"]["service_level"]
    assert entry["ci95"] is None and "too few replications (2" in entry["reason"]
    assert payload["confidence_intervals"]["channels"]["voice"]["service_level"]["low"] is None


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--replications", "3", "--precision", "1"], "--replications and --precision"),
    (["--precision", "0"], "--precision: must be a number in (0, 50]"),
    (["--precision", "60"], "--precision: must be a number in (0, 50]"),
    (["--replications", "0"], "--replications: must be a whole number in 1..10000"),
])
def test_bad_run_length_flags_are_one_line_errors(write_file, run_cli, small_data, argv, fragment):
    path = write_file("small.yaml", small_data)
    status, _, err = run_cli("simulate", path, *argv)
    assert status == 2 and fragment in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("block", "field"), [
    ({"share_points": 0}, "precision.share_points"),
    ({"asa_seconds": -1}, "precision.asa_seconds"),
    ({"min_replications": 2}, "precision.min_replications"),
    ({"min_replications": 10, "max_replications": 5}, "precision.max_replications"),
])
def test_bad_precision_block_names_the_field(write_file, run_cli, small_data, block, field):
    path = write_file("bad.yaml", small_data | {"precision": block})
    status, _, err = run_cli("simulate", path)
    assert status == 2 and field in err


def test_precision_block_in_the_file_is_used(write_file, run_cli, small_data):
    data = small_data | {"precision": {"share_points": 0.01, "min_replications": 3, "max_replications": 4}}
    payload = json.loads(run_cli("simulate", write_file("block.yaml", data), "--seed", 2, "--json")[1])
    assert payload["replications"] == 4 and payload["precision"]["met"] is False
    assert payload["precision"]["target"]["max_replications"] == 4


def test_compare_runs_each_setup_to_the_target(write_file, run_cli, small_data):
    path = write_file("small.yaml", small_data)
    status, out, _ = run_cli("compare", path, "--setups", "in-house,virtual", "--precision", 5, "--seed", 4, "--json")
    assert status == 0
    setups = json.loads(out)["setups"]
    for kind in ("in-house", "virtual"):
        assert setups[kind]["precision"]["met"] is True and setups[kind]["replications"] >= 5
        metrics = setups[kind]["metrics"]
        for name in ("service_level", "service_level_excluding_short_abandons", "service_level_of_answered"):
            assert f"voice.{name}" in metrics


def test_staff_outputs_name_the_requirement_after_shrinkage(run_cli, tmp_path):
    target = tmp_path / "requirements.csv"
    status, out, _ = run_cli("staff", REPOSITORY / "scenarios" / "examples" / "example_day.csv", "--csv", target)
    assert status == 0
    columns = list(pd.read_csv(target).columns)
    assert "required_after_shrinkage" in columns and "scheduled_agents" not in columns
    assert "req+shrink" in out and "required after shrinkage" in out
