"""The input errors the dashboard fuzz found, checked without Streamlit (issue 14, part 1) (kind: unit + CLI).

What they prove: each input that used to end in the dashboard's "unexpected error" banner (or in a
broad ``except ValueError``, or was accepted silently) is now refused where it is read, in the
scenarios layer (or the dashboard's own upload unpacking), by a subclass of
:class:`ccplan_errors.InputError` whose one-line message names the file or field and the allowed
range: a damaged .zip member (sidebar, seasonal and bundle uploads), contact-log and sessions
timestamps outside 1900-2199 or spanning more than a year, handle times above a day, history CSV
dates outside 1900-2199, seasonal-plan numbers without an upper bound, an endless scenario
description, a roster rule that is not a number, a what-if curve of hundreds of values. A contact log in which every contact abandoned is
backtested (it used to divide by zero). ``ccplan calibrate`` and ``ccplan backtest`` refuse the
same logs with exit status 2 and one line. The AppTest fuzz is ``tests/dashboard/test_input_fuzz.py``.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml

from ccplan_errors import InputError
from scenarios import cli

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios" / "examples"
SMALL = {"name": "x", "interval_minutes": 30, "intervals": 2, "channels": {"voice": {"arrivals_per_interval": 5,
         "aht_seconds": 100}}, "staff": [{"name": "a", "channels": ["voice"], "agents": 3}]}


def _damaged_zip(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    raw = bytearray(buffer.getvalue())
    start = 30 + len(name)  # the member's compressed data follows its local header
    for offset in range(start + 2, start + 12):
        raw[offset] ^= 0xFF
    return bytes(raw)


def _one_line(exc: BaseException, *words: str) -> str:
    message = str(exc)
    assert isinstance(exc, InputError), type(exc)
    assert "\n" not in message
    for word in words:
        assert word in message, (word, message)
    return message


# --------------------------------------------------------------------------- damaged .zip members
def test_a_damaged_zip_member_is_refused_by_every_upload():
    from dashboard.library import read_bundle
    from dashboard.state import parse_seasonal_upload, parse_upload

    damaged = _damaged_zip("s.yaml", yaml.safe_dump(SMALL).encode() * 40)
    for read in (lambda: parse_upload([("s.zip", damaged)]), lambda: parse_seasonal_upload([("p.zip", damaged)])):
        with pytest.raises(InputError) as caught:
            read()
        _one_line(caught.value, "member 's.yaml' cannot be unpacked", "zip")
    with pytest.raises(InputError) as caught:
        read_bundle(damaged, "bundle.zip")
    _one_line(caught.value, "bundle.zip", "member 's.yaml' cannot be unpacked")


# --------------------------------------------------------------------------- contact logs and sessions
def _log(tmp_path, change=None, every=False, rows=200) -> Path:
    lines = (EXAMPLES / "contact_log.csv").read_text().splitlines()[:rows + 1]
    table = [line.split(",") for line in lines[1:]]
    if change is not None:
        column, value = change
        for row in table if every else table[3:4]:
            row[column] = value
    path = tmp_path / "log.csv"
    path.write_text("\n".join([lines[0]] + [",".join(r) for r in table]) + "\n")
    return path


@pytest.mark.parametrize(("change", "words"), [
    ((0, "9999-03-04T08:00:00"), ("row 4, column arrived_at", "between 1900-01-01 and 2199-12-31")),
    ((0, "1000-03-04T08:00:00"), ("row 4, column arrived_at", "between 1900-01-01 and 2199-12-31")),
    ((0, "2026-03-04T08:00:00"), ("column 'arrived_at'", "at most 366 days")),
    ((3, "1e308"), ("row 4, column handle_seconds", "<= 86,400 seconds")),
    ((2, "1e12"), ("row 4, column wait_seconds", "<= 31,622,400 seconds")),
])
def test_contact_log_values_outside_their_range_are_refused(tmp_path, change, words):
    from scenarios.document.contact_log import read_contact_log

    with pytest.raises(InputError) as caught:
        read_contact_log(_log(tmp_path, change))
    _one_line(caught.value, "log.csv", *words)


@pytest.mark.parametrize("text", ["agent,start,end\na,1000-03-04T10:00,2024-03-04T08:00\n",
                                  "agent,start,end\na,2024-03-04T08:00,9999-03-04T08:00\n"])
def test_sessions_outside_the_dates_are_refused(tmp_path, text):
    from scenarios.document.contact_log import read_sessions

    path = tmp_path / "sessions.csv"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        read_sessions(path)
    _one_line(caught.value, "sessions.csv", "between 1900-01-01 and 2199-12-31")


def test_calibration_and_backtest_refusals_are_input_errors(tmp_path):
    from scenarios.document.contact_log import read_contact_log
    from scenarios.studies.backtest import run_backtest
    from scenarios.studies.calibrate import calibrate_log

    log = read_contact_log(_log(tmp_path))
    with pytest.raises(InputError, match="interval-minutes"):
        calibrate_log(log, None, 7.0)
    calibration = calibrate_log(log, None, 30.0)
    with pytest.raises(InputError, match="replications must be >= 20"):
        run_backtest(calibration, log.frame, replications=5)
    with pytest.raises(InputError, match="--days"):
        run_backtest(calibration, log.frame, days=["2030-01-01"], replications=20)


def test_a_log_where_every_contact_abandoned_is_backtested(tmp_path):
    """It used to divide by zero (no answered contact: no busy time) and show "unexpected error"."""
    from scenarios.document.contact_log import read_contact_log
    from scenarios.studies.backtest import run_backtest
    from scenarios.studies.calibrate import calibrate_log

    log = read_contact_log(_log(tmp_path, (1, "abandoned"), every=True, rows=120))
    result = run_backtest(calibrate_log(log, None, 30.0), log.frame, replications=20)
    assert (result.table["observed"].notna()).any()


@pytest.mark.parametrize("command", ["calibrate", "backtest"])
@pytest.mark.parametrize(("change", "words"), [
    ((0, "9999-03-04T08:00:00"), ("arrived_at", "between 1900-01-01 and 2199-12-31")),
    ((3, "1e308"), ("handle_seconds", "<= 86,400 seconds")),
])
def test_the_cli_refuses_the_same_logs_in_one_line(tmp_path, capsys, command, change, words):
    path = _log(tmp_path, change)
    argv = [command, str(path)] + (["-o", str(tmp_path / "out.yaml")] if command == "calibrate" else ["--replications", "20"])
    status = cli.main(argv)
    err = capsys.readouterr().err
    assert status == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err
    for word in words:
        assert word in err


# --------------------------------------------------------------------------- history CSV, seasonal plan, scenario
def test_history_dates_outside_the_range_are_refused():
    from dashboard.state import parse_upload

    scenario = {**SMALL, "channels": {"voice": {"history_csv": "h.csv", "aht_seconds": 100}}}
    history = b"timestamp,voice\n1000-01-01 00:00,1\n9999-01-01 00:00,1\n"
    with pytest.raises(InputError) as caught:
        parse_upload([("s.yaml", yaml.safe_dump(scenario).encode()), ("h.csv", history)])
    _one_line(caught.value, "channels.voice.history_csv", "between 1900-01-01 and 2199-12-31")


@pytest.mark.parametrize(("old", "new", "field"), [
    ("headcount: 115", "headcount: 1e300", "workforce.headcount"),
    ("aht_seconds: 300", "aht_seconds: 1e300", "channels.voice.aht_seconds"),
    ("cost_per_hire: 2500", "cost_per_hire: 1e300", "cost_per_hire"),
    ("volumes: [11000,", "volumes: [1e300,", "channels.email.volumes"),
])
def test_seasonal_plan_numbers_have_an_upper_bound(old, new, field):
    from scenarios.document.seasonal_file import parse_seasonal_text

    text = (EXAMPLES / "seasonal_retail.yaml").read_text()
    assert old in text
    with pytest.raises(InputError) as caught:
        parse_seasonal_text(text.replace(old, new, 1).encode(), "plan.yaml")
    _one_line(caught.value, "plan.yaml", field, "less than or equal to")


@pytest.mark.parametrize("duplicate", ["name: again\n", None])
def test_seasonal_uploads_refuse_duplicate_keys_like_the_cli(duplicate):
    from dashboard.state import parse_seasonal_upload

    text = (EXAMPLES / "seasonal_retail.yaml").read_bytes()
    text = text + duplicate.encode() if duplicate else text.replace(b"  headcount: 115\n", b"  headcount: 115\n  headcount: 9\n")
    history = (EXAMPLES / "seasonal_retail_history.csv").read_bytes()
    with pytest.raises(InputError) as caught:
        parse_seasonal_upload([("plan.yaml", text), ("seasonal_retail_history.csv", history)])
    _one_line(caught.value, "plan.yaml", "appears twice")


def test_an_endless_scenario_description_is_refused():
    from dashboard.state import parse_scenario_text

    with pytest.raises(InputError) as caught:
        parse_scenario_text(yaml.safe_dump({**SMALL, "description": "x" * 10_001}), "s.yaml")
    _one_line(caught.value, "description", "10000 characters")


@pytest.mark.parametrize(("field", "text"), [("shift_hours", "eight"), ("break_window_hours", "3"), ("break_minutes", "1.5x")])
def test_a_roster_rule_that_is_not_a_number_is_an_input_error(field, text):
    from dashboard.views.schedule import ROSTER_RULES, parse_rule

    with pytest.raises(InputError) as caught:
        parse_rule(field, text)
    _one_line(caught.value, ROSTER_RULES[field].label, "give")


def test_a_what_if_curve_has_at_most_fifty_values():
    """500 values typed into the Sensitivity view used to run 500 variants (half a minute analytic, far
    longer simulated); the curve is refused before anything runs."""
    from dashboard.state import DEFAULT_LABEL, load_example, scenario_data
    from scenarios.studies.sensitivity import (
        MAX_WHAT_IF_VALUES,
        resized_sensitivity_table,
        sensitivity_table,
    )

    data = scenario_data(load_example(DEFAULT_LABEL))
    values = tuple(float(v) for v in range(MAX_WHAT_IF_VALUES + 1))
    for run in (lambda: resized_sensitivity_table(data, "volume_change_percent", values),
                lambda: sensitivity_table(data, "volume_change_percent", values, 2, 1)):
        with pytest.raises(InputError) as caught:
            run()
        _one_line(caught.value, "values", f"1..{MAX_WHAT_IF_VALUES}", str(MAX_WHAT_IF_VALUES + 1))


@pytest.mark.parametrize("where", ["routing", "staff channels"])
def test_a_very_long_name_is_shortened_in_the_message(where):
    """A 5,000-character group or channel name typed into the form: the message keeps its reason
    (the name is shortened) instead of being cut off after the name."""
    from dashboard.state import DEFAULT_LABEL, load_example, scenario_data, scenario_from_data

    data = scenario_data(load_example(DEFAULT_LABEL))
    if where == "routing":
        data["channels"]["voice"]["routing"] = ["x" * 5000]
    else:
        data["staff"][0]["channels"] = ["x" * 5000]
    with pytest.raises(InputError) as caught:
        scenario_from_data(data)
    message = _one_line(caught.value, "...")
    assert len(message) < 400 and ("not a staff group" in message or "unknown channel" in message)
