"""Issue 14 section 7: a CSV row with an extra field is blamed on its own line (history CSV, profile
CSV, interval volumes, contact logs), and ``goal: 1`` is refused by the schema with the file named."""

from __future__ import annotations

import io

import pytest
import yaml

from scenarios.document.csv_rows import field_count_error
from scenarios.document.loader import load_scenario
from scenarios.document.volumes import read_volume_csv
from scenarios.errors import ScenarioError

EXTRA_FIRST = "timestamp,voice\n2026-01-05 08:00,10,99\n2026-01-05 08:30,10\n"  # pandas took column 1 as the index
EXTRA_LATER = "# note\ntimestamp,voice\n\n2026-01-05 08:00,10\n2026-01-05 08:30,10,5\n"
QUOTED = 'timestamp,voice\n"2026-01-05\n08:00",10\n2026-01-05 08:30,10,99\n'  # pandas counts records: said line 3


@pytest.mark.parametrize(("text", "line"), [(EXTRA_FIRST, 2), (EXTRA_LATER, 5), (QUOTED, 4)])
def test_the_first_row_of_another_width_is_named_by_its_file_line(text, line):
    assert field_count_error(io.StringIO(text), comment="#") == f"line {line} has 3 fields, the header has 2"


def test_well_formed_rows_pass():
    assert field_count_error(io.StringIO("timestamp,voice\n\n2026-01-05 08:00,10\n# c\n"), comment="#") is None


def _scenario(tmp_path, channel: dict) -> str:
    document = {"name": "x", "interval_minutes": 30, "intervals": 2, "start_time": "08:00",
                "channels": {"voice": {"aht_seconds": 180, "patience_seconds": 120, **channel}},
                "staff": [{"name": "a", "channels": ["voice"], "agents": 10}]}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(document))
    return str(path)


def test_a_history_csv_with_an_extra_field_on_the_first_row(tmp_path):
    (tmp_path / "h.csv").write_text(EXTRA_FIRST)
    with pytest.raises(ScenarioError, match="line 2 has 3 fields, the header has 2") as caught:
        load_scenario(_scenario(tmp_path, {"history_csv": "h.csv"}))
    assert "history_csv" in str(caught.value) and "s.yaml" in str(caught.value)


def test_a_profile_csv_with_an_extra_field(tmp_path):
    (tmp_path / "p.csv").write_text("time,share\n08:00,0.5\n08:30,0.5,1\n")
    with pytest.raises(ScenarioError, match="line 3 has 3 fields, the header has 2"):
        load_scenario(_scenario(tmp_path, {"daily_total": 100, "profile": "p.csv"}))


def test_an_interval_volume_csv_with_an_extra_field():
    with pytest.raises(ScenarioError, match="line 2 has 3 fields, the header has 2"):
        read_volume_csv(io.StringIO("interval,voice\n0,10,5\n1,12\n"), source="v.csv")


def test_a_contact_log_with_an_extra_field(tmp_path):
    from scenarios.document.contact_log import read_contact_log

    path = tmp_path / "log.csv"
    path.write_text("arrival,channel\n2026-01-05 08:00:00,voice\n2026-01-05 08:00:10,voice,x\n")
    with pytest.raises(ScenarioError, match="line 3 has 3 fields, the header has 2"):
        read_contact_log(path)


def test_goal_1_is_refused_by_the_schema_with_the_file_named(tmp_path):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(_scenario(tmp_path, {"arrivals_per_interval": 50, "service_level": {"target_seconds": 20, "goal": 1}}))
    message = str(caught.value)
    assert "s.yaml" in message and "goal" in message and "less than 1" in message
