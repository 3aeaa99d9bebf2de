"""Plain-text reports: the tables the command line prints, built from the studies' results.

One function per report (``format_*``), pure (result in, text out), so the text is tested without
running a command; numbers are rounded for reading, shares shown as percentages with their
95 % half-width.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

from scenarios.report.kpis import (
    CAMPAIGN_VIEW_KPIS,
    KPIS,
    applies_to,
    display_scale,
    is_share,
    kpi_name,
)

if TYPE_CHECKING:  # types only: importing this module stays cheap (``ccplan erlang`` starts fast)
    import pandas as pd

    from scenarios.studies.compare import Comparison
    from scenarios.studies.demo import DemoResult
    from scenarios.studies.plan import PlanResult
    from scenarios.studies.run import SetupRun
    from scenarios.studies.seasonal import SeasonalReport
    from scenarios.studies.sweep import SweepResult

__all__ = ["format_estimate", "precision_lines", "format_comparison", "format_erlang_report", "format_plan", "format_seasonal", "simulate_json", "format_run",
           "format_intervals", "format_requirements", "table_records", "summary_lines", "format_demo_staffing",
           "format_demo_voice"]


# --------------------------------------------------------------------------- estimates
def _missing_number(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_estimate(mean: float, low: float | None = None, high: float | None = None, *, share: bool = False,
                    replications: int | None = None, spec: str = ",.1f", scale: float = 1.0) -> str:
    """A mean with its 95 % interval, for reading: ``"84.6% ± 1.2"``, ``"97.9% (95.1-99.2)"``, ``"6.3 ± 0.9"``.

    Shares are percentages; their interval (inside [0, 1]) is shown as ``± points`` when nearly
    symmetric, else as its bounds. Without an interval (``low``/``high`` missing: too few
    replications, or a share equal in every replication) the text says so:
    ``"57.6% ± n/a (2 replications)"``; no interval is ever shown reaching outside [0, 1].
    """
    if _missing_number(mean):
        return "n/a"
    text = f"{mean:.1%}" if share else format(mean * scale, spec)
    if low is None or high is None or _missing_number(low) or _missing_number(high):
        return text + (f" ± n/a ({replications} replications)" if replications is not None else "")
    upper, lower = high - mean, mean - low
    if upper <= 0 and lower <= 0:
        return text
    if share:
        if abs(upper - lower) < 0.0005:
            return f"{text} ± {max(upper, lower) * 100:.1f}"
        return f"{text} ({low * 100:.1f}-{high * 100:.1f})"
    return f"{text} ± {format(max(upper, lower) * scale, spec)}"


def _symmetric_bounds(mean: float, half: float) -> tuple[float, float]:
    if _missing_number(mean) or _missing_number(half):
        return math.nan, math.nan
    return mean - half, mean + half


# --------------------------------------------------------------------------- compare


def _comparison_cell(metric: str, mean: float, half: float, replications: int | None = None,
                     bounds: tuple[float, float] | None = None) -> str:
    if _missing_number(mean):
        return "n/a"
    low, high = bounds if bounds is not None else _symmetric_bounds(mean, half)
    if is_share(metric):
        return format_estimate(mean, low, high, share=True, replications=replications)
    kpi = KPIS.get(kpi_name(metric))
    if metric.endswith(("total_cost", "notification_deflected", "agent_hours")) or (
            kpi is not None and kpi.unit in ("contacts", "calls", "items")):  # counts: whole numbers
        if not _missing_number(half) and half < 0.5:
            low = high = mean
        return format_estimate(mean, low, high, replications=replications, spec=",.0f")
    return format_estimate(mean, low, high, replications=replications, spec=",.2f")


def precision_lines(result) -> list[str]:
    """What a run's headline KPIs reached: replications, half-width per KPI against the target,
    and the control variates' variance ratio (:class:`simulator.PrecisionReport`)."""
    report = result.precision
    if report is None:
        return []
    target = report.target
    lines = []
    if target is not None:
        verdict = "met" if report.met else f"NOT met within {target.max_replications} replications"
        lines.append(f"precision target (95 % half-width): ±{target.share_half_width * 100:g} points on service level "
                     f"and abandon rate, ±{target.asa_half_width_seconds:g} s on ASA: {verdict} with "
                     f"{report.replications} replications")
    by_channel: dict[str, list[str]] = {}
    ratios = []
    for row in report.table.itertuples():
        label = {"service_level": "SL", "abandon_rate": "abandon", "asa_seconds": "ASA"}[row.kpi]
        if _missing_number(row.half_width):
            text = f"{label} n/a ({row.reason})" if row.reason else f"{label} n/a"
        elif row.kpi == "asa_seconds":
            text = f"{label} ±{row.half_width:.1f} s"
        else:
            text = f"{label} ±{row.half_width * 100:.1f} pt"
        by_channel.setdefault(row.channel, []).append(text)
        if row.estimator == "control_variates":
            ratios.append(row.variance_ratio)
    lines.append("precision reached: " + "; ".join(f"{name} {', '.join(parts)}" for name, parts in by_channel.items()))
    if ratios:
        lines.append(f"control variates (arrivals, offered work): variance ratio {min(ratios):.2f}-{max(ratios):.2f} "
                     f"of the plain mean's (about {1 / max(ratios):.1f}-{1 / min(ratios):.1f}x fewer replications "
                     f"for the same precision)")
    elif report.control_variates:
        lines.append("control variates: not applied (they need at least 11 replications)")
    return lines


def format_comparison(comparison: Comparison) -> str:
    """Side-by-side text table: one row per metric, one column per setup (mean ± 95 % half-width)."""
    runs = comparison.runs
    metrics = {run.kind: run.metrics() for run in runs}
    bounds = {run.kind: run.metric_bounds() for run in runs}
    names = list(metrics[runs[0].kind])
    header = ["metric", *[run.kind for run in runs]]
    rows = [[name, *[_comparison_cell(name, *metrics[run.kind][name], run.result.replications, bounds[run.kind].get(name))
                     for run in runs]] for name in names]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    currency = runs[0].costs.currency
    used = {run.result.replications for run in runs}
    count = (f"{used.pop()} replications per setup" if len(used) == 1 else
             "replications " + ", ".join(f"{run.kind} {run.result.replications}" for run in runs))
    lines = [f"{comparison.scenario.name}: {count}, seed {comparison.seed} "
             f"(common random numbers), costs in {currency} over the horizon", ""]
    for row in [header, *rows]:
        lines.append("  ".join([row[0].ljust(widths[0]), *[c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]]))
    for run in runs:
        lines.append("")
        lines.extend(f"{run.kind}: {line}" for line in precision_lines(run.result))
    lines.append("")
    lines.append("± = 95 % confidence half-width over replications (shares in points; asymmetric share intervals "
                 "as (low-high) %); service_level = answered within target / all offered to agents, short abandons "
                 "count as missed")
    notes = [f"{run.kind}: {note}" for run in runs for note in run.costs.notes]
    if notes:
        lines.append("")
        lines.extend(f"note: {n}" for n in notes)
    return "\n".join(lines)


# --------------------------------------------------------------------------- erlang
def _erlang_cell(value, spec: str) -> str:
    return "inf" if value is None else format(value, spec)


def format_erlang_report(report: dict) -> str:
    """The report as a header and an aligned table."""
    given = report["inputs"]
    needed = report["required_agents"]
    with_patience = "erlang_a" in needed
    lines = [
        f"traffic {report['traffic_erlangs']:.3f} Erlangs ({given['calls']:g} calls per {given['interval_minutes']:g} min, "
        f"AHT {given['aht_seconds']:g} s); goal {given['service_level_goal']:.0%} answered within {given['target_seconds']:g} s",
        f"required agents, Erlang C: {needed['erlang_c']}   (square-root staffing estimate: "
        f"{needed['square_root_estimate']:.2f} -> {needed['square_root_agents']})",
    ]
    if with_patience:
        lines.append(
            f"required agents, Erlang A (mean patience {given['patience_seconds']:g} s; SL over all arrivals, "
            f"abandoned calls count as missed): {needed['erlang_a']}"
        )
    layout = [("agents", "agents", "d"), ("service_level", "SL", ".1%"), ("asa_seconds", "ASA_s", ".1f"),
              ("p_wait", "P(wait)", ".1%"), ("occupancy", "occ", ".1%")]
    if with_patience:
        layout += [("service_level_erlang_a", "SL_A", ".1%"), ("asa_seconds_erlang_a", "ASA_A_s", ".1f"),
                   ("p_wait_erlang_a", "P(wait)_A", ".1%"), ("abandon_rate", "aband_A", ".1%"),
                   ("occupancy_erlang_a", "occ_A", ".1%")]
    table = [[heading for _, heading, _ in layout] + [""]]
    for row in report["rows"]:
        marks = []
        if row["agents"] == needed["erlang_c"]:
            marks.append("<- Erlang C")
        if with_patience and row["agents"] == needed["erlang_a"]:
            marks.append("<- Erlang A")
        table.append([_erlang_cell(row[key], spec) for key, _, spec in layout] + [" ".join(marks)])
    widths = [max(len(line[i]) for line in table) for i in range(len(layout))]
    lines.append("")
    if with_patience:
        lines.append("Erlang C columns: SL, ASA_s (all calls), P(wait), occ; Erlang A columns end in _A (ASA of answered calls)")
    for line in table:
        lines.append("  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=False)) + ("  " + line[-1] if line[-1] else ""))
    return "\n".join(lines).rstrip()


# --------------------------------------------------------------------------- plan
def _pct(value: float, half: float | None = None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    text = f"{value:.1%}"
    if half is not None and not math.isnan(half) and half > 0:
        text += f" ±{half * 100:.1f}"
    return text


def _num(value: float, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"


def _table(header: list[str], rows: list[list[str]], left: int = 0) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]

    def line(cells):
        return "  ".join(c.ljust(w) if i < left or i == len(cells) - 1 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return [line(header)] + [line(r) for r in rows]


def format_plan(plan: PlanResult) -> str:
    """The plain-text report of a plan: iterations, horizon, per-interval decisions, shifts, the goal rule."""
    scenario = plan.scenario
    rules = plan.rules
    share = "no part-time cap" if rules.max_part_time_share is None else f"part-time at most {rules.max_part_time_share:.0%} of shifts"
    lines = [f"{scenario.name}: simulation-checked plan, setup {plan.setup_kind}, replications {plan.min_replications} "
             f"to {plan.max_replications} per iteration (sequential, precision {plan.precision:g} point(s)), seed {plan.seed} (same every iteration), "
             f"at most {plan.max_iterations} iterations",
             f"roster rules: shifts {', '.join(f'{h:g}' for h in rules.shift_hours) or '-'} h, part-time "
             f"{', '.join(f'{h:g}' for h in rules.part_time_hours) or 'none'} h, {share}; {rules.break_count} x "
             f"{rules.break_minutes}-min break(s) starting {rules.break_window_hours[0]:g}-{rules.break_window_hours[1]:g} h in; "
             f"a start every {rules.start_step_minutes} min; "
             + ("no seat cap" if plan.seats is None else f"{plan.seats} seats shared by all groups"),
             f"shift schedules: minimum cost within {plan.mip_rel_gap:.2%} (HiGHS MIP gap; largest gap reached "
             f"{plan.iterations['schedule_gap'].max():.2%}, slowest solve {plan.iterations['schedule_seconds'].max():.1f} s)",
             ""]
    rows = [[str(int(r.iteration)), str(int(r.replications)), str(int(r.simulated_replications)),
             r.replications_stop or "-", f"{r.cost:,.0f}", _num(r.paid_hours), f"{r.burst_cost:,.0f}",
             str(int(r.missed_intervals)), str(int(r.undecided_intervals)), str(int(r.agents_added)),
             str(int(r.agents_removed)), str(int(r.blocked_intervals)), "yes" if r.goal_met else "no"]
            for r in plan.iterations.itertuples()]
    lines += _table(["iteration", "replications", "new", "stopped", f"cost ({plan.currency})", "paid hours", "of which burst", "missed",
                     "undecided", "added", "removed", "blocked", "goal met"], rows)
    lines.append("(new = replications simulated in the iteration: a schedule simulated before keeps its replications; "
                 "stopped = why its replications stopped: decided, missed, projection or max)")
    lines.append("")
    lines.append(f"chosen: iteration {plan.chosen_iteration} ({plan.replications} replications), cost {plan.cost:,.0f} "
                 f"{plan.currency}, {plan.paid_hours:g} paid hours; goal met: {'yes' if plan.goal_met else 'NO'}; "
                 f"converged: {'yes' if plan.converged else 'no'}; {plan.total_replications} replications in all")
    for row in plan.horizon.itertuples():
        goal = "no goal" if math.isnan(row.goal) else f"goal {row.goal:.0%}: {row.decision}"
        abandon = "" if scenario.channel_kind(row.channel) == "email" else \
            f", abandon {_pct(row.abandon_rate, row.abandon_rate_ci95)}"
        if not math.isnan(row.max_abandon_rate):
            abandon += f" (goal <= {row.max_abandon_rate * 100:g}%: {row.abandon_decision})"
        asa = ""
        if not math.isnan(row.asa_goal_seconds):
            asa = (f", ASA {_num(row.asa_seconds, 1)} ± {_num(row.asa_seconds_ci95, 1)} s "
                   f"(goal <= {row.asa_goal_seconds:g} s: {row.asa_decision})")
        lines.append(f"  {row.channel}: service level {_pct(row.service_level, row.service_level_ci95)} ({goal}){abandon}{asa}")
    lines.append("")
    rows = []
    for r in plan.intervals.itertuples():
        rows.append([r.start, r.channel, _num(r.erlang_c, 0), _num(r.erlang_a, 0), _num(r.analytic_agents, 0),
                     _num(r.first_schedule_agents), _num(r.simulated_requirement_agents), _num(r.final_schedule_agents),
                     _pct(r.service_level, r.service_level_ci95),
                     "-" if r.kind == "email" else _pct(r.abandon_rate, r.abandon_rate_ci95), r.decision or "-", r.why])
    lines += _table(["start", "channel", "Erlang C", "Erlang A", "analytic", "first", "sim. req.", "final",
                     "service level", "abandon", "decision", "why"], rows, left=2)
    lines.append(f"(agents available after shrinkage; first/final = the first and chosen schedules, sim. req. = "
                 f"the simulated requirement; ± = 95% CI half-width in points over {plan.replications} replications)")
    lines.append("")
    for name, schedule in plan.schedules.items():
        table = schedule.schedule
        by_template = table.groupby("template", sort=False)["headcount"].sum()
        parts = ", ".join(f"{int(count)} x {template}" for template, count in by_template.items())
        part_time = int(table.loc[table["part_time"], "headcount"].sum())
        lines.append(f"group {name}: {int(table['headcount'].sum())} shifts ({part_time} part-time), "
                     f"{schedule.paid_hours:g} paid hours, {schedule.cost:,.0f} {plan.currency}: {parts}")
    lines.append(f"goal rule: {plan.rule}")
    for note in plan.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- seasonal
def _seasonal_number(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def format_seasonal(report: SeasonalReport) -> str:
    """Per-setup plan tables and the comparison, as aligned text."""
    lines = [f"{report.name}: {len(report.periods)} periods from {report.periods[0]}",
             "volumes: " + ", ".join(f"{channel} ({method})" for channel, method in report.forecast_methods.items())]
    layout = [("period", "period", None), ("required_fte", "required", 1), ("headcount", "headcount", 1),
              ("hires_decided", "decide", 0), ("hires_started", "start", 0), ("leavers", "leavers", 1),
              ("in_training", "training", 1), ("productive_fte", "productive", 1), ("overtime_fte", "overtime", 1),
              ("temp_fte", "temps", 1), ("burst_fte", "burst", 1), ("available_fte", "available", 1),
              ("shortfall_fte", "short", 1), ("cost", "cost", 0)]
    for name, plan in report.comparison.plans.items():
        lines += ["", f"setup {name} (solver: {plan.status}); FTE per period, cost in currency units"]
        cells = [[heading for _, heading, _ in layout]]
        for row in plan.table.itertuples(index=False):
            record = row._asdict()
            cells.append([str(record[key]) if digits is None else _seasonal_number(record[key], digits) for key, _, digits in layout])
        widths = [max(len(line[i]) for line in cells) for i in range(len(layout))]
        lines += ["  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)) for line in cells]
    summary = report.comparison.to_frame()
    lines += ["", "comparison (service = share of required FTE-periods covered)"]
    heading = ["setup", "total cost", "service", "short FTE-periods", "worst short", "worst period", "peak", "short at peak", "hires"]
    cells = [heading]
    for row in summary.itertuples(index=False):
        cells.append([row.setup, _seasonal_number(row.total_cost, 0), f"{row.service:.2%}", _seasonal_number(row.shortfall_fte_periods),
                      _seasonal_number(row.max_shortfall_fte), row.worst_period if isinstance(row.worst_period, str) else "-", str(row.peak_period),
                      _seasonal_number(row.shortfall_at_peak_fte), _seasonal_number(row.hires, 0)])
    widths = [max(len(line[i]) for line in cells) for i in range(len(heading))]
    lines += ["  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)) for line in cells]
    return "\n".join(lines)


# --------------------------------------------------------------------------- simulate
_TEXT_KPIS = (  # row label, KPI (None: deflected, summed), format of counts/seconds (shares: percentages)
    ("offered", "offered", ",.0f"), ("deflected", None, ",.0f"), ("answered", "answered", ",.0f"),
    ("abandoned", "abandoned", ",.0f"), ("service level", "service_level", ""),
    ("  excluding short abandons", "service_level_excluding_short_abandons", ""),
    ("  of answered", "service_level_of_answered", ""),
    ("ASA (s)", "asa_seconds", ".1f"), ("p90 wait (s)", "p90_wait_seconds", ".1f"),
    ("abandon rate", "abandon_rate", ""), ("occupancy", "occupancy", ""),
    ("agents holding a contact", "agents_busy_share", ""),
    ("mean response (h)", "mean_response_seconds", ".2f"), ("p90 response (h)", "p90_response_seconds", ".2f"),
    ("backlog at end", "backlog_end", ",.0f"), ("open, not yet due, at end", "open_not_due", ",.0f"),
)

def _json_number(value):
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


def _goals(run: SetupRun) -> dict:
    goals: dict[str, dict[str, object]] = {}
    for name, spec in run.compiled.scenario.channels.items():
        entry: dict[str, object] = {}
        if spec.service_level is not None:
            mean, _ = run.result.kpi(name, "service_level")
            entry["service_level"] = {"target_seconds": spec.service_level.target_seconds, "goal": spec.service_level.goal,
                                      "met": None if math.isnan(mean) else bool(mean >= spec.service_level.goal)}
        if spec.max_occupancy is not None:
            mean, _ = run.result.kpi(name, "occupancy")
            entry["max_occupancy"] = {"goal": spec.max_occupancy, "met": None if math.isnan(mean) else bool(mean <= spec.max_occupancy)}
        for field, kpi in (("asa_goal_seconds", "asa_seconds"), ("max_abandon_rate", "abandon_rate")):
            goal = getattr(spec, field)
            if goal is not None:
                mean, _ = run.result.kpi(name, kpi)
                entry[field] = {"goal": goal, "met": None if math.isnan(mean) else bool(mean <= goal)}
        if run.compiled.model.channel(name).kind == "email":
            entry["response_target_hours"] = run.compiled.model.channel(name).response_target_hours
        if entry:
            goals[name] = entry
    return goals


def simulate_json(run: SetupRun) -> dict:
    """The ``--json`` object of one run (see the module docstring)."""
    out: dict[str, object] = {"scenario": run.compiled.scenario.name, "setup": run.kind}
    out.update(run.result.to_json_dict())
    out["definitions"] = {name: kpi.meaning for name, kpi in KPIS.items() if kpi.meaning}
    out["goals"] = _goals(run)
    out["costs"] = run.costs.to_json_dict()
    out["seat_shortfall_per_interval"] = [int(x) for x in run.compiled.seat_shortfall]
    out["notification_deflected"] = {k: _json_number(v.sum()) for k, v in run.compiled.notification_deflected.items()}
    return out


_GOAL_LINES = (
    ("service_level", "MISSED", lambda g: f"{g['goal']:.0%} within {g['target_seconds']:g} s"),
    ("max_occupancy", "EXCEEDED", lambda g: f"occupancy <= {g['goal']:.0%}"),
    ("asa_goal_seconds", "MISSED", lambda g: f"ASA <= {g['goal']:g} s"),
    ("max_abandon_rate", "EXCEEDED", lambda g: f"abandon rate <= {g['goal'] * 100:g}%"),
)
"""A goal's key in the run's goals, the word when it is not met, and how it reads."""


def format_run(run: SetupRun) -> str:
    """Plain-text report: KPIs per channel (mean +- 95 % half-width), groups, goals, costs, notes."""
    result, compiled = run.result, run.compiled
    scenario = compiled.scenario
    lines = [f"{scenario.name}: setup {run.kind}, {result.replications} replications, seed {result.seed}, "
             f"{scenario.intervals} x {scenario.interval_minutes:g} min from {compiled.scenario.interval_labels()[0]}, "
             f"warm-up {result.warmup_seconds / 60:g} min"]
    lines += precision_lines(result)
    names = [c.name for c in compiled.model.channels]
    table = result.summary_table.set_index(["channel", "kpi"])
    rows = []
    for label, kpi, spec in _TEXT_KPIS:
        cells = []
        for channel in compiled.model.channels:
            if kpi is None:
                mean = result.kpi(channel.name, "deflected_self_service")[0] + result.kpi(channel.name, "deflected_bot")[0]
                cells.append(format_estimate(mean, spec=spec))
                continue
            if not applies_to(kpi, channel.kind):
                cells.append("")
                continue
            row = table.loc[(channel.name, kpi)]
            cells.append(format_estimate(row["mean"], row["ci95_low"], row["ci95_high"], share=is_share(kpi),
                                         replications=int(row["replications"]), spec=spec, scale=display_scale(kpi)))
        if any(cells):
            rows.append((label, cells))
    width = max(len(label) for label, _ in rows)
    columns = [max(len(n), *(len(cells[i]) for _, cells in rows)) for i, n in enumerate(names)]
    lines.append("")
    lines.append(" " * width + "  " + "  ".join(n.rjust(w) for n, w in zip(names, columns, strict=True)))
    for label, cells in rows:
        lines.append(label.ljust(width) + "  " + "  ".join(c.rjust(w) for c, w in zip(cells, columns, strict=True)))
    lines.append("")
    lines.append("± = 95 % confidence half-width over replications (shares in points; an asymmetric share interval "
                 "is shown as (low-high) %). service level = answered within target / all offered to agents (short "
                 "abandons count as missed; email: within the response target / answered or due); excluding short "
                 "abandons leaves contacts abandoning within the target out; of answered = within target / answered")
    lines += _campaign_lines(result)
    for name, frame in result.group_summary.groupby("group", sort=False):
        values = frame["occupancy"].dropna()
        lines.append(f"group {name}: occupancy {values.mean():.1%}" if len(values) else f"group {name}: no agents present")
    for name, goal in _goals(run).items():
        for key, failed, words in _GOAL_LINES:
            if key in goal:
                verdict = {True: "met", False: failed, None: "n/a"}[goal[key]["met"]]
                lines.append(f"goal {name}: {words(goal[key])}: {verdict}")
    costs = run.costs
    lines.append(f"cost over the horizon: {costs.total:,.0f} {costs.currency} "
                 f"({costs.cost_per_contact:.2f} per contact, {costs.cost_per_answered:.2f} per answered)")
    shortfall = compiled.seat_shortfall
    if shortfall.any():
        labels = compiled.scenario.interval_labels()
        worst = int(shortfall.argmax())
        lines.append(f"seat cap binds in {int((shortfall > 0).sum())} intervals: up to {int(shortfall.max())} agents "
                     f"without a seat (at {labels[worst]})")
    for name in compiled.notification_deflected:
        row = table.loc[(name, "deflected_notification")]
        lines.append(f"notifications deflect {format_estimate(row['mean'], row['ci95_low'], row['ci95_high'], spec=',.0f', replications=int(row['replications']))} {name} contacts")
    burst = result.groups[result.groups["group"].isin([g.name for g in compiled.model.groups if g.elastic is not None])]
    if not burst.empty:
        per_replication = burst.groupby("replication")
        minutes = per_replication["available_agents"].sum() * compiled.model.interval_seconds / 60.0
        starts = per_replication["elastic_starts"].sum()
        lines.append(f"burst agents: {starts.mean():.1f} logins, {minutes.mean():,.0f} agent-minutes logged in (mean per replication)")
    lines += _transfer_and_message_lines(run)
    for note in costs.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def _campaign_lines(result) -> list[str]:
    """The outbound campaigns' KPIs (mean and 95 % interval), one column per campaign; none without."""
    if result.campaign_summary is None:
        return []
    table = result.campaign_summary.set_index(["campaign", "kpi"])
    names = [c.name for c in result.model.campaigns]
    rows = []
    for kpi in CAMPAIGN_VIEW_KPIS:
        cells = []
        for name in names:
            row = table.loc[(name, kpi)]
            spec = ",.0f" if KPIS[kpi].unit == "calls" else ".1f"
            cells.append(format_estimate(row["mean"], row["ci95_low"], row["ci95_high"], share=is_share(kpi),
                                         replications=int(row["replications"]), spec=spec))
        rows.append((f"{KPIS[kpi].label} ({KPIS[kpi].unit})" if KPIS[kpi].unit in ("seconds", "hours") else KPIS[kpi].label,
                     cells))
    width = max(len(label) for label, _ in rows)
    columns = [max(len(n), *(len(cells[i]) for _, cells in rows)) for i, n in enumerate(names)]
    lines = ["", "outbound (blended): inbound first, attempts only while the campaign's reserve of idle agents is kept",
             " " * width + "  " + "  ".join(n.rjust(w) for n, w in zip(names, columns, strict=True))]
    for label, cells in rows:
        lines.append(label.ljust(width) + "  " + "  ".join(c.rjust(w) for c, w in zip(cells, columns, strict=True)))
    lines.append("")
    return lines


def _transfer_and_message_lines(run: SetupRun) -> list[str]:
    """One line per channel with transfers or with messages sent to an email channel (none otherwise)."""
    result = run.result
    table = result.summary_table.set_index(["channel", "kpi"])

    def estimate(channel: str, kpi: str, spec: str) -> str:
        row = table.loc[(channel, kpi)]
        return format_estimate(row["mean"], row["ci95_low"], row["ci95_high"], spec=spec,
                               replications=int(row["replications"]))

    lines = []
    for channel in run.compiled.model.channels:
        if channel.transfer is not None:
            group = channel.transfer.group
            target = f"group {group}" if group is not None else channel.transfer.to
            lines.append(f"transfers {channel.name} -> {target} ({channel.transfer.share:.0%} of answered): "
                         f"{estimate(channel.name, 'transferred', ',.0f')} transferred (part of {channel.transfer.to}'s "
                         f"offered); end to end {estimate(channel.name, 'end_to_end_transferred_seconds', '.1f')} s "
                         f"transferred, {estimate(channel.name, 'end_to_end_seconds', '.1f')} s all answered")
        if channel.messages_to is not None:
            lines.append(f"messages {channel.name} -> {channel.messages_to}: {estimate(channel.name, 'messages', ',.0f')} "
                         f"left, handled as {channel.messages_to} items (part of its offered)")
    return lines


def format_intervals(run: SetupRun) -> str:
    """Per-interval text table of :meth:`SetupRun.interval_summary` (percentages for shares; the
    other two service-level conventions are in ``--json``), means over replications."""
    frame = run.interval_summary()
    frame = frame[[c for c in frame.columns if not c.endswith(("service_level_excluding_short_abandons",
                                                               "service_level_of_answered"))]]
    header = list(frame.columns[1:])
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for column in header:
            value = row[column]
            if column == "start":
                cells.append(str(value))
            elif isinstance(value, float) and math.isnan(value):
                cells.append("n/a")
            elif column.endswith(("service_level", "abandon_rate", "outbound_share")):
                cells.append(f"{value:.1%}")
            elif column.endswith("asa_seconds"):
                cells.append(f"{value:.1f}")
            else:
                cells.append(f"{value:.0f}")
        rows.append(cells)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------- staff
def _missing(value) -> bool:
    """Whether a table cell is empty (None, NaN or pandas' NA)."""
    import pandas as pd

    return bool(pd.isna(value))


def _requirement_cell(value, spec: str) -> str:
    if _missing(value):
        return "-"
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    return format(value, spec)


def _display() -> tuple:
    from staffing import requirements as req

    return (  # column, heading, format
        (req.COLUMN_VOLUME, "volume", ",.0f"),
        (req.COLUMN_TRAFFIC, "traffic", ".2f"),
        (req.COLUMN_REQUIRED_ERLANG_C, "erlC", "d"),
        (req.COLUMN_REQUIRED_ERLANG_A, "erlA", "d"),
        (req.COLUMN_REQUIRED_SQUARE_ROOT, "sqrt", "d"),
        (req.COLUMN_REQUIRED_AGENTS, "agents", "d"),
        (req.COLUMN_BINDING_GOAL, "binds", "s"),
        (req.COLUMN_SERVICE_LEVEL, "SL", ".1%"),
        (req.COLUMN_ASA, "ASA_s", ".1f"),
        (req.COLUMN_ABANDON_RATE, "aband", ".1%"),
        (req.COLUMN_OCCUPANCY, "occ", ".1%"),
        (req.COLUMN_BACKLOG_ITEMS, "backlog", ".1f"),
        (req.COLUMN_SCHEDULED_AGENTS, "req+shrink", "d"),
        (req.COLUMN_FTE, "FTE", ".2f"),
)


def format_requirements(table: pd.DataFrame) -> str:
    """The requirements table as aligned text, followed by per-channel totals."""
    from staffing import requirements as req

    display = _display()
    has_labels = table[req.COLUMN_INTERVAL_START].notna().any()
    first = (req.COLUMN_INTERVAL_START, "start") if has_labels else (req.COLUMN_INTERVAL, "interval")
    headings = [first[1], "channel"] + [heading for _, heading, _ in display]
    rows = []
    for record in table.to_dict("records"):
        cells = [str(record[first[0]]), str(record[req.COLUMN_CHANNEL])]
        for column, _, spec in display:
            value = record[column]
            if spec == "d" and not _missing(value):
                value = int(value)
            cells.append(_requirement_cell(value, spec))
        rows.append(cells)
    widths = [max(len(heading), *(len(row[i]) for row in rows)) for i, heading in enumerate(headings)]
    lines = ["  ".join(h.rjust(w) if i > 1 else h.ljust(w) for i, (h, w) in enumerate(zip(headings, widths, strict=True)))]
    for row in rows:
        lines.append("  ".join(c.rjust(w) if i > 1 else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))
    lines.append("")
    for channel, group in table.groupby(req.COLUMN_CHANNEL, sort=False):
        lines.append(
            f"{channel}: {group[req.COLUMN_VOLUME].sum():,.0f} contacts, peak {int(group[req.COLUMN_REQUIRED_AGENTS].max())} "
            f"agents required / {int(group[req.COLUMN_SCHEDULED_AGENTS].max())} required after shrinkage, "
            f"{group[req.COLUMN_FTE].sum():.2f} FTE"
        )
    lines.append(f"total: {table[req.COLUMN_FTE].sum():.2f} FTE")
    lines.append("(agents = required on the phones, the fewest meeting every goal stated; binds = the goal that sets "
                 "it: service_level, occupancy (max_occupancy), asa (asa_goal_seconds) or abandon (max_abandon_rate); "
                 "req+shrink = required after shrinkage, required / (1 - shrinkage): what to schedule, not the roster; "
                 "CSV/JSON columns binding_goal, required_after_shrinkage)")
    return "\n".join(lines)


def table_records(table: pd.DataFrame) -> list[dict]:
    """The table as JSON-ready records (missing values and infinities become ``null``)."""
    return json.loads(table.to_json(orient="records"))


# --------------------------------------------------------------------------- sweep
_MAX_ROWS = 40


def _sweep_number(value: float | None, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if kind == "share":
        return f"{100 * value:.1f}%"
    if kind == "seconds":
        return f"{value:.1f}"
    return f"{value:,.0f}"


def summary_lines(result: SweepResult, *, max_rows: int = _MAX_ROWS) -> list[str]:
    """The short summary table printed by ``ccplan sweep`` (one row per run), as lines."""
    import pandas as pd

    from scenarios.report.tables import RUN, STATUS, STATUS_FAILED

    summary = result.summary
    channels = [c for c in dict.fromkeys(summary["channel"].dropna()) if isinstance(c, str)]
    rows = []
    errors = []
    several_setups = result.runs["setup_kind"].nunique() > 1
    for run, frame in summary.groupby(RUN, sort=True):
        first = frame.iloc[0]
        row = {"run": str(run)}
        if several_setups:
            row["setup"] = first["setup_kind"]
        for path in result.parameters:
            value = first[path]
            row[path] = f"{value:g}" if isinstance(value, float) else str(value)
        row["status"] = first[STATUS]
        if first[STATUS] == STATUS_FAILED:
            errors.append(f"run {run} failed: {first['error']}")
        by_channel = frame.set_index("channel")
        for channel in channels:
            kpis = by_channel.loc[channel] if channel in by_channel.index else None
            row[f"{channel} SL"] = _sweep_number(None if kpis is None else kpis["service_level_mean"], "share")
            row[f"{channel} aband"] = _sweep_number(None if kpis is None else kpis["abandon_rate_mean"], "share")
            row[f"{channel} ASA s"] = _sweep_number(None if kpis is None else kpis["asa_seconds_mean"], "seconds")
        row["cost"] = _sweep_number(first["total_cost_mean"], "money")
        rows.append(row)
    table = pd.DataFrame(rows)
    shown = table if len(table) <= max_rows else pd.concat([table.head(max_rows // 2), table.tail(max_rows // 2)])
    lines = shown.to_string(index=False).splitlines()
    if len(table) > max_rows:
        lines.insert(max_rows // 2 + 1, f"... {len(table) - max_rows} more runs ...")
    if len(errors) > max_rows // 4:
        errors = errors[: max_rows // 4] + [f"... {len(errors) - max_rows // 4} more failed runs (see the error column)"]
    return lines + errors


# --------------------------------------------------------------------------- demo
def format_demo_staffing(result: DemoResult) -> str:
    table = result.requirements
    wide = table.pivot(index="interval_start", columns="channel", values="required_agents")
    voice = table[table["channel"] == "voice"].set_index("interval_start")
    lines = ["start   calls  ErlC  ErlA  | required agents:  voice  chat  email  | to schedule (after shrinkage)"]
    scheduled = table.groupby("interval_start", sort=False)["scheduled_agents"].sum()
    for label in voice.index:
        row = voice.loc[label]
        lines.append(f"{label}  {row['volume']:6.0f}  {int(row['required_erlang_c']):4d}  {int(row['required_erlang_a']):4d}  |"
                     f"                  {int(wide.loc[label, 'voice']):5d}  {int(wide.loc[label, 'chat']):4d}  "
                     f"{int(wide.loc[label, 'email']):5d}  | {int(scheduled.loc[label]):5d}")
    return "\n".join(lines)


def format_demo_voice(result: DemoResult) -> str:
    lines = ["start   calls  agents(net)  Erlang C SL  Erlang A SL  simulated SL        abandon"]
    for row in result.voice.itertuples():
        lines.append(f"{row.interval_start}  {row.calls:6.0f}  {row.agents_net:11.0f}  {row.erlang_c_sl:11.1%}  "
                     f"{row.erlang_a_sl:11.1%}  {row.simulated_sl:6.1%} ± {row.simulated_sl_ci95:5.1%}  "
                     f"{row.simulated_abandon_rate:7.1%}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- calibrate and backtest
def format_calibration(header_lines: list[str], output: str) -> str:
    """What ``ccplan calibrate`` estimated (the scenario's comment header) and where it went."""
    return "\n".join([*header_lines, f"wrote {output} (and the per-day arrivals and staffing beside it)"])


_BACKTEST_FORMATS = {"offered": "{:.1f}", "answered": "{:.1f}", "abandoned": "{:.1f}", "abandon_rate": "{:.1%}",
                     "service_level": "{:.1%}", "asa_seconds": "{:.1f} s", "occupancy": "{:.1%}"}


def format_backtest_summary(summary: pd.DataFrame) -> str:
    """Per level (interval, day) and KPI: observations, mean absolute error, bias, coverage of the 95 % PI."""
    lines = ["level     kpi             n      MAE         bias        inside 95% PI"]
    for row in summary.itertuples():
        fmt = _BACKTEST_FORMATS.get(row.kpi, "{:.3g}")
        bias = ("+" if row.bias > 0 else "") + fmt.format(row.bias)
        lines.append(f"{row.level:<9} {row.kpi:<14} {row.n:5d}  {fmt.format(row.mae):>10}  {bias:>10}  {row.coverage:8.1%}")
    return "\n".join(lines)


def format_backtest_days(table: pd.DataFrame) -> str:
    """Per day and channel: observed vs simulated daily KPIs with the 95 % prediction interval."""
    daily = table[table["interval"] < 0]
    lines = ["day         channel   kpi             observed    simulated   95% PI                  inside"]
    for row in daily.itertuples():
        fmt = _BACKTEST_FORMATS.get(row.kpi, "{:.3g}")
        lines.append(f"{str(row.day)[:10]}  {row.channel:<9} {row.kpi:<14} {fmt.format(row.observed):>10}  "
                     f"{fmt.format(row.simulated):>10}   [{fmt.format(row.low)}, {fmt.format(row.high)}]".ljust(96)
                     + ("yes" if row.inside else "NO"))
    return "\n".join(lines)
