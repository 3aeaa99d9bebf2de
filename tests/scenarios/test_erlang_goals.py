"""``ccplan erlang`` with sizing goals: --max-occupancy, --max-abandon, --asa, and the abandonment warning.

Unit tests against the staffing engine's own answers (the smallest agent count meeting every
goal is checked from the printed table's neighbours) and one-line errors (exit 2).
"""

from __future__ import annotations

import json

import pytest

from scenarios.studies.erlang import erlang_report
from staffing import erlang as erl
from staffing.erlang_a import erlang_a


def test_occupancy_cap_raises_the_erlang_c_requirement():
    plain = erlang_report(600, 30, 300, 20, 0.8)
    capped = erlang_report(600, 30, 300, 20, 0.8, max_occupancy=0.85)
    need = capped["required_agents"]["erlang_c"]
    assert need > plain["required_agents"]["erlang_c"]
    assert float(erl.occupancy(100.0, need)) <= 0.85 < float(erl.occupancy(100.0, need - 1))


def test_abandon_cap_and_warning():
    """600 calls per 30 min, AHT 300 s, patience 30 s: the 80/20 goal alone lets 16 % abandon."""
    loose = erlang_report(600, 30, 300, 20, 0.8, 30)
    assert loose["warnings"] and "abandon" in loose["warnings"][0]
    capped = erlang_report(600, 30, 300, 20, 0.8, 30, max_abandon_rate=0.05)
    need = capped["required_agents"]["erlang_a"]
    assert not capped["warnings"]
    rate = 600 * 2.0
    assert float(erlang_a(rate, 300, 30, need, 20).p_abandon) <= 0.05 < float(erlang_a(rate, 300, 30, need - 1, 20).p_abandon)


def test_asa_goal():
    report = erlang_report(100, 30, 180, 20, 0.5, asa_goal_seconds=5)
    need = report["required_agents"]["erlang_c"]
    traffic = report["traffic_erlangs"]
    assert float(erl.average_speed_of_answer(traffic, need, 180)) <= 5 < float(erl.average_speed_of_answer(traffic, need - 1, 180))


def test_cli_prints_the_warning_and_json_carries_it(run_cli):
    status, out, err = run_cli("erlang", "--calls", "600", "--aht", "300", "--patience", "30")
    assert status == 0, err
    assert "warning:" in out and "abandon" in out
    status, out, err = run_cli("erlang", "--calls", "600", "--aht", "300", "--patience", "30", "--max-abandon", "0.05",
                               "--max-occupancy", "0.9", "--asa", "15", "--json")
    assert status == 0, err
    payload = json.loads(out)
    assert payload["warnings"] == [] and payload["inputs"]["max_abandon_rate"] == 0.05


@pytest.mark.parametrize(("flags", "fragment"), [
    (["--max-occupancy", "nan"], "--max-occupancy: must be a number in (0, 1]"),
    (["--max-occupancy", "1.5"], "--max-occupancy"),
    (["--max-abandon", "0.05"], "--max-abandon needs --patience"),
    (["--patience", "60", "--max-abandon", "1"], "--max-abandon: must be a number in (0, 1)"),
    (["--asa", "0"], "--asa: must be a number in (0, 86400]"),
    (["--asa", "inf"], "--asa: must be a number in (0, 86400]"),
])
def test_bad_goals_exit_2_with_one_line(run_cli, flags, fragment):
    status, out, err = run_cli("erlang", "--calls", "100", "--aht", "180", *flags)
    assert status == 2 and out == ""
    assert fragment in err and err.count("\n") == 1
