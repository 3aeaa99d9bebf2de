"""The package surface: cheap ``import simulator`` (lazy public names), every public name importable."""

from __future__ import annotations

import importlib
import pathlib
import subprocess
import sys

import simulator


def test_import_simulator_loads_no_simpy_scipy_or_pandas():
    """Run in a fresh interpreter (this one has imported everything already)."""
    code = ("import sys, simulator; "
            "print(sorted(m for m in ('simpy', 'scipy', 'pandas') if m in sys.modules))")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


def test_every_public_name_is_importable_and_attribute_access_works():
    code = ("import simulator; names = simulator.__all__; "
            "exec('from simulator import ' + ', '.join(names)); "
            "print(all(getattr(simulator, n) is not None for n in names), callable(simulator.simulate))")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "True True"
    for name in simulator.__all__:
        assert getattr(importlib.import_module("simulator"), name) is not None
    assert set(simulator.__all__) <= set(dir(simulator))


def test_unknown_name_is_an_attribute_error_and_submodules_still_import():
    try:
        simulator.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("expected AttributeError")
    from simulator import kpis  # a submodule, not a lazy name

    assert kpis.ci95_half_width is simulator.ci95_half_width


def test_package_is_marked_typed():
    assert (pathlib.Path(simulator.__file__).parent / "py.typed").is_file()
