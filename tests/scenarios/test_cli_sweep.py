"""``ccplan sweep``: the summary it prints, the files it writes, resuming, one-line errors (exit 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scenarios.studies.sweep import read_table

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLES = REPOSITORY / "scenarios" / "examples"
BASE = str(EXAMPLES / "sweep_base.yaml")


def sweep_data(**extra) -> dict:
    data = {"name": "cli sweep", "base": BASE,
            "parameters": {"channels.chat.bot.resolved_share": [0.0, 0.5], "staff[1].agents": [7]},
            "replications": 2, "seed": 11}
    data.update(extra)
    return data


def assert_one_line_error(status, out, err, fragments):
    assert status == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ccplan sweep: error: ") or lines[0].startswith("ccplan: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert "Traceback" not in err and out == ""


def test_sweep_prints_a_summary_writes_tables_and_resumes(run_cli, write_file, tmp_path):
    path = write_file("sweep.yaml", sweep_data())
    out = tmp_path / "results"
    status, stdout, stderr = run_cli("sweep", path, "--out", out)
    assert status == 0, stderr
    lines = stdout.splitlines()
    assert lines[0] == "ccplan sweep: cli sweep: 2 runs x 2 replications, seed 11"
    header = lines[1].split()
    assert header[:3] == ["run", "channels.chat.bot.resolved_share", "staff[1].agents"]
    assert "chat" in lines[1] and "SL" in lines[1] and "cost" in lines[1]
    assert len(lines) == 2 + 2 + 1
    assert lines[-1].startswith("2 simulated, 0 resumed in ")
    assert stderr == ""  # stderr is not a terminal here: no progress bar (tests/scenarios/test_progress.py)
    for name in ("intervals", "summary", "runs"):
        assert (out / f"{name}.parquet").is_file() and (out / f"{name}.csv").is_file()
    assert len(list((out / "runs").glob("*.parquet"))) == 2

    status, stdout, stderr = run_cli("sweep", path, "--out", out, "--quiet")
    assert status == 0 and stderr == ""
    assert stdout.splitlines()[-1].startswith("0 simulated, 2 resumed in ")
    status, stdout, _ = run_cli("sweep", path, "--out", out, "--quiet", "--no-resume", "--seed", "12")
    assert stdout.splitlines()[0].endswith("seed 12") and stdout.splitlines()[-1].startswith("2 simulated")


def test_options_override_the_file_and_failures_are_listed(run_cli, write_file, tmp_path):
    path = write_file("sweep.yaml", sweep_data(parameters={"channels.chat.bot.resolved_share": [0.2, 2.0]}))
    status, stdout, stderr = run_cli("sweep", path, "--out", tmp_path / "o", "--replications", "3", "--quiet")
    assert status == 1, stderr  # issue 14: a sweep with failed runs exits non-zero and says how many
    assert "1 of 2 runs failed" in stderr and len(stderr.strip().splitlines()) == 1
    assert "2 runs x 3 replications" in stdout
    assert "run 1 failed: channels.chat.bot.resolved_share: Input should be less than or equal to 1, got 2.0" in stdout
    assert "1 failed (see the error column)" in stdout.splitlines()[-1]
    runs = read_table(tmp_path / "o" / "runs.csv")
    assert list(runs["status"]) == ["ok", "failed"] and list(runs["replications"]) == [3, 3]


def test_default_output_folder_is_named_after_the_sweep_file(run_cli, write_file, tmp_path, monkeypatch):
    path = write_file("my_sweep.yaml", sweep_data(parameters={"staff[1].agents": [7]}))
    monkeypatch.chdir(tmp_path)
    status, stdout, _ = run_cli("sweep", path, "--quiet")
    assert status == 0
    assert (tmp_path / "my_sweep_results" / "summary.csv").is_file()
    assert "tables in my_sweep_results/" in stdout
    inside = write_file("with_out.yaml", sweep_data(parameters={"staff[1].agents": [7]}, out="from_file"))
    assert run_cli("sweep", inside, "--quiet")[0] == 0
    assert (Path(inside).parent / "from_file" / "runs.parquet").is_file()


@pytest.mark.parametrize(("change", "fragments"), [
    ({"parameterz": {"staff[1].agents": [7]}}, ["bad.yaml: parameterz: unknown key"]),
    ({"parameters": {"staff[1].agents": []}}, ["bad.yaml: parameters.staff[1].agents: is an empty list"]),
    ({"parameters": {"channels.chat.patience_secs": [60]}},
     ["bad.yaml: parameters.channels.chat.patience_secs: not a field of the base scenario", "has no key 'patience_secs'"]),
    ({"parameters": {"staff[2].agents": [7]}}, ["bad.yaml: parameters.staff[2].agents:", "staff has 2 items"]),
])
def test_bad_sweep_files_are_one_line_with_exit_2(run_cli, write_file, tmp_path, change, fragments):
    data = sweep_data()
    if "parameterz" in change:
        del data["parameters"]
    data.update(change)
    path = write_file("bad.yaml", data)
    status, out, err = run_cli("sweep", path, "--out", tmp_path / "never")
    assert_one_line_error(status, out, err, [str(Path(path).parent / fragments[0]), *fragments[1:]])
    assert not (tmp_path / "never").exists()


def test_syntax_errors_missing_files_and_bad_options_are_one_line(run_cli, write_file, tmp_path, capsys):
    broken = write_file("broken.yaml", "base: x.yaml\nparameters: {a: [1, 2\n")
    assert_one_line_error(*run_cli("sweep", broken), ["broken.yaml: line", "YAML syntax error"])
    assert_one_line_error(*run_cli("sweep", tmp_path / "absent.yaml"), ["file not found", "absent.yaml"])
    good = write_file("good.yaml", sweep_data())
    status, _, err = run_cli("sweep", good, "--workers", "0")  # argparse usage errors exit from the parser
    assert status == 2 and "--workers: must be a whole number in 1..256" in err and len(err.strip().splitlines()) == 1
    assert_one_line_error(*run_cli("sweep", good, "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"),
                          ["not both"])


@pytest.mark.slow
def test_the_console_entry_point_runs_the_bundled_example(tmp_path):
    out = tmp_path / "example"
    completed = subprocess.run(
        [sys.executable, "-m", "scenarios.cli", "sweep", str(EXAMPLES / "sweep_bot_deflection.yaml"),
         "--out", str(out), "--replications", "2", "--quiet", "--workers", "2"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert "18 runs x 2 replications, seed 2024" in completed.stdout
    summary = read_table(out / "summary.parquet")
    assert (summary["status"] == "ok").all() and len(summary) == 36
    # more bot deflection leaves fewer chats for the agents: the lever's direction
    chat = summary[summary["channel"] == "chat"].groupby("channels.chat.bot.resolved_share")["answered_mean"].mean()
    assert chat.iloc[-1] < chat.iloc[0], chat.to_dict()
