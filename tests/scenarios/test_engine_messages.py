"""Errors the engine finds in a compiled scenario speak the scenario's words and name its file.

Kind: unit (issue 14, section 7: "infinite values caught by the engine are reported without the
file and with internal names").
"""

from __future__ import annotations

import pytest

from scenarios.bridge.compile import in_scenario_words


@pytest.mark.parametrize(("engine", "scenario"), [
    ("groups.voice team.agents_per_interval must hold whole numbers",
     'staff "voice team" agents must hold whole numbers'),
    ("channels.voice.handle_time.mean_seconds must be > 0, got inf", "channels.voice.aht_seconds must be > 0, got inf"),
    ("channels.chat.patience.mean_seconds must be a finite number", "channels.chat.patience_seconds must be a finite number"),
    ("interval_seconds must be > 0", "interval_minutes (in seconds) must be > 0"),
    ("every group routing it has 0 agents (groups ['voice team'].agents_per_interval)",
     "every group routing it has 0 agents (staff 'voice team': agents)"),
])
def test_engine_names_become_scenario_names(engine, scenario):
    assert in_scenario_words(engine) == scenario


def test_an_engine_refusal_names_the_file_and_the_scenario_field(run_cli, write_file):
    path = write_file("seat0.yaml", {
        "name": "seat zero", "interval_minutes": 30, "intervals": 4, "replications": 3,
        "channels": {"voice": {"arrivals_per_interval": 100, "aht_seconds": 180, "patience_seconds": 120}},
        "staff": [{"name": "voice team", "channels": ["voice"], "agents": 10}],
        "setup": {"kind": "in-house", "seats": 0},
    })
    status, out, err = run_cli("simulate", path, "--quiet")
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and str(path) in err
    assert "staff 'voice team': agents" in err and "agents_per_interval" not in err
