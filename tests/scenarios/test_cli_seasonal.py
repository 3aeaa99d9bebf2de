"""``ccplan seasonal``: the bundled example runs, outputs agree, bad files give one line and exit 2."""

import json
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
import yaml

from scenarios import cli
from scenarios.document.seasonal_file import load_seasonal_file
from scenarios.errors import ScenarioError
from scenarios.studies.seasonal import run_seasonal
from staffing import forecast as fc

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLE = REPOSITORY / "scenarios" / "examples" / "seasonal_retail.yaml"
HISTORY = REPOSITORY / "scenarios" / "examples" / "seasonal_retail_history.csv"


def run(capsys, *argv):
    status = cli.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_line_error(status, out, err, fragment):
    assert status == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ccplan seasonal: error: ")
    assert fragment in lines[0], lines[0]
    assert "Traceback" not in err and out == ""


def example_data():
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def write_plan(tmp_path, data, *, history=True):
    if history:
        (tmp_path / "seasonal_retail_history.csv").write_text(HISTORY.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


# --- the bundled example -----------------------------------------------------------------


def test_example_is_packaged_and_has_a_december_peak():
    packaged = resources.files("scenarios").joinpath("examples/seasonal_retail.yaml").read_text(encoding="utf-8")
    assert packaged == EXAMPLE.read_text(encoding="utf-8")
    history = pd.read_csv(HISTORY)
    assert len(history) == 36
    december = history[history["period"].str.endswith("-12")]
    assert (december["voice"].to_numpy() > history.groupby(history["period"].str[:4])["voice"].transform("mean")[december.index]).all()
    report = run_seasonal(EXAMPLE)
    required = report.comparison.plans["in-house"].table.set_index("period")["required_fte"]
    assert required.idxmax() == "2025-12"


def test_example_prints_plans_and_comparison_and_writes_png_and_csv(capsys, tmp_path):
    png, csv = tmp_path / "plan.png", tmp_path / "plan.csv"
    status, out, err = run(capsys, "seasonal", EXAMPLE, "--png", png, "--csv", csv)
    assert status == 0, err
    assert "setup in-house" in out and "setup virtual-pool" in out and "setup cloud-burst" in out
    assert "comparison" in out and out.count("2025-12") >= 3
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = pd.read_csv(csv)
    assert len(table) == 3 * 15
    assert set(table["setup"]) == {"in-house", "virtual-pool", "cloud-burst"}
    # The table is consistent: available = productive + overtime + temps + burst; shortfall closes the gap.
    available = table["productive_fte"] + table["overtime_fte"] + table["temp_fte"] + table["burst_fte"]
    assert (abs(available - table["available_fte"]) < 1e-9).all()
    gap = (table["required_fte"] - table["available_fte"]).clip(lower=0)
    assert ((table["shortfall_fte"] - gap).abs() <= 1e-6).all()


@pytest.mark.slow
def test_json_output_matches_the_computation(capsys):
    status, out, err = run(capsys, "seasonal", EXAMPLE, "--json")
    assert status == 0, err
    payload = json.loads(out)
    report = run_seasonal(EXAMPLE)
    assert payload["periods"] == report.periods
    assert [row["setup"] for row in payload["comparison"]] == ["in-house", "virtual-pool", "cloud-burst"]
    for row, (_, plan) in zip(payload["comparison"], report.comparison.plans.items(), strict=True):
        assert row["total_cost"] == pytest.approx(plan.total_cost)
    assert payload["forecast_methods"]["email"] == "given"


def test_without_statsmodels_the_example_says_which_extra_to_install(monkeypatch, capsys):
    """The forecast method never changes silently with what is installed (issue 9): the example's
    'auto' forecast is Holt-Winters, so without statsmodels the command refuses in one line."""
    assert run_seasonal(EXAMPLE).forecast_methods == {"voice": "holt-winters", "chat": "holt-winters", "email": "given"}
    monkeypatch.setattr(fc, "holt_winters_available", lambda: False)
    assert cli.main(["seasonal", str(EXAMPLE)]) == 2
    err = capsys.readouterr().err
    assert "ccplan[forecast]" in err and len(err.strip().splitlines()) == 1


# --- bad files: one line, exit 2 ---------------------------------------------------------


def edit(data, path, value):
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "fragment"),
    [
        (("channels", "voice", "aht_secs"), 300, "channels.voice.aht_secs: unknown key"),
        (("workforce", "attrition_rate_per_month"), -0.02, "workforce.attrition_rate_per_month: Input should be greater than or equal to 0, got -0.02"),
        (("channels", "email", "volumes"), [1000, 2000], "channels.email.volumes: has 2 values but periods.count is 15"),
        (("channels", "chat", "volumes"), [1] * 15, "channels.chat: give exactly one of volumes"),
        (("setups", 0, "kind"), "outsourced", "setups[0]"),
        (("setups", 2, "burst_price_per_hour"), KeyError, "setups[2].burst_price_per_hour: is required"),
        (("setups", 1, "ramp"), [0.5, 1.5], "setups[1].ramp[1]: Input should be less than or equal to 1"),
        (("setups", 1, "name"), "in-house", "setups[1].name: 'in-house' is used by an earlier setup"),
        (("periods", "start"), "2025-13", "periods.start: '2025-13' is not a valid date"),
        (("periods", "start"), "2025-02", "the history ends the period before 2025-01, but periods.start is 2025-02"),
        (("history", "file"), "missing.csv", "history file not found"),
    ],
)
def test_malformed_files_give_one_line_and_exit_2(capsys, tmp_path, path, value, fragment):
    plan = write_plan(tmp_path, edit(example_data(), path, value))
    status, out, err = run(capsys, "seasonal", plan)
    assert_one_line_error(status, out, err, fragment)
    assert str(tmp_path) in err


def test_yaml_syntax_error_names_line_and_column(capsys, tmp_path):
    plan = tmp_path / "broken.yaml"
    plan.write_text("name: x\nperiods: [1, 2\n", encoding="utf-8")
    status, out, err = run(capsys, "seasonal", plan)
    assert_one_line_error(status, out, err, "line 3, column 1: YAML syntax error")


def test_bad_history_csv_names_line_and_column(capsys, tmp_path):
    plan = write_plan(tmp_path, example_data())
    history = tmp_path / "seasonal_retail_history.csv"
    lines = history.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].split(",")[0] + ",lots,100"
    history.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, out, err = run(capsys, "seasonal", plan)
    assert_one_line_error(status, out, err, "line 6, column 'voice': 'lots' is not a volume")


def test_missing_file_and_not_a_mapping(capsys, tmp_path):
    status, out, err = run(capsys, "seasonal", tmp_path / "nope.yaml")
    assert_one_line_error(status, out, err, "file not found")
    listing = tmp_path / "list.yaml"
    listing.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="must be a mapping"):
        load_seasonal_file(listing)
