"""Issue 14 (outside fuzz campaign): every class of failure is now a one-line refusal (kind: unit).

What they prove: YAML alias bombs, recursive aliases, deep nesting (YAML and TOML) and complex
keys are one-line errors in bounded time; messages are built from bounded excerpts (a huge value
never reaches stderr); every scenario field and numeric flag has an upper bound and refuses
``nan``/``inf``/bools/strings with the flag or field named and exit status 2; a run above the size
limit is refused before it starts, naming the limit and how to raise it; ``--png``/``-o`` paths are
checked; a sweep's resume notices a changed history CSV, cleans a killed sweep's temporary files,
stops a run that exceeds the time limit and exits 1 when runs failed; killing a sweep kills its
workers. A property-based fuzz (hypothesis, bounded examples) feeds random documents to the
loaders: only ``ScenarioError`` may come out.
"""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios import ScenarioError
from scenarios.document.limits import DASHBOARD_LIMITS, RunTooLarge, check_scenario_size
from scenarios.document.loader import parse_document_text, parse_scenario
from scenarios.document.seasonal_file import parse_seasonal_text

ROOT = Path(__file__).resolve().parents[2]


def _minimal() -> dict:
    return {"name": "x", "interval_minutes": 30, "intervals": 4,
            "channels": {"voice": {"arrivals_per_interval": 50, "aht_seconds": 180, "patience_seconds": 120}},
            "staff": [{"name": "a", "channels": ["voice"], "agents": 10}]}


def _one_line(status: int, err: str, *fragments: str) -> None:
    assert status == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) < 700, err[:2000]
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


# ---------------------------------------------------------------------------- 2. YAML bombs and bounded messages
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


@pytest.mark.parametrize(("text", "suffix", "fragment"), [
    (BOMB, ".yaml", "expands to more than"),
    ("a: &a [*a]\n", ".yaml", "recursive alias"),
    ("a: " + "[" * 3000 + "]" * 3000 + "\n", ".yaml", "nested more than 40 levels"),
    ("a = " + "[" * 3000 + "]" * 3000 + "\n", ".toml", "nested"),
    ("? [a, b]\n: 1\n", ".yaml", "keys must be plain names or numbers"),
    ("? {a: 1}\n: 1\n", ".yaml", "keys must be plain names or numbers"),
])
def test_yaml_and_toml_attacks_are_one_line_in_bounded_time(text, suffix, fragment):
    started = time.perf_counter()
    with pytest.raises(ScenarioError) as caught:
        parse_document_text(text, f"bad{suffix}", "a scenario file", "a scenario", suffix=suffix)
    assert time.perf_counter() - started < 3.0
    assert fragment in str(caught.value) and "\n" not in str(caught.value)


def test_a_huge_value_gives_a_short_message():
    data = _minimal()
    data["channels"]["voice"]["kind"] = ["x" * 10_000_000]
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    assert len(str(caught.value)) < 400
    data = _minimal()
    data["channels"]["voice"]["aht_seconds"] = "y" * 10_000_000
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    assert len(str(caught.value)) < 400


def test_seasonal_text_has_the_same_checks():
    with pytest.raises(ScenarioError, match="appears twice"):
        parse_seasonal_text("name: a\nname: b\n", "plan.yaml")
    with pytest.raises(ScenarioError, match="expands to more than"):
        parse_seasonal_text(BOMB, "plan.yaml")


# ---------------------------------------------------------------------------- 3 and 5. fields: bounds, types, silent acceptance
def _set(data: dict, path: str, value) -> dict:
    data = copy.deepcopy(data)
    parts = path.split(".")
    target = data
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(parts[-1])] = value
    else:
        target[parts[-1]] = value
    return data


@pytest.mark.parametrize(("path", "value", "fragment"), [
    ("staff.0.agents", 1e9, "staff \"a\" agents: item 1"),
    ("staff.0.agents", 2**63 - 1, "staff \"a\" agents: item 1"),
    ("intervals", 10_000_000, "intervals"),
    ("intervals", 10**19, "intervals"),
    ("intervals", True, "intervals: must be a number"),
    ("interval_minutes", 1e-9, "interval_minutes"),
    ("replications", 1_000_000_000, "replications"),
    ("channels.voice.arrivals_per_interval", 1e308, "channels.voice.arrivals_per_interval"),
    ("channels.voice.arrivals_per_interval", 1e12, "channels.voice.arrivals_per_interval"),
    ("channels.voice.aht_seconds", 1e308, "channels.voice.aht_seconds"),
    ("channels.voice.aht_seconds", "12", "channels.voice.aht_seconds: must be a number, got '12'"),
    ("channels.voice.forecast_error_cv", 1e308, "channels.voice.forecast_error_cv"),
    ("channels.voice.patience", {"kind": "lognormal", "cv": 1e308}, "channels.voice.patience.cv"),
    ("channels.voice.patience", {"kind": "weibull", "shape": 1e-9}, "channels.voice.patience.shape"),
    ("channels.voice.concurrency", 10**9, "channels.voice.concurrency"),
    ("costs", {"agent_hourly_cost": 1e308}, "costs.agent_hourly_cost"),
    ("name", "n" * 10_000, "name"),
])
def test_out_of_range_fields_are_refused_with_their_path(path, value, fragment):
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(_set(_minimal(), path, value))
    assert fragment in str(caught.value) and len(str(caught.value)) < 400, str(caught.value)


def test_daily_total_1e308_and_a_header_only_history_are_one_line(tmp_path):
    data = _set(_minimal(), "channels.voice", {"daily_total": 1e308, "aht_seconds": 180})
    with pytest.raises(ScenarioError, match=r"channels\.voice\.daily_total"):
        parse_scenario(data)
    (tmp_path / "h.csv").write_text("timestamp,voice\n")
    data = _set(_minimal(), "channels.voice", {"history_csv": "h.csv", "aht_seconds": 180})
    with pytest.raises(ScenarioError, match=r"channels\.voice\.history_csv: history file h\.csv has a header but no rows"):
        parse_scenario(data, base_dir=tmp_path)
    (tmp_path / "big.csv").write_text("timestamp,voice\n2026-01-05 08:00,1e300\n")
    data = _set(_minimal(), "channels.voice", {"history_csv": "big.csv", "aht_seconds": 180})
    with pytest.raises(ScenarioError, match=r"history_csv: .*must be a number >= 0 and <= 1e\+07"):
        parse_scenario(data, base_dir=tmp_path)


def test_float_exponents_without_a_sign_are_numbers():
    data = parse_document_text("a: 2.5e3\nb: 1.0e12\nc: 1e3\n", "x.yaml", "k", "e")
    assert data == {"a": 2500.0, "b": 1e12, "c": 1000.0}


# ---------------------------------------------------------------------------- 3. run-size limits
def test_a_run_above_the_limit_is_refused_naming_the_limit_and_how_to_raise_it(write_file, run_cli, monkeypatch):
    data = _set(_minimal(), "channels.voice.arrivals_per_interval", 1_000_000)
    path = write_file("big.yaml", data)
    status, _, err = run_cli("simulate", path, "--replications", "100", "--quiet")
    _one_line(status, err, "above the limit of 50,000,000", "CCPLAN_MAX_CONTACTS")
    monkeypatch.setenv("CCPLAN_MAX_CONTACTS", "10")
    status, _, err = run_cli("simulate", write_file("small.yaml", _minimal()), "--replications", "2", "--quiet")
    _one_line(status, err, "above the limit of 10")
    monkeypatch.setenv("CCPLAN_MAX_CONTACTS", "nan")
    status, _, err = run_cli("simulate", write_file("small.yaml", _minimal()), "--quiet")
    _one_line(status, err, "CCPLAN_MAX_CONTACTS must be a number > 0")


def test_the_dashboard_limits_are_tighter():
    scenario = parse_scenario(_set(_minimal(), "channels.voice.arrivals_per_interval", 200_000))
    check_scenario_size(scenario, 1)  # fine for the command line
    with pytest.raises(RunTooLarge, match="command line"):
        check_scenario_size(scenario, 10, limits=DASHBOARD_LIMITS)
    many = parse_scenario(_set(_minimal(), "intervals", 50_000))
    with pytest.raises(RunTooLarge, match="intervals x 1 channel"):
        check_scenario_size(many, 1, limits=DASHBOARD_LIMITS)


# ---------------------------------------------------------------------------- bad flags, one test per command
@pytest.mark.parametrize(("command", "argv", "fragment"), [
    ("simulate", ["--replications", "1000000000"], "argument --replications"),
    ("simulate", ["--warmup-minutes", "nan"], "argument --warmup-minutes"),
    ("simulate", ["--workers", "1e9"], "argument --workers"),
    ("compare", ["--replications", "0"], "argument --replications"),
    ("compare", ["--warmup-minutes", "inf"], "argument --warmup-minutes"),
    ("plan", ["--shift-hours", "nan"], "--shift-hours"),
    ("plan", ["--shift-hours", "inf"], "--shift-hours"),
    ("plan", ["--shift-hours", "100"], "--shift-hours"),
    ("plan", ["--part-time-hours", "nan"], "--part-time-hours"),
    ("plan", ["--max-part-time-share", "2"], "--max-part-time-share"),
    ("staff", ["--interval-minutes", "0"], "argument --interval-minutes"),
    ("staff", ["--interval-minutes", "1e-9"], "argument --interval-minutes"),
    ("staff", ["--shrinkage", "=0.1"], "argument --shrinkage: NAME=SHARE needs a name"),
    ("sweep", ["--replications", "1000000000"], "argument --replications"),
    ("sweep", ["--scheduler", "not a url"], "argument --scheduler"),
])
def test_bad_flags_are_usage_errors_naming_the_flag(command, argv, fragment, write_file, run_cli):
    if command == "sweep":
        path = write_file("sweep.yaml", {"base": _minimal(), "parameters": {"staff[0].agents": [9, 10]}})
    else:
        path = write_file("s.yaml", _minimal())
    started = time.perf_counter()
    status, _, err = run_cli(command, path, *argv)
    _one_line(status, err, fragment)
    assert time.perf_counter() - started < 3.0


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--calls", "1e12", "--aht", "180"], "argument --calls"),
    (["--calls", "100", "--aht", "1e308"], "argument --aht"),
    (["--calls", "100", "--aht", "180", "--interval-minutes", "1e-9"], "argument --interval-minutes"),
])
def test_erlang_flags_have_ranges(argv, fragment, run_cli):
    _one_line(*run_cli("erlang", *argv)[::2], fragment)


def test_staff_chat_concurrency_and_huge_costs_are_refused(write_file, run_cli):
    csv = write_file("v.csv", "interval_start,chat\n08:00,10\n")
    _one_line(*run_cli("staff", csv, "--chat-concurrency", "1000000000")[::2], "argument --chat-concurrency")
    data = _set(_minimal(), "costs", {"agent_hourly_cost": 1e308})
    _one_line(*run_cli("simulate", write_file("c.yaml", data), "--quiet")[::2], "costs.agent_hourly_cost")


# ---------------------------------------------------------------------------- 4. output paths
@pytest.mark.parametrize(("command", "file_kind"), [("seasonal", "plan"), ("demo", None)])
@pytest.mark.slow
def test_png_with_an_unknown_suffix_or_a_folder_is_one_line(command, file_kind, run_cli, tmp_path):
    args = [str(ROOT / "scenarios/examples/seasonal_retail.yaml")] if file_kind else ["--replications", "1", "--quiet"]
    _one_line(*run_cli(command, *args, "--png", tmp_path / "x.xyz")[::2], "--png", "must end in .png")
    folder = tmp_path / "charts"
    folder.mkdir()
    _one_line(*run_cli(command, *args, "--png", folder)[::2], "--png", "is a folder")
    assert not (tmp_path / "charts.png").exists()


def test_schema_output_to_a_folder_or_a_missing_folder_is_one_line(run_cli, tmp_path):
    _one_line(*run_cli("schema", "-o", tmp_path)[::2], "--output", "is a folder")
    _one_line(*run_cli("schema", "-o", tmp_path / "nonexistent" / "x.json")[::2], "--output", "does not exist")


def test_schema_documents_every_range():
    from scenarios.document.scenario import scenario_json_schema

    schema = scenario_json_schema()
    channel = schema["$defs"]["Channel"]["properties"]
    for name in ("aht_seconds", "patience_seconds", "daily_total", "forecast_error_cv", "concurrency"):
        assert "Range:" in channel[name]["description"], name
    assert "Range: [1, 100000]" in schema["properties"]["intervals"]["description"]


# ---------------------------------------------------------------------------- 5 and 6. sweeps
def _sweep_file(write_file, tmp_path, history: str) -> str:
    (tmp_path / "history.csv").write_text(history)
    base = _set(_minimal(), "channels.voice", {"history_csv": "history.csv", "aht_seconds": 180, "patience_seconds": 120})
    base.update(interval_minutes=30, intervals=2, start_time="08:00", seed=3, replications=2)
    return write_file("sweep.yaml", {"base": base, "parameters": {"staff[0].agents": [10, 11]}, "out": "out"})


def test_resume_reruns_when_a_referenced_file_changes(write_file, run_cli, tmp_path):
    """Issue 14 section 5: history CSV x10 used to give '0 simulated, 2 resumed' and stale results."""
    path = _sweep_file(write_file, tmp_path, "timestamp,voice\n2026-01-05 08:00,10\n2026-01-05 08:30,10\n")
    status, out, err = run_cli("sweep", path, "--quiet")
    assert status == 0, err
    assert out.splitlines()[-1].startswith("2 simulated, 0 resumed")
    status, out, _ = run_cli("sweep", path, "--quiet")
    assert out.splitlines()[-1].startswith("0 simulated, 2 resumed")
    (tmp_path / "history.csv").write_text("timestamp,voice\n2026-01-05 08:00,100\n2026-01-05 08:30,100\n")
    status, out, _ = run_cli("sweep", path, "--quiet")
    assert out.splitlines()[-1].startswith("2 simulated, 0 resumed")


def test_a_killed_sweeps_temporary_files_are_removed(write_file, run_cli, tmp_path):
    path = _sweep_file(write_file, tmp_path, "timestamp,voice\n2026-01-05 08:00,10\n")
    runs = tmp_path / "out" / "runs"
    runs.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    stale = runs / f".abc.parquet.{int(dead.stdout)}.tmp"
    stale.write_bytes(b"partial")
    assert run_cli("sweep", path, "--quiet")[0] == 0
    assert not stale.exists()


def test_a_run_over_the_time_limit_is_stopped_and_recorded_as_failed(write_file, run_cli, tmp_path, monkeypatch):
    path = _sweep_file(write_file, tmp_path, "timestamp,voice\n2026-01-05 08:00,10\n")
    monkeypatch.setenv("CCPLAN_RUN_TIME_LIMIT_SECONDS", "0.000001")
    status, out, err = run_cli("sweep", path, "--quiet", "--no-resume")
    assert status == 1 and "2 of 2 runs failed" in err
    assert "time limit" in out


@pytest.mark.slow
def test_killing_a_sweep_kills_its_workers(tmp_path):
    """SIGKILL of `ccplan sweep --workers 2`: no worker process remains a few seconds later."""
    base = _minimal()
    base.update(intervals=48, replications=50, seed=1)
    base["channels"]["voice"]["arrivals_per_interval"] = 400
    base["staff"][0]["agents"] = 45
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(yaml.safe_dump({"base": base, "parameters": {"staff[0].agents": list(range(40, 60))}, "out": "o"}))
    process = subprocess.Popen([sys.executable, "-m", "scenarios.cli", "sweep", str(sweep), "--workers", "2", "--quiet"],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    children: list[int] = []
    while time.monotonic() < deadline and len(children) < 2:
        time.sleep(0.5)
        children = _children(process.pid)
    assert len(children) >= 2, "the sweep did not start its workers"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.2)
    assert not [pid for pid in children if _alive(pid)], "orphan worker processes remain"


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return handle.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


# ---------------------------------------------------------------------------- fuzz: only ScenarioError comes out
_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                     st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20))
_values = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                       max_leaves=20)
_keys = ["name", "intervals", "interval_minutes", "replications", "channels", "staff", "demand", "costs", "setup",
         "start_time", "warmup_minutes", "seed"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(_keys), _values, max_size=6), st.sampled_from(_keys), _values)
def test_fuzz_scenario_data_only_raises_scenario_error(document, key, value):
    data = {**_minimal(), **document}
    data[key] = value
    try:
        parse_scenario(json.loads(json.dumps(data, default=str).replace("NaN", "null").replace("Infinity", "1e999")))
    except ScenarioError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 1000


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!?|>'\"#,\n 01.e")), max_size=120))
def test_fuzz_document_text_only_raises_scenario_error(text):
    try:
        data = parse_document_text(text, "f.yaml", "a scenario file", "a scenario")
    except ScenarioError as exc:
        assert "\n" not in str(exc)
        return
    try:
        parse_scenario(data) if isinstance(data, dict) else None
        parse_seasonal_text(text, "p.yaml")
    except ScenarioError:
        pass
