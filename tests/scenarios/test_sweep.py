"""Sweeps (:mod:`scenarios.studies.sweep`, :mod:`scenarios.document.sweep_file`).

Kinds of test here:

* unit: paths, ranges, digests and seeds; sweep-file validation messages (file, field path, reason).
* determinism: one sweep with 1 worker, 2 worker processes and a Dask ``LocalCluster`` gives
  identical tables; a run's rows do not change when other values join the sweep.
* robustness: failed runs are recorded and the others kept; an interrupted sweep resumes without
  simulating finished runs again, and ends with the same tables as an uninterrupted one.
* outputs: Parquet and CSV tables are readable and equal.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import scenarios
from scenarios.document.sweep_file import ValueRange, load_sweep, parse_path, parse_sweep
from scenarios.errors import CcplanError, ScenarioError
from scenarios.report.kpis import HEADLINE_KPIS
from scenarios.studies.sweep import (
    COST_METRICS,
    TABLES,
    plan_runs,
    read_table,
    run_digest,
    run_seed,
    sweep,
)

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLES = REPOSITORY / "scenarios" / "examples"
BASE = str(EXAMPLES / "sweep_base.yaml")
SHARE = "channels.chat.bot.resolved_share"
CHAT_AGENTS = "staff[1].agents"


def tiny(**extra) -> dict:
    """A 4-run sweep over the bundled small base, 2 replications, 4 intervals (well under a second a run)."""
    data = {
        "name": "tiny",
        "base": BASE,
        "parameters": {SHARE: [0.0, 0.4], CHAT_AGENTS: [6, 8]},
        "replications": 2,
        "seed": 7,
    }
    data.update(extra)
    return data


def without_run_index(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["run"]).reset_index(drop=True)


# --------------------------------------------------------------------------- unit
def test_parse_path_reads_keys_and_indices():
    assert parse_path("channels.voice.patience_seconds") == ("channels", "voice", "patience_seconds")
    assert parse_path("staff[0].agents") == ("staff", 0, "agents")
    assert parse_path("setups[1].burst.max_agents") == ("setups", 1, "burst", "max_agents")
    for bad in ("", "a..b", "a.", "[0].a", "a[x]", ".a"):
        with pytest.raises(ValueError):
            parse_path(bad)


def test_ranges_include_stop_and_round_float_noise():
    assert ValueRange(start=0.0, stop=0.5, step=0.1).values() == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    assert ValueRange(start=0, stop=0.5, num=3).values() == [0.0, 0.25, 0.5]
    assert ValueRange(start=10, stop=4, step=-3).values() == [10, 7, 4]
    assert ValueRange(start=5, stop=9, step=2).values() == [5, 7, 9]
    assert all(isinstance(v, int) for v in ValueRange(start=5, stop=9, step=2).values())
    assert ValueRange(start=1, stop=2, step=0.3).values() == [1.0, 1.3, 1.6, 1.9]


def test_digest_is_canonical_and_seed_depends_on_sweep_seed_and_digest_only():
    one = run_digest({"a": 1, "b": [1, 2]}, "as-given")
    assert one == run_digest({"b": [1, 2], "a": 1})  # key order does not matter; as-given is the default
    assert one != run_digest({"a": 1, "b": [1, 2]}, "cloud")
    assert len(one) == 64 and int(one, 16) >= 0
    seeds = {run_seed(7, one), run_seed(8, one), run_seed(7, run_digest({"a": 2}))}
    assert len(seeds) == 3
    assert all(0 <= s < 2**63 for s in seeds)
    assert run_seed(7, one) == run_seed(7, one)


def test_digest_and_seed_golden_values():
    # changing the recipe silently would re-seed every sweep and defeat resuming saved sweeps
    payload = b'{"parameters":{"staff[0].agents":12},"setup":null}'
    digest = run_digest({"staff[0].agents": 12})
    assert digest == hashlib.sha256(payload).hexdigest()
    assert digest == "9c02f5f604c7630c54bb900908b7881c488b112002a852603f3e9a0f88ba1280"
    assert run_seed(7, digest) == 3728134037768647370


def test_plan_orders_grid_last_parameter_fastest_and_zip_pairwise():
    spec = parse_sweep(tiny()).spec
    runs = plan_runs(spec, 7)
    assert [tuple(r.parameters.values()) for r in runs] == [(0.0, 6), (0.0, 8), (0.4, 6), (0.4, 8)]
    zipped = parse_sweep(tiny(combine="zip")).spec
    assert [tuple(r.parameters.values()) for r in plan_runs(zipped, 7)] == [(0.0, 6), (0.4, 8)]
    with_setups = parse_sweep(tiny(setups=["as-given", "virtual"])).spec
    runs = plan_runs(with_setups, 7)
    assert [r.setup for r in runs] == ["as-given"] * 4 + ["virtual"] * 4
    assert len({r.digest for r in runs}) == 8


# --------------------------------------------------------------------------- sweep-file errors
@pytest.mark.parametrize(("change", "field", "reason"), [
    ({"paramters": {}}, "paramters", "unknown key"),
    ({"parameters": {SHARE: []}}, f"parameters.{SHARE}", "empty list"),
    ({"parameters": {"channels.voice.aht_secs": [100]}}, "parameters.channels.voice.aht_secs", "has no key 'aht_secs'"),
    ({"parameters": {"staff[5].agents": [1]}}, "parameters.staff[5].agents", "has 2 items"),
    ({"parameters": {"channels.voice.bot.resolved_share": [0.1]}}, "parameters.channels.voice.bot.resolved_share",
     "channels.voice.bot is not set in the base scenario"),
    ({"parameters": {SHARE: {"start": 0, "stop": 1}}}, f"parameters.{SHARE}", "exactly one of step or num"),
    ({"parameters": {SHARE: {"start": 0, "stop": 1, "step": -0.1}}}, f"parameters.{SHARE}.step", "away from stop"),
    ({"parameters": {SHARE: {"start": 0, "stop": 1, "stepp": 0.1}}}, f"parameters.{SHARE}", "unknown key 'stepp'"),
    ({"parameters": {SHARE: 0.3}}, f"parameters.{SHARE}", "must be a list of values or a range"),
    ({"parameters": {"replications": [1, 2]}}, "parameters.replications", "sweep's own"),
    ({"parameters": {"a..b": [1]}}, "parameters.a..b", "not a dotted path"),
    ({"combine": "zip", "parameters": {SHARE: [0.1, 0.2], CHAT_AGENTS: [6]}}, f"parameters.{CHAT_AGENTS}", "equal lengths"),
    ({"combine": "cross"}, "combine", "'grid' or 'zip'"),
    ({"setups": ["cloudy"]}, "setups[0]", "in-house"),
    ({"replications": 0}, "replications", "greater than or equal to 1"),
    ({"parameters": {SHARE: [0.1, 0.1]}}, "parameters", "same values"),
])
def test_bad_sweep_files_name_file_field_and_reason(write_file, change, field, reason):
    data = tiny()
    data.update(change)
    if "paramters" in change:
        del data["paramters"]
        data["paramters"] = {}
    path = write_file("bad_sweep.yaml", data)
    with pytest.raises(ScenarioError) as info:
        scenarios.sweep(path, out=str(Path(path).parent / "out"))
    message = str(info.value)
    assert message.startswith(path), message
    assert field in message and reason in message, message
    assert not (Path(path).parent / "out").exists() or "same values" in reason


def test_base_scenario_errors_name_the_base_file(write_file):
    base = write_file("base.yaml", {"name": "x", "intervals": 2, "channels": {"voice": {"aht_seconds": 100}},
                                    "staff": [{"name": "a", "channels": ["voice"], "agents": 1}]})
    path = write_file("sweep.yaml", {"base": "base.yaml", "parameters": {"staff[0].agents": [1, 2]}})
    with pytest.raises(ScenarioError) as info:
        load_sweep(path)
    assert str(info.value).startswith(base) and "channels.voice" in str(info.value)
    missing = write_file("sweep2.yaml", {"base": "nowhere.yaml", "parameters": {"staff[0].agents": [1]}})
    with pytest.raises(ScenarioError, match=r"sweep2\.yaml: base: scenario file not found"):
        load_sweep(missing)


def test_a_path_may_set_an_optional_field_the_base_file_omits():
    result = sweep(base=BASE, parameters={"channels.voice.callback_threshold_seconds": [30.0]}, replications=2, seed=1)
    assert list(result.runs["status"]) == ["ok"]


# --------------------------------------------------------------------------- determinism
@pytest.fixture(scope="module")
def local_cluster():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=50)
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.mark.slow
def test_same_tables_with_one_worker_two_processes_and_a_local_cluster(tmp_path, local_cluster):
    import distributed

    data = tiny(parameters={SHARE: [0.0, 0.4, 1.5], CHAT_AGENTS: [6, 8]})  # 1.5 fails validation
    one = sweep(data, out=tmp_path / "one", workers=1)
    two = sweep(data, out=tmp_path / "two", workers=2)
    dask = sweep(data, out=tmp_path / "dask", scheduler=local_cluster.scheduler_address)
    with distributed.Client(local_cluster, set_as_default=False) as client:
        on_client = sweep(data, scheduler=client)
    assert one.executed == two.executed == dask.executed == on_client.executed == 6
    assert list(one.runs["status"]) == ["ok"] * 4 + ["failed"] * 2
    for name in ("intervals", "summary", "runs"):
        assert_frame_equal(getattr(one, name), getattr(two, name))
        assert_frame_equal(getattr(one, name), getattr(dask, name))
        assert_frame_equal(getattr(one, name), getattr(on_client, name))
        for suffix in (".parquet", ".csv"):
            assert (tmp_path / "one" / f"{name}{suffix}").read_bytes() == (tmp_path / "dask" / f"{name}{suffix}").read_bytes()
    # the runs really differ (different parameters and seeds), so equality above is not vacuous
    chat = one.summary[one.summary["channel"] == "chat"]
    assert chat["service_level_mean"].nunique() == 4


def test_a_runs_rows_do_not_change_when_values_are_added(tmp_path):
    small = sweep(tiny(parameters={SHARE: [0.4], CHAT_AGENTS: [6]}))
    large = sweep(tiny(parameters={SHARE: [0.0, 0.2, 0.4], CHAT_AGENTS: [6, 7]}))
    assert len(large.runs) == 6
    picked = large.summary[(large.summary[SHARE] == 0.4) & (large.summary[CHAT_AGENTS] == 6)]
    assert_frame_equal(without_run_index(small.summary), without_run_index(picked))
    picked_intervals = large.intervals[(large.intervals[SHARE] == 0.4) & (large.intervals[CHAT_AGENTS] == 6)]
    assert_frame_equal(without_run_index(small.intervals), without_run_index(picked_intervals))
    # the parameter order in the file does not matter either: the digest is over sorted keys
    swapped = sweep(tiny(parameters={CHAT_AGENTS: [6], SHARE: [0.4]}))
    assert swapped.runs["run_seed"].iloc[0] == small.runs["run_seed"].iloc[0]


def test_common_random_numbers_give_every_run_the_same_customers():
    crn = sweep(base=BASE, parameters={CHAT_AGENTS: [6, 8]}, common_random_numbers=True, replications=2, seed=5)
    assert list(crn.runs["run_seed"]) == [5, 5]
    voice = crn.summary[crn.summary["channel"] == "voice"]
    assert voice["offered_mean"].nunique() == 1 and voice["service_level_mean"].nunique() == 1
    chat = crn.summary[crn.summary["channel"] == "chat"]
    assert chat["offered_mean"].nunique() == 1 and chat["service_level_mean"].nunique() == 2
    independent = sweep(base=BASE, parameters={CHAT_AGENTS: [6, 8]}, replications=2, seed=5)
    assert independent.summary[independent.summary["channel"] == "voice"]["offered_mean"].nunique() == 2


def test_results_reproduce_a_single_simulation_with_the_echoed_seed():
    from scenarios import compile_model, load_scenario, parse_scenario
    from simulator import simulate

    result = sweep(tiny(parameters={CHAT_AGENTS: [7]}))
    document = load_scenario(BASE).model_dump(mode="json")
    document["staff"][1]["agents"] = 7
    model = compile_model(parse_scenario(document))
    alone = simulate(model, 2, int(result.runs["run_seed"].iloc[0]))
    expected = alone.intervals.reset_index(drop=True)
    got = result.intervals[expected.columns].reset_index(drop=True)
    assert_frame_equal(got, expected)


# --------------------------------------------------------------------------- robustness
def test_failed_runs_are_recorded_and_the_others_kept(tmp_path):
    one_seat = {"kind": "in-house", "seats": 1}  # valid, but leaves the chat team without a seat
    result = sweep(tiny(parameters={SHARE: [0.2, 1.5], "setup": [None, one_seat]}), out=tmp_path / "out")
    runs = result.runs.set_index([SHARE, "setup"])
    seated = '{"kind":"in-house","seats":1}'  # non-scalar values appear as canonical JSON
    assert runs.loc[(0.2, "null"), "status"] == "ok"
    # validation error: the message carries the field path and the reason
    assert runs.loc[(1.5, "null"), "status"] == "failed"
    assert runs.loc[(1.5, "null"), "error"] == f"{SHARE}: Input should be less than or equal to 1, got 1.5"
    # an exception while running: the engine refuses a channel without agents
    assert runs.loc[(0.2, seated), "status"] == "failed"
    assert runs.loc[(0.2, seated), "error"].startswith("channels.chat has arrivals but every group")
    assert set(result.intervals["run"]) == {int(runs.loc[(0.2, "null"), "run"])}
    failed_rows = result.summary[result.summary["status"] == "failed"]
    assert len(failed_rows) == 3 and failed_rows["channel"].isna().all()
    assert failed_rows["service_level_mean"].isna().all()
    assert len(result.failed) == 3
    assert (read_table(tmp_path / "out" / "runs.csv")["status"] == "failed").sum() == 3


def test_an_exception_in_costs_fails_that_run_only(monkeypatch):
    import scenarios.studies.run

    real = scenarios.studies.run.estimate_costs

    def fragile(compiled, result):
        if compiled.scenario.staff[1].agents == (8,):
            raise RuntimeError("price list unavailable")
        return real(compiled, result)

    monkeypatch.setattr(scenarios.studies.run, "estimate_costs", fragile)
    result = sweep(tiny(parameters={CHAT_AGENTS: [6, 8]}))
    assert list(result.runs["status"]) == ["ok", "failed"]
    assert list(result.runs["error"]) == ["", "RuntimeError: price list unavailable"]


@pytest.mark.slow
def test_an_interrupted_sweep_resumes_without_redoing_finished_runs(tmp_path):
    out = tmp_path / "out"
    calls = []

    def interrupt_after_two(done, total):
        calls.append(done)
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sweep(tiny(), out=out, progress=interrupt_after_two)
    finished = sorted((out / "runs").glob("*.parquet"))
    assert len(finished) == 2 and not list((out / "runs").glob(".*tmp"))
    mtimes = {p.name: p.stat().st_mtime_ns for p in finished}

    counted = []
    resumed = sweep(tiny(), out=out, progress=lambda done, total: counted.append((done, total)))
    assert (resumed.executed, resumed.resumed) == (2, 2)
    assert counted == [(1, 2), (2, 2)]  # only the two unfinished runs were simulated
    assert {p.name: p.stat().st_mtime_ns for p in finished} == mtimes  # finished files untouched

    fresh = sweep(tiny(), out=tmp_path / "fresh")
    for name in ("intervals", "summary", "runs"):
        assert_frame_equal(getattr(resumed, name), getattr(fresh, name))

    again = sweep(tiny(), out=out)
    assert (again.executed, again.resumed) == (0, 4)
    assert sweep(tiny(), out=out, resume=False).executed == 4
    # another replication count is another sweep: nothing is reused
    assert sweep(tiny(), out=out, replications=3).executed == 4


def test_failed_runs_are_retried_on_resume(tmp_path):
    data = tiny(parameters={SHARE: [2.0, 0.2]})
    first = sweep(data, out=tmp_path / "out")
    assert list(first.runs["status"]) == ["failed", "ok"]
    second = sweep(data, out=tmp_path / "out")
    assert (second.executed, second.resumed) == (1, 1)


def test_a_drawn_seed_is_kept_for_resuming(tmp_path):
    from scenarios import load_scenario

    base = load_scenario(BASE).model_dump(mode="json")
    base["seed"] = None  # no seed anywhere: the sweep draws one and keeps it in OUT/sweep.json
    data = tiny(base=base)
    del data["seed"]
    first = sweep(data, out=tmp_path / "out")
    second = sweep(data, out=tmp_path / "out")
    assert first.seed == second.seed and second.resumed == 4
    assert sweep(data).seed != first.seed  # no output folder: fresh entropy each time


# --------------------------------------------------------------------------- outputs
def test_parquet_and_csv_tables_are_readable_and_equal(tmp_path):
    result = sweep(tiny(parameters={SHARE: [0.1, 1.5], CHAT_AGENTS: [7]}), out=tmp_path / "out", replications=3)
    for name in TABLES:
        parquet = read_table(tmp_path / "out" / f"{name}.parquet")
        csv = read_table(tmp_path / "out" / f"{name}.csv")
        assert_frame_equal(parquet, csv, check_dtype=False)
        assert_frame_equal(parquet, getattr(result, name), check_dtype=False)
        raw = pd.read_csv(tmp_path / "out" / f"{name}.csv")  # plain pandas reads it too
        assert list(raw.columns) == list(parquet.columns) and len(raw) == len(parquet)
    summary = result.summary
    for kpi in (*HEADLINE_KPIS, *COST_METRICS):
        assert f"{kpi}_mean" in summary and f"{kpi}_ci95" in summary
    ok = summary[summary["status"] == "ok"]
    assert (ok["total_cost_mean"] > 0).all() and np.isfinite(ok["service_level_ci95"]).all()
    assert len(result.intervals) == 3 * 8 * 2  # replications x intervals x channels of the one good run
    assert (tmp_path / "out" / "sweep.json").is_file()


def test_keyword_api_and_setups(tmp_path):
    result = scenarios.sweep(base=BASE, parameters={"channels.voice.patience_seconds": {"start": 100, "stop": 200, "num": 2}},
                             setups=["as-given", "virtual"], replications=2, seed=3)
    assert list(result.runs["setup_kind"]) == ["as-given", "as-given", "virtual", "virtual"]
    assert (result.runs["status"] == "ok").all()
    assert result.out is None
    means = result.interval_means()
    assert len(means) == 4 * 8 * 2 and "replication" not in means


def test_execution_option_errors():
    with pytest.raises(CcplanError, match="workers"):
        sweep(tiny(), workers=0)
    with pytest.raises(ScenarioError, match="without a sweep file"):
        sweep(tiny(), parameters={SHARE: [0.1]})


def test_missing_dask_is_a_clear_error(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(CcplanError, match=r"ccplan\[dist\]"):
        sweep(tiny(), scheduler="tcp://127.0.0.1:8786")


def test_bundled_sweep_example_loads():
    loaded = load_sweep(EXAMPLES / "sweep_bot_deflection.yaml")
    runs = plan_runs(loaded.spec, 0)
    assert len(runs) == 18
    assert sorted({r.parameters[SHARE] for r in runs}) == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    assert os.path.samefile(loaded.source, EXAMPLES / "sweep_bot_deflection.yaml")
