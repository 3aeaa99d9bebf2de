"""Daily volumes that fall outside the horizon are reported (issue 11), kind: unit test.

What it proves: a flat 24/7 daily total over a half-day horizon has exactly half of it outside;
the example day's 3 000 voice calls keep 2 799 in its 08:00-20:00 horizon and the rest is
reported; a whole-day horizon reports nothing.
"""

from __future__ import annotations

import pytest

from scenarios.document.demand import volume_outside_horizon
from scenarios.document.loader import parse_scenario


def _scenario(intervals: int, start: str = "08:00") -> dict:
    return {"name": "x", "interval_minutes": 60, "intervals": intervals, "start_time": start,
            "channels": {"voice": {"daily_total": 2400, "aht_seconds": 180}},
            "staff": [{"name": "a", "channels": ["voice"], "agents": 5}]}


def test_half_a_flat_day_reports_half():
    assert volume_outside_horizon(parse_scenario(_scenario(12))) == {"voice": pytest.approx((2400.0, 1200.0))}


def test_a_whole_day_reports_nothing():
    assert volume_outside_horizon(parse_scenario(_scenario(24, "00:00"))) == {}


def test_example_day_drops_201_calls():
    from pathlib import Path

    from scenarios.document.loader import load_scenario

    example = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "example_day.yaml"
    daily, inside = volume_outside_horizon(load_scenario(example))["voice"]
    assert daily == 3000 and round(inside) == 2799
