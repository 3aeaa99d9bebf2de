"""Excel export (``scenarios.report.excel``) and the CLI's ``--xlsx`` (kind: unit and CLI behaviour).

What they prove: the one writer makes one sheet per table with numbers stored as numbers
(never text), rounded (shares to 4 decimals, other floats to 2), NaN as empty cells and valid,
unique sheet names; ``--xlsx`` of staff, simulate, compare, plan and seasonal writes a workbook
whose sheets read back equal (after rounding) to the tables the command computes; an
unwritable path is a one-line error with exit status 2. Also the regressions of issue 11's
defects 6 and 7 (stale burst comment, ``95%%`` in ``simulate --help``).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scenarios.report.excel import cell_value, read_xlsx, sheet_name, workbook_bytes

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios" / "examples"


def test_numbers_stay_numbers_and_are_rounded():
    frame = pd.DataFrame({
        "channel": ["voice", "chat"], "agents": [12, 7], "asa_seconds": [12.34567, float("nan")],
        "service_level": [0.812345678, 0.9], "cost": [1234.5678, 2.0],
    })
    book = read_xlsx(workbook_bytes({"t": frame}))
    back = book["t"]
    assert list(back.columns) == list(frame.columns)
    assert back["agents"].tolist() == [12, 7] and all(isinstance(v, int) for v in back["agents"])
    assert back["asa_seconds"].iloc[0] == 12.35 and math.isnan(back["asa_seconds"].iloc[1])  # an empty cell
    assert back["service_level"].tolist() == [0.8123, 0.9]
    assert back["cost"].tolist() == [1234.57, 2.0]


def test_share_columns_get_a_percent_format_and_others_a_number_format():
    from io import BytesIO

    from openpyxl import load_workbook

    frame = pd.DataFrame({"service_level": [0.5, 0.25], "asa_seconds": [3.0, float("nan")], "count": [4, 5]})
    sheet = load_workbook(BytesIO(workbook_bytes({"x": frame})))["x"]
    assert sheet["B3"].value is None and sheet["B2"].value == 3 and sheet["B2"].data_type == sheet["C2"].data_type == "n"
    assert sheet["A2"].number_format == "0.0%"
    assert sheet["B2"].number_format == "#,##0.00"
    assert sheet["C2"].number_format == "#,##0"
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    first = sheet_name("shifts voice team / evening [late]: a very long group name", taken)
    assert len(first) <= 31 and not set("[]:*?/\\") & set(first)
    taken.add(first)
    second = sheet_name("shifts voice team / evening [late]: a very long group name", taken)
    assert second != first and len(second) <= 31


def test_cell_values():
    assert cell_value(np.float64(1.23456), 2) == 1.23
    assert cell_value(np.int64(3), None) == 3 and isinstance(cell_value(np.int64(3), None), int)
    assert cell_value(float("inf"), 2) is None and cell_value(None, 2) is None and cell_value(pd.NA, None) is None
    assert cell_value(np.bool_(True), None) is True
    assert cell_value(("voice", "chat"), None) == "voice, chat"


def test_empty_workbook_is_refused():
    with pytest.raises(ValueError, match="no tables"):
        workbook_bytes({})


def _assert_same(sheet: pd.DataFrame, table: pd.DataFrame) -> None:
    assert list(sheet.columns) == [str(c) for c in table.columns]
    assert len(sheet) == len(table)
    for column in table.columns:
        if pd.api.types.is_float_dtype(table[column]):
            expected = table[column].to_numpy(dtype=float)
            got = np.array([math.nan if v is None else v for v in sheet[str(column)]], dtype=float)
            assert np.allclose(got, expected, atol=0.006, equal_nan=True), column
        elif pd.api.types.is_integer_dtype(table[column]):
            assert sheet[str(column)].tolist() == table[column].tolist(), column


def test_staff_xlsx_matches_the_csv(run_cli, tmp_path):
    xlsx, csv = tmp_path / "req.xlsx", tmp_path / "req.csv"
    status, out, _ = run_cli("staff", EXAMPLES / "retail_inhouse_monday.yaml", "--xlsx", xlsx, "--csv", csv)
    assert status == 0 and f"requirements workbook written to {xlsx}" in out
    book = read_xlsx(xlsx)
    assert list(book) == ["requirements"]
    _assert_same(book["requirements"], pd.read_csv(csv))


def test_simulate_xlsx_has_summary_intervals_groups_costs(run_cli, write_file, minimal_yaml, tmp_path):
    path = write_file("single.yaml", minimal_yaml)
    out_path = tmp_path / "sim.xlsx"
    status, _, err = run_cli("simulate", path, "--replications", 2, "--seed", 3, "--quiet", "--xlsx", out_path)
    assert status == 0, err
    book = read_xlsx(out_path)
    assert list(book)[:3] == ["summary", "intervals", "groups"] and list(book)[3].startswith("costs")
    summary = book["summary"]
    level = summary[(summary["channel"] == "voice") & (summary["kpi"] == "service_level")]["mean"].iloc[0]
    assert isinstance(level, float) and 0 <= level <= 1
    assert len(book["intervals"]) == 16


def test_compare_xlsx(run_cli, write_file, minimal_yaml, tmp_path):
    path = write_file("single.yaml", minimal_yaml)
    out_path = tmp_path / "cmp.xlsx"
    status, _, err = run_cli("compare", path, "--replications", 2, "--seed", 3, "--quiet", "--setups",
                             "in-house,cloud", "--xlsx", out_path, "--csv", tmp_path / "cmp.csv")
    assert status == 0, err
    book = read_xlsx(out_path)
    assert list(book) == ["comparison", "tidy"]
    _assert_same(book["tidy"], pd.read_csv(tmp_path / "cmp.csv"))


@pytest.mark.slow
def test_plan_xlsx_has_shifts_per_group(run_cli, write_file, minimal_yaml, tmp_path):
    path = write_file("single.yaml", minimal_yaml)
    out_path = tmp_path / "plan.xlsx"
    status, _, err = run_cli("plan", path, "--replications", 2, "--seed", 3, "--max-iterations", 2, "--quiet",
                             "--xlsx", out_path, "--csv", tmp_path / "plan.csv")
    assert status == 0, err
    book = read_xlsx(out_path)
    assert {"intervals", "groups", "iterations", "horizon", "shifts voice team", "coverage voice team"} <= set(book)
    shifts = book["shifts voice team"]
    assert shifts["headcount"].sum() > 0 and all(isinstance(v, int) for v in shifts["headcount"])
    _assert_same(book["intervals"], pd.read_csv(tmp_path / "plan.csv"))


def test_seasonal_xlsx(run_cli, tmp_path):
    out_path = tmp_path / "seasonal.xlsx"
    status, _, err = run_cli("seasonal", EXAMPLES / "seasonal_retail.yaml", "--xlsx", out_path)
    assert status == 0, err
    book = read_xlsx(out_path)
    assert {"required", "comparison"} <= set(book) and any(name.startswith("plan ") for name in book)


def test_unwritable_xlsx_is_one_line_error(run_cli, tmp_path):
    status, _, err = run_cli("staff", EXAMPLES / "retail_inhouse_monday.yaml", "--xlsx",
                             tmp_path / "missing-dir" / "x.xlsx")
    assert status == 2
    assert err.count("\n") == 1 and "--xlsx" in err and "cannot write" in err


def test_no_help_text_prints_a_doubled_percent(capsys):
    """Issue 11, defect 7: no subcommand's --help shows ``%%`` literally."""
    from scenarios import cli

    for command in cli.COMMANDS:
        with pytest.raises(SystemExit):
            cli.main([command.name, "--help"])
        out = capsys.readouterr().out
        assert "%%" not in out, command.name
        assert "usage:" in out


def test_burst_comment_of_the_cloud_example_is_current():
    """Issue 11, defect 6: burst agents are simulated; the example's comment must not say otherwise."""
    text = (EXAMPLES / "ecommerce_cloud_peak.yaml").read_text(encoding="utf-8").lower()
    assert "not simulated" not in text and "no burst model" not in text
    assert "burst agents" in text and "simulated" in text


def test_a_bad_output_path_fails_before_anything_is_printed(run_cli, tmp_path):
    """Every requested file is written before the report is printed, so an unwritable ``--png``
    leaves stdout empty instead of a report followed by an error (seasonal used to print first)."""
    status, out, err = run_cli("seasonal", EXAMPLES / "seasonal_retail.yaml", "--png", tmp_path / "nowhere" / "x.png")
    assert status == 2 and out == "" and "--png" in err
