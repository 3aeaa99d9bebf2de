"""KPI definitions of issue 10: email service level with open-not-due items, the three service
levels, occupancy as load (chat slot utilisation) and confidence intervals that respect [0, 1].

Kinds: exact checks against the contact records of the same run (every count and ratio recomputed
from the per-contact log), and unit tests of :func:`simulator.kpis.confidence_interval`.
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

import simulator as sim
from simulator import kpis


def email_model() -> sim.SimulationModel:
    """Two hours of email, 30 items per hour, one agent at 480 s each (7.5 per hour), target 1 h."""
    email = sim.ChannelModel("email", "email", [30, 30], sim.Distribution.deterministic(480), response_target_hours=1)
    return sim.SimulationModel(3600, 2, [email], [sim.AgentGroupModel("back office", ["email"], [1])])


def test_email_open_not_due_items_are_not_missed():
    """Items open at the horizon that still have time (arrival + 1 h > 2 h) leave the service-level
    denominator and are reported as open_not_due with their mean age; the others count as missed.
    Every number is recomputed from the records."""
    horizon, target = 7200.0, 3600.0
    result = sim.simulate(email_model(), replications=3, seed=4, keep_records=True)
    for r in range(3):
        records = result.records[result.records.replication == r]
        row = result.per_replication[result.per_replication[kpis.REPLICATION] == r].iloc[0]
        answered = records[records.outcome == "answered"]
        open_items = records[records.outcome == "in_system"]
        not_due = open_items[open_items.arrival_seconds + target > horizon]
        due = len(open_items) - len(not_due)
        within = int((answered.wait_seconds + answered.handle_seconds <= target).sum())
        assert len(not_due) > 5 and due > 5
        assert row[kpis.OPEN_NOT_DUE] == len(not_due)
        assert row[kpis.OPEN_NOT_DUE_AGE_SECONDS] == pytest.approx((horizon - not_due.arrival_seconds).mean())
        assert row[kpis.SERVICE_LEVEL] == pytest.approx(within / (len(answered) + due))
        assert row[kpis.SERVICE_LEVEL_OF_ANSWERED] == pytest.approx(within / len(answered))
        # per interval: by arrival interval, open-not-due items out of the denominator
        table = result.intervals[result.intervals[kpis.REPLICATION] == r]
        for i in range(2):
            mine = records[(records.arrival_seconds // 3600) == i]
            ans = mine[mine.outcome == "answered"]
            ok = int((ans.wait_seconds + ans.handle_seconds <= target).sum())
            open_due = int(((mine.outcome == "in_system") & (mine.arrival_seconds + target <= horizon)).sum())
            expected = ok / (len(ans) + open_due) if len(ans) + open_due else math.nan
            got = table[table[kpis.INTERVAL] == i][kpis.SERVICE_LEVEL].iloc[0]
            assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)
    document = result.to_json_dict()["channels"]["email"]
    assert document["open_not_due"]["mean"] > 5 and document["open_not_due_age_seconds"]["mean"] > 0


def test_three_service_levels_match_the_records(make_single_queue):
    """service_level over all offered (short abandons missed), excluding short abandons, and of
    answered only: per interval and over the horizon, recomputed from the records."""
    model = make_single_queue(rate_per_hour=320, aht_seconds=240, agents=21, hours=3, patience_seconds=60,
                              target_seconds=20)
    result = sim.simulate(model, replications=3, seed=8, keep_records=True)
    records = result.records
    for (r, i), rows in records.groupby([records.replication, records.arrival_seconds // 1800]):
        answered = rows[rows.outcome == "answered"]
        within = int((answered.wait_seconds <= 20).sum())
        short = int(((rows.outcome == "abandoned") & (rows.wait_seconds <= 20)).sum())
        line = result.intervals[(result.intervals[kpis.REPLICATION] == r) & (result.intervals[kpis.INTERVAL] == i)].iloc[0]
        assert line[kpis.SHORT_ABANDONS] == short
        assert line[kpis.SERVICE_LEVEL] == pytest.approx(within / len(rows))
        assert line[kpis.SERVICE_LEVEL_EXCLUDING_SHORT_ABANDONS] == pytest.approx(within / (len(rows) - short))
        assert line[kpis.SERVICE_LEVEL_OF_ANSWERED] == pytest.approx(within / len(answered))
    assert result.intervals[kpis.SHORT_ABANDONS].sum() > 10
    mean_all = result.kpi("queue", kpis.SERVICE_LEVEL)[0]
    assert mean_all < result.kpi("queue", kpis.SERVICE_LEVEL_EXCLUDING_SHORT_ABANDONS)[0]
    assert mean_all < result.kpi("queue", kpis.SERVICE_LEVEL_OF_ANSWERED)[0]
    document = result.to_json_dict()
    for name in (kpis.SERVICE_LEVEL_EXCLUDING_SHORT_ABANDONS, kpis.SERVICE_LEVEL_OF_ANSWERED, kpis.AGENTS_BUSY_SHARE):
        assert set(document["channels"]["queue"][name]) == {"mean", "ci95"}
        low, high = (document["confidence_intervals"]["channels"]["queue"][name][key] for key in ("low", "high"))
        assert 0.0 <= low <= document["channels"]["queue"][name]["mean"] <= high <= 1.0


def test_chat_occupancy_is_slot_utilisation_for_groups_and_channels():
    """Chat only, deterministic 600 s chats, concurrency 3, no stretch, overloaded (queue never
    empties after the first minutes): every slot is busy, so occupancy (slot utilisation) and
    agents_busy_share both tend to 1; at a light load occupancy is about a third of the busy share
    when agents hold one chat each. Group and channel occupancy agree for a single group."""
    chat = sim.ChannelModel("chat", "chat", [10], sim.Distribution.deterministic(600), concurrency=3,
                            concurrency_stretch=0.0)
    light = sim.SimulationModel(3600, 4, [chat], [sim.AgentGroupModel("team", ["chat"], [20])])
    result = sim.simulate(light, replications=2, seed=1, keep_records=True)
    records = result.records[result.records.outcome == "answered"]
    # 10 chats/h of 600 s on 20 agents: nearly always one chat per agent, so load = busy / 3 exactly
    # whenever no agent holds two; compare with the records: chat-seconds / (agents x 3 x horizon)
    for r in range(2):
        mine = records[records.replication == r]
        start = mine.queue_join_seconds + mine.wait_seconds
        chat_seconds = (np.minimum(start + mine.handle_seconds, 4 * 3600.0) - start).sum()
        occupancy = result.per_replication[kpis.OCCUPANCY].iloc[r]
        assert occupancy == pytest.approx(chat_seconds / (20 * 3 * 4 * 3600.0))
        group = result.group_summary[result.group_summary[kpis.REPLICATION] == r]
        assert group[kpis.OCCUPANCY].iloc[0] == pytest.approx(occupancy)
        assert result.per_replication[kpis.AGENTS_BUSY_SHARE].iloc[r] == pytest.approx(
            group[kpis.AGENTS_BUSY_SHARE].iloc[0])
    assert result.per_replication[kpis.AGENTS_BUSY_SHARE].mean() > 2.5 * result.per_replication[kpis.OCCUPANCY].mean()
    table = result.groups
    assert (table[kpis.AGENTS_BUSY_SHARE] >= table[kpis.OCCUPANCY] - 1e-12).all()


# ----------------------------------------------------------------------------- confidence intervals


def test_share_intervals_stay_inside_zero_one():
    values = [0.99, 1.0, 1.0, 0.97, 1.0]
    mean, low, high = kpis.confidence_interval(values, share=True)
    assert mean == pytest.approx(np.mean(values))
    assert 0.0 < low < mean < high < 1.0
    # the symmetric t interval crosses 1 here: the reason for the logit scale
    assert mean + sim.ci95_half_width(values) > 1.0
    mean, low, high = kpis.confidence_interval([0.0, 0.01, 0.0, 0.02], share=True)
    assert 0.0 < low < mean < high < 1.0


def test_non_share_interval_is_the_student_t_interval():
    values = [10.0, 12.0, 9.5, 11.0]
    mean, low, high = kpis.confidence_interval(values, share=False)
    half = sim.ci95_half_width(values)
    assert (low, high) == pytest.approx((mean - half, mean + half))
    assert half == pytest.approx(3.182446305284263 * np.std(values, ddof=1) / 2.0)  # t(0.975, 3)


def test_too_few_replications_give_nan_bounds():
    assert all(math.isnan(x) for x in kpis.confidence_interval([0.8], share=True)[1:])
    assert all(math.isnan(x) for x in kpis.confidence_interval([1.0, 1.0, 1.0], share=True)[1:])
    assert kpis.confidence_interval([1.0] * 30, share=True) == (1.0, 1.0, 1.0)
    assert math.isnan(sim.ci95_half_width([3.0]))
    assert all(math.isnan(x) for x in kpis.confidence_interval([], share=False))


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"values": [0.5, 1.2], "share": True}, "shares in [0, 1]"),
    ({"values": [0.5, 0.6], "share": True, "level": 1.0}, "level must be > 0 and < 1"),
])
def test_confidence_interval_refuses_bad_input(kwargs, fragment):
    with pytest.raises(sim.ModelError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        kpis.confidence_interval(**kwargs)


def test_summary_table_has_bounds_with_nan_for_one_replication(make_single_queue):
    model = make_single_queue(rate_per_hour=100, aht_seconds=200, agents=7, hours=2, patience_seconds=100)
    one = sim.simulate(model, replications=1, seed=1).summary()
    assert one[kpis.CI95_LOW].isna().all() and one[kpis.CI95_HIGH].isna().all()
    many = sim.simulate(model, replications=4, seed=1).summary().set_index(kpis.KPI)
    for name in kpis.SHARE_KPIS - {kpis.BLOCK_RATE}:
        assert 0.0 <= many.at[name, kpis.CI95_LOW] <= many.at[name, kpis.MEAN] <= many.at[name, kpis.CI95_HIGH] <= 1.0
    # no queue limit nor trunks: block rate 0 in every replication, a constant share (NaN bounds below 30)
    assert many.at[kpis.BLOCK_RATE, kpis.MEAN] == 0.0 and np.isnan(many.at[kpis.BLOCK_RATE, kpis.CI95_LOW])


def test_importing_simulator_kpis_does_not_import_scipy_stats():
    code = "import sys, simulator.kpis; print('scipy.stats' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "False"


def test_share_intervals_absorb_rounding_but_refuse_real_excess():
    """Occupancy summed from time areas can read 1 + 2e-16; that is rounding, not a bad share."""
    from simulator.errors import ModelError
    from simulator.kpis import confidence_interval

    mean, low, high = confidence_interval([1.0 + 2e-16, 0.9, 0.95], share=True)
    assert 0.0 <= low <= mean <= high <= 1.0
    with pytest.raises(ModelError, match=r"shares in \[0, 1\]"):
        confidence_interval([1.1, 0.9], share=True)
