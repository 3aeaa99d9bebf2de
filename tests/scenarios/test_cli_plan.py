"""Tests of ``ccplan plan``: the text table, ``--json``, ``--csv``, roster flags and one-line errors (exit 2)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import scenarios
from scenarios.studies.plan import PLAN_COLUMNS

EXAMPLE = str(Path(scenarios.__file__).parent / "examples" / "single_queue.yaml")


def test_plan_prints_the_table(run_cli):
    status, out, err = run_cli("plan", EXAMPLE, "--replications", "3", "--max-replications", "6", "--seed", "1",
                               "--max-iterations", "2", "--quiet")
    assert status == 0, err
    assert "simulation-checked plan" in out and "replications 3 to 6 per iteration" in out and "precision 1 point(s)" in out
    for header in ("Erlang C", "Erlang A", "first", "sim. req.", "service level", "abandon", "decision", "why",
                   "undecided"):
        assert header in out
    assert "part-time at most 30% of shifts" in out
    assert "group voice team:" in out and "goal rule:" in out
    assert err == ""


def test_plan_json_csv_and_roster_flags(run_cli, tmp_path):
    out_csv = tmp_path / "plan.csv"
    status, out, err = run_cli("plan", EXAMPLE, "--replications", "3", "--max-replications", "3", "--seed", "1",
                               "--json", "--csv", out_csv, "--max-iterations", "2", "--part-time-hours", "0",
                               "--shift-hours", "8", "--shift-hours", "6", "--breaks", "2", "--break-minutes", "15",
                               "--break-window", "2", "5")
    assert status == 0, err
    payload = json.loads(out)
    assert payload["replications"] == 3 and payload["seed"] == 1 and payload["max_iterations"] == 2
    assert payload["roster_rules"]["shift_hours"] == [8.0, 6.0] and payload["roster_rules"]["break_count"] == 2
    assert len(payload["iterations"]) <= 2
    assert len(payload["intervals"]) == 16
    shifts = [row for rows in payload["schedules"].values() for row in rows]
    assert all("-4h" not in row["template"] for row in shifts)
    assert all(len(row["break_start"].split(",")) == 2 for row in shifts)  # two breaks per shift
    with out_csv.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == PLAN_COLUMNS and len(rows) == 17


def test_malformed_file_exits_2_with_one_line(run_cli, write_file, minimal_data):
    minimal_data["channels"]["voice"]["aht_secs"] = 180
    path = write_file("bad.yaml", minimal_data)
    status, out, err = run_cli("plan", path)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "ccplan plan: error:" in err and "aht_secs" in err


@pytest.mark.parametrize(("flags", "fragment"), [
    (["--replications", "1"], "--replications must be >= 2"),
    (["--shift-hours", "nan"], "--shift-hours"),
    (["--shift-hours", "inf"], "--shift-hours"),
    (["--shift-hours", "100"], "--shift-hours"),
    (["--part-time-hours", "nan"], "--part-time-hours"),
    (["--max-part-time-share", "2"], "--max-part-time-share"),
    (["--breaks", "7"], "--breaks"),
    (["--break-window", "5", "2"], "--break-window"),
    (["--seats", "-3"], "--seats"),
    (["--max-replications", "2", "--replications", "3"], "--max-replications"),
    (["--warmup-minutes", "nan"], "--warmup-minutes"),
    (["--precision", "60"], "--precision"),
    (["--shift-hours", "10", "--part-time-hours", "0"], "no shift fits"),
])
def test_bad_options_exit_2_with_one_line_naming_the_flag(run_cli, write_file, minimal_data, flags, fragment):
    path = write_file("ok.yaml", minimal_data)
    status, out, err = run_cli("plan", path, "--quiet", *flags)
    assert status == 2 and out == "", err
    assert fragment in err and err.count("\n") == 1
    status, _, err = run_cli("plan", path, "--replications", "0")
    assert status == 2 and "argument --replications: must be a whole number in 1..10000" in err
