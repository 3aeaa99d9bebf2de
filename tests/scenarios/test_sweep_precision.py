"""Sweeps run to a precision target (issue 10): ``sweep(..., precision=)``, the sweep file's
``precision`` block and ``ccplan sweep --precision``.

Each run replicates sequentially (replication r uses the r-th child of the run's seed) until the
95 % half-widths of its headline KPIs are within the target or the cap is reached; the runs table
records per run the replications used, whether the target was met and the half-widths reached.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from scenarios.errors import CcplanError, ScenarioError
from scenarios.studies.sweep import read_table, sweep

REPOSITORY = Path(__file__).resolve().parents[2]
BASE = str(REPOSITORY / "scenarios" / "examples" / "sweep_base.yaml")
SHARE = "channels.chat.bot.resolved_share"
CHAT_AGENTS = "staff[1].agents"
TARGET = {"share_points": 3.0, "asa_seconds": 30.0, "min_replications": 3, "max_replications": 16}
"""Loose enough for a fast test; chat with 5 agents stays short of it within 16 replications (it needs about 20)."""


def precise(**extra) -> dict:
    data = {"name": "precise", "base": BASE, "parameters": {CHAT_AGENTS: [5, 9]}, "precision": dict(TARGET), "seed": 7}
    data.update(extra)
    return data


@pytest.mark.slow
def test_runs_record_replications_used_and_whether_the_target_was_met(tmp_path):
    """A busy run needs more replications than a quiet one; the runs table says how many each used,
    whether the target was met and the largest half-widths reached; the run equals a direct
    ``simulate`` to the same target with the echoed seed."""
    from scenarios import compile_model, load_scenario, parse_scenario
    from simulator import PrecisionTarget, simulate

    result = sweep(precise(), out=tmp_path / "out")
    runs = result.runs.set_index(CHAT_AGENTS)
    assert result.replications is None and result.precision.max_replications == 16
    assert runs.at[9, "precision_target"] == "met" and runs.at[9, "replications"] < 16
    assert runs.at[9, "share_half_width_points"] <= 3.0 and runs.at[9, "asa_half_width_seconds"] <= 30.0
    assert runs.at[5, "replications"] == 16 and runs.at[5, "precision_target"] == "not met"
    assert runs.at[5, "share_half_width_points"] > 3.0 or runs.at[5, "asa_half_width_seconds"] > 30.0
    per_run = result.intervals.groupby(CHAT_AGENTS)["replication"].nunique()
    assert per_run.to_dict() == runs["replications"].to_dict()
    for name in ("runs", "summary"):  # written and read back alike from Parquet and CSV
        assert_frame_equal(read_table(tmp_path / "out" / f"{name}.parquet"), read_table(tmp_path / "out" / f"{name}.csv"),
                           check_dtype=False)

    document = load_scenario(BASE).model_dump(mode="json")
    document["staff"][1]["agents"] = 9
    target = PrecisionTarget(0.03, 30.0, 3, 16)
    alone = simulate(compile_model(parse_scenario(document)), None, int(runs.at[9, "run_seed"]), precision=target,
                     control_variates=True)
    assert alone.replications == runs.at[9, "replications"]
    got = result.intervals[result.intervals[CHAT_AGENTS] == 9][alone.intervals.columns].reset_index(drop=True)
    assert_frame_equal(got, alone.intervals.reset_index(drop=True))


@pytest.mark.slow
def test_the_precision_settings_are_part_of_the_resume_key(tmp_path):
    """Same target: every run is resumed; another target or a fixed count: nothing is reused."""
    out = tmp_path / "out"
    first = sweep(precise(), out=out)
    again = sweep(precise(), out=out)
    assert (again.executed, again.resumed) == (0, 2)
    for name in ("runs", "summary", "intervals"):
        assert_frame_equal(getattr(first, name), getattr(again, name))
    other = sweep(precise(precision={**TARGET, "share_points": 4.0}), out=out)
    assert (other.executed, other.resumed) == (2, 0)
    flag = sweep(precise(), out=out, precision=4.0)  # the flag overrides share_points: same target as above
    assert (flag.executed, flag.resumed) == (0, 2)
    fixed = sweep(precise(precision=None, replications=16), out=out)
    assert (fixed.executed, fixed.resumed) == (2, 0)
    assert list(fixed.runs["precision_target"]) == ["", ""] and list(fixed.runs["replications"]) == [16, 16]
    assert fixed.runs["share_half_width_points"].notna().all()  # the half-width reached is recorded either way


def test_a_base_scenarios_precision_block_is_the_default_run_length():
    """Without replications or precision in the sweep file, the base scenario's ``precision`` block applies."""
    from scenarios import load_scenario

    document = load_scenario(BASE).model_dump(mode="json")
    document["precision"] = dict(TARGET)
    result = sweep(base=document, parameters={CHAT_AGENTS: [9]}, seed=3)
    assert result.precision is not None and result.precision.share_half_width == pytest.approx(0.03)
    assert result.runs.at[0, "precision_target"] in ("met", "not met") and result.runs.at[0, "replications"] >= 3


@pytest.mark.parametrize(("change", "field", "reason"), [
    ({"replications": 4}, "precision", "give replications (a fixed count per run) or precision (a target), not both"),
    ({"precision": {**TARGET, "share_points": 0}}, "precision.share_points", "greater than 0"),
    ({"precision": {**TARGET, "min_replications": 2}}, "precision.min_replications", "greater than or equal to 3"),
    ({"precision": {**TARGET, "max_replications": 2}}, "precision.max_replications", ""),
    ({"parameters": {"precision.share_points": [1, 2]}}, "parameters.precision.share_points", "sweep's own"),
])
def test_bad_precision_settings_name_the_field(change, field, reason):
    with pytest.raises(ScenarioError) as caught:
        sweep(precise(**change))
    assert caught.value.field_path == field and reason in caught.value.reason


@pytest.mark.parametrize(("options", "fragment"), [
    ({"precision": 0}, "precision must be > 0 and <= 50 percentage points"),
    ({"precision": 51.0}, "precision must be > 0 and <= 50 percentage points"),
    ({"precision": 2.0, "replications": 3}, "replications and precision exclude each other"),
])
def test_bad_precision_options_are_refused(options, fragment):
    with pytest.raises(CcplanError, match=fragment):
        sweep(precise(), **options)


@pytest.mark.slow
def test_cli_sweep_precision_prints_the_run_length_and_records_it(run_cli, write_file, tmp_path):
    path = write_file("sweep.yaml", precise(precision=None, replications=3))
    out = tmp_path / "o"
    status, stdout, stderr = run_cli("sweep", path, "--out", out, "--precision", "5", "--quiet")
    assert status == 0, stderr
    first = stdout.splitlines()[0]
    assert first.startswith("ccplan sweep: precise: 2 runs x replications to ±5 point(s)"), first
    runs = read_table(out / "runs.csv")
    assert {"replications", "precision_target", "share_half_width_points", "asa_half_width_seconds"} <= set(runs.columns)
    assert set(runs["precision_target"]) <= {"met", "not met"}
    status, _, stderr = run_cli("sweep", path, "--out", out, "--precision", "0")
    assert status == 2 and "--precision" in stderr and "Traceback" not in stderr
    status, _, stderr = run_cli("sweep", path, "--out", out, "--precision", "5", "--replications", "3")
    assert status == 2 and "exclude each other" in stderr and len(stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_same_precision_tables_with_one_worker_two_processes_and_a_local_cluster(tmp_path):
    """Runs to a precision target give identical tables (replications used included) with 1
    worker, 2 worker processes and a Dask LocalCluster: each run's batches depend only on its own
    replications, never on the executor."""
    distributed = pytest.importorskip("distributed")
    data = precise(parameters={CHAT_AGENTS: [5, 7, 9], SHARE: [0.0, 1.5]})  # 1.5 fails validation
    one = sweep(data, out=tmp_path / "one", workers=1)
    two = sweep(data, out=tmp_path / "two", workers=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=50) as cluster:
        dask = sweep(data, out=tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert list(one.runs["status"]) == ["ok", "failed"] * 3
    assert one.runs["replications"].nunique() > 2  # runs stopped at different counts: equality is not vacuous
    for name in ("intervals", "summary", "runs"):
        assert_frame_equal(getattr(one, name), getattr(two, name))
        assert_frame_equal(getattr(one, name), getattr(dask, name))
        for suffix in (".parquet", ".csv"):
            assert (tmp_path / "one" / f"{name}{suffix}").read_bytes() == (tmp_path / "dask" / f"{name}{suffix}").read_bytes()
    assert isinstance(one.runs, pd.DataFrame)
