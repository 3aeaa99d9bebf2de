"""``ccplan simulate``, ``ccplan compare`` and ``ccplan schema``: output shapes, progress, errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest

ISSUE_KPIS = ("offered", "answered", "abandoned", "service_level", "asa_seconds", "abandon_rate", "occupancy")


def test_json_output_has_the_issue_shape(write_file, run_cli, minimal_yaml):
    path = write_file("single.yaml", minimal_yaml)
    status, out, err = run_cli("simulate", path, "--replications", 3, "--seed", 42, "--json")
    assert status == 0
    assert err == ""  # --json with stdout not a terminal: no progress bar
    payload = json.loads(out)
    assert payload["replications"] == 3 and payload["seed"] == 42
    assert set(payload["channels"]) == {"voice"}
    voice = payload["channels"]["voice"]
    for kpi in ISSUE_KPIS:
        assert set(voice[kpi]) == {"mean", "ci95"}, kpi
        assert isinstance(voice[kpi]["mean"], float) and isinstance(voice[kpi]["ci95"], float), kpi
    assert voice["offered"]["mean"] == pytest.approx(240 * 16, rel=0.05)
    assert 0 <= voice["service_level"]["mean"] <= 1 and 0 <= voice["abandon_rate"]["mean"] <= 1
    assert payload["scenario"] == "Single voice queue" and payload["setup"] == "as-given"
    assert payload["goals"]["voice"]["service_level"] == {
        "target_seconds": 20.0, "goal": 0.8, "met": voice["service_level"]["mean"] >= 0.8}
    assert payload["costs"]["total"]["mean"] > 0
    assert payload["seat_shortfall_per_interval"] == [0] * 16


def test_same_seed_same_output(write_file, run_cli, minimal_yaml):
    path = write_file("single.yaml", minimal_yaml)
    first = run_cli("simulate", path, "--replications", 2, "--seed", 9, "--json")[1]
    second = run_cli("simulate", path, "--replications", 2, "--seed", 9, "--json")[1]
    assert first == second


def test_warmup_option(write_file, run_cli, minimal_yaml):
    path = write_file("single.yaml", minimal_yaml)
    payload = json.loads(run_cli("simulate", path, "--replications", 2, "--seed", 1, "--json", "--warmup-minutes", 60)[1])
    assert payload["warmup_seconds"] == 3600
    assert payload["channels"]["voice"]["offered"]["mean"] == pytest.approx(240 * 14, rel=0.06)


def test_text_output_and_progress_bar(write_file, run_cli, minimal_yaml):
    path = write_file("single.yaml", minimal_yaml)
    status, out, err = run_cli("simulate", path, "--replications", 3, "--seed", 1)
    assert status == 0
    assert "Single voice queue: setup as-given, 3 replications, seed 1" in out
    for label in ("offered", "answered", "service level", "ASA (s)", "abandon rate", "occupancy"):
        assert label in out
    assert "goal voice: 80% within 20 s:" in out
    assert err == ""  # stderr is not a terminal here: no progress bar (tests/scenarios/test_progress.py)
    status, _, err = run_cli("simulate", path, "--replications", 2, "--seed", 1, "--quiet")
    assert status == 0 and err == ""


def test_setup_option_applies_a_setup(write_file, run_cli, minimal_data):
    minimal_data["setups"] = [{"kind": "in-house", "seats": 20}]
    path = write_file("capped.yaml", minimal_data)
    payload = json.loads(run_cli("simulate", path, "--replications", 2, "--seed", 1, "--json", "--setup", "in-house")[1])
    assert payload["setup"] == "in-house" and payload["seat_shortfall_per_interval"] == [6] * 16
    assert payload["costs"]["items"]["seats"] > 0


@pytest.mark.parametrize(("argv", "fragment"), [
    (("--replications", 0), "argument --replications: must be a whole number in 1..10000"),
    (("--workers", 0), "argument --workers: must be a whole number in 1..256"),
    (("--warmup-minutes", -5), "argument --warmup-minutes: must be a number in [0, 1e+07]"),
    (("--warmup-minutes", 600), "warmup_minutes (in seconds) must be >= 0 and < the horizon"),
    (("--seed", -1), "argument --seed: must be a whole number >= 0"),
])
def test_bad_options_exit_2_in_one_line(write_file, run_cli, minimal_yaml, argv, fragment):
    path = write_file("single.yaml", minimal_yaml)
    status, out, err = run_cli("simulate", path, "--quiet", *argv)
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and fragment in err, err


def test_compare_cli_text_json_and_csv(write_file, run_cli, minimal_data, tmp_path):
    minimal_data["setups"] = [{"kind": "in-house", "seats": 24}]
    path = write_file("compare.yaml", minimal_data)
    out_csv = tmp_path / "table.csv"
    status, out, err = run_cli("compare", path, "--replications", 2, "--seed", 3, "--csv", out_csv)
    assert status == 0
    header = next(line for line in out.splitlines() if line.startswith("metric"))
    assert header.split() == ["metric", "in-house", "virtual", "cloud"]
    for metric in ("voice.service_level", "voice.asa_seconds", "voice.abandon_rate", "voice.occupancy",
                   "total_cost", "cost_per_contact"):
        assert any(line.startswith(metric) for line in out.splitlines()), metric
    assert err == ""  # stderr is not a terminal here: no progress bar
    table = pd.read_csv(out_csv)
    assert list(table.columns) == ["setup", "metric", "mean", "ci95"]
    assert set(table["setup"]) == {"in-house", "virtual", "cloud"}
    status, out, err = run_cli("compare", path, "--replications", 2, "--seed", 3, "--json", "--setups", "in-house,cloud")
    payload = json.loads(out)
    assert status == 0 and err == ""
    assert list(payload["setups"]) == ["in-house", "cloud"]
    assert payload["setups"]["in-house"]["metrics"]["seat_shortfall_agent_hours"]["mean"] == pytest.approx(2 * 8)
    assert "burst" in payload["setups"]["cloud"]["costs"]["items"]  # default cloud setup bursts, billed per minute


def test_compare_cli_refuses_unknown_setup(write_file, run_cli, minimal_yaml):
    path = write_file("single.yaml", minimal_yaml)
    status, out, err = run_cli("compare", path, "--setups", "in-house,offshore")
    assert status == 2 and out == ""
    assert err.strip() == "ccplan compare: error: --setups: unknown setup 'offshore'; choose from in-house, virtual, cloud"


def test_schema_cli_prints_the_json_schema(run_cli, tmp_path):
    status, out, _ = run_cli("schema")
    assert status == 0
    schema = json.loads(out)
    assert schema["title"] == "ccplan scenario" and "channels" in schema["properties"]
    import jsonschema
    jsonschema.Draft202012Validator.check_schema(schema)
    target = tmp_path / "scenario.schema.json"
    assert run_cli("schema", "-o", target)[0] == 0
    assert json.loads(target.read_text()) == schema


@pytest.mark.slow
def test_workers_do_not_change_the_results(write_file, run_cli, minimal_yaml):
    path = write_file("single.yaml", minimal_yaml)
    one = json.loads(run_cli("simulate", path, "--replications", 2, "--seed", 5, "--json")[1])
    two = json.loads(run_cli("simulate", path, "--replications", 2, "--seed", 5, "--json", "--workers", 2)[1])
    assert one == two


def test_intervals_option_reports_the_seat_shortfall_per_interval(write_file, run_cli, minimal_data):
    minimal_data["staff"][0]["agents"] = [20] * 8 + [30] * 8
    minimal_data["setup"] = {"kind": "in-house", "seats": 25}
    path = write_file("capped.yaml", minimal_data)
    status, out, _ = run_cli("simulate", path, "--replications", 2, "--seed", 1, "--quiet", "--intervals")
    assert status == 0
    table = out.split("\n\n")[-1].splitlines()
    assert table[0].split() == ["start", "voice.offered", "voice.service_level", "voice.abandon_rate",
                                "voice.asa_seconds", "scheduled_agents", "seated_agents", "seat_shortfall"]
    assert table[1].split()[0] == "00:00" and table[1].split()[-3:] == ["20", "20", "0"]
    assert table[16].split()[0] == "07:30" and table[16].split()[-3:] == ["30", "25", "5"]
    payload = json.loads(run_cli("simulate", path, "--replications", 2, "--seed", 1, "--json", "--intervals")[1])
    assert [row["seat_shortfall"] for row in payload["intervals"]] == [0] * 8 + [5] * 8
    assert payload["intervals"][0]["start"] == "00:00"


@pytest.mark.parametrize("command", ["compare", "staff", "plan"])
@pytest.mark.slow
def test_unwritable_csv_is_a_one_line_error(command, run_cli, write_file, minimal_data, tmp_path):
    path = write_file("scenario.yaml", minimal_data)
    extra = ["--replications", "2", "--seed", "1", "--quiet"] if command != "staff" else []
    status, _, err = run_cli(command, path, *extra, "--csv", tmp_path / "missing-folder" / "out.csv")
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and "--csv" in err and "cannot write" in err
