"""Contact logs, calibration estimators, ``ccplan calibrate`` / ``backtest`` / ``simulate --contacts``.

Statistical tests compare with known parameters of simulated centres (fixed seeds); tolerances
are the issue's (mean handle time 2 %, mean patience 5 %, retrial share 3 points) and sit well
outside the estimators' sampling error at these sizes (e.g. the handle-time mean of ~20 000
lognormal samples with CV 1.2 has a relative standard error of 1.2 / sqrt(20 000) = 0.85 %).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from scenarios.bridge.compile import compile_scenario
from scenarios.cli import main
from scenarios.document.contact_log import read_contact_log, read_sessions, write_contact_log
from scenarios.document.scenario import Scenario
from scenarios.errors import ScenarioError
from scenarios.studies.backtest import daily_abandonment_error, records_to_log, run_backtest
from scenarios.studies.calibrate import (
    calibrate_log,
    exponential_patience_mle,
    fit_handle_time,
    fit_patience,
    kaplan_meier,
)
from simulator import simulate

HEADER = "arrived_at,outcome,wait_seconds,handle_seconds\n"


# --------------------------------------------------------------------------- estimators
def test_kaplan_meier_matches_a_hand_worked_example():
    """Waits 2 (abandon), 3 (answered), 5 (abandon), 5 (answered), 8 (abandon).

    At 2: 5 at risk, 1 event -> S = 4/5. At 3 one censored (S unchanged). At 5: 3 at risk, 1 event
    -> S = 4/5 * 2/3. At 8: 1 at risk, 1 event -> S = 0.
    """
    times, survival = kaplan_meier([2, 3, 5, 5, 8], [True, False, True, False, True])
    assert dict(zip(times.tolist(), survival.tolist(), strict=True)) == pytest.approx(
        {2.0: 0.8, 3.0: 0.8, 5.0: 0.8 * 2 / 3, 8.0: 0.0})


def test_exponential_patience_mle_is_abandons_over_total_wait():
    rng = np.random.default_rng(3)
    waits = 1.0 + rng.exponential(60, 500)  # >= 1 s: abandonments are not floored at 0.5 s
    abandoned = rng.random(500) < 0.4
    assert exponential_patience_mle(waits, abandoned) == pytest.approx(waits.sum() / abandoned.sum())
    fits = {f.family: f for f in fit_patience(waits, abandoned).fits}
    # positive waits only: the same closed form as the function above
    assert fits["exponential"].mean_seconds == pytest.approx(waits.sum() / abandoned.sum())


def test_censored_weibull_patience_recovered():
    """Weibull(k=0.7) patience censored by exponential service waits; mean within 5 % (n = 20 000)."""
    rng = np.random.default_rng(5)
    n = 20_000
    mean = 150.0
    scale = mean / math.gamma(1 + 1 / 0.7)
    patience = scale * rng.weibull(0.7, n)
    service = rng.exponential(120.0, n)
    waits = np.minimum(patience, service)
    estimate = fit_patience(waits, patience < service)
    assert estimate.best.family == "weibull"
    assert estimate.best.mean_seconds == pytest.approx(mean, rel=0.05)
    assert 0.2 < estimate.censored_share < 0.8


def test_handle_time_choice_by_aic_and_empirical_fallback():
    rng = np.random.default_rng(2)
    lognormal = rng.lognormal(5.0, 0.9, 5000)
    assert fit_handle_time(lognormal).best.family == "lognormal"
    assert not fit_handle_time(lognormal).empirical
    bimodal = np.concatenate([rng.normal(60, 5, 2500), rng.normal(600, 20, 2500)])
    estimate = fit_handle_time(bimodal)
    assert estimate.empirical
    assert estimate.quantiles_seconds.mean() == pytest.approx(bimodal.mean())


# --------------------------------------------------------------------------- bad logs
@pytest.mark.parametrize(("body", "where"), [
    ("2024-03-04T08:00:00,answered,3,100\nnot-a-time,answered,1,50\n", "row 2, column arrived_at"),
    ("2024-03-04T08:00:00,answered,-3,100\n", "row 1, column wait_seconds"),
    ("2024-03-04T08:00:00,hung_up,3,100\n", "row 1, column outcome"),
    ("2024-03-04T08:00:00,abandoned,3,\n2024-03-04T08:01:00,answered,3,\n", "row 2, column handle_seconds"),
    ("", "empty"),
])
def test_bad_logs_are_refused_with_file_row_and_column(tmp_path, body, where, capsys):
    path = tmp_path / "log.csv"
    path.write_text(HEADER + body if body else "", encoding="utf-8")
    with pytest.raises(ScenarioError, match=where):
        read_contact_log(path)
    assert main(["calibrate", str(path), "-o", str(tmp_path / "s.yaml")]) == 2
    error = capsys.readouterr().err
    assert str(path) in error and error.count("\n") == 1


def test_missing_required_column_and_column_mapping(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Start,Result,Queue,Talk\n2024-03-04 08:00:00,answered,3,100\n2024-03-04 08:01:00,abandoned,9,\n")
    with pytest.raises(ScenarioError, match="column 'outcome'"):
        read_contact_log(path)
    log = read_contact_log(path, {"arrived_at": "Start", "outcome": "Result", "wait_seconds": "Queue",
                                  "handle_seconds": "Talk"})
    assert log.frame["outcome"].tolist() == ["answered", "abandoned"]


def test_date_and_time_columns_and_odd_rows_counted(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("date,time,outcome,wait_seconds,handle_seconds\n2024-03-04,08:00:00,answered,3,0\n"
                    "2024-03-04,08:01:00,abandoned,9,\n2024-03-04,08:02:00,callback,0,\n")
    log = read_contact_log(path)
    assert log.frame["arrived_at"].iloc[0] == pd.Timestamp("2024-03-04 08:00:00")
    assert sum(log.odd_rows.values()) == 1
    assert log.other_outcomes == {"callback": 1}
    assert len(log.queue) == 2


# --------------------------------------------------------------------------- round trips
def _simulated_log(data: dict, days: int, seed: int):
    scenario = Scenario.model_validate(data)
    result = simulate(compile_scenario(scenario).model, days, seed, keep_records=True)
    return scenario, result, records_to_log(result.records, pd.Timestamp("2024-03-04 08:00"))


def _single(n=16, arrivals=120, agents=15, patience=150.0, retrial=0.3):
    return {"name": "rt", "interval_minutes": 30, "intervals": n + 4, "start_time": "08:00",
            "channels": {"voice": {"arrivals_per_interval": [arrivals] * n + [0] * 4, "aht_seconds": 240,
                                   "handle_time": {"kind": "lognormal", "cv": 1.2}, "patience_seconds": patience,
                                   "patience": {"kind": "weibull", "shape": 0.8},
                                   "retrial": {"probability": retrial, "mean_delay_seconds": 600}}},
            "staff": [{"name": "t", "channels": ["voice"], "agents": [agents] * (n + 4)}]}


def _assert_fit_follows_kaplan_meier(estimate, tolerance=0.02):
    """The chosen censored fit's survival stays within 2 points of Kaplan-Meier over the observed waits.

    (Only the curve up to the longest observed wait is identified; the mean also depends on the
    tail beyond it, see the report.)
    """
    from scipy import stats

    fitted = {"exponential": stats.expon, "weibull": stats.weibull_min, "lognormal": stats.lognorm}[estimate.best.family]
    grid = np.quantile(estimate.km_times_seconds, [0.1, 0.3, 0.5, 0.7, 0.9])
    index = np.searchsorted(estimate.km_times_seconds, grid, side="right") - 1
    assert np.abs(fitted(*estimate.best.params).sf(grid) - estimate.km_survival[index]).max() < tolerance


@pytest.mark.slow
def test_round_trip_single_queue_with_sessions(tmp_path):
    """~24 000 contacts over 12 days: counts exact, AHT 2 %, patience 5 %, retrials 3 points, agents 1."""
    data = _single()
    _, result, frame = _simulated_log(data, 12, 7)
    path = tmp_path / "log.csv"
    write_contact_log(frame, path)
    log = read_contact_log(path)
    sessions = pd.DataFrame([(f"a{d}-{k}", pd.Timestamp("2024-03-04 08:00") + pd.Timedelta(days=d),
                              pd.Timestamp("2024-03-04 18:00") + pd.Timedelta(days=d)) for d in range(12) for k in range(15)],
                            columns=["agent", "start", "end"])
    sessions_path = tmp_path / "sessions.csv"
    sessions.to_csv(sessions_path, index=False)
    calibration = calibrate_log(log, read_sessions(sessions_path))
    # arrival counts exactly: the log's contacts per day and interval are the simulator's offered
    offered = result.intervals.groupby(["replication", "interval"])["offered"].sum()
    counted = calibration.arrivals.groupby(["day", "interval"])["contacts"].sum()
    assert counted.sum() == offered.sum()
    assert sorted(counted.to_numpy().tolist()) == sorted(offered[offered > 0].to_numpy().tolist())
    voice = calibration.channels["voice"]
    answered = result.records[result.records["outcome"] == "answered"]["handle_seconds"]
    assert voice.handle.mean_seconds == pytest.approx(answered.mean(), rel=1e-6)
    assert voice.handle.mean_seconds == pytest.approx(240, rel=0.02)
    _assert_fit_follows_kaplan_meier(voice.patience)
    assert abs(voice.retrial.probability - 0.3) < 0.03
    staffed = calibration.staffing[calibration.staffing["interval"] < 16]
    assert (staffed["agents"] - 15).abs().max() <= 1


@pytest.mark.slow
def test_round_trip_heavy_abandonment_two_channels_and_backtest_coverage(tmp_path):
    """Two channels sharing a team, ~30 % abandonment, no sessions: backtest coverage 90-98 %."""
    n = 12
    data = {"name": "two", "interval_minutes": 30, "intervals": n + 4, "start_time": "08:00",
            "channels": {
                "voice": {"arrivals_per_interval": [90] * n + [0] * 4, "aht_seconds": 300,
                          "handle_time": {"kind": "lognormal", "cv": 1.6}, "patience_seconds": 90,
                          "patience": {"kind": "weibull", "shape": 0.7}},
                "chat": {"kind": "chat", "arrivals_per_interval": [40] * n + [0] * 4, "aht_seconds": 240,
                         "patience_seconds": 200}},
            "staff": [{"name": "team", "channels": ["voice", "chat"], "agents": [15] * (n + 4)}]}
    _, result, frame = _simulated_log(data, 8, 21)
    path = tmp_path / "log.csv"
    write_contact_log(frame, path)
    log = read_contact_log(path)
    calibration = calibrate_log(log)
    share = (frame["outcome"] == "abandoned").mean()
    assert 0.2 < share < 0.4
    assert list(calibration.groups.values()) == [("voice", "chat")]
    assert calibration.channels["voice"].handle.mean_seconds == pytest.approx(300, rel=0.05)
    _assert_fit_follows_kaplan_meier(calibration.channels["voice"].patience)
    backtest = run_backtest(calibration, log.frame, replications=60, seed=3)
    rows = backtest.summary[(backtest.summary["level"] == "interval") & (backtest.summary["kpi"] != "offered")]
    coverage = float((rows["coverage"] * rows["n"]).sum() / rows["n"].sum())
    assert 0.90 <= coverage <= 0.98
    mae, bias = daily_abandonment_error(backtest, "voice")
    assert mae < 3 and abs(bias) < 2


def test_cli_calibrate_sample_log_writes_a_valid_scenario(tmp_path, capsys):
    out = tmp_path / "calibrated.yaml"
    assert main(["calibrate", "scenarios/examples/contact_log.csv", "-o", str(out), "--service-level", "voice=20:0.8"]) == 0
    text = out.read_text()
    assert text.startswith("# Calibrated by `ccplan calibrate`")
    assert "censored" in capsys.readouterr().out
    assert (tmp_path / "calibrated.days.csv").is_file()
    from scenarios.document.loader import load_scenario

    scenario = load_scenario(out)
    assert scenario.channels["voice"].service_level.target_seconds == 20


def test_cli_simulate_contacts_round_trip(tmp_path):
    out = tmp_path / "contacts.csv"
    assert main(["simulate", "scenarios/examples/single_queue.yaml", "--replications", "2", "--seed", "1",
                 "--quiet", "--contacts", str(out)]) == 0
    log = read_contact_log(out)
    assert len(log.frame["arrived_at"].dt.normalize().unique()) == 2
    assert set(log.frame["outcome"]) <= {"answered", "abandoned"}
