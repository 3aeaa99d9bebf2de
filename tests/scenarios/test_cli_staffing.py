"""``ccplan demo``, ``ccplan erlang`` and ``ccplan staff``: output and one-line user errors."""

import json
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from scenarios import cli
from scenarios.document.volumes import load_interval_volumes
from scenarios.errors import ScenarioError
from scenarios.studies.demo import load_example_day, run_demo
from staffing import erlang_a, required_agents, required_agents_erlang_a, service_level
from staffing import requirements as req

REPOSITORY = Path(__file__).resolve().parents[2]


def run(capsys, *argv):
    try:
        status = cli.main(list(argv))
    except SystemExit as exc:  # a flag outside its range is an argparse usage error
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_line_error(status, out, err, command, fragment):
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"ccplan {command}: error: ")
    assert fragment in lines[0]
    assert "Traceback" not in err and out == ""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- demo ---------------------------------------------------------------------------------


def test_example_day_csv_is_a_realistic_weekday():
    day = load_interval_volumes(REPOSITORY / "scenarios" / "examples" / "example_day.csv")
    assert day.interval_starts[0] == "08:00" and day.interval_starts[-1] == "19:30"
    assert day.interval_minutes == 30.0
    assert set(day.volumes) == {"voice", "chat", "email"}
    voice = day.volumes["voice"]
    peak = int(voice.argmax())
    assert day.interval_starts[peak] in {"10:00", "10:30", "11:00"}  # morning peak
    assert voice[day.interval_starts.index("14:30")] > voice[day.interval_starts.index("12:30")]  # afternoon shoulder
    packaged = resources.files("scenarios").joinpath("examples/example_day.csv").read_text(encoding="utf-8")
    assert packaged == (REPOSITORY / "scenarios" / "examples" / "example_day.csv").read_text(encoding="utf-8")


def test_example_day_scenario_is_packaged():
    day = load_example_day()
    assert day.intervals == 24 and day.interval_minutes == 30.0
    assert {day.channel_kind(name) for name in day.channels} == {"voice", "chat", "email"}


@pytest.mark.slow
def test_demo_prints_staffing_simulation_comparison_and_writes_a_chart(capsys, tmp_path):
    png = tmp_path / "demo.png"
    status, out, err = run(capsys, "demo", "--replications", "3", "--png", str(png), "--quiet")
    assert status == 0, err
    assert err == ""
    lines = out.splitlines()
    assert sum(line.startswith(("08:00", "19:30")) for line in lines) == 4  # two tables of 24 intervals
    assert "Erlang C SL" in out and "Erlang A SL" in out and "simulated SL" in out
    header = next(line for line in lines if line.startswith("metric"))
    assert header.split() == ["metric", "in-house", "virtual", "cloud"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_demo_computation_is_a_function():
    result = run_demo(replications=2, seed=7)
    assert len(result.requirements) == 24 * 3
    assert (result.requirements[req.COLUMN_SCHEDULED_AGENTS] >= result.requirements[req.COLUMN_REQUIRED_AGENTS]).all()
    voice = result.voice
    assert len(voice) == 24
    # With patience (180 s) well above the target (20 s), abandonment shortens the waits of the
    # others: at the same agents Erlang A's service level is at least Erlang C's.
    assert (voice["erlang_a_sl"] >= voice["erlang_c_sl"] - 1e-12).all()
    assert [run.kind for run in result.comparison.runs] == ["in-house", "virtual", "cloud"]


# --- erlang -------------------------------------------------------------------------------


def test_erlang_table_around_the_requirement(capsys):
    status, out, err = run(capsys, "erlang", "--calls", "100", "--interval-minutes", "30", "--aht", "180", "--target", "20", "--goal", "0.8")
    assert status == 0, err
    needed = int(required_agents(10.0, 180, 20, 0.8))
    assert needed == 14
    assert f"required agents, Erlang C: {needed}" in out
    assert "square-root staffing estimate" in out
    rows = [line.split() for line in out.splitlines() if line.strip() and line.split()[0].isdigit()]
    assert [int(row[0]) for row in rows] == list(range(needed - 2, needed + 4))
    marked = next(row for row in rows if "<-" in row)
    assert int(marked[0]) == needed
    assert marked[1] == f"{service_level(10.0, needed, 180, 20):.1%}"


def test_erlang_with_patience_shows_both_requirements_as_json(capsys):
    status, out, err = run(capsys, "erlang", "--calls", "100", "--aht", "180", "--patience", "120", "--json")
    assert status == 0, err
    report = json.loads(out)
    needed_a = int(required_agents_erlang_a(200.0, 180, 120, 20, 0.8))
    assert report["required_agents"]["erlang_c"] == 14
    assert report["required_agents"]["erlang_a"] == needed_a
    assert report["traffic_erlangs"] == pytest.approx(10.0)
    agents = [row["agents"] for row in report["rows"]]
    assert set(range(needed_a - 2, needed_a + 4)) <= set(agents)
    assert set(range(12, 18)) <= set(agents)
    row = next(r for r in report["rows"] if r["agents"] == needed_a)
    expected = erlang_a(200.0, 180, 120, needed_a, 20)
    assert row["abandon_rate"] == pytest.approx(float(expected.p_abandon))
    assert row["service_level_erlang_a"] == pytest.approx(float(expected.service_level))
    overloaded = next(r for r in report["rows"] if r["agents"] == 10)
    assert overloaded["asa_seconds"] is None  # infinite ASA is null in JSON


def test_erlang_text_with_patience(capsys):
    status, out, _ = run(capsys, "erlang", "--calls", "100", "--aht", "180", "--patience", "120")
    assert status == 0
    assert "required agents, Erlang A" in out and "<- Erlang A" in out and "aband_A" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--calls", "100", "--aht", "180", "--goal", "1.5"], "argument --goal: must be a number in (0, 1), got '1.5'"),
        (["--calls", "100", "--aht", "180", "--goal", "0"], "argument --goal: must be a number in (0, 1)"),
        (["--calls", "-5", "--aht", "180"], "argument --calls: must be a number in [0, 1e+09]"),
        (["--calls", "100", "--aht", "-1"], "argument --aht: must be a number in (0, 86400]"),
        (["--calls", "100", "--aht", "180", "--target", "-3"], "argument --target: must be a number in (0, 86400]"),
        (["--calls", "100", "--aht", "180", "--patience", "0"], "argument --patience: must be a number in (0, 1e+06]"),
        (["--calls", "100", "--aht", "180", "--interval-minutes", "0"], "argument --interval-minutes: must be a number in [1, 1440]"),
    ],
)
def test_erlang_bad_input_is_one_line(capsys, argv, fragment):
    status, out, err = run(capsys, "erlang", *argv)
    assert_one_line_error(status, out, err, "erlang", fragment)


# --- staff --------------------------------------------------------------------------------

GOOD = "interval_start,voice,chat,email\n08:00,100,20,30\n08:30,150,25,10\n09:00,0,0,0\n"


def test_staff_prints_the_table(tmp_path, capsys):
    status, out, err = run(capsys, "staff", write(tmp_path, "day.csv", GOOD))
    assert status == 0, err
    assert sum(line.startswith("08:30") for line in out.splitlines()) == 3
    assert "interval 30 min" in out  # taken from the interval_start spacing


def test_staff_json_and_csv_outputs_agree(tmp_path, capsys):
    source = write(tmp_path, "day.csv", GOOD)
    target = tmp_path / "out.csv"
    status, out, err = run(capsys, "staff", source, "--json", "--csv", str(target), "--shrinkage", "breaks=0.1", "--shrinkage", "absence=0.1")
    assert status == 0, err
    report = json.loads(out)
    assert report["settings"]["shrinkage"]["total"] == pytest.approx(0.19)
    rows = pd.DataFrame(report["rows"])
    written = pd.read_csv(target)
    # staffing's scheduled_agents (required / (1 - shrinkage)) is shown as required_after_shrinkage:
    # "scheduled agents" means the roster everywhere else (issue 10)
    after = "required_after_shrinkage"
    assert list(written.columns) == [after if c == req.COLUMN_SCHEDULED_AGENTS else c for c in req.REQUIREMENT_COLUMNS]
    assert len(rows) == len(written) == 9
    assert rows[after].tolist() == written[after].tolist()
    required = written[req.COLUMN_REQUIRED_AGENTS].to_numpy()
    assert written[after].tolist() == [-(-int(r * 100) // 81) for r in required]


def test_staff_options_reach_the_engines(tmp_path, capsys):
    source = write(tmp_path, "voice.csv", "voice\n100\n")
    status, out, err = run(capsys, "staff", source, "--json", "--voice-aht", "180", "--voice-patience", "none", "--shrinkage", "0")
    assert status == 0, err
    row = json.loads(out)["rows"][0]
    assert row[req.COLUMN_REQUIRED_AGENTS] == 14  # 10 Erlangs, Erlang C 80/20
    assert row["required_after_shrinkage"] == 14  # staffing's scheduled_agents, renamed in outputs
    assert row[req.COLUMN_REQUIRED_ERLANG_A] is None


def test_loader_without_interval_start(tmp_path):
    data = load_interval_volumes(write(tmp_path, "v.csv", "Voice, email\n1,2\n3,4\n"))
    assert data.interval_starts is None and data.interval_minutes is None
    assert data.volumes["voice"].tolist() == [1.0, 3.0]
    assert data.volumes["email"].tolist() == [2.0, 4.0]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("voice,chat\n10,-3\n", "line 2, column 'chat': volume -3 is out of range; allowed: a finite number >= 0"),
        ("interval_start,voice,fax\n08:00,1,2\n", "unknown column 'fax'; allowed columns: interval_start, voice, chat, email"),
        ("", "the file is empty"),
        ("voice,chat\n", "the file has a header but no interval rows"),
        ("voice\nlots\n", "line 2, column 'voice': 'lots' is not a number"),
        ("voice\n\n5\n", None),  # a blank line is skipped, not an error
        ("voice,chat\n1,\n", "line 2, column 'chat': missing volume"),
        ("interval_start\n08:00\n", "no volume column"),
        ("interval_start,voice\n8h00,1\n", "'8h00' is not a time; allowed: HH:MM"),
        ("interval_start,voice\n08:00,1\n08:30,1\n09:15,1\n", "breaks the spacing of 30 minutes"),
        ('voice\n"unterminated\n', "not a valid CSV file"),
        ("voice,voice\n1,2\n", "column 'voice' appears more than once"),
        ("voice,Voice \n1,2\n", "column 'voice' appears more than once"),
    ],
)
def test_staff_bad_file_is_one_line(tmp_path, capsys, text, fragment):
    status, out, err = run(capsys, "staff", write(tmp_path, "bad.csv", text))
    if fragment is None:
        assert status == 0, err
        return
    assert_one_line_error(status, out, err, "staff", fragment)
    assert "bad.csv" in err


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--voice-goal", "1.5"], "argument --voice-goal: must be a number in (0, 1), got '1.5'"),
        (["--chat-goal", "0"], "argument --chat-goal: must be a number in (0, 1)"),
        (["--shrinkage", "1.2"], "argument --shrinkage: expected SHARE or NAME=SHARE with SHARE in [0, 1), got '1.2'"),
        (["--chat-concurrency", "0"], "argument --chat-concurrency: must be a whole number in 1..20"),
        (["--interval-minutes", "15"], "disagrees with the interval_start spacing of 30 minutes"),
        (["--email-target-hours", "0"], "argument --email-target-hours: must be a number in (0, 8760]"),
        (["--paid-hours-per-fte", "0"], "argument --paid-hours-per-fte: must be a number in (0, 10000]"),
    ],
)
def test_staff_bad_options_are_one_line(tmp_path, capsys, argv, fragment):
    status, out, err = run(capsys, "staff", write(tmp_path, "day.csv", GOOD), *argv)
    assert_one_line_error(status, out, err, "staff", fragment)


def test_staff_missing_file_and_directory(tmp_path, capsys):
    status, out, err = run(capsys, "staff", str(tmp_path / "nowhere.csv"))
    assert_one_line_error(status, out, err, "staff", "file not found")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    status, out, err = run(capsys, "staff", str(folder))
    assert_one_line_error(status, out, err, "staff", "is a directory")


def test_unsupported_file_type_is_a_scenario_error(tmp_path):
    with pytest.raises(ScenarioError, match="unsupported file type '.xlsx'"):
        load_interval_volumes(write(tmp_path, "day.xlsx", "voice\n1\n"))
