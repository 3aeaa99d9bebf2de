"""Sizing goals (issue 10), the abandonment warning, Erlang A in very large centres, cold start.

Kind: reference + unit. Requirements with extra goals are checked against a brute-force upward
search with the exact public formulas; Erlang A beyond the closed-form range (s, x > 1e6) against
a brute-force summation of the M/M/n+M chain and against Erlang C as patience grows.
"""

from __future__ import annotations

import math
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy import special

import staffing

ROOT = Path(__file__).resolve().parents[2]


# --- brute force --------------------------------------------------------------------------------


def brute_erlang_c(traffic, aht, target, goal, *, max_occupancy=None, asa_goal=None):
    """Smallest n (searched upward from 1) meeting every goal, with the public formulas."""
    n = 1
    while True:
        ok = staffing.service_level(traffic, n, aht, target) >= goal
        if max_occupancy is not None:
            ok &= traffic / n <= max_occupancy
        if asa_goal is not None:
            ok &= staffing.average_speed_of_answer(traffic, n, aht) <= asa_goal
        if ok:
            return n
        n += 1


def brute_erlang_a(rate, aht, patience, target, goal, *, max_abandon=None, max_occupancy=None, asa_goal=None):
    n = 1
    while True:
        r = staffing.erlang_a(rate, aht, patience, n, target)
        ok = r.service_level >= goal
        if max_abandon is not None:
            ok &= r.p_abandon <= max_abandon
        if max_occupancy is not None:
            ok &= r.occupancy <= max_occupancy
        if asa_goal is not None:
            ok &= r.asa_seconds <= asa_goal
        if ok:
            return n
        n += 1


def quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", staffing.StaffingWarning)
        return func(*args, **kwargs)


# --- Erlang C goals -----------------------------------------------------------------------------


def test_occupancy_cap_binds_when_the_service_level_is_easily_met():
    """60 Erlangs, AHT 300 s: 60/20 needs 64 agents, but occupancy <= 0.9 needs ceil(60 / 0.9) = 67."""
    assert staffing.required_agents(60.0, 300.0, 20.0, 0.6) == 64
    capped = staffing.required_agents(60.0, 300.0, 20.0, 0.6, max_occupancy=0.9)
    assert capped == 67 == brute_erlang_c(60.0, 300.0, 20.0, 0.6, max_occupancy=0.9)
    assert staffing.occupancy(60.0, capped) <= 0.9 < staffing.occupancy(60.0, capped - 1)
    assert staffing.required_agents(60.0, 300.0, 20.0, 0.6, max_occupancy=1.0) == 64


@pytest.mark.parametrize(
    ("traffic", "aht", "target", "goal", "cap", "asa"),
    [
        (60.0, 300.0, 20.0, 0.6, 0.9, None),
        (60.0, 300.0, 20.0, 0.6, None, 5.0),
        (60.0, 300.0, 20.0, 0.6, 0.95, 5.0),
        (3.2, 180.0, 30.0, 0.8, 0.5, 1.0),
        (250.0, 420.0, 15.0, 0.9, 0.93, 3.0),
        (0.4, 60.0, 0.0, 0.95, 0.3, 0.5),
    ],
)
def test_erlang_c_goals_match_brute_force(traffic, aht, target, goal, cap, asa):
    exact = staffing.required_agents(traffic, aht, target, goal, max_occupancy=cap, asa_goal_seconds=asa)
    assert exact == brute_erlang_c(traffic, aht, target, goal, max_occupancy=cap, asa_goal=asa)


def test_erlang_c_goals_vectorised_equal_scalar():
    traffic = np.array([0.0, 3.2, 60.0, 250.0])
    caps = np.array([0.5, 0.5, 0.9, 0.93])
    vector = staffing.required_agents(traffic, 300.0, 20.0, 0.6, max_occupancy=caps, asa_goal_seconds=4.0)
    assert vector.dtype == np.int64 and vector[0] == 0
    for i in range(1, 4):
        assert vector[i] == staffing.required_agents(traffic[i], 300.0, 20.0, 0.6, max_occupancy=caps[i], asa_goal_seconds=4.0)


# --- Erlang A goals and the warning -------------------------------------------------------------


@pytest.mark.parametrize(
    ("goals", "brute_goals"),
    [
        ({}, {}),
        ({"max_abandon_rate": 0.05}, {"max_abandon": 0.05}),
        ({"max_occupancy": 0.9}, {"max_occupancy": 0.9}),
        ({"asa_goal_seconds": 2.0}, {"asa_goal": 2.0}),
        ({"max_abandon_rate": 0.02, "max_occupancy": 0.97, "asa_goal_seconds": 10.0}, {"max_abandon": 0.02, "max_occupancy": 0.97, "asa_goal": 10.0}),
    ],
)
def test_erlang_a_goals_match_brute_force(goals, brute_goals):
    """600 calls per 30 min, AHT 300 s, patience 30 s (100 Erlangs)."""
    exact = quiet(staffing.required_agents_erlang_a, 1200.0, 300.0, 30.0, 20.0, 0.8, **goals)
    assert exact == brute_erlang_a(1200.0, 300.0, 30.0, 20.0, 0.8, **brute_goals)


def test_high_abandonment_requirement_warns_unless_an_abandon_cap_is_given():
    with pytest.warns(staffing.StaffingWarning, match=r"16\.0% of callers abandon"):
        n = staffing.required_agents_erlang_a(1200.0, 300.0, 30.0, 20.0, 0.8)
    assert n == 86
    result = staffing.erlang_a(1200.0, 300.0, 30.0, n, 20.0)
    assert result.p_abandon > staffing.HIGH_ABANDON_THRESHOLD == 0.1
    with warnings.catch_warnings():
        warnings.simplefilter("error", staffing.StaffingWarning)
        capped = staffing.required_agents_erlang_a(1200.0, 300.0, 30.0, 20.0, 0.8, max_abandon_rate=0.05)
        staffing.required_agents_erlang_a(1200.0, 300.0, 600.0, 20.0, 0.8)  # low abandonment: silent
    assert staffing.erlang_a(1200.0, 300.0, 30.0, capped, 20.0).p_abandon <= 0.05


def test_binding_goal_column_of_the_requirement_table():
    from staffing.requirements import COLUMN_BINDING_GOAL, REQUIREMENT_COLUMNS

    volumes = {"voice": [0.0, 100.0, 600.0], "email": [10.0, 20.0, 30.0]}
    table = staffing.interval_requirements(volumes, voice=staffing.VoiceSettings(patience_seconds=None, max_occupancy=0.85))
    assert list(table.columns) == list(REQUIREMENT_COLUMNS)
    voice = table[table["channel"] == "voice"]
    assert voice[COLUMN_BINDING_GOAL].isna().tolist() == [True, False, False]
    assert voice[COLUMN_BINDING_GOAL].tolist()[1:] == ["service_level", "occupancy"]
    assert voice["required_agents"].tolist()[2] == math.ceil(80 / 0.85)
    assert table[table["channel"] == "email"][COLUMN_BINDING_GOAL].isna().all()

    settings = staffing.VoiceSettings(aht_seconds=300.0, patience_seconds=30.0, max_abandon_rate=0.05)
    table = staffing.interval_requirements({"voice": [600.0]}, voice=settings)
    assert table[COLUMN_BINDING_GOAL].tolist() == ["abandon"]
    assert table["required_agents"].tolist() == [quiet(staffing.required_agents_erlang_a, 1200.0, 300.0, 30.0, 20.0, 0.8, max_abandon_rate=0.05)]
    with pytest.warns(staffing.StaffingWarning, match="interval_requirements"):
        staffing.interval_requirements({"voice": [600.0]}, voice=staffing.VoiceSettings(aht_seconds=300.0, patience_seconds=30.0))
    asa = staffing.interval_requirements({"voice": [600.0]}, voice=staffing.VoiceSettings(patience_seconds=None, asa_goal_seconds=1.0))
    assert asa[COLUMN_BINDING_GOAL].tolist() == ["asa"]


# --- Erlang A in very large centres -------------------------------------------------------------


def chain(rate, aht, patience, n, target):
    """Brute-force M/M/n+M: the stationary chain summed term by term in float64 log space."""
    a = rate / 3600.0 * aht
    x, s = a * patience / aht, n * patience / aht
    j = np.arange(0, n + 1)
    log_below = (j - n) * np.log(a) + special.gammaln(n + 1) - special.gammaln(j + 1)
    k = np.arange(0, int(max(x - s, 0.0) + 60 * np.sqrt(x) + 200) + 1)
    log_q = np.concatenate(([0.0], np.cumsum(np.log(x) - np.log(s + k[1:]))))
    peak = max(log_below.max(), log_q.max())
    below, queue = np.exp(log_below - peak), np.exp(log_q - peak)
    total = below.sum() + queue[1:].sum()
    u = math.exp(-target / patience)
    answered_in_time = (below.sum() - below[-1] + (queue * s / (s + k + 1) * special.betaincc(s + 1, k + 1, u)).sum()) / total
    return queue.sum() / total, (k * queue).sum() / total / x, answered_in_time


@pytest.mark.parametrize(
    "case",
    [
        (400_000.0, 180.0, 18_000.0, 20_000, 20.0),  # s = x = 2e6 (agents = load)
        (400_000.0, 180.0, 18_000.0, 20_050, 20.0),
        (400_000.0, 180.0, 18_000.0, 19_900, 20.0),  # overloaded
        (200_000.0, 180.0, 54_000.0, 10_000, 5.0),  # s = x = 3e6
    ],
)
def test_erlang_a_beyond_the_closed_form_range_matches_the_chain(case):
    result = staffing.erlang_a(*case)
    for value, reference in zip((result.p_wait, result.p_abandon, result.service_level), chain(*case), strict=True):
        assert value == pytest.approx(reference, rel=1e-9)


def test_fuzz_cases_are_finite_and_consistent():
    """erlang_a(2e6, 180, 1e8, 100000, 20) was NaN (x = s = 5.6e10)."""
    for agents in (99_990, 100_000, 100_010, 101_000):
        r = staffing.erlang_a(2e6, 180.0, 1e8, agents, 20.0)
        values = [r.p_wait, r.p_abandon, r.service_level, r.occupancy, r.asa_seconds, r.average_queue_length]
        assert all(math.isfinite(v) for v in values), r.to_dict()
        # Little's law for abandonment: theta E[queue] = lambda P(abandon).
        assert r.average_queue_length / 1e8 == pytest.approx(2e6 / 3600 * r.p_abandon, rel=1e-9)
    # Overloaded with nearly infinite patience: the excess load abandons.
    assert staffing.erlang_a(2e6, 180.0, 1e12 * 180, 90_000, 20.0).p_abandon == pytest.approx(0.1, rel=1e-6)


@pytest.mark.parametrize("traffic", [50.0, 3e4, 1e5, 1e6])
def test_erlang_a_tends_to_erlang_c_for_huge_patience(traffic):
    aht, target = 180.0, 20.0
    n = math.ceil(traffic + 1.5 * math.sqrt(traffic))
    r = staffing.erlang_a(traffic / aht * 3600.0, aht, aht * 1e12, n, target)
    assert r.p_wait == pytest.approx(staffing.erlang_c(traffic, n), rel=1e-6)
    assert r.service_level == pytest.approx(staffing.service_level(traffic, n, aht, target), rel=1e-6)
    assert r.asa_seconds == pytest.approx(staffing.average_speed_of_answer(traffic, n, aht), rel=1e-5)
    assert r.p_abandon < 1e-9


# --- cold start ---------------------------------------------------------------------------------


def test_erlang_formulas_do_not_import_pandas_scipy_stats_optimize_or_statsmodels():
    code = (
        "import sys, staffing; staffing.erlang_c(10, 12); staffing.required_agents(10, 180, 20, 0.8); "
        "heavy = [m for m in ('pandas', 'scipy.stats', 'scipy.optimize', 'statsmodels') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", done.stdout


def test_lazy_package_exposes_every_public_name():
    for name in staffing.__all__:
        assert getattr(staffing, name) is not None, name
    assert callable(staffing.erlang_a)  # the function, not the submodule of the same name
    assert set(staffing.__all__) <= set(dir(staffing))
    with pytest.raises(AttributeError):
        staffing.no_such_name  # noqa: B018
    assert (ROOT / "staffing" / "py.typed").is_file()
