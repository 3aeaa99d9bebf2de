"""The layout keeps one home per concept, and the command line starts without heavy imports.

Kind: unit. The import layers themselves are checked statically by import-linter
(``lint-imports``, contracts in pyproject.toml, run by ``scripts/test`` and CI). These tests check
what a contract cannot: that each concept is written once (a copied formula once made the
demo's confidence bands 29 % too narrow), and that importing the scenario layer or the CLI
does not load the heavy libraries (start-up time).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

REPOSITORY = Path(__file__).resolve().parents[1]
PRODUCT = ("scenarios", "dashboard")


def _sources():
    for package in PRODUCT:
        for path in sorted((REPOSITORY / package).rglob("*.py")):
            yield path.relative_to(REPOSITORY).as_posix(), path.read_text(encoding="utf-8")


def _code_only(text: str) -> str:
    """The source without docstrings and comments (so prose may mention what code may not)."""
    tree = ast.parse(text)
    lines = text.splitlines()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(
                getattr(body[0], "value", None), ast.Constant) and isinstance(body[0].value.value, str):
            for index in range(body[0].lineno - 1, body[0].end_lineno):
                lines[index] = ""
    return "\n".join(line.split("#")[0] for line in lines)


# (pattern in code, the one file allowed to hold it, what the concept is)
ONE_HOME = [
    (r"1\.96", None, "a normal quantile instead of Student t"),
    (r"ppf\(", None, "a confidence-interval quantile outside simulator.ci95_half_width"),
    (r"\"as-given\"|'as-given'", "scenarios/document/setups.py", "the 'no setup' choice"),
    (r"\"as given", "scenarios/document/setups.py", "the 'no setup' label"),
    (r"\(\"in-house\", \"virtual\", \"cloud\"\)", None, "the setup kinds"),
    (r"else 20\.0|default=20\.0", None, "the default answer-time target"),
    (r"divmod\([^)]*1440\)", "scenarios/document/clock.py", "clock-time formatting"),
    (r":02d\}:\{", "scenarios/document/clock.py", "clock-time formatting"),
    (r"SUMMARY_KPIS\s*=", None, "a KPI list clashing with simulator.SUMMARY_KPIS"),
    (r"KPI_LABELS\s*=", None, "KPI labels outside scenarios.report.kpis"),
    (r"\(CcplanError, StaffingInputError", None, "an input-error tuple instead of the one base class"),
    (r"class InHouseSetup|class VirtualSetup|class CloudSetup", "scenarios/document/setups.py", "the setup models"),
    (r"def interval_labels", None, "interval labels outside scenarios.document.clock (wrappers call it)"),
]


@pytest.mark.parametrize("pattern, home, concept", ONE_HOME, ids=[c for _, _, c in ONE_HOME])
def test_each_concept_has_one_home(pattern, home, concept):
    places = [name for name, text in _sources() if re.search(pattern, _code_only(text))]
    allowed = {home} if home else set()
    if pattern == r"def interval_labels":  # the clock computes; the Scenario method delegates to it
        allowed = {"scenarios/document/clock.py", "scenarios/document/scenario.py"}
        for name in set(places) - {"scenarios/document/clock.py"}:
            text = (REPOSITORY / name).read_text(encoding="utf-8")
            body = text[text.index("def interval_labels"):].split("\ndef ")[0]
            assert "clock.interval_labels(" in body or "return interval_labels(" in body, f"{name} re-implements {concept}"
    assert set(places) <= allowed, f"{concept} written in {sorted(set(places) - allowed)}"


def test_setup_choices_are_derived_from_the_setup_kinds():
    import scenarios
    from scenarios.document import setups

    assert scenarios.SETUP_KINDS is setups.SETUP_KINDS == ("in-house", "virtual", "cloud")
    assert setups.SETUP_CHOICES == (setups.AS_GIVEN, *setups.SETUP_KINDS)
    assert {kind: setups.default_setup(kind).kind for kind in setups.SETUP_KINDS} == {k: k for k in setups.SETUP_KINDS}


def test_every_input_error_derives_from_the_one_base_class():
    import ccplan_errors
    import scenarios
    import simulator
    import staffing

    for error in (scenarios.ScenarioError, simulator.ModelError, staffing.StaffingInputError):
        assert issubclass(error, ccplan_errors.InputError) and issubclass(error, ccplan_errors.CcplanError)
    assert scenarios.CcplanError is ccplan_errors.CcplanError


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", f"{code}; import sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True, cwd=REPOSITORY).stdout
    return set(out.split())


HEAVY = {"pandas", "matplotlib", "pyarrow", "scipy", "simpy", "streamlit", "pydantic", "numpy", "dask", "yaml"}


def test_importing_the_scenario_layer_and_the_cli_is_light():
    loaded = _modules_after("import scenarios, scenarios.cli, scenarios.report, scenarios.studies, scenarios.bridge")
    assert not HEAVY & loaded, f"import scenarios loads {sorted(HEAVY & loaded)}"


def test_ccplan_help_imports_no_subcommand():
    loaded = _modules_after("import scenarios.cli as c, contextlib, io\n"
                            "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
                            "    c.main(['--help'])")
    assert not {name for name in loaded if name.startswith("scenarios.cli.")}, "--help imported a subcommand"
    assert not HEAVY & loaded


def test_a_public_name_loads_on_first_use():
    import scenarios

    assert "load_scenario" in dir(scenarios)
    assert scenarios.load_scenario.__module__ == "scenarios.document.loader"
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        scenarios.no_such_name  # noqa: B018 - the attribute access is the test


@pytest.mark.slow
def test_the_demo_bands_use_student_t():
    """With 3 replications the Student-t half-width is 4.30 s / sqrt(3), 2.2x the normal 1.96 s / sqrt(3)."""
    from scenarios.studies.demo import run_demo

    result = run_demo(replications=3, seed=11)
    from scenarios import compile_scenario
    from simulator import simulate

    intervals = simulate(compile_scenario(result.scenario).model, 3, 11).intervals
    voice = intervals[intervals["channel"] == "voice"].sort_values(["interval", "replication"])
    per_interval = voice.groupby("interval")["service_level"]
    expected = stats.t.ppf(0.975, 2) * per_interval.std(ddof=1) / np.sqrt(3)
    assert np.allclose(result.voice["simulated_sl_ci95"].to_numpy(), expected.to_numpy(), equal_nan=True)


@pytest.mark.parametrize("package", ["staffing", "simulator", "scenarios"])
def test_every_public_function_is_annotated(package):
    """Each function a package exports has type hints on every parameter and its return (mypy
    checks them in CI); classes are checked by their own definitions."""
    import importlib
    import inspect

    module = importlib.import_module(package)
    missing = []
    for name in module.__all__:
        value = getattr(module, name)
        if not inspect.isfunction(value):
            continue
        signature = inspect.signature(value)
        bare = [p.name for p in signature.parameters.values()
                if p.annotation is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        if bare or signature.return_annotation is inspect.Signature.empty:
            missing.append(f"{name}({', '.join(bare)})")
    assert not missing, f"{package} exports unannotated functions: {missing}"
