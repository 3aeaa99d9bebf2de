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

from scenarios.report.kpis import applies_to, is_share, kpi_label

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
]



_WIDTH = 10.0


def _figure(height: float, *, hspace: float = 0.45) -> Figure:
    """A figure with fixed margins in inches (a constrained layout costs as much as the drawing)."""
    figure = Figure(figsize=(_WIDTH, height))
    figure.subplots_adjust(left=0.08, right=0.92, bottom=min(0.45, 0.95 / height), top=1.0 - min(0.2, 0.4 / height),
                           hspace=hspace, wspace=0.35)
    return figure


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
    labels = None
    for channel, frame in arrivals.groupby("channel", sort=False):
        frame = frame.sort_values("interval")
        labels = list(frame["interval_start"])
        axes.plot(np.arange(len(frame)), frame["arrivals"].to_numpy(dtype=float), marker="o", markersize=3,
                  color=colors[channel], label=channel)
    _x_axis(axes, labels)
    axes.set_ylabel("Contacts per interval")
    axes.set_title("Intraday volume by channel", y=1.0)
    axes.set_ylim(bottom=0)
    axes.legend(loc="upper right")
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
        axes.legend(loc="upper right", fontsize="small", ncols=2)
        axes.grid(alpha=0.3)
        axes.set_ylim(0, axes.get_ylim()[1] * 1.35)
    axes = panels[-1]
    axes.step(x, schedule["required_scheduled"].to_numpy(dtype=float), where="mid", label="required, after shrinkage")
    axes.step(x, schedule["scheduled"].to_numpy(dtype=float), where="mid", color="black", linewidth=2, label="scheduled")
    axes.set_ylabel("Agents")
    axes.set_title("All channels: agents to schedule vs scheduled headcount", y=1.0)
    axes.legend(loc="upper right", fontsize="small", ncols=2)
    axes.grid(alpha=0.3)
    axes.set_ylim(0, axes.get_ylim()[1] * 1.3)
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
        axes.legend(loc="upper right", fontsize="small")
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
    axes.legend(loc="lower right", fontsize="small")
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

    Parameters
    ----------
    interval_summary : pandas.DataFrame
        Columns ``channel``, ``interval``, ``interval_start``, ``kpi``, ``mean``, ``ci95``, and
        optionally ``kind`` (voice, chat, email: email is left out of the ASA, abandonment and
        queue panels, and only email is drawn in the backlog panel).
    kpis : sequence of str
        One panel per KPI.
    """
    if interval_summary.empty:
        return _empty("no simulation results")
    figure = _figure(2.4 * len(kpis))
    panels = figure.subplots(len(kpis), 1, sharex=True, squeeze=False)[:, 0]
    colors = _colors(interval_summary)
    labels = None
    for axes, kpi in zip(panels, kpis, strict=True):
        rows = interval_summary[interval_summary["kpi"] == kpi]
        if "kind" in rows:  # ASA, abandonment and queue are real-time measures; backlog is email's
            rows = rows[[applies_to(kpi, kind) for kind in rows["kind"]]]
        for channel, frame in rows.groupby("channel", sort=False):
            frame = frame.sort_values("interval")
            labels = list(frame["interval_start"])
            if np.isfinite(frame["mean"].to_numpy(dtype=float)).any():
                _band(axes, np.arange(len(frame)), frame, channel, colors[channel], kpi)
        axes.set_ylabel(kpi_label(kpi))
        axes.grid(alpha=0.3)
        if axes.get_lines():
            axes.legend(loc="upper right", fontsize="small")
        if is_share(kpi):
            axes.set_ylim(0, 1.05)
        else:
            axes.set_ylim(bottom=0)
    panels[0].set_title("Simulated KPIs per interval (mean, 95 % confidence band)", y=1.0)
    if labels:
        _x_axis(panels[-1], labels)
    return figure


def queue_backlog_figure(interval_summary: pd.DataFrame) -> Figure:
    """Mean queue length of real-time channels and the email backlog over the day, with bands.

    With a ``kind`` column, the queue panel shows voice/chat channels and the backlog panel email.
    """
    return kpi_bands_figure(interval_summary, ("mean_queue_length", "backlog_end"))


def comparison_figure(tidy: pd.DataFrame, metrics: Sequence[str], *, currency: str = "") -> Figure:
    """Setups side by side: one bar panel per metric, 95 % confidence intervals as error bars.

    Parameters
    ----------
    tidy : pandas.DataFrame
        Columns ``setup``, ``metric``, ``mean``, ``ci95`` (:meth:`scenarios.studies.compare.Comparison.to_frame`).
    metrics : sequence of str
        Metrics to draw, e.g. ``voice.service_level`` or ``cost_per_contact``.
    currency : str
        Currency label for cost axes.
    """
    metrics = [m for m in metrics if m in set(tidy["metric"])]
    if not metrics:
        return _empty("no metrics to compare")
    columns = min(3, len(metrics))
    rows = int(np.ceil(len(metrics) / columns))
    figure = _figure(2.8 * rows, hspace=0.6)
    panels = figure.subplots(rows, columns, squeeze=False).ravel()
    setups = list(dict.fromkeys(tidy["setup"]))
    for axes, metric in zip(panels, metrics, strict=False):
        frame = tidy[tidy["metric"] == metric].set_index("setup").reindex(setups)
        mean = frame["mean"].to_numpy(dtype=float)
        half = np.nan_to_num(frame["ci95"].to_numpy(dtype=float), nan=0.0)
        axes.bar(np.arange(len(setups)), mean, yerr=half, capsize=4, color=[f"C{i}" for i in range(len(setups))])
        axes.set_xticks(np.arange(len(setups)), setups)
        channel, _, kpi = metric.rpartition(".")
        label = kpi_label(kpi)
        if kpi.startswith(("cost", "total_cost")) and currency:
            label = label.replace("currency", currency)
        axes.set_ylabel(label)
        axes.set_title(metric, y=1.0)
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
        axes.errorbar(frame["value"], mean, yerr=half, marker="o", capsize=3, label=metric)
    axes.set_xlabel(parameter_label)
    axes.set_ylabel("Service level (share)")
    axes.set_ylim(0, 1.02)
    axes.grid(alpha=0.3)
    cost = table[table["metric"] == "cost_per_contact"].sort_values("value")
    right = axes.twinx()
    if not cost.empty:
        right.errorbar(cost["value"], cost["mean"], yerr=np.nan_to_num(cost["ci95"].to_numpy(dtype=float), nan=0.0),
                       marker="s", color="black", linestyle=":", capsize=3, label="cost per contact")
    right.set_ylabel(f"Cost per contact ({currency or 'currency'})")
    lines, labels = axes.get_legend_handles_labels()
    more, more_labels = right.get_legend_handles_labels()
    axes.legend(lines + more, labels + more_labels, loc="lower left", fontsize="small")
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
    top.legend(loc="upper left", fontsize="small", ncols=2)
    top.grid(alpha=0.3)
    bottom.set_ylabel("Hires starting (agents)")
    bottom.legend(loc="upper left", fontsize="small")
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

