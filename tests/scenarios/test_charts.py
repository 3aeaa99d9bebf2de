"""The chart functions without Streamlit (kind: unit).

What they prove: each function turns the tables :mod:`dashboard.compute` produces into a
matplotlib ``Figure`` without touching pyplot's global state, with labelled axes (units in the
labels), and renders to PNG; empty input gives a placeholder figure, not an exception.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from scenarios.report import charts


def _labels(figure: Figure) -> list[str]:
    return [axes.get_ylabel() for axes in figure.axes if axes.get_visible() and axes.axison]


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=40)
    return buffer.getvalue()


def _interval_frame(channels=("voice", "chat"), n=6) -> pd.DataFrame:
    rows = []
    for channel in channels:
        for i in range(n):
            rows.append({"interval": i, "interval_start": f"{8 + i // 2:02d}:{30 * (i % 2):02d}", "channel": channel,
                         "arrivals": 10.0 + i})
    return pd.DataFrame(rows)


@pytest.fixture
def requirements():
    frame = _interval_frame()
    frame["required_erlang_c"] = pd.array([3, 4, 5, 5, 4, 3] * 2, dtype="Int64")
    frame["required_erlang_a"] = pd.array([3, 3, 4, 5, 4, 3] + [None] * 6, dtype="Int64")
    frame["required_agents"] = frame["required_erlang_c"]
    for column, value in (("service_level", 0.8), ("asa_seconds", 12.0), ("abandon_rate", 0.03), ("occupancy", 0.7)):
        frame[column] = value
    return frame


def test_pyplot_is_not_used():
    source = open(charts.__file__, encoding="utf-8").read()
    assert "import matplotlib.pyplot" not in source and "from matplotlib import pyplot" not in source


def test_intraday_figure_has_units_and_renders():
    figure = charts.intraday_figure(_interval_frame())
    assert isinstance(figure, Figure)
    assert _labels(figure) == ["Contacts per interval"]
    assert figure.axes[0].get_xlabel() == "Interval start (clock time)"
    assert len(figure.axes[0].get_lines()) == 2
    assert _png(figure).startswith(b"\x89PNG")


def test_requirements_figure_draws_models_and_schedule(requirements):
    schedule = pd.DataFrame({"interval": range(6), "interval_start": requirements["interval_start"][:6].tolist(),
                             "required_scheduled": [8.0] * 6, "scheduled": [9.0] * 6, "scheduled:voice": [5.0] * 6,
                             "available:voice": [4.0] * 6})
    figure = charts.requirements_figure(requirements, schedule)
    assert len(figure.axes) == 3  # voice, chat, all channels
    assert set(_labels(figure)) == {"Agents", "Agents (headcount)"}
    voice = next(a for a in figure.axes if a.get_title().startswith("voice"))
    labels = [line.get_label() for line in voice.get_lines()]
    assert "Erlang C" in labels and "Erlang A" in labels and any(label.startswith("scheduled") for label in labels)
    chat = next(a for a in figure.axes if a.get_title().startswith("chat"))
    assert "Erlang A" not in [line.get_label() for line in chat.get_lines()]  # all missing: not drawn
    _png(figure)


def test_service_and_occupancy_figures(requirements):
    at_schedule = pd.DataFrame({"channel": "voice", "interval": range(6), "interval_start": "08:00",
                                "available_agents": 4.0, "service_level": 0.7, "asa_seconds": 20.0,
                                "abandon_rate": 0.05, "occupancy": 0.8})
    figure = charts.service_figure(requirements, at_schedule)
    assert _labels(figure) == ["Service level (share)", "Average speed of answer (seconds)", "Abandon rate (share)"]
    figure = charts.occupancy_figure(requirements, at_schedule)
    assert _labels(figure) == ["Occupancy (share)"]
    _png(figure)


def test_kpi_bands_draw_a_confidence_band():
    rows = [{"channel": "voice", "interval": i, "interval_start": f"0{i}:00", "kpi": kpi, "mean": 0.5, "ci95": 0.1}
            for i in range(4) for kpi in ("service_level", "asa_seconds", "abandon_rate", "occupancy")]
    figure = charts.kpi_bands_figure(pd.DataFrame(rows))
    assert len(figure.axes) == 4  # one channel: one panel per KPI
    assert all(axes.collections for axes in figure.axes)  # fill_between bands
    assert [axes.get_title() for axes in figure.axes] == [
        "Voice: service level (share)", "Voice: average speed of answer (seconds)", "Voice: abandon rate (share)",
        "Voice: occupancy (share)"]
    assert charts.kpi_bands_figure(pd.DataFrame(columns=["channel", "kpi"])).axes[0].texts


def test_comparison_figure_one_panel_per_metric_with_error_bars():
    tidy = pd.DataFrame([{"setup": s, "metric": m, "mean": v, "ci95": 0.1}
                         for s, v in (("in-house", 1.0), ("virtual", 2.0), ("cloud", 3.0))
                         for m in ("voice.service_level", "cost_per_contact")])
    figure = charts.comparison_figure(tidy, ["voice.service_level", "cost_per_contact", "unknown"], currency="EUR")
    visible = [a for a in figure.axes if a.axison]
    assert len(visible) == 2
    assert "Cost per contact (EUR)" in _labels(figure)
    heights = [patch.get_height() for patch in visible[0].patches]
    assert heights == [1.0, 2.0, 3.0]
    assert charts.comparison_figure(tidy, []).axes[0].texts


def test_sensitivity_figure_two_axes():
    table = pd.DataFrame([{"value": v, "metric": m, "mean": 0.5 + v / 100, "ci95": np.nan}
                          for v in (-10.0, 0.0, 10.0) for m in ("voice.service_level", "cost_per_contact")])
    figure = charts.sensitivity_figure(table, parameter_label="Volume change (%)", service_metrics=["voice.service_level"],
                                       currency="EUR")
    assert figure.axes[0].get_xlabel() == "Volume change (%)"
    assert _labels(figure) == ["Service level (share)", "Cost per contact (EUR; axis from 0)"]
    assert figure.axes[1].get_ylim()[0] == 0  # the cost axis starts at zero
    _png(figure)


def test_seasonal_figure():
    required = pd.DataFrame([{"period": p, "channel": c, "required_fte": 10.0}
                             for p in ("2025-01", "2025-02") for c in ("voice", "chat")])
    plan = pd.DataFrame({"period": ["2025-01", "2025-02"], "available_fte": [18.0, 21.0], "hires_started": [0.0, 3.0]})
    figure = charts.seasonal_figure(required, {"in-house": plan, "cloud": plan})
    assert _labels(figure) == ["FTE", "Hires starting (agents)"]
    assert len(figure.axes[0].patches) == 4  # stacked channels x periods
    _png(figure)
    assert charts.seasonal_figure(required.iloc[0:0], {}).axes[0].texts


def test_realtime_panels_leave_email_out_and_bands_stay_in_range():
    rows = [{"channel": c, "kind": c, "interval": i, "interval_start": f"0{i}:00", "kpi": kpi, "mean": 0.9, "ci95": 0.5}
            for c in ("voice", "email") for i in range(3) for kpi in ("service_level", "asa_seconds", "backlog_end")]
    figure = charts.kpi_bands_figure(pd.DataFrame(rows), ("service_level", "asa_seconds", "backlog_end"))
    visible = [axes for axes in figure.axes if axes.axison]
    drawn = [[line.get_label() for line in axes.get_lines()] for axes in visible]
    assert drawn == [["voice"], ["email"], ["voice"], ["email"]]  # one panel per channel: bands never overlap
    assert [axes.get_title() for axes in visible] == [
        "Voice: service level (share)", "Email: service level (share)", "Voice: average speed of answer (seconds)",
        "Email: backlog at interval end (contacts)"]
    band = figure.axes[0].collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() >= 0.0 and band.max() <= 1.0
