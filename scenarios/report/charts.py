"""Charts: pure functions from DataFrames to matplotlib ``Figure`` objects.

No pyplot and no global state (a Streamlit server draws for many sessions at once): every
function builds a ``matplotlib.figure.Figure`` and returns it. Axes carry units. The input
tables are the ones :mod:`dashboard.compute` returns; the functions are tested without Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from scenarios.report.kpis import KPIS, applies_to, is_share, kpi_label

__all__ = [
    "intraday_figure",
    "requirements_figure",
    "service_figure",
    "occupancy_figure",
    "kpi_bands_figure",
    "queue_backlog_figure",
    "comparison_figure",
    "sensitivity_figure",
    "seasonal_figure",
    "shifts_gantt_figure",
    "plan_coverage_figure",
    "resized_figure",
]



_WIDTH = 10.0


def _figure(height: float, *, hspace: float = 0.45) -> Figure:
    """A figure with fixed margins in inches (a constrained layout costs as much as the drawing)."""
    figure = Figure(figsize=(_WIDTH, height))
    figure.subplots_adjust(left=0.08, right=_RIGHT, bottom=min(0.45, 0.95 / height), top=1.0 - min(0.2, 0.4 / height),
                           hspace=hspace, wspace=0.35)
    return figure


_RIGHT = 0.78
"""Right edge of the panels (fraction of the width): legends sit in the margin beyond it, never over data."""


def _legend(axes, handles=None, labels=None) -> None:
    """The legend outside the panel, at its top right (never over the data)."""
    if handles is None:
        handles, labels = axes.get_legend_handles_labels()
    if handles:
        axes.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0,
                    fontsize="small", frameon=False)


def _colors(*frames: pd.DataFrame) -> dict[str, str]:
    """One colour per channel, the same in every panel and chart (channels in sorted order)."""
    names = sorted({str(name) for frame in frames if "channel" in frame for name in frame["channel"]})
    return {name: f"C{index % 10}" for index, name in enumerate(names)}


def _x_axis(axes, labels: Sequence[str], *, every: int | None = None) -> None:
    positions = np.arange(len(labels))
    step = every or max(1, -(-len(labels) // 8))
    axes.set_xticks(positions[::step], [labels[i] for i in positions[::step]], rotation=45, ha="right")
    axes.set_xlabel("Interval start (clock time)")


def _empty(message: str) -> Figure:
    figure = _figure(2.0)
    axes = figure.add_subplot()
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes)
    axes.set_axis_off()
    return figure


def intraday_figure(arrivals: pd.DataFrame) -> Figure:
    """Would-be contacts per interval, one line per channel (the intraday curve).

    Parameters
    ----------
    arrivals : pandas.DataFrame
        Columns ``interval``, ``interval_start``, ``channel``, ``arrivals``.
    """
    if arrivals.empty:
        return _empty("no channels")
    figure = _figure(3.6)
    axes = figure.add_subplot()
    colors = _colors(arrivals)
    labels: list[str] = []  # the interval labels (the same for every channel)
    for channel, frame in arrivals.groupby("channel", sort=False):
        frame = frame.sort_values("interval")
        labels = list(frame["interval_start"])
        axes.plot(np.arange(len(frame)), frame["arrivals"].to_numpy(dtype=float), marker="o", markersize=3,
                  color=colors[channel], label=channel)
    _x_axis(axes, labels)
    axes.set_ylabel("Contacts per interval")
    axes.set_title("Intraday volume by channel", y=1.0)
    axes.set_ylim(bottom=0)
    _legend(axes)
    axes.grid(alpha=0.3)
    return figure


def requirements_figure(requirements: pd.DataFrame, schedule: pd.DataFrame,
                        channels: Sequence[str] | None = None) -> Figure:
    """Agents required per interval: Erlang C vs Erlang A vs the staffing used vs scheduled.

    One panel per channel (agents on the queue; where the channel has dedicated groups, their
    scheduled agents net of shrinkage are drawn too) and a last panel with all channels: agents to
    schedule after shrinkage vs the scenario's scheduled headcount.

    Parameters
    ----------
    requirements : pandas.DataFrame
        :func:`staffing.interval_requirements` columns, ``channel`` holding the channel name.
    schedule : pandas.DataFrame
        ``interval_start``, ``required_scheduled``, ``scheduled`` and ``available:<channel>``.
    channels : sequence of str, optional
        Channels to draw a panel for (default all).
    """
    if channels is None:
        channels = list(dict.fromkeys(requirements["channel"]))
    channels = list(channels)
    figure = _figure(2.6 * (len(channels) + 1))
    panels = figure.subplots(len(channels) + 1, 1, sharex=True, squeeze=False)[:, 0]
    labels = list(schedule["interval_start"])
    x = np.arange(len(labels))
    for axes, channel in zip(panels, channels, strict=False):
        frame = requirements[requirements["channel"] == channel].sort_values("interval")
        for column, label, style in (("required_agents", "required (model used)", dict(linewidth=5, alpha=0.3, color="C2")),
                                     ("required_erlang_c", "Erlang C", dict(linestyle="--", color="C0")),
                                     ("required_erlang_a", "Erlang A", dict(linestyle="-.", color="C1"))):
            values = frame[column].to_numpy(dtype=float, na_value=np.nan)
            if np.isfinite(values).any():
                axes.step(x, values, where="mid", label=label, **style)
        available = f"available:{channel}"
        if available in schedule:
            axes.step(x, schedule[available].to_numpy(dtype=float), where="mid", color="black", linewidth=2,
                      label="scheduled, net of shrinkage")
        axes.set_ylabel("Agents")
        axes.set_title(f"{channel}: agents required per interval (Erlang C vs Erlang A vs scheduled)", y=1.0)
        _legend(axes)
        axes.grid(alpha=0.3)
        axes.set_ylim(bottom=0)
    axes = panels[-1]
    axes.step(x, schedule["required_scheduled"].to_numpy(dtype=float), where="mid", label="required, after shrinkage")
    axes.step(x, schedule["scheduled"].to_numpy(dtype=float), where="mid", color="black", linewidth=2, label="scheduled")
    if "seated" in schedule and (schedule["seated"] != schedule["scheduled"]).any():
        axes.step(x, schedule["seated"].to_numpy(dtype=float), where="mid", color="C3", linewidth=2, linestyle=":",
                  label="on site (seat cap)")
    axes.set_ylabel("Agents (headcount)")
    axes.set_title("All channels: agents to schedule vs scheduled headcount", y=1.0)
    _legend(axes)
    axes.grid(alpha=0.3)
    axes.set_ylim(bottom=0)
    _x_axis(axes, labels)
    return figure


def service_figure(requirements: pd.DataFrame, at_schedule: pd.DataFrame) -> Figure:
    """Expected service level, ASA and abandon rate per interval.

    Solid lines: at the required staffing (analytic, per channel). Dashed: voice channels at the
    scheduled agents (Erlang A), where a channel has dedicated groups.
    """
    figure = _figure(7.5)
    panels = figure.subplots(3, 1, sharex=True)
    colors = _colors(requirements, at_schedule)
    labels = None
    for channel, frame in requirements.groupby("channel", sort=False):
        frame = frame.sort_values("interval")
        labels = list(frame["interval_start"])
        x = np.arange(len(frame))
        for axes, column in zip(panels, ("service_level", "asa_seconds", "abandon_rate"), strict=True):
            values = frame[column].to_numpy(dtype=float, na_value=np.nan)
            if np.isfinite(values).any():
                axes.plot(x, values, color=colors[channel], label=f"{channel} at required")
    for channel, frame in at_schedule.groupby("channel", sort=False):
        frame = frame.sort_values("interval")
        x = np.arange(len(frame))
        for axes, column in zip(panels, ("service_level", "asa_seconds", "abandon_rate"), strict=True):
            axes.plot(x, frame[column].to_numpy(dtype=float), color=colors[channel], linestyle="--", linewidth=2,
                      label=f"{channel} at schedule")
    for axes, column in zip(panels, ("service_level", "asa_seconds", "abandon_rate"), strict=True):
        axes.set_ylabel(kpi_label(column))
        axes.grid(alpha=0.3)
        _legend(axes)
    panels[0].set_ylim(0, 1.02)
    panels[0].set_title("Expected service per interval (analytic)", y=1.0)
    if labels:
        _x_axis(panels[-1], labels)
    return figure


def occupancy_figure(requirements: pd.DataFrame, at_schedule: pd.DataFrame) -> Figure:
    """Expected occupancy per interval and channel (at required staffing; voice also at schedule)."""
    figure = _figure(3.2)
    axes = figure.add_subplot()
    colors = _colors(requirements, at_schedule)
    labels = None
    for channel, frame in requirements.groupby("channel", sort=False):
        frame = frame.sort_values("interval")
        labels = list(frame["interval_start"])
        axes.plot(np.arange(len(frame)), frame["occupancy"].to_numpy(dtype=float, na_value=np.nan), color=colors[channel],
                  label=f"{channel} at required")
    for channel, frame in at_schedule.groupby("channel", sort=False):
        axes.plot(np.arange(len(frame)), frame["occupancy"].to_numpy(dtype=float), color=colors[channel], linestyle="--",
                  label=f"{channel} at schedule")
    axes.set_ylabel(kpi_label("occupancy"))
    axes.set_ylim(0, 1.02)
    axes.set_title("Expected agent occupancy", y=1.0)
    axes.grid(alpha=0.3)
    _legend(axes)
    if labels:
        _x_axis(axes, labels)
    return figure




def _band(axes, x, frame: pd.DataFrame, label: str, color: str, kpi: str) -> None:
    """Mean line and its 95 % band, the band clipped to the KPI's range (shares [0, 1], others >= 0)."""
    mean = frame["mean"].to_numpy(dtype=float)
    half = np.nan_to_num(frame["ci95"].to_numpy(dtype=float), nan=0.0)
    low, high = np.maximum(mean - half, 0.0), mean + half
    if is_share(kpi):
        high = np.minimum(high, 1.0)
    axes.plot(x, mean, color=color, label=label)
    axes.fill_between(x, low, high, color=color, alpha=0.2, linewidth=0)


def kpi_bands_figure(interval_summary: pd.DataFrame,
                     kpis: Sequence[str] = ("service_level", "asa_seconds", "abandon_rate", "occupancy")) -> Figure:
    """Simulated KPIs per interval: mean over replications with a 95 % confidence band.

    One row of panels per KPI and one panel per channel in it (bands of several channels never
    overlap); a channel a KPI does not apply to (ASA of email, backlog of voice) gets no panel.

    Parameters
    ----------
    interval_summary : pandas.DataFrame
        Columns ``channel``, ``interval``, ``interval_start``, ``kpi``, ``mean``, ``ci95``, and
        optionally ``kind`` (voice, chat, email: email is left out of the ASA, abandonment and
        queue panels, and only email is drawn in the backlog panel).
    kpis : sequence of str
        One row of panels per KPI.
    """
    if interval_summary.empty:
        return _empty("no simulation results")
    colors = _colors(interval_summary)
    rows_of_panels = []
    for kpi in kpis:
        rows = interval_summary[interval_summary["kpi"] == kpi]
        if "kind" in rows:  # ASA, abandonment and queue are real-time measures; backlog is email's
            rows = rows[[applies_to(kpi, kind) for kind in rows["kind"]]]
        channels = [c for c, f in rows.groupby("channel", sort=False) if np.isfinite(f["mean"].to_numpy(dtype=float)).any()]
        if channels:
            rows_of_panels.append((kpi, rows, channels))
    if not rows_of_panels:
        return _empty("no simulation results")
    columns = max(len(channels) for _, _, channels in rows_of_panels)
    figure = _figure(2.3 * len(rows_of_panels) + 0.4, hspace=0.55)
    figure.subplots_adjust(right=0.97)
    grid = figure.subplots(len(rows_of_panels), columns, sharex=True, squeeze=False)
    labels = None
    for row, (kpi, rows, channels) in enumerate(rows_of_panels):
        for column in range(columns):
            axes = grid[row, column]
            if column >= len(channels):
                axes.set_axis_off()
                continue
            channel = channels[column]
            frame = rows[rows["channel"] == channel].sort_values("interval")
            labels = list(frame["interval_start"])
            _band(axes, np.arange(len(frame)), frame, channel, colors[channel], kpi)
            axes.set_title(kpi_label(f"{channel}.{kpi}"), y=1.0, fontsize="small")
            axes.grid(alpha=0.3)
            if is_share(kpi):
                axes.set_ylim(0, 1.05)
            else:
                axes.set_ylim(bottom=0)
            if column == 0:
                axes.set_ylabel(KPIS[kpi].unit if kpi in KPIS else "")
            if labels:
                _x_axis(axes, labels, every=max(1, -(-len(labels) // max(2, 8 // columns))))
                if row < len(rows_of_panels) - 1:
                    axes.set_xlabel("")
    figure.suptitle("Simulated KPIs per interval and channel (mean, 95 % confidence band)", y=0.995, fontsize="medium")
    return figure


def queue_backlog_figure(interval_summary: pd.DataFrame) -> Figure:
    """Mean queue length of real-time channels and the email backlog over the day, with bands.

    With a ``kind`` column, the queue panel shows voice/chat channels and the backlog panel email.
    """
    return kpi_bands_figure(interval_summary, ("mean_queue_length", "backlog_end"))


def comparison_figure(tidy: pd.DataFrame, metrics: Sequence[str], *, currency: str = "", by: str = "setup") -> Figure:
    """Setups side by side: one bar panel per metric, 95 % confidence intervals as error bars.

    Parameters
    ----------
    tidy : pandas.DataFrame
        Columns ``setup``, ``metric``, ``mean``, ``ci95`` (:meth:`scenarios.studies.compare.Comparison.to_frame`).
    metrics : sequence of str
        Metrics to draw, e.g. ``voice.service_level`` or ``cost_per_contact``.
    currency : str
        Currency label for cost axes.
    by : str
        The column holding the bars' names (``setup``, or ``scenario`` for saved scenarios).
    """
    metrics = [m for m in metrics if m in set(tidy["metric"])]
    if not metrics:
        return _empty("no metrics to compare")
    columns = min(3, len(metrics))
    rows = int(np.ceil(len(metrics) / columns))
    figure = _figure(2.8 * rows, hspace=0.6)
    panels = figure.subplots(rows, columns, squeeze=False).ravel()
    setups = list(dict.fromkeys(tidy[by]))
    for axes, metric in zip(panels, metrics, strict=False):
        frame = tidy[tidy["metric"] == metric].set_index(by).reindex(setups)
        mean = frame["mean"].to_numpy(dtype=float)
        half = np.nan_to_num(frame["ci95"].to_numpy(dtype=float), nan=0.0)
        axes.bar(np.arange(len(setups)), mean, yerr=half, capsize=4, color=[f"C{i}" for i in range(len(setups))])
        axes.set_xticks(np.arange(len(setups)), setups, rotation=20 if len(setups) > 3 else 0, ha="right" if len(setups) > 3 else "center")
        channel, _, kpi = metric.rpartition(".")
        label = kpi_label(kpi)
        if kpi.startswith(("cost", "total_cost")) and currency:
            label = label.replace("currency", currency)
        axes.set_ylim(bottom=0)
        axes.set_ylabel(label)
        title = kpi_label(metric, unit=False)
        if kpi.startswith(("cost", "total_cost")):
            title += " (axis from 0)"
        axes.set_title(title, y=1.0, fontsize="medium")
        axes.grid(axis="y", alpha=0.3)
    for axes in panels[len(metrics):]:
        axes.set_axis_off()
    return figure


def sensitivity_figure(table: pd.DataFrame, *, parameter_label: str, service_metrics: Sequence[str],
                       currency: str = "") -> Figure:
    """Service level (left axis) and cost per contact (right axis) against one what-if parameter.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``value``, ``metric``, ``mean``, ``ci95`` (:func:`dashboard.compute.sensitivity_table`).
    parameter_label : str
        The x-axis label, with its unit.
    service_metrics : sequence of str
        ``<channel>.service_level`` metrics to draw.
    currency : str
        Currency label of the cost axis.
    """
    if table.empty:
        return _empty("no what-if results")
    figure = _figure(4.2)
    axes = figure.add_subplot()
    for metric in service_metrics:
        frame = table[table["metric"] == metric].sort_values("value")
        if frame.empty:
            continue
        mean = frame["mean"].to_numpy(dtype=float)
        half = np.nan_to_num(frame["ci95"].to_numpy(dtype=float), nan=0.0)
        axes.errorbar(frame["value"], mean, yerr=half, marker="o", capsize=3, label=kpi_label(metric, unit=False))
    axes.set_xlabel(parameter_label)
    axes.set_ylabel("Service level (share)")
    axes.set_ylim(0, 1.02)
    axes.grid(alpha=0.3)
    cost = table[table["metric"] == "cost_per_contact"].sort_values("value")
    right = axes.twinx()
    if not cost.empty:
        right.errorbar(cost["value"], cost["mean"], yerr=np.nan_to_num(cost["ci95"].to_numpy(dtype=float), nan=0.0),
                       marker="s", color="black", linestyle=":", capsize=3, label="cost per contact")
    right.set_ylabel(f"Cost per contact ({currency or 'currency'}; axis from 0)")
    right.set_ylim(bottom=0)
    lines, labels = axes.get_legend_handles_labels()
    more, more_labels = right.get_legend_handles_labels()
    _legend(axes, lines + more, labels + more_labels)
    axes.set_title("What-if: simulated service level and cost per contact", y=1.0)
    return figure


def seasonal_figure(required: pd.DataFrame, plans: dict[str, pd.DataFrame]) -> Figure:
    """Required vs available FTE per period (top) and hires starting per period (bottom), per setup.

    Parameters
    ----------
    required : pandas.DataFrame
        Tidy ``period``, ``channel``, ``required_fte``.
    plans : dict of str to pandas.DataFrame
        Setup -> per-period plan (``period``, ``available_fte``, ``hires_started``...).
    """
    if required.empty or not plans:
        return _empty("no seasonal plan")
    figure = _figure(6.5)
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(2, 1))
    wide = required.pivot(index="period", columns="channel", values="required_fte")
    periods = list(next(iter(plans.values()))["period"])
    wide = wide.reindex(periods)
    x = np.arange(len(periods))
    base = np.zeros(len(periods))
    greys = ("0.55", "0.7", "0.82", "0.9", "0.45")  # required in greys; colours are the setups
    for index, channel in enumerate(wide.columns):
        values = wide[channel].to_numpy(dtype=float)
        top.bar(x, values, bottom=base, color=greys[index % len(greys)], label=f"required: {channel}")
        base = base + values
    width = 0.8 / len(plans)
    for index, (name, plan) in enumerate(plans.items()):
        top.plot(x, plan["available_fte"].to_numpy(dtype=float), marker="o", label=f"available: {name}")
        bottom.bar(x - 0.4 + width * (index + 0.5), plan["hires_started"].to_numpy(dtype=float), width=width, label=name)
    top.set_ylabel("FTE")
    top.set_title("Required vs available FTE per period", y=1.0)
    _legend(top)
    top.grid(alpha=0.3)
    bottom.set_ylabel("Hires starting (agents)")
    _legend(bottom)
    bottom.grid(alpha=0.3)
    bottom.set_xticks(x, periods, rotation=45, ha="right")
    bottom.set_xlabel("Period")
    return figure


def backtest_figure(table: pd.DataFrame, kpis: Sequence[str] | None = None) -> Figure:
    """Observed vs simulated per interval, one panel per KPI: the simulation's mean and 95 %
    prediction band, the observations as dots (red when outside the band), days side by side.

    ``table`` is :attr:`scenarios.studies.backtest.Backtest.table` (interval -1 rows, whole days,
    are left out).
    """
    rows = table[table["interval"] >= 0]
    if rows.empty:
        return _empty("No interval to show")
    kpis = list(kpis or dict.fromkeys(rows["kpi"]))
    figure = _figure(1.0 + 2.0 * len(kpis), hspace=0.6)
    colors = _colors(rows)
    for k, kpi in enumerate(kpis):
        axes = figure.add_subplot(len(kpis), 1, k + 1)
        part = rows[rows["kpi"] == kpi]
        keys = part[["day", "interval"]].drop_duplicates().sort_values(["day", "interval"])
        position = {key: i for i, key in enumerate(zip(keys["day"], keys["interval"], strict=True))}
        for channel, data in part.groupby("channel", sort=True):
            data = data.sort_values(["day", "interval"])
            x = np.array([position[key] for key in zip(data["day"], data["interval"], strict=True)])
            color = colors[str(channel)]
            axes.fill_between(x, data["low"], data["high"], color=color, alpha=0.2, step="mid", linewidth=0)
            axes.plot(x, data["simulated"], color=color, linewidth=1.0, label=f"{channel} simulated (95% band)")
            inside = data["inside"].to_numpy(dtype=bool)
            axes.plot(x[inside], data["observed"].to_numpy()[inside], ".", color="black", markersize=3,
                      label=f"{channel} observed")
            axes.plot(x[~inside], data["observed"].to_numpy()[~inside], ".", color="red", markersize=4,
                      label=f"{channel} observed outside")
        axes.set_ylabel(kpi_label(kpi), fontsize=8)
        starts = keys.reset_index(drop=True)
        first = starts.index[starts["interval"] == starts["interval"].min()]
        axes.set_xticks(first, [str(starts.loc[i, "day"])[:10] for i in first], rotation=45, ha="right", fontsize=7)
        if k == 0:
            axes.legend(fontsize=7, ncol=3, loc="upper right")
    return figure


def shifts_gantt_figure(shifts: pd.DataFrame, labels: Sequence[str]) -> Figure:
    """The schedule as a Gantt chart: one bar per shift (template x break position), breaks as gaps.

    Parameters
    ----------
    shifts : pandas.DataFrame
        One row per shift kind: ``group``, ``start``, ``end`` (``HH:MM``), ``start_interval``,
        ``length_intervals``, ``breaks`` (each break as ``(intervals from the shift's start,
        length in intervals)``; empty without a break), ``headcount`` (agents on that shift).
    labels : sequence of str
        Clock label of each interval of the horizon (the x axis).
    """
    if shifts.empty:
        return _empty("no shifts scheduled")
    rows = shifts.sort_values(["group", "start_interval", "length_intervals"], kind="stable").reset_index(drop=True)
    groups = list(dict.fromkeys(rows["group"]))
    colors = {group: f"C{index % 10}" for index, group in enumerate(groups)}
    figure = _figure(min(18.0, 1.4 + 0.28 * len(rows)))
    figure.subplots_adjust(left=0.22)
    axes = figure.add_subplot()
    for y, row in rows.iterrows():
        start, length = float(row["start_interval"]), float(row["length_intervals"])
        parts, at = [], start
        for offset, brk_length in sorted(row["breaks"]):
            brk = start + float(offset)
            parts.append((at, brk - at))
            axes.broken_barh([(brk, float(brk_length))], (y - 0.35, 0.7), facecolors="white",
                             edgecolors=colors[row["group"]], hatch="//", linewidth=0.8)
            at = brk + float(brk_length)
        parts.append((at, start + length - at))
        axes.broken_barh(parts, (y - 0.35, 0.7), facecolors=colors[row["group"]], alpha=0.85)
        axes.text(start + length + 0.1, y, f"x{int(row['headcount'])}", va="center", fontsize="x-small")
    axes.set_yticks(np.arange(len(rows)), [f"{g}: {s}-{e}" for g, s, e in zip(rows["group"], rows["start"], rows["end"], strict=True)],
                   fontsize="x-small")
    axes.invert_yaxis()
    axes.set_xlim(0, len(labels) + 1)
    _x_axis(axes, list(labels))
    axes.set_ylabel("Shift (group: start-end)")
    axes.set_title("Shifts per group (x = agents on the shift; hatched = unpaid break)", y=1.0)
    axes.grid(axis="x", alpha=0.3)
    handles = [axes.barh([0], [0], color=colors[g], label=g) for g in groups]
    _legend(axes, handles, groups)
    return figure


def plan_coverage_figure(intervals: pd.DataFrame) -> Figure:
    """Coverage vs requirement per interval, one panel per channel (a staffing plan).

    Erlang C, Erlang A, the requirement found by simulation and the final schedule (agents
    available after shrinkage); intervals missing the service-level goal are marked.

    Parameters
    ----------
    intervals : pandas.DataFrame
        :data:`scenarios.studies.plan.PLAN_COLUMNS` (``start``, ``channel``, ``erlang_c``,
        ``erlang_a``, ``simulated_requirement_agents``, ``final_schedule_agents``, ``met``).
    """
    if intervals.empty:
        return _empty("no plan")
    channels = list(dict.fromkeys(intervals["channel"]))
    figure = _figure(2.6 * len(channels) + 0.6)
    panels = figure.subplots(len(channels), 1, sharex=True, squeeze=False)[:, 0]
    labels: list[str] = []  # the interval labels (the same for every channel)
    for axes, channel in zip(panels, channels, strict=True):
        frame = intervals[intervals["channel"] == channel].sort_values("interval")
        labels = list(frame["start"])
        x = np.arange(len(frame))
        for column, label, style in (
                ("erlang_c", "Erlang C", dict(linestyle="--", color="C0")),
                ("erlang_a", "Erlang A", dict(linestyle="-.", color="C1")),
                ("simulated_requirement_agents", "simulated requirement", dict(linewidth=5, alpha=0.3, color="C2")),
                ("final_schedule_agents", "schedule (available)", dict(color="black", linewidth=2))):
            values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
            if np.isfinite(values).any():
                axes.step(x, values, where="mid", label=label, **style)
        missed = frame["met"].map(lambda v: v is False or v == 0 or v == "False").to_numpy(dtype=bool)
        if missed.any():
            values = pd.to_numeric(frame["final_schedule_agents"], errors="coerce").to_numpy(dtype=float)
            axes.plot(x[missed], values[missed], "x", color="C3", markersize=8, label="goal missed")
        axes.set_ylabel("Agents (after shrinkage)")
        axes.set_title(f"{channel}: coverage vs requirement per interval", y=1.0)
        axes.set_ylim(bottom=0)
        axes.grid(alpha=0.3)
        _legend(axes)
    _x_axis(panels[-1], labels)
    return figure


def resized_figure(table: pd.DataFrame, *, parameter_label: str, currency: str = "") -> Figure:
    """Agent-hours and staff cost saved per what-if point, the staff re-sized each time.

    Parameters
    ----------
    table : pandas.DataFrame
        :data:`scenarios.studies.sensitivity.RESIZE_COLUMNS`.
    parameter_label : str
        The x-axis label, with its unit.
    currency : str
        Currency of the cost axis.
    """
    if table.empty:
        return _empty("no what-if results")
    figure = _figure(4.2)
    left, right = figure.subplots(1, 2)
    x = table["value"].to_numpy(dtype=float)
    left.bar(np.arange(len(x)), table["agent_hours_saved"].to_numpy(dtype=float), color="C0")
    left.set_xticks(np.arange(len(x)), [f"{v:g}" for v in x])
    left.axhline(0, color="black", linewidth=0.8)
    left.set_xlabel(parameter_label)
    left.set_ylabel("Agent-hours saved (negative: more needed)")
    left.set_title("Agent-hours saved vs today", y=1.0)
    left.grid(axis="y", alpha=0.3)
    right.plot(x, table["staff_cost"].to_numpy(dtype=float), marker="o", color="C1")
    right.set_ylim(bottom=0)
    right.set_xlabel(parameter_label)
    right.set_ylabel(f"Staff cost ({currency or 'currency'}; axis from 0)")
    right.set_title("Staff cost of the re-sized requirement", y=1.0)
    right.grid(alpha=0.3)
    return figure
