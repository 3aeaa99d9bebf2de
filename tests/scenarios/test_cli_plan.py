"""Tests of ``ccplan plan``: the text table, ``--json``, ``--csv`` and one-line errors (exit 2)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import scenarios
from scenarios.studies.plan import PLAN_COLUMNS

EXAMPLE = str(Path(scenarios.__file__).parent / "examples" / "single_queue.yaml")


def test_plan_prints_the_table(run_cli):
    status, out, err = run_cli("plan", EXAMPLE, "--replications", "3", "--seed", "1", "--quiet")
    assert status == 0, err
    assert "simulation-checked plan" in out
    for header in ("Erlang C", "Erlang A", "first", "sim. req.", "service level", "abandon", "why"):
        assert header in out
    assert "goal met: yes" in out
    assert "group voice team:" in out and "criterion:" in out
    assert err == ""


def test_plan_json_and_csv(run_cli, tmp_path):
    out_csv = tmp_path / "plan.csv"
    status, out, err = run_cli("plan", EXAMPLE, "--replications", "3", "--seed", "1", "--json", "--csv", out_csv,
                               "--max-iterations", "2", "--part-time-hours", "0")
    assert status == 0, err
    payload = json.loads(out)
    assert payload["replications"] == 3 and payload["seed"] == 1 and payload["max_iterations"] == 2
    assert len(payload["iterations"]) <= 2
    assert len(payload["intervals"]) == 16
    assert all("-4h" not in row["template"] for rows in payload["schedules"].values() for row in rows)
    with out_csv.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == PLAN_COLUMNS and len(rows) == 17


def test_malformed_file_exits_2_with_one_line(run_cli, write_file, minimal_data):
    minimal_data["channels"]["voice"]["aht_secs"] = 180
    path = write_file("bad.yaml", minimal_data)
    status, out, err = run_cli("plan", path)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "ccplan plan: error:" in err and "aht_secs" in err


def test_bad_options_exit_2(run_cli, write_file, minimal_data):
    path = write_file("ok.yaml", minimal_data)
    status, _, err = run_cli("plan", path, "--replications", "0")
    assert status == 2 and "argument --replications: must be a whole number in 1..10000" in err
    status, _, err = run_cli("plan", path, "--shift-hours", "10", "--part-time-hours", "0", "--quiet")
    assert status == 2 and "no shift fits" in err and err.count("\n") == 1
