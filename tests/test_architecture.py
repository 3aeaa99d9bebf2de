"""Imports run one way: the engines never load the scenario layer, the dashboard or Streamlit.

Kind: unit. Each engine is imported in a fresh interpreter and the loaded modules are inspected
(STYLE.md: "dashboard -> scenarios -> (simulator, staffing)"; the engines are also independent
of each other).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

FORBIDDEN = {
    "staffing": ("scenarios", "dashboard", "streamlit", "simulator", "simpy"),
    "simulator": ("scenarios", "dashboard", "streamlit", "staffing"),
    "scenarios": ("dashboard", "streamlit"),
}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_upper_layers(package):
    code = (f"import sys, {package}; "
            f"print([m for m in {FORBIDDEN[package]!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"{package} loads {out.strip()}"
