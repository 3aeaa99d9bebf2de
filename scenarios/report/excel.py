"""Excel workbooks (.xlsx): the one writer of every table the CLI and the dashboard export.

:func:`workbook_bytes` turns named tables into a workbook with one sheet per table: a bold,
frozen header row, numbers written as numbers (never as text) and rounded sensibly, shares
shown as percentages, and missing values (NaN, None) as empty cells. :func:`write_xlsx` writes
it to a path (``ccplan ... --xlsx OUT.xlsx``); the dashboard offers the same bytes as a
download. openpyxl is imported inside the functions (``ccplan --help`` stays instant).

Rounding (:func:`rounding_digits`): shares (KPIs named in :data:`scenarios.report.kpis.SHARE_KPIS`
or columns named like ``*_share``, ``*_rate``, ``service_level*``, ``occupancy*``) keep 4
decimals (0.01 percentage point) and are formatted ``0.0%``; agents, contacts, seconds and money
keep 2 decimals; whole numbers stay integers.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from scenarios.report.kpis import is_share

__all__ = ["SHEET_NAME_MAX", "sheet_name", "rounding_digits", "cell_value", "workbook_bytes", "write_xlsx",
           "read_xlsx", "run_tables", "comparison_tables", "plan_tables", "seasonal_tables"]

SHEET_NAME_MAX = 31
"""Excel's limit on the length of a sheet name (characters)."""

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_SHARE_COLUMN = re.compile(r"(^|[._:])(service_level|abandon_rate|occupancy|p_wait)|_share$|_rate$|(^|[._])share$")
_SHARE_DIGITS = 4
_NUMBER_DIGITS = 2


def sheet_name(name: str, taken: set[str] | None = None) -> str:
    """A valid, unique Excel sheet name for ``name`` (bad characters replaced, at most 31 characters)."""
    clean = _BAD_SHEET_CHARS.sub("-", str(name)).strip("'").strip() or "table"
    clean = clean[:SHEET_NAME_MAX]
    taken = taken if taken is not None else set()
    candidate, index = clean, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f" ({index})"
        candidate = clean[:SHEET_NAME_MAX - len(suffix)] + suffix
        index += 1
    return candidate


def _is_share_column(column: str, values: pd.Series) -> bool:
    if not pd.api.types.is_float_dtype(values):
        return False
    name = str(column)
    if not (is_share(name) or _SHARE_COLUMN.search(name)):
        return False
    finite = values.to_numpy(dtype=float, na_value=np.nan)
    finite = finite[np.isfinite(finite)]
    return finite.size == 0 or bool(((finite >= -1e-9) & (finite <= 1 + 1e-9)).all())


def rounding_digits(column: str, values: pd.Series) -> int | None:
    """Decimals kept for a column: 4 for shares, 2 for other floats, None for non-floats."""
    if not pd.api.types.is_float_dtype(values):
        return None
    return _SHARE_DIGITS if _is_share_column(column, values) else _NUMBER_DIGITS


def cell_value(value, digits: int | None):
    """A cell's value: NumPy scalars as Python numbers, floats rounded, NaN/inf/None/NA as empty."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        rounded = round(value, digits if digits is not None else _NUMBER_DIGITS)
        return int(rounded) if digits is None and rounded.is_integer() else rounded
    if isinstance(value, int | str):
        return value
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, list | tuple | set | dict):
        return ", ".join(str(item) for item in value) if not isinstance(value, dict) else str(value)
    return str(value)


def workbook_bytes(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook with one sheet per table, as bytes.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        Sheet title -> table (the index is not written; reset it first if it matters). Titles
        are made valid and unique by :func:`sheet_name`.

    Returns
    -------
    bytes
        The workbook (Office Open XML).

    Raises
    ------
    ValueError
        If ``tables`` is empty.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    if not tables:
        raise ValueError("no tables to write")
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for title, frame in tables.items():
        name = sheet_name(title, taken)
        taken.add(name)
        sheet = book.create_sheet(name)
        frame = pd.DataFrame(frame)
        columns = [str(c) for c in frame.columns]
        sheet.append(columns)
        digits = [rounding_digits(c, frame[col]) for c, col in zip(columns, frame.columns, strict=True)]
        for row in frame.itertuples(index=False, name=None):
            sheet.append([cell_value(v, d) for v, d in zip(row, digits, strict=True)])
        from openpyxl.styles import Font

        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, (column, digit) in enumerate(zip(columns, digits, strict=True), start=1):
            letter = get_column_letter(index)
            if digit is not None:
                fmt = "0.0%" if digit == _SHARE_DIGITS else "#,##0.00"
                for cell in sheet[letter][1:]:
                    cell.number_format = fmt
            elif pd.api.types.is_integer_dtype(frame[frame.columns[index - 1]]):
                for cell in sheet[letter][1:]:
                    cell.number_format = "#,##0"
            width = max([len(column)] + [len(str(v)) for v in frame.iloc[:200, index - 1]]) + 2
            sheet.column_dimensions[letter].width = min(60, max(8, width))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(path: str | Path, tables: Mapping[str, pd.DataFrame]) -> None:
    """Write :func:`workbook_bytes` of ``tables`` to ``path`` (OSError if it cannot be written)."""
    Path(path).write_bytes(workbook_bytes(tables))


def read_xlsx(source: str | Path | bytes) -> dict[str, pd.DataFrame]:
    """Read a workbook back: sheet name -> table (header row as column names, cells as stored)."""
    from openpyxl import load_workbook

    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    book = load_workbook(stream, read_only=True, data_only=True)
    out = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        out[sheet.title] = pd.DataFrame(rows[1:], columns=list(rows[0])) if rows else pd.DataFrame()
    book.close()
    return out


# --------------------------------------------------------------------------- the tables of each study
def run_tables(run) -> dict[str, pd.DataFrame]:
    """Sheets of one simulated setup (:class:`scenarios.studies.run.SetupRun`).

    ``summary`` (channel x KPI, mean and ci95 over replications), ``intervals`` (per interval:
    mean offered, SL, abandon rate, ASA per channel, headcount scheduled / seated / without a
    seat), ``groups`` (per group: occupancy and time shares), ``costs`` (item, mean per horizon);
    with outbound campaigns also ``outbound`` (campaign x KPI, mean and 95 % interval).
    """
    costs = run.costs.to_json_dict()
    items = [{"item": item, "mean": value} for item, value in costs["items"].items()]
    items += [{"item": key, "mean": costs[key]["mean"], "ci95": costs[key]["ci95"]}
              for key in ("total", "cost_per_contact", "cost_per_answered")]
    tables = {
        "summary": run.result.summary(),
        "intervals": run.interval_summary(),
        "groups": run.result.groups,
        f"costs ({costs['currency']})": pd.DataFrame(items),
    }
    if run.result.campaign_summary is not None:
        tables["outbound"] = run.result.campaign_summary
    return tables


def comparison_tables(comparison) -> dict[str, pd.DataFrame]:
    """Sheets of a setup comparison (:class:`scenarios.studies.compare.Comparison`):
    ``comparison`` (metric x setup means) and ``tidy`` (setup, metric, mean, ci95)."""
    return {"comparison": comparison.table().reset_index(), "tidy": comparison.to_frame()}


def plan_tables(plan) -> dict[str, pd.DataFrame]:
    """Sheets of a staffing plan (:class:`scenarios.studies.plan.PlanResult`).

    ``intervals`` (interval x channel: Erlang C, Erlang A, simulated requirement, schedule,
    simulated SL, why), ``groups``, ``iterations``, ``horizon``, then per group ``shifts <group>``
    (the schedule: start, end, break, headcount, paid hours, cost) and ``coverage <group>``
    (required vs staffed agents per interval).
    """
    tables = {"intervals": plan.intervals, "groups": plan.groups, "iterations": plan.iterations,
              "horizon": plan.horizon}
    for group, schedule in plan.schedules.items():
        tables[f"shifts {group}"] = schedule.schedule
        tables[f"coverage {group}"] = schedule.intervals
    return tables


def seasonal_tables(report) -> dict[str, pd.DataFrame]:
    """Sheets of a seasonal plan (:class:`scenarios.studies.seasonal.SeasonalReport`):
    ``required`` (period x channel volume and FTE), ``comparison`` (one row per setup) and one
    per-period plan per setup."""
    tables = {"required": report.required_by_channel, "comparison": report.comparison.to_frame()}
    for name, plan in report.comparison.plans.items():
        tables[f"plan {name}"] = plan.to_frame()
    return tables
