"""Small widgets shared by the views (CSV downloads, number formatting)."""

from __future__ import annotations

import io
import math

import pandas as pd
import streamlit as st
from matplotlib.figure import Figure

FIGURE_DPI = 100
"""Resolution of the PNGs sent to the browser (Streamlit's default, 200, doubles the drawing time)."""

__all__ = ["FIGURE_DPI", "METRICS_PER_ROW", "csv_download", "figure_png", "show_figure", "fmt_share", "fmt_number",
           "with_ci", "metric_rows"]

METRICS_PER_ROW = 3
"""Most headline numbers side by side: wider columns, so ``81.2 % ± 3.4 %`` is never cut off (four channels too)."""


def metric_rows(items, per_row: int = METRICS_PER_ROW) -> None:
    """Draw ``(label, value, help)`` headline numbers, at most ``per_row`` to a row."""
    items = list(items)
    for start in range(0, len(items), per_row):
        cols = list(st.columns(per_row))
        for col, (label, value, help_text) in zip(cols, items[start:start + per_row], strict=False):
            col.metric(label, value, help=help_text)


def csv_download(frame: pd.DataFrame, file_name: str, *, label: str = "Download CSV", key: str) -> None:
    """A download button for ``frame`` as CSV (UTF-8, no index)."""
    st.download_button(label, frame.to_csv(index=False).encode("utf-8"), file_name=file_name,
                       mime="text/csv", key=key, on_click="ignore")


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(data: bytes, file_name: str, *, label: str = "Download as Excel (.xlsx)", key: str) -> None:
    """A download button for an Excel workbook's bytes (from :func:`scenarios.report.excel.workbook_bytes`)."""
    st.download_button(label, data, file_name=file_name, mime=XLSX_MIME, key=key, on_click="ignore")


def figure_png(figure: Figure, *, dpi: int = FIGURE_DPI) -> bytes:
    """The figure as PNG bytes (the figure's own margins; no second "tight" layout pass)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def show_figure(figure: Figure) -> None:
    """Draw a figure built by :mod:`dashboard.charts` (no pyplot state is touched).

    ``st.pyplot`` saves at 200 dpi with ``bbox_inches="tight"`` (two layout passes), which
    doubles the drawing time; the PNG is made once at :data:`FIGURE_DPI` instead.
    """
    st.image(figure_png(figure), width="stretch")


def fmt_share(value: float) -> str:
    """``0.8123`` -> ``"81.2 %"``; NaN -> ``"-"``."""
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.1%}"


def fmt_number(value: float, digits: int = 1) -> str:
    """A number with thousands separators; NaN -> ``"-"``."""
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.{digits}f}"


def with_ci(mean: float, half: float, *, share: bool = False, digits: int = 1) -> str:
    """``mean ± half`` (the 95 % half-width omitted when undefined)."""
    text = fmt_share(mean) if share else fmt_number(mean, digits)
    if half is None or (isinstance(half, float) and math.isnan(half)):
        return text
    return f"{text} ± {fmt_share(half) if share else fmt_number(half, digits)}"
